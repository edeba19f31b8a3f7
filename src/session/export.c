/* SPDX-License-Identifier: ISC */
/* session/export.c - Adj-RIB-Out: what a peer hears, packed into UPDATEs. */

#include "session/session.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "session/session_int.h"

/*
 * One slice: take journal records for the peer, ask the export hook what
 * each prefix should look like there, then write withdrawals and
 * announcements.  Announcements sharing an attribute set share UPDATEs,
 * each filled to the negotiated maximum size (4096, or 65535 with RFC
 * 8654).  A prefix that was never advertised is not withdrawn (the
 * entry's adv bitmap tells, for the first 64 peers; beyond that a
 * withdrawal is sent anyway, which RFC 4271 allows).
 */

struct ann {
	struct attrs *a;     /* ref */
	struct rib_entry *e; /* borrowed */
	uint32_t order;
};

static uint8_t msgbuf[BGP_EXT_MAX_LEN];

/*
 * Group the announcements of a slice by attribute set, keeping their
 * order, without sorting: a small open-addressing map from set to group.
 * out receives the announcements group after group; ends[] the end of
 * each group.  Returns the number of groups.
 */
#define GROUP_MAP (4 * SESSION_EXPORT_SLICE)

static size_t
group_ann(const struct ann *in, size_t n, struct ann *out, size_t *ends)
{
	static uint32_t map[GROUP_MAP]; /* group index + 1 */
	static uint32_t head[SESSION_EXPORT_SLICE], tail[SESSION_EXPORT_SLICE];
	static uint32_t next[SESSION_EXPORT_SLICE];
	static const struct ann *key[SESSION_EXPORT_SLICE];
	size_t ng = 0, i, k, o = 0, mask = 63;
	uint32_t g, j;
	uintptr_t h;

	/* a map 2-4 times the slice's size: only that much is cleared */
	while (mask + 1 < 2 * n && mask + 1 < GROUP_MAP)
		mask = mask * 2 + 1;
	memset(map, 0, (mask + 1) * sizeof(map[0]));
	for (i = 0; i < n; i++) {
		h = ((uintptr_t)in[i].a >> 4) * 0x9e3779b97f4a7c15ull +
		    in[i].e->af;
		for (k = (h >> 20) & mask;; k = (k + 1) & mask) {
			if (map[k] == 0) {
				map[k] = (uint32_t)++ng;
				key[ng - 1] = &in[i];
				head[ng - 1] = tail[ng - 1] = (uint32_t)i;
				next[i] = UINT32_MAX;
				break;
			}
			g = map[k] - 1;
			if (key[g]->a == in[i].a &&
			    key[g]->e->af == in[i].e->af) {
				next[tail[g]] = (uint32_t)i;
				next[i] = UINT32_MAX;
				tail[g] = (uint32_t)i;
				break;
			}
		}
	}
	for (g = 0; g < ng; g++) {
		for (j = head[g]; j != UINT32_MAX; j = next[j])
			out[o++] = in[j];
		ends[g] = o;
	}
	return ng;
}

static size_t
pfx_bytes(const struct rib_entry *e)
{
	return 1 + (e->len + 7u) / 8;
}

static void
put_pfx(struct wbuf *w, const struct rib_entry *e)
{
	wbuf_put_u8(w, e->len);
	wbuf_put(w, e->a, (e->len + 7u) / 8);
}

/*
 * The sessions one export slice is written to: the session whose turn it
 * is, and the others that would be sent exactly the same bytes
 * (export_group).  Encoded once, the messages are copied to each.
 */
#define EXPORT_GROUP_MAX 256
static struct session *grp[EXPORT_GROUP_MAX];
static size_t ngrp;

static void
flush_msg(struct session *s, struct wbuf *w, size_t nprefixes, bool ann)
{
	size_t i;

	(void)s;
	for (i = 0; i < ngrp; i++) {
		session_conn_send(grp[i], w->p, w->len);
		grp[i]->stats.updates_out++;
		if (ann)
			grp[i]->stats.prefixes_sent += nprefixes;
		else
			grp[i]->stats.withdraws_sent += nprefixes;
	}
}

