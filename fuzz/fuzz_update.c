/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_update.c - libFuzzer target: UPDATE split, decode, print, encode. */

/*
 * Input: a selector byte (fuzz.h: AS4, eBGP, ADD-PATH per family, keep
 * unknown, optional peer AS), then an UPDATE body (the bytes after the
 * 19-byte header).  The body is split and decoded (RFC 4271 4.3, RFC
 * 7606), every NLRI of the four fields is walked, the AS paths are
 * measured and merged (RFC 6793 4.2.3), and the UPDATE is printed the way
 * ExaBGP prints it.  An UPDATE that decodes without error is encoded and
 * must decode again, with the same prefixes and attributes.
 */

#include <stdlib.h>
#include <string.h>

#include "bgp/bgp.h"
#include "bgp/exa.h"
#include "bgp/update.h"
#include "fuzz.h"
#include "fuzz_json.h"
#include "lib/prefix.h"
#include "lib/sbuf.h"

static void nlri_walk(
    struct rbuf field, uint8_t af, bool addpath, struct sbuf *out);
static void mp_walk(
    const struct bgp_pattrs *pa, const struct bgp_ctx *ctx, struct sbuf *out);
static void aspath_exercise(
    const struct bgp_pattrs *pa, const struct bgp_ctx *ctx, struct sbuf *out);
static void update_roundtrip(const struct bgp_update *u,
    const struct bgp_pattrs *pa, const struct bgp_ctx *ctx, size_t body_len,
    struct sbuf *out);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct exa_env env = { .local_addr = "127.0.0.1",
		.peer_addr = "127.0.0.2",
		.local_as = 65000,
		.peer_as = 65001,
		.direction = "in",
		.host = "fuzz",
		.pid = 1,
		.ppid = 1,
		.counter = 1 };
	static struct bgp_pattrs pa; /* large: off the stack, as in speaker/ */
	struct rbuf in = rbuf_make(data, size);
	struct bgp_update u;
	struct bgp_ctx ctx;
	struct bgp_err err;
	struct sbuf out;
	uint16_t afi;
	uint8_t sel, safi;

	if (!fuzz_ctx_take(&in, &ctx, &sel))
		return 0;
	sbuf_init(&out);
	memset(&err, 0xa5, sizeof(err)); /* must be set whenever false */
	if (!bgp_update_split(in, &u, &err)) {
		fuzz_err_print(&out, &err);
		goto done;
	}
	/* RFC 4271 4.3: the three fields tile the body after the lengths */
	if (u.withdrawn.p != in.p + 2 ||
	    u.attrs.p != u.withdrawn.p + u.withdrawn.len + 2 ||
	    u.nlri.p != u.attrs.p + u.attrs.len ||
	    u.withdrawn.len + u.attrs.len + u.nlri.len + 4 != in.len)
		fuzz_fail("update: split fields do not tile the body");
	nlri_walk(u.withdrawn, ADDR_V4, ctx.addpath_rx[BGP_AF_IPV4], &out);
	nlri_walk(u.nlri, ADDR_V4, ctx.addpath_rx[BGP_AF_IPV4], &out);

	/*
	 * Poison pa: a printer or encoder that reads a field the decoder did
	 * not fill for this message reads 0xa5 bytes, and a pointer made of
	 * them faults under ASan instead of quietly reading stale data.
	 */
	memset(&pa, 0xa5, sizeof(pa));
	memset(&err, 0xa5, sizeof(err));
	if (!bgp_update_decode(&u, &ctx, &pa, &err)) {
		if (err.outcome != BGP_OUT_RESET)
			fuzz_fail("update: false without session reset");
		fuzz_err_print(&out, &err);
		goto done;
	}
	if (pa.outcome == BGP_OUT_RESET)
		fuzz_fail("update: true with session reset");
	if (pa.nlist > BGP_ATTR_LIST_MAX)
		fuzz_fail("update: attribute list past its array");
	if (pa.outcome != BGP_OUT_OK)
		fuzz_err_print(&out, &pa.err);
	mp_walk(&pa, &ctx, &out);
	aspath_exercise(&pa, &ctx, &out);
	if (bgp_update_is_eor(&u, &pa, &afi, &safi))
		sbuf_printf(&out, "eor %u/%u\n", afi, safi);

	sbuf_reset(&out);
	exa_json_update(&out, &env, &u, &pa, &ctx);
	fuzz_json_check(&out, 0, "update: ExaBGP's JSON of it does not parse");
	sbuf_reset(&out);
	exa_text_update(&out, &u, &pa, &ctx);
	sbuf_reset(&out);

	if (pa.outcome == BGP_OUT_OK)
		update_roundtrip(&u, &pa, &ctx, in.len, &out);
