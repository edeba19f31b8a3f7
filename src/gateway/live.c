/* SPDX-License-Identifier: ISC */
/* gateway/live.c - live BGP for the route servers' instances and the VPN gateways. */

#include "gateway/live.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/bgp.h"
#include "bgp/update.h"
#include "gateway/gw.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "lib/wbuf.h"
#include "lib/xmalloc.h"
#include "routeserver/ars.h"
#include "session/session.h"
#include "topology/topology.h"

#define LIVE_HOLD 180 /* R1.8: hold 180 s, keepalive 60 s */

enum live_kind { LIVE_RS, LIVE_GW };

/*
 * Who a peer is: an NVA (a bgpConnection, at an instance), a BGP site
 * (a local network gateway, at a gateway), or one end of a gateway's
 * session with an instance: the gateway as the instance's peer
 * (PEER_GW) or the instance as the gateway's (PEER_ARS).
 */
enum live_role { PEER_NVA, PEER_SITE, PEER_GW, PEER_ARS };

/* The two ends of a gateway's session with an instance. */
struct live_link {
	enum live_role role; /* PEER_GW or PEER_ARS */
	char rs[SESSION_NAME_MAX], gw[SESSION_NAME_MAX];
	int m, inst; /* the gateway's address, the instance */
};

/* What a peer was last sent for one prefix. */
struct sent {
	struct prefix pfx;
	uint64_t h; /* hash of the attributes sent */
};

struct live_peer {
	struct live_spk *k; /* borrowed: its speaker */
	struct session *s;  /* owned by k->d */
	struct live_peer *next;
	char name[SESSION_NAME_MAX]; /* bgpConnection or local gateway */
	struct ipaddr ip;            /* Azure address */
	uint32_t asn;
	struct ars_path *in; /* owned: Adj-RIB-In, sorted by prefix */
	size_t nin, capin;
	struct sent *out; /* owned: sorted by prefix */
	size_t nout, capout;
	enum live_role role;
	struct live_link link; /* PEER_GW, PEER_ARS */
	bool dirty;            /* in changed since the store had it */
	bool seen;             /* still in the topology (sync) */
	bool eor;              /* End-of-RIB sent since Established */
};

struct live_spk {
	struct live *lv; /* borrowed */
	struct live_spk *next;
	enum live_kind kind;
	char owner[SESSION_NAME_MAX]; /* route server or gateway */
	int inst;                     /* instance, or the gateway's address */
	struct ipaddr ip;             /* Azure address */
	uint32_t asn;
	struct bgpd *d; /* owned */
	struct live_peer *peers;
	bool seen;
};

struct live {
	struct event_base *base; /* borrowed */
	struct live_conf conf;
	struct topo *t; /* borrowed */
	struct ars *a;  /* borrowed */
	struct live_spk *spks;
	struct bgpd **dying; /* owned: removed speakers, delivering Ceases */
	size_t ndying;
	struct event *flush_ev; /* owned: store the dirty peers */
	size_t *npeerings;      /* per route server, for T30 */
	char **rsnames;
	size_t nrs;
	bool syncing;
};

static const char *const inst_name[ARS_INSTANCES] = { "IN_0", "IN_1" };

/* ---- Adj-RIB-In ---- */

