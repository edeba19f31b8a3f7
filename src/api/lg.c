/* SPDX-License-Identifier: ISC */
/* api/lg.c - a looking glass for Alice-LG: a subset of birdwatcher's API under /birdwatcher/. */

/*
 * DOC: the birdwatcher API subset
 *
 * Alice-LG (github.com/alice-lg/alice-lg) shows a route server through
 * birdwatcher (github.com/alice-lg/birdwatcher), a small HTTP server
 * that runs birdc and answers in JSON.  vrsd answers the endpoints
 * Alice's "single_table" birdwatcher source asks for, in the same
 * shapes, from its own sessions: the transparent route server's peers
 * and, in mode: ars, the live sessions of the instances and gateways.
 *
 * The shapes are facts taken from birdwatcher's bird/parser.go (the keys
 * it makes of birdc's output), bird/bird.go (ttl, cached_at),
 * endpoints/utils.go (the "api" object) and birdwatcher.go (the paths),
 * and from what Alice's pkg/sources/birdwatcher/parsers.go reads:
 *
 *   every answer  "api": {"Version", "result_from_cache",
 *                 "cache_status": {"cached_at": {"date", "timezone_type",
 *                 "timezone"}}}, "ttl", "cached_at"; Alice refuses an
 *                 answer without "api" and reports its "error" string
 *   /status       "status": {"version", "router_id", "current_server",
 *                 "last_reboot", "last_reconfig", "message"}
 *   /protocols/bgp  "protocols": {ID: {"protocol", "bird_protocol": "BGP",
 *                 "state" (up, start, down), "state_changed",
 *                 "description", "neighbor_address", "neighbor_as",
 *                 "routes": {"imported", "filtered", "exported",
 *                 "preferred"}, "last_error", ...}}
 *   /routes/...   "routes": [{"network", "gateway", "from_protocol",
 *                 "age", "learnt_from", "primary", "metric", "type",
 *                 "bgp": {"origin", "as_path" (strings), "next_hop",
 *                 "med", "local_pref" (strings), "communities" [[a,b]],
 *                 "large_communities" [[a,b,c]], "ext_communities"
 *                 [[kind,a,b]] (strings)}}]
 *
 * Times: "ttl" and the cache dates as RFC 3339 (Alice's default
 * servertime layout), the others as BIRD's "2006-01-02 15:04:05", UTC
 * (Alice: servertime_short and servertime_ext set to that layout).
 *
 * A protocol's id is the session's name with every character outside
 * A-Z a-z 0-9 _ . - made '_' (BIRD protocol names allow no '/', and the
 * id is a URL path segment): "ars/IN_0/nva" is "ars_IN_0_nva"; the name
 * itself is the "description".  Two names with the same id: the first
 * session wins.
 *
 * vrsd keeps no per-route age, so a route's "age" is when its session
 * last changed state (came up).  Nothing is filtered and kept, so
 * /routes/filtered and /routes/noexport answer an empty list for a
 * known protocol.  At most LG_ROUTES_MAX routes are answered; past that
 * "truncated": true.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/http.h>
#include <jansson.h>

#include "api/api_int.h"
#include "bgp/update.h"
#include "gateway/live.h"
#include "lib/prefix.h"
#include "lib/xmalloc.h"
#include "rib/rib.h"
#include "routeserver/ars.h"
#include "session/session.h"

#ifndef VRS_VERSION
#define VRS_VERSION "0.1.0"
#endif

#define LG_ROUTES_MAX 100000 /* routes in one answer */
#define LG_TTL        60     /* seconds Alice may cache an answer */
#define LG_ID_MAX     SESSION_NAME_MAX

/* One session, of the RIB (transparent) or live (mode: ars). */
struct lg_sess {
	struct session *s;
	struct ipaddr ip; /* the neighbour's address (Azure's when live) */
	bool live;
	uint64_t nin, nout, npref;
	char id[LG_ID_MAX];
};

struct lg_list {
	struct lg_sess *v;
	size_t n, cap;
};

