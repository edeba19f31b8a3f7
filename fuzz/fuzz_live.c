/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_live.c - libFuzzer target: the lab's route server and VPN gateway over live BGP, fed by a hostile peer. */

/*
 * Input: a selector byte (LIVE_* below), then the bytes a peer sends.
 * vrsd's mode: ars for real (src/gateway/live.c): spec 9's topology
 * (fuzz_topo.h), its fabric and route servers' store, both instances of
 * the route server and the VPN gateway as BGP speakers, programmed as
 * vrsd programs them (api_sync).  Their sessions take socketpairs
 * (fuzz_peer.h); the listeners are on loopback, port 0, and the
 * gateways' connections to the instances find nobody there, except
 * with LIVE_LINK: then vpngw-0 and IN_0 get a socketpair of their own
 * and the routes of a site reach the route server (and, with
 * branch-to-branch, nva2), as on Azure.
 *
 * nva2 is the sink on instance IN_0: it reaches Established and is sent
 * the VNets' routes.  Then the fuzzed peer comes: nva1 on IN_0, or with
 * LIVE_SITE the on-premises site onprem (AS 65501) on the gateway's
 * first address; its OPEN and KEEPALIVE (unless LIVE_RAW), the input,
 * and its close.  Afterwards:
 *   - the sink's session is up, was sent nothing malformed, no path that
 *     does not start with 65515, and no route it did not have before that
 *     the peer did not announce (fuzz_peer.h);
 *   - the sink holds exactly the routes it held before the peer came,
 *     and every NIC's effective routes are those of before, byte for
 *     byte: a peer that is gone leaves nothing behind, in the store, on
 *     the wire or in the fabric.
 */

#include <jansson.h>
#include <string.h>

#include "fabric/fabric.h"
#include "fuzz.h"
#include "fuzz_peer.h"
#include "fuzz_topo.h"
#include "gateway/gw.h"
#include "gateway/live.h"
#include "lib/log.h"
#include "lib/sbuf.h"
#include "routeserver/ars.h"
#include "topology/topology.h"

#define LIVE_AS4      0x01 /* the fuzzed peer offers 4-octet AS */
#define LIVE_B2B      0x02 /* the route server's branch-to-branch on */
#define LIVE_SINK_AS4 0x04 /* the sink offers 4-octet AS */
#define LIVE_SITE     0x08 /* the fuzzed peer is onprem, at vpngw */
#define LIVE_LINK     0x10 /* vpngw-0 and IN_0 have their session */
#define LIVE_RAW      0x40 /* no OPEN, KEEPALIVE of ours: input is all */

struct lab {
	struct topo *t;
	struct fabric *f;
	struct ars *a;
	struct live *lv;
	/* found by live_walk: the sink, the fuzzed peer, the two ends of
	 * the gateway's session with the instance */
	struct session *want[4];
	const char *names[4];
};

/* What vrsd's api_sync does when the store changed. */
static void
program(void *arg)
{
	struct lab *l = arg;

	ars_program_begin(l->a);
	ars_program(l->a, l->t, l->f);
	gw_program(l->a, l->t, l->f);
	ars_program_end(l->a, l->f);
	live_sync(l->lv);
}

static void
find(void *arg, struct session *s, const struct ipaddr *ip, size_t nin,
    size_t nout)
{
	struct lab *l = arg;

	(void)ip;
	(void)nin;
	(void)nout;
	for (int i = 0; i < 4; i++)
		if (strcmp(session_conf(s)->name, l->names[i]) == 0)
			l->want[i] = s;
}

/* Give sessions a and b (of two speakers) the two ends of a socketpair:
 * each takes it as an accepted connection, and they talk BGP. */
static void
pair(struct session *a, struct session *b)
{
	struct bufferevent *bev;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		fuzz_fail("socketpair");
	for (int i = 0; i < 2; i++) {
		struct session *s = i == 0 ? a : b;

		evutil_make_socket_nonblocking(sv[i]);
		bev = bufferevent_socket_new(
		    bgpd_base(s->d), sv[i], BEV_OPT_CLOSE_ON_FREE);
		if (bev == NULL)
			fuzz_fail("bufferevent_socket_new");
		session_accept(s, bev);
	}
}

