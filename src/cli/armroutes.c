/* SPDX-License-Identifier: ISC */
/* cli/armroutes.c - vrs lab import-arm --routes: learned routes as vrs-speaker (ExaBGP) files. */

#include "cli/arm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- routes (--routes) ---- */

/* The speaker that plays o (a bgpConnection or a site), made on first use. */
static struct aspk *
spk_for(struct aimp *a, struct aobj *o, struct aobj *gw)
{
	int i;

	for (i = 0; i < a->nspk; i++)
		if (a->spk[i].peer == o)
			return &a->spk[i];
	for (i = 0; i < a->nspk; i++)
		if (strcmp(a->spk[i].name, o->name) == 0) {
			arm_onote(a, o,
			    "routes ignored (speaker %s already plays "
			    "another peer)",
			    o->name);
			return NULL;
		}
	if (a->nspk == LAB_MAX || strlen(o->name) > 48) {
		arm_onote(a, o,
		    "routes ignored (at most %d speakers of 1-48 "
		    "characters)",
		    LAB_MAX);
		return NULL;
	}
	memset(&a->spk[a->nspk], 0, sizeof(a->spk[0]));
	snprintf(a->spk[a->nspk].name, sizeof(a->spk[0].name), "%s", o->name);
	a->spk[a->nspk].peer = o;
	a->spk[a->nspk].gw = gw;
	sbuf_init(&a->spk[a->nspk].conf);
	sbuf_init(&a->spk[a->nspk].routes[0]);
	sbuf_init(&a->spk[a->nspk].routes[1]);
	return &a->spk[a->nspk++];
}

/*
 * One route of a learned or advertised list as an ExaBGP static line.
 * nh, when set, replaces the route's next hop; strip drops the route
 * server's own AS 65515 from the front of the path (advertised routes).
 */
static bool
route_line(struct aimp *a, const char *file, const char *where, json_t *r,
    const struct ipaddr *nh, bool strip, struct sbuf *out)
{
	const char *net = json_string_value(json_object_get(r, "network"));
	const char *hop = json_string_value(json_object_get(r, "nextHop"));
	const char *path = json_string_value(json_object_get(r, "asPath"));
	const char *org = json_string_value(json_object_get(r, "origin"));
	char ps[PREFIX_STRLEN], hs[ADDR_STRLEN], as[400], *w, *save = NULL;
	struct sbuf line;
	struct prefix p;
	struct ipaddr h;
	bool first = true;

	if (net == NULL || prefix_parse(net, &p, 0) != NULL) {
		arm_err(a, "%s: %s.network: expected a prefix", file, where);
		return false;
	}
	if (nh != NULL)
		h = *nh;
	else if (hop == NULL || !addr_parse(hop, &h)) {
		arm_err(
		    a, "%s: %s.nextHop: expected an IP address", file, where);
		return false;
	}
	if (path != NULL && strlen(path) >= sizeof(as)) {
		arm_err(a, "%s: %s.asPath: too long", file, where);
		return false;
	}
	sbuf_init(&line);
	sbuf_printf(&line, "    route %s next-hop %s",
	    prefix_print(&p, ps, sizeof(ps)), addr_print(&h, hs, sizeof(hs)));
	snprintf(as, sizeof(as), "%s", path != NULL ? path : "");
	for (w = strtok_r(as, " -,", &save); w != NULL;
	     w = strtok_r(NULL, " -,", &save)) {
		if (strspn(w, "0123456789") != strlen(w) || strlen(w) > 10) {
			arm_err(a, "%s: %s.asPath: %.40s is not an AS number",
			    file, where, w);
			sbuf_fini(&line);
			return false;
		}
		if (first && strip && strcmp(w, "65515") == 0)
			continue;
		sbuf_printf(&line, "%s %s", first ? " as-path [" : "", w);
		first = false;
	}
	if (!first)
		sbuf_puts(&line, " ]");
	if (org != NULL && strcasecmp(org, "Igp") == 0)
		sbuf_puts(&line, " origin igp");
	else if (org != NULL && strcasecmp(org, "Egp") == 0)
		sbuf_puts(&line, " origin egp");
	else if (org != NULL && strcasecmp(org, "Incomplete") == 0)
		sbuf_puts(&line, " origin incomplete");
	sbuf_printf(out, "%s;\n", line.s);
	sbuf_fini(&line);
	return true;
}

/* The bgpConnection a learned route came from (sourcePeer), or, for an
 * advertised one, the one whose AS follows 65515 (if only one has it). */
