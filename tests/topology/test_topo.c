/* SPDX-License-Identifier: ISC */
/* tests/topology/test_topo.c - unit tests for src/topology/topo.c: changes, lookups, copies. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */

#include <jansson.h>
#include <stdlib.h>

#include "../topology/lab.h"

/* The whole state as text, to compare before and after a change. */
static char *
dump(const struct topo *t)
{
	json_t *j = topo_to_json(t);
	char *s = json_dumps(j, JSON_SORT_KEYS);

	json_decref(j);
	return s;
}

static void
test_topo_new_defaults(void **state)
{
	struct topo *t = topo_new();

	(void)state;
	assert_string_equal(t->resource_group, "lab");
	assert_int_equal(t->opts.rs_subnet_max, 27);
	assert_false(t->opts.relaxed);
	assert_int_equal(t->nvnets, 0);
	topo_free(t);
}

static void
test_topo_put_replaces_and_bumps_generation(void **state)
{
	struct topo *t = topo_new();
	uint64_t g;

	(void)state;
	must(put_vnet(t, "hub", NULL, "10.0.0.0/16"));
	g = t->gen;
	assert_string_equal(topo_vnet_lookup(t, "hub")->location, "eastus");
	must(put_vnet(t, "hub", "westeurope", "10.0.0.0/16"));
	assert_int_equal(t->nvnets, 1);
	assert_string_equal(topo_vnet_lookup(t, "hub")->location, "westeurope");
	assert_true(t->gen > g);
	topo_free(t);
}

static void
test_topo_rejected_change_leaves_state(void **state)
{
	struct topo *t = spec_topo();
	char *before = dump(t), *after;
	uint64_t g = t->gen;

	(void)state;
	/* Subnet outside the VNet: refused, nothing changes. */
	assert_false(put_subnet(t, "hub", "bad", "10.9.0.0/24", NULL));
	assert_string_equal(lab_err.code, "NetcfgSubnetRangeOutsideVnet");
	/* Deleting the ARS that spoke1 uses: refused. */
	assert_false(topo_routeserver_del(t, "ars", &lab_err));
	assert_string_equal(lab_err.code, "RemoteVnetHasNoGateways");
	after = dump(t);
	assert_string_equal(before, after);
	assert_int_equal(t->gen, g);
	free(before);
	free(after);
	topo_free(t);
}

static void
test_topo_peering_state_derived(void **state)
{
	struct topo *t = topo_new();

	(void)state;
	must(put_vnet(t, "a", NULL, "10.1.0.0/16"));
	must(put_vnet(t, "b", NULL, "10.2.0.0/16"));
	must(put_peering(t, "a", "a-to-b", "b", false, false));
	assert_int_equal(
	    topo_peering_state(t, topo_peering_lookup(t, "a", "a-to-b")),
	    TOPO_PEERING_INITIATED);
	must(put_peering(t, "b", "b-to-a", "a", false, false));
	assert_int_equal(
	    topo_peering_state(t, topo_peering_lookup(t, "a", "a-to-b")),
	    TOPO_PEERING_CONNECTED);
	/* Deleting b takes b's half with it; a's half is Disconnected. */
	must(topo_vnet_del(t, "b", &lab_err));
	assert_int_equal(t->npeerings, 1);
	assert_int_equal(
	    topo_peering_state(t, topo_peering_lookup(t, "a", "a-to-b")),
	    TOPO_PEERING_DISCONNECTED);
	topo_free(t);
}

static void
test_topo_peering_needs_remote_vnet(void **state)
{
	struct topo *t = topo_new();

	(void)state;
	must(put_vnet(t, "a", NULL, "10.1.0.0/16"));
	assert_false(put_peering(t, "a", "a-to-x", "x", false, false));
	assert_string_equal(lab_err.code, "ResourceNotFound");
	topo_free(t);
}

static void
test_topo_vnet_del_cascades_subnets_but_not_nics(void **state)
{
	struct topo *t = spec_topo();

	(void)state;
	/* spoke2's NIC still needs its subnet: refused. */
	assert_false(topo_vnet_del(t, "spoke2", &lab_err));
	assert_string_equal(lab_err.code, "ResourceNotFound");
	must(topo_nic_del(t, "vm2-nic", &lab_err));
	must(topo_vnet_del(t, "spoke2", &lab_err));
	assert_null(topo_subnet_lookup(t, "spoke2", "default"));
	assert_null(topo_peering_lookup(t, "spoke2", "spoke2-to-hub"));
	assert_non_null(topo_peering_lookup(t, "hub", "hub-to-spoke2"));
	topo_free(t);
}

