/* SPDX-License-Identifier: ISC */
/* topology/json.c - the topology as one ARM-like JSON document, both ways. */

#include "topology/topology.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xmalloc.h"
#include "topology/topo_int.h"

/*
 * The document: resource group, default location and vrs options, then
 * one array per ARM resource type with the property names az prints
 * (camelCase, flattened: no "properties" level).  References are
 * {"id": ARM id}; on reading, a bare name is accepted as well.
 * Derived values (peeringState, virtualRouterIps) are written for the
 * reader's sake and ignored when read back.
 *
 *   { "resourceGroup": "lab", "location": "eastus",
 *     "options": { "relaxed": false, "routeServerSubnetMaxPrefixLength": 27 },
 *     "virtualNetworks": [ { "name", "location", "addressSpace":
 *         { "addressPrefixes": [] }, "subnets": [], "virtualNetworkPeerings": [] } ],
 *     "networkInterfaces": [], "routeTables": [], "virtualHubs": [],
 *     "virtualNetworkGateways": [], "localNetworkGateways": [],
 *     "connections": [] }
 */

#define SUB_ID   "/subscriptions/00000000-0000-0000-0000-000000000000"
#define PATH_LEN 160

/* Reading context: where we are, for messages. */
struct rd {
	struct topo_err *err;
	char path[PATH_LEN];
};

/* ---- writing ---- */

static json_t *
ref(const struct topo *t, const char *type, const char *name, const char *child,
    const char *cname)
{
	char id[512];

	if (child != NULL)
		snprintf(id, sizeof(id),
		    SUB_ID "/resourceGroups/%s/providers/Microsoft.Network/"
		           "%s/%s/%s/%s",
		    t->resource_group, type, name, child, cname);
	else
		snprintf(id, sizeof(id),
		    SUB_ID "/resourceGroups/%s/providers/Microsoft.Network/"
		           "%s/%s",
		    t->resource_group, type, name);
	return json_pack("{s:s}", "id", id);
}

json_t *
topo_json_prefix(const struct prefix *p)
{
	char b[PREFIX_STRLEN];

	return json_string(prefix_print(p, b, sizeof(b)));
}

json_t *
topo_json_addr(const struct ipaddr *a)
{
	char b[ADDR_STRLEN];

	return json_string(addr_print(a, b, sizeof(b)));
}

static json_t *
jpfxs(const struct prefix *p, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, topo_json_prefix(&p[i]));
	return a;
}

static json_t *
subnet_to_json(const struct topo *t, const struct topo_subnet *s)
{
	json_t *o = json_object(), *eps, *ep;
	size_t i;

	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "addressPrefix", topo_json_prefix(&s->prefix));
	if (s->route_table != NULL)
		json_object_set_new(o, "routeTable",
		    ref(t, "routeTables", s->route_table, NULL, NULL));
	eps = json_array();
	for (i = 0; i < s->nendpoints; i++) {
		ep = json_object();
		json_object_set_new(
		    ep, "service", json_string(s->endpoints[i].service));
		json_object_set_new(ep, "addressPrefixes",
		    jpfxs(s->endpoints[i].prefixes, s->endpoints[i].nprefixes));
		json_array_append_new(eps, ep);
	}
	json_object_set_new(o, "serviceEndpoints", eps);
	return o;
}

static json_t *
peering_to_json(const struct topo *t, const struct topo_peering *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "remoteVirtualNetwork",
	    ref(t, "virtualNetworks", p->remote, NULL, NULL));
	json_object_set_new(
	    o, "allowVirtualNetworkAccess", json_boolean(p->allow_vnet_access));
	json_object_set_new(o, "allowForwardedTraffic",
	    json_boolean(p->allow_forwarded_traffic));
	json_object_set_new(
	    o, "allowGatewayTransit", json_boolean(p->allow_gateway_transit));
	json_object_set_new(
	    o, "useRemoteGateways", json_boolean(p->use_remote_gateways));
	json_object_set_new(o, "peeringState",
	    json_string(topo_peering_state_name(topo_peering_state(t, p))));
	return o;
}

static json_t *
vnet_to_json(const struct topo *t, const struct topo_vnet *v)
{
	json_t *o = json_object(), *subs = json_array(), *peers = json_array();
	size_t i;

	json_object_set_new(o, "name", json_string(v->name));
	json_object_set_new(o, "location", json_string(v->location));
	json_object_set_new(o, "addressSpace",
	    json_pack(
	        "{s:o}", "addressPrefixes", jpfxs(v->prefixes, v->nprefixes)));
	for (i = 0; i < t->nsubnets; i++)
		if (strcmp(t->subnets[i].vnet, v->name) == 0)
			json_array_append_new(
			    subs, subnet_to_json(t, &t->subnets[i]));
	for (i = 0; i < t->npeerings; i++)
		if (strcmp(t->peerings[i].vnet, v->name) == 0)
			json_array_append_new(
			    peers, peering_to_json(t, &t->peerings[i]));
	json_object_set_new(o, "subnets", subs);
	json_object_set_new(o, "virtualNetworkPeerings", peers);
	return o;
}

