/* SPDX-License-Identifier: ISC */
/* lib/xmalloc.c - allocation that never returns NULL. */

#include "lib/xmalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"

void *
xmalloc(size_t size)
{
	void *p = malloc(size == 0 ? 1 : size);

	if (p == NULL)
		fatalx("out of memory allocating %zu bytes", size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL)
		fatalx("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	void *q;

	if (size != 0 && n > SIZE_MAX / size)
		fatalx("allocation overflow: %zu x %zu bytes", n, size);
	q = realloc(p, n * size == 0 ? 1 : n * size);
	if (q == NULL)
		fatalx("out of memory allocating %zu x %zu bytes", n, size);
	return q;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}
