/* SPDX-License-Identifier: ISC */
/* rib/rib_int.h - internals shared by the files of rib/. */

#ifndef VRS_RIB_RIB_INT_H
#define VRS_RIB_RIB_INT_H

#include "rib/rib.h"

/*
 * Fixed-size objects carved from chunks of 1 << RIB_POOL_SHIFT objects,
 * each a whole number of 2 MiB pages (8 << 18 octets is one) marked for
 * huge pages (arena_huge_alloc) and touched only as objects are handed
 * out: a million entries fault in about forty pages, not twenty
 * thousand.  An object is found from its 32-bit index (pool_at).  Freed
 * objects go to a free list through their first word.
 */
#define RIB_POOL_SHIFT 18
#define RIB_POOL_MASK  ((1u << RIB_POOL_SHIFT) - 1)

struct rib_pool {
	size_t size;            /* object bytes, a multiple of 8 */
	unsigned char **chunks; /* owned array of owned chunks */
	size_t nchunks, cap;
	void *free;
	size_t used; /* objects ever handed out: the next new index */
	/* with side words: one uint32_t per object, chunk by chunk */
	bool has_side;
	uint32_t **side; /* owned array of owned arrays, cap of them */
};

/*
 * An entry's reference: its index in its pool, times 2, plus 1 for the
 * IPv6 pool.  A journal record is the reference of the entry that
 * changed; it is the entry's latest record when the entry's side word
 * (its journal position, pool_side) equals the record's absolute index.
 */
struct journal_rec {
	uint32_t ref; /* entries outlive their records */
};

struct rib_walk_state {
	bool active;
	size_t pos; /* next table slot */
};

struct rib {
	/* interned attribute sets */
	struct attrs **itab; /* owned array of chains */
	size_t imask;
	size_t nattrs, attrs_bytes;
	/*
	 * prefix table: open addressing, linear probing, 1 << tbits slots.
	 * A slot holds the entry's reference plus 1 in its low tbits bits
	 * (0: empty) and the top 32 - tbits bits of the key's hash above,
	 * so most probes never touch the entry.  The table is at least twice
	 * the entries ever held, so references fit.
	 */
	uint32_t *tab; /* owned array; entries owned (pools) */
	size_t tmask;
	unsigned tbits;
	size_t nentries;
	size_t npaths;
	/* change journal */
	struct journal_rec *jr; /* owned */
	size_t jbase;           /* absolute index of jr[0] */
	size_t jlen, jcap;
	/* peers */
	struct rib_peer peers[RIB_PEERS_MAX];
	struct rib_walk_state walk[RIB_PEERS_MAX];
	uint64_t slots_used;
	/*
	 * Entries of IPv4 prefixes are allocated without the 12 address
	 * bytes they do not use.
	 */
	struct rib_pool ent4, ent6;
	struct rib_pool path_pool;
	unsigned peer_hi; /* ids used are below this */
};

void rib_attrs_init(struct rib *rib);
void rib_attrs_fini(struct rib *rib);

#endif
