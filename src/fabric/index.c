/* SPDX-License-Identifier: ISC */
/* fabric/index.c - the topology by name in constant time, rebuilt on each topology change. */

#include "fabric/fabric.h"

#include <stdlib.h>
#include <string.h>

#include "fabric/fab_int.h"
#include "lib/hash.h"
#include "lib/xmalloc.h"

/*
 * The topology keeps arrays and looks names up by scanning them; the
 * fabric asks for thousands of names per change, so it indexes each
 * topology generation once: names to resources, each VNet's peerings and
 * hub facts (gateways, VNet set, preference), and the subnet tables lined
 * up with the topology's subnets.  Everything here borrows from the
 * topology and is dropped when its generation changes.
 */

/* ---- a small string-keyed hash table ---- */

static uint64_t
map_hash(const char *a, const char *b)
{
	uint64_t h = hash_bytes(a, strlen(a), 11);

	return b != NULL ? hash_mix(h, hash_bytes(b, strlen(b), 13)) : h;
}

static bool
key_eq(const struct fab_map_slot *s, const char *a, const char *b)
{
	if (strcmp(s->a, a) != 0)
		return false;
	if (s->b == NULL || b == NULL)
		return s->b == b;
	return strcmp(s->b, b) == 0;
}

static void
map_init(struct fab_map *m, size_t n)
{
	size_t cap = 8;

	while (cap < 2 * n)
		cap *= 2;
	m->v = xcalloc(cap, sizeof(*m->v));
	m->mask = cap - 1;
}

