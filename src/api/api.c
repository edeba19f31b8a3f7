/* SPDX-License-Identifier: ISC */
/* api/api.c - vrsd's control API: routes requests, answers in JSON. */

#include "api/api.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "api/api_int.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "rib/rib.h"

#define API_BODY_MAX (1u << 20)

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
	json_t *arr = json_array();
	struct session *s = NULL;
	int64_t now = session_now();

	(void)rest;
	while ((s = bgpd_peer_next(a->d, s)) != NULL)
		json_array_append_new(arr, peer_json(a, s, now));
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
	const char *slash = strchr(rest, '/');
	struct session *s;
	size_t n;

	if (slash == NULL || (n = (size_t)(slash - rest)) == 0 ||
	    n >= sizeof(name)) {
		api_reply_error(req, 404, "NotFound", "no such resource");
		return;
	}
	memcpy(name, rest, n);
	name[n] = '\0';
	if ((s = bgpd_peer_find(a->d, name)) == NULL) {
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

struct api *
api_new(struct event_base *base, struct bgpd *d, struct topo *topo,
    struct fabric *fab, const char *path, const char *state)
{
	struct sockaddr_un sun;
	struct api *a;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_warnx("control socket path too long: %s", path);
		return NULL;
	}
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
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, 64) < 0) {
		log_warn("control socket %s", path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	chmod(path, 0660);
	a = xcalloc(1, sizeof(*a));
	a->base = base;
	a->d = d;
	a->topo = topo;
	a->fab = fab;
	a->ars = ars_new();
	a->fd = fd;
	snprintf(a->state, sizeof(a->state), "%s", state ? state : "");
	snprintf(a->path, sizeof(a->path), "%s", path);
	a->http = evhttp_new(base);
	evhttp_set_max_body_size(a->http, API_BODY_MAX);
	evhttp_set_allowed_methods(a->http,
	    EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	        EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH);
	evhttp_set_gencb(a->http, api_cb, a);
	if (evhttp_accept_socket(a->http, fd) != 0) {
		log_warnx("control socket %s: cannot serve HTTP", path);
		evhttp_free(a->http);
		close(fd);
		ars_free(a->ars);
		free(a);
		return NULL;
	}
	api_sync(a); /* the gateways of a state read at start */
	return a;
}

void
api_free(struct api *a)
{
	if (a == NULL)
		return;
	evhttp_free(a->http);
	unlink(a->path);
	ars_free(a->ars);
	free(a);
}