/* Withdraw the entries of one family, packed. */
static void
send_withdrawals(struct session *s, struct rib_entry **wd, size_t n, int af)
{
	size_t max = session_max_len(s), i = 0, k, off, aoff = 0, loff = 0;
	struct wbuf w;

	while (i < n) {
		wbuf_init(&w, msgbuf, max);
		off = w.len;
		bgp_hdr_encode(&w, BGP_MSG_UPDATE, 0);
		if (af == BGP_AF_IPV4) {
			loff = wbuf_reserve(&w, 2);
		} else {
			wbuf_put_u16(&w, 0);
			aoff = wbuf_reserve(&w, 2);
			wbuf_put_u8(&w, BGP_ATTR_OPTIONAL | BGP_ATTR_EXTLEN);
			wbuf_put_u8(&w, BGP_ATTR_MP_UNREACH);
			loff = wbuf_reserve(&w, 2);
			wbuf_put_u16(&w, BGP_AFI_IPV6);
			wbuf_put_u8(&w, BGP_SAFI_UNICAST);
		}
		for (k = 0; i < n; i++, k++) {
			if (wbuf_room(&w) < pfx_bytes(wd[i]) + 2)
				break;
			put_pfx(&w, wd[i]);
		}
		if (af == BGP_AF_IPV4) {
			wbuf_patch_u16(&w, loff, (uint16_t)(w.len - loff - 2));
			wbuf_put_u16(&w, 0);
		} else {
			wbuf_patch_u16(&w, loff, (uint16_t)(w.len - loff - 2));
			wbuf_patch_u16(&w, aoff, (uint16_t)(w.len - aoff - 2));
		}
		bgp_msg_finish(&w, off, max);
		flush_msg(s, &w, k, false);
	}
}

/*
 * The attributes of a as this peer gets them: the canonical bytes (or,
 * for a 2-octet speaker, re-encoded with AS_TRANS and AS4_PATH), with
 * NEXT_HOP put in its place for IPv4.  *split is where MP_REACH_NLRI
 * goes for IPv6.  Returns the length, 0 if it cannot be sent.
 */
static size_t
attr_bytes(struct session *s, const struct attrs *a, int af, uint8_t *buf,
    size_t cap, size_t *split)
{
	static uint8_t tmp[BGP_EXT_MAX_LEN];
	static struct bgp_pattrs pa;
	const uint8_t *base = a->blob;
	size_t blen = a->len, nh_off = a->nh_off, mp_off = a->mp_off;
	struct bgp_ctx c2 = { .as4 = false };
	struct bgp_attr_raw r;
	struct bgp_err e;
	struct rbuf b;
	struct wbuf w;

	if (!s->ctx.as4) {
		if (!attrs_to_pattrs(a, &pa))
			return 0;
		bgp_pattrs_clear(&pa, BGP_ATTR_NEXT_HOP);
		wbuf_init(&w, tmp, sizeof(tmp));
		if (!bgp_pattrs_encode(&w, &pa, &c2))
			return 0;
		base = tmp;
		blen = w.len;
		nh_off = mp_off = blen;
		b = rbuf_make(tmp, blen);
		while (b.len > 0) {
			const uint8_t *at = b.p;

			if (!bgp_attr_next(&b, &r, &e))
				break;
			if (r.type > BGP_ATTR_NEXT_HOP && nh_off == blen)
				nh_off = (size_t)(at - tmp);
			if (r.type > BGP_ATTR_MP_UNREACH && mp_off == blen)
				mp_off = (size_t)(at - tmp);
		}
	}
	wbuf_init(&w, buf, cap);
	if (af == BGP_AF_IPV6) {
		wbuf_put(&w, base, blen);
		*split = mp_off;
		return wbuf_ok(&w) ? w.len : 0;
	}
	if (a->nexthop.af != ADDR_V4)
		return 0; /* an IPv6 next hop needs RFC 8950; not offered */
	wbuf_put(&w, base, nh_off);
	wbuf_put_u8(&w, BGP_ATTR_TRANSITIVE);
	wbuf_put_u8(&w, BGP_ATTR_NEXT_HOP);
	wbuf_put_u8(&w, 4);
	wbuf_put(&w, a->nexthop.a, 4);
	wbuf_put(&w, base + nh_off, blen - nh_off);
	*split = w.len;
	return wbuf_ok(&w) ? w.len : 0;
}

/* Announce the entries in[0..n) that share one attribute set. */
static void
send_group(
    struct session *s, const struct attrs *a, struct ann *in, size_t n, int af)
{
	static uint8_t ab[BGP_EXT_MAX_LEN];
	const uint8_t *ll;
	size_t max = session_max_len(s), alen, split = 0, i = 0, k, off, aoff,
	       mpoff, nhlen, fixed;
	struct wbuf w;