/* Every NIC's effective routes, as the API prints them. */
static void
tables(struct lab *l, struct sbuf *out)
{
	struct fab_table tab;
	json_t *j;
	char *txt;

	for (size_t i = 0; i < l->t->nnics; i++) {
		if (!fab_nic_effective_routes(l->f, l->t->nics[i].name, &tab))
			continue;
		j = fab_table_to_json(&tab);
		txt = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
		sbuf_printf(out, "%s: %s\n", l->t->nics[i].name,
		    txt != NULL ? txt : "");
		free(txt);
		json_decref(j);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t open_buf[256];
	struct live_conf lc = { 0 };
	struct lab l = { 0 };
	struct sbuf before, after;
	struct event_base *base;
	struct topo_err err;
	json_t *doc;
	uint32_t peer_as;
	size_t n;
	uint8_t sel;

	if (!fuzz_peer_begin(&data, &size, &sel))
		return 0;
	sink_ctx.as4 = (sel & LIVE_SINK_AS4) != 0;
	sink_ctx.ebgp = true;
	sink_first_as = 65515; /* the route server's (R1.4) */

	doc = json_loads(fuzz_spec_topo, 0, NULL);
	if (doc == NULL || !topo_from_json(doc, &l.t, &err))
		fuzz_fail("spec 9's topology is refused");
	json_decref(doc);
	if (sel & LIVE_B2B)
		l.t->rservers[0].b2b = true;
	l.f = fab_new(l.t);
	l.a = ars_new();
	if ((base = event_base_new()) == NULL)
		fuzz_fail("event_base_new");
	lc.port = 0; /* listeners on loopback, ephemeral ports */
	lc.program = program;
	lc.arg = &l;
	lc.instance = -1;
	l.lv = live_new(base, &lc, l.t, l.a);
	program(&l);
	l.names[0] = "ars/IN_0/nva2";
	l.names[1] = (sel & LIVE_SITE) ? "vpngw-0/onprem" : "ars/IN_0/nva1";
	l.names[2] = "ars/IN_0/vpngw-0";
	l.names[3] = "vpngw-0/ars/IN_0";
	peer_as = (sel & LIVE_SITE) ? 65501 : 65001;
	live_walk(l.lv, find, &l);
	for (int i = 0; i < 4; i++)
		if (l.want[i] == NULL)
			fuzz_fail("live: a session of spec 9's topology is "
			          "missing");
	if (sel & LIVE_LINK) {
		pair(l.want[2], l.want[3]);
		fuzz_peer_run(base, &sink_end, NULL, 0);
		if (session_state(l.want[2]) != SESSION_ESTABLISHED ||
		    session_state(l.want[3]) != SESSION_ESTABLISHED)
			fuzz_fail("live: the gateway's session with the route "
			          "server did not get Established");
	}

	sbuf_init(&before);
	sbuf_init(&after);
	if (fuzz_peer_connect(l.want[0]->d, l.want[0], &sink_end)) {
		n = fuzz_peer_open(open_buf, sizeof(open_buf), 65002,
		    0x0a010205, (sel & LIVE_SINK_AS4), false, false);
		fuzz_peer_run(base, &sink_end, open_buf, n);
		if (!fuzz_peer_sink_up(l.want[0]))
			fuzz_fail("live: the sink did not get Established");
		fuzz_peer_mark();
		tables(&l, &before);
	}
	if (sink_end.fd >= 0 &&
	    fuzz_peer_connect(l.want[1]->d, l.want[1], &peer_end)) {
		if (!(sel & LIVE_RAW)) {
			n = fuzz_peer_open(open_buf, sizeof(open_buf), peer_as,
			    0x0a010204, (sel & LIVE_AS4), false, false);
			fuzz_peer_run(base, &peer_end, open_buf, n);
		}
		fuzz_peer_run(base, &peer_end, data, size);
		/* what it announced, read as the session negotiated */
		fuzz_peer_said(
		    data, size, &l.want[1]->ctx, session_max_len(l.want[1]));
		if (fuzz_peer_invented())
			fuzz_fail("live: the sink was sent a route nobody "
			          "announced");
		fuzz_peer_close(&peer_end); /* gone: its routes must go */
		fuzz_peer_run(base, &peer_end, NULL, 0);
		if (!fuzz_peer_sink_up(l.want[0]))
			fuzz_fail("live: the sink's session went down");
		if (!fuzz_peer_same())
			fuzz_fail("live: the sink's routes changed for good");
		tables(&l, &after);
		if (strcmp(before.s != NULL ? before.s : "",
		        after.s != NULL ? after.s : "") != 0)
			fuzz_fail(
			    "live: the effective routes changed for good");
	}
	sbuf_fini(&before);
	sbuf_fini(&after);
	live_free(l.lv);
	fuzz_peer_close(&sink_end);
	event_base_free(base);
	ars_free(l.a);
	fab_free(l.f);
	topo_free(l.t);
	return 0;
}
