/* SPDX-License-Identifier: ISC */
/* api/api.c - vrsd's control API: routes requests, answers in JSON. */

#include "api/api.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "api/api_int.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "rib/rib.h"

#define API_BODY_MAX    (1u << 20)
#define API_HEADERS_MAX (64u << 10)

typedef void api_handler(
    struct api *a, struct evhttp_request *req, const char *rest);

struct api_route {
	enum evhttp_cmd_type method;
	const char *prefix; /* path prefix; rest is passed on */
	bool exact;
	api_handler *fn;
};

void
api_reply_json(struct evhttp_request *req, int status, json_t *j)
{
	struct evbuffer *b = evbuffer_new();
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json");
	evbuffer_add_printf(b, "%s\n", s ? s : "null");
	evhttp_send_reply(
	    req, status, status >= 200 && status < 300 ? "OK" : "Error", b);
	evbuffer_free(b);
	free(s);
	json_decref(j);
}

void
api_reply_error(struct evhttp_request *req, int status, const char *code,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	api_reply_json(req, status,
	    json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg));
}

static json_t *
peer_json(struct api *a, struct session *s, int64_t now)
{
	const struct session_conf *c = session_conf(s);
	const struct session_stats *st = session_stats(s);
	struct rib_peer *rp = rib_peer(bgpd_rib(a->d), session_rib_id(s));
	char addr[ADDR_STRLEN];
	uint32_t id = session_peer_router_id(s);
	char rid[16];

	snprintf(rid, sizeof(rid), "%u.%u.%u.%u", id >> 24, (id >> 16) & 255,
	    (id >> 8) & 255, id & 255);
	return json_pack("{s:s,s:s,s:I,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
	                 "s:s,s:b,s:s}",
	    "name", c->name, "address",
	    addr_print(&c->addr, addr, sizeof(addr)), "asn", (json_int_t)c->asn,
	    "state", session_state_name(session_state(s)), "uptime",
	    (json_int_t)session_uptime(s, now), "prefixesReceived",
	    (json_int_t)(rp ? rp->nprefixes : 0), "prefixesAccepted",
	    (json_int_t)(rp ? rp->nprefixes : 0), "prefixesSent",
	    (json_int_t)st->prefixes_sent, "updatesIn",
	    (json_int_t)st->updates_in, "updatesOut",
	    (json_int_t)st->updates_out, "flaps", (json_int_t)st->flaps,
	    "routerId", id ? rid : "", "passive", c->passive, "lastError",
	    session_last_error(s));
}

static void
h_peers(struct api *a, struct evhttp_request *req, const char *rest)
{
	json_t *arr = json_array(), *live;
	struct session *s = NULL;
	int64_t now = session_now();

	(void)rest;
	while ((s = bgpd_peer_next(a->d, s)) != NULL)
		json_array_append_new(arr, peer_json(a, s, now));
	if (a->live != NULL) {
		live = live_peers_json(a->live);
		json_array_extend(arr, live);
		json_decref(live);
	}
	api_reply_json(req, 200, arr);
}

