/* SPDX-License-Identifier: ISC */
/* tests/routeserver/test_ars.c - the route server's rules of spec section 2, and spec 9's scenarios. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../fabric/fab.h"
#include "routeserver/ars.h"

struct env {
	struct topo *t;
	struct fabric *f;
	struct ars *a;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	e->t = spec_topo();
	e->f = fab_new(e->t);
	e->a = ars_new();
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;

	ars_free(e->a);
	fab_free(e->f);
	topo_free(e->t);
	free(e);
	return 0;
}

static void
sync(struct env *e)
{
	ars_program_begin(e->a);
	ars_program(e->a, e->t, e->f);
	ars_program_end(e->a, e->f);
}

/* A path "pfx" from asn path "65001 65002" (NULL: the peer's AS). */
static struct ars_path
path(const char *pfx, const char *nh, const char *as)
{
	struct ars_path p;
	char buf[128], *w, *save = NULL;

	memset(&p, 0, sizeof(p));
	if (prefix_parse(pfx, &p.pfx, 0) != NULL)
		fail_msg("bad prefix %s", pfx);
	p.nexthop = A(nh);
	snprintf(buf, sizeof(buf), "%s", as);
	for (w = strtok_r(buf, " ", &save); w != NULL;
	     w = strtok_r(NULL, " ", &save))
		p.as[p.nas++] = (uint32_t)strtoul(w, NULL, 10);
	return p;
}

/* Announce one path on both instances. */
static void
announce(struct env *e, const char *peer, const struct ars_path *p, size_t n)
{
	ars_set(e->a, "ars", peer, 0, p, n);
	ars_set(e->a, "ars", peer, 1, p, n);
	sync(e);
}

static const struct topo_routeserver *
rs(struct env *e)
{
	return topo_routeserver_lookup(e->t, "ars");
}

/* Entries of instance inst in a learned/advertised view. */
static json_t *
inst(json_t *j, int i)
{
	return json_object_get(
	    j, i ? "RouteServiceRole_IN_1" : "RouteServiceRole_IN_0");
}

/* The entry of list for network, NULL if none. */
static json_t *
entry(json_t *list, const char *net)
{
	json_t *r;
	size_t i;

	json_array_foreach(list, i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "network")),
		        net) == 0)
			return r;
	}
	return NULL;
}

static const char *
str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "(none)";
}

static void
test_verdicts(void **state)
{
	struct ars_path p = path("192.168.10.0/24", "10.1.2.4", "65001");

	(void)state;
	assert_int_equal(ars_check(&p), ARS_ACCEPT);
	p = path("172.20.0.0/16", "10.1.2.4", "65001 65515");
	assert_int_equal(ars_check(&p), ARS_REJ_OWN_AS);
	p = path("172.20.0.0/16", "10.1.2.4", "65001 0");
	assert_int_equal(ars_check(&p), ARS_REJ_AS0);
	p = path("2001:db8::/32", "10.1.2.4", "65001");
	assert_int_equal(ars_check(&p), ARS_REJ_FAMILY);
	assert_non_null(strstr(ars_verdict_text(ARS_REJ_OWN_AS), "R2.4"));
}

/* T1: the VNet set, per instance, with the instance's own next hop. */
static void
test_t1_baseline(void **state)
{
	struct env *e = *state;
	json_t *j = ars_advertised_json(e->a, e->t, rs(e), "nva1"), *r;

	assert_int_equal(json_array_size(inst(j, 0)), 2);
	assert_int_equal(json_array_size(inst(j, 1)), 2);
	r = entry(inst(j, 0), "10.1.0.0/16");
	assert_non_null(r);
	assert_string_equal(str(r, "asPath"), "65515");
	assert_string_equal(str(r, "nextHop"), "10.1.1.4");
	assert_string_equal(str(r, "localAddress"), "10.1.1.4");
	assert_string_equal(str(r, "origin"), "Igp");
	assert_int_equal(json_integer_value(json_object_get(r, "weight")), 0);
	assert_non_null(entry(inst(j, 0), "10.2.0.0/16"));
	assert_null(entry(inst(j, 0), "10.3.0.0/16")); /* no transit */
	r = entry(inst(j, 1), "10.2.0.0/16");
	assert_string_equal(str(r, "nextHop"), "10.1.1.5");
	json_decref(j);
}