static json_t *
nic_to_json(const struct topo *t, const struct topo_nic *n)
{
	json_t *o = json_object(), *ipc = json_object();

	json_object_set_new(o, "name", json_string(n->name));
	json_object_set_new(
	    o, "enableIPForwarding", json_boolean(n->ip_forwarding));
	if (n->vm != NULL)
		json_object_set_new(o, "virtualMachine",
		    ref(t, "virtualMachines", n->vm, NULL, NULL));
	json_object_set_new(ipc, "name", json_string("ipconfig1"));
	json_object_set_new(ipc, "primary", json_true());
	json_object_set_new(ipc, "privateIPAddress", topo_json_addr(&n->ip));
	json_object_set_new(
	    ipc, "privateIPAllocationMethod", json_string("Static"));
	json_object_set_new(ipc, "subnet",
	    ref(t, "virtualNetworks", n->vnet, "subnets", n->subnet));
	json_object_set_new(o, "ipConfigurations", json_pack("[o]", ipc));
	return o;
}

static json_t *
route_to_json(const struct topo_route *ro)
{
	json_t *r = json_object();

	json_object_set_new(r, "name", json_string(ro->name));
	json_object_set_new(r, "addressPrefix", topo_json_prefix(&ro->prefix));
	json_object_set_new(
	    r, "nextHopType", json_string(topo_hop_name(ro->hop)));
	if (ro->hop_ip.af != 0)
		json_object_set_new(
		    r, "nextHopIpAddress", topo_json_addr(&ro->hop_ip));
	return r;
}

static json_t *
rtable_to_json(const struct topo_route_table *rt)
{
	json_t *o = json_object(), *routes = json_array(), *r;
	size_t i;

	json_object_set_new(o, "name", json_string(rt->name));
	json_object_set_new(
	    o, "disableBgpRoutePropagation", json_boolean(rt->disable_bgp));
	for (i = 0; i < rt->nroutes; i++) {
		r = route_to_json(&rt->routes[i]);
		json_array_append_new(routes, r);
	}
	json_object_set_new(o, "routes", routes);
	return o;
}

static json_t *
rserver_to_json(const struct topo *t, const struct topo_routeserver *rs)
{
	json_t *o = json_object(), *conns = json_array(), *ipc;
	size_t i;

	json_object_set_new(o, "name", json_string(rs->name));
	json_object_set_new(o, "kind", json_string("RouteServer"));
	json_object_set_new(o, "sku", json_string("Standard"));
	json_object_set_new(o, "virtualRouterAsn", json_integer(TOPO_RS_ASN));
	json_object_set_new(o, "virtualRouterIps",
	    json_pack("[o,o]", topo_json_addr(&rs->ips[0]),
	        topo_json_addr(&rs->ips[1])));
	json_object_set_new(
	    o, "allowBranchToBranchTraffic", json_boolean(rs->b2b));
	json_object_set_new(
	    o, "hubRoutingPreference", json_string(topo_pref_name(rs->pref)));
	ipc = json_pack("{s:s,s:o}", "name", "ipconfig1", "subnet",
	    ref(t, "virtualNetworks", rs->vnet, "subnets", RS_SUBNET_NAME));
	json_object_set_new(o, "ipConfigurations", json_pack("[o]", ipc));
	for (i = 0; i < rs->nconns; i++)
		json_array_append_new(conns,
		    json_pack("{s:s,s:o,s:I}", "name", rs->conns[i].name,
		        "peerIp", topo_json_addr(&rs->conns[i].peer_ip),
		        "peerAsn", (json_int_t)rs->conns[i].peer_asn));
	json_object_set_new(o, "bgpConnections", conns);
	return o;
}

static json_t *
gateway_to_json(const struct topo *t, const struct topo_gateway *g)
{
	char buf[2 * ADDR_STRLEN + 2], a[ADDR_STRLEN];
	json_t *o = json_object(), *ipc;
	int k;

	buf[0] = '\0';
	for (k = 0; k < g->nbgp_ips; k++) {
		if (k > 0)
			strcat(buf, ",");
		strcat(buf, addr_print(&g->bgp_ips[k], a, sizeof(a)));
	}
	json_object_set_new(o, "name", json_string(g->name));
	json_object_set_new(o, "gatewayType",
	    json_string(g->type == TOPO_GW_VPN ? "Vpn" : "ExpressRoute"));
	if (g->type == TOPO_GW_VPN)
		json_object_set_new(o, "vpnType", json_string("RouteBased"));
	json_object_set_new(o, "activeActive", json_boolean(g->active_active));
	json_object_set_new(o, "enableBgp", json_boolean(g->enable_bgp));
	json_object_set_new(o, "bgpSettings",
	    json_pack("{s:I,s:s}", "asn", (json_int_t)g->asn,
	        "bgpPeeringAddress", buf));
	ipc = json_pack("{s:s,s:o}", "name", "default", "subnet",
	    ref(t, "virtualNetworks", g->vnet, "subnets", GW_SUBNET_NAME));
	json_object_set_new(o, "ipConfigurations", json_pack("[o]", ipc));
	return o;
}