static json_t *
path_json(struct rib *rib, const struct rib_entry *e, const struct rib_path *p,
    const struct attrs *at, const char *peer, bool best)
{
	static struct bgp_pattrs pa;
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	char pfx[PREFIX_STRLEN], nh[ADDR_STRLEN];
	struct prefix px;
	json_t *o, *path, *comm;
	size_t i;
	unsigned k;

	(void)rib;
	rib_entry_prefix(e, &px);
	o = json_pack("{s:s,s:s,s:s}", "prefix",
	    prefix_print(&px, pfx, sizeof(pfx)), "nextHop",
	    addr_print(&at->nexthop, nh, sizeof(nh)), "peer", peer);
	path = json_array();
	comm = json_array();
	if (attrs_to_pattrs(at, &pa)) {
		bgp_aspath_iter_init(&it, &pa.aspath);
		while (bgp_pattrs_has(&pa, BGP_ATTR_AS_PATH) &&
		    bgp_aspath_iter_next(&it, &seg))
			for (k = 0; k < seg.count; k++)
				json_array_append_new(path,
				    json_integer(bgp_aspath_seg_as(&seg, k)));
		for (i = 0; bgp_pattrs_has(&pa, BGP_ATTR_COMMUNITIES) &&
		     i + 4 <= pa.communities.len;
		     i += 4) {
			char c[16];

			snprintf(c, sizeof(c), "%u:%u",
			    rbuf_peek16(&pa.communities, i),
			    rbuf_peek16(&pa.communities, i + 2));
			json_array_append_new(comm, json_string(c));
		}
	}
	json_object_set_new(o, "asPath", path);
	json_object_set_new(o, "origin",
	    json_string(at->origin == 0 ? "igp"
	            : at->origin == 1   ? "egp"
	                                : "incomplete"));
	if (at->flags & ATTRS_MED)
		json_object_set_new(o, "med", json_integer(at->med));
	if (at->flags & ATTRS_LOCAL_PREF)
		json_object_set_new(
		    o, "localPref", json_integer(at->localpref));
	json_object_set_new(o, "communities", comm);
	if (p != NULL) {
		json_object_set_new(o, "best", json_boolean(best));
		json_object_set_new(
		    o, "ecmp", json_boolean((p->flags & RIB_PATH_ECMP) != 0));
		if (p->path_id != 0)
			json_object_set_new(
			    o, "pathId", json_integer(p->path_id));
	}
	return o;
}

struct routes_q {
	struct api *a;
	json_t *arr;
	const struct prefix *only;
	uint16_t peer; /* 0: any */
	bool advertised;
	size_t n, max;
};

static const char *
peer_name(struct api *a, uint16_t id)
{
	struct session *s = NULL;

	while ((s = bgpd_peer_next(a->d, s)) != NULL)
		if (session_rib_id(s) == id)
			return session_conf(s)->name;
	return "?";
}

static bool
routes_one(void *arg, struct rib_entry *e)
{
	struct routes_q *q = arg;
	struct rib *rib = bgpd_rib(q->a->d);
	const struct rib_path *p;
	struct attrs *x;

	if (q->n >= q->max)
		return false;
	if (q->advertised) {
		if ((x = rib_export(rib, e, q->peer)) == NULL)
			return true;
		json_array_append_new(q->arr,
		    path_json(rib, e, NULL, x, peer_name(q->a, q->peer), true));
		attrs_unref(rib, x);
		q->n++;
		return true;
	}
	for (p = e->paths; p != NULL; p = p->next) {
		if (q->peer != 0 && p->peer != q->peer)
			continue;
		json_array_append_new(q->arr,
		    path_json(rib, e, p, p->attrs, peer_name(q->a, p->peer),
		        p == e->paths));
		q->n++;
	}
	return true;
}

static int
route_cmp(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	struct prefix pa, pb;
	int c;

	prefix_parse(json_string_value(json_object_get(a, "prefix")), &pa, 0);
	prefix_parse(json_string_value(json_object_get(b, "prefix")), &pb, 0);
	if ((c = prefix_cmp(&pa, &pb)) != 0)
		return c;
	return strcmp(json_string_value(json_object_get(a, "peer")),
	    json_string_value(json_object_get(b, "peer")));
}

