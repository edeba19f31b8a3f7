/* SPDX-License-Identifier: ISC */
/* api/bgp4mp.c - every received UPDATE as an MRT BGP4MP_MESSAGE_AS4 record (RFC 6396 4.4). */

#include "api/bgp4mp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "lib/log.h"
#include "lib/wbuf.h"
#include "lib/xmalloc.h"

/*
 * Records are kept in a buffer and written when it holds 64 KiB, every
 * second, at rotation and at close: a log of a busy peer costs one
 * write(2) per 64 KiB, and a quiet one is on disk within a second.  The
 * file is opened with O_APPEND, so a restart goes on where it was.  A
 * failed write is logged once per file and its records are counted as
 * lost; the sessions never wait for the disk.
 */

#define BGP4MP_TYPE        16 /* BGP4MP (RFC 6396 4.4) */
#define BGP4MP_MESSAGE_AS4 4
#define BGP4MP_FLUSH       65536
#define BGP4MP_HDR_MAX     (12 + 12 + 32)

struct bgp4mp {
	char pattern[256];
	char name[512];  /* the file now open */
	uint32_t rotate; /* seconds; 0: one file */
	time_t opened;
	int fd;
	uint8_t *buf;
	size_t len;
	bool failed; /* this file's write failed (logged once) */
	uint64_t records, lost;
	struct event *ev; /* the 1 s flush */
};

static bool
file_name(const struct bgp4mp *b, time_t t, char *out, size_t len)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return false;
	return strftime(out, len, b->pattern, &tm) > 0;
}

static bool
file_open(struct bgp4mp *b, time_t now, char *why, size_t len)
{
	char name[sizeof(b->name)];
	int fd;

	if (!file_name(b, now, name, sizeof(name))) {
		snprintf(why, len, "%s: not a usable file name", b->pattern);
		return false;
	}
	if (b->fd >= 0 && strcmp(name, b->name) == 0) {
		b->opened = now;
		return true;
	}
	fd = open(name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(why, len, "%s: %s", name, strerror(errno));
		return false;
	}
	if (b->fd >= 0)
		close(b->fd);
	b->fd = fd;
	b->opened = now;
	b->failed = false;
	snprintf(b->name, sizeof(b->name), "%s", name);
	return true;
}

static void
flush(struct bgp4mp *b)
{
	size_t off = 0;
	ssize_t n;

	while (off < b->len && b->fd >= 0) {
		n = write(b->fd, b->buf + off, b->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!b->failed)
				log_warn("mrt-updates %s: write", b->name);
			b->failed = true;
			b->lost++;
			break;
		}
		off += (size_t)n;
	}
	b->len = 0;
}

static void
tick(evutil_socket_t fd, short what, void *arg)
{
	struct bgp4mp *b = arg;
	time_t now = time(NULL);
	char why[600];

	(void)fd;
	(void)what;
	flush(b);
	if (b->rotate > 0 && now - b->opened >= (time_t)b->rotate &&
	    !file_open(b, now, why, sizeof(why)))
		log_warnx("mrt-updates: %s (still writing %s)", why, b->name);
}

struct bgp4mp *
bgp4mp_open(struct event_base *base, const char *pattern, uint32_t rotate,
    char *why, size_t len)
{
	struct bgp4mp *b = xcalloc(1, sizeof(*b));
	struct timeval tv = { 1, 0 };

	b->fd = -1;
	b->rotate = rotate;
	if (pattern[0] == '\0' || strlen(pattern) >= sizeof(b->pattern)) {
		snprintf(why, len, "file: 1 to %zu characters",
		    sizeof(b->pattern) - 1);
		free(b);
		return NULL;
	}
	memcpy(b->pattern, pattern, strlen(pattern) + 1);
	if (!file_open(b, time(NULL), why, len)) {
		free(b);
		return NULL;
	}
	b->buf = xmalloc(BGP4MP_FLUSH + BGP4MP_HDR_MAX + 65536);
	if (base != NULL) {
		b->ev = event_new(base, -1, EV_PERSIST, tick, b);
		event_add(b->ev, &tv);
	}
	return b;
}

void
bgp4mp_tap(void *arg, const struct bgpd_tap_msg *m)
{
	static const uint8_t zero[16];
	struct bgp4mp *b = arg;
	bool v6 = m->peer->af == ADDR_V6;
	size_t alen = v6 ? 16 : 4;
	struct wbuf w;

	if (m->len > 65535)
		return;
	if (b->len + BGP4MP_HDR_MAX + m->len > BGP4MP_FLUSH)
		flush(b);
	wbuf_init(&w, b->buf + b->len, BGP4MP_HDR_MAX + m->len);
	wbuf_put_u32(&w, (uint32_t)time(NULL));
	wbuf_put_u16(&w, BGP4MP_TYPE);
	wbuf_put_u16(&w, BGP4MP_MESSAGE_AS4);
	wbuf_put_u32(&w, (uint32_t)(4 + 4 + 2 + 2 + 2 * alen + m->len));
	wbuf_put_u32(&w, m->peer_as);
	wbuf_put_u32(&w, m->local_as);
	wbuf_put_u16(&w, 0); /* interface index: none */
	wbuf_put_u16(&w, v6 ? 2 : 1);
	wbuf_put(&w, m->peer->a, alen);
	/* the local address, as the peer's family (zeros when unknown) */
	wbuf_put(&w,
	    m->local != NULL && m->local->af == m->peer->af ? m->local->a
	                                                    : zero,
	    alen);
	wbuf_put(&w, m->msg, m->len);
	if (!wbuf_ok(&w))
		return;
	b->len += w.len;
	b->records++;
}

void
bgp4mp_stats(const struct bgp4mp *b, uint64_t *records, uint64_t *lost)
{
	*records = b->records;
	*lost = b->lost;
}

void
bgp4mp_close(struct bgp4mp *b)
{
	if (b == NULL)
		return;
	flush(b);
	if (b->ev != NULL)
		event_free(b->ev);
	if (b->fd >= 0)
		close(b->fd);
	free(b->buf);
	free(b);
}
