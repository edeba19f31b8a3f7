/* SPDX-License-Identifier: ISC */
/* topology/topo.c - the topology object: copies, lookups and validated changes. */

#include "topology/topology.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/xmalloc.h"
#include "topology/topo_int.h"

static void topo_clear(struct topo *t);
static bool commit(struct topo *t, struct topo *c, struct topo_err *err);

struct topo *
topo_new(void)
{
	struct topo *t = xcalloc(1, sizeof(*t));

	t->resource_group = xstrdup(TOPO_DEF_RG);
	t->location = xstrdup(TOPO_DEF_LOC);
	t->opts.rs_subnet_max = 27;
	return t;
}

void
topo_free(struct topo *t)
{
	if (t == NULL)
		return;
	topo_clear(t);
	free(t);
}

bool
topo_err_set(struct topo_err *err, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return false;
	snprintf(err->code, sizeof(err->code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return false;
}

/* ---- copies and frees, one pair per resource ---- */

char *
topo_strdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void *
topo_memdup(const void *p, size_t n, size_t size)
{
	void *q;

	if (n == 0 || p == NULL)
		return NULL;
	q = xreallocarray(NULL, n, size);
	memcpy(q, p, n * size);
	return q;
}

void
topo_vnet_copy(struct topo_vnet *d, const struct topo_vnet *s)
{
	d->name = topo_strdup(s->name);
	d->location = topo_strdup(s->location);
	d->prefixes =
	    topo_memdup(s->prefixes, s->nprefixes, sizeof(*s->prefixes));
	d->nprefixes = s->nprefixes;
}

void
topo_vnet_fini(struct topo_vnet *v)
{
	free(v->name);
	free(v->location);
	free(v->prefixes);
}

void
topo_subnet_copy(struct topo_subnet *d, const struct topo_subnet *s)
{
	size_t i;

	*d = *s;
	d->vnet = topo_strdup(s->vnet);
	d->name = topo_strdup(s->name);
	d->route_table = topo_strdup(s->route_table);
	d->endpoints = NULL;
	if (s->nendpoints > 0)
		d->endpoints = xcalloc(s->nendpoints, sizeof(*d->endpoints));
	for (i = 0; i < s->nendpoints; i++) {
		d->endpoints[i].service = topo_strdup(s->endpoints[i].service);
		d->endpoints[i].prefixes = topo_memdup(s->endpoints[i].prefixes,
		    s->endpoints[i].nprefixes, sizeof(struct prefix));
		d->endpoints[i].nprefixes = s->endpoints[i].nprefixes;
	}
}

void
topo_subnet_fini(struct topo_subnet *s)
{
	size_t i;

	for (i = 0; i < s->nendpoints; i++) {
		free(s->endpoints[i].service);
		free(s->endpoints[i].prefixes);
	}
	free(s->endpoints);
	free(s->vnet);
	free(s->name);
	free(s->route_table);
}

void
topo_nic_copy(struct topo_nic *d, const struct topo_nic *s)
{
	*d = *s;
	d->name = topo_strdup(s->name);
	d->vnet = topo_strdup(s->vnet);
	d->subnet = topo_strdup(s->subnet);
	d->vm = topo_strdup(s->vm);
}

void
topo_nic_fini(struct topo_nic *n)
{
	free(n->name);
	free(n->vnet);
	free(n->subnet);
	free(n->vm);
}

void
topo_peering_copy(struct topo_peering *d, const struct topo_peering *s)
{
	*d = *s;
	d->vnet = topo_strdup(s->vnet);
	d->name = topo_strdup(s->name);
	d->remote = topo_strdup(s->remote);
}

void
topo_peering_fini(struct topo_peering *p)
{
	free(p->vnet);
	free(p->name);
	free(p->remote);
}

static void
route_copy(struct topo_route *d, const struct topo_route *s)
{
	*d = *s;
	d->name = topo_strdup(s->name);
}

void
topo_route_table_copy(
    struct topo_route_table *d, const struct topo_route_table *s)
{
	size_t i;

	*d = *s;
	d->name = topo_strdup(s->name);
	d->routes = NULL;
	if (s->nroutes > 0)
		d->routes = xcalloc(s->nroutes, sizeof(*d->routes));
	for (i = 0; i < s->nroutes; i++)
		route_copy(&d->routes[i], &s->routes[i]);
}

void
topo_route_table_fini(struct topo_route_table *rt)
{
	size_t i;

	for (i = 0; i < rt->nroutes; i++)
		free(rt->routes[i].name);
	free(rt->routes);
	free(rt->name);
}

void
topo_routeserver_copy(
    struct topo_routeserver *d, const struct topo_routeserver *s)
{
	size_t i;

	*d = *s;
	d->name = topo_strdup(s->name);
	d->vnet = topo_strdup(s->vnet);
	d->conns = NULL;
	if (s->nconns > 0)
		d->conns = xcalloc(s->nconns, sizeof(*d->conns));
	for (i = 0; i < s->nconns; i++) {
		d->conns[i] = s->conns[i];
		d->conns[i].name = topo_strdup(s->conns[i].name);
	}
}

void
topo_routeserver_fini(struct topo_routeserver *rs)
{
	size_t i;

	for (i = 0; i < rs->nconns; i++)
		free(rs->conns[i].name);
	free(rs->conns);
	free(rs->name);
	free(rs->vnet);
}

void
topo_gateway_copy(struct topo_gateway *d, const struct topo_gateway *s)
{
	*d = *s;
	d->name = topo_strdup(s->name);
	d->vnet = topo_strdup(s->vnet);
}

void
topo_gateway_fini(struct topo_gateway *g)
{
	free(g->name);
	free(g->vnet);
}

void
topo_local_gateway_copy(
    struct topo_local_gateway *d, const struct topo_local_gateway *s)
{
	*d = *s;
	d->name = topo_strdup(s->name);
	d->prefixes =
	    topo_memdup(s->prefixes, s->nprefixes, sizeof(*s->prefixes));
}

void
topo_local_gateway_fini(struct topo_local_gateway *l)
{
	free(l->name);
	free(l->prefixes);
}

void
topo_connection_copy(struct topo_connection *d, const struct topo_connection *s)
{
	*d = *s;
	d->name = topo_strdup(s->name);
	d->gateway = topo_strdup(s->gateway);
	d->peer = topo_strdup(s->peer);
}

void
topo_connection_fini(struct topo_connection *c)
{
	free(c->name);
	free(c->gateway);
	free(c->peer);
}

static void
topo_clear(struct topo *t)
{
	size_t i;

	for (i = 0; i < t->nvnets; i++)
		topo_vnet_fini(&t->vnets[i]);
	for (i = 0; i < t->nsubnets; i++)
		topo_subnet_fini(&t->subnets[i]);
	for (i = 0; i < t->nnics; i++)
		topo_nic_fini(&t->nics[i]);
	for (i = 0; i < t->npeerings; i++)
		topo_peering_fini(&t->peerings[i]);
	for (i = 0; i < t->nrtables; i++)
		topo_route_table_fini(&t->rtables[i]);
	for (i = 0; i < t->nrservers; i++)
		topo_routeserver_fini(&t->rservers[i]);
	for (i = 0; i < t->ngateways; i++)
		topo_gateway_fini(&t->gateways[i]);
	for (i = 0; i < t->nlgateways; i++)
		topo_local_gateway_fini(&t->lgateways[i]);
	for (i = 0; i < t->nconns; i++)
		topo_connection_fini(&t->conns[i]);
	free(t->vnets);
	free(t->subnets);
	free(t->nics);
	free(t->peerings);
	free(t->rtables);
	free(t->rservers);
	free(t->gateways);
	free(t->lgateways);
	free(t->conns);
	topo_warnings_clear(t);
	free(t->resource_group);
	free(t->location);
	memset(t, 0, sizeof(*t));
}

void
topo_warnings_clear(struct topo *t)
{
	size_t i;

	for (i = 0; i < t->nwarnings; i++)
		free(t->warnings[i]);
	free(t->warnings);
	t->warnings = NULL;
	t->nwarnings = 0;
}

struct topo *
topo_copy(const struct topo *t)
{
	struct topo *c = xcalloc(1, sizeof(*c));
	size_t i;

	c->resource_group = topo_strdup(t->resource_group);
	c->location = topo_strdup(t->location);
	c->opts = t->opts;
	c->gen = t->gen;
	c->vnets = xcalloc(t->nvnets + 1, sizeof(*c->vnets));
	for (c->nvnets = 0; c->nvnets < t->nvnets; c->nvnets++)
		topo_vnet_copy(&c->vnets[c->nvnets], &t->vnets[c->nvnets]);
	c->subnets = xcalloc(t->nsubnets + 1, sizeof(*c->subnets));
	for (i = 0; i < t->nsubnets; i++)
		topo_subnet_copy(&c->subnets[i], &t->subnets[i]);
	c->nsubnets = t->nsubnets;
	c->nics = xcalloc(t->nnics + 1, sizeof(*c->nics));
	for (i = 0; i < t->nnics; i++)
		topo_nic_copy(&c->nics[i], &t->nics[i]);
	c->nnics = t->nnics;
	c->peerings = xcalloc(t->npeerings + 1, sizeof(*c->peerings));
	for (i = 0; i < t->npeerings; i++)
		topo_peering_copy(&c->peerings[i], &t->peerings[i]);
	c->npeerings = t->npeerings;
	c->rtables = xcalloc(t->nrtables + 1, sizeof(*c->rtables));
	for (i = 0; i < t->nrtables; i++)
		topo_route_table_copy(&c->rtables[i], &t->rtables[i]);
	c->nrtables = t->nrtables;
	c->rservers = xcalloc(t->nrservers + 1, sizeof(*c->rservers));
	for (i = 0; i < t->nrservers; i++)
		topo_routeserver_copy(&c->rservers[i], &t->rservers[i]);
	c->nrservers = t->nrservers;
	c->gateways = xcalloc(t->ngateways + 1, sizeof(*c->gateways));
	for (i = 0; i < t->ngateways; i++)
		topo_gateway_copy(&c->gateways[i], &t->gateways[i]);
	c->ngateways = t->ngateways;
	c->lgateways = xcalloc(t->nlgateways + 1, sizeof(*c->lgateways));
	for (i = 0; i < t->nlgateways; i++)
		topo_local_gateway_copy(&c->lgateways[i], &t->lgateways[i]);
	c->nlgateways = t->nlgateways;
	c->conns = xcalloc(t->nconns + 1, sizeof(*c->conns));
	for (i = 0; i < t->nconns; i++)
		topo_connection_copy(&c->conns[i], &t->conns[i]);
	c->nconns = t->nconns;
	c->warnings = xcalloc(t->nwarnings + 1, sizeof(*c->warnings));
	for (i = 0; i < t->nwarnings; i++)
		c->warnings[i] = xstrdup(t->warnings[i]);
	c->nwarnings = t->nwarnings;
	return c;
}

/*
 * Validate c; if it holds, move it into t (t keeps its address, so the
 * callers' pointers to t stay good) and free the old state.  c is
 * consumed either way.
 */
static bool
commit(struct topo *t, struct topo *c, struct topo_err *err)
{
	if (!topo_validate(c, err)) {
		topo_free(c);
		return false;
	}
	c->gen = t->gen + 1;
	topo_clear(t);
	*t = *c;
	free(c);
	return true;
}

bool
topo_commit(struct topo *t, struct topo *c, struct topo_err *err)
{
	return commit(t, c, err);
}

bool
topo_opts_set(struct topo *t, const struct topo_opts *o, struct topo_err *err)
{
	struct topo *c;

	if (o->rs_subnet_max != 26 && o->rs_subnet_max != 27)
		return topo_err_set(err, "InvalidOption",
		    "options: routeServerSubnetMaxPrefixLength %u out of range "
		    "(26 or 27)",
		    o->rs_subnet_max);
	c = topo_copy(t);
	c->opts = *o;
	return commit(t, c, err);
}

/* ---- lookups ---- */

static bool
eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

const struct topo_vnet *
topo_vnet_lookup(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nvnets; i++)
		if (eq(t->vnets[i].name, name))
			return &t->vnets[i];
	return NULL;
}

const struct topo_subnet *
topo_subnet_lookup(const struct topo *t, const char *vnet, const char *name)
{
	size_t i;

	for (i = 0; i < t->nsubnets; i++)
		if (eq(t->subnets[i].vnet, vnet) &&
		    eq(t->subnets[i].name, name))
			return &t->subnets[i];
	return NULL;
}

const struct topo_nic *
topo_nic_lookup(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nnics; i++)
		if (eq(t->nics[i].name, name))
			return &t->nics[i];
	return NULL;
}

