/* SPDX-License-Identifier: ISC */
/* topology/validate.c - Azure's rules for a topology, checked as a whole. */

#include "topology/topology.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"
#include "topology/topo_int.h"

/*
 * Every check names the resource, what is wrong and what is expected;
 * the rule ids (R1.x, R3.x) are the ones of spec/azure-route-server.md.
 * Checks that only warn add to t->warnings and carry on.  Derived values
 * (route-server instance IPs, default gateway BGP addresses, default
 * locations) are filled in here, so that a state that passed is complete.
 */

static bool check_vnets(struct topo *t, struct topo_err *err);
static bool check_subnets(struct topo *t, struct topo_err *err);
static bool check_nics(struct topo *t, struct topo_err *err);
static bool check_peerings(struct topo *t, struct topo_err *err);
static bool check_rtables(struct topo *t, struct topo_err *err);
static bool check_gateways(struct topo *t, struct topo_err *err);
static bool check_rservers(struct topo *t, struct topo_err *err);
static bool check_lgateways(struct topo *t, struct topo_err *err);
static bool check_conns(struct topo *t, struct topo_err *err);
static void warn(struct topo *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Azure's rule for a resource group's name (Microsoft.Resources naming
 * rules): 1-90 characters, letters, digits, '_', '-', '.', '(' and ')',
 * not ending in '.'.  Bytes of UTF-8 are taken as letters.  A '/' would
 * make every resource ID of the topology read back as another one.
 */
static bool
rg_ok(const char *rg, struct topo_err *err)
{
	size_t i, n = rg != NULL ? strlen(rg) : 0;

	if (n == 0)
		return topo_err_set(err, "InvalidResourceGroup",
		    "resource group name is empty (expected e.g. \"lab\")");
	if (n > 90)
		return topo_err_set(err, "InvalidResourceGroup",
		    "resource group name is %zu characters long (1-90)", n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)rg[i];

		if (!isalnum(c) && c < 0x80 && strchr("_-.()", c) == NULL)
			return topo_err_set(err, "InvalidResourceGroup",
			    "resource group name '%s': character %zu ('%c') "
			    "is not a letter, digit, '_', '-', '.', '(' or ')'",
			    rg, i + 1, isprint(c) ? c : '?');
	}
	if (rg[n - 1] == '.')
		return topo_err_set(err, "InvalidResourceGroup",
		    "resource group name '%s' ends in '.'", rg);
	return true;
}

/*
 * Azure takes a region by its name or its display name, in any case
 * ("East US", "EASTUS", "eastus"), and keeps the name: its letters and
 * digits, in lower case (az network vnet show prints "eastus").  So
 * VNets in "East US" and "eastus" are in one region, and their peering
 * is VNetPeering, not VNetGlobalPeering (R3.5).  Anything else in the
 * string is refused; the name is not checked against the list of
 * regions, which grows.  what: "the topology", "virtual network hub".
 */
static bool
loc_norm(char *loc, const char *what, struct topo_err *err)
{
	size_t i, o = 0;

	for (i = 0; loc[i] != '\0'; i++) {
		unsigned char c = (unsigned char)loc[i];

		if (c == ' ')
			continue;
		if (!isalnum(c) || c >= 0x80)
			return topo_err_set(err,
			    "LocationNotAvailableForResourceType",
			    "%s: location '%s': character %zu ('%c') is not a "
			    "letter, digit or space (expected a region's name "
			    "or display name, e.g. eastus or \"East US\")",
			    what, loc, i + 1, isprint(c) ? c : '?');
		loc[o++] = (char)tolower(c);
	}
	loc[o] = '\0';
	if (o == 0)
		return topo_err_set(err, "LocationNotAvailableForResourceType",
		    "%s: location is empty (expected a region, e.g. eastus)",
		    what);
	return true;
}

bool
topo_validate(struct topo *t, struct topo_err *err)
{
	topo_warnings_clear(t);
	if (!rg_ok(t->resource_group, err))
		return false;
	if (t->location == NULL)
		t->location = xstrdup(TOPO_DEF_LOC);
	if (!loc_norm(t->location, "the topology", err))
		return false;
	if (t->opts.rs_subnet_max != 26 && t->opts.rs_subnet_max != 27)
		return topo_err_set(err, "InvalidOption",
		    "options: routeServerSubnetMaxPrefixLength %u out of range "
		    "(26 or 27)",
		    t->opts.rs_subnet_max);
	return check_vnets(t, err) && check_rtables(t, err) &&
	    check_subnets(t, err) && check_nics(t, err) &&
	    check_gateways(t, err) && check_rservers(t, err) &&
	    check_peerings(t, err) && check_lgateways(t, err) &&
	    check_conns(t, err);
}

