/* SPDX-License-Identifier: ISC */
/* tests/fabric/test_compute.c - unit tests for src/fabric/compute.c: spec 3, 6, 9 and the reference lab. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */

#include "fab.h"

/*
 * The spec 9 topology (spec_topo) and the reference lab (ref_lab_topo),
 * with programmed routes fed directly as ARS and the gateways would.
 */

static struct topo *t;
static struct fabric *f;
static char buf[4096];

static int
setup_spec(void **state)
{
	(void)state;
	t = spec_topo();
	f = fab_new(t);
	return 0;
}

static int
setup_ref(void **state)
{
	(void)state;
	t = ref_lab_topo();
	f = fab_new(t);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fab_free(f);
	topo_free(t);
	return 0;
}

/* NVA1 advertises 192.168.10.0/24: ARS programs it with next hop NVA1. */
static void
t2_program(void)
{
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", NULL, 1);
	prog1(f, "ars/IN_1", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", NULL, 1);
}

/* R3.4, R3.5: a spoke without gateway routes, in az's order. */
static void
test_r34_default_system_routes(void **state)
{
	(void)state;
	assert_string_equal(rows_text(f, "vm2-nic", buf, sizeof(buf)),
	    "Default Active 10.3.0.0/16 VnetLocal\n"
	    "Default Active 10.1.0.0/16 VNetPeering\n"
	    "Default Active 0.0.0.0/0 Internet\n"
	    "Default Active 10.0.0.0/8 None\n"
	    "Default Active 100.64.0.0/10 None\n"
	    "Default Active 172.16.0.0/12 None\n"
	    "Default Active 192.168.0.0/16 None\n");
}

/* R3.4: a VNet prefix equal to a reserved range replaces its None row;
   a wider one removes it. */
static void
test_r34_reserved_ranges_adjusted(void **state)
{
	struct topo_vnet v = { .name = "wide" };
	struct prefix ps[2] = { P("172.0.0.0/11"), P("192.168.0.0/16") };

	(void)state;
	v.prefixes = ps;
	v.nprefixes = 2;
	must(topo_vnet_put(t, &v, &lab_err));
	must(put_subnet(t, "wide", "s", "192.168.1.0/24", NULL));
	must(put_nic(t, "w-nic", "wide", "s", "192.168.1.4", false));
	assert_string_equal(rows_text(f, "w-nic", buf, sizeof(buf)),
	    "Default Active 172.0.0.0/11 VnetLocal\n"
	    "Default Active 192.168.0.0/16 VnetLocal\n"
	    "Default Active 0.0.0.0/0 Internet\n"
	    "Default Active 10.0.0.0/8 None\n"
	    "Default Active 100.64.0.0/10 None\n");
}

/* R3.5: cross-region peering is VNetGlobalPeering. */
static void
test_r35_global_peering(void **state)
{
	(void)state;
	must(put_vnet(t, "far", "westeurope", "10.50.0.0/16"));
	must(put_subnet(t, "far", "s", "10.50.0.0/24", NULL));
	must(put_nic(t, "far-nic", "far", "s", "10.50.0.4", false));
	must(put_peering(t, "far", "far-to-hub", "hub", false, false));
	/* Initiated: no route yet. */
	assert_int_equal(nrows(f, "far-nic", "10.1.0.0/16", NULL), 0);
	must(put_peering(t, "hub", "hub-to-far", "far", false, false));
	assert_int_equal(row(f, "far-nic", FAB_SRC_DEFAULT, "10.1.0.0/16")->hop,
	    FAB_HOP_GLOBAL_PEERING);
	assert_int_equal(
	    row(f, "vmh-nic", FAB_SRC_DEFAULT, "10.50.0.0/16")->hop,
	    FAB_HOP_GLOBAL_PEERING);
}

/* R3.5: a region's display name is the region: "East US" is eastus. */
static void
test_r35_region_display_name(void **state)
{
	(void)state;
	must(put_vnet(t, "near", "East US", "10.51.0.0/16"));
	must(put_subnet(t, "near", "s", "10.51.0.0/24", NULL));
	must(put_nic(t, "near-nic", "near", "s", "10.51.0.4", false));
	must(put_peering(t, "near", "near-to-hub", "hub", false, false));
	must(put_peering(t, "hub", "hub-to-near", "near", false, false));
	assert_string_equal(topo_vnet_lookup(t, "hub")->location, "eastus");
	assert_int_equal(
	    row(f, "near-nic", FAB_SRC_DEFAULT, "10.1.0.0/16")->hop,
	    FAB_HOP_PEERING);
	assert_int_equal(
	    row(f, "vmh-nic", FAB_SRC_DEFAULT, "10.51.0.0/16")->hop,
	    FAB_HOP_PEERING);
}

/* R3.5: service endpoint rows only on their subnet; BGP cannot beat them. */
static void
test_r35_service_endpoint(void **state)
{
	struct prefix sp[2] = { P("20.38.0.0/16"), P("52.239.0.0/16") };
	struct topo_service_endpoint ep = {
		.service = "Microsoft.Storage", .prefixes = sp, .nprefixes = 2
	};
	struct topo_subnet s = *topo_subnet_lookup(t, "hub", "vm");
	struct fab_table tb;

	(void)state;
	s.endpoints = &ep;
	s.nendpoints = 1;
	must(topo_subnet_put(t, &s, &lab_err));
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "20.38.1.0/24", "10.1.2.4",
	    NULL, 1);
	tb = table(f, "vmh-nic");
	assert_int_equal(tb.rows[tb.nrows - 1].hop, FAB_HOP_SERVICE_ENDPOINT);
	assert_int_equal(tb.rows[tb.nrows - 1].nprefixes, 2);
	assert_int_equal(nrows(f, "vmh-nic", "20.38.1.0/24", NULL), 0);
	assert_int_equal(nrows(f, "nva1-nic", "20.38.1.0/24", NULL), 1);
}