static json_t *
lgateway_to_json(const struct topo_local_gateway *l)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(l->name));
	if (l->gateway_ip.af != 0)
		json_object_set_new(
		    o, "gatewayIpAddress", topo_json_addr(&l->gateway_ip));
	json_object_set_new(o, "localNetworkAddressSpace",
	    json_pack(
	        "{s:o}", "addressPrefixes", jpfxs(l->prefixes, l->nprefixes)));
	if (l->asn != 0)
		json_object_set_new(o, "bgpSettings",
		    json_pack("{s:I,s:o}", "asn", (json_int_t)l->asn,
		        "bgpPeeringAddress", topo_json_addr(&l->bgp_ip)));
	return o;
}

static const char *const conn_types[] = {
	[TOPO_CONN_IPSEC] = "IPsec",
	[TOPO_CONN_VNET2VNET] = "Vnet2Vnet",
	[TOPO_CONN_ER] = "ExpressRoute",
};

static json_t *
conn_to_json(const struct topo *t, const struct topo_connection *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(c->name));
	json_object_set_new(
	    o, "connectionType", json_string(conn_types[c->type]));
	json_object_set_new(o, "virtualNetworkGateway1",
	    ref(t, "virtualNetworkGateways", c->gateway, NULL, NULL));
	if (c->type == TOPO_CONN_IPSEC)
		json_object_set_new(o, "localNetworkGateway2",
		    ref(t, "localNetworkGateways", c->peer, NULL, NULL));
	else if (c->type == TOPO_CONN_VNET2VNET)
		json_object_set_new(o, "virtualNetworkGateway2",
		    ref(t, "virtualNetworkGateways", c->peer, NULL, NULL));
	else
		json_object_set_new(o, "peer",
		    ref(t, "expressRouteCircuits", c->peer, NULL, NULL));
	json_object_set_new(o, "enableBgp", json_boolean(c->enable_bgp));
	json_object_set_new(
	    o, "routingWeight", json_integer((json_int_t)c->routing_weight));
	return o;
}

json_t *
topo_to_json(const struct topo *t)
{
	json_t *doc = json_object(), *a;
	size_t i;

	json_object_set_new(
	    doc, "resourceGroup", json_string(t->resource_group));
	json_object_set_new(doc, "location", json_string(t->location));
	json_object_set_new(doc, "options",
	    json_pack("{s:b,s:i}", "relaxed", t->opts.relaxed,
	        "routeServerSubnetMaxPrefixLength", t->opts.rs_subnet_max));
	a = json_array();
	for (i = 0; i < t->nvnets; i++)
		json_array_append_new(a, vnet_to_json(t, &t->vnets[i]));
	json_object_set_new(doc, "virtualNetworks", a);
	a = json_array();
	for (i = 0; i < t->nnics; i++)
		json_array_append_new(a, nic_to_json(t, &t->nics[i]));
	json_object_set_new(doc, "networkInterfaces", a);
	a = json_array();
	for (i = 0; i < t->nrtables; i++)
		json_array_append_new(a, rtable_to_json(&t->rtables[i]));
	json_object_set_new(doc, "routeTables", a);
	a = json_array();
	for (i = 0; i < t->nrservers; i++)
		json_array_append_new(a, rserver_to_json(t, &t->rservers[i]));
	json_object_set_new(doc, "virtualHubs", a);
	a = json_array();
	for (i = 0; i < t->ngateways; i++)
		json_array_append_new(a, gateway_to_json(t, &t->gateways[i]));
	json_object_set_new(doc, "virtualNetworkGateways", a);
	a = json_array();
	for (i = 0; i < t->nlgateways; i++)
		json_array_append_new(a, lgateway_to_json(&t->lgateways[i]));
	json_object_set_new(doc, "localNetworkGateways", a);
	a = json_array();
	for (i = 0; i < t->nconns; i++)
		json_array_append_new(a, conn_to_json(t, &t->conns[i]));
	json_object_set_new(doc, "connections", a);
	return doc;
}

/* ---- reading ---- */

static char *
dupn(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static bool
bad(struct rd *r, const char *key, const char *what)
{
	return topo_err_set(r->err, "InvalidRequestFormat", "%s%s%s: %s",
	    r->path, key != NULL ? "." : "", key != NULL ? key : "", what);
}

/* Descend into key[idx] (idx < 0: key only); returns the old length. */
static size_t
push(struct rd *r, const char *key, long idx)
{
	size_t n = strlen(r->path);

	if (idx >= 0)
		snprintf(r->path + n, sizeof(r->path) - n, "%s%s[%ld]",
		    n > 0 ? "." : "", key, idx);
	else
		snprintf(r->path + n, sizeof(r->path) - n, "%s%s",
		    n > 0 ? "." : "", key);
	return n;
}

static void
pop(struct rd *r, size_t n)
{
	r->path[n] = '\0';
}

/* An optional object member must have the right type when present. */
static bool
get_str(struct rd *r, json_t *o, const char *key, bool need, char **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (need)
			return bad(r, key, "missing (expected a string)");
		return true;
	}
	if (!json_is_string(v))
		return bad(r, key, "expected a string");
	*out = xstrdup(json_string_value(v));
	return true;
}

