/* SPDX-License-Identifier: ISC */
/* tests/lib/test_rbuf.c - unit tests for src/lib/rbuf.h. */

/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "lib/rbuf.h"

static void
test_rbuf_make(void **state)
{
	static const uint8_t wire[] = { 0x01, 0x02, 0x03 };
	struct rbuf b = rbuf_make(wire, sizeof(wire));

	(void)state;
	assert_ptr_equal(b.p, wire);
	assert_int_equal(b.len, 3);
}

static void
test_rbuf_u8(void **state)
{
	/* Two bytes, read one at a time, then the reader is empty. */
	static const uint8_t wire[] = { 0xab, 0x00 };
	struct rbuf b = rbuf_make(wire, sizeof(wire));
	uint8_t v = 0x55;

	(void)state;
	assert_true(rbuf_u8(&b, &v));
	assert_int_equal(v, 0xab);
	assert_true(rbuf_u8(&b, &v));
	assert_int_equal(v, 0x00);
	assert_int_equal(b.len, 0);
	assert_ptr_equal(b.p, wire + 2);
	/* Empty: fails and leaves v alone. */
	v = 0x55;
	assert_false(rbuf_u8(&b, &v));
	assert_int_equal(v, 0x55);
	assert_int_equal(b.len, 0);
}

static void
test_rbuf_u16_big_endian(void **state)
{
	/* 0xfde9 = 65001 in network order, then one spare byte. */
	static const uint8_t wire[] = { 0xfd, 0xe9, 0x7f };
	struct rbuf b = rbuf_make(wire, sizeof(wire));
	uint16_t v = 0;

	(void)state;
	assert_true(rbuf_u16(&b, &v));
	assert_int_equal(v, 65001);
	assert_int_equal(b.len, 1);
	assert_ptr_equal(b.p, wire + 2);
}

static void
test_rbuf_u16_short(void **state)
{
	/* One byte left: a u16 read fails and moves nothing. */
	static const uint8_t wire[] = { 0xfd };
	struct rbuf b = rbuf_make(wire, sizeof(wire));
	uint16_t v = 0x1234;

	(void)state;
	assert_false(rbuf_u16(&b, &v));
	assert_int_equal(v, 0x1234);
	assert_ptr_equal(b.p, wire);
	assert_int_equal(b.len, 1);
}

static void
test_rbuf_u32_big_endian(void **state)
{
	/* 0xc0000201 = 192.0.2.1 as a router ID; the high bit must not
	 * sign-extend. */
	static const uint8_t wire[] = { 0xc0, 0x00, 0x02, 0x01 };
	struct rbuf b = rbuf_make(wire, sizeof(wire));
	uint32_t v = 0;

	(void)state;
	assert_true(rbuf_u32(&b, &v));
	assert_int_equal(v, 0xc0000201u);
	assert_int_equal(b.len, 0);
}

static void
test_rbuf_u32_short(void **state)
{
	/* Three bytes of a four-byte field. */
	static const uint8_t wire[] = { 0xff, 0xff, 0xff };
	struct rbuf b = rbuf_make(wire, sizeof(wire));
	uint32_t v = 7;

	(void)state;
	assert_false(rbuf_u32(&b, &v));
	assert_int_equal(v, 7);
	assert_ptr_equal(b.p, wire);
	assert_int_equal(b.len, 3);
}

static void
test_rbuf_take(void **state)
{
	/* Length 2, then a 2-byte body, then a trailing byte. */
	static const uint8_t wire[] = { 0x02, 0xaa, 0xbb, 0xcc };
	struct rbuf b = rbuf_make(wire, sizeof(wire));
	struct rbuf sub;
	uint8_t n, v;

	(void)state;
	assert_true(rbuf_u8(&b, &n));
	assert_true(rbuf_take(&b, n, &sub));
	assert_ptr_equal(sub.p, wire + 1);
	assert_int_equal(sub.len, 2);
	assert_ptr_equal(b.p, wire + 3);
	assert_int_equal(b.len, 1);
	/* The sub-reader ends at its own length, not the parent's. */
	assert_true(rbuf_u8(&sub, &v));
	assert_int_equal(v, 0xaa);
	assert_true(rbuf_u8(&sub, &v));
	assert_int_equal(v, 0xbb);
	assert_false(rbuf_u8(&sub, &v));
	assert_true(rbuf_u8(&b, &v));
	assert_int_equal(v, 0xcc);
}

static void
test_rbuf_take_short(void **state)
{
	/* Length byte 5 but only 3 bytes follow. */
	static const uint8_t wire[] = { 0x05, 0x01, 0x02, 0x03 };
	struct rbuf b = rbuf_make(wire + 1, sizeof(wire) - 1);
	struct rbuf sub = { .p = wire, .len = 99 };

	(void)state;
	assert_false(rbuf_take(&b, wire[0], &sub));
	assert_ptr_equal(b.p, wire + 1);
	assert_int_equal(b.len, 3);
	/* sub is not written on failure */
	assert_ptr_equal(sub.p, wire);
	assert_int_equal(sub.len, 99);
}

static void
test_rbuf_take_all_and_zero(void **state)
{
	static const uint8_t wire[] = { 0x01, 0x02 };
	struct rbuf b = rbuf_make(wire, sizeof(wire));
	struct rbuf sub;

	(void)state;
	/* A zero-length take succeeds and consumes nothing. */
	assert_true(rbuf_take(&b, 0, &sub));
	assert_int_equal(sub.len, 0);
	assert_int_equal(b.len, 2);
	/* Taking exactly what is left empties the parent. */
	assert_true(rbuf_take(&b, 2, &sub));
	assert_int_equal(sub.len, 2);
	assert_int_equal(b.len, 0);
	assert_ptr_equal(b.p, wire + 2);
}