/* T2: learned per instance, programmed into hub and spoke1, not spoke2. */
static void
test_t2_learned_and_programmed(void **state)
{
	struct env *e = *state;
	struct ars_path p = path("192.168.10.0/24", "10.1.2.4", "65001");
	json_t *j, *r;

	announce(e, "nva1", &p, 1);
	j = ars_learned_json(e->a, e->t, rs(e), "nva1");
	assert_int_equal(json_array_size(inst(j, 0)), 1);
	r = entry(inst(j, 1), "192.168.10.0/24");
	assert_non_null(r);
	assert_string_equal(str(r, "asPath"), "65001");
	assert_string_equal(str(r, "nextHop"), "10.1.2.4");
	assert_string_equal(str(r, "sourcePeer"), "10.1.2.4");
	assert_string_equal(str(r, "origin"), "EBgp");
	assert_string_equal(str(r, "localAddress"), "10.1.1.5");
	assert_int_equal(
	    json_integer_value(json_object_get(r, "weight")), 32768);
	json_decref(j);
	j = ars_learned_json(e->a, e->t, rs(e), "nva2");
	assert_int_equal(json_array_size(inst(j, 0)), 0);
	json_decref(j);

	assert_int_equal(
	    nrows(e->f, "vmh-nic", "192.168.10.0/24", "10.1.2.4"), 1);
	assert_int_equal(
	    nrows(e->f, "vm1-nic", "192.168.10.0/24", "10.1.2.4"), 1);
	assert_int_equal(nrows(e->f, "nva2-nic", "192.168.10.0/24", NULL), 1);
	assert_int_equal(nrows(e->f, "vm2-nic", "192.168.10.0/24", NULL), 0);
}

/* T3: the same prefix from both NVAs, same length: ECMP. */
static void
test_t3_ecmp(void **state)
{
	struct env *e = *state;
	struct ars_path p1 = path("192.168.10.0/24", "10.1.2.4", "65001");
	struct ars_path p2 = path("192.168.10.0/24", "10.1.2.5", "65002");

	announce(e, "nva1", &p1, 1);
	announce(e, "nva2", &p2, 1);
	assert_int_equal(
	    nrows(e->f, "vmh-nic", "192.168.10.0/24", "10.1.2.4"), 1);
	assert_int_equal(
	    nrows(e->f, "vm1-nic", "192.168.10.0/24", "10.1.2.5"), 1);
	assert_int_equal(nrows(e->f, "vm1-nic", "192.168.10.0/24", NULL), 2);
}

/* T5: reflected to the other NVA with 65515 prepended, never back. */
static void
test_t5_reflection(void **state)
{
	struct env *e = *state;
	struct ars_path p = path("192.168.10.0/24", "10.1.2.4", "65001");
	json_t *j, *r;

	announce(e, "nva1", &p, 1);
	j = ars_advertised_json(e->a, e->t, rs(e), "nva2");
	r = entry(inst(j, 0), "192.168.10.0/24");
	assert_non_null(r);
	assert_string_equal(str(r, "asPath"), "65515-65001");
	assert_string_equal(str(r, "nextHop"), "10.1.1.4");
	assert_string_equal(
	    str(entry(inst(j, 1), "192.168.10.0/24"), "nextHop"), "10.1.1.5");
	json_decref(j);
	j = ars_advertised_json(e->a, e->t, rs(e), "nva1");
	assert_null(entry(inst(j, 0), "192.168.10.0/24"));
	assert_null(entry(inst(j, 1), "192.168.10.0/24"));
	json_decref(j);
}

