/* SPDX-License-Identifier: ISC */
/* routeserver/view.c - learned, advertised and announced routes as az prints them. */

#include "routeserver/ars.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fabric/fabric.h"
#include "lib/num.h"
#include "lib/xmalloc.h"
#include "topology/topology.h"

static const char *const role[ARS_INSTANCES] = { "RouteServiceRole_IN_0",
	"RouteServiceRole_IN_1" };

static const char *const origin_name[] = { "Igp", "Egp", "Incomplete" };

char *
ars_aspath_str(const uint32_t *as, size_t n, char sep, char *buf, size_t len)
{
	char sepstr[2] = { sep, '\0' };
	size_t i, off = 0;
	int w;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		w = snprintf(
		    buf + off, len - off, "%s%u", i ? sepstr : "", as[i]);
		if (w < 0 || (size_t)w >= len - off)
			break;
		off += (size_t)w;
	}
	return buf;
}

static json_t *
jpath(const char *lead, const uint32_t *as, size_t n)
{
	char b[ARS_AS_MAX * 11 + 16];
	size_t off = 0;

	b[0] = '\0';
	if (lead != NULL)
		off =
		    (size_t)snprintf(b, sizeof(b), "%s%s", lead, n ? "-" : "");
	ars_aspath_str(as, n, '-', b + off, sizeof(b) - off);
	return json_string(b);
}

json_t *
ars_learned_entry(const struct ipaddr *local, const struct prefix *p,
    json_t *nexthop, const struct ipaddr *source, const char *origin,
    json_t *path, int weight)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:s,s:o,s:i}", "asPath", path,
	    "localAddress", topo_json_addr(local), "network",
	    topo_json_prefix(p), "nextHop", nexthop, "origin", origin,
	    "sourcePeer", topo_json_addr(source), "weight", weight);
}

json_t *
ars_advertised_entry(
    const struct ipaddr *local, const struct prefix *p, json_t *path)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:s,s:i}", "asPath", path,
	    "localAddress", topo_json_addr(local), "network",
	    topo_json_prefix(p), "nextHop", topo_json_addr(local), "origin",
	    "Igp", "weight", 0);
}

/* ---- learned ---- */

json_t *
ars_learned_json(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const char *peer)
{
	const struct topo_bgpconn *c = NULL;
	const struct ars_path *p;
	json_t *out = json_object(), *arr;
	size_t i, n;
	int k;

	for (i = 0; i < rs->nconns; i++)
		if (strcmp(rs->conns[i].name, peer) == 0)
			c = &rs->conns[i];
	for (k = 0; k < ARS_INSTANCES; k++) {
		arr = json_array();
		json_object_set_new(out, role[k], arr);
		if (c == NULL || ars_peer_state(a, t, rs, peer) != ARS_PEER_UP)
			continue;
		p = ars_get(a, rs->name, peer, k, &n);
		for (i = 0; i < n; i++) {
			if (ars_check(&p[i]) != ARS_ACCEPT)
				continue;
			json_array_append_new(arr,
			    ars_learned_entry(&rs->ips[k], &p[i].pfx,
			        topo_json_addr(&p[i].nexthop), &c->peer_ip,
			        "EBgp", jpath(NULL, p[i].as, p[i].nas), 32768));
		}
	}
	json_object_set_new(out, "value", json_null());
	return out;
}

/* ---- advertised ---- */

struct adv {
	const struct ars *a;
	const struct topo *t;
	const struct topo_routeserver *rs;
	const char *peer;
	int inst;
	ars_adv_fn fn;
	void *arg;
	struct {
		struct prefix pfx;
		int len;
	} * best; /* owned: the NVAs' best path length per prefix */
	size_t nbest;
	struct ars_site_route *sites; /* owned: the shortest per prefix */
	size_t nsites;
};

/*
 * An advertised route: 65515 in front of the path as[0..n), the
 * communities comm[0..nc) kept, and extra (0: none) added.
 */
