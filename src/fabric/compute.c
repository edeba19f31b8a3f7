/* SPDX-License-Identifier: ISC */
/* fabric/compute.c - one subnet's effective routes (spec 3 and the algorithm of 6). */

#include "fabric/fabric.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fabric/fab_int.h"
#include "lib/hash.h"
#include "lib/xmalloc.h"

/*
 * A table is built in the order az prints it (VnetLocal, peerings,
 * gateway and ARS routes, Default Internet and None, service endpoints,
 * User), then same-prefix precedence marks the losers Invalid (R3.6.2):
 * User > VirtualNetworkGateway > Default.
 */

/* A BGP route that survived visibility and filters (R3.1, R2.6, R3.6.3). */
struct cand {
	const struct fab_prog *r;  /* borrowed */
	const struct fab_set *set; /* borrowed */
	enum topo_pref pref;
};

struct build {
	struct fabric *f;
	struct fab_cache *c;
	struct fab_row *rows; /* owned until handed to c */
	size_t n, cap;
	bool disable_bgp;
};

/* RFC 1918 and RFC 6598 ranges, in the order az lists them (R3.4). */
static const struct prefix reserved[] = {
	{ ADDR_V4, 8, { 10 } },
	{ ADDR_V4, 10, { 100, 64 } },
	{ ADDR_V4, 12, { 172, 16 } },
	{ ADDR_V4, 16, { 192, 168 } },
};

static bool
eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* ---- helpers shared with explain.c ---- */

const char *
fab_resource_vnet(const struct topo *t, const char *resource)
{
	const struct topo_routeserver *rs =
	    topo_routeserver_lookup(t, resource);
	const struct topo_gateway *g;

	if (rs != NULL)
		return rs->vnet;
	g = topo_gateway_lookup(t, resource);
	return g != NULL ? g->vnet : NULL;
}

/* True when spoke peering p makes its VNet use the remote's gateways. */
static bool
uses_remote(const struct topo *t, const struct topo_peering *p)
{
	const struct topo_peering *back;

	if (!p->use_remote_gateways)
		return false;
	back = topo_peering_reverse(t, p);
	return back != NULL && back->allow_gateway_transit &&
	    topo_vnet_has_gateway(t, p->remote);
}

void
fab_visible(const struct topo *t, const char *vnet, struct fab_vis *vis)
{
	size_t i;

	memset(vis, 0, sizeof(*vis));
	if (topo_vnet_has_gateway(t, vnet))
		vis->vnets[0] = vnet;
	for (i = 0; i < t->npeerings; i++) {
		if (!eq(t->peerings[i].vnet, vnet) ||
		    !uses_remote(t, &t->peerings[i]))
			continue;
		vis->vnets[1] = t->peerings[i].remote;
		vis->via = &t->peerings[i];
		break;
	}
}

static bool
in_vnet(
    const struct topo_vnet *v, const struct prefix *p, const struct prefix **in)
{
	size_t i;

	for (i = 0; v != NULL && i < v->nprefixes; i++) {
		if (prefix_contains(&v->prefixes[i], p)) {
			*in = &v->prefixes[i];
			return true;
		}
	}
	return false;
}

bool
fab_in_vnet_set(const struct topo *t, const char *hub, const struct prefix *p,
    const struct prefix **in, const char **owner)
{
	size_t i;

	if (in_vnet(topo_vnet_lookup(t, hub), p, in)) {
		*owner = hub;
		return true;
	}
	for (i = 0; i < t->npeerings; i++) {
		if (!eq(t->peerings[i].remote, hub) ||
		    !uses_remote(t, &t->peerings[i]))
			continue;
		if (in_vnet(topo_vnet_lookup(t, t->peerings[i].vnet), p, in)) {
			*owner = t->peerings[i].vnet;
			return true;
		}
	}
	return false;
}

