/* SPDX-License-Identifier: ISC */
/* bgp/attr_table.c - one row per path attribute: flags, checks, RFC 7606 action. */

#include "bgp/update.h"

#include <string.h>

#define WK  BGP_ATTR_TRANSITIVE /* well-known */
#define OPT BGP_ATTR_OPTIONAL   /* optional non-transitive */
#define OPT_T \
	(BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE) /* optional transitive */

/* A length that does not fit the type: RFC 4271 6.3 subcode 5. */
static bool
malformed(struct bgp_err *err, const char *why)
{
	err->subcode = BGP_UPD_ATTR_LEN;
	err->why = why;
	return false;
}

/* A bad value, with the subcode RFC 4271 6.3 names for it. */
static bool
malformed_sub(struct bgp_err *err, uint8_t subcode, const char *why)
{
	err->subcode = subcode;
	err->why = why;
	return false;
}

/* ORIGIN (RFC 4271 5.1.1): one octet, 0-2.  RFC 7606 7.1: withdraw. */
static bool
origin_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	(void)ctx;
	if (a->value.len != 1)
		return malformed(err, "ORIGIN length is not 1");
	if (a->value.p[0] > BGP_ORIGIN_INCOMPLETE)
		return malformed_sub(
		    err, BGP_UPD_ORIGIN, "ORIGIN value is not 0, 1 or 2");
	pa->origin = a->value.p[0];
	return true;
}

static bool
origin_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	return wbuf_put_u8(w, pa->origin);
}

/*
 * AS_PATH (RFC 4271 5.1.2, RFC 6793): segments of 2- or 4-octet ASes.
 * RFC 7606 7.2: malformed segments, confederation segments from an
 * external peer, or a first AS that is not the peer's: withdraw.
 */
static bool
aspath_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	uint8_t as_size = ctx->as4 ? 4 : 2;

	if (!bgp_aspath_check(a->value, as_size, !ctx->ebgp))
		return malformed_sub(err, BGP_UPD_ASPATH,
		    ctx->ebgp ? "malformed AS_PATH (bad segment, or "
		                "confederation segment from an external peer)"
		              : "malformed AS_PATH");
	/* RFC 7607 2: AS 0 makes it malformed, RFC 7606 7.2: withdraw */
	if (!ctx->exa_compat && bgp_aspath_has_zero(a->value, as_size))
		return malformed_sub(err, BGP_UPD_ASPATH, "AS 0 in AS_PATH");
	pa->aspath.segs = a->value;
	pa->aspath.as_size = as_size;
	/* the check passed: the first segment, if any, is whole */
	if (ctx->ebgp && ctx->peer_as != 0 &&
	    (a->value.len < 2u + as_size || a->value.p[0] != BGP_AS_SEQUENCE ||
	        (as_size == 4 ? rbuf_peek32(&a->value, 2)
	                      : rbuf_peek16(&a->value, 2)) != ctx->peer_as))
		return malformed_sub(err, BGP_UPD_ASPATH,
		    "AS_PATH does not start with the peer's AS");
	return true;
}

static bool
aspath_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	return bgp_aspath_encode(w, &pa->aspath, ctx->as4 ? 4 : 2);
}

/*
 * NEXT_HOP (RFC 4271 5.1.3): 4 octets.  RFC 7606 7.3: a wrong length or a
 * next hop that cannot be one (0.0.0.0, multicast, class E,
 * broadcast): withdraw.
 */
static bool
nexthop_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	const uint8_t *p = a->value.p;

	(void)ctx;
	if (a->value.len != 4)
		return malformed(err, "NEXT_HOP length is not 4");
	if ((p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0) || p[0] >= 224)
		return malformed_sub(
		    err, BGP_UPD_NEXTHOP, "NEXT_HOP is not a unicast address");
	memcpy(pa->nexthop, p, 4);
	return true;
}

static bool
nexthop_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	return wbuf_put(w, pa->nexthop, 4);
}

static bool
u32_value(const struct bgp_attr_raw *a, uint32_t *v)
{
	struct rbuf b = a->value;

	return b.len == 4 && rbuf_u32(&b, v);
}

/* MULTI_EXIT_DISC (RFC 4271 5.1.4).  RFC 7606 7.4: withdraw. */
static bool
med_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	(void)ctx;
	if (!u32_value(a, &pa->med))
		return malformed(err, "MULTI_EXIT_DISC length is not 4");
	return true;
}

static bool
med_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	return wbuf_put_u32(w, pa->med);
}

/*
 * LOCAL_PREF (RFC 4271 5.1.5).  RFC 7606 7.5: from an external peer it is
 * discarded whatever it holds; a bad length from an internal one:
 * withdraw.
 */