static void
test_t2_learned_route_programmed(void **state)
{
	const struct fab_row *r;
	const char *nics[] = { "vmh-nic", "vm1-nic", "nva1-nic", "nva2-nic" };
	size_t i;

	(void)state;
	t2_program();
	for (i = 0; i < 4; i++) {
		r = row(f, nics[i], FAB_SRC_GATEWAY, "192.168.10.0/24");
		assert_int_equal(r->state, FAB_ACTIVE);
		assert_int_equal(r->hop, FAB_HOP_GATEWAY);
		assert_int_equal(
		    addr_cmp(&r->nexthop, &(struct ipaddr){ 0 }), 1);
		assert_int_equal(
		    nrows(f, nics[i], "192.168.10.0/24", "10.1.2.4"), 1);
	}
	assert_int_equal(nrows(f, "vm2-nic", "192.168.10.0/24", NULL), 0);
	/* Gateway rows sit between the peerings and Default Internet. */
	assert_string_equal(rows_text(f, "vm1-nic", buf, sizeof(buf)),
	    "Default Active 10.2.0.0/16 VnetLocal\n"
	    "Default Active 10.1.0.0/16 VNetPeering\n"
	    "VirtualNetworkGateway Active 192.168.10.0/24 "
	    "VirtualNetworkGateway 10.1.2.4\n"
	    "Default Active 0.0.0.0/0 Internet\n"
	    "Default Active 10.0.0.0/8 None\n"
	    "Default Active 100.64.0.0/10 None\n"
	    "Default Active 172.16.0.0/12 None\n"
	    "Default Active 192.168.0.0/16 None\n");
}

