/* SPDX-License-Identifier: ISC */
/* tests/fabric/test_fabric.c - unit tests for src/fabric/fabric.c: queries, next hop, cache. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */

#include "fab.h"

static struct topo *t;
static struct fabric *f;

static int
setup(void **state)
{
	(void)state;
	t = spec_topo();
	f = fab_new(t);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fab_free(f);
	topo_free(t);
	return 0;
}

static uint64_t
recomputes(void)
{
	struct fab_stats st;

	fab_stats(f, &st);
	return st.recomputes;
}

static void
test_unknown_nic(void **state)
{
	struct fab_table tb;
	struct fab_next_hop nh;
	struct ipaddr a = A("10.1.3.9");

	(void)state;
	assert_false(fab_nic_effective_routes(f, "nope", &tb));
	assert_false(fab_next_hop(f, "nope", &a, &nh));
}

/* Spec 4.7: next hop types and routeTableId. */
static void
test_next_hop_system_routes(void **state)
{
	struct fab_next_hop nh;
	struct ipaddr a;
	char b[ADDR_STRLEN];

	(void)state;
	a = A("8.8.8.8");
	assert_true(fab_next_hop(f, "vm2-nic", &a, &nh));
	assert_int_equal(nh.hop, FAB_HOP_INTERNET);
	assert_int_equal(nh.ip.af, 0);
	assert_string_equal(nh.route_table_id, "System Route");
	a = A("10.3.0.9");
	assert_true(fab_next_hop(f, "vm2-nic", &a, &nh));
	assert_int_equal(nh.hop, FAB_HOP_VNET_LOCAL);
	assert_string_equal(addr_print(&nh.ip, b, sizeof(b)), "10.3.0.9");
	a = A("10.1.3.4");
	assert_true(fab_next_hop(f, "vm2-nic", &a, &nh));
	assert_int_equal(nh.hop, FAB_HOP_PEERING);
	a = A("10.2.0.4"); /* spoke1 is not peered with spoke2 */
	assert_true(fab_next_hop(f, "vm2-nic", &a, &nh));
	assert_int_equal(nh.hop, FAB_HOP_NONE);
	a = A("2001:db8::1");
	assert_true(fab_next_hop(f, "vm2-nic", &a, &nh));
	assert_int_equal(nh.hop, FAB_HOP_NONE);
}

/* An ARS route: VirtualNetworkGateway with the NVA's IP (spec 4.7). */
static void
test_next_hop_ars_route(void **state)
{
	struct fab_next_hop nh;
	struct ipaddr a = A("192.168.10.7");
	char b[ADDR_STRLEN];

	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", NULL, 1);
	assert_true(fab_next_hop(f, "vm1-nic", &a, &nh));
	assert_int_equal(nh.hop, FAB_HOP_GATEWAY);
	assert_string_equal(addr_print(&nh.ip, b, sizeof(b)), "10.1.2.4");
	assert_string_equal(nh.route_table_id, "System Route");
}

/* NICs of one subnet share one table. */
static void
test_nics_share_subnet_table(void **state)
{
	struct fab_table a, b;

	(void)state;
	assert_true(fab_nic_effective_routes(f, "nva1-nic", &a));
	assert_true(fab_nic_effective_routes(f, "nva2-nic", &b));
	assert_ptr_equal(a.rows, b.rows);
}

/* A change recomputes only the subnets that can see it. */
static void
test_incremental_recompute(void **state)
{
	struct topo_subnet s;
	uint64_t n;

	(void)state;
	fab_sync(f);
	n = recomputes();
	assert_int_equal(n, t->nsubnets);
	fab_sync(f);
	assert_int_equal(recomputes(), n);
	/* An ARS route: the hub's 4 subnets and spoke1's; not spoke2. */
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", NULL, 1);
	fab_sync(f);
	assert_int_equal(recomputes(), n + 5);
	n = recomputes();
	/* A route table on spoke1: spoke1's subnet only. */
	must(put_rt(t, "rt", true));
	s = *topo_subnet_lookup(t, "spoke1", "default");
	s.route_table = "rt";
	must(topo_subnet_put(t, &s, &lab_err));
	fab_sync(f);
	assert_int_equal(recomputes(), n + 1);
	n = recomputes();
	/* A NIC does not change any table. */
	must(put_nic(t, "vm3-nic", "spoke2", "default", "10.3.0.5", false));
	fab_sync(f);
	assert_int_equal(recomputes(), n);
	/* A route in the table: spoke1 again. */
	must(put_route(t, "rt", "r", "10.9.0.0/16", TOPO_HOP_NONE, NULL));
	assert_int_equal(nrows(f, "vm1-nic", "10.9.0.0/16", NULL), 1);
	assert_int_equal(recomputes(), n + 1);
}

