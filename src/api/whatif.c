/* SPDX-License-Identifier: ISC */
/* api/whatif.c - POST /v1/whatif: a change applied to a copy, and what it would do to each NIC. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "api/api_int.h"
#include "gateway/gw.h"
#include "lib/log.h"
#include "lib/prefix.h"

/*
 * The body is {"changes": [{"method", "path", "body"}...], "nics": [...],
 * "destinations": [...]}: the writes a `vrs network` verb would make,
 * in order; {"method": "RESET", "body": {"options": {...}}} starts from
 * an empty topology (what a lab file's commands then build).  A topology write goes through api_change() on a copy of
 * the topology, an announcedRoutes write into a copy of the route
 * servers' store (ars_clone); a second fabric over the copies is
 * programmed as api_sync() programs the real one, and every NIC's
 * effective routes are compared, row group by row group.  Nothing of
 * the running state is touched: no save, no BGP message, no log line
 * but the request's.
 */

#define WHATIF_CHANGES 64
#define WHATIF_NICS    4096
#define WHATIF_DESTS   64
#define WHATIF_BODY    (1u << 20)

struct whatif {
	struct api s;      /* a copy of the api over the scratch state */
	struct topo *topo; /* owned: the changed topology */
	struct ars *ars;   /* owned: the changed announcements */
	struct fabric *fab;
};

static void
whatif_fini(struct whatif *w)
{
	fab_free(w->fab);
	ars_free(w->ars);
	topo_free(w->topo);
}

/* "virtualHubs/RS/bgpConnections/PEER/announcedRoutes" in path: RS, PEER. */
static bool
announce_path(const char *path, char *rs, size_t rlen, char *peer, size_t plen)
{
	const char *h = strcasestr(path, "/virtualHubs/"), *c, *e;

	if (h == NULL)
		return false;
	h += strlen("/virtualHubs/");
	if ((c = strcasestr(h, "/bgpConnections/")) == NULL ||
	    (size_t)(c - h) >= rlen)
		return false;
	memcpy(rs, h, (size_t)(c - h));
	rs[c - h] = '\0';
	c += strlen("/bgpConnections/");
	if ((e = strchr(c, '/')) == NULL ||
	    strcasecmp(e, "/announcedRoutes") != 0 || (size_t)(e - c) >= plen)
		return false;
	memcpy(peer, c, (size_t)(e - c));
	peer[e - c] = '\0';
	return true;
}

/*
 * ".../localNetworkGateways/NAME/announcedRoutes" (1) or
 * ".../expressRouteCircuits/NAME/announcedRoutes" (2) in path: NAME.
 */
static int
site_path(const char *path, char *name, size_t len)
{
	static const char *const types[] = { "/localNetworkGateways/",
		"/expressRouteCircuits/" };
	const char *h, *e;
	int k;

	for (k = 0; k < 2; k++) {
		if ((h = strcasestr(path, types[k])) == NULL)
			continue;
		h += strlen(types[k]);
		if ((e = strchr(h, '/')) == NULL ||
		    strcasecmp(e, "/announcedRoutes") != 0 ||
		    (size_t)(e - h) >= len)
			return 0;
		memcpy(name, h, (size_t)(e - h));
		name[e - h] = '\0';
		return k + 1;
	}
	return 0;
}

/* What an on-premises site or a circuit announces, into w's store. */
static bool
apply_site(struct whatif *w, size_t i, const char *method, json_t *body,
    const char *name, bool circuit, int *status, char *why, size_t len)
{
	static const struct ipaddr none;
	const struct topo_local_gateway *l = NULL;

	if (strcmp(method, "PUT") != 0 || !json_is_object(body)) {
		snprintf(why, len,
		    "changes[%zu]: announcedRoutes takes a PUT with a body", i);
		return false;
	}
	if (circuit ? !ars_circuit_used(w->topo, name)
	            : (l = topo_local_gateway_lookup(w->topo, name)) == NULL) {
		*status = 404;
		snprintf(why, len, "changes[%zu]: %s %.200s not found", i,
		    circuit ? "ExpressRoute circuit" : "local network gateway",
		    name);
		return false;
	}
	if (l != NULL && l->asn == 0) {
		*status = 409;
		snprintf(why, len,
		    "changes[%zu]: local network gateway %.200s has no BGP "
		    "settings: it announces nothing",
		    i, name);
		return false;
	}
	return ars_site_from_json(w->ars, name, l != NULL ? &l->bgp_ip : &none,
	    l != NULL ? l->asn : 0, body, why, len);
}

