/* SPDX-License-Identifier: ISC */
/* topology/topology.h - the desired state: VNets, subnets, NICs, peerings, route tables, gateways. */

#ifndef VRS_TOPOLOGY_TOPOLOGY_H
#define VRS_TOPOLOGY_TOPOLOGY_H

/*
 * DOC: the topology
 *
 * One struct topo holds the whole desired state of one resource group,
 * as the user configured it: the resources of Azure's resource model
 * (spec section 5) that matter for routing.  Resources are named; a child
 * resource (subnet, peering, route, bgpConnection) is named within its
 * parent.  Every string and array below is owned by the topo.
 *
 * Invariant: a topo reachable from outside this layer is always valid
 * (topo_validate() accepted it).  Every change goes through one of the
 * _put/_del functions, which apply the change to a copy, validate the
 * copy as a whole and only then replace the state: a rejected change
 * leaves the state untouched and says why in a struct topo_err.
 *
 * The fabric reads the arrays directly; it must not keep pointers into
 * them across a change (each change replaces them).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"

#define TOPO_NAME_MAX  80 /* Azure: 1-80 characters for names */
#define TOPO_ERR_LEN   320
#define TOPO_RS_ASN    65515 /* virtualRouterAsn, fixed (R1.6) */
#define TOPO_RS_PEERS  8     /* bgpConnections in strict mode (R1.9) */
#define TOPO_DEF_RG    "lab"
#define TOPO_DEF_LOC   "eastus"
#define RS_SUBNET_NAME "RouteServerSubnet"
#define GW_SUBNET_NAME "GatewaySubnet"

/* A refused change: an ARM-like error code and a message for the user. */
struct topo_err {
	char code[48];
	char msg[TOPO_ERR_LEN];
};

struct topo_vnet {
	char *name;              /* owned */
	char *location;          /* owned: region, decides global peering */
	struct prefix *prefixes; /* owned: addressSpace.addressPrefixes */
	size_t nprefixes;
};

struct topo_service_endpoint {
	char *service;           /* owned: e.g. "Microsoft.Storage" */
	struct prefix *prefixes; /* owned: the service's prefixes to emulate */
	size_t nprefixes;
};

struct topo_subnet {
	char *vnet; /* owned: parent VNet name */
	char *name; /* owned */
	struct prefix prefix;
	char *route_table; /* owned: associated route table, NULL if none */
	struct topo_service_endpoint *endpoints; /* owned */
	size_t nendpoints;
};

struct topo_nic {
	char *name;   /* owned */
	char *vnet;   /* owned */
	char *subnet; /* owned */
	char *vm;     /* owned: virtual machine name, NULL if none */
	struct ipaddr ip;
	bool ip_forwarding; /* enableIPForwarding */
};

/* One half of a VNet peering: a child of vnet, pointing at remote. */
struct topo_peering {
	char *vnet;   /* owned: local VNet */
	char *name;   /* owned */
	char *remote; /* owned: remote VNet */
	bool allow_vnet_access;
	bool allow_forwarded_traffic;
	bool allow_gateway_transit;
	bool use_remote_gateways;
};

enum topo_peering_state {
	TOPO_PEERING_INITIATED,   /* the remote half does not exist */
	TOPO_PEERING_CONNECTED,   /* both halves exist */
	TOPO_PEERING_DISCONNECTED /* the remote VNet is gone */
};

enum topo_hop {
	TOPO_HOP_VNET_GATEWAY, /* VirtualNetworkGateway */
	TOPO_HOP_VNET_LOCAL,   /* VnetLocal */
	TOPO_HOP_INTERNET,     /* Internet */
	TOPO_HOP_APPLIANCE,    /* VirtualAppliance */
	TOPO_HOP_NONE          /* None */
};

struct topo_route {
	char *name; /* owned */
	struct prefix prefix;
	enum topo_hop hop;
	struct ipaddr hop_ip; /* VirtualAppliance only; af 0 otherwise */
};

struct topo_route_table {
	char *name;                /* owned */
	bool disable_bgp;          /* disableBgpRoutePropagation */
	struct topo_route *routes; /* owned */
	size_t nroutes;
};

enum topo_pref {
	TOPO_PREF_EXPRESSROUTE, /* the default */
	TOPO_PREF_VPNGATEWAY,
	TOPO_PREF_ASPATH
};

struct topo_bgpconn {
	char *name; /* owned */
	struct ipaddr peer_ip;
	uint32_t peer_asn;
};

struct topo_routeserver {
	char *name;           /* owned */
	char *vnet;           /* owned: lives in vnet's RouteServerSubnet */
	struct ipaddr ips[2]; /* derived: .4 (IN_0) and .5 (IN_1) */
	bool b2b;             /* allowBranchToBranchTraffic */
	enum topo_pref pref;  /* hubRoutingPreference */
	struct topo_bgpconn *conns; /* owned: bgpConnections */
	size_t nconns;
};

enum topo_gw_type { TOPO_GW_VPN, TOPO_GW_ER };

