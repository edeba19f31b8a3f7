/* SPDX-License-Identifier: ISC */
/* cli/armgen.c - vrs lab import-arm: each resource kind as its vrs network command. */

#include "cli/arm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- one generator per kind ---- */

/* The location of a resource as a command option, or "". */
static void
loc_opt(struct aimp *a, struct aobj *o, char *out, size_t len)
{
	const char *l = arm_jstr(a, o, o->res, "", "location", false);
	char buf[48];
	size_t i, n = 0;

	out[0] = '\0';
	if (l == NULL)
		return;
	for (i = 0; l[i] != '\0' && n + 1 < sizeof(buf); i++)
		if (l[i] != ' ')
			buf[n++] = (char)((l[i] >= 'A' && l[i] <= 'Z')
			        ? l[i] - 'A' + 'a'
			        : l[i]);
	buf[n] = '\0';
	if (n == 0 ||
	    strspn(buf, "abcdefghijklmnopqrstuvwxyz0123456789") != n) {
		arm_onote(a, o,
		    "location %.40s: ignored (expected a region name)", l);
		return;
	}
	snprintf(out, len, " -l %s", buf);
}

static void
gen_vnet(struct aimp *a, struct aobj *o)
{
	static const char *const used[] = { "addressSpace", "subnets",
		"virtualNetworkPeerings", NULL };
	json_t *as, *list, *v;
	struct sbuf b;
	struct prefix p;
	char s[PREFIX_STRLEN], loc[64], key[48];
	size_t i;
	bool good = true;

	as =
	    arm_jget(a, o, o->props, o->rel, "addressSpace", JSON_OBJECT, true);
	if (as == NULL)
		return;
	sbuf_init(&b);
	sbuf_printf(&b, "%s%saddressSpace", o->rel, o->rel[0] ? "." : "");
	list = arm_jget(a, o, as, b.s, "addressPrefixes", JSON_ARRAY, true);
	sbuf_reset(&b);
	if (list == NULL || json_array_size(list) == 0) {
		if (list != NULL)
			arm_oerr(a, o, o->rel, "addressSpace.addressPrefixes",
			    "expected at least one prefix");
		sbuf_fini(&b);
		return;
	}
	json_array_foreach(list, i, v)
	{
		arm_fmt(
		    key, sizeof(key), "addressSpace.addressPrefixes[%zu]", i);
		if (!arm_jpfx(a, o, v, o->rel, key, &p, s))
			good = false;
		else
			sbuf_printf(&b, " %s", s);
	}
	loc_opt(a, o, loc, sizeof(loc));
	if (good) {
		arm_cmd(a, "vnet create -n %s --address-prefixes%s%s", o->name,
		    b.s, loc);
		o->ok = true;
	}
	sbuf_fini(&b);
	arm_unused(a, o, o->props, o->rel, used);
}

static void
gen_subnet(struct aimp *a, struct aobj *o)
{
	static const char *const used[] = { "addressPrefix", "addressPrefixes",
		"routeTable", "ipConfigurations", NULL };
	struct aobj *vnet = arm_find(a, K_VNET, NULL, o->parent), *rt;
	const char *one =
	    arm_jstr(a, o, o->props, o->rel, "addressPrefix", false);
	json_t *list = arm_jget(
	    a, o, o->props, o->rel, "addressPrefixes", JSON_ARRAY, false);
	char names[ARM_ID_LEVELS][88], s[PREFIX_STRLEN], rtopt[120] = "";
	json_t *pv;

	if (vnet == NULL || !vnet->ok) {
		arm_onote(a, o,
		    "ignored (its VNet %s is not in the input, or was not "
		    "imported)",
		    o->parent);
		return;
	}
	pv = one != NULL ? json_object_get(o->props, "addressPrefix")
	                 : json_array_get(list, 0);
	if (pv == NULL) {
		arm_oerr(a, o, o->rel, "addressPrefix", "missing");
		return;
	}
	if (!arm_jpfx(a, o, pv, o->rel,
	        one != NULL ? "addressPrefix" : "addressPrefixes[0]", &o->pfx,
	        s))
		return;
	if (one == NULL && json_array_size(list) > 1)
		arm_onote(a, o,
		    "%s%saddressPrefixes: only the first is used (a vrs "
		    "subnet has one prefix)",
		    o->rel, o->rel[0] ? "." : "");
	if (json_object_get(o->props, "routeTable") != NULL &&
	    !json_is_null(json_object_get(o->props, "routeTable"))) {
		if (!arm_jref(a, o, o->props, o->rel, "routeTable", K_RTABLE,
		        NULL, names, false))
			return;
		rt = arm_find(a, K_RTABLE, NULL, names[0]);
		if (rt != NULL && rt->ok)
			snprintf(rtopt, sizeof(rtopt), " --route-table %s",
			    names[0]);
		else
			arm_onote(a, o,
			    "routeTable %s: not in the input; the subnet has "
			    "none",
			    names[0]);
	}
	arm_cmd(a,
	    "vnet subnet create --vnet-name %s -n %s --address-prefixes %s%s",
	    o->parent, o->name, s, rtopt);
	o->ok = true;
	arm_unused(a, o, o->props, o->rel, used);
}

