/* SPDX-License-Identifier: ISC */
/* tests/rib/test_rib.c - unit tests for src/rib/rib.c: table, decision process, journal, export. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "bgp/update.h"
#include "rib/rib.h"

/*
 * Routes are built from wire bytes: route() writes the path attributes
 * an internal peer would send for 10.0.0.0/8 (ORIGIN, one AS_SEQUENCE of
 * 4-octet ASes, NEXT_HOP, MED and LOCAL_PREF when asked), decodes them
 * with bgp_update_decode() and interns them with attrs_from_wire().  Each
 * test gets its own rib (rib_setup) and drops its own references before
 * rib_teardown() frees it.
 */

static struct bgp_pattrs pa; /* the decoded UPDATE; borrows from a msg */

struct msg {
	uint8_t b[512];
	size_t len;
};

/* What route() builds. */
struct route {
	uint8_t origin;   /* BGP_ORIGIN_* */
	uint32_t path[8]; /* one AS_SEQUENCE, up to the first 0 */
	uint32_t med;     /* MED, sent when not 0 */
	uint32_t lp;      /* LOCAL_PREF, sent when not 0 */
	uint8_t nh;       /* next hop 192.0.2.nh; 0 means 192.0.2.1 */
};

static void
put(struct msg *m, const void *p, size_t n)
{
	if (n > 0)
		memcpy(m->b + m->len, p, n);
	m->len += n;
}

/* One attribute: flags, type, 1-octet length, value. */
static void
attr(struct msg *m, uint8_t flags, uint8_t type, const void *v, size_t n)
{
	uint8_t h[3] = { flags, type, (uint8_t)n };

	put(m, h, 3);
	put(m, v, n);
}

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Intern the attribute set r describes; the caller owns a reference. */
static struct attrs *
route(struct rib *rib, const struct route *r)
{
	static const uint8_t nlri_10[] = { 8, 10 };
	uint8_t path[2 + 8 * 4], v[4], nh[4] = { 192, 0, 2, 1 };
	struct bgp_update u;
	struct bgp_ctx ctx;
	struct bgp_err err;
	struct ipaddr a;
	struct msg m;
	unsigned n;

	if (r->nh != 0)
		nh[3] = r->nh;
	for (n = 0; n < 8 && r->path[n] != 0; n++)
		be32(path + 2 + 4 * n, r->path[n]);
	path[0] = BGP_AS_SEQUENCE;
	path[1] = (uint8_t)n;

	m.len = 0;
	attr(&m, 0x40, BGP_ATTR_ORIGIN, &r->origin, 1);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, path, n > 0 ? 2 + 4 * n : 0);
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, nh, 4);
	if (r->med != 0) {
		be32(v, r->med);
		attr(&m, 0x80, BGP_ATTR_MED, v, 4);
	}
	if (r->lp != 0) {
		be32(v, r->lp);
		attr(&m, 0x40, BGP_ATTR_LOCAL_PREF, v, 4);
	}

	memset(&ctx, 0, sizeof(ctx));
	ctx.as4 = true;
	memset(&err, 0, sizeof(err));
	u.withdrawn = rbuf_make(NULL, 0);
	u.attrs = rbuf_make(m.b, m.len);
	u.nlri = rbuf_make(nlri_10, sizeof(nlri_10));
	assert_true(bgp_update_decode(&u, &ctx, &pa, &err));
	assert_int_equal(pa.outcome, BGP_OUT_OK);
	memset(&a, 0, sizeof(a));
	a.af = ADDR_V4;
	memcpy(a.a, nh, 4);
	return attrs_from_wire(rib, &pa, &a, NULL);
}

static struct prefix
pfx(const char *s)
{
	struct prefix p;
	const char *err;

	memset(&p, 0, sizeof(p));
	err = prefix_parse(s, &p, 0);
	if (err != NULL)
		fail_msg("prefix_parse(\"%s\"): %s", s, err);
	return p;
}

/* IPv4 /24 number i: 10.(i / 256).(i % 256).0/24. */
static struct prefix
pfx_n(unsigned i)
{
	uint8_t a[4] = { 10, (uint8_t)(i >> 8), (uint8_t)i, 0 };
	struct prefix p;

	memset(&p, 0, sizeof(p));
	prefix_set(&p, ADDR_V4, a, 24);
	return p;
}

/* IPv6 /64 number i: 2001:db8:0:i::/64. */
static struct prefix
pfx6_n(unsigned i)
{
	uint8_t a[8] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, (uint8_t)(i >> 8),
		(uint8_t)i };
	struct prefix p;

	memset(&p, 0, sizeof(p));
	prefix_set(&p, ADDR_V6, a, 64);
	return p;
}

/* Add a peer: external or internal, its AS, BGP identifier and address. */
static uint16_t
peer(struct rib *rib, bool ebgp, uint32_t asn, uint32_t router_id,
    const char *addr)
{
	uint16_t id = rib_peer_add(rib);
	struct rib_peer *p;

	assert_int_not_equal(id, 0);
	p = rib_peer(rib, id);
	assert_non_null(p);
	p->ebgp = ebgp;
	p->asn = asn;
	p->router_id = router_id;
	if (!addr_parse(addr, &p->addr))
		fail_msg("addr_parse(\"%s\") failed", addr);
	return id;
}

