/* SPDX-License-Identifier: ISC */
/* speaker/engine.c - vrs-speaker at run time: sessions and what they are sent. */

#include "speaker/engine.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "bgp/exa.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "lib/notify.h"
#include "lib/xmalloc.h"
#include "session/session.h"
#include "speaker/cli.h"
#include "speaker/config.h"
#include "speaker/env.h"
#include "speaker/show.h"
#include "speaker/spk_int.h"

/*
 * DOC: the speaker
 *
 * One bgpd (session/) runs a session per configured neighbour with the
 * speaker's ops.  Each neighbour has an Adj-RIB-Out: the routes it should
 * have (from static/announce blocks and the text API), keyed by prefix
 * and path identifier, with the bytes last sent for each (interned: the
 * routes sharing attributes share them).  A change marks
 * the entry dirty; the export sends only what differs from what the peer
 * has, packed as ExaBGP 4.2 packs it: IPv4 routes with identical
 * attributes share UPDATEs (unless group-updates is false), IPv6 routes
 * get one MP_REACH_NLRI UPDATE each, MP_REACH_NLRI comes last, and an
 * End-of-RIB per family follows the first full table.
 */

extern char **environ;

struct spk *spk_global;

static uint64_t
be64(const uint8_t *b)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/*
 * The hash of an entry keeps the low 3 bits of the network number, so
 * that 8 neighbouring prefixes (a table is mostly runs of them) share a
 * cache line of the table; the bits above, the length and the path id
 * are mixed as usual (longer runs would make long probe sequences).
 */
static uint32_t
adj_hash(const struct prefix *p, uint32_t path_id)
{
	uint64_t hi = 0, net;

	if (p->af == ADDR_V4) {
		net = (uint64_t)p->a[0] << 24 | (uint32_t)p->a[1] << 16 |
		    (uint32_t)p->a[2] << 8 | p->a[3];
		net =
		    p->len == 0 ? 0 : net >> (32 - (p->len > 32 ? 32 : p->len));
	} else if (p->len <= 64) {
		net = p->len == 0 ? 0 : be64(p->a) >> (64 - p->len);
	} else {
		hi = be64(p->a);
		net = be64(p->a + 8) >> (128 - (p->len > 128 ? 128 : p->len));
	}
	return (uint32_t)(hash_mix(hash_mix(hi,
	                               (net >> 3) ^ (uint64_t)p->len << 48 ^
	                                   (uint64_t)p->af << 56),
	                      path_id)
	           << 3) |
	    (uint32_t)(net & 7);
}

/*
 * The table's slots hold the entry's index in order (high 32 bits, + 1;
 * 0: a free slot) and the low 32 bits of its hash, which place it: a probe
 * looks at an entry only when those match, and growing needs no entry.
 */
static void
adj_insert(uint64_t *tab, size_t cap, uint64_t slot)
{
	size_t i, mask = cap - 1;

	for (i = (uint32_t)slot & mask; tab[i] != 0; i = (i + 1) & mask)
		;
	tab[i] = slot;
}

/* The table at cap slots (a power of two), the entries placed again. */
static void
adj_resize(struct spk_peer *p, size_t cap)
{
	uint64_t *ot = p->adj_tab;
	size_t k, ocap = p->adj_cap;

	p->adj_tab = arena_huge_alloc(cap * sizeof(*p->adj_tab));
	for (k = 0; k < ocap; k++)
		if (ot[k] != 0)
			adj_insert(p->adj_tab, cap, ot[k]);
	p->adj_cap = cap;
	arena_huge_free(ot, ocap * sizeof(*ot));
}

/* Entries of a table this large come from huge-page chunks. */
#define SPK_BIG (16 * SPK_SLAB)

/* A block for SPK_SLAB more entries. */
static void
slab_add(struct spk_peer *p, bool big)
{
	size_t sz = SPK_SLAB * sizeof(struct spk_adj);
	struct spk_adj *b;

	p->slabs = xreallocarray(p->slabs, p->nslabs + 1, sizeof(*p->slabs));
	if (!big && p->nchunks == 0) {
		b = xreallocarray(NULL, SPK_SLAB, sizeof(*b));
		p->nsmall++;
	} else {
		if (p->nchunks == 0 || p->chunk_used + sz > ARENA_HUGE_PAGE) {
			p->chunks = xreallocarray(
			    p->chunks, p->nchunks + 1, sizeof(*p->chunks));
			p->chunks[p->nchunks++] =
			    arena_huge_alloc(ARENA_HUGE_PAGE);
			p->chunk_used = 0;
		}
		b = (struct spk_adj *)(p->chunks[p->nchunks - 1] +
		    p->chunk_used);
		p->chunk_used += sz;
	}
	p->slabs[p->nslabs++] = b;
}

void
spk_peer_reserve(struct spk_peer *p, uint64_t n)
{
	size_t want, cap = 64;

	if (n == 0 || n >= SIZE_MAX / 4 - p->nadj)
		return;
	want = p->nadj + (size_t)n;
	while (cap < want * 2 + 2)
		cap *= 2;
	if (cap > p->adj_cap)
		adj_resize(p, cap);
	if (p->dirty_cap < p->ndirty + (size_t)n) {
		p->dirty_cap = p->ndirty + (size_t)n;
		p->dirty =
		    xreallocarray(p->dirty, p->dirty_cap, sizeof(*p->dirty));
	}
	if (want >= SPK_BIG)
		while (p->nslabs * SPK_SLAB < want)
			slab_add(p, true);
}

struct spk_adj *
spk_adj_get(
    struct spk_peer *p, const struct prefix *pfx, uint32_t path_id, bool create)
{
	uint32_t h = adj_hash(pfx, path_id);
	size_t i, mask;
	struct spk_adj *a;

	if (p->adj_cap == 0) {
		if (!create)
			return NULL;
		adj_resize(p, 64);
	}
	mask = p->adj_cap - 1;
	for (i = h & mask; p->adj_tab[i] != 0; i = (i + 1) & mask) {
		if ((uint32_t)p->adj_tab[i] != h)
			continue;
		a = spk_adj_at(p, (p->adj_tab[i] >> 32) - 1);
		if (a->path_id == path_id && prefix_equal(&a->pfx, pfx))
			return a;
	}
	if (!create)
		return NULL;
	if (p->nadj == p->nslabs * SPK_SLAB)
		slab_add(p, p->nadj >= SPK_BIG);
	a = spk_adj_at(p, p->nadj);
	*a = (struct spk_adj){ .pfx = *pfx, .path_id = path_id };
	p->nadj++;
	p->adj_tab[i] = (uint64_t)p->nadj << 32 | h;
	if (p->nadj * 2 > p->adj_cap)
		adj_resize(p, p->adj_cap * 2);
	return a;
}

/*
 * What a peer was sent is interned: routes with the same attributes (and
 * next hop) share one blob, counted, in a table per peer.  An unchanged
 * route is found by comparing pointers, and the blob is also the group
 * its IPv4 NLRI are packed by.
 */