static bool
localpref_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	if (ctx->ebgp) {
		err->outcome = BGP_OUT_DISCARD;
		return malformed(err, "LOCAL_PREF from an external peer");
	}
	if (!u32_value(a, &pa->localpref))
		return malformed(err, "LOCAL_PREF length is not 4");
	return true;
}

static bool
localpref_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	return wbuf_put_u32(w, pa->localpref);
}

/* ATOMIC_AGGREGATE (RFC 4271 5.1.6): empty.  RFC 7606 7.6: discard. */
static bool
atomic_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	(void)pa;
	(void)ctx;
	if (a->value.len != 0)
		return malformed(err, "ATOMIC_AGGREGATE length is not 0");
	return true;
}

static bool
empty_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)w;
	(void)pa;
	(void)ctx;
	return true;
}

/*
 * AGGREGATOR (RFC 4271 5.1.7, RFC 6793): AS (2 or 4 as negotiated) and
 * IPv4 address.  RFC 7606 7.7: a wrong length: discard.
 */
static bool
aggregator_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	struct rbuf b = a->value;
	size_t want = ctx->as4 ? 8 : 6;
	uint16_t as16;

	if (b.len != want)
		return malformed(err,
		    ctx->as4 ? "AGGREGATOR length is not 8"
		             : "AGGREGATOR length is not 6");
	if (ctx->as4)
		rbuf_u32(&b, &pa->aggr_as);
	else {
		rbuf_u16(&b, &as16);
		pa->aggr_as = as16;
	}
	rbuf_u32(&b, &pa->aggr_id);
	/* RFC 7607 2: AS 0 is malformed; RFC 7606 7.7: discard it */
	if (pa->aggr_as == 0 && !ctx->exa_compat)
		return malformed_sub(
		    err, BGP_UPD_OPTATTR, "AS 0 in AGGREGATOR");
	pa->aggr_as_size = (uint8_t)(want - 4);
	return true;
}

static bool
aggregator_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	if (ctx->as4)
		wbuf_put_u32(w, pa->aggr_as);
	else
		wbuf_put_u16(w,
		    pa->aggr_as > 0xffff ? BGP_AS_TRANS
		                         : (uint16_t)pa->aggr_as);
	return wbuf_put_u32(w, pa->aggr_id);
}

/* A list attribute of n-octet items, not empty; RFC 7606 7.8, 7.10, 7.14. */
static bool
list_decode(const struct bgp_attr_raw *a, size_t item, struct rbuf *dst,
    struct bgp_err *err, const char *why)
{
	if (a->value.len == 0 || a->value.len % item != 0)
		return malformed(err, why);
	*dst = a->value;
	return true;
}

static bool
communities_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	(void)ctx;
	return list_decode(a, 4, &pa->communities, err,
	    "COMMUNITIES length is not a non-zero multiple of 4");
}

/* Encoders of the list attributes write each item from the parsed list. */
static bool
put_u32_list(struct wbuf *w, struct rbuf list)
{
	size_t i;

	for (i = 0; i + 4 <= list.len; i += 4)
		wbuf_put_u32(w, rbuf_peek32(&list, i));
	return wbuf_ok(w);
}

static bool
communities_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	return put_u32_list(w, pa->communities);
}

/*
 * ORIGINATOR_ID and CLUSTER_LIST (RFC 4456).  RFC 7606 7.9, 7.10: from an
 * external peer they are discarded; a bad length: withdraw.
 */
static bool
originator_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	if (ctx->ebgp) {
		err->outcome = BGP_OUT_DISCARD;
		return malformed(err, "ORIGINATOR_ID from an external peer");
	}
	if (!u32_value(a, &pa->originator_id))
		return malformed(err, "ORIGINATOR_ID length is not 4");
	return true;
}

static bool
originator_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	return wbuf_put_u32(w, pa->originator_id);
}

static bool
cluster_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	if (ctx->ebgp) {
		err->outcome = BGP_OUT_DISCARD;
		return malformed(err, "CLUSTER_LIST from an external peer");
	}
	return list_decode(a, 4, &pa->cluster_list, err,
	    "CLUSTER_LIST length is not a non-zero multiple of 4");
}

static bool
cluster_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	return put_u32_list(w, pa->cluster_list);
}

/*
 * MP_REACH_NLRI (RFC 4760 3): AFI (2), SAFI (1), next hop length (1),
 * next hop, reserved (1), NLRI.  RFC 7606 7.11: a next hop length that
 * does not fit the family, or NLRI that cannot be parsed, means the
 * prefixes cannot be located: session reset.
 */