/* A peer that listens: up, so it takes journal records. */
static uint16_t
listener(struct rib *rib)
{
	uint16_t id = peer(rib, true, 65100, 0x0a000064, "10.0.0.100");

	rib_peer(rib, id)->up = true;
	return id;
}

/* Take every journal record for id into out; returns how many. */
static size_t
drain(struct rib *rib, uint16_t id, struct rib_entry **out, size_t max)
{
	size_t n = 0, k;

	while ((k = rib_journal_take(rib, id, out + n, max - n)) > 0)
		n += k;
	return n;
}

static struct rib_stats
stats(const struct rib *rib)
{
	struct rib_stats st;

	rib_stats(rib, &st);
	return st;
}

/* Each test gets a rib of its own, freed even when the test fails. */
static int
rib_setup(void **state)
{
	*state = rib_new();
	return 0;
}

static int
rib_teardown(void **state)
{
	rib_free(*state);
	return 0;
}

/* A new prefix changes the best path and makes a journal record. */
static void
test_rib_update_new(void **state)
{
	struct rib *rib = *state;
	uint16_t l = listener(rib), s = peer(rib, true, 65001, 1, "10.0.0.1");
	struct prefix p = pfx("10.0.0.0/8");
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });
	struct rib_entry *e, *out[4];
	struct prefix q;

	assert_null(rib_lookup(rib, &p));
	assert_int_equal(rib_journal_pending(rib, l), 0);
	assert_true(rib_update(rib, &p, s, 0, a));
	e = rib_lookup(rib, &p);
	assert_non_null(e);
	assert_non_null(e->paths);
	assert_ptr_equal(e->paths->attrs, a);
	assert_int_equal(e->paths->peer, s);
	assert_null(e->paths->next);
	assert_int_equal(a->refcnt, 2); /* ours and the path's */
	assert_int_equal(rib_count(rib), 1);
	assert_int_equal(rib_peer(rib, s)->nprefixes, 1);
	assert_int_equal(stats(rib).paths, 1);
	assert_int_equal(stats(rib).entries, 1);
	rib_entry_prefix(e, &q);
	assert_true(prefix_equal(&p, &q));

	assert_int_equal(rib_journal_pending(rib, l), 1);
	assert_int_equal(rib_journal_take(rib, l, out, 4), 1);
	assert_ptr_equal(out[0], e);
	assert_int_equal(rib_journal_pending(rib, l), 0);
	attrs_unref(rib, a);
}

/* The same route again changes nothing; another one from the peer does. */
static void
test_rib_update_same_again(void **state)
{
	struct rib *rib = *state;
	uint16_t l = listener(rib), s = peer(rib, true, 65001, 1, "10.0.0.1");
	struct prefix p = pfx("10.0.0.0/8");
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });
	struct attrs *b =
	    route(rib, &(struct route){ .path = { 65001 }, .med = 5 });
	struct rib_entry *e;

	assert_true(rib_update(rib, &p, s, 0, a));
	assert_false(rib_update(rib, &p, s, 0, a));
	assert_int_equal(rib_journal_pending(rib, l), 1);
	assert_int_equal(rib_peer(rib, s)->nprefixes, 1);
	assert_int_equal(a->refcnt, 2);

	/* a replacement: same path, other attributes */
	assert_true(rib_update(rib, &p, s, 0, b));
	e = rib_lookup(rib, &p);
	assert_ptr_equal(e->paths->attrs, b);
	assert_null(e->paths->next);
	assert_int_equal(a->refcnt, 1); /* the path let go of it */
	assert_int_equal(rib_peer(rib, s)->nprefixes, 1);
	assert_int_equal(stats(rib).paths, 1);
	assert_int_equal(rib_journal_pending(rib, l), 2);
	attrs_unref(rib, a);
	attrs_unref(rib, b);
}

/*
 * Offer better (from peer pb) and worse (from pw) for two prefixes, in
 * both orders: better must be the best path each time, worse behind it.
 */
static void
expect_best(struct rib *rib, uint16_t pb, struct attrs *better, uint16_t pw,
    struct attrs *worse)
{
	struct prefix p1 = pfx("10.1.0.0/16"), p2 = pfx("10.2.0.0/16");
	struct rib_entry *e;

	assert_true(rib_update(rib, &p1, pb, 0, better));
	rib_update(rib, &p1, pw, 0, worse);
	assert_true(rib_update(rib, &p2, pw, 0, worse));
	assert_true(rib_update(rib, &p2, pb, 0, better));

	e = rib_lookup(rib, &p1);
	assert_int_equal(e->paths->peer, pb);
	assert_ptr_equal(e->paths->attrs, better);
	assert_int_equal(e->paths->next->peer, pw);
	assert_true(rib_path_cmp(rib, e->paths, e->paths->next) < 0);
	assert_true(rib_path_cmp(rib, e->paths->next, e->paths) > 0);
	e = rib_lookup(rib, &p2);
	assert_int_equal(e->paths->peer, pb);
	assert_int_equal(e->paths->next->peer, pw);
	assert_null(e->paths->next->next);
}

/* The ECMP flag of the second path of 10.1.0.0/16 (after expect_best). */
static bool
second_is_ecmp(struct rib *rib)
{
	struct prefix p1 = pfx("10.1.0.0/16");
	struct rib_entry *e = rib_lookup(rib, &p1);

	assert_true(e->paths->flags & RIB_PATH_ECMP);
	return (e->paths->next->flags & RIB_PATH_ECMP) != 0;
}

