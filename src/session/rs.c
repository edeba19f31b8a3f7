/* SPDX-License-Identifier: ISC */
/* session/rs.c - the route server's ops: RIB import, graceful restart, export. */

#include "session/session.h"

#include <inttypes.h>
#include <string.h>

#include "lib/log.h"
#include "session/session_int.h"

/*
 * vrsd's use of the session layer: what a peer announces goes into the
 * shared RIB (struct rib) under the peer's rib id; what the RIB's journal
 * says a peer should hear is packed and sent by export.c.  A peer that
 * can restart gracefully keeps its routes, stale, across a restart
 * (RFC 4724 4.2, as the Receiving Speaker).
 */

static void
gr_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;
	int af;

	(void)fd;
	(void)what;
	/* restart time or stale time over: the kept routes go */
	for (af = 0; af < BGP_AF_MAX; af++)
		rs_gr_sweep(s, af);
}

void
rs_gr_sweep(struct session *s, int af)
{
	size_t n;

	if (!s->stale[af])
		return;
	s->stale[af] = false;
	n = rib_sweep_stale(s->d->rib, s->rib_id, bgp_af_addr(af));
	if (n > 0)
		peer_log(s, LOG_LVL_INFO, "%zu stale %s routes removed", n,
		    af == BGP_AF_IPV4 ? "IPv4" : "IPv6");
	bgpd_export_all(s->d);
}

static void
gr_keep(struct session *s)
{
	struct timeval tv = { s->gr_time, 0 };
	size_t n;
	int af;

	n = rib_peer_stale(s->d->rib, s->rib_id, 0);
	for (af = 0; af < BGP_AF_MAX; af++) {
		if (s->gr_af[af])
			s->stale[af] = true;
		else /* families it does not restart gracefully go now */
			n -= rib_sweep_stale(
			    s->d->rib, s->rib_id, bgp_af_addr(af));
	}
	peer_log(s, LOG_LVL_INFO, "graceful restart: %zu routes kept for %u s",
	    n, s->gr_time);
	evtimer_add(s->gr_ev, &tv);
	bgpd_export_all(s->d);
}

static bool
rs_attach(struct bgpd *d, struct session *s)
{
	struct rib_peer *rp;

	s->rib_id = rib_peer_add(d->rib);
	if (s->rib_id == 0)
		return false;
	rp = rib_peer(d->rib, s->rib_id);
	rp->asn = s->conf.asn;
	rp->addr = s->conf.addr;
	rp->ebgp = s->conf.asn != s->conf.local_as;
	s->gr_ev = evtimer_new(d->base, gr_cb, s);
	return true;
}

static void
rs_detach(struct bgpd *d, struct session *s)
{
	if (s->gr_ev != NULL)
		event_free(s->gr_ev);
	s->gr_ev = NULL;
	rib_peer_del(d->rib, s->rib_id);
}

static void
rs_up(struct bgpd *d, struct session *s)
{
	struct rib_peer *rp = rib_peer(d->rib, s->rib_id);
	struct timeval tv = { SESSION_STALE_TIME, 0 };
	int af;

	rp->up = true;
	rp->ebgp = s->ctx.ebgp;
	rp->router_id = s->peer_id;
	rib_peer_refresh(d->rib, s->rib_id);
	session_export_soon(s);
	/*
	 * RFC 4724 4.2: stale routes of a family the new session does not
	 * restart gracefully, or whose forwarding state the peer did not
	 * keep (no F bit), go now; the others wait for its End-of-RIB,
	 * at most SESSION_STALE_TIME.
	 */
	evtimer_del(s->gr_ev);
	for (af = 0; af < BGP_AF_MAX; af++)
		if (s->stale[af] && !(s->gr_af[af] && s->gr_fwd[af]))
			rs_gr_sweep(s, af);
	if (s->stale[BGP_AF_IPV4] || s->stale[BGP_AF_IPV6])
		evtimer_add(s->gr_ev, &tv);
}

static void
rs_down(struct bgpd *d, struct session *s, bool was_up, bool notified)
{
	struct rib_peer *rp = rib_peer(d->rib, s->rib_id);
	size_t n;

	if (rp == NULL)
		return;
	if (was_up && !notified && !s->deleted && !d->shutting_down &&
	    (s->gr_af[BGP_AF_IPV4] || s->gr_af[BGP_AF_IPV6])) {
		/* RFC 4724 4.2: keep its routes, stale, for its restart time */
		gr_keep(s);
		return;
	}
	if (!rp->up && rp->nprefixes == 0)
		return;
	n = rib_peer_down(d->rib, s->rib_id);
	memset(s->stale, 0, sizeof(s->stale));
	evtimer_del(s->gr_ev);
	if (n > 0)
		peer_log(s, LOG_LVL_INFO, "%zu routes withdrawn", n);
	bgpd_export_all(d);
}

/*
 * Announce (a != NULL) or withdraw the prefixes of an NLRI field.  They
 * are taken in batches whose table slots are prefetched first: the
 * lookups then wait for memory together rather than one by one.
 */
#define NLRI_BATCH 64

static void
announce_field(
    struct session *s, struct rbuf f, uint8_t af, bool addpath, struct attrs *a)
{
	struct bgp_nlri n[NLRI_BATCH];
	struct bgp_err e;
	struct rib *rib = s->d->rib;
	size_t k, i;

