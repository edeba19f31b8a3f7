/* SPDX-License-Identifier: ISC */
/* tests/lib/test_arena.c - unit tests for src/lib/arena.c. */

/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdalign.h>
#include <string.h>

#include "lib/arena.h"

#define ALIGN    alignof(max_align_t)
#define ROUND(n) (((n) + ALIGN - 1) / ALIGN * ALIGN)

static int
aligned(const void *p)
{
	return (uintptr_t)p % ALIGN == 0;
}

static void
test_arena_init(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 4096);
	assert_null(a.head);
	assert_int_equal(a.chunk_size, 4096);
	assert_int_equal(a.used, 0);
	/* nothing is obtained from malloc until the first allocation */
	assert_int_equal(a.reserved, 0);
	arena_fini(&a);
}

static void
test_arena_min_chunk(void **state)
{
	/* Tiny chunk sizes are raised to 256 bytes. */
	struct arena a;

	(void)state;
	arena_init(&a, 1);
	assert_int_equal(a.chunk_size, 256);
	(void)arena_alloc(&a, 1);
	assert_int_equal(a.reserved, 256);
	arena_fini(&a);
}

static void
test_arena_alignment(void **state)
{
	/* Odd sizes one after another: every pointer is still aligned for
	 * any type, and blocks do not overlap. */
	struct arena a;
	unsigned char *first, *prev = NULL, *p;
	size_t prev_size = 0, size;

	(void)state;
	arena_init(&a, 256);
	first = arena_alloc(&a, 1);
	*first = 0x7e;
	for (size = 1; size <= 100; size++) {
		p = arena_alloc(&a, size);
		assert_non_null(p);
		if (!aligned(p))
			fail_msg("arena_alloc(%zu) = %p, not %zu-aligned", size,
			    (void *)p, (size_t)ALIGN);
		/* fill the whole block: ASan catches a short chunk */
		memset(p, (int)size, size);
		if (prev != NULL && p >= prev && p < prev + prev_size)
			fail_msg("block %zu overlaps the one before", size);
		prev = p;
		prev_size = size;
	}
	/* later blocks did not write over the first one */
	assert_int_equal(*first, 0x7e);
	arena_fini(&a);
}

