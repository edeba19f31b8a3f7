/* SPDX-License-Identifier: ISC */
/* tests/rib/test_attrs.c - unit tests for src/rib/attrs.c: interning and canonical form. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "bgp/update.h"
#include "rib/rib.h"

/*
 * Every attribute set is built the way vrsd builds one: path attribute
 * bytes as a peer sends them, decoded by bgp_update_decode() (with the
 * NLRI 10.0.0.0/8 unless a test says otherwise), then attrs_from_wire().
 * The canonical form is read back with attrs_to_pattrs() or by walking
 * the blob with bgp_attr_next().
 */

static struct bgp_pattrs pa;  /* the decoded UPDATE; borrows from a msg */
static struct bgp_pattrs out; /* attrs_to_pattrs(); borrows from a blob */

struct msg {
	uint8_t b[4096];
	size_t len;
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

static const uint8_t origin_igp[] = { BGP_ORIGIN_IGP };
/* AS_SEQUENCE of two 4-octet ASes: 65001 65002 */
static const uint8_t path_65001_65002[] = { 2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd,
	0xea };
static const uint8_t nh_192_0_2_1[] = { 192, 0, 2, 1 };
static const uint8_t nlri_10[] = { 8, 10 };

/* ORIGIN IGP, AS_PATH 65001 65002, NEXT_HOP 192.0.2.1. */
static void
base(struct msg *m)
{
	m->len = 0;
	attr(m, 0x40, BGP_ATTR_ORIGIN, origin_igp, sizeof(origin_igp));
	attr(m, 0x40, BGP_ATTR_AS_PATH, path_65001_65002,
	    sizeof(path_65001_65002));
	attr(m, 0x40, BGP_ATTR_NEXT_HOP, nh_192_0_2_1, sizeof(nh_192_0_2_1));
}

static struct ipaddr
addr(const char *s)
{
	struct ipaddr a;

	memset(&a, 0, sizeof(a));
	if (!addr_parse(s, &a))
		fail_msg("addr_parse(\"%s\") failed", s);
	return a;
}

/*
 * Decode m from an internal peer; as4 tells whether 4-octet AS numbers
 * were negotiated, nlri whether the UPDATE carries 10.0.0.0/8.  The
 * attributes must be accepted whole.
 */
static void
decode(const struct msg *m, bool as4, bool nlri)
{
	struct bgp_ctx ctx;
	struct bgp_err err;
	struct bgp_update u = {
		.withdrawn = rbuf_make(NULL, 0),
		.attrs = rbuf_make(m->b, m->len),
		.nlri = nlri ? rbuf_make(nlri_10, sizeof(nlri_10))
		             : rbuf_make(NULL, 0),
	};

	memset(&ctx, 0, sizeof(ctx));
	ctx.as4 = as4;
	memset(&err, 0, sizeof(err));
	assert_true(bgp_update_decode(&u, &ctx, &pa, &err));
	assert_int_equal(pa.outcome, BGP_OUT_OK);
}

/* Decode m (4-octet session, with NLRI) and intern it with next hop nh. */
static struct attrs *
from_wire(struct rib *rib, const struct msg *m, const char *nh)
{
	struct ipaddr a = addr(nh);

	decode(m, true, true);
	return attrs_from_wire(rib, &pa, &a, NULL);
}

/* The attribute types (and flags) of a's blob in order; returns how many. */
static unsigned
blob_types(const struct attrs *a, uint8_t *types, uint8_t *flags, unsigned max)
{
	struct rbuf b = rbuf_make(a->blob, a->len);
	struct bgp_attr_raw r;
	struct bgp_err e;
	unsigned n = 0;

	while (b.len > 0) {
		assert_true(bgp_attr_next(&b, &r, &e));
		assert_true(n < max);
		types[n] = r.type;
		if (flags != NULL)
			flags[n] = r.flags;
		n++;
	}
	return n;
}

/* How many times type occurs in a's blob. */
static unsigned
blob_count(const struct attrs *a, uint8_t type)
{
	uint8_t types[64];
	unsigned i, n = blob_types(a, types, NULL, 64), k = 0;

	for (i = 0; i < n; i++)
		if (types[i] == type)
			k++;
	return k;
}

/*
 * The AS path of a as a flat list (via attrs_to_pattrs); returns how
 * many ASes, and in *nseg how many segments, each of which must be an
 * AS_SEQUENCE.
 */
static unsigned
path_of(const struct attrs *a, uint32_t *as, unsigned max, unsigned *nseg)
{
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	unsigned n = 0, i;

	assert_true(attrs_to_pattrs(a, &out));
	if (out.outcome != BGP_OUT_OK)
		fail_msg("the set does not decode back: %s, attribute %u",
		    out.err.why != NULL ? out.err.why : "?", out.err.attr);
	assert_true(bgp_pattrs_has(&out, BGP_ATTR_AS_PATH));
	assert_int_equal(out.aspath.as_size, 4);
	*nseg = 0;
	bgp_aspath_iter_init(&it, &out.aspath);
	while (bgp_aspath_iter_next(&it, &seg)) {
		assert_int_equal(seg.type, BGP_AS_SEQUENCE);
		(*nseg)++;
		for (i = 0; i < seg.count; i++) {
			assert_true(n < max);
			as[n++] = bgp_aspath_seg_as(&seg, i);
		}
	}
	return n;
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

static uint64_t
nattrs(const struct rib *rib)
{
	struct rib_stats st;

	rib_stats(rib, &st);
	return st.attrs;
}

/* The same attributes and next hop intern to one shared, counted set. */
static void
test_attrs_intern_shared(void **state)
{
	struct rib *rib = *state;
	struct attrs *a, *b;
	struct rib_stats st;
	struct msg m;

	base(&m);
	a = from_wire(rib, &m, "192.0.2.1");
	b = from_wire(rib, &m, "192.0.2.1");
	assert_ptr_equal(a, b);
	assert_int_equal(a->refcnt, 2);
	rib_stats(rib, &st);
	assert_int_equal(st.attrs, 1);
	assert_true(st.attrs_bytes >= sizeof(*a) + a->len);
	attrs_unref(rib, b);
	assert_int_equal(a->refcnt, 1);
	assert_int_equal(nattrs(rib), 1);
	attrs_unref(rib, a); /* the last reference frees it */
	rib_stats(rib, &st);
	assert_int_equal(st.attrs, 0);
	assert_int_equal(st.attrs_bytes, 0);
	/* interned again from scratch: a fresh set with one reference */
	a = from_wire(rib, &m, "192.0.2.1");
	assert_int_equal(a->refcnt, 1);
	assert_int_equal(nattrs(rib), 1);
	attrs_unref(rib, a);
}

/* The next hop is part of the set: another next hop, another set. */
static void
test_attrs_nexthop_distinct(void **state)
{
	struct rib *rib = *state;
	struct ipaddr nh1 = addr("192.0.2.1"), nh2 = addr("192.0.2.2");
	struct attrs *a, *b;
	struct msg m;

	base(&m);
	a = from_wire(rib, &m, "192.0.2.1");
	b = from_wire(rib, &m, "192.0.2.2");
	assert_ptr_not_equal(a, b);
	assert_int_equal(a->refcnt, 1);
	assert_int_equal(b->refcnt, 1);
	assert_int_equal(nattrs(rib), 2);
	assert_int_equal(addr_cmp(&a->nexthop, &nh1), 0);
	assert_int_equal(addr_cmp(&b->nexthop, &nh2), 0);
	/* the attributes themselves are the same bytes */
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->blob, b->blob, a->len);
	attrs_unref(rib, a);
	attrs_unref(rib, b);
	assert_int_equal(nattrs(rib), 0);
}

/*
 * RFC 6793 4.2.3: from a 2-octet speaker, AS_PATH carries AS_TRANS
 * where the real AS does not fit, and AS4_PATH the real tail.  The set
 * holds the merged path in 4-octet form and no AS4_PATH.
 */
static void
test_attrs_as4_path_merged(void **state)
{
	/* AS_SEQUENCE of 2-octet ASes: 65001 23456 23456 (AS_TRANS twice) */
	static const uint8_t path2[] = { 2, 3, 0xfd, 0xe9, 0x5b, 0xa0, 0x5b,
		0xa0 };
	/* AS4_PATH: AS_SEQUENCE 4200000001 4200000002 */
	static const uint8_t as4path[] = { 2, 2, 0xfa, 0x56, 0xea, 0x01, 0xfa,
		0x56, 0xea, 0x02 };
	static const uint32_t want[] = { 65001, 4200000001u, 4200000002u };
	struct rib *rib = *state;
	struct ipaddr nh = addr("192.0.2.1");
	struct attrs *a;
	struct msg m;
	uint32_t as[8];
	unsigned n, nseg;

	m.len = 0;
	attr(&m, 0x40, BGP_ATTR_ORIGIN, origin_igp, sizeof(origin_igp));
	attr(&m, 0x40, BGP_ATTR_AS_PATH, path2, sizeof(path2));
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, nh_192_0_2_1, sizeof(nh_192_0_2_1));
	attr(&m, 0xc0, BGP_ATTR_AS4_PATH, as4path, sizeof(as4path));
	decode(&m, false, true);
	assert_int_equal(pa.aspath.as_size, 2);
	a = attrs_from_wire(rib, &pa, &nh, NULL);