static void
adv_emit(const struct adv *d, const struct prefix *p, const uint32_t *as,
    size_t n, const uint32_t *comm, size_t nc, uint32_t extra)
{
	struct ars_adv r;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.pfx = *p;
	r.nexthop = d->rs->ips[d->inst];
	r.as[0] = TOPO_RS_ASN;
	for (i = 0; i < n && i + 1 < ARS_AS_MAX + 2; i++)
		r.as[i + 1] = as[i];
	r.nas = (uint8_t)(i + 1);
	for (i = 0; i < nc && r.ncomm < ARS_COMM_MAX + 1; i++)
		r.comm[r.ncomm++] = comm[i];
	for (i = 0; extra != 0 && i < r.ncomm && r.comm[i] != extra; i++)
		;
	if (extra != 0 && i == r.ncomm)
		r.comm[r.ncomm++] = extra;
	d->fn(&r, d->arg);
}

/* The best NVA path length for p on the instance, -1 if none. */
static int
nva_best(const struct adv *d, const struct prefix *p)
{
	size_t i;

	for (i = 0; i < d->nbest; i++)
		if (prefix_equal(&d->best[i].pfx, p))
			return d->best[i].len;
	return -1;
}

/*
 * Does a gateway's route r beat the NVAs' best path of length nva_len
 * (R2.8)?  With ExpressRoute preference an ExpressRoute route always
 * wins, with VpnGateway it always loses; otherwise the shorter path,
 * and on equal length the gateway (as the fabric decides, fab_prog_cmp).
 */
static bool
site_wins(const struct adv *d, const struct ars_site_route *r, int nva_len)
{
	bool er = r->gw->type == TOPO_GW_ER;

	if (nva_len < 0 || (er && d->rs->pref == TOPO_PREF_EXPRESSROUTE))
		return true;
	if (er && d->rs->pref == TOPO_PREF_VPNGATEWAY)
		return false;
	return r->nas <= nva_len;
}

struct site_beats {
	const struct adv *d;
	const struct prefix *p;
	int nva_len;
	bool wins;
};

static void
site_beats_cb(const struct ars_site_route *r, void *arg)
{
	struct site_beats *s = arg;

	if (!ars_link_heard(s->d->a, s->d->rs->name, r->gw->name, s->d->inst,
	        ARS_LINK_TO_RS, r->pfx))
		return; /* not received over the gateway's session */
	if (prefix_equal(r->pfx, s->p) && site_wins(s->d, r, s->nva_len))
		s->wins = true;
}

/* A gateway's route for p beats the NVAs' (b2b only). */
static bool
site_better(const struct adv *d, const struct prefix *p, int nva_len)
{
	struct site_beats s = { d, p, nva_len, false };

	if (d->rs->b2b)
		ars_site_walk(d->a, d->t, d->rs->vnet, NULL, site_beats_cb, &s);
	return s.wins;
}

static void
best_note(const struct prefix *p, const struct ars_best *b, size_t n, void *arg)
{
	struct adv *d = arg;

	if (n == 0)
		return;
	d->best = xreallocarray(d->best, d->nbest + 1, sizeof(*d->best));
	d->best[d->nbest].pfx = *p;
	d->best[d->nbest].len = b[0].path->nas;
	d->nbest++;
}

/* R2.2: the best path from another peer, with 65515 prepended. */
static void
adv_best(const struct prefix *p, const struct ars_best *b, size_t n, void *arg)
{
	struct adv *d = arg;
	size_t i;

	best_note(p, b, n, arg); /* for the gateways' routes, below */
	if (n == 0 || fab_vnet_set_covers(d->t, d->rs->vnet, p)) /* R2.6 */
		return;
	/* a gateway's route as short wins (R2.8): the NVA route is not best */
	if (site_better(d, p, b[0].path->nas))
		return;
	for (i = 0; i < n; i++) {
		if (strcmp(b[i].peer, d->peer) == 0 ||
		    ars_no_advertise(b[i].path))
			continue;
		adv_emit(d, p, b[i].path->as, b[i].path->nas, b[i].path->comm,
		    b[i].path->ncomm, 0);
		return;
	}
}

