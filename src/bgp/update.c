/* SPDX-License-Identifier: ISC */
/* bgp/update.c - split, check and build UPDATE messages (RFC 4271 4.3, RFC 7606). */

#include "bgp/update.h"

#include <string.h>

/*
 * RFC 4271 4.3 UPDATE body:
 *   withdrawn routes length (2) | withdrawn routes |
 *   total path attribute length (2) | path attributes | NLRI
 * RFC 7606 4: if the two lengths do not fit in the message the NLRI
 * cannot be located, so the session is reset (3/1).
 */
bool
bgp_update_split(struct rbuf body, struct bgp_update *u, struct bgp_err *err)
{
	struct rbuf b = body;
	uint16_t wlen, alen;

	if (!rbuf_u16(&b, &wlen) || !rbuf_take(&b, wlen, &u->withdrawn) ||
	    !rbuf_u16(&b, &alen) || !rbuf_take(&b, alen, &u->attrs))
		return bgp_err_set(err, BGP_ERR_UPDATE, BGP_UPD_ATTR_LIST,
		    rbuf_make(NULL, 0),
		    "withdrawn or attribute length exceeds the message");
	u->nlri = b;
	return true;
}

/* Split the next path attribute off attrs (RFC 4271 4.3). */
bool
bgp_attr_next(struct rbuf *attrs, struct bgp_attr_raw *a, struct bgp_err *err)
{
	struct rbuf b = *attrs; /* a local reader: no aliasing with *a */
	struct rbuf at = b;     /* data for the NOTIFICATION: from flags on */
	uint8_t flags, type;
	size_t len;

	if (b.len < 3)
		goto bad_list;
	flags = b.p[0];
	type = b.p[1];
	if (flags & BGP_ATTR_EXTLEN) {
		if (b.len < 4)
			goto bad_list;
		len = rbuf_peek16(&b, 2);
		rbuf_skip(&b, 4);
	} else {
		len = b.p[2];
		rbuf_skip(&b, 3);
	}
	a->flags = flags;
	a->type = type;
	if (!rbuf_take(&b, len, &a->value)) {
		*attrs = rbuf_make(b.p + b.len, 0);
		return bgp_err_set(err, BGP_ERR_UPDATE, BGP_UPD_ATTR_LEN, at,
		    "attribute overruns the attribute list");
	}
	*attrs = b;
	return true;

bad_list:
	*attrs = rbuf_make(at.p + at.len, 0);
	return bgp_err_set(err, BGP_ERR_UPDATE, BGP_UPD_ATTR_LIST, at,
	    "truncated attribute header");
}

bool
bgp_nlri_next(struct rbuf *field, uint8_t af, bool addpath, struct bgp_nlri *n,
    struct bgp_err *err)
{
	struct rbuf f = *field;
	uint8_t len, bytes[16];
	int max = af == ADDR_V4 ? 32 : 128;
	uint32_t v;

	n->pfx.len = 0;
	if (f.len == 0)
		return false;
	n->path_id = 0;
	if (addpath && !rbuf_u32(&f, &n->path_id))
		goto bad;
	/*
	 * IPv4 fast path: one 4-octet load (the field has 4 more octets, so
	 * it stays inside it), masked to the length.  It reads a word once
	 * instead of copying bytes twice.
	 */
	if (af == ADDR_V4 && f.len >= 5) {
		len = f.p[0];
		if (len > 32 || f.len < 1 + (len + 7u) / 8)
			goto bad;
		v = rbuf_peek32(&f, 1);
		v = len == 0 ? 0 : v & (0xffffffffu << (32 - len));
		n->pfx = (struct prefix){ .af = ADDR_V4, .len = len };
		n->pfx.a[0] = (uint8_t)(v >> 24);
		n->pfx.a[1] = (uint8_t)(v >> 16);
		n->pfx.a[2] = (uint8_t)(v >> 8);
		n->pfx.a[3] = (uint8_t)v;
		rbuf_skip(&f, 1 + (len + 7u) / 8);
		*field = f;
		return true;
	}
	if (!rbuf_u8(&f, &len) || len > max)
		goto bad;
	if (!rbuf_copy(&f, bytes, (len + 7u) / 8))
		goto bad;
	prefix_set(&n->pfx, af, bytes, len);
	*field = f;
	return true;

bad:
	bgp_err_set(err, BGP_ERR_UPDATE, BGP_UPD_NETWORK, rbuf_make(NULL, 0),
	    "malformed prefix");
	return false;
}