	assert_int_equal(blob_count(a, BGP_ATTR_AS4_PATH), 0);
	n = path_of(a, as, 8, &nseg);
	assert_int_equal(n, 3);
	assert_memory_equal(as, want, sizeof(want));
	assert_int_equal(a->pathlen, 3);
	assert_int_equal(a->first_as, 65001);
	assert_true(attrs_path_has(a, 4200000001u));
	assert_false(attrs_path_has(a, BGP_AS_TRANS));
	attrs_unref(rib, a);
}

/*
 * RFC 6793 4.2.3: AGGREGATOR with AS_TRANS plus AS4_AGGREGATOR from a
 * 2-octet speaker become one 4-octet AGGREGATOR.
 */
static void
test_attrs_as4_aggregator_merged(void **state)
{
	/* AS_SEQUENCE of one 2-octet AS, 65001 */
	static const uint8_t path2[] = { 2, 1, 0xfd, 0xe9 };
	/* AGGREGATOR: AS_TRANS (2 octets), 192.0.2.9 */
	static const uint8_t aggr[] = { 0x5b, 0xa0, 192, 0, 2, 9 };
	/* AS4_AGGREGATOR: 4200000001, 192.0.2.9 */
	static const uint8_t as4aggr[] = { 0xfa, 0x56, 0xea, 0x01, 192, 0, 2,
		9 };
	struct rib *rib = *state;
	struct ipaddr nh = addr("192.0.2.1");
	struct attrs *a;
	struct msg m;
	uint32_t as[4];
	unsigned nseg;

	m.len = 0;
	attr(&m, 0x40, BGP_ATTR_ORIGIN, origin_igp, sizeof(origin_igp));
	attr(&m, 0x40, BGP_ATTR_AS_PATH, path2, sizeof(path2));
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, nh_192_0_2_1, sizeof(nh_192_0_2_1));
	attr(&m, 0xc0, BGP_ATTR_AGGREGATOR, aggr, sizeof(aggr));
	attr(&m, 0xc0, BGP_ATTR_AS4_AGGREGATOR, as4aggr, sizeof(as4aggr));
	decode(&m, false, true);
	a = attrs_from_wire(rib, &pa, &nh, NULL);

	assert_int_equal(blob_count(a, BGP_ATTR_AGGREGATOR), 1);
	assert_int_equal(blob_count(a, BGP_ATTR_AS4_AGGREGATOR), 0);
	assert_true(attrs_to_pattrs(a, &out));
	assert_true(bgp_pattrs_has(&out, BGP_ATTR_AGGREGATOR));
	assert_false(bgp_pattrs_has(&out, BGP_ATTR_AS4_AGGREGATOR));
	assert_int_equal(out.aggr_as_size, 4);
	assert_int_equal(out.aggr_as, 4200000001u);
	assert_int_equal(out.aggr_id, 0xc0000209u);
	/* the 2-octet AS_PATH without AS4_PATH is widened as it is */
	assert_int_equal(path_of(a, as, 4, &nseg), 1);
	assert_int_equal(as[0], 65001);
	attrs_unref(rib, a);
}