bool
topo_peer_asn_ok(uint32_t asn, const char **why)
{
	const char *w = NULL;

	if (asn == 0)
		w = "ASN 0 is not a valid ASN";
	else if (asn > 65535)
		w = "4-byte ASNs are not supported, expected 1-65534";
	else if (asn == 8074 || asn == 8075 || asn == 12076)
		w = "reserved by Azure (public: 8074, 8075, 12076)";
	else if (asn == 65515 || (asn >= 65517 && asn <= 65520))
		w = "reserved by Azure (private: 65515, 65517-65520)";
	else if (asn == 23456 || (asn >= 64496 && asn <= 64511) || asn == 65535)
		w = "reserved by IANA (23456, 64496-64511, 65535)";
	if (why != NULL)
		*why = w;
	return w == NULL;
}

void
topo_prefix_nth(const struct prefix *p, uint32_t n, struct ipaddr *a)
{
	size_t off = p->af == ADDR_V4 ? 0 : 12;
	uint32_t v;

	memset(a, 0, sizeof(*a));
	a->af = p->af;
	memcpy(a->a, p->a, sizeof(a->a));
	v = (uint32_t)a->a[off] << 24 | (uint32_t)a->a[off + 1] << 16 |
	    (uint32_t)a->a[off + 2] << 8 | a->a[off + 3];
	v += n;
	a->a[off] = (uint8_t)(v >> 24);
	a->a[off + 1] = (uint8_t)(v >> 16);
	a->a[off + 2] = (uint8_t)(v >> 8);
	a->a[off + 3] = (uint8_t)v;
}

static void
warn(struct topo *t, const char *fmt, ...)
{
	char buf[TOPO_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	t->warnings =
	    xreallocarray(t->warnings, t->nwarnings + 1, sizeof(*t->warnings));
	t->warnings[t->nwarnings++] = xstrdup(buf);
}

static const char *
pfx(const struct prefix *p, char *buf)
{
	return prefix_print(p, buf, PREFIX_STRLEN);
}

static bool
overlap(const struct prefix *a, const struct prefix *b)
{
	return prefix_contains(a, b) || prefix_contains(b, a);
}

static bool
eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static const char *
str(const char *s)
{
	return s != NULL ? s : "(none)";
}

/* The VNet prefix that holds p, NULL if none. */
static const struct prefix *
vnet_holding(const struct topo_vnet *v, const struct prefix *p)
{
	size_t i;

	for (i = 0; i < v->nprefixes; i++)
		if (prefix_contains(&v->prefixes[i], p))
			return &v->prefixes[i];
	return NULL;
}

static const struct topo_vnet *
vnet_of_addr(const struct topo *t, const struct ipaddr *a)
{
	size_t i, j;

	for (i = 0; i < t->nvnets; i++)
		for (j = 0; j < t->vnets[i].nprefixes; j++)
			if (prefix_contains_addr(&t->vnets[i].prefixes[j], a))
				return &t->vnets[i];
	return NULL;
}

/* True when vnets a and b are joined by a peering (either half). */
static bool
peered(const struct topo *t, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < t->npeerings; i++) {
		if (eq(t->peerings[i].vnet, a) && eq(t->peerings[i].remote, b))
			return true;
		if (eq(t->peerings[i].vnet, b) && eq(t->peerings[i].remote, a))
			return true;
	}
	return false;
}

static bool
check_vnets(struct topo *t, struct topo_err *err)
{
	char b1[PREFIX_STRLEN], b2[PREFIX_STRLEN];
	struct topo_vnet *v;
	size_t i, j, k;

	for (i = 0; i < t->nvnets; i++) {
		v = &t->vnets[i];
		for (j = 0; j < i; j++)
			if (eq(t->vnets[j].name, v->name))
				return topo_err_set(err,
				    "DuplicateResourceName",
				    "virtual network %s is defined twice",
				    v->name);
		if (v->location == NULL || v->location[0] == '\0') {
			free(v->location);
			v->location = xstrdup(t->location);
		} else {
			char what[300];

			snprintf(
			    what, sizeof(what), "virtual network %s", v->name);
			if (!loc_norm(v->location, what, err))
				return false;
		}
		if (v->nprefixes == 0)
			return topo_err_set(err, "InvalidAddressSpace",
			    "virtual network %s has no address prefix "
			    "(expected at least one, e.g. 10.0.0.0/16)",
			    v->name);
		for (j = 0; j < v->nprefixes; j++)
			for (k = 0; k < j; k++)
				if (overlap(&v->prefixes[j], &v->prefixes[k]))
					return topo_err_set(err,
					    "NetcfgInvalidAddressSpace",
					    "virtual network %s: address "
					    "prefixes %s and %s overlap "
					    "(expected disjoint prefixes)",
					    v->name, pfx(&v->prefixes[k], b1),
					    pfx(&v->prefixes[j], b2));
	}
	return true;
}

