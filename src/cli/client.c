/* SPDX-License-Identifier: ISC */
/* cli/client.c - talk to vrsd's control API over its UNIX socket. */

#include "cli/client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/sbuf.h"

#define CLI_REPLY_MAX (256u << 20)

int
cli_request(const char *sock, const char *method, const char *path,
    const char *body, json_t **out, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct sbuf req, resp;
	json_error_t jerr;
	char buf[65536], *hdr_end;
	ssize_t n;
	size_t off = 0;
	int fd, status = 0;

	*out = NULL;
	if (strlen(sock) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "socket path too long");
		return 0;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, sock, strlen(sock) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		snprintf(err, errlen, "%s: %s", sock, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 0;
	}
	sbuf_init(&req);
	sbuf_printf(&req, "%s %s HTTP/1.0\r\nHost: vrsd\r\n", method, path);
	if (body != NULL)
		sbuf_printf(&req,
		    "Content-Type: application/json\r\nContent-Length: %zu\r\n",
		    strlen(body));
	sbuf_puts(&req, "\r\n");
	if (body != NULL)
		sbuf_puts(&req, body);
	while (off < req.len) {
		n = write(fd, req.s + off, req.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "write: %s", strerror(errno));
			goto done;
		}
		off += (size_t)n;
	}
	sbuf_init(&resp);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || resp.len + (size_t)n > CLI_REPLY_MAX)
			break;
		sbuf_putn(&resp, buf, (size_t)n);
	}
	if (sscanf(resp.s, "HTTP/1.%*d %d", &status) != 1 ||
	    (hdr_end = strstr(resp.s, "\r\n\r\n")) == NULL) {
		snprintf(err, errlen, "vrsd sent a malformed reply");
		status = 0;
	} else if ((*out = json_loads(hdr_end + 4, 0, &jerr)) == NULL) {
		snprintf(err, errlen, "vrsd sent bad JSON: %s", jerr.text);
		status = 0;
	}
	sbuf_fini(&resp);
done:
	sbuf_fini(&req);
	close(fd);
	return status;
}
