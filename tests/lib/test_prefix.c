/* SPDX-License-Identifier: ISC */
/* tests/lib/test_prefix.c - unit tests for src/lib/prefix.c. */

/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "lib/prefix.h"

/* Parse s (which must succeed) and print it back. */
static const char *
roundtrip(const char *s, int flags, char *buf, size_t size)
{
	struct prefix p;
	const char *err;

	err = prefix_parse(s, &p, flags);
	if (err != NULL)
		fail_msg("prefix_parse(\"%s\"): %s", s, err);
	return prefix_print(&p, buf, size);
}

/* Parse s, which must succeed. */
static struct prefix
pfx(const char *s)
{
	struct prefix p;
	const char *err;

	memset(&p, 0, sizeof(p));
	err = prefix_parse(s, &p, 0);
	if (err != NULL)
		fail_msg("prefix_parse(\"%s\"): %s", s, err);
	return p;
}

/* Parse s, which must fail with the reason want. */
static void
expect_err(const char *s, int flags, const char *want)
{
	struct prefix p;
	const char *err = prefix_parse(s, &p, flags);

	if (err == NULL || strcmp(err, want) != 0)
		fail_msg("prefix_parse(\"%s\") = %s, want %s", s,
		    err != NULL ? err : "NULL", want);
}

static struct ipaddr
addr(const char *s)
{
	struct ipaddr a;

	if (!addr_parse(s, &a))
		fail_msg("addr_parse(\"%s\") failed", s);
	return a;
}

static void
test_addr_maxlen(void **state)
{
	(void)state;
	assert_int_equal(addr_maxlen(ADDR_V4), 32);
	assert_int_equal(addr_maxlen(ADDR_V6), 128);
}

static void
test_addr_parse_v4(void **state)
{
	/* 192.0.2.1 is c0 00 02 01; the rest of a[] is zeroed. */
	static const uint8_t want[16] = { 192, 0, 2, 1 };
	struct ipaddr a;

	(void)state;
	memset(&a, 0xff, sizeof(a));
	assert_true(addr_parse("192.0.2.1", &a));
	assert_int_equal(a.af, ADDR_V4);
	assert_memory_equal(a.a, want, 16);
}

static void
test_addr_parse_v6(void **state)
{
	/* 2001:db8::1 is 20 01 0d b8, eleven zero bytes, 01. */
	static const uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0x01 };
	struct ipaddr a;

	(void)state;
	assert_true(addr_parse("2001:db8::1", &a));
	assert_int_equal(a.af, ADDR_V6);
	assert_memory_equal(a.a, want, 16);
}

static void
test_addr_parse_bad(void **state)
{
	struct ipaddr a;

	(void)state;
	assert_false(addr_parse("", &a));
	assert_false(addr_parse("256.0.0.1", &a));
	assert_false(addr_parse("1.2.3", &a));
	assert_false(addr_parse("1.2.3.4 ", &a));
	assert_false(addr_parse("2001:db8:::1", &a));
	assert_false(addr_parse("2001:db8::g", &a));
	/* the family is forced: a v4 text is not a v6 address */
	assert_false(addr_parse_af("192.0.2.1", ADDR_V6, &a));
	assert_false(addr_parse_af("::1", ADDR_V4, &a));
	assert_true(addr_parse_af("::1", ADDR_V6, &a));
}

static void
test_addr_print(void **state)
{
	struct ipaddr a;
	char buf[ADDR_STRLEN];

	(void)state;
	a = addr("192.0.2.1");
	assert_string_equal(addr_print(&a, buf, sizeof(buf)), "192.0.2.1");
	/* RFC 5952: lower case, leading zeros dropped, :: for the run */
	a = addr("2001:0DB8:0000:0000:0000:0000:0000:0001");
	assert_string_equal(addr_print(&a, buf, sizeof(buf)), "2001:db8::1");
	/* an address with no family prints as "none" */
	memset(&a, 0, sizeof(a));
	assert_string_equal(addr_print(&a, buf, sizeof(buf)), "none");
}

