/* SPDX-License-Identifier: ISC */
/* topology/change.c - one leaf resource (NIC, route, peering) changed in place, checked against its neighbours only. */

#include "topology/topology.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"
#include "topology/topo_int.h"

/*
 * A valid state stays valid after a change to one leaf unless the
 * change itself breaks a rule, so only the rules that read that leaf
 * are checked, in the order topo_validate() would meet them, with the
 * same messages:
 *
 *   NIC      check_nics for it: its subnet, the address inside it and
 *            not reserved, the address used by no other NIC of the VNet
 *   route    check_rtables for it: its prefix unique in its table, the
 *            next hop and its address
 *   peering  an existing peering whose remote VNet stays the same:
 *            check_peerings for it and for the remote half (which reads
 *            its allowGatewayTransit)
 *
 * Nothing else reads these resources (no warning, no derived value
 * depends on them; a peering's existence, which bgpConnections read,
 * does not change), so the rest of the state needs no new look.
 * Creating a peering, changing its remote, and every other resource go
 * through the whole document (topo_leaf_prepare answers -1).
 */

struct topo_leaf {
	enum topo_leaf_kind kind;
	bool del;
	size_t idx;    /* the resource's index; == count: appended */
	size_t parent; /* the route table (routes) */
	union {
		struct topo_nic nic;
		struct topo_route route;
		struct topo_peering peering;
	} u;
};

static bool
eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static const char *
str(const char *s)
{
	return s != NULL ? s : "";
}

static size_t
rtable_index(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nrtables; i++)
		if (eq(t->rtables[i].name, name))
			return i;
	return SIZE_MAX;
}

static size_t
nic_index(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nnics; i++)
		if (eq(t->nics[i].name, name))
			return i;
	return SIZE_MAX;
}

static size_t
peering_index(const struct topo *t, const char *vnet, const char *name)
{
	size_t i;

	for (i = 0; i < t->npeerings; i++)
		if (eq(t->peerings[i].vnet, vnet) &&
		    eq(t->peerings[i].name, name))
			return i;
	return SIZE_MAX;
}

static size_t
vnet_index(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nvnets; i++)
		if (eq(t->vnets[i].name, name))
			return i;
	return SIZE_MAX;
}

json_t *
topo_leaf_to_json(const struct topo *t, enum topo_leaf_kind k,
    const char *parent, const char *name)
{
	size_t i, j;

	switch (k) {
	case TOPO_LEAF_NIC:
		i = nic_index(t, name);
		return i == SIZE_MAX ? NULL : topo_json_nic(t, &t->nics[i]);
	case TOPO_LEAF_ROUTE:
		if ((i = rtable_index(t, parent)) == SIZE_MAX)
			return NULL;
		for (j = 0; j < t->rtables[i].nroutes; j++)
			if (eq(t->rtables[i].routes[j].name, name))
				return topo_json_route(
				    &t->rtables[i].routes[j]);
		return NULL;
	case TOPO_LEAF_PEERING:
		i = peering_index(t, parent, name);
		return i == SIZE_MAX ? NULL
		                     : topo_json_peering(t, &t->peerings[i]);
	}
	return NULL;
}

/* ---- the checks, as validate.c words them ---- */

static bool
route_check(const struct topo_route_table *rt, const struct topo_route *r,
    size_t i, struct topo_err *err)
{
	char b1[PREFIX_STRLEN];
	size_t k;

	/* a conflict with an earlier route is met at this one */
	for (k = 0; k < i && k < rt->nroutes; k++)
		if (prefix_equal(&rt->routes[k].prefix, &r->prefix))
			return topo_err_set(err, "RouteConflict",
			    "route table %s: routes %s and %s both have "
			    "address prefix %s (expected one route per "
			    "prefix)",
			    rt->name, rt->routes[k].name, r->name,
			    prefix_print(&r->prefix, b1, sizeof(b1)));
	if (r->hop > TOPO_HOP_NONE)
		return topo_err_set(err, "InvalidNextHopType",
		    "route %s/%s: next hop type %d is not valid", rt->name,
		    r->name, (int)r->hop);
	if (r->hop == TOPO_HOP_APPLIANCE && r->hop_ip.af == 0)
		return topo_err_set(err, "InvalidNextHopIpAddress",
		    "route %s/%s: next hop type VirtualAppliance needs "
		    "nextHopIpAddress",
		    rt->name, r->name);
	if (r->hop != TOPO_HOP_APPLIANCE && r->hop_ip.af != 0)
		return topo_err_set(err, "InvalidNextHopIpAddress",
		    "route %s/%s: nextHopIpAddress is only allowed with next "
		    "hop type VirtualAppliance, not %s",
		    rt->name, r->name, topo_hop_name(r->hop));
	if (r->hop == TOPO_HOP_APPLIANCE && r->hop_ip.af != r->prefix.af)
		return topo_err_set(err, "InvalidNextHopIpAddress",
		    "route %s/%s: nextHopIpAddress and addressPrefix are of "
		    "different families",
		    rt->name, r->name);
	/* a later route with the prefix meets this one */
	for (k = i + 1; k < rt->nroutes; k++)
		if (prefix_equal(&rt->routes[k].prefix, &r->prefix))
			return topo_err_set(err, "RouteConflict",
			    "route table %s: routes %s and %s both have "
			    "address prefix %s (expected one route per "
			    "prefix)",
			    rt->name, r->name, rt->routes[k].name,
			    prefix_print(&r->prefix, b1, sizeof(b1)));
	return true;
}