const struct topo_peering *
topo_peering_lookup(const struct topo *t, const char *vnet, const char *name)
{
	size_t i;

	for (i = 0; i < t->npeerings; i++)
		if (eq(t->peerings[i].vnet, vnet) &&
		    eq(t->peerings[i].name, name))
			return &t->peerings[i];
	return NULL;
}

const struct topo_peering *
topo_peering_reverse(const struct topo *t, const struct topo_peering *p)
{
	size_t i;

	for (i = 0; i < t->npeerings; i++)
		if (eq(t->peerings[i].vnet, p->remote) &&
		    eq(t->peerings[i].remote, p->vnet))
			return &t->peerings[i];
	return NULL;
}

enum topo_peering_state
topo_peering_state(const struct topo *t, const struct topo_peering *p)
{
	if (topo_vnet_lookup(t, p->remote) == NULL)
		return TOPO_PEERING_DISCONNECTED;
	if (topo_peering_reverse(t, p) == NULL)
		return TOPO_PEERING_INITIATED;
	return TOPO_PEERING_CONNECTED;
}

const struct topo_route_table *
topo_route_table_lookup(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nrtables; i++)
		if (eq(t->rtables[i].name, name))
			return &t->rtables[i];
	return NULL;
}

const struct topo_routeserver *
topo_routeserver_lookup(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nrservers; i++)
		if (eq(t->rservers[i].name, name))
			return &t->rservers[i];
	return NULL;
}

