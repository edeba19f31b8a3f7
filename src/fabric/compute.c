/* SPDX-License-Identifier: ISC */
/* fabric/compute.c - one subnet's effective routes (spec 3 and the algorithm of 6). */

#include "fabric/fabric.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fabric/fab_int.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

/*
 * A table is built in the order az prints it (VnetLocal, peerings,
 * gateway and ARS routes, Default Internet and None, service endpoints,
 * User), then same-prefix precedence marks the losers Invalid (R3.6.2):
 * User > VirtualNetworkGateway > Default.
 *
 * A subnet computes only its own rows; the gateway and ARS rows come
 * from the shared block of its hubs (block.c).  What the subnet changes
 * in the block is a short list of exceptions: groups inside one of its
 * system routes (dropped, or Invalid with list_shadowed_bgp, R3.6.3) and
 * groups with the prefix of one of its user routes (Invalid, R3.6.2).
 * Precedence over its own rows looks the block up for their prefixes.
 * A query lays the rows out in one array (fab_table_view); a next-hop
 * lookup needs no layout (fab_table_match).
 */

struct build {
	struct fabric *f;
	struct fab_cache *c;
	struct fab_row *rows; /* owned until handed to c */
	size_t n, cap;
	bool disable_bgp;
	struct prefix *sys; /* owned: the prefixes put in c->sys */
	size_t nsys, syscap;
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

/* ---- building own rows ---- */

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

static void
sys_add(struct build *b, const struct prefix *p)
{
	trie_add(&b->c->sys, p, &b->c->sys);
	if (b->nsys == b->syscap) {
		b->syscap = b->syscap ? b->syscap * 2 : 16;
		b->sys = xreallocarray(b->sys, b->syscap, sizeof(*b->sys));
	}
	b->sys[b->nsys++] = *p;
}

bool
fab_shadowed(const struct trie *sys, const struct prefix *p)
{
	struct prefix m;
	struct ipaddr a;

	a.af = p->af;
	memcpy(a.a, p->a, sizeof(a.a));
	return trie_match(sys, &a, &m) != NULL && m.len <= p->len;
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

/* ---- the block as this subnet sees it ---- */

static int
excp_cmp(const void *x, const void *y)
{
	const struct fab_excp *a = x, *b = y;

	return a->at < b->at ? -1 : a->at > b->at;
}

static void
excp_add(struct fab_excp **ex, size_t *n, size_t *cap, size_t at, bool shadowed,
    bool user)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*ex = xreallocarray(*ex, *cap, sizeof(**ex));
	}
	(*ex)[*n].at = at;
	(*ex)[*n].shadowed = shadowed;
	(*ex)[*n].user = user;
	(*n)++;
}

/*
 * The groups of blk that this subnet shows otherwise: the ones inside a
 * system route (R3.6.3) and the ones a user route overrides (R3.6.2).
 */
static void
exceptions(struct build *b, const struct fab_block *blk,
    const struct topo_route_table *rt)
{
	struct fab_cache *c = b->c;
	const struct fab_group *g;
	const struct prefix *sp;
	struct fab_excp *ex = NULL;
	struct prefix lo;
	struct ipaddr a;
	size_t i, k, at, n = 0, cap = 0;

	for (k = 0; k < b->nsys; k++) {
		sp = &b->sys[k];
		/* The groups inside sp follow each other, from sp's address. */
		lo = *sp;
		lo.len = 0;
		for (i = fab_block_lower(blk, &lo); i < blk->n; i++) {
			g = blk->g[i];
			a.af = g->pfx.af;
			memcpy(a.a, g->pfx.a, sizeof(a.a));
			if (g->pfx.af != sp->af ||
			    !prefix_contains_addr(sp, &a))
				break;
			if (prefix_contains(sp, &g->pfx) &&
			    fab_shadowed(&c->sys, &g->pfx))
				excp_add(&ex, &n, &cap, i, true, false);
		}
	}
	for (k = 0; rt != NULL && k < rt->nroutes; k++)
		if (fab_block_find(blk, &rt->routes[k].prefix, &at) != NULL)
			excp_add(&ex, &n, &cap, at, false, true);
	if (n > 1)
		qsort(ex, n, sizeof(*ex), excp_cmp);
	/* One entry per group. */
	for (i = 0, k = 0; i < n; i++) {
		if (k > 0 && ex[k - 1].at == ex[i].at) {
			ex[k - 1].shadowed |= ex[i].shadowed;
			ex[k - 1].user |= ex[i].user;
		} else
			ex[k++] = ex[i];
	}
	c->ex = ex;
	c->nex = k;
}

