/* SPDX-License-Identifier: ISC */
/* fabric/fabric.c - the fabric object: programmed sources, cache, queries. */

#include "fabric/fabric.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fabric/fab_int.h"
#include "lib/xmalloc.h"

/*
 * Sources keep their routes sorted by prefix (stable: one prefix's routes
 * in the order given), so that a change can be compared with what the
 * source had, prefix by prefix, and only the prefixes that differ are
 * handed to the blocks that see the source (block.c).
 */

struct fabric *
fab_new(const struct topo *topo)
{
	struct fabric *f = xcalloc(1, sizeof(*f));

	f->topo = topo;
	return f;
}

static void
prog_clear(struct fab_prog *p)
{
	free(p->nexthop);
	free(p->aspath);
	free(p->learned_from);
}

static void
set_clear(struct fab_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		prog_clear(&s->routes[i]);
	free(s->routes);
	s->routes = NULL;
	s->n = 0;
}

void
fab_free(struct fabric *f)
{
	size_t i;

	if (f == NULL)
		return;
	fab_index_fini(f);
	fab_blocks_clear(f);
	for (i = 0; i < f->nsets; i++) {
		set_clear(&f->sets[i]);
		free(f->sets[i].name);
		free(f->sets[i].resource);
	}
	free(f->sets);
	free(f->view.rows);
	free(f->view.ex);
	free(f);
}