static struct aobj *
route_peer(struct aimp *a, json_t *r, bool *adv)
{
	const char *sp = json_string_value(json_object_get(r, "sourcePeer"));
	const char *path = json_string_value(json_object_get(r, "asPath"));
	struct aobj *hit = NULL, *o;
	struct ipaddr ip;
	unsigned long asn = 0;
	size_t i;

	*adv = sp == NULL;
	if (sp != NULL && !addr_parse(sp, &ip))
		return NULL;
	if (sp == NULL) {
		if (path == NULL || strncmp(path, "65515-", 6) != 0)
			return NULL;
		asn = strtoul(path + 6, NULL, 10);
	}
	for (i = 0; i < a->nobjs; i++) {
		o = &a->objs[i];
		if (o->kind != K_BGPCONN || !o->ok)
			continue;
		if (sp != NULL ? addr_cmp(&o->ip[0], &ip) == 0
		               : o->asn == asn) {
			if (hit != NULL && sp == NULL)
				return NULL; /* two NVAs of that AS */
			hit = o;
		}
	}
	return hit;
}

/* "file: " or "file: key: " for a count of routes under base "key.". */
static const char *
pfx(const char *file, const char *base, char *buf, size_t len)
{
	size_t n = strlen(base);

	arm_fmt(buf, len, "%s: %.*s%s", file, (int)(n > 0 ? n - 1 : 0), base,
	    n > 0 ? ": " : "");
	return buf;
}

/* Route server routes: {"RouteServiceRole_IN_0": [...], "..._IN_1": [...]} */
static void
routes_rs(struct aimp *a, const char *file, const char *base, json_t *j)
{
	static const char *const role[2] = { "RouteServiceRole_IN_0",
		"RouteServiceRole_IN_1" };
	char where[WHERE_LEN];
	const char *p;
	struct aobj *o;
	struct aspk *sp;
	json_t *list, *r;
	char pre[WHERE_LEN + 64];
	int k, own = 0, other = 0, lost = 0;
	bool adv;
	size_t x;

	for (k = 0; k < 2; k++) {
		list = json_object_get(j, role[k]);
		if (list != NULL && !json_is_array(list) &&
		    !json_is_null(list)) {
			arm_err(a, "%s: %s%s: expected a list", file, base,
			    role[k]);
			continue;
		}
		if (json_array_size(list) > ARM_ROUTES_MAX) {
			arm_err(a, "%s: %s%s: more than %d routes", file, base,
			    role[k], ARM_ROUTES_MAX);
			continue;
		}
		json_array_foreach(list, x, r)
		{
			snprintf(where, sizeof(where), "%s%s[%zu]", base,
			    role[k], x);
			if (!json_is_object(r)) {
				arm_err(a, "%s: %s: expected an object", file,
				    where);
				continue;
			}
			p = json_string_value(json_object_get(r, "asPath"));
			if ((o = route_peer(a, r, &adv)) == NULL) {
				if (adv && p != NULL && strcmp(p, "65515") == 0)
					own++;
				else if (adv)
					other++;
				else
					lost++;
				continue;
			}
			/* an advertised route's next hop is the route
			 * server's: the NVA's own address stands for it */
			if ((sp = spk_for(a, o, NULL)) != NULL)
				(void)route_line(a, file, where, r,
				    adv ? &o->ip[0] : NULL, adv,
				    &sp->routes[k]);
		}
	}
	if (own > 0)
		arm_note(a,
		    "%s%d routes with AS path 65515: ignored (the "
		    "VNets' own, from the topology)",
		    pfx(file, base, pre, sizeof(pre)), own);
	if (other > 0)
		arm_note(a,
		    "%s%d advertised routes of no imported NVA (a "
		    "gateway's, or an AS two NVAs share): ignored",
		    pfx(file, base, pre, sizeof(pre)), other);
	if (lost > 0)
		arm_note(a,
		    "%s%d learned routes whose sourcePeer is no "
		    "imported bgpConnection: ignored",
		    pfx(file, base, pre, sizeof(pre)), lost);
}

/* The BGP site (a local gateway on a BGP connection) at address ip. */
static struct aobj *
site_at(struct aimp *a, const struct ipaddr *ip, struct aobj **gw)
{
	struct aobj *c, *l;
	size_t i;

	for (i = 0; i < a->nobjs; i++) {
		c = &a->objs[i];
		if (c->kind != K_CONN || !c->ok || !c->bgp)
			continue;
		l = arm_find(a, K_LGW, NULL, c->ref[1]);
		*gw = arm_find(a, K_VGW, NULL, c->ref[0]);
		if (l != NULL && l->ok && l->nip == 1 && *gw != NULL &&
		    (*gw)->nip > 0 && addr_cmp(&l->ip[0], ip) == 0)
			return l;
	}
	return NULL;
}