static bool
mp_reach_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	struct bgp_mp_reach *r = &pa->mp_reach;
	struct rbuf b = a->value;
	uint8_t res;
	int af;

	if (!rbuf_u16(&b, &r->afi) || !rbuf_u8(&b, &r->safi) ||
	    !rbuf_u8(&b, &r->nh_len))
		return malformed_sub(
		    err, BGP_UPD_OPTATTR, "MP_REACH_NLRI too short");
	if (r->nh_len > sizeof(r->nh) || !rbuf_copy(&b, r->nh, r->nh_len) ||
	    !rbuf_u8(&b, &res))
		return malformed_sub(
		    err, BGP_UPD_OPTATTR, "MP_REACH_NLRI next hop length");
	r->nlri = b;
	af = bgp_af_from(r->afi, r->safi);
	if (af < 0)
		return true; /* a family we do not carry: kept opaque */
	/*
	 * RFC 2545 3: 16 or 32 for IPv6; IPv4: 4, or 16 or 32 (RFC 8950 3).
	 * ExaBGP also decodes IPv6 NLRI with a 4-octet next hop.
	 */
	if (r->nh_len != 16 && r->nh_len != 32 &&
	    (r->nh_len != 4 ||
	        (bgp_af_addr((enum bgp_af)af) != ADDR_V4 && !ctx->exa_compat)))
		return malformed_sub(
		    err, BGP_UPD_OPTATTR, "MP_REACH_NLRI next hop length");
	return bgp_nlri_check(r->nlri, bgp_af_addr((enum bgp_af)af),
	           ctx->addpath_rx[af], BGP_UPD_OPTATTR, err) ||
	    malformed_sub(
	        err, BGP_UPD_OPTATTR, "MP_REACH_NLRI prefix malformed");
}

static bool
mp_reach_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	const struct bgp_mp_reach *r = &pa->mp_reach;

	(void)ctx;
	wbuf_put_u16(w, r->afi);
	wbuf_put_u8(w, r->safi);
	wbuf_put_u8(w, r->nh_len);
	wbuf_put(w, r->nh, r->nh_len);
	wbuf_put_u8(w, 0);
	return wbuf_put(w, r->nlri.p, r->nlri.len);
}

/* MP_UNREACH_NLRI (RFC 4760 4): AFI (2), SAFI (1), withdrawn routes. */
static bool
mp_unreach_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	struct bgp_mp_unreach *u = &pa->mp_unreach;
	struct rbuf b = a->value;
	int af;

	if (!rbuf_u16(&b, &u->afi) || !rbuf_u8(&b, &u->safi))
		return malformed_sub(
		    err, BGP_UPD_OPTATTR, "MP_UNREACH_NLRI too short");
	u->nlri = b;
	af = bgp_af_from(u->afi, u->safi);
	if (af < 0)
		return true;
	return bgp_nlri_check(u->nlri, bgp_af_addr((enum bgp_af)af),
	           ctx->addpath_rx[af], BGP_UPD_OPTATTR, err) ||
	    malformed_sub(
	        err, BGP_UPD_OPTATTR, "MP_UNREACH_NLRI prefix malformed");
}

static bool
mp_unreach_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	wbuf_put_u16(w, pa->mp_unreach.afi);
	wbuf_put_u8(w, pa->mp_unreach.safi);
	return wbuf_put(w, pa->mp_unreach.nlri.p, pa->mp_unreach.nlri.len);
}

/* EXTENDED_COMMUNITIES (RFC 4360): n * 8.  RFC 7606 7.14: withdraw. */
static bool
extcomm_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	(void)ctx;
	return list_decode(a, 8, &pa->ext_communities, err,
	    "EXTENDED_COMMUNITIES length is not a non-zero multiple of 8");
}

static bool
extcomm_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	return put_u32_list(w, pa->ext_communities);
}

/*
 * AS4_PATH (RFC 6793 4.1, 6): only meaningful from a 2-octet speaker;
 * from a 4-octet one it is ignored.  Malformed (including confederation
 * segments): discard.
 */
static bool
as4path_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	if (!bgp_aspath_check(a->value, 4, false))
		return malformed_sub(
		    err, BGP_UPD_OPTATTR, "malformed AS4_PATH");
	/* RFC 7607 2 and RFC 6793 6: AS 0 in AS4_PATH: discard it */
	if (!ctx->exa_compat && bgp_aspath_has_zero(a->value, 4))
		return malformed_sub(err, BGP_UPD_OPTATTR, "AS 0 in AS4_PATH");
	pa->as4path.segs = a->value;
	pa->as4path.as_size = 4;
	return true;
}

static bool
as4path_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	return bgp_aspath_encode(w, &pa->as4path, 4);
}