	alen = attr_bytes(s, a, af, ab, sizeof(ab), &split);
	ll = attrs_nh_ll(a);
	nhlen = (a->nexthop.af == ADDR_V6 && ll != NULL && (ll[0] | ll[1]) != 0)
	    ? 32
	    : 16;
	fixed = BGP_HDR_LEN + 4 + alen + (af == BGP_AF_IPV6 ? 9 + nhlen : 0);
	if (alen == 0 || fixed + 17 > max) {
		peer_log(s, LOG_LVL_WARN,
		    "%zu prefixes not sent: attributes too long or next hop "
		    "of the wrong family",
		    n);
		return;
	}
	while (i < n) {
		wbuf_init(&w, msgbuf, max);
		off = w.len;
		bgp_hdr_encode(&w, BGP_MSG_UPDATE, 0);
		wbuf_put_u16(&w, 0);
		aoff = wbuf_reserve(&w, 2);
		if (af == BGP_AF_IPV4) {
			wbuf_put(&w, ab, alen);
			wbuf_patch_u16(&w, aoff, (uint16_t)alen);
			for (k = 0; i < n; i++, k++) {
				if (wbuf_room(&w) < pfx_bytes(in[i].e))
					break;
				put_pfx(&w, in[i].e);
			}
		} else {
			/* RFC 4760 3, RFC 2545 3: MP_REACH_NLRI */
			wbuf_put(&w, ab, split);
			wbuf_put_u8(&w, BGP_ATTR_OPTIONAL | BGP_ATTR_EXTLEN);
			wbuf_put_u8(&w, BGP_ATTR_MP_REACH);
			mpoff = wbuf_reserve(&w, 2);
			wbuf_put_u16(&w, BGP_AFI_IPV6);
			wbuf_put_u8(&w, BGP_SAFI_UNICAST);
			wbuf_put_u8(&w, (uint8_t)nhlen);
			wbuf_put(&w, a->nexthop.a, 16);
			if (nhlen == 32)
				wbuf_put(&w, ll, 16);
			wbuf_put_u8(&w, 0);
			for (k = 0; i < n; i++, k++) {
				if (wbuf_room(&w) <
				    pfx_bytes(in[i].e) + (alen - split))
					break;
				put_pfx(&w, in[i].e);
			}
			wbuf_patch_u16(
			    &w, mpoff, (uint16_t)(w.len - mpoff - 2));
			wbuf_put(&w, ab + split, alen - split);
			wbuf_patch_u16(&w, aoff, (uint16_t)(w.len - aoff - 2));
		}
		bgp_msg_finish(&w, off, max);
		flush_msg(s, &w, k, true);
	}
}

static void
send_rr_marker(struct session *s, int af, uint8_t subtype)
{
	struct bgp_route_refresh rr = { bgp_af_afi(af), subtype,
		BGP_SAFI_UNICAST };
	uint8_t buf[32];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	bgp_route_refresh_encode(&w, &rr);
	session_conn_send(s, buf, w.len);
}

void
session_refresh_out(struct session *s, int af)
{
	/* RFC 7313 4: BoRR, everything again, EoRR */
	if (s->peer_err && !s->refreshing[af]) {
		send_rr_marker(s, af, BGP_RR_BORR);
		s->refreshing[af] = true;
	}
	rib_peer_refresh(s->d->rib, s->rib_id);
	event_active(s->export_ev, EV_TIMEOUT, 0);
}

/* s's output is full: resume from the write callback; give up after hold */
static bool
export_blocked(struct session *s)
{
	struct evbuffer *out = bufferevent_get_output(s->conn[0]->bev);

	if (evbuffer_get_length(out) < SESSION_OUTQ_HIGH)
		return false;
	if (!evtimer_pending(s->stall_ev, NULL) && s->hold > 0) {
		struct timeval tv = { s->hold, 0 };

		evtimer_add(s->stall_ev, &tv);
	}
	return true;
}

static bool
export_ready(struct session *s)
{
	return s->st == SESSION_ESTABLISHED && s->conn[0] != NULL &&
	    rib_peer(s->d->rib, s->rib_id) != NULL;
}

/*
 * s and the sessions that would get the same UPDATEs from this slice: at
 * the same place in the journal with the same transparent export
 * (rib_journal_same), and the same encoding (4-octet AS, message size,
 * families).  RFC 7947's transparent route server sends every client
 * the same attributes, so with many clients most of them share.
 */
