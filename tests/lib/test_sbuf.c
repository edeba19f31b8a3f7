/* SPDX-License-Identifier: ISC */
/* tests/lib/test_sbuf.c - unit tests for src/lib/sbuf.c. */

/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <string.h>

#include "lib/sbuf.h"

/* The buffer's invariants: NUL at len, and room for it. */
static void
check(const struct sbuf *b)
{
	assert_non_null(b->s);
	assert_true(b->len < b->cap);
	assert_int_equal(b->s[b->len], '\0');
	assert_int_equal(strlen(b->s), b->len);
}

static void
test_sbuf_init(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	check(&b);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 64);
	sbuf_fini(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

static void
test_sbuf_puts(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_puts(&b, "neighbor ");
	sbuf_putn(&b, "192.0.2.1 junk", 9);
	sbuf_putc(&b, ' ');
	sbuf_puts(&b, "");
	sbuf_puts(&b, "up");
	check(&b);
	assert_string_equal(b.s, "neighbor 192.0.2.1 up");
	assert_int_equal(b.len, 21);
	sbuf_fini(&b);
}

static void
test_sbuf_grow_boundary(void **state)
{
	/* 63 characters and the NUL fill the first 64 bytes exactly; the
	 * 64th character makes it grow. */
	char chunk[64];
	struct sbuf b;

	(void)state;
	memset(chunk, 'a', 63);
	chunk[63] = '\0';
	sbuf_init(&b);
	sbuf_puts(&b, chunk);
	check(&b);
	assert_int_equal(b.len, 63);
	assert_int_equal(b.cap, 64);
	sbuf_putc(&b, 'b');
	check(&b);
	assert_int_equal(b.len, 64);
	assert_true(b.cap > 64);
	assert_memory_equal(b.s, chunk, 63);
	assert_int_equal(b.s[63], 'b');
	sbuf_fini(&b);
}

static void
test_sbuf_grow_large(void **state)
{
	/* 1000 characters, a few at a time and in one go: the content
	 * survives every reallocation. */
	static char big[1001];
	struct sbuf b;
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++)
		big[i] = (char)('A' + i % 26);
	big[1000] = '\0';
	sbuf_init(&b);
	for (i = 0; i < 1000; i += 7)
		sbuf_putn(&b, big + i, i + 7 <= 1000 ? 7 : 1000 - i);
	check(&b);
	assert_string_equal(b.s, big);
	sbuf_puts(&b, big);
	check(&b);
	assert_int_equal(b.len, 2000);
	assert_memory_equal(b.s + 1000, big, 1000);
	sbuf_fini(&b);
}

static void
test_sbuf_reset(void **state)
{
	/* Reset empties the text but keeps the allocation. */
	struct sbuf b;
	char *s;
	size_t cap;
	int i;

	(void)state;
	sbuf_init(&b);
	for (i = 0; i < 20; i++)
		sbuf_puts(&b, "0123456789");
	cap = b.cap;
	s = b.s;
	sbuf_reset(&b);
	check(&b);
	assert_string_equal(b.s, "");
	assert_int_equal(b.cap, cap);
	assert_ptr_equal(b.s, s);
	sbuf_puts(&b, "again");
	assert_string_equal(b.s, "again");
	sbuf_fini(&b);
}

static void
test_sbuf_printf(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_puts(&b, "as ");
	sbuf_printf(&b, "%u, hold %d", 65001u, 90);
	sbuf_printf(&b, "%s", "");
	check(&b);
	assert_string_equal(b.s, "as 65001, hold 90");
	assert_int_equal(b.len, 17);
	sbuf_fini(&b);
}

static void
test_sbuf_printf_grow(void **state)
{
	/* Output longer than the room left is formatted again after
	 * growing, so it is neither truncated nor misplaced. */
	char want[201];
	struct sbuf b;

	(void)state;
	memset(want, 'x', 200);
	want[200] = '\0';
	sbuf_init(&b);
	sbuf_puts(&b, "head:");
	sbuf_printf(&b, "%s|%d", want, -1);
	check(&b);
	assert_int_equal(b.len, 5 + 200 + 3);
	assert_memory_equal(b.s, "head:", 5);
	assert_memory_equal(b.s + 5, want, 200);
	assert_string_equal(b.s + 205, "|-1");
	sbuf_fini(&b);
}

static void
test_sbuf_printf_exact_room(void **state)
{
	/* 60 characters in 64 bytes leave room for 3 more and the NUL:
	 * "abc" fits as it is, "abcd" (as long as the room) must grow. */
	char fill[61];
	struct sbuf b, c;

	(void)state;
	memset(fill, '.', 60);
	fill[60] = '\0';
	sbuf_init(&b);
	sbuf_puts(&b, fill);
	sbuf_printf(&b, "%s", "abc");
	check(&b);
	assert_int_equal(b.len, 63);
	assert_int_equal(b.cap, 64);
	assert_string_equal(b.s + 60, "abc");
	sbuf_init(&c);
	sbuf_puts(&c, fill);
	sbuf_printf(&c, "%s", "abcd");
	check(&c);
	assert_int_equal(c.len, 64);
	assert_string_equal(c.s + 60, "abcd");
	/* and again from a full buffer */
	sbuf_printf(&b, "%s", "defg");
	check(&b);
	assert_string_equal(b.s + 60, "abcdefg");
	sbuf_fini(&b);
	sbuf_fini(&c);
}

