/* SPDX-License-Identifier: ISC */
/* fabric/fabric.h - effective routes per NIC, next hop, and why a route is there or not. */

#ifndef VRS_FABRIC_FABRIC_H
#define VRS_FABRIC_FABRIC_H

/*
 * DOC: the fabric
 *
 * The fabric turns the topology and the routes that route servers and
 * gateways program into the effective routes of every NIC, as Azure does
 * (spec/azure-route-server.md section 3 and the algorithm of section 6;
 * reference-lab.md wins where they differ).
 *
 * Programmed routes are an input: each source (one ARS instance, one
 * gateway) hands its whole current set to fab_program(), which replaces
 * the source's previous set, or changes some prefixes of it with
 * fab_program_route() and fab_withdraw_route().  A source names the
 * topology resource it belongs to (route server or virtual network
 * gateway); that resource's VNet decides where the routes apply.
 *
 * Effective routes are computed per subnet and shared by the NICs of the
 * subnet.  The gateway and ARS rows are the same for every subnet that
 * sees the same hubs (its own VNet's gateways, the hub whose gateways it
 * uses), so they are computed once per such set of hubs, in a shared
 * block; a subnet keeps its own rows (system and user routes) and the
 * few block prefixes its own routes make Invalid or hide (R3.6).  A
 * change to a source is compared with the source's previous routes
 * prefix by prefix, and only the prefixes that differ are recomputed in
 * the blocks that see the source.  Each subnet's table is cached with a
 * 64-bit signature of its topology inputs (its VNet, peerings, route
 * table, hubs) and the generation of its block; a query recomputes a
 * table only when one of them changed, so a change touches only the
 * subnets that can see it.
 *
 * A query lays the table's rows out in one array that the fabric owns
 * (the NICs of one subnet get the same array while nothing changes); the
 * shared rows stay in place when the next table shows them the same way,
 * so a query rewrites at most the whole table and usually only the
 * subnet's own rows.  A next-hop lookup lays nothing out.  Rows returned
 * by a query are borrowed: valid until the next call on the fabric.
 *
 * The fabric borrows the topology: the caller keeps it alive, and may
 * change it (topo_*_put/_del) between calls.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "topology/topology.h"

enum fab_origin {
	FAB_ORIGIN_ARS, /* an Azure Route Server instance (NVA routes) */
	FAB_ORIGIN_VPN, /* a VPN gateway */
	FAB_ORIGIN_ER   /* an ExpressRoute gateway */
};

/* One programmed route: what a source wants in the VNets it serves. */
struct fab_route {
	struct prefix pfx;
	const struct ipaddr *nexthop; /* borrowed: nnh next hops (ECMP) */
	size_t nnh;
	enum fab_origin origin;
	int aspath_len;     /* AS_PATH length as ARS compares it, -1 unknown */
	const char *aspath; /* borrowed, optional: "65010 65010" */
	const char *learned_from; /* borrowed, optional: peer name or IP */
};

/* Effective-route source, as az prints it. */
enum fab_src { FAB_SRC_DEFAULT, FAB_SRC_GATEWAY, FAB_SRC_USER };
enum fab_state { FAB_ACTIVE, FAB_INVALID };

enum fab_hop {
	FAB_HOP_VNET_LOCAL,       /* VnetLocal */
	FAB_HOP_PEERING,          /* VNetPeering */
	FAB_HOP_GLOBAL_PEERING,   /* VNetGlobalPeering */
	FAB_HOP_SERVICE_ENDPOINT, /* VirtualNetworkServiceEndpoint */
	FAB_HOP_INTERNET,         /* Internet */
	FAB_HOP_NONE,             /* None */
	FAB_HOP_GATEWAY,          /* VirtualNetworkGateway */
	FAB_HOP_APPLIANCE         /* VirtualAppliance */
};

/* One row of `az network nic show-effective-route-table`. */
struct fab_row {
	enum fab_src source;
	enum fab_state state;
	const struct prefix *prefixes; /* borrowed: usually one */
	size_t nprefixes;
	struct ipaddr nexthop; /* af 0: none (one row per next hop) */
	enum fab_hop hop;
	const char *name; /* borrowed: the UDR's name, NULL otherwise */
	bool disable_bgp; /* the subnet's route table flag */
	/* Not printed by az; for explanations. */
	const char *programmed_by; /* borrowed: source of a BGP row */
};

struct fab_table {
	const struct fab_row *rows; /* borrowed */
	size_t nrows;
};

struct fab_next_hop {
	enum fab_hop hop;
	struct ipaddr ip;         /* af 0: null */
	char route_table_id[320]; /* "System Route" or the table's id */
};

/* What vrs does where Azure's behaviour is not settled (spec section 8). */
struct fab_opts {
	bool list_shadowed_bgp; /* R3.6.3: list BGP routes inside VNet
				   prefixes as Invalid (default: absent) */
	bool keep_default_rows; /* R3.7: keep Default 0/0 Internet and the
				   reserved None rows beside a BGP 0/0 */
};