bool
bgp_nlri_check(struct rbuf field, uint8_t af, bool addpath, uint8_t subcode,
    struct bgp_err *err)
{
	struct rbuf f = field;
	unsigned max = af == ADDR_V4 ? 32 : 128;
	uint8_t len;

	while (f.len > 0) {
		if (addpath && !rbuf_skip(&f, 4))
			goto bad;
		if (!rbuf_u8(&f, &len) || len > max ||
		    !rbuf_skip(&f, (len + 7u) / 8))
			goto bad;
	}
	return true;

bad:
	return bgp_err_set(err, BGP_ERR_UPDATE, subcode, rbuf_make(NULL, 0),
	    "malformed prefix");
}

bool
bgp_nlri_encode(struct wbuf *w, const struct bgp_nlri *n, bool addpath)
{
	if (addpath)
		wbuf_put_u32(w, n->path_id);
	wbuf_put_u8(w, n->pfx.len);
	return wbuf_put(w, n->pfx.a, (n->pfx.len + 7u) / 8);
}

static inline bool
seen_test(const uint64_t *seen, uint8_t t)
{
	return (seen[t >> 6] >> (t & 63)) & 1;
}

static inline void
seen_set(uint64_t *seen, uint8_t t)
{
	seen[t >> 6] |= 1ull << (t & 63);
}

/* Record a malformed attribute with its RFC 7606 outcome. */
static void
note_outcome(struct bgp_pattrs *pa, const struct bgp_err *e)
{
	if (e->outcome > pa->outcome) {
		pa->outcome = e->outcome;
		pa->err = *e;
	}
}

bool
bgp_update_decode(const struct bgp_update *u, const struct bgp_ctx *ctx,
    struct bgp_pattrs *pa, struct bgp_err *err)
{
	const struct bgp_attr_def *def;
	struct rbuf attrs = u->attrs, at;
	struct bgp_attr_raw a;
	struct bgp_err e;
	uint64_t seen[4] = { 0, 0, 0, 0 };
	bool has_nlri, overrun = false;
	uint8_t missing;

	memset(pa->has, 0, sizeof(pa->has));
	pa->nlist = 0;
	pa->ndiscarded = 0;
	pa->outcome = BGP_OUT_OK;

	/* RFC 7606 5.3: malformed classic prefixes: session reset */
	if (!bgp_nlri_check(u->withdrawn, ADDR_V4, ctx->addpath_rx[BGP_AF_IPV4],
	        BGP_UPD_NETWORK, err) ||
	    !bgp_nlri_check(u->nlri, ADDR_V4, ctx->addpath_rx[BGP_AF_IPV4],
	        BGP_UPD_NETWORK, err))
		return false;

