/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_speaker.c - libFuzzer target: vrs-speaker's session with a hostile peer, and what its API processes are told. */

/*
 * Input: a selector byte (SPK_* below), then the bytes a peer sends.
 * vrs-speaker runs for real (src/speaker/engine.c, api.c) with the
 * configuration below: one passive neighbour with an Adj-RIB-In, static
 * routes, and three API processes told everything (parsed messages,
 * raw packets, consolidated, neighbour changes; JSON and text).  The
 * processes are not started: each one's stdin is a bufferevent pair
 * whose other end the harness reads (spk_api_start_with).  The session
 * takes one end of a socketpair (fuzz_peer.h); the harness plays the
 * peer, AS 65515: its OPEN and KEEPALIVE (unless SPK_RAW), the input,
 * then its close.  Checks:
 *   - every UPDATE the speaker sends decodes without a reset and without
 *     an RFC 7606 outcome (fuzz_peer.h's sink, the same connection);
 *   - every line a JSON process is told parses as JSON (fuzz_json.h),
 *     the way a program reading ExaBGP's API takes it;
 *   - `show adj-rib in extensive` and `show neighbor extensive` print.
 */

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_json.h"
#include "fuzz_peer.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "speaker/show.h"
#include "speaker/spk_int.h"

#define SPK_AS4     0x01 /* the peer offers 4-octet AS */
#define SPK_ADDPATH 0x02 /* ... and ADD-PATH send/receive */
#define SPK_RAW     0x40 /* no OPEN, KEEPALIVE of ours: input is all */

static const char config[] =
    "process pj { run /bin/true; encoder json; }\n"
    "process pt { run /bin/true; encoder text; }\n"
    "process pc { run /bin/true; encoder json; }\n"
    "neighbor 127.0.0.1 {\n"
    "  router-id 10.0.0.1; local-address 127.0.0.2;\n"
    "  local-as 65010; peer-as 65515; passive;\n"
    "  adj-rib-in true;\n"
    "  family { ipv4 unicast; ipv6 unicast; }\n"
    "  capability { add-path send/receive; route-refresh;\n"
    "    graceful-restart 120; }\n"
    "  api a1 { processes [ pj pt ]; neighbor-changes;\n"
    "    receive { parsed; packets; update; notification; open;\n"
    "      keepalive; refresh; }\n"
    "    send { packets; update; } }\n"
    "  api a2 { processes [ pc ];\n"
    "    receive { packets; consolidate; update; notification; open;\n"
    "      refresh; } }\n"
    "  static {\n"
    "    route 192.168.10.0/24 next-hop self community [65010:1];\n"
    "    route 2001:db8::/32 next-hop 2001:db8::1 as-path [ 65020 ];\n"
    "  }\n"
    "}\n";

static struct spk_config cfg;
static struct spk_env env;

static void
init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	signal(SIGPIPE, SIG_IGN);
	spk_env_init(&env);
	if (!spk_config_parse(&cfg, "fuzz.conf", config)) {
		fprintf(stderr, "%s", cfg.errors.s);
		fuzz_fail("speaker: the configuration is refused");
	}
}

/* What process i was told, line by line: JSON ones must parse. */
static void
told(struct spk *k, struct bufferevent *theirs, int i)
{
	struct evbuffer *in = bufferevent_get_input(theirs);
	struct sbuf out;
	size_t len = evbuffer_get_length(in);

	if (len == 0)
		return;
	sbuf_init(&out);
	sbuf_putn(&out, (const char *)evbuffer_pullup(in, -1), len);
	evbuffer_drain(in, len);
	if (getenv("FUZZ_SESSION_LOG") != NULL && out.s != NULL)
		fprintf(stderr, "%s: %s", k->procs[i].p->name, out.s);
	if (k->procs[i].json)
		fuzz_json_check(&out, 0,
		    "speaker: a process was told JSON "
		    "that does not parse");
	sbuf_fini(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t open_buf[256];
	struct bufferevent *ins[3], *pair[3][2];
	struct bgpd_conf bc = { 0 };
	struct spk_peer *p;
	struct sbuf out;
	struct spk k;
	size_t n;
	uint8_t sel;
	bool ok;
	int i;

	if (!fuzz_peer_begin(&data, &size, &sel))
		return 0;
	init();
	/* what the speaker sends: its UPDATEs, as the peer decodes them */
	sink_check = !(sel & SPK_RAW); /* raw: the facts are the input's */
	sink_ctx.as4 = (sel & SPK_AS4) != 0;
	sink_ctx.ebgp = true;
	/* no first-AS check: as ExaBGP, a configured as-path is sent as it
	 * is, without local-as in front */
	sink_ctx.addpath_rx[BGP_AF_IPV4] = sink_ctx.addpath_rx[BGP_AF_IPV6] =
	    (sel & SPK_ADDPATH) != 0;

	memset(&k, 0, sizeof(k));
	spk_global = &k;
	k.cfg = &cfg;
	k.env = env;
	if ((k.base = event_base_new()) == NULL)
		fuzz_fail("event_base_new");
	arena_init(&k.arena, 65536);
	k.bgp = bgpd_new(k.base, &bc, &spk_ops, &k);
	spk_timers_new(&k);
	if (cfg.nprocs != 3)
		fuzz_fail("speaker: three processes expected");
	for (i = 0; i < 3; i++) {
		if (bufferevent_pair_new(k.base, 0, pair[i]) != 0)
			fuzz_fail("bufferevent_pair_new");
		ins[i] = pair[i][0];
		bufferevent_enable(pair[i][1], EV_READ);
	}
	spk_api_start_with(&k, ins);
	k.npeers = cfg.nneighbors;
	k.peers = xcalloc((size_t)k.npeers + 1, sizeof(*k.peers));
	for (i = 0; i < k.npeers; i++)
		k.peers[i] = spk_peer_new(&k, cfg.neighbors[i]);
	p = k.peers[0];

	if (p->s != NULL && fuzz_peer_connect(k.bgp, p->s, &sink_end)) {
		if (!(sel & SPK_RAW)) {
			n = fuzz_peer_open(open_buf, sizeof(open_buf), 65515,
			    0x0a000002, (sel & SPK_AS4), (sel & SPK_ADDPATH),
			    false);
			fuzz_peer_run(k.base, &sink_end, open_buf, n);
			if (session_state(p->s) != SESSION_ESTABLISHED)
				fuzz_fail("speaker: not Established");
		}
		fuzz_peer_run(k.base, &sink_end, data, size);
		for (i = 0; i < 3; i++)
			told(&k, pair[i][1], i);
		sbuf_init(&out);
		if (!spk_show_command(
		        &k, "show adj-rib in extensive", &out, &ok) ||
		    !spk_show_command(&k, "show neighbor extensive", &out, &ok))
			fuzz_fail("speaker: a show command is not one");
		sbuf_fini(&out);
		fuzz_peer_close(&sink_end); /* gone */
		fuzz_peer_run(k.base, &sink_end, NULL, 0);
		for (i = 0; i < 3; i++)
			told(&k, pair[i][1], i);
	}

	spk_api_stop(&k); /* frees ins[] */
	bgpd_free(k.bgp);
	spk_timers_free(&k);
	for (i = 0; i < 3; i++)
		bufferevent_free(pair[i][1]);
	spk_peers_free(&k);
	free(k.procs);
	event_base_free(k.base);
	arena_fini(&k.arena);
	spk_global = NULL;
	return 0;
}
