/* SPDX-License-Identifier: ISC */
/* tests/fabric/fab.h - helpers for the fabric tests: program routes, find rows. */

#ifndef VRS_TESTS_FABRIC_FAB_H
#define VRS_TESTS_FABRIC_FAB_H

#include <stdio.h>

#include "../topology/lab.h"
#include "fabric/fabric.h"

/* Program one route with up to two next hops as source (resource res). */
UNUSED static void
prog1(struct fabric *f, const char *source, const char *res, enum fab_origin o,
    const char *pfx, const char *nh1, const char *nh2, int aspath_len)
{
	struct ipaddr nh[2];
	struct fab_route r = { .pfx = P(pfx),
		.nexthop = nh,
		.origin = o,
		.aspath_len = aspath_len };

	nh[0] = A(nh1);
	r.nnh = 1;
	if (nh2 != NULL) {
		nh[1] = A(nh2);
		r.nnh = 2;
	}
	fab_program(f, source, res, &r, 1);
}

/* ARS-programmed routes, the same on both instances. */
UNUSED static void
prog_ars(struct fabric *f, const struct fab_route *r, size_t n)
{
	fab_program(f, "ars/IN_0", "ars", r, n);
	fab_program(f, "ars/IN_1", "ars", r, n);
}

UNUSED static struct fab_table
table(struct fabric *f, const char *nic)
{
	struct fab_table t;

	if (!fab_nic_effective_routes(f, nic, &t))
		fail_msg("no NIC %s", nic);
	return t;
}

/* How many rows of nic have prefix pfx (and, if nh, that next hop). */
UNUSED static int
nrows(struct fabric *f, const char *nic, const char *pfx, const char *nh)
{
	struct fab_table t = table(f, nic);
	struct prefix p = P(pfx);
	struct ipaddr a;
	int n = 0;
	size_t i;

	if (nh != NULL)
		a = A(nh);
	for (i = 0; i < t.nrows; i++) {
		if (t.rows[i].nprefixes != 1 ||
		    !prefix_equal(&t.rows[i].prefixes[0], &p))
			continue;
		if (nh != NULL && addr_cmp(&t.rows[i].nexthop, &a) != 0)
			continue;
		n++;
	}
	return n;
}

/* The only row of nic for pfx with source src; fails if not exactly one. */
UNUSED static const struct fab_row *
row(struct fabric *f, const char *nic, enum fab_src src, const char *pfx)
{
	struct fab_table t = table(f, nic);
	const struct fab_row *found = NULL;
	struct prefix p = P(pfx);
	size_t i;

	for (i = 0; i < t.nrows; i++) {
		if (t.rows[i].source != src || t.rows[i].nprefixes != 1 ||
		    !prefix_equal(&t.rows[i].prefixes[0], &p))
			continue;
		if (found != NULL)
			fail_msg("%s: two %s rows for %s", nic,
			    fab_src_name(src), pfx);
		found = &t.rows[i];
	}
	if (found == NULL)
		fail_msg("%s: no %s row for %s", nic, fab_src_name(src), pfx);
	return found;
}

/* The rows of nic as "Source State Prefix Type NextHop" lines. */
UNUSED static const char *
rows_text(struct fabric *f, const char *nic, char *buf, size_t size)
{
	struct fab_table t = table(f, nic);
	char p[PREFIX_STRLEN], a[ADDR_STRLEN];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < t.nrows && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off,
		    "%s %s %s %s%s%s\n", fab_src_name(t.rows[i].source),
		    fab_state_name(t.rows[i].state),
		    prefix_print(&t.rows[i].prefixes[0], p, sizeof(p)),
		    fab_hop_name(t.rows[i].hop),
		    t.rows[i].nexthop.af ? " " : "",
		    t.rows[i].nexthop.af
		        ? addr_print(&t.rows[i].nexthop, a, sizeof(a))
		        : "");
	return buf;
}

#endif
