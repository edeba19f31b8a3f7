/* SPDX-License-Identifier: ISC */
/* tests/lib/test_trie.c - unit tests for src/lib/trie.c. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */

#include <stdio.h>
#include <string.h>

#include "lib/trie.h"

static struct prefix
P(const char *s) {
	struct prefix p;

	if (prefix_parse(s, &p, 0) != NULL)
		fail_msg("bad prefix %s", s);
	return p;
}

static struct ipaddr
A(const char *s) {
	struct ipaddr a;

	if (!addr_parse(s, &a))
		fail_msg("bad address %s", s);
	return a;
}

/* The value matched for address s, as the string stored. */
static const char *
match(const struct trie *t, const char *s)
{
	struct ipaddr a = A(s);

	return trie_match(t, &a, NULL);
}

static void
test_trie_longest_match_v4(void **state)
{
	struct trie t;
	struct prefix p;

	(void)state;
	trie_init(&t);
	p = P("0.0.0.0/0");
	assert_null(trie_add(&t, &p, "default"));
	p = P("10.0.0.0/8");
	assert_null(trie_add(&t, &p, "ten"));
	p = P("10.1.0.0/16");
	assert_null(trie_add(&t, &p, "hub"));
	p = P("10.1.2.0/24");
	assert_null(trie_add(&t, &p, "nva"));
	p = P("10.1.2.4/32");
	assert_null(trie_add(&t, &p, "host"));
	assert_int_equal(t.count, 5);
	assert_string_equal(match(&t, "10.1.2.4"), "host");
	assert_string_equal(match(&t, "10.1.2.5"), "nva");
	assert_string_equal(match(&t, "10.1.3.5"), "hub");
	assert_string_equal(match(&t, "10.9.3.5"), "ten");
	assert_string_equal(match(&t, "192.0.2.1"), "default");
	trie_fini(&t);
}

static void
test_trie_no_default_no_match(void **state)
{
	struct trie t;
	struct prefix p = P("192.168.10.128/25"), m;
	struct ipaddr a = A("192.168.10.200");

	(void)state;
	trie_init(&t);
	trie_add(&t, &p, "half");
	assert_string_equal(trie_match(&t, &a, &m), "half");
	assert_true(prefix_equal(&m, &p));
	a = A("192.168.10.20");
	assert_null(trie_match(&t, &a, NULL));
	trie_fini(&t);
}

static void
test_trie_replace_and_get(void **state)
{
	struct trie t;
	struct prefix p = P("10.0.0.0/16"), q = P("10.0.0.0/17");

	(void)state;
	trie_init(&t);
	assert_null(trie_add(&t, &p, "a"));
	assert_string_equal(trie_add(&t, &p, "b"), "a");
	assert_int_equal(t.count, 1);
	assert_string_equal(trie_get(&t, &p), "b");
	assert_null(trie_get(&t, &q));
	trie_fini(&t);
}

static void
test_trie_glue_and_delete(void **state)
{
	struct trie t;
	struct prefix a = P("10.1.0.0/16"), b = P("10.2.0.0/16"),
	              c = P("10.0.0.0/8");

	(void)state;
	trie_init(&t);
	trie_add(&t, &a, "a");
	trie_add(&t, &b, "b"); /* glue 10.0.0.0/14 above both */
	assert_int_equal(t.nodes, 3);
	trie_add(&t, &c, "c");
	assert_string_equal(match(&t, "10.3.0.1"), "c");
	assert_string_equal(trie_del(&t, &c), "c");
	assert_null(match(&t, "10.3.0.1"));
	assert_null(trie_del(&t, &c));
	assert_string_equal(trie_del(&t, &a), "a");
	assert_int_equal(t.nodes, 1); /* the glue went with a */
	assert_string_equal(match(&t, "10.2.9.9"), "b");
	assert_string_equal(trie_del(&t, &b), "b");
	assert_int_equal(t.nodes, 0);
	assert_int_equal(t.count, 0);
	trie_fini(&t);
}

static void
test_trie_v6_separate_from_v4(void **state)
{
	struct trie t;
	struct prefix v6 = P("2001:db8::/32"), v6h = P("2001:db8::1/128"),
	              v4 = P("0.0.0.0/0");

	(void)state;
	trie_init(&t);
	trie_add(&t, &v6, "doc");
	trie_add(&t, &v6h, "host");
	trie_add(&t, &v4, "v4");
	assert_string_equal(match(&t, "2001:db8::1"), "host");
	assert_string_equal(match(&t, "2001:db8::2"), "doc");
	assert_null(match(&t, "2001:db9::1"));
	assert_string_equal(match(&t, "1.2.3.4"), "v4");
	trie_fini(&t);
}

static void
count_cb(void *arg, const struct prefix *p, void *value)
{
	(void)p;
	(void)value;
	(*(int *)arg)++;
}

static void
test_trie_many_against_linear(void **state)
{
	struct prefix ps[300], m;
	struct trie t;
	struct ipaddr a;
	uint32_t x = 12345;
	int i, j, best, n = 0;

	(void)state;
	trie_init(&t);
	for (i = 0; i < 300; i++) {
		uint8_t b[4];

		x = x * 1103515245u + 12345u;
		b[0] = 10;
		b[1] = (uint8_t)(x >> 24) & 3;
		b[2] = (uint8_t)(x >> 16);
		b[3] = (uint8_t)(x >> 8);
		prefix_set(&ps[i], ADDR_V4, b, (uint8_t)(8 + (x >> 4) % 25));
		trie_add(&t, &ps[i], &ps[i]);
	}
	for (i = 0; i < 2000; i++) {
		x = x * 1103515245u + 12345u;
		a.af = ADDR_V4;
		memset(a.a, 0, sizeof(a.a));
		a.a[0] = 10;
		a.a[1] = (uint8_t)(x >> 24) & 3;
		a.a[2] = (uint8_t)(x >> 16);
		a.a[3] = (uint8_t)(x >> 8);
		best = -1;
		for (j = 0; j < 300; j++)
			if (prefix_contains_addr(&ps[j], &a) &&
			    (best < 0 || ps[j].len > ps[best].len))
				best = j;
		if (best < 0) {
			assert_null(trie_match(&t, &a, NULL));
			continue;
		}
		assert_non_null(trie_match(&t, &a, &m));
		assert_int_equal(m.len, ps[best].len);
	}
	trie_walk(&t, count_cb, &n);
	assert_int_equal((size_t)n, t.count);
	trie_fini(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trie_longest_match_v4),
		cmocka_unit_test(test_trie_no_default_no_match),
		cmocka_unit_test(test_trie_replace_and_get),
		cmocka_unit_test(test_trie_glue_and_delete),
		cmocka_unit_test(test_trie_v6_separate_from_v4),
		cmocka_unit_test(test_trie_many_against_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
