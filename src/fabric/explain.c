/* SPDX-License-Identifier: ISC */
/* fabric/explain.c - why a route is, or is not, in a NIC's effective routes. */

#include "fabric/fabric.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fabric/fab_int.h"
#include "lib/xmalloc.h"

/*
 * The explanation walks the same steps as compute.c, for one prefix, and
 * says at each step what happened to every route for that prefix: the
 * system routes, each source's programmed route (visibility R3.1,
 * propagation R3.2, the VNet-set filter R2.6, system routes R3.6.3,
 * selection R2.7/R2.8) and the user routes (R3.6.2).
 */

static void reason(struct fab_explanation *e, const char *rule, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
reason(struct fab_explanation *e, const char *rule, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	e->v = xreallocarray(e->v, e->n + 1, sizeof(*e->v));
	e->v[e->n].rule = rule;
	e->v[e->n].text = xstrdup(buf);
	e->n++;
}

void
fab_explanation_fini(struct fab_explanation *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->v[i].text);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static bool
eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static const char *
P(const struct prefix *p, char *buf)
{
	return prefix_print(p, buf, PREFIX_STRLEN);
}

static const char *
A(const struct ipaddr *a, char *buf)
{
	return addr_print(a, buf, ADDR_STRLEN);
}

static const char *
origin_name(enum fab_origin o)
{
	return o == FAB_ORIGIN_ARS ? "route server"
	    : o == FAB_ORIGIN_VPN  ? "VPN gateway"
	                           : "ExpressRoute gateway";
}

/* Why vnet does not see routes programmed in hub (R3.1). */
static void
why_invisible(struct fab_explanation *e, const struct topo *t, const char *vnet,
    const char *hub, const char *src)
{
	const struct topo_peering *p = NULL, *back;
	size_t i;

	for (i = 0; i < t->npeerings; i++)
		if (eq(t->peerings[i].vnet, vnet) &&
		    eq(t->peerings[i].remote, hub))
			p = &t->peerings[i];
	if (p == NULL) {
		reason(e, "R3.1",
		    "%s programs into %s and the VNets that use its gateways; "
		    "%s has no peering to %s",
		    src, hub, vnet, hub);
		return;
	}
	back = topo_peering_reverse(t, p);
	if (back == NULL)
		reason(e, "R3.1",
		    "peering %s/%s is Initiated: %s has no peering back to %s",
		    vnet, p->name, hub, vnet);
	else if (!p->use_remote_gateways)
		reason(e, "R3.1",
		    "spoke peering %s/%s lacks useRemoteGateways, so %s does "
		    "not get routes that %s programs",
		    vnet, p->name, vnet, src);
	else if (!back->allow_gateway_transit)
		reason(e, "R3.1",
		    "hub peering %s/%s lacks allowGatewayTransit, so %s does "
		    "not get routes that %s programs",
		    hub, back->name, vnet, src);
	else
		reason(e, "R3.1", "%s does not get routes that %s programs",
		    vnet, src);
}

/* The Active system (or shadowing) row whose prefix holds p, if any. */
static const struct fab_row *
system_cover(const struct fab_table *c, const struct prefix *p)
{
	const struct fab_row *r;
	size_t i, j;

	for (i = 0; i < c->nrows; i++) {
		r = &c->rows[i];
		if (r->source != FAB_SRC_DEFAULT ||
		    (r->hop != FAB_HOP_VNET_LOCAL &&
		        r->hop != FAB_HOP_PEERING &&
		        r->hop != FAB_HOP_GLOBAL_PEERING &&
		        r->hop != FAB_HOP_SERVICE_ENDPOINT))
			continue;
		for (j = 0; j < r->nprefixes; j++)
			if (prefix_contains(&r->prefixes[j], p))
				return r;
	}
	return NULL;
}

static void
explain_rows(struct fab_explanation *e, const struct fab_table *c,
    const struct prefix *p, const char *rtname)
{
	char b1[PREFIX_STRLEN], b2[ADDR_STRLEN];
	const struct fab_row *r, *win = NULL;
	size_t i;

	for (i = 0; i < c->nrows; i++) {
		r = &c->rows[i];
		if (r->nprefixes != 1 || !prefix_equal(&r->prefixes[0], p))
			continue;
		if (r->state == FAB_ACTIVE) {
			e->present = true;
			if (win == NULL)
				win = r;
		}
		if (r->source == FAB_SRC_USER)
			reason(e, "R3.6",
			    "user route %s in route table %s: %s %s%s%s, %s",
			    r->name, rtname, P(p, b1), fab_hop_name(r->hop),
			    r->nexthop.af ? " " : "",
			    r->nexthop.af ? A(&r->nexthop, b2) : "",
			    fab_state_name(r->state));
		else if (r->source == FAB_SRC_GATEWAY)
			reason(e, "R3.3",
			    "%s is on the NIC as VirtualNetworkGateway %s "
			    "(programmed by %s), %s",
			    P(p, b1), A(&r->nexthop, b2), r->programmed_by,
			    fab_state_name(r->state));
		else
			reason(e,
			    r->hop == FAB_HOP_VNET_LOCAL ||
			            r->hop == FAB_HOP_INTERNET ||
			            r->hop == FAB_HOP_NONE
			        ? "R3.4"
			        : "R3.5",
			    "system route Default %s %s, %s", P(p, b1),
			    fab_hop_name(r->hop), fab_state_name(r->state));
	}
	if (win == NULL)
		return;
	for (i = 0; i < c->nrows; i++) {
		r = &c->rows[i];
		if (r->nprefixes != 1 || !prefix_equal(&r->prefixes[0], p) ||
		    r->state != FAB_INVALID || r->source == win->source)
			continue;
		if (win->source == FAB_SRC_USER)
			reason(e, "R3.6",
			    "%s %s %s is overridden by user route %s (Invalid)",
			    fab_src_name(r->source), P(p, b1),
			    fab_hop_name(r->hop), win->name);
		else
			reason(e, "R3.6",
			    "%s %s %s loses to the %s route (Invalid)",
			    fab_src_name(r->source), P(p, b1),
			    fab_hop_name(r->hop), fab_src_name(win->source));
	}
}

/* What became of every programmed route for exactly p. */
static void
explain_programmed(struct fabric *f, struct fab_explanation *e,
    const struct topo_subnet *s, const struct fab_table *c,
    const struct prefix *p)
{
	char b1[PREFIX_STRLEN], b2[PREFIX_STRLEN], b3[ADDR_STRLEN];
	const struct topo *t = f->topo;
	const struct topo_route_table *rt = NULL;
	const struct fab_prog *r, *best = NULL;
	const struct fab_set *bset = NULL;
	const struct fab_row *sys;
	const struct prefix *in;
	const char *sv, *owner;
	struct fab_vis vis;
	enum topo_pref pref = TOPO_PREF_EXPRESSROUTE;
	size_t i, j, found = 0;
	int cmp;

	if (s->route_table != NULL)
		rt = topo_route_table_lookup(t, s->route_table);
	fab_visible(t, s->vnet, &vis);
	/* First pass: the best visible candidate, for the comparison. */
	for (i = 0; i < f->nsets; i++) {
		sv = fab_resource_vnet(t, f->sets[i].resource);
		if (sv == NULL ||
		    !(eq(sv, vis.vnets[0]) || eq(sv, vis.vnets[1])))
			continue;
		for (j = 0; j < f->sets[i].n; j++) {
			r = &f->sets[i].routes[j];
			if (!prefix_equal(&r->pfx, p) || r->nnh == 0 ||
			    fab_in_vnet_set(t, sv, p, &in, &owner))
				continue;
			pref = fab_pref(t, sv);
			if (best == NULL || fab_prog_cmp(pref, r, best) < 0) {
				best = r;
				bset = &f->sets[i];
			}
		}
	}
	for (i = 0; i < f->nsets; i++) {
		const struct fab_set *set = &f->sets[i];

		for (j = 0; j < set->n; j++) {
			r = &set->routes[j];
			if (!prefix_equal(&r->pfx, p))
				continue;
			found++;
			reason(e, "R3.1", "%s programs %s (%s%s%s%s%s)",
			    set->name, P(p, b1), origin_name(r->origin),
			    r->aspath != NULL ? ", AS path " : "",
			    r->aspath != NULL ? r->aspath : "",
			    r->learned_from != NULL ? ", from " : "",
			    r->learned_from != NULL ? r->learned_from : "");
			sv = fab_resource_vnet(t, set->resource);
			if (sv == NULL) {
				reason(e, "R3.1",
				    "%s belongs to %s, which is not in the "
				    "topology",
				    set->name, set->resource);
				continue;
			}
			if (!eq(sv, vis.vnets[0]) && !eq(sv, vis.vnets[1])) {
				why_invisible(e, t, s->vnet, sv, set->name);
				continue;
			}
			if (rt != NULL && rt->disable_bgp) {
				reason(e, "R3.2",
				    "propagation disabled by route table %s "
				    "on subnet %s/%s",
				    rt->name, s->vnet, s->name);
				continue;
			}
			if (r->nnh == 0) {
				reason(e, "R3.3", "the route has no next hop");
				continue;
			}
			if (fab_in_vnet_set(t, sv, p, &in, &owner)) {
				reason(e, "R2.6",
				    "filtered as inside the VNet set: %s is "
				    "inside %s of %s",
				    P(p, b1), P(in, b2), owner);
				continue;
			}
			sys = system_cover(c, p);
			if (sys != NULL) {
				reason(e, "R3.6",
				    "beaten by system route Default %s %s: "
				    "VNet and peering routes win over BGP "
				    "even when less specific, so the route is "
				    "not listed",
				    P(&sys->prefixes[0], b2),
				    fab_hop_name(sys->hop));
				continue;
			}
			pref = fab_pref(t, sv);
			cmp = fab_prog_cmp(pref, r, best);
			if (cmp > 0) {
				if (r->origin != best->origin &&
				    (r->origin == FAB_ORIGIN_ER ||
				        best->origin == FAB_ORIGIN_ER) &&
				    pref != TOPO_PREF_ASPATH)
					reason(e, "R2.8",
					    "lost to %s on routing preference "
					    "%s",
					    bset->name, topo_pref_name(pref));
				else if (r->aspath_len != best->aspath_len)
					reason(e, "R2.7",
					    "lost on AS-path length to %s "
					    "(%d against %d, next hop %s); "
					    "not listed",
					    bset->name, r->aspath_len,
					    best->aspath_len,
					    A(&best->nexthop[0], b3));
				else
					reason(e, "R2.7",
					    "equal AS-path length (%d): the "
					    "%s route of %s wins the tie; not "
					    "listed",
					    r->aspath_len,
					    origin_name(best->origin),
					    bset->name);
				continue;
			}
			if (best != r && cmp == 0)
				reason(e, "R2.7",
				    "equal to the route of %s: both are "
				    "installed (ECMP)",
				    bset->name);
		}
	}
	if (found == 0)
		reason(e, "R3.1",
		    "never programmed: no route server or gateway programs %s",
		    P(p, b1));
}

/* The NVA whose own default route points back at itself (G1, R2.12). */
static void
explain_loop(struct fabric *f, struct fab_explanation *e, const char *nic,
    const struct fab_table *c, const struct prefix *p)
{
	const struct topo_nic *n = topo_nic_lookup(f->topo, nic);
	size_t i;

	for (i = 0; i < c->nrows; i++)
		if (c->rows[i].state == FAB_ACTIVE &&
		    c->rows[i].source == FAB_SRC_GATEWAY &&
		    c->rows[i].nprefixes == 1 &&
		    prefix_equal(&c->rows[i].prefixes[0], p) &&
		    addr_cmp(&c->rows[i].nexthop, &n->ip) == 0) {
			reason(e, "R2.12",
			    "routing loop: %s is the next hop of its own "
			    "route; add a user route 0.0.0.0/0 to Internet on "
			    "its subnet",
			    nic);
			return;
		}
}

bool
fab_explain(struct fabric *f, const char *nic, const struct prefix *p,
    const struct ipaddr *dst, struct fab_explanation *out)
{
	char b1[PREFIX_STRLEN], b2[ADDR_STRLEN];
	const struct topo_subnet *s;
	const struct fab_row *r;
	struct fab_cache *c;
	struct fab_table tab;
	struct prefix m;
	size_t at;

	memset(out, 0, sizeof(*out));
	if (!fab_index_nic(f, nic, &at))
		return false;
	s = &f->topo->subnets[at];
	c = fab_subnet_table(f, at);
	fab_table_view(f, c, &tab);
	if (p == NULL) {
		r = fab_table_match(c, dst, &m);
		if (r == NULL) {
			reason(out, "R3.6",
			    "no Active route holds %s: the traffic is dropped",
			    A(dst, b2));
			return true;
		}
		reason(out, "R3.6",
		    "%s matches %s (longest prefix match over Active routes)",
		    A(dst, b2), P(&m, b1));
		p = &m;
	}
	explain_rows(
	    out, &tab, p, s->route_table != NULL ? s->route_table : "(none)");
	explain_programmed(f, out, s, &tab, p);
	explain_loop(f, out, nic, &tab, p);
	return true;
}