static void
gen_rtable(struct aimp *a, struct aobj *o)
{
	static const char *const used[] = { "disableBgpRoutePropagation",
		"routes", "subnets", NULL };
	char loc[64];
	bool dis = arm_jbool(
	    a, o, o->props, o->rel, "disableBgpRoutePropagation", false);

	loc_opt(a, o, loc, sizeof(loc));
	arm_cmd(a, "route-table create -n %s%s%s", o->name, loc,
	    dis ? " --disable-bgp-route-propagation true" : "");
	o->ok = true;
	arm_unused(a, o, o->props, o->rel, used);
}

static const char *const hops[] = { "VirtualNetworkGateway", "VnetLocal",
	"Internet", "VirtualAppliance", "None", NULL };

static void
gen_route(struct aimp *a, struct aobj *o)
{
	static const char *const used[] = { "addressPrefix", "nextHopType",
		"nextHopIpAddress", "hasBgpOverride", NULL };
	struct aobj *rt = arm_find(a, K_RTABLE, NULL, o->parent);
	const char *pfx =
	    arm_jstr(a, o, o->props, o->rel, "addressPrefix", true);
	const char *hop = arm_jstr(a, o, o->props, o->rel, "nextHopType", true);
	const char *ip =
	    arm_jstr(a, o, o->props, o->rel, "nextHopIpAddress", false);
	struct prefix p;
	struct ipaddr h;
	char s[PREFIX_STRLEN], hs[ADDR_STRLEN + 32] = "";
	int i;

	if (rt == NULL || !rt->ok) {
		arm_onote(
		    a, o, "ignored (its route table is not in the input)");
		return;
	}
	if (pfx == NULL || hop == NULL)
		return;
	for (i = 0; hops[i] != NULL && strcasecmp(hops[i], hop) != 0; i++)
		;
	if (hops[i] == NULL) {
		arm_oerr(a, o, o->rel, "nextHopType",
		    "%.40s: expected VirtualNetworkGateway, VnetLocal, "
		    "Internet, VirtualAppliance or None",
		    hop);
		return;
	}
	if (prefix_parse(pfx, &p, 0) != NULL &&
	    strspn(pfx,
	        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	        "0123456789.") == strlen(pfx)) {
		arm_onote(a, o,
		    "addressPrefix %.60s: ignored (a service tag; vrs "
		    "routes take prefixes)",
		    pfx);
		return;
	}
	if (!arm_jpfx(a, o, json_object_get(o->props, "addressPrefix"), o->rel,
	        "addressPrefix", &p, s))
		return;
	if (strcmp(hops[i], "VirtualAppliance") == 0) {
		if (ip == NULL) {
			arm_oerr(a, o, o->rel, "nextHopIpAddress",
			    "missing (VirtualAppliance needs one)");
			return;
		}
		if (!arm_jaddr(a, o, ip, o->rel, "nextHopIpAddress", &h))
			return;
		snprintf(hs, sizeof(hs), " --next-hop-ip-address ");
		addr_print(&h, hs + strlen(hs), ADDR_STRLEN);
	}
	arm_cmd(a,
	    "route-table route create --route-table-name %s -n %s "
	    "--address-prefix %s --next-hop-type %s%s",
	    o->parent, o->name, s, hops[i], hs);
	o->ok = true;
	arm_unused(a, o, o->props, o->rel, used);
}

static void
gen_peering(struct aimp *a, struct aobj *o)
{
	static const char *const used[] = { "remoteVirtualNetwork",
		"allowVirtualNetworkAccess", "allowForwardedTraffic",
		"allowGatewayTransit", "useRemoteGateways", NULL };
	struct aobj *vnet = arm_find(a, K_VNET, NULL, o->parent), *rv;
	char names[ARM_ID_LEVELS][88];
	bool acc, fwd, gwt, urg;

	if (vnet == NULL || !vnet->ok) {
		arm_onote(a, o, "ignored (its VNet %s is not in the input)",
		    o->parent);
		return;
	}
	if (!arm_jref(a, o, o->props, o->rel, "remoteVirtualNetwork", K_VNET,
	        NULL, names, true))
		return;
	acc = arm_jbool(
	    a, o, o->props, o->rel, "allowVirtualNetworkAccess", true);
	fwd = arm_jbool(a, o, o->props, o->rel, "allowForwardedTraffic", false);
	gwt = arm_jbool(a, o, o->props, o->rel, "allowGatewayTransit", false);
	urg = arm_jbool(a, o, o->props, o->rel, "useRemoteGateways", false);
	if ((rv = arm_find(a, K_VNET, NULL, names[0])) == NULL || !rv->ok) {
		arm_onote(a, o,
		    "ignored (the remote VNet %s is not in the input: export "
		    "its resource group too)",
		    names[0]);
		return;
	}
	arm_cmd(a,
	    "vnet peering create --vnet-name %s -n %s --remote-vnet %s%s%s%s%s",
	    o->parent, o->name, names[0],
	    acc ? " --allow-vnet-access" : " --allow-vnet-access false",
	    fwd ? " --allow-forwarded-traffic" : "",
	    gwt ? " --allow-gateway-transit" : "",
	    urg ? " --use-remote-gateways" : "");
	o->ok = true;
	arm_unused(a, o, o->props, o->rel, used);
}