struct spk_blob {
	uint64_t h;
	uint32_t refs;
	uint32_t grp; /* spk_export's: group index + 1, 0 outside it */
	uint16_t len;
	uint8_t data[];
};

static struct spk_blob *
blob_get(struct spk_peer *p, const uint8_t *buf, size_t len)
{
	uint64_t h = hash_bytes(buf, len, 7);
	size_t i, mask, k;
	struct spk_blob *b;

	if (p->nblobs * 2 >= p->blob_cap) {
		struct spk_blob **ot = p->blob_tab;
		size_t ocap = p->blob_cap;

		p->blob_cap = ocap ? ocap * 2 : 16;
		p->blob_tab = xcalloc(p->blob_cap, sizeof(*p->blob_tab));
		for (k = 0; k < ocap; k++) {
			if (ot[k] == NULL)
				continue;
			for (i = ot[k]->h & (p->blob_cap - 1);
			     p->blob_tab[i] != NULL;
			     i = (i + 1) & (p->blob_cap - 1))
				;
			p->blob_tab[i] = ot[k];
		}
		free(ot);
	}
	mask = p->blob_cap - 1;
	for (i = h & mask; (b = p->blob_tab[i]) != NULL; i = (i + 1) & mask)
		if (b->h == h && b->len == len &&
		    memcmp(b->data, buf, len) == 0) {
			b->refs++;
			return b;
		}
	b = xmalloc(sizeof(*b) + len);
	b->h = h;
	b->refs = 1;
	b->grp = 0;
	b->len = (uint16_t)len;
	memcpy(b->data, buf, len);
	p->blob_tab[i] = b;
	p->nblobs++;
	return b;
}

/* Drop a reference; the last one frees b (backward-shift deletion). */
static void
blob_put(struct spk_peer *p, struct spk_blob *b)
{
	size_t i, j, k, mask = p->blob_cap - 1;

	if (b == NULL || --b->refs > 0)
		return;
	for (i = b->h & mask; p->blob_tab[i] != b; i = (i + 1) & mask)
		;
	for (j = (i + 1) & mask; p->blob_tab[j] != NULL; j = (j + 1) & mask) {
		k = p->blob_tab[j]->h & mask;
		/* the entry at j may move to the hole at i if its home
		 * slot k is not cyclically in (i, j] */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			p->blob_tab[i] = p->blob_tab[j];
			i = j;
		}
	}
	p->blob_tab[i] = NULL;
	p->nblobs--;
	free(b);
}

void
spk_adj_forget(struct spk_peer *p, struct spk_adj *a)
{
	blob_put(p, a->sent);
	a->sent = NULL;
}

static void
mark_dirty(struct spk_peer *p, struct spk_adj *a)
{
	if (a->dirty)
		return;
	a->dirty = true;
	if (p->ndirty == p->dirty_cap) {
		p->dirty_cap = p->dirty_cap ? p->dirty_cap * 2 : 64;
		p->dirty =
		    xreallocarray(p->dirty, p->dirty_cap, sizeof(*p->dirty));
	}
	p->dirty[p->ndirty++] = a;
}

/*
 * Set what every prefix of r (after split) should be at peer p: the route
 * (announce) or nothing (withdraw; prefixes it does not hold are left
 * alone).  The export then sends what changed.
 */
static void
peer_set(struct spk_peer *p, const struct spk_route *r,
    const struct spk_route *want, bool announce)
{
	uint64_t n = spk_route_split_count(r), i;
	struct prefix pfx;
	struct spk_adj *a;

	for (i = 0; i < n; i++) {
		spk_route_split_prefix(r, i, &pfx);
		a = spk_adj_get(
		    p, &pfx, r->has_path_id ? r->path_id : 0, announce);
		if (a == NULL || (!announce && a->want == NULL))
			continue;
		a->want = announce ? want : NULL;
		mark_dirty(p, a);
	}
	if (p->s == NULL)
		return;
	if (p->k->hold_export) {
		p->export_held = true;
		p->k->held = true;
	} else
		session_export_soon(p->s);
}

static bool
af_of(const struct prefix *p)
{
	return p->af == ADDR_V6;
}

/* The BGP_AF_ index of p's family. */
static int
pfx_af(const struct prefix *p)
{
	return af_of(p) ? BGP_AF_IPV6 : BGP_AF_IPV4;
}

/*
 * Forget what p was sent, so the export sends it again: for every entry
 * (all, a new session), or only for the routes it should have (its
 * pending withdrawals still go); of family af (BGP_AF_*), or of all (-1).
 */
static void
resend(struct spk_peer *p, bool all, int af)
{
	struct spk_adj *a;
	size_t i;

	for (i = 0; i < p->nadj; i++) {
		a = spk_adj_at(p, i);
		if ((!all && a->want == NULL) ||
		    (af >= 0 && af != pfx_af(&a->pfx)))
			continue;
		spk_adj_forget(p, a);
		if (a->want != NULL)
			mark_dirty(p, a);
	}
}

void
spk_peer_resend(struct spk_peer *p)
{
	resend(p, false, -1);
	if (p->s != NULL)
		session_export_soon(p->s);
}

void
spk_peer_clear(struct spk_peer *p)
{
	size_t i;

	for (i = 0; i < p->nadj; i++) {
		struct spk_adj *a = spk_adj_at(p, i);

		if (a->want != NULL) {
			a->want = NULL;
			mark_dirty(p, a);
		}
	}
	if (p->s != NULL)
		session_export_soon(p->s);
}

void
spk_peer_announce(struct spk_peer *p, const struct spk_route *r)
{
	peer_set(p, r, r, true);
}

void
spk_peer_announce_as(struct spk_peer *p, const struct spk_route *r,
    const struct spk_route *attrs)
{
	peer_set(p, r, attrs, true);
}

void
spk_peer_withdraw(struct spk_peer *p, const struct spk_route *r)
{
	peer_set(p, r, NULL, false);
}

/* ---- encoding, ExaBGP's way ---- */

/* The next hop a route is sent with (`self` resolved). */
static void
route_nexthop(
    const struct spk_peer *p, const struct spk_route *r, struct ipaddr *nh)
{
	if (r->nexthop_self || r->nexthop.af == 0)
		*nh = p->n->local_addr;
	else
		*nh = r->nexthop;
}

/*
 * The bytes that describe what entry a is sent as: attributes (with
 * NEXT_HOP when classic) and the next hop.  They are compared with what
 * was last sent, so an unchanged route is not sent again.
 */
static size_t
entry_bytes(struct spk_peer *p, const struct spk_adj *a, uint8_t *buf,
    size_t cap, struct ipaddr *nh)
{
	const struct bgp_ctx *ctx = session_ctx(p->s);
	size_t len = 0;

	route_nexthop(p, a->want, nh);
	if (!spk_route_attrs(p->n, a->want, nh, ctx->as4, buf, cap - 17, &len))
		return 0;
	/* the next hop as a trailer, for the comparison only */
	buf[len] = nh->af;
	memcpy(buf + len + 1, nh->a, 16);
	return len + 17;
}

