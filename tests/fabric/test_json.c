/* SPDX-License-Identifier: ISC */
/* tests/fabric/test_json.c - unit tests for src/fabric/json.c: az's shapes (spec 4.5, 4.7). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fab.h"

static void
test_effective_routes_json_shape(void **state)
{
	struct topo *t = spec_topo();
	struct fabric *f = fab_new(t);
	struct fab_table tb;
	json_t *j;
	char *s;

	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "10.50.0.0/16", "10.1.2.4",
	    NULL, 1);
	assert_true(fab_nic_effective_routes(f, "vm1-nic", &tb));
	j = fab_table_to_json(&tb);
	s = json_dumps(
	    json_array_get(json_object_get(j, "value"), 2), JSON_SORT_KEYS);
	assert_string_equal(s,
	    "{\"addressPrefix\": [\"10.50.0.0/16\"], "
	    "\"disableBgpRoutePropagation\": false, \"name\": null, "
	    "\"nextHopIpAddress\": [\"10.1.2.4\"], "
	    "\"nextHopType\": \"VirtualNetworkGateway\", "
	    "\"source\": \"VirtualNetworkGateway\", \"state\": \"Active\"}");
	free(s);
	s = json_dumps(
	    json_array_get(json_object_get(j, "value"), 0), JSON_SORT_KEYS);
	assert_string_equal(s,
	    "{\"addressPrefix\": [\"10.2.0.0/16\"], "
	    "\"disableBgpRoutePropagation\": false, \"name\": null, "
	    "\"nextHopIpAddress\": [], \"nextHopType\": \"VnetLocal\", "
	    "\"source\": \"Default\", \"state\": \"Active\"}");
	free(s);
	json_decref(j);
	fab_free(f);
	topo_free(t);
}

/* fab_table_to_text writes what json_dumps writes, byte for byte. */
static void
expect_text_equal(const struct fab_table *tb)
{
	json_t *j = fab_table_to_json(tb);
	char *want = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	size_t len, n = strlen(want);
	char *got = fab_table_to_text(tb, &len);

	assert_int_equal(len, n + 1);
	assert_memory_equal(got, want, n);
	assert_int_equal(got[n], '\n');
	free(got);
	free(want);
	json_decref(j);
}

static void
test_effective_routes_text(void **state)
{
	struct topo *t = spec_topo();
	struct fabric *f = fab_new(t);
	struct fab_row rows[3];
	struct fab_table tb;
	struct prefix p[2];

	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "10.50.0.0/16", "10.1.2.4",
	    NULL, 1);
	assert_true(fab_nic_effective_routes(f, "vm1-nic", &tb));
	assert_true(tb.nrows > 2);
	expect_text_equal(&tb);
	/* none, several prefixes, a name to escape */
	tb.nrows = 0;
	expect_text_equal(&tb);
	memset(rows, 0, sizeof(rows));
	prefix_parse("10.0.0.0/8", &p[0], 0);
	prefix_parse("2001:db8::/32", &p[1], 0);
	rows[0].prefixes = p;
	rows[0].nprefixes = 2;
	rows[0].name = "a \"q\" \\ \t\x01 é";
	rows[0].disable_bgp = true;
	rows[1].prefixes = p;
	rows[1].nprefixes = 0;
	rows[2] = rows[0];
	rows[2].name = "";
	tb.rows = rows;
	tb.nrows = 3;
	expect_text_equal(&tb);
	fab_free(f);
	topo_free(t);
}

static void
test_next_hop_json_shape(void **state)
{
	struct fab_next_hop nh = { .hop = FAB_HOP_INTERNET };
	json_t *j;
	char *s;

	(void)state;
	snprintf(nh.route_table_id, sizeof(nh.route_table_id), "System Route");
	j = fab_next_hop_to_json(&nh);
	s = json_dumps(j, JSON_SORT_KEYS);
	assert_string_equal(s,
	    "{\"nextHopIpAddress\": null, \"nextHopType\": \"Internet\", "
	    "\"routeTableId\": \"System Route\"}");
	free(s);
	json_decref(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_effective_routes_json_shape),
		cmocka_unit_test(test_effective_routes_text),
		cmocka_unit_test(test_next_hop_json_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
