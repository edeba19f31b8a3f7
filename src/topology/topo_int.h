/* SPDX-License-Identifier: ISC */
/* topology/topo_int.h - helpers shared by the files of topology/. */

#ifndef VRS_TOPOLOGY_TOPO_INT_H
#define VRS_TOPOLOGY_TOPO_INT_H

#include "topology/topology.h"

/* NULL-safe string copy; copy of n elements (NULL when n is 0). */
char *topo_strdup(const char *s);
void *topo_memdup(const void *p, size_t n, size_t size);

/* Deep copies into caller storage, and the matching releases. */
void topo_vnet_copy(struct topo_vnet *d, const struct topo_vnet *s);
void topo_vnet_fini(struct topo_vnet *v);
void topo_subnet_copy(struct topo_subnet *d, const struct topo_subnet *s);
void topo_subnet_fini(struct topo_subnet *s);
void topo_nic_copy(struct topo_nic *d, const struct topo_nic *s);
void topo_nic_fini(struct topo_nic *n);
void topo_peering_copy(struct topo_peering *d, const struct topo_peering *s);
void topo_peering_fini(struct topo_peering *p);
void topo_route_table_copy(
    struct topo_route_table *d, const struct topo_route_table *s);
void topo_route_table_fini(struct topo_route_table *rt);
void topo_routeserver_copy(
    struct topo_routeserver *d, const struct topo_routeserver *s);
void topo_routeserver_fini(struct topo_routeserver *rs);
void topo_gateway_copy(struct topo_gateway *d, const struct topo_gateway *s);
void topo_gateway_fini(struct topo_gateway *g);
void topo_local_gateway_copy(
    struct topo_local_gateway *d, const struct topo_local_gateway *s);
void topo_local_gateway_fini(struct topo_local_gateway *l);
void topo_connection_copy(
    struct topo_connection *d, const struct topo_connection *s);
void topo_connection_fini(struct topo_connection *c);
void topo_warnings_clear(struct topo *t);

/*
 * Validate c and, if it holds, make it the state of t (t keeps its
 * address).  c is consumed either way.
 */
bool topo_commit(struct topo *t, struct topo *c, struct topo_err *err);

/*
 * json.c, for change.c: one leaf resource as the document holds it (a
 * new reference), and read back; where is its place in the document
 * ("networkInterfaces[3]"), for messages.  The struct read is zeroed by
 * the caller and released with its _fini, also after a failure.
 */
struct json_t *topo_json_nic(const struct topo *t, const struct topo_nic *n);
struct json_t *topo_json_route(const struct topo_route *r);
struct json_t *topo_json_peering(
    const struct topo *t, const struct topo_peering *p);
bool topo_json_read_nic(struct json_t *o, const char *where, struct topo_nic *n,
    struct topo_err *err);
bool topo_json_read_route(struct json_t *o, const char *where,
    struct topo_route *r, struct topo_err *err);
bool topo_json_read_peering(struct json_t *o, const char *where,
    const char *vnet, struct topo_peering *p, struct topo_err *err);

/* The n-th address of p (n counted from the network address). */
void topo_prefix_nth(const struct prefix *p, uint32_t n, struct ipaddr *a);

#endif
