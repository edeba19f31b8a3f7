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

#endif