static void
test_t3_ecmp_two_nvas(void **state)
{
	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.5", "10.1.2.4", 1);
	prog1(f, "ars/IN_1", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", "10.1.2.5", 1);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.10.0/24", NULL), 2);
	assert_int_equal(nrows(f, "vm1-nic", "192.168.10.0/24", "10.1.2.4"), 1);
	assert_int_equal(nrows(f, "vm1-nic", "192.168.10.0/24", "10.1.2.5"), 1);
	rows_text(f, "vm1-nic", buf, sizeof(buf));
	assert_non_null(strstr(buf,
	    "192.168.10.0/24 VirtualNetworkGateway 10.1.2.4\n"
	    "VirtualNetworkGateway Active 192.168.10.0/24 "
	    "VirtualNetworkGateway 10.1.2.5\n"));
}

static void
test_t9_default_route_from_nva(void **state)
{
	const char *nics[] = { "vmh-nic", "vm1-nic", "nva1-nic", "nva2-nic" };
	size_t i;

	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "0.0.0.0/0", "10.1.2.4",
	    NULL, 1);
	for (i = 0; i < 4; i++) {
		assert_int_equal(nrows(f, nics[i], "0.0.0.0/0", NULL), 1);
		assert_int_equal(
		    row(f, nics[i], FAB_SRC_GATEWAY, "0.0.0.0/0")->state,
		    FAB_ACTIVE);
		assert_int_equal(nrows(f, nics[i], "10.0.0.0/8", NULL), 0);
		assert_int_equal(nrows(f, nics[i], "192.168.0.0/16", NULL), 0);
	}
	/* VM2 keeps the defaults. */
	assert_int_equal(row(f, "vm2-nic", FAB_SRC_DEFAULT, "0.0.0.0/0")->hop,
	    FAB_HOP_INTERNET);
	assert_int_equal(nrows(f, "vm2-nic", "10.0.0.0/8", NULL), 1);
}

static void
test_t11_propagation_disabled(void **state)
{
	struct topo_subnet s;

	(void)state;
	t2_program();
	must(put_rt(t, "rt-spoke1", true));
	s = *topo_subnet_lookup(t, "spoke1", "default");
	s.route_table = "rt-spoke1";
	must(topo_subnet_put(t, &s, &lab_err));
	assert_int_equal(nrows(f, "vm1-nic", "192.168.10.0/24", NULL), 0);
	assert_true(
	    row(f, "vm1-nic", FAB_SRC_DEFAULT, "10.2.0.0/16")->disable_bgp);
	assert_int_equal(nrows(f, "vm1-nic", "10.1.0.0/16", NULL), 1);
	assert_int_equal(nrows(f, "vm1-nic", "0.0.0.0/0", NULL), 1);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.10.0/24", NULL), 1);
}

static void
test_t13_udr_more_specific_none(void **state)
{
	struct fab_next_hop nh;
	struct ipaddr a;
	char b[ADDR_STRLEN];

	(void)state;
	t2_program();
	must(put_rt(t, "rt-vm", false));
	must(put_route(t, "rt-vm", "drop-upper", "192.168.10.128/25",
	    TOPO_HOP_NONE, NULL));
	must(put_subnet(t, "hub", "vm", "10.1.3.0/24", "rt-vm"));
	assert_int_equal(
	    row(f, "vmh-nic", FAB_SRC_GATEWAY, "192.168.10.0/24")->state,
	    FAB_ACTIVE);
	assert_int_equal(
	    row(f, "vmh-nic", FAB_SRC_USER, "192.168.10.128/25")->state,
	    FAB_ACTIVE);
	a = A("192.168.10.200");
	assert_true(fab_next_hop(f, "vmh-nic", &a, &nh));
	assert_int_equal(nh.hop, FAB_HOP_NONE);
	assert_int_equal(nh.ip.af, 0);
	assert_non_null(strstr(nh.route_table_id, "/routeTables/rt-vm"));
	a = A("192.168.10.20");
	assert_true(fab_next_hop(f, "vmh-nic", &a, &nh));
	assert_int_equal(nh.hop, FAB_HOP_GATEWAY);
	assert_string_equal(addr_print(&nh.ip, b, sizeof(b)), "10.1.2.4");
	assert_string_equal(nh.route_table_id, "System Route");
}