static bool
dropped(const struct fabric *f, const struct fab_excp *e)
{
	return e->shadowed && !f->opts.list_shadowed_bgp;
}

static const struct fab_excp *
excp_find(const struct fab_cache *c, size_t at)
{
	struct fab_excp key = { .at = at };

	if (c->nex == 0)
		return NULL;
	return bsearch(&key, c->ex, c->nex, sizeof(*c->ex), excp_cmp);
}

/* True when the block has Active rows for exactly p in this subnet's
   table before precedence, i.e. rows not inside a system route. */
static bool
block_active(const struct fab_cache *c, const struct prefix *p)
{
	return c->blk != NULL && fab_block_find(c->blk, p, NULL) != NULL &&
	    !fab_shadowed(&c->sys, p);
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
		if (cur < 2 && block_active(b->c, &b->rows[i].prefixes[0]))
			cur = 2; /* the gateway rows of the block win */
		if ((uintptr_t)rank(b->rows[i].source) < cur)
			b->rows[i].state = FAB_INVALID;
	}
	trie_fini(&top);
}

static void
compute(struct fabric *f, struct fab_cache *c, const struct topo_subnet *s,
    struct fab_block *blk)
{
	const struct topo_vnet *v = NULL, *rv;
	const struct fab_vinfo *vi = fab_index_vnet(f, s->vnet), *ri;
	const struct topo_route_table *rt = NULL;
	const struct topo_peering *p;
	const struct fab_group *g;
	const struct fab_excp *e;
	struct build b = { .f = f, .c = c };
	size_t i, j, k, at;
	bool bgp_default = false, udr_default = false, skip;
	enum fab_hop hop;

	if (vi != NULL)
		v = vi->v;
	if (s->route_table != NULL)
		rt = fab_index_rtable(f, s->route_table);
	b.disable_bgp = rt != NULL && rt->disable_bgp;
	if (blk != NULL)
		fab_block_ref(blk);
	if (c->blk != NULL)
		fab_block_unref(f, c->blk);
	c->blk = blk;
	arena_reset(&c->arena);
	trie_fini(&c->lpm);
	trie_init(&c->lpm);
	trie_fini(&c->sys);
	trie_init(&c->sys);
	free(c->rows);
	c->rows = NULL;
	c->nlocal = c->nhead = 0;
	free(c->ex);
	c->ex = NULL;
	c->nex = 0;

	/* System routes (R3.4, R3.5); sys holds the ones BGP cannot beat. */
	for (i = 0; v != NULL && i < v->nprefixes; i++) {
		row_add(&b, FAB_SRC_DEFAULT, FAB_HOP_VNET_LOCAL,
		    &v->prefixes[i], 1, NULL, NULL);
		sys_add(&b, &v->prefixes[i]);
	}
	for (i = 0; vi != NULL && i < vi->nout; i++) {
		p = vi->out[i];
		if (fab_index_peering_state(f, p) != TOPO_PEERING_CONNECTED)
			continue;
		ri = fab_index_vnet(f, p->remote);
		rv = ri->v;
		hop = v != NULL && eq(v->location, rv->location)
		    ? FAB_HOP_PEERING
		    : FAB_HOP_GLOBAL_PEERING;
		for (j = 0; j < rv->nprefixes; j++) {
			row_add(&b, FAB_SRC_DEFAULT, hop, &rv->prefixes[j], 1,
			    NULL, NULL);
			sys_add(&b, &rv->prefixes[j]);
		}
	}
	for (i = 0; i < s->nendpoints; i++)
		for (j = 0; j < s->endpoints[i].nprefixes; j++)
			sys_add(&b, &s->endpoints[i].prefixes[j]);
	c->nhead = b.n;