/*
 * RFC 6793 4.2.3: when AGGREGATOR and AS4_AGGREGATOR both come and the
 * AGGREGATOR AS is not AS_TRANS, AS4_AGGREGATOR and AS4_PATH "SHALL be
 * ignored": AS_PATH and AGGREGATOR are taken as they are.
 */
static void
test_attrs_as4_ignored_when_aggregator_not_trans(void **state)
{
	/* AS_SEQUENCE of 2-octet ASes: 65001 23456 */
	static const uint8_t path2[] = { 2, 2, 0xfd, 0xe9, 0x5b, 0xa0 };
	/* AS4_PATH: AS_SEQUENCE 4200000001 */
	static const uint8_t as4path[] = { 2, 1, 0xfa, 0x56, 0xea, 0x01 };
	/* AGGREGATOR: 65002 (not AS_TRANS), 192.0.2.9 */
	static const uint8_t aggr[] = { 0xfd, 0xea, 192, 0, 2, 9 };
	/* AS4_AGGREGATOR: 4200000001, 192.0.2.9 */
	static const uint8_t as4aggr[] = { 0xfa, 0x56, 0xea, 0x01, 192, 0, 2,
		9 };
	static const uint32_t want[] = { 65001, BGP_AS_TRANS };
	struct rib *rib = *state;
	struct ipaddr nh = addr("192.0.2.1");
	struct attrs *a;
	struct msg m;
	uint32_t as[4];
	unsigned nseg;

	m.len = 0;
	attr(&m, 0x40, BGP_ATTR_ORIGIN, origin_igp, sizeof(origin_igp));
	attr(&m, 0x40, BGP_ATTR_AS_PATH, path2, sizeof(path2));
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, nh_192_0_2_1, sizeof(nh_192_0_2_1));
	attr(&m, 0xc0, BGP_ATTR_AGGREGATOR, aggr, sizeof(aggr));
	attr(&m, 0xc0, BGP_ATTR_AS4_PATH, as4path, sizeof(as4path));
	attr(&m, 0xc0, BGP_ATTR_AS4_AGGREGATOR, as4aggr, sizeof(as4aggr));
	decode(&m, false, true);
	a = attrs_from_wire(rib, &pa, &nh, NULL);

	assert_true(attrs_to_pattrs(a, &out));
	assert_int_equal(out.aggr_as, 65002);
	assert_int_equal(path_of(a, as, 4, &nseg), 2);
	assert_memory_equal(as, want, sizeof(want));
	attrs_unref(rib, a);
}