/* A VPN gateway's learned routes ({"value": [...]}): the sites' EBgp ones. */
static void
routes_gw(struct aimp *a, const char *file, const char *base, json_t *list)
{
	struct aobj *site, *gw = NULL;
	struct aspk *sp;
	struct ipaddr ip;
	char where[WHERE_LEN];
	const char *org, *src;
	json_t *r;
	char pre[WHERE_LEN + 64];
	size_t x;
	int skip = 0;

	if (json_array_size(list) > ARM_ROUTES_MAX) {
		arm_err(a, "%s: %svalue: more than %d routes", file, base,
		    ARM_ROUTES_MAX);
		return;
	}
	json_array_foreach(list, x, r)
	{
		snprintf(where, sizeof(where), "%svalue[%zu]", base, x);
		org = json_string_value(json_object_get(r, "origin"));
		src = json_string_value(json_object_get(r, "sourcePeer"));
		if (!json_is_object(r) || org == NULL || src == NULL) {
			arm_err(a,
			    "%s: %s: expected a route with origin and "
			    "sourcePeer",
			    file, where);
			continue;
		}
		if (strcasecmp(org, "EBgp") != 0 || !addr_parse(src, &ip) ||
		    (site = site_at(a, &ip, &gw)) == NULL) {
			skip++;
			continue;
		}
		if ((sp = spk_for(a, site, gw)) != NULL)
			(void)route_line(
			    a, file, where, r, NULL, false, &sp->routes[0]);
	}
	if (skip > 0)
		arm_note(a,
		    "%s%d gateway routes not from an imported BGP site "
		    "(Network, IBgp, ExpressRoute): ignored",
		    pfx(file, base, pre, sizeof(pre)), skip);
}

/* One neighbor block of an ExaBGP file. */
static void
neighbor(struct sbuf *b, const struct ipaddr *peer, const struct ipaddr *me,
    uint32_t my_as, uint32_t peer_as, const char *routes)
{
	char ps[ADDR_STRLEN], ms[ADDR_STRLEN];

	addr_print(peer, ps, sizeof(ps));
	addr_print(me, ms, sizeof(ms));
	sbuf_printf(b,
	    "neighbor %s {\n  router-id %s;\n  local-address %s;\n"
	    "  local-as %u;\n  peer-as %u;\n  static {\n%s  }\n}\n",
	    ps, ms, ms, my_as, peer_as, routes);
}

/* Each speaker's ExaBGP file from the routes it collected. */
void
arm_speakers_finish(struct aimp *a)
{
	struct aspk *sp;
	struct aobj *hub;
	int i, k;

	for (i = 0; i < a->nspk; i++) {
		sp = &a->spk[i];
		if (sp->gw != NULL) {
			sbuf_printf(&sp->conf,
			    "# written by vrs lab import-arm: what site %s (AS "
			    "%u) announces to VPN gateway %s\n",
			    sp->name, sp->peer->asn, sp->gw->name);
			for (k = 0; k < sp->gw->nip; k++)
				neighbor(&sp->conf, &sp->gw->ip[k],
				    &sp->peer->ip[0], sp->peer->asn,
				    sp->gw->asn, sp->routes[0].s);
			continue;
		}
		hub = arm_find(a, K_HUB, NULL, sp->peer->parent);
		sbuf_printf(&sp->conf,
		    "# written by vrs lab import-arm: what %s (AS %u) "
		    "announces to route server %s\n",
		    sp->name, sp->peer->asn, sp->peer->parent);
		for (k = 0; hub != NULL && k < hub->nip; k++)
			neighbor(&sp->conf, &hub->ip[k], &sp->peer->ip[0],
			    sp->peer->asn, 65515, sp->routes[k].s);
	}
}

void
arm_routes_load(
    struct aimp *a, const char *file, json_t *j, const char *base, int level)
{
	const char *k;
	json_t *v;
	char sub[WHERE_LEN];
	size_t i;

	if (json_is_array(j) && level == 0) {
		json_array_foreach(j, i, v)
		{
			snprintf(sub, sizeof(sub), "[%zu].", i);
			arm_routes_load(a, file, v, sub, 1);
		}
		return;
	}
	if (!json_is_object(j)) {
		arm_err(a,
		    "%s: %sexpected learned or advertised routes "
		    "({\"RouteServiceRole_IN_0\": [...], ...}) or a "
		    "gateway's ({\"value\": [...]})",
		    file, base);
		return;
	}
	if (json_object_get(j, "RouteServiceRole_IN_0") != NULL ||
	    json_object_get(j, "RouteServiceRole_IN_1") != NULL) {
		routes_rs(a, file, base, j);
		return;
	}
	if (json_is_array(json_object_get(j, "value"))) {
		routes_gw(a, file, base, json_object_get(j, "value"));
		return;
	}
	if (level > 0) {
		arm_err(a, "%s: %sexpected learned or advertised routes", file,
		    base);
		return;
	}
	json_object_foreach(j, k, v) /* {"nva1": {...}, "onprem": {...}} */
	{
		snprintf(sub, sizeof(sub), "%.100s.", k);
		arm_routes_load(a, file, v, sub, 1);
	}
}