static bool
nic_check(const struct topo *t, const struct topo_nic *n, size_t i,
    struct topo_err *err)
{
	char b1[ADDR_STRLEN], b2[PREFIX_STRLEN];
	const struct topo_subnet *s;
	struct ipaddr first, last;
	size_t m;

	s = topo_subnet_lookup(t, n->vnet, n->subnet);
	if (s == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "network interface %s: subnet %s/%s not found", n->name,
		    str(n->vnet), str(n->subnet));
	if (eq(s->name, RS_SUBNET_NAME) || eq(s->name, GW_SUBNET_NAME))
		return topo_err_set(err, "SubnetIsReserved",
		    "network interface %s: subnet %s/%s is reserved for %s "
		    "(R1.2)",
		    n->name, s->vnet, s->name,
		    eq(s->name, RS_SUBNET_NAME) ? "the route server"
		                                : "gateways");
	if (!prefix_contains_addr(&s->prefix, &n->ip))
		return topo_err_set(err, "PrivateIPAddressNotInSubnet",
		    "network interface %s: address %s is not inside subnet "
		    "%s/%s (%s)",
		    n->name, addr_print(&n->ip, b1, sizeof(b1)), s->vnet,
		    s->name, prefix_print(&s->prefix, b2, sizeof(b2)));
	if (n->ip.af == ADDR_V4) {
		topo_prefix_nth(&s->prefix, 3, &first);
		topo_prefix_nth(&s->prefix,
		    (uint32_t)((1ull << (32 - s->prefix.len)) - 1), &last);
		if (addr_cmp(&n->ip, &first) <= 0 ||
		    addr_cmp(&n->ip, &last) == 0)
			return topo_err_set(err, "PrivateIPAddressIsReserved",
			    "network interface %s: address %s is reserved by "
			    "Azure in subnet %s/%s (the first four and the "
			    "last address)",
			    n->name, addr_print(&n->ip, b1, sizeof(b1)),
			    s->vnet, s->name);
	}
	for (m = 0; m < t->nnics; m++) {
		if (m == i || !eq(t->nics[m].vnet, n->vnet) ||
		    addr_cmp(&t->nics[m].ip, &n->ip) != 0)
			continue;
		if (m < i) /* met at this NIC */
			return topo_err_set(err, "PrivateIPAddressInUse",
			    "network interface %s: address %s is already used "
			    "by %s",
			    n->name, addr_print(&n->ip, b1, sizeof(b1)),
			    t->nics[m].name);
		return topo_err_set(err, "PrivateIPAddressInUse",
		    "network interface %s: address %s is already used by %s",
		    t->nics[m].name, addr_print(&n->ip, b1, sizeof(b1)),
		    n->name);
	}
	return true;
}

/*
 * check_peerings' gateway rules for p (at index i of t, where slot i
 * reads as q when q is not NULL: the change not yet made).
 */
