/* SPDX-License-Identifier: ISC */
/* api/api.h - vrsd's control API: JSON over HTTP on a UNIX socket or TCP. */

#ifndef VRS_API_API_H
#define VRS_API_API_H

#include <event2/event.h>

#include "session/session.h"

struct topo;
struct fabric;

/*
 * DOC: the control API
 *
 * Requests are routed by method and path through one table (api.c), so
 * later layers add resources by adding rows.  Every answer is JSON; an
 * error is an HTTP status with {"error": {"code": ..., "message": ...}},
 * also when libevent refuses a request itself (api_page_rewrite): 413
 * RequestTooLarge for a body over 1 MiB (never read further into
 * memory), 400 for headers over 64 KiB.  The UNIX socket is always served;
 * api_listen_tcp() adds a TCP listener on loopback with the same
 * handlers, which refuses requests from web pages (an Origin header,
 * or a Host that is not loopback: DNS rebinding) with 403 Forbidden,
 * all but the web view's own page when it is on (api/web.c).
 *
 *   GET  /v1/peers                    sessions and their counters
 *   GET  /v1/routes?prefix=&peer=&advertised=1
 *   GET  /v1/memory                   RIB objects and bytes, process RSS
 *   POST /v1/peers/{name}/refresh     send ROUTE-REFRESH to the peer
 *   POST /v1/peers/{name}/reset       Cease 6/4 and start again
 *   GET  /v1/topology                 the whole topology document
 *
 * The topology is served as Azure Resource Manager serves it, under
 * ARM ids (any subscription id; the resource group is the topology's,
 * adopted from the first PUT while the topology is empty):
 *
 *   R = /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network
 *   GET                R/{type}                          {"value": [...]}
 *   GET|PUT|PATCH|DELETE R/{type}/{name}
 *   GET                R/{type}/{name}/{child}           {"value": [...]}
 *   GET|PUT|PATCH|DELETE R/{type}/{name}/{child}/{cname}
 *   POST R/networkInterfaces/{nic}/effectiveRouteTable  az's {"value": [...]}
 *   GET  R/networkInterfaces/{nic}/explain?prefix=P|address=A
 *   POST R/networkWatchers/{any}/nextHop  {"targetNicResourceId",
 *                                          "destinationIPAddress"}
 *   POST R/virtualHubs/{rs}/bgpConnections/{peer}/learnedRoutes
 *   POST R/virtualHubs/{rs}/bgpConnections/{peer}/advertisedRoutes
 *        az's {"RouteServiceRole_IN_0": [...], "RouteServiceRole_IN_1": ...}
 *   GET|PUT R/virtualHubs/{rs}/bgpConnections/{peer}/announcedRoutes
 *        vrs's own: what the peer announces to each instance (PUT
 *        replaces it; routeserver/ars.h), with each route's verdict
 *   GET|PUT R/localNetworkGateways/{site}/announcedRoutes
 *   GET|PUT R/expressRouteCircuits/{circuit}/announcedRoutes
 *        vrs's own: {"routes": [...]}, what a BGP site or the customer
 *        side of an ExpressRoute circuit announces
 *   POST R/virtualNetworkGateways/{gw}/getLearnedRoutes   {"value": [...]}
 *   POST R/virtualNetworkGateways/{gw}/getAdvertisedRoutes?peer=IP
 *   POST R/virtualNetworkGateways/{gw}/getBgpPeerStatus   {"value": [...]}
 *
 * {type} is virtualNetworks, networkInterfaces, routeTables, virtualHubs
 * (route servers), virtualNetworkGateways, localNetworkGateways or
 * connections; {child} is subnets or virtualNetworkPeerings of a VNet,
 * routes of a route table, bgpConnections of a virtual hub.  Bodies use
 * az's flattened property names (topology/json.c); a PUT merges the
 * body's top-level members into the existing resource, so a partial
 * body updates.  DELETE of a missing resource succeeds, as in ARM.
 * A refused change answers the topology's error code with 400 (bad
 * input), 404 (the addressed resource or its parent is missing) or 409
 * (a rule of Azure's is broken), and leaves the state as it was.  With
 * a state file, every accepted change is saved (api/state.c) before it
 * is acknowledged, then the route servers and gateways program the
 * fabric again (api_sync); a warning the change brings comes back in a
 * Vrs-Warning header, as does GET of a route server whose peers
 * announce differently to its two instances.  Bodies nested deeper than
 * 64 are refused.
 */

