/* SPDX-License-Identifier: ISC */
/* tests/fabric/cli_query.c - unit tests for src/cli/query.c (vrs --query). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/query.h"

/* Three VNets as `vrs network vnet list -o json` prints them. */
static const char *const vnets =
    "[{\"name\": \"hub\", \"addressSpace\": {\"addressPrefixes\": "
    "[\"10.1.0.0/16\"]}, \"subnets\": [{\"name\": \"nva\"}, {\"name\": "
    "\"vm\"}], \"peers\": 2},"
    " {\"name\": \"spoke1\", \"addressSpace\": {\"addressPrefixes\": "
    "[\"10.2.0.0/16\", \"10.20.0.0/16\"]}, \"subnets\": [{\"name\": "
    "\"default\"}], \"peers\": 1},"
    " {\"name\": \"spoke2\", \"addressSpace\": {\"addressPrefixes\": "
    "[\"10.3.0.0/16\"]}, \"subnets\": [], \"peers\": 0}]";

/* Evaluate expr over doc; compare with the JSON text want. */
static void
check(const char *doc, const char *expr, const char *want)
{
	json_t *d = json_loads(doc, JSON_DECODE_ANY, NULL);
	json_t *w = json_loads(want, JSON_DECODE_ANY, NULL);
	json_t *got;
	char why[256], *s;

	assert_non_null(d);
	assert_non_null(w);
	got = cli_query(expr, d, why, sizeof(why));
	if (got == NULL)
		fail_msg("%s: %s", expr, why);
	if (!json_equal(got, w)) {
		s = json_dumps(got, JSON_ENCODE_ANY | JSON_COMPACT);
		fail_msg("%s: got %s, want %s", expr, s, want);
	}
	json_decref(got);
	json_decref(w);
	json_decref(d);
}

static void
refused(const char *expr)
{
	json_t *d = json_loads(vnets, 0, NULL);
	char why[256] = "";

	assert_null(cli_query(expr, d, why, sizeof(why)));
	assert_true(why[0] != '\0');
	json_decref(d);
}

static void
test_query_field(void **state)
{
	(void)state;
	check("{\"name\": \"hub\"}", "name", "\"hub\"");
	check("{\"a\": {\"b\": 1}}", "a.b", "1");
	check("{\"a\": {\"b\": 1}}", "a.c", "null");
	check("{\"a b\": 2}", "\"a b\"", "2");
	check("[1]", "name", "null");
}

static void
test_query_index(void **state)
{
	(void)state;
	check(vnets, "[0].name", "\"hub\"");
	check(vnets, "[-1].name", "\"spoke2\"");
	check(vnets, "[7].name", "null");
	check(vnets, "[1].addressSpace.addressPrefixes[1]", "\"10.20.0.0/16\"");
}

static void
test_query_projection(void **state)
{
	(void)state;
	check(vnets, "[*].name", "[\"hub\", \"spoke1\", \"spoke2\"]");
	check(vnets, "[*].addressSpace.addressPrefixes[0]",
	    "[\"10.1.0.0/16\", \"10.2.0.0/16\", \"10.3.0.0/16\"]");
	/* nulls are dropped from a projection */
	check(vnets, "[*].subnets[0].name", "[\"nva\", \"default\"]");
	check("{\"x\": {\"a\": 1}, \"y\": {\"a\": 2}}", "*.a", "[1, 2]");
}

static void
test_query_flatten(void **state)
{
	(void)state;
	check(vnets, "[].subnets[].name", "[\"nva\", \"vm\", \"default\"]");
	check(vnets, "[*].addressSpace.addressPrefixes[]",
	    "[\"10.1.0.0/16\", \"10.2.0.0/16\", \"10.20.0.0/16\", "
	    "\"10.3.0.0/16\"]");
}

static void
test_query_filter(void **state)
{
	(void)state;
	check(vnets, "[?name=='hub'].addressSpace.addressPrefixes[0]",
	    "[\"10.1.0.0/16\"]");
	check(vnets, "[?name!='hub'].name", "[\"spoke1\", \"spoke2\"]");
	check(vnets, "[?peers > `0`].name", "[\"hub\", \"spoke1\"]");
	check(vnets, "[?peers >= `1` && name != 'hub'].name", "[\"spoke1\"]");
	check(vnets, "[?peers == `0` || name == 'hub'].name",
	    "[\"hub\", \"spoke2\"]");
	check(vnets, "[?!subnets].name", "[\"spoke2\"]");
	check(vnets, "[?contains(name, 'spoke')].name",
	    "[\"spoke1\", \"spoke2\"]");
	/* az's effective-route idiom */
	check("{\"value\": [{\"state\": \"Active\", \"p\": 1}, {\"state\": "
	      "\"Invalid\", \"p\": 2}]}",
	    "value[?state=='Active'].p", "[1]");
}

static void
test_query_pipe_functions(void **state)
{
	(void)state;
	check(vnets, "[*].name | [0]", "\"hub\"");
	check(vnets, "length(@)", "3");
	check(vnets, "[?peers > `0`] | length(@)", "2");
	check(vnets, "join(', ', [*].name)", "\"hub, spoke1, spoke2\"");
	check("[\"b\", \"a\"]", "sort(@)", "[\"a\", \"b\"]");
	check("{\"b\": 1, \"a\": 2}", "keys(@)", "[\"b\", \"a\"]");
	check(vnets, "[?starts_with(name, 'sp')] | [0].name", "\"spoke1\"");
}

static void
test_query_multiselect(void **state)
{
	(void)state;
	check(vnets, "[0].{n: name, p: addressSpace.addressPrefixes[0]}",
	    "{\"n\": \"hub\", \"p\": \"10.1.0.0/16\"}");
	check(vnets, "[*].[name, peers]",
	    "[[\"hub\", 2], [\"spoke1\", 1], [\"spoke2\", 0]]");
	check(vnets, "[*].{Name: name}",
	    "[{\"Name\": \"hub\"}, {\"Name\": \"spoke1\"}, {\"Name\": "
	    "\"spoke2\"}]");
}

static void
test_query_literals(void **state)
{
	(void)state;
	check("{}", "`[1, 2]`", "[1, 2]");
	check("{}", "'a\\'b'", "\"a'b\"");
	check("{\"a\": 1}", "@", "{\"a\": 1}");
}

static void
test_query_refused(void **state)
{
	(void)state;
	refused("[0:2]");             /* slices */
	refused("sort_by(@, &name)"); /* expression references */
	refused("name.");             /* nothing after the dot */
	refused("[?name = 'hub']");   /* = is not == */
	refused("'unterminated");
	refused("`[1,`");  /* bad JSON literal */
	refused("max(@)"); /* unsupported function */
	refused("name extra");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_field),
		cmocka_unit_test(test_query_index),
		cmocka_unit_test(test_query_projection),
		cmocka_unit_test(test_query_flatten),
		cmocka_unit_test(test_query_filter),
		cmocka_unit_test(test_query_pipe_functions),
		cmocka_unit_test(test_query_multiselect),
		cmocka_unit_test(test_query_literals),
		cmocka_unit_test(test_query_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