/* Attributes are kept in type-code order whatever order they came in. */
static void
test_attrs_sorted_by_type(void **state)
{
	static const uint8_t med[] = { 0, 0, 0, 50 };
	static const uint8_t lp[] = { 0, 0, 0, 200 };
	static const uint8_t comm[] = { 0xfd, 0xe9, 0, 1 }; /* 65001:1 */
	static const uint8_t want[] = { BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH,
		BGP_ATTR_MED, BGP_ATTR_LOCAL_PREF, BGP_ATTR_COMMUNITIES };
	struct rib *rib = *state;
	struct attrs *a, *b;
	struct msg m;
	uint8_t types[16];

	/* COMMUNITIES, LOCAL_PREF, NEXT_HOP, MED, AS_PATH, ORIGIN */
	m.len = 0;
	attr(&m, 0xc0, BGP_ATTR_COMMUNITIES, comm, sizeof(comm));
	attr(&m, 0x40, BGP_ATTR_LOCAL_PREF, lp, sizeof(lp));
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, nh_192_0_2_1, sizeof(nh_192_0_2_1));
	attr(&m, 0x80, BGP_ATTR_MED, med, sizeof(med));
	attr(&m, 0x40, BGP_ATTR_AS_PATH, path_65001_65002,
	    sizeof(path_65001_65002));
	attr(&m, 0x40, BGP_ATTR_ORIGIN, origin_igp, sizeof(origin_igp));
	a = from_wire(rib, &m, "192.0.2.1");
	assert_int_equal(blob_types(a, types, NULL, 16), sizeof(want));
	assert_memory_equal(types, want, sizeof(want));

	/* the same attributes in type order are the same set */
	base(&m);
	attr(&m, 0x80, BGP_ATTR_MED, med, sizeof(med));
	attr(&m, 0x40, BGP_ATTR_LOCAL_PREF, lp, sizeof(lp));
	attr(&m, 0xc0, BGP_ATTR_COMMUNITIES, comm, sizeof(comm));
	b = from_wire(rib, &m, "192.0.2.1");
	assert_ptr_equal(a, b);
	attrs_unref(rib, a);
	attrs_unref(rib, b);
}

