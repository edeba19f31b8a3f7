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
	struct fab_prog *routes; /* owned: by prefix; within one prefix in
				    the order the source gave them */
	size_t n;
	uint64_t gen; /* bumped by each change of its routes */
};

/*
 * A string-keyed hash table for the topology index: keys are one or two
 * borrowed strings, values borrowed pointers.  Sized once, when built.
 */
struct fab_map_slot {
	const char *a;   /* borrowed; NULL: empty slot */
	const char *b;   /* borrowed, may be NULL */
	const void *val; /* borrowed */
};

struct fab_map {
	struct fab_map_slot *v; /* owned */
	size_t mask;
};

/* What the fabric needs to know about one VNet, worked out once. */
struct fab_vinfo {
	const struct topo_vnet *v;       /* borrowed */
	bool has_gw;                     /* holds a route server or gateway */
	enum topo_pref pref;             /* fab_pref() of the VNet as a hub */
	const struct topo_peering **out; /* owned array, borrowed entries:
					    its peerings, topology order */
	size_t nout;
	const struct topo_peering *uses; /* borrowed: the first peering
					    whose remote's gateways it uses */
	struct trie vset; /* as a hub: its VNet set (R2.6), only the
			     widest prefixes, so that a longest match
			     answers "inside the set" */
	uint64_t hubsig;  /* as a hub: VNet set and routing preference */
};

/*
 * The topology looked up in constant time, rebuilt when the topology's
 * generation changes (its arrays are replaced on every change).
 */
struct fab_index {
	bool built;
	uint64_t gen;             /* topology generation it describes */
	struct fab_map vnets;     /* name -> struct fab_vinfo */
	struct fab_map subnets;   /* (vnet, name) -> struct topo_subnet */
	struct fab_map nics;      /* name -> struct topo_nic */
	struct fab_map rtables;   /* name -> struct topo_route_table */
	struct fab_map rev;       /* (vnet, remote) -> first such peering */
	struct fab_map resources; /* route server or gateway -> VNet name */
	struct fab_vinfo *vi;     /* owned: one per topology VNet */
	size_t nvi;
};

/*
 * The gateway and ARS rows of one prefix, as every subnet that sees the
 * same sources shows them (R2.7, R3.3): one row per next hop, lowest
 * address first.
 */
struct fab_group {
	struct prefix pfx;
	size_t nrows;
	struct fab_row rows[]; /* prefixes point at pfx */
};

/*
 * DOC: shared BGP blocks
 *
 * The gateway and ARS part of a subnet's table depends only on the set of
 * hubs whose sources the subnet sees (R3.1): the subnet's own VNet when it
 * holds a gateway, and the hub whose gateways it uses.  A block holds that
 * part once, by prefix, for every subnet with the same hubs; subnets keep
 * only their own rows and the few block prefixes their system routes or
 * user routes change (R3.6).  A change of one programmed prefix updates
 * the prefix's group in each block that sees the source; a change of the
 * hubs' VNet sets, preferences or sources rebuilds the block.
 */
struct fab_block {
	char *hubs[2];        /* owned: sorted; hubs[1] NULL if one hub */
	int refcnt;           /* subnet tables that use it */
	bool dirty;           /* rebuild before the next use */
	struct fab_group **g; /* owned: groups by prefix */
	size_t n, cap;
	size_t nrows;       /* rows over all groups */
	struct trie lpm;    /* group prefixes -> group */
	uint64_t gen;       /* fabric generation of its last change */
	uint64_t insig;     /* sources and hubs it was built from */
	uint64_t seen_topo; /* topology generation insig was checked at */
	uint64_t seen_sets; /* f->setgen insig was checked at */
};

/* A block group that a subnet shows differently (R3.6.2, R3.6.3). */
struct fab_excp {
	size_t at;     /* index of the group in the block */
	bool shadowed; /* inside a system route of the subnet */
	bool user;     /* a user route has the same prefix */
};

/*
 * One subnet's effective routes: its own rows (system and user routes)
 * with the block's rows in between, at nhead.
 */
struct fab_cache {
	char *vnet;   /* owned */
	char *subnet; /* owned */
	bool valid;
	uint64_t sig;          /* topology inputs the table was computed from */
	uint64_t cursig;       /* the same inputs now, if cursig_gen is */
	uint64_t cursig_gen;   /* the topology generation now */
	const char *hubs[2];   /* borrowed from the topology of cursig_gen:
				  block key, both NULL when no BGP rows */
	struct fab_block *blk; /* ref: the gateway and ARS rows, or NULL */
	uint64_t blk_gen;      /* the block's generation the table shows */
	uint64_t version;      /* fabric-unique, new on each recompute */
	struct arena arena;    /* own rows' prefixes and strings */
	struct fab_row *rows;  /* owned: own rows */
	size_t nlocal, nhead;
	struct fab_excp *ex; /* owned: by group index */
	size_t nex;
	size_t nrows;    /* rows of the whole table */
	struct trie lpm; /* Active own rows' prefixes to the first such row */
	struct trie sys; /* VnetLocal, peering and service-endpoint prefixes */
};