/* A routes answer being built. */
struct lg_routes {
	json_t *arr;
	size_t n;
	bool truncated;
	const struct lg_sess *ls; /* the session whose routes these are */
	char age[32];
	uint16_t peer; /* its RIB id (not live) */
	uint8_t af;    /* only this family; 0 both */
};

static void
lg_time(time_t t, bool rfc3339, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, rfc3339 ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S",
	    &tm);
}

static void
lg_id(const char *name, char *id, size_t len)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < len; i++)
		id[i] = isalnum((unsigned char)name[i]) || name[i] == '_' ||
		        name[i] == '.' || name[i] == '-'
		    ? name[i]
		    : '_';
	id[i] = '\0';
}

static void
lg_add(struct lg_list *l, struct session *s, const struct ipaddr *ip, bool live,
    uint64_t nin, uint64_t nout)
{
	struct lg_sess *ls;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	ls = &l->v[l->n++];
	*ls = (struct lg_sess){
		.s = s, .ip = *ip, .live = live, .nin = nin, .nout = nout
	};
	lg_id(session_conf(s)->name, ls->id, sizeof(ls->id));
}

static void
lg_live_cb(void *arg, struct session *s, const struct ipaddr *ip, size_t nin,
    size_t nout)
{
	lg_add(arg, s, ip, true, nin, nout);
}

/* Per RIB peer id: paths it is sent (adv bit) and paths of it that are best. */
struct lg_count {
	struct rib *rib;
	uint64_t out[RIB_ADV_SLOTS];
	uint64_t *pref; /* by RIB peer id, 65536 */
};

static bool
lg_count_one(void *arg, struct rib_entry *e)
{
	struct lg_count *c = arg;
	unsigned i;

	for (i = 0; i < RIB_ADV_SLOTS; i++)
		if ((e->adv >> i) & 1)
			c->out[i]++;
	if (e->paths != NULL)
		c->pref[e->paths->peer]++;
	return true;
}

/* Every session; with counts, the RIB's exported and preferred too. */
static void
lg_sessions(struct api *a, struct lg_list *l, bool counts)
{
	struct rib *rib = bgpd_rib(a->d);
	struct lg_count c = { .rib = rib };
	struct session *s = NULL;
	struct rib_peer *rp;
	size_t i;

	while ((s = bgpd_peer_next(a->d, s)) != NULL) {
		rp = rib_peer(rib, session_rib_id(s));
		lg_add(l, s, &session_conf(s)->addr, false,
		    rp ? rp->nprefixes : 0, 0);
	}
	if (counts && l->n > 0) {
		c.pref = xcalloc(65536, sizeof(*c.pref));
		rib_walk(rib, lg_count_one, &c);
		for (i = 0; i < l->n; i++) {
			rp = rib_peer(rib, session_rib_id(l->v[i].s));
			if (rp != NULL && rp->slot < RIB_ADV_SLOTS)
				l->v[i].nout = c.out[rp->slot];
			l->v[i].npref = c.pref[session_rib_id(l->v[i].s)];
		}
		free(c.pref);
	}
	if (a->live != NULL)
		live_walk(a->live, lg_live_cb, l);
}

static const struct lg_sess *
lg_find(const struct lg_list *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return &l->v[i];
	return NULL;
}

/* Send body (consumed) with birdwatcher's "api", "ttl" and "cached_at". */
static void
lg_reply(struct evhttp_request *req, json_t *body)
{
	time_t now = time(NULL);
	char at[32], ttl[32];
	json_t *o;

	lg_time(now, true, at, sizeof(at));
	lg_time(now + LG_TTL, true, ttl, sizeof(ttl));
	o = json_pack("{s:{s:s,s:b,s:{s:{s:s,s:s,s:s}}}}", "api", "Version",
	    "vrsd " VRS_VERSION, "result_from_cache", 0, "cache_status",
	    "cached_at", "date", at, "timezone_type", "UTC", "timezone", "UTC");
	json_object_update(o, body);
	json_decref(body);
	json_object_set_new(o, "ttl", json_string(ttl));
	json_object_set_new(o, "cached_at", json_string(at));
	api_reply_json(req, 200, o);
}