static void
h_routes(struct api *a, struct evhttp_request *req, const char *rest)
{
	struct evkeyvalq q;
	struct routes_q rq = { a, json_array(), NULL, 0, false, 0, 1000000 };
	const char *v, *uri = evhttp_request_get_uri(req), *why;
	struct session *s;
	struct prefix p;
	struct rib_entry *e;
	json_t **items, *sorted;
	size_t i, n;

	(void)rest;
	memset(&q, 0, sizeof(q));
	evhttp_parse_query(uri, &q);
	if ((v = evhttp_find_header(&q, "peer")) != NULL) {
		if ((s = bgpd_peer_find(a->d, v)) == NULL) {
			api_reply_error(
			    req, 404, "NotFound", "no peer named %s", v);
			goto out;
		}
		rq.peer = session_rib_id(s);
	}
	if ((v = evhttp_find_header(&q, "advertised")) != NULL &&
	    strcmp(v, "0") != 0) {
		if (rq.peer == 0) {
			api_reply_error(req, 400, "InvalidRequest",
			    "advertised routes need a peer");
			goto out;
		}
		rq.advertised = true;
	}
	if ((v = evhttp_find_header(&q, "prefix")) != NULL) {
		if ((why = prefix_parse(v, &p, PREFIX_HOST_OK)) != NULL) {
			api_reply_error(
			    req, 400, "InvalidPrefix", "prefix %s: %s", v, why);
			goto out;
		}
		rq.only = &p;
		if ((e = rib_lookup(bgpd_rib(a->d), &p)) != NULL)
			routes_one(&rq, e);
	} else
		rib_walk(bgpd_rib(a->d), routes_one, &rq);
	/* stable output: by prefix, then peer name */
	n = json_array_size(rq.arr);
	items = xcalloc(n + 1, sizeof(*items));
	for (i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(rq.arr, i));
	qsort(items, n, sizeof(*items), route_cmp);
	sorted = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(sorted, items[i]);
	free(items);
	api_reply_json(req, 200, sorted);
out:
	json_decref(rq.arr);
	evhttp_clear_headers(&q);
}