static bool
check_rtables(struct topo *t, struct topo_err *err)
{
	char b1[PREFIX_STRLEN];
	struct topo_route_table *rt;
	struct topo_route *r;
	size_t i, j, k;

	for (i = 0; i < t->nrtables; i++) {
		rt = &t->rtables[i];
		for (j = 0; j < i; j++)
			if (eq(t->rtables[j].name, rt->name))
				return topo_err_set(err,
				    "DuplicateResourceName",
				    "route table %s is defined twice",
				    rt->name);
		for (j = 0; j < rt->nroutes; j++) {
			r = &rt->routes[j];
			if (r->name == NULL || r->name[0] == '\0')
				return topo_err_set(err, "InvalidResourceName",
				    "route table %s: route %zu has no name",
				    rt->name, j);
			for (k = 0; k < j; k++) {
				if (eq(rt->routes[k].name, r->name))
					return topo_err_set(err,
					    "DuplicateResourceName",
					    "route table %s: route %s is "
					    "defined twice",
					    rt->name, r->name);
				if (prefix_equal(
				        &rt->routes[k].prefix, &r->prefix))
					return topo_err_set(err,
					    "RouteConflict",
					    "route table %s: routes %s and %s "
					    "both have address prefix %s "
					    "(expected one route per prefix)",
					    rt->name, rt->routes[k].name,
					    r->name, pfx(&r->prefix, b1));
			}
			if (r->hop > TOPO_HOP_NONE)
				return topo_err_set(err, "InvalidNextHopType",
				    "route %s/%s: next hop type %d is not "
				    "valid",
				    rt->name, r->name, (int)r->hop);
			if (r->hop == TOPO_HOP_APPLIANCE && r->hop_ip.af == 0)
				return topo_err_set(err,
				    "InvalidNextHopIpAddress",
				    "route %s/%s: next hop type "
				    "VirtualAppliance needs nextHopIpAddress",
				    rt->name, r->name);
			if (r->hop != TOPO_HOP_APPLIANCE && r->hop_ip.af != 0)
				return topo_err_set(err,
				    "InvalidNextHopIpAddress",
				    "route %s/%s: nextHopIpAddress is only "
				    "allowed with next hop type "
				    "VirtualAppliance, not %s",
				    rt->name, r->name, topo_hop_name(r->hop));
			if (r->hop == TOPO_HOP_APPLIANCE &&
			    r->hop_ip.af != r->prefix.af)
				return topo_err_set(err,
				    "InvalidNextHopIpAddress",
				    "route %s/%s: nextHopIpAddress and "
				    "addressPrefix are of different families",
				    rt->name, r->name);
		}
	}
	return true;
}

static bool
check_special_subnet(
    struct topo *t, const struct topo_subnet *s, struct topo_err *err)
{
	const struct topo_route_table *rt;

	if (eq(s->name, RS_SUBNET_NAME)) {
		if (s->prefix.af != ADDR_V4)
			return topo_err_set(err, "InvalidRouteServerSubnet",
			    "subnet %s/%s: route server supports IPv4 only "
			    "(R1.8)",
			    s->vnet, s->name);
		if (s->prefix.len > t->opts.rs_subnet_max)
			return topo_err_set(err, "InvalidRouteServerSubnet",
			    "subnet %s/%s: prefix length /%u is too small "
			    "for a route server (expected /%u or larger, "
			    "R1.3)",
			    s->vnet, s->name, s->prefix.len,
			    t->opts.rs_subnet_max);
		if (s->prefix.len == 27)
			warn(t,
			    "subnet %s/%s is a /27: current Azure asks for "
			    "/26 or larger (R1.3)",
			    s->vnet, s->name);
		if (s->route_table != NULL)
			return topo_err_set(err, "InvalidRouteServerSubnet",
			    "subnet %s/%s: a route table (%s) may not be "
			    "associated with RouteServerSubnet (R1.2)",
			    s->vnet, s->name, s->route_table);
	}
	if (eq(s->name, GW_SUBNET_NAME)) {
		if (s->prefix.af == ADDR_V4 && s->prefix.len > 27)
			warn(t,
			    "subnet %s/%s is a /%u: /27 or larger is "
			    "recommended for gateways",
			    s->vnet, s->name, s->prefix.len);
		rt = s->route_table != NULL
		    ? topo_route_table_lookup(t, s->route_table)
		    : NULL;
		if (rt != NULL && rt->disable_bgp)
			warn(t,
			    "subnet %s/%s: route table %s disables BGP route "
			    "propagation on GatewaySubnet; the gateway stops "
			    "working (R3.2)",
			    s->vnet, s->name, rt->name);
	}
	return true;
}