/* One change into w; false with status and a message. */
static bool
apply(
    struct whatif *w, size_t i, json_t *ch, int *status, char *why, size_t len)
{
	const char *method = json_string_value(json_object_get(ch, "method"));
	const char *path = json_string_value(json_object_get(ch, "path"));
	json_t *body = json_object_get(ch, "body");
	const struct topo_routeserver *rs;
	const struct topo_bgpconn *c = NULL;
	char rsn[256], peer[256];
	struct topo_err err;
	struct topo *nt;
	bool created;
	size_t k;

	*status = 400;
	if (method == NULL || path == NULL) {
		snprintf(why, len, "changes[%zu]: needs method and path", i);
		return false;
	}
	if (strcmp(method, "RESET") == 0) { /* a lab file: start empty */
		nt = topo_new();
		nt->opts.relaxed = json_is_true(json_object_get(
		    json_object_get(body, "options"), "relaxed"));
		nt->gen = w->topo->gen + 1;
		topo_free(w->topo);
		w->topo = nt;
		return true;
	}
	if (strncmp(path, "/subscriptions/", 15) != 0) {
		snprintf(why, len,
		    "changes[%zu]: %s %.200s: only ARM resources under "
		    "/subscriptions/ can be tried",
		    i, method, path);
		return false;
	}
	if (announce_path(path, rsn, sizeof(rsn), peer, sizeof(peer))) {
		if (strcmp(method, "PUT") != 0 || !json_is_object(body)) {
			snprintf(why, len,
			    "changes[%zu]: announcedRoutes takes a PUT with a "
			    "body",
			    i);
			return false;
		}
		if ((rs = topo_routeserver_lookup(w->topo, rsn)) != NULL)
			for (k = 0; k < rs->nconns && c == NULL; k++)
				if (strcmp(rs->conns[k].name, peer) == 0)
					c = &rs->conns[k];
		if (c == NULL) {
			*status = 404;
			snprintf(why, len,
			    "changes[%zu]: route server peering %.100s not "
			    "found in route server %.100s",
			    i, peer, rsn);
			return false;
		}
		if (!ars_announced_from_json(w->ars, rs->name, c->name,
		        &c->peer_ip, c->peer_asn, body, why, len)) {
			return false;
		}
		return true;
	}
	if ((k = site_path(path, rsn, sizeof(rsn))) != 0)
		return apply_site(
		    w, i, method, body, rsn, k == 2, status, why, len);
	if (strcmp(method, "PUT") != 0 && strcmp(method, "DELETE") != 0) {
		snprintf(
		    why, len, "changes[%zu]: %s cannot be tried", i, method);
		return false;
	}
	if (strcmp(method, "PUT") == 0 && !json_is_object(body)) {
		snprintf(
		    why, len, "changes[%zu]: a PUT needs a body object", i);
		return false;
	}
	w->s.topo = w->topo;
	nt = api_change(&w->s, method, path + 15,
	    strcmp(method, "PUT") == 0 ? body : NULL, status, &created, &err);
	if (nt == NULL) {
		snprintf(why, len, "changes[%zu]: %s", i, err.msg);
		return false;
	}
	nt->gen = w->topo->gen + 1;
	topo_free(w->topo);
	w->topo = nt;
	return true;
}

/* ---- comparing two tables ---- */

/* The key of a row group: source and prefixes, as az prints them. */
static void
row_key(json_t *row, char *key, size_t len)
{
	json_t *v;
	size_t i, o;

	o = (size_t)snprintf(
	    key, len, "%s", json_string_value(json_object_get(row, "source")));
	json_array_foreach(json_object_get(row, "addressPrefix"), i, v)
	{
		if (o >= len)
			break;
		o += (size_t)snprintf(
		    key + o, len - o, " %s", json_string_value(v));
	}
}

/* The rows of rows (borrowed) by key, {key: [row...]}, in their order. */
static json_t *
groups(json_t *rows)
{
	json_t *g = json_object(), *r, *v;
	char key[512];
	size_t i;

	json_array_foreach(rows, i, r)
	{
		row_key(r, key, sizeof(key));
		if ((v = json_object_get(g, key)) == NULL)
			json_object_set_new(g, key, v = json_array());
		json_array_append(v, r);
	}
	return g;
}

/* One NIC's comparison, and the flows of every NIC so far. */
struct diff {
	struct fabric *before, *after;
	const char *nic;
	json_t *flows; /* [{"nic", "destination", "before", "after"}] */
	json_t *tried; /* {"NIC DESTINATION": true}: looked at once */
};

/* A destination address for a row: its first prefix's network address. */
static bool
row_dest(json_t *row, struct ipaddr *dst)
{
	struct prefix p;
	const char *s = json_string_value(
	    json_array_get(json_object_get(row, "addressPrefix"), 0));

	if (s == NULL || prefix_parse(s, &p, 0) != NULL)
		return false;
	dst->af = p.af;
	memcpy(dst->a, p.a, sizeof(dst->a));
	return true;
}