static void
test_program_replaces_and_withdraws(void **state)
{
	(void)state;
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.10.0/24",
	    "10.1.2.4", NULL, 1);
	prog1(f, "ars/IN_0", "ars", FAB_ORIGIN_ARS, "192.168.20.0/24",
	    "10.1.2.4", NULL, 1);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.10.0/24", NULL), 0);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.20.0/24", NULL), 1);
	fab_program(f, "ars/IN_0", "ars", NULL, 0);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.20.0/24", NULL), 0);
}

/* Two ARS routes of ars/IN_0 with next hop NVA1 (NVA2 too when ecmp). */
static void
prog2(struct fab_route *r, struct ipaddr *nh)
{
	size_t i;

	nh[0] = A("10.1.2.4");
	nh[1] = A("10.1.2.5");
	for (i = 0; i < 2; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].nexthop = nh;
		r[i].nnh = 1;
		r[i].origin = FAB_ORIGIN_ARS;
		r[i].aspath_len = 1;
	}
	r[0].pfx = P("192.168.10.0/24");
	r[1].pfx = P("192.168.20.0/24");
	fab_program(f, "ars/IN_0", "ars", r, 2);
}

/* fab_program_route: one prefix of a source changes, the rest stays. */
static void
test_program_route_one_prefix(void **state)
{
	struct fab_route r[2];
	struct ipaddr nh[2];
	struct fab_stats st;

	(void)state;
	prog2(r, nh);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.10.0/24", NULL), 1);
	r[0].nnh = 2; /* ECMP over both NVAs */
	fab_program_route(f, "ars/IN_0", "ars", &r[0], 1);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.10.0/24", NULL), 2);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.10.0/24", "10.1.2.5"), 1);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.20.0/24", NULL), 1);
	/* A new prefix joins the set. */
	r[1].pfx = P("192.168.30.0/24");
	fab_program_route(f, "ars/IN_0", "ars", &r[1], 1);
	assert_int_equal(nrows(f, "vm1-nic", "192.168.30.0/24", NULL), 1);
	assert_int_equal(nrows(f, "vm1-nic", "192.168.20.0/24", NULL), 1);
	fab_stats(f, &st);
	assert_int_equal(st.routes, 3);
}

/* fab_withdraw_route: one prefix goes; unknown ones change nothing. */
static void
test_withdraw_route(void **state)
{
	struct fab_route r[2];
	struct ipaddr nh[2];
	struct prefix p = P("192.168.10.0/24");
	uint64_t n;

	(void)state;
	prog2(r, nh);
	fab_withdraw_route(f, "ars/IN_0", &p);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.10.0/24", NULL), 0);
	assert_int_equal(nrows(f, "vmh-nic", "192.168.20.0/24", NULL), 1);
	fab_sync(f);
	n = recomputes();
	fab_withdraw_route(f, "ars/IN_0", &p);
	fab_withdraw_route(f, "ars/IN_1", &r[1].pfx);
	fab_sync(f);
	assert_int_equal(recomputes(), n);
	assert_int_equal(nrows(f, "vm1-nic", "192.168.20.0/24", NULL), 1);
}

/* A source handing over the set it had changes no table. */
static void
test_program_same_set(void **state)
{
	struct fab_route r[2];
	struct ipaddr nh[2];
	uint64_t n;

	(void)state;
	prog2(r, nh);
	fab_sync(f);
	n = recomputes();
	fab_program(f, "ars/IN_0", "ars", r, 2);
	fab_sync(f);
	assert_int_equal(recomputes(), n);
}

/* A deleted subnet's NIC goes, and its table with it from queries. */
static void
test_topology_change_seen(void **state)
{
	(void)state;
	assert_int_equal(nrows(f, "vm2-nic", "10.1.0.0/16", NULL), 1);
	must(topo_peering_del(t, "hub", "hub-to-spoke2", &lab_err));
	assert_int_equal(nrows(f, "vm2-nic", "10.1.0.0/16", NULL), 0);
	assert_int_equal(nrows(f, "vmh-nic", "10.3.0.0/16", NULL), 0);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_unknown_nic),
		T(test_next_hop_system_routes),
		T(test_next_hop_ars_route),
		T(test_nics_share_subnet_table),
		T(test_incremental_recompute),
		T(test_program_replaces_and_withdraws),
		T(test_program_route_one_prefix),
		T(test_withdraw_route),
		T(test_program_same_set),
		T(test_topology_change_seen),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