/* Between two gateways' routes for one prefix: r over o? (R2.8) */
static bool
site_prefer(const struct adv *d, const struct ars_site_route *r,
    const struct ars_site_route *o)
{
	bool er = r->gw->type == TOPO_GW_ER, oer = o->gw->type == TOPO_GW_ER;

	if (er != oer && d->rs->pref == TOPO_PREF_EXPRESSROUTE)
		return er;
	if (er != oer && d->rs->pref == TOPO_PREF_VPNGATEWAY)
		return oer;
	if (r->nas != o->nas)
		return r->nas < o->nas;
	return er && !oer;
}

/*
 * R2.3: with branch-to-branch, what the hub's VPN gateways learn from
 * their sites: the shortest path per prefix, as ARS received it.
 */
static void
adv_site(const struct ars_site_route *r, void *arg)
{
	struct adv *d = arg;
	size_t i;

	if (fab_vnet_set_covers(d->t, d->rs->vnet, r->pfx) ||
	    !ars_link_heard(d->a, d->rs->name, r->gw->name, d->inst,
	        ARS_LINK_TO_RS, r->pfx))
		return;
	for (i = 0; i < d->nsites; i++)
		if (prefix_equal(d->sites[i].pfx, r->pfx)) {
			if (site_prefer(d, r, &d->sites[i]))
				d->sites[i] = *r;
			return;
		}
	d->sites = xreallocarray(d->sites, d->nsites + 1, sizeof(*d->sites));
	d->sites[d->nsites++] = *r;
}

void
ars_adv_walk(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const char *peer, int inst,
    ars_adv_fn fn, void *arg)
{
	const struct prefix **vs;
	const struct ars_path *sp;
	struct adv d;
	size_t i, nvs;
	int nl;

	memset(&d, 0, sizeof(d));
	d.a = a;
	d.t = t;
	d.rs = rs;
	d.peer = peer;
	d.inst = inst;
	d.fn = fn;
	d.arg = arg;
	if (ars_peer_state(a, t, rs, peer) != ARS_PEER_UP)
		return;
	/* R2.1: one route per address prefix of the VNet set */
	vs = fab_vnet_set_prefixes(t, rs->vnet, &nvs);
	for (i = 0; i < nvs; i++)
		adv_emit(&d, vs[i], NULL, 0, NULL, 0, 0);
	free(vs);
	ars_best_walk(a, t, rs, inst, adv_best, &d);
	if (rs->b2b)
		ars_site_walk(a, t, rs->vnet, NULL, adv_site, &d);
	for (i = 0; i < d.nsites; i++) {
		/* an NVA's shorter path wins (R2.7, R2.8) */
		nl = nva_best(&d, d.sites[i].pfx);
		if (!site_wins(&d, &d.sites[i], nl))
			continue;
		/* the site's communities kept; a VPN gateway adds 65517:65517 */
		sp = d.sites[i].path;
		adv_emit(&d, d.sites[i].pfx, d.sites[i].as, d.sites[i].nas,
		    sp != NULL ? sp->comm : NULL, sp != NULL ? sp->ncomm : 0,
		    d.sites[i].gw->type == TOPO_GW_VPN ? ARS_COMM_AZURE : 0);
	}
	free(d.best);
	free(d.sites);
}

static void
adv_json_cb(const struct ars_adv *r, void *arg)
{
	json_t *path;

	/* as az prints it: the AS path joined, no communities */
	path = jpath(NULL, r->as, r->nas);
	json_array_append_new(
	    arg, ars_advertised_entry(&r->nexthop, &r->pfx, path));
}

json_t *
ars_advertised_json(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const char *peer)
{
	json_t *out = json_object(), *arr;
	int inst;

	for (inst = 0; inst < ARS_INSTANCES; inst++) {
		arr = json_array();
		json_object_set_new(out, role[inst], arr);
		ars_adv_walk(a, t, rs, peer, inst, adv_json_cb, arr);
	}
	json_object_set_new(out, "value", json_null());
	return out;
}