/* T6, T28: refused routes are nowhere. */
static void
test_t6_t28_rejected(void **state)
{
	struct env *e = *state;
	struct ars_path p[3] = { path("172.20.0.0/16", "10.1.2.4",
		                     "65001 65515"),
		path("172.21.0.0/16", "10.1.2.4", "65001 0"),
		path("2001:db8::/32", "10.1.2.4", "65001") };
	json_t *j;

	announce(e, "nva1", p, 3);
	j = ars_learned_json(e->a, e->t, rs(e), "nva1");
	assert_int_equal(json_array_size(inst(j, 0)), 0);
	assert_int_equal(json_array_size(inst(j, 1)), 0);
	json_decref(j);
	j = ars_advertised_json(e->a, e->t, rs(e), "nva2");
	assert_null(entry(inst(j, 0), "172.20.0.0/16"));
	assert_null(entry(inst(j, 0), "172.21.0.0/16"));
	json_decref(j);
	assert_int_equal(nrows(e->f, "vmh-nic", "172.20.0.0/16", NULL), 0);
	assert_int_equal(nrows(e->f, "vmh-nic", "172.21.0.0/16", NULL), 0);
	/* the announced view says why */
	j = ars_announced_json(e->a, e->t, rs(e), "nva1");
	assert_string_equal(
	    str(json_array_get(inst(j, 0), 0), "status"), "Rejected");
	assert_non_null(
	    strstr(str(json_array_get(inst(j, 0), 0), "reason"), "65515"));
	json_decref(j);
}

/* R2.5: NO_ADVERTISE is programmed but advertised to nobody. */
static void
test_no_advertise(void **state)
{
	struct env *e = *state;
	struct ars_path p = path("192.168.20.0/24", "10.1.2.4", "65001");
	json_t *j;

	p.comm[p.ncomm++] = ARS_COMM_NO_ADVERTISE;
	announce(e, "nva1", &p, 1);
	assert_int_equal(nrows(e->f, "vm1-nic", "192.168.20.0/24", NULL), 1);
	j = ars_advertised_json(e->a, e->t, rs(e), "nva2");
	assert_null(entry(inst(j, 0), "192.168.20.0/24"));
	json_decref(j);
}

/* R2.6: inside the VNet set: learned, not programmed, not reflected; a supernet is both. */
static void
test_vnet_set_filter(void **state)
{
	struct env *e = *state;
	struct ars_path p[2] = { path("10.2.5.0/24", "10.1.2.4", "65001"),
		path("10.0.0.0/8", "10.1.2.4", "65001") };
	json_t *j;

	announce(e, "nva1", p, 2);
	j = ars_learned_json(e->a, e->t, rs(e), "nva1");
	assert_non_null(entry(inst(j, 0), "10.2.5.0/24"));
	json_decref(j);
	j = ars_advertised_json(e->a, e->t, rs(e), "nva2");
	assert_null(entry(inst(j, 0), "10.2.5.0/24"));
	assert_non_null(entry(inst(j, 0), "10.0.0.0/8"));
	json_decref(j);
	assert_int_equal(nrows(e->f, "vmh-nic", "10.2.5.0/24", NULL), 0);
	assert_int_equal(nrows(e->f, "vm1-nic", "10.0.0.0/8", "10.1.2.4"), 1);
}

/* R2.7: the longer path is a backup, used when the shorter is withdrawn. */
static void
test_backup_path(void **state)
{
	struct env *e = *state;
	struct ars_path p1 = path("192.168.30.0/24", "10.1.2.4", "65001");
	struct ars_path p2 = path("192.168.30.0/24", "10.1.2.5", "65002 65002");
	json_t *j;

	announce(e, "nva1", &p1, 1);
	announce(e, "nva2", &p2, 1);
	assert_int_equal(nrows(e->f, "vmh-nic", "192.168.30.0/24", NULL), 1);
	assert_int_equal(
	    nrows(e->f, "vmh-nic", "192.168.30.0/24", "10.1.2.4"), 1);
	j = ars_advertised_json(e->a, e->t, rs(e), "nva2");
	assert_string_equal(
	    str(entry(inst(j, 0), "192.168.30.0/24"), "asPath"), "65515-65001");
	json_decref(j);
	/* nva1 has the best path: it hears no copy, not even the backup */
	j = ars_advertised_json(e->a, e->t, rs(e), "nva1");
	assert_null(entry(inst(j, 0), "192.168.30.0/24"));
	json_decref(j);
	announce(e, "nva1", NULL, 0);
	assert_int_equal(
	    nrows(e->f, "vmh-nic", "192.168.30.0/24", "10.1.2.5"), 1);
	j = ars_advertised_json(e->a, e->t, rs(e), "nva1");
	assert_string_equal(str(entry(inst(j, 0), "192.168.30.0/24"), "asPath"),
	    "65515-65002-65002");
	json_decref(j);
}

