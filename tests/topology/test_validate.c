/* SPDX-License-Identifier: ISC */
/* tests/topology/test_validate.c - unit tests for src/topology/validate.c: Azure's rules. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../topology/lab.h"

static struct topo *t;

static int
setup(void **state)
{
	(void)state;
	t = spec_topo();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	topo_free(t);
	return 0;
}

static void
refused(bool ok, const char *code)
{
	if (ok)
		fail_msg("accepted, expected %s", code);
	assert_string_equal(lab_err.code, code);
}

static void
test_subnet_inside_vnet_and_disjoint(void **state)
{
	(void)state;
	refused(put_subnet(t, "hub", "x", "10.2.0.0/24", NULL),
	    "NetcfgSubnetRangeOutsideVnet");
	assert_non_null(strstr(lab_err.msg, "hub/x"));
	refused(put_subnet(t, "hub", "x", "10.1.2.128/25", NULL),
	    "NetcfgSubnetRangesOverlap");
	assert_non_null(strstr(lab_err.msg, "nva"));
	refused(put_subnet(t, "hub", "x", "10.1.9.0/30", NULL),
	    "InvalidAddressPrefix");
}

/* T24 and R1.2/R1.3: name, size, one per VNet. */
static void
test_t24_route_server_subnet_rules(void **state)
{
	struct topo_opts o = { .rs_subnet_max = 26 };

	(void)state;
	must(put_vnet(t, "other", NULL, "10.9.0.0/16"));
	must(put_subnet(t, "other", "RSSubnet", "10.9.1.0/26", NULL));
	refused(
	    put_rs(t, "rs2", "other", false, 0), "RouteServerSubnetMissing");
	refused(
	    put_subnet(t, "other", "RouteServerSubnet", "10.9.2.0/28", NULL),
	    "InvalidRouteServerSubnet");
	/* /27: accepted with a warning in the default mode. */
	must(put_subnet(t, "other", "RouteServerSubnet", "10.9.2.0/27", NULL));
	assert_int_equal(t->nwarnings, 1);
	assert_non_null(strstr(t->warnings[0], "/27"));
	must(put_rs(t, "rs2", "other", false, 0));
	/* ... and refused in /26 mode. */
	refused(topo_opts_set(t, &o, &lab_err), "InvalidRouteServerSubnet");
	/* A second route server in hub. */
	refused(put_rs(t, "rs3", "hub", false, 0), "RouteServerAlreadyExists");
	/* No route table on RouteServerSubnet. */
	must(put_rt(t, "rt", false));
	refused(put_subnet(t, "hub", "RouteServerSubnet", "10.1.1.0/26", "rt"),
	    "InvalidRouteServerSubnet");
}