static void
test_arena_zero_size(void **state)
{
	/* A zero-byte request still gets a distinct aligned pointer. */
	struct arena a;
	void *p, *q;

	(void)state;
	arena_init(&a, 256);
	p = arena_alloc(&a, 0);
	q = arena_alloc(&a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	assert_true(aligned(p) && aligned(q));
	assert_int_equal(a.used, 2 * ALIGN);
	arena_fini(&a);
}

static void
test_arena_counters(void **state)
{
	/* Sizes that are multiples of the alignment count exactly; an odd
	 * size counts rounded up to the alignment. */
	struct arena a;

	(void)state;
	arena_init(&a, 1024);
	(void)arena_alloc(&a, 4 * ALIGN);
	assert_int_equal(a.used, 4 * ALIGN);
	assert_int_equal(a.reserved, 1024);
	(void)arena_alloc(&a, 1);
	assert_int_equal(a.used, 5 * ALIGN);
	assert_int_equal(a.reserved, 1024);
	arena_fini(&a);
}

static void
test_arena_consecutive(void **state)
{
	/* Small blocks come one after another from the same chunk. */
	struct arena a;
	unsigned char *p, *q;

	(void)state;
	arena_init(&a, 1024);
	p = arena_alloc(&a, 2 * ALIGN);
	q = arena_alloc(&a, ALIGN);
	assert_ptr_equal(q, p + 2 * ALIGN);
	arena_fini(&a);
}

static void
test_arena_new_chunk(void **state)
{
	/* 256-byte chunks: 200 + 200 does not fit, so a second chunk is
	 * taken and the first block is left intact. */
	struct arena a;
	unsigned char *p, *q;
	size_t i;

	(void)state;
	arena_init(&a, 256);
	p = arena_alloc(&a, 200);
	memset(p, 0x11, 200);
	q = arena_alloc(&a, 200);
	memset(q, 0x22, 200);
	assert_int_equal(a.reserved, 512);
	for (i = 0; i < 200; i++)
		assert_int_equal(p[i], 0x11);
	arena_fini(&a);
}

static void
test_arena_large(void **state)
{
	/* A block bigger than a chunk gets a chunk of its own, sized to
	 * fit, and the current chunk keeps serving small blocks. */
	struct arena a;
	unsigned char *p, *big, *q;
	size_t big_size = 100000;

	(void)state;
	arena_init(&a, 1024);
	p = arena_alloc(&a, ALIGN);
	big = arena_alloc(&a, big_size);
	assert_true(aligned(big));
	/* all of it is usable: ASan would catch a short chunk */
	memset(big, 0xee, big_size);
	assert_int_equal(a.reserved, 1024 + ROUND(big_size));
	q = arena_alloc(&a, ALIGN);
	assert_ptr_equal(q, p + ALIGN);
	assert_int_equal(a.reserved, 1024 + ROUND(big_size));
	assert_int_equal(a.used, 2 * ALIGN + ROUND(big_size));
	arena_fini(&a);
}

static void
test_arena_large_first(void **state)
{
	/* A large block as the very first allocation. */
	struct arena a;
	unsigned char *big, *q;

	(void)state;
	arena_init(&a, 256);
	big = arena_alloc(&a, 4096);
	memset(big, 0xee, 4096);
	q = arena_alloc(&a, 16);
	memset(q, 0x11, 16);
	assert_int_equal(a.reserved, 4096 + 256);
	assert_int_equal(big[4095], 0xee);
	arena_fini(&a);
}

static void
test_arena_reset_keeps_first_chunk(void **state)
{
	/* Fill three 256-byte chunks, reset: one chunk stays, counters
	 * go back to it, and the next block reuses its first byte. */
	struct arena a;
	void *first, *p;
	int i;

	(void)state;
	arena_init(&a, 256);
	first = arena_alloc(&a, 200);
	for (i = 0; i < 2; i++)
		(void)arena_alloc(&a, 200);
	assert_int_equal(a.reserved, 3 * 256);
	arena_reset(&a);
	assert_non_null(a.head);
	assert_int_equal(a.used, 0);
	assert_int_equal(a.reserved, 256);
	p = arena_alloc(&a, 200);
	assert_ptr_equal(p, first);
	assert_int_equal(a.reserved, 256);
	arena_fini(&a);
}

static void
test_arena_reset_drops_large(void **state)
{
	/* One-off large blocks are freed by reset; the chunk kept is the
	 * first default-size one, even though the first large block was
	 * linked behind it and so sits at the end of the list. */
	struct arena a;
	void *first, *p;

	(void)state;
	arena_init(&a, 256);
	first = arena_alloc(&a, 16);
	(void)arena_alloc(&a, 65536);
	(void)arena_alloc(&a, 250); /* a second 256-byte chunk */
	(void)arena_alloc(&a, 4096);
	assert_int_equal(a.reserved, 2 * 256 + 65536 + 4096);
	arena_reset(&a);
	assert_int_equal(a.used, 0);
	assert_int_equal(a.reserved, 256);
	p = arena_alloc(&a, 16);
	assert_ptr_equal(p, first);
	/* the kept chunk is alone: filling it takes exactly one more */
	(void)arena_alloc(&a, 240);
	(void)arena_alloc(&a, 16);
	assert_int_equal(a.reserved, 2 * 256);
	arena_fini(&a);
}

static void
test_arena_reset_only_large(void **state)
{
	/* With no default-size chunk at all, the first block's chunk is
	 * kept and its whole size is reused. */
	struct arena a;
	unsigned char *first, *p;

	(void)state;
	arena_init(&a, 256);
	first = arena_alloc(&a, 4096);
	(void)arena_alloc(&a, 8192);
	(void)arena_alloc(&a, 1024);
	arena_reset(&a);
	assert_int_equal(a.used, 0);
	assert_int_equal(a.reserved, 4096);
	p = arena_alloc(&a, 4096);
	assert_ptr_equal(p, first);
	memset(p, 0, 4096);
	assert_int_equal(a.reserved, 4096);
	arena_fini(&a);
}

static void
test_arena_reset_repeated(void **state)
{
	/* Cycles of use and reset do not grow the arena. */
	struct arena a;
	int cycle, i;

	(void)state;
	arena_init(&a, 256);
	for (cycle = 0; cycle < 5; cycle++) {
		for (i = 0; i < 10; i++)
			(void)arena_alloc(&a, 100);
		assert_int_equal(a.used, 10 * ROUND(100));
		arena_reset(&a);
		assert_int_equal(a.used, 0);
		assert_int_equal(a.reserved, 256);
	}
	arena_fini(&a);
}

static void
test_arena_reset_empty(void **state)
{
	/* Reset before any allocation keeps nothing and breaks nothing. */
	struct arena a;

	(void)state;
	arena_init(&a, 256);
	arena_reset(&a);
	assert_null(a.head);
	assert_int_equal(a.reserved, 0);
	assert_non_null(arena_alloc(&a, 8));
	assert_int_equal(a.reserved, 256);
	arena_fini(&a);
}

static void
test_arena_fini(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 256);
	(void)arena_alloc(&a, 100);
	(void)arena_alloc(&a, 1000);
	arena_fini(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
	assert_int_equal(a.reserved, 0);
	/* a finished arena can be used again (LeakSanitizer checks the
	 * second fini frees everything) */
	assert_non_null(arena_alloc(&a, 8));
	arena_fini(&a);
}

static void
test_arena_zalloc(void **state)
{
	/* Dirty a block, reset, and zalloc the same memory: it must come
	 * back zeroed. */
	struct arena a;
	unsigned char *p, *z;
	size_t i;

	(void)state;
	arena_init(&a, 256);
	p = arena_alloc(&a, 64);
	memset(p, 0xff, 64);
	arena_reset(&a);
	z = arena_zalloc(&a, 64);
	assert_ptr_equal(z, p);
	for (i = 0; i < 64; i++)
		assert_int_equal(z[i], 0);
	arena_fini(&a);
}

static void
test_arena_strdup(void **state)
{
	struct arena a;
	char src[] = "peer 192.0.2.1";
	char *s;

	(void)state;
	arena_init(&a, 256);
	s = arena_strdup(&a, src);
	assert_ptr_not_equal(s, src);
	assert_string_equal(s, "peer 192.0.2.1");
	/* a copy, not an alias */
	src[0] = 'P';
	assert_string_equal(s, "peer 192.0.2.1");
	s = arena_strdup(&a, "");
	assert_string_equal(s, "");
	arena_fini(&a);
}

static void
test_arena_strndup(void **state)
{
	/* Only n bytes are copied and a NUL is added, so a string that is
	 * not terminated within n is fine. */
	static const char nonul[4] = { 'a', 's', 'n', '1' };
	struct arena a;
	char *s;

	(void)state;
	arena_init(&a, 256);
	s = arena_strndup(&a, nonul, 3);
	assert_string_equal(s, "asn");
	s = arena_strndup(&a, nonul, 0);
	assert_string_equal(s, "");
	arena_fini(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_init),
		cmocka_unit_test(test_arena_min_chunk),
		cmocka_unit_test(test_arena_alignment),
		cmocka_unit_test(test_arena_zero_size),
		cmocka_unit_test(test_arena_counters),
		cmocka_unit_test(test_arena_consecutive),
		cmocka_unit_test(test_arena_new_chunk),
		cmocka_unit_test(test_arena_large),
		cmocka_unit_test(test_arena_large_first),
		cmocka_unit_test(test_arena_reset_keeps_first_chunk),
		cmocka_unit_test(test_arena_reset_drops_large),
		cmocka_unit_test(test_arena_reset_only_large),
		cmocka_unit_test(test_arena_reset_repeated),
		cmocka_unit_test(test_arena_reset_empty),
		cmocka_unit_test(test_arena_fini),
		cmocka_unit_test(test_arena_zalloc),
		cmocka_unit_test(test_arena_strdup),
		cmocka_unit_test(test_arena_strndup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
