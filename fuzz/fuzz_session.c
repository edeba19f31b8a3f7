/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_session.c - libFuzzer target: vrsd's route server fed by a hostile peer. */

/*
 * Input: a selector byte (SESS_* below), then the bytes a peer sends on
 * its connection.  A bgpd with the route server's ops (what vrsd runs,
 * src/session/rs.c) gets two passive peers, each on one end of a
 * socketpair that session_accept() takes as bgpd's listener would: the
 * fuzzed peer and a well-behaved sink.  The sink opens first and reaches
 * Established; then the fuzzed peer's OPEN and KEEPALIVE (unless
 * SESS_RAW: the input is the whole stream, OPEN included) and the input
 * are written to its connection, the event loop runs until nothing moves,
 * and the connection is closed.  Everything runs for real: framing, the
 * FSM, RFC 7606, the RIB, best path, export and the down path.
 *
 * The route server must keep its promises to the sink, whatever the
 * other peer sent:
 *   - the sink's session stays up: no NOTIFICATION, no close;
 *   - every UPDATE it is sent decodes without error and without an RFC
 *     7606 outcome (a route server never sends what a correct peer
 *     must treat as withdrawn or discard);
 *   - once the fuzzed peer is gone (unless graceful restart keeps its
 *     routes, stale), every route the sink was sent has been withdrawn.
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

#define SESS_AS4      0x01 /* the fuzzed peer offers 4-octet AS */
#define SESS_ADDPATH  0x02 /* ... and ADD-PATH send (both families) */
#define SESS_SINK_AS4 0x04 /* the sink offers 4-octet AS */
#define SESS_SINK_AP  0x08 /* ... and ADD-PATH send and receive */
#define SESS_GR       0x10 /* the fuzzed peer restarts gracefully */
#define SESS_LIMIT    0x20 /* a route limit of 8 on the fuzzed peer */
#define SESS_RAW      0x40 /* no OPEN, KEEPALIVE of ours: input is all */
#define SESS_BIG_AS   0x80 /* the fuzzed peer's AS needs 4 octets */

#define RS_AS     65515u
#define SINK_AS   65002u
#define PEER_AS   65001u
#define PEER_AS4  4200000001u
#define ROUNDS    4000 /* of the event loop, at most, per phase */
#define IDLE_STOP 3    /* rounds in a row where nothing moved */

