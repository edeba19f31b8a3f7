/* SPDX-License-Identifier: ISC */
/* rib/attrs.c - interned, refcounted path-attribute sets in canonical form. */

#include "rib/rib.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "rib/rib_int.h"

#define ATTRS_BLOB_MAX BGP_EXT_MAX_LEN

static void intern_grow(struct rib *rib);

void
rib_attrs_init(struct rib *rib)
{
	rib->imask = 1023;
	rib->itab = xcalloc(rib->imask + 1, sizeof(*rib->itab));
	rib->nattrs = 0;
	rib->attrs_bytes = 0;
}

void
rib_attrs_fini(struct rib *rib)
{
	struct attrs *a, *next;
	size_t i;

	for (i = 0; i <= rib->imask; i++)
		for (a = rib->itab[i]; a != NULL; a = next) {
			next = a->hnext;
			free(a);
		}
	free(rib->itab);
	rib->itab = NULL;
}

static uint64_t
attrs_hash(const struct attrs *d, const uint8_t *blob, const uint8_t *ll)
{
	uint64_t h = hash_bytes(blob, d->len, 0x5eed);

	h = hash_mix(h, d->nexthop.af);
	h = hash_mix(h, hash_bytes(d->nexthop.a, 16, 1));
	return ll != NULL ? hash_mix(h, hash_bytes(ll, 16, 2)) : h;
}

static bool
attrs_equal(const struct attrs *a, const struct attrs *d, const uint8_t *blob,
    const uint8_t *ll)
{
	const uint8_t *all = attrs_nh_ll(a);

	return a->len == d->len && a->nexthop.af == d->nexthop.af &&
	    memcmp(a->nexthop.a, d->nexthop.a, 16) == 0 &&
	    (all == NULL) == (ll == NULL) &&
	    (ll == NULL || memcmp(all, ll, 16) == 0) &&
	    memcmp(a->blob, blob, d->len) == 0;
}

/* Fill the fields the decision process reads from the blob. */
static void
attrs_fields(struct attrs *d, const uint8_t *blob)
{
	struct rbuf b = rbuf_make(blob, d->len);
	struct bgp_aspath path;
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	struct bgp_attr_raw a;
	struct bgp_err e;
	uint32_t v;

	d->origin = BGP_ORIGIN_INCOMPLETE;
	d->flags = 0;
	d->med = d->localpref = d->first_as = d->originator = 0;
	d->pathlen = d->clusterlen = 0;
	d->nh_off = d->mp_off = d->len;
	while (b.len > 0) {
		const uint8_t *at = b.p;

		if (!bgp_attr_next(&b, &a, &e))
			break;
		if (a.type > BGP_ATTR_NEXT_HOP && d->nh_off == d->len)
			d->nh_off = (uint16_t)(at - blob);
		if (a.type > BGP_ATTR_MP_UNREACH && d->mp_off == d->len)
			d->mp_off = (uint16_t)(at - blob);
		switch (a.type) {
		case BGP_ATTR_ORIGIN:
			if (a.value.len == 1)
				d->origin = a.value.p[0];
			break;
		case BGP_ATTR_AS_PATH:
			path.segs = a.value;
			path.as_size = 4;
			d->pathlen = (uint16_t)bgp_aspath_length(&path);
			bgp_aspath_iter_init(&it, &path);
			if (bgp_aspath_iter_next(&it, &seg) &&
			    seg.type == BGP_AS_SEQUENCE)
				d->first_as = bgp_aspath_seg_as(&seg, 0);
			break;
		case BGP_ATTR_MED:
			if (a.value.len == 4 && rbuf_u32(&a.value, &v)) {
				d->med = v;
				d->flags |= ATTRS_MED;
			}
			break;
		case BGP_ATTR_LOCAL_PREF:
			if (a.value.len == 4 && rbuf_u32(&a.value, &v)) {
				d->localpref = v;
				d->flags |= ATTRS_LOCAL_PREF;
			}
			break;
		case BGP_ATTR_ATOMIC_AGGR:
			d->flags |= ATTRS_ATOMIC;
			break;
		case BGP_ATTR_ORIGINATOR_ID:
			if (a.value.len == 4 && rbuf_u32(&a.value, &v))
				d->originator = v;
			break;
		case BGP_ATTR_CLUSTER_LIST:
			d->clusterlen = (uint16_t)(a.value.len / 4);
			break;
		}
	}
}

