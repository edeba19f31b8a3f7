/* SPDX-License-Identifier: ISC */
/* tests/speaker/test_config.c - unit tests for src/speaker/config.c: neighbours, templates, processes, errors. */

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "speaker/config.h"

static struct spk_config cfg;

static void
load(const char *text)
{
	if (!spk_config_parse(&cfg, "t.conf", text))
		fail_msg("%s", cfg.errors.s);
}

/* text must be refused with every message of want (NULL-terminated). */
static void
refuse(const char *text, const char *const *want)
{
	assert_false(spk_config_parse(&cfg, "t.conf", text));
	for (; *want != NULL; want++)
		if (strstr(cfg.errors.s, *want) == NULL)
			fail_msg("missing \"%s\" in:\n%s", *want, cfg.errors.s);
	spk_config_free(&cfg);
}

#define PEER                                                          \
	"router-id 1.2.3.4;\nlocal-address 127.0.0.1;\nlocal-as 1;\n" \
	"peer-as 2;\n"

static void
test_config_corpus_accepted(void **state)
{
	const char *shared = getenv("VRS_SHARED_DIR");
	char dir[1024], path[2048];
	struct dirent *de;
	int n = 0;
	DIR *d;

	(void)state;
	if (shared == NULL)
		skip();
	snprintf(dir, sizeof(dir), "%s/conformance/exabgp/etc/exabgp", shared);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".conf") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!spk_config_load(&cfg, path))
			fail_msg("%s", cfg.errors.s);
		assert_true(cfg.nneighbors >= 1);
		spk_config_free(&cfg);
		n++;
	}
	closedir(d);
	assert_true(n >= 30);
}

static void
test_config_neighbor_defaults(void **state)
{
	const struct spk_neighbor *n;

	(void)state;
	load("neighbor 10.0.0.1 { local-address 10.0.0.2; local-as 65000; "
	     "peer-as 65001; }");
	n = cfg.neighbors[0];
	assert_int_equal(n->hold_time, 180);
	assert_true(n->group_updates);
	assert_true(n->adj_rib_in && n->adj_rib_out);
	assert_false(n->manual_eor || n->passive);
	assert_true(n->capa.asn4);
	assert_false(n->capa.graceful_restart);
	assert_int_equal(n->capa.nexthop, 0);
	/* router-id from the local address; every family without a block */
	assert_memory_equal(n->router_id, ((uint8_t[]){ 10, 0, 0, 2 }), 4);
	assert_true(n->all_families);
	assert_true(spk_neighbor_has_family(n, SPK_AFI_IPV6, 1));
	assert_int_equal(n->outgoing_ttl, -1);
	spk_config_free(&cfg);
}

static void
test_config_neighbor_settings(void **state)
{
	const struct spk_neighbor *n;

	(void)state;
	load("neighbor 10.0.0.1 {\n" PEER
	     "description \"two words\";\nhold-time 30;\npassive;\n"
	     "listen 1790;\nconnect 1791;\nmd5-password abc123;\n"
	     "outgoing-ttl 5;\nincoming-ttl disable;\ngroup-updates false;\n"
	     "adj-rib-in false;\nmanual-eor true;\nhost-name rtr-a;\n"
	     "domain-name example.com;\nlocal-address 10.0.0.2;\n"
	     "family { ipv4 unicast; ipv6 unicast; }\n"
	     "capability { asn4 disable; route-refresh; graceful-restart 360; "
	     "add-path send/receive; multi-session enable; }\n"
	     "nexthop { ipv4 unicast ipv6; }\n}\n");
	n = cfg.neighbors[0];
	assert_string_equal(n->description, "two words");
	assert_int_equal(n->hold_time, 30);
	assert_true(n->passive);
	assert_int_equal(n->listen, 1790);
	assert_int_equal(n->connect, 1791);
	assert_string_equal(n->md5_password, "abc123");
	assert_int_equal(n->outgoing_ttl, 5);
	assert_int_equal(n->incoming_ttl, -1);
	assert_false(n->group_updates || n->adj_rib_in);
	assert_true(n->manual_eor);
	assert_string_equal(n->host_name, "rtr-a");
	assert_string_equal(n->domain_name, "example.com");
	assert_int_equal(n->nfamilies, 2);
	assert_false(n->all_families);
	assert_false(n->capa.asn4);
	assert_true(n->capa.route_refresh && n->capa.multi_session);
	assert_true(n->capa.graceful_restart);
	assert_int_equal(n->capa.gr_time, 360);
	assert_int_equal(n->capa.add_path, SPK_ADDPATH_BOTH);
	/* a nexthop block turns the capability on (ExaBGP) */
	assert_int_equal(n->capa.nexthop, 1);
	assert_int_equal(n->nnexthops, 1);
	assert_int_equal(n->nexthops[0].nhafi, SPK_AFI_IPV6);
	spk_config_free(&cfg);
}