/* The properties of list item i of key (nested "properties" or flat). */
static json_t *
item_props(json_t *item, char *rel, size_t len, const char *base,
    const char *key, size_t i)
{
	json_t *p = json_object_get(item, "properties");

	snprintf(rel, len, "%s%s%s[%zu]%s", base, base[0] ? "." : "", key, i,
	    json_is_object(p) ? ".properties" : "");
	return json_is_object(p) ? p : item;
}

/* Is ip some NIC's address already? */
static bool
addr_taken(struct aimp *a, const struct ipaddr *ip)
{
	size_t i;

	for (i = 0; i < a->nobjs; i++)
		if (a->objs[i].kind == K_NIC && a->objs[i].nip == 1 &&
		    addr_cmp(&a->objs[i].ip[0], ip) == 0)
			return true;
	return false;
}

/* The first free address of subnet s from .4 (Azure keeps .0-.3). */
static bool
addr_alloc(struct aimp *a, const struct aobj *s, struct ipaddr *ip)
{
	uint32_t base, n, k;

	if (s->pfx.af != ADDR_V4 || s->pfx.len > 29)
		return false;
	base = (uint32_t)s->pfx.a[0] << 24 | (uint32_t)s->pfx.a[1] << 16 |
	    (uint32_t)s->pfx.a[2] << 8 | s->pfx.a[3];
	n = s->pfx.len == 0 ? UINT32_MAX : (1u << (32 - s->pfx.len)) - 1;
	for (k = 4; k < n && k < 65536; k++) {
		memset(ip, 0, sizeof(*ip));
		ip->af = ADDR_V4;
		ip->a[0] = (uint8_t)((base + k) >> 24);
		ip->a[1] = (uint8_t)((base + k) >> 16);
		ip->a[2] = (uint8_t)((base + k) >> 8);
		ip->a[3] = (uint8_t)(base + k);
		if (!addr_taken(a, ip) &&
		    (strcasecmp(s->name, "RouteServerSubnet") != 0 || k > 5))
			return true;
	}
	return false;
}

/* The NIC's IP configuration: its subnet and address (pass 1). */
static void
nic_read(struct aimp *a, struct aobj *o, struct aobj **sub)
{
	static const char *const used[] = { "privateIPAddress",
		"privateIPAllocationMethod", "subnet", "primary",
		"privateIPAddressVersion", NULL };
	json_t *ipcs, *ipc, *p, *pick = NULL;
	char names[ARM_ID_LEVELS][88], rel[WHERE_LEN], prel[WHERE_LEN] = "";
	const char *ip;
	size_t i, at = 0;

	*sub = NULL;
	ipcs = arm_jget(
	    a, o, o->props, o->rel, "ipConfigurations", JSON_ARRAY, true);
	if (ipcs == NULL)
		return;
	json_array_foreach(ipcs, i, ipc)
	{
		p = item_props(
		    ipc, rel, sizeof(rel), o->rel, "ipConfigurations", i);
		if (!json_is_object(ipc)) {
			arm_oerr(a, o, rel, "", "expected an object");
			return;
		}
		if (pick == NULL ||
		    json_is_true(json_object_get(p, "primary"))) {
			pick = p;
			at = i;
			snprintf(prel, sizeof(prel), "%s", rel);
		}
	}
	if (pick == NULL) {
		arm_oerr(a, o, o->rel, "ipConfigurations",
		    "expected at least one IP configuration");
		return;
	}
	json_array_foreach(ipcs, i, ipc) if (i != at) arm_onote(a, o,
	    "%s%sipConfigurations[%zu]: ignored (a vrs NIC has one IP "
	    "configuration: the primary)",
	    o->rel, o->rel[0] ? "." : "", i);
	if (!arm_jref(a, o, pick, prel, "subnet", K_SUBNET, NULL, names, true))
		return;
	*sub = arm_find(a, K_SUBNET, names[0], names[1]);
	if (*sub == NULL || !(*sub)->ok) {
		arm_onote(a, o,
		    "ignored (its subnet %s/%s is not in the input)", names[0],
		    names[1]);
		*sub = NULL;
		return;
	}
	ip = arm_jstr(a, o, pick, prel, "privateIPAddress", false);
	if (ip != NULL &&
	    arm_jaddr(a, o, ip, prel, "privateIPAddress", &o->ip[0]))
		o->nip = 1;
	arm_unused(a, o, pick, prel, used);
}