static bool
check_subnets(struct topo *t, struct topo_err *err)
{
	char b1[PREFIX_STRLEN], b2[PREFIX_STRLEN];
	const struct topo_vnet *v;
	struct topo_subnet *s, *o;
	size_t i, j;

	for (i = 0; i < t->nsubnets; i++) {
		s = &t->subnets[i];
		v = topo_vnet_lookup(t, s->vnet);
		if (v == NULL)
			return topo_err_set(err, "ResourceNotFound",
			    "subnet %s: virtual network %s not found", s->name,
			    str(s->vnet));
		if (s->prefix.af == ADDR_V4 && s->prefix.len > 29)
			return topo_err_set(err, "InvalidAddressPrefix",
			    "subnet %s/%s: prefix %s is too small (expected "
			    "/29 or larger)",
			    s->vnet, s->name, pfx(&s->prefix, b1));
		if (vnet_holding(v, &s->prefix) == NULL)
			return topo_err_set(err, "NetcfgSubnetRangeOutsideVnet",
			    "subnet %s/%s: prefix %s is not inside the "
			    "address space of virtual network %s",
			    s->vnet, s->name, pfx(&s->prefix, b1), s->vnet);
		for (j = 0; j < i; j++) {
			o = &t->subnets[j];
			if (!eq(o->vnet, s->vnet))
				continue;
			if (eq(o->name, s->name))
				return topo_err_set(err,
				    "DuplicateResourceName",
				    "subnet %s/%s is defined twice", s->vnet,
				    s->name);
			if (overlap(&o->prefix, &s->prefix))
				return topo_err_set(err,
				    "NetcfgSubnetRangesOverlap",
				    "subnet %s/%s: prefix %s overlaps subnet "
				    "%s (%s)",
				    s->vnet, s->name, pfx(&s->prefix, b1),
				    o->name, pfx(&o->prefix, b2));
		}
		if (s->route_table != NULL &&
		    topo_route_table_lookup(t, s->route_table) == NULL)
			return topo_err_set(err, "ResourceNotFound",
			    "subnet %s/%s: route table %s not found", s->vnet,
			    s->name, s->route_table);
		for (j = 0; j < s->nendpoints; j++)
			if (s->endpoints[j].service == NULL ||
			    s->endpoints[j].service[0] == '\0')
				return topo_err_set(err,
				    "InvalidServiceEndpoint",
				    "subnet %s/%s: service endpoint %zu has "
				    "no service name (e.g. Microsoft.Storage)",
				    s->vnet, s->name, j);
		if (!check_special_subnet(t, s, err))
			return false;
	}
	return true;
}

/* A NIC and its position, sorted to find duplicates. */
struct nic_ref {
	const struct topo_nic *n;
	size_t i;
};

static int
nic_name_cmp(const struct topo_nic *a, const struct topo_nic *b)
{
	return strcmp(str(a->name), str(b->name));
}

static int
nic_addr_cmp(const struct topo_nic *a, const struct topo_nic *b)
{
	int c = strcmp(str(a->vnet), str(b->vnet));

	return c != 0 ? c : addr_cmp(&a->ip, &b->ip);
}

static int (*nic_key)(const struct topo_nic *, const struct topo_nic *);

/* By the key, then by position: the first of equals comes first. */
static int
nic_ref_cmp(const void *x, const void *y)
{
	const struct nic_ref *a = x, *b = y;
	int c = nic_key(a->n, b->n);

	if (c != 0)
		return c;
	return a->i < b->i ? -1 : 1;
}

/*
 * first[i]: the first NIC before i that key finds equal to NIC i, or
 * SIZE_MAX: duplicates found in O(n log n), reported in the order a
 * pairwise scan would report them.
 */
static void
nic_firsts(const struct topo *t,
    int (*key)(const struct topo_nic *, const struct topo_nic *), size_t *first,
    struct nic_ref *v)
{
	size_t i, j;

	for (i = 0; i < t->nnics; i++) {
		v[i].n = &t->nics[i];
		v[i].i = i;
		first[i] = SIZE_MAX;
	}
	nic_key = key; /* qsort passes no context */
	qsort(v, t->nnics, sizeof(*v), nic_ref_cmp);
	for (i = 0; i < t->nnics; i = j)
		for (j = i + 1; j < t->nnics && key(v[i].n, v[j].n) == 0; j++)
			first[v[j].i] = v[i].i;
}