const struct topo_routeserver *
topo_routeserver_of_vnet(const struct topo *t, const char *vnet)
{
	size_t i;

	for (i = 0; i < t->nrservers; i++)
		if (eq(t->rservers[i].vnet, vnet))
			return &t->rservers[i];
	return NULL;
}

const struct topo_gateway *
topo_gateway_lookup(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ngateways; i++)
		if (eq(t->gateways[i].name, name))
			return &t->gateways[i];
	return NULL;
}

const struct topo_local_gateway *
topo_local_gateway_lookup(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nlgateways; i++)
		if (eq(t->lgateways[i].name, name))
			return &t->lgateways[i];
	return NULL;
}

const struct topo_connection *
topo_connection_lookup(const struct topo *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nconns; i++)
		if (eq(t->conns[i].name, name))
			return &t->conns[i];
	return NULL;
}

bool
topo_vnet_has_gateway(const struct topo *t, const char *vnet)
{
	size_t i;

	if (topo_routeserver_of_vnet(t, vnet) != NULL)
		return true;
	for (i = 0; i < t->ngateways; i++)
		if (eq(t->gateways[i].vnet, vnet))
			return true;
	return false;
}

/* ---- changes: copy, edit the copy, commit ---- */

static bool
name_ok(const char *what, const char *name, struct topo_err *err)
{
	size_t n = name != NULL ? strlen(name) : 0;

	if (n == 0 || n > TOPO_NAME_MAX)
		return topo_err_set(err, "InvalidResourceName",
		    "%s name '%s' is not valid (1-%d characters)", what,
		    name != NULL ? name : "", TOPO_NAME_MAX);
	if (strchr(name, '/') != NULL)
		return topo_err_set(err, "InvalidResourceName",
		    "%s name '%s' is not valid (no '/')", what, name);
	return true;
}

