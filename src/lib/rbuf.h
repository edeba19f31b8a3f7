/* SPDX-License-Identifier: ISC */
/* lib/rbuf.h - bounded reader: the only code that indexes into input bytes. */

#ifndef VRS_LIB_RBUF_H
#define VRS_LIB_RBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * A borrowed window on bytes owned by someone else.  Decoders carve
 * sub-readers out of a parent with rbuf_take(), so a nested length can never
 * reach past its parent.  Every read either succeeds whole or leaves the
 * reader untouched and returns false.
 */
struct rbuf {
	const uint8_t *p; /* borrowed: next unread byte */
	size_t len;       /* bytes left */
};

static inline struct rbuf
rbuf_make(const void *p, size_t len)
{
	return (struct rbuf){ .p = p, .len = len };
}

/* Move the first n bytes of b into sub; false (b untouched) if short. */
static inline bool
rbuf_take(struct rbuf *b, size_t n, struct rbuf *sub)
{
	if (b->len < n)
		return false;
	*sub = (struct rbuf){ .p = b->p, .len = n };
	b->p += n;
	b->len -= n;
	return true;
}

static inline bool
rbuf_skip(struct rbuf *b, size_t n)
{
	if (b->len < n)
		return false;
	b->p += n;
	b->len -= n;
	return true;
}

static inline bool
rbuf_u8(struct rbuf *b, uint8_t *v)
{
	if (b->len < 1)
		return false;
	*v = b->p[0];
	b->p++;
	b->len--;
	return true;
}

static inline bool
rbuf_u16(struct rbuf *b, uint16_t *v)
{
	if (b->len < 2)
		return false;
	*v = (uint16_t)((b->p[0] << 8) | b->p[1]);
	b->p += 2;
	b->len -= 2;
	return true;
}

static inline bool
rbuf_u32(struct rbuf *b, uint32_t *v)
{
	if (b->len < 4)
		return false;
	*v = ((uint32_t)b->p[0] << 24) | ((uint32_t)b->p[1] << 16) |
	    ((uint32_t)b->p[2] << 8) | b->p[3];
	b->p += 4;
	b->len -= 4;
	return true;
}

/* Copy the next n bytes into dst; false (b untouched) if short. */
static inline bool
rbuf_copy(struct rbuf *b, void *dst, size_t n)
{
	if (b->len < n)
		return false;
	if (n > 0)
		memcpy(dst, b->p, n);
	b->p += n;
	b->len -= n;
	return true;
}

/* Big-endian loads from a window the caller has already bounds-checked. */
static inline uint16_t
rbuf_peek16(const struct rbuf *b, size_t off)
{
	return (uint16_t)((b->p[off] << 8) | b->p[off + 1]);
}

static inline uint32_t
rbuf_peek32(const struct rbuf *b, size_t off)
{
	return ((uint32_t)b->p[off] << 24) | ((uint32_t)b->p[off + 1] << 16) |
	    ((uint32_t)b->p[off + 2] << 8) | b->p[off + 3];
}

static inline bool
rbuf_equal(struct rbuf a, struct rbuf b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

#endif
