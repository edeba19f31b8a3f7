/* SPDX-License-Identifier: ISC */
/* tests/speaker/test_conf.c - unit tests for src/speaker/conf.c: tokens, statement tree, first session. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "speaker/conf.h"

static void
test_conf_words_and_positions(void **state)
{
	struct conf_file cf;
	const struct conf_node *n;

	/* brackets, parentheses and commas are words of their own */
	(void)state;
	assert_true(conf_parse(&cf, "t.conf",
	    "a {\n\tprocesses [ x, y ];\n  b \"two words\" (1:2);\n}\n"));
	n = cf.root;
	assert_true(n->block);
	n = n->child;
	assert_int_equal(n->nwords, 6);
	assert_string_equal(n->words[3], ",");
	assert_int_equal(n->wline[3], 2);
	assert_int_equal(n->wcol[3], 15);
	n = n->next;
	assert_int_equal(n->nwords, 5);
	assert_string_equal(n->words[1], "two words");
	assert_string_equal(n->words[2], "(");
	assert_string_equal(n->words[3], "1:2");
	assert_int_equal(n->wcol[3], 18);
	conf_free(&cf);
}

static void
test_conf_syntax_errors(void **state)
{
	struct conf_file cf;

	(void)state;
	assert_false(conf_parse(&cf, "t.conf", "a b\n}\n"));
	assert_string_equal(
	    cf.errors.s, "t.conf:2:1: missing ';' before '}'\n");
	conf_free(&cf);
}

static void
test_conf_first_session(void **state)
{
	struct conf_session s;
	struct conf_file cf;

	(void)state;
	assert_true(conf_parse(&cf, "t.conf",
	    "template { neighbor t { capability { asn4 disable; } } }\n"
	    "neighbor 10.0.0.1 { inherit t; local-as 65000; "
	    "family { ipv4 unicast; } }\n"));
	assert_true(conf_first_session(&cf, &s));
	assert_int_equal(s.local_as, 65000);
	assert_int_equal(s.peer_as, 65000);
	assert_false(s.asn4);
	assert_true(s.family_ipv4);
	assert_false(s.family_ipv6);
	conf_free(&cf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_words_and_positions),
		cmocka_unit_test(test_conf_syntax_errors),
		cmocka_unit_test(test_conf_first_session),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
