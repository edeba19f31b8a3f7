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

struct prog {
	const struct topo_gateway *g;
	struct fab_route *r;                /* owned */
	char (*path)[ARS_AS_MAX * 11 + 12]; /* owned: r[i].aspath */
	size_t n;
};

static void
prog_cb(const struct ars_site_route *sr, void *arg)
{
	struct prog *d = arg;
	struct fab_route *r;

	d->r = xreallocarray(d->r, d->n + 1, sizeof(*d->r));
	d->path = xreallocarray(d->path, d->n + 1, sizeof(*d->path));
	r = &d->r[d->n];
	memset(r, 0, sizeof(*r));
	r->pfx = *sr->pfx;
	if (d->g->type == TOPO_GW_ER) { /* the MSEE's address (R3.3) */
		r->nexthop = sr->site_ip;
		r->nnh = 1;
		r->origin = FAB_ORIGIN_ER;
	} else {
		r->nexthop = d->g->bgp_ips;
		r->nnh = (size_t)d->g->nbgp_ips;
		r->origin = FAB_ORIGIN_VPN;
	}
	/* compared with the NVAs' routes as the route server sees it */
	r->aspath_len = sr->nas;
	r->learned_from = sr->site;
	ars_aspath_str(sr->as, sr->nas, ' ', d->path[d->n], sizeof(d->path[0]));
	d->n++;
}

void
gw_program(struct ars *a, const struct topo *t, struct fabric *f)
{
	char name[TOPO_NAME_MAX + 8];
	struct prog d;
	size_t i, k;

	for (i = 0; i < t->ngateways; i++) {
		memset(&d, 0, sizeof(d));
		d.g = &t->gateways[i];
		ars_site_walk(a, t, NULL, d.g, prog_cb, &d);
		/* the AS-path strings once the array has stopped moving */
		for (k = 0; k < d.n; k++)
			d.r[k].aspath = d.path[k];
		snprintf(name, sizeof(name), "%s/sites", d.g->name);
		ars_program_src(a, f, name, d.g->name, d.r, d.n);
		free(d.r);
		free(d.path);
	}
}

/* ---- learned ---- */

struct ibgp {
	const struct ars *a;
	int inst;
	bool gate;  /* only what the gateway's session carried */
	bool to_gw; /* the route server's side: what it sends g */
	const struct topo *t;
	const struct topo_routeserver *rs;
	const struct ipaddr *local;
	const struct ipaddr *from; /* the route-server instance */
	json_t *arr;
	size_t count;
	bool learned; /* learned view (else: advertised to a site) */
	const struct topo_gateway *g;
	ars_adv_fn fn; /* advertised to a site: each route, to fn */
	void *fnarg;
};

/* To a site: the gateway's AS, then 65515 when ARS is eBGP to it. */
static void
site_emit(const struct ibgp *d, const struct prefix *p, const uint32_t *as,
    size_t n, const uint32_t *comm, size_t nc, bool ebgp)
{
	struct ars_adv r;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.pfx = *p;
	r.nexthop = *d->local;
	r.as[r.nas++] = d->g->asn;
	if (ebgp)
		r.as[r.nas++] = TOPO_RS_ASN;
	for (i = 0; i < n && r.nas < ARS_AS_MAX + 2; i++)
		r.as[r.nas++] = as[i];
	for (i = 0; i < nc && r.ncomm < ARS_COMM_MAX; i++)
		r.comm[r.ncomm++] = comm[i];
	d->fn(&r, d->fnarg);
}