static void
test_t14_use_remote_gateways_toggle(void **state)
{
	(void)state;
	t2_program();
	assert_int_equal(nrows(f, "vm1-nic", "192.168.10.0/24", NULL), 1);
	must(put_peering(t, "spoke1", "spoke1-to-hub", "hub", false, false));
	assert_int_equal(nrows(f, "vm1-nic", "192.168.10.0/24", NULL), 0);
	must(put_peering(t, "spoke1", "spoke1-to-hub", "hub", false, true));
	assert_int_equal(nrows(f, "vm1-nic", "192.168.10.0/24", NULL), 1);
}

static void
test_t19_er_gateway_and_ars_routes(void **state)
{
	(void)state;
	must(put_gw(t, "ergw", "hub", TOPO_GW_ER, 0, false, NULL));
	prog1(f, "ergw", "ergw", FAB_ORIGIN_ER, "172.16.0.0/16", "10.24.133.24",
	    "10.24.133.25", 2);
	t2_program();
	assert_int_equal(nrows(f, "vmh-nic", "172.16.0.0/16", NULL), 2);
	assert_int_equal(
	    nrows(f, "vm1-nic", "172.16.0.0/16", "10.24.133.24"), 1);
	assert_int_equal(nrows(f, "vm1-nic", "192.168.10.0/24", "10.1.2.4"), 1);
	assert_int_equal(nrows(f, "vm2-nic", "172.16.0.0/16", NULL), 0);
}

static void
test_t25_nva_in_directly_peered_spoke(void **state)
{
	(void)state;
	must(put_nic(t, "nva3-nic", "spoke2", "default", "10.3.0.10", true));
	must(put_bgpconn(t, "ars", "nva3", "10.3.0.10", 65003));
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.30.0/24",
	    "10.3.0.10", NULL, 1);
	assert_int_equal(
	    nrows(f, "vmh-nic", "192.168.30.0/24", "10.3.0.10"), 1);
	assert_int_equal(nrows(f, "vm1-nic", "192.168.30.0/24", NULL), 1);
	assert_int_equal(nrows(f, "vm2-nic", "192.168.30.0/24", NULL), 0);
	assert_int_equal(nrows(f, "nva3-nic", "192.168.30.0/24", NULL), 0);
}

/* T27, open item 13: one instance only still programs. */
static void
test_t27_one_instance_only(void **state)
{
	(void)state;
	prog1(f, "ars/IN_1", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", NULL, 1);
	assert_int_equal(nrows(f, "vm1-nic", "192.168.10.0/24", "10.1.2.4"), 1);
}

/* R2.6: inside the VNet set: never programmed; a supernet is. */
static void
test_r26_vnet_set_filter_and_supernet(void **state)
{
	struct ipaddr nh = A("10.1.2.4");
	struct fab_route r[2] = {
		{ .pfx = P("10.2.5.0/24"), .nexthop = &nh, .nnh = 1 },
		{ .pfx = P("10.0.0.0/8"), .nexthop = &nh, .nnh = 1 },
	};

	(void)state;
	prog_ars(f, r, 2);
	assert_int_equal(nrows(f, "vmh-nic", "10.2.5.0/24", NULL), 0);
	assert_int_equal(nrows(f, "vm1-nic", "10.2.5.0/24", NULL), 0);
	assert_int_equal(
	    row(f, "vm1-nic", FAB_SRC_GATEWAY, "10.0.0.0/8")->state,
	    FAB_ACTIVE);
	/* Same prefix as the reserved None route: BGP wins (R3.6.2). */
	assert_int_equal(
	    row(f, "vm1-nic", FAB_SRC_DEFAULT, "10.0.0.0/8")->state,
	    FAB_INVALID);
}

/* R3.6.3: a peering route beats a more specific BGP route, which is
   absent; spoke1 (not peered with spoke2) keeps it. */
static void
test_r36_system_route_beats_more_specific_bgp(void **state)
{
	struct fab_opts o = { .list_shadowed_bgp = true };

	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "10.3.1.0/24", "10.1.2.4",
	    NULL, 1);
	assert_int_equal(nrows(f, "vmh-nic", "10.3.1.0/24", NULL), 0);
	assert_int_equal(nrows(f, "vm1-nic", "10.3.1.0/24", NULL), 1);
	/* Configurable: listed as Invalid. */
	fab_opts_set(f, &o);
	assert_int_equal(
	    row(f, "vmh-nic", FAB_SRC_GATEWAY, "10.3.1.0/24")->state,
	    FAB_INVALID);
	assert_int_equal(
	    row(f, "vmh-nic", FAB_SRC_DEFAULT, "10.3.0.0/16")->state,
	    FAB_ACTIVE);
}