bool
topo_vnet_put(struct topo *t, const struct topo_vnet *v, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (!name_ok("virtual network", v->name, err))
		return false;
	c = topo_copy(t);
	i = 0;
	while (i < c->nvnets && !(eq(c->vnets[i].name, v->name)))
		i++;
	if (i < c->nvnets)
		topo_vnet_fini(&c->vnets[i]);
	else
		c->nvnets++;
	topo_vnet_copy(&c->vnets[i], v);
	if (c->vnets[i].location == NULL)
		c->vnets[i].location = xstrdup(c->location);
	return commit(t, c, err);
}

bool
topo_vnet_del(struct topo *t, const char *name, struct topo_err *err)
{
	struct topo *c;
	size_t i, j;

	if (topo_vnet_lookup(t, name) == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "virtual network %s not found", name);
	c = topo_copy(t);
	for (i = j = 0; i < c->nvnets; i++) {
		if (eq(c->vnets[i].name, name))
			topo_vnet_fini(&c->vnets[i]);
		else
			c->vnets[j++] = c->vnets[i];
	}
	c->nvnets = j;
	for (i = j = 0; i < c->nsubnets; i++) {
		if (eq(c->subnets[i].vnet, name))
			topo_subnet_fini(&c->subnets[i]);
		else
			c->subnets[j++] = c->subnets[i];
	}
	c->nsubnets = j;
	for (i = j = 0; i < c->npeerings; i++) {
		if (eq(c->peerings[i].vnet, name))
			topo_peering_fini(&c->peerings[i]);
		else
			c->peerings[j++] = c->peerings[i];
	}
	c->npeerings = j;
	return commit(t, c, err);
}

