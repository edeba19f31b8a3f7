/* SPDX-License-Identifier: ISC */
/* tests/bgp/test_attr_table.c - unit tests for src/bgp/attr_table.c: RFC 7606, row by row. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "bgp/update.h"

/*
 * Each test builds the path attributes of an UPDATE that announces
 * 10.0.0.0/8, with one attribute changed, and checks the outcome RFC 7606
 * prescribes: accepted, attribute discard, treat-as-withdraw, or session
 * reset with the right NOTIFICATION.
 */

static struct bgp_pattrs pa;

struct msg {
	uint8_t b[4096];
	size_t len;
};

static void
put(struct msg *m, const void *p, size_t n)
{
	if (n == 0)
		return;
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

static const uint8_t origin_igp[] = { 0 };
/* AS_SEQUENCE of one 4-octet AS, 65001 */
static const uint8_t path_65001[] = { 2, 1, 0, 0, 0xfd, 0xe9 };
static const uint8_t nh_ok[] = { 192, 0, 2, 1 };
static const uint8_t nlri_10[] = { 8, 10 };

enum skip { SKIP_NONE = 0, SKIP_ORIGIN = 1, SKIP_PATH = 2, SKIP_NH = 4 };

/* The three mandatory attributes, less those in skip. */
static void
base(struct msg *m, int skip)
{
	m->len = 0;
	if (!(skip & SKIP_ORIGIN))
		attr(m, 0x40, BGP_ATTR_ORIGIN, origin_igp, 1);
	if (!(skip & SKIP_PATH))
		attr(m, 0x40, BGP_ATTR_AS_PATH, path_65001, sizeof(path_65001));
	if (!(skip & SKIP_NH))
		attr(m, 0x40, BGP_ATTR_NEXT_HOP, nh_ok, 4);
}

static struct bgp_ctx
ctx_ebgp(void)
{
	struct bgp_ctx c;

	memset(&c, 0, sizeof(c));
	c.as4 = true;
	c.ebgp = true;
	c.peer_as = 65001;
	return c;
}

static struct bgp_ctx
ctx_ibgp(void)
{
	struct bgp_ctx c = ctx_ebgp();

	c.ebgp = false;
	c.peer_as = 0;
	return c;
}

/* Decode attrs m with NLRI 10/8; returns false on session reset. */
static bool
run(const struct msg *m, const struct bgp_ctx *ctx, struct bgp_err *err)
{
	struct bgp_update u = {
		.withdrawn = rbuf_make(NULL, 0),
		.attrs = rbuf_make(m->b, m->len),
		.nlri = rbuf_make(nlri_10, sizeof(nlri_10)),
	};

	memset(err, 0, sizeof(*err));
	return bgp_update_decode(&u, ctx, &pa, err);
}

static void
expect(const struct msg *m, const struct bgp_ctx *ctx, enum bgp_outcome out,
    uint8_t subcode)
{
	struct bgp_err err;
	bool ok = run(m, ctx, &err);

	if (out == BGP_OUT_RESET) {
		assert_false(ok);
		assert_int_equal(err.code, BGP_ERR_UPDATE);
		assert_int_equal(err.subcode, subcode);
		return;
	}
	assert_true(ok);
	assert_int_equal(pa.outcome, out);
	if (out != BGP_OUT_OK) {
		assert_int_equal(pa.err.code, BGP_ERR_UPDATE);
		assert_int_equal(pa.err.subcode, subcode);
	}
}

static void
test_valid_minimal(void **state)
{
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_int_equal(pa.origin, BGP_ORIGIN_IGP);
	assert_memory_equal(pa.nexthop, nh_ok, 4);
	assert_int_equal(bgp_aspath_length(&pa.aspath), 1);
	assert_int_equal(pa.nlist, 3);
}

/* RFC 7606 7.1: ORIGIN of length 2, or value 3: treat-as-withdraw */
static void
test_origin_malformed(void **state)
{
	static const uint8_t two[] = { 0, 0 }, three[] = { 3 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_ORIGIN);
	attr(&m, 0x40, BGP_ATTR_ORIGIN, two, 2);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LEN);
	base(&m, SKIP_ORIGIN);
	attr(&m, 0x40, BGP_ATTR_ORIGIN, three, 1);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ORIGIN);
	assert_int_equal(pa.err.attr, BGP_ATTR_ORIGIN);
}