static long
rss_kib(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void
h_memory(struct api *a, struct evhttp_request *req, const char *rest)
{
	struct rib_stats st;
	uint64_t total;

	(void)rest;
	rib_stats(bgpd_rib(a->d), &st);
	total = st.attrs_bytes + st.entries_bytes + st.paths_bytes +
	    st.table_bytes + st.journal_bytes;
	api_reply_json(req, 200,
	    json_pack("{s:{s:I,s:I},s:{s:I,s:I},s:{s:I,s:I},s:{s:I},s:{s:I},"
	              "s:I,s:I}",
	        "attributeSets", "count", (json_int_t)st.attrs, "bytes",
	        (json_int_t)st.attrs_bytes, "prefixes", "count",
	        (json_int_t)st.entries, "bytes", (json_int_t)st.entries_bytes,
	        "paths", "count", (json_int_t)st.paths, "bytes",
	        (json_int_t)st.paths_bytes, "tables", "bytes",
	        (json_int_t)st.table_bytes, "journal", "bytes",
	        (json_int_t)st.journal_bytes, "ribBytes", (json_int_t)total,
	        "processRssBytes", (json_int_t)rss_kib() * 1024));
}

static void
h_peer_action(struct api *a, struct evhttp_request *req, const char *rest)
{
	char name[SESSION_NAME_MAX];
	/* the action is last: names of live sessions hold slashes */
	const char *slash = strrchr(rest, '/');
	struct session *s;
	size_t n;

	if (slash == NULL || (n = (size_t)(slash - rest)) == 0 ||
	    n >= sizeof(name)) {
		api_reply_error(req, 404, "NotFound", "no such resource");
		return;
	}
	memcpy(name, rest, n);
	name[n] = '\0';
	s = bgpd_peer_find(a->d, name);
	if (s == NULL && a->live != NULL)
		s = live_session(a->live, name);
	if (s == NULL) {
		api_reply_error(req, 404, "NotFound", "no peer named %s", name);
		return;
	}
	if (strcmp(slash + 1, "refresh") == 0) {
		if (!session_request_refresh(s)) {
			api_reply_error(req, 409, "Conflict",
			    "peer %s is not Established or has no route "
			    "refresh",
			    name);
			return;
		}
	} else if (strcmp(slash + 1, "reset") == 0)
		session_reset(s, "reset by vrs");
	else {
		api_reply_error(
		    req, 404, "NotFound", "no action %s", slash + 1);
		return;
	}
	api_reply_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

static const struct api_route routes[] = {
	{ EVHTTP_REQ_GET, "/v1/peers", true, h_peers },
	{ EVHTTP_REQ_GET, "/v1/routes", true, h_routes },
	{ EVHTTP_REQ_GET, "/v1/memory", true, h_memory },
	{ EVHTTP_REQ_POST, "/v1/peers/", false, h_peer_action },
	{ EVHTTP_REQ_GET, "/v1/topology", true, api_topology },
	{ EVHTTP_REQ_POST, "/v1/whatif", true, api_whatif },
	{ EVHTTP_REQ_GET, "/metrics", true, api_metrics },
	{ EVHTTP_REQ_GET, "/v1/rib/mrt", true, api_mrt },
	{ EVHTTP_REQ_GET, "/birdwatcher/status", true, api_lg_status },
	{ EVHTTP_REQ_GET, "/birdwatcher/protocols/bgp", true,
	    api_lg_protocols },
	{ EVHTTP_REQ_GET, "/birdwatcher/routes/protocol/", false,
	    api_lg_routes_protocol },
	{ EVHTTP_REQ_GET, "/birdwatcher/routes/filtered/", false,
	    api_lg_routes_none },
	{ EVHTTP_REQ_GET, "/birdwatcher/routes/noexport/", false,
	    api_lg_routes_none },
	{ EVHTTP_REQ_GET, "/birdwatcher/routes/peer/", false,
	    api_lg_routes_peer },
	{ EVHTTP_REQ_GET, "/birdwatcher/routes/table/", false,
	    api_lg_routes_table },
	{ EVHTTP_REQ_GET, "/subscriptions/", false, api_arm },
	{ EVHTTP_REQ_PUT, "/subscriptions/", false, api_arm },
	{ EVHTTP_REQ_PATCH, "/subscriptions/", false, api_arm },
	{ EVHTTP_REQ_DELETE, "/subscriptions/", false, api_arm },
	{ EVHTTP_REQ_POST, "/subscriptions/", false, api_arm },
};

static void
api_cb(struct evhttp_request *req, void *arg)
{
	struct api *a = arg;
	const struct evhttp_uri *u = evhttp_request_get_evhttp_uri(req);
	const char *path = u ? evhttp_uri_get_path(u) : NULL;
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	size_t i, n;
	bool path_known = false;

	if (path == NULL) {
		api_reply_error(req, 400, "InvalidRequest", "bad request URI");
		return;
	}
	if (evbuffer_get_length(evhttp_request_get_input_buffer(req)) >
	    API_BODY_MAX) {
		api_reply_error(
		    req, 413, "RequestTooLarge", "request body over 1 MiB");
		return;
	}
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		n = strlen(routes[i].prefix);
		if (routes[i].exact ? strcmp(path, routes[i].prefix) != 0
		                    : strncmp(path, routes[i].prefix, n) != 0)
			continue;
		path_known = true;
		if (routes[i].method != m)
			continue;
		routes[i].fn(a, req, routes[i].exact ? "" : path + n);
		return;
	}
	if (path_known)
		api_reply_error(req, 405, "MethodNotAllowed",
		    "method not allowed on %s", path);
	else
		api_reply_error(req, 404, "NotFound", "no resource %s", path);
}

/*
 * Is host, a Host header without its port, a name of this machine?  On
 * TCP the answer guards against DNS rebinding: a web page whose name an
 * attacker points at 127.0.0.1 sends its own name in Host.
 */
static bool
api_host_loopback(const char *host)
{
	struct ipaddr a;
	char buf[64];
	size_t n = strlen(host);

	if (n >= sizeof(buf))
		return false;
	if (strcasecmp(host, "localhost") == 0)
		return true;
	memcpy(buf, host, n + 1);
	if (buf[0] == '[' && n > 2 && buf[n - 1] == ']') { /* [::1] */
		buf[n - 1] = '\0';
		return addr_parse_af(buf + 1, ADDR_V6, &a) &&
		    api_addr_is_loopback(&a);
	}
	return addr_parse_af(buf, ADDR_V4, &a) && api_addr_is_loopback(&a);
}

void
api_set_token(struct api *a, const char *token)
{
	snprintf(a->token, sizeof(a->token), "%s", token ? token : "");
}

/* "Bearer TOKEN" equals a's token, compared in constant time. */
static bool
token_ok(const struct api *a, const char *auth)
{
	size_t n = strlen(a->token), i;
	unsigned char diff = 0;

	if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
		return false;
	auth += 7;
	if (strlen(auth) != n)
		return false;
	for (i = 0; i < n; i++)
		diff |= (unsigned char)(auth[i] ^ a->token[i]);
	return diff == 0;
}

/*
 * Requests on the TCP listener.  With a token, each must carry it.
 * Without one the API has no authentication, so only local programs
 * may use it, not web pages a local browser shows: a browser names the
 * page's origin in Origin and its host in Host.  The one page let in is
 * the web view's own (web.c), when it is on; its files need no token.
 */
static void
api_tcp_cb(struct evhttp_request *req, void *arg)
{
	struct api *a = arg;
	struct evkeyvalq *h = evhttp_request_get_input_headers(req);
	const char *origin = evhttp_find_header(h, "Origin");
	const char *host = evhttp_request_get_host(req);
	bool page = api_web_is_page(a, req);

	if (a->token[0] != '\0' && !page &&
	    !token_ok(a, evhttp_find_header(h, "Authorization"))) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "WWW-Authenticate", "Bearer realm=\"vrsd\"");
		api_reply_error(req, 401, "Unauthorized",
		    "this listener wants Authorization: Bearer TOKEN (the "
		    "token of vrsd's http-token-file)");
		return;
	}
	if (origin != NULL && !api_web_origin_ok(a, req, origin)) {
		api_reply_error(req, 403, "Forbidden",
		    "requests from web pages are refused (Origin %s)", origin);
		return;
	}
	if (a->token[0] == '\0' && evhttp_find_header(h, "Host") != NULL &&
	    (host == NULL || !api_host_loopback(host))) {
		api_reply_error(req, 403, "Forbidden",
		    "Host %s is not a loopback address or localhost",
		    evhttp_find_header(h, "Host"));
		return;
	}
	if (page)
		api_web_page(a, req);
	else
		api_cb(req, arg);
}