bool
topo_subnet_put(
    struct topo *t, const struct topo_subnet *s, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (!name_ok("subnet", s->name, err))
		return false;
	if (topo_vnet_lookup(t, s->vnet) == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "subnet %s: virtual network %s not found", s->name,
		    s->vnet != NULL ? s->vnet : "");
	c = topo_copy(t);
	i = 0;
	while (i < c->nsubnets &&
	    !(eq(c->subnets[i].vnet, s->vnet) &&
	        eq(c->subnets[i].name, s->name)))
		i++;
	if (i < c->nsubnets)
		topo_subnet_fini(&c->subnets[i]);
	else
		c->nsubnets++;
	topo_subnet_copy(&c->subnets[i], s);
	return commit(t, c, err);
}

bool
topo_subnet_del(
    struct topo *t, const char *vnet, const char *name, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (topo_subnet_lookup(t, vnet, name) == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "subnet %s/%s not found", vnet, name);
	c = topo_copy(t);
	i = 0;
	while (i < c->nsubnets &&
	    !(eq(c->subnets[i].vnet, vnet) && eq(c->subnets[i].name, name)))
		i++;
	topo_subnet_fini(&c->subnets[i]);
	memmove(&c->subnets[i], &c->subnets[i + 1],
	    (c->nsubnets - i - 1) * sizeof(*c->subnets));
	c->nsubnets--;
	return commit(t, c, err);
}

bool
topo_nic_put(struct topo *t, const struct topo_nic *n, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (!name_ok("network interface", n->name, err))
		return false;
	c = topo_copy(t);
	i = 0;
	while (i < c->nnics && !(eq(c->nics[i].name, n->name)))
		i++;
	if (i < c->nnics)
		topo_nic_fini(&c->nics[i]);
	else
		c->nnics++;
	topo_nic_copy(&c->nics[i], n);
	return commit(t, c, err);
}

bool
topo_nic_del(struct topo *t, const char *name, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (topo_nic_lookup(t, name) == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "network interface %s not found", name);
	c = topo_copy(t);
	i = 0;
	while (i < c->nnics && !(eq(c->nics[i].name, name)))
		i++;
	topo_nic_fini(&c->nics[i]);
	memmove(&c->nics[i], &c->nics[i + 1],
	    (c->nnics - i - 1) * sizeof(*c->nics));
	c->nnics--;
	return commit(t, c, err);
}

bool
topo_peering_put(
    struct topo *t, const struct topo_peering *p, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (!name_ok("virtual network peering", p->name, err))
		return false;
	if (topo_vnet_lookup(t, p->vnet) == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "peering %s: virtual network %s not found", p->name,
		    p->vnet != NULL ? p->vnet : "");
	/* Azure needs the remote VNet when a peering is created. */
	if (topo_peering_lookup(t, p->vnet, p->name) == NULL &&
	    topo_vnet_lookup(t, p->remote) == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "peering %s/%s: remote virtual network %s not found",
		    p->vnet, p->name, p->remote != NULL ? p->remote : "");
	c = topo_copy(t);
	i = 0;
	while (i < c->npeerings &&
	    !(eq(c->peerings[i].vnet, p->vnet) &&
	        eq(c->peerings[i].name, p->name)))
		i++;
	if (i < c->npeerings)
		topo_peering_fini(&c->peerings[i]);
	else
		c->npeerings++;
	topo_peering_copy(&c->peerings[i], p);
	return commit(t, c, err);
}