/* RFC 7606 7.2: bad segment type, zero count, overrun: withdraw */
static void
test_aspath_malformed(void **state)
{
	static const uint8_t badtype[] = { 5, 1, 0, 0, 0xfd, 0xe9 };
	static const uint8_t zero[] = { 2, 0 };
	static const uint8_t overrun[] = { 2, 2, 0, 0, 0xfd, 0xe9 };
	static const uint8_t confed[] = { 3, 1, 0, 0, 0xfd, 0xe9, 2, 1, 0, 0,
		0xfd, 0xe9 };
	struct msg m;
	struct bgp_ctx e = ctx_ebgp(), i = ctx_ibgp();

	(void)state;
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, badtype, sizeof(badtype));
	expect(&m, &e, BGP_OUT_WITHDRAW, BGP_UPD_ASPATH);
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, zero, sizeof(zero));
	expect(&m, &e, BGP_OUT_WITHDRAW, BGP_UPD_ASPATH);
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, overrun, sizeof(overrun));
	expect(&m, &e, BGP_OUT_WITHDRAW, BGP_UPD_ASPATH);
	/* confederation segments: fine from an internal peer only */
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, confed, sizeof(confed));
	expect(&m, &e, BGP_OUT_WITHDRAW, BGP_UPD_ASPATH);
	expect(&m, &i, BGP_OUT_OK, 0);
	/* RFC 5065: confederation ASes do not count in the length */
	assert_int_equal(bgp_aspath_length(&pa.aspath), 1);
}

/* RFC 4271 6.3: the first AS of an external peer's path is its own */
static void
test_aspath_first_as(void **state)
{
	static const uint8_t other[] = { 2, 1, 0, 0, 0xfd, 0xea };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, other, sizeof(other));
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ASPATH);
	c.peer_as = 0; /* a route server's client does not check */
	expect(&m, &c, BGP_OUT_OK, 0);
}

/* RFC 7606 7.3: NEXT_HOP length 5, or 0.0.0.0 / multicast: withdraw */
static void
test_nexthop_malformed(void **state)
{
	static const uint8_t five[] = { 1, 2, 3, 4, 5 },
	                     zero[] = { 0, 0, 0, 0 },
	                     mcast[] = { 224, 0, 0, 1 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NH);
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, five, 5);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LEN);
	base(&m, SKIP_NH);
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, zero, 4);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_NEXTHOP);
	base(&m, SKIP_NH);
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, mcast, 4);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_NEXTHOP);
}

/* RFC 7606 7.4: MED of length 3: withdraw; length 4 accepted */
static void
test_med(void **state)
{
	static const uint8_t ok[] = { 0, 0, 0, 200 }, bad[] = { 0, 0, 200 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0x80, BGP_ATTR_MED, ok, 4);
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_int_equal(pa.med, 200);
	base(&m, SKIP_NONE);
	attr(&m, 0x80, BGP_ATTR_MED, bad, 3);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LEN);
}

/*
 * RFC 7606 7.5: LOCAL_PREF from an external peer is discarded; from an
 * internal one a bad length means withdraw.
 */
static void
test_localpref(void **state)
{
	static const uint8_t ok[] = { 0, 0, 0, 100 }, bad[] = { 0, 100 };
	struct msg m;
	struct bgp_ctx e = ctx_ebgp(), i = ctx_ibgp();

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0x40, BGP_ATTR_LOCAL_PREF, ok, 4);
	expect(&m, &i, BGP_OUT_OK, 0);
	assert_int_equal(pa.localpref, 100);
	expect(&m, &e, BGP_OUT_DISCARD, BGP_UPD_ATTR_LEN);
	assert_false(bgp_pattrs_has(&pa, BGP_ATTR_LOCAL_PREF));
	assert_true(bgp_pattrs_has(&pa, BGP_ATTR_NEXT_HOP));
	base(&m, SKIP_NONE);
	attr(&m, 0x40, BGP_ATTR_LOCAL_PREF, bad, 2);
	expect(&m, &i, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LEN);
}