struct api;

/*
 * Listen on the UNIX socket at path (replacing a stale one); NULL + log.
 * The socket is 0600, or 0660 with group gid (-1: none); its directory
 * must be one only its owner (us or root) can write.  topo and fab are
 * borrowed and must outlive the API; state is the file that holds the
 * topology document (NULL or "": not persisted).
 */
struct api *api_new(struct event_base *base, struct bgpd *d, struct topo *topo,
    struct fabric *fab, const char *path, int gid, const char *state);
void api_free(struct api *a);
/* The route servers' store (the API's announcedRoutes writes it). */
struct ars *api_ars(struct api *a);
/*
 * Live BGP (borrowed, NULL to stop): its sessions are listed by GET
 * /v1/peers, it owns the announcements of its Established peers, and
 * it hears of every change (live_sync after each api_sync).
 */
struct live;
void api_set_live(struct api *a, struct live *lv);
/* Program the fabric again from the store (then live_sync). */
void api_resync(struct api *a);
/*
 * Serve the API on TCP at addr:port too.  Only loopback addresses
 * (127.0.0.0/8, ::1; see api_addr_is_loopback) are accepted: the API
 * has no authentication.  0, or -errno (-EADDRNOTAVAIL when addr is not
 * loopback); a is unchanged on failure.
 */
int api_listen_tcp(struct api *a, const struct ipaddr *addr, uint16_t port);
/*
 * Every request on the TCP listener must then carry "Authorization:
 * Bearer TOKEN" (401 otherwise), and api_listen_tcp takes any address.
 * Call before api_listen_tcp.
 */
void api_set_token(struct api *a, const char *token);
/*
 * Serve the web view (api/web.c) on the TCP listener: one page at / that
 * draws the topology and reads the API as any client does.  Off at
 * first; it can change at any time.
 */
void api_set_web(struct api *a, bool on);
/*
 * The RIB named view ("rib", or in mode: ars "ars/IN_0", "vpngw", ...)
 * as an MRT TABLE_DUMP_V2 dump (RFC 6396) appended to out; false with
 * the reason in why when there is no such view.
 */
struct evbuffer;
bool api_mrt_dump(struct api *a, const char *view, struct evbuffer *out,
    char *why, size_t whylen);
/* True for 127.0.0.0/8 and ::1. */
bool api_addr_is_loopback(const struct ipaddr *addr);

/* ---- state.c ---- */

/*
 * Save t at path atomically (path.tmp, fsync, rename, fsync of the
 * directory).  0 or -errno; on failure path is untouched.
 */
int api_state_save(const char *path, const struct topo *t);
/*
 * Load the topology document at path into a new topo (*out, owned by the
 * caller); a missing file gives an empty topology.  False with a message
 * in err when the file cannot be read, parsed or validated.
 */
bool api_state_load(const char *path, struct topo **out, char *err, size_t len);
/*
 * Append one accepted change (the request: method, the path after
 * /subscriptions/, the body or NULL) as generation gen to path.journal
 * and flush it; 0 or -errno, and then the journal is as it was.
 */
struct json_t;
int api_state_append(const char *path, uint64_t gen, const char *method,
    const char *rpath, struct json_t *body);
/* True when the journal is due to be folded into a snapshot. */
bool api_state_journal_full(const char *path);
/* A compaction (api_state_save) ended with rc. */
void api_state_compacted(const char *path, int rc);
/* True when path.journal holds changes the snapshot does not. */
bool api_state_journaled(const char *path);

#endif
