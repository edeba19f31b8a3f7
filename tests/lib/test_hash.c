/* SPDX-License-Identifier: ISC */
/* tests/lib/test_hash.c - unit tests for src/lib/hash.c. */

/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"

#define MAXLEN 64

/* Bytes 0x01, 0x02, ... so no two positions hold the same value. */
static void
pattern(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i + 1);
}

static void
test_hash_same_input(void **state)
{
	/* An AS_PATH attribute value: the same bytes, hashed twice and
	 * from a second copy elsewhere, give the same hash. */
	static const uint8_t v[] = { 0x02, 0x02, 0x00, 0x00, 0xfd, 0xe9, 0x00,
		0x00, 0xfd, 0xea };
	uint8_t copy[sizeof(v)];

	(void)state;
	memcpy(copy, v, sizeof(v));
	assert_int_equal(
	    hash_bytes(v, sizeof(v), 0), hash_bytes(v, sizeof(v), 0));
	assert_int_equal(
	    hash_bytes(v, sizeof(v), 42), hash_bytes(copy, sizeof(v), 42));
}

static void
test_hash_alignment(void **state)
{
	/* The same 37 bytes at each of 8 misalignments hash alike. */
	uint8_t buf[MAXLEN + 8];
	uint64_t want, h;
	size_t off;

	(void)state;
	pattern(buf, 37);
	want = hash_bytes(buf, 37, 7);
	for (off = 1; off < 8; off++) {
		memset(buf, 0, sizeof(buf));
		pattern(buf + off, 37);
		h = hash_bytes(buf + off, 37, 7);
		if (h != want)
			fail_msg("offset %zu: %016llx != %016llx", off,
			    (unsigned long long)h, (unsigned long long)want);
	}
}

static void
test_hash_seed(void **state)
{
	/* Different seeds give different hashes of the same bytes, also
	 * for the empty input. */
	static const uint8_t v[] = { 10, 0, 0, 0 };
	uint64_t seen[16];
	size_t i, j;

	(void)state;
	for (i = 0; i < 16; i++) {
		seen[i] = hash_bytes(v, sizeof(v), i);
		for (j = 0; j < i; j++)
			if (seen[i] == seen[j])
				fail_msg("seeds %zu and %zu collide", i, j);
	}
	assert_int_not_equal(hash_bytes(v, 0, 1), hash_bytes(v, 0, 2));
}

static void
test_hash_length(void **state)
{
	/* Runs of zero bytes differ only in length: 0..64 zeros all hash
	 * differently, so "a" and "a\0" do not collide. */
	static const uint8_t zeros[MAXLEN];
	uint64_t seen[MAXLEN + 1];
	size_t i, j;

	(void)state;
	for (i = 0; i <= MAXLEN; i++) {
		seen[i] = hash_bytes(zeros, i, 0);
		for (j = 0; j < i; j++)
			if (seen[i] == seen[j])
				fail_msg("lengths %zu and %zu collide", i, j);
	}
	assert_int_not_equal(hash_bytes("a", 1, 0), hash_bytes("a\0", 2, 0));
}

static void
test_hash_every_byte(void **state)
{
	/* For each length, flipping one bit of any byte changes the
	 * hash: the tail bytes after the last full word count too. */
	uint8_t buf[MAXLEN];
	uint64_t base;
	size_t n, i;

	(void)state;
	for (n = 1; n <= MAXLEN; n++) {
		pattern(buf, n);
		base = hash_bytes(buf, n, 0);
		for (i = 0; i < n; i++) {
			buf[i] ^= 0x80;
			if (hash_bytes(buf, n, 0) == base)
				fail_msg("len %zu: byte %zu ignored", n, i);
			buf[i] ^= 0x80;
		}
	}
}

static void
test_hash_word_order(void **state)
{
	/* Two 8-byte words: swapping them, or repeating one, must not
	 * collide (a plain xor of the words would do both). */
	static const uint8_t ab[16] = { 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
		'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b' };
	static const uint8_t ba[16] = { 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b',
		'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a' };
	static const uint8_t aa[16] = { 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
		'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a' };
	static const uint8_t bb[16] = { 'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b',
		'b', 'b', 'b', 'b', 'b', 'b', 'b', 'b' };

	(void)state;
	assert_int_not_equal(hash_bytes(ab, 16, 0), hash_bytes(ba, 16, 0));
	assert_int_not_equal(hash_bytes(aa, 16, 0), hash_bytes(bb, 16, 0));
}

