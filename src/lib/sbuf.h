/* SPDX-License-Identifier: ISC */
/* lib/sbuf.h - growable text buffer for building output lines. */

#ifndef VRS_LIB_SBUF_H
#define VRS_LIB_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Always NUL-terminated once initialised; grows with xreallocarray. */
struct sbuf {
	char *s;    /* owned */
	size_t len; /* characters, not counting the NUL */
	size_t cap; /* bytes allocated */
};

void sbuf_init(struct sbuf *b);
void sbuf_fini(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_putn(struct sbuf *b, const char *s, size_t n);
void sbuf_putc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Append s as a JSON string, quotes included. */
void sbuf_json_str(struct sbuf *b, const char *s);
/* n bytes as 2n upper-case hex digits (as lib/hex.c's hex_encode). */
void sbuf_hex(struct sbuf *b, const uint8_t *p, size_t n);

#endif
