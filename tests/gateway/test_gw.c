/* SPDX-License-Identifier: ISC */
/* tests/gateway/test_gw.c - a VPN gateway beside the route server: programmed, learned, advertised, peers. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../fabric/fab.h"
#include "gateway/gw.h"
#include "routeserver/ars.h"

struct env {
	struct topo *t;
	struct fabric *f;
	struct ars *a;
};

static void
sync(struct env *e)
{
	ars_program_begin(e->a);
	ars_program(e->a, e->t, e->f);
	gw_program(e->a, e->t, e->f);
	ars_program_end(e->a, e->f);
}

/*
 * Spec 9's topology plus an active-active VPN gateway (AS 65515, R1.10)
 * in the hub with an IPsec connection to site "onprem" (172.16.0.0/16,
 * BGP AS 65020 at 172.16.0.1).
 */
static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct prefix site[1] = { P("172.16.0.0/16") };
	struct topo_local_gateway l = { .name = "onprem",
		.gateway_ip = A("192.0.2.1"),
		.prefixes = site,
		.nprefixes = 1,
		.asn = 65020,
		.bgp_ip = A("172.16.0.1") };
	struct topo_connection c = { .name = "to-onprem",
		.type = TOPO_CONN_IPSEC,
		.gateway = "vpngw",
		.peer = "onprem",
		.enable_bgp = true };

	e->t = spec_topo();
	must(put_gw(e->t, "vpngw", "hub", TOPO_GW_VPN, 65515, true, NULL));
	must(topo_local_gateway_put(e->t, &l, &lab_err));
	must(topo_connection_put(e->t, &c, &lab_err));
	e->f = fab_new(e->t);
	e->a = ars_new();
	sync(e);
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

static const struct topo_gateway *
gw(struct env *e)
{
	return topo_gateway_lookup(e->t, "vpngw");
}

/* How many entries of {"value": [...]} match network (and key=val). */
static int
count(json_t *j, const char *net, const char *key, const char *val)
{
	json_t *r;
	size_t i;
	int n = 0;

	json_array_foreach(json_object_get(j, "value"), i, r)
	{
		const char *v = json_string_value(json_object_get(r, key));

		if (strcmp(json_string_value(json_object_get(r, "network")),
		        net) == 0 &&
		    (val == NULL || (v != NULL && strcmp(v, val) == 0)))
			n++;
	}
	return n;
}

static void
nva_route(struct env *e, bool b2b)
{
	struct ars_path p;
	struct topo_routeserver rs;

	memset(&p, 0, sizeof(p));
	p.pfx = P("192.168.10.0/24");
	p.nexthop = A("10.1.2.4");
	p.as[p.nas++] = 65001;
	ars_set(e->a, "ars", "nva1", 0, &p, 1);
	ars_set(e->a, "ars", "nva1", 1, &p, 1);
	p.pfx = P("0.0.0.0/0");
	ars_set(e->a, "ars", "nva2", 0, &p, 1);
	rs = *topo_routeserver_lookup(e->t, "ars");
	rs.b2b = b2b;
	must(topo_routeserver_put(e->t, &rs, &lab_err));
	sync(e);
}

/* R3.5, R3.3: the site's prefixes, next hop both gateway instances. */
static void
test_programs_sites(void **state)
{
	struct env *e = *state;
	const struct topo_gateway *g = gw(e);
	char a0[ADDR_STRLEN], a1[ADDR_STRLEN];

	assert_int_equal(g->nbgp_ips, 2);
	addr_print(&g->bgp_ips[0], a0, sizeof(a0));
	addr_print(&g->bgp_ips[1], a1, sizeof(a1));
	assert_int_equal(nrows(e->f, "vmh-nic", "172.16.0.0/16", a0), 1);
	assert_int_equal(nrows(e->f, "vm1-nic", "172.16.0.0/16", a1), 1);
	assert_int_equal(nrows(e->f, "vm2-nic", "172.16.0.0/16", NULL), 0);
	/* the connection goes: so do the routes */
	must(topo_connection_del(e->t, "to-onprem", &lab_err));
	sync(e);
	assert_int_equal(nrows(e->f, "vmh-nic", "172.16.0.0/16", NULL), 0);
}

static void
test_learned(void **state)
{
	struct env *e = *state;
	json_t *j = gw_learned_json(e->a, e->t, gw(e));

	/* per instance: the VNet set (hub, spoke1) and the site */
	assert_int_equal(count(j, "10.1.0.0/16", "origin", "Network"), 2);
	assert_int_equal(count(j, "10.2.0.0/16", "origin", "Network"), 2);
	assert_int_equal(count(j, "10.3.0.0/16", NULL, NULL), 0);
	assert_int_equal(count(j, "172.16.0.0/16", "nextHop", "192.0.2.1"), 2);
	assert_int_equal(count(j, "192.168.10.0/24", NULL, NULL), 0);
	json_decref(j);
	/* branch-to-branch off: no NVA routes (R2.10) */
	nva_route(e, false);
	j = gw_learned_json(e->a, e->t, gw(e));
	assert_int_equal(count(j, "192.168.10.0/24", NULL, NULL), 0);
	json_decref(j);
	/* on: each NVA route once per ARS instance, iBGP, path unchanged */
	nva_route(e, true);
	j = gw_learned_json(e->a, e->t, gw(e));
	assert_int_equal(count(j, "192.168.10.0/24", "origin", "IBgp"), 4);
	assert_int_equal(
	    count(j, "192.168.10.0/24", "sourcePeer", "10.1.1.4"), 2);
	assert_int_equal(
	    count(j, "192.168.10.0/24", "sourcePeer", "10.1.1.5"), 2);
	assert_int_equal(count(j, "192.168.10.0/24", "asPath", "65001"), 4);
	assert_int_equal(count(j, "192.168.10.0/24", "nextHop", "10.1.2.4"), 4);
	json_decref(j);
}

