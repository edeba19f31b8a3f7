/* SPDX-License-Identifier: ISC */
/* fabric/block.c - gateway and ARS rows shared by the subnets that see the same hubs. */

#include "fabric/fabric.h"

#include <stdlib.h>
#include <string.h>

#include "fabric/fab_int.h"
#include "lib/hash.h"
#include "lib/xmalloc.h"

/*
 * A block (see the DOC comment in fab_int.h) holds, by prefix, the rows
 * that the programmed routes of its hubs' sources give (R3.1, R2.6,
 * R2.7, R2.8, R3.3), before anything a subnet's own routes change.  It
 * is built from every source at once, or updated one prefix at a time:
 * both run the same selection over the same candidates, in the same
 * order (by source name, then as each source gave them), so an updated
 * block equals a rebuilt one.
 */

/* Above this many changed prefixes a rebuild is cheaper than updates. */
#define BLOCK_UPDATE_MAX 64

/* A programmed route that survived the block's filters (R2.6). */
struct cand {
	const struct fab_prog *r;  /* borrowed */
	const struct fab_set *set; /* borrowed */
	enum topo_pref pref;
};

/* What a member source needs from its hub. */
struct hubinfo {
	const struct trie *vset; /* borrowed, NULL: empty */
	enum topo_pref pref;
};

static bool
eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The hub of set s if it is one of b's, NULL otherwise. */
static const char *
member(
    const struct fabric *f, const struct fab_block *b, const struct fab_set *s)
{
	const char *hub = fab_index_resource(f, s->resource);

	if (hub == NULL || !(eq(hub, b->hubs[0]) || eq(hub, b->hubs[1])))
		return NULL;
	return hub;
}

static void
hub_info(const struct fabric *f, const char *hub, struct hubinfo *h)
{
	const struct fab_vinfo *v = fab_index_vnet(f, hub);

	h->vset = v != NULL ? &v->vset : NULL;
	h->pref = v != NULL ? v->pref : fab_pref(f->topo, hub);
}

/* R2.6: a route inside the VNet set of its source's hub is not used. */
static bool
in_vset(const struct hubinfo *h, const struct prefix *p)
{
	return h->vset != NULL && fab_shadowed(h->vset, p);
}

/* Every input of b: its hubs, their VNet sets and preference, sources. */
static uint64_t
insig(const struct fabric *f, const struct fab_block *b)
{
	const struct fab_vinfo *v;
	uint64_t h = 0xb10cull;
	size_t i;

	for (i = 0; i < 2 && b->hubs[i] != NULL; i++) {
		v = fab_index_vnet(f, b->hubs[i]);
		h = hash_mix(h, hash_bytes(b->hubs[i], strlen(b->hubs[i]), 5));
		h = hash_mix(h, v != NULL ? v->hubsig : 1);
	}
	for (i = 0; i < f->nsets; i++)
		if (member(f, b, &f->sets[i]) != NULL)
			h = hash_mix(hash_mix(h,
			                 hash_bytes(f->sets[i].name,
			                     strlen(f->sets[i].name), 6)),
			    f->sets[i].gen);
	return h;
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

static void
cand_add(struct cand **cs, size_t *n, size_t *cap, const struct fab_prog *r,
    const struct fab_set *set, const struct hubinfo *h)
{
	if (r->nnh == 0 || in_vset(h, &r->pfx))
		return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*cs = xreallocarray(*cs, *cap, sizeof(**cs));
	}
	(*cs)[*n].r = r;
	(*cs)[*n].set = set;
	(*cs)[*n].pref = h->pref;
	(*n)++;
}

/* The rows of the winners of cs[0..n), all of one prefix (R2.7, R3.3). */
static struct fab_group *
group_new(const struct cand *cs, size_t n)
{
	const struct cand *best = &cs[0];
	struct ipaddr *nh = NULL;
	const char **by = NULL;
	struct fab_group *g;
	struct fab_row *r;
	size_t i, j, k, nnh = 0;

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
		for (j = i; j > 0 && addr_cmp(&nh[j - 1], &nh[j]) > 0; j--) {
			struct ipaddr ta = nh[j];
			const char *tb = by[j];

			nh[j] = nh[j - 1];
			by[j] = by[j - 1];
			nh[j - 1] = ta;
			by[j - 1] = tb;
		}
	g = xmalloc(sizeof(*g) + nnh * sizeof(g->rows[0]));
	g->pfx = best->r->pfx;
	g->nrows = nnh;
	for (i = 0; i < nnh; i++) {
		r = &g->rows[i];
		memset(r, 0, sizeof(*r));
		r->source = FAB_SRC_GATEWAY;
		r->state = FAB_ACTIVE;
		r->prefixes = &g->pfx;
		r->nprefixes = 1;
		r->nexthop = nh[i];
		r->hop = FAB_HOP_GATEWAY;
		r->programmed_by = by[i]; /* the source's name: lives as
					     long as the fabric */
	}
	free(nh);
	free(by);
	return g;
}

