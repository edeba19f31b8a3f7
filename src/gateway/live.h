/* SPDX-License-Identifier: ISC */
/* gateway/live.h - live BGP for the route servers' instances and the VPN gateways. */

#ifndef VRS_GATEWAY_LIVE_H
#define VRS_GATEWAY_LIVE_H

/*
 * DOC: live BGP (vrsd's mode: ars)
 *
 * Every route server of the topology runs as two BGP speakers of AS
 * 65515, one per instance (IN_0, IN_1), and every VPN gateway with BGP
 * as one speaker of its own AS per BGP address.  Each listens on the
 * socket address of its Azure address (addr_loopback_map: 10.0.2.4 is
 * 127.0.2.4) and accepts only its configured peers:
 *
 *   an instance    the route server's bgpConnections whose peer IP is in
 *                  the hub or a directly peered VNet (R1.7); hold 180,
 *                  keepalive 60, IPv4 unicast, router id the instance IP
 *   a VPN gateway  the local network gateways with BGP it has a
 *                  connection with BGP enabled to (hold 180 as well)
 *
 * What a peer announces (its Adj-RIB-In) replaces its entry in the
 * route servers' store (ars_set, ars_site_set) at every change: the one
 * store the API's announcedRoutes also writes.  While a session is
 * Established the session owns the entry, and a PUT of announcedRoutes
 * for that peer is refused (live_owns); when it goes down its routes
 * are withdrawn, as on Azure.  After the store changed, the fabric is
 * programmed again (the program callback) and every Established peer
 * is sent the difference between what it was last sent and what
 * ars_adv_walk (an instance) or gw_site_walk (a gateway) now gives for
 * it: the same functions behind list-advertised-routes and
 * getAdvertisedRoutes, so the wire and the views cannot disagree.
 *
 * R1.9: an UPDATE that would bring a peer over the route limit (its
 * current routes plus the prefixes of the UPDATE, as Azure counts)
 * tears the session down with Cease 6/1, and the peer learns nothing.
 * T30: a new hub-spoke peering sends ROUTE-REFRESH to every NVA; one
 * without the route refresh capability is reset (Cease 6/4).
 *
 * Two processes can play the two instances, as Azure runs them on two
 * machines (live_conf.instance, vrsd's instance: IN_0 or IN_1): each
 * runs its instance of every route server and programs its own fabric
 * from what that instance learns; the one with IN_0 runs the VPN
 * gateways too.  One killed, the other's sessions and routes go on.
 */

#include <stdbool.h>
#include <stdint.h>

struct bgpd_tap_msg;

#include <event2/event.h>

struct ars;
struct fabric;
struct topo;
struct json_t;
struct live;
struct session;
struct ipaddr;

struct live_conf {
	uint16_t port; /* every listener's port, and the peers' */
	/* called after the store changed: program the fabric, then
	 * live_sync (vrsd: api_sync); NULL: live_sync only */
	void (*program)(void *arg);
	void *arg;
	/* -1: both instances of every route server; 0 or 1: that one only
	 * (vrsd's instance:, one process per instance), and the VPN
	 * gateways only with 0 */
	int instance;
	/* every speaker's UPDATE tap (mrt-updates), NULL: none */
	void (*tap)(void *arg, const struct bgpd_tap_msg *m);
	void *tap_arg;
};

struct live *live_new(struct event_base *base, const struct live_conf *c,
    struct topo *t, struct ars *a);
/*
 * The topology or the store changed: add and remove speakers and
 * sessions to match t, and send every Established peer what changed.
 */
void live_sync(struct live *lv);
/* True while peer (of route server owner, or the site when owner is
 * NULL) has an Established session: the session owns its routes. */
bool live_owns(const struct live *lv, const char *owner, const char *peer);
/* The sessions, as GET /v1/peers lists them. */
struct json_t *live_peers_json(struct live *lv);
/* The session named name (as `vrs peers` lists it), or NULL. */
/*
 * Each live session, with its peer's Azure address (the session's is
 * mapped to loopback) and the routes it has received and been sent.
 */
void live_walk(struct live *lv,
    void (*fn)(void *arg, struct session *s, const struct ipaddr *ip,
        size_t nin, size_t nout),
    void *arg);
/*
 * The live speaker named view ("ars/IN_0", "vpngw", "vpngw-1" for an
 * active-active gateway's second address): its router id and AS, then
 * each of its peers with the routes that peer sent (its Adj-RIB-In).
 * False when there is no such speaker; views, when not NULL, then gets
 * the names there are, comma separated.
 */
struct ars_path;
bool live_view(struct live *lv, const char *view, uint32_t *router_id,
    uint32_t *asn,
    void (*fn)(void *arg, struct session *s, const struct ipaddr *ip,
        uint32_t asn, const struct ars_path *in, size_t nin),
    void *arg, char *views, size_t viewslen);
struct session *live_session(struct live *lv, const char *name);
/* Cease 6/2 to every peer (shutdown); live_drained() once delivered. */
void live_shutdown(struct live *lv, const char *msg);
bool live_drained(struct live *lv);
void live_free(struct live *lv);

#endif
