/* SPDX-License-Identifier: ISC */
/* gateway/gw.h - VPN and ExpressRoute gateways: what they program, learn and advertise. */

#ifndef VRS_GATEWAY_GW_H
#define VRS_GATEWAY_GW_H

/*
 * DOC: the gateways
 *
 * A virtual network gateway serves its VNet set as the route server
 * does (spec R3.1, R3.5).  What this layer models:
 *
 *   programmed  a VPN gateway programs the address space of every local
 *               network gateway it has an IPsec connection to, next hop
 *               its instance IPs (R3.3: two rows when active-active)
 *   learned     az's getLearnedRoutes: its VNet set as origin Network,
 *               the sites' static prefixes, and with branch-to-branch
 *               on, each NVA route once per route-server instance as
 *               IBgp with the NVA's path unchanged (R2.11)
 *   advertised  getAdvertisedRoutes?peer=IP: the VNet set with the
 *               gateway's AS, and with branch-to-branch the NVA routes
 *               with the gateway's AS prepended, never 0.0.0.0/0 and
 *               never inside the VNet set (R2.11)
 *   peers       getBgpPeerStatus: the BGP sites and, beside a route
 *               server, both of its instances as iBGP neighbours (R1.10)
 *
 * In vrsd's mode: ars the sites' routes come from their live BGP
 * sessions with the gateway (src/gateway/live.c); otherwise from the
 * API, and a BGP site's session is reported as Unknown.
 */

#include <stdbool.h>
#include <stddef.h>

#include "lib/prefix.h"

struct ars;
struct fabric;
struct json_t;
struct topo;
struct topo_gateway;

/* One round's gateway sources, between ars_program_begin and _end. */
void gw_program(struct ars *a, const struct topo *t, struct fabric *f);

/* {"value": [...]} as az prints list-learned-routes. */
struct json_t *gw_learned_json(
    const struct ars *a, const struct topo *t, const struct topo_gateway *g);
/* {"value": [...]}; NULL with a message in why if peer is no BGP peer of g. */
struct json_t *gw_advertised_json(const struct ars *a, const struct topo *t,
    const struct topo_gateway *g, const struct ipaddr *peer, char *why,
    size_t len);
/*
 * What g sends a BGP site from its address local, route by route: its
 * VNet set with g's AS, and with branch-to-branch the NVAs' routes with
 * g's AS (and 65515 when g is not 65515) in front, communities kept,
 * never 0.0.0.0/0 nor inside the VNet set (R2.11).  The one function
 * behind getAdvertisedRoutes for a site and the site's live session.
 */
struct ars_adv;
void gw_site_walk(const struct ars *a, const struct topo *t,
    const struct topo_gateway *g, const struct ipaddr *local,
    void (*fn)(const struct ars_adv *r, void *arg), void *arg);
/*
 * The two directions of g's session with instance inst of rs, route by
 * route, for live BGP: what the instance sends g (with branch-to-branch,
 * the NVAs' best routes, 65515 in front when g is not 65515, the NVA's
 * next hop and communities kept), and what g sends an instance from its
 * address local (its VNet set, its sites' routes as the route server
 * receives them, a VPN gateway's with 65517:65517 added).
 */
struct topo_routeserver;
void gw_ars_walk(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, int inst, const struct topo_gateway *g,
    void (*fn)(const struct ars_adv *r, void *arg), void *arg);
void gw_to_ars_walk(const struct ars *a, const struct topo *t,
    const struct topo_gateway *g, const struct ipaddr *local,
    void (*fn)(const struct ars_adv *r, void *arg), void *arg);
/* {"value": [...]} as az prints list-bgp-peer-status. */
struct json_t *gw_peer_status_json(
    const struct ars *a, const struct topo *t, const struct topo_gateway *g);

#endif