static void
groups_clear(struct fab_block *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->g[i]);
	b->n = 0;
	b->nrows = 0;
	trie_fini(&b->lpm);
	trie_init(&b->lpm);
}

static void
group_append(struct fab_block *b, struct fab_group *g)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->g = xreallocarray(b->g, b->cap, sizeof(*b->g));
	}
	b->g[b->n++] = g;
	b->nrows += g->nrows;
	trie_add(&b->lpm, &g->pfx, g);
}

static void
mark_seen(struct fabric *f, struct fab_block *b)
{
	b->seen_topo = f->topo->gen;
	b->seen_sets = f->setgen;
}

/* Everything from the member sources, sorted and grouped by prefix. */
static void
rebuild(struct fabric *f, struct fab_block *b)
{
	struct cand *cs = NULL;
	struct hubinfo h;
	const char *hub;
	size_t i, j, n = 0, cap = 0;

	groups_clear(b);
	for (i = 0; i < f->nsets; i++) {
		hub = member(f, b, &f->sets[i]);
		if (hub == NULL)
			continue;
		hub_info(f, hub, &h);
		for (j = 0; j < f->sets[i].n; j++)
			cand_add(&cs, &n, &cap, &f->sets[i].routes[j],
			    &f->sets[i], &h);
	}
	if (n > 1)
		qsort(cs, n, sizeof(*cs), cand_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n; j++)
			if (!prefix_equal(&cs[i].r->pfx, &cs[j].r->pfx))
				break;
		group_append(b, group_new(&cs[i], j - i));
	}
	free(cs);
	b->insig = insig(f, b);
	b->gen = ++f->gen;
	b->dirty = false;
	mark_seen(f, b);
}