static void
test_addr_cmp(void **state)
{
	struct ipaddr a, b, c, d;

	(void)state;
	a = addr("10.0.0.1");
	b = addr("10.0.0.2");
	c = addr("9.255.255.255");
	d = addr("::1");
	assert_true(addr_cmp(&a, &b) < 0);
	assert_true(addr_cmp(&b, &a) > 0);
	assert_int_equal(addr_cmp(&a, &a), 0);
	/* numeric, not textual: 9.x sorts before 10.x */
	assert_true(addr_cmp(&c, &a) < 0);
	/* every IPv4 address sorts before every IPv6 address */
	assert_true(addr_cmp(&b, &d) < 0);
	assert_true(addr_cmp(&d, &c) > 0);
}

static void
test_addr_is_unspecified(void **state)
{
	struct ipaddr a;

	(void)state;
	a = addr("0.0.0.0");
	assert_true(addr_is_unspecified(&a));
	a = addr("::");
	assert_true(addr_is_unspecified(&a));
	a = addr("0.0.0.1");
	assert_false(addr_is_unspecified(&a));
	/* the last byte of a v6 address counts */
	a = addr("::1");
	assert_false(addr_is_unspecified(&a));
}

static void
test_prefix_parse_v4(void **state)
{
	/* 10.0.0.0/8 keeps only the first byte, 0x0a. */
	static const uint8_t want[16] = { 10 };
	struct prefix p;

	(void)state;
	memset(&p, 0xff, sizeof(p));
	assert_null(prefix_parse("10.0.0.0/8", &p, 0));
	assert_int_equal(p.af, ADDR_V4);
	assert_int_equal(p.len, 8);
	assert_memory_equal(p.a, want, 16);
}

static void
test_prefix_parse_v6(void **state)
{
	/* 2001:db8::/32 is 20 01 0d b8 and then zeros. */
	static const uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct prefix p;

	(void)state;
	memset(&p, 0xff, sizeof(p));
	assert_null(prefix_parse("2001:db8::/32", &p, 0));
	assert_int_equal(p.af, ADDR_V6);
	assert_int_equal(p.len, 32);
	assert_memory_equal(p.a, want, 16);
}