/* R3.6.2: a UDR equal to a BGP prefix makes the BGP row Invalid. */
static void
test_r36_udr_overrides_bgp(void **state)
{
	const struct fab_row *u;

	(void)state;
	t2_program();
	must(put_rt(t, "rt-vm", false));
	must(put_route(t, "rt-vm", "to-nva2", "192.168.10.0/24",
	    TOPO_HOP_APPLIANCE, "10.1.2.5"));
	must(put_subnet(t, "hub", "vm", "10.1.3.0/24", "rt-vm"));
	assert_int_equal(
	    row(f, "vmh-nic", FAB_SRC_GATEWAY, "192.168.10.0/24")->state,
	    FAB_INVALID);
	u = row(f, "vmh-nic", FAB_SRC_USER, "192.168.10.0/24");
	assert_int_equal(u->state, FAB_ACTIVE);
	assert_int_equal(u->hop, FAB_HOP_APPLIANCE);
	assert_string_equal(u->name, "to-nva2");
}

/* R3.6.2: a UDR equal to the VNet prefix makes VnetLocal Invalid. */
static void
test_r36_udr_overrides_vnetlocal(void **state)
{
	(void)state;
	must(put_rt(t, "rt-vm", false));
	must(put_route(
	    t, "rt-vm", "fw", "10.1.0.0/16", TOPO_HOP_APPLIANCE, "10.1.2.4"));
	must(put_subnet(t, "hub", "vm", "10.1.3.0/24", "rt-vm"));
	assert_int_equal(
	    row(f, "vmh-nic", FAB_SRC_DEFAULT, "10.1.0.0/16")->state,
	    FAB_INVALID);
	/* User rows come last. */
	rows_text(f, "vmh-nic", buf, sizeof(buf));
	assert_non_null(strstr(buf,
	    "None\nUser Active 10.1.0.0/16 "
	    "VirtualAppliance 10.1.2.4\n"));
}

/* R3.7: a UDR 0/0 makes Default Internet Invalid and removes None rows. */
static void
test_r37_udr_default_route(void **state)
{
	(void)state;
	must(put_rt(t, "rt-vm", false));
	must(put_route(t, "rt-vm", "default-nva", "0.0.0.0/0",
	    TOPO_HOP_APPLIANCE, "10.1.2.4"));
	must(put_subnet(t, "hub", "vm", "10.1.3.0/24", "rt-vm"));
	assert_string_equal(rows_text(f, "vmh-nic", buf, sizeof(buf)),
	    "Default Active 10.1.0.0/16 VnetLocal\n"
	    "Default Active 10.2.0.0/16 VNetPeering\n"
	    "Default Active 10.3.0.0/16 VNetPeering\n"
	    "Default Invalid 0.0.0.0/0 Internet\n"
	    "User Active 0.0.0.0/0 VirtualAppliance 10.1.2.4\n");
}