struct topo_gateway {
	char *name; /* owned */
	char *vnet; /* owned: lives in vnet's GatewaySubnet */
	enum topo_gw_type type;
	uint32_t asn;             /* bgpSettings.asn; 65515 for ExpressRoute */
	struct ipaddr bgp_ips[2]; /* bgpPeeringAddress(es) */
	int nbgp_ips;             /* 0: derived (.4, and .5 if active) */
	bool active_active;
	bool enable_bgp;
};

struct topo_local_gateway {
	char *name;               /* owned */
	struct ipaddr gateway_ip; /* gatewayIpAddress (public side) */
	struct prefix *prefixes;  /* owned: localNetworkAddressSpace */
	size_t nprefixes;
	uint32_t asn;         /* bgpSettings.asn, 0 without BGP */
	struct ipaddr bgp_ip; /* bgpSettings.bgpPeeringAddress */
};

enum topo_conn_type { TOPO_CONN_IPSEC, TOPO_CONN_VNET2VNET, TOPO_CONN_ER };

struct topo_connection {
	char *name; /* owned */
	enum topo_conn_type type;
	char *gateway; /* owned: virtualNetworkGateway1 */
	char *peer;    /* owned: localNetworkGateway2, virtualNetworkGateway2
			  or the ExpressRoute circuit name */
	bool enable_bgp;
	uint32_t routing_weight;
};

/* Where vrs departs from Azure's strict rules (vrs-specific). */
struct topo_opts {
	bool relaxed;          /* bgpConnections unlimited (route-server use);
				  VPN gateway beside ARS not active-active:
				  a warning instead of an error */
	uint8_t rs_subnet_max; /* longest RouteServerSubnet accepted: 27
				  (the default; /27 warns) or 26 (R1.3) */
};

struct topo {
	char *resource_group; /* owned */
	char *location;       /* owned: default region of new resources */
	struct topo_opts opts;
	struct topo_vnet *vnets; /* owned, like every array below */
	size_t nvnets;
	struct topo_subnet *subnets;
	size_t nsubnets;
	struct topo_nic *nics;
	size_t nnics;
	struct topo_peering *peerings;
	size_t npeerings;
	struct topo_route_table *rtables;
	size_t nrtables;
	struct topo_routeserver *rservers;
	size_t nrservers;
	struct topo_gateway *gateways;
	size_t ngateways;
	struct topo_local_gateway *lgateways;
	size_t nlgateways;
	struct topo_connection *conns;
	size_t nconns;
	char **warnings; /* owned: from the latest validation */
	size_t nwarnings;
	uint64_t gen; /* bumped by every accepted change */
};

/* ---- topo.c: the object, lookups and changes ---- */

struct topo *topo_new(void);
void topo_free(struct topo *t);
/* A deep copy; the caller owns it. */
struct topo *topo_copy(const struct topo *t);
/* Set the options; false (state untouched) if the state breaks them. */
bool topo_opts_set(
    struct topo *t, const struct topo_opts *o, struct topo_err *err);

/* Lookups return borrowed pointers, valid until the next change. */
const struct topo_vnet *topo_vnet_lookup(
    const struct topo *t, const char *name);
const struct topo_subnet *topo_subnet_lookup(
    const struct topo *t, const char *vnet, const char *name);
const struct topo_nic *topo_nic_lookup(const struct topo *t, const char *name);
const struct topo_peering *topo_peering_lookup(
    const struct topo *t, const char *vnet, const char *name);
/* The half of the peering from remote back to vnet, NULL if none. */
const struct topo_peering *topo_peering_reverse(
    const struct topo *t, const struct topo_peering *p);
enum topo_peering_state topo_peering_state(
    const struct topo *t, const struct topo_peering *p);
const struct topo_route_table *topo_route_table_lookup(
    const struct topo *t, const char *name);
const struct topo_routeserver *topo_routeserver_lookup(
    const struct topo *t, const char *name);
/* The route server in vnet, NULL if none. */
const struct topo_routeserver *topo_routeserver_of_vnet(
    const struct topo *t, const char *vnet);
const struct topo_gateway *topo_gateway_lookup(
    const struct topo *t, const char *name);
const struct topo_local_gateway *topo_local_gateway_lookup(
    const struct topo *t, const char *name);
const struct topo_connection *topo_connection_lookup(
    const struct topo *t, const char *name);
/* True when vnet holds a route server or a virtual network gateway. */
bool topo_vnet_has_gateway(const struct topo *t, const char *vnet);

/*
 * Create or replace one resource.  The argument is copied (the caller
 * keeps it).  Returns false with err set, and the state untouched, when
 * the resulting state would be invalid.  Deleting a VNet deletes its
 * subnets and peerings; deleting a route table or route server deletes
 * its routes or bgpConnections.
 */
bool topo_vnet_put(
    struct topo *t, const struct topo_vnet *v, struct topo_err *err);
bool topo_vnet_del(struct topo *t, const char *name, struct topo_err *err);
bool topo_subnet_put(
    struct topo *t, const struct topo_subnet *s, struct topo_err *err);