static void
test_topo_routes_and_bgpconns_children(void **state)
{
	struct topo *t = spec_topo();
	const struct topo_route_table *rt;

	(void)state;
	must(put_rt(t, "rt", false));
	must(
	    put_route(t, "rt", "r1", "192.168.10.128/25", TOPO_HOP_NONE, NULL));
	must(put_route(t, "rt", "r1", "192.168.10.0/25", TOPO_HOP_NONE, NULL));
	rt = topo_route_table_lookup(t, "rt");
	assert_int_equal(rt->nroutes, 1);
	assert_int_equal(rt->routes[0].prefix.len, 25);
	must(topo_route_del(t, "rt", "r1", &lab_err));
	assert_int_equal(topo_route_table_lookup(t, "rt")->nroutes, 0);
	assert_false(topo_route_del(t, "rt", "r1", &lab_err));
	must(topo_bgpconn_del(t, "ars", "nva2", &lab_err));
	assert_int_equal(topo_routeserver_lookup(t, "ars")->nconns, 1);
	topo_free(t);
}

static void
test_topo_routeserver_ips_derived(void **state)
{
	struct topo *t = spec_topo();
	const struct topo_routeserver *rs = topo_routeserver_lookup(t, "ars");
	char b[ADDR_STRLEN];

	(void)state;
	assert_string_equal(addr_print(&rs->ips[0], b, sizeof(b)), "10.1.1.4");
	assert_string_equal(addr_print(&rs->ips[1], b, sizeof(b)), "10.1.1.5");
	assert_ptr_equal(topo_routeserver_of_vnet(t, "hub"), rs);
	assert_true(topo_vnet_has_gateway(t, "hub"));
	assert_false(topo_vnet_has_gateway(t, "spoke1"));
	topo_free(t);
}

static void
test_topo_copy_is_deep(void **state)
{
	struct topo *t = spec_topo(), *c = topo_copy(t);
	char *a = dump(t), *b = dump(c);

	(void)state;
	assert_string_equal(a, b);
	assert_ptr_not_equal(t->vnets[0].name, c->vnets[0].name);
	topo_free(t);
	assert_string_equal(c->vnets[0].name, "hub");
	free(a);
	free(b);
	topo_free(c);
}

static void
test_topo_names_checked(void **state)
{
	struct topo *t = topo_new();

	(void)state;
	assert_false(put_vnet(t, "", NULL, "10.0.0.0/16"));
	assert_string_equal(lab_err.code, "InvalidResourceName");
	assert_false(put_vnet(t, "a/b", NULL, "10.0.0.0/16"));
	topo_free(t);
}

static void
test_topo_enum_names(void **state)
{
	enum topo_hop h;
	enum topo_pref p;

	(void)state;
	assert_true(topo_hop_parse("VirtualAppliance", &h));
	assert_int_equal(h, TOPO_HOP_APPLIANCE);
	assert_string_equal(topo_hop_name(TOPO_HOP_VNET_LOCAL), "VnetLocal");
	assert_false(topo_hop_parse("VNetPeering", &h)); /* not in UDRs */
	assert_true(topo_pref_parse("ASPath", &p));
	assert_int_equal(p, TOPO_PREF_ASPATH);
	assert_false(topo_pref_parse("Shortest", &p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topo_new_defaults),
		cmocka_unit_test(test_topo_put_replaces_and_bumps_generation),
		cmocka_unit_test(test_topo_rejected_change_leaves_state),
		cmocka_unit_test(test_topo_peering_state_derived),
		cmocka_unit_test(test_topo_peering_needs_remote_vnet),
		cmocka_unit_test(
		    test_topo_vnet_del_cascades_subnets_but_not_nics),
		cmocka_unit_test(test_topo_routes_and_bgpconns_children),
		cmocka_unit_test(test_topo_routeserver_ips_derived),
		cmocka_unit_test(test_topo_copy_is_deep),
		cmocka_unit_test(test_topo_names_checked),
		cmocka_unit_test(test_topo_enum_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
