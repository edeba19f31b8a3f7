/* SPDX-License-Identifier: ISC */
/* gateway/gw.c - a gateway's programmed, learned and advertised routes and its BGP peers. */

#include "gateway/gw.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fabric/fabric.h"
#include "lib/xmalloc.h"
#include "routeserver/ars.h"
#include "topology/topology.h"

/* The local network gateway of connection c of g, if an IPsec site. */
static const struct topo_local_gateway *
site_of(const struct topo *t, const struct topo_gateway *g,
    const struct topo_connection *c)
{
	if (c->type != TOPO_CONN_IPSEC || strcmp(c->gateway, g->name) != 0)
		return NULL;
	return topo_local_gateway_lookup(t, c->peer);
}

/* ---- programming ---- */

void
gw_program(struct ars *a, const struct topo *t, struct fabric *f)
{
	const struct topo_local_gateway *l;
	const struct topo_gateway *g;
	struct fab_route *r = NULL;
	char name[TOPO_NAME_MAX + 8];
	size_t i, k, j, n;

	for (i = 0; i < t->ngateways; i++) {
		g = &t->gateways[i];
		if (g->type != TOPO_GW_VPN)
			continue;
		n = 0;
		for (k = 0; k < t->nconns; k++) {
			if ((l = site_of(t, g, &t->conns[k])) == NULL)
				continue;
			for (j = 0; j < l->nprefixes; j++) {
				r = xreallocarray(r, n + 1, sizeof(*r));
				memset(&r[n], 0, sizeof(r[n]));
				r[n].pfx = l->prefixes[j];
				r[n].nexthop = g->bgp_ips;
				r[n].nnh = (size_t)g->nbgp_ips;
				r[n].origin = FAB_ORIGIN_VPN;
				r[n].aspath_len = 0;
				r[n].learned_from = l->name;
				n++;
			}
		}
		snprintf(name, sizeof(name), "%s/sites", g->name);
		ars_program_src(a, f, name, g->name, r, n);
	}
	free(r);
}

/* ---- learned ---- */

static json_t *
entry(const struct ipaddr *local, const struct prefix *p, json_t *nexthop,
    const struct ipaddr *source, const char *origin, json_t *path, int weight)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:s,s:o,s:i}", "asPath", path,
	    "localAddress", topo_json_addr(local), "network",
	    topo_json_prefix(p), "nextHop", nexthop, "origin", origin,
	    "sourcePeer", topo_json_addr(source), "weight", weight);
}

struct ibgp {
	const struct topo *t;
	const struct topo_routeserver *rs;
	const struct ipaddr *local;
	const struct ipaddr *from; /* the route-server instance */
	json_t *arr;
	size_t count;
	bool learned; /* learned view (else: advertised to a site) */
	const struct topo_gateway *g;
};

/* What one route-server instance sends the gateway over iBGP (R2.10, R2.11). */
static void
ibgp_cb(const struct prefix *p, const struct ars_best *b, size_t n, void *arg)
{
	struct ibgp *d = arg;
	char path[ARS_AS_MAX * 11], lead[16];
	size_t i;

	if (fab_vnet_set_covers(d->t, d->rs->vnet, p))
		return;
	for (i = 0; i < n && ars_no_advertise(b[i].path); i++)
		;
	if (i == n)
		return;
	d->count++;
	if (d->arr == NULL)
		return;
	if (d->learned) {
		ars_aspath_str(
		    b[i].path->as, b[i].path->nas, '-', path, sizeof(path));
		json_array_append_new(d->arr,
		    entry(d->local, p, topo_json_addr(&b[i].path->nexthop),
		        d->from, "IBgp", json_string(path), 32768));
		return;
	}
	/* to a site: never 0.0.0.0/0 (VPN), the gateway's AS prepended */
	if (p->len == 0 && d->g->type == TOPO_GW_VPN)
		return;
	snprintf(lead, sizeof(lead), "%u-", d->g->asn);
	ars_aspath_str(b[i].path->as, b[i].path->nas, '-', path, sizeof(path));
	json_array_append_new(d->arr,
	    json_pack("{s:s++,s:o,s:o,s:o,s:s,s:i}", "asPath", "", lead, path,
	        "localAddress", topo_json_addr(d->local), "network",
	        topo_json_prefix(p), "nextHop", topo_json_addr(d->local),
	        "origin", "Igp", "weight", 0));
}