/* RFC 7606 7.6: ATOMIC_AGGREGATE with a value: discard */
static void
test_atomic_aggregate(void **state)
{
	static const uint8_t one[] = { 1 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0x40, BGP_ATTR_ATOMIC_AGGR, NULL, 0);
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_true(bgp_pattrs_has(&pa, BGP_ATTR_ATOMIC_AGGR));
	base(&m, SKIP_NONE);
	attr(&m, 0x40, BGP_ATTR_ATOMIC_AGGR, one, 1);
	expect(&m, &c, BGP_OUT_DISCARD, BGP_UPD_ATTR_LEN);
	assert_false(bgp_pattrs_has(&pa, BGP_ATTR_ATOMIC_AGGR));
}

/* RFC 7606 7.7: AGGREGATOR of the wrong length for the session: discard */
static void
test_aggregator(void **state)
{
	static const uint8_t a8[] = { 0, 0, 0xfd, 0xe9, 10, 0, 0, 1 };
	static const uint8_t a6[] = { 0xfd, 0xe9, 10, 0, 0, 1 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_AGGREGATOR, a8, 8);
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_int_equal(pa.aggr_as, 65001);
	assert_int_equal(pa.aggr_id, 0x0a000001);
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_AGGREGATOR, a6, 6);
	expect(&m, &c, BGP_OUT_DISCARD, BGP_UPD_ATTR_LEN);
	c.as4 = false; /* now 6 is right and 8 is wrong */
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, (const uint8_t[]){ 2, 1, 0xfd, 0xe9 },
	    4);
	attr(&m, 0xc0, BGP_ATTR_AGGREGATOR, a6, 6);
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_int_equal(pa.aggr_as, 65001);
}

/*
 * RFC 7607 2: AS 0 makes AS_PATH malformed (RFC 7606 7.2: withdraw) and
 * AGGREGATOR malformed (7.7: discard); ExaBGP compatibility keeps both.
 */
static void
test_as_zero(void **state)
{
	static const uint8_t path0[] = { 2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0, 0 };
	static const uint8_t aggr0[] = { 0, 0, 0, 0, 10, 0, 0, 1 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, path0, sizeof(path0));
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ASPATH);
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_AGGREGATOR, aggr0, sizeof(aggr0));
	expect(&m, &c, BGP_OUT_DISCARD, BGP_UPD_OPTATTR);
	assert_false(bgp_pattrs_has(&pa, BGP_ATTR_AGGREGATOR));
	c.exa_compat = true;
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_int_equal(pa.aggr_as, 0);
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, path0, sizeof(path0));
	expect(&m, &c, BGP_OUT_OK, 0);
}

/* RFC 7606 7.8: COMMUNITIES not a non-zero multiple of 4: withdraw */
static void
test_communities(void **state)
{
	static const uint8_t ok[] = { 0xff, 0xed, 0xff, 0xed };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_COMMUNITIES, ok, 4);
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_int_equal(pa.communities.len, 4);
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_COMMUNITIES, ok, 3);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LEN);
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_COMMUNITIES, NULL, 0);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LEN);
}

/*
 * RFC 7606 7.9 / 7.10: ORIGINATOR_ID and CLUSTER_LIST from an external
 * peer are discarded; from an internal one a bad length: withdraw.
 */
static void
test_originator_cluster(void **state)
{
	static const uint8_t id[] = { 10, 0, 0, 9 },
	                     cl[] = { 1, 1, 1, 1, 2, 2, 2, 2 };
	struct msg m;
	struct bgp_ctx e = ctx_ebgp(), i = ctx_ibgp();

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0x80, BGP_ATTR_ORIGINATOR_ID, id, 4);
	attr(&m, 0x80, BGP_ATTR_CLUSTER_LIST, cl, 8);
	expect(&m, &i, BGP_OUT_OK, 0);
	assert_int_equal(pa.originator_id, 0x0a000009);
	assert_int_equal(pa.cluster_list.len, 8);
	expect(&m, &e, BGP_OUT_DISCARD, BGP_UPD_ATTR_LEN);
	assert_false(bgp_pattrs_has(&pa, BGP_ATTR_ORIGINATOR_ID));
	assert_false(bgp_pattrs_has(&pa, BGP_ATTR_CLUSTER_LIST));
	assert_int_equal(pa.ndiscarded, 2);
	base(&m, SKIP_NONE);
	attr(&m, 0x80, BGP_ATTR_ORIGINATOR_ID, id, 3);
	expect(&m, &i, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LEN);
	base(&m, SKIP_NONE);
	attr(&m, 0x80, BGP_ATTR_CLUSTER_LIST, cl, 6);
	expect(&m, &i, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LEN);
}

