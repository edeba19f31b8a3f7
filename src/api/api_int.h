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
	int fd;
};

/* Send j (consumed) with status; a 2xx status reads "OK". */
void api_reply_json(struct evhttp_request *req, int status, json_t *j);
/* Send {"error": {"code", "message"}} with status. */
void api_reply_error(struct evhttp_request *req, int status, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

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
