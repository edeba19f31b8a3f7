/* SPDX-License-Identifier: ISC */
/* tests/topology/lab.h - topologies for unit tests: the spec 9 lab and the reference lab. */

#ifndef VRS_TESTS_TOPOLOGY_LAB_H
#define VRS_TESTS_TOPOLOGY_LAB_H

/*
 * Included by test files after <cmocka.h>.  The builders go through the
 * public _put functions, as the API does, and fail the test on refusal.
 */

#include <string.h>

#include "topology/topology.h"

#define UNUSED __attribute__((unused))

static struct topo_err lab_err;

UNUSED static void
must(bool ok)
{
	if (!ok)
		fail_msg("refused: %s: %s", lab_err.code, lab_err.msg);
}

UNUSED static struct prefix
P(const char *s) {
	struct prefix p;

	if (prefix_parse(s, &p, 0) != NULL)
		fail_msg("bad prefix %s", s);
	return p;
}

UNUSED static struct ipaddr
A(const char *s) {
	struct ipaddr a;

	if (!addr_parse(s, &a))
		fail_msg("bad address %s", s);
	return a;
}

UNUSED static bool
put_vnet(struct topo *t, const char *name, const char *loc, const char *p1)
{
	struct prefix ps[1] = { P(p1) };
	struct topo_vnet v = { .name = (char *)(uintptr_t)name,
		.location = (char *)(uintptr_t)loc,
		.prefixes = ps,
		.nprefixes = 1 };

	return topo_vnet_put(t, &v, &lab_err);
}

UNUSED static bool
put_subnet(struct topo *t, const char *vnet, const char *name, const char *pfx,
    const char *rt)
{
	struct topo_subnet s = { .vnet = (char *)(uintptr_t)vnet,
		.name = (char *)(uintptr_t)name,
		.prefix = P(pfx),
		.route_table = (char *)(uintptr_t)rt };

	return topo_subnet_put(t, &s, &lab_err);
}

UNUSED static bool
put_nic(struct topo *t, const char *name, const char *vnet, const char *subnet,
    const char *ip, bool fwd)
{
	struct topo_nic n = { .name = (char *)(uintptr_t)name,
		.vnet = (char *)(uintptr_t)vnet,
		.subnet = (char *)(uintptr_t)subnet,
		.ip = A(ip),
		.ip_forwarding = fwd };

	return topo_nic_put(t, &n, &lab_err);
}

UNUSED static bool
put_peering(struct topo *t, const char *vnet, const char *name,
    const char *remote, bool transit, bool use_remote)
{
	struct topo_peering p = { .vnet = (char *)(uintptr_t)vnet,
		.name = (char *)(uintptr_t)name,
		.remote = (char *)(uintptr_t)remote,
		.allow_vnet_access = true,
		.allow_forwarded_traffic = true,
		.allow_gateway_transit = transit,
		.use_remote_gateways = use_remote };

	return topo_peering_put(t, &p, &lab_err);
}

UNUSED static bool
put_rs(struct topo *t, const char *name, const char *vnet, bool b2b,
    enum topo_pref pref)
{
	struct topo_routeserver rs = { .name = (char *)(uintptr_t)name,
		.vnet = (char *)(uintptr_t)vnet,
		.b2b = b2b,
		.pref = pref };

	return topo_routeserver_put(t, &rs, &lab_err);
}

UNUSED static bool
put_bgpconn(struct topo *t, const char *rs, const char *name, const char *ip,
    uint32_t asn)
{
	struct topo_bgpconn c = { .name = (char *)(uintptr_t)name,
		.peer_ip = A(ip),
		.peer_asn = asn };

	return topo_bgpconn_put(t, rs, &c, &lab_err);
}

UNUSED static bool
put_gw(struct topo *t, const char *name, const char *vnet,
    enum topo_gw_type type, uint32_t asn, bool aa, const char *ip)
{
	struct topo_gateway g = { .name = (char *)(uintptr_t)name,
		.vnet = (char *)(uintptr_t)vnet,
		.type = type,
		.asn = asn,
		.active_active = aa,
		.enable_bgp = true };

	if (ip != NULL) {
		g.bgp_ips[0] = A(ip);
		g.nbgp_ips = 1;
	}
	return topo_gateway_put(t, &g, &lab_err);
}

UNUSED static bool
put_rt(struct topo *t, const char *name, bool disable_bgp)
{
	struct topo_route_table rt = { .name = (char *)(uintptr_t)name,
		.disable_bgp = disable_bgp };

	return topo_route_table_put(t, &rt, &lab_err);
}

UNUSED static bool
put_route(struct topo *t, const char *table, const char *name, const char *pfx,
    enum topo_hop hop, const char *ip)
{
	struct topo_route r = {
		.name = (char *)(uintptr_t)name, .prefix = P(pfx), .hop = hop
	};

	if (ip != NULL)
		r.hop_ip = A(ip);
	return topo_route_put(t, table, &r, &lab_err);
}