bool topo_subnet_del(
    struct topo *t, const char *vnet, const char *name, struct topo_err *err);
bool topo_nic_put(
    struct topo *t, const struct topo_nic *n, struct topo_err *err);
bool topo_nic_del(struct topo *t, const char *name, struct topo_err *err);
bool topo_peering_put(
    struct topo *t, const struct topo_peering *p, struct topo_err *err);
bool topo_peering_del(
    struct topo *t, const char *vnet, const char *name, struct topo_err *err);
bool topo_route_table_put(
    struct topo *t, const struct topo_route_table *rt, struct topo_err *err);
bool topo_route_table_del(
    struct topo *t, const char *name, struct topo_err *err);
bool topo_route_put(struct topo *t, const char *table,
    const struct topo_route *r, struct topo_err *err);
bool topo_route_del(
    struct topo *t, const char *table, const char *name, struct topo_err *err);
bool topo_routeserver_put(
    struct topo *t, const struct topo_routeserver *rs, struct topo_err *err);
bool topo_routeserver_del(
    struct topo *t, const char *name, struct topo_err *err);
bool topo_bgpconn_put(struct topo *t, const char *rs,
    const struct topo_bgpconn *c, struct topo_err *err);
bool topo_bgpconn_del(
    struct topo *t, const char *rs, const char *name, struct topo_err *err);
bool topo_gateway_put(
    struct topo *t, const struct topo_gateway *g, struct topo_err *err);
bool topo_gateway_del(struct topo *t, const char *name, struct topo_err *err);
bool topo_local_gateway_put(
    struct topo *t, const struct topo_local_gateway *l, struct topo_err *err);
bool topo_local_gateway_del(
    struct topo *t, const char *name, struct topo_err *err);
bool topo_connection_put(
    struct topo *t, const struct topo_connection *c, struct topo_err *err);
bool topo_connection_del(
    struct topo *t, const char *name, struct topo_err *err);

/* Names for enums, as az prints them; parse returns false if unknown. */
const char *topo_hop_name(enum topo_hop h);
bool topo_hop_parse(const char *s, enum topo_hop *h);
const char *topo_pref_name(enum topo_pref p);
bool topo_pref_parse(const char *s, enum topo_pref *p);
const char *topo_peering_state_name(enum topo_peering_state s);

/* Record an error; returns false so that callers can return it. */
bool topo_err_set(struct topo_err *err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- change.c: one leaf resource changed in place ---- */

/*
 * The fast path of a change to a NIC, a route or an existing peering
 * (same remote VNet): the resource is read from obj, the resource as
 * the document holds it (NULL: a DELETE), and checked only against what
 * reads it; topo_validate() of the whole state would give the same
 * answer.  topo_leaf_prepare answers 1 with *out prepared (t
 * untouched), 0 with err when the change is refused, -1 when the change
 * needs the whole document (creating a peering, an absent parent...).
 * topo_leaf_commit applies *out to t, or to an exact copy of the t it
 * was prepared on, bumps gen and consumes it; it cannot fail.
 */
enum topo_leaf_kind { TOPO_LEAF_NIC, TOPO_LEAF_ROUTE, TOPO_LEAF_PEERING };
struct topo_leaf;
struct json_t;
int topo_leaf_prepare(const struct topo *t, enum topo_leaf_kind k,
    const char *parent, const char *name, struct json_t *obj,
    struct topo_leaf **out, bool *created, struct topo_err *err);
void topo_leaf_commit(struct topo *t, struct topo_leaf *l);
void topo_leaf_free(struct topo_leaf *l);
/* The leaf as topo_to_json renders it (new reference), NULL if absent. */
struct json_t *topo_leaf_to_json(const struct topo *t, enum topo_leaf_kind k,
    const char *parent, const char *name);

/* ---- validate.c ---- */

/*
 * Check the whole state against Azure's rules.  On success the warnings
 * of t are replaced by the ones found; on failure err names the first
 * broken rule, the resource and what was expected.
 */
bool topo_validate(struct topo *t, struct topo_err *err);
/* True when asn may be the peerAsn of a route-server bgpConnection (R1.7). */
bool topo_peer_asn_ok(uint32_t asn, const char **why);

/* ---- json.c: the document ---- */

/* The whole state as one JSON document (a new reference). */
struct json_t *topo_to_json(const struct topo *t);
/*
 * Build and validate a topology from a document.  On success *out is a
 * new topo the caller owns; on failure err says where (a JSON path) and
 * what was wrong, and *out is untouched.
 */
bool topo_from_json(
    struct json_t *doc, struct topo **out, struct topo_err *err);
/* "10.0.0.0/16" and "10.0.0.4" as JSON strings (new references). */
struct json_t *topo_json_prefix(const struct prefix *p);
/*
 * How deep j nests objects and arrays (a scalar 0), counted no further
 * than limit: to refuse a document too deep to walk before reading it.
 */
int topo_json_depth(struct json_t *j, int limit);
struct json_t *topo_json_addr(const struct ipaddr *a);

#endif