/*
 * Intern draft with its blob and link-local next hop ll (16 octets, or
 * NULL for none; all zero is none too).  The set is allocated to its
 * last octet: its struct's padding is not.
 */
static struct attrs *
attrs_intern_ll(struct rib *rib, const struct attrs *draft, const uint8_t *blob,
    const uint8_t *ll)
{
	static const uint8_t zero[16];
	struct attrs tmp = *draft, *a;
	uint64_t h;
	size_t i;

	if (ll != NULL && memcmp(ll, zero, 16) == 0)
		ll = NULL;
	attrs_fields(&tmp, blob);
	if (ll != NULL)
		tmp.flags |= ATTRS_NH_LL;
	h = attrs_hash(&tmp, blob, ll);
	i = h & rib->imask;
	for (a = rib->itab[i]; a != NULL; a = a->hnext)
		if (a->hash == h && attrs_equal(a, &tmp, blob, ll))
			return attrs_ref(a);
	a = xmalloc(offsetof(struct attrs, blob) + tmp.len + (ll ? 16 : 0));
	memcpy(a, &tmp, offsetof(struct attrs, blob));
	memcpy(a->blob, blob, tmp.len);
	if (ll != NULL)
		memcpy(a->blob + tmp.len, ll, 16);
	a->hash = h;
	a->refcnt = 1;
	a->hnext = rib->itab[i];
	rib->itab[i] = a;
	rib->nattrs++;
	rib->attrs_bytes += sizeof(*a) + tmp.len;
	if (rib->nattrs > rib->imask)
		intern_grow(rib);
	return a;
}

struct attrs *
attrs_intern(struct rib *rib, const struct attrs *draft, const uint8_t *blob)
{
	return attrs_intern_ll(rib, draft, blob, NULL);
}

static void
intern_grow(struct rib *rib)
{
	size_t nmask = rib->imask * 2 + 1, i;
	struct attrs **nt = xcalloc(nmask + 1, sizeof(*nt)), *a, *next;

	for (i = 0; i <= rib->imask; i++)
		for (a = rib->itab[i]; a != NULL; a = next) {
			next = a->hnext;
			a->hnext = nt[a->hash & nmask];
			nt[a->hash & nmask] = a;
		}
	free(rib->itab);
	rib->itab = nt;
	rib->imask = nmask;
}

struct attrs *
attrs_ref(struct attrs *a)
{
	a->refcnt++;
	return a;
}

void
attrs_unref(struct rib *rib, struct attrs *a)
{
	struct attrs **pp;

	if (a == NULL)
		return;
	if (a->refcnt == 0)
		fatalx("%s: attribute set with no references", __func__);
	if (--a->refcnt > 0)
		return;
	for (pp = &rib->itab[a->hash & rib->imask]; *pp != NULL;
	     pp = &(*pp)->hnext)
		if (*pp == a) {
			*pp = a->hnext;
			break;
		}
	rib->nattrs--;
	rib->attrs_bytes -= sizeof(*a) + a->len;
	free(a);
}

/* Insertion sort of attribute indices by type code (lists are short). */
static void
sort_by_type(const struct bgp_pattrs *pa, uint16_t *idx, unsigned n)
{
	unsigned i, j;
	uint16_t t;

	for (i = 1; i < n; i++) {
		t = idx[i];
		for (j = i;
		     j > 0 && pa->list[idx[j - 1]].type > pa->list[t].type; j--)
			idx[j] = idx[j - 1];
		idx[j] = t;
	}
}

/* Write one attribute header and value; extended length when needed. */
static void
put_attr(
    struct wbuf *w, uint8_t flags, uint8_t type, const uint8_t *v, size_t len)
{
	flags &= (uint8_t)~BGP_ATTR_EXTLEN;
	if (len > 255)
		flags |= BGP_ATTR_EXTLEN;
	wbuf_put_u8(w, flags);
	wbuf_put_u8(w, type);
	if (len > 255)
		wbuf_put_u16(w, (uint16_t)len);
	else
		wbuf_put_u8(w, (uint8_t)len);
	wbuf_put(w, v, len);
}