/*
 * RFC 4271 9.1.2.2 (9.1.1 for iBGP): higher LOCAL_PREF first, even over
 * a shorter AS path and a lower BGP identifier.
 */
static void
test_rib_decide_localpref(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, false, 65000, 2, "10.0.0.2");
	uint16_t y = peer(rib, false, 65000, 1, "10.0.0.1");
	struct attrs *better = route(
	    rib, &(struct route){ .path = { 65001, 65002, 65003 }, .lp = 200 });
	struct attrs *worse =
	    route(rib, &(struct route){ .path = { 65001 }, .lp = 100 });

	expect_best(rib, x, better, y, worse);
	assert_false(second_is_ecmp(rib));
	attrs_unref(rib, better);
	attrs_unref(rib, worse);
}

/* 9.1.2.2 a: then the shorter AS path, even with a worse ORIGIN. */
static void
test_rib_decide_aspath_length(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, false, 65000, 2, "10.0.0.2");
	uint16_t y = peer(rib, false, 65000, 1, "10.0.0.1");
	struct attrs *better = route(rib,
	    &(struct route){ .origin = BGP_ORIGIN_INCOMPLETE,
	        .path = { 65001 },
	        .lp = 100 });
	struct attrs *worse =
	    route(rib, &(struct route){ .path = { 65001, 65002 }, .lp = 100 });

	expect_best(rib, x, better, y, worse);
	assert_false(second_is_ecmp(rib));
	attrs_unref(rib, better);
	attrs_unref(rib, worse);
}

/* 9.1.2.2 b: then the lower ORIGIN, even with a higher MED. */
static void
test_rib_decide_origin(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, true, 65001, 2, "10.0.0.2");
	uint16_t y = peer(rib, true, 65001, 1, "10.0.0.1");
	struct attrs *better = route(rib,
	    &(struct route){
	        .origin = BGP_ORIGIN_IGP, .path = { 65001 }, .med = 100 });
	struct attrs *worse = route(rib,
	    &(struct route){
	        .origin = BGP_ORIGIN_EGP, .path = { 65001 }, .med = 10 });

	expect_best(rib, x, better, y, worse);
	assert_false(second_is_ecmp(rib));
	attrs_unref(rib, better);
	attrs_unref(rib, worse);
}

/*
 * 9.1.2.2 c: then the lower MED between paths from the same neighbour
 * AS (first AS 65001 on both), before the BGP identifier.
 */
static void
test_rib_decide_med_same_as(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, true, 65001, 2, "10.0.0.2");
	uint16_t y = peer(rib, true, 65001, 1, "10.0.0.1");
	struct attrs *better =
	    route(rib, &(struct route){ .path = { 65001, 65100 }, .med = 10 });
	struct attrs *worse =
	    route(rib, &(struct route){ .path = { 65001, 65200 }, .med = 20 });

	expect_best(rib, x, better, y, worse);
	assert_false(second_is_ecmp(rib));
	attrs_unref(rib, better);
	attrs_unref(rib, worse);
}

/*
 * 9.1.2.2 c: MED is not compared between different neighbour ASes; the
 * lower BGP identifier decides, and both paths stay equal for ECMP.
 */
static void
test_rib_decide_med_other_as(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, true, 65001, 1, "10.0.0.2");
	uint16_t y = peer(rib, true, 65002, 2, "10.0.0.1");
	struct attrs *better =
	    route(rib, &(struct route){ .path = { 65001 }, .med = 100 });
	struct attrs *worse =
	    route(rib, &(struct route){ .path = { 65002 }, .med = 10 });

	expect_best(rib, x, better, y, worse);
	assert_true(second_is_ecmp(rib));
	attrs_unref(rib, better);
	attrs_unref(rib, worse);
}

/* 9.1.2.2 d: then eBGP over iBGP (missing LOCAL_PREF counts as 100). */
static void
test_rib_decide_ebgp_over_ibgp(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, true, 65001, 2, "10.0.0.2");
	uint16_t y = peer(rib, false, 65000, 1, "10.0.0.1");
	struct attrs *better = route(rib, &(struct route){ .path = { 65001 } });
	struct attrs *worse =
	    route(rib, &(struct route){ .path = { 65002 }, .lp = 100 });

	expect_best(rib, x, better, y, worse);
	assert_false(second_is_ecmp(rib));
	attrs_unref(rib, better);
	attrs_unref(rib, worse);
}

/* 9.1.2.2 f: then the lower BGP identifier, before the peer address. */
static void
test_rib_decide_router_id(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, true, 65001, 1, "10.0.0.2");
	uint16_t y = peer(rib, true, 65001, 2, "10.0.0.1");
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });

	expect_best(rib, x, a, y, a);
	assert_true(second_is_ecmp(rib));
	attrs_unref(rib, a);
}

/* 9.1.2.2 g: last, the lower peer address. */
static void
test_rib_decide_peer_addr(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, true, 65001, 7, "10.0.0.1");
	uint16_t y = peer(rib, true, 65001, 7, "10.0.0.2");
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });

	expect_best(rib, x, a, y, a);
	assert_true(second_is_ecmp(rib));
	attrs_unref(rib, a);
}