/* RFC 4271 5: an unknown optional transitive attribute is passed on, Partial. */
static void
test_attrs_unknown_transitive_partial(void **state)
{
	static const uint8_t v[] = { 1, 2, 3 };
	struct rib *rib = *state;
	struct attrs *a;
	struct msg m;
	uint8_t types[16], flags[16];
	unsigned n;

	base(&m);
	/* type 99, optional transitive (0xc0), not Partial yet */
	attr(&m, 0xc0, 99, v, sizeof(v));
	a = from_wire(rib, &m, "192.0.2.1");
	n = blob_types(a, types, flags, 16);
	assert_int_equal(n, 3); /* ORIGIN, AS_PATH, 99 */
	assert_int_equal(types[2], 99);
	assert_int_equal(flags[2],
	    BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE | BGP_ATTR_PARTIAL);
	/* value unchanged, at the end of the blob */
	assert_int_equal(a->blob[a->len - 4], sizeof(v));
	assert_memory_equal(a->blob + a->len - 3, v, sizeof(v));
	attrs_unref(rib, a);
}

/* RFC 4271 5: an unknown optional non-transitive attribute is dropped. */
static void
test_attrs_unknown_nontransitive_dropped(void **state)
{
	static const uint8_t v[] = { 1, 2 };
	struct rib *rib = *state;
	struct attrs *a, *b;
	struct msg m;

	base(&m);
	/* type 100, optional non-transitive (0x80) */
	attr(&m, 0x80, 100, v, sizeof(v));
	a = from_wire(rib, &m, "192.0.2.1");
	assert_int_equal(blob_count(a, 100), 0);
	/* so it is the same set as without the attribute */
	base(&m);
	b = from_wire(rib, &m, "192.0.2.1");
	assert_ptr_equal(a, b);
	attrs_unref(rib, a);
	attrs_unref(rib, b);
}

/*
 * NEXT_HOP and MP_REACH_NLRI are not in the blob: the next hop is a
 * field, and nh_off / mp_off tell where an encoder puts them back.
 */
static void
test_attrs_nexthop_not_in_blob(void **state)
{
	static const uint8_t med[] = { 0, 0, 0, 50 };
	static const uint8_t comm[] = { 0xfd, 0xe9, 0, 1 }; /* 65001:1 */
	/* 65001:1:2 */
	static const uint8_t large[] = { 0, 0, 0xfd, 0xe9, 0, 0, 0, 1, 0, 0, 0,
		2 };
	/*
	 * MP_REACH_NLRI: AFI 2, SAFI 1, next hop length 16, 2001:db8::1,
	 * reserved 0, NLRI 2001:db8:1::/48.
	 */
	static const uint8_t mp[] = { 0, 2, 1, 16, 0x20, 0x01, 0x0d, 0xb8, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 48, 0x20, 0x01, 0x0d, 0xb8, 0,
		1 };
	static const uint8_t want[] = { BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH,
		BGP_ATTR_MED, BGP_ATTR_COMMUNITIES, BGP_ATTR_LARGE_COMMUNITY };
	struct rib *rib = *state;
	struct ipaddr nh = addr("2001:db8::1"), ll = addr("fe80::1");
	struct attrs *a;
	struct msg m;
	uint8_t types[16];

	base(&m); /* has NEXT_HOP 192.0.2.1 */
	attr(&m, 0x80, BGP_ATTR_MED, med, sizeof(med));
	attr(&m, 0x80, BGP_ATTR_MP_REACH, mp, sizeof(mp));
	attr(&m, 0xc0, BGP_ATTR_COMMUNITIES, comm, sizeof(comm));
	attr(&m, 0xc0, BGP_ATTR_LARGE_COMMUNITY, large, sizeof(large));
	decode(&m, true, true);
	assert_true(bgp_pattrs_has(&pa, BGP_ATTR_MP_REACH));
	a = attrs_from_wire(rib, &pa, &nh, ll.a);

	assert_int_equal(blob_types(a, types, NULL, 16), sizeof(want));
	assert_memory_equal(types, want, sizeof(want));
	assert_int_equal(addr_cmp(&a->nexthop, &nh), 0);
	assert_non_null(attrs_nh_ll(a));
	assert_memory_equal(attrs_nh_ll(a), ll.a, 16);
	/*
	 * ORIGIN 3+1 (0-3), AS_PATH 3+10 (4-16), MED 3+4 (17-23),
	 * COMMUNITIES 3+4 (24-30), LARGE_COMMUNITY 3+12 (31-45).
	 */
	assert_int_equal(a->len, 46);
	assert_int_equal(a->nh_off, 17);
	assert_int_equal(a->mp_off, 31);
	/* an IPv6 next hop is not turned into NEXT_HOP on the way back */
	assert_true(attrs_to_pattrs(a, &out));
	assert_false(bgp_pattrs_has(&out, BGP_ATTR_NEXT_HOP));
	assert_false(bgp_pattrs_has(&out, BGP_ATTR_MP_REACH));
	assert_int_equal(out.med, 50);
	attrs_unref(rib, a);
}