static bool
get_bool(struct rd *r, json_t *o, const char *key, bool def, bool *out)
{
	json_t *v = json_object_get(o, key);

	*out = def;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_boolean(v))
		return bad(r, key, "expected true or false");
	*out = json_is_true(v);
	return true;
}

static bool
get_u32(struct rd *r, json_t *o, const char *key, uint32_t def, uint32_t *out)
{
	json_t *v = json_object_get(o, key);
	json_int_t n;

	*out = def;
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_integer(v))
		return bad(r, key, "expected an integer");
	n = json_integer_value(v);
	if (n < 0 || n > 4294967295LL)
		return bad(r, key, "out of range (expected 0-4294967295)");
	*out = (uint32_t)n;
	return true;
}

static bool
parse_pfx(struct rd *r, const char *key, json_t *v, struct prefix *p)
{
	char msg[128];
	const char *why;

	if (!json_is_string(v))
		return bad(r, key,
		    "expected a prefix string such as "
		    "10.0.0.0/16");
	why = prefix_parse(json_string_value(v), p, 0);
	if (why != NULL) {
		snprintf(msg, sizeof(msg),
		    "'%s': %s (expected e.g. "
		    "10.0.0.0/16)",
		    json_string_value(v), why);
		return bad(r, key, msg);
	}
	return true;
}

static bool
get_pfx(struct rd *r, json_t *o, const char *key, struct prefix *p)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL)
		return bad(r, key, "missing (expected e.g. 10.0.0.0/24)");
	return parse_pfx(r, key, v, p);
}

static bool
parse_addr(struct rd *r, const char *key, const char *s, struct ipaddr *a)
{
	char msg[128];

	if (!addr_parse(s, a)) {
		snprintf(msg, sizeof(msg),
		    "'%s' is not an IP address (expected e.g. 10.0.0.4)", s);
		return bad(r, key, msg);
	}
	return true;
}

static bool
get_addr(struct rd *r, json_t *o, const char *key, bool need, struct ipaddr *a)
{
	json_t *v = json_object_get(o, key);

	memset(a, 0, sizeof(*a));
	if (v == NULL || json_is_null(v)) {
		if (need)
			return bad(r, key, "missing (expected an IP address)");
		return true;
	}
	if (!json_is_string(v))
		return bad(r, key, "expected an IP address string");
	return parse_addr(r, key, json_string_value(v), a);
}

static bool
get_pfx_list(
    struct rd *r, json_t *o, const char *key, struct prefix **out, size_t *n)
{
	json_t *a = json_object_get(o, key), *v;
	size_t i;

	*out = NULL;
	*n = 0;
	if (a == NULL || json_is_null(a))
		return true;
	if (!json_is_array(a))
		return bad(r, key, "expected an array of prefixes");
	if (json_array_size(a) > 0)
		*out = xcalloc(json_array_size(a), sizeof(**out));
	json_array_foreach(a, i, v)
	{
		if (!parse_pfx(r, key, v, &(*out)[i]))
			return false;
		(*n)++;
	}
	return true;
}

/*
 * A reference: {"id": ".../<type>/<name>[/<child>/<cname>]"} or a bare
 * name.  Sets *name (and *cname when child is given); both owned.
 */
static bool
get_ref(struct rd *r, json_t *o, const char *key, bool need, const char *type,
    char **name, const char *child, char **cname)
{
	json_t *v = json_object_get(o, key);
	const char *s, *p, *e;
	char pat[64];

	*name = NULL;
	if (cname != NULL)
		*cname = NULL;
	if (v == NULL || json_is_null(v)) {
		if (need)
			return bad(r, key, "missing (expected {\"id\": ...})");
		return true;
	}
	if (json_is_object(v))
		v = json_object_get(v, "id");
	if (!json_is_string(v))
		return bad(r, key, "expected {\"id\": \"...\"} or a name");
	s = json_string_value(v);
	if (child != NULL && strchr(s, '/') == NULL)
		return bad(r, key, "expected an id naming a subnet");
	if (strchr(s, '/') == NULL) {
		*name = xstrdup(s);
		return true;
	}
	snprintf(pat, sizeof(pat), "/%s/", type);
	p = strstr(s, pat);
	if (p == NULL)
		return bad(r, key, "id does not name the expected resource");
	p += strlen(pat);
	e = strchr(p, '/');
	*name = e != NULL ? dupn(p, (size_t)(e - p)) : xstrdup(p);
	if (child == NULL)
		return true;
	snprintf(pat, sizeof(pat), "/%s/", child);
	p = strstr(s, pat);
	if (p == NULL || strchr(p + strlen(pat), '/') != NULL ||
	    p[strlen(pat)] == '\0')
		return bad(r, key, "id does not name the expected child");
	*cname = xstrdup(p + strlen(pat));
	return true;
}

/* The array at key (missing or null: empty); false if not an array. */
static bool
get_array(struct rd *r, json_t *o, const char *key, json_t **a)
{
	*a = json_object_get(o, key);
	if (*a == NULL || json_is_null(*a)) {
		*a = NULL;
		return true;
	}
	if (!json_is_array(*a))
		return bad(r, key, "expected an array");
	return true;
}