/* ---- announced (vrs's own) ---- */

/* One announced route: network, nextHop, asPath, origin, communities. */
static json_t *
route_json(const struct ars_path *p)
{
	json_t *comms = json_array();
	char b[16];
	size_t k;

	for (k = 0; k < p->ncomm; k++) {
		snprintf(b, sizeof(b), "%u:%u", p->comm[k] >> 16,
		    p->comm[k] & 0xffff);
		json_array_append_new(comms, json_string(b));
	}
	return json_pack("{s:o,s:o,s:o,s:s,s:o}", "network",
	    topo_json_prefix(&p->pfx), "nextHop", topo_json_addr(&p->nexthop),
	    "asPath", jpath(NULL, p->as, p->nas), "origin",
	    origin_name[p->origin], "communities", comms);
}

json_t *
ars_site_json(const struct ars *a, const char *site)
{
	const struct ars_path *p;
	json_t *arr = json_array();
	size_t i, n;

	p = ars_site_get(a, site, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, route_json(&p[i]));
	return json_pack("{s:o}", "routes", arr);
}

json_t *
ars_announced_json(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const char *peer)
{
	enum ars_peer_state st = ars_peer_state(a, t, rs, peer);
	const struct ars_path *p;
	json_t *out = json_object(), *arr, *e;
	enum ars_verdict v;
	size_t i, n;
	int inst;

	for (inst = 0; inst < ARS_INSTANCES; inst++) {
		arr = json_array();
		json_object_set_new(out, role[inst], arr);
		p = ars_get(a, rs->name, peer, inst, &n);
		for (i = 0; i < n; i++) {
			v = ars_check(&p[i]);
			e = route_json(&p[i]);
			json_object_set_new(e, "status",
			    json_string(
			        v == ARS_ACCEPT ? "Accepted" : "Rejected"));
			if (v != ARS_ACCEPT)
				json_object_set_new(e, "reason",
				    json_string(ars_verdict_text(v)));
			json_array_append_new(arr, e);
		}
	}
	json_object_set_new(
	    out, "connectionState", json_string(ars_peer_state_text(st)));
	if (st == ARS_PEER_UNREACHABLE)
		json_object_set_new(out, "reason",
		    json_string(
		        "the peer's IP is neither in the route server's "
		        "VNet nor in a VNet peered with it: the session "
		        "never comes up (R1.7)"));
	else if (st == ARS_PEER_OVER_LIMIT)
		json_object_set_new(out, "reason",
		    json_pack("s++", "the peer announces more routes than ",
		        t->opts.relaxed ? "4000" : "1000",
		        ": the route server tears the session down and drops "
		        "all of its routes (R1.9)"));
	else {
		size_t n0, n1;

		(void)ars_get(a, rs->name, peer, 0, &n0);
		(void)ars_get(a, rs->name, peer, 1, &n1);
		if ((n0 == 0) != (n1 == 0))
			json_object_set_new(out, "warning",
			    json_string(
			        "the peer announces to one instance "
			        "only: every NVA must peer with both "
			        "instances and announce the same routes "
			        "(R1.7, gotcha G5)"));
	}
	return out;
}

/* ---- reading announcements ---- */

static bool
read_path(const char *s, struct ars_path *p, char *why, size_t len)
{
	char buf[ARS_AS_MAX * 12], *w, *save = NULL;
	uint64_t v;

	if (strlen(s) >= sizeof(buf)) {
		snprintf(why, len, "asPath is longer than %d AS numbers",
		    ARS_AS_MAX);
		return false;
	}
	memcpy(buf, s, strlen(s) + 1);
	p->nas = 0;
	for (w = strtok_r(buf, " -,", &save); w != NULL;
	     w = strtok_r(NULL, " -,", &save)) {
		if (!num_parse_u64(w, UINT32_MAX, &v)) {
			snprintf(why, len,
			    "asPath: %s is not an AS number (0-4294967295)", w);
			return false;
		}
		if (p->nas == ARS_AS_MAX) {
			snprintf(why, len,
			    "asPath is longer than %d AS numbers", ARS_AS_MAX);
			return false;
		}
		p->as[p->nas++] = (uint32_t)v;
	}
	return true;
}

