/* SPDX-License-Identifier: ISC */
/* tests/lib/test_slab.c - unit tests for src/lib/slab.c. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/slab.h"

/* Objects are distinct, aligned to a pointer, and counted. */
static void
test_slab_alloc_distinct(void **state)
{
	struct slab s;
	unsigned char *p[3000];
	size_t i, j;

	(void)state;
	slab_init(&s, 20);
	assert_int_equal(s.size % sizeof(void *), 0);
	for (i = 0; i < 3000; i++) {
		p[i] = slab_alloc(&s);
		assert_int_equal((uintptr_t)p[i] % sizeof(void *), 0);
		memset(p[i], (int)(i & 0xff), 20);
	}
	assert_int_equal(s.used, 3000);
	/* more than one chunk was needed, and nothing overlaps */
	assert_true(s.reserved >= 3000 * s.size);
	for (i = 0; i < 3000; i++)
		for (j = 0; j < 20; j++)
			assert_int_equal(p[i][j], (unsigned char)(i & 0xff));
	slab_fini(&s);
	assert_int_equal(s.used, 0);
	assert_int_equal(s.reserved, 0);
}

/* A freed object comes back before a never-used one. */
static void
test_slab_free_reuse(void **state)
{
	struct slab s;
	void *a, *b, *c;
	size_t reserved;

	(void)state;
	slab_init(&s, 48);
	a = slab_alloc(&s);
	b = slab_alloc(&s);
	reserved = s.reserved;
	slab_free(&s, a);
	assert_int_equal(s.used, 1);
	c = slab_alloc(&s);
	assert_ptr_equal(c, a);
	assert_ptr_not_equal(c, b);
	assert_int_equal(s.reserved, reserved);
	slab_free(&s, NULL); /* no-op */
	assert_int_equal(s.used, 2);
	slab_fini(&s);
}

/* zalloc clears a reused object. */
static void
test_slab_zalloc_clears(void **state)
{
	struct slab s;
	unsigned char *p, *q;
	size_t i;

	(void)state;
	slab_init(&s, 32);
	p = slab_alloc(&s);
	memset(p, 0xab, 32);
	slab_free(&s, p);
	q = slab_zalloc(&s);
	assert_ptr_equal(p, q);
	for (i = 0; i < 32; i++)
		assert_int_equal(q[i], 0);
	slab_fini(&s);
}

static void
count_one(void *arg, void *obj)
{
	(void)obj;
	(*(size_t *)arg)++;
}

/* The walk sees every object handed out, across chunks, and no more. */
static void
test_slab_walk(void **state)
{
	struct slab s;
	size_t i, n = 0;
	void *p = NULL;

	(void)state;
	slab_init(&s, 64);
	for (i = 0; i < 5000; i++)
		p = slab_alloc(&s);
	slab_free(&s, p);
	slab_walk(&s, count_one, &n);
	assert_int_equal(n, 5000); /* freed ones too, unused ones not */
	slab_fini(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slab_alloc_distinct),
		cmocka_unit_test(test_slab_free_reuse),
		cmocka_unit_test(test_slab_zalloc_clears),
		cmocka_unit_test(test_slab_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