/*
 * The rows of the last table a query asked for, laid out in one array.
 * The block's part stays in place for the next table that shows the same
 * block the same way at the same offset: only own rows are rewritten.
 */
struct fab_view {
	const struct fab_cache *c; /* borrowed, compared only */
	uint64_t version;          /* c's version when laid out */
	struct fab_row *rows;      /* owned */
	size_t n, cap;
	bool has_block;              /* the fields below describe rows */
	const struct fab_block *blk; /* borrowed, compared only */
	uint64_t blk_gen;            /* its generation */
	size_t nhead;                /* where its part starts */
	size_t nblock;               /* and how many rows it has */
	struct fab_excp *ex;         /* owned: the exceptions it shows */
	size_t nex;
};

struct fabric {
	const struct topo *topo; /* borrowed */
	struct fab_opts opts;
	struct fab_set *sets; /* owned */
	size_t nsets;
	uint64_t gen;    /* source, block and table generations */
	uint64_t setgen; /* bumped by every change to a source */
	struct fab_index idx;
	struct fab_cache **cache; /* owned: one per topology subnet, in
				     topology order once idx is built */
	size_t ncache;
	struct fab_block **blocks; /* owned */
	size_t nblocks;
	struct fab_view view;
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
/* True when p lies in a prefix of sys no longer than p (R3.6.3). */
bool fab_shadowed(const struct trie *sys, const struct prefix *p);

/* ---- index.c ---- */

/* Bring f->idx and f->cache in line with the topology's generation. */
void fab_index_refresh(struct fabric *f);
/* Free the index and every subnet table. */
void fab_index_fini(struct fabric *f);
const struct fab_vinfo *fab_index_vnet(const struct fabric *f, const char *v);
const struct topo_route_table *fab_index_rtable(
    const struct fabric *f, const char *name);
/* The VNet of a route server or gateway, NULL if there is none. */
const char *fab_index_resource(const struct fabric *f, const char *name);
enum topo_peering_state fab_index_peering_state(
    const struct fabric *f, const struct topo_peering *p);
/* The index of nic's subnet in the topology; false if none. */
bool fab_index_nic(struct fabric *f, const char *nic, size_t *at);
/*
 * The topology inputs of subnet s's table, and the hubs whose block it
 * shows (sorted; both NULL when it shows no gateway or ARS routes).
 */
uint64_t fab_index_subnet(
    const struct fabric *f, const struct topo_subnet *s, const char *hubs[2]);
/* ---- block.c ---- */

/* The up-to-date block of hubs (sorted, hubs[1] may be NULL), unreferenced. */
struct fab_block *fab_block_get(struct fabric *f, const char *const hubs[2]);
struct fab_block *fab_block_ref(struct fab_block *b);
void fab_block_unref(struct fabric *f, struct fab_block *b);
/* Bring b up to date (rebuilt if its inputs changed). */
void fab_block_check(struct fabric *f, struct fab_block *b);
/* Index of the first group not below p. */
size_t fab_block_lower(const struct fab_block *b, const struct prefix *p);
/* The group of exactly p, NULL if none; *at gets its index. */
const struct fab_group *fab_block_find(
    const struct fab_block *b, const struct prefix *p, size_t *at);
/*
 * Before set s changes: mark the blocks whose inputs already changed
 * (they will be rebuilt).  After: fab_blocks_apply() updates the other
 * blocks that see s, for the n prefixes that changed (all when p is NULL).
 */
void fab_blocks_prepare(struct fabric *f);
void fab_blocks_apply(struct fabric *f, const struct fab_set *s,
    const struct prefix *p, size_t n);
/* Free every block (no table may hold one). */
void fab_blocks_clear(struct fabric *f);

/* ---- compute.c ---- */

/* A new, empty table for subnet s. */
struct fab_cache *fab_cache_new(const struct topo_subnet *s);
void fab_cache_free(struct fabric *f, struct fab_cache *c);
/* The table of the topology's subnet at, recomputed if stale. */
struct fab_cache *fab_subnet_table(struct fabric *f, size_t at);
/* c's rows in az's order, in f's view (valid until the next call). */
void fab_table_view(
    struct fabric *f, const struct fab_cache *c, struct fab_table *out);
/*
 * The Active row that carries traffic to dst (longest prefix match, the
 * first of equal rows), NULL if none; *m gets its prefix.
 */
const struct fab_row *fab_table_match(
    const struct fab_cache *c, const struct ipaddr *dst, struct prefix *m);

#endif