struct fab_stats {
	uint64_t recomputes; /* subnet tables computed */
	uint64_t cache_hits; /* queries answered from the cache */
	size_t subnets;      /* tables cached */
	size_t sources;
	size_t routes;     /* programmed routes held */
	size_t blocks;     /* shared gateway and ARS blocks */
	size_t block_rows; /* rows held in them, once for all subnets */
};

struct fab_reason {
	const char *rule; /* static: spec rule id, e.g. "R3.2" */
	char *text;       /* owned */
};

struct fab_explanation {
	bool present; /* an Active row for the prefix exists on the NIC */
	struct fab_reason *v; /* owned, in order */
	size_t n;
};

struct fabric;

/* ---- fabric.c ---- */

/* A fabric over topo (borrowed; must outlive the fabric). */
struct fabric *fab_new(const struct topo *topo);
void fab_free(struct fabric *f);
void fab_opts_set(struct fabric *f, const struct fab_opts *o);
/*
 * Replace the routes source programs with routes[0..n) (copied; n 0
 * withdraws them all).  resource names the route server or gateway the
 * source belongs to; routes of a resource absent from the topology apply
 * nowhere.
 */
void fab_program(struct fabric *f, const char *source, const char *resource,
    const struct fab_route *routes, size_t n);
/*
 * Replace the routes source programs for each prefix that routes[0..n)
 * hold by those routes (copied); the source's other prefixes stay.  The
 * same as fab_program() with the whole set so edited, but it costs the
 * prefixes given, not the whole set.  resource as for fab_program().
 */
void fab_program_route(struct fabric *f, const char *source,
    const char *resource, const struct fab_route *routes, size_t n);
/* Withdraw every route source programs for exactly p (none: no change). */
void fab_withdraw_route(
    struct fabric *f, const char *source, const struct prefix *p);
/*
 * The effective routes of nic, in az's order: VnetLocal, peerings,
 * gateway/ARS routes, Default Internet and None, service endpoints,
 * User.  False if nic is not in the topology.
 */
bool fab_nic_effective_routes(
    struct fabric *f, const char *nic, struct fab_table *out);
/* Longest prefix match over the Active rows (Network Watcher). */
bool fab_next_hop(struct fabric *f, const char *nic, const struct ipaddr *dst,
    struct fab_next_hop *out);
/* Recompute every stale subnet table now (otherwise done on demand). */
void fab_sync(struct fabric *f);
void fab_stats(const struct fabric *f, struct fab_stats *st);
/* Each source with its resource and how many routes it programs. */
void fab_source_walk(const struct fabric *f,
    void (*fn)(
        void *arg, const char *source, const char *resource, size_t nroutes),
    void *arg);

const char *fab_src_name(enum fab_src s);
const char *fab_state_name(enum fab_state s);
const char *fab_hop_name(enum fab_hop h);

/* ---- vset.c ---- */

/*
 * The VNet set of hub (spec R2.1): hub itself and every VNet whose
 * peering uses hub's gateways or route server (useRemoteGateways, with
 * gateway transit on hub's side).
 */
bool fab_vnet_set_has(const struct topo *t, const char *hub, const char *vnet);
/*
 * The address prefixes of hub's VNet set, VNet by VNet in topology order:
 * what the route server and the gateways advertise for it (R2.1).  A new
 * array of borrowed pointers (free it), *n entries.
 */
const struct prefix **fab_vnet_set_prefixes(
    const struct topo *t, const char *hub, size_t *n);
/*
 * True when p is equal to or inside an address prefix of hub's VNet set
 * (R2.6): such NVA routes are neither programmed nor re-advertised.
 */
bool fab_vnet_set_covers(
    const struct topo *t, const char *hub, const struct prefix *p);

/* ---- json.c ---- */

struct json_t;

/* {"value": [rows]} as az prints it (a new reference). */
struct json_t *fab_table_to_json(const struct fab_table *t);
/*
 * The same document as text, as json_dumps(JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) writes it, and a newline (malloc'd, *len bytes).
 */
char *fab_table_to_text(const struct fab_table *t, size_t *len);
/* {"nextHopIpAddress", "nextHopType", "routeTableId"}. */
struct json_t *fab_next_hop_to_json(const struct fab_next_hop *nh);

/* ---- explain.c ---- */

/*
 * Why the route for p (or, when p is NULL, the route that carries
 * traffic to dst) is or is not on nic: reasons in order, each with its
 * rule.  False if nic is not in the topology.  The caller releases out
 * with fab_explanation_fini().
 */
bool fab_explain(struct fabric *f, const char *nic, const struct prefix *p,
    const struct ipaddr *dst, struct fab_explanation *out);
void fab_explanation_fini(struct fab_explanation *e);

#endif