/* Routes the sink holds: (family, prefix, path id), open addressing. */
#define HELD_SLOTS 8192
struct held {
	bool used, present;
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

static size_t
held_hash(const struct prefix *p, uint32_t path_id)
{
	uint32_t h = 2166136261u ^ p->af ^ ((uint32_t)p->len << 8) ^ path_id;

	for (int i = 0; i < 16; i++)
		h = (h ^ p->a[i]) * 16777619u;
	return h & (HELD_SLOTS - 1);
}

static void
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
			*h = (struct held){ true, true, path_id, *p };
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
static void
sink_field(struct rbuf field, uint8_t af, bool addpath, bool present)
{
	struct bgp_nlri n;
	struct bgp_err err;

	while (bgp_nlri_next(&field, af, addpath, &n, &err))
		held_set(&n.pfx, n.path_id, present);
	if (field.len > 0)
		fuzz_fail("session: the sink was sent a malformed NLRI");
}

/* What the sink was sent that it should not have been, and the message. */
static void
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

static void
sink_update(const struct bgp_hdr *h)
{
	static struct bgp_pattrs pa; /* large: off the stack */
	struct bgp_update u;
	struct bgp_err err;
	int af;

	if (!bgp_update_split(h->body, &u, &err) ||
	    !bgp_update_decode(&u, &sink_ctx, &pa, &err))
		sink_fail("session: the sink was sent an UPDATE that resets", h,
		    &err);
	if (pa.outcome != BGP_OUT_OK)
		sink_fail("session: the sink was sent a malformed attribute", h,
		    &pa.err);
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
static void
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
		fuzz_fail("session: the sink was sent a bad header");
	memmove(sink_end.in, in.p, in.len);
	sink_end.len = in.len;
}

/* Read what is there; true if anything moved. */
static bool
end_read(struct end *e, bool keep)
{
	uint8_t junk[4096];
	bool moved = false;
	ssize_t n;

	while (e->fd >= 0 && !e->eof) {
		if (keep && e->len == sizeof(e->in))
			fuzz_fail("session: the sink's input overflows");
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
static bool
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
static void
run(struct event_base *base, struct end *e, const uint8_t *out, size_t outlen)
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
static size_t
open_msg(uint8_t *buf, size_t cap, uint32_t asn, uint32_t id, bool as4,
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
static bool
connect_end(struct bgpd *d, struct session *s, struct end *e)
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

/* A peer as vrsd's configuration makes it (src/vrsd/config.c). */
static void
peer_conf(
    struct session_conf *c, const char *name, const char *addr, uint32_t asn)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	(void)addr_parse(addr, &c->addr);
	c->port = 179;
	c->asn = asn;
	c->passive = true; /* never connects: the sockets are ours */
	c->hold_time = 90;
	c->ipv4 = c->ipv6 = true;
	c->connect_retry = 5;
	/* vrsd offers ADD-PATH receive and is a graceful restart helper */
	c->addpath[BGP_AF_IPV4] = c->addpath[BGP_AF_IPV6] = BGP_ADDPATH_RX;
	c->gr = true;
	c->gr_time = SESSION_GR_TIME;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t open_buf[256];
	struct bgpd_conf bc = {
		.asn = RS_AS, .router_id = 0x0a000001, .transparent = true
	};
	struct session_conf pc, sc;
	struct session *ps, *ss;
	struct event_base *base;
	struct bgpd *d;
	uint32_t peer_as;
	size_t n;
	uint8_t sel;

	if (size < 1)
		return 0;
	/* FUZZ_SESSION_LOG=1: the sessions' log, to look at an input */
	log_set_level(getenv("FUZZ_SESSION_LOG") ? LOG_LVL_DEBUG : LOG_LVL_ERR);
	sel = data[0];
	data++;
	size--;
	peer_as = (sel & SESS_BIG_AS) ? PEER_AS4 : PEER_AS;
	memset(held, 0, sizeof(held));
	nheld = nused = 0;
	held_full = sink_closed = false;
	memset(&sink_ctx, 0, sizeof(sink_ctx));
	sink_ctx.as4 = (sel & SESS_SINK_AS4) != 0;
	sink_ctx.ebgp = true;
	/* vrsd receives path identifiers but never sends them */

	if ((base = event_base_new()) == NULL)
		return 0;
	d = bgpd_new(base, &bc, &rs_ops, NULL);
	peer_conf(&sc, "sink", "127.0.0.2", SINK_AS);
	peer_conf(&pc, "fz", "127.0.0.1", peer_as);
	if (sel & SESS_LIMIT)
		pc.max_prefixes = 8;
	ss = bgpd_peer_add(d, &sc);
	ps = bgpd_peer_add(d, &pc);
	if (ss == NULL || ps == NULL)
		fuzz_fail("session: bgpd refused a peer");

	/* the sink first: Established, and sent whatever there is */
	if (connect_end(d, ss, &sink_end)) {
		n = open_msg(open_buf, sizeof(open_buf), SINK_AS, 0x0a000002,
		    (sel & SESS_SINK_AS4), (sel & SESS_SINK_AP), false);
		run(base, &sink_end, open_buf, n);
		if (session_state(ss) != SESSION_ESTABLISHED)
			fuzz_fail("session: the sink did not get Established");
	}
	/* then the fuzzed peer: its OPEN, KEEPALIVE and the input */
	if (sink_end.fd >= 0 && connect_end(d, ps, &peer_end)) {
		if (!(sel & SESS_RAW)) {
			n = open_msg(open_buf, sizeof(open_buf), peer_as,
			    0x0a000003, (sel & SESS_AS4), (sel & SESS_ADDPATH),
			    (sel & SESS_GR));
			run(base, &peer_end, open_buf, n);
		}
		run(base, &peer_end, data, size);
		close(peer_end.fd); /* gone: the route server must notice */
		peer_end.fd = -1;
		run(base, &peer_end, NULL, 0);
		if (sink_end.eof || sink_closed ||
		    session_state(ss) != SESSION_ESTABLISHED)
			fuzz_fail("session: the sink's session went down");
		/* graceful restart (negotiated, whatever sel said) keeps
		 * the peer's routes, stale, for its restart time */
		if (!ps->stale[BGP_AF_IPV4] && !ps->stale[BGP_AF_IPV6] &&
		    !held_full && nheld != 0)
			fuzz_fail("session: the sink kept a route of a peer "
			          "that is gone");
	}
	bgpd_free(d);
	if (sink_end.fd >= 0)
		close(sink_end.fd);
	sink_end.fd = -1;
	event_base_free(base);
	return 0;
}