enum topo_pref
fab_pref(const struct topo *t, const char *hub)
{
	const struct topo_routeserver *rs = topo_routeserver_of_vnet(t, hub);

	/* R2.8 applies with branch-to-branch; otherwise ER wins (S6). */
	if (rs == NULL || !rs->b2b)
		return TOPO_PREF_EXPRESSROUTE;
	return rs->pref;
}

/* Gateways win ties over ARS (reference lab 3); ER before VPN. */
static int
origin_rank(enum fab_origin o)
{
	switch (o) {
	case FAB_ORIGIN_ER:
		return 0;
	case FAB_ORIGIN_VPN:
		return 1;
	case FAB_ORIGIN_ARS:
		return 2;
	}
	return 3;
}

int
fab_prog_cmp(
    enum topo_pref pref, const struct fab_prog *a, const struct fab_prog *b)
{
	int la = a->aspath_len < 0 ? 0 : a->aspath_len;
	int lb = b->aspath_len < 0 ? 0 : b->aspath_len;
	bool era = a->origin == FAB_ORIGIN_ER, erb = b->origin == FAB_ORIGIN_ER;

	if (era != erb && pref == TOPO_PREF_EXPRESSROUTE)
		return era ? -1 : 1;
	if (era != erb && pref == TOPO_PREF_VPNGATEWAY)
		return era ? 1 : -1;
	if (la != lb)
		return la < lb ? -1 : 1;
	if (a->origin == b->origin)
		return 0;
	return origin_rank(a->origin) < origin_rank(b->origin) ? -1 : 1;
}

/* ---- signature: every input of one subnet's table ---- */

static uint64_t
hstr(uint64_t h, const char *s)
{
	if (s == NULL)
		return hash_mix(h, 0x9e3779b97f4a7c15ull);
	return hash_mix(h, hash_bytes(s, strlen(s), 1));
}

static uint64_t
hpfx(uint64_t h, const struct prefix *p)
{
	return hash_mix(h, hash_bytes(p, sizeof(*p), 2));
}

static uint64_t
hvnet(uint64_t h, const struct topo_vnet *v)
{
	size_t i;

	if (v == NULL)
		return hash_mix(h, 1);
	h = hstr(hstr(h, v->name), v->location);
	for (i = 0; i < v->nprefixes; i++)
		h = hpfx(h, &v->prefixes[i]);
	return hash_mix(h, v->nprefixes);
}

/* The VNet set of hub and its routing preference (R2.6, R2.8). */
static uint64_t
hhub(const struct topo *t, uint64_t h, const char *hub)
{
	size_t i;

	h = hvnet(h, topo_vnet_lookup(t, hub));
	h = hash_mix(h, (uint64_t)fab_pref(t, hub));
	for (i = 0; i < t->npeerings; i++)
		if (eq(t->peerings[i].remote, hub) &&
		    uses_remote(t, &t->peerings[i]))
			h = hvnet(h, topo_vnet_lookup(t, t->peerings[i].vnet));
	return h;
}