/* T16 and R1.7: reserved and 4-byte ASNs. */
static void
test_t16_reserved_peer_asns(void **state)
{
	const uint32_t bad[] = { 65515, 65517, 12076, 23456, 64500, 65535,
		4200000001u, 8074, 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(put_bgpconn(t, "ars", "x", "10.1.2.6", bad[i]),
		    "InvalidPeerAsn");
	must(put_bgpconn(t, "ars", "x", "10.1.2.6", 65001));
	assert_true(topo_peer_asn_ok(65516, NULL));
}

/* T16, R1.9: a ninth bgpConnection is refused in strict mode. */
static void
test_t16_ninth_peer_strict_and_relaxed(void **state)
{
	struct topo_opts o = { .relaxed = true, .rs_subnet_max = 27 };
	char name[16], ip[16];
	int i;

	(void)state;
	for (i = 3; i <= 8; i++) {
		snprintf(name, sizeof(name), "nva%d", i);
		snprintf(ip, sizeof(ip), "10.1.2.%d", 10 + i);
		must(put_bgpconn(t, "ars", name, ip, 65000 + (uint32_t)i));
	}
	refused(put_bgpconn(t, "ars", "nva9", "10.1.2.19", 65009),
	    "RouteServerPeerLimitExceeded");
	must(topo_opts_set(t, &o, &lab_err));
	must(put_bgpconn(t, "ars", "nva9", "10.1.2.19", 65009));
}

/* T25, R1.7: the peer must be in the ARS VNet or a peered VNet. */
static void
test_t25_peer_ip_location(void **state)
{
	(void)state;
	must(put_bgpconn(t, "ars", "nva3", "10.3.0.10", 65003));
	must(put_vnet(t, "far", NULL, "10.9.0.0/16"));
	refused(
	    put_bgpconn(t, "ars", "nva4", "10.9.0.4", 65004), "InvalidPeerIp");
	refused(
	    put_bgpconn(t, "ars", "self", "10.1.1.4", 65004), "InvalidPeerIp");
	refused(
	    put_bgpconn(t, "ars", "dup", "10.1.2.4", 65004), "DuplicatePeerIp");
}

/* T22, R1.10: ARS beside an active-standby VPN gateway. */
static void
test_t22_vpn_gateway_not_active_active(void **state)
{
	(void)state;
	refused(put_gw(t, "vpngw", "hub", TOPO_GW_VPN, 65515, false, NULL),
	    "VpnGatewayNotActiveActive");
	assert_non_null(strstr(lab_err.msg, "not in Active-Active mode"));
	must(put_gw(t, "vpngw", "hub", TOPO_GW_VPN, 65515, true, NULL));
	assert_int_equal(topo_gateway_lookup(t, "vpngw")->nbgp_ips, 2);
	assert_int_equal(t->nwarnings, 0);
}

static void
test_overlapping_peered_vnets(void **state)
{
	(void)state;
	must(put_vnet(t, "dup", NULL, "10.2.128.0/17"));
	refused(put_peering(t, "dup", "dup-to-spoke1", "spoke1", false, false),
	    "VnetAddressSpacesOverlap");
	/* Not peered: overlap is allowed. */
	must(put_peering(t, "dup", "dup-to-hub", "hub", false, false));
}

/* R3.1: useRemoteGateways rules. */
static void
test_use_remote_gateways_rules(void **state)
{
	(void)state;
	/* spoke2 -> hub with useRemoteGateways, but hub's half lacks
	   allowGatewayTransit. */
	refused(put_peering(t, "spoke2", "spoke2-to-hub", "hub", false, true),
	    "RemotePeeringDoesNotAllowGatewayTransit");
	/* Toward a VNet without a gateway. */
	must(put_peering(t, "hub", "hub-to-spoke2", "spoke2", false, false));
	refused(put_peering(t, "hub", "hub-to-spoke1", "spoke1", false, true),
	    "InvalidPeering"); /* hub has its own route server */
	must(put_vnet(t, "s3", NULL, "10.4.0.0/16"));
	must(put_peering(t, "spoke1", "spoke1-to-s3", "s3", false, false));
	refused(put_peering(t, "s3", "s3-to-spoke1", "spoke1", false, true),
	    "RemoteVnetHasNoGateways");
}

static void
test_nic_address_rules(void **state)
{
	(void)state;
	refused(put_nic(t, "x", "hub", "vm", "10.1.4.4", false),
	    "PrivateIPAddressNotInSubnet");
	refused(put_nic(t, "x", "hub", "vm", "10.1.3.3", false),
	    "PrivateIPAddressIsReserved");
	refused(put_nic(t, "x", "hub", "vm", "10.1.3.255", false),
	    "PrivateIPAddressIsReserved");
	refused(put_nic(t, "x", "hub", "vm", "10.1.3.4", false),
	    "PrivateIPAddressInUse");
	refused(put_nic(t, "x", "hub", "RouteServerSubnet", "10.1.1.10", false),
	    "SubnetIsReserved");
	refused(put_nic(t, "x", "hub", "nope", "10.1.3.9", false),
	    "ResourceNotFound");
}

/* The document with a copy of NIC src under name, at address ip. */
static bool
doc_with_nic_copy(const char *src, const char *name, const char *ip)
{
	json_t *doc = topo_to_json(t),
	       *nics = json_object_get(doc, "networkInterfaces");
	json_t *n, *c = NULL;
	struct topo *out = NULL;
	size_t i;
	bool ok;

	json_array_foreach(nics, i, n)
	{
		if (strcmp(json_string_value(json_object_get(n, "name")),
		        src) == 0)
			c = json_deep_copy(n);
	}
	assert_non_null(c);
	json_object_set_new(c, "name", json_string(name));
	json_object_set_new(
	    json_array_get(json_object_get(c, "ipConfigurations"), 0),
	    "privateIPAddress", json_string(ip));
	json_array_append_new(nics, c);
	ok = topo_from_json(doc, &out, &lab_err);
	json_decref(doc);
	topo_free(out);
	return ok;
}

/* A document (a state file, an import) can hold what a put cannot. */
static void
test_nic_duplicates_in_a_document(void **state)
{
	(void)state;
	/* vm1-nic holds 10.2.0.4 in spoke1; vmh-nic 10.1.3.4 in hub */
	refused(doc_with_nic_copy("vm1-nic", "vm1-nic", "10.2.0.9"),
	    "DuplicateResourceName");
	assert_non_null(strstr(lab_err.msg, "vm1-nic is defined twice"));
	refused(doc_with_nic_copy("vm1-nic", "other", "10.2.0.4"),
	    "PrivateIPAddressInUse");
	assert_non_null(strstr(lab_err.msg, "already used by vm1-nic"));
	/* the same address in another VNet (not peered) is another address */
	must(put_vnet(t, "far", "eastus", "10.2.0.0/16"));
	must(put_subnet(t, "far", "default", "10.2.0.0/24", NULL));
	must(put_nic(t, "far-nic", "far", "default", "10.2.0.4", false));
	must(doc_with_nic_copy("far-nic", "far-nic2", "10.2.0.5"));
	refused(doc_with_nic_copy("far-nic", "far-nic2", "10.2.0.4"),
	    "PrivateIPAddressInUse");
	assert_non_null(strstr(lab_err.msg, "already used by far-nic"));
}

static void
test_route_rules(void **state)
{
	(void)state;
	must(put_rt(t, "rt", false));
	refused(put_route(t, "rt", "r", "10.0.0.0/8", TOPO_HOP_APPLIANCE, NULL),
	    "InvalidNextHopIpAddress");
	refused(put_route(
	            t, "rt", "r", "10.0.0.0/8", TOPO_HOP_INTERNET, "10.1.2.4"),
	    "InvalidNextHopIpAddress");
	must(put_route(t, "rt", "r", "10.0.0.0/8", TOPO_HOP_NONE, NULL));
	refused(put_route(t, "rt", "r2", "10.0.0.0/8", TOPO_HOP_INTERNET, NULL),
	    "RouteConflict");
	refused(put_subnet(t, "hub", "vm", "10.1.3.0/24", "missing"),
	    "ResourceNotFound");
}

static void
test_gateway_rules(void **state)
{
	(void)state;
	must(put_vnet(t, "gwless", NULL, "10.8.0.0/16"));
	refused(put_gw(t, "g", "gwless", TOPO_GW_VPN, 65515, true, NULL),
	    "GatewaySubnetMissing");
	refused(put_gw(t, "er", "hub", TOPO_GW_ER, 65001, false, NULL),
	    "InvalidAsn");
	refused(put_gw(t, "er", "hub", TOPO_GW_ER, 0, false, "10.1.3.4"),
	    "InvalidBgpPeeringAddress");
	must(put_gw(t, "er", "hub", TOPO_GW_ER, 0, false, NULL));
	refused(put_gw(t, "er2", "hub", TOPO_GW_ER, 0, false, NULL),
	    "GatewayAlreadyExists");
}

/*
 * A VPN and an ExpressRoute gateway coexist in one GatewaySubnet, each
 * with addresses of its own: the second takes the first free ones after
 * .4 (both had .4 and .5, and the live lab could not give the second
 * its sessions with the route server: fuzz_live).  An address another
 * gateway has is refused.
 */
static void
test_coexisting_gateways_addresses(void **state)
{
	const struct topo_gateway *vpn, *er;
	struct ipaddr a4 = A("10.1.255.4"), a5 = A("10.1.255.5");
	struct ipaddr a6 = A("10.1.255.6");

	(void)state;
	must(put_gw(t, "vpngw", "hub", TOPO_GW_VPN, 65515, true, NULL));
	must(put_gw(t, "er", "hub", TOPO_GW_ER, 0, false, NULL));
	vpn = topo_gateway_lookup(t, "vpngw");
	er = topo_gateway_lookup(t, "er");
	assert_int_equal(vpn->nbgp_ips, 2);
	assert_int_equal(addr_cmp(&vpn->bgp_ips[0], &a4), 0);
	assert_int_equal(addr_cmp(&vpn->bgp_ips[1], &a5), 0);
	assert_int_equal(er->nbgp_ips, 1);
	assert_int_equal(addr_cmp(&er->bgp_ips[0], &a6), 0);
	/* taken: refused, and the accepted state stays */
	refused(put_gw(t, "er", "hub", TOPO_GW_ER, 0, false, "10.1.255.5"),
	    "InvalidBgpPeeringAddress");
	assert_non_null(
	    strstr(lab_err.msg, "both have BGP address 10.1.255.5"));
	er = topo_gateway_lookup(t, "er");
	assert_int_equal(addr_cmp(&er->bgp_ips[0], &a6), 0);
	must(put_gw(t, "er", "hub", TOPO_GW_ER, 0, false, "10.1.255.9"));
}

/*
 * A resource group's name follows Azure's rule; a '/' in it made the
 * rendered resource IDs read back as other resources (F10, fuzz_model).
 */
static void
test_resource_group_name(void **state)
{
	static const char *bad[] = { "la/virtualNetworks/b", "a.", "a b",
		"rg\\x", "" };
	char long_rg[92];
	struct topo_err err;
	struct topo *r;
	json_t *doc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		doc = json_pack("{s:s}", "resourceGroup", bad[i]);
		memset(&err, 0, sizeof(err));
		r = (struct topo *)1;
		if (topo_from_json(doc, &r, &err))
			fail_msg("resource group '%s' accepted", bad[i]);
		assert_string_equal(err.code, "InvalidResourceGroup");
		json_decref(doc);
	}
	memset(long_rg, 'a', sizeof(long_rg) - 1);
	long_rg[91] = '\0';
	doc = json_pack("{s:s}", "resourceGroup", long_rg);
	assert_false(topo_from_json(doc, &r, &err));
	assert_non_null(strstr(err.msg, "91 characters"));
	json_decref(doc);
	long_rg[90] = '\0'; /* 90: the longest Azure takes */
	doc = json_pack("{s:s}", "resourceGroup", long_rg);
	assert_true(topo_from_json(doc, &r, &err));
	topo_free(r);
	json_decref(doc);
	doc = json_pack("{s:s}", "resourceGroup", "Lab-1_(west).eu");
	if (!topo_from_json(doc, &r, &err))
		fail_msg("refused: %s", err.msg);
	assert_string_equal(r->resource_group, "Lab-1_(west).eu");
	topo_free(r);
	json_decref(doc);
}

