/* SPDX-License-Identifier: ISC */
/* cli/client.c - talk to vrsd's control API: UNIX socket or loopback TCP. */

#include "cli/client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/sbuf.h"

#define CLI_REPLY_MAX (256u << 20)
#define CLI_TCP       "tcp://"

/*
 * $VRS_TOKEN_FILE names a file holding the bearer token of a vrsd TCP
 * listener with http-token-file (the same file will do): its first line
 * goes out as "Authorization: Bearer TOKEN".
 */
static bool
cli_token_header(struct sbuf *req, char *err, size_t errlen)
{
	const char *path = getenv("VRS_TOKEN_FILE");
	char tok[256];
	size_t n;
	FILE *f;

	if (path == NULL || *path == '\0')
		return true;
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "VRS_TOKEN_FILE %s: %s", path,
		    strerror(errno));
		return false;
	}
	n = fread(tok, 1, sizeof(tok) - 1, f);
	fclose(f);
	tok[n] = '\0';
	tok[strcspn(tok, "\r\n")] = '\0';
	sbuf_printf(req, "Authorization: Bearer %s\r\n", tok);
	return true;
}

/*
 * Fill ss from "tcp://127.0.0.1:PORT" or "tcp://[::1]:PORT" (numeric
 * addresses only) and host with the Host header's value.  False, with a
 * message in err, when sock is malformed.
 */
static bool
cli_tcp_parse(const char *sock, struct sockaddr_storage *ss, socklen_t *len,
    char *host, size_t hostlen, char *err, size_t errlen)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	const char *hp = sock + strlen(CLI_TCP), *colon;
	char addr[64], *end;
	unsigned long port;
	bool v6 = hp[0] == '[';
	size_t n;

	memset(ss, 0, sizeof(*ss));
	if (v6) {
		if ((colon = strchr(hp, ']')) == NULL || colon[1] != ':')
			goto bad;
		n = (size_t)(colon - hp - 1);
		colon++;
		hp++;
	} else {
		if ((colon = strrchr(hp, ':')) == NULL)
			goto bad;
		n = (size_t)(colon - hp);
	}
	if (n == 0 || n >= sizeof(addr))
		goto bad;
	memcpy(addr, hp, n);
	addr[n] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || errno != 0 ||
	    port == 0 || port > 65535)
		goto bad;
	if (!v6 && inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof(*sin);
	} else if (v6 && inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*sin6);
	} else
		goto bad;
	/* the Host vrsd's TCP listener expects: a loopback address */
	snprintf(host, hostlen, "%s", sock + strlen(CLI_TCP));
	return true;

bad:
	snprintf(err, errlen,
	    "%s: expected tcp://ADDRESS:PORT or tcp://[IPv6]:PORT, e.g. "
	    "tcp://127.0.0.1:8443",
	    sock);
	return false;
}

/* Connect to sock: a UNIX socket's path, or tcp://ADDRESS:PORT. */
static int
cli_connect(
    const char *sock, char *host, size_t hostlen, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
	socklen_t len;
	int fd;

	if (strncmp(sock, CLI_TCP, strlen(CLI_TCP)) == 0) {
		if (!cli_tcp_parse(sock, &ss, &len, host, hostlen, err, errlen))
			return -1;
	} else {
		if (strlen(sock) >= sizeof(sun->sun_path)) {
			snprintf(err, errlen, "socket path too long");
			return -1;
		}
		memset(&ss, 0, sizeof(ss));
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, sock, strlen(sock) + 1);
		len = sizeof(*sun);
		snprintf(host, hostlen, "vrsd");
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&ss, len) < 0) {
		snprintf(err, errlen, "%s: %s", sock, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Each Vrs-Warning header of a reply, on stderr as az prints warnings. */
static void
print_warnings(const char *s, const char *end)
{
	static const char key[] = "\r\nVrs-Warning:";
	const char *p = s, *e;

	while ((p = strstr(p, key)) != NULL && p < end) {
		p += sizeof(key) - 1;
		while (*p == ' ')
			p++;
		e = strstr(p, "\r\n");
		if (e == NULL || e > end)
			e = end;
		fprintf(stderr, "WARNING: %.*s\n", (int)(e - p), p);
		p = e;
	}
}

/*
 * One HTTP/1.0 exchange: the reply's status (0 if there is none, with
 * the reason in err), and in resp the whole reply, headers and body,
 * with *body pointing at the body.
 */
static int
cli_exchange(const char *sock, const char *method, const char *path,
    const char *body, struct sbuf *resp, const char **rbody, char *err,
    size_t errlen)
{
	struct sbuf req;
	char buf[65536], host[128], *hdr_end;
	ssize_t n;
	size_t off = 0;
	int fd, status = 0;

	if ((fd = cli_connect(sock, host, sizeof(host), err, errlen)) < 0)
		return 0;
	sbuf_init(&req);
	sbuf_printf(&req, "%s %s HTTP/1.0\r\nHost: %s\r\n", method, path, host);
	if (strncmp(sock, CLI_TCP, strlen(CLI_TCP)) == 0 &&
	    !cli_token_header(&req, err, errlen))
		goto done;
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
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || resp->len + (size_t)n > CLI_REPLY_MAX)
			break;
		sbuf_putn(resp, buf, (size_t)n);
	}
	if (resp->len == 0 || sscanf(resp->s, "HTTP/1.%*d %d", &status) != 1 ||
	    (hdr_end = strstr(resp->s, "\r\n\r\n")) == NULL) {
		snprintf(err, errlen, "vrsd sent a malformed reply");
		status = 0;
	} else
		*rbody = hdr_end + 4;
done:
	sbuf_fini(&req);
	close(fd);
	return status;
}