static bool
check_nics(struct topo *t, struct topo_err *err)
{
	char b1[ADDR_STRLEN], b2[PREFIX_STRLEN];
	const struct topo_subnet *s;
	struct ipaddr first, last;
	struct topo_nic *n;
	struct nic_ref *idx;
	size_t i, *dname, *daddr;
	bool ok = false;

	dname = xcalloc(t->nnics + 1, sizeof(*dname));
	daddr = xcalloc(t->nnics + 1, sizeof(*daddr));
	idx = xcalloc(t->nnics + 1, sizeof(*idx));
	nic_firsts(t, nic_name_cmp, dname, idx);
	nic_firsts(t, nic_addr_cmp, daddr, idx);
	for (i = 0; i < t->nnics; i++) {
		n = &t->nics[i];
		if (dname[i] != SIZE_MAX) {
			topo_err_set(err, "DuplicateResourceName",
			    "network interface %s is defined twice", n->name);
			goto out;
		}
		s = topo_subnet_lookup(t, n->vnet, n->subnet);
		if (s == NULL) {
			topo_err_set(err, "ResourceNotFound",
			    "network interface %s: subnet %s/%s not found",
			    n->name, str(n->vnet), str(n->subnet));
			goto out;
		}
		if (eq(s->name, RS_SUBNET_NAME) ||
		    eq(s->name, GW_SUBNET_NAME)) {
			topo_err_set(err, "SubnetIsReserved",
			    "network interface %s: subnet %s/%s is reserved "
			    "for %s (R1.2)",
			    n->name, s->vnet, s->name,
			    eq(s->name, RS_SUBNET_NAME) ? "the route server"
			                                : "gateways");
			goto out;
		}
		if (!prefix_contains_addr(&s->prefix, &n->ip)) {
			topo_err_set(err, "PrivateIPAddressNotInSubnet",
			    "network interface %s: address %s is not inside "
			    "subnet %s/%s (%s)",
			    n->name, addr_print(&n->ip, b1, sizeof(b1)),
			    s->vnet, s->name, pfx(&s->prefix, b2));
			goto out;
		}
		if (n->ip.af == ADDR_V4) {
			topo_prefix_nth(&s->prefix, 3, &first);
			topo_prefix_nth(&s->prefix,
			    (uint32_t)((1ull << (32 - s->prefix.len)) - 1),
			    &last);
			if (addr_cmp(&n->ip, &first) <= 0 ||
			    addr_cmp(&n->ip, &last) == 0) {
				topo_err_set(err, "PrivateIPAddressIsReserved",
				    "network interface %s: address %s is "
				    "reserved by Azure in subnet %s/%s (the "
				    "first four and the last address)",
				    n->name, addr_print(&n->ip, b1, sizeof(b1)),
				    s->vnet, s->name);
				goto out;
			}
		}
		if (daddr[i] != SIZE_MAX) {
			topo_err_set(err, "PrivateIPAddressInUse",
			    "network interface %s: address %s is already used "
			    "by %s",
			    n->name, addr_print(&n->ip, b1, sizeof(b1)),
			    t->nics[daddr[i]].name);
			goto out;
		}
	}
	ok = true;
out:
	free(dname);
	free(daddr);
	free(idx);
	return ok;
}

static bool
check_peerings(struct topo *t, struct topo_err *err)
{
	char b1[PREFIX_STRLEN], b2[PREFIX_STRLEN];
	const struct topo_peering *back;
	const struct topo_vnet *lv, *rv;
	struct topo_peering *p;
	size_t i, j, a, b;

	for (i = 0; i < t->npeerings; i++) {
		p = &t->peerings[i];
		lv = topo_vnet_lookup(t, p->vnet);
		if (lv == NULL)
			return topo_err_set(err, "ResourceNotFound",
			    "peering %s: virtual network %s not found",
			    str(p->name), str(p->vnet));
		if (eq(p->vnet, p->remote))
			return topo_err_set(err, "InvalidPeering",
			    "peering %s/%s: a virtual network cannot peer "
			    "with itself",
			    p->vnet, p->name);
		for (j = 0; j < i; j++) {
			if (!eq(t->peerings[j].vnet, p->vnet))
				continue;
			if (eq(t->peerings[j].name, p->name))
				return topo_err_set(err,
				    "DuplicateResourceName",
				    "peering %s/%s is defined twice", p->vnet,
				    p->name);
			if (eq(t->peerings[j].remote, p->remote))
				return topo_err_set(err, "PeeringAlreadyExists",
				    "peering %s/%s: virtual network %s is "
				    "already peered with %s by %s",
				    p->vnet, p->name, p->vnet, p->remote,
				    t->peerings[j].name);
		}
		rv = topo_vnet_lookup(t, p->remote);
		if (rv != NULL) {
			for (a = 0; a < lv->nprefixes; a++)
				for (b = 0; b < rv->nprefixes; b++)
					if (overlap(&lv->prefixes[a],
					        &rv->prefixes[b]))
						return topo_err_set(err,
						    "VnetAddressSpacesOverlap",
						    "peering %s/%s: address "
						    "space %s of %s overlaps "
						    "%s of %s (expected "
						    "disjoint address spaces)",
						    p->vnet, p->name,
						    pfx(&lv->prefixes[a], b1),
						    p->vnet,
						    pfx(&rv->prefixes[b], b2),
						    p->remote);
		}
		if (!p->use_remote_gateways)
			continue;
		if (p->allow_gateway_transit)
			return topo_err_set(err, "InvalidPeering",
			    "peering %s/%s: allowGatewayTransit and "
			    "useRemoteGateways cannot both be set",
			    p->vnet, p->name);
		if (topo_vnet_has_gateway(t, p->vnet))
			return topo_err_set(err, "InvalidPeering",
			    "peering %s/%s: useRemoteGateways cannot be set "
			    "on a virtual network that has its own gateway "
			    "or route server (R3.1)",
			    p->vnet, p->name);
		if (rv == NULL || !topo_vnet_has_gateway(t, p->remote))
			return topo_err_set(err, "RemoteVnetHasNoGateways",
			    "peering %s/%s: useRemoteGateways needs a gateway "
			    "or route server in remote virtual network %s "
			    "(R3.1)",
			    p->vnet, p->name, str(p->remote));
		back = topo_peering_reverse(t, p);
		if (back != NULL && !back->allow_gateway_transit)
			return topo_err_set(err,
			    "RemotePeeringDoesNotAllowGatewayTransit",
			    "peering %s/%s: useRemoteGateways needs "
			    "allowGatewayTransit on the remote peering %s/%s "
			    "(R3.1)",
			    p->vnet, p->name, back->vnet, back->name);
		for (j = 0; j < i; j++)
			if (eq(t->peerings[j].vnet, p->vnet) &&
			    t->peerings[j].use_remote_gateways)
				return topo_err_set(err, "InvalidPeering",
				    "peering %s/%s: only one peering of a "
				    "virtual network may set "
				    "useRemoteGateways (%s already does)",
				    p->vnet, p->name, t->peerings[j].name);
	}
	return true;
}