/*
 * Paths equal through LOCAL_PREF, AS path length, ORIGIN, MED and
 * eBGP/iBGP are ECMP with the best; the others are not, and adding one
 * of those changes nothing.
 */
static void
test_rib_ecmp(void **state)
{
	struct rib *rib = *state;
	uint16_t a = peer(rib, true, 65001, 3, "10.0.0.1");
	uint16_t b = peer(rib, true, 65002, 2, "10.0.0.2");
	uint16_t c = peer(rib, true, 65003, 1, "10.0.0.3");
	uint16_t d = peer(rib, false, 65000, 0, "10.0.0.4");
	struct attrs *ra = route(rib, &(struct route){ .path = { 65001 } });
	struct attrs *rb = route(rib, &(struct route){ .path = { 65002 } });
	struct attrs *ra2;
	struct attrs *rc =
	    route(rib, &(struct route){ .path = { 65003, 65004 } });
	struct attrs *rd =
	    route(rib, &(struct route){ .path = { 65005 }, .lp = 100 });
	struct prefix p = pfx("10.0.0.0/8");
	struct rib_entry *e;
	struct rib_path *q;

	assert_true(rib_update(rib, &p, a, 0, ra));
	assert_true(rib_update(rib, &p, b, 0, rb));  /* lower identifier */
	assert_false(rib_update(rib, &p, c, 0, rc)); /* longer path */
	assert_false(rib_update(rib, &p, d, 0, rd)); /* iBGP */
	/* an ECMP path that changes (its next hop) changes the export */
	ra2 = route(rib, &(struct route){ .path = { 65001 }, .nh = 9 });
	assert_true(rib_update(rib, &p, a, 0, ra2));
	e = rib_lookup(rib, &p);
	q = e->paths;
	assert_int_equal(q->peer, b);
	assert_true(q->flags & RIB_PATH_ECMP);
	q = q->next;
	assert_int_equal(q->peer, a);
	assert_ptr_equal(q->attrs, ra2);
	assert_true(q->flags & RIB_PATH_ECMP);
	q = q->next;
	assert_int_equal(q->peer, d);
	assert_false(q->flags & RIB_PATH_ECMP);
	q = q->next;
	assert_int_equal(q->peer, c);
	assert_false(q->flags & RIB_PATH_ECMP);
	assert_null(q->next);
	attrs_unref(rib, ra);
	attrs_unref(rib, ra2);
	attrs_unref(rib, rb);
	attrs_unref(rib, rc);
	attrs_unref(rib, rd);
}

/* Withdrawing the best path promotes the next one. */
static void
test_rib_withdraw_best(void **state)
{
	struct rib *rib = *state;
	uint16_t l = listener(rib);
	uint16_t x = peer(rib, true, 65001, 1, "10.0.0.1");
	uint16_t y = peer(rib, true, 65002, 2, "10.0.0.2");
	struct attrs *rx = route(rib, &(struct route){ .path = { 65001 } });
	struct attrs *ry =
	    route(rib, &(struct route){ .path = { 65002, 65003 } });
	struct prefix p = pfx("10.0.0.0/8");
	struct rib_entry *e;

	rib_update(rib, &p, x, 0, rx);
	rib_update(rib, &p, y, 0, ry);
	assert_int_equal(rib_journal_pending(rib, l), 1);
	assert_true(rib_withdraw(rib, &p, x, 0));
	e = rib_lookup(rib, &p);
	assert_int_equal(e->paths->peer, y);
	assert_ptr_equal(e->paths->attrs, ry);
	assert_true(e->paths->flags & RIB_PATH_ECMP);
	assert_null(e->paths->next);
	assert_int_equal(rib_peer(rib, x)->nprefixes, 0);
	assert_int_equal(rib_peer(rib, y)->nprefixes, 1);
	assert_int_equal(stats(rib).paths, 1);
	assert_int_equal(rx->refcnt, 1);
	assert_int_equal(rib_journal_pending(rib, l), 2);
	/* the last path: the entry is empty, and that is a change too */
	assert_true(rib_withdraw(rib, &p, y, 0));
	assert_null(e->paths);
	assert_int_equal(rib_journal_pending(rib, l), 3);
	attrs_unref(rib, rx);
	attrs_unref(rib, ry);
}

/* Withdrawing a path that is not the best (nor ECMP) changes nothing. */
static void
test_rib_withdraw_nonbest(void **state)
{
	struct rib *rib = *state;
	uint16_t l = listener(rib);
	uint16_t x = peer(rib, true, 65001, 1, "10.0.0.1");
	uint16_t y = peer(rib, true, 65002, 2, "10.0.0.2");
	struct attrs *rx = route(rib, &(struct route){ .path = { 65001 } });
	struct attrs *ry =
	    route(rib, &(struct route){ .path = { 65002, 65003 } });
	struct prefix p = pfx("10.0.0.0/8"), other = pfx("10.9.0.0/16");
	struct rib_entry *e;

	rib_update(rib, &p, x, 0, rx);
	rib_update(rib, &p, y, 0, ry);
	assert_false(rib_withdraw(rib, &p, y, 0));
	e = rib_lookup(rib, &p);
	assert_int_equal(e->paths->peer, x);
	assert_null(e->paths->next);
	assert_int_equal(rib_peer(rib, y)->nprefixes, 0);
	assert_int_equal(ry->refcnt, 1);
	assert_int_equal(rib_journal_pending(rib, l), 1);
	/* paths and prefixes that are not there */
	assert_false(rib_withdraw(rib, &p, y, 0));
	assert_false(rib_withdraw(rib, &p, x, 7));
	assert_false(rib_withdraw(rib, &other, x, 0));
	assert_int_equal(rib_peer(rib, x)->nprefixes, 1);
	attrs_unref(rib, rx);
	attrs_unref(rib, ry);
}

