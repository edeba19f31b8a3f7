/* SPDX-License-Identifier: ISC */
/* lib/hex.h - hexadecimal text to bytes and back. */

#ifndef VRS_LIB_HEX_H
#define VRS_LIB_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode hex digits from s into out (at most cap bytes).  Colons, spaces
 * and a leading "0x" are ignored.  Returns false on a bad digit, an odd
 * count or overflow; *bad (if not NULL) gets the offset of the problem.
 */
bool hex_decode(
    const char *s, uint8_t *out, size_t cap, size_t *len, size_t *bad);
/* Write 2n upper-case digits and a NUL to out (size >= 2n + 1). */
void hex_encode(const uint8_t *p, size_t n, char *out);

#endif