/*
 * Walk what instance inst of rs sends g over iBGP, as seen from g's
 * address local: into arr as learned (IBgp) or advertised-to-a-site
 * entries, or only counted when arr is NULL.  The count of routes.
 */
static size_t
ibgp_walk(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const struct topo_gateway *g,
    const struct ipaddr *local, int inst, json_t *arr, bool learned)
{
	struct ibgp d;

	memset(&d, 0, sizeof(d));
	d.t = t;
	d.rs = rs;
	d.local = local;
	d.from = &rs->ips[inst];
	d.arr = arr;
	d.learned = learned;
	d.g = g;
	ars_best_walk(a, t, rs, inst, ibgp_cb, &d);
	return d.count;
}

/* The route server beside g that trades routes with it, if b2b is on. */
static const struct topo_routeserver *
b2b_rs(const struct topo *t, const struct topo_gateway *g)
{
	const struct topo_routeserver *rs =
	    topo_routeserver_of_vnet(t, g->vnet);

	return rs != NULL && rs->b2b ? rs : NULL;
}

json_t *
gw_learned_json(
    const struct ars *a, const struct topo *t, const struct topo_gateway *g)
{
	const struct topo_routeserver *rs = b2b_rs(t, g);
	const struct topo_local_gateway *l;
	const struct ipaddr *local;
	json_t *arr = json_array();
	size_t i, k, j;
	int m, inst;

	for (m = 0; m < g->nbgp_ips; m++) {
		local = &g->bgp_ips[m];
		for (i = 0; i < t->nvnets; i++) {
			if (!fab_vnet_set_has(t, g->vnet, t->vnets[i].name))
				continue;
			for (k = 0; k < t->vnets[i].nprefixes; k++)
				json_array_append_new(arr,
				    entry(local, &t->vnets[i].prefixes[k],
				        json_string(""), local, "Network",
				        json_string(""), 32768));
		}
		for (k = 0; k < t->nconns; k++) {
			if ((l = site_of(t, g, &t->conns[k])) == NULL)
				continue;
			for (j = 0; j < l->nprefixes; j++)
				json_array_append_new(arr,
				    entry(local, &l->prefixes[j],
				        topo_json_addr(&l->gateway_ip), local,
				        "Network", json_string(""), 32768));
		}
		for (inst = 0; rs != NULL && inst < ARS_INSTANCES; inst++)
			(void)ibgp_walk(a, t, rs, g, local, inst, arr, true);
	}
	return json_pack("{s:o}", "value", arr);
}

/* ---- advertised ---- */

/* Is peer a BGP neighbour of g: a site over a BGP connection, or an instance of the route server beside it. */
static int
peer_kind(const struct topo *t, const struct topo_gateway *g,
    const struct ipaddr *peer)
{
	const struct topo_routeserver *rs =
	    topo_routeserver_of_vnet(t, g->vnet);
	const struct topo_local_gateway *l;
	size_t k;

	for (k = 0; k < t->nconns; k++) {
		l = site_of(t, g, &t->conns[k]);
		if (l != NULL && t->conns[k].enable_bgp && l->asn != 0 &&
		    addr_cmp(&l->bgp_ip, peer) == 0)
			return 1;
	}
	if (rs != NULL &&
	    (addr_cmp(&rs->ips[0], peer) == 0 ||
	        addr_cmp(&rs->ips[1], peer) == 0))
		return 2;
	return 0;
}

