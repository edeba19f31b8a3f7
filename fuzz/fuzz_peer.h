/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_peer.h - what the session targets share: peers on socketpairs, a checking sink. */

#ifndef VRS_FUZZ_FUZZ_PEER_H
#define VRS_FUZZ_FUZZ_PEER_H

/*
 * A session of a bgpd takes one end of a socketpair, as if bgpd's
 * listener had accepted it (session_accept); the harness holds the other
 * end and plays the peer (fuzz_session, fuzz_live, fuzz_speaker).  Two
 * peers: the fuzzed one, whose output is the input and whose input is
 * read and dropped, and the sink, a well-behaved peer whose every
 * message is framed and checked (fuzz_speaker: the one connection is
 * both):
 *   - it is never sent a NOTIFICATION and never closed;
 *   - every UPDATE decodes (with its session's facts, sink_ctx) without
 *     a reset and without an RFC 7606 outcome: a correct speaker never
 *     sends what a correct peer must treat as withdrawn or discard; with
 *     sink_first_as, every path starts with that AS;
 *   - the routes it holds are tracked: fuzz_peer_mark() remembers them
 *     (before the fuzzed peer connects), fuzz_peer_same() says whether
 *     they are the same again (after it is gone), fuzz_peer_invented()
 *     whether one is new and was never announced by the fuzzed peer
 *     (fuzz_peer_said() reads what it announced).
 * fuzz_peer_run() turns the event loop until nothing moves: no byte
 * read or written, no event active, IDLE_STOP rounds in a row.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#include "bgp/bgp.h"
#include "bgp/open.h"
#include "bgp/update.h"
#include "fuzz.h"
#include "lib/log.h"
#include "lib/wbuf.h"
#include "session/session.h"
#include "session/session_int.h"

#define ROUNDS    4000 /* of the event loop, at most, per phase */
#define IDLE_STOP 3    /* rounds in a row where nothing moved */

/* Routes the sink holds: (family, prefix, path id), open addressing. */
#define HELD_SLOTS 8192
struct held {
	bool used, present;
	bool marked; /* present at fuzz_peer_mark() */
	uint32_t path_id;
	struct prefix pfx;
};

struct end {
	int fd;              /* ours; the session has the other */
	uint8_t in[1 << 17]; /* what arrived, not yet framed */
	size_t len;
	bool eof;
};

static struct held held[HELD_SLOTS];
static size_t nheld, nused;
static bool held_full;
static struct end peer_end, sink_end;
static struct bgp_ctx sink_ctx;
static bool sink_closed;
static bool sink_check = true; /* false: the sink's UPDATEs are not checked */
static uint32_t sink_first_as; /* != 0: every path it is sent starts so */

static inline size_t
held_hash(const struct prefix *p, uint32_t path_id)
{
	uint32_t h = 2166136261u ^ p->af ^ ((uint32_t)p->len << 8) ^ path_id;

	for (int i = 0; i < 16; i++)
		h = (h ^ p->a[i]) * 16777619u;
	return h & (HELD_SLOTS - 1);
}

static inline void
held_set(const struct prefix *p, uint32_t path_id, bool present)
{
	size_t i = held_hash(p, path_id);

	if (held_full)
		return;
	for (;; i = (i + 1) & (HELD_SLOTS - 1)) {
		struct held *h = &held[i];

		if (!h->used) {
			if (!present)
				return; /* a withdrawal of nothing: allowed */
			if (nused >= HELD_SLOTS / 2) {
				held_full = true; /* stop checking */
				return;
			}
			*h = (struct held){ true, true, false, path_id, *p };
			nused++;
			nheld++;
			return;
		}
		if (h->path_id == path_id && prefix_equal(&h->pfx, p)) {
			if (h->present != present)
				nheld += present ? 1 : (size_t)-1;
			h->present = present;
			return;
		}
	}
}

/* Every prefix of an NLRI field the sink received. */
static inline void
sink_field(struct rbuf field, uint8_t af, bool addpath, bool present)
{
	struct bgp_nlri n;
	struct bgp_err err;

	while (bgp_nlri_next(&field, af, addpath, &n, &err))
		held_set(&n.pfx, n.path_id, present);
	if (field.len > 0)
		fuzz_fail("sink: sent a malformed NLRI");
}