static json_t *
hop_json(struct fabric *f, const char *nic, const struct ipaddr *dst)
{
	struct fab_next_hop nh;

	if (!fab_next_hop(f, nic, dst, &nh))
		return json_null();
	return fab_next_hop_to_json(&nh);
}

/* The flow from d->nic to dst, once: kept when its next hop changes. */
static void
flow(struct diff *d, const struct ipaddr *dst)
{
	char buf[ADDR_STRLEN], key[512];
	json_t *b, *a;

	addr_print(dst, buf, sizeof(buf));
	snprintf(key, sizeof(key), "%s %s", d->nic, buf);
	if (json_object_get(d->tried, key) != NULL)
		return;
	json_object_set_new(d->tried, key, json_true());
	b = hop_json(d->before, d->nic, dst);
	a = hop_json(d->after, d->nic, dst);
	if (json_equal(a, b)) {
		json_decref(a);
		json_decref(b);
		return;
	}
	json_array_append_new(d->flows,
	    json_pack("{s:s,s:s,s:o,s:o}", "nic", d->nic, "destination", buf,
	        "before", b, "after", a));
}

static void
row_flow(struct diff *d, json_t *row)
{
	struct ipaddr dst;

	if (row_dest(row, &dst))
		flow(d, &dst);
}

/* What the change does to d->nic's table: {"name", added, removed, changed}. */
static json_t *
nic_diff(struct diff *d, json_t *dests)
{
	struct fab_table t;
	json_t *b = NULL, *a = NULL, *rb, *ra, *gb, *ga, *ka, *r, *out;
	json_t *added = json_array(), *removed = json_array(),
	       *changed = json_array(), *done = json_object();
	struct ipaddr dst;
	char key[512];
	size_t i;

	if (fab_nic_effective_routes(d->before, d->nic, &t))
		b = fab_table_to_json(&t);
	if (fab_nic_effective_routes(d->after, d->nic, &t))
		a = fab_table_to_json(&t);
	rb = json_object_get(b, "value");
	ra = json_object_get(a, "value");
	gb = groups(rb);
	ga = groups(ra);
	json_array_foreach(rb, i, r)
	{
		row_key(r, key, sizeof(key));
		if ((ka = json_object_get(ga, key)) == NULL) {
			json_array_append(removed, r);
			row_flow(d, r);
		} else if (json_object_get(done, key) == NULL) {
			json_object_set_new(done, key, json_true());
			if (!json_equal(json_object_get(gb, key), ka)) {
				json_array_append_new(changed,
				    json_pack("{s:O,s:O}", "before",
				        json_object_get(gb, key), "after", ka));
				row_flow(d, r);
			}
		}
	}
	json_array_foreach(ra, i, r)
	{
		row_key(r, key, sizeof(key));
		if (json_object_get(gb, key) == NULL) {
			json_array_append(added, r);
			row_flow(d, r);
		}
	}
	json_array_foreach(dests, i, r)
	{
		if (addr_parse(json_string_value(r), &dst))
			flow(d, &dst);
	}
	out = json_pack("{s:s,s:b,s:b,s:o,s:o,s:o}", "name", d->nic, "existed",
	    b != NULL, "exists", a != NULL, "added", added, "removed", removed,
	    "changed", changed);
	json_decref(done);
	json_decref(gb);
	json_decref(ga);
	json_decref(a);
	json_decref(b);
	return out;
}

/* The NICs to compare: those asked for, else every NIC before or after. */
static json_t *
nic_names(const struct topo *before, const struct topo *after, json_t *asked)
{
	json_t *names = json_array(), *v;
	size_t i, k;
	const struct topo *t[2] = { before, after };

	if (json_array_size(asked) > 0) {
		json_array_foreach(asked, i, v) json_array_append(names, v);
		return names;
	}
	for (k = 0; k < 2; k++)
		for (i = 0; i < t[k]->nnics; i++) {
			if (k == 1 &&
			    topo_nic_lookup(before, t[k]->nics[i].name) != NULL)
				continue;
			json_array_append_new(
			    names, json_string(t[k]->nics[i].name));
		}
	return names;
}

static bool
strings(json_t *v, size_t max, const char *what, char *why, size_t len)
{
	json_t *e;
	size_t i;

	if (v == NULL)
		return true;
	if (!json_is_array(v) || json_array_size(v) > max) {
		snprintf(why, len, "%s: expected a list of at most %zu strings",
		    what, max);
		return false;
	}
	json_array_foreach(v, i, e) if (!json_is_string(e))
	{
		snprintf(why, len, "%s[%zu]: expected a string", what, i);
		return false;
	}
	return true;
}

