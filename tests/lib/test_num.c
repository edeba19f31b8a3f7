/* SPDX-License-Identifier: ISC */
/* tests/lib/test_num.c - unit tests for src/lib/num.c. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/num.h"

static void
test_num_accepts_digits(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_true(num_parse_u64("0", 10, &v));
	assert_int_equal(v, 0);
	assert_true(num_parse_u64("65535", 65535, &v));
	assert_int_equal(v, 65535);
	assert_true(num_parse_u64("18446744073709551615", UINT64_MAX, &v));
	assert_true(v == UINT64_MAX);
}

/* Anything but plain digits within max is refused; v is untouched. */
static void
test_num_refuses(void **state)
{
	static const char *bad[] = { "", "-1", "+1", " 1", "1 ", "1x", "0x10",
		"65536", "18446744073709551616" };
	uint64_t v = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(num_parse_u64(bad[i], 65535, &v));
	assert_false(num_parse_u64(NULL, 65535, &v));
	assert_int_equal(v, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num_accepts_digits),
		cmocka_unit_test(test_num_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
