/* SPDX-License-Identifier: ISC */
/* tests/speaker/test_conf.c - unit tests for src/speaker/conf.c: tokens, statement tree, first session. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Two trees are the same, word by word and position by position. */
static void
same_tree(const struct conf_node *a, const struct conf_node *b)
{
	int i;

	for (; a != NULL && b != NULL; a = a->next, b = b->next) {
		assert_int_equal(a->nwords, b->nwords);
		assert_int_equal(a->line, b->line);
		assert_int_equal(a->col, b->col);
		assert_int_equal(a->block, b->block);
		for (i = 0; i < a->nwords; i++) {
			assert_string_equal(a->words[i], b->words[i]);
			assert_int_equal(a->wline[i], b->wline[i]);
			assert_int_equal(a->wcol[i], b->wcol[i]);
		}
		same_tree(a->child, b->child);
	}
	assert_null(a);
	assert_null(b);
}

/*
 * A file is read through a window of 512 KiB: words, quoted words and
 * comments that cross its edge, and a word longer than the window, read
 * the same as from the text whole, errors and positions included.
 */
static void
test_conf_file_window(void **state)
{
	struct conf_file whole, part;
	size_t cap = 4u << 20, len = 0, i, k;
	char *text = malloc(cap);
	FILE *f;

	(void)state;
	assert_non_null(text);
	for (i = 0; len < 3u << 20; i++) {
		len += (size_t)snprintf(text + len, cap - len,
		    "b%zu {\n  w%zu \"q %zu ;{}\" x%*zu;\n# %*s\n}\n", i, i, i,
		    (int)(i % 97), i, (int)(i % 211), "c");
		if (i == 5000) {
			/* one word of 700 KiB: the window grows */
			text[len++] = 'L';
			for (k = 0; k < 700u << 10; k++)
				text[len++] = (char)('a' + k % 26);
			len +=
			    (size_t)snprintf(text + len, cap - len, " tail;\n");
		}
	}
	len += (size_t)snprintf(text + len, cap - len, "last word\n");
	assert_false(conf_parse(&whole, "t.conf", text));
	f = fmemopen(text, len, "r");
	assert_non_null(f);
	assert_false(conf_parse_file_take(&part, "t.conf", f, NULL, NULL));
	fclose(f);
	same_tree(whole.root, part.root);
	assert_string_equal(whole.errors.s, part.errors.s);
	assert_non_null(strstr(part.errors.s, "missing ';' at end of file"));
	conf_free(&whole);
	conf_free(&part);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_words_and_positions),
		cmocka_unit_test(test_conf_syntax_errors),
		cmocka_unit_test(test_conf_first_session),
		cmocka_unit_test(test_conf_file_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