static json_t *
body_json(struct evhttp_request *req, char *why, size_t len)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(in);
	json_error_t e;
	json_t *j;

	if (n == 0 || n > WHATIF_BODY) {
		snprintf(why, len, "the body must be 1 to %u octets of JSON",
		    WHATIF_BODY);
		return NULL;
	}
	j = json_loadb((const char *)evbuffer_pullup(in, -1), n,
	    JSON_REJECT_DUPLICATES, &e);
	if (j == NULL)
		snprintf(why, len, "body: %s at line %d column %d", e.text,
		    e.line, e.column);
	else if (!json_is_object(j)) {
		snprintf(why, len, "body: expected an object");
		json_decref(j);
		j = NULL;
	} else if (topo_json_depth(j, 65) > 64) {
		snprintf(why, len, "body: nested deeper than 64");
		json_decref(j);
		j = NULL;
	}
	return j;
}

void
api_whatif(struct api *a, struct evhttp_request *req, const char *rest)
{
	struct whatif w;
	struct diff d;
	json_t *body, *changes, *ch, *nics, *names, *dests, *out, *flows, *v;
	char why[768];
	int status = 400;
	size_t i;

	(void)rest;
	if ((body = body_json(req, why, sizeof(why))) == NULL) {
		api_reply_error(req, 400, "InvalidRequestFormat", "%s", why);
		return;
	}
	changes = json_object_get(body, "changes");
	nics = json_object_get(body, "nics");
	dests = json_object_get(body, "destinations");
	if (!json_is_array(changes) || json_array_size(changes) == 0 ||
	    json_array_size(changes) > WHATIF_CHANGES) {
		api_reply_error(req, 400, "InvalidRequestFormat",
		    "changes: expected a list of 1 to %d changes",
		    WHATIF_CHANGES);
		json_decref(body);
		return;
	}
	if (!strings(nics, WHATIF_NICS, "nics", why, sizeof(why)) ||
	    !strings(dests, WHATIF_DESTS, "destinations", why, sizeof(why))) {
		api_reply_error(req, 400, "InvalidRequestFormat", "%s", why);
		json_decref(body);
		return;
	}
	json_array_foreach(dests, i, v)
	{
		struct ipaddr ip;

		if (!addr_parse(json_string_value(v), &ip)) {
			api_reply_error(req, 400, "InvalidIPAddress",
			    "destinations[%zu]: %.64s is not an IP address", i,
			    json_string_value(v));
			json_decref(body);
			return;
		}
	}
	memset(&w, 0, sizeof(w));
	w.s = *a;
	w.s.live = NULL;
	w.s.state[0] = '\0';
	w.topo = topo_copy(a->topo);
	w.ars = ars_clone(a->ars);
	w.s.ars = w.ars;
	json_array_foreach(changes, i, ch)
	{
		if (!json_is_object(ch) ||
		    !apply(&w, i, ch, &status, why, sizeof(why))) {
			if (!json_is_object(ch))
				snprintf(why, sizeof(why),
				    "changes[%zu]: expected an object", i);
			v = json_object_get(ch, "origin");
			api_reply_error(req, status,
			    status == 404 ? "ResourceNotFound"
			                  : "WhatIfRefused",
			    "%.300s%s%s (nothing was tried)",
			    json_is_string(v) ? json_string_value(v) : "",
			    json_is_string(v) ? ": " : "", why);
			whatif_fini(&w);
			json_decref(body);
			return;
		}
	}
	w.fab = fab_new(w.topo);
	w.s.fab = w.fab;
	ars_program_begin(w.ars);
	ars_program(w.ars, w.topo, w.fab);
	gw_program(w.ars, w.topo, w.fab);
	ars_program_end(w.ars, w.fab);
	names = nic_names(a->topo, w.topo, nics);
	out = json_array();
	flows = json_array();
	d = (struct diff){ a->fab, w.fab, NULL, flows, json_object() };
	json_array_foreach(names, i, v)
	{
		d.nic = json_string_value(v);
		if (topo_nic_lookup(a->topo, d.nic) == NULL &&
		    topo_nic_lookup(w.topo, d.nic) == NULL) {
			api_reply_error(req, 404, "ResourceNotFound",
			    "network interface %.200s not found", d.nic);
			json_decref(out);
			json_decref(flows);
			json_decref(d.tried);
			json_decref(names);
			whatif_fini(&w);
			json_decref(body);
			return;
		}
		json_array_append_new(out, nic_diff(&d, dests));
	}
	json_decref(d.tried);
	api_reply_json(req, 200,
	    json_pack("{s:I,s:o,s:o}", "changes",
	        (json_int_t)json_array_size(changes), "nics", out, "flows",
	        flows));
	json_decref(names);
	whatif_fini(&w);
	json_decref(body);
}
