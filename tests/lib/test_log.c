/* SPDX-License-Identifier: ISC */
/* tests/lib/test_log.c - unit tests for log_escape (src/lib/log.c). */

/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "lib/log.h"

static void
expect_escape(
    const char *in, size_t n, size_t max, size_t outlen, const char *want)
{
	char out[512];

	assert_true(outlen <= sizeof(out));
	memset(out, 'Z', sizeof(out));
	assert_ptr_equal(
	    log_escape((const uint8_t *)in, n, max, out, outlen), out);
	assert_string_equal(out, want);
	assert_true(strlen(out) < outlen);
}

/* a literal and its length, NULs included */
#define L(s) s, sizeof(s) - 1

static void
test_plain(void **state)
{
	(void)state;
	expect_escape(
	    L("maintenance at 02:00"), 255, 512, "maintenance at 02:00");
	expect_escape(L(""), 255, 512, "");
}

/* a line break or a terminal escape cannot start a forged log line */
static void
test_control(void **state)
{
	(void)state;
	expect_escape(L("a\nvrsd: peer x: Established\r\x1b[2J"), 255, 512,
	    "a\\x0avrsd: peer x: Established\\x0d\\x1b[2J");
	expect_escape(L("q\"b\\s\x7f"), 255, 512, "q\\\"b\\\\s\\x7f");
	/* a NUL does not end the text early */
	expect_escape(L("a\0b"), 255, 512, "a\\x00b");
}

static void
test_utf8(void **state)
{
	(void)state;
	/* well-formed: kept (RFC 9003 messages are UTF-8) */
	expect_escape(L("Wartung \xc3\xa4 \xe2\x82\xac \xf0\x9f\x98\x80"), 255,
	    512, "Wartung \xc3\xa4 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* overlong, surrogate, truncated, lone continuation, > U+10FFFF */
	expect_escape(L("\xc0\xaf"), 255, 512, "\\xc0\\xaf");
	expect_escape(L("\xed\xa0\x80"), 255, 512, "\\xed\\xa0\\x80");
	expect_escape(L("x\xe2\x82"), 255, 512, "x\\xe2\\x82");
	expect_escape(L("\x80"), 255, 512, "\\x80");
	expect_escape(L("\xf4\x90\x80\x80"), 255, 512, "\\xf4\\x90\\x80\\x80");
	/* a sequence cut by max is not kept half */
	expect_escape(L("ab\xc3\xa4"), 3, 512, "ab\\xc3...");
}

static void
test_bounds(void **state)
{
	char big[300];

	(void)state;
	memset(big, 'x', sizeof(big));
	/* max input bytes, then "..." */
	expect_escape(big, 300, 5, 512, "xxxxx...");
	expect_escape(big, 5, 5, 512, "xxxxx");
	/* the output size: never past it, "..." when cut */
	expect_escape(big, 300, 255, 10, "xxxxxx...");
	expect_escape(L("\n\n\n\n"), 255, 12, "\\x0a\\x0a...");
	expect_escape(L("abc"), 255, 1, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
