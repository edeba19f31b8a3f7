/* SPDX-License-Identifier: ISC */
/* tests/lib/test_wbuf.c - unit tests for src/lib/wbuf.h. */

/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "lib/wbuf.h"

/* Storage is pre-filled with this so untouched bytes are visible. */
#define FILL 0xa5

static void
test_wbuf_init(void **state)
{
	uint8_t buf[8];
	struct wbuf w;

	(void)state;
	wbuf_init(&w, buf, sizeof(buf));
	assert_ptr_equal(w.p, buf);
	assert_int_equal(w.len, 0);
	assert_int_equal(w.cap, 8);
	assert_true(wbuf_ok(&w));
	assert_int_equal(wbuf_room(&w), 8);
}

static void
test_wbuf_put_big_endian(void **state)
{
	/* u8 0x01, u16 65001 (0xfde9), u32 192.0.2.1 (0xc0000201). */
	static const uint8_t want[] = { 0x01, 0xfd, 0xe9, 0xc0, 0x00, 0x02,
		0x01 };
	uint8_t buf[7];
	struct wbuf w;

	(void)state;
	wbuf_init(&w, buf, sizeof(buf));
	assert_true(wbuf_put_u8(&w, 0x01));
	assert_true(wbuf_put_u16(&w, 65001));
	assert_true(wbuf_put_u32(&w, 0xc0000201u));
	assert_true(wbuf_ok(&w));
	assert_int_equal(w.len, sizeof(want));
	assert_int_equal(wbuf_room(&w), 0);
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_wbuf_put_bytes(void **state)
{
	static const uint8_t marker[4] = { 0xff, 0xff, 0xff, 0xff };
	uint8_t buf[6];
	struct wbuf w;

	(void)state;
	memset(buf, FILL, sizeof(buf));
	wbuf_init(&w, buf, sizeof(buf));
	assert_true(wbuf_put(&w, marker, sizeof(marker)));
	/* A zero-length put succeeds and writes nothing. */
	assert_true(wbuf_put(&w, marker, 0));
	assert_int_equal(w.len, 4);
	assert_memory_equal(buf, marker, 4);
	assert_int_equal(buf[4], FILL);
	assert_int_equal(buf[5], FILL);
}

static void
test_wbuf_exact_fit(void **state)
{
	/* A u32 into exactly 4 bytes fits; not one byte more. */
	uint8_t buf[4];
	struct wbuf w;

	(void)state;
	wbuf_init(&w, buf, sizeof(buf));
	assert_true(wbuf_put_u32(&w, 0x01020304u));
	assert_true(wbuf_ok(&w));
	assert_false(wbuf_put_u8(&w, 0x05));
	assert_false(wbuf_ok(&w));
	assert_int_equal(w.len, 4);
}

static void
test_wbuf_overflow_writes_nothing(void **state)
{
	/* 3 bytes of room: a u32 does not fit, so not even its first
	 * 3 bytes are written. */
	uint8_t buf[3];
	struct wbuf w;

	(void)state;
	memset(buf, FILL, sizeof(buf));
	wbuf_init(&w, buf, sizeof(buf));
	assert_false(wbuf_put_u32(&w, 0x01020304u));
	assert_false(wbuf_ok(&w));
	assert_int_equal(w.len, 0);
	assert_int_equal(buf[0], FILL);
	assert_int_equal(buf[1], FILL);
	assert_int_equal(buf[2], FILL);
}

static void
test_wbuf_overflow_sticky(void **state)
{
	/* After a u16 fails with 1 byte of room, a u8 that would fit is
	 * refused as well: an encoder checks wbuf_ok() once at the end. */
	uint8_t buf[3];
	struct wbuf w;

	(void)state;
	memset(buf, FILL, sizeof(buf));
	wbuf_init(&w, buf, sizeof(buf));
	assert_true(wbuf_put_u16(&w, 0x0102));
	assert_false(wbuf_put_u16(&w, 0x0304));
	assert_false(wbuf_put_u8(&w, 0x05));
	assert_false(wbuf_put(&w, "x", 1));
	assert_false(wbuf_put(&w, "", 0));
	assert_false(wbuf_put_u32(&w, 0));
	assert_false(wbuf_ok(&w));
	assert_int_equal(w.len, 2);
	assert_int_equal(buf[2], FILL);
}

static void
test_wbuf_put_huge(void **state)
{
	/* A length near SIZE_MAX must not wrap the room check.  (volatile:
	 * a constant would draw a memcpy bound warning from GCC.) */
	volatile size_t huge = SIZE_MAX;
	uint8_t buf[4];
	struct wbuf w;

	(void)state;
	wbuf_init(&w, buf, sizeof(buf));
	assert_true(wbuf_put_u8(&w, 1));
	assert_false(wbuf_put(&w, buf, huge));
	assert_false(wbuf_ok(&w));
	assert_int_equal(w.len, 1);
	wbuf_init(&w, buf, sizeof(buf));
	assert_int_equal(wbuf_reserve(&w, huge), (size_t)-1);
	assert_false(wbuf_ok(&w));
	assert_int_equal(w.len, 0);
}

static void
test_wbuf_reserve_patch(void **state)
{
	/* A path attribute with extended length: flags 0x90, type 2,
	 * a 2-byte length reserved then patched to 6 once the value
	 * (AS_SEQUENCE of one 4-byte AS 65001) is written. */
	static const uint8_t want[] = { 0x90, 0x02, 0x00, 0x06, 0x02, 0x01,
		0x00, 0x00, 0xfd, 0xe9 };
	uint8_t buf[16];
	struct wbuf w;
	size_t off, start;

	(void)state;
	memset(buf, FILL, sizeof(buf));
	wbuf_init(&w, buf, sizeof(buf));
	wbuf_put_u8(&w, 0x90);
	wbuf_put_u8(&w, 0x02);
	off = wbuf_reserve(&w, 2);
	assert_int_equal(off, 2);
	/* reserved bytes are zeroed, not left as FILL */
	assert_int_equal(buf[2], 0);
	assert_int_equal(buf[3], 0);
	start = w.len;
	wbuf_put_u8(&w, 2);
	wbuf_put_u8(&w, 1);
	wbuf_put_u32(&w, 65001);
	wbuf_patch_u16(&w, off, (uint16_t)(w.len - start));
	assert_true(wbuf_ok(&w));
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_wbuf_reserve_patch_u8(void **state)
{
	/* An NLRI-style length byte patched to the 3 bytes after it. */
	static const uint8_t want[] = { 0x03, 0x0a, 0x0b, 0x0c };
	uint8_t buf[4];
	struct wbuf w;
	size_t off;

	(void)state;
	wbuf_init(&w, buf, sizeof(buf));
	off = wbuf_reserve(&w, 1);
	assert_int_equal(off, 0);
	wbuf_put(&w, want + 1, 3);
	wbuf_patch_u8(&w, off, 3);
	assert_true(wbuf_ok(&w));
	assert_memory_equal(buf, want, sizeof(want));
}

static void
test_wbuf_reserve_overflow(void **state)
{
	/* 1 byte of room, 2 reserved: fails with (size_t)-1, writes
	 * nothing, and the overflow is sticky. */
	uint8_t buf[2];
	struct wbuf w;

	(void)state;
	memset(buf, FILL, sizeof(buf));
	wbuf_init(&w, buf, sizeof(buf));
	assert_true(wbuf_put_u8(&w, 0x01));
	assert_int_equal(wbuf_reserve(&w, 2), (size_t)-1);
	assert_false(wbuf_ok(&w));
	assert_int_equal(w.len, 1);
	assert_int_equal(buf[1], FILL);
	/* and a later reserve that would fit fails too */
	assert_int_equal(wbuf_reserve(&w, 1), (size_t)-1);
	assert_int_equal(buf[1], FILL);
}

static void
test_wbuf_patch_after_overflow(void **state)
{
	/* A patch after an overflow is a no-op, so a failed encoder does
	 * not scribble on the bytes it did write. */
	uint8_t buf[3];
	struct wbuf w;
	size_t off;

	(void)state;
	wbuf_init(&w, buf, sizeof(buf));
	off = wbuf_reserve(&w, 2);
	assert_int_equal(off, 0);
	assert_false(wbuf_put_u16(&w, 0xffff));
	wbuf_patch_u16(&w, off, 0x1234);
	wbuf_patch_u8(&w, off, 0x56);
	assert_int_equal(buf[0], 0);
	assert_int_equal(buf[1], 0);
	/* the failed reserve's (size_t)-1 is harmless to patch as well */
	wbuf_patch_u16(&w, wbuf_reserve(&w, 1), 0x1234);
	wbuf_patch_u8(&w, wbuf_reserve(&w, 1), 0x56);
	assert_int_equal(buf[0], 0);
	assert_int_equal(buf[1], 0);
}

static void
test_wbuf_patch_past_len(void **state)
{
	/* Patching bytes not yet written is refused: a u16 at offset 1
	 * when only 2 bytes are written would touch byte 2. */
	uint8_t buf[4];
	struct wbuf w;

	(void)state;
	memset(buf, FILL, sizeof(buf));
	wbuf_init(&w, buf, sizeof(buf));
	wbuf_put_u16(&w, 0x0102);
	wbuf_patch_u16(&w, 1, 0xeeee);
	wbuf_patch_u8(&w, 2, 0xee);
	assert_int_equal(buf[0], 0x01);
	assert_int_equal(buf[1], 0x02);
	assert_int_equal(buf[2], FILL);
	/* but the last written byte can be patched */
	wbuf_patch_u8(&w, 1, 0xee);
	assert_int_equal(buf[1], 0xee);
	assert_true(wbuf_ok(&w));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wbuf_init),
		cmocka_unit_test(test_wbuf_put_big_endian),
		cmocka_unit_test(test_wbuf_put_bytes),
		cmocka_unit_test(test_wbuf_exact_fit),
		cmocka_unit_test(test_wbuf_overflow_writes_nothing),
		cmocka_unit_test(test_wbuf_overflow_sticky),
		cmocka_unit_test(test_wbuf_put_huge),
		cmocka_unit_test(test_wbuf_reserve_patch),
		cmocka_unit_test(test_wbuf_reserve_patch_u8),
		cmocka_unit_test(test_wbuf_reserve_overflow),
		cmocka_unit_test(test_wbuf_patch_after_overflow),
		cmocka_unit_test(test_wbuf_patch_past_len),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
