/* SPDX-License-Identifier: ISC */
/* lib/arena.c - bump allocator for objects that die together. */

#include "lib/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/log.h"
#include "lib/xmalloc.h"

struct arena_chunk {
	struct arena_chunk *next; /* owned */
	size_t size;              /* payload bytes */
	size_t off;               /* next free payload byte */
	alignas(max_align_t) unsigned char data[];
};

#define ARENA_ALIGN alignof(max_align_t)

void
arena_init(struct arena *a, size_t chunk_size)
{
	memset(a, 0, sizeof(*a));
	a->chunk_size = chunk_size < 256 ? 256 : chunk_size;
}

void
arena_fini(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->used = a->reserved = 0;
}

void
arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next, *keep = NULL;

	/*
	 * Keep the first chunk: the oldest of default size, else (only
	 * large blocks) the head.  It is not always the list's tail, since
	 * large blocks go behind the head.
	 */
	for (c = a->head; c != NULL; c = c->next)
		if (c->size == a->chunk_size)
			keep = c;
	if (keep == NULL)
		keep = a->head;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (c != keep)
			free(c);
	}
	a->head = keep;
	a->used = 0;
	a->reserved = 0;
	if (keep != NULL) {
		keep->next = NULL;
		keep->off = 0;
		a->reserved = keep->size;
	}
}

void *
arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t need, csize;
	void *p;

	if (size > SIZE_MAX / 2)
		fatalx("arena allocation of %zu bytes", size);
	need = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (need == 0)
		need = ARENA_ALIGN;
	if (c == NULL || c->size - c->off < need) {
		csize = need > a->chunk_size ? need : a->chunk_size;
		c = xmalloc(sizeof(*c) + csize);
		c->size = csize;
		c->off = 0;
		if (a->head != NULL && need > a->chunk_size) {
			/* a large block: keep the current chunk in front */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
		a->reserved += csize;
	}
	p = c->data + c->off;
	c->off += need;
	a->used += need;
	return p;
}

void *
arena_zalloc(struct arena *a, size_t size)
{
	return memset(arena_alloc(a, size), 0, size);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

static size_t
huge_round(size_t size)
{
	if (size > SIZE_MAX - 2 * (size_t)ARENA_HUGE_PAGE)
		fatalx("huge allocation of %zu bytes", size);
	return (size + ARENA_HUGE_PAGE - 1) & ~((size_t)ARENA_HUGE_PAGE - 1);
}

void *
arena_huge_alloc(size_t size)
{
	size_t len = huge_round(size), extra = ARENA_HUGE_PAGE, lead;
	uint8_t *p;

	if (size < ARENA_HUGE_PAGE)
		return xcalloc(1, size > 0 ? size : 1);
	/* map one page more than needed, then cut it to an aligned start */
	p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fatalx("out of memory (%zu bytes)", len);
	lead = (ARENA_HUGE_PAGE - ((uintptr_t)p & (ARENA_HUGE_PAGE - 1))) &
	    (ARENA_HUGE_PAGE - 1);
	if (lead > 0)
		munmap(p, lead);
	if (extra - lead > 0)
		munmap(p + lead + len, extra - lead);
	p += lead;
	/* a hint: without transparent huge pages it changes nothing */
	(void)madvise(p, len, MADV_HUGEPAGE);
	return p;
}

void
arena_huge_free(void *p, size_t size)
{
	if (p != NULL && size < ARENA_HUGE_PAGE)
		free(p);
	else if (p != NULL)
		munmap(p, huge_round(size));
}
