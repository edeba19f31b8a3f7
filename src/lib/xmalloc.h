/* SPDX-License-Identifier: ISC */
/* lib/xmalloc.h - allocation that never returns NULL, with byte counters. */

#ifndef VRS_LIB_XMALLOC_H
#define VRS_LIB_XMALLOC_H

#include <stddef.h>

/* Out of memory is fatal: these call fatalx() with the size asked for. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);

#endif