done:
	sbuf_fini(&out);
	return 0;
}

/*
 * Walk every prefix of an NLRI field (RFC 4271 4.3, RFC 7911 3): each
 * step must consume bytes, give a canonical prefix, and encode back to
 * as many bytes as it took.
 */
static void
nlri_walk(struct rbuf field, uint8_t af, bool addpath, struct sbuf *out)
{
	uint8_t enc[4 + 1 + 16];
	char buf[PREFIX_STRLEN];
	struct bgp_nlri n;
	struct bgp_err err;
	struct wbuf w;
	size_t before;

	for (;;) {
		before = field.len;
		memset(&err, 0xa5, sizeof(err));
		if (!bgp_nlri_next(&field, af, addpath, &n, &err)) {
			if (field.len != before)
				fuzz_fail("nlri: false but the field moved");
			if (field.len > 0) /* malformed, not the end */
				fuzz_err_print(out, &err);
			return;
		}
		if (field.len >= before)
			fuzz_fail("nlri: true without progress");
		if (n.pfx.af != af || n.pfx.len > (af == ADDR_V4 ? 32 : 128) ||
		    !prefix_bits_clean(n.pfx.a, n.pfx.len, sizeof(n.pfx.a)))
			fuzz_fail("nlri: prefix not canonical");
		sbuf_printf(out, "%s path %u\n",
		    prefix_print(&n.pfx, buf, sizeof(buf)),
		    (unsigned)n.path_id);
		wbuf_init(&w, enc, sizeof(enc));
		if (!bgp_nlri_encode(&w, &n, addpath) ||
		    w.len != before - field.len)
			fuzz_fail("nlri: encoded length differs");
	}
}

/* The MP_REACH and MP_UNREACH fields (RFC 4760 3, 4), any family. */
static void
mp_walk(
    const struct bgp_pattrs *pa, const struct bgp_ctx *ctx, struct sbuf *out)
{
	int af;

	if (bgp_pattrs_has(pa, BGP_ATTR_MP_REACH)) {
		if (pa->mp_reach.nh_len > sizeof(pa->mp_reach.nh))
			fuzz_fail("update: MP_REACH next hop too long");
		af = bgp_af_from(pa->mp_reach.afi, pa->mp_reach.safi);
		if (af >= 0)
			nlri_walk(pa->mp_reach.nlri,
			    bgp_af_addr((enum bgp_af)af), ctx->addpath_rx[af],
			    out);
		else /* opaque to us: still must not read past it */
			nlri_walk(pa->mp_reach.nlri, ADDR_V6, false, out);
	}
	if (bgp_pattrs_has(pa, BGP_ATTR_MP_UNREACH)) {
		af = bgp_af_from(pa->mp_unreach.afi, pa->mp_unreach.safi);
		if (af >= 0)
			nlri_walk(pa->mp_unreach.nlri,
			    bgp_af_addr((enum bgp_af)af), ctx->addpath_rx[af],
			    out);
		else
			nlri_walk(pa->mp_unreach.nlri, ADDR_V4, true, out);
	}
}

/*
 * AS path length and the RFC 6793 4.2.3 merge.  The merge keeps the path
 * length of AS_PATH and gives well-formed 4-octet segments; widening and
 * narrowing keep the segments and their count.
 */
