/* SPDX-License-Identifier: ISC */
/* api/mrt.c - GET /v1/rib/mrt: a RIB as an MRT TABLE_DUMP_V2 dump (RFC 6396). */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "api/api_int.h"
#include "bgp/update.h"
#include "gateway/live.h"
#include "lib/sbuf.h"
#include "lib/wbuf.h"
#include "lib/xmalloc.h"
#include "rib/rib.h"
#include "routeserver/ars.h"
#include "session/session.h"

/*
 * One dump: a PEER_INDEX_TABLE (RFC 6396 4.3.1), then per prefix a
 * RIB_IPV4_UNICAST or RIB_IPV6_UNICAST record (4.3.2) with an entry per
 * peer that sent it.  Attributes are as received (AS_PATH with 4-octet
 * AS numbers, 4.3.4), NEXT_HOP for IPv4, and for IPv6 the abbreviated
 * MP_REACH_NLRI that holds only the next hop.  The originated time of a
 * route is when its session came up (vrsd keeps no time per route).
 *
 * The views: "rib", vrsd's own RIB as a transparent route server, and
 * in mode: ars each instance ("ars/IN_0") and each VPN gateway, whose
 * Adj-RIBs-In are its peers' routes.
 */

#define MRT_TABLE_DUMP_V2 13
#define MRT_PEER_INDEX    1
#define MRT_RIB_IPV4      2
#define MRT_RIB_IPV6      4

struct mrt_peer {
	struct ipaddr ip;
	uint32_t asn, id, since;
};

struct mrt_ent {
	struct prefix pfx;
	uint16_t peer;
	size_t off, len; /* attributes in the dump's blob */
};

struct mrt {
	struct mrt_peer *peers;
	size_t npeers;
	struct mrt_ent *ents;
	size_t nents, cap;
	struct sbuf blob;
	uint32_t now;
	struct api *a;
	uint16_t *rib_index; /* rib peer id -> index + 1 */
};

static uint16_t
peer_add(struct mrt *m, const struct ipaddr *ip, uint32_t asn, uint32_t id,
    struct session *s)
{
	int64_t now = session_now(), up = s ? session_uptime(s, now) : 0;

	m->peers = xreallocarray(m->peers, m->npeers + 1, sizeof(*m->peers));
	m->peers[m->npeers] = (struct mrt_peer){ *ip, asn, id,
		(uint32_t)(m->now - (up > 0 ? (uint32_t)up : 0)) };
	return (uint16_t)m->npeers++;
}

static void
ent_add(struct mrt *m, const struct prefix *p, uint16_t peer, const void *attrs,
    size_t len)
{
	if (m->nents == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->ents = xreallocarray(m->ents, m->cap, sizeof(*m->ents));
	}
	m->ents[m->nents++] = (struct mrt_ent){ *p, peer, m->blob.len, len };
	sbuf_putn(&m->blob, attrs, len);
}

static void
attr_hdr(struct wbuf *w, uint8_t flags, uint8_t type, size_t len)
{
	if (len > 255) {
		wbuf_put_u8(w, flags | 0x10); /* extended length */
		wbuf_put_u8(w, type);
		wbuf_put_u16(w, (uint16_t)len);
	} else {
		wbuf_put_u8(w, flags);
		wbuf_put_u8(w, type);
		wbuf_put_u8(w, (uint8_t)len);
	}
}

/* ---- the transparent RIB ---- */

static bool
rib_cb(void *arg, struct rib_entry *e)
{
	static struct bgp_pattrs pa;
	struct mrt *m = arg;
	const struct rib_path *p;
	struct bgp_ctx ctx = { .as4 = true };
	uint8_t buf[BGP_MAX_LEN * 2];
	struct prefix px;
	struct wbuf w;
	uint16_t idx;

	rib_entry_prefix(e, &px);
	for (p = e->paths; p != NULL; p = p->next) {
		if ((idx = m->rib_index[p->peer]) == 0 ||
		    !attrs_to_pattrs(p->attrs, &pa))
			continue;
		pa.has[BGP_ATTR_NEXT_HOP >> 6] &=
		    ~(1ull << (BGP_ATTR_NEXT_HOP & 63));
		pa.has[BGP_ATTR_MP_REACH >> 6] &=
		    ~(1ull << (BGP_ATTR_MP_REACH & 63));
		pa.has[BGP_ATTR_MP_UNREACH >> 6] &=
		    ~(1ull << (BGP_ATTR_MP_UNREACH & 63));
		wbuf_init(&w, buf, sizeof(buf));
		if (!bgp_pattrs_encode(&w, &pa, &ctx))
			continue;
		/* the next hop is kept beside the attributes, not in them */
		if (px.af == ADDR_V4 && p->attrs->nexthop.af == ADDR_V4) {
			attr_hdr(&w, 0x40, BGP_ATTR_NEXT_HOP, 4);
			wbuf_put(&w, p->attrs->nexthop.a, 4);
		} else if (px.af == ADDR_V6) { /* RFC 6396 4.3.4 */
			attr_hdr(&w, 0x80, BGP_ATTR_MP_REACH, 17);
			wbuf_put_u8(&w, 16);
			wbuf_put(&w, p->attrs->nexthop.a, 16);
		}
		if (wbuf_ok(&w))
			ent_add(m, &px, idx - 1, buf, w.len);
	}
	return true;
}

