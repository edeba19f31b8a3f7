/* SPDX-License-Identifier: ISC */
/* routeserver/ars.h - Azure Route Server's route exchange: what it learns, programs and advertises. */

#ifndef VRS_ROUTESERVER_ARS_H
#define VRS_ROUTESERVER_ARS_H

/*
 * DOC: the route server's rules
 *
 * Each route server of the topology has two instances, IN_0 and IN_1
 * (R1.5), and every bgpConnection is a peer of both.  What a peer
 * announces to an instance is the input (struct ars_path, kept per
 * route server, peer and instance); from it and the topology this layer
 * works out, with the spec's rules (spec/azure-route-server.md section 2):
 *
 *   accepted    R2.4: AS_PATH holding 65515 or AS 0, and IPv6, are
 *               refused; the rest is learned, even inside the VNet set
 *   peer state  R1.7, R1.9: a peer outside the hub and its directly
 *               peered VNets never comes up; one that announces more
 *               than the route limit is torn down and learns nothing
 *   programmed  every accepted route goes to the fabric as the source
 *               "RS/IN_0" or "RS/IN_1"; the fabric chooses between paths
 *               (R2.7, R2.8) and leaves out those inside the VNet set
 *   advertised  R2.1 the VNet set's prefixes with AS_PATH 65515; R2.2
 *               the best other peers' routes with 65515 prepended, never
 *               back to their peer, never inside the VNet set (R2.6),
 *               never with NO_ADVERTISE (R2.5); R2.3 with branch-to-
 *               branch, the VPN gateways' static site prefixes
 *
 * The learned and advertised views are printed as az prints
 * list-learned-routes and list-advertised-routes (spec 4.3, 4.4).
 *
 * The announcements come from the peers' live BGP sessions in vrsd's
 * mode: ars (src/gateway/live.c) or through the control API for a peer
 * declared without a session; both feed the same store.  A gateway's
 * routes count only while its link session to that instance is up
 * (ars_link_heard).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"

struct topo;
struct topo_routeserver;
struct fabric;
struct json_t;

#define ARS_INSTANCES     2
#define ARS_ROUTES_STRICT 1000 /* routes one peer may announce (R1.9) */
#define ARS_ROUTES_RELAX  4000 /* the raised limit, in relaxed mode */
#define ARS_AS_MAX        64   /* AS numbers in one announced path */
#define ARS_COMM_MAX      32   /* communities on one announced route */

#define ARS_COMM_NO_ADVERTISE 0xFFFFFF02u /* 65535:65282 (RFC 1997) */

enum ars_origin { ARS_ORIGIN_IGP, ARS_ORIGIN_EGP, ARS_ORIGIN_INCOMPLETE };

/* One route as a peer announces it to one instance. */
struct ars_path {
	struct prefix pfx;
	struct ipaddr nexthop;   /* NEXT_HOP as sent (may be a third party) */
	uint32_t as[ARS_AS_MAX]; /* AS_PATH, leftmost = the peer's AS */
	uint8_t nas;
	uint8_t origin; /* enum ars_origin */
	uint8_t ncomm;
	uint32_t comm[ARS_COMM_MAX]; /* standard communities, high:low */
};

enum ars_verdict {
	ARS_ACCEPT,
	ARS_REJ_OWN_AS, /* 65515 in the AS_PATH (R2.4) */
	ARS_REJ_AS0,    /* AS 0 in the AS_PATH (R2.4) */
	ARS_REJ_FAMILY  /* IPv6: not negotiated (R1.8, R2.4) */
};

enum ars_peer_state {
	ARS_PEER_UP,          /* Connected */
	ARS_PEER_UNREACHABLE, /* peerIp outside the hub and its peers */
	ARS_PEER_OVER_LIMIT   /* torn down: announced over the limit */
};

struct ars;

struct ars *ars_new(void);
void ars_free(struct ars *a);
/* The announcements and links of a, programmed into no fabric yet. */
struct ars *ars_clone(const struct ars *a);

/*
 * Replace what peer of route server rs announces to instance inst
 * (0 or 1) with paths[0..n) (copied; n 0 withdraws everything).
 */
void ars_set(struct ars *a, const char *rs, const char *peer, int inst,
    const struct ars_path *paths, size_t n);
/* What peer announces to inst (borrowed; *n 0 when nothing). */
const struct ars_path *ars_get(
    const struct ars *a, const char *rs, const char *peer, int inst, size_t *n);