int
cli_request(const char *sock, const char *method, const char *path,
    const char *body, json_t **out, char *err, size_t errlen)
{
	struct sbuf resp;
	json_error_t jerr;
	const char *rb = NULL;
	int status;

	*out = NULL;
	sbuf_init(&resp);
	status =
	    cli_exchange(sock, method, path, body, &resp, &rb, err, errlen);
	if (status == 0)
		;
	else if ((*out = json_loads(rb, 0, &jerr)) == NULL) {
		snprintf(err, errlen, "vrsd sent bad JSON: %s", jerr.text);
		status = 0;
	} else
		print_warnings(resp.s, rb - 4);
	sbuf_fini(&resp);
	return status;
}

int
cli_get_raw(const char *sock, const char *path, struct sbuf *out,
    json_t **jerr_body, char *err, size_t errlen)
{
	struct sbuf resp;
	const char *rb = NULL;
	int status;

	*jerr_body = NULL;
	sbuf_init(&resp);
	status = cli_exchange(sock, "GET", path, NULL, &resp, &rb, err, errlen);
	if (status >= 200 && status < 300)
		sbuf_putn(out, rb, resp.len - (size_t)(rb - resp.s));
	else if (status != 0)
		*jerr_body = json_loads(rb, 0, NULL);
	sbuf_fini(&resp);
	return status;
}

static json_t *capture; /* borrowed: cli_capture()'s list, or NULL */

void
cli_capture(json_t *changes)
{
	capture = changes;
}

/* A write kept for vrs what-if: {"method", "path", "body"}; 0 or 1. */
static int
capture_add(const char *method, const char *path, const char *body,
    json_t **out, const char *what)
{
	json_error_t e;
	json_t *b = NULL;

	if (body != NULL && (b = json_loads(body, 0, &e)) == NULL) {
		fprintf(stderr, "vrs: %s: %s\n", what ? what : path, e.text);
		*out = NULL;
		return 1;
	}
	json_array_append_new(capture,
	    json_pack("{s:s,s:s,s:o}", "method", method, "path", path, "body",
	        b != NULL ? b : json_null()));
	*out = b != NULL ? json_incref(b) : json_object();
	return 0;
}

int
cli_call(const char *sock, const char *method, const char *path,
    const char *body, json_t **out, const char *what)
{
	char err[512];
	const char *msg, *code;
	json_t *e;
	int st;

	if (capture != NULL && strcmp(method, "GET") != 0)
		return capture_add(method, path, body, out, what);
	st = cli_request(sock, method, path, body, out, err, sizeof(err));

	if (st == 0) {
		fprintf(stderr,
		    "vrs: cannot reach vrsd: %s (is vrsd running? "
		    "--socket or VRS_SOCKET)\n",
		    err);
		return 2;
	}
	if (st >= 200 && st < 300)
		return 0;
	e = json_object_get(*out, "error");
	msg = json_string_value(json_object_get(e, "message"));
	code = json_string_value(json_object_get(e, "code"));
	if (what == NULL)
		fprintf(stderr, "vrs: %s\n", msg ? msg : "request failed");
	else
		fprintf(stderr, "vrs: %s: %s (%s)\n", what,
		    msg ? msg : "request failed", code ? code : "Error");
	json_decref(*out);
	*out = NULL;
	return 1;
}
