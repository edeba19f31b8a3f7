/* SPDX-License-Identifier: ISC */
/* lib/slab.c - fixed-size object allocator with a free list. */

#include "lib/slab.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"

#define SLAB_CHUNK_BYTES (256u * 1024)

struct slab_chunk {
	struct slab_chunk *next;
	alignas(max_align_t) unsigned char data[];
};

void
slab_init(struct slab *s, size_t size)
{
	memset(s, 0, sizeof(*s));
	if (size < sizeof(void *))
		size = sizeof(void *);
	s->size = (size + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
	s->per_chunk = SLAB_CHUNK_BYTES / s->size;
}

void
slab_fini(struct slab *s)
{
	struct slab_chunk *c, *next;

	for (c = s->chunks; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	s->chunks = NULL;
	s->free = NULL;
	s->bump = NULL;
	s->left = 0;
	s->used = s->reserved = 0;
}

void *
slab_alloc(struct slab *s)
{
	struct slab_chunk *c;
	unsigned char *p;

	if (s->free != NULL) {
		p = s->free;
		memcpy(&s->free, p, sizeof(void *));
		s->used++;
		return p;
	}
	/* never-used objects are handed out in order: memory is touched once */
	if (s->left == 0) {
		c = xmalloc(sizeof(*c) + s->per_chunk * s->size);
		c->next = s->chunks;
		s->chunks = c;
		s->reserved += sizeof(*c) + s->per_chunk * s->size;
		s->bump = c->data;
		s->left = s->per_chunk;
	}
	p = s->bump;
	s->bump += s->size;
	s->left--;
	s->used++;
	return p;
}

void *
slab_zalloc(struct slab *s)
{
	return memset(slab_alloc(s), 0, s->size);
}

void
slab_free(struct slab *s, void *p)
{
	if (p == NULL)
		return;
	memcpy(p, &s->free, sizeof(void *));
	s->free = p;
	s->used--;
}

void
slab_walk(struct slab *s, void (*fn)(void *arg, void *obj), void *arg)
{
	struct slab_chunk *c;
	size_t i, n;

	for (c = s->chunks; c != NULL; c = c->next) {
		/* the newest chunk is first; its objects past bump are unused */
		n = c == s->chunks ? s->per_chunk - s->left : s->per_chunk;
		for (i = 0; i < n; i++)
			fn(arg, c->data + i * s->size);
	}
}