	while (attrs.len > 0) {
		at = attrs;
		if (!bgp_attr_next(&attrs, &a, &e)) {
			/* RFC 7606 4: overrun of the list: withdraw */
			e.outcome = BGP_OUT_WITHDRAW;
			note_outcome(pa, &e);
			overrun = true;
			break;
		}
		at.len = (size_t)(a.value.p + a.value.len - at.p);
		if (seen_test(seen, a.type)) {
			/* RFC 7606 3 g: repeated MP attributes reset */
			if (a.type == BGP_ATTR_MP_REACH ||
			    a.type == BGP_ATTR_MP_UNREACH)
				return bgp_err_set(err, BGP_ERR_UPDATE,
				    BGP_UPD_ATTR_LIST, rbuf_make(NULL, 0),
				    "repeated MP_REACH/MP_UNREACH_NLRI");
			/* others: keep the first, drop the repeats */
			pa->ndiscarded++;
			if (pa->outcome < BGP_OUT_DISCARD) {
				pa->outcome = BGP_OUT_DISCARD;
				bgp_err_set(&pa->err, BGP_ERR_UPDATE,
				    BGP_UPD_ATTR_LIST, at,
				    "repeated attribute");
				pa->err.attr = a.type;
				pa->err.outcome = BGP_OUT_DISCARD;
			}
			continue;
		}
		def = bgp_attr_def(a.type);
		if (def == NULL) {
			/* RFC 4271 6.3: an unknown well-known attribute */
			if (!(a.flags & BGP_ATTR_OPTIONAL) && !ctx->exa_compat)
				return bgp_err_set(err, BGP_ERR_UPDATE,
				    BGP_UPD_WK_UNRECOG, at,
				    "unrecognized well-known attribute");
			/* optional: kept (transitive) or carried opaque */
			goto keep;
		}
		e.outcome = def->malformed;
		e.why = NULL;
		/* RFC 7606 3 c: wrong optional/transitive bits */
		if ((a.flags & (BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE)) !=
		    def->flags) {
			bgp_err_set(&e, BGP_ERR_UPDATE, BGP_UPD_ATTR_FLAGS, at,
			    "attribute flags do not match the type");
			e.outcome = def->malformed;
		} else if (def->decode(&a, pa, ctx, &e))
			goto keep;
		else {
			enum bgp_outcome o = e.outcome;

			bgp_err_set(&e, BGP_ERR_UPDATE, e.subcode, at, e.why);
			e.outcome = o;
		}
		e.attr = a.type;
		if (e.outcome == BGP_OUT_RESET) {
			*err = e;
			return false;
		}
		note_outcome(pa, &e);
		if (e.outcome == BGP_OUT_DISCARD)
			pa->ndiscarded++;
		/* seen[] still marks it, so a repeat is not used either */
		seen_set(seen, a.type);
		continue;
keep:
		seen_set(seen, a.type);
		bgp_pattrs_set(pa, a.type);
		pa->list[pa->nlist++] = a;
	}

	/* RFC 6793 4.1: AS4 attributes from a 4-octet speaker are discarded */
	if (ctx->as4 &&
	    (bgp_pattrs_has(pa, BGP_ATTR_AS4_PATH) ||
	        bgp_pattrs_has(pa, BGP_ATTR_AS4_AGGREGATOR))) {
		bgp_pattrs_clear(pa, BGP_ATTR_AS4_PATH);
		bgp_pattrs_clear(pa, BGP_ATTR_AS4_AGGREGATOR);
		pa->ndiscarded++;
		if (pa->outcome < BGP_OUT_DISCARD) {
			bgp_err_set(&pa->err, BGP_ERR_UPDATE, BGP_UPD_OPTATTR,
			    rbuf_make(NULL, 0),
			    "AS4_PATH or AS4_AGGREGATOR from a 4-octet "
			    "speaker");
			pa->err.outcome = pa->outcome = BGP_OUT_DISCARD;
		}
	}

	has_nlri = u->nlri.len > 0 ||
	    (bgp_pattrs_has(pa, BGP_ATTR_MP_REACH) &&
	        pa->mp_reach.nlri.len > 0);
	if (overrun && u->nlri.len == 0 && u->withdrawn.len == 0 &&
	    !bgp_pattrs_has(pa, BGP_ATTR_MP_REACH) &&
	    !bgp_pattrs_has(pa, BGP_ATTR_MP_UNREACH)) {
		/*
		 * Nothing located to withdraw: the prefixes were probably in
		 * the attribute that overran, so reset rather than lose them.
		 */
		*err = pa->err;
		err->outcome = BGP_OUT_RESET;
		return false;
	}
	if (has_nlri && pa->outcome < BGP_OUT_WITHDRAW) {
		/* RFC 7606 3 d: missing well-known attributes: withdraw */
		missing = 0;
		if (!bgp_pattrs_has(pa, BGP_ATTR_ORIGIN))
			missing = BGP_ATTR_ORIGIN;
		else if (!bgp_pattrs_has(pa, BGP_ATTR_AS_PATH))
			missing = BGP_ATTR_AS_PATH;
		else if (u->nlri.len > 0 &&
		    !bgp_pattrs_has(pa, BGP_ATTR_NEXT_HOP))
			missing = BGP_ATTR_NEXT_HOP;
		if (missing != 0) {
			bgp_err_set_own(&pa->err, BGP_ERR_UPDATE,
			    BGP_UPD_WK_MISSING, &missing, 1,
			    "missing well-known attribute");
			pa->err.attr = missing;
			pa->err.outcome = BGP_OUT_WITHDRAW;
			pa->outcome = BGP_OUT_WITHDRAW;
		}
	}
	return true;
}