/* The fields the decision process reads. */
static void
test_attrs_fields(void **state)
{
	static const uint8_t origin_egp[] = { BGP_ORIGIN_EGP };
	static const uint8_t origin_inc[] = { BGP_ORIGIN_INCOMPLETE };
	/* AS_SEQUENCE 65001 65002, AS_SET { 65003 65004 65005 }: length 3 */
	static const uint8_t path_set[] = { 2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd,
		0xea, 1, 3, 0, 0, 0xfd, 0xeb, 0, 0, 0xfd, 0xec, 0, 0, 0xfd,
		0xed };
	/* AS_SET { 65003 65004 }, AS_SEQUENCE 65001: length 2, no first AS */
	static const uint8_t set_first[] = { 1, 2, 0, 0, 0xfd, 0xeb, 0, 0, 0xfd,
		0xec, 2, 1, 0, 0, 0xfd, 0xe9 };
	static const uint8_t med[] = { 0, 0, 0, 50 };
	static const uint8_t lp[] = { 0, 0, 0, 200 };
	static const uint8_t orig[] = { 1, 2, 3, 4 };
	static const uint8_t clist[] = { 10, 0, 0, 1, 10, 0, 0, 2 };
	struct rib *rib = *state;
	struct attrs *a, *b;
	struct msg m;

	m.len = 0;
	attr(&m, 0x40, BGP_ATTR_ORIGIN, origin_egp, sizeof(origin_egp));
	attr(&m, 0x40, BGP_ATTR_AS_PATH, path_set, sizeof(path_set));
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, nh_192_0_2_1, sizeof(nh_192_0_2_1));
	attr(&m, 0x80, BGP_ATTR_MED, med, sizeof(med));
	attr(&m, 0x40, BGP_ATTR_LOCAL_PREF, lp, sizeof(lp));
	attr(&m, 0x40, BGP_ATTR_ATOMIC_AGGR, NULL, 0);
	attr(&m, 0x80, BGP_ATTR_ORIGINATOR_ID, orig, sizeof(orig));
	attr(&m, 0x80, BGP_ATTR_CLUSTER_LIST, clist, sizeof(clist));
	a = from_wire(rib, &m, "192.0.2.1");
	assert_int_equal(a->origin, BGP_ORIGIN_EGP);
	assert_int_equal(a->pathlen, 3); /* the AS_SET counts 1 */
	assert_int_equal(a->first_as, 65001);
	assert_int_equal(a->med, 50);
	assert_int_equal(a->localpref, 200);
	assert_int_equal(a->flags, ATTRS_MED | ATTRS_LOCAL_PREF | ATTRS_ATOMIC);
	assert_int_equal(a->originator, 0x01020304u);
	assert_int_equal(a->clusterlen, 2);

	m.len = 0;
	attr(&m, 0x40, BGP_ATTR_ORIGIN, origin_inc, sizeof(origin_inc));
	attr(&m, 0x40, BGP_ATTR_AS_PATH, set_first, sizeof(set_first));
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, nh_192_0_2_1, sizeof(nh_192_0_2_1));
	b = from_wire(rib, &m, "192.0.2.1");
	assert_int_equal(b->origin, BGP_ORIGIN_INCOMPLETE);
	assert_int_equal(b->pathlen, 2);
	assert_int_equal(b->first_as, 0); /* the path starts with a set */
	assert_int_equal(b->flags, 0);
	assert_int_equal(b->med, 0);
	assert_int_equal(b->localpref, 0);
	assert_int_equal(b->originator, 0);
	assert_int_equal(b->clusterlen, 0);
	attrs_unref(rib, a);
	attrs_unref(rib, b);
}