static void
map_fini(struct fab_map *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* Add key (a, b) with val unless it is there: the first one stays. */
static void
map_put(struct fab_map *m, const char *a, const char *b, const void *val)
{
	size_t i = map_hash(a, b) & m->mask;

	for (; m->v[i].a != NULL; i = (i + 1) & m->mask)
		if (key_eq(&m->v[i], a, b))
			return;
	m->v[i].a = a;
	m->v[i].b = b;
	m->v[i].val = val;
}

static const void *
map_get(const struct fab_map *m, const char *a, const char *b)
{
	size_t i;

	if (m->v == NULL || a == NULL)
		return NULL;
	for (i = map_hash(a, b) & m->mask; m->v[i].a != NULL;
	     i = (i + 1) & m->mask)
		if (key_eq(&m->v[i], a, b))
			return m->v[i].val;
	return NULL;
}

/* ---- hashing the inputs of a table ---- */

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

/* ---- lookups ---- */

const struct fab_vinfo *
fab_index_vnet(const struct fabric *f, const char *v)
{
	return map_get(&f->idx.vnets, v, NULL);
}

const struct topo_route_table *
fab_index_rtable(const struct fabric *f, const char *name)
{
	return map_get(&f->idx.rtables, name, NULL);
}

const char *
fab_index_resource(const struct fabric *f, const char *name)
{
	return map_get(&f->idx.resources, name, NULL);
}

/* As topo_peering_state(). */
enum topo_peering_state
fab_index_peering_state(const struct fabric *f, const struct topo_peering *p)
{
	if (fab_index_vnet(f, p->remote) == NULL)
		return TOPO_PEERING_DISCONNECTED;
	if (map_get(&f->idx.rev, p->remote, p->vnet) == NULL)
		return TOPO_PEERING_INITIATED;
	return TOPO_PEERING_CONNECTED;
}

bool
fab_index_nic(struct fabric *f, const char *nic, size_t *at)
{
	const struct topo_nic *n;
	const struct topo_subnet *s;

	fab_index_refresh(f);
	n = map_get(&f->idx.nics, nic, NULL);
	if (n == NULL)
		return false;
	s = map_get(&f->idx.subnets, n->vnet, n->subnet);
	if (s == NULL)
		return false;
	*at = (size_t)(s - f->topo->subnets);
	return true;
}

uint64_t
fab_index_subnet(
    const struct fabric *f, const struct topo_subnet *s, const char *hubs[2])
{
	const struct topo *t = f->topo;
	const struct topo_route_table *rt = NULL;
	const struct fab_vinfo *v = fab_index_vnet(f, s->vnet);
	const struct topo_peering *p;
	const char *tmp;
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
	h = hvnet(h, v != NULL ? v->v : NULL);
	if (s->route_table != NULL)
		rt = fab_index_rtable(f, s->route_table);
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
	for (i = 0; v != NULL && i < v->nout; i++) {
		p = v->out[i];
		h = hstr(h, p->name);
		h = hash_mix(h, fab_index_peering_state(f, p));
		tmp = p->remote;
		h = hvnet(h,
		    fab_index_vnet(f, tmp) != NULL ? fab_index_vnet(f, tmp)->v
		                                   : NULL);
	}
	/* The hubs whose sources it sees (R3.1) unless propagation is off
	   (R3.2); what they program comes from their block. */
	hubs[0] = hubs[1] = NULL;
	if (v != NULL && (rt == NULL || !rt->disable_bgp)) {
		if (v->has_gw)
			hubs[0] = s->vnet;
		if (v->uses != NULL)
			hubs[hubs[0] != NULL] = v->uses->remote;
		if (hubs[1] != NULL && strcmp(hubs[0], hubs[1]) > 0) {
			tmp = hubs[0];
			hubs[0] = hubs[1];
			hubs[1] = tmp;
		} else if (hubs[1] != NULL && strcmp(hubs[0], hubs[1]) == 0)
			hubs[1] = NULL;
	}
	h = hstr(hstr(h, hubs[0]), hubs[1]);
	return h;
}

/* ---- building the index ---- */

/* The index's own, writable entry for VNet name. */
static struct fab_vinfo *
vinfo(struct fabric *f, const char *name)
{
	const struct fab_vinfo *v = fab_index_vnet(f, name);

	return v != NULL ? &f->idx.vi[v - f->idx.vi] : NULL;
}

/* True when spoke peering p makes its VNet use the remote's gateways. */
static bool
uses_remote(const struct fabric *f, const struct topo_peering *p)
{
	const struct topo_peering *back;
	const struct fab_vinfo *r;

	if (!p->use_remote_gateways)
		return false;
	back = map_get(&f->idx.rev, p->remote, p->vnet);
	r = fab_index_vnet(f, p->remote);
	return back != NULL && back->allow_gateway_transit && r != NULL &&
	    r->has_gw;
}

static int
len_cmp(const void *x, const void *y)
{
	const struct prefix *a = x, *b = y;

	return a->len < b->len ? -1 : a->len > b->len;
}

/* The widest of the prefixes ps[0..n) into vset: no one inside another. */
static void
vset_build(struct trie *vset, struct prefix *ps, size_t n)
{
	size_t i;

	qsort(ps, n, sizeof(*ps), len_cmp);
	for (i = 0; i < n; i++)
		if (!fab_shadowed(vset, &ps[i]))
			trie_add(vset, &ps[i], vset);
}

/* Add v's prefixes to the n of *ps. */
static void
pfx_append(struct prefix **ps, size_t *n, const struct topo_vnet *v)
{
	*ps = xreallocarray(*ps, *n + v->nprefixes + 1, sizeof(**ps));
	if (v->nprefixes > 0)
		memcpy(*ps + *n, v->prefixes, v->nprefixes * sizeof(**ps));
	*n += v->nprefixes;
}

static void
vnets_build(struct fabric *f)
{
	const struct topo *t = f->topo;
	struct fab_index *x = &f->idx;
	const struct topo_routeserver *rs;
	const struct topo_peering *p;
	struct fab_vinfo *v, *r;
	struct prefix **hubps;
	size_t *nhubps, i, j;
	bool *rs_seen;

	x->vi = xcalloc(t->nvnets + 1, sizeof(*x->vi));
	x->nvi = t->nvnets;
	rs_seen = xcalloc(t->nvnets + 1, sizeof(*rs_seen));
	map_init(&x->vnets, t->nvnets);
	for (i = 0; i < t->nvnets; i++) {
		x->vi[i].v = &t->vnets[i];
		x->vi[i].pref = TOPO_PREF_EXPRESSROUTE;
		trie_init(&x->vi[i].vset);
		map_put(&x->vnets, t->vnets[i].name, NULL, &x->vi[i]);
	}
	/* fab_pref(): the first route server of the VNet decides. */
	for (i = 0; i < t->nrservers; i++) {
		rs = &t->rservers[i];
		v = vinfo(f, rs->vnet);
		if (v == NULL || rs_seen[v - x->vi])
			continue;
		rs_seen[v - x->vi] = true;
		v->has_gw = true;
		if (rs->b2b)
			v->pref = rs->pref;
	}
	free(rs_seen);
	for (i = 0; i < t->ngateways; i++) {
		v = vinfo(f, t->gateways[i].vnet);
		if (v != NULL)
			v->has_gw = true;
	}
	map_init(&x->rev, t->npeerings);
	for (i = 0; i < t->npeerings; i++)
		map_put(&x->rev, t->peerings[i].vnet, t->peerings[i].remote,
		    &t->peerings[i]);
	for (i = 0; i < t->npeerings; i++) {
		v = vinfo(f, t->peerings[i].vnet);
		if (v != NULL)
			v->nout++;
	}
	for (i = 0; i < t->nvnets; i++) {
		x->vi[i].out =
		    xcalloc(x->vi[i].nout + 1, sizeof(*x->vi[i].out));
		x->vi[i].nout = 0;
	}
	/* Hubs: their VNet set (R2.6) and what decides between sources. */
	hubps = xcalloc(t->nvnets + 1, sizeof(*hubps));
	nhubps = xcalloc(t->nvnets + 1, sizeof(*nhubps));
	for (i = 0; i < t->nvnets; i++) {
		v = &x->vi[i];
		if (!v->has_gw)
			continue;
		v->hubsig = hash_mix(hvnet(0x4ab5ull, v->v), v->pref);
		pfx_append(&hubps[i], &nhubps[i], v->v);
	}
	for (i = 0; i < t->npeerings; i++) {
		p = &t->peerings[i];
		v = vinfo(f, p->vnet);
		if (v == NULL)
			continue;
		v->out[v->nout++] = p;
		if (!uses_remote(f, p))
			continue;
		if (v->uses == NULL)
			v->uses = p;
		r = vinfo(f, p->remote);
		j = (size_t)(r - x->vi);
		r->hubsig = hvnet(r->hubsig, v->v);
		pfx_append(&hubps[j], &nhubps[j], v->v);
	}
	for (i = 0; i < t->nvnets; i++) {
		if (x->vi[i].has_gw)
			vset_build(&x->vi[i].vset, hubps[i], nhubps[i]);
		free(hubps[i]);
	}
	free(hubps);
	free(nhubps);
}

static void
index_free(struct fab_index *x)
{
	size_t i;

	for (i = 0; i < x->nvi; i++) {
		free(x->vi[i].out);
		trie_fini(&x->vi[i].vset);
	}
	free(x->vi);
	map_fini(&x->vnets);
	map_fini(&x->subnets);
	map_fini(&x->nics);
	map_fini(&x->rtables);
	map_fini(&x->rev);
	map_fini(&x->resources);
	memset(x, 0, sizeof(*x));
}

/* Line f->cache up with the topology's subnets; drop the tables of gone ones. */
static void
caches_align(struct fabric *f)
{
	const struct topo *t = f->topo;
	struct fab_cache **old = f->cache;
	struct fab_cache *const *c;
	struct fab_map byname;
	bool *kept;
	size_t i, nold = f->ncache;

	map_init(&byname, nold);
	for (i = 0; i < nold; i++)
		map_put(&byname, old[i]->vnet, old[i]->subnet, &old[i]);
	kept = xcalloc(nold + 1, sizeof(*kept));
	f->cache = xcalloc(t->nsubnets + 1, sizeof(*f->cache));
	f->ncache = t->nsubnets;
	for (i = 0; i < t->nsubnets; i++) {
		c = map_get(&byname, t->subnets[i].vnet, t->subnets[i].name);
		if (c != NULL && !kept[c - old]) {
			kept[c - old] = true;
			f->cache[i] = *c;
		} else
			f->cache[i] = fab_cache_new(&t->subnets[i]);
	}
	for (i = 0; i < nold; i++)
		if (!kept[i])
			fab_cache_free(f, old[i]);
	free(kept);
	free(old);
	map_fini(&byname);
}

void
fab_index_refresh(struct fabric *f)
{
	const struct topo *t = f->topo;
	struct fab_index *x = &f->idx;
	size_t i;

	if (x->built && x->gen == t->gen)
		return;
	index_free(x);
	x->built = true;
	x->gen = t->gen;
	vnets_build(f);
	map_init(&x->subnets, t->nsubnets);
	for (i = 0; i < t->nsubnets; i++)
		map_put(&x->subnets, t->subnets[i].vnet, t->subnets[i].name,
		    &t->subnets[i]);
	map_init(&x->nics, t->nnics);
	for (i = 0; i < t->nnics; i++)
		map_put(&x->nics, t->nics[i].name, NULL, &t->nics[i]);
	map_init(&x->rtables, t->nrtables);
	for (i = 0; i < t->nrtables; i++)
		map_put(&x->rtables, t->rtables[i].name, NULL, &t->rtables[i]);
	/* fab_resource_vnet(): a route server before a gateway. */
	map_init(&x->resources, t->nrservers + t->ngateways);
	for (i = 0; i < t->nrservers; i++)
		map_put(&x->resources, t->rservers[i].name, NULL,
		    t->rservers[i].vnet);
	for (i = 0; i < t->ngateways; i++)
		map_put(&x->resources, t->gateways[i].name, NULL,
		    t->gateways[i].vnet);
	caches_align(f);
}

void
fab_index_fini(struct fabric *f)
{
	size_t i;

	for (i = 0; i < f->ncache; i++)
		fab_cache_free(f, f->cache[i]);
	free(f->cache);
	f->cache = NULL;
	f->ncache = 0;
	index_free(&f->idx);
}