static bool
need_object(struct rd *r, json_t *v)
{
	if (!json_is_object(v))
		return bad(r, NULL, "expected an object");
	return true;
}

static bool
read_subnet(struct rd *r, json_t *o, const char *vnet, struct topo_subnet *s)
{
	json_t *eps, *ep;
	size_t i, n;

	s->vnet = xstrdup(vnet);
	if (!need_object(r, o) || !get_str(r, o, "name", true, &s->name) ||
	    !get_pfx(r, o, "addressPrefix", &s->prefix) ||
	    !get_ref(r, o, "routeTable", false, "routeTables", &s->route_table,
	        NULL, NULL) ||
	    !get_array(r, o, "serviceEndpoints", &eps))
		return false;
	if (eps == NULL || json_array_size(eps) == 0)
		return true;
	s->endpoints = xcalloc(json_array_size(eps), sizeof(*s->endpoints));
	json_array_foreach(eps, i, ep)
	{
		n = push(r, "serviceEndpoints", (long)i);
		s->nendpoints++;
		if (!need_object(r, ep) ||
		    !get_str(
		        r, ep, "service", true, &s->endpoints[i].service) ||
		    !get_pfx_list(r, ep, "addressPrefixes",
		        &s->endpoints[i].prefixes, &s->endpoints[i].nprefixes))
			return false;
		pop(r, n);
	}
	return true;
}

static bool
read_peering(struct rd *r, json_t *o, const char *vnet, struct topo_peering *p)
{
	p->vnet = xstrdup(vnet);
	return need_object(r, o) && get_str(r, o, "name", true, &p->name) &&
	    get_ref(r, o, "remoteVirtualNetwork", true, "virtualNetworks",
	        &p->remote, NULL, NULL) &&
	    get_bool(r, o, "allowVirtualNetworkAccess", true,
	        &p->allow_vnet_access) &&
	    get_bool(r, o, "allowForwardedTraffic", false,
	        &p->allow_forwarded_traffic) &&
	    get_bool(r, o, "allowGatewayTransit", false,
	        &p->allow_gateway_transit) &&
	    get_bool(r, o, "useRemoteGateways", false, &p->use_remote_gateways);
}

static bool
read_vnet(struct rd *r, json_t *o, struct topo *t)
{
	struct topo_vnet *v = &t->vnets[t->nvnets++];
	json_t *as, *a, *e;
	size_t i, n;

	if (!need_object(r, o) || !get_str(r, o, "name", true, &v->name) ||
	    !get_str(r, o, "location", false, &v->location))
		return false;
	as = json_object_get(o, "addressSpace");
	if (!json_is_object(as))
		return bad(r, "addressSpace",
		    "missing (expected {\"addressPrefixes\": [...]})");
	n = push(r, "addressSpace", -1);
	if (!get_pfx_list(
	        r, as, "addressPrefixes", &v->prefixes, &v->nprefixes))
		return false;
	pop(r, n);
	if (!get_array(r, o, "subnets", &a))
		return false;
	if (a != NULL) {
		t->subnets = xreallocarray(t->subnets,
		    t->nsubnets + json_array_size(a) + 1, sizeof(*t->subnets));
		json_array_foreach(a, i, e)
		{
			n = push(r, "subnets", (long)i);
			memset(
			    &t->subnets[t->nsubnets], 0, sizeof(*t->subnets));
			if (!read_subnet(
			        r, e, v->name, &t->subnets[t->nsubnets++]))
				return false;
			pop(r, n);
		}
	}
	if (!get_array(r, o, "virtualNetworkPeerings", &a))
		return false;
	if (a != NULL) {
		t->peerings = xreallocarray(t->peerings,
		    t->npeerings + json_array_size(a) + 1,
		    sizeof(*t->peerings));
		json_array_foreach(a, i, e)
		{
			n = push(r, "virtualNetworkPeerings", (long)i);
			memset(&t->peerings[t->npeerings], 0,
			    sizeof(*t->peerings));
			if (!read_peering(
			        r, e, v->name, &t->peerings[t->npeerings++]))
				return false;
			pop(r, n);
		}
	}
	return true;
}

static bool
read_nic(struct rd *r, json_t *o, struct topo_nic *nic)
{
	json_t *ipcs, *ipc;
	size_t n;

	if (!need_object(r, o) || !get_str(r, o, "name", true, &nic->name) ||
	    !get_bool(r, o, "enableIPForwarding", false, &nic->ip_forwarding) ||
	    !get_ref(r, o, "virtualMachine", false, "virtualMachines", &nic->vm,
	        NULL, NULL) ||
	    !get_array(r, o, "ipConfigurations", &ipcs))
		return false;
	if (ipcs == NULL || json_array_size(ipcs) != 1)
		return bad(r, "ipConfigurations",
		    "expected exactly one IP configuration");
	ipc = json_array_get(ipcs, 0);
	n = push(r, "ipConfigurations", 0);
	if (!need_object(r, ipc) ||
	    !get_addr(r, ipc, "privateIPAddress", true, &nic->ip) ||
	    !get_ref(r, ipc, "subnet", true, "virtualNetworks", &nic->vnet,
	        "subnets", &nic->subnet))
		return false;
	pop(r, n);
	return true;
}