struct attrs *
attrs_from_wire(struct rib *rib, const struct bgp_pattrs *pa,
    const struct ipaddr *nh, const uint8_t *nh_ll)
{
	static uint8_t blob[ATTRS_BLOB_MAX], val[ATTRS_BLOB_MAX];
	static uint8_t path[ATTRS_BLOB_MAX]; /* the merged AS path */
	static const struct bgp_ctx ctx4 = { .as4 = true };
	bool use_as4;
	const struct bgp_attr_def *def;
	const struct bgp_attr_raw *a;
	struct bgp_pattrs draft;
	struct attrs d;
	struct wbuf w, v;
	uint16_t idx[BGP_ATTR_LIST_MAX];
	unsigned i, n = 0;
	uint8_t flags;

	memset(&d, 0, sizeof(d));
	if (nh != NULL)
		d.nexthop = *nh;
	for (i = 0; i < pa->nlist; i++)
		if (bgp_pattrs_has(pa, pa->list[i].type))
			idx[n++] = (uint16_t)i;
	sort_by_type(pa, idx, n);

	/*
	 * The draft differs only where 2-octet forms are widened.  RFC 6793
	 * 4.2.3: an AGGREGATOR that is not AS_TRANS means the AS4_*
	 * attributes are ignored.
	 */
	memcpy(&draft, pa, offsetof(struct bgp_pattrs, nlist));
	use_as4 = !(bgp_pattrs_has(pa, BGP_ATTR_AGGREGATOR) &&
	    pa->aggr_as != BGP_AS_TRANS);
	if (pa->aspath.as_size == 2 || bgp_pattrs_has(pa, BGP_ATTR_AS4_PATH)) {
		wbuf_init(&v, path, sizeof(path));
		if (bgp_aspath_merge(&pa->aspath,
		        use_as4 && bgp_pattrs_has(pa, BGP_ATTR_AS4_PATH)
		            ? &pa->as4path
		            : NULL,
		        &v)) {
			draft.aspath.segs = rbuf_make(path, v.len);
			draft.aspath.as_size = 4;
		}
	}
	if (use_as4 && bgp_pattrs_has(pa, BGP_ATTR_AGGREGATOR) &&
	    pa->aggr_as == BGP_AS_TRANS &&
	    bgp_pattrs_has(pa, BGP_ATTR_AS4_AGGREGATOR)) {
		draft.aggr_as = pa->as4aggr_as;
		draft.aggr_id = pa->as4aggr_id;
	}

	wbuf_init(&w, blob, sizeof(blob));
	for (i = 0; i < n; i++) {
		a = &pa->list[idx[i]];
		switch (a->type) {
		case BGP_ATTR_NEXT_HOP:
		case BGP_ATTR_MP_REACH:
		case BGP_ATTR_MP_UNREACH:
		case BGP_ATTR_AS4_PATH:
		case BGP_ATTR_AS4_AGGREGATOR:
			continue;
		}
		def = bgp_attr_def(a->type);
		flags = a->flags &
		    (BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE |
		        BGP_ATTR_PARTIAL);
		if (def == NULL) {
			/* RFC 4271 5: pass unknown transitive ones, partial */
			if ((flags &
			        (BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE)) ==
			    BGP_ATTR_OPTIONAL)
				continue;
			put_attr(&w, flags | BGP_ATTR_PARTIAL, a->type,
			    a->value.p, a->value.len);
			continue;
		}
		if (!(flags & BGP_ATTR_OPTIONAL))
			flags &= (uint8_t)~BGP_ATTR_PARTIAL;
		wbuf_init(&v, val, sizeof(val));
		def->encode(&v, &draft, &ctx4);
		put_attr(&w, flags, a->type, val, v.len);
	}
	if (!wbuf_ok(&w))
		fatalx("%s: attribute set does not fit", __func__);
	d.len = (uint16_t)w.len;
	return attrs_intern_ll(rib, &d, blob, nh_ll);
}

bool
attrs_to_pattrs(const struct attrs *a, struct bgp_pattrs *pa)
{
	static const struct bgp_ctx ctx = { .as4 = true, .exa_compat = true };
	struct bgp_update u = { rbuf_make(NULL, 0), rbuf_make(a->blob, a->len),
		rbuf_make(NULL, 0) };
	struct bgp_err e;

	if (!bgp_update_decode(&u, &ctx, pa, &e))
		return false;
	if (a->nexthop.af == ADDR_V4) {
		memcpy(pa->nexthop, a->nexthop.a, 4);
		bgp_pattrs_set(pa, BGP_ATTR_NEXT_HOP);
	}
	return true;
}