static void
gen_nics(struct aimp *a)
{
	static const char *const used[] = { "ipConfigurations",
		"enableIPForwarding", "virtualMachine", NULL };
	struct aobj **subs = xcalloc(a->nobjs + 1, sizeof(*subs)), *o;
	char names[ARM_ID_LEVELS][88], ip[ADDR_STRLEN], vm[120];
	size_t i;
	bool fwd;

	for (i = 0; i < a->nobjs; i++)
		if (a->objs[i].kind == K_NIC)
			nic_read(a, &a->objs[i], &subs[i]);
	for (i = 0; i < a->nobjs; i++) {
		o = &a->objs[i];
		if (o->kind != K_NIC || subs[i] == NULL)
			continue;
		if (o->nip == 0) {
			if (!addr_alloc(a, subs[i], &o->ip[0])) {
				arm_onote(a, o,
				    "ignored (no privateIPAddress, and no "
				    "free address in %s/%s)",
				    subs[i]->parent, subs[i]->name);
				continue;
			}
			o->nip = 1;
			arm_onote(a, o,
			    "no privateIPAddress (Dynamic, not deployed): %s "
			    "assumed, the first free address of %s/%s",
			    addr_print(&o->ip[0], ip, sizeof(ip)),
			    subs[i]->parent, subs[i]->name);
		}
		fwd = arm_jbool(
		    a, o, o->props, o->rel, "enableIPForwarding", false);
		vm[0] = '\0';
		if (json_is_object(
		        json_object_get(o->props, "virtualMachine")) &&
		    arm_jref(a, o, o->props, o->rel, "virtualMachine", 0,
		        "Microsoft.Compute/virtualMachines", names, false))
			snprintf(vm, sizeof(vm), " --vm-name %s", names[0]);
		arm_cmd(a,
		    "nic create -n %s --vnet-name %s --subnet %s "
		    "--private-ip-address %s%s%s",
		    o->name, subs[i]->parent, subs[i]->name,
		    addr_print(&o->ip[0], ip, sizeof(ip)),
		    fwd ? " --ip-forwarding" : "", vm);
		o->ok = true;
		arm_unused(a, o, o->props, o->rel, used);
	}
	free(subs);
}

/* The ARS instances' addresses: .4 and .5 of its RouteServerSubnet. */
static bool
rs_ips(struct aimp *a, const char *vnet, struct ipaddr ips[2])
{
	struct aobj *s = arm_find(a, K_SUBNET, vnet, "RouteServerSubnet");
	int i;

	if (s == NULL || s->pfx.af != ADDR_V4)
		return false;
	for (i = 0; i < 2; i++) {
		memset(&ips[i], 0, sizeof(ips[i]));
		ips[i].af = ADDR_V4;
		memcpy(ips[i].a, s->pfx.a, 4);
		ips[i].a[3] = (uint8_t)(ips[i].a[3] + 4 + i);
	}
	return true;
}

/* virtualRouterIps as exported, against the .4 and .5 vrs uses. */
static void
rs_ips_check(struct aimp *a, struct aobj *o)
{
	json_t *ips = json_object_get(o->props, "virtualRouterIps");
	char want[2][ADDR_STRLEN];
	const char *s;
	struct ipaddr ip;
	size_t i;
	int hit = 0;

	if (!json_is_array(ips) || o->nip != 2)
		return;
	addr_print(&o->ip[0], want[0], sizeof(want[0]));
	addr_print(&o->ip[1], want[1], sizeof(want[1]));
	for (i = 0; i < json_array_size(ips); i++)
		if ((s = json_string_value(json_array_get(ips, i))) != NULL &&
		    addr_parse(s, &ip) &&
		    (addr_cmp(&ip, &o->ip[0]) == 0 ||
		        addr_cmp(&ip, &o->ip[1]) == 0))
			hit++;
	if (hit != 2 || json_array_size(ips) != 2)
		arm_onote(a, o,
		    "virtualRouterIps: vrs's instances are %s and %s (.4 and "
		    ".5 of RouteServerSubnet), not those exported",
		    want[0], want[1]);
}

/* The route server's subnet: an ipConfigurations child, or inline. */
static bool
hub_vnet(struct aimp *a, struct aobj *o, char *vnet)
{
	static const char *const used[] = { "subnet", "publicIPAddress",
		"privateIPAllocationMethod", "privateIPAddress", NULL };
	char names[ARM_ID_LEVELS][88];
	size_t i;
	struct aobj *c;

	for (i = 0; i < a->nobjs; i++) {
		c = &a->objs[i];
		if (c->kind != K_HUBIPC || strcasecmp(c->parent, o->name) != 0)
			continue;
		if (!arm_jref(a, c, c->props, c->rel, "subnet", K_SUBNET, NULL,
		        names, true))
			return false;
		if (strcmp(names[1], "RouteServerSubnet") != 0) {
			arm_oerr(a, c, c->rel, "subnet.id",
			    "%s: a route server lives in a subnet named "
			    "RouteServerSubnet (R1.2)",
			    names[1]);
			return false;
		}
		c->ok = true;
		arm_unused(a, c, c->props, c->rel, used);
		arm_fmt(vnet, ARM_NAME_MAX + 1, "%s", names[0]);
		return true;
	}
	arm_onote(a, o,
	    "ignored (no ipConfigurations: which RouteServerSubnet it lives "
	    "in is not in the input)");
	return false;
}