static bool
read_route(struct rd *r, json_t *e, struct topo_route *ro)
{
	json_t *h;

	if (!need_object(r, e) || !get_str(r, e, "name", true, &ro->name) ||
	    !get_pfx(r, e, "addressPrefix", &ro->prefix) ||
	    !get_addr(r, e, "nextHopIpAddress", false, &ro->hop_ip))
		return false;
	h = json_object_get(e, "nextHopType");
	if (!json_is_string(h) ||
	    !topo_hop_parse(json_string_value(h), &ro->hop))
		return bad(r, "nextHopType",
		    "expected VirtualNetworkGateway, VnetLocal, "
		    "Internet, VirtualAppliance or None");
	return true;
}

static bool
read_rtable(struct rd *r, json_t *o, struct topo_route_table *rt)
{
	struct topo_route *ro;
	json_t *a, *e;
	size_t i, n;

	if (!need_object(r, o) || !get_str(r, o, "name", true, &rt->name) ||
	    !get_bool(
	        r, o, "disableBgpRoutePropagation", false, &rt->disable_bgp) ||
	    !get_array(r, o, "routes", &a))
		return false;
	if (a == NULL || json_array_size(a) == 0)
		return true;
	rt->routes = xcalloc(json_array_size(a), sizeof(*rt->routes));
	json_array_foreach(a, i, e)
	{
		n = push(r, "routes", (long)i);
		ro = &rt->routes[rt->nroutes++];
		if (!read_route(r, e, ro))
			return false;
		pop(r, n);
	}
	return true;
}

static bool
read_rserver(struct rd *r, json_t *o, struct topo_routeserver *rs)
{
	json_t *a, *e, *ipcs;
	uint32_t asn;
	char *pref = NULL, *sub = NULL;
	bool ok;
	size_t i, n;

	if (!need_object(r, o) || !get_str(r, o, "name", true, &rs->name) ||
	    !get_bool(r, o, "allowBranchToBranchTraffic", false, &rs->b2b) ||
	    !get_u32(r, o, "virtualRouterAsn", TOPO_RS_ASN, &asn) ||
	    !get_str(r, o, "hubRoutingPreference", false, &pref))
		return false;
	ok = pref == NULL || topo_pref_parse(pref, &rs->pref);
	free(pref);
	if (asn != TOPO_RS_ASN)
		return bad(r, "virtualRouterAsn", "must be 65515 (R1.6)");
	if (!ok)
		return bad(r, "hubRoutingPreference",
		    "expected ExpressRoute, VpnGateway or ASPath");
	if (!get_array(r, o, "ipConfigurations", &ipcs))
		return false;
	if (ipcs == NULL || json_array_size(ipcs) != 1)
		return bad(r, "ipConfigurations",
		    "expected one IP configuration with the "
		    "RouteServerSubnet");
	n = push(r, "ipConfigurations", 0);
	if (!need_object(r, json_array_get(ipcs, 0)) ||
	    !get_ref(r, json_array_get(ipcs, 0), "subnet", true,
	        "virtualNetworks", &rs->vnet, "subnets", &sub))
		return false;
	ok = strcmp(sub, RS_SUBNET_NAME) == 0;
	free(sub);
	if (!ok)
		return bad(r, "subnet",
		    "a route server lives in a subnet named RouteServerSubnet "
		    "(R1.2)");
	pop(r, n);
	if (!get_array(r, o, "bgpConnections", &a))
		return false;
	if (a == NULL || json_array_size(a) == 0)
		return true;
	rs->conns = xcalloc(json_array_size(a), sizeof(*rs->conns));
	json_array_foreach(a, i, e)
	{
		n = push(r, "bgpConnections", (long)i);
		if (!need_object(r, e) ||
		    !get_str(r, e, "name", true, &rs->conns[i].name))
			return false;
		rs->nconns++;
		if (!get_addr(r, e, "peerIp", true, &rs->conns[i].peer_ip) ||
		    !get_u32(r, e, "peerAsn", 0, &rs->conns[i].peer_asn))
			return false;
		pop(r, n);
	}
	return true;
}

