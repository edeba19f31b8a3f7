/* SPDX-License-Identifier: ISC */
/* routeserver/ars.c - announcements per peer and instance, acceptance, programming. */

#include "routeserver/ars.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fabric/fabric.h"
#include "lib/xmalloc.h"
#include "topology/topology.h"

/* What one peer announces to one instance. */
struct ars_feed {
	char *rs;   /* owned */
	char *peer; /* owned */
	int inst;
	struct ars_path *v; /* owned */
	size_t n;
};

/* A source last programmed into a fabric, and what it held. */
struct ars_src {
	char *name; /* owned: "RS/IN_0" */
	uint64_t sig;
	bool used; /* programmed in the current round */
};

/* What one direction of a gateway's session with an instance carried. */
struct ars_link {
	char *rs, *gw; /* owned */
	int m, inst, dir;
	bool up;          /* the session is Established */
	struct prefix *p; /* owned, sorted */
	size_t n;
};

struct ars {
	struct ars_feed *feeds; /* owned */
	size_t nfeeds;
	struct ars_src *srcs; /* owned */
	size_t nsrcs;
	struct ars_link *links; /* owned */
	size_t nlinks;
};

struct ars *
ars_new(void)
{
	return xcalloc(1, sizeof(struct ars));
}

static void
feed_free(struct ars_feed *f)
{
	free(f->rs);
	free(f->peer);
	free(f->v);
}

void
ars_free(struct ars *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->nfeeds; i++)
		feed_free(&a->feeds[i]);
	free(a->feeds);
	for (i = 0; i < a->nsrcs; i++)
		free(a->srcs[i].name);
	free(a->srcs);
	for (i = 0; i < a->nlinks; i++) {
		free(a->links[i].rs);
		free(a->links[i].gw);
		free(a->links[i].p);
	}
	free(a->links);
	free(a);
}

/*
 * A copy of what the peers and the gateways' links carry, for a what-if:
 * it has programmed no fabric yet, so its first round programs all.
 */
struct ars *
ars_clone(const struct ars *a)
{
	struct ars *c = ars_new();
	size_t i;

	for (i = 0; i < a->nfeeds; i++)
		ars_set(c, a->feeds[i].rs, a->feeds[i].peer, a->feeds[i].inst,
		    a->feeds[i].v, a->feeds[i].n);
	for (i = 0; i < a->nlinks; i++)
		ars_link_set(c, a->links[i].rs, a->links[i].gw, a->links[i].m,
		    a->links[i].inst, a->links[i].dir, a->links[i].up,
		    a->links[i].p, a->links[i].n);
	return c;
}

/* ---- the gateways' sessions with the instances ---- */

static struct ars_link *
link_find(const struct ars *a, const char *rs, const char *gw, int m, int inst,
    int dir)
{
	size_t i;

	for (i = 0; i < a->nlinks; i++)
		if (a->links[i].m == m && a->links[i].inst == inst &&
		    a->links[i].dir == dir && strcmp(a->links[i].rs, rs) == 0 &&
		    strcmp(a->links[i].gw, gw) == 0)
			return &a->links[i];
	return NULL;
}

static int
pfx_cmp(const void *x, const void *y)
{
	return prefix_cmp(x, y);
}

void
ars_link_set(struct ars *a, const char *rs, const char *gw, int m, int inst,
    int dir, bool up, const struct prefix *p, size_t n)
{
	struct ars_link *l = link_find(a, rs, gw, m, inst, dir);

	if (l == NULL) {
		a->links =
		    xreallocarray(a->links, a->nlinks + 1, sizeof(*a->links));
		l = &a->links[a->nlinks++];
		memset(l, 0, sizeof(*l));
		l->rs = xstrdup(rs);
		l->gw = xstrdup(gw);
		l->m = m;
		l->inst = inst;
		l->dir = dir;
	}
	free(l->p);
	l->p = xcalloc(n + 1, sizeof(*l->p));
	if (n > 0)
		memcpy(l->p, p, n * sizeof(*p));
	l->n = n;
	l->up = up;
	qsort(l->p, n, sizeof(*l->p), pfx_cmp);
}