bool
bgp_update_is_eor(const struct bgp_update *u, const struct bgp_pattrs *pa,
    uint16_t *afi, uint8_t *safi)
{
	if (u->withdrawn.len != 0 || u->nlri.len != 0)
		return false;
	if (u->attrs.len == 0) {
		*afi = BGP_AFI_IPV4;
		*safi = BGP_SAFI_UNICAST;
		return true;
	}
	if (pa->nlist == 1 && bgp_pattrs_has(pa, BGP_ATTR_MP_UNREACH) &&
	    pa->mp_unreach.nlri.len == 0) {
		*afi = pa->mp_unreach.afi;
		*safi = pa->mp_unreach.safi;
		return true;
	}
	return false;
}

/*
 * Write one attribute: flags, type, length, value from def->encode (or
 * the raw value of an attribute the codec does not know).  The length
 * field is 2 octets when the flags ask for it or the value needs it.
 */
static bool
attr_put(struct wbuf *w, uint8_t flags, uint8_t type, const struct rbuf *raw,
    const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	const struct bgp_attr_def *def = bgp_attr_def(type);
	bool ext = (flags & BGP_ATTR_EXTLEN) != 0;
	size_t off, vlen;

	wbuf_put_u8(w, flags);
	wbuf_put_u8(w, type);
	off = wbuf_reserve(w, ext ? 2 : 1);
	if (!wbuf_ok(w))
		return false;
	if (def != NULL)
		def->encode(w, pa, ctx);
	else
		wbuf_put(w, raw->p, raw->len);
	if (!wbuf_ok(w))
		return false;
	vlen = w->len - off - (ext ? 2 : 1);
	if (ext) {
		wbuf_patch_u16(w, off, (uint16_t)vlen);
		return vlen <= 0xffff;
	}
	if (vlen <= 255) {
		wbuf_patch_u8(w, off, (uint8_t)vlen);
		return true;
	}
	/* grow the length field to two octets */
	if (!wbuf_fits(w, 1) || vlen > 0xffff)
		return false;
	memmove(w->p + off + 2, w->p + off + 1, vlen);
	w->len++;
	w->p[off - 2] = flags | BGP_ATTR_EXTLEN;
	wbuf_patch_u16(w, off, (uint16_t)vlen);
	return true;
}

/* RFC 6793 4.2.2: towards a 2-octet speaker, carry big ASes in AS4_*. */
static bool
as4_attrs_put(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	static uint8_t as4buf[BGP_EXT_MAX_LEN];
	struct bgp_pattrs tmp;

	if (ctx->as4)
		return true;
	if (!bgp_pattrs_has(pa, BGP_ATTR_AS4_PATH) &&
	    bgp_pattrs_has(pa, BGP_ATTR_AS_PATH) &&
	    bgp_aspath_has_as4(&pa->aspath)) {
		/* RFC 6793 3: no confederation segments in AS4_PATH */
		struct bgp_aspath_iter it;
		struct bgp_aspath_seg seg;
		struct wbuf pw;

		wbuf_init(&pw, as4buf, sizeof(as4buf));
		bgp_aspath_iter_init(&it, &pa->aspath);
		while (bgp_aspath_iter_next(&it, &seg)) {
			if (seg.type != BGP_AS_SEQUENCE &&
			    seg.type != BGP_AS_SET)
				continue;
			wbuf_put_u8(&pw, seg.type);
			wbuf_put_u8(&pw, seg.count);
			for (unsigned i = 0; i < seg.count; i++)
				wbuf_put_u32(&pw, bgp_aspath_seg_as(&seg, i));
		}
		tmp.as4path.segs = rbuf_make(as4buf, pw.len);
		tmp.as4path.as_size = 4;
		if (pw.len > 0 && wbuf_ok(&pw) &&
		    !attr_put(w, BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE,
		        BGP_ATTR_AS4_PATH, NULL, &tmp, ctx))
			return false;
	}
	if (!bgp_pattrs_has(pa, BGP_ATTR_AS4_AGGREGATOR) &&
	    bgp_pattrs_has(pa, BGP_ATTR_AGGREGATOR) && pa->aggr_as > 0xffff) {
		tmp.as4aggr_as = pa->aggr_as;
		tmp.as4aggr_id = pa->aggr_id;
		if (!attr_put(w, BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE,
		        BGP_ATTR_AS4_AGGREGATOR, NULL, &tmp, ctx))
			return false;
	}
	return true;
}