static void
gen_hub(struct aimp *a, struct aobj *o)
{
	static const char *const used[] = { "allowBranchToBranchTraffic",
		"hubRoutingPreference", "virtualRouterAsn", "ipConfigurations",
		"bgpConnections", "sku", "virtualRouterAutoScaleConfiguration",
		"routeTable", "virtualHubRouteTableV2s", NULL };
	static const char *const prefs[] = { "ExpressRoute", "VpnGateway",
		"ASPath", NULL };
	const char *kind = arm_jstr(a, o, o->res, "", "kind", false);
	const char *pref;
	char vnet[ARM_NAME_MAX + 1], loc[64], popt[64] = "";
	json_t *asn;
	int i;

	if (json_object_get(o->props, "virtualWan") != NULL &&
	    !json_is_null(json_object_get(o->props, "virtualWan"))) {
		arm_onote(
		    a, o, "ignored (a Virtual WAN hub, not a route server)");
		return;
	}
	if (kind != NULL && strcasecmp(kind, "RouteServer") != 0) {
		arm_onote(a, o, "ignored (kind %.40s, not RouteServer)", kind);
		return;
	}
	if (!hub_vnet(a, o, vnet))
		return;
	if (arm_find(a, K_VNET, NULL, vnet) == NULL ||
	    arm_find(a, K_SUBNET, vnet, "RouteServerSubnet") == NULL) {
		arm_onote(a, o,
		    "ignored (%s/RouteServerSubnet is not in the input)", vnet);
		return;
	}
	asn = arm_jget(
	    a, o, o->props, o->rel, "virtualRouterAsn", JSON_INTEGER, false);
	if (asn != NULL && json_integer_value(asn) != 65515)
		arm_onote(a, o,
		    "virtualRouterAsn %" JSON_INTEGER_FORMAT
		    ": ignored (ARS is AS 65515, R1.6)",
		    json_integer_value(asn));
	if ((pref = arm_jstr(a, o, o->props, o->rel, "hubRoutingPreference",
	         false)) != NULL) {
		for (i = 0; prefs[i] != NULL && strcasecmp(prefs[i], pref); i++)
			;
		if (prefs[i] == NULL) {
			arm_oerr(a, o, o->rel, "hubRoutingPreference",
			    "%.40s: expected ExpressRoute, VpnGateway or "
			    "ASPath",
			    pref);
			return;
		}
		if (i != 0)
			snprintf(popt, sizeof(popt),
			    " --hub-routing-preference %s", prefs[i]);
	}
	loc_opt(a, o, loc, sizeof(loc));
	arm_cmd(a, "routeserver create -n %s --vnet-name %s%s%s%s", o->name,
	    vnet, popt,
	    arm_jbool(
	        a, o, o->props, o->rel, "allowBranchToBranchTraffic", false)
	        ? " --allow-b2b-traffic true"
	        : "",
	    loc);
	o->nip = rs_ips(a, vnet, o->ip) ? 2 : 0;
	rs_ips_check(a, o);
	o->ok = true;
	arm_unused(a, o, o->props, o->rel, used);
}

static void
gen_bgpconn(struct aimp *a, struct aobj *o)
{
	static const char *const used[] = { "peerIp", "peerAsn",
		"hubVirtualNetworkConnection", NULL };
	struct aobj *hub = arm_find(a, K_HUB, NULL, o->parent);
	const char *ip = arm_jstr(a, o, o->props, o->rel, "peerIp", true);
	json_t *asn =
	    arm_jget(a, o, o->props, o->rel, "peerAsn", JSON_INTEGER, true);
	char s[ADDR_STRLEN];

	if (hub == NULL || !hub->ok) {
		arm_onote(a, o,
		    "ignored (its route server %s was not imported)",
		    o->parent);
		return;
	}
	if (ip == NULL || asn == NULL ||
	    !arm_jaddr(a, o, ip, o->rel, "peerIp", &o->ip[0]))
		return;
	if (json_integer_value(asn) < 1 ||
	    json_integer_value(asn) > 4294967295LL) {
		arm_oerr(a, o, o->rel, "peerAsn",
		    "%" JSON_INTEGER_FORMAT " out of range (1-4294967295)",
		    json_integer_value(asn));
		return;
	}
	o->asn = (uint32_t)json_integer_value(asn);
	o->nip = 1;
	arm_cmd(a,
	    "routeserver peering create --routeserver %s -n %s --peer-ip %s "
	    "--peer-asn %u",
	    o->parent, o->name, addr_print(&o->ip[0], s, sizeof(s)), o->asn);
	o->ok = true;
	arm_unused(a, o, o->props, o->rel, used);
}