/* A caller of sbuf_vprintf, as log code would be. */
static void __attribute__((format(printf, 2, 3)))
vcall(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

static void
test_sbuf_vprintf(void **state)
{
	/* Through a va_list, also on the grow path where it is used
	 * twice. */
	char long_arg[101];
	struct sbuf b;

	(void)state;
	memset(long_arg, 'y', 100);
	long_arg[100] = '\0';
	sbuf_init(&b);
	vcall(&b, "%d-%s", 7, "z");
	vcall(&b, "[%s]", long_arg);
	check(&b);
	assert_int_equal(b.len, 3 + 102);
	assert_memory_equal(b.s, "7-z[", 4);
	assert_int_equal(b.s[104], ']');
	sbuf_fini(&b);
}

static void
test_sbuf_json_plain(void **state)
{
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_json_str(&b, "peer1");
	sbuf_putc(&b, ',');
	sbuf_json_str(&b, "");
	check(&b);
	assert_string_equal(b.s, "\"peer1\",\"\"");
	sbuf_fini(&b);
}

static void
test_sbuf_json_quote_backslash(void **state)
{
	/* say "hi" \ bye  ->  "say \"hi\" \\ bye" */
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_json_str(&b, "say \"hi\" \\ bye");
	check(&b);
	assert_string_equal(b.s, "\"say \\\"hi\\\" \\\\ bye\"");
	sbuf_fini(&b);
}

static void
test_sbuf_json_control(void **state)
{
	/* Newline, tab, 0x01 and 0x1f become \u escapes; space (0x20)
	 * and DEL (0x7f) are printable in JSON and stay as they are. */
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_json_str(&b, "a\nb\t\x01\x1f \x7f");
	check(&b);
	assert_string_equal(b.s, "\"a\\u000ab\\u0009\\u0001\\u001f \x7f\"");
	sbuf_fini(&b);
}

static void
test_sbuf_json_every_control(void **state)
{
	/* All 31 control characters 0x01-0x1f: 6 bytes each, 2 quotes. */
	char in[32];
	char esc[7];
	struct sbuf b;
	int c;

	(void)state;
	for (c = 1; c < 32; c++)
		in[c - 1] = (char)c;
	in[31] = '\0';
	sbuf_init(&b);
	sbuf_json_str(&b, in);
	check(&b);
	assert_int_equal(b.len, 2 + 31 * 6);
	for (c = 1; c < 32; c++) {
		snprintf(esc, sizeof(esc), "\\u%04x", c);
		assert_memory_equal(b.s + 1 + (c - 1) * 6, esc, 6);
	}
	sbuf_fini(&b);
}

static void
test_sbuf_json_utf8(void **state)
{
	/* UTF-8 bytes (>= 0x80) are not control characters: "é" is
	 * c3 a9 and passes through. */
	struct sbuf b;

	(void)state;
	sbuf_init(&b);
	sbuf_json_str(&b, "caf\xc3\xa9");
	check(&b);
	assert_string_equal(b.s, "\"caf\xc3\xa9\"");
	sbuf_fini(&b);
}

static void
test_sbuf_json_grow(void **state)
{
	/* 40 quotes double to 80 bytes: escaping grows the buffer past
	 * 64 midway and nothing is lost. */
	char in[41];
	struct sbuf b;
	size_t i;

	(void)state;
	memset(in, '"', 40);
	in[40] = '\0';
	sbuf_init(&b);
	sbuf_json_str(&b, in);
	check(&b);
	assert_int_equal(b.len, 82);
	assert_int_equal(b.s[0], '"');
	for (i = 0; i < 40; i++) {
		assert_int_equal(b.s[1 + 2 * i], '\\');
		assert_int_equal(b.s[2 + 2 * i], '"');
	}
	assert_int_equal(b.s[81], '"');
	sbuf_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sbuf_init),
		cmocka_unit_test(test_sbuf_puts),
		cmocka_unit_test(test_sbuf_grow_boundary),
		cmocka_unit_test(test_sbuf_grow_large),
		cmocka_unit_test(test_sbuf_reset),
		cmocka_unit_test(test_sbuf_printf),
		cmocka_unit_test(test_sbuf_printf_grow),
		cmocka_unit_test(test_sbuf_printf_exact_room),
		cmocka_unit_test(test_sbuf_vprintf),
		cmocka_unit_test(test_sbuf_json_plain),
		cmocka_unit_test(test_sbuf_json_quote_backslash),
		cmocka_unit_test(test_sbuf_json_control),
		cmocka_unit_test(test_sbuf_json_every_control),
		cmocka_unit_test(test_sbuf_json_utf8),
		cmocka_unit_test(test_sbuf_json_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