static void
put_nlri(
    struct wbuf *w, const struct prefix *pfx, bool addpath, uint32_t path_id)
{
	if (addpath)
		wbuf_put_u32(w, path_id);
	wbuf_put_u8(w, pfx->len);
	wbuf_put(w, pfx->a, (pfx->len + 7u) / 8);
}

static void
send_msg(struct spk_peer *p, struct wbuf *w, size_t off)
{
	if (bgp_msg_finish(w, off, session_max_len(p->s)))
		session_send(p->s, w->p + off, w->len - off);
}

/* One UPDATE with the classic IPv4 NLRI of entries g[0..n). */
static void
send_v4_group(struct spk_peer *p, struct spk_adj **g, size_t n,
    const uint8_t *attrs, size_t alen)
{
	static uint8_t buf[BGP_EXT_MAX_LEN];
	bool ap = session_ctx(p->s)->addpath_tx[BGP_AF_IPV4];
	size_t max = session_max_len(p->s), i = 0, off;
	struct wbuf w;

	while (i < n) {
		wbuf_init(&w, buf, max);
		off = 0;
		bgp_hdr_encode(&w, BGP_MSG_UPDATE, 0);
		wbuf_put_u16(&w, 0);
		wbuf_put_u16(&w, (uint16_t)alen);
		wbuf_put(&w, attrs, alen);
		do {
			if (wbuf_room(&w) < 4u + 1 + 4)
				break;
			put_nlri(&w, &g[i]->pfx, ap, g[i]->path_id);
			i++;
		} while (i < n && p->n->group_updates);
		send_msg(p, &w, off);
	}
}

/* One UPDATE with MP_REACH_NLRI (appended after attrs) for entry a. */
static void
send_mp(struct spk_peer *p, struct spk_adj *a, const uint8_t *attrs,
    size_t alen, const struct ipaddr *nh)
{
	static uint8_t buf[BGP_EXT_MAX_LEN];
	int af = pfx_af(&a->pfx);
	bool ap = session_ctx(p->s)->addpath_tx[af];
	size_t aoff, moff, nhlen = nh->af == ADDR_V4 ? 4 : 16;
	struct wbuf w;
	uint8_t tmp[64];
	struct wbuf t;

	/* the MP_REACH_NLRI value first, to know its length */
	wbuf_init(&t, tmp, sizeof(tmp));
	wbuf_put_u16(&t, bgp_af_afi(af));
	wbuf_put_u8(&t, BGP_SAFI_UNICAST);
	wbuf_put_u8(&t, (uint8_t)nhlen);
	wbuf_put(&t, nh->a, nhlen);
	wbuf_put_u8(&t, 0);
	put_nlri(&t, &a->pfx, ap, a->path_id);
	wbuf_init(&w, buf, session_max_len(p->s));
	bgp_hdr_encode(&w, BGP_MSG_UPDATE, 0);
	wbuf_put_u16(&w, 0);
	aoff = wbuf_reserve(&w, 2);
	wbuf_put(&w, attrs, alen);
	wbuf_put_u8(&w, BGP_ATTR_OPTIONAL);
	wbuf_put_u8(&w, BGP_ATTR_MP_REACH);
	moff = wbuf_reserve(&w, 1);
	wbuf_put(&w, tmp, t.len);
	wbuf_patch_u8(&w, moff, (uint8_t)t.len);
	wbuf_patch_u16(&w, aoff, (uint16_t)(w.len - aoff - 2));
	send_msg(p, &w, 0);
}

static void
send_withdrawals(struct spk_peer *p, struct spk_adj **wd, size_t n)
{
	static uint8_t buf[BGP_EXT_MAX_LEN];
	const struct bgp_ctx *ctx = session_ctx(p->s);
	size_t i, off, loff;
	struct wbuf w;

	/* IPv4: the withdrawn routes field, packed */
	for (i = 0; i < n;) {
		if (af_of(&wd[i]->pfx)) {
			i++;
			continue;
		}
		wbuf_init(&w, buf, session_max_len(p->s));
		off = 0;
		bgp_hdr_encode(&w, BGP_MSG_UPDATE, 0);
		loff = wbuf_reserve(&w, 2);
		for (; i < n && wbuf_room(&w) > 2u + 9; i++)
			if (!af_of(&wd[i]->pfx))
				put_nlri(&w, &wd[i]->pfx,
				    ctx->addpath_tx[BGP_AF_IPV4],
				    wd[i]->path_id);
		wbuf_patch_u16(&w, loff, (uint16_t)(w.len - loff - 2));
		wbuf_put_u16(&w, 0);
		send_msg(p, &w, off);
	}
	/* IPv6: one MP_UNREACH_NLRI each */
	for (i = 0; i < n; i++) {
		size_t aoff, moff;

		if (!af_of(&wd[i]->pfx))
			continue;
		wbuf_init(&w, buf, session_max_len(p->s));
		bgp_hdr_encode(&w, BGP_MSG_UPDATE, 0);
		wbuf_put_u16(&w, 0);
		aoff = wbuf_reserve(&w, 2);
		wbuf_put_u8(&w, BGP_ATTR_OPTIONAL | BGP_ATTR_EXTLEN);
		wbuf_put_u8(&w, BGP_ATTR_MP_UNREACH);
		moff = wbuf_reserve(&w, 2);
		wbuf_put_u16(&w, BGP_AFI_IPV6);
		wbuf_put_u8(&w, BGP_SAFI_UNICAST);
		put_nlri(&w, &wd[i]->pfx, ctx->addpath_tx[BGP_AF_IPV6],
		    wd[i]->path_id);
		wbuf_patch_u16(&w, moff, (uint16_t)(w.len - moff - 2));
		wbuf_patch_u16(&w, aoff, (uint16_t)(w.len - aoff - 2));
		send_msg(p, &w, 0);
	}
}

static int
adj_cmp(const void *x, const void *y)
{
	const struct spk_adj *a = *(struct spk_adj *const *)x,
	                     *b = *(struct spk_adj *const *)y;
	int c = prefix_cmp(&a->pfx, &b->pfx);

	if (c != 0)
		return c;
	return a->path_id < b->path_id ? -1 : a->path_id > b->path_id;
}

/* A group of IPv4 announcements sharing attribute bytes. */
struct grp {
	struct spk_blob *b; /* borrowed: the members' a->sent */
	size_t n, at;       /* members; where they start in the sorted list */
};

static bool
adj_sorted(struct spk_adj **m, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (adj_cmp(&m[i - 1], &m[i]) > 0)
			return false;
	return true;
}