static uint64_t
signature(struct fabric *f, const struct topo_subnet *s)
{
	const struct topo *t = f->topo;
	const struct topo_route_table *rt;
	const struct topo_peering *p;
	const char *sv;
	struct fab_vis vis;
	uint64_t h = 0x5ca1ab1eull;
	size_t i, j;

	h = hash_mix(h,
	    (uint64_t)f->opts.list_shadowed_bgp << 1 |
	        f->opts.keep_default_rows);
	h = hstr(h, t->resource_group);
	h = hpfx(h, &s->prefix);
	for (i = 0; i < s->nendpoints; i++) {
		h = hstr(h, s->endpoints[i].service);
		for (j = 0; j < s->endpoints[i].nprefixes; j++)
			h = hpfx(h, &s->endpoints[i].prefixes[j]);
	}
	h = hvnet(h, topo_vnet_lookup(t, s->vnet));
	rt = s->route_table != NULL ? topo_route_table_lookup(t, s->route_table)
	                            : NULL;
	if (rt != NULL) {
		h = hstr(hash_mix(h, rt->disable_bgp + 7u), rt->name);
		for (i = 0; i < rt->nroutes; i++) {
			h = hstr(h, rt->routes[i].name);
			h = hpfx(h, &rt->routes[i].prefix);
			h = hash_mix(h, rt->routes[i].hop);
			h = hash_mix(h,
			    hash_bytes(&rt->routes[i].hop_ip,
			        sizeof(struct ipaddr), 3));
		}
	}
	for (i = 0; i < t->npeerings; i++) {
		p = &t->peerings[i];
		if (!eq(p->vnet, s->vnet))
			continue;
		h = hstr(h, p->name);
		h = hash_mix(h, topo_peering_state(t, p));
		h = hvnet(h, topo_vnet_lookup(t, p->remote));
	}
	fab_visible(t, s->vnet, &vis);
	for (i = 0; i < 2; i++)
		if (vis.vnets[i] != NULL)
			h = hhub(t, hstr(h, vis.vnets[i]), vis.vnets[i]);
	for (i = 0; i < f->nsets; i++) {
		sv = fab_resource_vnet(t, f->sets[i].resource);
		if (sv != NULL &&
		    (eq(sv, vis.vnets[0]) || eq(sv, vis.vnets[1])))
			h = hash_mix(hstr(h, f->sets[i].name), f->sets[i].gen);
	}
	return h;
}

/* ---- building rows ---- */

static struct fab_row *
row_add(struct build *b, enum fab_src src, enum fab_hop hop,
    const struct prefix *p, size_t np, const struct ipaddr *nh,
    const char *name)
{
	struct fab_row *r;
	struct prefix *ps;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->rows = xreallocarray(b->rows, b->cap, sizeof(*b->rows));
	}
	r = &b->rows[b->n++];
	memset(r, 0, sizeof(*r));
	ps = arena_alloc(&b->c->arena, np * sizeof(*ps) + 1);
	memcpy(ps, p, np * sizeof(*ps));
	r->source = src;
	r->state = FAB_ACTIVE;
	r->prefixes = ps;
	r->nprefixes = np;
	if (nh != NULL)
		r->nexthop = *nh;
	r->hop = hop;
	r->name = name != NULL ? arena_strdup(&b->c->arena, name) : NULL;
	r->disable_bgp = b->disable_bgp;
	return r;
}

static int
cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	int c = prefix_cmp(&a->r->pfx, &b->r->pfx);

	if (c != 0)
		return c;
	/* Stable order inside a prefix: by source name. */
	c = strcmp(a->set->name, b->set->name);
	if (c != 0)
		return c;
	return a->r < b->r ? -1 : a->r > b->r;
}

static int
addr_qcmp(const void *x, const void *y)
{
	const struct ipaddr *a = x, *b = y;

	return addr_cmp(a, b);
}

/* True when p lies in a VnetLocal, peering or service-endpoint prefix. */
static bool
shadowed(const struct trie *sys, const struct prefix *p)
{
	struct prefix m;
	struct ipaddr a;

	a.af = p->af;
	memcpy(a.a, p->a, sizeof(a.a));
	return trie_match(sys, &a, &m) != NULL && m.len <= p->len;
}

/*
 * Collect the programmed routes this subnet sees (R3.1, R3.2), drop the
 * ones inside the source's VNet set (R2.6) and the ones a VNet, peering
 * or service-endpoint route covers (R3.6.3).  Sorted by prefix.
 */