/*
 * The common topology of spec section 9: hub 10.1.0.0/16 with ARS
 * (10.1.1.4/.5), NVA1 10.1.2.4 AS 65001, NVA2 10.1.2.5 AS 65002, VMH
 * 10.1.3.4; spoke1 10.2.0.0/16 using the hub's gateways (VM1 10.2.0.4);
 * spoke2 10.3.0.0/16 peered without gateway flags (VM2 10.3.0.4).
 */
UNUSED static struct topo *
spec_topo(void)
{
	struct topo *t = topo_new();

	must(put_vnet(t, "hub", "eastus", "10.1.0.0/16"));
	must(put_subnet(t, "hub", "RouteServerSubnet", "10.1.1.0/26", NULL));
	must(put_subnet(t, "hub", "nva", "10.1.2.0/24", NULL));
	must(put_subnet(t, "hub", "vm", "10.1.3.0/24", NULL));
	must(put_subnet(t, "hub", "GatewaySubnet", "10.1.255.0/27", NULL));
	must(put_vnet(t, "spoke1", "eastus", "10.2.0.0/16"));
	must(put_subnet(t, "spoke1", "default", "10.2.0.0/24", NULL));
	must(put_vnet(t, "spoke2", "eastus", "10.3.0.0/16"));
	must(put_subnet(t, "spoke2", "default", "10.3.0.0/24", NULL));
	must(put_nic(t, "nva1-nic", "hub", "nva", "10.1.2.4", true));
	must(put_nic(t, "nva2-nic", "hub", "nva", "10.1.2.5", true));
	must(put_nic(t, "vmh-nic", "hub", "vm", "10.1.3.4", false));
	must(put_nic(t, "vm1-nic", "spoke1", "default", "10.2.0.4", false));
	must(put_nic(t, "vm2-nic", "spoke2", "default", "10.3.0.4", false));
	must(put_rs(t, "ars", "hub", false, TOPO_PREF_EXPRESSROUTE));
	must(put_bgpconn(t, "ars", "nva1", "10.1.2.4", 65001));
	must(put_bgpconn(t, "ars", "nva2", "10.1.2.5", 65002));
	must(put_peering(t, "hub", "hub-to-spoke1", "spoke1", true, false));
	must(put_peering(t, "spoke1", "spoke1-to-hub", "hub", false, true));
	must(put_peering(t, "hub", "hub-to-spoke2", "spoke2", false, false));
	must(put_peering(t, "spoke2", "spoke2-to-hub", "hub", false, false));
	return t;
}

/*
 * The reference lab (reference-lab.md).  Its VPN gateway runs ASN 65510
 * with one BGP address beside ARS, which strict Azure refuses (R1.10):
 * the lab runs in relaxed mode, where that is a warning.
 */
UNUSED static struct topo *
ref_lab_topo(void)
{
	struct topo_opts o = { .relaxed = true, .rs_subnet_max = 27 };
	struct topo *t = topo_new();

	must(topo_opts_set(t, &o, &lab_err));
	must(put_vnet(t, "hub", NULL, "10.0.0.0/16"));
	must(put_subnet(t, "hub", "nva", "10.0.0.0/24", NULL));
	must(put_subnet(t, "hub", "RouteServerSubnet", "10.0.2.0/27", NULL));
	must(put_subnet(t, "hub", "GatewaySubnet", "10.0.3.0/27", NULL));
	must(put_vnet(t, "spoke1", NULL, "10.1.0.0/16"));
	must(put_subnet(t, "spoke1", "default", "10.1.0.0/24", NULL));
	must(put_vnet(t, "spoke2", NULL, "10.2.0.0/16"));
	must(put_subnet(t, "spoke2", "default", "10.2.0.0/24", NULL));
	must(put_rs(t, "ars", "hub", false, TOPO_PREF_EXPRESSROUTE));
	must(put_bgpconn(t, "ars", "nva", "10.0.0.4", 65010));
	must(put_gw(t, "vpngw", "hub", TOPO_GW_VPN, 65510, false, "10.0.3.5"));
	must(put_peering(t, "hub", "hub-to-spoke1", "spoke1", true, false));
	must(put_peering(t, "spoke1", "spoke1-to-hub", "hub", false, true));
	must(put_peering(t, "hub", "hub-to-spoke2", "spoke2", false, false));
	must(put_peering(t, "spoke2", "spoke2-to-hub", "hub", false, false));
	must(put_nic(t, "nva-nic", "hub", "nva", "10.0.0.4", true));
	must(put_nic(t, "vm-hub-nic", "hub", "nva", "10.0.0.5", false));
	must(put_nic(
	    t, "vm-spoke1-nic", "spoke1", "default", "10.1.0.4", false));
	must(put_nic(
	    t, "vm-spoke2-nic", "spoke2", "default", "10.2.0.4", false));
	return t;
}

#endif