static void
test_hash_ignores_past_end(void **state)
{
	/* Whatever follows the n bytes must not change their hash. */
	uint8_t a[MAXLEN + 8], b[MAXLEN + 8];
	size_t n;

	(void)state;
	for (n = 0; n <= MAXLEN; n++) {
		memset(a, 0x00, sizeof(a));
		memset(b, 0xff, sizeof(b));
		pattern(a, n);
		pattern(b, n);
		if (hash_bytes(a, n, 3) != hash_bytes(b, n, 3))
			fail_msg("len %zu: hash reads past the end", n);
	}
}

static void
test_hash_exact_allocation(void **state)
{
	/* Each length 0..64 in a heap block of exactly that size: under
	 * ASan a read past the end is reported. */
	size_t n;

	(void)state;
	for (n = 0; n <= MAXLEN; n++) {
		uint8_t *p = malloc(n);
		uint64_t h;

		if (p == NULL && n == 0)
			continue; /* malloc(0) may return NULL */
		assert_non_null(p);
		pattern(p, n);
		h = hash_bytes(p, n, 0);
		assert_int_equal(h, hash_bytes(p, n, 0));
		free(p);
	}
}

static void
test_hash_spread(void **state)
{
	/* 4096 consecutive 4-byte keys (like IPv4 /32s) over 256 buckets
	 * by the low 8 bits: about 16 each, none empty or crowded. */
	unsigned count[256] = { 0 };
	uint8_t key[4];
	uint32_t i;

	(void)state;
	for (i = 0; i < 4096; i++) {
		key[0] = (uint8_t)(i >> 24);
		key[1] = (uint8_t)(i >> 16);
		key[2] = (uint8_t)(i >> 8);
		key[3] = (uint8_t)i;
		count[hash_bytes(key, 4, 0) & 0xff]++;
	}
	for (i = 0; i < 256; i++)
		if (count[i] < 3 || count[i] > 40)
			fail_msg("bucket %u holds %u of 4096", i, count[i]);
}

static void
test_hash_avalanche(void **state)
{
	/* Flipping any one bit of an 8-byte key flips each output bit
	 * about half the time: 64 keys x 64 flips, every output bit must
	 * change in 40-60% of the 4096 trials. */
	unsigned flips[64] = { 0 };
	uint8_t key[8];
	uint64_t h0, d;
	unsigned t, bit, o;

	(void)state;
	for (t = 0; t < 64; t++) {
		for (o = 0; o < 8; o++)
			key[o] = (uint8_t)(t * 37 + o * 11);
		h0 = hash_bytes(key, 8, 0);
		for (bit = 0; bit < 64; bit++) {
			key[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			d = h0 ^ hash_bytes(key, 8, 0);
			key[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			for (o = 0; o < 64; o++)
				flips[o] += (unsigned)(d >> o) & 1;
		}
	}
	for (o = 0; o < 64; o++)
		if (flips[o] < 4096 * 4 / 10 || flips[o] > 4096 * 6 / 10)
			fail_msg("output bit %u flipped %u of 4096 times", o,
			    flips[o]);
}

static void
test_hash_mix(void **state)
{
	uint64_t h = hash_bytes("x", 1, 0);

	(void)state;
	/* deterministic */
	assert_int_equal(hash_mix(h, 1), hash_mix(h, 1));
	/* the value and the running hash both count */
	assert_int_not_equal(hash_mix(h, 1), hash_mix(h, 2));
	assert_int_not_equal(hash_mix(h, 1), hash_mix(h + 1, 1));
	assert_int_not_equal(hash_mix(0, 0), hash_mix(0, 1));
	/* field order counts: (AS 1, AS 2) is not (AS 2, AS 1) */
	assert_int_not_equal(
	    hash_mix(hash_mix(h, 1), 2), hash_mix(hash_mix(h, 2), 1));
	/* mixing is not the identity, even for zero */
	assert_int_not_equal(hash_mix(0, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_same_input),
		cmocka_unit_test(test_hash_alignment),
		cmocka_unit_test(test_hash_seed),
		cmocka_unit_test(test_hash_length),
		cmocka_unit_test(test_hash_every_byte),
		cmocka_unit_test(test_hash_word_order),
		cmocka_unit_test(test_hash_ignores_past_end),
		cmocka_unit_test(test_hash_exact_allocation),
		cmocka_unit_test(test_hash_spread),
		cmocka_unit_test(test_hash_avalanche),
		cmocka_unit_test(test_hash_mix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