/* What one route-server instance sends the gateway over iBGP (R2.10, R2.11). */
static void
ibgp_cb(const struct prefix *p, const struct ars_best *b, size_t n, void *arg)
{
	struct ibgp *d = arg;
	char path[ARS_AS_MAX * 11], lead[24];
	bool ebgp;
	size_t i;

	if (fab_vnet_set_covers(d->t, d->rs->vnet, p))
		return;
	for (i = 0; i < n && ars_no_advertise(b[i].path); i++)
		;
	if (i == n)
		return;
	if (d->gate &&
	    !ars_link_heard(
	        d->a, d->rs->name, d->g->name, d->inst, ARS_LINK_TO_GW, p))
		return; /* the instance's session to g did not carry it */
	/* a gateway that is not 65515 hears ARS over eBGP: 65515 in front */
	ebgp = d->g->asn != TOPO_RS_ASN;
	if (d->to_gw) {
		struct ars_adv r;
		size_t k;

		memset(&r, 0, sizeof(r));
		r.pfx = *p;
		r.nexthop = b[i].path->nexthop;
		if (ebgp)
			r.as[r.nas++] = TOPO_RS_ASN;
		for (k = 0; k < b[i].path->nas && r.nas < ARS_AS_MAX + 2; k++)
			r.as[r.nas++] = b[i].path->as[k];
		for (k = 0; k < b[i].path->ncomm && r.ncomm < ARS_COMM_MAX; k++)
			r.comm[r.ncomm++] = b[i].path->comm[k];
		d->count++;
		d->fn(&r, d->fnarg);
		return;
	}
	d->count++;
	if (d->arr == NULL && d->fn == NULL)
		return;
	if (d->learned) {
		snprintf(lead, sizeof(lead), "%s", ebgp ? "65515-" : "");
		ars_aspath_str(
		    b[i].path->as, b[i].path->nas, '-', path, sizeof(path));
		json_array_append_new(d->arr,
		    ars_learned_entry(d->local, p,
		        topo_json_addr(&b[i].path->nexthop), d->from,
		        ebgp ? "EBgp" : "IBgp", json_pack("s+", lead, path),
		        32768));
		return;
	}
	/* to a site: never 0.0.0.0/0 (VPN), the gateway's AS prepended */
	if (p->len == 0 && d->g->type == TOPO_GW_VPN)
		return;
	site_emit(d, p, b[i].path->as, b[i].path->nas, b[i].path->comm,
	    b[i].path->ncomm, ebgp);
}

/*
 * Walk what instance inst of rs sends g over iBGP, as seen from g's
 * address local: into arr as learned (IBgp) or advertised-to-a-site
 * entries, or only counted when arr is NULL.  The count of routes.
 */