/* Regions: name or display name, any case, kept as the name. */
static void
test_location_names(void **state)
{
	static const char *bad[] = { "east-us", "eastus/x", "east\tus", "   " };
	struct topo_err err;
	struct topo *r;
	json_t *doc;
	size_t i;

	(void)state;
	must(put_vnet(t, "v1", "West Europe", "10.60.0.0/16"));
	must(put_vnet(t, "v2", "EASTUS2", "10.61.0.0/16"));
	must(put_vnet(t, "v3", "", "10.62.0.0/16"));
	assert_string_equal(topo_vnet_lookup(t, "v1")->location, "westeurope");
	assert_string_equal(topo_vnet_lookup(t, "v2")->location, "eastus2");
	assert_string_equal(topo_vnet_lookup(t, "v3")->location, t->location);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		refused(put_vnet(t, "v4", bad[i], "10.63.0.0/16"),
		    "LocationNotAvailableForResourceType");
		assert_null(topo_vnet_lookup(t, "v4"));
	}
	assert_non_null(strstr(lab_err.msg, "virtual network v4"));
	doc = json_pack("{s:s}", "location", "Sweden Central");
	if (!topo_from_json(doc, &r, &err))
		fail_msg("refused: %s", err.msg);
	assert_string_equal(r->location, "swedencentral");
	topo_free(r);
	json_decref(doc);
	doc = json_pack("{s:s}", "location", "north_europe");
	assert_false(topo_from_json(doc, &r, &err));
	assert_string_equal(err.code, "LocationNotAvailableForResourceType");
	assert_non_null(strstr(err.msg, "character 6 ('_')"));
	json_decref(doc);
}

/* The reference lab's VPN gateway: warnings in relaxed mode. */
static void
test_reference_lab_warnings(void **state)
{
	struct topo *r = ref_lab_topo();

	(void)state;
	assert_int_equal(r->nwarnings, 3); /* /27, not AA, ASN 65510 */
	topo_free(r);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_subnet_inside_vnet_and_disjoint),
		T(test_resource_group_name),
		T(test_location_names),
		T(test_t24_route_server_subnet_rules),
		T(test_t16_reserved_peer_asns),
		T(test_t16_ninth_peer_strict_and_relaxed),
		T(test_t25_peer_ip_location),
		T(test_t22_vpn_gateway_not_active_active),
		T(test_overlapping_peered_vnets),
		T(test_use_remote_gateways_rules),
		T(test_nic_address_rules),
		T(test_nic_duplicates_in_a_document),
		T(test_route_rules),
		T(test_gateway_rules),
		T(test_coexisting_gateways_addresses),
		T(test_reference_lab_warnings),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