void
fab_opts_set(struct fabric *f, const struct fab_opts *o)
{
	size_t i;

	f->opts = *o;
	/* Every table and block is computed again, from the sources. */
	for (i = 0; i < f->ncache; i++) {
		f->cache[i]->valid = false;
		if (f->cache[i]->blk != NULL)
			fab_block_unref(f, f->cache[i]->blk);
		f->cache[i]->blk = NULL;
	}
	fab_blocks_clear(f);
	f->view.c = NULL;
	f->view.has_block = false;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
prog_equal(const struct fab_prog *a, const struct fab_prog *b)
{
	return prefix_equal(&a->pfx, &b->pfx) && a->nnh == b->nnh &&
	    (a->nnh == 0 ||
	        memcmp(a->nexthop, b->nexthop, a->nnh * sizeof(*a->nexthop)) ==
	            0) &&
	    a->origin == b->origin && a->aspath_len == b->aspath_len &&
	    str_eq(a->aspath, b->aspath) &&
	    str_eq(a->learned_from, b->learned_from);
}

/* The source called name; a new, empty one (*made true) if none. */
static struct fab_set *
set_get(struct fabric *f, const char *name, bool *made)
{
	struct fab_set *s;
	size_t i;

	*made = false;
	for (i = 0; i < f->nsets; i++)
		if (strcmp(f->sets[i].name, name) == 0)
			return &f->sets[i];
	f->sets = xreallocarray(f->sets, f->nsets + 1, sizeof(*f->sets));
	s = &f->sets[f->nsets++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	*made = true;
	return s;
}

struct ord {
	const struct fab_route *r; /* borrowed */
	size_t i;
};

static int
ord_cmp(const void *x, const void *y)
{
	const struct ord *a = x, *b = y;
	int c = prefix_cmp(&a->r->pfx, &b->r->pfx);

	if (c != 0)
		return c;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* Copies of routes[0..n), sorted by prefix, stable. */
static struct fab_prog *
progs_copy(const struct fab_route *routes, size_t n)
{
	struct fab_prog *ps = xcalloc(n + 1, sizeof(*ps)), *p;
	struct ord *o = xcalloc(n + 1, sizeof(*o));
	size_t i;

	for (i = 0; i < n; i++) {
		o[i].r = &routes[i];
		o[i].i = i;
	}
	qsort(o, n, sizeof(*o), ord_cmp);
	for (i = 0; i < n; i++) {
		p = &ps[i];
		p->pfx = o[i].r->pfx;
		p->nnh = o[i].r->nnh;
		if (p->nnh > 0) {
			p->nexthop = xcalloc(p->nnh, sizeof(*p->nexthop));
			memcpy(p->nexthop, o[i].r->nexthop,
			    p->nnh * sizeof(*p->nexthop));
		}
		p->origin = o[i].r->origin;
		p->aspath_len = o[i].r->aspath_len;
		p->aspath = dup_or_null(o[i].r->aspath);
		p->learned_from = dup_or_null(o[i].r->learned_from);
	}
	free(o);
	return ps;
}

static size_t
run_end(const struct fab_prog *v, size_t i, size_t n, const struct prefix *p)
{
	while (i < n && prefix_equal(&v[i].pfx, p))
		i++;
	return i;
}

/*
 * Replace s's routes for each prefix of ps[0..nps) (for every prefix when
 * all) by the ones of nw[0..nn) (sorted, taken over), and list in *ch the
 * prefixes whose routes differ.  Returns how many there are.
 */
static size_t
set_splice(struct fab_set *s, const struct prefix *ps, size_t nps, bool all,
    struct fab_prog *nw, size_t nn, struct prefix **ch)
{
	struct fab_prog *old = s->routes, *out;
	struct prefix p;
	size_t i = 0, j = 0, k = 0, m = 0, nch = 0, ie, je, x;
	bool same;

	out = xcalloc(s->n + nn + 1, sizeof(*out));
	*ch = xcalloc(s->n + nn + nps + 1, sizeof(**ch));
	for (;;) {
		if (all) {
			if (i == s->n && j == nn)
				break;
			if (j == nn ||
			    (i < s->n &&
			        prefix_cmp(&old[i].pfx, &nw[j].pfx) < 0))
				p = old[i].pfx;
			else
				p = nw[j].pfx;
		} else if (k < nps &&
		    (i == s->n || prefix_cmp(&ps[k], &old[i].pfx) <= 0))
			p = ps[k++];
		else if (i < s->n) {
			out[m++] = old[i++];
			continue;
		} else
			break;
		ie = run_end(old, i, s->n, &p);
		je = run_end(nw, j, nn, &p);
		same = ie - i == je - j;
		for (x = 0; same && x < ie - i; x++)
			same = prog_equal(&old[i + x], &nw[j + x]);
		if (!same)
			(*ch)[nch++] = p;
		for (; i < ie; i++)
			prog_clear(&old[i]);
		for (; j < je; j++)
			out[m++] = nw[j];
	}
	free(old);
	free(nw);
	s->routes = out;
	s->n = m;
	return nch;
}

/* Apply a change of source: before, blocks; after, the blocks it reaches. */
static void
program(struct fabric *f, const char *source, const char *resource,
    const struct fab_route *routes, size_t n, const struct prefix *ps,
    size_t nps, bool all)
{
	struct fab_prog *nw = progs_copy(routes, n);
	struct prefix *ch;
	struct fab_set *s;
	size_t nch;
	bool made, moved;

	fab_blocks_prepare(f);
	s = set_get(f, source, &made);
	moved = made || !str_eq(s->resource, resource);
	if (moved) {
		free(s->resource);
		s->resource = xstrdup(resource);
	}
	nch = set_splice(s, ps, nps, all, nw, n, &ch);
	if (nch > 0 || moved) {
		s->gen = ++f->gen;
		f->setgen++;
		fab_blocks_apply(f, s, moved ? NULL : ch, nch);
	}
	free(ch);
}

void
fab_program(struct fabric *f, const char *source, const char *resource,
    const struct fab_route *routes, size_t n)
{
	program(f, source, resource, routes, n, NULL, 0, true);
}

static int
pfx_qcmp(const void *x, const void *y)
{
	return prefix_cmp(x, y);
}

void
fab_program_route(struct fabric *f, const char *source, const char *resource,
    const struct fab_route *routes, size_t n)
{
	struct prefix *ps = xcalloc(n + 1, sizeof(*ps));
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		ps[i] = routes[i].pfx;
	if (n > 1)
		qsort(ps, n, sizeof(*ps), pfx_qcmp);
	for (i = 0; i < n; i++)
		if (k == 0 || !prefix_equal(&ps[k - 1], &ps[i]))
			ps[k++] = ps[i];
	program(f, source, resource, routes, n, ps, k, false);
	free(ps);
}

void
fab_withdraw_route(struct fabric *f, const char *source, const struct prefix *p)
{
	size_t i;

	for (i = 0; i < f->nsets; i++)
		if (strcmp(f->sets[i].name, source) == 0)
			break;
	if (i == f->nsets)
		return; /* nothing programmed */
	program(f, source, f->sets[i].resource, NULL, 0, p, 1, false);
}

static struct fab_cache *
nic_table(struct fabric *f, const char *nic)
{
	size_t at;

	if (!fab_index_nic(f, nic, &at))
		return NULL;
	return fab_subnet_table(f, at);
}

bool
fab_nic_effective_routes(
    struct fabric *f, const char *nic, struct fab_table *out)
{
	struct fab_cache *c = nic_table(f, nic);

	if (c == NULL)
		return false;
	fab_table_view(f, c, out);
	return true;
}

bool
fab_next_hop(struct fabric *f, const char *nic, const struct ipaddr *dst,
    struct fab_next_hop *out)
{
	struct fab_cache *c = nic_table(f, nic);
	const struct fab_row *r;

	if (c == NULL)
		return false;
	memset(out, 0, sizeof(*out));
	snprintf(
	    out->route_table_id, sizeof(out->route_table_id), "System Route");
	r = fab_table_match(c, dst, NULL);
	if (r == NULL) {
		/* No route at all: Azure drops the packet. */
		out->hop = FAB_HOP_NONE;
		return true;
	}
	out->hop = r->hop;
	switch (r->hop) {
	case FAB_HOP_GATEWAY:
	case FAB_HOP_APPLIANCE:
		out->ip = r->nexthop;
		break;
	case FAB_HOP_VNET_LOCAL:
	case FAB_HOP_PEERING:
	case FAB_HOP_GLOBAL_PEERING:
		/* [INFERRED] Network Watcher names the destination itself. */
		out->ip = *dst;
		break;
	default:
		break;
	}
	if (r->source == FAB_SRC_USER) {
		const struct topo_subnet *s =
		    topo_subnet_lookup(f->topo, c->vnet, c->subnet);

		snprintf(out->route_table_id, sizeof(out->route_table_id),
		    "/subscriptions/00000000-0000-0000-0000-000000000000/"
		    "resourceGroups/%s/providers/Microsoft.Network/"
		    "routeTables/%s",
		    f->topo->resource_group,
		    s != NULL && s->route_table != NULL ? s->route_table : "");
	}
	return true;
}

void
fab_sync(struct fabric *f)
{
	size_t i;

	fab_index_refresh(f);
	for (i = 0; i < f->topo->nsubnets; i++)
		fab_subnet_table(f, i);
}

void
fab_stats(const struct fabric *f, struct fab_stats *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->recomputes = f->recomputes;
	st->cache_hits = f->cache_hits;
	for (i = 0; i < f->ncache; i++)
		if (f->cache[i]->valid)
			st->subnets++;
	st->sources = f->nsets;
	for (i = 0; i < f->nsets; i++)
		st->routes += f->sets[i].n;
	st->blocks = f->nblocks;
	for (i = 0; i < f->nblocks; i++)
		st->block_rows += f->blocks[i]->nrows;
}

void
fab_source_walk(const struct fabric *f,
    void (*fn)(
        void *arg, const char *source, const char *resource, size_t nroutes),
    void *arg)
{
	size_t i;

	for (i = 0; i < f->nsets; i++)
		fn(arg, f->sets[i].name, f->sets[i].resource, f->sets[i].n);
}

const char *
fab_src_name(enum fab_src s)
{
	switch (s) {
	case FAB_SRC_DEFAULT:
		return "Default";
	case FAB_SRC_GATEWAY:
		return "VirtualNetworkGateway";
	case FAB_SRC_USER:
		return "User";
	}
	return "Unknown";
}

const char *
fab_state_name(enum fab_state s)
{
	return s == FAB_ACTIVE ? "Active" : "Invalid";
}

const char *
fab_hop_name(enum fab_hop h)
{
	switch (h) {
	case FAB_HOP_VNET_LOCAL:
		return "VnetLocal";
	case FAB_HOP_PEERING:
		return "VNetPeering";
	case FAB_HOP_GLOBAL_PEERING:
		return "VNetGlobalPeering";
	case FAB_HOP_SERVICE_ENDPOINT:
		return "VirtualNetworkServiceEndpoint";
	case FAB_HOP_INTERNET:
		return "Internet";
	case FAB_HOP_NONE:
		return "None";
	case FAB_HOP_GATEWAY:
		return "VirtualNetworkGateway";
	case FAB_HOP_APPLIANCE:
		return "VirtualAppliance";
	}
	return "Unknown";
}