static bool
read_gateway(struct rd *r, json_t *o, struct topo_gateway *g)
{
	char *type = NULL, *sub = NULL, *addrs = NULL, *p, *comma;
	json_t *ipcs, *bgp;
	bool ok;
	size_t n;

	if (!need_object(r, o) || !get_str(r, o, "name", true, &g->name) ||
	    !get_str(r, o, "gatewayType", true, &type))
		return false;
	if (strcasecmp(type, "Vpn") == 0)
		g->type = TOPO_GW_VPN;
	else if (strcasecmp(type, "ExpressRoute") == 0)
		g->type = TOPO_GW_ER;
	else {
		free(type);
		return bad(r, "gatewayType", "expected Vpn or ExpressRoute");
	}
	free(type);
	if (!get_bool(r, o, "activeActive", false, &g->active_active) ||
	    !get_bool(r, o, "enableBgp", false, &g->enable_bgp) ||
	    !get_array(r, o, "ipConfigurations", &ipcs))
		return false;
	if (ipcs == NULL || json_array_size(ipcs) < 1)
		return bad(r, "ipConfigurations",
		    "expected an IP configuration with the GatewaySubnet");
	n = push(r, "ipConfigurations", 0);
	if (!need_object(r, json_array_get(ipcs, 0)) ||
	    !get_ref(r, json_array_get(ipcs, 0), "subnet", true,
	        "virtualNetworks", &g->vnet, "subnets", &sub))
		return false;
	ok = strcmp(sub, GW_SUBNET_NAME) == 0;
	free(sub);
	if (!ok)
		return bad(r, "subnet",
		    "a gateway lives in a subnet named GatewaySubnet");
	pop(r, n);
	bgp = json_object_get(o, "bgpSettings");
	if (bgp == NULL || json_is_null(bgp))
		return true;
	n = push(r, "bgpSettings", -1);
	if (!need_object(r, bgp) || !get_u32(r, bgp, "asn", 0, &g->asn) ||
	    !get_str(r, bgp, "bgpPeeringAddress", false, &addrs))
		return false;
	for (p = addrs; p != NULL && *p != '\0'; p = comma) {
		comma = strchr(p, ',');
		if (comma != NULL)
			*comma++ = '\0';
		if (g->nbgp_ips == 2) {
			free(addrs);
			return bad(r, "bgpPeeringAddress",
			    "at most two addresses (active-active)");
		}
		if (!parse_addr(
		        r, "bgpPeeringAddress", p, &g->bgp_ips[g->nbgp_ips])) {
			free(addrs);
			return false;
		}
		g->nbgp_ips++;
	}
	free(addrs);
	pop(r, n);
	return true;
}

static bool
read_lgateway(struct rd *r, json_t *o, struct topo_local_gateway *l)
{
	json_t *as, *bgp;
	size_t n;

	if (!need_object(r, o) || !get_str(r, o, "name", true, &l->name) ||
	    !get_addr(r, o, "gatewayIpAddress", false, &l->gateway_ip))
		return false;
	as = json_object_get(o, "localNetworkAddressSpace");
	if (as != NULL && !json_is_null(as)) {
		n = push(r, "localNetworkAddressSpace", -1);
		if (!need_object(r, as) ||
		    !get_pfx_list(
		        r, as, "addressPrefixes", &l->prefixes, &l->nprefixes))
			return false;
		pop(r, n);
	}
	bgp = json_object_get(o, "bgpSettings");
	if (bgp == NULL || json_is_null(bgp))
		return true;
	n = push(r, "bgpSettings", -1);
	if (!need_object(r, bgp) || !get_u32(r, bgp, "asn", 0, &l->asn) ||
	    !get_addr(r, bgp, "bgpPeeringAddress", false, &l->bgp_ip))
		return false;
	pop(r, n);
	return true;
}

static bool
read_conn(struct rd *r, json_t *o, struct topo_connection *c)
{
	char *type = NULL;
	size_t i;

	if (!need_object(r, o) || !get_str(r, o, "name", true, &c->name) ||
	    !get_str(r, o, "connectionType", true, &type))
		return false;
	for (i = 0; i < sizeof(conn_types) / sizeof(conn_types[0]); i++)
		if (strcasecmp(type, conn_types[i]) == 0)
			break;
	free(type);
	if (i == sizeof(conn_types) / sizeof(conn_types[0]))
		return bad(r, "connectionType",
		    "expected IPsec, Vnet2Vnet or ExpressRoute");
	c->type = (enum topo_conn_type)i;
	if (!get_ref(r, o, "virtualNetworkGateway1", true,
	        "virtualNetworkGateways", &c->gateway, NULL, NULL) ||
	    !get_bool(r, o, "enableBgp", false, &c->enable_bgp) ||
	    !get_u32(r, o, "routingWeight", 0, &c->routing_weight))
		return false;
	if (c->type == TOPO_CONN_IPSEC)
		return get_ref(r, o, "localNetworkGateway2", true,
		    "localNetworkGateways", &c->peer, NULL, NULL);
	if (c->type == TOPO_CONN_VNET2VNET)
		return get_ref(r, o, "virtualNetworkGateway2", true,
		    "virtualNetworkGateways", &c->peer, NULL, NULL);
	return get_ref(
	    r, o, "peer", true, "expressRouteCircuits", &c->peer, NULL, NULL);
}

/*
 * Read the array doc[key] with one reader per element; each element is
 * zeroed and counted before it is read, so topo_free() releases a
 * partly read one.
 */
#define READ_ARRAY(key, arr, cnt, call)                                      \
	do {                                                                 \
		ok = get_array(&r, doc, key, &a);                            \
		if (ok && a != NULL) {                                       \
			(arr) =                                              \
			    xcalloc(json_array_size(a) + 1, sizeof(*(arr))); \
			json_array_foreach(a, i, e)                          \
			{                                                    \
				n = push(&r, key, (long)i);                  \
				(cnt)++;                                     \
				ok = call;                                   \
				if (!ok)                                     \
					break;                               \
				pop(&r, n);                                  \
			}                                                    \
		}                                                            \
	} while (0)