/* birdwatcher's error: {"error": "..."}, no "api" (Alice shows it). */
static void
lg_error(
    struct evhttp_request *req, int status, const char *msg, const char *arg)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s%s", msg, arg);
	api_reply_json(req, status, json_pack("{s:s}", "error", buf));
}

/* The process's start, from /proc (0 if unknown). */
static time_t
lg_started(void)
{
	char buf[1024], *p;
	unsigned long long ticks = 0;
	long hz = sysconf(_SC_CLK_TCK);
	time_t btime = 0;
	FILE *f;
	int i;

	if ((f = fopen("/proc/stat", "r")) != NULL) {
		while (fgets(buf, sizeof(buf), f) != NULL)
			if (sscanf(buf, "btime %lld", (long long *)&btime) == 1)
				break;
		fclose(f);
	}
	if ((f = fopen("/proc/self/stat", "r")) == NULL)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* after "(comm)": state is field 3, starttime field 22 */
	for (i = 2; p != NULL && i < 22; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || btime == 0 || hz <= 0 ||
	    sscanf(p, " %llu", &ticks) != 1)
		return 0;
	return btime + (time_t)(ticks / (unsigned long long)hz);
}

void
api_lg_status(struct api *a, struct evhttp_request *req, const char *rest)
{
	uint32_t id = bgpd_router_id(a->d);
	char rid[16], now[32], boot[32];
	time_t start = lg_started();

	(void)rest;
	snprintf(rid, sizeof(rid), "%u.%u.%u.%u", id >> 24, (id >> 16) & 255,
	    (id >> 8) & 255, id & 255);
	lg_time(time(NULL), false, now, sizeof(now));
	lg_time(start ? start : time(NULL), false, boot, sizeof(boot));
	lg_reply(req,
	    json_pack("{s:{s:s,s:s,s:s,s:s,s:s,s:s}}", "status", "version",
	        "vrsd " VRS_VERSION, "router_id", rid, "current_server", now,
	        "last_reboot", boot, "last_reconfig", boot, "message",
	        "vrsd is up and running"));
}

/* BIRD's protocol state: up when Established, down when Idle, else start. */
static const char *
lg_state(enum session_state st)
{
	const char *n = session_state_name(st);

	if (strcmp(n, "Established") == 0)
		return "up";
	if (strcmp(n, "Idle") == 0)
		return "down";
	return "start";
}

static json_t *
lg_protocol_json(const struct lg_sess *ls, time_t now, int64_t mono)
{
	const struct session_conf *c = session_conf(ls->s);
	enum session_state st = session_state(ls->s);
	char addr[ADDR_STRLEN], changed[32], nid[16];
	uint32_t id = session_peer_router_id(ls->s);

	lg_time(now - (time_t)session_uptime(ls->s, mono), false, changed,
	    sizeof(changed));
	snprintf(nid, sizeof(nid), "%u.%u.%u.%u", id >> 24, (id >> 16) & 255,
	    (id >> 8) & 255, id & 255);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,"
	                 "s:{s:I,s:I,s:I,s:I},s:s}",
	    "protocol", ls->id, "bird_protocol", "BGP", "table", "master",
	    "state", lg_state(st), "state_changed", changed, "connection",
	    session_state_name(st), "description", c->name, "bgp_state",
	    session_state_name(st), "neighbor_address",
	    addr_print(&ls->ip, addr, sizeof(addr)), "neighbor_as",
	    (json_int_t)c->asn, "neighbor_id", id ? nid : "", "routes",
	    "imported", (json_int_t)ls->nin, "filtered", (json_int_t)0,
	    "exported", (json_int_t)ls->nout, "preferred",
	    (json_int_t)ls->npref, "last_error", session_last_error(ls->s));
}

void
api_lg_protocols(struct api *a, struct evhttp_request *req, const char *rest)
{
	struct lg_list l = { 0 };
	json_t *protos = json_object();
	time_t now = time(NULL);
	int64_t mono = session_now();
	size_t i;

	(void)rest;
	lg_sessions(a, &l, true);
	for (i = 0; i < l.n; i++)
		if (json_object_get(protos, l.v[i].id) == NULL)
			json_object_set_new(protos, l.v[i].id,
			    lg_protocol_json(&l.v[i], now, mono));
	free(l.v);
	lg_reply(req, json_pack("{s:o}", "protocols", protos));
}