static struct cand *
candidates(struct build *b, const struct topo_subnet *s, const struct trie *sys,
    size_t *nc)
{
	const struct topo *t = b->f->topo;
	const struct prefix *in;
	const char *sv, *owner;
	struct fab_vis vis;
	struct cand *cs = NULL;
	size_t i, j, n = 0, cap = 0;

	fab_visible(t, s->vnet, &vis);
	for (i = 0; i < b->f->nsets && !b->disable_bgp; i++) {
		struct fab_set *set = &b->f->sets[i];

		sv = fab_resource_vnet(t, set->resource);
		if (sv == NULL ||
		    !(eq(sv, vis.vnets[0]) || eq(sv, vis.vnets[1])))
			continue;
		if (set->invset == NULL || set->invset_topo_gen != t->gen ||
		    set->invset_set_gen != set->gen) {
			free(set->invset);
			set->invset = xcalloc(set->n + 1, sizeof(bool));
			for (j = 0; j < set->n; j++)
				set->invset[j] = fab_in_vnet_set(
				    t, sv, &set->routes[j].pfx, &in, &owner);
			set->invset_topo_gen = t->gen;
			set->invset_set_gen = set->gen;
		}
		for (j = 0; j < set->n; j++) {
			if (set->routes[j].nnh == 0)
				continue;
			if (set->invset[j])
				continue;
			if (shadowed(sys, &set->routes[j].pfx) &&
			    !b->f->opts.list_shadowed_bgp)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				cs = xreallocarray(cs, cap, sizeof(*cs));
			}
			cs[n].r = &set->routes[j];
			cs[n].set = set;
			cs[n].pref = fab_pref(t, sv);
			n++;
		}
	}
	if (n > 1)
		qsort(cs, n, sizeof(*cs), cand_cmp);
	*nc = n;
	return cs;
}

/* Rows for the winners of cs[0..n), all of one prefix (R2.7, R3.3). */
static void
bgp_rows(
    struct build *b, const struct cand *cs, size_t n, const struct trie *sys)
{
	const struct cand *best = &cs[0];
	struct ipaddr *nh = NULL;
	const char **by = NULL;
	size_t i, j, k, nnh = 0;
	struct fab_row *r;

	for (i = 1; i < n; i++)
		if (fab_prog_cmp(cs[i].pref, cs[i].r, best->r) < 0)
			best = &cs[i];
	for (i = 0; i < n; i++) {
		if (fab_prog_cmp(best->pref, cs[i].r, best->r) != 0)
			continue;
		nh = xreallocarray(nh, nnh + cs[i].r->nnh, sizeof(*nh));
		by = xreallocarray(by, nnh + cs[i].r->nnh, sizeof(*by));
		for (j = 0; j < cs[i].r->nnh; j++) {
			for (k = 0; k < nnh; k++)
				if (addr_cmp(&nh[k], &cs[i].r->nexthop[j]) == 0)
					break;
			if (k < nnh)
				continue;
			nh[nnh] = cs[i].r->nexthop[j];
			by[nnh++] = cs[i].set->name;
		}
	}
	/* One row per next hop, lowest address first (O1). */
	for (i = 1; i < nnh; i++)
		for (j = i; j > 0 && addr_qcmp(&nh[j - 1], &nh[j]) > 0; j--) {
			struct ipaddr ta = nh[j];
			const char *tb = by[j];

			nh[j] = nh[j - 1];
			by[j] = by[j - 1];
			nh[j - 1] = ta;
			by[j - 1] = tb;
		}
	for (i = 0; i < nnh; i++) {
		r = row_add(b, FAB_SRC_GATEWAY, FAB_HOP_GATEWAY, &best->r->pfx,
		    1, &nh[i], NULL);
		r->programmed_by = arena_strdup(&b->c->arena, by[i]);
		if (shadowed(sys, &best->r->pfx))
			r->state = FAB_INVALID; /* list_shadowed_bgp */
	}
	free(nh);
	free(by);
}

static bool
is_default(const struct prefix *p)
{
	return p->af == ADDR_V4 && p->len == 0;
}