static void
test_advertised(void **state)
{
	struct env *e = *state;
	struct ipaddr site = A("172.16.0.1"), ars0 = A("10.1.1.4");
	struct ipaddr other = A("172.16.0.9");
	char why[256];
	json_t *j;

	nva_route(e, true);
	j = gw_advertised_json(e->a, e->t, gw(e), &site, why, sizeof(why));
	assert_non_null(j);
	assert_int_equal(count(j, "10.1.0.0/16", "asPath", "65515"), 2);
	assert_int_equal(
	    count(j, "192.168.10.0/24", "asPath", "65515-65001"), 2);
	assert_int_equal(count(j, "0.0.0.0/0", NULL, NULL), 0); /* R2.11 */
	json_decref(j);
	/* to the route server: the site, over iBGP */
	j = gw_advertised_json(e->a, e->t, gw(e), &ars0, why, sizeof(why));
	assert_non_null(j);
	assert_int_equal(count(j, "172.16.0.0/16", "asPath", ""), 2);
	json_decref(j);
	assert_null(
	    gw_advertised_json(e->a, e->t, gw(e), &other, why, sizeof(why)));
	assert_non_null(strstr(why, "not a BGP peer"));
}

static void
test_peer_status(void **state)
{
	struct env *e = *state;
	json_t *j, *r;
	size_t i;
	int ars = 0, site = 0;

	nva_route(e, true);
	j = gw_peer_status_json(e->a, e->t, gw(e));
	json_array_foreach(json_object_get(j, "value"), i, r)
	{
		json_int_t asn = json_integer_value(json_object_get(r, "asn"));

		if (asn == 65515) {
			ars++;
			assert_string_equal(
			    json_string_value(json_object_get(r, "state")),
			    "Connected");
		} else if (asn == 65020)
			site++;
	}
	/* per gateway instance: both ARS instances and the site */
	assert_int_equal(ars, 4);
	assert_int_equal(site, 2);
	r = json_array_get(json_object_get(j, "value"), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "routesReceived")), 2);
	json_decref(j);
}

/* A BGP site's announcements: programmed, learned, heard by the NVAs with b2b. */
static void
test_bgp_site(void **state)
{
	struct env *e = *state;
	struct ars_path p[2];
	json_t *j, *r;
	size_t i;
	int n = 0;

	memset(p, 0, sizeof(p));
	p[0].pfx = P("192.168.50.0/24");
	p[0].nexthop = A("172.16.0.1");
	p[0].as[p[0].nas++] = 65020;
	p[1] = p[0];
	p[1].pfx = P("192.168.51.0/24");
	p[1].as[p[1].nas++] = 65515; /* the gateway's own AS: a loop */
	ars_site_set(e->a, "onprem", p, 2);
	sync(e);
	assert_int_equal(nrows(e->f, "vm1-nic", "192.168.50.0/24", NULL), 2);
	assert_int_equal(nrows(e->f, "vm1-nic", "192.168.51.0/24", NULL), 0);
	j = gw_learned_json(e->a, e->t, gw(e));
	assert_int_equal(count(j, "192.168.50.0/24", "origin", "EBgp"), 2);
	assert_int_equal(count(j, "192.168.50.0/24", "asPath", "65020"), 2);
	assert_int_equal(
	    count(j, "192.168.50.0/24", "sourcePeer", "172.16.0.1"), 2);
	json_decref(j);
	j = gw_peer_status_json(e->a, e->t, gw(e));
	json_array_foreach(json_object_get(j, "value"), i, r)
	{
		if (json_integer_value(json_object_get(r, "asn")) != 65020)
			continue;
		n++;
		assert_string_equal(
		    json_string_value(json_object_get(r, "state")),
		    "Connected");
		assert_int_equal(
		    json_integer_value(json_object_get(r, "routesReceived")),
		    2);
	}
	assert_int_equal(n, 2);
	json_decref(j);
	/* b2b on: the NVAs hear it, 65515 in front (iBGP gateway, R2.3) */
	nva_route(e, true);
	j = ars_advertised_json(
	    e->a, e->t, topo_routeserver_lookup(e->t, "ars"), "nva1");
	n = 0;
	json_array_foreach(json_object_get(j, "RouteServiceRole_IN_0"), i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "network")),
		        "192.168.50.0/24") != 0)
			continue;
		n++;
		assert_string_equal(
		    json_string_value(json_object_get(r, "asPath")),
		    "65515-65020");
	}
	assert_int_equal(n, 1);
	json_decref(j);
	/* the site goes: its routes go */
	must(topo_connection_del(e->t, "to-onprem", &lab_err));
	must(topo_local_gateway_del(e->t, "onprem", &lab_err));
	sync(e);
	assert_int_equal(nrows(e->f, "vm1-nic", "192.168.50.0/24", NULL), 0);
	assert_null(ars_site_get(e->a, "onprem", &i));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_programs_sites, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learned, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_advertised, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_peer_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bgp_site, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