static void
spk_export(struct bgpd *d, struct session *s)
{
	static uint8_t buf[BGP_EXT_MAX_LEN];
	struct spk_peer *p = session_user(s);
	struct spk_adj **ann = NULL, **byg = NULL, *a;
	struct spk_blob *b;
	struct grp *g = NULL;
	struct ipaddr nh;
	size_t i, k, n, ng = 0, gcap = 0, nwd = 0, nann = 0, blen;
	const struct spk_route *lastw = NULL;
	struct spk_blob *lastb = NULL;
	struct ipaddr lastnh = { 0 };

	(void)d;
	if (p == NULL || session_state(s) != SESSION_ESTABLISHED || p->just_up)
		return;
	n = p->ndirty;
	ann = xreallocarray(NULL, n + 1, sizeof(*ann));
	for (i = 0; i < n; i++) {
		a = p->dirty[i];
		a->dirty = false;
		if (!session_family(s, pfx_af(&a->pfx)))
			continue;
		if (a->want == NULL) {
			if (a->sent != NULL) {
				/* the withdrawals, in place at the front */
				p->dirty[nwd++] = a;
				spk_adj_forget(p, a);
			}
			continue;
		}
		if (a->want == lastw) {
			/* the same route as the entry before (a merged or split
			 * one): the same bytes */
			b = lastb;
			b->refs++;
			nh = lastnh;
		} else {
			blen = entry_bytes(p, a, buf, sizeof(buf), &nh);
			if (blen == 0) {
				log_warnx("neighbor %s: route does not fit a "
				          "message",
				    p->name);
				lastw = NULL;
				continue;
			}
			b = blob_get(p, buf, blen);
		}
		lastw = a->want;
		lastb = b;
		lastnh = nh;
		if (a->sent == b) {
			blob_put(p, b);
			continue; /* the peer has it already (4.2.25) */
		}
		blob_put(p, a->sent);
		a->sent = b;
		if (af_of(&a->pfx) || nh.af != ADDR_V4) {
			send_mp(p, a, b->data, b->len - 17u, &nh);
			continue;
		}
		if (!p->n->group_updates) {
			ann[nann++] = a; /* one UPDATE each, in this order */
			continue;
		}
		if (b->grp == 0) {
			if (ng == gcap) {
				gcap = gcap ? gcap * 2 : 8;
				g = xreallocarray(g, gcap, sizeof(*g));
			}
			g[ng] = (struct grp){ b, 0, 0 };
			b->grp = (uint32_t)++ng;
		}
		g[b->grp - 1].n++;
		ann[nann++] = a;
	}
	p->ndirty = 0;
	if (nwd > 0)
		send_withdrawals(p, p->dirty, nwd);
	if (!p->n->group_updates) {
		for (i = 0; i < nann; i++)
			send_v4_group(p, &ann[i], 1, ann[i]->sent->data,
			    ann[i]->sent->len - 17);
	} else if (ng > 0) {
		/* by group, in the order they first appear */
		byg = ng == 1 ? ann : xreallocarray(NULL, nann, sizeof(*byg));
		for (k = 0, i = 0; k < ng; k++) {
			g[k].at = i;
			i += g[k].n;
			g[k].n = 0;
		}
		if (ng > 1)
			for (i = 0; i < nann; i++) {
				struct grp *e = &g[ann[i]->sent->grp - 1];

				byg[e->at + e->n++] = ann[i];
			}
		else
			g[0].n = nann;
		for (k = 0; k < ng; k++) {
			struct spk_adj **m = byg + g[k].at;

			g[k].b->grp = 0;
			/* NLRI in prefix order, as ExaBGP's grouped UPDATEs
			 * show */
			if (!adj_sorted(m, g[k].n))
				qsort(m, g[k].n, sizeof(*m), adj_cmp);
			send_v4_group(
			    p, m, g[k].n, g[k].b->data, g[k].b->len - 17);
		}
		if (byg != ann)
			free(byg);
	}
	free(g);
	free(ann);
	if (!p->eor_sent && !p->n->manual_eor) {
		const struct bgp_open *o = session_peer_open(s);
		int f;

		p->eor_sent = true;
		if (session_family(s, BGP_AF_IPV4))
			session_send_eor(s, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
		/* every other family both sides offered (RFC 4724 2) */
		for (f = 0; f < p->nextra; f++)
			if (p->extra[f].afi == BGP_AFI_IPV4 && o != NULL &&
			    bgp_caps_has_af(
			        &o->caps, p->extra[f].afi, p->extra[f].safi))
				session_send_eor(
				    s, p->extra[f].afi, p->extra[f].safi);
		if (session_family(s, BGP_AF_IPV6))
			session_send_eor(s, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
		for (f = 0; f < p->nextra; f++)
			if (p->extra[f].afi != BGP_AFI_IPV4 && o != NULL &&
			    bgp_caps_has_af(
			        &o->caps, p->extra[f].afi, p->extra[f].safi))
				session_send_eor(
				    s, p->extra[f].afi, p->extra[f].safi);
	}
}

void
spk_flush(struct spk *k)
{
	int j;

	if (!k->held)
		return;
	k->held = false;
	k->held_since = (struct timeval){ 0, 0 };
	for (j = 0; j < k->npeers; j++) {
		struct spk_peer *p = k->peers[j];

		if (!p->export_held)
			continue;
		p->export_held = false;
		if (p->s != NULL)
			spk_export(NULL, p->s);
	}
}

/* ---- the session ops ---- */

static bool
spk_attach(struct bgpd *d, struct session *s)
{
	struct spk *k = bgpd_arg(d);

	session_set_user(s, k->attaching);
	k->attaching->s = s;
	return true;
}

/* how long a new session's first export waits for the peer (spk_up) */
#define UP_READ_US 100000

static void
spk_up(struct bgpd *d, struct session *s)
{
	struct spk_peer *p = session_user(s);
	struct timeval wait = { 0, UP_READ_US };

	(void)d;
	/* a new session: everything is sent again */
	resend(p, true, -1);
	p->eor_sent = false;
	spk_api_event_fsm(p, "ESTABLISHED");
	spk_api_event_state(p, "up", NULL);
	/*
	 * A process that hears sent UPDATEs is told them in ExaBGP's order,
	 * which reads what the peer sends on Established before its own
	 * routes go (ExaBGP's qa api-check relies on it): the first export
	 * waits for the peer's first UPDATE, at most UP_READ_US.  Without
	 * such a process nothing waits.
	 */
	if (p->k->nprocs > 0 && spk_api_hears_sent_updates(p)) {
		p->just_up = true;
		if (!evtimer_pending(p->k->up_ev, NULL))
			evtimer_add(p->k->up_ev, &wait);
	} else
		session_export_soon(s);
}

static void
up_cb(evutil_socket_t fd, short what, void *arg)
{
	struct spk *k = arg;
	int i;

	(void)fd;
	(void)what;
	for (i = 0; i < k->npeers; i++)
		if (k->peers[i]->just_up) {
			k->peers[i]->just_up = false;
			session_export_soon(k->peers[i]->s);
		}
}

static void
spk_connected(struct bgpd *d, struct session *s)
{
	struct spk_peer *p = session_user(s);

	(void)d;
	p->tcp_up = true;
	p->down_why[0] = '\0';
	/* ExaBGP's _establish(): ACTIVE, the connection, CONNECT */
	spk_api_event_fsm(p, "ACTIVE");
	spk_api_event_state(p, "connected", NULL);
	spk_api_event_fsm(p, "CONNECT");
}

/*
 * ExaBGP's str() of a NOTIFICATION: "Cease / Administrative Shutdown",
 * then " / DATA" (as exa_notify_data keeps it), printable and bounded.
 */
static void
notify_why(struct spk_peer *p, bool sent, const uint8_t *m, size_t len)
{
	struct sbuf d;
	size_t n, i;

	sbuf_init(&d);
	exa_notify_data(&d, m[19], m[20], rbuf_make(m + 21, len - 21));
	n = (size_t)snprintf(p->down_why, sizeof(p->down_why),
	    "peer reset, message [notification %s (%u,%u)] error[%s / %s",
	    sent ? "sent" : "received", m[19], m[20], exa_notify_code(m[19]),
	    exa_notify_subcode(m[19], m[20]));
	if (n < sizeof(p->down_why) && d.len > 0 &&
	    n + 3 < sizeof(p->down_why) - 2) {
		memcpy(p->down_why + n, " / ", 3);
		n += 3;
		for (i = 0; i < d.len && n < sizeof(p->down_why) - 2; i++)
			if (d.s[i] >= 0x20 && d.s[i] < 0x7f)
				p->down_why[n++] = d.s[i];
	}
	if (n > sizeof(p->down_why) - 2)
		n = sizeof(p->down_why) - 2;
	p->down_why[n++] = ']';
	p->down_why[n] = '\0';
	sbuf_fini(&d);
}

static void
spk_message(
    struct bgpd *d, struct session *s, bool sent, const uint8_t *m, size_t len)
{
	struct spk_peer *p = session_user(s);

	(void)d;
	if (len >= BGP_NOTIFY_MIN_LEN && m[18] == BGP_MSG_NOTIFICATION &&
	    p->down_why[0] == '\0')
		notify_why(p, sent, m, len);
	if (p->k->nprocs > 0)
		spk_api_event_message(p, sent, m, len);
	if (p->k->nprocs > 0 && len > 18 && m[18] == BGP_MSG_OPEN) {
		spk_api_open(p, sent, m, len);
		spk_api_event_fsm(p, sent ? "OPENSENT" : "OPENCONFIRM");
	}
	if (p->just_up && !sent && len > 18 && m[18] == BGP_MSG_UPDATE) {
		/* told; the routes follow (spk_up) */
		p->just_up = false;
		session_export_soon(s);
	}
}

static void
spk_down(struct bgpd *d, struct session *s, bool was_up, bool notified)
{
	struct spk_peer *p = session_user(s);
	const char *net;

	(void)d;
	(void)was_up;
	(void)notified;
	spk_adjin_clear(p);
	spk_api_forget_opens(p);
	if (!p->tcp_up)
		return;
	p->tcp_up = false;
	if (p->down_why[0] == '\0' && session_close_kind(s) == SESSION_CLOSE_GR)
		/* ExaBGP's Peer._main() with graceful restart */
		snprintf(p->down_why, sizeof(p->down_why),
		    "graceful restarted negotiated, closing without sending "
		    "any notification");
	if (p->down_why[0] == '\0') {
		/* ExaBGP's NetworkError texts (reactor/network/connection.py) */
		switch (session_close_kind(s)) {
		case SESSION_CLOSE_EOF:
			net = "the TCP connection was closed by the remote end";
			break;
		case SESSION_CLOSE_RESET:
			net = "Broken TCP connection";
			break;
		default:
			net = "lost the TCP connection";
			break;
		}
		snprintf(p->down_why, sizeof(p->down_why),
		    "peer reset, message [closing connection] error[%s]", net);
	}
	spk_api_event_fsm(p, "IDLE");
	spk_api_event_state(p, "down", p->down_why);
	p->down_why[0] = '\0';
}

/*
 * An attempt to connect failed.  ExaBGP 4.2.21 tells it as an attempt
 * whose first read or write broke: ACTIVE, connected, CONNECT, IDLE and
 * down, for every attempt; its processes count on that.
 */
static void
spk_connect_failed(struct bgpd *d, struct session *s)
{
	struct spk_peer *p = session_user(s);

	spk_connected(d, s);
	snprintf(p->down_why, sizeof(p->down_why),
	    "peer reset, message [closing connection] error[Broken TCP "
	    "connection]");
	spk_down(d, s, false, false);
}

static void
spk_update(struct bgpd *d, struct session *s, const struct bgp_update *u,
    struct bgp_pattrs *pa)
{
	(void)d;
	/* the API was told in spk_message, from the bytes */
	spk_adjin_update(session_user(s), u, pa);
}

static void
spk_refresh(struct bgpd *d, struct session *s, int af)
{
	struct spk_peer *p = session_user(s);
	bool enhanced = session_peer_enhanced_rr(s) && p->n->capa.route_refresh;
	uint16_t afi = bgp_af_afi(af);
	uint8_t safi = bgp_af_safi(af);

	/* the peer still holds what it was sent: withdrawals still due go */
	resend(p, false, af);
	p->just_up = false;
	if (!enhanced) {
		session_export_soon(s);
		return;
	}
	/* RFC 7313 4 (and ExaBGP): BoRR, everything again, EoRR */
	spk_send_refresh(p, afi, safi, BGP_RR_BORR);
	spk_export(d, s);
	spk_send_refresh(p, afi, safi, BGP_RR_EORR);
}

const struct bgpd_ops spk_ops = {
	.attach = spk_attach,
	.up = spk_up,
	.down = spk_down,
	.update = spk_update,
	.refresh = spk_refresh,
	.export = spk_export,
	.connected = spk_connected,
	.connect_failed = spk_connect_failed,
	.message = spk_message,
};

/* ---- start-up ---- */

static uint32_t
id_of(const uint8_t *b)
{
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
	    ((uint32_t)b[2] << 8) | b[3];
}

bool spk_map_loopback;
const char *spk_root;

/* Base64 text (padding optional) into at most max bytes; -1 if invalid. */
static int
b64_decode(const char *s, uint8_t *out, size_t max)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "abcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	size_t n = 0, bits = 0;
	const char *q;

	for (; *s != '\0' && *s != '='; s++) {
		if ((q = strchr(abc, *s)) == NULL)
			return -1;
		acc = acc << 6 | (uint32_t)(q - abc);
		if ((bits += 6) >= 8) {
			bits -= 8;
			if (n == max)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return bits >= 6 ? -1 : (int)n; /* 1 char past a quad: invalid */
}

/*
 * The TCP MD5 key as ExaBGP 4.2 makes it (reactor/network/tcp.py): with
 * md5-base64 true the password is base64; unset (auto), a password of
 * only 0-9 and a-f is read as base64 too, quirk included, and any other
 * as its own bytes.
 */
static void
md5_key(const struct spk_neighbor *n, struct session_conf *c)
{
	const char *pw = n->md5_password;
	int len;

	if (pw == NULL || *pw == '\0')
		return;
	if ((n->md5_base64 || strspn(pw, "0123456789abcdef") == strlen(pw)) &&
	    (len = b64_decode(pw, c->md5_key, sizeof(c->md5_key))) > 0) {
		c->md5_len = (uint8_t)len;
		return;
	}
	len = (int)strnlen(pw, sizeof(c->md5_key));
	memcpy(c->md5_key, pw, (size_t)len);
	c->md5_len = (uint8_t)len;
}

static void
peer_conf(struct spk *k, const struct spk_neighbor *n, struct session_conf *c)
{
	memset(c, 0, sizeof(*c));
	prefix_print(&n->peer, c->name, sizeof(c->name));
	c->addr.af = n->peer.af;
	memcpy(c->addr.a, n->peer.a, sizeof(c->addr.a));
	c->port = n->connect ? n->connect : k->env.tcp.port;
	c->local = n->local_addr;
	if (spk_map_loopback) {
		(void)addr_loopback_map(&c->addr, &c->addr);
		if (!addr_is_unspecified(&c->local))
			(void)addr_loopback_map(&c->local, &c->local);
	}
	c->asn = n->peer_as;
	c->local_as = n->local_as;
	c->router_id = id_of(n->router_id);
	c->passive = n->passive;
	c->hold_time = n->hold_time;
	c->ipv4 = spk_neighbor_has_family(n, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	c->ipv6 = spk_neighbor_has_family(n, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	c->connect_retry = 5;
	c->exa_backoff = true;
	c->once = k->env.tcp.once;
	c->no_asn4 = !n->capa.asn4;
	c->no_route_refresh = !n->capa.route_refresh;
	c->no_ext_msg = !n->capa.extended_message;
	c->gr = n->capa.graceful_restart;
	c->gr_restarting = true; /* ExaBGP 4.2's restarting speaker */
	c->gr_time = n->capa.gr_time ? n->capa.gr_time : n->hold_time;
	md5_key(n, c);
	if (n->outgoing_ttl > 0)
		c->ttl = (uint8_t)n->outgoing_ttl;
	if (n->incoming_ttl > 0) /* ExaBGP: IP_MINTTL, and it sends that TTL */
		c->min_ttl = c->ttl = (uint8_t)n->incoming_ttl;
	if (n->capa.add_path != SPK_ADDPATH_DISABLE) {
		uint8_t bits = 0;

		if (n->capa.add_path & SPK_ADDPATH_RECEIVE)
			bits |= BGP_ADDPATH_RX;
		if (n->capa.add_path & SPK_ADDPATH_SEND)
			bits |= BGP_ADDPATH_TX;
		c->addpath[BGP_AF_IPV4] = c->addpath[BGP_AF_IPV6] = bits;
	}
}

/*
 * The neighbour's families as the OPEN's MP capabilities, in its order,
 * and the capabilities in ExaBGP's order (session_conf exa_order).  The
 * families besides IPv4/IPv6 unicast are offered so that End-of-RIB can
 * be sent for each, as ExaBGP does, though no routes of theirs are
 * carried.
 */
static void
extra_families(struct spk_peer *p, struct session_conf *c)
{
	const struct spk_neighbor *n = p->n;
	size_t o = 0;
	int i;

	p->nextra = 0;
	for (i = 0; i < n->nfamilies && o + 6 <= sizeof(p->caps); i++) {
		const struct spk_family *f = &n->families[i];

		p->caps[o++] = BGP_CAP_MP;
		p->caps[o++] = 4;
		p->caps[o++] = (uint8_t)(f->afi >> 8);
		p->caps[o++] = (uint8_t)f->afi;
		p->caps[o++] = 0;
		p->caps[o++] = f->safi;
		if ((f->afi == BGP_AFI_IPV4 || f->afi == BGP_AFI_IPV6) &&
		    f->safi == BGP_SAFI_UNICAST)
			continue;
		if (p->nextra < SPK_FAMILY_MAX)
			p->extra[p->nextra++] = *f;
	}
	c->extra_caps = p->caps;
	c->extra_caps_len = o;
	c->exa_order = true;
}

/* Everything a peer owns: its Adj-RIB-Out, its Adj-RIB-In. */
void
spk_peer_free(struct spk_peer *p)
{
	size_t i;

	for (i = 0; i < p->nadj; i++)
		spk_adj_forget(p, spk_adj_at(p, i));
	for (i = 0; i < p->nsmall; i++)
		free(p->slabs[i]);
	for (i = 0; i < p->nchunks; i++)
		arena_huge_free(p->chunks[i], ARENA_HUGE_PAGE);
	free(p->chunks);
	free(p->slabs);
	free(p->blob_tab);
	arena_huge_free(p->adj_tab, p->adj_cap * sizeof(*p->adj_tab));
	free(p->dirty);
	if (p->adjin != NULL)
		spk_adjin_free(p);
	spk_api_forget_opens(p);
}

/* After a shutdown: leave once every Cease is written, at most 300 ms. */
static void
drain_cb(evutil_socket_t fd, short what, void *arg)
{
	struct spk *k = arg;
	struct timeval tv = { 0, 5000 };

	(void)fd;
	(void)what;
	if (bgpd_drained(k->bgp) || ++k->drain_ticks > 60) {
		event_base_loopbreak(k->base);
		return;
	}
	evtimer_add(k->drain_ev, &tv);
}

/* Every process stopped and started again (ExaBGP's processes.start). */
static void
restart_processes(struct spk *k)
{
	spk_api_stop(k);
	free(k->procs);
	k->procs = NULL;
	spk_api_start(k);
}

/*
 * ExaBGP 4.2.21's signals (reactor/interrupt.py), told first to the
 * processes of the blocks with `signal;` (not SIGINT, which Python takes
 * as KeyboardInterrupt): SIGUSR1 reads the configuration again, SIGUSR2
 * that and every process again, SIGALRM is `restart`; SIGTERM, SIGHUP
 * and SIGINT shut down.
 */
static void
sig_cb(evutil_socket_t sig, short what, void *arg)
{
	struct spk *k = arg;

	(void)what;
	if (sig != SIGINT)
		spk_api_event_signal(k, (int)sig);
	if (sig == SIGUSR1 || sig == SIGUSR2) {
		(void)notify_send("RELOADING=1");
		spk_reload(k);
		if (sig == SIGUSR2)
			restart_processes(k);
		(void)notify_send("READY=1");
		return;
	}
	if (sig == SIGALRM) {
		spk_restart(k);
		return;
	}
	log_info("signal %d: shutting down", (int)sig);
	(void)notify_send("STOPPING=1");
	spk_api_shutdown(k);
	spk_api_stop(k);
	bgpd_shutdown(k->bgp, BGP_CEASE_SHUTDOWN, "vrs-speaker shutting down");
	drain_cb(-1, 0, k);
}

/*
 * ExaBGP's `restart` (reactor/loop.py restart()): the configuration is
 * read again, every established session is torn down with Cease 3 (Peer
 * De-configured, as Peer.reestablish() does) and comes back, and every
 * process is stopped and started again.  It runs from an event, after
 * the answer to the command, not inside the command of a process it
 * stops.
 */
static void
restart_cb(evutil_socket_t fd, short what, void *arg)
{
	struct spk *k = arg;
	int j;

	(void)fd;
	(void)what;
	log_info("restart: configuration, sessions and processes");
	spk_reload(k);
	for (j = 0; j < k->npeers; j++)
		if (k->peers[j]->s != NULL &&
		    session_state(k->peers[j]->s) == SESSION_ESTABLISHED)
			session_teardown(
			    k->peers[j]->s, BGP_CEASE_DECONFIG, NULL);
	restart_processes(k);
}

void
spk_restart(struct spk *k)
{
	static const struct timeval now = { 0, 0 };

	if (k->base == NULL) { /* no event loop (fuzz_exaapi): the reload */
		spk_reload(k);
		return;
	}
	if (event_base_once(k->base, -1, EV_TIMEOUT, restart_cb, k, &now) < 0)
		log_warnx("restart: cannot schedule it");
}

/* p's session, made from its neighbour's settings. */
static void
peer_session(struct spk *k, struct spk_peer *p)
{
	struct session_conf sc;

	peer_conf(k, p->n, &sc);
	extra_families(p, &sc);
	snprintf(p->name, sizeof(p->name), "%s", sc.name);
	if (k->bgp == NULL) /* no sessions (fuzz_exaapi) */
		return;
	k->attaching = p;
	if (bgpd_peer_add(k->bgp, &sc) == NULL)
		log_warnx("neighbor %s: cannot add", p->name);
}

struct spk_peer *
spk_peer_new(struct spk *k, struct spk_neighbor *n)
{
	struct spk_peer *p = xcalloc(1, sizeof(*p));
	uint64_t total = 0;
	size_t r;

	p->k = k;
	p->n = n;
	for (r = 0; r < n->nroutes; r++)
		if (!n->routes[r]->withdrawn)
			total += spk_route_split_count(n->routes[r]);
	spk_peer_reserve(p, total);
	for (r = 0; r < n->nroutes; r++)
		if (!n->routes[r]->withdrawn)
			spk_peer_announce(p, n->routes[r]);
	peer_session(k, p);
	return p;
}

void
spk_peers_free(struct spk *k)
{
	for (int i = 0; i < k->npeers; i++) {
		spk_peer_free(k->peers[i]);
		free(k->peers[i]);
	}
	free(k->peers);
	k->peers = NULL;
	k->npeers = 0;
}

void
spk_timers_new(struct spk *k)
{
	k->drain_ev = evtimer_new(k->base, drain_cb, k);
	k->up_ev = evtimer_new(k->base, up_cb, k);
}

void
spk_timers_free(struct spk *k)
{
	event_free(k->drain_ev);
	event_free(k->up_ev);
	k->drain_ev = k->up_ev = NULL;
}

int
spk_run(int nfiles, char **files)
{
	struct bgpd_conf bc = { 0 };
	struct spk k;
	struct sbuf errs;
	struct event *evs[6];
	int sigs[6] = { SIGTERM, SIGINT, SIGUSR1, SIGHUP, SIGUSR2, SIGALRM };
	int i;

	memset(&k, 0, sizeof(k));
	spk_global = &k;
	k.files = files;
	k.nfiles = nfiles;
	sbuf_init(&errs);
	spk_env_init(&k.env);
	if (!spk_env_load(&k.env, environ, &errs))
		fprintf(stderr, "%s", errs.s);
	sbuf_fini(&errs);
	k.cfg = xcalloc(1, sizeof(*k.cfg));
	if (!spk_config_load(k.cfg, files[0])) {
		fputs(k.cfg->errors.s, stderr);
		spk_config_free(k.cfg);
		free(k.cfg);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	k.base = event_base_new();
	arena_init(&k.arena, 65536);
	k.bgp = bgpd_new(k.base, &bc, &spk_ops, &k);
	for (i = 0; spk_map_loopback && i < k.env.tcp.nbind; i++)
		(void)addr_loopback_map(&k.env.tcp.bind[i], &k.env.tcp.bind[i]);
	for (i = 0; i < k.env.tcp.nbind; i++)
		if (bgpd_listen(k.bgp, &k.env.tcp.bind[i], k.env.tcp.port) < 0)
			log_warn("listen on port %u", k.env.tcp.port);
	k.npeers = k.cfg->nneighbors;
	k.peers = xcalloc((size_t)k.npeers + 1, sizeof(*k.peers));
	for (i = 0; i < k.npeers; i++)
		k.peers[i] = spk_peer_new(&k, k.cfg->neighbors[i]);
	spk_api_start(&k);
	spk_cli_start(&k);
	for (i = 0; i < 6; i++) {
		evs[i] = evsignal_new(k.base, sigs[i], sig_cb, &k);
		evsignal_add(evs[i], NULL);
	}
	spk_timers_new(&k);
	/* configuration read, sessions started, pipes open: Type=notify */
	if (!notify_send("READY=1"))
		log_warn("NOTIFY_SOCKET %s", getenv("NOTIFY_SOCKET"));
	event_base_dispatch(k.base);
	spk_timers_free(&k);
	spk_cli_stop(&k);
	spk_api_stop(&k);
	for (i = 0; i < 6; i++)
		event_free(evs[i]);
	bgpd_free(k.bgp);
	event_base_free(k.base);
	spk_peers_free(&k);
	free(k.procs);
	for (i = 0; i < k.nold; i++) {
		spk_config_free(k.old[i]);
		free(k.old[i]);
	}
	free(k.old);
	spk_config_free(k.cfg);
	free(k.cfg);
	arena_fini(&k.arena);
	return 0;
}

/*
 * Is b the neighbour a, as ExaBGP 4.2 names neighbours (Neighbor.name():
 * the peer and local addresses, both ASNs, the router id)?  One renamed
 * is another neighbour: the old one is removed and the new one added.
 */
static bool
same_neighbor(const struct spk_neighbor *a, const struct spk_neighbor *b)
{
	return prefix_equal(&a->peer, &b->peer) &&
	    a->local_auto == b->local_auto &&
	    memcmp(&a->local_addr, &b->local_addr, sizeof(a->local_addr)) ==
	    0 &&
	    a->local_as == b->local_as && a->peer_as == b->peer_as &&
	    memcmp(a->router_id, b->router_id, sizeof(a->router_id)) == 0;
}

static bool
same_families(
    const struct spk_family *a, int na, const struct spk_family *b, int nb)
{
	int i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a[i].afi != b[i].afi || a[i].safi != b[i].safi)
			return false;
	return true;
}

static bool
same_string(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * Would the neighbour b have the session that a has?  What ExaBGP 4.2
 * compares (Neighbor.__eq__): what the OPEN offers, the timers, the
 * transport (passive, ports, TTLs, MD5) and how routes are sent.  A
 * neighbour whose session changes is torn down and connected again.
 */
static bool
same_session(
    struct spk *k, const struct spk_neighbor *a, const struct spk_neighbor *b)
{
	struct session_conf ca, cb; /* peer_conf zeroes them whole */
	int i;

	peer_conf(k, a, &ca);
	peer_conf(k, b, &cb);
	if (memcmp(&ca, &cb, sizeof(ca)) != 0 ||
	    !same_families(
	        a->families, a->nfamilies, b->families, b->nfamilies) ||
	    !same_families(a->addpath, a->naddpath, b->addpath, b->naddpath) ||
	    a->nnexthops != b->nnexthops)
		return false;
	for (i = 0; i < a->nnexthops; i++)
		if (a->nexthops[i].afi != b->nexthops[i].afi ||
		    a->nexthops[i].safi != b->nexthops[i].safi ||
		    a->nexthops[i].nhafi != b->nexthops[i].nhafi)
			return false;
	return a->rate_limit == b->rate_limit && a->listen == b->listen &&
	    a->group_updates == b->group_updates &&
	    a->auto_flush == b->auto_flush && a->adj_rib_in == b->adj_rib_in &&
	    a->adj_rib_out == b->adj_rib_out &&
	    a->capa.multi_session == b->capa.multi_session &&
	    a->capa.operational == b->capa.operational &&
	    a->capa.aigp == b->capa.aigp &&
	    a->capa.nexthop == b->capa.nexthop &&
	    same_string(a->host_name, b->host_name) &&
	    same_string(a->domain_name, b->domain_name) &&
	    memcmp(&a->md5_ip, &b->md5_ip, sizeof(a->md5_ip)) == 0;
}

/*
 * The neighbour is gone from the configuration: close its session
 * without a NOTIFICATION (ExaBGP's Peer.remove) and forget it.
 */
static void
peer_remove(struct spk *k, struct spk_peer *p)
{
	log_info("neighbor %s: removed", p->name);
	if (p->s != NULL) {
		snprintf(p->down_why, sizeof(p->down_why),
		    "stop, message [removed]");
		bgpd_peer_del(k->bgp, p->s, 0, NULL);
	}
	spk_peer_free(p);
	free(p);
}

/*
 * The neighbour's session changed: Cease 6/3 (Peer De-configured; only a
 * close with graceful restart), then a new session with the new
 * settings, which is sent every route (ExaBGP's Peer.reestablish).
 */
static void
peer_reestablish(struct spk *k, struct spk_peer *p)
{
	log_info("neighbor %s: changed; connecting again", p->name);
	if (p->s != NULL) {
		if (session_state(p->s) >= SESSION_OPENSENT)
			session_teardown(p->s, BGP_CEASE_DECONFIG, NULL);
		bgpd_peer_del(k->bgp, p->s, 0, NULL);
		p->s = NULL;
	}
	p->just_up = false;
	p->export_held = false;
	peer_session(k, p);
}

/*
 * Was a route like r (its watchdog, prefix and path id) of the old
 * neighbour announced (up[i] for old's route i)?  A watchdog's routes
 * that `announce watchdog` brought up stay up across a reload and a
 * restart, as in ExaBGP 4.2, whose neighbour keeps its RIB when its
 * configuration did not change.
 */
static bool
watchdog_was_up(
    const struct spk_neighbor *old, const bool *up, const struct spk_route *r)
{
	size_t i;

	if (r->watchdog == NULL)
		return false;
	for (i = 0; i < old->nroutes; i++) {
		const struct spk_route *o = old->routes[i];

		if (up[i] && o->watchdog != NULL &&
		    strcmp(o->watchdog, r->watchdog) == 0 &&
		    prefix_equal(&o->pfx, &r->pfx) &&
		    o->has_path_id == r->has_path_id &&
		    o->path_id == r->path_id)
			return true;
	}
	return false;
}

/*
 * p's neighbour is now nn: the old configuration's routes are no longer
 * wanted, unless nn has them.  Reloading the same file sends only the
 * differences; a different file (rotation, rotated) is a new
 * configuration, whose routes are all sent, as ExaBGP 4.2 does (its
 * api-reload case expects that).
 */
static void
peer_reload_routes(struct spk_peer *p, struct spk_neighbor *nn, bool rotated)
{
	struct spk_neighbor *old = p->n;
	bool *up = xcalloc(old->nroutes + 1, sizeof(*up));
	size_t i, r;

	for (i = 0; i < p->nadj; i++)
		for (r = 0; r < old->nroutes; r++)
			if (spk_adj_at(p, i)->want == old->routes[r]) {
				spk_adj_at(p, i)->want = NULL;
				mark_dirty(p, spk_adj_at(p, i));
				up[r] = true;
			}
	p->n = nn;
	for (r = 0; r < nn->nroutes; r++)
		if (!nn->routes[r]->withdrawn ||
		    watchdog_was_up(old, up, nn->routes[r]))
			spk_peer_announce(p, nn->routes[r]);
	free(up);
	if (rotated)
		resend(p, false, -1);
}

/*
 * SIGUSR1 (and SIGUSR2): read the configuration again (the next file with
 * exabgp_debug_rotate), and apply it to the neighbours as ExaBGP 4.2's
 * reload does (reactor/loop.py load()): one gone is removed, a new one
 * added, one whose session changed (same_session) connected again; the
 * others keep their sessions.  Each is sent the route differences: the
 * export compares with what each peer was sent.
 */
void
spk_reload(struct spk *k)
{
	struct spk_config *nc = xcalloc(1, sizeof(*nc));
	struct spk_peer **np, *p;
	const char *path;
	bool *reconnect;
	int j, m, prev = k->file;

	if (k->env.debug.rotate && k->nfiles > 1)
		k->file = (k->file + 1) % k->nfiles;
	path = k->files[k->file];
	if (!spk_config_load(nc, path)) {
		fputs(nc->errors.s, stderr);
		log_warnx("reload of %s failed; the configuration in use stays",
		    path);
		spk_config_free(nc);
		free(nc);
		return;
	}
	/* np[m]: the peer kept for the new neighbour m, or NULL */
	np = xcalloc((size_t)nc->nneighbors + 1, sizeof(*np));
	reconnect = xcalloc((size_t)nc->nneighbors + 1, sizeof(*reconnect));
	for (j = 0; j < k->npeers; j++) {
		p = k->peers[j];
		for (m = 0; m < nc->nneighbors; m++)
			if (np[m] == NULL &&
			    same_neighbor(p->n, nc->neighbors[m]))
				break;
		if (m == nc->nneighbors) {
			peer_remove(k, p);
			continue;
		}
		np[m] = p;
		reconnect[m] = !same_session(k, p->n, nc->neighbors[m]);
		peer_reload_routes(p, nc->neighbors[m], k->file != prev);
	}
	/* the removed ones first: a renamed one's address is free again */
	for (m = 0; m < nc->nneighbors; m++) {
		if (np[m] == NULL) {
			np[m] = spk_peer_new(k, nc->neighbors[m]);
			log_info("neighbor %s: added", np[m]->name);
		} else if (reconnect[m])
			peer_reestablish(k, np[m]);
		else if (np[m]->s != NULL)
			session_export_soon(np[m]->s);
	}
	free(reconnect);
	free(k->peers);
	k->peers = np;
	k->npeers = nc->nneighbors;
	/* the old model stays: routes sent from it are still referenced */
	k->old = xreallocarray(k->old, (size_t)k->nold + 1, sizeof(*k->old));
	k->old[k->nold++] = k->cfg;
	k->cfg = nc;
	log_info("configuration %s reloaded", path);
}