/* Forget the announcements of peers and sites no longer in t. */
void ars_prune(struct ars *a, const struct topo *t);
/*
 * What the BGP router of on-premises site (a local network gateway)
 * announces to the VPN gateways it is connected to; the AS path starts
 * with the site's AS.  Kept in the same store (gateway/ reads it).
 */
#define ARS_SITE    (-1)
#define ARS_AS_MSEE 12076 /* Microsoft's edge on an ExpressRoute circuit */
/*
 * An ExpressRoute circuit's customer side announces the same way, under
 * the circuit's name (the peer of an ExpressRoute connection).
 */
bool ars_circuit_used(const struct topo *t, const char *circuit);
void ars_site_set(
    struct ars *a, const char *site, const struct ars_path *paths, size_t n);
const struct ars_path *ars_site_get(
    const struct ars *a, const char *site, size_t *n);

/*
 * The gateways' live BGP sessions with the instances (vrsd's mode: ars).
 * While live runs a session between gateway gw (its BGP address m) and
 * instance inst of rs, what crossed it is what the other side knows: the
 * prefixes inst heard from gw (ARS_LINK_TO_RS) and those gw heard from
 * inst (ARS_LINK_TO_GW); a session down has carried nothing.  Without
 * such a session (the API's way in) both sides know what the model
 * computes, as ars_link_heard then says.
 */
enum { ARS_LINK_TO_RS, ARS_LINK_TO_GW };
void ars_link_set(struct ars *a, const char *rs, const char *gw, int m,
    int inst, int dir, bool up, const struct prefix *p, size_t n);
/* -1: no session runs for it (the API's way in); 0: down; 1: Established. */
int ars_link_state(const struct ars *a, const char *rs, const char *gw, int m,
    int inst, int dir);
void ars_link_del(
    struct ars *a, const char *rs, const char *gw, int m, int inst, int dir);
/* True when no session runs for (rs, gw, inst, dir), or one carried p. */
bool ars_link_heard(const struct ars *a, const char *rs, const char *gw,
    int inst, int dir, const struct prefix *p);

enum ars_verdict ars_check(const struct ars_path *p);
/* The path carries NO_ADVERTISE: programmed, advertised to nobody (R2.5). */
bool ars_no_advertise(const struct ars_path *p);
/* "AS_PATH contains 65515 (R2.4)" and so on; "" for ARS_ACCEPT. */
const char *ars_verdict_text(enum ars_verdict v);
enum ars_peer_state ars_peer_state(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const char *peer);
const char *ars_peer_state_text(enum ars_peer_state s);
/*
 * False, with the reason in why, when peer announces to one instance
 * only or different routes to each (R1.7; reference lab, behaviour 8).
 */
bool ars_peer_consistent(const struct ars *a, const char *rs, const char *peer,
    char *why, size_t len);

/*
 * Programming the fabric after a change of the announcements or of the
 * topology is one round: ars_program_begin(), ars_program() for the
 * route servers' accepted routes (one source per instance), then other
 * sources (the gateways) through ars_program_src(), and
 * ars_program_end(), which withdraws the sources not programmed in the
 * round.  A source whose routes did not change is not re-programmed, so
 * the fabric recomputes only what a change touches.
 */
void ars_program_begin(struct ars *a);
void ars_program(struct ars *a, const struct topo *t, struct fabric *f);
struct fab_route;
void ars_program_src(struct ars *a, struct fabric *f, const char *name,
    const char *resource, const struct fab_route *r, size_t n);
void ars_program_end(struct ars *a, struct fabric *f);

/*
 * The best accepted paths of instance inst of rs for one prefix, in a
 * walk: the callback gets every prefix once with the paths of the
 * shortest AS_PATH (R2.7) and the peer each came from.
 */
struct ars_best {
	const struct ars_path *path; /* borrowed */
	const char *peer;            /* borrowed: bgpConnection name */
	const struct ipaddr *peer_ip;
};
typedef void (*ars_best_fn)(
    const struct prefix *p, const struct ars_best *b, size_t n, void *arg);
void ars_best_walk(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, int inst, ars_best_fn fn, void *arg);

/*
 * What the route servers of t know about prefix p, for an explanation:
 * each peer that announces it and was refused (R2.4), is down (R1.7,
 * R1.9) or announces it to one instance only (R1.7); or that no peer
 * announces it at all.  fn gets each reason with its rule.
 */