static void
test_config_template_overrides(void **state)
{
	const struct spk_neighbor *n;

	/*
	 * ExaBGP 4.2 lays the template over the neighbour: its hold-time
	 * wins; lists (routes, families) are the neighbour's then the
	 * template's, templates in inherit order.
	 */
	(void)state;
	load("template {\n neighbor a {\n  hold-time 30;\n"
	     "  family { ipv6 unicast; }\n"
	     "  static { route 1.0.0.0/8 next-hop 9.9.9.9; }\n }\n"
	     " neighbor b { static { route 2.0.0.0/8 next-hop 9.9.9.9; } }\n}\n"
	     "neighbor 10.0.0.1 {\n inherit a;\n inherit b;\n" PEER
	     " hold-time 60;\n family { ipv4 unicast; }\n"
	     " static { route 3.0.0.0/8 next-hop 9.9.9.9; }\n}\n");
	n = cfg.neighbors[0];
	assert_int_equal(n->hold_time, 30);
	assert_int_equal(n->nfamilies, 2);
	assert_int_equal(n->nroutes, 3);
	assert_int_equal(n->routes[0]->pfx.a[0], 3);
	assert_int_equal(n->routes[1]->pfx.a[0], 1);
	assert_int_equal(n->routes[2]->pfx.a[0], 2);
	spk_config_free(&cfg);
}

static void
test_config_processes_and_api(void **state)
{
	const struct spk_neighbor *n;
	const struct spk_process *p;

	(void)state;
	load("process one { run /usr/bin/env python3 -u x.py; encoder text; "
	     "respawn false; }\n"
	     "process two { run ./two.run; encoder json; }\n"
	     "template { neighbor t { api speaking { processes [ one, two ]; "
	     "receive { parsed; update; } send { packets; } } } }\n"
	     "neighbor 10.0.0.1 {\n inherit t;\n" PEER
	     " api { processes [ two ]; neighbor-changes; }\n}\n");
	assert_int_equal(cfg.nprocs, 2);
	p = spk_config_process(&cfg, "one");
	assert_non_null(p);
	assert_int_equal(p->argc, 4);
	assert_string_equal(p->argv[0], "/usr/bin/env");
	assert_string_equal(p->run, "/usr/bin/env python3 -u x.py");
	assert_false(p->json || p->respawn);
	p = spk_config_process(&cfg, "two");
	assert_true(p->json && p->respawn);
	n = cfg.neighbors[0];
	assert_int_equal(n->napis, 2);
	assert_null(n->apis[0]->name);
	assert_true(n->apis[0]->neighbor_changes);
	assert_string_equal(n->apis[1]->name, "speaking");
	assert_int_equal(n->apis[1]->nprocs, 2);
	assert_string_equal(n->apis[1]->procs[1], "two");
	assert_int_equal(n->apis[1]->receive, SPK_API_PARSED | SPK_API_UPDATE);
	assert_int_equal(n->apis[1]->send, SPK_API_PACKETS);
	spk_config_free(&cfg);
}

static void
test_config_announce_block(void **state)
{
	const struct spk_neighbor *n;

	(void)state;
	load("neighbor 10.0.0.1 {\n" PEER
	     " announce { ipv4 { unicast 10.0.1.0/24 next-hop 10.0.255.254; } "
	     "ipv6 { unicast 2001:db8::/32 next-hop 2001:db8::1; } }\n"
	     " static { route 10.0.2.0/24 { next-hop self; med 5; } }\n}\n");
	n = cfg.neighbors[0];
	assert_int_equal(n->nroutes, 3);
	assert_int_equal(n->routes[1]->pfx.af, ADDR_V6);
	assert_true(n->routes[2]->nexthop_self);
	assert_int_equal(n->routes[2]->med, 5);
	spk_config_free(&cfg);
}