/* Flushing a peer removes its paths only, and says how many. */
static void
test_rib_flush_peer(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, true, 65001, 1, "10.0.0.1");
	uint16_t y = peer(rib, true, 65002, 2, "10.0.0.2");
	struct attrs *rx = route(rib, &(struct route){ .path = { 65001 } });
	struct attrs *ry = route(rib, &(struct route){ .path = { 65002 } });
	struct prefix p1 = pfx("10.1.0.0/16"), p2 = pfx("10.2.0.0/16"),
	              p3 = pfx("10.3.0.0/16"), p4 = pfx("10.4.0.0/16");
	struct rib_entry *e;

	rib_update(rib, &p1, x, 0, rx);
	rib_update(rib, &p2, x, 0, rx);
	rib_update(rib, &p3, x, 0, rx); /* shared with y */
	rib_update(rib, &p3, y, 0, ry);
	rib_update(rib, &p4, y, 0, ry);
	assert_int_equal(rib_peer(rib, x)->nprefixes, 3);
	assert_int_equal(rib_peer(rib, y)->nprefixes, 2);

	assert_int_equal(rib_flush_peer(rib, x), 3);
	assert_int_equal(rib_peer(rib, x)->nprefixes, 0);
	assert_int_equal(rib_peer(rib, y)->nprefixes, 2);
	assert_int_equal(stats(rib).paths, 2);
	assert_int_equal(rx->refcnt, 1);
	assert_null(rib_lookup(rib, &p1)->paths);
	assert_null(rib_lookup(rib, &p2)->paths);
	e = rib_lookup(rib, &p3);
	assert_int_equal(e->paths->peer, y);
	assert_null(e->paths->next);
	assert_int_equal(rib_lookup(rib, &p4)->paths->peer, y);
	assert_int_equal(rib_flush_peer(rib, x), 0);
	attrs_unref(rib, rx);
	attrs_unref(rib, ry);
}

/* 10.0.0.0/8 and a00::/8 have the same bits and are different prefixes. */
static void
test_rib_v4_v6_distinct(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, true, 65001, 1, "10.0.0.1");
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });
	struct prefix p4 = pfx("10.0.0.0/8"), p6 = pfx("a00::/8"), q;
	struct rib_entry *e4, *e6;

	assert_int_equal(p4.a[0], p6.a[0]);
	assert_true(rib_update(rib, &p4, x, 0, a));
	assert_null(rib_lookup(rib, &p6));
	assert_true(rib_update(rib, &p6, x, 0, a));
	assert_int_equal(rib_count(rib), 2);
	e4 = rib_lookup(rib, &p4);
	e6 = rib_lookup(rib, &p6);
	assert_ptr_not_equal(e4, e6);
	assert_int_equal(e4->af, ADDR_V4);
	assert_int_equal(e6->af, ADDR_V6);
	rib_entry_prefix(e6, &q);
	assert_true(prefix_equal(&q, &p6));
	assert_true(rib_withdraw(rib, &p4, x, 0));
	assert_non_null(rib_lookup(rib, &p6)->paths);
	assert_int_equal(rib_peer(rib, x)->nprefixes, 1);
	attrs_unref(rib, a);
}

#define MANY4 20000
#define MANY6 8000

/*
 * Enough prefixes to grow the table several times (IPv4 /24s, and IPv6
 * /64s that differ only past their fourth byte): all stay findable.
 */
static void
test_rib_table_growth(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, true, 65001, 1, "10.0.0.1");
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });
	uint64_t table0 = stats(rib).table_bytes;
	struct prefix p, q, none4 = pfx("11.0.0.0/24"),
	                    none6 = pfx("2001:db8:0:ffff::/64");
	struct rib_entry *e;
	unsigned i;

	for (i = 0; i < MANY4 + MANY6; i++) {
		p = i < MANY4 ? pfx_n(i) : pfx6_n(i - MANY4);
		assert_true(rib_update(rib, &p, x, 0, a));
	}
	assert_int_equal(rib_count(rib), MANY4 + MANY6);
	assert_int_equal(stats(rib).entries, MANY4 + MANY6);
	assert_int_equal(rib_peer(rib, x)->nprefixes, MANY4 + MANY6);
	assert_true(stats(rib).table_bytes > table0);
	assert_int_equal(a->refcnt, MANY4 + MANY6 + 1);
	for (i = 0; i < MANY4 + MANY6; i++) {
		p = i < MANY4 ? pfx_n(i) : pfx6_n(i - MANY4);
		e = rib_lookup(rib, &p);
		if (e == NULL)
			fail_msg("prefix %u lost after growth", i);
		rib_entry_prefix(e, &q);
		if (!prefix_equal(&p, &q))
			fail_msg("prefix %u found the wrong entry", i);
		assert_ptr_equal(e->paths->attrs, a);
	}
	assert_null(rib_lookup(rib, &none4));
	assert_null(rib_lookup(rib, &none6));
	assert_int_equal(rib_flush_peer(rib, x), MANY4 + MANY6);
	assert_int_equal(a->refcnt, 1);
	attrs_unref(rib, a);
}

