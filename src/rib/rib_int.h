/* SPDX-License-Identifier: ISC */
/* rib/rib_int.h - internals shared by the files of rib/. */

#ifndef VRS_RIB_RIB_INT_H
#define VRS_RIB_RIB_INT_H

#include "rib/rib.h"

/*
 * Fixed-size objects carved from 2 MiB chunks marked for huge pages
 * (arena_huge_alloc): a million entries fault in about forty pages, not
 * twenty thousand.  Freed objects go to a free list through their first
 * word.
 */
struct rib_pool {
	size_t size;            /* object bytes, a multiple of 8 */
	unsigned char **chunks; /* owned array of owned chunks */
	size_t nchunks, cap;
	void *free;
	unsigned char *bump; /* next never-used object of the newest chunk */
	size_t left;         /* objects left at bump */
	size_t reserved;     /* bytes of chunks */
};

/*
 * A journal record is the entry that changed; it is the entry's latest
 * record when entry->seq equals the record's absolute index.
 */
struct journal_rec {
	struct rib_entry *e; /* borrowed: entries outlive their records */
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
	 * prefix table: open addressing, linear probing.  A slot holds the
	 * entry pointer in its low 48 bits and 16 bits of the key's hash in
	 * the high ones, so most probes never touch the entry.
	 */
	uint64_t *tab; /* owned array; entries owned (slab) */
	size_t tmask;
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
