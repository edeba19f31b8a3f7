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
 * and the connection is closed (fuzz_peer.h).  Everything runs for real: framing, the
 * FSM, RFC 7606, the RIB, best path, export and the down path.
 *
 * The route server must keep its promises to the sink, whatever the
 * other peer sent:
 *   - the sink's session stays up: no NOTIFICATION, no close;
 *   - every UPDATE it is sent decodes without error and without an RFC
 *     7606 outcome (a route server never sends what a correct peer
 *     must treat as withdrawn or discard);
 *   - every route it is sent was announced by the fuzzed peer, and its
 *     path starts with that peer's AS (transparent: RFC 7947 2.2);
 *   - once the fuzzed peer is gone (unless graceful restart keeps its
 *     routes, stale), every route the sink was sent has been withdrawn.
 */

#include <string.h>

#include <event2/event.h>

#include "bgp/bgp.h"
#include "bgp/update.h"
#include "fuzz.h"
#include "fuzz_peer.h"
#include "lib/log.h"
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

#define RS_AS    65515u
#define SINK_AS  65002u
#define PEER_AS  65001u
#define PEER_AS4 4200000001u

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

	if (!fuzz_peer_begin(&data, &size, &sel))
		return 0;
	peer_as = (sel & SESS_BIG_AS) ? PEER_AS4 : PEER_AS;
	sink_ctx.as4 = (sel & SESS_SINK_AS4) != 0;
	sink_ctx.ebgp = true;
	sink_first_as = peer_as; /* transparent: its client's */
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
	if (fuzz_peer_connect(d, ss, &sink_end)) {
		n = fuzz_peer_open(open_buf, sizeof(open_buf), SINK_AS,
		    0x0a000002, (sel & SESS_SINK_AS4), (sel & SESS_SINK_AP),
		    false);
		fuzz_peer_run(base, &sink_end, open_buf, n);
		if (!fuzz_peer_sink_up(ss))
			fuzz_fail("session: the sink did not get Established");
		fuzz_peer_mark();
	}
	/* then the fuzzed peer: its OPEN, KEEPALIVE and the input */
	if (sink_end.fd >= 0 && fuzz_peer_connect(d, ps, &peer_end)) {
		if (!(sel & SESS_RAW)) {
			n = fuzz_peer_open(open_buf, sizeof(open_buf), peer_as,
			    0x0a000003, (sel & SESS_AS4), (sel & SESS_ADDPATH),
			    (sel & SESS_GR));
			fuzz_peer_run(base, &peer_end, open_buf, n);
		}
		fuzz_peer_run(base, &peer_end, data, size);
		/* what it announced, read as the session negotiated */
		fuzz_peer_said(data, size, &ps->ctx, session_max_len(ps));
		if (fuzz_peer_invented())
			fuzz_fail("session: the sink was sent a route nobody "
			          "announced");
		fuzz_peer_close(&peer_end); /* the route server must notice */
		fuzz_peer_run(base, &peer_end, NULL, 0);
		if (!fuzz_peer_sink_up(ss))
			fuzz_fail("session: the sink's session went down");
		/* graceful restart (negotiated, whatever sel said) keeps
		 * the peer's routes, stale, for its restart time */
		if (!ps->stale[BGP_AF_IPV4] && !ps->stale[BGP_AF_IPV6] &&
		    !fuzz_peer_same())
			fuzz_fail("session: the sink kept a route of a peer "
			          "that is gone");
	}
	bgpd_free(d);
	fuzz_peer_close(&sink_end);
	event_base_free(base);
	return 0;
}