json_t *
gw_advertised_json(const struct ars *a, const struct topo *t,
    const struct topo_gateway *g, const struct ipaddr *peer, char *why,
    size_t len)
{
	const struct topo_routeserver *rs = b2b_rs(t, g);
	const struct topo_local_gateway *l;
	const struct ipaddr *local;
	int kind = peer_kind(t, g, peer), m, inst;
	char asn[16], b[ADDR_STRLEN];
	json_t *arr;
	size_t i, k, j;

	if (kind == 0) {
		snprintf(why, len,
		    "%s is not a BGP peer of virtual network gateway %s "
		    "(list-bgp-peer-status lists them)",
		    addr_print(peer, b, sizeof(b)), g->name);
		return NULL;
	}
	/* to a site: eBGP, the gateway's AS; to the route server: iBGP */
	snprintf(asn, sizeof(asn), "%u", kind == 1 ? g->asn : 0);
	if (kind == 2)
		asn[0] = '\0';
	arr = json_array();
	for (m = 0; m < g->nbgp_ips; m++) {
		local = &g->bgp_ips[m];
		for (i = 0; i < t->nvnets; i++) {
			if (!fab_vnet_set_has(t, g->vnet, t->vnets[i].name))
				continue;
			for (k = 0; k < t->vnets[i].nprefixes; k++)
				json_array_append_new(arr,
				    json_pack("{s:s,s:o,s:o,s:o,s:s,s:i}",
				        "asPath", asn, "localAddress",
				        topo_json_addr(local), "network",
				        topo_json_prefix(
				            &t->vnets[i].prefixes[k]),
				        "nextHop", topo_json_addr(local),
				        "origin", "Igp", "weight", 0));
		}
		if (kind == 2) { /* the sites, for the route server (R2.3) */
			for (k = 0; k < t->nconns; k++) {
				if ((l = site_of(t, g, &t->conns[k])) == NULL)
					continue;
				for (j = 0; j < l->nprefixes; j++)
					json_array_append_new(arr,
					    json_pack(
					        "{s:s,s:o,s:o,s:o,s:s,s:i}",
					        "asPath", "", "localAddress",
					        topo_json_addr(local),
					        "network",
					        topo_json_prefix(
					            &l->prefixes[j]),
					        "nextHop",
					        topo_json_addr(local), "origin",
					        "Igp", "weight", 0));
			}
			continue;
		}
		/* one copy of each NVA route: from IN_0, else IN_1 */
		for (inst = 0; rs != NULL && inst < ARS_INSTANCES; inst++)
			if (ibgp_walk(a, t, rs, g, local, inst, arr, false) > 0)
				break;
	}
	return json_pack("{s:o}", "value", arr);
}

/* ---- peers ---- */

json_t *
gw_peer_status_json(
    const struct ars *a, const struct topo *t, const struct topo_gateway *g)
{
	const struct topo_routeserver *rs =
	    topo_routeserver_of_vnet(t, g->vnet);
	const struct topo_local_gateway *l;
	json_t *arr = json_array();
	size_t k, n;
	int m, inst;

	for (m = 0; m < g->nbgp_ips; m++) {
		for (k = 0; k < t->nconns; k++) {
			l = site_of(t, g, &t->conns[k]);
			if (l == NULL || !t->conns[k].enable_bgp || l->asn == 0)
				continue;
			json_array_append_new(arr,
			    json_pack("{s:I,s:n,s:o,s:i,s:i,s:o,s:i,s:s}",
			        "asn", (json_int_t)l->asn, "connectedDuration",
			        "localAddress", topo_json_addr(&g->bgp_ips[m]),
			        "messagesReceived", 0, "messagesSent", 0,
			        "neighbor", topo_json_addr(&l->bgp_ip),
			        "routesReceived", 0, "state", "Unknown"));
		}
		for (inst = 0; rs != NULL && inst < ARS_INSTANCES; inst++) {
			n = rs->b2b ? ibgp_walk(a, t, rs, g, &g->bgp_ips[m],
			                  inst, NULL, false)
			            : 0;
			json_array_append_new(arr,
			    json_pack("{s:i,s:n,s:o,s:i,s:i,s:o,s:I,s:s}",
			        "asn", TOPO_RS_ASN, "connectedDuration",
			        "localAddress", topo_json_addr(&g->bgp_ips[m]),
			        "messagesReceived", 0, "messagesSent", 0,
			        "neighbor", topo_json_addr(&rs->ips[inst]),
			        "routesReceived", (json_int_t)n, "state",
			        "Connected"));
		}
	}
	return json_pack("{s:o}", "value", arr);
}