static void
dump_rib(struct mrt *m)
{
	struct session *s = NULL;
	struct rib_peer *rp;
	uint16_t id;

	m->rib_index = xcalloc(65536, sizeof(*m->rib_index));
	while ((s = bgpd_peer_next(m->a->d, s)) != NULL) {
		id = session_rib_id(s);
		if ((rp = rib_peer(bgpd_rib(m->a->d), id)) == NULL)
			continue;
		m->rib_index[id] =
		    (uint16_t)(peer_add(m, &session_conf(s)->addr,
		                   session_conf(s)->asn,
		                   session_peer_router_id(s), s) +
		        1);
	}
	rib_walk(bgpd_rib(m->a->d), rib_cb, m);
	free(m->rib_index);
}

/* ---- a live speaker's peers ---- */

static void
live_cb(void *arg, struct session *s, const struct ipaddr *ip, uint32_t asn,
    const struct ars_path *in, size_t nin)
{
	struct mrt *m = arg;
	uint8_t buf[64 + 4 * (ARS_AS_MAX + ARS_COMM_MAX)];
	uint16_t idx = peer_add(m, ip, asn, session_peer_router_id(s), s);
	const struct ars_path *r;
	struct wbuf w;
	size_t i, k;

	for (i = 0; i < nin; i++) {
		r = &in[i];
		wbuf_init(&w, buf, sizeof(buf));
		attr_hdr(&w, 0x40, BGP_ATTR_ORIGIN, 1);
		wbuf_put_u8(&w, r->origin);
		attr_hdr(
		    &w, 0x40, BGP_ATTR_AS_PATH, r->nas ? 2 + 4u * r->nas : 0);
		if (r->nas > 0) {
			wbuf_put_u8(&w, 2); /* AS_SEQUENCE */
			wbuf_put_u8(&w, r->nas);
			for (k = 0; k < r->nas; k++)
				wbuf_put_u32(&w, r->as[k]);
		}
		if (r->nexthop.af == ADDR_V4) {
			attr_hdr(&w, 0x40, BGP_ATTR_NEXT_HOP, 4);
			wbuf_put(&w, r->nexthop.a, 4);
		}
		if (r->ncomm > 0) {
			attr_hdr(&w, 0xc0, BGP_ATTR_COMMUNITIES, 4u * r->ncomm);
			for (k = 0; k < r->ncomm; k++)
				wbuf_put_u32(&w, r->comm[k]);
		}
		if (wbuf_ok(&w))
			ent_add(m, &r->pfx, idx, buf, w.len);
	}
}

/* ---- the records ---- */

static int
ent_cmp(const void *x, const void *y)
{
	const struct mrt_ent *a = x, *b = y;
	int c;

	if ((c = prefix_cmp(&a->pfx, &b->pfx)) != 0) /* IPv4 first */
		return c;
	return a->peer < b->peer ? -1 : a->peer > b->peer;
}

/* An MRT record: common header (4.1) and body. */
static void
record(struct evbuffer *out, uint32_t ts, uint16_t subtype, const uint8_t *body,
    size_t len)
{
	uint8_t h[12];
	struct wbuf w;

	wbuf_init(&w, h, sizeof(h));
	wbuf_put_u32(&w, ts);
	wbuf_put_u16(&w, MRT_TABLE_DUMP_V2);
	wbuf_put_u16(&w, subtype);
	wbuf_put_u32(&w, (uint32_t)len);
	evbuffer_add(out, h, sizeof(h));
	evbuffer_add(out, body, len);
}