	/* Gateway and ARS routes (R3.1-R3.3, R2.7, R2.8) are the block's;
	   this subnet keeps what its own routes change in them. */
	if (blk != NULL) {
		exceptions(&b, blk, rt);
		g = fab_block_find(blk, &(struct prefix){ .af = ADDR_V4 }, &at);
		e = g != NULL ? excp_find(c, at) : NULL;
		bgp_default = g != NULL && (e == NULL || !dropped(f, e));
	}
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
	free(b.sys);
	c->rows = b.rows;
	c->nlocal = b.n;
	c->nrows = b.n;
	if (blk != NULL) {
		c->nrows += blk->nrows;
		for (i = 0; i < c->nex; i++)
			if (dropped(f, &c->ex[i]))
				c->nrows -= blk->g[c->ex[i].at]->nrows;
	}
	/* Forwarding: longest prefix match over Active rows; the first of
	   equal rows (ECMP) stands for them. */
	for (i = 0; i < c->nlocal; i++) {
		if (c->rows[i].state != FAB_ACTIVE)
			continue;
		for (j = 0; j < c->rows[i].nprefixes; j++)
			if (trie_get(&c->lpm, &c->rows[i].prefixes[j]) == NULL)
				trie_add(&c->lpm, &c->rows[i].prefixes[j],
				    &c->rows[i]);
	}
}

/* ---- the table of a subnet ---- */

struct fab_cache *
fab_cache_new(const struct topo_subnet *s)
{
	struct fab_cache *c = xcalloc(1, sizeof(*c));

	c->vnet = xstrdup(s->vnet);
	c->subnet = xstrdup(s->name);
	arena_init(&c->arena, 1024);
	trie_init(&c->lpm);
	trie_init(&c->sys);
	return c;
}

void
fab_cache_free(struct fabric *f, struct fab_cache *c)
{
	if (c == NULL)
		return;
	if (c->blk != NULL)
		fab_block_unref(f, c->blk);
	free(c->vnet);
	free(c->subnet);
	free(c->rows);
	free(c->ex);
	arena_fini(&c->arena);
	trie_fini(&c->lpm);
	trie_fini(&c->sys);
	free(c);
}

struct fab_cache *
fab_subnet_table(struct fabric *f, size_t at)
{
	const struct topo_subnet *s;
	struct fab_block *blk = NULL;
	struct fab_cache *c;

	fab_index_refresh(f);
	s = &f->topo->subnets[at];
	c = f->cache[at];
	if (c->cursig_gen != f->topo->gen || !c->valid) {
		c->cursig = fab_index_subnet(f, s, c->hubs);
		c->cursig_gen = f->topo->gen;
	}
	if (c->hubs[0] != NULL) {
		/* Usually the block it already has. */
		if (c->blk != NULL && eq(c->blk->hubs[0], c->hubs[0]) &&
		    (c->blk->hubs[1] == NULL
		            ? c->hubs[1] == NULL
		            : eq(c->blk->hubs[1], c->hubs[1]))) {
			blk = c->blk;
			fab_block_check(f, blk);
		} else
			blk = fab_block_get(f, c->hubs);
	}
	if (c->valid && c->sig == c->cursig && c->blk == blk &&
	    (blk == NULL || c->blk_gen == blk->gen)) {
		f->cache_hits++;
		return c;
	}
	compute(f, c, s, blk);
	c->sig = c->cursig;
	c->blk_gen = blk != NULL ? blk->gen : 0;
	c->valid = true;
	c->version = ++f->gen;
	f->recomputes++;
	return c;
}

static void
rows_copy(struct fab_row *dst, const struct fab_row *src, size_t n)
{
	if (n > 0)
		memcpy(dst, src, n * sizeof(*dst));
}

/* True when w holds c's block part, laid out after c's head rows. */
static bool
view_block_same(const struct fab_view *w, const struct fab_cache *c)
{
	size_t i;

	if (!w->has_block || w->blk != c->blk || w->nhead != c->nhead ||
	    w->nex != c->nex)
		return false;
	if (c->blk != NULL && w->blk_gen != c->blk->gen)
		return false;
	for (i = 0; i < c->nex; i++)
		if (w->ex[i].at != c->ex[i].at ||
		    w->ex[i].shadowed != c->ex[i].shadowed ||
		    w->ex[i].user != c->ex[i].user)
			return false;
	return true;
}

