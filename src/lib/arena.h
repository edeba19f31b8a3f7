/* SPDX-License-Identifier: ISC */
/* lib/arena.h - bump allocator for objects that die together. */

#ifndef VRS_LIB_ARENA_H
#define VRS_LIB_ARENA_H

#include <stddef.h>

struct arena_chunk;

/*
 * An arena hands out memory from large chunks and frees it all at once
 * (arena_reset keeps the first chunk for reuse).  Allocations are aligned
 * to max_align_t.  Counters tell how much is in use and reserved.
 */
struct arena {
	struct arena_chunk *head; /* owned: newest chunk first */
	size_t chunk_size;        /* default chunk payload */
	size_t used;              /* bytes handed out */
	size_t reserved;          /* bytes obtained from malloc */
};

void arena_init(struct arena *a, size_t chunk_size);
void arena_fini(struct arena *a);
void arena_reset(struct arena *a);
void *arena_alloc(struct arena *a, size_t size);
void *arena_zalloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

/*
 * Large zeroed regions straight from the kernel, for tables and pools
 * of millions of objects: 2 MiB aligned and marked for transparent huge
 * pages (madvise MADV_HUGEPAGE), so that first touching them costs one
 * page fault per 2 MiB instead of one per 4 KiB.  Fatal when out of
 * memory, like xmalloc.  Free with the size given to the allocation.
 * Below ARENA_HUGE_PAGE it is plain calloc: a huge page would make a
 * small table cost 2 MiB.
 */
#define ARENA_HUGE_PAGE (2u << 20)
void *arena_huge_alloc(size_t size);
void arena_huge_free(void *p, size_t size);

#endif