	for (;;) {
		for (k = 0; k < NLRI_BATCH &&
		     bgp_nlri_next(&f, af, addpath, &n[k], &e);
		     k++)
			rib_prefetch(rib, &n[k].pfx);
		for (i = 0; i < k; i++) {
			if (a == NULL || !bgpd_import(s->d, s, &n[i].pfx, a))
				rib_withdraw(
				    rib, &n[i].pfx, s->rib_id, n[i].path_id);
			else
				rib_update(
				    rib, &n[i].pfx, s->rib_id, n[i].path_id, a);
		}
		if (k < NLRI_BATCH)
			return;
	}
}

static void
withdraw_field(struct session *s, struct rbuf f, uint8_t af, bool addpath)
{
	announce_field(s, f, af, addpath, NULL);
}

static bool
mp_nexthop(const struct bgp_mp_reach *r, int af, struct ipaddr *nh, uint8_t *ll)
{
	memset(nh, 0, sizeof(*nh));
	memset(ll, 0, 16);
	if (r->nh_len == 4) {
		nh->af = ADDR_V4;
		memcpy(nh->a, r->nh, 4);
		if (af == BGP_AF_IPV6) {
			/* an IPv4 next hop for IPv6: IPv4-mapped */
			nh->af = ADDR_V6;
			memset(nh->a, 0, 16);
			nh->a[10] = nh->a[11] = 0xff;
			memcpy(nh->a + 12, r->nh, 4);
		}
		return true;
	}
	if (r->nh_len == 16 || r->nh_len == 32) {
		nh->af = ADDR_V6;
		memcpy(nh->a, r->nh, 16);
		if (r->nh_len == 32)
			memcpy(ll, r->nh + 16, 16);
		return true;
	}
	return false;
}

static void
rs_update(struct bgpd *d, struct session *s, const struct bgp_update *u,
    struct bgp_pattrs *pa)
{
	bool withdraw = pa->outcome == BGP_OUT_WITHDRAW;
	struct rib_peer *rp;
	struct attrs *a = NULL;
	struct ipaddr nh;
	uint8_t ll[16];
	int af;

	withdraw_field(
	    s, u->withdrawn, ADDR_V4, s->ctx.addpath_rx[BGP_AF_IPV4]);
	if (bgp_pattrs_has(pa, BGP_ATTR_MP_UNREACH) &&
	    (af = bgp_af_from(pa->mp_unreach.afi, pa->mp_unreach.safi)) >= 0 &&
	    s->fam[af])
		withdraw_field(s, pa->mp_unreach.nlri, bgp_af_addr(af),
		    s->ctx.addpath_rx[af]);
	if (u->nlri.len > 0) {
		memset(&nh, 0, sizeof(nh));
		nh.af = ADDR_V4;
		memcpy(nh.a, pa->nexthop, 4);
		/* RFC 4271 6.3: a NEXT_HOP that is our own address: ignored */
		if (!withdraw && addr_cmp(&nh, &s->local_ip) != 0)
			a = attrs_from_wire(d->rib, pa, &nh, NULL);
		announce_field(
		    s, u->nlri, ADDR_V4, s->ctx.addpath_rx[BGP_AF_IPV4], a);
		attrs_unref(d->rib, a);
		a = NULL;
	}
	if (bgp_pattrs_has(pa, BGP_ATTR_MP_REACH) &&
	    (af = bgp_af_from(pa->mp_reach.afi, pa->mp_reach.safi)) >= 0 &&
	    s->fam[af]) {
		if (!withdraw && mp_nexthop(&pa->mp_reach, af, &nh, ll))
			a = attrs_from_wire(d->rib, pa, &nh, ll);
		announce_field(s, pa->mp_reach.nlri, bgp_af_addr(af),
		    s->ctx.addpath_rx[af], a);
		attrs_unref(d->rib, a);
	}
	rp = rib_peer(d->rib, s->rib_id);
	if (s->conf.max_prefixes > 0 && rp->nprefixes > s->conf.max_prefixes) {
		/* RFC 4486 4: AFI, SAFI and the limit */
		uint8_t data[7] = { 0, BGP_AFI_IPV4, BGP_SAFI_UNICAST,
			(uint8_t)(s->conf.max_prefixes >> 24),
			(uint8_t)(s->conf.max_prefixes >> 16),
			(uint8_t)(s->conf.max_prefixes >> 8),
			(uint8_t)s->conf.max_prefixes };
		char why[80];

		snprintf(why, sizeof(why), "%" PRIu64 " prefixes, limit %u",
		    rp->nprefixes, s->conf.max_prefixes);
		session_error(s, s->conn[0], BGP_ERR_CEASE, BGP_CEASE_MAXPFX,
		    rbuf_make(data, sizeof(data)), why);
		return;
	}
	bgpd_export_all(d);
}

static void
rs_eor(struct bgpd *d, struct session *s, int af)
{
	(void)d;
	rs_gr_sweep(s, af); /* RFC 4724 4.2 */
}

static void
rs_refresh(struct bgpd *d, struct session *s, int af)
{
	(void)d;
	session_refresh_out(s, af);
}

static void
rs_export(struct bgpd *d, struct session *s)
{
	(void)d;
	session_export(s);
}

const struct bgpd_ops rs_ops = {
	.attach = rs_attach,
	.detach = rs_detach,
	.up = rs_up,
	.down = rs_down,
	.update = rs_update,
	.eor = rs_eor,
	.refresh = rs_refresh,
	.export = rs_export,
};