/*
 * Prepend asn n times with a new next hop to the set of base() (path
 * 65001 65002, next hop 192.0.2.1) and check the result is one
 * AS_SEQUENCE "asn x n, 65001 65002", interned apart from the original,
 * which is left as it was.
 */
static void
check_prepend(struct rib *rib, unsigned n)
{
	struct ipaddr nh1 = addr("192.0.2.1"), nh2 = addr("198.51.100.1");
	struct attrs *a, *p, *q;
	struct msg m;
	uint32_t as[8];
	unsigned i, k, nseg;

	base(&m);
	a = from_wire(rib, &m, "192.0.2.1");
	p = attrs_prepend(rib, a, 65515, n, &nh2);
	assert_ptr_not_equal(p, a);
	assert_int_equal(p->refcnt, 1);
	assert_int_equal(nattrs(rib), 2);
	assert_int_equal(addr_cmp(&p->nexthop, &nh2), 0);
	k = path_of(p, as, 8, &nseg);
	assert_int_equal(nseg, 1);
	assert_int_equal(k, n + 2);
	for (i = 0; i < n; i++)
		assert_int_equal(as[i], 65515);
	assert_int_equal(as[n], 65001);
	assert_int_equal(as[n + 1], 65002);
	assert_int_equal(p->pathlen, n + 2);
	assert_int_equal(p->first_as, 65515);
	assert_int_equal(blob_count(p, BGP_ATTR_AS_PATH), 1);
	assert_true(attrs_path_has(p, 65515));

	/* the original is untouched */
	assert_int_equal(a->refcnt, 1);
	assert_int_equal(addr_cmp(&a->nexthop, &nh1), 0);
	assert_int_equal(path_of(a, as, 8, &nseg), 2);
	assert_int_equal(as[0], 65001);
	assert_int_equal(a->pathlen, 2);
	assert_int_equal(a->first_as, 65001);
	assert_false(attrs_path_has(a, 65515));

	/* the same prepend again finds the interned copy */
	q = attrs_prepend(rib, a, 65515, n, &nh2);
	assert_ptr_equal(q, p);
	assert_int_equal(p->refcnt, 2);
	attrs_unref(rib, q);
	attrs_unref(rib, p);
	attrs_unref(rib, a);
	assert_int_equal(nattrs(rib), 0);
}

static void
test_attrs_prepend_once(void **state)
{
	check_prepend(*state, 1);
}

static void
test_attrs_prepend_three(void **state)
{
	check_prepend(*state, 3);
}

/* Prepending without a next hop keeps the old one. */
static void
test_attrs_prepend_keeps_nexthop(void **state)
{
	struct rib *rib = *state;
	struct ipaddr nh = addr("192.0.2.1");
	struct attrs *a, *p;
	struct msg m;

	base(&m);
	a = from_wire(rib, &m, "192.0.2.1");
	p = attrs_prepend(rib, a, 65515, 1, NULL);
	assert_int_equal(addr_cmp(&p->nexthop, &nh), 0);
	assert_int_equal(p->pathlen, 3);
	attrs_unref(rib, p);
	attrs_unref(rib, a);
}

/* An empty AS_PATH (iBGP, locally originated) becomes "65515". */
static void
test_attrs_prepend_empty_path(void **state)
{
	struct rib *rib = *state;
	struct ipaddr nh2 = addr("198.51.100.1");
	struct attrs *a, *p;
	struct msg m;
	uint32_t as[4];
	unsigned nseg;

	m.len = 0;
	attr(&m, 0x40, BGP_ATTR_ORIGIN, origin_igp, sizeof(origin_igp));
	attr(&m, 0x40, BGP_ATTR_AS_PATH, NULL, 0);
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, nh_192_0_2_1, sizeof(nh_192_0_2_1));
	a = from_wire(rib, &m, "192.0.2.1");
	assert_int_equal(a->pathlen, 0);
	assert_int_equal(a->first_as, 0);
	p = attrs_prepend(rib, a, 65515, 1, &nh2);
	assert_int_equal(path_of(p, as, 4, &nseg), 1);
	assert_int_equal(nseg, 1);
	assert_int_equal(as[0], 65515);
	assert_int_equal(p->pathlen, 1);
	assert_int_equal(p->first_as, 65515);
	assert_int_equal(blob_count(p, BGP_ATTR_AS_PATH), 1);
	attrs_unref(rib, p);
	attrs_unref(rib, a);
}