bool
topo_from_json(json_t *doc, struct topo **out, struct topo_err *err)
{
	struct rd r = { .err = err };
	struct topo *t;
	json_t *a, *e, *opts;
	uint32_t max = 27;
	size_t i, n;
	bool ok;

	if (!json_is_object(doc))
		return topo_err_set(err, "InvalidRequestFormat",
		    "the topology document must be a JSON object");
	t = topo_new();
	free(t->resource_group);
	free(t->location);
	/* topo_free on an error frees what the document set, nothing twice */
	t->resource_group = t->location = NULL;
	ok = get_str(&r, doc, "resourceGroup", false, &t->resource_group) &&
	    get_str(&r, doc, "location", false, &t->location);
	if (ok && t->resource_group == NULL)
		t->resource_group = xstrdup(TOPO_DEF_RG);
	if (ok && t->location == NULL)
		t->location = xstrdup(TOPO_DEF_LOC);
	opts = json_object_get(doc, "options");
	if (ok && opts != NULL && !json_is_null(opts)) {
		n = push(&r, "options", -1);
		ok = need_object(&r, opts) &&
		    get_bool(&r, opts, "relaxed", false, &t->opts.relaxed) &&
		    get_u32(
		        &r, opts, "routeServerSubnetMaxPrefixLength", 27, &max);
		if (ok && max != 26 && max != 27)
			ok = bad(&r, "routeServerSubnetMaxPrefixLength",
			    "expected 26 or 27");
		t->opts.rs_subnet_max = (uint8_t)max;
		pop(&r, n);
	}
	if (ok) {
		ok = get_array(&r, doc, "virtualNetworks", &a);
		if (ok && a != NULL) {
			t->vnets =
			    xcalloc(json_array_size(a) + 1, sizeof(*t->vnets));
			json_array_foreach(a, i, e)
			{
				n = push(&r, "virtualNetworks", (long)i);
				ok = read_vnet(&r, e, t);
				if (!ok)
					break;
				pop(&r, n);
			}
		}
	}
	if (ok)
		READ_ARRAY("networkInterfaces", t->nics, t->nnics,
		    read_nic(&r, e, &t->nics[i]));
	if (ok)
		READ_ARRAY("routeTables", t->rtables, t->nrtables,
		    read_rtable(&r, e, &t->rtables[i]));
	if (ok)
		READ_ARRAY("virtualHubs", t->rservers, t->nrservers,
		    read_rserver(&r, e, &t->rservers[i]));
	if (ok)
		READ_ARRAY("virtualNetworkGateways", t->gateways, t->ngateways,
		    read_gateway(&r, e, &t->gateways[i]));
	if (ok)
		READ_ARRAY("localNetworkGateways", t->lgateways, t->nlgateways,
		    read_lgateway(&r, e, &t->lgateways[i]));
	if (ok)
		READ_ARRAY("connections", t->conns, t->nconns,
		    read_conn(&r, e, &t->conns[i]));
	if (!ok || !topo_validate(t, err)) {
		topo_free(t);
		return false;
	}
	*out = t;
	return true;
}

int
topo_json_depth(json_t *j, int limit)
{
	const char *k;
	json_t *v;
	size_t i;
	int d, max = 0;

	if (limit <= 0)
		return 1;
	if (json_is_object(j)) {
		json_object_foreach(j, k, v)
		{
			if ((d = topo_json_depth(v, limit - 1)) > max)
				max = d;
		}
		return max + 1;
	}
	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
		{
			if ((d = topo_json_depth(v, limit - 1)) > max)
				max = d;
		}
		return max + 1;
	}
	return 0;
}

/* ---- one leaf resource (change.c) ---- */

json_t *
topo_json_nic(const struct topo *t, const struct topo_nic *n)
{
	return nic_to_json(t, n);
}

json_t *
topo_json_route(const struct topo_route *r)
{
	return route_to_json(r);
}

json_t *
topo_json_peering(const struct topo *t, const struct topo_peering *p)
{
	return peering_to_json(t, p);
}

bool
topo_json_read_nic(
    json_t *o, const char *where, struct topo_nic *n, struct topo_err *err)
{
	struct rd r = { .err = err };

	snprintf(r.path, sizeof(r.path), "%s", where);
	return read_nic(&r, o, n);
}

bool
topo_json_read_route(
    json_t *o, const char *where, struct topo_route *ro, struct topo_err *err)
{
	struct rd r = { .err = err };

	snprintf(r.path, sizeof(r.path), "%s", where);
	return read_route(&r, o, ro);
}

bool
topo_json_read_peering(json_t *o, const char *where, const char *vnet,
    struct topo_peering *p, struct topo_err *err)
{
	struct rd r = { .err = err };

	snprintf(r.path, sizeof(r.path), "%s", where);
	return read_peering(&r, o, vnet, p);
}