int
ars_link_state(const struct ars *a, const char *rs, const char *gw, int m,
    int inst, int dir)
{
	const struct ars_link *l = link_find(a, rs, gw, m, inst, dir);

	return l == NULL ? -1 : l->up;
}

void
ars_link_del(
    struct ars *a, const char *rs, const char *gw, int m, int inst, int dir)
{
	struct ars_link *l = link_find(a, rs, gw, m, inst, dir);

	if (l == NULL)
		return;
	free(l->rs);
	free(l->gw);
	free(l->p);
	*l = a->links[--a->nlinks];
}

bool
ars_link_heard(const struct ars *a, const char *rs, const char *gw, int inst,
    int dir, const struct prefix *p)
{
	const struct ars_link *l;
	bool any = false;
	size_t i;

	for (i = 0; i < a->nlinks; i++) {
		l = &a->links[i];
		if (l->inst != inst || l->dir != dir ||
		    strcmp(l->rs, rs) != 0 || strcmp(l->gw, gw) != 0)
			continue;
		any = true;
		if (l->n > 0 &&
		    bsearch(p, l->p, l->n, sizeof(*l->p), pfx_cmp) != NULL)
			return true;
	}
	return !any;
}

static struct ars_feed *
feed_find(const struct ars *a, const char *rs, const char *peer, int inst)
{
	size_t i;

	for (i = 0; i < a->nfeeds; i++)
		if (a->feeds[i].inst == inst &&
		    strcmp(a->feeds[i].rs, rs) == 0 &&
		    strcmp(a->feeds[i].peer, peer) == 0)
			return &a->feeds[i];
	return NULL;
}

static void
feed_del(struct ars *a, struct ars_feed *f)
{
	feed_free(f);
	*f = a->feeds[--a->nfeeds];
}

void
ars_set(struct ars *a, const char *rs, const char *peer, int inst,
    const struct ars_path *paths, size_t n)
{
	struct ars_feed *f = feed_find(a, rs, peer, inst);

	if (n == 0) {
		if (f != NULL)
			feed_del(a, f);
		return;
	}
	if (f == NULL) {
		a->feeds =
		    xreallocarray(a->feeds, a->nfeeds + 1, sizeof(*a->feeds));
		f = &a->feeds[a->nfeeds++];
		f->rs = xstrdup(rs);
		f->peer = xstrdup(peer);
		f->inst = inst;
	} else
		free(f->v);
	f->v = xreallocarray(NULL, n, sizeof(*f->v));
	memcpy(f->v, paths, n * sizeof(*f->v));
	f->n = n;
}

const struct ars_path *
ars_get(
    const struct ars *a, const char *rs, const char *peer, int inst, size_t *n)
{
	const struct ars_feed *f = feed_find(a, rs, peer, inst);

	*n = f != NULL ? f->n : 0;
	return f != NULL ? f->v : NULL;
}

static const struct topo_bgpconn *
conn_lookup(const struct topo_routeserver *rs, const char *peer)
{
	size_t i;

	for (i = 0; i < rs->nconns; i++)
		if (strcmp(rs->conns[i].name, peer) == 0)
			return &rs->conns[i];
	return NULL;
}

void
ars_prune(struct ars *a, const struct topo *t)
{
	const struct topo_routeserver *rs;
	size_t i = 0;

	while (i < a->nfeeds) {
		if (a->feeds[i].inst == ARS_SITE) {
			if (topo_local_gateway_lookup(t, a->feeds[i].rs) ==
			        NULL &&
			    !ars_circuit_used(t, a->feeds[i].rs))
				feed_del(a, &a->feeds[i]);
			else
				i++;
			continue;
		}
		rs = topo_routeserver_lookup(t, a->feeds[i].rs);
		if (rs == NULL || conn_lookup(rs, a->feeds[i].peer) == NULL)
			feed_del(a, &a->feeds[i]);
		else
			i++;
	}
}

