/* SPDX-License-Identifier: ISC */
/* fabric/fab_int.h - the fabric's internal structures, shared by its files. */

#ifndef VRS_FABRIC_FAB_INT_H
#define VRS_FABRIC_FAB_INT_H

#include "fabric/fabric.h"
#include "lib/arena.h"
#include "lib/trie.h"

/* A programmed route, copied from a struct fab_route. */
struct fab_prog {
	struct prefix pfx;
	struct ipaddr *nexthop; /* owned */
	size_t nnh;
	enum fab_origin origin;
	int aspath_len;
	char *aspath;       /* owned, NULL if not given */
	char *learned_from; /* owned, NULL if not given */
};

/* Everything one source currently programs. */
struct fab_set {
	char *name;              /* owned: source id */
	char *resource;          /* owned: route server or gateway name */
	struct fab_prog *routes; /* owned */
	size_t n;
	uint64_t gen; /* bumped by each fab_program() */
	/*
	 * Which routes lie in the source's VNet set (R2.6): the same for
	 * every subnet, so worked out once per set and topology generation.
	 */
	bool *invset; /* owned: n entries, or NULL */
	uint64_t invset_topo_gen, invset_set_gen;
};

/* One subnet's effective routes. */
struct fab_cache {
	char *vnet;   /* owned */
	char *subnet; /* owned */
	bool valid;
	uint64_t sig;         /* inputs the table was computed from */
	struct arena arena;   /* rows' prefixes and strings */
	struct fab_row *rows; /* owned */
	size_t nrows;
	struct trie lpm; /* Active rows' prefixes to the first such row */
};

struct fabric {
	const struct topo *topo; /* borrowed */
	struct fab_opts opts;
	struct fab_set *sets; /* owned */
	size_t nsets;
	uint64_t gen;            /* source generations come from here */
	struct fab_cache *cache; /* owned */
	size_t ncache;
	uint64_t recomputes;
	uint64_t cache_hits;
};

/* Where the programmed routes a VNet sees come from (R3.1). */
struct fab_vis {
	const char *vnets[2]; /* borrowed: the VNet itself, and the hub
				 whose gateways it uses; NULL if none */
	const struct topo_peering *via; /* borrowed: the spoke's peering */
};

/* The VNet a route server or gateway named resource lives in. */
const char *fab_resource_vnet(const struct topo *t, const char *resource);
/* The VNets whose gateways and route servers program into vnet. */
void fab_visible(const struct topo *t, const char *vnet, struct fab_vis *vis);
/*
 * True when p is equal to or inside a prefix of the VNet set of hub (the
 * hub and its spokes that use its gateways, R2.6); *in gets that prefix
 * and *owner its VNet.
 */
bool fab_in_vnet_set(const struct topo *t, const char *hub,
    const struct prefix *p, const struct prefix **in, const char **owner);
/* The routing preference that decides between sources in hub (R2.8). */
enum topo_pref fab_pref(const struct topo *t, const char *hub);
/* <0 when a beats b, >0 when b beats a, 0 when equal (ECMP) (R2.7/R2.8). */
int fab_prog_cmp(
    enum topo_pref pref, const struct fab_prog *a, const struct fab_prog *b);

/* ---- compute.c ---- */

/* The cached table of subnet vnet/subnet, recomputed if stale. */
struct fab_cache *fab_subnet_table(
    struct fabric *f, const struct topo_subnet *s);

#endif