static enum fab_hop
udr_hop(enum topo_hop h)
{
	switch (h) {
	case TOPO_HOP_VNET_GATEWAY:
		return FAB_HOP_GATEWAY;
	case TOPO_HOP_VNET_LOCAL:
		return FAB_HOP_VNET_LOCAL;
	case TOPO_HOP_INTERNET:
		return FAB_HOP_INTERNET;
	case TOPO_HOP_APPLIANCE:
		return FAB_HOP_APPLIANCE;
	case TOPO_HOP_NONE:
		return FAB_HOP_NONE;
	}
	return FAB_HOP_NONE;
}

static int
rank(enum fab_src s)
{
	return s == FAB_SRC_USER ? 3 : s == FAB_SRC_GATEWAY ? 2 : 1;
}

/* Same prefix: the highest source wins, the rest are Invalid (R3.6.2). */
static void
precedence(struct build *b)
{
	struct trie top;
	uintptr_t cur;
	size_t i;

	trie_init(&top);
	for (i = 0; i < b->n; i++) {
		if (b->rows[i].nprefixes != 1 || b->rows[i].state != FAB_ACTIVE)
			continue;
		cur = (uintptr_t)trie_get(&top, &b->rows[i].prefixes[0]);
		if ((uintptr_t)rank(b->rows[i].source) > cur)
			trie_add(&top, &b->rows[i].prefixes[0],
			    (void *)(uintptr_t)rank(b->rows[i].source));
	}
	for (i = 0; i < b->n; i++) {
		if (b->rows[i].nprefixes != 1)
			continue;
		cur = (uintptr_t)trie_get(&top, &b->rows[i].prefixes[0]);
		if ((uintptr_t)rank(b->rows[i].source) < cur)
			b->rows[i].state = FAB_INVALID;
	}
	trie_fini(&top);
}