/*
 * RFC 7606 7.11: MP_REACH_NLRI whose next hop length does not fit the
 * family, or whose NLRI cannot be parsed: session reset.
 */
static void
test_mp_reach(void **state)
{
	/* AFI 2 SAFI 1, next hop 16 octets 2001:db8::1, reserved, 2001:db8::/32 */
	static const uint8_t ok[] = { 0, 2, 1, 16, 0x20, 0x01, 0x0d, 0xb8, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 32, 0x20, 0x01, 0x0d, 0xb8 };
	static const uint8_t badnh[] = { 0, 2, 1, 5, 1, 2, 3, 4, 5, 0, 32, 0x20,
		0x01, 0x0d, 0xb8 };
	static const uint8_t badpfx[] = { 0, 2, 1, 16, 0x20, 0x01, 0x0d, 0xb8,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 129, 0x20 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();
	struct bgp_nlri n;
	struct bgp_err err;
	struct rbuf f;

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0x80, BGP_ATTR_MP_REACH, ok, sizeof(ok));
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_int_equal(pa.mp_reach.afi, BGP_AFI_IPV6);
	assert_int_equal(pa.mp_reach.nh_len, 16);
	f = pa.mp_reach.nlri;
	assert_true(bgp_nlri_next(&f, ADDR_V6, false, &n, &err));
	assert_int_equal(n.pfx.len, 32);
	assert_false(bgp_nlri_next(&f, ADDR_V6, false, &n, &err));
	base(&m, SKIP_NONE);
	attr(&m, 0x80, BGP_ATTR_MP_REACH, badnh, sizeof(badnh));
	expect(&m, &c, BGP_OUT_RESET, BGP_UPD_OPTATTR);
	base(&m, SKIP_NONE);
	attr(&m, 0x80, BGP_ATTR_MP_REACH, badpfx, sizeof(badpfx));
	expect(&m, &c, BGP_OUT_RESET, BGP_UPD_OPTATTR);
}

/* RFC 7606 3 g: MP_REACH_NLRI twice: session reset 3/1 */
static void
test_mp_repeated(void **state)
{
	static const uint8_t un[] = { 0, 2, 1 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0x80, BGP_ATTR_MP_UNREACH, un, 3);
	attr(&m, 0x80, BGP_ATTR_MP_UNREACH, un, 3);
	expect(&m, &c, BGP_OUT_RESET, BGP_UPD_ATTR_LIST);
}

/* RFC 7606 3 g: any other repeat: the first is used, the rest dropped */
static void
test_repeated_attribute(void **state)
{
	static const uint8_t m1[] = { 0, 0, 0, 1 }, m2[] = { 0, 0, 0, 2 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0x80, BGP_ATTR_MED, m1, 4);
	attr(&m, 0x80, BGP_ATTR_MED, m2, 4);
	expect(&m, &c, BGP_OUT_DISCARD, BGP_UPD_ATTR_LIST);
	assert_int_equal(pa.med, 1);
	assert_true(bgp_pattrs_has(&pa, BGP_ATTR_MED));
}

/* RFC 7606 7.14: EXTENDED_COMMUNITIES not a multiple of 8: withdraw */
static void
test_ext_communities(void **state)
{
	static const uint8_t rt[] = { 0, 2, 0, 72, 0, 0, 0, 1 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_EXT_COMMUNITIES, rt, 8);
	expect(&m, &c, BGP_OUT_OK, 0);
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_EXT_COMMUNITIES, rt, 7);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LEN);
}

/* RFC 8092 6: LARGE_COMMUNITY not a non-zero multiple of 12: withdraw */
static void
test_large_community(void **state)
{
	static const uint8_t lc[12] = { 0, 0, 0x0b, 0x62, 0, 0, 0, 0, 0, 0, 2,
		0x9a };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_LARGE_COMMUNITY, lc, 12);
	expect(&m, &c, BGP_OUT_OK, 0);
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_LARGE_COMMUNITY, lc, 8);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LEN);
}