static void
write_dump(
    struct mrt *m, struct evbuffer *out, uint32_t collector, const char *view)
{
	size_t vlen = strlen(view), i, j, k, n;
	uint8_t *body;
	struct wbuf w;
	uint32_t seq = 0;
	const struct mrt_ent *e;

	/* PEER_INDEX_TABLE: every peer with a 4-octet AS (type bit 1) */
	n = 8 + vlen + m->npeers * (1 + 4 + 16 + 4);
	body = xmalloc(n);
	wbuf_init(&w, body, n);
	wbuf_put_u32(&w, collector);
	wbuf_put_u16(&w, (uint16_t)vlen);
	wbuf_put(&w, view, vlen);
	wbuf_put_u16(&w, (uint16_t)m->npeers);
	for (i = 0; i < m->npeers; i++) {
		bool v6 = m->peers[i].ip.af == ADDR_V6;

		wbuf_put_u8(&w, (uint8_t)(0x02 | (v6 ? 0x01 : 0)));
		wbuf_put_u32(&w, m->peers[i].id);
		wbuf_put(&w, m->peers[i].ip.a, v6 ? 16 : 4);
		wbuf_put_u32(&w, m->peers[i].asn);
	}
	record(out, m->now, MRT_PEER_INDEX, body, w.len);
	free(body);

	qsort(m->ents, m->nents, sizeof(*m->ents), ent_cmp);
	for (i = 0; i < m->nents; i = j) {
		n = 4 + 1 + 16 + 2;
		for (j = i; j < m->nents &&
		     prefix_equal(&m->ents[j].pfx, &m->ents[i].pfx);
		     j++)
			n += 8 + m->ents[j].len;
		body = xmalloc(n);
		wbuf_init(&w, body, n);
		e = &m->ents[i];
		wbuf_put_u32(&w, seq++);
		wbuf_put_u8(&w, e->pfx.len);
		wbuf_put(&w, e->pfx.a, (e->pfx.len + 7u) / 8);
		wbuf_put_u16(&w, (uint16_t)(j - i));
		for (k = i; k < j; k++) {
			wbuf_put_u16(&w, m->ents[k].peer);
			wbuf_put_u32(&w, m->peers[m->ents[k].peer].since);
			wbuf_put_u16(&w, (uint16_t)m->ents[k].len);
			wbuf_put(
			    &w, m->blob.s + m->ents[k].off, m->ents[k].len);
		}
		record(out, m->now,
		    e->pfx.af == ADDR_V6 ? MRT_RIB_IPV6 : MRT_RIB_IPV4, body,
		    w.len);
		free(body);
	}
}

bool
api_mrt_dump(struct api *a, const char *view, struct evbuffer *out, char *why,
    size_t whylen)
{
	struct mrt m;
	char views[1024];
	uint32_t id = 0, asn = 0;
	bool ok = true;

	memset(&m, 0, sizeof(m));
	m.a = a;
	m.now = (uint32_t)time(NULL);
	sbuf_init(&m.blob);
	if (strcmp(view, "rib") == 0) {
		dump_rib(&m);
		id = bgpd_router_id(a->d);
	} else if (a->live == NULL ||
	    !live_view(
	        a->live, view, &id, &asn, live_cb, &m, views, sizeof(views))) {
		snprintf(why, whylen, "view %s: no such RIB (views: rib%s%s)",
		    view[0] ? view : "(none)", a->live ? ", " : "",
		    a->live ? views : "");
		ok = false;
	}
	if (ok)
		write_dump(&m, out, id, view);
	free(m.peers);
	free(m.ents);
	sbuf_fini(&m.blob);
	return ok;
}

void
api_mrt(struct api *a, struct evhttp_request *req, const char *rest)
{
	struct evkeyvalq q;
	struct evbuffer *out = evbuffer_new();
	const char *view;
	char why[1200];

	(void)rest;
	evhttp_parse_query(evhttp_request_get_uri(req), &q);
	view = evhttp_find_header(&q, "view");
	if (view == NULL)
		view = a->live != NULL ? "" : "rib";
	if (!api_mrt_dump(a, view, out, why, sizeof(why)))
		api_reply_error(req, 400, "InvalidView", "%s", why);
	else {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Type", "application/octet-stream");
		evhttp_send_reply(req, 200, "OK", out);
	}
	evbuffer_free(out);
	evhttp_clear_headers(&q);
}