static void
compute(struct fabric *f, struct fab_cache *c, const struct topo_subnet *s)
{
	const struct topo *t = f->topo;
	const struct topo_vnet *v = topo_vnet_lookup(t, s->vnet), *rv;
	const struct topo_route_table *rt = NULL;
	const struct topo_peering *p;
	struct build b = { .f = f, .c = c };
	struct trie sys;
	struct cand *cs;
	size_t i, j, k, nc;
	bool bgp_default = false, udr_default = false, skip;
	enum fab_hop hop;

	if (s->route_table != NULL)
		rt = topo_route_table_lookup(t, s->route_table);
	b.disable_bgp = rt != NULL && rt->disable_bgp;
	arena_reset(&c->arena);
	trie_fini(&c->lpm);
	trie_init(&c->lpm);
	free(c->rows);
	c->rows = NULL;
	c->nrows = 0;

	/* System routes (R3.4, R3.5); sys holds the ones BGP cannot beat. */
	trie_init(&sys);
	for (i = 0; v != NULL && i < v->nprefixes; i++) {
		row_add(&b, FAB_SRC_DEFAULT, FAB_HOP_VNET_LOCAL,
		    &v->prefixes[i], 1, NULL, NULL);
		trie_add(&sys, &v->prefixes[i], &sys);
	}
	for (i = 0; i < t->npeerings; i++) {
		p = &t->peerings[i];
		if (!eq(p->vnet, s->vnet) ||
		    topo_peering_state(t, p) != TOPO_PEERING_CONNECTED)
			continue;
		rv = topo_vnet_lookup(t, p->remote);
		hop = v != NULL && eq(v->location, rv->location)
		    ? FAB_HOP_PEERING
		    : FAB_HOP_GLOBAL_PEERING;
		for (j = 0; j < rv->nprefixes; j++) {
			row_add(&b, FAB_SRC_DEFAULT, hop, &rv->prefixes[j], 1,
			    NULL, NULL);
			trie_add(&sys, &rv->prefixes[j], &sys);
		}
	}
	for (i = 0; i < s->nendpoints; i++)
		for (j = 0; j < s->endpoints[i].nprefixes; j++)
			trie_add(&sys, &s->endpoints[i].prefixes[j], &sys);

	/* Gateway and ARS routes (R3.1-R3.3, R2.7, R2.8). */
	cs = candidates(&b, s, &sys, &nc);
	for (i = 0; i < nc; i = j) {
		for (j = i + 1; j < nc; j++)
			if (!prefix_equal(&cs[i].r->pfx, &cs[j].r->pfx))
				break;
		if (is_default(&cs[i].r->pfx))
			bgp_default = true;
		bgp_rows(&b, &cs[i], j - i, &sys);
	}
	free(cs);
	for (i = 0; rt != NULL && i < rt->nroutes; i++)
		if (is_default(&rt->routes[i].prefix))
			udr_default = true;

	/* Default Internet and None (R3.4) with the 0/0 rules (R3.7). */
	if (!bgp_default || f->opts.keep_default_rows)
		row_add(&b, FAB_SRC_DEFAULT, FAB_HOP_INTERNET,
		    &(struct prefix){ .af = ADDR_V4 }, 1, NULL, NULL);
	for (k = 0; k < sizeof(reserved) / sizeof(reserved[0]); k++) {
		skip =
		    udr_default || (bgp_default && !f->opts.keep_default_rows);
		for (i = 0; v != NULL && i < v->nprefixes; i++)
			if (prefix_contains(&v->prefixes[i], &reserved[k]))
				skip = true; /* equal: VnetLocal; wider: gone */
		if (!skip)
			row_add(&b, FAB_SRC_DEFAULT, FAB_HOP_NONE, &reserved[k],
			    1, NULL, NULL);
	}
	for (i = 0; i < s->nendpoints; i++)
		if (s->endpoints[i].nprefixes > 0)
			row_add(&b, FAB_SRC_DEFAULT, FAB_HOP_SERVICE_ENDPOINT,
			    s->endpoints[i].prefixes, s->endpoints[i].nprefixes,
			    NULL, NULL);

	/* User routes (R3.8). */
	for (i = 0; rt != NULL && i < rt->nroutes; i++)
		row_add(&b, FAB_SRC_USER, udr_hop(rt->routes[i].hop),
		    &rt->routes[i].prefix, 1,
		    rt->routes[i].hop_ip.af != 0 ? &rt->routes[i].hop_ip : NULL,
		    rt->routes[i].name);

	precedence(&b);
	trie_fini(&sys);
	c->rows = b.rows;
	c->nrows = b.n;
	/* Forwarding: longest prefix match over Active rows; the first of
	   equal rows (ECMP) stands for them. */
	for (i = 0; i < c->nrows; i++) {
		if (c->rows[i].state != FAB_ACTIVE)
			continue;
		for (j = 0; j < c->rows[i].nprefixes; j++)
			if (trie_get(&c->lpm, &c->rows[i].prefixes[j]) == NULL)
				trie_add(&c->lpm, &c->rows[i].prefixes[j],
				    &c->rows[i]);
	}
}

struct fab_cache *
fab_subnet_table(struct fabric *f, const struct topo_subnet *s)
{
	struct fab_cache *c = NULL;
	uint64_t sig;
	size_t i;

	for (i = 0; i < f->ncache; i++)
		if (eq(f->cache[i].vnet, s->vnet) &&
		    eq(f->cache[i].subnet, s->name))
			c = &f->cache[i];
	if (c == NULL) {
		f->cache =
		    xreallocarray(f->cache, f->ncache + 1, sizeof(*f->cache));
		c = &f->cache[f->ncache++];
		memset(c, 0, sizeof(*c));
		c->vnet = xstrdup(s->vnet);
		c->subnet = xstrdup(s->name);
		arena_init(&c->arena, 4096);
		trie_init(&c->lpm);
	}
	sig = signature(f, s);
	if (c->valid && c->sig == sig) {
		f->cache_hits++;
		return c;
	}
	compute(f, c, s);
	c->sig = sig;
	c->valid = true;
	f->recomputes++;
	return c;
}