/* What the sink was sent that it should not have been, and the message. */
static inline void
sink_fail(const char *what, const struct bgp_hdr *h, const struct bgp_err *e)
{
	struct sbuf out;

	sbuf_init(&out);
	if (e != NULL)
		fuzz_err_print(&out, e);
	sbuf_puts(&out, "message ");
	sbuf_hex(&out, h->msg.p, h->msg.len);
	fprintf(stderr, "%s\n", out.s != NULL ? out.s : "");
	sbuf_fini(&out);
	fuzz_fail(what);
}

/*
 * RFC 4271 5.1.2, 9.1.2: a path sent to an external peer starts with the
 * sender's AS (a transparent route server's, RFC 7947, with its
 * client's), in an AS_SEQUENCE; AS_TRANS in AS_PATH on a 2-octet session
 * when it does not fit (RFC 6793 4.2.2).
 */
static inline void
sink_first_check(const struct bgp_hdr *h, const struct bgp_pattrs *pa)
{
	uint32_t want =
	    sink_ctx.as4 || sink_first_as <= 65535 ? sink_first_as : 23456;
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;

	bgp_aspath_iter_init(&it, &pa->aspath);
	if (!bgp_aspath_iter_next(&it, &seg) || seg.type != BGP_AS_SEQUENCE ||
	    seg.count == 0 || bgp_aspath_seg_as(&seg, 0) != want)
		sink_fail("sink: sent a path that does not start with the "
		          "sender's AS",
		    h, NULL);
}

static inline void
sink_update(const struct bgp_hdr *h)
{
	static struct bgp_pattrs pa; /* large: off the stack */
	struct bgp_update u;
	struct bgp_err err;
	int af;

	if (!sink_check)
		return;
	if (!bgp_update_split(h->body, &u, &err) ||
	    !bgp_update_decode(&u, &sink_ctx, &pa, &err))
		sink_fail("sink: sent an UPDATE that resets", h, &err);
	if (pa.outcome != BGP_OUT_OK)
		sink_fail("sink: sent a malformed attribute", h, &pa.err);
	if (sink_first_as != 0 &&
	    (u.nlri.len > 0 ||
	        (bgp_pattrs_has(&pa, BGP_ATTR_MP_REACH) &&
	            pa.mp_reach.nlri.len > 0)))
		sink_first_check(h, &pa);
	sink_field(
	    u.withdrawn, ADDR_V4, sink_ctx.addpath_rx[BGP_AF_IPV4], false);
	if (bgp_pattrs_has(&pa, BGP_ATTR_MP_UNREACH) &&
	    (af = bgp_af_from(pa.mp_unreach.afi, pa.mp_unreach.safi)) >= 0)
		sink_field(pa.mp_unreach.nlri, bgp_af_addr(af),
		    sink_ctx.addpath_rx[af], false);
	sink_field(u.nlri, ADDR_V4, sink_ctx.addpath_rx[BGP_AF_IPV4], true);
	if (bgp_pattrs_has(&pa, BGP_ATTR_MP_REACH) &&
	    (af = bgp_af_from(pa.mp_reach.afi, pa.mp_reach.safi)) >= 0)
		sink_field(pa.mp_reach.nlri, bgp_af_addr(af),
		    sink_ctx.addpath_rx[af], true);
}

/* Frame what the sink received so far and check each UPDATE. */
static inline void
sink_frame(void)
{
	struct rbuf in = rbuf_make(sink_end.in, sink_end.len);
	struct bgp_hdr h;
	struct bgp_err err;
	enum bgp_frame fr;

	while (
	    (fr = bgp_msg_frame(&in, BGP_MAX_LEN, &h, &err)) == BGP_FRAME_OK) {
		if (h.type == BGP_MSG_NOTIFICATION)
			sink_closed = true;
		else if (h.type == BGP_MSG_UPDATE)
			sink_update(&h);
	}
	if (fr == BGP_FRAME_ERR)
		fuzz_fail("sink: sent a bad header");
	memmove(sink_end.in, in.p, in.len);
	sink_end.len = in.len;
}

/* Read what is there; true if anything moved. */
static inline bool
end_read(struct end *e, bool keep)
{
	uint8_t junk[4096];
	bool moved = false;
	ssize_t n;

	while (e->fd >= 0 && !e->eof) {
		if (keep && e->len == sizeof(e->in))
			break; /* framed, then read on (a message fits) */
		n = keep ? read(e->fd, e->in + e->len, sizeof(e->in) - e->len)
		         : read(e->fd, junk, sizeof(junk));
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			e->eof = true;
			moved = true;
			break;
		}
		if (keep)
			e->len += (size_t)n;
		moved = true;
	}
	return moved;
}