static void
test_rbuf_skip(void **state)
{
	static const uint8_t wire[] = { 0x01, 0x02, 0x03 };
	struct rbuf b = rbuf_make(wire, sizeof(wire));
	uint8_t v;

	(void)state;
	assert_true(rbuf_skip(&b, 2));
	assert_int_equal(b.len, 1);
	/* One byte left: skipping two fails and moves nothing. */
	assert_false(rbuf_skip(&b, 2));
	assert_int_equal(b.len, 1);
	assert_true(rbuf_u8(&b, &v));
	assert_int_equal(v, 0x03);
}

static void
test_rbuf_skip_huge(void **state)
{
	/* A length near SIZE_MAX must not wrap the pointer. */
	static const uint8_t wire[] = { 0x01 };
	struct rbuf b = rbuf_make(wire, sizeof(wire));

	(void)state;
	assert_false(rbuf_skip(&b, SIZE_MAX));
	assert_ptr_equal(b.p, wire);
	assert_int_equal(b.len, 1);
}

static void
test_rbuf_copy(void **state)
{
	/* An IPv4 next hop, 192.0.2.1, then one more byte. */
	static const uint8_t wire[] = { 192, 0, 2, 1, 0xee };
	struct rbuf b = rbuf_make(wire, sizeof(wire));
	uint8_t nh[4] = { 0 };

	(void)state;
	assert_true(rbuf_copy(&b, nh, sizeof(nh)));
	assert_memory_equal(nh, wire, 4);
	assert_int_equal(b.len, 1);
	assert_ptr_equal(b.p, wire + 4);
}

static void
test_rbuf_copy_short(void **state)
{
	/* Asking for 4 bytes with 3 left copies nothing at all. */
	static const uint8_t wire[] = { 0x0a, 0x0b, 0x0c };
	static const uint8_t untouched[4] = { 0x5a, 0x5a, 0x5a, 0x5a };
	struct rbuf b = rbuf_make(wire, sizeof(wire));
	uint8_t dst[4];

	(void)state;
	memcpy(dst, untouched, sizeof(dst));
	assert_false(rbuf_copy(&b, dst, sizeof(dst)));
	assert_memory_equal(dst, untouched, sizeof(dst));
	assert_ptr_equal(b.p, wire);
	assert_int_equal(b.len, 3);
}

static void
test_rbuf_copy_zero(void **state)
{
	static const uint8_t wire[] = { 0x0a };
	struct rbuf b = rbuf_make(wire, sizeof(wire));
	uint8_t dst = 0x5a;

	(void)state;
	assert_true(rbuf_copy(&b, &dst, 0));
	assert_int_equal(dst, 0x5a);
	assert_int_equal(b.len, 1);
}

static void
test_rbuf_peek(void **state)
{
	/* Marker byte, then 0x0013 (19, the BGP header length), then
	 * 0xdeadbeef.  Peeks read at an offset without consuming. */
	static const uint8_t wire[] = { 0xff, 0x00, 0x13, 0xde, 0xad, 0xbe,
		0xef };
	struct rbuf b = rbuf_make(wire, sizeof(wire));

	(void)state;
	assert_int_equal(rbuf_peek16(&b, 1), 19);
	assert_int_equal(rbuf_peek32(&b, 3), 0xdeadbeefu);
	assert_int_equal(rbuf_peek16(&b, 0), 0xff00);
	assert_int_equal(b.len, sizeof(wire));
	assert_ptr_equal(b.p, wire);
}

static void
test_rbuf_equal(void **state)
{
	static const uint8_t x[] = { 1, 2, 3 };
	static const uint8_t y[] = { 1, 2, 3 };
	static const uint8_t z[] = { 1, 2, 4 };

	(void)state;
	/* Same bytes at different addresses are equal. */
	assert_true(rbuf_equal(rbuf_make(x, 3), rbuf_make(y, 3)));
	/* Last byte differs. */
	assert_false(rbuf_equal(rbuf_make(x, 3), rbuf_make(z, 3)));
	/* A prefix of the other is not equal. */
	assert_false(rbuf_equal(rbuf_make(x, 2), rbuf_make(y, 3)));
	/* Two empty windows are equal wherever they point. */
	assert_true(rbuf_equal(rbuf_make(x, 0), rbuf_make(z, 0)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rbuf_make),
		cmocka_unit_test(test_rbuf_u8),
		cmocka_unit_test(test_rbuf_u16_big_endian),
		cmocka_unit_test(test_rbuf_u16_short),
		cmocka_unit_test(test_rbuf_u32_big_endian),
		cmocka_unit_test(test_rbuf_u32_short),
		cmocka_unit_test(test_rbuf_take),
		cmocka_unit_test(test_rbuf_take_short),
		cmocka_unit_test(test_rbuf_take_all_and_zero),
		cmocka_unit_test(test_rbuf_skip),
		cmocka_unit_test(test_rbuf_skip_huge),
		cmocka_unit_test(test_rbuf_copy),
		cmocka_unit_test(test_rbuf_copy_short),
		cmocka_unit_test(test_rbuf_copy_zero),
		cmocka_unit_test(test_rbuf_peek),
		cmocka_unit_test(test_rbuf_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