static void
test_config_errors_all_reported(void **state)
{
	static const char *const want[] = {
		"t.conf:2:11: invalid hold-time 2 (0 or 3-65535)",
		"t.conf:3:1: unknown keyword hold (expected description,",
		"t.conf:4:10: invalid local-as x (0-4294967295 or HIGH.LOW)",
		"t.conf:5:15: invalid group-updates maybe (true, enable, "
		"enabled, false, disable or disabled)",
		"t.conf:6:14: unknown capability asn5 (expected asn4,",
		"t.conf:7:10: invalid afi/safi pair ipv4/unicorn",
		NULL,
	};

	(void)state;
	refuse("neighbor 10.0.0.1 {\nhold-time 2;\nhold 5;\nlocal-as x;\n"
	       "group-updates maybe;\ncapability { asn5; }\n"
	       "family { ipv4 unicorn; }\n}\n",
	    want);
}

static void
test_config_incomplete_neighbors(void **state)
{
	static const char *const no_as[] = {
		"t.conf:1:1: incomplete neighbor, missing local-as", NULL
	};
	static const char *const no_rid[] = { "missing router-id for the peer",
		NULL };
	static const char *const range[] = {
		"can only use ip ranges for the peer address with passive "
		"neighbors",
		NULL
	};
	static const char *const v6route[] = {
		"t.conf:7:16: trying to announce 2001:db8::/32 (ipv6 unicast) "
		"when the family is not announced to the peer",
		NULL
	};
	static const char *const proc[] = {
		"the neighbor is using the process nope which is not defined",
		NULL
	};
	static const char *const tmpl[] = { "t.conf:1:29: unknown template x",
		NULL };

	(void)state;
	refuse(
	    "neighbor 10.0.0.1 { local-address 10.0.0.2; peer-as 1; }", no_as);
	refuse("neighbor ::1 { local-address ::2; local-as 1; peer-as 1; }",
	    no_rid);
	refuse("neighbor 10.0.0.0/24 { " PEER " }", range);
	refuse("neighbor 10.0.0.1 {\n" PEER "family { ipv4 unicast; }\n"
	       "static { route 2001:db8::/32 next-hop ::1; }\n}\n",
	    v6route);
	refuse(
	    "neighbor 10.0.0.1 { " PEER " api { processes [ nope ]; } }", proc);
	refuse("neighbor 10.0.0.1 { inherit x; " PEER " }", tmpl);
}

static void
test_config_process_errors(void **state)
{
	static const char *const enc[] = {
		"t.conf:1:30: invalid encoder xml (text or json)",
		"t.conf:1:1: unset process sections: encoder", NULL
	};
	static const char *const dup[] = {
		"t.conf:2:9: a process section called \"p\" already exists",
		NULL
	};

	(void)state;
	refuse("process p { run ./x; encoder xml; }", enc);
	refuse("process p { run ./x; encoder json; }\n"
	       "process p { run ./x; encoder json; }",
	    dup);
}

static void
test_config_unclosed_last_block(void **state)
{
	/* conf-split.conf lacks its final '}': ExaBGP accepts that */
	(void)state;
	load("neighbor 10.0.0.1 {\n" PEER
	     "static {\nroute 10.0.0.0/8 next-hop 1.1.1.1;\n}\n");
	assert_int_equal(cfg.neighbors[0]->nroutes, 1);
	spk_config_free(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_corpus_accepted),
		cmocka_unit_test(test_config_neighbor_defaults),
		cmocka_unit_test(test_config_neighbor_settings),
		cmocka_unit_test(test_config_template_overrides),
		cmocka_unit_test(test_config_processes_and_api),
		cmocka_unit_test(test_config_announce_block),
		cmocka_unit_test(test_config_errors_all_reported),
		cmocka_unit_test(test_config_incomplete_neighbors),
		cmocka_unit_test(test_config_process_errors),
		cmocka_unit_test(test_config_unclosed_last_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