bool
attrs_path_has(const struct attrs *a, uint32_t asn)
{
	struct rbuf b = rbuf_make(a->blob, a->len);
	struct bgp_aspath path;
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	struct bgp_attr_raw r;
	struct bgp_err e;
	unsigned i;

	while (b.len > 0 && bgp_attr_next(&b, &r, &e)) {
		if (r.type != BGP_ATTR_AS_PATH)
			continue;
		path.segs = r.value;
		path.as_size = 4;
		bgp_aspath_iter_init(&it, &path);
		while (bgp_aspath_iter_next(&it, &seg))
			for (i = 0; i < seg.count; i++)
				if (bgp_aspath_seg_as(&seg, i) == asn)
					return true;
	}
	return false;
}

/*
 * Path segments with asn n times in front of old (4-octet form).  The
 * ASes join the leading AS_SEQUENCE while it has room (255 per segment).
 */
static void
prepend_path(struct wbuf *pw, uint8_t *buf, size_t cap, uint32_t asn,
    unsigned n, struct rbuf old)
{
	struct rbuf rest = old;
	uint8_t type = 0, count = 0;
	unsigned k;

	wbuf_init(pw, buf, cap);
	if (old.len >= 2) {
		type = old.p[0];
		count = old.p[1];
	}
	if (type == BGP_AS_SEQUENCE && count + n <= 255) {
		wbuf_put_u8(pw, BGP_AS_SEQUENCE);
		wbuf_put_u8(pw, (uint8_t)(count + n));
		for (k = 0; k < n; k++)
			wbuf_put_u32(pw, asn);
		rbuf_skip(&rest, 2);
		wbuf_put(pw, rest.p, rest.len);
		return;
	}
	while (n > 0) {
		k = n > 255 ? 255 : n;
		wbuf_put_u8(pw, BGP_AS_SEQUENCE);
		wbuf_put_u8(pw, (uint8_t)k);
		for (n -= k; k > 0; k--)
			wbuf_put_u32(pw, asn);
	}
	wbuf_put(pw, old.p, old.len);
}

struct attrs *
attrs_prepend(struct rib *rib, const struct attrs *a, uint32_t asn, unsigned n,
    const struct ipaddr *nh)
{
	static uint8_t blob[ATTRS_BLOB_MAX], path[ATTRS_BLOB_MAX];
	struct rbuf b = rbuf_make(a->blob, a->len);
	struct bgp_attr_raw r;
	struct bgp_err e;
	const uint8_t *ll = attrs_nh_ll(a);
	struct attrs d;
	struct wbuf w, pw;
	bool done = false;

	memcpy(&d, a, offsetof(struct attrs, blob));
	if (nh != NULL) {
		d.nexthop = *nh;
		ll = NULL;
	}
	wbuf_init(&w, blob, sizeof(blob));
	while (b.len > 0 && bgp_attr_next(&b, &r, &e)) {
		if (n > 0 && !done && r.type >= BGP_ATTR_AS_PATH) {
			/* new AS_PATH: n copies of asn, then the old path */
			prepend_path(&pw, path, sizeof(path), asn, n,
			    r.type == BGP_ATTR_AS_PATH ? r.value
			                               : rbuf_make(NULL, 0));
			put_attr(&w, BGP_ATTR_TRANSITIVE, BGP_ATTR_AS_PATH,
			    path, pw.len);
			done = true;
			if (r.type == BGP_ATTR_AS_PATH)
				continue;
		}
		put_attr(&w, r.flags, r.type, r.value.p, r.value.len);
	}
	if (n > 0 && !done) {
		prepend_path(
		    &pw, path, sizeof(path), asn, n, rbuf_make(NULL, 0));
		put_attr(
		    &w, BGP_ATTR_TRANSITIVE, BGP_ATTR_AS_PATH, path, pw.len);
	}
	if (!wbuf_ok(&w))
		fatalx("%s: attribute set does not fit", __func__);
	d.len = (uint16_t)w.len;
	return attrs_intern_ll(rib, &d, blob, ll);
}