/* Write as much of *p as fits; true if anything moved. */
static inline bool
end_write(struct end *e, const uint8_t **p, size_t *len)
{
	bool moved = false;
	ssize_t n;

	while (*len > 0 && e->fd >= 0) {
		n = write(e->fd, *p, *len);
		if (n <= 0)
			break;
		*p += n;
		*len -= (size_t)n;
		moved = true;
	}
	return moved;
}

/* Run the loop until nothing moves (or ROUNDS), writing out to e. */
static inline void
fuzz_peer_run(
    struct event_base *base, struct end *e, const uint8_t *out, size_t outlen)
{
	int idle = 0;

	for (int r = 0; r < ROUNDS && idle < IDLE_STOP; r++) {
		bool moved = end_write(e, &out, &outlen);

		event_base_loop(base, EVLOOP_NONBLOCK);
		moved |= end_read(&peer_end, false);
		if (end_read(&sink_end, true)) {
			moved = true;
			sink_frame();
		}
		if (event_base_get_num_events(base, EVENT_BASE_COUNT_ACTIVE))
			moved = true;
		idle = moved ? 0 : idle + 1;
	}
}

/* A whole OPEN: IPv4 and IPv6 unicast, route refresh, and as told. */
static inline size_t
fuzz_peer_open(uint8_t *buf, size_t cap, uint32_t asn, uint32_t id, bool as4,
    bool addpath, bool gr)
{
	static const uint8_t mp[] = { 1, 4, 0, 1, 0, 1, 1, 4, 0, 2, 0, 1, 2,
		0 };
	static const uint8_t ap[] = { 69, 8, 0, 1, 1, 3, 0, 2, 1, 3 };
	static const uint8_t grc[] = { 64, 10, 0, 120, 0, 1, 1, 0x80, 0, 2, 1,
		0x80 };
	uint8_t caps[64];
	size_t n = 0;
	struct wbuf w;

	memcpy(caps, mp, sizeof(mp));
	n = sizeof(mp);
	if (as4) {
		caps[n++] = BGP_CAP_AS4;
		caps[n++] = 4;
		caps[n++] = (uint8_t)(asn >> 24);
		caps[n++] = (uint8_t)(asn >> 16);
		caps[n++] = (uint8_t)(asn >> 8);
		caps[n++] = (uint8_t)asn;
	}
	if (addpath) {
		memcpy(caps + n, ap, sizeof(ap));
		n += sizeof(ap);
	}
	if (gr) {
		memcpy(caps + n, grc, sizeof(grc));
		n += sizeof(grc);
	}
	wbuf_init(&w, buf, cap);
	bgp_hdr_encode(&w, BGP_MSG_OPEN, 10 + 2 + n);
	wbuf_put_u8(&w, 4);
	wbuf_put_u16(&w, asn > 65535 ? 23456 : (uint16_t)asn);
	wbuf_put_u16(&w, 90);
	wbuf_put_u32(&w, id);
	wbuf_put_u8(&w, (uint8_t)(2 + n));
	wbuf_put_u8(&w, BGP_OPT_CAPA);
	wbuf_put_u8(&w, (uint8_t)n);
	wbuf_put(&w, caps, n);
	bgp_hdr_encode(&w, BGP_MSG_KEEPALIVE, 0);
	return w.len;
}

/* One end of a new socketpair for s, the other ours in e. */
static inline bool
fuzz_peer_connect(struct bgpd *d, struct session *s, struct end *e)
{
	struct bufferevent *bev;
	int sv[2];

	e->fd = -1;
	e->len = 0;
	e->eof = false;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return false;
	evutil_make_socket_nonblocking(sv[0]);
	evutil_make_socket_nonblocking(sv[1]);
	bev =
	    bufferevent_socket_new(bgpd_base(d), sv[0], BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		close(sv[0]);
		close(sv[1]);
		return false;
	}
	e->fd = sv[1];
	session_accept(s, bev);
	return true;
}

/*
 * The prefixes the fuzzed peer announced, as the codec reads its stream
 * with the session's facts: whatever the sink is sent that it did not
 * hold before must be among them (a route server invents no route).
 */
#define SAID_SLOTS 8192
static struct prefix said[SAID_SLOTS];
static bool said_used[SAID_SLOTS], said_full;
static size_t nsaid;