/* T14: spoke1 stops using the hub's gateways, and back. */
static void
test_t14_use_remote_gateways(void **state)
{
	struct env *e = *state;
	struct ars_path p = path("192.168.10.0/24", "10.1.2.4", "65001");
	json_t *j;

	announce(e, "nva1", &p, 1);
	assert_int_equal(nrows(e->f, "vm1-nic", "192.168.10.0/24", NULL), 1);
	must(put_peering(e->t, "spoke1", "spoke1-to-hub", "hub", false, false));
	sync(e);
	j = ars_advertised_json(e->a, e->t, rs(e), "nva1");
	assert_null(entry(inst(j, 0), "10.2.0.0/16"));
	json_decref(j);
	assert_int_equal(nrows(e->f, "vm1-nic", "192.168.10.0/24", NULL), 0);
	must(put_peering(e->t, "spoke1", "spoke1-to-hub", "hub", false, true));
	sync(e);
	j = ars_advertised_json(e->a, e->t, rs(e), "nva1");
	assert_non_null(entry(inst(j, 0), "10.2.0.0/16"));
	json_decref(j);
	assert_int_equal(nrows(e->f, "vm1-nic", "192.168.10.0/24", NULL), 1);
}

/* T27: one instance only: learned there only, flagged. */
static void
test_t27_one_instance(void **state)
{
	struct env *e = *state;
	struct ars_path p = path("192.168.10.0/24", "10.1.2.4", "65001");
	json_t *j;

	ars_set(e->a, "ars", "nva1", 1, &p, 1);
	sync(e);
	j = ars_learned_json(e->a, e->t, rs(e), "nva1");
	assert_int_equal(json_array_size(inst(j, 0)), 0);
	assert_int_equal(json_array_size(inst(j, 1)), 1);
	json_decref(j);
	j = ars_announced_json(e->a, e->t, rs(e), "nva1");
	assert_non_null(strstr(str(j, "warning"), "one instance"));
	json_decref(j);
	/* the fabric merges both instances: the VMs still get it */
	assert_int_equal(nrows(e->f, "vmh-nic", "192.168.10.0/24", NULL), 1);
}

/* R1.7: both instances, the same routes (reference lab, behaviour 8). */
static void
test_consistency(void **state)
{
	struct env *e = *state;
	struct ars_path p[2] = { path("192.168.10.0/24", "10.1.2.4", "65001"),
		path("192.168.11.0/24", "10.1.2.4", "65001") };
	struct ars_path q[2] = { p[1], p[0] };
	char why[512];

	assert_true(ars_peer_consistent(e->a, "ars", "nva1", why, sizeof(why)));
	ars_set(e->a, "ars", "nva1", 0, p, 2);
	ars_set(e->a, "ars", "nva1", 1, q, 2); /* same routes, other order */
	assert_true(ars_peer_consistent(e->a, "ars", "nva1", why, sizeof(why)));
	q[0] = path("192.168.11.0/24", "10.1.2.4", "65001 65001");
	ars_set(e->a, "ars", "nva1", 1, q, 2);
	assert_false(
	    ars_peer_consistent(e->a, "ars", "nva1", why, sizeof(why)));
	assert_non_null(strstr(why, "different routes"));
	ars_set(e->a, "ars", "nva1", 1, NULL, 0);
	assert_false(
	    ars_peer_consistent(e->a, "ars", "nva1", why, sizeof(why)));
	assert_non_null(strstr(why, "IN_0 only"));
}

/* R1.9: over the route limit the session goes down with all its routes. */
static void
test_route_limit(void **state)
{
	struct env *e = *state;
	struct ars_path *p = calloc(ARS_ROUTES_STRICT + 1, sizeof(*p));
	json_t *j;
	char b[32];
	size_t i;

	for (i = 0; i <= ARS_ROUTES_STRICT; i++) {
		snprintf(
		    b, sizeof(b), "172.%zu.%zu.0/24", 16 + i / 256, i % 256);
		p[i] = path(b, "10.1.2.4", "65001");
	}
	announce(e, "nva1", p, ARS_ROUTES_STRICT);
	assert_int_equal(
	    ars_peer_state(e->a, e->t, rs(e), "nva1"), ARS_PEER_UP);
	assert_int_equal(nrows(e->f, "vmh-nic", "172.16.0.0/24", NULL), 1);
	announce(e, "nva1", p, ARS_ROUTES_STRICT + 1);
	assert_int_equal(
	    ars_peer_state(e->a, e->t, rs(e), "nva1"), ARS_PEER_OVER_LIMIT);
	assert_int_equal(nrows(e->f, "vmh-nic", "172.16.0.0/24", NULL), 0);
	j = ars_learned_json(e->a, e->t, rs(e), "nva1");
	assert_int_equal(json_array_size(inst(j, 0)), 0);
	json_decref(j);
	j = ars_announced_json(e->a, e->t, rs(e), "nva1");
	assert_string_equal(str(j, "connectionState"), "NotConnected");
	assert_non_null(strstr(str(j, "reason"), "R1.9"));
	json_decref(j);
	free(p);
}