bool
bgp_pattrs_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	const struct bgp_attr_def *def;
	const struct bgp_attr_raw *a;
	bool as4_done = false;
	unsigned i, t;

	if (pa->nlist > 0) {
		for (i = 0; i < pa->nlist; i++) {
			a = &pa->list[i];
			if (!bgp_pattrs_has(pa, a->type))
				continue;
			if (!as4_done && a->type > BGP_ATTR_AS4_AGGREGATOR) {
				as4_done = true;
				if (!as4_attrs_put(w, pa, ctx))
					return false;
			}
			if (!attr_put(w, a->flags, a->type, &a->value, pa, ctx))
				return false;
		}
		return as4_done || as4_attrs_put(w, pa, ctx);
	}
	for (t = 1; t < 256; t++) {
		if (t == BGP_ATTR_AS4_AGGREGATOR + 1 &&
		    !as4_attrs_put(w, pa, ctx))
			return false;
		if (!bgp_pattrs_has(pa, (uint8_t)t) ||
		    (def = bgp_attr_def((uint8_t)t)) == NULL)
			continue;
		if (!attr_put(w, def->flags, (uint8_t)t, NULL, pa, ctx))
			return false;
	}
	return true;
}

bool
bgp_update_encode(struct wbuf *w, struct rbuf withdrawn,
    const struct bgp_pattrs *pa, struct rbuf nlri, const struct bgp_ctx *ctx,
    size_t max_len)
{
	size_t off = w->len, aoff;

	bgp_hdr_encode(w, BGP_MSG_UPDATE, 0);
	wbuf_put_u16(w, (uint16_t)withdrawn.len);
	wbuf_put(w, withdrawn.p, withdrawn.len);
	aoff = wbuf_reserve(w, 2);
	if (!wbuf_ok(w))
		return false;
	if (pa != NULL && !bgp_pattrs_encode(w, pa, ctx))
		return false;
	wbuf_patch_u16(w, aoff, (uint16_t)(w->len - aoff - 2));
	wbuf_put(w, nlri.p, nlri.len);
	return bgp_msg_finish(w, off, max_len);
}

bool
bgp_eor_encode(struct wbuf *w, uint16_t afi, uint8_t safi)
{
	size_t off = w->len;

	if (afi == BGP_AFI_IPV4 && safi == BGP_SAFI_UNICAST) {
		bgp_hdr_encode(w, BGP_MSG_UPDATE, 4);
		wbuf_put_u16(w, 0);
		wbuf_put_u16(w, 0);
		return wbuf_ok(w);
	}
	/* as ExaBGP and BIRD send it: MP_UNREACH with extended length */
	bgp_hdr_encode(w, BGP_MSG_UPDATE, 0);
	wbuf_put_u16(w, 0);
	wbuf_put_u16(w, 7);
	wbuf_put_u8(w, BGP_ATTR_OPTIONAL | BGP_ATTR_EXTLEN);
	wbuf_put_u8(w, BGP_ATTR_MP_UNREACH);
	wbuf_put_u16(w, 3);
	wbuf_put_u16(w, afi);
	wbuf_put_u8(w, safi);
	return bgp_msg_finish(w, off, BGP_MAX_LEN);
}