/*
 * libevent answers some requests itself, before api_cb sees them, with
 * an HTML page: 413 when the body passes API_BODY_MAX (it keeps no
 * more than that), 400 for a malformed request or headers over
 * API_HEADERS_MAX, 501 for a method it does not pass on.  libevent 2.1
 * has no hook for these, so the page is replaced on its way out.
 */
static const struct api_page {
	int status;
	const char *code, *message;
} api_pages[] = {
	{ 400, "InvalidRequest",
	    "malformed HTTP request, or headers over 64 KiB" },
	{ 413, "RequestTooLarge", "request body over 1 MiB" },
	{ 417, "ExpectationFailed", "unsupported Expect header" },
	{ 501, "NotImplemented",
	    "method not supported (GET, PUT, PATCH, DELETE, POST)" },
};

/*
 * Called each time libevent adds to a connection's output.  libevent
 * writes a whole response before the event loop sends a byte of it, and
 * a connection's next response only after the last one left, so out
 * holds one final response, after a "100 Continue" at most.  When that
 * response is complete and its Content-Type is libevent's text/html
 * (the API itself only sends JSON), it becomes the same status line
 * with the API's JSON error body.
 */
static void
api_page_rewrite(struct evbuffer *out)
{
	const char *code = "HttpError", *message = NULL, *reason;
	char head[1024], *p, *end, *cl;
	size_t len = evbuffer_get_length(out), off = 0, hl, i;
	struct evbuffer *nb;
	ev_ssize_t n;
	json_t *j;
	char *s;
	int status;

	n = evbuffer_copyout(
	    out, head, len < sizeof(head) - 1 ? len : sizeof(head) - 1);
	if (n <= 0)
		return;
	head[n] = '\0';
	for (;;) { /* skip interim responses */
		p = head + off;
		if ((end = strstr(p, "\r\n\r\n")) == NULL ||
		    sscanf(p, "HTTP/1.%*d %d", &status) != 1)
			return;
		hl = (size_t)(end - p) + 4;
		if (status >= 200)
			break;
		off += hl;
	}
	end[2] = '\0';
	if (strstr(p, "\r\nContent-Type: text/html\r\n") == NULL ||
	    (cl = strstr(p, "\r\nContent-Length: ")) == NULL ||
	    len != off + hl + strtoul(cl + 18, NULL, 10))
		return;
	*strchr(p, '\r') = '\0'; /* the status line, kept */
	if ((reason = strchr(p, ' ')) != NULL)
		reason = strchr(reason + 1, ' ');
	for (i = 0; i < sizeof(api_pages) / sizeof(api_pages[0]); i++)
		if (api_pages[i].status == status) {
			code = api_pages[i].code;
			message = api_pages[i].message;
		}
	if (message == NULL)
		message = reason != NULL ? reason + 1 : "error";
	j = json_pack(
	    "{s:{s:s,s:s}}", "error", "code", code, "message", message);
	s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (s == NULL)
		return;
	nb = evbuffer_new();
	evbuffer_add(nb, head, off);
	evbuffer_add_printf(nb,
	    "%s\r\nContent-Type: application/json\r\n"
	    "Connection: close\r\nContent-Length: %zu\r\n\r\n%s\n",
	    p, strlen(s) + 1, s);
	free(s);
	/* the nested calls of api_out_cb find no page and return */
	if (evbuffer_drain(out, len) == 0)
		evbuffer_add_buffer(out, nb);
	evbuffer_free(nb);
}