/* bgpPeeringAddress "a" or "a,b" (active-active) into o->ip. */
static bool
bgp_addrs(struct aimp *a, struct aobj *o, const char *rel, const char *s)
{
	char buf[128], *p, *comma;

	if (strlen(s) >= sizeof(buf)) {
		arm_oerr(a, o, rel, "bgpPeeringAddress", "too long");
		return false;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	for (p = buf; *p != '\0'; p = comma) {
		if ((comma = strchr(p, ',')) != NULL)
			*comma++ = '\0';
		else
			comma = p + strlen(p);
		if (o->nip == 2) {
			arm_oerr(a, o, rel, "bgpPeeringAddress",
			    "at most two addresses (active-active)");
			return false;
		}
		if (!arm_jaddr(
		        a, o, p, rel, "bgpPeeringAddress", &o->ip[o->nip]))
			return false;
		o->nip++;
	}
	return true;
}

/* APIPA (custom) BGP addresses of a gateway are not modelled. */
static void
custom_bgp_ips(struct aimp *a, struct aobj *o, json_t *bs, const char *rel)
{
	json_t *list = json_object_get(bs, "bgpPeeringAddresses"), *e;
	size_t i;

	json_array_foreach(list, i,
	    e) if (json_array_size(json_object_get(e, "customBgpIpAddresses")) >
	    0) arm_onote(a, o,
	    "%s.bgpPeeringAddresses[%zu].customBgpIpAddresses: ignored "
	    "(not modelled)",
	    rel, i);
}

/* bgpSettings of a gateway or a site; false after an error. */
static bool
bgp_settings(struct aimp *a, struct aobj *o, bool *has)
{
	static const char *const used[] = { "asn", "bgpPeeringAddress",
		"bgpPeeringAddresses", NULL };
	char rel[WHERE_LEN];
	json_t *bs, *asn;
	const char *addr;

	*has = false;
	bs =
	    arm_jget(a, o, o->props, o->rel, "bgpSettings", JSON_OBJECT, false);
	if (bs == NULL)
		return json_object_get(o->props, "bgpSettings") == NULL ||
		    json_is_null(json_object_get(o->props, "bgpSettings"));
	arm_fmt(
	    rel, sizeof(rel), "%s%sbgpSettings", o->rel, o->rel[0] ? "." : "");
	asn = arm_jget(a, o, bs, rel, "asn", JSON_INTEGER, false);
	if (asn != NULL &&
	    (json_integer_value(asn) < 1 ||
	        json_integer_value(asn) > 4294967295LL)) {
		arm_oerr(a, o, rel, "asn", "out of range (1-4294967295)");
		return false;
	}
	o->asn = asn != NULL ? (uint32_t)json_integer_value(asn) : 0;
	addr = arm_jstr(a, o, bs, rel, "bgpPeeringAddress", false);
	custom_bgp_ips(a, o, bs, rel);
	if (addr != NULL && !bgp_addrs(a, o, rel, addr))
		return false;
	*has = o->asn != 0;
	arm_unused(a, o, bs, rel, used);
	return true;
}

/* The gateway's public IP names from its ipConfigurations. */
static void
gw_pips(struct aimp *a, struct aobj *o, json_t *ipcs, bool aa, char *out,
    size_t len)
{
	char names[ARM_ID_LEVELS][88], rel[WHERE_LEN];
	size_t i, n = 0, want = aa ? 2 : 1;
	json_t *p;

	out[0] = '\0';
	for (i = 0; i < json_array_size(ipcs) && n < want; i++) {
		p = item_props(json_array_get(ipcs, i), rel, sizeof(rel),
		    o->rel, "ipConfigurations", i);
		if (json_is_object(json_object_get(p, "publicIPAddress")) &&
		    arm_jref(a, o, p, rel, "publicIPAddress", 0,
		        "Microsoft.Network/publicIPAddresses", names, false)) {
			snprintf(out + strlen(out), len - strlen(out), " %s",
			    names[0]);
			n++;
		}
	}
	for (; n < want; n++)
		snprintf(out + strlen(out), len - strlen(out), " %s-pip%zu",
		    o->name, n + 1);
}

static void
gen_vgw(struct aimp *a, struct aobj *o)
{
	static const char *const used[] = { "gatewayType", "vpnType", "sku",
		"activeActive", "enableBgp", "bgpSettings", "ipConfigurations",
		NULL };
	const char *type =
	    arm_jstr(a, o, o->props, o->rel, "gatewayType", true);
	const char *vpn = arm_jstr(a, o, o->props, o->rel, "vpnType", false);
	json_t *ipcs = arm_jget(
	    a, o, o->props, o->rel, "ipConfigurations", JSON_ARRAY, true);
	char names[ARM_ID_LEVELS][88], rel[WHERE_LEN], pips[200], bgp[200] = "";
	char s[ADDR_STRLEN];
	bool aa, ebgp, has;
	json_t *p;
	int i;

	if (type == NULL || ipcs == NULL)
		return;
	if (strcasecmp(type, "Vpn") != 0 &&
	    strcasecmp(type, "ExpressRoute") != 0) {
		arm_onote(a, o,
		    "gatewayType %.40s: ignored (vrs models Vpn and "
		    "ExpressRoute)",
		    type);
		return;
	}
	if (json_array_size(ipcs) == 0) {
		arm_oerr(a, o, o->rel, "ipConfigurations",
		    "expected an IP configuration with the GatewaySubnet");
		return;
	}
	p = item_props(json_array_get(ipcs, 0), rel, sizeof(rel), o->rel,
	    "ipConfigurations", 0);
	if (!arm_jref(a, o, p, rel, "subnet", K_SUBNET, NULL, names, true))
		return;
	if (strcmp(names[1], "GatewaySubnet") != 0) {
		arm_oerr(a, o, rel, "subnet.id",
		    "%s: a gateway lives in a subnet named GatewaySubnet",
		    names[1]);
		return;
	}
	if (arm_find(a, K_SUBNET, names[0], "GatewaySubnet") == NULL) {
		arm_onote(a, o,
		    "ignored (%s/GatewaySubnet is not in the input)", names[0]);
		return;
	}
	aa = arm_jbool(a, o, o->props, o->rel, "activeActive", false);
	ebgp = arm_jbool(a, o, o->props, o->rel, "enableBgp", false);
	if (!bgp_settings(a, o, &has))
		return;
	if (strcasecmp(type, "Vpn") == 0 && ebgp && o->asn != 0) {
		snprintf(bgp, sizeof(bgp), " --asn %u", o->asn);
		for (i = 0; i < o->nip; i++)
			snprintf(bgp + strlen(bgp), sizeof(bgp) - strlen(bgp),
			    "%s%s", i ? "," : " --bgp-peering-address ",
			    addr_print(&o->ip[i], s, sizeof(s)));
	} else if (strcasecmp(type, "ExpressRoute") == 0)
		o->asn = 65515;
	gw_pips(a, o, ipcs, aa, pips, sizeof(pips));
	arm_cmd(a,
	    "vnet-gateway create -n %s --vnet %s --gateway-type %s%s%s%s "
	    "--public-ip-addresses%s",
	    o->name, names[0],
	    strcasecmp(type, "Vpn") == 0 ? "Vpn" : "ExpressRoute",
	    vpn != NULL && arm_name_ok(vpn) ? " --vpn-type " : "",
	    vpn != NULL && arm_name_ok(vpn) ? vpn : "", bgp, pips);
	o->ok = true;
	/* the BGP addresses vrs derives when none is given: .4 (and .5) */
	if (o->nip == 0) {
		struct aobj *gs =
		    arm_find(a, K_SUBNET, names[0], "GatewaySubnet");

		for (i = 0; i < (aa ? 2 : 1) && gs->pfx.af == ADDR_V4; i++) {
			memset(&o->ip[i], 0, sizeof(o->ip[i]));
			o->ip[i].af = ADDR_V4;
			memcpy(o->ip[i].a, gs->pfx.a, 4);
			o->ip[i].a[3] = (uint8_t)(o->ip[i].a[3] + 4 + i);
			o->nip++;
		}
	}
	if (!ebgp)
		o->nip = 0; /* no BGP: no sessions */
	arm_unused(a, o, o->props, o->rel, used);
}

static void
gen_lgw(struct aimp *a, struct aobj *o)
{
	static const char *const used[] = { "gatewayIpAddress",
		"localNetworkAddressSpace", "bgpSettings", NULL };
	const char *gip =
	    arm_jstr(a, o, o->props, o->rel, "gatewayIpAddress", false);
	json_t *as, *list, *v;
	struct ipaddr g;
	struct prefix p;
	struct sbuf b;
	char s[PREFIX_STRLEN], rel[WHERE_LEN], gs[ADDR_STRLEN + 32] = "";
	char bgp[120] = "", key[32];
	size_t i;
	bool has, good = true;

	if (gip != NULL) {
		if (!arm_jaddr(a, o, gip, o->rel, "gatewayIpAddress", &g))
			return;
		snprintf(gs, sizeof(gs), " --gateway-ip-address ");
		addr_print(&g, gs + strlen(gs), ADDR_STRLEN);
	}
	sbuf_init(&b);
	as = arm_jget(a, o, o->props, o->rel, "localNetworkAddressSpace",
	    JSON_OBJECT, false);
	arm_fmt(rel, sizeof(rel), "%s%slocalNetworkAddressSpace", o->rel,
	    o->rel[0] ? "." : "");
	list = as
	    ? arm_jget(a, o, as, rel, "addressPrefixes", JSON_ARRAY, false)
	    : NULL;
	json_array_foreach(list, i, v)
	{
		arm_fmt(key, sizeof(key), "addressPrefixes[%zu]", i);
		if (!arm_jpfx(a, o, v, rel, key, &p, s))
			good = false;
		else
			sbuf_printf(&b, "%s%s",
			    b.len ? " " : " --local-address-prefixes ", s);
	}
	if (!bgp_settings(a, o, &has) || !good || o->nip > 1) {
		if (o->nip > 1)
			arm_oerr(a, o, o->rel, "bgpSettings.bgpPeeringAddress",
			    "a site has one BGP address");
		sbuf_fini(&b);
		return;
	}
	if (has && o->nip == 1)
		snprintf(bgp, sizeof(bgp), " --asn %u --bgp-peering-address %s",
		    o->asn, addr_print(&o->ip[0], s, sizeof(s)));
	else
		o->nip = 0;
	arm_cmd(a, "local-gateway create -n %s%s%s%s", o->name, gs, b.s, bgp);
	sbuf_fini(&b);
	o->ok = true;
	arm_unused(a, o, o->props, o->rel, used);
}

static void
gen_conn(struct aimp *a, struct aobj *o)
{
	static const char *const used[] = { "connectionType",
		"virtualNetworkGateway1", "localNetworkGateway2",
		"virtualNetworkGateway2", "peer", "enableBgp", "routingWeight",
		NULL };
	const char *type =
	    arm_jstr(a, o, o->props, o->rel, "connectionType", true);
	char g1[ARM_ID_LEVELS][88], p2[ARM_ID_LEVELS][88], w[40] = "";
	const char *opt;
	struct aobj *gw, *peer = NULL;
	json_t *rw;

	if (type == NULL ||
	    !arm_jref(a, o, o->props, o->rel, "virtualNetworkGateway1", K_VGW,
	        NULL, g1, true))
		return;
	if ((gw = arm_find(a, K_VGW, NULL, g1[0])) == NULL || !gw->ok) {
		arm_onote(a, o, "ignored (gateway %s was not imported)", g1[0]);
		return;
	}
	if (strcasecmp(type, "IPsec") == 0) {
		opt = "--local-gateway2";
		if (!arm_jref(a, o, o->props, o->rel, "localNetworkGateway2",
		        K_LGW, NULL, p2, true))
			return;
		peer = arm_find(a, K_LGW, NULL, p2[0]);
	} else if (strcasecmp(type, "Vnet2Vnet") == 0) {
		opt = "--vnet-gateway2";
		if (!arm_jref(a, o, o->props, o->rel, "virtualNetworkGateway2",
		        K_VGW, NULL, p2, true))
			return;
		peer = arm_find(a, K_VGW, NULL, p2[0]);
	} else if (strcasecmp(type, "ExpressRoute") == 0) {
		opt = "--express-route-circuit2";
		if (!arm_jref(a, o, o->props, o->rel, "peer", 0,
		        "Microsoft.Network/expressRouteCircuits", p2, true))
			return;
	} else {
		arm_onote(a, o,
		    "connectionType %.40s: ignored (vrs models IPsec, "
		    "Vnet2Vnet and ExpressRoute)",
		    type);
		return;
	}
	if (strcmp(opt, "--express-route-circuit2") != 0 &&
	    (peer == NULL || !peer->ok)) {
		arm_onote(a, o, "ignored (%s was not imported)", p2[0]);
		return;
	}
	rw = arm_jget(
	    a, o, o->props, o->rel, "routingWeight", JSON_INTEGER, false);
	if (rw != NULL &&
	    (json_integer_value(rw) < 0 || json_integer_value(rw) > 32000)) {
		arm_oerr(a, o, o->rel, "routingWeight",
		    "%" JSON_INTEGER_FORMAT " out of range (0-32000)",
		    json_integer_value(rw));
		return;
	}
	if (rw != NULL && json_integer_value(rw) > 0)
		snprintf(w, sizeof(w),
		    " --routing-weight %" JSON_INTEGER_FORMAT,
		    json_integer_value(rw));
	o->bgp = arm_jbool(a, o, o->props, o->rel, "enableBgp", false);
	arm_cmd(a, "vpn-connection create -n %s --vnet-gateway1 %s %s %s%s%s",
	    o->name, g1[0], opt, p2[0], o->bgp ? " --enable-bgp" : "", w);
	snprintf(o->ref[0], sizeof(o->ref[0]), "%s", g1[0]);
	snprintf(o->ref[1], sizeof(o->ref[1]), "%s", p2[0]);
	o->ok = true;
	arm_unused(a, o, o->props, o->rel, used);
}

/* Every kind in an order that satisfies the references. */
void
arm_gen_all(struct aimp *a)
{
	static const enum akind order[] = { K_RTABLE, K_ROUTE, K_VNET, K_SUBNET,
		K_HUB, K_VGW, K_PEERING, K_NIC, K_LGW, K_CONN, K_BGPCONN };
	size_t i, k;
	struct aobj *o;

	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		if (order[k] == K_NIC) {
			gen_nics(a);
			continue;
		}
		for (i = 0; i < a->nobjs; i++) {
			o = &a->objs[i];
			if (o->kind != order[k])
				continue;
			switch (o->kind) {
			case K_RTABLE:
				gen_rtable(a, o);
				break;
			case K_ROUTE:
				gen_route(a, o);
				break;
			case K_VNET:
				gen_vnet(a, o);
				break;
			case K_SUBNET:
				gen_subnet(a, o);
				break;
			case K_HUB:
				gen_hub(a, o);
				break;
			case K_VGW:
				gen_vgw(a, o);
				break;
			case K_PEERING:
				gen_peering(a, o);
				break;
			case K_LGW:
				gen_lgw(a, o);
				break;
			case K_CONN:
				gen_conn(a, o);
				break;
			case K_BGPCONN:
				gen_bgpconn(a, o);
				break;
			default:
				break;
			}
		}
	}
	for (i = 0; i < a->nobjs; i++)
		if (a->objs[i].kind == K_HUBIPC && !a->objs[i].ok &&
		    arm_find(a, K_HUB, NULL, a->objs[i].parent) == NULL)
			arm_onote(a, &a->objs[i],
			    "ignored (its route server is not in the input)");
}