/* AS4_AGGREGATOR (RFC 6793): 8 octets; otherwise discard. */
static bool
as4aggr_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	struct rbuf b = a->value;

	if (b.len != 8)
		return malformed(err, "AS4_AGGREGATOR length is not 8");
	rbuf_u32(&b, &pa->as4aggr_as);
	rbuf_u32(&b, &pa->as4aggr_id);
	if (pa->as4aggr_as == 0 && !ctx->exa_compat)
		return malformed_sub(
		    err, BGP_UPD_OPTATTR, "AS 0 in AS4_AGGREGATOR");
	return true;
}

static bool
as4aggr_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	wbuf_put_u32(w, pa->as4aggr_as);
	return wbuf_put_u32(w, pa->as4aggr_id);
}

/* LARGE_COMMUNITY (RFC 8092 3, 6): n * 12, not empty; withdraw. */
static bool
largecomm_decode(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, struct bgp_err *err)
{
	(void)ctx;
	return list_decode(a, 12, &pa->large_communities, err,
	    "LARGE_COMMUNITY length is not a non-zero multiple of 12");
}

static bool
largecomm_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	(void)ctx;
	return put_u32_list(w, pa->large_communities);
}

static const struct bgp_attr_def attr_table[] = {
	[BGP_ATTR_ORIGIN] = { "origin", WK, BGP_OUT_WITHDRAW, "RFC 7606 7.1",
	    origin_decode, origin_encode },
	[BGP_ATTR_AS_PATH] = { "as-path", WK, BGP_OUT_WITHDRAW, "RFC 7606 7.2",
	    aspath_decode, aspath_encode },
	[BGP_ATTR_NEXT_HOP] = { "next-hop", WK, BGP_OUT_WITHDRAW,
	    "RFC 7606 7.3", nexthop_decode, nexthop_encode },
	[BGP_ATTR_MED] = { "med", OPT, BGP_OUT_WITHDRAW, "RFC 7606 7.4",
	    med_decode, med_encode },
	[BGP_ATTR_LOCAL_PREF] = { "local-preference", WK, BGP_OUT_WITHDRAW,
	    "RFC 7606 7.5", localpref_decode, localpref_encode },
	[BGP_ATTR_ATOMIC_AGGR] = { "atomic-aggregate", WK, BGP_OUT_DISCARD,
	    "RFC 7606 7.6", atomic_decode, empty_encode },
	[BGP_ATTR_AGGREGATOR] = { "aggregator", OPT_T, BGP_OUT_DISCARD,
	    "RFC 7606 7.7", aggregator_decode, aggregator_encode },
	[BGP_ATTR_COMMUNITIES] = { "community", OPT_T, BGP_OUT_WITHDRAW,
	    "RFC 7606 7.8", communities_decode, communities_encode },
	[BGP_ATTR_ORIGINATOR_ID] = { "originator-id", OPT, BGP_OUT_WITHDRAW,
	    "RFC 7606 7.9", originator_decode, originator_encode },
	[BGP_ATTR_CLUSTER_LIST] = { "cluster-list", OPT, BGP_OUT_WITHDRAW,
	    "RFC 7606 7.10", cluster_decode, cluster_encode },
	[BGP_ATTR_MP_REACH] = { "mp-reach-nlri", OPT, BGP_OUT_RESET,
	    "RFC 7606 7.11", mp_reach_decode, mp_reach_encode },
	[BGP_ATTR_MP_UNREACH] = { "mp-unreach-nlri", OPT, BGP_OUT_RESET,
	    "RFC 7606 7.11", mp_unreach_decode, mp_unreach_encode },
	[BGP_ATTR_EXT_COMMUNITIES] = { "extended-community", OPT_T,
	    BGP_OUT_WITHDRAW, "RFC 7606 7.14", extcomm_decode, extcomm_encode },
	[BGP_ATTR_AS4_PATH] = { "as4-path", OPT_T, BGP_OUT_DISCARD,
	    "RFC 6793 6", as4path_decode, as4path_encode },
	[BGP_ATTR_AS4_AGGREGATOR] = { "as4-aggregator", OPT_T, BGP_OUT_DISCARD,
	    "RFC 6793 6", as4aggr_decode, as4aggr_encode },
	[BGP_ATTR_LARGE_COMMUNITY] = { "large-community", OPT_T,
	    BGP_OUT_WITHDRAW, "RFC 8092 6", largecomm_decode,
	    largecomm_encode },
};

const struct bgp_attr_def *
bgp_attr_def(uint8_t type)
{
	if (type >= sizeof(attr_table) / sizeof(attr_table[0]))
		return NULL;
	if (attr_table[type].name == NULL)
		return NULL;
	return &attr_table[type];
}

const char *
bgp_attr_name(uint8_t type)
{
	const struct bgp_attr_def *d = bgp_attr_def(type);

	return d != NULL ? d->name : "unknown";
}