bool
topo_peering_del(
    struct topo *t, const char *vnet, const char *name, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (topo_peering_lookup(t, vnet, name) == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "peering %s/%s not found", vnet, name);
	c = topo_copy(t);
	i = 0;
	while (i < c->npeerings &&
	    !(eq(c->peerings[i].vnet, vnet) && eq(c->peerings[i].name, name)))
		i++;
	topo_peering_fini(&c->peerings[i]);
	memmove(&c->peerings[i], &c->peerings[i + 1],
	    (c->npeerings - i - 1) * sizeof(*c->peerings));
	c->npeerings--;
	return commit(t, c, err);
}

bool
topo_route_table_put(
    struct topo *t, const struct topo_route_table *rt, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (!name_ok("route table", rt->name, err))
		return false;
	c = topo_copy(t);
	i = 0;
	while (i < c->nrtables && !(eq(c->rtables[i].name, rt->name)))
		i++;
	if (i < c->nrtables)
		topo_route_table_fini(&c->rtables[i]);
	else
		c->nrtables++;
	topo_route_table_copy(&c->rtables[i], rt);
	return commit(t, c, err);
}

bool
topo_route_table_del(struct topo *t, const char *name, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (topo_route_table_lookup(t, name) == NULL)
		return topo_err_set(
		    err, "ResourceNotFound", "route table %s not found", name);
	c = topo_copy(t);
	i = 0;
	while (i < c->nrtables && !(eq(c->rtables[i].name, name)))
		i++;
	topo_route_table_fini(&c->rtables[i]);
	memmove(&c->rtables[i], &c->rtables[i + 1],
	    (c->nrtables - i - 1) * sizeof(*c->rtables));
	c->nrtables--;
	return commit(t, c, err);
}

bool
topo_route_put(struct topo *t, const char *table, const struct topo_route *r,
    struct topo_err *err)
{
	struct topo_route_table *rt;
	struct topo *c;
	size_t i;

	if (!name_ok("route", r->name, err))
		return false;
	if (topo_route_table_lookup(t, table) == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "route %s: route table %s not found", r->name, table);
	c = topo_copy(t);
	rt = &c->rtables[topo_route_table_lookup(c, table) - c->rtables];
	i = 0;
	while (i < rt->nroutes && !(eq(rt->routes[i].name, r->name)))
		i++;
	if (i < rt->nroutes) {
		free(rt->routes[i].name);
	} else {
		rt->routes = xreallocarray(
		    rt->routes, rt->nroutes + 1, sizeof(*rt->routes));
		rt->nroutes++;
	}
	route_copy(&rt->routes[i], r);
	return commit(t, c, err);
}

bool
topo_route_del(
    struct topo *t, const char *table, const char *name, struct topo_err *err)
{
	const struct topo_route_table *ort = topo_route_table_lookup(t, table);
	struct topo_route_table *rt;
	struct topo *c;
	size_t i;

	if (ort == NULL)
		return topo_err_set(
		    err, "ResourceNotFound", "route table %s not found", table);
	i = 0;
	while (i < ort->nroutes && !(eq(ort->routes[i].name, name)))
		i++;
	if (i == ort->nroutes)
		return topo_err_set(err, "ResourceNotFound",
		    "route %s/%s not found", table, name);
	c = topo_copy(t);
	rt = &c->rtables[topo_route_table_lookup(c, table) - c->rtables];
	free(rt->routes[i].name);
	memmove(&rt->routes[i], &rt->routes[i + 1],
	    (rt->nroutes - i - 1) * sizeof(*rt->routes));
	rt->nroutes--;
	return commit(t, c, err);
}