/* A change that does not touch the routes recomputes nothing. */
static void
test_no_needless_reprogramming(void **state)
{
	struct env *e = *state;
	struct ars_path p = path("192.168.10.0/24", "10.1.2.4", "65001");
	struct fab_stats s0, s1;

	announce(e, "nva1", &p, 1);
	fab_sync(e->f);
	fab_stats(e->f, &s0);
	sync(e);
	announce(e, "nva1", &p, 1);
	fab_sync(e->f);
	fab_stats(e->f, &s1);
	assert_int_equal(s0.recomputes, s1.recomputes);
	/* a deleted peer's routes go */
	must(topo_bgpconn_del(e->t, "ars", "nva1", &lab_err));
	sync(e);
	assert_int_equal(nrows(e->f, "vmh-nic", "192.168.10.0/24", NULL), 0);
	/* and a deleted route server's sources */
	announce(e, "nva2", &p, 1);
	assert_int_equal(nrows(e->f, "vmh-nic", "192.168.10.0/24", NULL), 1);
	must(put_peering(e->t, "spoke1", "spoke1-to-hub", "hub", false, false));
	must(topo_routeserver_del(e->t, "ars", &lab_err));
	sync(e);
	assert_int_equal(nrows(e->f, "vmh-nic", "192.168.10.0/24", NULL), 0);
}

/* Refused bodies and the message each gets. */
static const char *const bad[][2] = {
	{ "[]", "expected" },
	{ "{\"routes\": [{}]}", "routes[0]: network" },
	{ "{\"routes\": [{\"network\": \"10.0.0.1/8\"}]}",
	    "routes[0]: network 10.0.0.1/8" },
	{ "{\"RouteServiceRole_IN_1\": [{\"network\": \"1.0.0.0/8\", "
	  "\"asPath\": \"65001 x\"}]}",
	    "RouteServiceRole_IN_1[0]: asPath: x" },
	{ "{\"routes\": [{\"network\": \"1.0.0.0/8\", \"communities\": "
	  "[\"70000:1\"]}]}",
	    "community 70000:1" },
	{ "{\"routes\": [{\"network\": \"1.0.0.0/8\", \"origin\": "
	  "\"best\"}]}",
	    "origin best" },
	{ "{\"routes\": [{\"network\": \"1.0.0.0/8\", \"nextHop\": "
	  "\"x\"}]}",
	    "nextHop x" },
};

static void
test_from_json(void **state)
{
	struct env *e = *state;
	struct ipaddr ip = A("10.1.2.4");
	const struct ars_path *p;
	char why[256];
	json_t *j;
	size_t n, i;

	j = json_loads("{\"routes\": [{\"network\": \"192.168.10.0/24\", "
	               "\"asPath\": \"65001-65005\", \"communities\": "
	               "[\"65001:100\", \"no-advertise\"], \"origin\": "
	               "\"Incomplete\"}, {\"network\": \"192.168.11.0/24\", "
	               "\"nextHop\": \"10.1.9.9\"}]}",
	    0, NULL);
	assert_true(ars_announced_from_json(
	    e->a, "ars", "nva1", &ip, 65001, j, why, sizeof(why)));
	json_decref(j);
	p = ars_get(e->a, "ars", "nva1", 1, &n);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].nas, 2);
	assert_int_equal(p[0].as[1], 65005);
	assert_int_equal(p[0].ncomm, 2);
	assert_int_equal(p[0].comm[0], 65001u << 16 | 100);
	assert_int_equal(p[0].comm[1], ARS_COMM_NO_ADVERTISE);
	assert_int_equal(p[0].origin, ARS_ORIGIN_INCOMPLETE);
	assert_int_equal(p[1].nas, 1); /* the peer's AS by default */
	assert_int_equal(p[1].as[0], 65001);
	assert_int_equal(addr_cmp(&p[1].nexthop, &ip) != 0, 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = json_loads(bad[i][0], 0, NULL);
		assert_non_null(j);
		why[0] = '\0';
		assert_false(ars_announced_from_json(
		    e->a, "ars", "nva1", &ip, 65001, j, why, sizeof(why)));
		if (strstr(why, bad[i][1]) == NULL)
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i][0], why,
			    bad[i][1]);
		json_decref(j);
		/* a refused body changes nothing */
		(void)ars_get(e->a, "ars", "nva1", 1, &n);
		assert_int_equal(n, 2);
	}
}