/* Lay c's block part out at c->nhead, as c shows it. */
static void
view_block(struct fabric *f, struct fab_view *w, const struct fab_cache *c)
{
	const struct fab_excp *e = c->ex;
	const struct fab_excp *end = c->ex != NULL ? c->ex + c->nex : NULL;
	const struct fab_group *g;
	size_t i, j, n = c->nhead;

	for (i = 0; c->blk != NULL && i < c->blk->n; i++) {
		g = c->blk->g[i];
		if (e == end || e->at != i) {
			rows_copy(&w->rows[n], g->rows, g->nrows);
			n += g->nrows;
			continue;
		}
		if (!dropped(f, e))
			for (j = 0; j < g->nrows; j++) {
				w->rows[n] = g->rows[j];
				w->rows[n++].state = FAB_INVALID;
			}
		e++;
	}
	w->has_block = true;
	w->blk = c->blk;
	w->blk_gen = c->blk != NULL ? c->blk->gen : 0;
	w->nhead = c->nhead;
	w->nblock = n - c->nhead;
	free(w->ex);
	w->ex = xreallocarray(NULL, c->nex + 1, sizeof(*w->ex));
	if (c->nex > 0)
		memcpy(w->ex, c->ex, c->nex * sizeof(*w->ex));
	w->nex = c->nex;
}

void
fab_table_view(
    struct fabric *f, const struct fab_cache *c, struct fab_table *out)
{
	struct fab_view *w = &f->view;
	size_t ntail = c->nlocal - c->nhead;

	if (w->c != c || w->version != c->version) {
		if (w->cap < c->nrows + 1) {
			w->cap = c->nrows + 1;
			w->rows =
			    xreallocarray(w->rows, w->cap, sizeof(*w->rows));
		}
		rows_copy(w->rows, c->rows, c->nhead);
		if (!view_block_same(w, c))
			view_block(f, w, c);
		if (ntail > 0)
			rows_copy(&w->rows[c->nhead + w->nblock],
			    &c->rows[c->nhead], ntail);
		w->n = c->nhead + w->nblock + ntail;
		if (w->n != c->nrows)
			fatal("%s: %zu rows laid out, %zu counted", __func__,
			    w->n, c->nrows);
		w->c = c;
		w->version = c->version;
	}
	out->rows = w->rows;
	out->nrows = w->n;
}

/* dst's first len bits as a prefix. */
static void
addr_prefix(struct prefix *q, const struct ipaddr *dst, int len)
{
	int i;

	memset(q, 0, sizeof(*q));
	q->af = dst->af;
	q->len = (uint8_t)len;
	for (i = 0; i < len / 8; i++)
		q->a[i] = dst->a[i];
	if (len % 8 != 0)
		q->a[i] = dst->a[i] & (uint8_t)(0xff << (8 - len % 8));
}

/* True when g's rows are not Active in c's table (dropped or Invalid). */
static bool
group_excepted(const struct fab_cache *c, const struct fab_group *g)
{
	size_t at;

	if (c->nex == 0 || fab_block_find(c->blk, &g->pfx, &at) == NULL)
		return false;
	return excp_find(c, at) != NULL;
}

const struct fab_row *
fab_table_match(
    const struct fab_cache *c, const struct ipaddr *dst, struct prefix *m)
{
	const struct fab_row *lr;
	const struct fab_group *g = NULL;
	struct prefix lm, gm, q;
	int len;

	lr = trie_match(&c->lpm, dst, &lm);
	if (c->blk != NULL)
		g = trie_match(&c->blk->lpm, dst, &gm);
	/* An excepted group: the next shorter one of the block, if any
	   can still win. */
	while (g != NULL && group_excepted(c, g)) {
		g = NULL;
		for (len = gm.len - 1;
		     len >= 0 && (lr == NULL || len >= lm.len); len--) {
			addr_prefix(&q, dst, len);
			g = trie_get(&c->blk->lpm, &q);
			if (g != NULL) {
				gm = q;
				break;
			}
		}
	}
	/* Equal prefixes: the first row in az's order; own rows before
	   nhead come before the block's. */
	if (g != NULL &&
	    (lr == NULL || gm.len > lm.len ||
	        (gm.len == lm.len && (size_t)(lr - c->rows) >= c->nhead))) {
		if (m != NULL)
			*m = gm;
		return &g->rows[0];
	}
	if (lr != NULL && m != NULL)
		*m = lm;
	return lr;
}