/* R3.7: keep_default_rows lists the defaults beside a BGP 0/0. */
static void
test_r37_keep_default_rows_option(void **state)
{
	struct fab_opts o = { .keep_default_rows = true };

	(void)state;
	fab_opts_set(f, &o);
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "0.0.0.0/0", "10.1.2.4",
	    NULL, 1);
	assert_int_equal(row(f, "vmh-nic", FAB_SRC_DEFAULT, "0.0.0.0/0")->state,
	    FAB_INVALID);
	assert_int_equal(nrows(f, "vmh-nic", "10.0.0.0/8", NULL), 1);
}

/* R2.8: ER beats an NVA route of the same prefix by default; with b2b
   and ASPath, the shorter path wins. */
static void
test_r28_routing_preference(void **state)
{
	(void)state;
	must(put_gw(t, "ergw", "hub", TOPO_GW_ER, 0, false, NULL));
	prog1(f, "ergw", "ergw", FAB_ORIGIN_ER, "172.16.0.0/16", "10.24.133.24",
	    NULL, 2);
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "172.16.0.0/16", "10.1.2.4",
	    NULL, 1);
	assert_int_equal(nrows(f, "vm1-nic", "172.16.0.0/16", NULL), 1);
	assert_int_equal(
	    nrows(f, "vm1-nic", "172.16.0.0/16", "10.24.133.24"), 1);
	must(put_rs(t, "ars", "hub", true, TOPO_PREF_ASPATH));
	must(put_bgpconn(t, "ars", "nva1", "10.1.2.4", 65001));
	assert_int_equal(nrows(f, "vm1-nic", "172.16.0.0/16", "10.1.2.4"), 1);
	assert_int_equal(nrows(f, "vm1-nic", "172.16.0.0/16", NULL), 1);
	must(put_rs(t, "ars", "hub", true, TOPO_PREF_VPNGATEWAY));
	must(put_bgpconn(t, "ars", "nva1", "10.1.2.4", 65001));
	assert_int_equal(nrows(f, "vm1-nic", "172.16.0.0/16", "10.1.2.4"), 1);
}

/* Programmed routes of a resource absent from the topology go nowhere. */
static void
test_r31_unknown_resource_applies_nowhere(void **state)
{
	(void)state;
	prog1(f, "ghost/IN_0", "ghost", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", NULL, 1);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.10.0/24", NULL), 0);
}

/* ---- the reference lab: what ARS and vpngw would program ---- */

/* NVA routes (after R2.6: 10.1.0.0/16 is dropped by ARS anyway, but
   programmed here to show the fabric drops it too). */
static void
ref_program(int nva_path_len, bool with_default)
{
	struct ipaddr nva = A("10.0.0.4"), gw = A("10.0.3.5");
	struct fab_route ars[] = {
		{ .pfx = P("192.168.10.0/24"),
		    .nexthop = &nva,
		    .nnh = 1,
		    .aspath_len = nva_path_len,
		    .aspath = "65010" },
		{ .pfx = P("192.168.1.0/24"),
		    .nexthop = &nva,
		    .nnh = 1,
		    .aspath_len = nva_path_len,
		    .aspath = "65010" },
		{ .pfx = P("10.1.0.0/16"),
		    .nexthop = &nva,
		    .nnh = 1,
		    .aspath_len = nva_path_len,
		    .aspath = "65010" },
		{ .pfx = P("10.10.0.0/16"),
		    .nexthop = &nva,
		    .nnh = 1,
		    .aspath_len = nva_path_len,
		    .aspath = "65010" },
		{ .pfx = P("0.0.0.0/0"),
		    .nexthop = &nva,
		    .nnh = 1,
		    .aspath_len = nva_path_len,
		    .aspath = "65010" },
	};
	struct fab_route vpn[4];
	const char *onprem[] = { "192.168.1.0/24", "192.168.2.0/24",
		"192.168.3.0/24", "192.168.4.0/24" };
	size_t i;

	for (i = 0; i < 4; i++)
		vpn[i] = (struct fab_route){ .pfx = P(onprem[i]),
			.nexthop = &gw,
			.nnh = 1,
			.origin = FAB_ORIGIN_VPN,
			.aspath_len = 2,
			.aspath = "65510 65501" };
	fab_program(f, "ars/IN_0", "ars", ars, with_default ? 5 : 4);
	fab_program(f, "ars/IN_1", "ars", ars, with_default ? 5 : 4);
	fab_program(f, "vpngw", "vpngw", vpn, 4);
}