static size_t
ibgp_walk(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const struct topo_gateway *g,
    const struct ipaddr *local, int inst, json_t *arr, bool learned,
    ars_adv_fn fn, void *fnarg)
{
	struct ibgp d;

	memset(&d, 0, sizeof(d));
	d.a = a;
	d.inst = inst;
	d.gate = true;
	d.t = t;
	d.rs = rs;
	d.local = local;
	d.from = &rs->ips[inst];
	d.arr = arr;
	d.learned = learned;
	d.g = g;
	d.fn = fn;
	d.fnarg = fnarg;
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

/* What a gateway shows of its sites' routes, from one of its addresses. */
struct site_view {
	const struct ipaddr *local;
	json_t *arr;
	bool to_ars; /* advertised to the route server (else learned) */
};

static void
site_learned(const struct ars_site_route *r, void *arg)
{
	struct site_view *v = arg;
	char path[ARS_AS_MAX * 11];

	if (r->static_route) { /* the local network gateway's prefixes */
		json_array_append_new(v->arr,
		    ars_learned_entry(v->local, r->pfx,
		        topo_json_addr(r->site_ip), v->local, "Network",
		        json_string(""), 32768));
		return;
	}
	if (r->gw->type == TOPO_GW_ER) { /* from the MSEE: 12076 first */
		ars_aspath_str(r->as, r->nas, '-', path, sizeof(path));
		json_array_append_new(v->arr,
		    ars_learned_entry(v->local, r->pfx,
		        topo_json_addr(r->site_ip), r->site_ip, "EBgp",
		        json_string(path), 32769));
		return;
	}
	ars_aspath_str(r->path->as, r->path->nas, '-', path, sizeof(path));
	json_array_append_new(v->arr,
	    ars_learned_entry(v->local, r->pfx,
	        topo_json_addr(&r->path->nexthop), r->site_ip, "EBgp",
	        json_string(path), 32768));
}

/* To the route server: the path as it receives it (R2.3). */
static void
site_to_ars(const struct ars_site_route *r, void *arg)
{
	struct site_view *v = arg;
	char path[ARS_AS_MAX * 11 + 12];

	ars_aspath_str(r->as, r->nas, '-', path, sizeof(path));
	json_array_append_new(
	    v->arr, ars_advertised_entry(v->local, r->pfx, json_string(path)));
}

json_t *
gw_learned_json(
    const struct ars *a, const struct topo *t, const struct topo_gateway *g)
{
	const struct topo_routeserver *rs = b2b_rs(t, g);
	const struct ipaddr *local;
	json_t *arr = json_array();
	struct site_view sv = { NULL, NULL, false };
	const struct prefix **vs;
	size_t i, nvs;
	int m, inst;

	vs = fab_vnet_set_prefixes(t, g->vnet, &nvs);
	for (m = 0; m < g->nbgp_ips; m++) {
		local = &g->bgp_ips[m];
		for (i = 0; i < nvs; i++)
			json_array_append_new(arr,
			    ars_learned_entry(local, vs[i], json_string(""),
			        local, "Network", json_string(""), 32768));

		sv.local = local;
		sv.arr = arr;
		ars_site_walk(a, t, NULL, g, site_learned, &sv);
		for (inst = 0; rs != NULL && inst < ARS_INSTANCES; inst++)
			(void)ibgp_walk(
			    a, t, rs, g, local, inst, arr, true, NULL, NULL);
	}
	free(vs);
	return json_pack("{s:o}", "value", arr);
}

/* ---- advertised ---- */

/* Is peer a BGP neighbour of g: a site over a BGP connection, or an instance of the route server beside it. */
/*
 * The MSEEs of g's ExpressRoute circuits: the next hops the circuits'
 * announcements carry, each once, into out (up to max); the count.
 */
static size_t
msees(const struct ars *a, const struct topo *t, const struct topo_gateway *g,
    struct ipaddr *out, size_t *routes, size_t max)
{
	const struct ars_path *p;
	size_t i, k, j, n, cnt = 0;

	for (i = 0; i < t->nconns; i++) {
		if (t->conns[i].type != TOPO_CONN_ER ||
		    strcmp(t->conns[i].gateway, g->name) != 0)
			continue;
		p = ars_site_get(a, t->conns[i].peer, &n);
		for (k = 0; k < n; k++) {
			for (j = 0; j < cnt; j++)
				if (addr_cmp(&out[j], &p[k].nexthop) == 0)
					break;
			if (j == cnt && cnt < max) {
				out[cnt] = p[k].nexthop;
				routes[cnt++] = 0;
			}
			if (j < cnt)
				routes[j]++;
		}
	}
	return cnt;
}

#define GW_MSEE_MAX 8

static int
peer_kind(const struct ars *a, const struct topo *t,
    const struct topo_gateway *g, const struct ipaddr *peer)
{
	struct ipaddr m[GW_MSEE_MAX];
	size_t r[GW_MSEE_MAX], nm, i;
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
	nm = msees(a, t, g, m, r, GW_MSEE_MAX);
	for (i = 0; i < nm; i++)
		if (addr_cmp(&m[i], peer) == 0)
			return 1; /* an MSEE: eBGP, like a site */
	return 0;
}

static void
site_json_cb(const struct ars_adv *r, void *arg)
{
	char path[(ARS_AS_MAX + 2) * 11];

	ars_aspath_str(r->as, r->nas, '-', path, sizeof(path));
	json_array_append_new(
	    arg, ars_advertised_entry(&r->nexthop, &r->pfx, json_string(path)));
}

json_t *
gw_advertised_json(const struct ars *a, const struct topo *t,
    const struct topo_gateway *g, const struct ipaddr *peer, char *why,
    size_t len)
{
	const struct ipaddr *local;
	int kind = peer_kind(a, t, g, peer), m;
	char asn[16], b[ADDR_STRLEN];
	struct site_view sv = { NULL, NULL, true };
	const struct prefix **vs;
	json_t *arr;
	size_t i, nvs;

	if (kind == 0) {
		snprintf(why, len,
		    "%s is not a BGP peer of virtual network gateway %s "
		    "(list-bgp-peer-status lists them)",
		    addr_print(peer, b, sizeof(b)), g->name);
		return NULL;
	}
	/* eBGP: the gateway's AS; iBGP with the route server: empty */
	snprintf(asn, sizeof(asn), "%u", g->asn);
	if (kind == 2 && g->asn == TOPO_RS_ASN)
		asn[0] = '\0';
	arr = json_array();
	vs = fab_vnet_set_prefixes(t, g->vnet, &nvs);
	for (m = 0; m < g->nbgp_ips; m++) {
		local = &g->bgp_ips[m];
		if (kind == 1) { /* a site: what its session carries */
			gw_site_walk(a, t, g, local, site_json_cb, arr);
			continue;
		}
		for (i = 0; i < nvs; i++)
			json_array_append_new(arr,
			    ars_advertised_entry(
			        local, vs[i], json_string(asn)));
		if (kind == 2) { /* the sites, for the route server (R2.3) */
			sv.local = local;
			sv.arr = arr;
			ars_site_walk(a, t, NULL, g, site_to_ars, &sv);
		}
	}
	free(vs);
	return json_pack("{s:o}", "value", arr);
}

void
gw_site_walk(const struct ars *a, const struct topo *t,
    const struct topo_gateway *g, const struct ipaddr *local, ars_adv_fn fn,
    void *arg)
{
	const struct topo_routeserver *rs = b2b_rs(t, g);
	const struct prefix **vs;
	struct ibgp d;
	size_t i, nvs;
	int inst;

	memset(&d, 0, sizeof(d));
	d.g = g;
	d.local = local;
	d.fn = fn;
	d.fnarg = arg;
	vs = fab_vnet_set_prefixes(t, g->vnet, &nvs);
	for (i = 0; i < nvs; i++)
		site_emit(&d, vs[i], NULL, 0, NULL, 0, false);
	free(vs);
	/* one copy of each NVA route: from IN_0, else IN_1 */
	for (inst = 0; rs != NULL && inst < ARS_INSTANCES; inst++)
		if (ibgp_walk(a, t, rs, g, local, inst, NULL, false, fn, arg) >
		    0)
			break;
}

void
gw_ars_walk(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, int inst, const struct topo_gateway *g,
    ars_adv_fn fn, void *arg)
{
	struct ibgp d;

	if (!rs->b2b)
		return;
	memset(&d, 0, sizeof(d));
	d.a = a;
	d.inst = inst;
	d.to_gw = true;
	d.t = t;
	d.rs = rs;
	d.local = &rs->ips[inst];
	d.from = &rs->ips[inst];
	d.g = g;
	d.fn = fn;
	d.fnarg = arg;
	ars_best_walk(a, t, rs, inst, ibgp_cb, &d);
}

struct to_ars {
	const struct topo_gateway *g;
	const struct ipaddr *local;
	ars_adv_fn fn;
	void *arg;
};

static void
to_ars_cb(const struct ars_site_route *sr, void *arg)
{
	struct to_ars *d = arg;
	struct ars_adv r;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.pfx = *sr->pfx;
	r.nexthop = *d->local;
	for (i = 0; i < sr->nas && r.nas < ARS_AS_MAX + 2; i++)
		r.as[r.nas++] = sr->as[i];
	for (i = 0;
	     sr->path != NULL && i < sr->path->ncomm && r.ncomm < ARS_COMM_MAX;
	     i++)
		r.comm[r.ncomm++] = sr->path->comm[i];
	/* a VPN gateway marks what it passes to the route server */
	for (i = 0; i < r.ncomm && r.comm[i] != ARS_COMM_AZURE; i++)
		;
	if (d->g->type == TOPO_GW_VPN && i == r.ncomm)
		r.comm[r.ncomm++] = ARS_COMM_AZURE;
	d->fn(&r, d->arg);
}

void
gw_to_ars_walk(const struct ars *a, const struct topo *t,
    const struct topo_gateway *g, const struct ipaddr *local, ars_adv_fn fn,
    void *arg)
{
	struct to_ars d = { g, local, fn, arg };
	const struct prefix **vs;
	struct ars_adv r;
	size_t i, nvs;

	vs = fab_vnet_set_prefixes(t, g->vnet, &nvs);
	for (i = 0; i < nvs; i++) {
		memset(&r, 0, sizeof(r));
		r.pfx = *vs[i];
		r.nexthop = *local;
		if (g->asn != TOPO_RS_ASN)
			r.as[r.nas++] = g->asn;
		fn(&r, arg);
	}
	free(vs);
	ars_site_walk(a, t, NULL, g, to_ars_cb, &d);
}

/* ---- peers ---- */

/* One neighbour as az prints list-bgp-peer-status (no message counts kept). */
static json_t *
peer_entry(uint32_t asn, const struct ipaddr *local,
    const struct ipaddr *neighbor, size_t routes, const char *state)
{
	return json_pack("{s:I,s:n,s:o,s:i,s:i,s:o,s:I,s:s}", "asn",
	    (json_int_t)asn, "connectedDuration", "localAddress",
	    topo_json_addr(local), "messagesReceived", 0, "messagesSent", 0,
	    "neighbor", topo_json_addr(neighbor), "routesReceived",
	    (json_int_t)routes, "state", state);
}

json_t *
gw_peer_status_json(
    const struct ars *a, const struct topo *t, const struct topo_gateway *g)
{
	const struct topo_routeserver *rs =
	    topo_routeserver_of_vnet(t, g->vnet);
	const struct topo_local_gateway *l;
	json_t *arr = json_array();
	struct ipaddr msee[GW_MSEE_MAX];
	size_t k, n, nm, mr[GW_MSEE_MAX];
	int m, inst, up;

	for (m = 0; m < g->nbgp_ips; m++) {
		for (k = 0; k < t->nconns; k++) {
			l = site_of(t, g, &t->conns[k]);
			if (l == NULL || !t->conns[k].enable_bgp || l->asn == 0)
				continue;
			/* a site is up once it has announced something */
			(void)ars_site_get(a, l->name, &n);
			json_array_append_new(arr,
			    peer_entry(l->asn, &g->bgp_ips[m], &l->bgp_ip, n,
			        n > 0 ? "Connected" : "Unknown"));
		}
		nm = msees(a, t, g, msee, mr, GW_MSEE_MAX);
		for (k = 0; k < nm; k++)
			json_array_append_new(arr,
			    peer_entry(ARS_AS_MSEE, &g->bgp_ips[m], &msee[k],
			        mr[k], "Connected"));
		for (inst = 0; rs != NULL && inst < ARS_INSTANCES; inst++) {
			/* a live session's state, else the model's */
			up = ars_link_state(
			    a, rs->name, g->name, m, inst, ARS_LINK_TO_GW);
			n = rs->b2b && up != 0
			    ? ibgp_walk(a, t, rs, g, &g->bgp_ips[m], inst, NULL,
			          false, NULL, NULL)
			    : 0;
			json_array_append_new(arr,
			    peer_entry(TOPO_RS_ASN, &g->bgp_ips[m],
			        &rs->ips[inst], n,
			        up != 0 ? "Connected" : "Connecting"));
		}
	}
	return json_pack("{s:o}", "value", arr);
}