/* The lowest index of set s's routes for p, s->n if none. */
static size_t
set_lower(const struct fab_set *s, const struct prefix *p)
{
	size_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (prefix_cmp(&s->routes[mid].pfx, p) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* True when a and b give the same rows. */
static bool
group_same(const struct fab_group *a, const struct fab_group *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->nrows != b->nrows)
		return false;
	for (i = 0; i < a->nrows; i++)
		if (addr_cmp(&a->rows[i].nexthop, &b->rows[i].nexthop) != 0 ||
		    a->rows[i].programmed_by != b->rows[i].programmed_by)
			return false;
	return true;
}

/* Recompute the group of p from the member sources; false if its rows
   stay as they were. */
static bool
update_prefix(struct fabric *f, struct fab_block *b, const struct prefix *p)
{
	struct fab_group *g = NULL, *old = NULL;
	struct cand *cs = NULL;
	struct hubinfo h;
	const char *hub;
	size_t i, j, at, n = 0, cap = 0;

	for (i = 0; i < f->nsets; i++) {
		hub = member(f, b, &f->sets[i]);
		if (hub == NULL)
			continue;
		hub_info(f, hub, &h);
		for (j = set_lower(&f->sets[i], p); j < f->sets[i].n &&
		     prefix_equal(&f->sets[i].routes[j].pfx, p);
		     j++)
			cand_add(&cs, &n, &cap, &f->sets[i].routes[j],
			    &f->sets[i], &h);
	}
	if (n > 1)
		qsort(cs, n, sizeof(*cs), cand_cmp);
	if (n > 0)
		g = group_new(cs, n);
	free(cs);
	at = fab_block_lower(b, p);
	if (at < b->n && prefix_equal(&b->g[at]->pfx, p))
		old = b->g[at];
	if (group_same(old, g)) {
		free(g);
		return false;
	}
	if (old != NULL) {
		b->nrows -= old->nrows;
		trie_del(&b->lpm, &old->pfx);
		free(old);
		if (g != NULL)
			b->g[at] = g;
		else
			memmove(&b->g[at], &b->g[at + 1],
			    (--b->n - at) * sizeof(*b->g));
	} else if (g != NULL) {
		if (b->n == b->cap) {
			b->cap = b->cap ? b->cap * 2 : 64;
			b->g = xreallocarray(b->g, b->cap, sizeof(*b->g));
		}
		memmove(
		    &b->g[at + 1], &b->g[at], (b->n++ - at) * sizeof(*b->g));
		b->g[at] = g;
	}
	if (g != NULL) {
		b->nrows += g->nrows;
		trie_add(&b->lpm, &g->pfx, g);
	}
	return true;
}

static void
block_free(struct fab_block *b)
{
	groups_clear(b);
	trie_fini(&b->lpm);
	free(b->g);
	free(b->hubs[0]);
	free(b->hubs[1]);
	free(b);
}

/* ---- for the rest of the fabric ---- */

size_t
fab_block_lower(const struct fab_block *b, const struct prefix *p)
{
	size_t lo = 0, hi = b->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (prefix_cmp(&b->g[mid]->pfx, p) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct fab_group *
fab_block_find(const struct fab_block *b, const struct prefix *p, size_t *at)
{
	size_t i = fab_block_lower(b, p);

	if (i == b->n || !prefix_equal(&b->g[i]->pfx, p))
		return NULL;
	if (at != NULL)
		*at = i;
	return b->g[i];
}

void
fab_block_check(struct fabric *f, struct fab_block *b)
{
	if (!b->dirty &&
	    (b->seen_topo != f->topo->gen || b->seen_sets != f->setgen)) {
		if (insig(f, b) != b->insig)
			b->dirty = true;
		mark_seen(f, b);
	}
	if (b->dirty)
		rebuild(f, b);
}

struct fab_block *
fab_block_get(struct fabric *f, const char *const hubs[2])
{
	struct fab_block *b = NULL;
	size_t i;

	for (i = 0; i < f->nblocks && b == NULL; i++)
		if (eq(f->blocks[i]->hubs[0], hubs[0]) &&
		    (hubs[1] == NULL ? f->blocks[i]->hubs[1] == NULL
		                     : eq(f->blocks[i]->hubs[1], hubs[1])))
			b = f->blocks[i];
	if (b == NULL) {
		b = xcalloc(1, sizeof(*b));
		b->hubs[0] = xstrdup(hubs[0]);
		b->hubs[1] = hubs[1] != NULL ? xstrdup(hubs[1]) : NULL;
		b->dirty = true;
		trie_init(&b->lpm);
		f->blocks = xreallocarray(
		    f->blocks, f->nblocks + 1, sizeof(*f->blocks));
		f->blocks[f->nblocks++] = b;
	}
	fab_block_check(f, b);
	return b;
}

struct fab_block *
fab_block_ref(struct fab_block *b)
{
	b->refcnt++;
	return b;
}

void
fab_block_unref(struct fabric *f, struct fab_block *b)
{
	size_t i;

	if (--b->refcnt > 0)
		return;
	for (i = 0; i < f->nblocks; i++)
		if (f->blocks[i] == b) {
			f->blocks[i] = f->blocks[--f->nblocks];
			break;
		}
	block_free(b);
}

void
fab_blocks_prepare(struct fabric *f)
{
	size_t i;

	fab_index_refresh(f);
	for (i = 0; i < f->nblocks; i++)
		if (!f->blocks[i]->dirty &&
		    (f->blocks[i]->seen_topo != f->topo->gen ||
		        f->blocks[i]->seen_sets != f->setgen)) {
			if (insig(f, f->blocks[i]) != f->blocks[i]->insig)
				f->blocks[i]->dirty = true;
			mark_seen(f, f->blocks[i]);
		}
}

void
fab_blocks_apply(
    struct fabric *f, const struct fab_set *s, const struct prefix *p, size_t n)
{
	struct fab_block *b;
	size_t i, k;
	bool changed;

	for (i = 0; i < f->nblocks; i++) {
		b = f->blocks[i];
		if (b->dirty)
			continue;
		if (member(f, b, s) == NULL) {
			/* s may have left it (a new resource). */
			if (insig(f, b) != b->insig)
				b->dirty = true;
		} else if (p == NULL || (n > BLOCK_UPDATE_MAX && n * 16 > b->n))
			b->dirty = true;
		else {
			changed = false;
			for (k = 0; k < n; k++)
				changed |= update_prefix(f, b, &p[k]);
			b->insig = insig(f, b);
			if (changed)
				b->gen = ++f->gen;
		}
		mark_seen(f, b);
	}
}

void
fab_blocks_clear(struct fabric *f)
{
	size_t i;

	for (i = 0; i < f->nblocks; i++)
		block_free(f->blocks[i]);
	free(f->blocks);
	f->blocks = NULL;
	f->nblocks = 0;
}