/*
 * RFC 6793 6: a malformed AS4_PATH from a 2-octet speaker is discarded;
 * from a 4-octet speaker AS4_PATH is discarded whatever it holds (4.1).
 */
static void
test_as4_path(void **state)
{
	static const uint8_t p2[] = { 2, 2, 0x5b, 0xa0, 0xfd, 0xe9 };
	static const uint8_t p4[] = { 2, 1, 0, 1, 0x11, 0x70 }; /* 70000 */
	static const uint8_t bad[] = { 3, 1, 0, 1, 0x11, 0x70 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	c.as4 = false;
	c.peer_as = 23456;
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, p2, sizeof(p2));
	attr(&m, 0xc0, BGP_ATTR_AS4_PATH, p4, sizeof(p4));
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_true(bgp_pattrs_has(&pa, BGP_ATTR_AS4_PATH));
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, p2, sizeof(p2));
	attr(&m, 0xc0, BGP_ATTR_AS4_PATH, bad, sizeof(bad));
	expect(&m, &c, BGP_OUT_DISCARD, BGP_UPD_OPTATTR);
	assert_false(bgp_pattrs_has(&pa, BGP_ATTR_AS4_PATH));
	c = ctx_ebgp();
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_AS4_PATH, p4, sizeof(p4));
	expect(&m, &c, BGP_OUT_DISCARD, BGP_UPD_OPTATTR);
	assert_false(bgp_pattrs_has(&pa, BGP_ATTR_AS4_PATH));
}

/* RFC 6793 6: AS4_AGGREGATOR of length 6: discard */
static void
test_as4_aggregator(void **state)
{
	static const uint8_t a[] = { 0, 1, 0x11, 0x70, 10, 0, 0, 1 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	c.as4 = false;
	c.peer_as = 0;
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, (const uint8_t[]){ 2, 1, 0x5b, 0xa0 },
	    4);
	attr(&m, 0xc0, BGP_ATTR_AS4_AGGREGATOR, a, 8);
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_int_equal(pa.as4aggr_as, 70000);
	base(&m, SKIP_PATH);
	attr(&m, 0x40, BGP_ATTR_AS_PATH, (const uint8_t[]){ 2, 1, 0x5b, 0xa0 },
	    4);
	attr(&m, 0xc0, BGP_ATTR_AS4_AGGREGATOR, a, 6);
	expect(&m, &c, BGP_OUT_DISCARD, BGP_UPD_ATTR_LEN);
}

/* RFC 7606 3 c: optional/transitive bits wrong for the type: the type's action */
static void
test_flags_mismatch(void **state)
{
	static const uint8_t med[] = { 0, 0, 0, 1 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	/* ORIGIN marked optional */
	base(&m, SKIP_ORIGIN);
	attr(&m, 0xc0, BGP_ATTR_ORIGIN, origin_igp, 1);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_FLAGS);
	/* MED marked transitive */
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_MED, med, 4);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_FLAGS);
	/* ATOMIC_AGGREGATE marked optional: its action is discard */
	base(&m, SKIP_NONE);
	attr(&m, 0xc0, BGP_ATTR_ATOMIC_AGGR, NULL, 0);
	expect(&m, &c, BGP_OUT_DISCARD, BGP_UPD_ATTR_FLAGS);
}

/* RFC 7606 3 d: a missing mandatory attribute: withdraw, 3/3 data type */
static void
test_missing_mandatory(void **state)
{
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();
	struct rbuf d;

	(void)state;
	base(&m, SKIP_ORIGIN);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_WK_MISSING);
	d = bgp_err_data(&pa.err);
	assert_int_equal(d.len, 1);
	assert_int_equal(d.p[0], BGP_ATTR_ORIGIN);
	base(&m, SKIP_PATH);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_WK_MISSING);
	base(&m, SKIP_NH);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_WK_MISSING);
	assert_int_equal(bgp_err_data(&pa.err).p[0], BGP_ATTR_NEXT_HOP);
}