/* The other gateway of g's VNet that has BGP address a, or NULL. */
static const struct topo_gateway *
gw_addr_owner(
    const struct topo *t, const struct topo_gateway *g, const struct ipaddr *a)
{
	const struct topo_gateway *o;

	for (size_t i = 0; i < t->ngateways; i++) {
		o = &t->gateways[i];
		if (o == g || !eq(o->vnet, g->vnet))
			continue;
		for (int k = 0; k < o->nbgp_ips; k++)
			if (addr_cmp(&o->bgp_ips[k], a) == 0)
				return o;
	}
	return NULL;
}

static bool
check_gateways(struct topo *t, struct topo_err *err)
{
	char b1[ADDR_STRLEN];
	const struct topo_subnet *gs;
	struct topo_gateway *g;
	size_t i, j;
	int k, want;
	uint32_t n;

	for (i = 0; i < t->ngateways; i++) {
		g = &t->gateways[i];
		for (j = 0; j < i; j++) {
			if (eq(t->gateways[j].name, g->name))
				return topo_err_set(err,
				    "DuplicateResourceName",
				    "virtual network gateway %s is defined "
				    "twice",
				    g->name);
			if (eq(t->gateways[j].vnet, g->vnet) &&
			    t->gateways[j].type == g->type)
				return topo_err_set(err, "GatewayAlreadyExists",
				    "virtual network gateway %s: virtual "
				    "network %s already has a %s gateway (%s)",
				    g->name, g->vnet,
				    g->type == TOPO_GW_VPN ? "VPN"
				                           : "ExpressRoute",
				    t->gateways[j].name);
		}
		if (topo_vnet_lookup(t, g->vnet) == NULL)
			return topo_err_set(err, "ResourceNotFound",
			    "virtual network gateway %s: virtual network %s "
			    "not found",
			    g->name, str(g->vnet));
		gs = topo_subnet_lookup(t, g->vnet, GW_SUBNET_NAME);
		if (gs == NULL)
			return topo_err_set(err, "GatewaySubnetMissing",
			    "virtual network gateway %s: virtual network %s "
			    "has no subnet named GatewaySubnet",
			    g->name, g->vnet);
		if (g->type == TOPO_GW_ER) {
			if (g->asn != 0 && g->asn != TOPO_RS_ASN)
				return topo_err_set(err, "InvalidAsn",
				    "virtual network gateway %s: an "
				    "ExpressRoute gateway has ASN 65515, not "
				    "%u",
				    g->name, g->asn);
			g->asn = TOPO_RS_ASN;
		} else if (g->asn == 0) {
			g->asn = TOPO_RS_ASN;
		}
		want = g->active_active ? 2 : 1;
		if (g->nbgp_ips == 0) {
			/* the first free addresses from .4: a coexisting
			 * gateway in the same GatewaySubnet has its own */
			for (k = 0, n = 4; k < want && n < 64; n++) {
				topo_prefix_nth(&gs->prefix, n, &g->bgp_ips[k]);
				if (gw_addr_owner(t, g, &g->bgp_ips[k]) == NULL)
					k++;
			}
			g->nbgp_ips = want;
		}
		if (g->nbgp_ips != want)
			return topo_err_set(err, "InvalidBgpPeeringAddress",
			    "virtual network gateway %s: %s needs %d BGP "
			    "peering address%s, not %d",
			    g->name,
			    g->active_active ? "active-active"
			                     : "active-standby",
			    want, want > 1 ? "es" : "", g->nbgp_ips);
		for (k = 0; k < g->nbgp_ips; k++) {
			const struct topo_gateway *o =
			    gw_addr_owner(t, g, &g->bgp_ips[k]);

			if (o != NULL)
				return topo_err_set(err,
				    "InvalidBgpPeeringAddress",
				    "virtual network gateways %s and %s both "
				    "have BGP address %s",
				    g->name, o->name,
				    addr_print(&g->bgp_ips[k], b1, sizeof(b1)));
			if (!prefix_contains_addr(&gs->prefix, &g->bgp_ips[k]))
				return topo_err_set(err,
				    "InvalidBgpPeeringAddress",
				    "virtual network gateway %s: BGP address "
				    "%s is not inside %s/GatewaySubnet",
				    g->name,
				    addr_print(&g->bgp_ips[k], b1, sizeof(b1)),
				    g->vnet);
		}
	}
	return true;
}