bool
topo_routeserver_put(
    struct topo *t, const struct topo_routeserver *rs, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (!name_ok("route server", rs->name, err))
		return false;
	c = topo_copy(t);
	i = 0;
	while (i < c->nrservers && !(eq(c->rservers[i].name, rs->name)))
		i++;
	if (i < c->nrservers)
		topo_routeserver_fini(&c->rservers[i]);
	else
		c->nrservers++;
	topo_routeserver_copy(&c->rservers[i], rs);
	return commit(t, c, err);
}

bool
topo_routeserver_del(struct topo *t, const char *name, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (topo_routeserver_lookup(t, name) == NULL)
		return topo_err_set(
		    err, "ResourceNotFound", "route server %s not found", name);
	c = topo_copy(t);
	i = 0;
	while (i < c->nrservers && !(eq(c->rservers[i].name, name)))
		i++;
	topo_routeserver_fini(&c->rservers[i]);
	memmove(&c->rservers[i], &c->rservers[i + 1],
	    (c->nrservers - i - 1) * sizeof(*c->rservers));
	c->nrservers--;
	return commit(t, c, err);
}

bool
topo_bgpconn_put(struct topo *t, const char *rsname,
    const struct topo_bgpconn *bc, struct topo_err *err)
{
	struct topo_routeserver *rs;
	struct topo *c;
	size_t i;

	if (!name_ok("bgpConnection", bc->name, err))
		return false;
	if (topo_routeserver_lookup(t, rsname) == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "bgpConnection %s: route server %s not found", bc->name,
		    rsname);
	c = topo_copy(t);
	rs = &c->rservers[topo_routeserver_lookup(c, rsname) - c->rservers];
	i = 0;
	while (i < rs->nconns && !(eq(rs->conns[i].name, bc->name)))
		i++;
	if (i < rs->nconns) {
		free(rs->conns[i].name);
	} else {
		rs->conns = xreallocarray(
		    rs->conns, rs->nconns + 1, sizeof(*rs->conns));
		rs->nconns++;
	}
	rs->conns[i] = *bc;
	rs->conns[i].name = xstrdup(bc->name);
	return commit(t, c, err);
}

bool
topo_bgpconn_del(
    struct topo *t, const char *rsname, const char *name, struct topo_err *err)
{
	const struct topo_routeserver *ors = topo_routeserver_lookup(t, rsname);
	struct topo_routeserver *rs;
	struct topo *c;
	size_t i;

	if (ors == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "route server %s not found", rsname);
	i = 0;
	while (i < ors->nconns && !(eq(ors->conns[i].name, name)))
		i++;
	if (i == ors->nconns)
		return topo_err_set(err, "ResourceNotFound",
		    "bgpConnection %s/%s not found", rsname, name);
	c = topo_copy(t);
	rs = &c->rservers[topo_routeserver_lookup(c, rsname) - c->rservers];
	free(rs->conns[i].name);
	memmove(&rs->conns[i], &rs->conns[i + 1],
	    (rs->nconns - i - 1) * sizeof(*rs->conns));
	rs->nconns--;
	return commit(t, c, err);
}

bool
topo_gateway_put(
    struct topo *t, const struct topo_gateway *g, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (!name_ok("virtual network gateway", g->name, err))
		return false;
	c = topo_copy(t);
	i = 0;
	while (i < c->ngateways && !(eq(c->gateways[i].name, g->name)))
		i++;
	if (i < c->ngateways)
		topo_gateway_fini(&c->gateways[i]);
	else
		c->ngateways++;
	topo_gateway_copy(&c->gateways[i], g);
	return commit(t, c, err);
}

bool
topo_gateway_del(struct topo *t, const char *name, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (topo_gateway_lookup(t, name) == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "virtual network gateway %s not found", name);
	c = topo_copy(t);
	i = 0;
	while (i < c->ngateways && !(eq(c->gateways[i].name, name)))
		i++;
	topo_gateway_fini(&c->gateways[i]);
	memmove(&c->gateways[i], &c->gateways[i + 1],
	    (c->ngateways - i - 1) * sizeof(*c->gateways));
	c->ngateways--;
	return commit(t, c, err);
}