bool
ars_circuit_used(const struct topo *t, const char *circuit)
{
	size_t i;

	for (i = 0; i < t->nconns; i++)
		if (t->conns[i].type == TOPO_CONN_ER &&
		    strcmp(t->conns[i].peer, circuit) == 0)
			return true;
	return false;
}

void
ars_site_set(
    struct ars *a, const char *site, const struct ars_path *paths, size_t n)
{
	ars_set(a, site, "", ARS_SITE, paths, n);
}

const struct ars_path *
ars_site_get(const struct ars *a, const char *site, size_t *n)
{
	return ars_get(a, site, "", ARS_SITE, n);
}

/* ---- rules ---- */

enum ars_verdict
ars_check(const struct ars_path *p)
{
	size_t i;

	if (p->pfx.af != ADDR_V4)
		return ARS_REJ_FAMILY;
	for (i = 0; i < p->nas; i++) {
		if (p->as[i] == TOPO_RS_ASN)
			return ARS_REJ_OWN_AS;
		if (p->as[i] == 0)
			return ARS_REJ_AS0;
	}
	return ARS_ACCEPT;
}

bool
ars_no_advertise(const struct ars_path *p)
{
	size_t i;

	for (i = 0; i < p->ncomm; i++)
		if (p->comm[i] == ARS_COMM_NO_ADVERTISE)
			return true;
	return false;
}

const char *
ars_verdict_text(enum ars_verdict v)
{
	switch (v) {
	case ARS_ACCEPT:
		return "";
	case ARS_REJ_OWN_AS:
		return "AS_PATH contains 65515, the route server's own AS: "
		       "dropped by eBGP loop detection (R2.4)";
	case ARS_REJ_AS0:
		return "AS_PATH contains AS 0: dropped (R2.4)";
	case ARS_REJ_FAMILY:
		return "IPv6 is not negotiated: Azure Route Server carries "
		       "IPv4 unicast only (R1.8, R2.4)";
	}
	return "";
}

/* The VNet of t that holds a (NULL if none). */
static const struct topo_vnet *
vnet_of(const struct topo *t, const struct ipaddr *a)
{
	size_t i, k;

	for (i = 0; i < t->nvnets; i++)
		for (k = 0; k < t->vnets[i].nprefixes; k++)
			if (prefix_contains_addr(&t->vnets[i].prefixes[k], a))
				return &t->vnets[i];
	return NULL;
}

/* The hub and v are peered, both halves connected. */
static bool
directly_peered(const struct topo *t, const char *hub, const char *v)
{
	size_t i;

	for (i = 0; i < t->npeerings; i++)
		if (strcmp(t->peerings[i].vnet, hub) == 0 &&
		    strcmp(t->peerings[i].remote, v) == 0 &&
		    topo_peering_state(t, &t->peerings[i]) ==
		        TOPO_PEERING_CONNECTED)
			return true;
	return false;
}

size_t
ars_route_limit(const struct topo *t)
{
	return t->opts.relaxed ? ARS_ROUTES_RELAX : ARS_ROUTES_STRICT;
}

enum ars_peer_state
ars_peer_state(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const char *peer)
{
	const struct topo_bgpconn *c = conn_lookup(rs, peer);
	const struct topo_vnet *v;
	size_t n;
	int i;

	if (c == NULL)
		return ARS_PEER_UNREACHABLE;
	v = vnet_of(t, &c->peer_ip);
	if (v == NULL ||
	    (strcmp(v->name, rs->vnet) != 0 &&
	        !directly_peered(t, rs->vnet, v->name)))
		return ARS_PEER_UNREACHABLE;
	for (i = 0; i < ARS_INSTANCES; i++) {
		(void)ars_get(a, rs->name, peer, i, &n);
		if (n > ars_route_limit(t))
			return ARS_PEER_OVER_LIMIT;
	}
	return ARS_PEER_UP;
}

const char *
ars_peer_state_text(enum ars_peer_state s)
{
	switch (s) {
	case ARS_PEER_UP:
		return "Connected";
	case ARS_PEER_UNREACHABLE:
	case ARS_PEER_OVER_LIMIT:
		return "NotConnected";
	}
	return "Unknown";
}