static bool
check_bgpconns(
    struct topo *t, struct topo_routeserver *rs, struct topo_err *err)
{
	char b1[ADDR_STRLEN];
	const struct topo_vnet *pv;
	struct topo_bgpconn *c;
	const char *why;
	size_t j, k;

	if (!t->opts.relaxed && rs->nconns > TOPO_RS_PEERS)
		return topo_err_set(err, "RouteServerPeerLimitExceeded",
		    "route server %s: %zu bgpConnections, at most %d "
		    "(R1.9; relaxed mode lifts the limit)",
		    rs->name, rs->nconns, TOPO_RS_PEERS);
	for (j = 0; j < rs->nconns; j++) {
		c = &rs->conns[j];
		if (c->name == NULL || c->name[0] == '\0')
			return topo_err_set(err, "InvalidResourceName",
			    "route server %s: bgpConnection %zu has no name",
			    rs->name, j);
		addr_print(&c->peer_ip, b1, sizeof(b1));
		for (k = 0; k < j; k++) {
			if (eq(rs->conns[k].name, c->name))
				return topo_err_set(err,
				    "DuplicateResourceName",
				    "bgpConnection %s/%s is defined twice",
				    rs->name, c->name);
			if (addr_cmp(&rs->conns[k].peer_ip, &c->peer_ip) == 0)
				return topo_err_set(err, "DuplicatePeerIp",
				    "bgpConnection %s/%s: peerIp %s is "
				    "already used by %s",
				    rs->name, c->name, b1, rs->conns[k].name);
		}
		if (!topo_peer_asn_ok(c->peer_asn, &why))
			return topo_err_set(err, "InvalidPeerAsn",
			    "bgpConnection %s/%s: peerAsn %u is not allowed: "
			    "%s (R1.7)",
			    rs->name, c->name, c->peer_asn, why);
		if (c->peer_ip.af != ADDR_V4)
			return topo_err_set(err, "InvalidPeerIp",
			    "bgpConnection %s/%s: peerIp %s is not an IPv4 "
			    "address (R1.8)",
			    rs->name, c->name, b1);
		if (addr_cmp(&c->peer_ip, &rs->ips[0]) == 0 ||
		    addr_cmp(&c->peer_ip, &rs->ips[1]) == 0)
			return topo_err_set(err, "InvalidPeerIp",
			    "bgpConnection %s/%s: peerIp %s is an address of "
			    "the route server itself",
			    rs->name, c->name, b1);
		pv = vnet_of_addr(t, &c->peer_ip);
		if (pv == NULL ||
		    (!eq(pv->name, rs->vnet) && !peered(t, pv->name, rs->vnet)))
			return topo_err_set(err, "InvalidPeerIp",
			    "bgpConnection %s/%s: peerIp %s is neither in "
			    "virtual network %s nor in a virtual network "
			    "peered with it (R1.7)",
			    rs->name, c->name, b1, rs->vnet);
	}
	return true;
}