/* Index of p in v[0..n), or where it goes (*found false). */
static size_t
find_in(const struct ars_path *v, size_t n, const struct prefix *p, bool *found)
{
	size_t lo = 0, hi = n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = prefix_cmp(&v[mid].pfx, p);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static void
in_put(struct live_peer *lp, const struct ars_path *r)
{
	bool found;
	size_t i = find_in(lp->in, lp->nin, &r->pfx, &found);

	if (!found) {
		if (lp->nin == lp->capin) {
			lp->capin = lp->capin ? lp->capin * 2 : 64;
			lp->in =
			    xreallocarray(lp->in, lp->capin, sizeof(*lp->in));
		}
		memmove(&lp->in[i + 1], &lp->in[i],
		    (lp->nin - i) * sizeof(*lp->in));
		lp->nin++;
	}
	lp->in[i] = *r;
	lp->dirty = true;
}

static void
in_del(struct live_peer *lp, const struct prefix *p)
{
	bool found;
	size_t i = find_in(lp->in, lp->nin, p, &found);

	if (!found)
		return;
	memmove(
	    &lp->in[i], &lp->in[i + 1], (lp->nin - i - 1) * sizeof(*lp->in));
	lp->nin--;
	lp->dirty = true;
}

static void flush_soon(struct live *lv);

static void
in_clear(struct live_peer *lp)
{
	if (lp->nin > 0)
		lp->dirty = true;
	lp->nin = 0;
	lp->nout = 0;
	lp->eor = false;
	flush_soon(lp->k->lv);
}

/*
 * The path attributes of an UPDATE as one announced route (prefix
 * unset).  False when the store cannot hold it whole: more than
 * ARS_AS_MAX ASNs or ARS_COMM_MAX communities (a cut path would be
 * compared and sent on as shorter than it is).
 */
static bool
path_of(struct session *s, const struct bgp_pattrs *pa, struct ars_path *r)
{
	const struct bgp_ctx *ctx = session_ctx(s);
	uint8_t buf[BGP_MAX_LEN];
	struct bgp_aspath path = pa->aspath, merged;
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	struct wbuf w;
	unsigned i;
	size_t k;

	memset(r, 0, sizeof(*r));
	r->origin = pa->origin <= BGP_ORIGIN_INCOMPLETE ? pa->origin : 0;
	if (bgp_pattrs_has(pa, BGP_ATTR_NEXT_HOP)) {
		r->nexthop.af = ADDR_V4;
		memcpy(r->nexthop.a, pa->nexthop, 4);
	}
	if (bgp_pattrs_has(pa, BGP_ATTR_AS_PATH)) {
		/* a 2-octet speaker's real path (RFC 6793 4.2.3) */
		if (!ctx->as4) {
			wbuf_init(&w, buf, sizeof(buf));
			if (bgp_aspath_merge(&pa->aspath,
			        bgp_pattrs_has(pa, BGP_ATTR_AS4_PATH)
			            ? &pa->as4path
			            : NULL,
			        &w) &&
			    wbuf_ok(&w)) {
				merged.segs = rbuf_make(buf, w.len);
				merged.as_size = 4;
				path = merged;
			}
		}
		bgp_aspath_iter_init(&it, &path);
		while (bgp_aspath_iter_next(&it, &seg))
			for (i = 0; i < seg.count; i++) {
				if (r->nas == ARS_AS_MAX)
					return false;
				r->as[r->nas++] = bgp_aspath_seg_as(&seg, i);
			}
	}
	for (k = 0; bgp_pattrs_has(pa, BGP_ATTR_COMMUNITIES) &&
	     k + 4 <= pa->communities.len;
	     k += 4) {
		const uint8_t *c = pa->communities.p + k;

		if (r->ncomm == ARS_COMM_MAX)
			return false;
		r->comm[r->ncomm++] = ((uint32_t)c[0] << 24) |
		    ((uint32_t)c[1] << 16) | ((uint32_t)c[2] << 8) | c[3];
	}
	return true;
}

static size_t
nlri_count(struct rbuf f, bool addpath)
{
	struct bgp_nlri n;
	struct bgp_err err;
	size_t c = 0;

	while (bgp_nlri_next(&f, ADDR_V4, addpath, &n, &err))
		c++;
	return c;
}

/* ---- the session layer's ops ---- */

static void
live_update(struct bgpd *d, struct session *s, const struct bgp_update *u,
    struct bgp_pattrs *pa)
{
	struct live_peer *lp = session_user(s);
	const struct bgp_ctx *ctx = session_ctx(s);
	bool ap = ctx->addpath_rx[BGP_AF_IPV4];
	struct rbuf f;
	struct bgp_nlri n;
	struct bgp_err err;
	struct ars_path r;
	size_t lim, add;
	char msg[96];

	(void)d;
	if (lp == NULL)
		return;
	/* R1.9: current routes plus the UPDATE's prefixes, as Azure counts */
	if (lp->role == PEER_NVA) {
		lim = ars_route_limit(lp->k->lv->t);
		add = nlri_count(u->nlri, ap);
		if (lp->nin + add > lim) {
			snprintf(msg, sizeof(msg),
			    "route limit %zu reached: %zu routes plus %zu in "
			    "one UPDATE (R1.9)",
			    lim, lp->nin, add);
			log_warnx("peer %s: %s: Cease 6/1",
			    session_conf(s)->name, msg);
			in_clear(lp);
			session_teardown(s, BGP_CEASE_MAXPFX, msg);
			return;
		}
	}
	f = u->withdrawn;
	while (bgp_nlri_next(&f, ADDR_V4, ap, &n, &err))
		in_del(lp, &n.pfx);
	f = u->nlri;
	if (pa->outcome == BGP_OUT_WITHDRAW) { /* RFC 7606 */
		while (bgp_nlri_next(&f, ADDR_V4, ap, &n, &err))
			in_del(lp, &n.pfx);
	} else if (f.len > 0 && !path_of(s, pa, &r)) {
		/* not storable whole: as withdrawn, and said */
		log_warnx("peer %s: a route with more than %d ASNs or %d "
		          "communities: taken as withdrawn (vrs's limit)",
		    session_conf(s)->name, ARS_AS_MAX, ARS_COMM_MAX);
		while (bgp_nlri_next(&f, ADDR_V4, ap, &n, &err))
			in_del(lp, &n.pfx);
	} else if (f.len > 0) {
		while (bgp_nlri_next(&f, ADDR_V4, ap, &n, &err)) {
			r.pfx = n.pfx;
			in_put(lp, &r);
		}
	}
	if (lp->dirty)
		flush_soon(lp->k->lv);
}

static void export_peer(struct live_peer *lp);

static void
live_up(struct bgpd *d, struct session *s)
{
	struct live_peer *lp = session_user(s);

	(void)d;
	if (lp == NULL)
		return;
	lp->nout = 0;
	lp->eor = false;
	if (lp->role == PEER_GW || lp->role == PEER_ARS) {
		lp->dirty = true; /* the link's state is in the store */
		flush_soon(lp->k->lv);
	}
	export_peer(lp);
}

static void
live_down(struct bgpd *d, struct session *s, bool was_up, bool notified)
{
	struct live_peer *lp = session_user(s);

	(void)d;
	(void)notified;
	if (lp != NULL && was_up) {
		if (lp->role == PEER_GW || lp->role == PEER_ARS)
			lp->dirty = true; /* the link's state is in the store */
		in_clear(lp);             /* its routes go with the session */
	} else if (lp != NULL)
		lp->nout = 0;
}

static void
live_refresh(struct bgpd *d, struct session *s, int af)
{
	struct live_peer *lp = session_user(s);

	(void)d;
	if (lp == NULL || af != BGP_AF_IPV4)
		return;
	lp->nout = 0; /* everything again (RFC 2918) */
	export_peer(lp);
}

static void
live_export_cb(struct bgpd *d, struct session *s)
{
	struct live_peer *lp = session_user(s);

	(void)d;
	if (lp != NULL)
		export_peer(lp);
}

static const struct bgpd_ops live_ops = {
	.up = live_up,
	.down = live_down,
	.update = live_update,
	.refresh = live_refresh,
	.export = live_export_cb,
};

/* ---- export: what the peer should hear, as a difference ---- */

struct want {
	struct ars_adv *v; /* owned */
	size_t n, cap;
};

static void
want_cb(const struct ars_adv *r, void *arg)
{
	struct want *w = arg;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->v = xreallocarray(w->v, w->cap, sizeof(*w->v));
	}
	w->v[w->n++] = *r;
}

