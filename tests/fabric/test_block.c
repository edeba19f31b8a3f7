/* SPDX-License-Identifier: ISC */
/* tests/fabric/test_block.c - unit tests for src/fabric/block.c: shared rows, updated prefix by prefix, equal a recompute. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */

#include "fab.h"

/*
 * The spec 9 topology with a VPN gateway beside ARS in the hub.  Three
 * sources program into the hub (and so into spoke1, which uses the hub's
 * gateways); spoke1's subnet has a user route.  After every change, each
 * NIC's table and next hops must equal those of a new fabric given the
 * sources' whole sets: what an incremental update leaves is what a
 * recompute from scratch gives.
 */

#define NSRC   3
#define MAXR   16
#define NHOPS  3
#define TXTLEN 8192

struct src {
	const char *name, *res;
	enum fab_origin origin;
	struct fab_route r[MAXR];
	struct ipaddr nh[MAXR][2];
	size_t n;
};

static struct topo *t;
static struct fabric *f;
static struct src srcs[NSRC];

static const char *const nics[] = { "nva1-nic", "vmh-nic", "vm1-nic",
	"vm2-nic" };

/* Addresses whose next hop is compared, one per interesting prefix. */
static const char *const dsts[] = { "192.168.10.9", "192.168.20.9", "10.2.5.9",
	"10.3.0.9", "10.9.9.9", "8.8.8.8", "172.16.0.1" };