static bool
peering_check(const struct topo *t, const struct topo_peering *p, size_t i,
    size_t qi, const struct topo_peering *q, struct topo_err *err)
{
	const struct topo_peering *back, *o;
	size_t j;

	if (!p->use_remote_gateways)
		return true;
	if (p->allow_gateway_transit)
		return topo_err_set(err, "InvalidPeering",
		    "peering %s/%s: allowGatewayTransit and useRemoteGateways "
		    "cannot both be set",
		    p->vnet, p->name);
	if (topo_vnet_has_gateway(t, p->vnet))
		return topo_err_set(err, "InvalidPeering",
		    "peering %s/%s: useRemoteGateways cannot be set on a "
		    "virtual network that has its own gateway or route server "
		    "(R3.1)",
		    p->vnet, p->name);
	if (topo_vnet_lookup(t, p->remote) == NULL ||
	    !topo_vnet_has_gateway(t, p->remote))
		return topo_err_set(err, "RemoteVnetHasNoGateways",
		    "peering %s/%s: useRemoteGateways needs a gateway or route "
		    "server in remote virtual network %s (R3.1)",
		    p->vnet, p->name, str(p->remote));
	back = NULL;
	for (j = 0; j < t->npeerings && back == NULL; j++) {
		o = j == qi ? q : &t->peerings[j];
		if (eq(o->vnet, p->remote) && eq(o->remote, p->vnet))
			back = o;
	}
	if (back != NULL && !back->allow_gateway_transit)
		return topo_err_set(err,
		    "RemotePeeringDoesNotAllowGatewayTransit",
		    "peering %s/%s: useRemoteGateways needs "
		    "allowGatewayTransit "
		    "on the remote peering %s/%s (R3.1)",
		    p->vnet, p->name, back->vnet, back->name);
	for (j = 0; j < i; j++) {
		o = j == qi ? q : &t->peerings[j];
		if (eq(o->vnet, p->vnet) && o->use_remote_gateways)
			return topo_err_set(err, "InvalidPeering",
			    "peering %s/%s: only one peering of a virtual "
			    "network may set useRemoteGateways (%s already "
			    "does)",
			    p->vnet, p->name, o->name);
	}
	return true;
}

/*
 * The peerings that read slot qi (now q): itself, its remote half, and
 * the later peerings of its VNet (one useRemoteGateways per VNet), in
 * index order, as check_peerings meets them.
 */
static bool
peerings_check(const struct topo *t, size_t qi, const struct topo_peering *q,
    struct topo_err *err)
{
	const struct topo_peering *o;
	size_t j;

	for (j = 0; j < t->npeerings; j++) {
		o = j == qi ? q : &t->peerings[j];
		if (j != qi &&
		    !(eq(o->vnet, q->remote) && eq(o->remote, q->vnet)) &&
		    !(j > qi && eq(o->vnet, q->vnet)))
			continue;
		if (!peering_check(t, o, j, qi, q, err))
			return false;
	}
	return true;
}

/* ---- prepare, commit ---- */

static void
leaf_fini(struct topo_leaf *l)
{
	switch (l->kind) {
	case TOPO_LEAF_NIC:
		topo_nic_fini(&l->u.nic);
		break;
	case TOPO_LEAF_ROUTE:
		free(l->u.route.name);
		break;
	case TOPO_LEAF_PEERING:
		topo_peering_fini(&l->u.peering);
		break;
	}
}

void
topo_leaf_free(struct topo_leaf *l)
{
	if (l == NULL)
		return;
	leaf_fini(l);
	free(l);
}

static int
prepare_del(const struct topo *t, struct topo_leaf *l, const char *parent,
    const char *name)
{
	const struct topo_route_table *rt;
	size_t j;

	switch (l->kind) {
	case TOPO_LEAF_NIC:
		l->idx = nic_index(t, name);
		return l->idx == SIZE_MAX ? -1 : 1;
	case TOPO_LEAF_ROUTE:
		if ((l->parent = rtable_index(t, parent)) == SIZE_MAX)
			return -1;
		rt = &t->rtables[l->parent];
		for (j = 0; j < rt->nroutes; j++)
			if (eq(rt->routes[j].name, name)) {
				l->idx = j;
				return 1;
			}
		return -1;
	case TOPO_LEAF_PEERING:
		return -1; /* peeringState of the other half: the document */
	}
	return -1;
}