static bool
read_comm(const char *s, uint32_t *c, char *why, size_t len)
{
	static const struct {
		const char *name;
		uint32_t v;
	} wk[] = { { "no-export", 0xFFFFFF01u },
		{ "no-advertise", ARS_COMM_NO_ADVERTISE },
		{ "no-export-subconfed", 0xFFFFFF03u } };
	char hi[12], *colon;
	uint64_t a, b;
	size_t i;

	for (i = 0; i < sizeof(wk) / sizeof(wk[0]); i++)
		if (strcasecmp(s, wk[i].name) == 0) {
			*c = wk[i].v;
			return true;
		}
	colon = strchr(s, ':');
	if (colon == NULL || (size_t)(colon - s) >= sizeof(hi))
		goto bad;
	memcpy(hi, s, (size_t)(colon - s));
	hi[colon - s] = '\0';
	if (!num_parse_u64(hi, 65535, &a) ||
	    !num_parse_u64(colon + 1, 65535, &b))
		goto bad;
	*c = (uint32_t)(a << 16 | b);
	return true;
bad:
	snprintf(why, len,
	    "community %s: expected ASN:VALUE (each 0-65535) or no-export, "
	    "no-advertise",
	    s);
	return false;
}

static bool
read_route(json_t *r, const struct ipaddr *peer_ip, uint32_t peer_asn,
    struct ars_path *p, char *why, size_t len)
{
	const char *net, *s, *e;
	json_t *v, *c;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(r)) {
		snprintf(why, len, "a route is an object with a network");
		return false;
	}
	if ((net = json_string_value(json_object_get(r, "network"))) == NULL) {
		snprintf(
		    why, len, "network (e.g. \"192.168.10.0/24\") is required");
		return false;
	}
	if ((e = prefix_parse(net, &p->pfx, 0)) != NULL) {
		snprintf(why, len, "network %s: %s", net, e);
		return false;
	}
	p->nexthop = *peer_ip;
	if ((v = json_object_get(r, "nextHop")) != NULL && !json_is_null(v) &&
	    ((s = json_string_value(v)) == NULL ||
	        !addr_parse(s, &p->nexthop))) {
		snprintf(why, len, "nextHop %s is not an IP address",
		    s ? s : "(not a string)");
		return false;
	}
	p->as[0] = peer_asn;
	p->nas = peer_asn != 0 ? 1 : 0;
	if ((v = json_object_get(r, "asPath")) != NULL && !json_is_null(v)) {
		if ((s = json_string_value(v)) == NULL) {
			snprintf(
			    why, len, "asPath is a string: \"65001 65001\"");
			return false;
		}
		if (!read_path(s, p, why, len))
			return false;
	}
	/* no default next hop or AS (an ExpressRoute circuit's customer) */
	if (p->nexthop.af == 0) {
		snprintf(why, len, "nextHop is required");
		return false;
	}
	if (peer_asn == 0 && p->nas == 0) {
		snprintf(
		    why, len, "asPath (the customer's AS first) is required");
		return false;
	}
	p->origin = ARS_ORIGIN_IGP;
	if ((s = json_string_value(json_object_get(r, "origin"))) != NULL) {
		for (i = 0; i < 3; i++)
			if (strcasecmp(s, origin_name[i]) == 0)
				break;
		if (i == 3) {
			snprintf(why, len,
			    "origin %s: expected Igp, Egp or Incomplete", s);
			return false;
		}
		p->origin = (uint8_t)i;
	}
	v = json_object_get(r, "communities");
	if (v != NULL && !json_is_null(v) && !json_is_array(v)) {
		snprintf(why, len, "communities is a list: [\"65001:100\"]");
		return false;
	}
	json_array_foreach(v, i, c)
	{
		if (p->ncomm == ARS_COMM_MAX) {
			snprintf(
			    why, len, "more than %d communities", ARS_COMM_MAX);
			return false;
		}
		if ((s = json_string_value(c)) == NULL) {
			snprintf(
			    why, len, "a community is a string \"65001:100\"");
			return false;
		}
		if (!read_comm(s, &p->comm[p->ncomm++], why, len))
			return false;
	}
	return true;
}