static void
api_out_cb(struct evbuffer *out, const struct evbuffer_cb_info *info, void *arg)
{
	bool frozen;
	char c;

	(void)arg;
	if (info->n_added == 0)
		return;
	/* bufferevent_socket keeps the front of out frozen between writes */
	if ((frozen = evbuffer_copyout(out, &c, 1) < 0))
		evbuffer_unfreeze(out, 1);
	api_page_rewrite(out);
	if (frozen)
		evbuffer_freeze(out, 1);
}

/* evhttp's bufferevent for each connection, as its own, plus api_out_cb. */
static struct bufferevent *
api_bev_cb(struct event_base *base, void *arg)
{
	struct bufferevent *bev;

	(void)arg;
	bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (bev != NULL)
		evbuffer_add_cb(bufferevent_get_output(bev), api_out_cb, NULL);
	return bev;
}

/*
 * One HTTP server over a's handlers.  libevent reads at most
 * API_BODY_MAX of a body and API_HEADERS_MAX of headers; past the
 * body limit it goes on reading and dropping the body (lingering
 * close) so that the client, still sending, reads the 413 rather than
 * a reset connection.
 */
static struct evhttp *
api_http_new(struct api *a, void (*cb)(struct evhttp_request *, void *))
{
	struct evhttp *http = evhttp_new(a->base);

	if (http == NULL)
		return NULL;
	evhttp_set_max_body_size(http, API_BODY_MAX);
	evhttp_set_max_headers_size(http, API_HEADERS_MAX);
	evhttp_set_flags(http, EVHTTP_SERVER_LINGERING_CLOSE);
	evhttp_set_allowed_methods(http,
	    EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	        EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH);
	evhttp_set_bevcb(http, api_bev_cb, NULL);
	evhttp_set_gencb(http, cb, a);
	return http;
}

bool
api_addr_is_loopback(const struct ipaddr *addr)
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	if (addr->af == ADDR_V4)
		return addr->a[0] == 127;
	return addr->af == ADDR_V6 && memcmp(addr->a, v6lo, 16) == 0;
}