bool
topo_local_gateway_put(
    struct topo *t, const struct topo_local_gateway *l, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (!name_ok("local network gateway", l->name, err))
		return false;
	c = topo_copy(t);
	i = 0;
	while (i < c->nlgateways && !(eq(c->lgateways[i].name, l->name)))
		i++;
	if (i < c->nlgateways)
		topo_local_gateway_fini(&c->lgateways[i]);
	else
		c->nlgateways++;
	topo_local_gateway_copy(&c->lgateways[i], l);
	return commit(t, c, err);
}

bool
topo_local_gateway_del(struct topo *t, const char *name, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (topo_local_gateway_lookup(t, name) == NULL)
		return topo_err_set(err, "ResourceNotFound",
		    "local network gateway %s not found", name);
	c = topo_copy(t);
	i = 0;
	while (i < c->nlgateways && !(eq(c->lgateways[i].name, name)))
		i++;
	topo_local_gateway_fini(&c->lgateways[i]);
	memmove(&c->lgateways[i], &c->lgateways[i + 1],
	    (c->nlgateways - i - 1) * sizeof(*c->lgateways));
	c->nlgateways--;
	return commit(t, c, err);
}

bool
topo_connection_put(
    struct topo *t, const struct topo_connection *cn, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (!name_ok("connection", cn->name, err))
		return false;
	c = topo_copy(t);
	i = 0;
	while (i < c->nconns && !(eq(c->conns[i].name, cn->name)))
		i++;
	if (i < c->nconns)
		topo_connection_fini(&c->conns[i]);
	else
		c->nconns++;
	topo_connection_copy(&c->conns[i], cn);
	return commit(t, c, err);
}

bool
topo_connection_del(struct topo *t, const char *name, struct topo_err *err)
{
	struct topo *c;
	size_t i;

	if (topo_connection_lookup(t, name) == NULL)
		return topo_err_set(
		    err, "ResourceNotFound", "connection %s not found", name);
	c = topo_copy(t);
	i = 0;
	while (i < c->nconns && !(eq(c->conns[i].name, name)))
		i++;
	topo_connection_fini(&c->conns[i]);
	memmove(&c->conns[i], &c->conns[i + 1],
	    (c->nconns - i - 1) * sizeof(*c->conns));
	c->nconns--;
	return commit(t, c, err);
}

/* ---- enum names ---- */

static const char *const hop_names[] = {
	[TOPO_HOP_VNET_GATEWAY] = "VirtualNetworkGateway",
	[TOPO_HOP_VNET_LOCAL] = "VnetLocal",
	[TOPO_HOP_INTERNET] = "Internet",
	[TOPO_HOP_APPLIANCE] = "VirtualAppliance",
	[TOPO_HOP_NONE] = "None",
};

static const char *const pref_names[] = {
	[TOPO_PREF_EXPRESSROUTE] = "ExpressRoute",
	[TOPO_PREF_VPNGATEWAY] = "VpnGateway",
	[TOPO_PREF_ASPATH] = "ASPath",
};

const char *
topo_hop_name(enum topo_hop h)
{
	if ((size_t)h >= sizeof(hop_names) / sizeof(hop_names[0]))
		return "Unknown";
	return hop_names[h];
}

bool
topo_hop_parse(const char *s, enum topo_hop *h)
{
	size_t i;

	for (i = 0; i < sizeof(hop_names) / sizeof(hop_names[0]); i++) {
		if (strcasecmp(s, hop_names[i]) == 0) {
			*h = (enum topo_hop)i;
			return true;
		}
	}
	return false;
}

const char *
topo_pref_name(enum topo_pref p)
{
	if ((size_t)p >= sizeof(pref_names) / sizeof(pref_names[0]))
		return "Unknown";
	return pref_names[p];
}

bool
topo_pref_parse(const char *s, enum topo_pref *p)
{
	size_t i;

	for (i = 0; i < sizeof(pref_names) / sizeof(pref_names[0]); i++) {
		if (strcasecmp(s, pref_names[i]) == 0) {
			*p = (enum topo_pref)i;
			return true;
		}
	}
	return false;
}

const char *
topo_peering_state_name(enum topo_peering_state s)
{
	switch (s) {
	case TOPO_PEERING_INITIATED:
		return "Initiated";
	case TOPO_PEERING_CONNECTED:
		return "Connected";
	case TOPO_PEERING_DISCONNECTED:
		return "Disconnected";
	}
	return "Unknown";
}