static void
aspath_exercise(
    const struct bgp_pattrs *pa, const struct bgp_ctx *ctx, struct sbuf *out)
{
	/* widened AS_PATH (at most twice its size) plus AS4_PATH */
	static uint8_t big[3 * (BGP_EXT_MAX_LEN + 1)];
	const struct bgp_aspath *as4 = NULL;
	struct bgp_aspath m;
	uint8_t small[16];
	struct wbuf w;
	unsigned n;

	if (!bgp_pattrs_has(pa, BGP_ATTR_AS_PATH))
		return;
	if (pa->aspath.as_size != (ctx->as4 ? 4 : 2) ||
	    !bgp_aspath_check(pa->aspath.segs, pa->aspath.as_size, true))
		fuzz_fail("aspath: decoded AS_PATH does not check");
	n = bgp_aspath_length(&pa->aspath);
	if (bgp_pattrs_has(pa, BGP_ATTR_AS4_PATH)) {
		as4 = &pa->as4path;
		if (ctx->as4)
			fuzz_fail("aspath: AS4_PATH kept on a 4-octet session");
		if (as4->as_size != 4 || !bgp_aspath_check(as4->segs, 4, false))
			fuzz_fail("aspath: decoded AS4_PATH does not check");
		sbuf_printf(out, "as4-path length %u as4 %d\n",
		    bgp_aspath_length(as4), bgp_aspath_has_as4(as4));
	}
	sbuf_printf(out, "as-path length %u as4 %d\n", n,
	    bgp_aspath_has_as4(&pa->aspath));

	wbuf_init(&w, big, sizeof(big));
	if (!bgp_aspath_merge(&pa->aspath, as4, &w))
		fuzz_fail("aspath: merge failed with room to spare");
	m = (struct bgp_aspath){ .segs = rbuf_make(big, w.len), .as_size = 4 };
	if (!bgp_aspath_check(m.segs, 4, true))
		fuzz_fail("aspath: merged path does not check");
	if (bgp_aspath_length(&m) != n)
		fuzz_fail("aspath: merge changed the path length");
	wbuf_init(&w, small, sizeof(small));
	if (bgp_aspath_merge(&pa->aspath, as4, &w) && w.len > sizeof(small))
		fuzz_fail("aspath: merge wrote past a small buffer");

	wbuf_init(&w, big, sizeof(big));
	if (!bgp_aspath_encode(
	        &w, &pa->aspath, pa->aspath.as_size == 4 ? 2 : 4))
		fuzz_fail("aspath: re-sizing failed with room to spare");
	m = (struct bgp_aspath){ .segs = rbuf_make(big, w.len),
		.as_size = pa->aspath.as_size == 4 ? 2 : 4 };
	if (!bgp_aspath_check(m.segs, m.as_size, true) ||
	    bgp_aspath_length(&m) != n)
		fuzz_fail("aspath: re-sized path differs");
}

/*
 * Encode pa with u's prefixes for a peer with session facts ctx, then
 * frame, split and decode the result with the same ctx: it must carry the
 * same prefixes and decode without any RFC 7606 error.  again borrows
 * from a static buffer, valid until the next call.  false when the
 * encoding does not fit in a message; *len gets its size.
 */
static bool
update_reencode(const char *what, const struct bgp_update *u,
    const struct bgp_pattrs *pa, const struct bgp_ctx *ctx,
    struct bgp_pattrs *again, size_t *len, struct sbuf *out)
{
	static uint8_t wire[BGP_EXT_MAX_LEN];
	struct bgp_update u2;
	struct bgp_err err;
	struct bgp_hdr h;
	struct rbuf stream;
	struct wbuf w;

	wbuf_init(&w, wire, sizeof(wire));
	if (!bgp_update_encode(
	        &w, u->withdrawn, pa, u->nlri, ctx, BGP_EXT_MAX_LEN))
		return false;
	*len = w.len;
	stream = rbuf_make(wire, w.len);
	memset(&err, 0xa5, sizeof(err));
	if (bgp_msg_frame(&stream, BGP_EXT_MAX_LEN, &h, &err) != BGP_FRAME_OK ||
	    h.type != BGP_MSG_UPDATE || stream.len != 0 ||
	    !bgp_update_split(h.body, &u2, &err)) {
		fprintf(stderr, "fuzz: %s\n", what);
		fuzz_fail("update: encoded UPDATE does not frame or split");
	}
	if (!rbuf_equal(u2.withdrawn, u->withdrawn) ||
	    !rbuf_equal(u2.nlri, u->nlri)) {
		fprintf(stderr, "fuzz: %s\n", what);
		fuzz_fail("update: encoded prefixes differ");
	}
	memset(again, 0xa5, sizeof(*again));
	if (!bgp_update_decode(&u2, ctx, again, &err)) {
		fuzz_err_print(out, &err);
		fprintf(stderr, "fuzz: %s: %s", what, out->s);
		fuzz_fail("update: encoded UPDATE does not decode");
	}
	if (again->outcome != BGP_OUT_OK) {
		fuzz_err_print(out, &again->err);
		fprintf(stderr, "fuzz: %s: %s", what, out->s);
		fuzz_fail("update: encoded UPDATE decodes with an error");
	}
	return true;
}