/* Behaviour 3: shortest AS path wins, the loser is absent. */
static void
test_ref3_shortest_as_path_wins(void **state)
{
	(void)state;
	ref_program(1, false);
	assert_int_equal(nrows(f, "vm-spoke1-nic", "192.168.1.0/24", NULL), 1);
	assert_int_equal(
	    nrows(f, "vm-spoke1-nic", "192.168.1.0/24", "10.0.0.4"), 1);
	/* The NVA prepends: 65010 65010, equal length, the gateway wins. */
	ref_program(2, false);
	assert_int_equal(nrows(f, "vm-spoke1-nic", "192.168.1.0/24", NULL), 1);
	assert_int_equal(
	    nrows(f, "vm-spoke1-nic", "192.168.1.0/24", "10.0.3.5"), 1);
	ref_program(3, false);
	assert_int_equal(
	    nrows(f, "vm-spoke1-nic", "192.168.1.0/24", "10.0.3.5"), 1);
	assert_int_equal(nrows(f, "vm-spoke1-nic", "192.168.1.0/24", NULL), 1);
}

/* Behaviour 4: gateway routes reach the hub and spoke1 only. */
static void
test_ref4_gateway_routes_reach_spoke1_only(void **state)
{
	const char *p[] = { "192.168.2.0/24", "192.168.3.0/24",
		"192.168.4.0/24" };
	size_t i;

	(void)state;
	ref_program(1, false);
	for (i = 0; i < 3; i++) {
		assert_int_equal(nrows(f, "vm-hub-nic", p[i], "10.0.3.5"), 1);
		assert_int_equal(
		    nrows(f, "vm-spoke1-nic", p[i], "10.0.3.5"), 1);
	}
	assert_string_equal(rows_text(f, "vm-spoke2-nic", buf, sizeof(buf)),
	    "Default Active 10.2.0.0/16 VnetLocal\n"
	    "Default Active 10.0.0.0/16 VNetPeering\n"
	    "Default Active 0.0.0.0/0 Internet\n"
	    "Default Active 10.0.0.0/8 None\n"
	    "Default Active 100.64.0.0/10 None\n"
	    "Default Active 172.16.0.0/12 None\n"
	    "Default Active 192.168.0.0/16 None\n");
}

/* Behaviour 5: VNet peering routes beat BGP; the BGP route is absent. */
static void
test_ref5_system_routes_beat_bgp(void **state)
{
	(void)state;
	ref_program(1, false);
	assert_int_equal(nrows(f, "vm-hub-nic", "10.1.0.0/16", NULL), 1);
	assert_int_equal(
	    row(f, "vm-hub-nic", FAB_SRC_DEFAULT, "10.1.0.0/16")->hop,
	    FAB_HOP_PEERING);
	assert_int_equal(nrows(f, "vm-spoke1-nic", "10.1.0.0/16", NULL), 1);
	/* 10.10.0.0/16 is no VNet's: programmed. */
	assert_int_equal(nrows(f, "vm-hub-nic", "10.10.0.0/16", "10.0.0.4"), 1);
}