bool
ars_announced_from_json(struct ars *a, const char *rs, const char *peer,
    const struct ipaddr *peer_ip, uint32_t peer_asn, json_t *j, char *why,
    size_t len)
{
	struct ars_path *v[ARS_INSTANCES] = { NULL, NULL };
	size_t n[ARS_INSTANCES] = { 0, 0 }, i, cap = 4 * ARS_ROUTES_RELAX;
	json_t *arr[ARS_INSTANCES], *r, *both;
	char sub[200];
	bool ok = false;
	int k;

	if (!json_is_object(j)) {
		snprintf(why, len,
		    "expected {\"RouteServiceRole_IN_0\": [routes], "
		    "\"RouteServiceRole_IN_1\": [routes]} or {\"routes\": "
		    "[routes]}");
		return false;
	}
	both = json_object_get(j, "routes");
	for (k = 0; k < ARS_INSTANCES; k++) {
		arr[k] = json_object_get(j, role[k]);
		if (arr[k] == NULL || json_is_null(arr[k]))
			arr[k] = both;
		if (arr[k] != NULL && !json_is_array(arr[k])) {
			snprintf(why, len, "%s is a list of routes",
			    arr[k] == both ? "routes" : role[k]);
			return false;
		}
		if (json_array_size(arr[k]) > cap) {
			snprintf(why, len,
			    "more than %zu routes for one instance", cap);
			return false;
		}
	}
	for (k = 0; k < ARS_INSTANCES; k++) {
		v[k] = calloc(json_array_size(arr[k]) + 1, sizeof(*v[k]));
		if (v[k] == NULL) {
			snprintf(why, len, "out of memory");
			goto out;
		}
		json_array_foreach(arr[k], i, r)
		{
			if (!read_route(r, peer_ip, peer_asn, &v[k][n[k]], sub,
			        sizeof(sub))) {
				snprintf(why, len, "%s[%zu]: %s",
				    arr[k] == both ? "routes" : role[k], i,
				    sub);
				goto out;
			}
			n[k]++;
		}
	}
	for (k = 0; k < ARS_INSTANCES; k++)
		ars_set(a, rs, peer, k, v[k], n[k]);
	ok = true;
out:
	free(v[0]);
	free(v[1]);
	return ok;
}

bool
ars_site_from_json(struct ars *a, const char *site,
    const struct ipaddr *peer_ip, uint32_t peer_asn, json_t *j, char *why,
    size_t len)
{
	json_t *arr = json_object_get(j, "routes"), *r;
	struct ars_path *v;
	char sub[200];
	size_t i, n = 0;

	if (!json_is_object(j) || !json_is_array(arr)) {
		snprintf(why, len, "expected {\"routes\": [routes]}");
		return false;
	}
	if (json_array_size(arr) > 4 * ARS_ROUTES_RELAX) {
		snprintf(why, len, "more than %d routes", 4 * ARS_ROUTES_RELAX);
		return false;
	}
	v = calloc(json_array_size(arr) + 1, sizeof(*v));
	if (v == NULL) {
		snprintf(why, len, "out of memory");
		return false;
	}
	json_array_foreach(arr, i, r)
	{
		if (!read_route(
		        r, peer_ip, peer_asn, &v[n], sub, sizeof(sub))) {
			snprintf(why, len, "routes[%zu]: %s", i, sub);
			free(v);
			return false;
		}
		n++;
	}
	ars_site_set(a, site, v, n);
	free(v);
	return true;
}