/* Do a and b have the same attributes, among those the codec knows? */
static bool
known_attrs_same(const struct bgp_pattrs *a, const struct bgp_pattrs *b)
{
	unsigned t;

	for (t = 0; t < 256; t++)
		if (bgp_attr_def((uint8_t)t) != NULL &&
		    bgp_pattrs_has(a, (uint8_t)t) !=
		        bgp_pattrs_has(b, (uint8_t)t))
			return false;
	return true;
}

static bool
aspath_has_confed(const struct bgp_aspath *p)
{
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;

	bgp_aspath_iter_init(&it, p);
	while (bgp_aspath_iter_next(&it, &seg))
		if (seg.type == BGP_AS_CONFED_SEQUENCE ||
		    seg.type == BGP_AS_CONFED_SET)
			return true;
	return false;
}

/*
 * decode(encode(x)) for an UPDATE accepted as it is:
 *  - in wire order (pa->list), as a route server relays it: never longer
 *    than it came, the same attributes;
 *  - by type code (nlist 0), as a speaker builds it: the same known
 *    attributes (unknown ones have no typed field and are dropped);
 *  - from a 4-octet session to a 2-octet one (RFC 6793 4.2.2): AS_TRANS
 *    plus AS4_PATH/AS4_AGGREGATOR, which the 2-octet side merges back
 *    (4.2.3) into the original path and aggregator.
 * An encoder given too little room fails without writing past it.
 */
static void
update_roundtrip(const struct bgp_update *u, const struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx, size_t body_len, struct sbuf *out)
{
	static struct bgp_pattrs again, bytype;
	static uint8_t merged[3 * (BGP_EXT_MAX_LEN + 1)];
	bool fits = body_len + BGP_HDR_LEN <= BGP_EXT_MAX_LEN;
	struct bgp_ctx ctx2;
	struct wbuf w;
	uint8_t *shortbuf;
	size_t len, shortlen;
	uint32_t as;

	if (!update_reencode("wire order", u, pa, ctx, &again, &len, out)) {
		if (fits)
			fuzz_fail("update: an accepted UPDATE does not encode");
		return;
	}
	if (len > body_len + BGP_HDR_LEN)
		fuzz_fail("update: encoding grew the message");
	if (memcmp(again.has, pa->has, sizeof(pa->has)) != 0)
		fuzz_fail("update: encoded UPDATE has other attributes");

	shortlen = body_len % len;
	if ((shortbuf = malloc(shortlen > 0 ? shortlen : 1)) != NULL) {
		wbuf_init(&w, shortbuf, shortlen);
		if (bgp_update_encode(
		        &w, u->withdrawn, pa, u->nlri, ctx, BGP_EXT_MAX_LEN))
			fuzz_fail("update: encoded into a buffer too short");
		free(shortbuf);
	}

	bytype = *pa;
	bytype.nlist = 0;
	if (!update_reencode(
	        "type order", u, &bytype, ctx, &again, &len, out)) {
		if (fits)
			fuzz_fail("update: type order does not encode");
	} else if (!known_attrs_same(&again, pa))
		fuzz_fail("update: type order has other attributes");

	if (!ctx->as4)
		return;
	ctx2 = *ctx;
	ctx2.as4 = false;
	ctx2.peer_as = 0; /* the first AS may have become AS_TRANS */
	if (!update_reencode(
	        "to a 2-octet peer", u, pa, &ctx2, &again, &len, out))
		return; /* AS4_PATH may not fit: nothing to check */
	if (bgp_pattrs_has(pa, BGP_ATTR_AS_PATH) &&
	    !aspath_has_confed(&pa->aspath)) {
		wbuf_init(&w, merged, sizeof(merged));
		if (!bgp_aspath_merge(&again.aspath,
		        bgp_pattrs_has(&again, BGP_ATTR_AS4_PATH)
		            ? &again.as4path
		            : NULL,
		        &w) ||
		    !rbuf_equal(rbuf_make(merged, w.len), pa->aspath.segs))
			fuzz_fail("update: 2-octet AS_PATH + AS4_PATH do not "
			          "give the path back");
	}
	if (bgp_pattrs_has(pa, BGP_ATTR_AGGREGATOR)) {
		as = again.aggr_as;
		if (as == BGP_AS_TRANS &&
		    bgp_pattrs_has(&again, BGP_ATTR_AS4_AGGREGATOR))
			as = again.as4aggr_as;
		if (as != pa->aggr_as)
			fuzz_fail("update: 2-octet AGGREGATOR + AS4_AGGREGATOR "
			          "do not give the AS back");
	}
}