#define TRIM_N 3000

/*
 * Once every peer that is up has seen the withdrawals, trimming the
 * journal frees the empty entries; the entries with a path left (every
 * third, also learned from y) stay, and stay findable while their
 * neighbours in the table go.
 */
static void
test_rib_trim_frees_empty(void **state)
{
	static struct rib_entry *out[TRIM_N * 2 + 16];
	struct rib *rib = *state;
	uint16_t l = listener(rib);
	uint16_t x = peer(rib, true, 65001, 1, "10.0.0.1");
	uint16_t y = peer(rib, true, 65002, 2, "10.0.0.2");
	struct attrs *rx = route(rib, &(struct route){ .path = { 65001 } });
	struct attrs *ry =
	    route(rib, &(struct route){ .path = { 65002, 65003 } });
	struct prefix p;
	struct rib_entry *e;
	unsigned i;

	for (i = 0; i < TRIM_N; i++) {
		p = pfx_n(i);
		rib_update(rib, &p, x, 0, rx);
		if (i % 3 == 0)
			rib_update(rib, &p, y, 0, ry);
	}
	for (i = 0; i < TRIM_N; i++) {
		p = pfx_n(i);
		assert_true(rib_withdraw(rib, &p, x, 0));
	}
	assert_int_equal(rib_count(rib), TRIM_N);

	/* the listener has not seen them yet: nothing goes */
	rib_journal_trim(rib);
	assert_int_equal(rib_count(rib), TRIM_N);
	assert_non_null(rib_lookup(rib, &p));

	assert_true(drain(rib, l, out, TRIM_N * 2 + 16) > 0);
	assert_int_equal(rib_journal_pending(rib, l), 0);
	rib_journal_trim(rib);
	assert_int_equal(rib_count(rib), TRIM_N / 3);
	assert_int_equal(stats(rib).entries, TRIM_N / 3);
	for (i = 0; i < TRIM_N; i++) {
		p = pfx_n(i);
		e = rib_lookup(rib, &p);
		if (i % 3 != 0) {
			if (e != NULL)
				fail_msg("empty entry %u not freed", i);
			continue;
		}
		if (e == NULL)
			fail_msg("entry %u with a path lost by the trim", i);
		assert_int_equal(e->paths->peer, y);
		assert_ptr_equal(e->paths->attrs, ry);
	}
	assert_int_equal(rib_peer(rib, x)->nprefixes, 0);
	assert_int_equal(rib_peer(rib, y)->nprefixes, TRIM_N / 3);
	assert_int_equal(rx->refcnt, 1);

	/* a freed prefix can come back */
	p = pfx_n(7);
	assert_true(rib_update(rib, &p, x, 0, rx));
	assert_non_null(rib_lookup(rib, &p));
	assert_int_equal(rib_count(rib), TRIM_N / 3 + 1);
	assert_int_equal(rib_journal_take(rib, l, out, 4), 1);
	assert_ptr_equal(out[0], rib_lookup(rib, &p));
	attrs_unref(rib, rx);
	attrs_unref(rib, ry);
}

#define CHUNKS_N 300000 /* more than a pool chunk, 1 << 18 objects */

/* IPv4 /24 number i, for more than 65536 of them. */
static struct prefix
pfx_big(unsigned i)
{
	uint8_t a[4] = { (uint8_t)(20 + (i >> 16)), (uint8_t)(i >> 8),
		(uint8_t)i, 0 };
	struct prefix p;

	memset(&p, 0, sizeof(p));
	prefix_set(&p, ADDR_V4, a, 24);
	return p;
}

/*
 * More entries than a pool chunk holds: each stays findable and is
 * given once to a listener; the listener's down clears its advertised
 * bit in every entry; the entries freed by the trim are reused for new
 * prefixes without new memory.
 */
