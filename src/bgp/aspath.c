/* SPDX-License-Identifier: ISC */
/* bgp/aspath.c - AS_PATH and AS4_PATH checks, length, merge and encoding. */

#include "bgp/update.h"

/*
 * RFC 4271 4.3 path segment: type (1), count of ASes (1), ASes.
 * RFC 7606 7.2: a segment of unknown type, a zero count or an overrun
 * makes the attribute malformed.  Confederation segments (RFC 5065) are
 * refused where the caller says so (eBGP, AS4_PATH).
 */
bool
bgp_aspath_check(struct rbuf segs, uint8_t as_size, bool allow_confed)
{
	struct rbuf s = segs;
	uint8_t type, count;

	while (s.len > 0) {
		if (!rbuf_u8(&s, &type) || !rbuf_u8(&s, &count))
			return false;
		if (type < BGP_AS_SET || type > BGP_AS_CONFED_SET)
			return false;
		if (!allow_confed && type >= BGP_AS_CONFED_SEQUENCE)
			return false;
		if (count == 0)
			return false;
		if (!rbuf_skip(&s, (size_t)count * as_size))
			return false;
	}
	return true;
}

/*
 * RFC 7607 2: AS 0 in an AS_PATH (or AS4_PATH) that bgp_aspath_check()
 * accepted.
 */
bool
bgp_aspath_has_zero(struct rbuf segs, uint8_t as_size)
{
	struct bgp_aspath p = { .segs = segs, .as_size = as_size };
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	unsigned i;

	bgp_aspath_iter_init(&it, &p);
	while (bgp_aspath_iter_next(&it, &seg))
		for (i = 0; i < seg.count; i++)
			if (bgp_aspath_seg_as(&seg, i) == 0)
				return true;
	return false;
}

void
bgp_aspath_iter_init(struct bgp_aspath_iter *it, const struct bgp_aspath *p)
{
	it->rest = p->segs;
	it->as_size = p->as_size;
}

bool
bgp_aspath_iter_next(struct bgp_aspath_iter *it, struct bgp_aspath_seg *seg)
{
	if (!rbuf_u8(&it->rest, &seg->type) ||
	    !rbuf_u8(&it->rest, &seg->count) ||
	    !rbuf_take(&it->rest, (size_t)seg->count * it->as_size, &seg->asns))
		return false;
	seg->as_size = it->as_size;
	return true;
}

uint32_t
bgp_aspath_seg_as(const struct bgp_aspath_seg *seg, unsigned i)
{
	if (seg->as_size == 4)
		return rbuf_peek32(&seg->asns, (size_t)i * 4);
	return rbuf_peek16(&seg->asns, (size_t)i * 2);
}

unsigned
bgp_aspath_length(const struct bgp_aspath *p)
{
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	unsigned n = 0;

	bgp_aspath_iter_init(&it, p);
	while (bgp_aspath_iter_next(&it, &seg)) {
		/* RFC 4271 9.1.2.2 a; RFC 5065 5.3: confed segments count 0 */
		if (seg.type == BGP_AS_SEQUENCE)
			n += seg.count;
		else if (seg.type == BGP_AS_SET)
			n += 1;
	}
	return n;
}

bool
bgp_aspath_has_as4(const struct bgp_aspath *p)
{
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	unsigned i;

	if (p->as_size == 2)
		return false;
	bgp_aspath_iter_init(&it, p);
	while (bgp_aspath_iter_next(&it, &seg))
		for (i = 0; i < seg.count; i++)
			if (bgp_aspath_seg_as(&seg, i) > 0xffff)
				return true;
	return false;
}

bool
bgp_aspath_encode(struct wbuf *w, const struct bgp_aspath *p, uint8_t as_size)
{
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	uint32_t as;
	unsigned i;

	if (p->as_size == as_size)
		return wbuf_put(w, p->segs.p, p->segs.len);
	bgp_aspath_iter_init(&it, p);
	while (bgp_aspath_iter_next(&it, &seg)) {
		wbuf_put_u8(w, seg.type);
		wbuf_put_u8(w, seg.count);
		for (i = 0; i < seg.count; i++) {
			as = bgp_aspath_seg_as(&seg, i);
			if (as_size == 4)
				wbuf_put_u32(w, as);
			else
				wbuf_put_u16(w,
				    as > 0xffff ? BGP_AS_TRANS : (uint16_t)as);
		}
	}
	return wbuf_ok(w);
}

/* Count ASes as RFC 6793 4.2.3 does: a set counts one, confed none. */
static unsigned
merge_count(const struct bgp_aspath *p)
{
	return bgp_aspath_length(p);
}

/*
 * RFC 6793 4.2.3: if AS_PATH has fewer ASes than AS4_PATH, ignore
 * AS4_PATH.  Otherwise keep the leading (len(AS_PATH) - len(AS4_PATH))
 * ASes of AS_PATH and append AS4_PATH.  Confederation segments of
 * AS_PATH are kept in front (they are not counted).
 */
bool
bgp_aspath_merge(const struct bgp_aspath *path, const struct bgp_aspath *as4,
    struct wbuf *out)
{
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	unsigned n2, n4, keep, i, take;
	size_t cnt_off, last_seq = (size_t)-1;

	n2 = merge_count(path);
	n4 = as4 != NULL ? merge_count(as4) : 0;
	if (as4 == NULL || as4->segs.len == 0 || n2 < n4)
		return bgp_aspath_encode(out, path, 4);
	keep = n2 - n4;
	bgp_aspath_iter_init(&it, path);
	while (bgp_aspath_iter_next(&it, &seg)) {
		if (seg.type == BGP_AS_CONFED_SEQUENCE ||
		    seg.type == BGP_AS_CONFED_SET) {
			last_seq = (size_t)-1;
			wbuf_put_u8(out, seg.type);
			wbuf_put_u8(out, seg.count);
			for (i = 0; i < seg.count; i++)
				wbuf_put_u32(out, bgp_aspath_seg_as(&seg, i));
			continue;
		}
		if (keep == 0)
			continue;
		if (seg.type == BGP_AS_SET) {
			last_seq = (size_t)-1;
			wbuf_put_u8(out, seg.type);
			wbuf_put_u8(out, seg.count);
			for (i = 0; i < seg.count; i++)
				wbuf_put_u32(out, bgp_aspath_seg_as(&seg, i));
			keep--;
			continue;
		}
		take = seg.count < keep ? seg.count : keep;
		wbuf_put_u8(out, seg.type);
		cnt_off = wbuf_reserve(out, 1);
		for (i = 0; i < take; i++)
			wbuf_put_u32(out, bgp_aspath_seg_as(&seg, i));
		wbuf_patch_u8(out, cnt_off, (uint8_t)take);
		last_seq = cnt_off;
		keep -= take;
	}
	/* join AS4_PATH's first sequence to the kept one: one segment */
	bgp_aspath_iter_init(&it, as4);
	while (bgp_aspath_iter_next(&it, &seg)) {
		if (last_seq != (size_t)-1 && seg.type == BGP_AS_SEQUENCE &&
		    wbuf_ok(out) && out->p[last_seq] + seg.count <= 255) {
			wbuf_patch_u8(out, last_seq,
			    (uint8_t)(out->p[last_seq] + seg.count));
			wbuf_put(out, seg.asns.p, seg.asns.len);
		} else {
			wbuf_put_u8(out, seg.type);
			wbuf_put_u8(out, seg.count);
			wbuf_put(out, seg.asns.p, seg.asns.len);
		}
		last_seq = (size_t)-1;
	}
	return wbuf_ok(out);
}
