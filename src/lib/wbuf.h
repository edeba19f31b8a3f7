/* SPDX-License-Identifier: ISC */
/* lib/wbuf.h - bounded writer into caller-owned storage. */

#ifndef VRS_LIB_WBUF_H
#define VRS_LIB_WBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Writes never pass cap.  A write that does not fit sets the sticky
 * overflow flag, writes nothing and returns false, so an encoder may put
 * many fields and check wbuf_ok() once at the end.
 */
struct wbuf {
	uint8_t *p;    /* borrowed: start of the storage */
	size_t len;    /* bytes written */
	size_t cap;    /* bytes available */
	bool overflow; /* a write did not fit */
};

static inline void
wbuf_init(struct wbuf *w, void *p, size_t cap)
{
	*w = (struct wbuf){ .p = p, .cap = cap };
}

static inline bool
wbuf_ok(const struct wbuf *w)
{
	return !w->overflow;
}

static inline size_t
wbuf_room(const struct wbuf *w)
{
	return w->cap - w->len;
}

static inline bool
wbuf_fits(struct wbuf *w, size_t n)
{
	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return false;
	}
	return true;
}

static inline bool
wbuf_put_u8(struct wbuf *w, uint8_t v)
{
	if (!wbuf_fits(w, 1))
		return false;
	w->p[w->len++] = v;
	return true;
}

static inline bool
wbuf_put_u16(struct wbuf *w, uint16_t v)
{
	if (!wbuf_fits(w, 2))
		return false;
	w->p[w->len++] = (uint8_t)(v >> 8);
	w->p[w->len++] = (uint8_t)v;
	return true;
}

static inline bool
wbuf_put_u32(struct wbuf *w, uint32_t v)
{
	if (!wbuf_fits(w, 4))
		return false;
	w->p[w->len++] = (uint8_t)(v >> 24);
	w->p[w->len++] = (uint8_t)(v >> 16);
	w->p[w->len++] = (uint8_t)(v >> 8);
	w->p[w->len++] = (uint8_t)v;
	return true;
}

static inline bool
wbuf_put(struct wbuf *w, const void *src, size_t n)
{
	if (!wbuf_fits(w, n))
		return false;
	if (n > 0)
		memcpy(w->p + w->len, src, n);
	w->len += n;
	return true;
}

/*
 * Reserve n bytes to be filled later (a length field written before its
 * contents are known); returns the offset, or (size_t)-1 on overflow.
 */
static inline size_t
wbuf_reserve(struct wbuf *w, size_t n)
{
	size_t off = w->len;

	if (!wbuf_fits(w, n))
		return (size_t)-1;
	memset(w->p + off, 0, n);
	w->len += n;
	return off;
}

/* Fill a u8/u16 reserved at off; no-op after an overflow. */
static inline void
wbuf_patch_u8(struct wbuf *w, size_t off, uint8_t v)
{
	if (!w->overflow && off + 1 <= w->len)
		w->p[off] = v;
}

static inline void
wbuf_patch_u16(struct wbuf *w, size_t off, uint16_t v)
{
	if (!w->overflow && off + 2 <= w->len) {
		w->p[off] = (uint8_t)(v >> 8);
		w->p[off + 1] = (uint8_t)v;
	}
}

#endif