/*
 * The control socket's directory: anyone who can write it can replace
 * the socket with their own, so only its owner (us or root) may.
 */
static bool
control_dir_ok(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct stat st;

	api_parent_dir(path, dir, sizeof(dir));
	if (stat(dir, &st) < 0) {
		log_warn("control socket %s: directory %s", path, dir);
		return false;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
	    (st.st_uid != geteuid() && st.st_uid != 0)) {
		log_warnx("control socket %s: directory %s (mode %03o, owner "
		          "uid %u) can be written by others; use one only "
		          "its owner can write",
		    path, dir, (unsigned)(st.st_mode & 0777),
		    (unsigned)st.st_uid);
		return false;
	}
	return true;
}

struct api *
api_new(struct event_base *base, struct bgpd *d, struct topo *topo,
    struct fabric *fab, const char *path, int gid, const char *state)
{
	struct sockaddr_un sun;
	struct api *a;
	mode_t um;
	int fd, rc;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("control socket path too long: %s", path);
		return NULL;
	}
	if (!control_dir_ok(path))
		return NULL;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("control socket");
		return NULL;
	}
	/* a socket file left by a vrsd that is gone */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		log_warnx(
		    "control socket %s: another vrsd answers there", path);
		close(fd);
		return NULL;
	}
	close(fd);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	um = umask(0177); /* 0600 from the start, never wider */
	rc = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(um);
	if (rc < 0 || listen(fd, 64) < 0 ||
	    (gid >= 0 &&
	        (chown(path, (uid_t)-1, (gid_t)gid) < 0 ||
	            chmod(path, 0660) < 0))) {
		log_warn("control socket %s", path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	a = xcalloc(1, sizeof(*a));
	a->base = base;
	a->d = d;
	a->topo = topo;
	a->fab = fab;
	a->ars = ars_new();
	a->fd = fd;
	snprintf(a->state, sizeof(a->state), "%s", state ? state : "");
	snprintf(a->path, sizeof(a->path), "%s", path);
	a->http = api_http_new(a, api_cb);
	if (a->http == NULL || evhttp_accept_socket(a->http, fd) != 0) {
		log_warnx("control socket %s: cannot serve HTTP", path);
		if (a->http != NULL)
			evhttp_free(a->http);
		close(fd);
		ars_free(a->ars);
		free(a);
		return NULL;
	}
	api_sync(a); /* the gateways of a state read at start */
	return a;
}

int
api_listen_tcp(struct api *a, const struct ipaddr *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct evhttp *http;
	socklen_t len;
	int fd, on = 1, err;

	if (!api_addr_is_loopback(addr) && a->token[0] == '\0')
		return -EADDRNOTAVAIL;
	memset(&ss, 0, sizeof(ss));
	if (addr->af == ADDR_V4) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, addr->a, 4);
		len = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, addr->a, 16);
		len = sizeof(*sin6);
	}
	fd =
	    socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    (ss.ss_family == AF_INET6 &&
	        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) <
	            0) ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 64) < 0)
		goto fail;
	if ((http = a->tcp) == NULL &&
	    (http = api_http_new(a, api_tcp_cb)) == NULL) {
		errno = ENOMEM;
		goto fail;
	}
	if (evhttp_accept_socket(http, fd) != 0) {
		if (http != a->tcp)
			evhttp_free(http);
		errno = EINVAL;
		goto fail;
	}
	a->tcp = http;
	return 0;

fail:
	err = errno;
	close(fd);
	return -err;
}

struct ars *
api_ars(struct api *a)
{
	return a->ars;
}

void
api_set_live(struct api *a, struct live *lv)
{
	a->live = lv;
}

void
api_resync(struct api *a)
{
	api_sync(a);
}

void
api_free(struct api *a)
{
	if (a == NULL)
		return;
	if (a->tcp != NULL)
		evhttp_free(a->tcp);
	evhttp_free(a->http);
	unlink(a->path);
	ars_free(a->ars);
	free(a);
}