static void
test_prefix_roundtrip_v4(void **state)
{
	static const char *const in[] = { "0.0.0.0/0", "10.0.0.0/8",
		"192.0.2.0/24", "198.51.100.128/25", "203.0.113.7/32",
		"255.255.255.254/31", "128.0.0.0/1" };
	char buf[PREFIX_STRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		assert_string_equal(
		    roundtrip(in[i], 0, buf, sizeof(buf)), in[i]);
}

static void
test_prefix_roundtrip_v6(void **state)
{
	/* Already in RFC 5952 form, so they print back unchanged. */
	static const char *const in[] = { "::/0", "2001:db8::/32",
		"2001:db8:0:1::/64", "fe80::/10", "::1/128",
		"2001:db8::1:0:0:1/128", "::ffff:192.0.2.1/128",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128" };
	char buf[PREFIX_STRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		assert_string_equal(
		    roundtrip(in[i], 0, buf, sizeof(buf)), in[i]);
}

static void
test_prefix_print_rfc5952(void **state)
{
	char buf[PREFIX_STRLEN];

	(void)state;
	/* 4.1: leading zeros dropped; 4.3: lower case */
	assert_string_equal(
	    roundtrip("2001:0DB8:00AB:0000:0000:0000:0000:0000/48", 0, buf,
	        sizeof(buf)),
	    "2001:db8:ab::/48");
	/* 4.2.2: a single 16-bit zero field is not shortened to :: */
	assert_string_equal(
	    roundtrip("2001:db8:0:1:1:1:1:1/128", 0, buf, sizeof(buf)),
	    "2001:db8:0:1:1:1:1:1/128");
	/* 4.2.3: the longest run of zeros is compressed... */
	assert_string_equal(
	    roundtrip("2001:0:0:1:0:0:0:1/128", 0, buf, sizeof(buf)),
	    "2001:0:0:1::1/128");
	/* ...and of equal runs, the first */
	assert_string_equal(
	    roundtrip("2001:db8:0:0:1:0:0:1/128", 0, buf, sizeof(buf)),
	    "2001:db8::1:0:0:1/128");
	/* 4.2.1: :: used to its maximum */
	assert_string_equal(
	    roundtrip("2001:db8:0:0:0:0:2:1/128", 0, buf, sizeof(buf)),
	    "2001:db8::2:1/128");
}

static void
test_prefix_print_longest(void **state)
{
	/* The longest text fits PREFIX_STRLEN without truncation. */
	static const char longest[] =
	    "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128";
	struct prefix p;
	char buf[PREFIX_STRLEN];

	(void)state;
	assert_true(sizeof(longest) <= PREFIX_STRLEN);
	assert_null(prefix_parse(longest, &p, 0));
	prefix_print(&p, buf, sizeof(buf));
	/* printed in hex, which is no longer than the dotted form */
	assert_string_equal(buf, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
}

static void
test_prefix_host_bits_set(void **state)
{
	struct prefix p;

	(void)state;
	/* 10.0.0.1/8: the .1 is past the 8 bits */
	expect_err("10.0.0.1/8", 0, "host bits set");
	expect_err("10.0.0.1/31", 0, "host bits set");
	/* 10.128.0.0/9 is fine (0x80 is the 9th bit), 10.192.0.0/9 also
	 * sets the 10th (0x40) */
	assert_null(prefix_parse("10.128.0.0/9", &p, 0));
	expect_err("10.192.0.0/9", 0, "host bits set");
	/* 0.0.0.1/0: every bit is a host bit */
	expect_err("0.0.0.1/0", 0, "host bits set");
	/* 2001:db8::1/64: the low bit of the last byte */
	expect_err("2001:db8::1/64", 0, "host bits set");
	expect_err("2001:db8::1/127", 0, "host bits set");
	/* fe80:: is fe 80 ...: clean at /9, but /8 leaves the 0x80 out */
	assert_null(prefix_parse("fe80::/9", &p, 0));
	expect_err("fe80::/8", 0, "host bits set");
}

static void
test_prefix_mask_flag(void **state)
{
	/* PREFIX_MASK clears host bits: 10.1.2.3/8 becomes 10.0.0.0/8. */
	static const uint8_t want[16] = { 10 };
	struct prefix p;
	char buf[PREFIX_STRLEN];

	(void)state;
	assert_null(prefix_parse("10.1.2.3/8", &p, PREFIX_MASK));
	assert_int_equal(p.len, 8);
	assert_memory_equal(p.a, want, 16);
	/* mid-byte: 10.255.0.0/12 keeps 10.240 (0xf0) */
	assert_string_equal(
	    roundtrip("10.255.0.0/12", PREFIX_MASK, buf, sizeof(buf)),
	    "10.240.0.0/12");
	assert_string_equal(
	    roundtrip("2001:db8::1/64", PREFIX_MASK, buf, sizeof(buf)),
	    "2001:db8::/64");
	assert_string_equal(
	    roundtrip("2001:db8::1/0", PREFIX_MASK, buf, sizeof(buf)), "::/0");
}

static void
test_prefix_host_ok_flag(void **state)
{
	struct prefix p;
	char buf[PREFIX_STRLEN];

	(void)state;
	/* Without the flag a bare address is refused. */
	expect_err("192.0.2.1", 0, "missing prefix length");
	expect_err("2001:db8::1", PREFIX_MASK, "missing prefix length");
	/* With it, a bare address is a host route. */
	assert_null(prefix_parse("192.0.2.1", &p, PREFIX_HOST_OK));
	assert_int_equal(p.af, ADDR_V4);
	assert_int_equal(p.len, 32);
	assert_string_equal(prefix_print(&p, buf, sizeof(buf)), "192.0.2.1/32");
	assert_null(prefix_parse("2001:db8::1", &p, PREFIX_HOST_OK));
	assert_int_equal(p.af, ADDR_V6);
	assert_int_equal(p.len, 128);
	assert_string_equal(
	    prefix_print(&p, buf, sizeof(buf)), "2001:db8::1/128");
	/* An explicit length is still checked for host bits. */
	expect_err("192.0.2.1/24", PREFIX_HOST_OK, "host bits set");
}

static void
test_prefix_bad_length(void **state)
{
	static const char *const bad[] = { "10.0.0.0/33", "::/129", "10.0.0.0/",
		"10.0.0.0/x", "10.0.0.0/-1", "10.0.0.0/-0", "10.0.0.0/+8",
		"10.0.0.0/ 8", "10.0.0.0/8 ", "10.0.0.0/8x", "10.0.0.0/8/8",
		"10.0.0.0/99999999999999999999", "::/1000", "2001:db8::/32.0" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_err(bad[i], PREFIX_MASK, "bad length");
}

static void
test_prefix_max_length(void **state)
{
	struct prefix p;

	(void)state;
	/* /32 and /128 are the longest and are accepted. */
	assert_null(prefix_parse("192.0.2.1/32", &p, 0));
	assert_int_equal(p.len, 32);
	assert_null(prefix_parse("2001:db8::1/128", &p, 0));
	assert_int_equal(p.len, 128);
	/* but /33 is fine for v6 and not for v4 */
	assert_null(prefix_parse("2001:db8::/33", &p, 0));
	expect_err("10.0.0.0/33", 0, "bad length");
}

static void
test_prefix_bad_address(void **state)
{
	static const char *const bad[] = { "/8", "", "10.0.0/8",
		"10.0.0.256/32", "2001:db8:::/32", "x/8",
		/* 48 characters before the slash: too long for any address */
		"000000000000000000000000000000000000000000000000/8" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_err(bad[i], PREFIX_HOST_OK, "bad address");
}

static void
test_prefix_cmp_order(void **state)
{
	/* Sorted: family, then address bytes, then length. */
	static const char *const sorted[] = { "0.0.0.0/0", "10.0.0.0/8",
		"10.0.0.0/16", "10.1.0.0/16", "192.0.2.0/24", "::/0",
		"2001:db8::/32", "2001:db8::/48", "2001:db8:1::/48" };
	size_t n = sizeof(sorted) / sizeof(sorted[0]), i, j;

	(void)state;
	for (i = 0; i < n; i++) {
		struct prefix a = pfx(sorted[i]);

		for (j = 0; j < n; j++) {
			struct prefix b = pfx(sorted[j]);
			int c = prefix_cmp(&a, &b);

			if ((i < j && c >= 0) || (i > j && c <= 0) ||
			    (i == j && c != 0))
				fail_msg("prefix_cmp(%s, %s) = %d", sorted[i],
				    sorted[j], c);
			assert_int_equal(prefix_equal(&a, &b), i == j);
		}
	}
}

static void
test_prefix_contains(void **state)
{
	struct prefix p8 = pfx("10.0.0.0/8"), p10_16 = pfx("10.0.0.0/16"),
	              p9 = pfx("10.128.0.0/9"), p16 = pfx("10.1.0.0/16"),
	              p11 = pfx("11.0.0.0/8"), any4 = pfx("0.0.0.0/0"),
	              any6 = pfx("::/0"), v6 = pfx("2001:db8::/32"),
	              v6b = pfx("2001:db8:1::/48"), v6c = pfx("2001:db9::/48");

	(void)state;
	assert_true(prefix_contains(&p8, &p16));
	assert_true(prefix_contains(&p8, &p9));
	assert_true(prefix_contains(&p8, &p8));
	/* a longer prefix never contains a shorter one, even when the
	 * shorter one's bits are all zero past its length */
	assert_false(prefix_contains(&p16, &p8));
	assert_false(prefix_contains(&p10_16, &p8));
	/* 10.1/16 has bit 9 clear, 10.128/9 has it set */
	assert_false(prefix_contains(&p9, &p16));
	assert_false(prefix_contains(&p8, &p11));
	assert_true(prefix_contains(&any4, &p11));
	assert_true(prefix_contains(&v6, &v6b));
	assert_false(prefix_contains(&v6, &v6c));
	assert_true(prefix_contains(&any6, &v6c));
	/* families never mix, even with /0 */
	assert_false(prefix_contains(&any4, &v6));
	assert_false(prefix_contains(&any6, &p8));
}

static void
test_prefix_contains_addr(void **state)
{
	struct prefix p = pfx("192.0.2.128/25"), v6 = pfx("2001:db8::/127"),
	              any = pfx("0.0.0.0/0");
	struct ipaddr in = addr("192.0.2.200"), out = addr("192.0.2.127"),
	              a6 = addr("2001:db8::1"), b6 = addr("2001:db8::2");

	(void)state;
	assert_true(prefix_contains_addr(&p, &in));
	assert_false(prefix_contains_addr(&p, &out));
	assert_true(prefix_contains_addr(&any, &out));
	assert_true(prefix_contains_addr(&v6, &a6));
	assert_false(prefix_contains_addr(&v6, &b6));
	assert_false(prefix_contains_addr(&any, &a6));
}

static void
test_prefix_set(void **state)
{
	/* 192.0.2.255 cut at /26 keeps 192.0.2.192 (0xff & 0xc0). */
	static const uint8_t a[4] = { 192, 0, 2, 255 };
	static const uint8_t want[16] = { 192, 0, 2, 192 };
	/* One valid byte: prefix_set reads only (len + 7) / 8 bytes. */
	static const uint8_t one[1] = { 0xff };
	static const uint8_t want1[16] = { 0xfe };
	static const uint8_t zero[16];
	struct prefix p;

	(void)state;
	memset(&p, 0xff, sizeof(p));
	prefix_set(&p, ADDR_V4, a, 26);
	assert_int_equal(p.af, ADDR_V4);
	assert_int_equal(p.len, 26);
	assert_memory_equal(p.a, want, 16);
	prefix_set(&p, ADDR_V6, one, 7);
	assert_int_equal(p.len, 7);
	assert_memory_equal(p.a, want1, 16);
	/* /0 copies nothing and yields all zeros */
	prefix_set(&p, ADDR_V4, a, 0);
	assert_int_equal(p.af, ADDR_V4);
	assert_int_equal(p.len, 0);
	assert_memory_equal(p.a, zero, 16);
}

static void
test_prefix_bits_clean(void **state)
{
	/* Wire NLRI bytes as they would follow a length byte. */
	static const uint8_t ten[] = { 0x0a, 0x00, 0x00, 0x00 };
	static const uint8_t ten_1[] = { 0x0a, 0x00, 0x00, 0x01 };
	static const uint8_t c0[] = { 0xc0 };

	(void)state;
	assert_true(prefix_bits_clean(ten, 8, 4));
	assert_true(prefix_bits_clean(ten, 7, 4));
	/* 0x0a = 0000 1010: bit 7 is set, so /6 is not clean */
	assert_false(prefix_bits_clean(ten, 6, 4));
	assert_false(prefix_bits_clean(ten_1, 31, 4));
	assert_true(prefix_bits_clean(ten_1, 32, 4));
	/* 0xc0 = 1100 0000: clean at /2, not at /1 or /0 */
	assert_true(prefix_bits_clean(c0, 2, 1));
	assert_false(prefix_bits_clean(c0, 1, 1));
	assert_false(prefix_bits_clean(c0, 0, 1));
	/* only alen bytes are looked at: len past them is clean */
	assert_true(prefix_bits_clean(c0, 8, 1));
	assert_true(prefix_bits_clean(c0, 24, 1));
	assert_true(prefix_bits_clean(NULL, 0, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_maxlen),
		cmocka_unit_test(test_addr_parse_v4),
		cmocka_unit_test(test_addr_parse_v6),
		cmocka_unit_test(test_addr_parse_bad),
		cmocka_unit_test(test_addr_print),
		cmocka_unit_test(test_addr_cmp),
		cmocka_unit_test(test_addr_is_unspecified),
		cmocka_unit_test(test_prefix_parse_v4),
		cmocka_unit_test(test_prefix_parse_v6),
		cmocka_unit_test(test_prefix_roundtrip_v4),
		cmocka_unit_test(test_prefix_roundtrip_v6),
		cmocka_unit_test(test_prefix_print_rfc5952),
		cmocka_unit_test(test_prefix_print_longest),
		cmocka_unit_test(test_prefix_host_bits_set),
		cmocka_unit_test(test_prefix_mask_flag),
		cmocka_unit_test(test_prefix_host_ok_flag),
		cmocka_unit_test(test_prefix_bad_length),
		cmocka_unit_test(test_prefix_max_length),
		cmocka_unit_test(test_prefix_bad_address),
		cmocka_unit_test(test_prefix_cmp_order),
		cmocka_unit_test(test_prefix_contains),
		cmocka_unit_test(test_prefix_contains_addr),
		cmocka_unit_test(test_prefix_set),
		cmocka_unit_test(test_prefix_bits_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