/* A gateway's link sessions: what crossed each direction is what the
 * other side heard; without a session the model's answer stands. */
static void
test_links(void **state)
{
	struct ars *a = ars_new();
	struct prefix p[2];

	(void)state;
	assert_null(prefix_parse("192.168.1.0/24", &p[0], 0));
	assert_null(prefix_parse("192.168.2.0/24", &p[1], 0));
	assert_true(
	    ars_link_heard(a, "ars", "vpngw", 0, ARS_LINK_TO_RS, &p[0]));
	assert_int_equal(
	    ars_link_state(a, "ars", "vpngw", 0, 0, ARS_LINK_TO_RS), -1);

	/* Established, carried p[0] only, to IN_0 only */
	ars_link_set(a, "ars", "vpngw", 0, 0, ARS_LINK_TO_RS, true, p, 1);
	assert_int_equal(
	    ars_link_state(a, "ars", "vpngw", 0, 0, ARS_LINK_TO_RS), 1);
	assert_true(
	    ars_link_heard(a, "ars", "vpngw", 0, ARS_LINK_TO_RS, &p[0]));
	assert_false(
	    ars_link_heard(a, "ars", "vpngw", 0, ARS_LINK_TO_RS, &p[1]));
	/* the other instance and the other direction have no session */
	assert_true(
	    ars_link_heard(a, "ars", "vpngw", 1, ARS_LINK_TO_RS, &p[1]));
	assert_true(
	    ars_link_heard(a, "ars", "vpngw", 0, ARS_LINK_TO_GW, &p[1]));
	assert_true(
	    ars_link_heard(a, "ars", "other", 0, ARS_LINK_TO_RS, &p[1]));

	/* a second gateway address (active-active) that carried p[1] */
	ars_link_set(a, "ars", "vpngw", 1, 0, ARS_LINK_TO_RS, true, &p[1], 1);
	assert_true(
	    ars_link_heard(a, "ars", "vpngw", 0, ARS_LINK_TO_RS, &p[1]));

	/* both down: nothing crossed, whatever the model says */
	ars_link_set(a, "ars", "vpngw", 0, 0, ARS_LINK_TO_RS, false, NULL, 0);
	ars_link_set(a, "ars", "vpngw", 1, 0, ARS_LINK_TO_RS, false, NULL, 0);
	assert_int_equal(
	    ars_link_state(a, "ars", "vpngw", 0, 0, ARS_LINK_TO_RS), 0);
	assert_false(
	    ars_link_heard(a, "ars", "vpngw", 0, ARS_LINK_TO_RS, &p[0]));

	/* the sessions removed: the model's answer again */
	ars_link_del(a, "ars", "vpngw", 0, 0, ARS_LINK_TO_RS);
	ars_link_del(a, "ars", "vpngw", 1, 0, ARS_LINK_TO_RS);
	ars_link_del(a, "ars", "vpngw", 1, 0, ARS_LINK_TO_RS); /* no-op */
	assert_int_equal(
	    ars_link_state(a, "ars", "vpngw", 0, 0, ARS_LINK_TO_RS), -1);
	assert_true(
	    ars_link_heard(a, "ars", "vpngw", 0, ARS_LINK_TO_RS, &p[0]));
	ars_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test_setup_teardown(
		    test_t1_baseline, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_t2_learned_and_programmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_t3_ecmp, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_t5_reflection, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_t6_t28_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_advertise, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_vnet_set_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_backup_path, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_t14_use_remote_gateways, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_t27_one_instance, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_consistency, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_route_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_needless_reprogramming, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_from_json, setup, teardown),
		cmocka_unit_test(test_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
