/* SPDX-License-Identifier: ISC */
/* lib/hash.c - fast non-cryptographic hashing for intern tables. */

#include "lib/hash.h"

#include <string.h>

/*
 * A multiply-xorshift construction over 8-byte words.  The constants are
 * odd 64-bit numbers with well-spread bits (from the golden ratio and
 * from splitmix64's finalizer, both public domain facts).
 */
#define HASH_K1 0x9e3779b97f4a7c15ull
#define HASH_K2 0xbf58476d1ce4e5b9ull
#define HASH_K3 0x94d049bb133111ebull

static inline uint64_t
hash_fmix(uint64_t x)
{
	x ^= x >> 30;
	x *= HASH_K2;
	x ^= x >> 27;
	x *= HASH_K3;
	x ^= x >> 31;
	return x;
}

uint64_t
hash_mix(uint64_t h, uint64_t v)
{
	return hash_fmix(h ^ (v * HASH_K1)) + HASH_K1;
}

uint64_t
hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *b = p;
	uint64_t h = seed ^ (n * HASH_K1), w;

	while (n >= 8) {
		memcpy(&w, b, 8);
		h = (h ^ (w * HASH_K2)) * HASH_K1;
		h ^= h >> 29;
		b += 8;
		n -= 8;
	}
	w = 0;
	if (n > 0) {
		memcpy(&w, b, n);
		h = (h ^ (w * HASH_K2)) * HASH_K1;
	}
	return hash_fmix(h);
}