static void
test_rib_pool_chunks(void **state)
{
	static struct rib_entry *out[CHUNKS_N + 16];
	struct rib *rib = *state;
	uint16_t l = listener(rib);
	uint16_t x = peer(rib, true, 65001, 1, "10.0.0.1");
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });
	uint64_t bit = 1ull << rib_peer(rib, l)->slot, ebytes;
	struct prefix p, q;
	struct rib_entry *e;
	unsigned i;
	size_t n;

	for (i = 0; i < CHUNKS_N; i++) {
		p = pfx_big(i);
		assert_true(rib_update(rib, &p, x, 0, a));
	}
	n = drain(rib, l, out, CHUNKS_N + 16);
	assert_int_equal(n, CHUNKS_N);
	for (i = 0; i < n; i++)
		out[i]->adv |= bit; /* what the export does once sent */
	for (i = 0; i < CHUNKS_N; i++) {
		p = pfx_big(i);
		if ((e = rib_lookup(rib, &p)) == NULL)
			fail_msg("prefix %u lost", i);
		rib_entry_prefix(e, &q);
		if (!prefix_equal(&p, &q))
			fail_msg("prefix %u found the wrong entry", i);
		if (!(e->adv & bit))
			fail_msg("prefix %u not marked as sent", i);
	}

	/* the listener goes down: it holds nothing any more */
	assert_int_equal(rib_peer_down(rib, l), 0);
	for (i = 0; i < CHUNKS_N; i++) {
		p = pfx_big(i);
		if (rib_lookup(rib, &p)->adv & bit)
			fail_msg("prefix %u still marked after the down", i);
	}
	rib_peer(rib, l)->up = true;

	/* half withdrawn, seen by the listener: the trim frees them */
	for (i = 0; i < CHUNKS_N / 2; i++) {
		p = pfx_big(i);
		assert_true(rib_withdraw(rib, &p, x, 0));
	}
	assert_int_equal(drain(rib, l, out, CHUNKS_N + 16), CHUNKS_N / 2);
	rib_journal_trim(rib);
	assert_int_equal(rib_count(rib), CHUNKS_N - CHUNKS_N / 2);

	/* new prefixes take the freed entries */
	ebytes = stats(rib).entries_bytes;
	for (i = CHUNKS_N; i < CHUNKS_N + CHUNKS_N / 2; i++) {
		p = pfx_big(i);
		assert_true(rib_update(rib, &p, x, 0, a));
	}
	assert_int_equal(stats(rib).entries_bytes, ebytes);
	assert_int_equal(rib_count(rib), CHUNKS_N);
	for (i = 0; i < CHUNKS_N + CHUNKS_N / 2; i++) {
		p = pfx_big(i);
		e = rib_lookup(rib, &p);
		if (i < CHUNKS_N / 2 && e != NULL)
			fail_msg("withdrawn prefix %u still there", i);
		if (i < CHUNKS_N / 2)
			continue;
		if (e == NULL)
			fail_msg("prefix %u lost", i);
		rib_entry_prefix(e, &q);
		if (!prefix_equal(&p, &q))
			fail_msg("prefix %u found the wrong entry", i);
		assert_ptr_equal(e->paths->attrs, a);
	}
	assert_int_equal(rib_flush_peer(rib, x), CHUNKS_N);
	assert_int_equal(a->refcnt, 1);
	attrs_unref(rib, a);
}

/* Records come out in the order of the changes, in slices of max. */
static void
test_journal_take_order(void **state)
{
	struct rib *rib = *state;
	uint16_t l = listener(rib), x = peer(rib, true, 65001, 1, "10.0.0.1");
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });
	struct prefix p1 = pfx("10.1.0.0/16"), p2 = pfx("10.2.0.0/16"),
	              p3 = pfx("10.3.0.0/16");
	struct rib_entry *out[8];

	rib_update(rib, &p2, x, 0, a);
	rib_update(rib, &p3, x, 0, a);
	rib_update(rib, &p1, x, 0, a);
	assert_int_equal(rib_journal_pending(rib, l), 3);
	assert_int_equal(rib_journal_take(rib, l, out, 2), 2);
	assert_ptr_equal(out[0], rib_lookup(rib, &p2));
	assert_ptr_equal(out[1], rib_lookup(rib, &p3));
	assert_int_equal(rib_journal_pending(rib, l), 1);
	assert_int_equal(rib_journal_take(rib, l, out, 8), 1);
	assert_ptr_equal(out[0], rib_lookup(rib, &p1));
	assert_int_equal(rib_journal_pending(rib, l), 0);
	assert_int_equal(rib_journal_take(rib, l, out, 8), 0);
	attrs_unref(rib, a);
}

/* An entry changed twice is given once, at the place of its last change. */
static void
test_journal_latest_once(void **state)
{
	struct rib *rib = *state;
	uint16_t l = listener(rib), x = peer(rib, true, 65001, 1, "10.0.0.1");
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });
	struct attrs *b =
	    route(rib, &(struct route){ .path = { 65001 }, .med = 9 });
	struct prefix p1 = pfx("10.1.0.0/16"), p2 = pfx("10.2.0.0/16");
	struct rib_entry *out[8];

	rib_update(rib, &p1, x, 0, a);
	rib_update(rib, &p2, x, 0, a);
	rib_update(rib, &p1, x, 0, b);
	assert_int_equal(rib_journal_pending(rib, l), 3);
	assert_int_equal(rib_journal_take(rib, l, out, 8), 2);
	assert_ptr_equal(out[0], rib_lookup(rib, &p2));
	assert_ptr_equal(out[1], rib_lookup(rib, &p1));
	assert_ptr_equal(out[1]->paths->attrs, b);
	assert_int_equal(rib_journal_pending(rib, l), 0);
	attrs_unref(rib, a);
	attrs_unref(rib, b);
}

#define REFRESH_N 50

/*
 * A refresh gives every entry with a path once (a walk of the table),
 * empty ones not at all, then the changes made after it.
 */