/* ---- best paths ---- */

struct cand {
	const struct ars_path *path;
	const struct topo_bgpconn *conn;
};

static int
cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	int c = prefix_cmp(&a->path->pfx, &b->path->pfx);

	if (c != 0)
		return c;
	if (a->path->nas != b->path->nas)
		return a->path->nas < b->path->nas ? -1 : 1;
	return addr_cmp(&a->conn->peer_ip, &b->conn->peer_ip);
}

/* Every accepted path of instance inst from a peer that is up, sorted. */
static struct cand *
accepted(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, int inst, size_t *np)
{
	struct cand *v = NULL;
	const struct ars_path *p;
	size_t i, k, n, cnt = 0;

	for (i = 0; i < rs->nconns; i++) {
		if (ars_peer_state(a, t, rs, rs->conns[i].name) != ARS_PEER_UP)
			continue;
		p = ars_get(a, rs->name, rs->conns[i].name, inst, &n);
		for (k = 0; k < n; k++) {
			if (ars_check(&p[k]) != ARS_ACCEPT)
				continue;
			v = xreallocarray(v, cnt + 1, sizeof(*v));
			v[cnt].path = &p[k];
			v[cnt].conn = &rs->conns[i];
			cnt++;
		}
	}
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), cand_cmp);
	*np = cnt;
	return v;
}

void
ars_best_walk(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, int inst, ars_best_fn fn, void *arg)
{
	struct ars_best best[64];
	size_t n, i, j, nb;
	struct cand *v = accepted(a, t, rs, inst, &n);

	for (i = 0; i < n; i = j) {
		nb = 0;
		for (j = i;
		     j < n && prefix_equal(&v[j].path->pfx, &v[i].path->pfx);
		     j++) {
			if (v[j].path->nas != v[i].path->nas ||
			    nb == sizeof(best) / sizeof(best[0]))
				continue;
			best[nb].path = v[j].path;
			best[nb].peer = v[j].conn->name;
			best[nb].peer_ip = &v[j].conn->peer_ip;
			nb++;
		}
		fn(&v[i].path->pfx, best, nb, arg);
	}
	free(v);
}

/* ---- programming ---- */

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t
route_sig(uint64_t h, const struct fab_route *r)
{
	h = fnv(h, &r->pfx, sizeof(r->pfx));
	h = fnv(h, r->nexthop, r->nnh * sizeof(*r->nexthop));
	h = fnv(h, &r->nnh, sizeof(r->nnh));
	h = fnv(h, &r->origin, sizeof(r->origin));
	h = fnv(h, &r->aspath_len, sizeof(r->aspath_len));
	if (r->aspath != NULL)
		h = fnv(h, r->aspath, strlen(r->aspath) + 1);
	if (r->learned_from != NULL)
		h = fnv(h, r->learned_from, strlen(r->learned_from) + 1);
	return h;
}

void
ars_program_src(struct ars *a, struct fabric *f, const char *name,
    const char *resource, const struct fab_route *r, size_t n)
{
	uint64_t sig = 0xcbf29ce484222325ull;
	struct ars_src *s = NULL;
	size_t i;

	sig = fnv(sig, &n, sizeof(n));
	sig = fnv(sig, resource, strlen(resource) + 1);
	for (i = 0; i < n; i++)
		sig = route_sig(sig, &r[i]);
	for (i = 0; i < a->nsrcs; i++)
		if (strcmp(a->srcs[i].name, name) == 0)
			s = &a->srcs[i];
	if (s == NULL) {
		a->srcs =
		    xreallocarray(a->srcs, a->nsrcs + 1, sizeof(*a->srcs));
		s = &a->srcs[a->nsrcs++];
		s->name = xstrdup(name);
		s->sig = sig + 1; /* differs: programmed below */
	}
	s->used = true;
	if (s->sig != sig) {
		fab_program(f, name, resource, r, n);
		s->sig = sig;
	}
}

