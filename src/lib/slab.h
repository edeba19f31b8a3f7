/* SPDX-License-Identifier: ISC */
/* lib/slab.h - fixed-size object allocator with a free list. */

#ifndef VRS_LIB_SLAB_H
#define VRS_LIB_SLAB_H

#include <stddef.h>

struct slab_chunk;

/*
 * Objects of one size carved from large chunks: no per-object header,
 * no malloc on the hot path.  Freed objects go to a free list and are
 * reused; chunks are returned only by slab_fini.
 */
struct slab {
	size_t size; /* object size, rounded up */
	size_t per_chunk;
	struct slab_chunk *chunks; /* owned */
	void *free;                /* free list through the objects */
	unsigned char *bump; /* next never-used object of the newest chunk */
	size_t left;         /* objects left at bump */
	size_t used;         /* objects handed out */
	size_t reserved;     /* bytes obtained from malloc */
};

void slab_init(struct slab *s, size_t size);
void slab_fini(struct slab *s);
void *slab_alloc(struct slab *s);
void *slab_zalloc(struct slab *s);
void slab_free(struct slab *s, void *p);
/*
 * Call fn for every object ever handed out, free ones included, in
 * memory order (the caller tells live objects from freed ones).
 */
void slab_walk(struct slab *s, void (*fn)(void *arg, void *obj), void *arg);

#endif