/* Behaviour 6: a BGP default route overrides the Internet route. */
static void
test_ref6_bgp_default_overrides_internet(void **state)
{
	(void)state;
	ref_program(1, true);
	assert_string_equal(rows_text(f, "vm-hub-nic", buf, sizeof(buf)),
	    "Default Active 10.0.0.0/16 VnetLocal\n"
	    "Default Active 10.1.0.0/16 VNetPeering\n"
	    "Default Active 10.2.0.0/16 VNetPeering\n"
	    "VirtualNetworkGateway Active 0.0.0.0/0 VirtualNetworkGateway "
	    "10.0.0.4\n"
	    "VirtualNetworkGateway Active 10.10.0.0/16 VirtualNetworkGateway "
	    "10.0.0.4\n"
	    "VirtualNetworkGateway Active 192.168.1.0/24 "
	    "VirtualNetworkGateway 10.0.0.4\n"
	    "VirtualNetworkGateway Active 192.168.2.0/24 "
	    "VirtualNetworkGateway 10.0.3.5\n"
	    "VirtualNetworkGateway Active 192.168.3.0/24 "
	    "VirtualNetworkGateway 10.0.3.5\n"
	    "VirtualNetworkGateway Active 192.168.4.0/24 "
	    "VirtualNetworkGateway 10.0.3.5\n"
	    "VirtualNetworkGateway Active 192.168.10.0/24 "
	    "VirtualNetworkGateway 10.0.0.4\n");
	assert_int_equal(nrows(f, "vm-spoke1-nic", "0.0.0.0/0", "10.0.0.4"), 1);
	assert_int_equal(nrows(f, "nva-nic", "0.0.0.0/0", "10.0.0.4"), 1);
	assert_int_equal(nrows(f, "vm-spoke2-nic", "0.0.0.0/0", NULL), 1);
	/* A route table on the NVA subnet sends 0/0 to the Internet. */
	must(put_rt(t, "rt-nva", false));
	must(put_route(
	    t, "rt-nva", "internet", "0.0.0.0/0", TOPO_HOP_INTERNET, NULL));
	must(put_subnet(t, "hub", "nva", "10.0.0.0/24", "rt-nva"));
	assert_int_equal(row(f, "nva-nic", FAB_SRC_GATEWAY, "0.0.0.0/0")->state,
	    FAB_INVALID);
	assert_int_equal(
	    row(f, "nva-nic", FAB_SRC_USER, "0.0.0.0/0")->state, FAB_ACTIVE);
}

int
main(void)
{
#define T(fn, s) cmocka_unit_test_setup_teardown(fn, s, teardown)
	const struct CMUnitTest tests[] = {
		T(test_r34_default_system_routes, setup_spec),
		T(test_r34_reserved_ranges_adjusted, setup_spec),
		T(test_r35_global_peering, setup_spec),
		T(test_r35_region_display_name, setup_spec),
		T(test_r35_service_endpoint, setup_spec),
		T(test_t2_learned_route_programmed, setup_spec),
		T(test_t3_ecmp_two_nvas, setup_spec),
		T(test_t9_default_route_from_nva, setup_spec),
		T(test_t11_propagation_disabled, setup_spec),
		T(test_t13_udr_more_specific_none, setup_spec),
		T(test_t14_use_remote_gateways_toggle, setup_spec),
		T(test_t19_er_gateway_and_ars_routes, setup_spec),
		T(test_t25_nva_in_directly_peered_spoke, setup_spec),
		T(test_t27_one_instance_only, setup_spec),
		T(test_r26_vnet_set_filter_and_supernet, setup_spec),
		T(test_r36_system_route_beats_more_specific_bgp, setup_spec),
		T(test_r36_udr_overrides_bgp, setup_spec),
		T(test_r36_udr_overrides_vnetlocal, setup_spec),
		T(test_r37_udr_default_route, setup_spec),
		T(test_r37_keep_default_rows_option, setup_spec),
		T(test_r28_routing_preference, setup_spec),
		T(test_r31_unknown_resource_applies_nowhere, setup_spec),
		T(test_ref3_shortest_as_path_wins, setup_ref),
		T(test_ref4_gateway_routes_reach_spoke1_only, setup_ref),
		T(test_ref5_system_routes_beat_bgp, setup_ref),
		T(test_ref6_bgp_default_overrides_internet, setup_ref),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