static int
adv_cmp(const void *a, const void *b)
{
	return prefix_cmp(&((const struct ars_adv *)a)->pfx,
	    &((const struct ars_adv *)b)->pfx);
}

static uint64_t
adv_hash(const struct ars_adv *r)
{
	uint64_t h = hash_bytes(r->nexthop.a, 4, 0x5eed);

	h = hash_bytes(r->as, r->nas * sizeof(r->as[0]), h ^ r->nas);
	return hash_bytes(r->comm, r->ncomm * sizeof(r->comm[0]), h ^ r->ncomm);
}

/* What the peer's speaker gives it now, sorted, one route per prefix. */
static void
want_of(struct live_peer *lp, struct want *w)
{
	struct live_spk *k = lp->k;
	const struct topo *t = k->lv->t;
	const struct topo_routeserver *rs;
	const struct topo_gateway *g;
	size_t i, j;

	memset(w, 0, sizeof(*w));
	switch (lp->role) {
	case PEER_NVA:
		rs = topo_routeserver_lookup(t, k->owner);
		if (rs != NULL)
			ars_adv_walk(
			    k->lv->a, t, rs, lp->name, k->inst, want_cb, w);
		break;
	case PEER_SITE:
		g = topo_gateway_lookup(t, k->owner);
		if (g != NULL)
			gw_site_walk(k->lv->a, t, g, &k->ip, want_cb, w);
		break;
	case PEER_GW: /* this instance to the gateway */
		rs = topo_routeserver_lookup(t, k->owner);
		g = topo_gateway_lookup(t, lp->link.gw);
		if (rs != NULL && g != NULL)
			gw_ars_walk(k->lv->a, t, rs, k->inst, g, want_cb, w);
		break;
	case PEER_ARS: /* this gateway address to the instance */
		g = topo_gateway_lookup(t, k->owner);
		if (g != NULL)
			gw_to_ars_walk(k->lv->a, t, g, &k->ip, want_cb, w);
		break;
	}
	if (w->n > 1)
		qsort(w->v, w->n, sizeof(*w->v), adv_cmp);
	for (i = j = 0; i < w->n; i++)
		if (j == 0 || !prefix_equal(&w->v[j - 1].pfx, &w->v[i].pfx))
			w->v[j++] = w->v[i];
	w->n = j;
}

static bool
send_msg(struct live_peer *lp, const uint8_t *p, size_t len)
{
	return session_send(lp->s, p, len);
}

/* One UPDATE withdrawing pfx[0..n). */
static bool
send_withdraw(struct live_peer *lp, const struct prefix *pfx, size_t n)
{
	uint8_t wd[BGP_MAX_LEN], msg[BGP_MAX_LEN];
	struct bgp_nlri nl = { 0 };
	struct wbuf w, m;
	size_t i;

	wbuf_init(&w, wd, sizeof(wd));
	for (i = 0; i < n; i++) {
		nl.pfx = pfx[i];
		bgp_nlri_encode(&w, &nl, false);
	}
	wbuf_init(&m, msg, sizeof(msg));
	if (!wbuf_ok(&w) ||
	    !bgp_update_encode(&m, rbuf_make(wd, w.len), NULL,
	        rbuf_make(NULL, 0), session_ctx(lp->s), BGP_MAX_LEN))
		return false;
	session_count_sent(lp->s, 0, n);
	return send_msg(lp, msg, m.len);
}

/* One UPDATE announcing v[0..n), which share r's attributes. */
static bool
send_announce(struct live_peer *lp, const struct ars_adv *v, size_t n)
{
	uint8_t nlri[BGP_MAX_LEN], msg[BGP_MAX_LEN], segs[(ARS_AS_MAX + 4) * 4];
	uint8_t comm[(ARS_COMM_MAX + 1) * 4];
	static struct bgp_pattrs pa;
	struct bgp_nlri nl = { 0 };
	struct wbuf w, m, sg;
	size_t i, k, left;
	const struct ars_adv *r = &v[0];

	memset(&pa, 0, sizeof(pa));
	pa.origin = BGP_ORIGIN_IGP;
	bgp_pattrs_set(&pa, BGP_ATTR_ORIGIN);
	wbuf_init(&sg, segs, sizeof(segs));
	for (i = 0; i < r->nas; i += k) {
		left = r->nas - i;
		k = left > 255 ? 255 : left;
		wbuf_put_u8(&sg, BGP_AS_SEQUENCE);
		wbuf_put_u8(&sg, (uint8_t)k);
		for (size_t j = 0; j < k; j++)
			wbuf_put_u32(&sg, r->as[i + j]);
	}
	pa.aspath.segs = rbuf_make(segs, sg.len);
	pa.aspath.as_size = 4;
	bgp_pattrs_set(&pa, BGP_ATTR_AS_PATH);
	memcpy(pa.nexthop, r->nexthop.a, 4);
	bgp_pattrs_set(&pa, BGP_ATTR_NEXT_HOP);
	if (!session_ctx(lp->s)->ebgp) { /* iBGP: a gateway of AS 65515 */
		pa.localpref = 100;
		bgp_pattrs_set(&pa, BGP_ATTR_LOCAL_PREF);
	}
	for (i = 0; i < r->ncomm; i++) {
		comm[i * 4] = (uint8_t)(r->comm[i] >> 24);
		comm[i * 4 + 1] = (uint8_t)(r->comm[i] >> 16);
		comm[i * 4 + 2] = (uint8_t)(r->comm[i] >> 8);
		comm[i * 4 + 3] = (uint8_t)r->comm[i];
	}
	if (r->ncomm > 0) {
		pa.communities = rbuf_make(comm, r->ncomm * 4u);
		bgp_pattrs_set(&pa, BGP_ATTR_COMMUNITIES);
	}
	wbuf_init(&w, nlri, sizeof(nlri));
	for (i = 0; i < n; i++) {
		nl.pfx = v[i].pfx;
		bgp_nlri_encode(&w, &nl, false);
	}
	wbuf_init(&m, msg, sizeof(msg));
	if (!wbuf_ok(&sg) || !wbuf_ok(&w) ||
	    !bgp_update_encode(&m, rbuf_make(NULL, 0), &pa,
	        rbuf_make(nlri, w.len), session_ctx(lp->s), BGP_MAX_LEN))
		return false;
	session_count_sent(lp->s, n, 0);
	return send_msg(lp, msg, m.len);
}