static void
program_instance(struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, int inst, struct fabric *f)
{
	char name[TOPO_NAME_MAX + 8];
	struct fab_route *r;
	struct cand *v;
	char(*paths)[ARS_AS_MAX * 11];
	size_t n, i;

	snprintf(name, sizeof(name), "%s/IN_%d", rs->name, inst);
	v = accepted(a, t, rs, inst, &n);
	r = xreallocarray(NULL, n ? n : 1, sizeof(*r));
	paths = xreallocarray(NULL, n ? n : 1, sizeof(*paths));
	for (i = 0; i < n; i++) {
		const struct ars_path *p = v[i].path;

		memset(&r[i], 0, sizeof(r[i]));
		r[i].pfx = p->pfx;
		r[i].nexthop = &p->nexthop;
		r[i].nnh = 1;
		r[i].origin = FAB_ORIGIN_ARS;
		r[i].aspath_len = p->nas;
		r[i].aspath = ars_aspath_str(
		    p->as, p->nas, ' ', paths[i], sizeof(paths[i]));
		r[i].learned_from = v[i].conn->name;
	}
	ars_program_src(a, f, name, rs->name, r, n);
	free(paths);
	free(r);
	free(v);
}

void
ars_program_begin(struct ars *a)
{
	size_t i;

	for (i = 0; i < a->nsrcs; i++)
		a->srcs[i].used = false;
}

void
ars_program(struct ars *a, const struct topo *t, struct fabric *f)
{
	size_t i;
	int k;

	ars_prune(a, t);
	for (i = 0; i < t->nrservers; i++)
		for (k = 0; k < ARS_INSTANCES; k++)
			program_instance(a, t, &t->rservers[i], k, f);
}

void
ars_program_end(struct ars *a, struct fabric *f)
{
	size_t i = 0;

	while (i < a->nsrcs) { /* sources that are gone: withdraw them */
		if (a->srcs[i].used) {
			i++;
			continue;
		}
		fab_program(f, a->srcs[i].name, "", NULL, 0);
		free(a->srcs[i].name);
		a->srcs[i] = a->srcs[--a->nsrcs];
	}
}

/* ---- consistency between the instances (R1.7) ---- */

static int
path_cmp(const void *x, const void *y)
{
	const struct ars_path *a = *(const struct ars_path *const *)x;
	const struct ars_path *b = *(const struct ars_path *const *)y;
	int c = prefix_cmp(&a->pfx, &b->pfx);

	if (c == 0)
		c = addr_cmp(&a->nexthop, &b->nexthop);
	if (c == 0 && a->nas != b->nas)
		c = a->nas < b->nas ? -1 : 1;
	if (c == 0)
		c = memcmp(a->as, b->as, a->nas * sizeof(a->as[0]));
	return c;
}

/* The paths of v, sorted (pointers, owned by the caller). */
static const struct ars_path **
sorted(const struct ars_path *v, size_t n)
{
	const struct ars_path **s = xreallocarray(NULL, n + 1, sizeof(*s));
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = &v[i];
	qsort(s, n, sizeof(*s), path_cmp);
	return s;
}

bool
ars_peer_consistent(const struct ars *a, const char *rs, const char *peer,
    char *why, size_t len)
{
	const struct ars_path *v0, *v1, **s0, **s1;
	size_t n0, n1, i;
	bool same;

	v0 = ars_get(a, rs, peer, 0, &n0);
	v1 = ars_get(a, rs, peer, 1, &n1);
	if ((n0 == 0) != (n1 == 0)) {
		snprintf(why, len,
		    "peer %s announces to %s/IN_%d only: every NVA must peer "
		    "with both instances and announce the same routes, or "
		    "some VMs get the routes and others do not (R1.7)",
		    peer, rs, n0 ? 0 : 1);
		return false;
	}
	same = n0 == n1;
	if (same && n0 > 0) {
		s0 = sorted(v0, n0);
		s1 = sorted(v1, n1);
		for (i = 0; i < n0 && same; i++)
			same = path_cmp(&s0[i], &s1[i]) == 0;
		free(s0);
		free(s1);
	}
	if (!same)
		snprintf(why, len,
		    "peer %s announces different routes to %s/IN_0 and IN_1: "
		    "Azure then programs them inconsistently (R1.7)",
		    peer, rs);
	return same;
}