static inline void
said_add(const struct prefix *p)
{
	size_t i = held_hash(p, 0);

	for (;; i = (i + 1) & (SAID_SLOTS - 1)) {
		if (!said_used[i]) {
			if (nsaid >= SAID_SLOTS / 2) {
				said_full = true;
				return;
			}
			said_used[i] = true;
			said[i] = *p;
			nsaid++;
			return;
		}
		if (prefix_equal(&said[i], p))
			return;
	}
}

static inline bool
said_has(const struct prefix *p)
{
	size_t i = held_hash(p, 0);

	for (; said_used[i]; i = (i + 1) & (SAID_SLOTS - 1))
		if (prefix_equal(&said[i], p))
			return true;
	return false;
}

static inline void
said_field(struct rbuf field, uint8_t af, bool addpath)
{
	struct bgp_nlri n;
	struct bgp_err err;

	while (bgp_nlri_next(&field, af, addpath, &n, &err))
		said_add(&n.pfx);
}

/* Every prefix the UPDATEs of stream announce (read with ctx). */
static inline void
fuzz_peer_said(
    const uint8_t *data, size_t size, const struct bgp_ctx *ctx, size_t max_len)
{
	static struct bgp_pattrs pa; /* large: off the stack */
	struct rbuf in = rbuf_make(data, size);
	struct bgp_update u;
	struct bgp_hdr h;
	struct bgp_err err;
	int af;

	while (bgp_msg_frame(&in, max_len, &h, &err) == BGP_FRAME_OK) {
		if (h.type != BGP_MSG_UPDATE ||
		    !bgp_update_split(h.body, &u, &err))
			continue;
		said_field(u.nlri, ADDR_V4, ctx->addpath_rx[BGP_AF_IPV4]);
		(void)bgp_update_decode(&u, ctx, &pa, &err);
		if (bgp_pattrs_has(&pa, BGP_ATTR_MP_REACH) &&
		    (af = bgp_af_from(pa.mp_reach.afi, pa.mp_reach.safi)) >= 0)
			said_field(pa.mp_reach.nlri, bgp_af_addr(af),
			    ctx->addpath_rx[af]);
	}
}

/* True if the sink holds a route it did not hold at fuzz_peer_mark()
 * and the fuzzed peer never announced. */
static inline bool
fuzz_peer_invented(void)
{
	if (held_full || said_full)
		return false;
	for (size_t i = 0; i < HELD_SLOTS; i++)
		if (held[i].used && held[i].present && !held[i].marked &&
		    !said_has(&held[i].pfx))
			return true;
	return false;
}

/*
 * Start an input: take its selector byte off the front (false if there
 * is none), forget the last input, and set the log level
 * (FUZZ_SESSION_LOG=1: the sessions' log, to look at an input).
 */
static inline void fuzz_peer_reset(void);

static inline bool
fuzz_peer_begin(const uint8_t **data, size_t *size, uint8_t *sel)
{
	if (*size < 1)
		return false;
	log_set_level(getenv("FUZZ_SESSION_LOG") ? LOG_LVL_DEBUG : LOG_LVL_ERR);
	*sel = (*data)[0];
	(*data)++;
	(*size)--;
	fuzz_peer_reset();
	return true;
}

/* Forget everything: a new input. */
static inline void
fuzz_peer_reset(void)
{
	memset(said_used, 0, sizeof(said_used));
	nsaid = 0;
	said_full = false;
	memset(held, 0, sizeof(held));
	nheld = nused = 0;
	held_full = sink_closed = false;
	sink_check = true;
	sink_first_as = 0;
	memset(&sink_ctx, 0, sizeof(sink_ctx));
	peer_end.fd = sink_end.fd = -1;
}

/* Remember the routes the sink holds now. */
static inline void
fuzz_peer_mark(void)
{
	for (size_t i = 0; i < HELD_SLOTS; i++)
		held[i].marked = held[i].used && held[i].present;
}

/* True if the sink holds what it held at fuzz_peer_mark() (or too many
 * routes came and went to tell). */
static inline bool
fuzz_peer_same(void)
{
	if (held_full)
		return true;
	for (size_t i = 0; i < HELD_SLOTS; i++)
		if (held[i].used && held[i].present != held[i].marked)
			return false;
	return true;
}

/* The sink's session is as it should be: up, never told to go. */
static inline bool
fuzz_peer_sink_up(const struct session *s)
{
	return !sink_end.eof && !sink_closed &&
	    session_state(s) == SESSION_ESTABLISHED;
}

/* Close our end of e: the peer is gone. */
static inline void
fuzz_peer_close(struct end *e)
{
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
}

#endif