static void
test_journal_refresh(void **state)
{
	struct rib *rib = *state;
	uint16_t x = peer(rib, true, 65001, 1, "10.0.0.1"), l;
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });
	struct rib_entry *out[REFRESH_N * 2], *e;
	unsigned seen[REFRESH_N + 1], i, j;
	struct prefix p, empty = pfx_n(REFRESH_N - 1);
	size_t n, k;

	for (i = 0; i < REFRESH_N; i++) {
		p = pfx_n(i);
		rib_update(rib, &p, x, 0, a);
	}
	rib_withdraw(rib, &empty, x, 0);
	/* a peer that comes up later starts at the end of the journal */
	l = listener(rib);
	assert_int_equal(rib_journal_pending(rib, l), 0);
	rib_peer_refresh(rib, l);
	assert_true(rib_journal_pending(rib, l) > 0);

	/* in slices of 7, as a sender packing UPDATEs would */
	n = 0;
	while ((k = rib_journal_take(rib, l, out + n, 7)) > 0)
		n += k;
	assert_int_equal(n, REFRESH_N - 1);
	assert_int_equal(rib_journal_pending(rib, l), 0);
	memset(seen, 0, sizeof(seen));
	for (j = 0; j < n; j++) {
		assert_non_null(out[j]->paths);
		for (i = 0; i < REFRESH_N; i++) {
			p = pfx_n(i);
			if (out[j] == rib_lookup(rib, &p))
				break;
		}
		seen[i]++;
	}
	for (i = 0; i < REFRESH_N - 1; i++)
		if (seen[i] != 1)
			fail_msg("prefix %u given %u times", i, seen[i]);
	assert_int_equal(seen[REFRESH_N - 1], 0); /* the empty one */
	assert_int_equal(seen[REFRESH_N], 0);     /* nothing unknown */

	/* after the walk: only new changes */
	p = pfx_n(REFRESH_N);
	rib_update(rib, &p, x, 0, a);
	assert_int_equal(rib_journal_take(rib, l, out, 8), 1);
	e = rib_lookup(rib, &p);
	assert_ptr_equal(out[0], e);
	assert_int_equal(rib_journal_take(rib, l, out, 8), 0);
	attrs_unref(rib, a);
}

/* RFC 7947 transparent export: the best path, never back to its source. */
static void
test_export_transparent(void **state)
{
	struct rib *rib = *state;
	uint16_t l = listener(rib), x = peer(rib, true, 65001, 1, "10.0.0.1");
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });
	struct prefix p = pfx("10.0.0.0/8");
	struct rib_entry *e;
	struct attrs *got;

	rib_update(rib, &p, x, 0, a);
	e = rib_lookup(rib, &p);
	assert_null(rib_export(rib, e, x));
	got = rib_export(rib, e, l);
	assert_ptr_equal(got, a);
	assert_int_equal(a->refcnt, 3); /* ours, the path's, the export's */
	attrs_unref(rib, got);
	assert_int_equal(a->refcnt, 2);
	/* an empty entry exports nothing */
	rib_withdraw(rib, &p, x, 0);
	assert_null(rib_export(rib, e, l));
	attrs_unref(rib, a);
}

struct hook_log {
	unsigned calls;
	const struct rib_entry *e;
	uint16_t to;
	struct ipaddr nh;
};

/* An export hook that prepends 65515 and sets its own next hop. */
static struct attrs *
export_prepend(
    void *arg, struct rib *rib, const struct rib_entry *e, uint16_t to)
{
	struct hook_log *h = arg;

	h->calls++;
	h->e = e;
	h->to = to;
	return attrs_prepend(rib, e->paths->attrs, 65515, 1, &h->nh);
}

/* A peer's export hook decides what it hears. */
static void
test_export_hook(void **state)
{
	struct rib *rib = *state;
	uint16_t l = listener(rib), x = peer(rib, true, 65001, 1, "10.0.0.1");
	uint16_t o = listener(rib);
	struct attrs *a = route(rib, &(struct route){ .path = { 65001 } });
	struct prefix p = pfx("10.0.0.0/8");
	struct hook_log h;
	struct rib_entry *e;
	struct attrs *got;

	memset(&h, 0, sizeof(h));
	assert_true(addr_parse("198.51.100.1", &h.nh));
	rib_peer(rib, l)->export = export_prepend;
	rib_peer(rib, l)->export_arg = &h;
	rib_update(rib, &p, x, 0, a);
	e = rib_lookup(rib, &p);

	got = rib_export(rib, e, l);
	assert_int_equal(h.calls, 1);
	assert_ptr_equal(h.e, e);
	assert_int_equal(h.to, l);
	assert_non_null(got);
	assert_ptr_not_equal(got, a);
	assert_int_equal(got->first_as, 65515);
	assert_int_equal(got->pathlen, 2);
	assert_int_equal(addr_cmp(&got->nexthop, &h.nh), 0);
	assert_int_equal(got->refcnt, 1);
	attrs_unref(rib, got);

	/* a peer without a hook still gets the transparent export */
	got = rib_export(rib, e, o);
	assert_ptr_equal(got, a);
	assert_int_equal(h.calls, 1);
	attrs_unref(rib, got);
	attrs_unref(rib, a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_rib_update_new, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_update_same_again, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_decide_localpref, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_decide_aspath_length, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_decide_origin, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_decide_med_same_as, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_decide_med_other_as, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_decide_ebgp_over_ibgp, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_decide_router_id, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_decide_peer_addr, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_ecmp, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_withdraw_best, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_withdraw_nonbest, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_flush_peer, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_v4_v6_distinct, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_table_growth, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_trim_frees_empty, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rib_pool_chunks, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_take_order, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_latest_once, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_journal_refresh, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_export_transparent, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_export_hook, rib_setup, rib_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