/*
 * A set with no AS_PATH attribute at all (here only ORIGIN, from an
 * UPDATE without NLRI) gets exactly one AS_PATH, "65515".
 */
static void
test_attrs_prepend_no_aspath(void **state)
{
	static const uint8_t want[] = { BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH };
	struct rib *rib = *state;
	struct ipaddr nh = addr("192.0.2.1");
	struct attrs *a, *p;
	struct msg m;
	uint8_t types[8];
	uint32_t as[4];
	unsigned nseg;

	m.len = 0;
	attr(&m, 0x40, BGP_ATTR_ORIGIN, origin_igp, sizeof(origin_igp));
	decode(&m, true, false);
	a = attrs_from_wire(rib, &pa, &nh, NULL);
	assert_int_equal(blob_count(a, BGP_ATTR_AS_PATH), 0);
	p = attrs_prepend(rib, a, 65515, 1, NULL);
	assert_int_equal(blob_types(p, types, NULL, 8), sizeof(want));
	assert_memory_equal(types, want, sizeof(want));
	assert_int_equal(path_of(p, as, 4, &nseg), 1);
	assert_int_equal(as[0], 65515);
	assert_int_equal(p->pathlen, 1);
	attrs_unref(rib, p);
	attrs_unref(rib, a);
}

/* attrs_path_has looks at every segment, sets included. */
static void
test_attrs_path_has(void **state)
{
	/* AS_SEQUENCE 65001 65002, AS_SET { 65003 } */
	static const uint8_t path_set[] = { 2, 2, 0, 0, 0xfd, 0xe9, 0, 0, 0xfd,
		0xea, 1, 1, 0, 0, 0xfd, 0xeb };
	struct rib *rib = *state;
	struct attrs *a, *e;
	struct msg m;

	m.len = 0;
	attr(&m, 0x40, BGP_ATTR_ORIGIN, origin_igp, sizeof(origin_igp));
	attr(&m, 0x40, BGP_ATTR_AS_PATH, path_set, sizeof(path_set));
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, nh_192_0_2_1, sizeof(nh_192_0_2_1));
	a = from_wire(rib, &m, "192.0.2.1");
	assert_true(attrs_path_has(a, 65001));
	assert_true(attrs_path_has(a, 65002));
	assert_true(attrs_path_has(a, 65003));
	assert_false(attrs_path_has(a, 65004));
	assert_false(attrs_path_has(a, 0));

	m.len = 0;
	attr(&m, 0x40, BGP_ATTR_ORIGIN, origin_igp, sizeof(origin_igp));
	attr(&m, 0x40, BGP_ATTR_AS_PATH, NULL, 0);
	attr(&m, 0x40, BGP_ATTR_NEXT_HOP, nh_192_0_2_1, sizeof(nh_192_0_2_1));
	e = from_wire(rib, &m, "192.0.2.1");
	assert_false(attrs_path_has(e, 65001));
	attrs_unref(rib, a);
	attrs_unref(rib, e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_attrs_intern_shared, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_nexthop_distinct, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_as4_path_merged, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_as4_aggregator_merged, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_as4_ignored_when_aggregator_not_trans, rib_setup,
		    rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_sorted_by_type, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_unknown_transitive_partial, rib_setup,
		    rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_unknown_nontransitive_dropped, rib_setup,
		    rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_nexthop_not_in_blob, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_fields, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_prepend_once, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_prepend_three, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_prepend_keeps_nexthop, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_prepend_empty_path, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_prepend_no_aspath, rib_setup, rib_teardown),
		cmocka_unit_test_setup_teardown(
		    test_attrs_path_has, rib_setup, rib_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