int
topo_leaf_prepare(const struct topo *t, enum topo_leaf_kind k,
    const char *parent, const char *name, json_t *obj, struct topo_leaf **out,
    bool *created, struct topo_err *err)
{
	struct topo_leaf *l = xcalloc(1, sizeof(*l));
	const struct topo_route_table *rt;
	char where[160];
	size_t j, n;
	int rc = -1;

	l->kind = k;
	l->del = obj == NULL;
	*created = false;
	if (l->del) {
		rc = prepare_del(t, l, parent, name);
		goto out;
	}
	switch (k) {
	case TOPO_LEAF_NIC:
		l->idx = nic_index(t, name);
		if ((*created = l->idx == SIZE_MAX))
			l->idx = t->nnics;
		snprintf(
		    where, sizeof(where), "networkInterfaces[%zu]", l->idx);
		if (!topo_json_read_nic(obj, where, &l->u.nic, err) ||
		    !nic_check(t, &l->u.nic, l->idx, err))
			rc = 0;
		else
			rc = 1;
		break;
	case TOPO_LEAF_ROUTE:
		if ((l->parent = rtable_index(t, parent)) == SIZE_MAX)
			goto out; /* the document says so */
		rt = &t->rtables[l->parent];
		for (j = 0; j < rt->nroutes; j++)
			if (eq(rt->routes[j].name, name))
				break;
		l->idx = j;
		*created = j == rt->nroutes;
		snprintf(where, sizeof(where), "routeTables[%zu].routes[%zu]",
		    l->parent, l->idx);
		if (!topo_json_read_route(obj, where, &l->u.route, err)) {
			rc = 0;
			break;
		}
		if (l->u.route.name == NULL || l->u.route.name[0] == '\0') {
			rc = topo_err_set(err, "InvalidResourceName",
			    "route table %s: route %zu has no name", rt->name,
			    l->idx);
			break;
		}
		rc = route_check(rt, &l->u.route, l->idx, err) ? 1 : 0;
		break;
	case TOPO_LEAF_PEERING:
		l->idx = peering_index(t, parent, name);
		if (l->idx == SIZE_MAX ||
		    (j = vnet_index(t, parent)) == SIZE_MAX)
			goto out; /* a new peering: the document */
		for (n = 0, j = 0; j < l->idx; j++)
			n += eq(t->peerings[j].vnet, parent);
		snprintf(where, sizeof(where),
		    "virtualNetworks[%zu].virtualNetworkPeerings[%zu]",
		    vnet_index(t, parent), n);
		if (!topo_json_read_peering(
		        obj, where, parent, &l->u.peering, err)) {
			rc = 0;
			break;
		}
		if (!eq(l->u.peering.remote, t->peerings[l->idx].remote) ||
		    !eq(l->u.peering.name, t->peerings[l->idx].name))
			goto out; /* a new remote: the document */
		rc = peerings_check(t, l->idx, &l->u.peering, err) ? 1 : 0;
		break;
	}
out:
	if (rc != 1) {
		topo_leaf_free(l);
		l = NULL;
	}
	*out = l;
	return rc;
}

void
topo_leaf_commit(struct topo *t, struct topo_leaf *l)
{
	struct topo_route_table *rt;

	switch (l->kind) {
	case TOPO_LEAF_NIC:
		if (l->del) {
			topo_nic_fini(&t->nics[l->idx]);
			memmove(&t->nics[l->idx], &t->nics[l->idx + 1],
			    (t->nnics - l->idx - 1) * sizeof(*t->nics));
			t->nnics--;
			break;
		}
		if (l->idx == t->nnics) {
			t->nics = xreallocarray(
			    t->nics, t->nnics + 1, sizeof(*t->nics));
			t->nnics++;
		} else
			topo_nic_fini(&t->nics[l->idx]);
		t->nics[l->idx] = l->u.nic;
		memset(&l->u.nic, 0, sizeof(l->u.nic));
		break;
	case TOPO_LEAF_ROUTE:
		rt = &t->rtables[l->parent];
		if (l->del) {
			free(rt->routes[l->idx].name);
			memmove(&rt->routes[l->idx], &rt->routes[l->idx + 1],
			    (rt->nroutes - l->idx - 1) * sizeof(*rt->routes));
			rt->nroutes--;
			break;
		}
		if (l->idx == rt->nroutes) {
			rt->routes = xreallocarray(
			    rt->routes, rt->nroutes + 1, sizeof(*rt->routes));
			rt->nroutes++;
		} else
			free(rt->routes[l->idx].name);
		rt->routes[l->idx] = l->u.route;
		memset(&l->u.route, 0, sizeof(l->u.route));
		break;
	case TOPO_LEAF_PEERING:
		topo_peering_fini(&t->peerings[l->idx]);
		t->peerings[l->idx] = l->u.peering;
		memset(&l->u.peering, 0, sizeof(l->u.peering));
		break;
	}
	t->gen++;
	topo_leaf_free(l);
}