static int
setup(void **state)
{
	static const struct src init[NSRC] = {
		{ .name = "ars/IN_0", .res = "ars", .origin = FAB_ORIGIN_ARS },
		{ .name = "ars/IN_1", .res = "ars", .origin = FAB_ORIGIN_ARS },
		{ .name = "vpngw", .res = "vpngw", .origin = FAB_ORIGIN_VPN },
	};

	(void)state;
	t = spec_topo();
	must(put_gw(t, "vpngw", "hub", TOPO_GW_VPN, 65510, true, NULL));
	must(put_rt(t, "rt", false));
	must(put_route(t, "rt", "to-fw", "192.168.20.0/24", TOPO_HOP_APPLIANCE,
	    "10.1.2.6"));
	must(put_subnet(t, "spoke1", "default", "10.2.0.0/24", "rt"));
	memcpy(srcs, init, sizeof(srcs));
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

/* The route of source s for pfx: next hops nh1 (and nh2), AS path len. */
static struct fab_route *
route_set(struct src *s, const char *pfx, const char *nh1, const char *nh2,
    int aspath_len)
{
	struct prefix p = P(pfx);
	struct fab_route *r = NULL;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (prefix_equal(&s->r[i].pfx, &p))
			r = &s->r[i];
	if (r == NULL) {
		assert_true(s->n < MAXR);
		r = &s->r[s->n];
		r->nexthop = s->nh[s->n++];
	}
	r->pfx = p;
	r->origin = s->origin;
	r->aspath_len = aspath_len;
	s->nh[r - s->r][0] = A(nh1);
	r->nnh = 1;
	if (nh2 != NULL) {
		s->nh[r - s->r][1] = A(nh2);
		r->nnh = 2;
	}
	return r;
}

static void
route_drop(struct src *s, const char *pfx)
{
	struct prefix p = P(pfx);
	size_t i;

	for (i = 0; i < s->n; i++)
		if (prefix_equal(&s->r[i].pfx, &p))
			break;
	assert_true(i < s->n);
	for (; i + 1 < s->n; i++) {
		s->r[i] = s->r[i + 1];
		memcpy(s->nh[i], s->nh[i + 1], sizeof(s->nh[i]));
		s->r[i].nexthop = s->nh[i];
	}
	s->n--;
}

/* Every field of every row of nic, and its next hops towards dsts. */
static void
dump(struct fabric *fab, const char *nic, char *buf, size_t size)
{
	char p[PREFIX_STRLEN], a[ADDR_STRLEN];
	struct fab_next_hop nh;
	struct fab_table tb;
	struct ipaddr d;
	size_t i, off = 0;

	assert_true(fab_nic_effective_routes(fab, nic, &tb));
	for (i = 0; i < tb.nrows && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off,
		    "%s %s %s/%zu %s %s %s %d %s\n",
		    fab_src_name(tb.rows[i].source),
		    fab_state_name(tb.rows[i].state),
		    prefix_print(&tb.rows[i].prefixes[0], p, sizeof(p)),
		    tb.rows[i].nprefixes, fab_hop_name(tb.rows[i].hop),
		    tb.rows[i].nexthop.af
		        ? addr_print(&tb.rows[i].nexthop, a, sizeof(a))
		        : "-",
		    tb.rows[i].name != NULL ? tb.rows[i].name : "-",
		    tb.rows[i].disable_bgp,
		    tb.rows[i].programmed_by != NULL ? tb.rows[i].programmed_by
		                                     : "-");
	for (i = 0; i < sizeof(dsts) / sizeof(dsts[0]) && off < size; i++) {
		d = A(dsts[i]);
		assert_true(fab_next_hop(fab, nic, &d, &nh));
		off += (size_t)snprintf(buf + off, size - off, "%s -> %s %s\n",
		    dsts[i], fab_hop_name(nh.hop),
		    nh.ip.af ? addr_print(&nh.ip, a, sizeof(a)) : "-");
	}
	assert_true(off < size);
}

/* f's tables equal those of a new fabric given the whole sets. */
static void
check_equals_scratch(const struct fab_opts *o)
{
	static char got[TXTLEN], want[TXTLEN];
	struct fabric *g = fab_new(t);
	size_t i;

	if (o != NULL)
		fab_opts_set(g, o);
	for (i = 0; i < NSRC; i++)
		fab_program(g, srcs[i].name, srcs[i].res, srcs[i].r, srcs[i].n);
	for (i = 0; i < sizeof(nics) / sizeof(nics[0]); i++) {
		dump(f, nics[i], got, sizeof(got));
		dump(g, nics[i], want, sizeof(want));
		assert_string_equal(got, want);
	}
	fab_free(g);
}

static uint64_t
recomputes(void)
{
	struct fab_stats st;

	fab_stats(f, &st);
	return st.recomputes;
}

/* Whole sets first, then every kind of change, one at a time. */
static void
program_all(void)
{
	size_t i;

	route_set(&srcs[0], "192.168.10.0/24", "10.1.2.4", NULL, 1);
	route_set(&srcs[0], "192.168.20.0/24", "10.1.2.4", NULL, 1);
	route_set(&srcs[0], "10.2.5.0/24", "10.1.2.4", NULL, 1); /* R2.6 */
	route_set(&srcs[0], "10.3.0.0/16", "10.1.2.4", NULL, 1); /* R3.6.3 */
	route_set(&srcs[1], "192.168.10.0/24", "10.1.2.5", NULL, 1);
	route_set(&srcs[1], "0.0.0.0/0", "10.1.2.5", NULL, 2);
	route_set(&srcs[2], "192.168.10.0/24", "10.1.255.4", NULL, 1);
	route_set(&srcs[2], "10.9.0.0/16", "10.1.255.4", "10.1.255.5", 1);
	for (i = 0; i < NSRC; i++)
		fab_program(f, srcs[i].name, srcs[i].res, srcs[i].r, srcs[i].n);
}

static void
test_updates_equal_recompute(void **state)
{
	const struct fab_opts shadowed = { .list_shadowed_bgp = true,
		.keep_default_rows = true };
	struct prefix p;
	int pass;

	(void)state;
	program_all();
	/* What the subnets change in the shared rows: spoke1's user route
	   makes the gateway row Invalid there only (R3.6.2); the hub's
	   peering with spoke2 hides 10.3/16 there only (R3.6.3). */
	assert_int_equal(
	    row(f, "vm1-nic", FAB_SRC_GATEWAY, "192.168.20.0/24")->state,
	    FAB_INVALID);
	assert_int_equal(
	    row(f, "vmh-nic", FAB_SRC_GATEWAY, "192.168.20.0/24")->state,
	    FAB_ACTIVE);
	assert_int_equal(nrows(f, "vmh-nic", "10.3.0.0/16", "10.1.2.4"), 0);
	assert_int_equal(nrows(f, "vm1-nic", "10.3.0.0/16", "10.1.2.4"), 1);
	check_equals_scratch(NULL);
	for (pass = 0; pass < 2; pass++) {
		/* A new prefix, ECMP over two NVAs. */
		fab_program_route(f, "ars/IN_0", "ars",
		    route_set(
		        &srcs[0], "172.16.0.0/12", "10.1.2.4", "10.1.2.5", 1),
		    1);
		check_equals_scratch(pass ? &shadowed : NULL);
		/* A tie with the VPN gateway lost on AS-path length. */
		fab_program_route(f, "ars/IN_1", "ars",
		    route_set(&srcs[1], "192.168.10.0/24", "10.1.2.5", NULL, 3),
		    1);
		check_equals_scratch(pass ? &shadowed : NULL);
		/* The gateway's route leaves: ARS ECMP again. */
		p = P("192.168.10.0/24");
		route_drop(&srcs[2], "192.168.10.0/24");
		fab_withdraw_route(f, "vpngw", &p);
		check_equals_scratch(pass ? &shadowed : NULL);
		/* Inside a peering's prefix, then out of it. */
		fab_program_route(f, "vpngw", "vpngw",
		    route_set(&srcs[2], "10.3.1.0/24", "10.1.255.4", NULL, 1),
		    1);
		check_equals_scratch(pass ? &shadowed : NULL);
		p = P("10.3.1.0/24");
		route_drop(&srcs[2], "10.3.1.0/24");
		fab_withdraw_route(f, "vpngw", &p);
		/* The default route, and the prefix of the user route. */
		route_drop(&srcs[1], "0.0.0.0/0");
		fab_program(f, "ars/IN_1", "ars", srcs[1].r, srcs[1].n);
		check_equals_scratch(pass ? &shadowed : NULL);
		fab_program_route(f, "vpngw", "vpngw",
		    route_set(
		        &srcs[2], "192.168.20.0/24", "10.1.255.4", NULL, 0),
		    1);
		check_equals_scratch(pass ? &shadowed : NULL);
		/* Back to the starting sets for the second pass. */
		route_set(&srcs[1], "0.0.0.0/0", "10.1.2.5", NULL, 2);
		fab_program(f, "ars/IN_1", "ars", srcs[1].r, srcs[1].n);
		route_set(&srcs[2], "192.168.10.0/24", "10.1.255.4", NULL, 1);
		fab_program(f, "vpngw", "vpngw", srcs[2].r, srcs[2].n);
		fab_opts_set(f, &shadowed);
	}
	check_equals_scratch(&shadowed);
}

/* A topology change between updates: the block is rebuilt, then updated. */
static void
test_updates_after_topology_change(void **state)
{
	(void)state;
	program_all();
	fab_sync(f);
	/* spoke1 stops using the hub's gateways, then uses them again. */
	must(put_peering(t, "spoke1", "spoke1-to-hub", "hub", false, false));
	fab_program_route(f, "ars/IN_0", "ars",
	    route_set(&srcs[0], "192.168.30.0/24", "10.1.2.4", NULL, 1), 1);
	check_equals_scratch(NULL);
	must(put_peering(t, "spoke1", "spoke1-to-hub", "hub", false, true));
	check_equals_scratch(NULL);
	fab_program_route(f, "ars/IN_0", "ars",
	    route_set(&srcs[0], "192.168.30.0/24", "10.1.2.5", NULL, 1), 1);
	check_equals_scratch(NULL);
	/* Routing preference changes how ARS and the gateway compare. */
	must(put_rs(t, "ars", "hub", true, TOPO_PREF_ASPATH));
	fab_program_route(f, "vpngw", "vpngw",
	    route_set(&srcs[2], "192.168.30.0/24", "10.1.255.4", NULL, 4), 1);
	check_equals_scratch(NULL);
}

/* The hub's subnets and spoke1 see the same hub: one block for them. */
static void
test_block_shared(void **state)
{
	struct fab_stats st;
	uint64_t n;

	(void)state;
	program_all();
	fab_sync(f);
	fab_stats(f, &st);
	assert_int_equal(st.blocks, 1);
	/* 192.168.10/24 (the gateway wins the tie with ARS), 192.168.20/24,
	   10.3/16, 0/0, 10.9/16 x2; 10.2.5/24 is filtered (R2.6). */
	assert_int_equal(st.block_rows, 6);
	/* One changed prefix: the 5 subnets that see the hub, once. */
	n = recomputes();
	fab_program_route(f, "ars/IN_0", "ars",
	    route_set(&srcs[0], "192.168.20.0/24", "10.1.2.6", NULL, 1), 1);
	fab_sync(f);
	assert_int_equal(recomputes(), n + 5);
	/* Changes that leave the rows as they were change no table: a
	   route that loses to the gateway's, a route inside spoke1's VNet
	   set, a prefix nobody programs withdrawn, a set programmed again. */
	n = recomputes();
	fab_program_route(f, "ars/IN_0", "ars",
	    route_set(&srcs[0], "192.168.10.0/24", "10.1.2.6", NULL, 1), 1);
	fab_program_route(f, "ars/IN_0", "ars",
	    route_set(&srcs[0], "10.2.5.0/24", "10.1.2.6", NULL, 1), 1);
	fab_withdraw_route(f, "ars/IN_1",
	    &(struct prefix){ .af = ADDR_V4, .len = 24, .a = { 203, 0, 113 } });
	fab_program(f, "vpngw", "vpngw", srcs[2].r, srcs[2].n);
	fab_sync(f);
	assert_int_equal(recomputes(), n);
	check_equals_scratch(NULL);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_updates_equal_recompute),
		T(test_updates_after_topology_change),
		T(test_block_shared),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
