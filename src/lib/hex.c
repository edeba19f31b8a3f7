/* SPDX-License-Identifier: ISC */
/* lib/hex.c - hexadecimal text to bytes and back. */

#include "lib/hex.h"

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
hex_decode(const char *s, uint8_t *out, size_t cap, size_t *len, size_t *bad)
{
	const char *start = s;
	size_t n = 0;
	int hi = -1, d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s != '\0'; s++) {
		if (*s == ':' || *s == ' ' || *s == '\t' || *s == '\n')
			continue;
		if ((d = hex_digit(*s)) < 0)
			goto fail;
		if (hi < 0) {
			hi = d;
			continue;
		}
		if (n >= cap)
			goto fail;
		out[n++] = (uint8_t)(hi << 4 | d);
		hi = -1;
	}
	if (hi >= 0)
		goto fail;
	*len = n;
	return true;

fail:
	if (bad != NULL)
		*bad = (size_t)(s - start);
	return false;
}

void
hex_encode(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}