/* A withdrawal-only UPDATE needs no attributes at all. */
static void
test_withdraw_only(void **state)
{
	static const uint8_t wd[] = { 24, 192, 168, 1 };
	struct bgp_update u = { rbuf_make(wd, 4), rbuf_make(NULL, 0),
		rbuf_make(NULL, 0) };
	struct bgp_ctx c = ctx_ebgp();
	struct bgp_err err;
	uint16_t afi;
	uint8_t safi;

	(void)state;
	assert_true(bgp_update_decode(&u, &c, &pa, &err));
	assert_int_equal(pa.outcome, BGP_OUT_OK);
	assert_false(bgp_update_is_eor(&u, &pa, &afi, &safi));
}

/* RFC 4271 6.3: an unknown well-known attribute: session reset 3/2 */
static void
test_unknown_wellknown(void **state)
{
	static const uint8_t v[] = { 1 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();
	struct bgp_err err;

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0x40, 0x99, v, 1);
	assert_false(run(&m, &c, &err));
	assert_int_equal(err.code, BGP_ERR_UPDATE);
	assert_int_equal(err.subcode, BGP_UPD_WK_UNRECOG);
	/* the data is the whole attribute: flags, type, length, value */
	assert_int_equal(bgp_err_data(&err).len, 4);
	c.exa_compat = true; /* ExaBGP's way */
	expect(&m, &c, BGP_OUT_OK, 0);
}

/* Unknown optional attributes are kept, in order, with their flags. */
static void
test_unknown_optional(void **state)
{
	static const uint8_t v[] = { 0xde, 0xad };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	attr(&m, 0xe0, 0xfe, v, 2);
	attr(&m, 0x80, 0xfd, v, 1);
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_int_equal(pa.nlist, 5);
	assert_int_equal(pa.list[3].type, 0xfe);
	assert_int_equal(pa.list[3].flags, 0xe0);
	assert_int_equal(pa.list[4].value.len, 1);
}

/*
 * RFC 7606 4: an attribute overrunning the list: withdraw, the NLRI is
 * still located by the total attribute length.
 */
static void
test_attr_list_overrun(void **state)
{
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	/* MED claims 4 octets but only 2 remain */
	put(&m, (const uint8_t[]){ 0x80, 4, 4, 0, 0 }, 5);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LEN);
	/* fewer than three octets left for a header */
	base(&m, SKIP_NONE);
	put(&m, (const uint8_t[]){ 0x80, 4 }, 2);
	expect(&m, &c, BGP_OUT_WITHDRAW, BGP_UPD_ATTR_LIST);
}

/* An extended-length attribute is read with its 2-octet length. */
static void
test_extended_length(void **state)
{
	static const uint8_t med[] = { 0x90, 4, 0, 4, 0, 0, 1, 0 };
	struct msg m;
	struct bgp_ctx c = ctx_ebgp();

	(void)state;
	base(&m, SKIP_NONE);
	put(&m, med, sizeof(med));
	expect(&m, &c, BGP_OUT_OK, 0);
	assert_int_equal(pa.med, 256);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_minimal),
		cmocka_unit_test(test_origin_malformed),
		cmocka_unit_test(test_aspath_malformed),
		cmocka_unit_test(test_aspath_first_as),
		cmocka_unit_test(test_nexthop_malformed),
		cmocka_unit_test(test_med),
		cmocka_unit_test(test_localpref),
		cmocka_unit_test(test_atomic_aggregate),
		cmocka_unit_test(test_aggregator),
		cmocka_unit_test(test_as_zero),
		cmocka_unit_test(test_communities),
		cmocka_unit_test(test_originator_cluster),
		cmocka_unit_test(test_mp_reach),
		cmocka_unit_test(test_mp_repeated),
		cmocka_unit_test(test_repeated_attribute),
		cmocka_unit_test(test_ext_communities),
		cmocka_unit_test(test_large_community),
		cmocka_unit_test(test_as4_path),
		cmocka_unit_test(test_as4_aggregator),
		cmocka_unit_test(test_flags_mismatch),
		cmocka_unit_test(test_missing_mandatory),
		cmocka_unit_test(test_withdraw_only),
		cmocka_unit_test(test_unknown_wellknown),
		cmocka_unit_test(test_unknown_optional),
		cmocka_unit_test(test_attr_list_overrun),
		cmocka_unit_test(test_extended_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