static bool
check_rservers(struct topo *t, struct topo_err *err)
{
	const struct topo_subnet *rss;
	struct topo_routeserver *rs;
	const struct topo_gateway *g;
	size_t i, j;

	for (i = 0; i < t->nrservers; i++) {
		rs = &t->rservers[i];
		for (j = 0; j < i; j++) {
			if (eq(t->rservers[j].name, rs->name))
				return topo_err_set(err,
				    "DuplicateResourceName",
				    "route server %s is defined twice",
				    rs->name);
			if (eq(t->rservers[j].vnet, rs->vnet))
				return topo_err_set(err,
				    "RouteServerAlreadyExists",
				    "route server %s: virtual network %s "
				    "already has route server %s (one per "
				    "virtual network, R1.2)",
				    rs->name, rs->vnet, t->rservers[j].name);
		}
		if (topo_vnet_lookup(t, rs->vnet) == NULL)
			return topo_err_set(err, "ResourceNotFound",
			    "route server %s: virtual network %s not found",
			    rs->name, str(rs->vnet));
		rss = topo_subnet_lookup(t, rs->vnet, RS_SUBNET_NAME);
		if (rss == NULL)
			return topo_err_set(err, "RouteServerSubnetMissing",
			    "route server %s: virtual network %s has no "
			    "subnet named RouteServerSubnet (R1.2)",
			    rs->name, rs->vnet);
		if ((unsigned)rs->pref > TOPO_PREF_ASPATH)
			return topo_err_set(err, "InvalidHubRoutingPreference",
			    "route server %s: hubRoutingPreference %d is not "
			    "valid (ExpressRoute, VpnGateway or ASPath)",
			    rs->name, (int)rs->pref);
		/* R1.5: the first two usable addresses, IN_0 and IN_1. */
		topo_prefix_nth(&rss->prefix, 4, &rs->ips[0]);
		topo_prefix_nth(&rss->prefix, 5, &rs->ips[1]);
		for (j = 0; j < t->ngateways; j++) {
			g = &t->gateways[j];
			if (!eq(g->vnet, rs->vnet) || g->type != TOPO_GW_VPN)
				continue;
			if (!g->active_active && !t->opts.relaxed)
				return topo_err_set(err,
				    "VpnGatewayNotActiveActive",
				    "route server %s: Route Server is being "
				    "created in the Vnet and the VPN gateway "
				    "present (%s) is not in Active-Active "
				    "mode. This scenario is not supported "
				    "(R1.10)",
				    rs->name, g->name);
			if (!g->active_active)
				warn(t,
				    "route server %s: VPN gateway %s is not "
				    "active-active; Azure refuses this "
				    "(R1.10)",
				    rs->name, g->name);
			if (g->asn != TOPO_RS_ASN)
				warn(t,
				    "route server %s: VPN gateway %s uses ASN "
				    "%u; Azure requires 65515 beside a route "
				    "server, vrs peers with it over eBGP "
				    "(R1.10)",
				    rs->name, g->name, g->asn);
		}
		if (!check_bgpconns(t, rs, err))
			return false;
	}
	return true;
}

static bool
check_lgateways(struct topo *t, struct topo_err *err)
{
	struct topo_local_gateway *l;
	size_t i, j;

	for (i = 0; i < t->nlgateways; i++) {
		l = &t->lgateways[i];
		for (j = 0; j < i; j++)
			if (eq(t->lgateways[j].name, l->name))
				return topo_err_set(err,
				    "DuplicateResourceName",
				    "local network gateway %s is defined twice",
				    l->name);
		if (l->asn != 0 && l->bgp_ip.af == 0)
			return topo_err_set(err, "InvalidBgpSettings",
			    "local network gateway %s: bgpSettings.asn %u "
			    "needs bgpSettings.bgpPeeringAddress",
			    l->name, l->asn);
		if (l->asn == TOPO_RS_ASN)
			return topo_err_set(err, "InvalidAsn",
			    "local network gateway %s: ASN 65515 is reserved "
			    "by Azure",
			    l->name);
	}
	return true;
}

static bool
check_conns(struct topo *t, struct topo_err *err)
{
	const struct topo_gateway *g, *g2;
	struct topo_connection *c;
	size_t i, j;

	for (i = 0; i < t->nconns; i++) {
		c = &t->conns[i];
		for (j = 0; j < i; j++)
			if (eq(t->conns[j].name, c->name))
				return topo_err_set(err,
				    "DuplicateResourceName",
				    "connection %s is defined twice", c->name);
		g = topo_gateway_lookup(t, c->gateway);
		if (g == NULL)
			return topo_err_set(err, "ResourceNotFound",
			    "connection %s: virtual network gateway %s not "
			    "found",
			    c->name, str(c->gateway));
		switch (c->type) {
		case TOPO_CONN_IPSEC:
			if (g->type != TOPO_GW_VPN)
				return topo_err_set(err, "InvalidConnection",
				    "connection %s: IPsec needs a VPN "
				    "gateway, %s is ExpressRoute",
				    c->name, g->name);
			if (topo_local_gateway_lookup(t, c->peer) == NULL)
				return topo_err_set(err, "ResourceNotFound",
				    "connection %s: local network gateway %s "
				    "not found",
				    c->name, str(c->peer));
			break;
		case TOPO_CONN_VNET2VNET:
			g2 = topo_gateway_lookup(t, c->peer);
			if (g->type != TOPO_GW_VPN || g2 == NULL ||
			    g2->type != TOPO_GW_VPN)
				return topo_err_set(err, "InvalidConnection",
				    "connection %s: Vnet2Vnet needs two VPN "
				    "gateways (%s, %s)",
				    c->name, g->name, str(c->peer));
			break;
		case TOPO_CONN_ER:
			if (g->type != TOPO_GW_ER)
				return topo_err_set(err, "InvalidConnection",
				    "connection %s: ExpressRoute needs an "
				    "ExpressRoute gateway, %s is VPN",
				    c->name, g->name);
			if (c->peer == NULL || c->peer[0] == '\0')
				return topo_err_set(err, "InvalidConnection",
				    "connection %s: ExpressRoute needs the "
				    "circuit name (peer)",
				    c->name);
			break;
		default:
			return topo_err_set(err, "InvalidConnection",
			    "connection %s: connection type %d is not valid",
			    c->name, (int)c->type);
		}
	}
	return true;
}