/* ---- sites behind the VPN gateways ---- */

static void
site_route_init(struct ars_site_route *r, const struct topo_gateway *g,
    const struct topo_local_gateway *l)
{
	memset(r, 0, sizeof(*r));
	r->gw = g;
	r->site = l->name;
	if (g->asn != TOPO_RS_ASN) /* eBGP between the gateway and ARS */
		r->as[r->nas++] = g->asn;
}

/*
 * An ExpressRoute connection: what the customer's router announces over
 * the circuit reaches the gateway from the MSEE with 12076 in front
 * (R2.3, spec 4.6); the gateway is 65515, so ARS hears it unchanged.
 */
static void
circuit_walk(const struct ars *a, const struct topo *t,
    const struct topo_connection *c, const char *hub,
    const struct topo_gateway *only, ars_site_fn fn, void *arg)
{
	const struct topo_gateway *g = topo_gateway_lookup(t, c->gateway);
	const struct ars_path *p;
	struct ars_site_route r;
	size_t k, n;

	if (g == NULL || g->type != TOPO_GW_ER || (only != NULL && g != only) ||
	    (hub != NULL && strcmp(g->vnet, hub) != 0))
		return;
	p = ars_site_get(a, c->peer, &n);
	for (k = 0; k < n; k++) {
		if (p[k].pfx.af != ADDR_V4 || p[k].nas >= ARS_AS_MAX)
			continue;
		memset(&r, 0, sizeof(r));
		r.gw = g;
		r.site = c->peer;
		r.pfx = &p[k].pfx;
		r.site_ip = &p[k].nexthop; /* the MSEE */
		r.path = &p[k];
		r.as[r.nas++] = ARS_AS_MSEE;
		memcpy(&r.as[r.nas], p[k].as, p[k].nas * sizeof(r.as[0]));
		r.nas += p[k].nas;
		fn(&r, arg);
	}
}

void
ars_site_walk(const struct ars *a, const struct topo *t, const char *hub,
    const struct topo_gateway *only, ars_site_fn fn, void *arg)
{
	const struct topo_local_gateway *l;
	const struct topo_connection *c;
	const struct topo_gateway *g;
	const struct ars_path *p;
	struct ars_site_route r;
	size_t i, k, n, m;
	bool loop;

	for (i = 0; i < t->nconns; i++) {
		c = &t->conns[i];
		if (c->type == TOPO_CONN_ER) {
			circuit_walk(a, t, c, hub, only, fn, arg);
			continue;
		}
		if (c->type != TOPO_CONN_IPSEC)
			continue;
		g = topo_gateway_lookup(t, c->gateway);
		l = topo_local_gateway_lookup(t, c->peer);
		if (g == NULL || l == NULL || g->type != TOPO_GW_VPN ||
		    (only != NULL && g != only) ||
		    (hub != NULL && strcmp(g->vnet, hub) != 0))
			continue;
		for (k = 0; k < l->nprefixes; k++) {
			site_route_init(&r, g, l);
			r.pfx = &l->prefixes[k];
			r.site_ip = &l->gateway_ip;
			r.static_route = true;
			fn(&r, arg);
		}
		if (!c->enable_bgp || !g->enable_bgp || l->asn == 0)
			continue;
		p = ars_site_get(a, l->name, &n);
		for (k = 0; k < n; k++) {
			if (p[k].pfx.af != ADDR_V4 || p[k].nas >= ARS_AS_MAX)
				continue;
			for (m = 0, loop = false; m < p[k].nas; m++)
				loop = loop || p[k].as[m] == g->asn;
			if (loop) /* the gateway's own AS: eBGP loop check */
				continue;
			site_route_init(&r, g, l);
			r.pfx = &p[k].pfx;
			r.site_ip = &l->bgp_ip;
			r.path = &p[k];
			memcpy(
			    &r.as[r.nas], p[k].as, p[k].nas * sizeof(r.as[0]));
			r.nas += p[k].nas;
			fn(&r, arg);
		}
	}
}

