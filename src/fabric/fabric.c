/* SPDX-License-Identifier: ISC */
/* fabric/fabric.c - the fabric object: programmed sources, cache, queries. */

#include "fabric/fabric.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fabric/fab_int.h"
#include "lib/xmalloc.h"

struct fabric *
fab_new(const struct topo *topo)
{
	struct fabric *f = xcalloc(1, sizeof(*f));

	f->topo = topo;
	return f;
}

static void
set_clear(struct fab_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->routes[i].nexthop);
		free(s->routes[i].aspath);
		free(s->routes[i].learned_from);
	}
	free(s->routes);
	free(s->invset);
	s->invset = NULL;
	s->routes = NULL;
	s->n = 0;
}

void
fab_free(struct fabric *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nsets; i++) {
		set_clear(&f->sets[i]);
		free(f->sets[i].name);
		free(f->sets[i].resource);
	}
	free(f->sets);
	for (i = 0; i < f->ncache; i++) {
		free(f->cache[i].vnet);
		free(f->cache[i].subnet);
		free(f->cache[i].rows);
		arena_fini(&f->cache[i].arena);
		trie_fini(&f->cache[i].lpm);
	}
	free(f->cache);
	free(f);
}

void
fab_opts_set(struct fabric *f, const struct fab_opts *o)
{
	size_t i;

	f->opts = *o;
	for (i = 0; i < f->ncache; i++)
		f->cache[i].valid = false;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
fab_program(struct fabric *f, const char *source, const char *resource,
    const struct fab_route *routes, size_t n)
{
	struct fab_set *s = NULL;
	struct fab_prog *p;
	size_t i;

	for (i = 0; i < f->nsets; i++)
		if (strcmp(f->sets[i].name, source) == 0)
			s = &f->sets[i];
	if (s == NULL) {
		f->sets =
		    xreallocarray(f->sets, f->nsets + 1, sizeof(*f->sets));
		s = &f->sets[f->nsets++];
		memset(s, 0, sizeof(*s));
		s->name = xstrdup(source);
	}
	set_clear(s);
	free(s->resource);
	s->resource = xstrdup(resource);
	s->gen = ++f->gen;
	if (n == 0)
		return;
	s->routes = xcalloc(n, sizeof(*s->routes));
	for (i = 0; i < n; i++) {
		p = &s->routes[i];
		p->pfx = routes[i].pfx;
		p->nnh = routes[i].nnh;
		if (p->nnh > 0) {
			p->nexthop = xcalloc(p->nnh, sizeof(*p->nexthop));
			memcpy(p->nexthop, routes[i].nexthop,
			    p->nnh * sizeof(*p->nexthop));
		}
		p->origin = routes[i].origin;
		p->aspath_len = routes[i].aspath_len;
		p->aspath = dup_or_null(routes[i].aspath);
		p->learned_from = dup_or_null(routes[i].learned_from);
	}
	s->n = n;
}

static struct fab_cache *
nic_table(struct fabric *f, const char *nic)
{
	const struct topo_nic *n = topo_nic_lookup(f->topo, nic);
	const struct topo_subnet *s;

	if (n == NULL)
		return NULL;
	s = topo_subnet_lookup(f->topo, n->vnet, n->subnet);
	if (s == NULL)
		return NULL;
	return fab_subnet_table(f, s);
}

bool
fab_nic_effective_routes(
    struct fabric *f, const char *nic, struct fab_table *out)
{
	struct fab_cache *c = nic_table(f, nic);

	if (c == NULL)
		return false;
	out->rows = c->rows;
	out->nrows = c->nrows;
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
	r = trie_match(&c->lpm, dst, NULL);
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

	for (i = 0; i < f->topo->nsubnets; i++)
		fab_subnet_table(f, &f->topo->subnets[i]);
}

void
fab_stats(const struct fabric *f, struct fab_stats *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->recomputes = f->recomputes;
	st->cache_hits = f->cache_hits;
	st->subnets = f->ncache;
	st->sources = f->nsets;
	for (i = 0; i < f->nsets; i++)
		st->routes += f->sets[i].n;
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