/* ---- routes ---- */

static const char *
lg_origin(unsigned o)
{
	return o == 0 ? "IGP" : o == 1 ? "EGP" : "Incomplete";
}

static json_t *
lg_num(uint32_t v)
{
	char s[16];

	snprintf(s, sizeof(s), "%u", v);
	return json_string(s);
}

/* An extended community as BIRD prints it: (rt, 65001, 100), ... */
static json_t *
lg_ext(const struct rbuf *b, size_t i)
{
	uint8_t type = rbuf_peek16(b, i) >> 8, sub = rbuf_peek16(b, i) & 255;
	char kind[16], x[24], y[16];
	uint32_t ip;

	if (sub == 2 || sub == 3)
		snprintf(kind, sizeof(kind), "%s", sub == 2 ? "rt" : "ro");
	else
		snprintf(kind, sizeof(kind), "unknown 0x%x", sub);
	switch (type & 0xbf) { /* transitive or not */
	case 0x00:             /* 2-octet AS specific (RFC 4360 3.1) */
		snprintf(x, sizeof(x), "%u", rbuf_peek16(b, i + 2));
		snprintf(y, sizeof(y), "%u", rbuf_peek32(b, i + 4));
		break;
	case 0x01: /* IPv4 address specific */
		ip = rbuf_peek32(b, i + 2);
		snprintf(x, sizeof(x), "%u.%u.%u.%u", ip >> 24,
		    (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
		snprintf(y, sizeof(y), "%u", rbuf_peek16(b, i + 6));
		break;
	case 0x02: /* 4-octet AS specific (RFC 5668) */
		snprintf(x, sizeof(x), "%u", rbuf_peek32(b, i + 2));
		snprintf(y, sizeof(y), "%u", rbuf_peek16(b, i + 6));
		break;
	default:
		snprintf(kind, sizeof(kind), "generic");
		snprintf(x, sizeof(x), "0x%x", rbuf_peek32(b, i));
		snprintf(y, sizeof(y), "0x%x", rbuf_peek32(b, i + 4));
	}
	return json_pack("[s,s,s]", kind, x, y);
}

/* The "bgp" object of a RIB path, from its attributes. */
static json_t *
lg_bgp_rib(const struct attrs *at)
{
	static struct bgp_pattrs pa;
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	char nh[ADDR_STRLEN];
	json_t *o, *path = json_array(), *comm = json_array(),
	           *large = json_array(), *ext = json_array();
	size_t i;
	unsigned k;

	if (attrs_to_pattrs(at, &pa)) {
		bgp_aspath_iter_init(&it, &pa.aspath);
		while (bgp_pattrs_has(&pa, BGP_ATTR_AS_PATH) &&
		    bgp_aspath_iter_next(&it, &seg))
			for (k = 0; k < seg.count; k++)
				json_array_append_new(
				    path, lg_num(bgp_aspath_seg_as(&seg, k)));
		for (i = 0; bgp_pattrs_has(&pa, BGP_ATTR_COMMUNITIES) &&
		     i + 4 <= pa.communities.len;
		     i += 4)
			json_array_append_new(comm,
			    json_pack("[I,I]",
			        (json_int_t)rbuf_peek16(&pa.communities, i),
			        (json_int_t)rbuf_peek16(
			            &pa.communities, i + 2)));
		for (i = 0; bgp_pattrs_has(&pa, BGP_ATTR_LARGE_COMMUNITY) &&
		     i + 12 <= pa.large_communities.len;
		     i += 12)
			json_array_append_new(large,
			    json_pack("[I,I,I]",
			        (json_int_t)rbuf_peek32(
			            &pa.large_communities, i),
			        (json_int_t)rbuf_peek32(
			            &pa.large_communities, i + 4),
			        (json_int_t)rbuf_peek32(
			            &pa.large_communities, i + 8)));
		for (i = 0; bgp_pattrs_has(&pa, BGP_ATTR_EXT_COMMUNITIES) &&
		     i + 8 <= pa.ext_communities.len;
		     i += 8)
			json_array_append_new(
			    ext, lg_ext(&pa.ext_communities, i));
	}
	o = json_pack("{s:s,s:o,s:s}", "origin", lg_origin(at->origin),
	    "as_path", path, "next_hop",
	    addr_print(&at->nexthop, nh, sizeof(nh)));
	if (at->flags & ATTRS_MED)
		json_object_set_new(o, "med", lg_num(at->med));
	if (at->flags & ATTRS_LOCAL_PREF)
		json_object_set_new(o, "local_pref", lg_num(at->localpref));
	json_object_set_new(o, "communities", comm);
	json_object_set_new(o, "large_communities", large);
	json_object_set_new(o, "ext_communities", ext);
	return o;
}

/* The "bgp" object of a live route (struct ars_path: no MED, no others). */
static json_t *
lg_bgp_ars(const struct ars_path *p)
{
	char nh[ADDR_STRLEN];
	json_t *path = json_array(), *comm = json_array();
	unsigned k;

	for (k = 0; k < p->nas; k++)
		json_array_append_new(path, lg_num(p->as[k]));
	for (k = 0; k < p->ncomm; k++)
		json_array_append_new(comm,
		    json_pack("[I,I]", (json_int_t)(p->comm[k] >> 16),
		        (json_int_t)(p->comm[k] & 0xffff)));
	return json_pack("{s:s,s:o,s:s,s:o,s:[],s:[]}", "origin",
	    lg_origin(p->origin), "as_path", path, "next_hop",
	    addr_print(&p->nexthop, nh, sizeof(nh)), "communities", comm,
	    "large_communities", "ext_communities");
}

/* Add one route (bgp consumed); false once the answer is full. */
static bool
lg_route_add(
    struct lg_routes *r, const struct prefix *px, json_t *bgp, bool primary)
{
	char pfx[PREFIX_STRLEN], from[ADDR_STRLEN];

	if (r->af != 0 && px->af != r->af) {
		json_decref(bgp);
		return true;
	}
	if (r->n >= LG_ROUTES_MAX) {
		r->truncated = true;
		json_decref(bgp);
		return false;
	}
	addr_print(&r->ls->ip, from, sizeof(from));
	json_array_append_new(r->arr,
	    json_pack("{s:s,s:O,s:s,s:s,s:s,s:b,s:i,s:[s,s,s],s:o}", "network",
	        prefix_print(px, pfx, sizeof(pfx)), "gateway",
	        json_object_get(bgp, "next_hop"), "from_protocol", r->ls->id,
	        "age", r->age, "learnt_from", from, "primary", primary,
	        "metric", 100, "type", "BGP", "unicast", "univ", "bgp", bgp));
	r->n++;
	return true;
}

static bool
lg_rib_one(void *arg, struct rib_entry *e)
{
	struct lg_routes *r = arg;
	const struct rib_path *p;
	struct prefix px;

	if (r->af != 0 && e->af != r->af)
		return true;
	for (p = e->paths; p != NULL; p = p->next) {
		if (p->peer != r->peer)
			continue;
		rib_entry_prefix(e, &px);
		if (!lg_route_add(r, &px, lg_bgp_rib(p->attrs), p == e->paths))
			return false;
	}
	return true;
}

static void
lg_view_cb(void *arg, struct session *s, const struct ipaddr *ip, uint32_t asn,
    const struct ars_path *in, size_t nin)
{
	struct lg_routes *r = arg;
	size_t i;

	(void)ip;
	(void)asn;
	if (s != r->ls->s)
		return;
	for (i = 0; i < nin; i++)
		if (!lg_route_add(r, &in[i].pfx, lg_bgp_ars(&in[i]), true))
			return;
}

/* Append the routes ls received to r. */
static void
lg_routes_of(struct api *a, struct lg_routes *r, const struct lg_sess *ls)
{
	const char *name = session_conf(ls->s)->name, *slash;
	char view[LG_ID_MAX];
	uint32_t rid, asn;

	r->ls = ls;
	lg_time(time(NULL) - (time_t)session_uptime(ls->s, session_now()),
	    false, r->age, sizeof(r->age));
	if (!ls->live) {
		r->peer = session_rib_id(ls->s);
		rib_walk(bgpd_rib(a->d), lg_rib_one, r);
		return;
	}
	/* a live session "ars/IN_0/nva" is a peer of the speaker "ars/IN_0" */
	if ((slash = strrchr(name, '/')) == NULL ||
	    (size_t)(slash - name) >= sizeof(view))
		return;
	memcpy(view, name, (size_t)(slash - name));
	view[slash - name] = '\0';
	live_view(a->live, view, &rid, &asn, lg_view_cb, r, NULL, 0);
}

static void
lg_routes_reply(struct evhttp_request *req, struct lg_routes *r)
{
	json_t *o = json_pack("{s:o}", "routes", r->arr);

	if (r->truncated)
		json_object_set_new(o, "truncated", json_true());
	lg_reply(req, o);
}

/* GET /birdwatcher/routes/protocol/ID: what the session received. */
void
api_lg_routes_protocol(
    struct api *a, struct evhttp_request *req, const char *rest)
{
	struct lg_list l = { 0 };
	struct lg_routes r = { .arr = json_array() };
	const struct lg_sess *ls;

	lg_sessions(a, &l, false);
	if ((ls = lg_find(&l, rest)) == NULL) {
		lg_error(req, 404, "no protocol named ", rest);
		json_decref(r.arr);
	} else {
		lg_routes_of(a, &r, ls);
		lg_routes_reply(req, &r);
	}
	free(l.v);
}

/* GET /birdwatcher/routes/{filtered,noexport}/ID: none are kept. */
void
api_lg_routes_none(struct api *a, struct evhttp_request *req, const char *rest)
{
	struct lg_list l = { 0 };

	lg_sessions(a, &l, false);
	if (lg_find(&l, rest) == NULL)
		lg_error(req, 404, "no protocol named ", rest);
	else
		lg_reply(req, json_pack("{s:[]}", "routes"));
	free(l.v);
}

/* GET /birdwatcher/routes/peer/ADDRESS: received from that neighbour. */
void
api_lg_routes_peer(struct api *a, struct evhttp_request *req, const char *rest)
{
	struct lg_list l = { 0 };
	struct lg_routes r = { .arr = json_array() };
	struct ipaddr ip;
	size_t i;

	if (!addr_parse(rest, &ip)) {
		lg_error(req, 400, "not an address: ", rest);
		json_decref(r.arr);
		return;
	}
	lg_sessions(a, &l, false);
	for (i = 0; i < l.n && !r.truncated; i++)
		if (addr_cmp(&l.v[i].ip, &ip) == 0)
			lg_routes_of(a, &r, &l.v[i]);
	free(l.v);
	lg_routes_reply(req, &r);
}

/*
 * GET /birdwatcher/routes/table/master (every route; master4, master6
 * one family), .../filtered (none).
 */
void
api_lg_routes_table(struct api *a, struct evhttp_request *req, const char *rest)
{
	struct lg_list l = { 0 };
	struct lg_routes r = { .arr = json_array() };
	const char *t = rest;
	size_t i, n = strcspn(t, "/");

	if ((n != 6 || strncmp(t, "master", 6) != 0) &&
	    (n != 7 ||
	        (strncmp(t, "master4", 7) != 0 &&
	            strncmp(t, "master6", 7) != 0))) {
		lg_error(req, 404, "no table named ", rest);
		json_decref(r.arr);
		return;
	}
	if (strcmp(t + n, "/filtered") == 0) {
		json_decref(r.arr);
		lg_reply(req, json_pack("{s:[]}", "routes"));
		return;
	}
	if (t[n] != '\0') {
		lg_error(req, 404, "no such resource: ", rest);
		json_decref(r.arr);
		return;
	}
	if (n == 7)
		r.af = t[6] == '4' ? ADDR_V4 : ADDR_V6;
	lg_sessions(a, &l, false);
	for (i = 0; i < l.n && !r.truncated; i++)
		lg_routes_of(a, &r, &l.v[i]);
	free(l.v);
	lg_routes_reply(req, &r);
}