static void
export_group(struct session *s)
{
	struct session *t;

	grp[0] = s;
	ngrp = 1;
	for (t = s->d->sessions; t != NULL && ngrp < EXPORT_GROUP_MAX;
	     t = t->next) {
		if (t == s || !export_ready(t) ||
		    !rib_journal_same(s->d->rib, s->rib_id, t->rib_id) ||
		    t->ctx.as4 != s->ctx.as4 || t->ext_msg != s->ext_msg ||
		    memcmp(t->fam, s->fam, sizeof(s->fam)) != 0)
			continue;
		if (export_blocked(t))
			continue;
		grp[ngrp++] = t;
	}
}

/* After the slice: End-of-RIB, EoRR, or another turn, for each one. */
static void
export_done(struct session *s, bool *trim)
{
	struct rib *rib = s->d->rib;
	int af;

	if (rib_journal_pending(rib, s->rib_id) > 0) {
		event_active(s->export_ev, EV_TIMEOUT, 0);
		return;
	}
	/* caught up: End-of-RIB once (RFC 4724 2), EoRR after a refresh */
	for (af = 0; af < BGP_AF_MAX; af++) {
		if (s->fam[af] && !s->eor_sent[af]) {
			session_send_eor(s, bgp_af_afi(af), BGP_SAFI_UNICAST);
			s->eor_sent[af] = true;
		}
		if (s->refreshing[af]) {
			send_rr_marker(s, af, BGP_RR_EORR);
			s->refreshing[af] = false;
		}
	}
	*trim = true;
}

void
session_export(struct session *s)
{
	static struct rib_entry *ents[SESSION_EXPORT_SLICE];
	static struct ann ann[SESSION_EXPORT_SLICE],
	    grouped[SESSION_EXPORT_SLICE];
	static size_t ends[SESSION_EXPORT_SLICE];
	static struct rib_entry *wd[BGP_AF_MAX][SESSION_EXPORT_SLICE];
	struct rib *rib = s->d->rib;
	struct rib_peer *rp;
	size_t n, i, g, ng, na = 0, nw[BGP_AF_MAX] = { 0, 0 };
	uint64_t bit = 0;
	bool tracked = true, trim = false;
	struct attrs *a;
	int af;

	if (!export_ready(s) || export_blocked(s))
		return;
	export_group(s);
	for (i = 0; i < ngrp; i++) {
		rp = rib_peer(rib, grp[i]->rib_id);
		if (rp->slot < RIB_ADV_SLOTS)
			bit |= 1ull << rp->slot;
		else
			tracked = false;
	}
	n = rib_journal_take(rib, s->rib_id, ents, SESSION_EXPORT_SLICE);
	for (i = 1; i < ngrp; i++)
		rib_journal_follow(rib, grp[i]->rib_id, s->rib_id);
	for (i = 0; i < n; i++) {
		af = ents[i]->af == ADDR_V4 ? BGP_AF_IPV4 : BGP_AF_IPV6;
		if (!s->fam[af])
			continue;
		a = rib_export(rib, ents[i], s->rib_id);
		if (a != NULL && af == BGP_AF_IPV4 &&
		    a->nexthop.af != ADDR_V4) {
			attrs_unref(rib, a);
			a = NULL;
		}
		if (a == NULL) {
			/*
			 * Withdrawn where any of the group had it; the others
			 * hear a withdrawal of what they never had, which
			 * RFC 4271 allows.
			 */
			if (!tracked || (ents[i]->adv & bit))
				wd[af][nw[af]++] = ents[i];
			ents[i]->adv &= ~bit;
			continue;
		}
		ents[i]->adv |= bit;
		ann[na++] = (struct ann){ a, ents[i], (uint32_t)i };
	}
	for (af = 0; af < BGP_AF_MAX; af++)
		if (nw[af] > 0)
			send_withdrawals(s, wd[af], nw[af], af);
	ng = group_ann(ann, na, grouped, ends);
	for (g = 0, i = 0; g < ng; i = ends[g], g++) {
		af = grouped[i].e->af == ADDR_V4 ? BGP_AF_IPV4 : BGP_AF_IPV6;
		send_group(s, grouped[i].a, grouped + i, ends[g] - i, af);
	}
	for (i = 0; i < na; i++)
		attrs_unref(rib, ann[i].a);
	for (i = 0; i < ngrp; i++)
		export_done(grp[i], &trim);
	ngrp = 0;
	if (trim)
		bgpd_trim_soon(s->d);
}
