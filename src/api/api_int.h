/* SPDX-License-Identifier: ISC */
/* api/api_int.h - helpers shared by the files of api/. */

#ifndef VRS_API_API_INT_H
#define VRS_API_API_INT_H

#include <event2/http.h>
#include <jansson.h>

#include "api/api.h"
#include "fabric/fabric.h"
#include "gateway/live.h"
#include "routeserver/ars.h"
#include "topology/topology.h"

struct api {
	struct event_base *base; /* borrowed */
	struct bgpd *d;          /* borrowed */
	struct topo *topo;       /* borrowed: vrsd's desired state */
	struct fabric *fab;      /* borrowed: reads topo */
	struct ars *ars;         /* owned: what route-server peers announce */
	struct live *live;       /* borrowed: live BGP (mode: ars), or NULL */
	struct evhttp *http;     /* owned: the UNIX socket */
	struct evhttp *tcp;      /* owned: loopback TCP; NULL if none */
	char path[108];
	char state[256]; /* topology document; "" when not persisted */
	char token[256]; /* the TCP listener's bearer token; "" none */
	bool web;        /* the TCP listener serves the web view (web.c) */
	int fd;
};

/* Send j (consumed) with status; a 2xx status reads "OK". */
void api_reply_json(struct evhttp_request *req, int status, json_t *j);
/* Send {"error": {"code", "message"}} with status. */
void api_reply_error(struct evhttp_request *req, int status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * web.c: is req, on the TCP listener, for a file of the web view (GET
 * /, /web/, /web/index.html, /web/app.js, /web/style.css) while it is
 * on?  Those need no token: they hold no data.
 */
bool api_web_is_page(const struct api *a, struct evhttp_request *req);
/* web.c: send the file req asks for, with its headers (CSP, caching). */
void api_web_page(struct api *a, struct evhttp_request *req);
/*
 * web.c: may a request with this Origin go on?  Only while the web view
 * is on, and only from the page itself: the origin http://HOST, HOST
 * the request's Host header.
 */
bool api_web_origin_ok(
    const struct api *a, struct evhttp_request *req, const char *origin);
/* state.c: the directory path is in ("." when none; "/" for "/x"). */
void api_parent_dir(const char *path, char *dir, size_t len);
/* mrt.c: GET /v1/rib/mrt?view=NAME, an MRT TABLE_DUMP_V2 dump. */
void api_mrt(struct api *a, struct evhttp_request *req, const char *rest);
/* metrics.c: GET /metrics, Prometheus text. */
void api_metrics(struct api *a, struct evhttp_request *req, const char *rest);
/* arm.c: ARM-shaped resources under /subscriptions/. */
void api_arm(struct api *a, struct evhttp_request *req, const char *rest);
/*
 * arm.c: program the fabric from the route servers' announcements and
 * the gateways, after the topology or the announcements changed.
 */
void api_sync(struct api *a);
/*
 * arm.c: the state a PUT (body) or DELETE (body NULL) of the ARM
 * resource at path (the part after /subscriptions/) would make: a new
 * topo the caller owns and may free, a->topo untouched; NULL with
 * *status (400/404/409) and err set when the change is refused.
 * *created says a PUT made a new resource.  method is "PUT", "PATCH"
 * (as PUT) or "DELETE"; a DELETE of what is absent answers a copy.
 */
struct topo *api_change(struct api *a, const char *method, const char *path,
    json_t *body, int *status, bool *created, struct topo_err *err);
/*
 * whatif.c: POST /v1/whatif, changes tried on copies of the topology and
 * the announcements: per NIC, the effective-route rows they would add,
 * remove and change, and the flows whose next hop would change.
 */
void api_whatif(struct api *a, struct evhttp_request *req, const char *rest);
/*
 * arm.c, for state.c: make the change of method at path (as
 * api_change reads them) on t in place; false with err, t untouched.
 */
bool api_replay(struct topo *t, const char *method, const char *path,
    json_t *body, struct topo_err *err);
/* arm.c: GET /v1/topology, the whole document. */
void api_topology(struct api *a, struct evhttp_request *req, const char *rest);
/*
 * lg.c: birdwatcher's API for Alice-LG under /birdwatcher/: /status,
 * /protocols/bgp, /routes/protocol/ID, /routes/filtered/ID and
 * /routes/noexport/ID (both empty), /routes/peer/ADDRESS,
 * /routes/table/master[/filtered].
 */
void api_lg_status(struct api *a, struct evhttp_request *req, const char *rest);
void api_lg_protocols(
    struct api *a, struct evhttp_request *req, const char *rest);
void api_lg_routes_protocol(
    struct api *a, struct evhttp_request *req, const char *rest);
void api_lg_routes_none(
    struct api *a, struct evhttp_request *req, const char *rest);
void api_lg_routes_peer(
    struct api *a, struct evhttp_request *req, const char *rest);
void api_lg_routes_table(
    struct api *a, struct evhttp_request *req, const char *rest);

#endif