/* ---- explanations ---- */

/* The path of peer's announcement of p to inst, NULL if none. */
static const struct ars_path *
announced(const struct ars *a, const char *rs, const char *peer, int inst,
    const struct prefix *p)
{
	const struct ars_path *v;
	size_t n, i;

	v = ars_get(a, rs, peer, inst, &n);
	for (i = 0; i < n; i++)
		if (prefix_equal(&v[i].pfx, p))
			return &v[i];
	return NULL;
}

static void
explain_peer(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const struct topo_bgpconn *c,
    const struct prefix *p, ars_reason_fn fn, void *arg)
{
	const struct ars_path *v[ARS_INSTANCES];
	char text[1536], pb[PREFIX_STRLEN], path[ARS_AS_MAX * 11];
	enum ars_peer_state st;
	enum ars_verdict vd;
	int k;

	for (k = 0; k < ARS_INSTANCES; k++)
		v[k] = announced(a, rs->name, c->name, k, p);
	if (v[0] == NULL && v[1] == NULL)
		return;
	prefix_print(p, pb, sizeof(pb));
	st = ars_peer_state(a, t, rs, c->name);
	if (st != ARS_PEER_UP) {
		snprintf(text, sizeof(text),
		    "%s announces %s, but its session to route server %s is "
		    "down: %s",
		    c->name, pb, rs->name,
		    st == ARS_PEER_OVER_LIMIT
		        ? "it announces more routes than the limit"
		        : "its IP is neither in the hub nor in a peered VNet");
		fn(arg, st == ARS_PEER_OVER_LIMIT ? "R1.9" : "R1.7", text);
		return;
	}
	for (k = 0; k < ARS_INSTANCES; k++) {
		if (v[k] == NULL || (vd = ars_check(v[k])) == ARS_ACCEPT)
			continue;
		ars_aspath_str(v[k]->as, v[k]->nas, ' ', path, sizeof(path));
		snprintf(text, sizeof(text),
		    "%s announces %s to %s/IN_%d with AS path [%s]: refused: "
		    "%s",
		    c->name, pb, rs->name, k, path, ars_verdict_text(vd));
		fn(arg, "R2.4", text);
	}
	if ((v[0] == NULL) != (v[1] == NULL)) {
		snprintf(text, sizeof(text),
		    "learned by only one instance: %s announces %s to "
		    "%s/IN_%d only; every NVA must peer with both instances "
		    "and announce the same routes",
		    c->name, pb, rs->name, v[0] ? 0 : 1);
		fn(arg, "R1.7", text);
	}
}

struct site_has {
	const struct prefix *p;
	bool found;
};

static void
site_has_cb(const struct ars_site_route *r, void *arg)
{
	struct site_has *h = arg;

	if (prefix_equal(r->pfx, h->p))
		h->found = true;
}

void
ars_explain(const struct ars *a, const struct topo *t, const struct prefix *p,
    ars_reason_fn fn, void *arg)
{
	const struct topo_routeserver *rs;
	char text[256], pb[PREFIX_STRLEN];
	bool any;
	size_t i, k;
	int m;

	for (i = 0; i < t->nrservers; i++) {
		rs = &t->rservers[i];
		any = false;
		for (k = 0; k < rs->nconns; k++) {
			for (m = 0; m < ARS_INSTANCES; m++)
				if (announced(a, rs->name, rs->conns[k].name, m,
				        p) != NULL)
					any = true;
			explain_peer(a, t, rs, &rs->conns[k], p, fn, arg);
		}
		if (!any) {
			struct site_has h = { p, false };

			/* a gateway's route: the fabric says where it goes */
			ars_site_walk(a, t, rs->vnet, NULL, site_has_cb, &h);
			if (h.found)
				continue;
			snprintf(text, sizeof(text),
			    "never advertised: no peer of route server %s "
			    "announces %s",
			    rs->name, prefix_print(p, pb, sizeof(pb)));
			fn(arg, "R2.4", text);
		}
	}
}