typedef void (*ars_reason_fn)(void *arg, const char *rule, const char *text);
void ars_explain(const struct ars *a, const struct topo *t,
    const struct prefix *p, ars_reason_fn fn, void *arg);

/*
 * Every route the gateways of hub learn from their sites, as the route
 * server beside them receives it (R2.3): each static prefix of a local
 * network gateway connected to a VPN gateway, each route a BGP site
 * announces (over a connection with BGP on both ends; a path holding the
 * gateway's own AS is dropped), and each route announced over an
 * ExpressRoute circuit, 12076 in front.  path is the site's AS path as the route server
 * sees it: with the gateway's AS in front when the gateway is not 65515
 * (an eBGP session with ARS, as in the reference lab).  static_route
 * when the route is a static prefix (path empty or the gateway's AS).
 */
struct ars_site_route {
	const struct prefix *pfx;      /* borrowed */
	const struct topo_gateway *gw; /* borrowed */
	const char *site;              /* borrowed: the local network gateway */
	const struct ipaddr *site_ip;  /* its BGP or public address */
	uint32_t as[ARS_AS_MAX + 1];
	uint8_t nas;
	bool static_route;
	const struct ars_path *path; /* borrowed: the announcement, or NULL */
};
typedef void (*ars_site_fn)(const struct ars_site_route *r, void *arg);
struct topo_gateway;
void ars_site_walk(const struct ars *a, const struct topo *t, const char *hub,
    const struct topo_gateway *only, ars_site_fn fn, void *arg);

/* ---- view.c: az's shapes ---- */

/*
 * One entry of az's learned-routes and advertised-routes lists (route
 * server and gateways alike).  Learned: the arguments as given (nexthop
 * and path are consumed JSON).  Advertised: the next hop is local, the
 * origin Igp, the weight 0.
 */
struct json_t *ars_learned_entry(const struct ipaddr *local,
    const struct prefix *p, struct json_t *nexthop, const struct ipaddr *source,
    const char *origin, struct json_t *path, int weight);
struct json_t *ars_advertised_entry(
    const struct ipaddr *local, const struct prefix *p, struct json_t *path);
/* "65001-65010" as az joins an AS_PATH; "" when empty. */
char *ars_aspath_str(
    const uint32_t *as, size_t n, char sep, char *buf, size_t len);
/* {"RouteServiceRole_IN_0": [...], "RouteServiceRole_IN_1": [...]} */
struct json_t *ars_learned_json(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const char *peer);
/*
 * What instance inst of rs advertises to peer, route by route: the one
 * function behind list-advertised-routes and the live sessions' UPDATEs
 * (routeserver/live.c), so the two cannot disagree.  as[] starts with
 * 65515; nexthop is the instance's address; comm[] the communities sent.
 */
#define ARS_COMM_AZURE 0xFFEDFFEDu /* 65517:65517, added by a VPN gateway */
struct ars_adv {
	struct prefix pfx;
	struct ipaddr nexthop;
	uint32_t as[ARS_AS_MAX + 2];
	uint8_t nas;
	uint8_t ncomm;
	uint32_t comm[ARS_COMM_MAX + 1];
};
typedef void (*ars_adv_fn)(const struct ars_adv *r, void *arg);
void ars_adv_walk(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const char *peer, int inst,
    ars_adv_fn fn, void *arg);
/* Routes one peer may announce: 1,000, or 4,000 when relaxed (R1.9). */
size_t ars_route_limit(const struct topo *t);
struct json_t *ars_advertised_json(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const char *peer);
/* What the peer announces, each route with its verdict (vrs's own). */
struct json_t *ars_announced_json(const struct ars *a, const struct topo *t,
    const struct topo_routeserver *rs, const char *peer);
/*
 * Read {"RouteServiceRole_IN_0": [...], ...} or {"routes": [...]} (both
 * instances) into the store for peer; false with a message in why.
 * peer_ip and peer_asn are the defaults for nextHop and asPath.
 */
bool ars_announced_from_json(struct ars *a, const char *rs, const char *peer,
    const struct ipaddr *peer_ip, uint32_t peer_asn, struct json_t *j,
    char *why, size_t len);
/* The same for a site: {"routes": [...]}; rs is the site's name. */
bool ars_site_from_json(struct ars *a, const char *site,
    const struct ipaddr *peer_ip, uint32_t peer_asn, struct json_t *j,
    char *why, size_t len);
/* {"routes": [...], "routesReceived": n} of a site (vrs's own). */
struct json_t *ars_site_json(const struct ars *a, const char *site);

#endif
