/* SPDX-License-Identifier: ISC */
/* tests/lib/test_hex.c - unit tests for src/lib/hex.c. */

/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "lib/hex.h"

/* Output is pre-filled with this so untouched bytes are visible. */
#define FILL 0xa5

/* The start of a BGP KEEPALIVE: two marker bytes, length 0x0013. */
static const uint8_t keepalive[] = { 0xff, 0xff, 0x00, 0x13 };

/* Decode s, which must succeed and give exactly keepalive[]. */
static void
expect_keepalive(const char *s)
{
	uint8_t out[8];
	size_t len = 99, bad = 99;

	memset(out, FILL, sizeof(out));
	if (!hex_decode(s, out, sizeof(out), &len, &bad))
		fail_msg("hex_decode(\"%s\") failed at offset %zu", s, bad);
	assert_int_equal(len, sizeof(keepalive));
	assert_memory_equal(out, keepalive, sizeof(keepalive));
	assert_int_equal(out[sizeof(keepalive)], FILL);
}

/* Decode s, which must fail with the problem at offset want. */
static void
expect_bad(const char *s, size_t cap, size_t want)
{
	uint8_t out[8];
	size_t len = 99, bad = 99;

	assert_true(cap <= sizeof(out));
	if (hex_decode(s, out, cap, &len, &bad))
		fail_msg("hex_decode(\"%s\") succeeded", s);
	if (bad != want)
		fail_msg(
		    "hex_decode(\"%s\"): offset %zu, want %zu", s, bad, want);
	/* len is only written on success */
	assert_int_equal(len, 99);
}

static void
test_hex_decode_plain(void **state)
{
	(void)state;
	expect_keepalive("ffff0013");
	/* upper, lower and mixed case digits */
	expect_keepalive("FFFF0013");
	expect_keepalive("fFfF0013");
}

static void
test_hex_decode_separators(void **state)
{
	(void)state;
	/* Wireshark style colons */
	expect_keepalive("ff:ff:00:13");
	/* spaces, tabs and newlines, as in a pasted hex dump */
	expect_keepalive("ff ff 00 13");
	expect_keepalive("  ffff\t0013\n");
	expect_keepalive(":ff::ff:00:13:");
}

static void
test_hex_decode_0x(void **state)
{
	(void)state;
	expect_keepalive("0xffff0013");
	expect_keepalive("0XFFFF0013");
	expect_keepalive("0xff:ff:00:13");
}

static void
test_hex_decode_0x_only_leading(void **state)
{
	(void)state;
	/* "0x" is skipped once, at the start: a second one is the bad
	 * digit 'x' at offset 3. */
	expect_bad("0x0x00", 8, 3);
	/* nor after a separator: 'x' at offset 4 */
	expect_bad("00 0x01", 8, 4);
	/* and " 0x" is not leading either */
	expect_bad(" 0x01", 8, 2);
}

static void
test_hex_decode_empty(void **state)
{
	uint8_t out[1] = { FILL };
	size_t len = 99;

	(void)state;
	assert_true(hex_decode("", out, sizeof(out), &len, NULL));
	assert_int_equal(len, 0);
	len = 99;
	assert_true(hex_decode("0x", out, sizeof(out), &len, NULL));
	assert_int_equal(len, 0);
	len = 99;
	assert_true(hex_decode(" : ", out, 0, &len, NULL));
	assert_int_equal(len, 0);
	assert_int_equal(out[0], FILL);
}

static void
test_hex_decode_odd(void **state)
{
	(void)state;
	/* Three digits: the dangling one is found at the end, offset 3. */
	expect_bad("fff", 8, 3);
	/* A lone "0" is a digit, not half of "0x". */
	expect_bad("0", 8, 1);
	/* separators between the nibbles of a pair do not fix the count */
	expect_bad("ff:f", 8, 4);
	expect_bad("0xabc", 8, 5);
}

static void
test_hex_decode_bad_digit(void **state)
{
	(void)state;
	/* 'g' at offset 3 */
	expect_bad("ff:g0", 8, 3);
	/* offsets count the "0x" too: 'z' at offset 4 */
	expect_bad("0x12zz", 8, 4);
	/* first character */
	expect_bad("x0", 8, 0);
	/* a dash is not a separator */
	expect_bad("ff-ff", 8, 2);
	/* a non-ASCII byte */
	expect_bad("ff\xc3\xa9", 8, 2);
}

static void
test_hex_decode_bad_offset_optional(void **state)
{
	/* bad may be NULL. */
	uint8_t out[4];
	size_t len;

	(void)state;
	assert_false(hex_decode("zz", out, sizeof(out), &len, NULL));
	assert_false(hex_decode("abc", out, sizeof(out), &len, NULL));
}

static void
test_hex_decode_capacity(void **state)
{
	uint8_t out[4];
	size_t len = 0;

	(void)state;
	/* Exactly cap bytes fit. */
	assert_true(hex_decode("010203", out, 3, &len, NULL));
	assert_int_equal(len, 3);
	/* One more does not: the failure is at the digit that would
	 * complete the fourth byte ("04" at offsets 6-7). */
	memset(out, FILL, sizeof(out));
	expect_bad("01020304", 3, 7);
	/* and nothing is written past cap */
	assert_false(hex_decode("01020304", out, 3, &len, NULL));
	assert_int_equal(out[3], FILL);
	/* cap 0 refuses the first byte */
	expect_bad("00", 0, 1);
}

static void
test_hex_encode(void **state)
{
	char out[2 * sizeof(keepalive) + 2];

	(void)state;
	memset(out, 'Z', sizeof(out));
	hex_encode(keepalive, sizeof(keepalive), out);
	/* upper case, NUL-terminated, nothing written past the NUL */
	assert_string_equal(out, "FFFF0013");
	assert_int_equal(out[9], 'Z');
	hex_encode(keepalive, 0, out);
	assert_string_equal(out, "");
}

static void
test_hex_roundtrip(void **state)
{
	/* Every byte value survives encode then decode. */
	uint8_t in[256], back[256];
	char text[2 * 256 + 1];
	size_t i, len = 0;

	(void)state;
	for (i = 0; i < 256; i++)
		in[i] = (uint8_t)i;
	hex_encode(in, sizeof(in), text);
	assert_int_equal(strlen(text), 512);
	assert_true(hex_decode(text, back, sizeof(back), &len, NULL));
	assert_int_equal(len, 256);
	assert_memory_equal(in, back, 256);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_decode_plain),
		cmocka_unit_test(test_hex_decode_separators),
		cmocka_unit_test(test_hex_decode_0x),
		cmocka_unit_test(test_hex_decode_0x_only_leading),
		cmocka_unit_test(test_hex_decode_empty),
		cmocka_unit_test(test_hex_decode_odd),
		cmocka_unit_test(test_hex_decode_bad_digit),
		cmocka_unit_test(test_hex_decode_bad_offset_optional),
		cmocka_unit_test(test_hex_decode_capacity),
		cmocka_unit_test(test_hex_encode),
		cmocka_unit_test(test_hex_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