static void
out_set(struct live_peer *lp, const struct prefix *p, uint64_t h, bool del)
{
	size_t lo = 0, hi = lp->nout, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = prefix_cmp(&lp->out[mid].pfx, p);
		if (c == 0) {
			if (del) {
				memmove(&lp->out[mid], &lp->out[mid + 1],
				    (lp->nout - mid - 1) * sizeof(*lp->out));
				lp->nout--;
			} else
				lp->out[mid].h = h;
			return;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (del)
		return;
	if (lp->nout == lp->capout) {
		lp->capout = lp->capout ? lp->capout * 2 : 64;
		lp->out = xreallocarray(lp->out, lp->capout, sizeof(*lp->out));
	}
	memmove(
	    &lp->out[lo + 1], &lp->out[lo], (lp->nout - lo) * sizeof(*lp->out));
	lp->out[lo].pfx = *p;
	lp->out[lo].h = h;
	lp->nout++;
}

#define LIVE_BATCH 400 /* prefixes per UPDATE: 400 * 5 bytes fit in 4096 */

/*
 * Send lp what changed since it was last sent: the prefixes gone
 * withdrawn, the new or changed ones announced, grouped by attributes.
 * Stops while the output queue is full; ops->export resumes it.
 */
static void
export_peer(struct live_peer *lp)
{
	struct want w;
	struct prefix *gone;
	struct ars_adv *add;
	uint64_t *hs, h;
	size_t i, j, ng = 0, na = 0, run;
	int c;

	if (lp->s == NULL || session_state(lp->s) != SESSION_ESTABLISHED)
		return;
	want_of(lp, &w);
	gone = xcalloc(lp->nout + 1, sizeof(*gone));
	add = xcalloc(w.n + 1, sizeof(*add));
	hs = xcalloc(w.n + 1, sizeof(*hs));
	for (i = j = 0; i < lp->nout || j < w.n;) {
		c = i == lp->nout ? 1
		    : j == w.n    ? -1
		                  : prefix_cmp(&lp->out[i].pfx, &w.v[j].pfx);
		if (c < 0) {
			gone[ng++] = lp->out[i++].pfx;
			continue;
		}
		h = adv_hash(&w.v[j]);
		if (c > 0 || lp->out[i].h != h) {
			hs[na] = h;
			add[na++] = w.v[j];
		}
		if (c == 0)
			i++;
		j++;
	}
	for (i = 0; i < ng; i += run) {
		if (session_outq(lp->s) > SESSION_OUTQ_HIGH)
			goto out;
		run = ng - i > LIVE_BATCH ? LIVE_BATCH : ng - i;
		if (!send_withdraw(lp, &gone[i], run))
			goto out;
		for (j = 0; j < run; j++)
			out_set(lp, &gone[i + j], 0, true);
	}
	for (i = 0; i < na; i += run) {
		if (session_outq(lp->s) > SESSION_OUTQ_HIGH)
			goto out;
		/* a run of prefixes with the same attributes: one UPDATE */
		for (run = 1;
		     i + run < na && run < LIVE_BATCH && hs[i + run] == hs[i];
		     run++)
			;
		if (!send_announce(lp, &add[i], run))
			goto out;
		for (j = 0; j < run; j++)
			out_set(lp, &add[i + j].pfx, hs[i + j], false);
	}
	if (!lp->eor) { /* the first full table: End-of-RIB (RFC 4724) */
		lp->eor =
		    session_send_eor(lp->s, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	}
out:
	free(gone);
	free(add);
	free(hs);
	free(w.v);
}

/* ---- store: the dirty peers' routes into the route servers' store ---- */

static void
link_store(struct live *lv, const struct live_peer *lp)
{
	const struct live_link *l = &lp->link;
	struct prefix *p = xcalloc(lp->nin + 1, sizeof(*p));
	size_t i;

	for (i = 0; i < lp->nin; i++)
		p[i] = lp->in[i].pfx;
	ars_link_set(lv->a, l->rs, l->gw, l->m, l->inst,
	    l->role == PEER_GW ? ARS_LINK_TO_RS : ARS_LINK_TO_GW,
	    lp->s != NULL && session_state(lp->s) == SESSION_ESTABLISHED, p,
	    lp->nin);
	free(p);
}

/* lp's routes into the store (gone: lp is going away). */
static void
peer_store(struct live_spk *k, struct live_peer *lp, bool gone)
{
	const struct live_link *l = &lp->link;

	switch (lp->role) {
	case PEER_NVA:
		if (!gone || lp->nin > 0)
			ars_set(k->lv->a, k->owner, lp->name, k->inst,
			    gone ? NULL : lp->in, gone ? 0 : lp->nin);
		break;
	case PEER_SITE:
		if (!gone || lp->nin > 0)
			ars_site_set(k->lv->a, lp->name, gone ? NULL : lp->in,
			    gone ? 0 : lp->nin);
		break;
	case PEER_GW:
	case PEER_ARS:
		if (gone)
			ars_link_del(k->lv->a, l->rs, l->gw, l->m, l->inst,
			    l->role == PEER_GW ? ARS_LINK_TO_RS
			                       : ARS_LINK_TO_GW);
		else
			link_store(k->lv, lp);
		break;
	}
}

static void
peer_free(struct live_peer *lp)
{
	free(lp->in);
	free(lp->out);
	free(lp);
}

static void
flush_cb(evutil_socket_t fd, short what, void *arg)
{
	struct live *lv = arg;
	struct live_spk *k;
	struct live_peer *lp;
	bool any = false;

	(void)fd;
	(void)what;
	for (k = lv->spks; k != NULL; k = k->next)
		for (lp = k->peers; lp != NULL; lp = lp->next) {
			if (!lp->dirty)
				continue;
			lp->dirty = false;
			any = true;
			peer_store(k, lp, false);
		}
	if (!any)
		return;
	if (lv->conf.program != NULL)
		lv->conf.program(lv->conf.arg); /* calls live_sync */
	else
		live_sync(lv);
}

/* Store the changes once the UPDATEs at hand are read: one round each. */
static void
flush_soon(struct live *lv)
{
	struct timeval tv = { 0, 0 };

	if (!evtimer_pending(lv->flush_ev, NULL))
		evtimer_add(lv->flush_ev, &tv);
}

/* ---- speakers and sessions from the topology ---- */

static struct live_spk *
spk_find(struct live *lv, enum live_kind kind, const char *owner, int inst)
{
	struct live_spk *k;

	for (k = lv->spks; k != NULL; k = k->next)
		if (k->kind == kind && k->inst == inst &&
		    strcmp(k->owner, owner) == 0)
			return k;
	return NULL;
}

static uint32_t
id_of(const struct ipaddr *a)
{
	return ((uint32_t)a->a[0] << 24) | ((uint32_t)a->a[1] << 16) |
	    ((uint32_t)a->a[2] << 8) | a->a[3];
}

static void
spk_gone(struct live *lv, struct live_spk *k)
{
	struct live_peer *lp, *ln;

	for (lp = k->peers; lp != NULL; lp = ln) {
		ln = lp->next;
		peer_store(k, lp, true);
		peer_free(lp);
	}
	k->peers = NULL;
	/* the bgpd delivers its Ceases, then live_free frees it */
	bgpd_shutdown(k->d, BGP_CEASE_DECONFIG, "removed from the topology");
	lv->dying =
	    xreallocarray(lv->dying, lv->ndying + 1, sizeof(*lv->dying));
	lv->dying[lv->ndying++] = k->d;
	free(k);
}

static struct live_spk *
spk_get(struct live *lv, enum live_kind kind, const char *owner, int inst,
    const struct ipaddr *ip, uint32_t asn)
{
	struct live_spk *k = spk_find(lv, kind, owner, inst), **pp;
	struct bgpd_conf bc;
	struct ipaddr sock;
	char b[ADDR_STRLEN];
	int rc;

	if (k != NULL && (addr_cmp(&k->ip, ip) != 0 || k->asn != asn)) {
		for (pp = &lv->spks; *pp != k; pp = &(*pp)->next)
			;
		*pp = k->next;
		spk_gone(lv, k);
		k = NULL;
	}
	if (k != NULL) {
		k->seen = true;
		return k;
	}
	if (!addr_loopback_map(ip, &sock)) {
		log_warnx("%s %s: no socket address for %s", owner,
		    kind == LIVE_RS ? inst_name[inst] : "",
		    addr_print(ip, b, sizeof(b)));
		return NULL;
	}
	k = xcalloc(1, sizeof(*k));
	k->lv = lv;
	k->kind = kind;
	snprintf(k->owner, sizeof(k->owner), "%s", owner);
	k->inst = inst;
	k->ip = *ip;
	k->asn = asn;
	k->seen = true;
	memset(&bc, 0, sizeof(bc));
	bc.asn = asn;
	bc.router_id = id_of(ip); /* T31: the router id is the address */
	bc.ebgp_multihop = true;
	k->d = bgpd_new(lv->base, &bc, &live_ops, k);
	if (lv->conf.tap != NULL)
		bgpd_set_tap(k->d, lv->conf.tap, lv->conf.tap_arg);
	rc = bgpd_listen(k->d, &sock, lv->conf.port);
	if (rc < 0)
		log_warnx("%s: listen %s port %u: %s", owner,
		    addr_print(&sock, b, sizeof(b)), lv->conf.port,
		    strerror(-rc));
	else
		log_info("%s%s%s: AS%u listening on %s port %u", owner,
		    kind == LIVE_RS ? " " : "",
		    kind == LIVE_RS ? inst_name[inst] : "", asn,
		    addr_print(&sock, b, sizeof(b)), lv->conf.port);
	k->next = lv->spks;
	lv->spks = k;
	return k;
}

/*
 * Speaker k's name: its sessions are "NAME/PEER" and live_view finds it
 * by it.  "ars/IN_0"; a gateway's "vpngw", or "vpngw-1" for the second
 * address of an active-active one.
 */
static void
spk_view_name(const struct live_spk *k, char *buf, size_t len)
{
	const struct topo_gateway *g;

	if (k->kind == LIVE_RS) {
		snprintf(buf, len, "%.20s/%s", k->owner, inst_name[k->inst]);
		return;
	}
	g = topo_gateway_lookup(k->lv->t, k->owner);
	if (g != NULL && g->nbgp_ips > 1) /* active-active: per address */
		snprintf(buf, len, "%.20s-%d", k->owner, k->inst);
	else
		snprintf(buf, len, "%.30s", k->owner);
}

/*
 * Peer name of k, with Azure address ip and AS asn: keep, add or
 * replace.  lk: one end of a gateway's session with an instance (the
 * gateway's end connects), else NULL for an NVA or a BGP site.
 */
static void
peer_get(struct live_spk *k, const char *name, const struct ipaddr *ip,
    uint32_t asn, const struct live_link *lk)
{
	struct live_peer *lp, **pp;
	struct session_conf c;
	char b[ADDR_STRLEN], view[SESSION_NAME_MAX / 2];
	enum live_role role = lk != NULL ? lk->role
	    : k->kind == LIVE_RS         ? PEER_NVA
	                                 : PEER_SITE;

	for (pp = &k->peers; (lp = *pp) != NULL; pp = &lp->next)
		if (strcmp(lp->name, name) == 0)
			break;
	if (lp != NULL &&
	    (addr_cmp(&lp->ip, ip) != 0 || lp->asn != asn ||
	        lp->role != role)) {
		*pp = lp->next;
		bgpd_peer_del(
		    k->d, lp->s, BGP_CEASE_CONFCHANGE, "peer changed");
		peer_store(k, lp, true);
		peer_free(lp);
		lp = NULL;
	}
	if (lp != NULL) {
		lp->seen = true;
		return;
	}
	memset(&c, 0, sizeof(c));
	spk_view_name(k, view, sizeof(view));
	snprintf(c.name, sizeof(c.name), "%s/%.30s", view, name);
	if (!addr_loopback_map(ip, &c.addr)) {
		log_warnx("%s: no socket address for %s", c.name,
		    addr_print(ip, b, sizeof(b)));
		return;
	}
	(void)addr_loopback_map(&k->ip, &c.local);
	c.port = k->lv->conf.port;
	c.asn = asn;
	c.passive = role != PEER_ARS; /* the gateway connects to ARS */
	c.hold_time = LIVE_HOLD;
	c.ipv4 = true; /* R1.8: IPv4 unicast only */
	c.connect_retry = role == PEER_ARS ? 1 : 5;
	c.local_as = k->asn;
	c.router_id = id_of(&k->ip);
	c.no_ext_msg = true; /* R1.8: nothing Azure does not document */
	lp = xcalloc(1, sizeof(*lp));
	lp->k = k;
	lp->role = role;
	if (lk != NULL)
		lp->link = *lk;
	snprintf(lp->name, sizeof(lp->name), "%s", name);
	lp->ip = *ip;
	lp->asn = asn;
	lp->seen = true;
	lp->s = bgpd_peer_add(k->d, &c);
	if (lp->s == NULL) {
		log_warnx("%s: socket address %s is taken by another peer",
		    c.name, addr_print(&c.addr, b, sizeof(b)));
		free(lp);
		return;
	}
	session_set_user(lp->s, lp);
	lp->next = k->peers;
	k->peers = lp;
	if (lk != NULL) /* nothing crossed it yet */
		link_store(k->lv, lp);
}

/* Remove k's peers not seen in this round. */
static void
peers_sweep(struct live_spk *k)
{
	struct live_peer *lp, **pp = &k->peers;

	while ((lp = *pp) != NULL) {
		if (lp->seen) {
			pp = &lp->next;
			continue;
		}
		*pp = lp->next;
		bgpd_peer_del(k->d, lp->s, BGP_CEASE_DECONFIG,
		    "peer removed from the topology");
		peer_store(k, lp, true);
		peer_free(lp);
	}
}

static void
spk_unsee(struct live_spk *k)
{
	struct live_peer *lp;

	k->seen = false;
	for (lp = k->peers; lp != NULL; lp = lp->next)
		lp->seen = false;
}

/* The local network gateway behind connection c of g, if a BGP site. */
static const struct topo_local_gateway *
bgp_site(const struct topo *t, const struct topo_gateway *g,
    const struct topo_connection *c)
{
	const struct topo_local_gateway *l;

	if (c->type != TOPO_CONN_IPSEC || !c->enable_bgp ||
	    strcmp(c->gateway, g->name) != 0)
		return NULL;
	l = topo_local_gateway_lookup(t, c->peer);
	return l != NULL && l->asn != 0 && l->bgp_ip.af == ADDR_V4 ? l : NULL;
}

/* Connected peerings with hub, for T30. */
static size_t
hub_peerings(const struct topo *t, const char *hub)
{
	size_t i, n = 0;

	for (i = 0; i < t->npeerings; i++)
		if (strcmp(t->peerings[i].vnet, hub) == 0 &&
		    topo_peering_state(t, &t->peerings[i]) ==
		        TOPO_PEERING_CONNECTED)
			n++;
	return n;
}

/* T30: a new hub-spoke peering: ROUTE-REFRESH to every NVA (R1.8). */
static void
refresh_nvas(struct live *lv, const struct topo_routeserver *rs)
{
	struct live_spk *k;
	struct live_peer *lp;

	for (k = lv->spks; k != NULL; k = k->next) {
		if (k->kind != LIVE_RS || strcmp(k->owner, rs->name) != 0)
			continue;
		for (lp = k->peers; lp != NULL; lp = lp->next) {
			if (lp->role != PEER_NVA ||
			    session_state(lp->s) != SESSION_ESTABLISHED)
				continue;
			if (!session_request_refresh(lp->s))
				session_reset(lp->s,
				    "new VNet peering and no route refresh "
				    "capability (R1.8)");
		}
	}
}

static void
t30(struct live *lv)
{
	const struct topo *t = lv->t;
	size_t i, j, n;
	bool known;

	for (i = 0; i < t->nrservers; i++) {
		n = hub_peerings(t, t->rservers[i].vnet);
		known = false;
		for (j = 0; j < lv->nrs; j++)
			if (strcmp(lv->rsnames[j], t->rservers[i].name) == 0) {
				known = true;
				if (n > lv->npeerings[j])
					refresh_nvas(lv, &t->rservers[i]);
				lv->npeerings[j] = n;
			}
		if (!known) {
			lv->rsnames = xreallocarray(
			    lv->rsnames, lv->nrs + 1, sizeof(*lv->rsnames));
			lv->npeerings = xreallocarray(
			    lv->npeerings, lv->nrs + 1, sizeof(*lv->npeerings));
			lv->rsnames[lv->nrs] = xstrdup(t->rservers[i].name);
			lv->npeerings[lv->nrs++] = n;
		}
	}
}

/*
 * The sessions of gateway g with the instances of the route server in
 * its VNet: at each instance a peer for each of g's BGP addresses, and
 * at each of those addresses a peer for each instance, which connects.
 */
static void
links_get(struct live *lv, const struct topo_gateway *g)
{
	const struct topo_routeserver *rs =
	    topo_routeserver_of_vnet(lv->t, g->vnet);
	struct live_spk *krs, *kgw;
	struct live_link lk;
	char name[SESSION_NAME_MAX];
	int m, inst;

	if (rs == NULL)
		return;
	for (m = 0; m < g->nbgp_ips; m++) {
		kgw = spk_get(lv, LIVE_GW, g->name, m, &g->bgp_ips[m], g->asn);
		for (inst = 0; kgw != NULL && inst < ARS_INSTANCES; inst++) {
			krs = spk_find(lv, LIVE_RS, rs->name, inst);
			if (krs == NULL)
				continue;
			memset(&lk, 0, sizeof(lk));
			snprintf(lk.rs, sizeof(lk.rs), "%s", rs->name);
			snprintf(lk.gw, sizeof(lk.gw), "%s", g->name);
			lk.m = m;
			lk.inst = inst;
			lk.role = PEER_GW;
			if (g->nbgp_ips > 1)
				snprintf(
				    name, sizeof(name), "%.50s-%d", g->name, m);
			else
				snprintf(name, sizeof(name), "%s", g->name);
			peer_get(krs, name, &g->bgp_ips[m], g->asn, &lk);
			lk.role = PEER_ARS;
			snprintf(name, sizeof(name), "%.60s/%s", rs->name,
			    inst_name[inst]);
			peer_get(kgw, name, &rs->ips[inst], TOPO_RS_ASN, &lk);
		}
	}
}

void
live_sync(struct live *lv)
{
	const struct topo *t = lv->t;
	const struct topo_routeserver *rs;
	const struct topo_gateway *g;
	const struct topo_local_gateway *l;
	struct live_spk *k, **pp;
	struct live_peer *lp;
	size_t i, j;
	int inst, m;

	if (lv->syncing)
		return;
	lv->syncing = true;
	for (k = lv->spks; k != NULL; k = k->next)
		spk_unsee(k);
	for (i = 0; i < t->nrservers; i++) {
		rs = &t->rservers[i];
		for (inst = 0; inst < ARS_INSTANCES; inst++) {
			if (lv->conf.instance >= 0 && inst != lv->conf.instance)
				continue;
			k = spk_get(lv, LIVE_RS, rs->name, inst, &rs->ips[inst],
			    TOPO_RS_ASN);
			if (k == NULL)
				continue;
			for (j = 0; j < rs->nconns; j++)
				if (ars_peer_state(
				        lv->a, t, rs, rs->conns[j].name) !=
				    ARS_PEER_UNREACHABLE) /* R1.7 */
					peer_get(k, rs->conns[j].name,
					    &rs->conns[j].peer_ip,
					    rs->conns[j].peer_asn, NULL);
		}
	}
	for (i = 0; lv->conf.instance <= 0 && i < t->ngateways; i++) {
		g = &t->gateways[i];
		if (g->type != TOPO_GW_VPN)
			continue;
		for (m = 0; m < g->nbgp_ips; m++) {
			k = NULL;
			for (j = 0; j < t->nconns; j++) {
				l = bgp_site(t, g, &t->conns[j]);
				if (l == NULL)
					continue;
				if (k == NULL)
					k = spk_get(lv, LIVE_GW, g->name, m,
					    &g->bgp_ips[m], g->asn);
				if (k != NULL)
					peer_get(k, l->name, &l->bgp_ip, l->asn,
					    NULL);
			}
		}
	}
	for (i = 0; lv->conf.instance <= 0 && i < t->ngateways; i++)
		links_get(lv, &t->gateways[i]);
	for (pp = &lv->spks; (k = *pp) != NULL;) {
		if (!k->seen) {
			*pp = k->next;
			spk_gone(lv, k);
			continue;
		}
		peers_sweep(k);
		pp = &k->next;
	}
	t30(lv);
	for (k = lv->spks; k != NULL; k = k->next)
		for (lp = k->peers; lp != NULL; lp = lp->next)
			export_peer(lp);
	lv->syncing = false;
}

/* ---- the rest of the interface ---- */

struct live *
live_new(struct event_base *base, const struct live_conf *c, struct topo *t,
    struct ars *a)
{
	struct live *lv = xcalloc(1, sizeof(*lv));

	lv->base = base;
	lv->conf = *c;
	lv->t = t;
	lv->a = a;
	lv->flush_ev = evtimer_new(base, flush_cb, lv);
	return lv;
}

bool
live_owns(const struct live *lv, const char *owner, const char *peer)
{
	const struct live_spk *k;
	const struct live_peer *lp;

	for (k = lv->spks; k != NULL; k = k->next) {
		if ((owner == NULL) != (k->kind == LIVE_GW) ||
		    (owner != NULL && strcmp(k->owner, owner) != 0))
			continue;
		for (lp = k->peers; lp != NULL; lp = lp->next)
			if ((lp->role == PEER_NVA || lp->role == PEER_SITE) &&
			    strcmp(lp->name, peer) == 0 &&
			    session_state(lp->s) == SESSION_ESTABLISHED)
				return true;
	}
	return false;
}

json_t *
live_peers_json(struct live *lv)
{
	json_t *arr = json_array();
	const struct session_conf *c;
	const struct session_stats *st;
	struct live_spk *k;
	struct live_peer *lp;
	char addr[ADDR_STRLEN], sock[ADDR_STRLEN], local[ADDR_STRLEN];
	char rid[16], spk[SESSION_NAME_MAX + 8];
	int64_t now = session_now();
	uint32_t id;

	for (k = lv->spks; k != NULL; k = k->next)
		for (lp = k->peers; lp != NULL; lp = lp->next) {
			c = session_conf(lp->s);
			st = session_stats(lp->s);
			id = session_peer_router_id(lp->s);
			snprintf(rid, sizeof(rid), "%u.%u.%u.%u", id >> 24,
			    (id >> 16) & 255, (id >> 8) & 255, id & 255);
			snprintf(spk, sizeof(spk), "%s%s%s", k->owner,
			    k->kind == LIVE_RS ? "/" : "",
			    k->kind == LIVE_RS ? inst_name[k->inst] : "");
			json_array_append_new(arr,
			    json_pack("{s:s,s:s,s:I,s:s,s:I,s:I,s:I,s:I,s:I,"
			              "s:I,s:I,s:s,s:b,s:s,s:s,s:s,s:s}",
			        "name", c->name, "address",
			        addr_print(&lp->ip, addr, sizeof(addr)), "asn",
			        (json_int_t)c->asn, "state",
			        session_state_name(session_state(lp->s)),
			        "uptime",
			        (json_int_t)session_uptime(lp->s, now),
			        "prefixesReceived", (json_int_t)lp->nin,
			        "prefixesAccepted", (json_int_t)lp->nin,
			        "prefixesSent", (json_int_t)lp->nout,
			        "updatesIn", (json_int_t)st->updates_in,
			        "updatesOut", (json_int_t)st->updates_out,
			        "flaps", (json_int_t)st->flaps, "routerId",
			        id ? rid : "", "passive", c->passive,
			        "lastError", session_last_error(lp->s),
			        "speaker", spk, "localAddress",
			        addr_print(&k->ip, local, sizeof(local)),
			        "socket",
			        addr_print(&c->addr, sock, sizeof(sock))));
		}
	return arr;
}

void
live_walk(struct live *lv,
    void (*fn)(void *arg, struct session *s, const struct ipaddr *ip,
        size_t nin, size_t nout),
    void *arg)
{
	struct live_spk *k;
	struct live_peer *lp;

	for (k = lv->spks; k != NULL; k = k->next)
		for (lp = k->peers; lp != NULL; lp = lp->next)
			fn(arg, lp->s, &lp->ip, lp->nin, lp->nout);
}

bool
live_view(struct live *lv, const char *view, uint32_t *router_id, uint32_t *asn,
    void (*fn)(void *arg, struct session *s, const struct ipaddr *ip,
        uint32_t asn, const struct ars_path *in, size_t nin),
    void *arg, char *views, size_t viewslen)
{
	struct live_spk *k;
	struct live_peer *lp;
	char name[2 * SESSION_NAME_MAX];
	size_t o = 0;

	for (k = lv->spks; k != NULL; k = k->next) {
		spk_view_name(k, name, sizeof(name));
		if (strcmp(name, view) != 0)
			continue;
		*router_id = id_of(&k->ip);
		*asn = k->asn;
		for (lp = k->peers; lp != NULL; lp = lp->next)
			fn(arg, lp->s, &lp->ip, lp->asn, lp->in, lp->nin);
		return true;
	}
	if (views != NULL && viewslen > 0) {
		views[0] = '\0';
		for (k = lv->spks; k != NULL && o + 1 < viewslen; k = k->next) {
			spk_view_name(k, name, sizeof(name));
			o += (size_t)snprintf(views + o, viewslen - o, "%s%s",
			    o > 0 ? ", " : "", name);
		}
	}
	return false;
}

struct session *
live_session(struct live *lv, const char *name)
{
	struct live_spk *k;
	struct live_peer *lp;

	for (k = lv->spks; k != NULL; k = k->next)
		for (lp = k->peers; lp != NULL; lp = lp->next)
			if (strcmp(session_conf(lp->s)->name, name) == 0)
				return lp->s;
	return NULL;
}

void
live_shutdown(struct live *lv, const char *msg)
{
	struct live_spk *k;

	for (k = lv->spks; k != NULL; k = k->next)
		bgpd_shutdown(k->d, BGP_CEASE_SHUTDOWN, msg);
}

bool
live_drained(struct live *lv)
{
	struct live_spk *k;
	size_t i;

	for (k = lv->spks; k != NULL; k = k->next)
		if (!bgpd_drained(k->d))
			return false;
	for (i = 0; i < lv->ndying; i++)
		if (!bgpd_drained(lv->dying[i]))
			return false;
	return true;
}

void
live_free(struct live *lv)
{
	struct live_spk *k, *kn;
	struct live_peer *lp, *ln;
	size_t i;

	if (lv == NULL)
		return;
	for (k = lv->spks; k != NULL; k = kn) {
		kn = k->next;
		bgpd_free(k->d);
		for (lp = k->peers; lp != NULL; lp = ln) {
			ln = lp->next;
			free(lp->in);
			free(lp->out);
			free(lp);
		}
		free(k);
	}
	for (i = 0; i < lv->ndying; i++)
		bgpd_free(lv->dying[i]);
	free(lv->dying);
	for (i = 0; i < lv->nrs; i++)
		free(lv->rsnames[i]);
	free(lv->rsnames);
	free(lv->npeerings);
	event_free(lv->flush_ev);
	free(lv);
}
