/* SPDX-License-Identifier: ISC */
/* cli/network.c - `vrs network ...`: az network's verbs and flags, against vrsd's ARM API. */

#include "cli/network.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/client.h"
#include "cli/output.h"
#include "cli/query.h"
#include "lib/sbuf.h"

/*
 * Each verb reads its options, builds an ARM request (api/api.h lists
 * the paths), and prints vrsd's answer as az would: the resource, a
 * list, or az's create wrappers ({"newVNet": ...}, {"NewNIC": ...}).
 * Options are az's: `--name value`, `--flag` alone or `--flag true`,
 * lists as several values (`--address-prefixes A B`).  An option the
 * verb does not read is an error, as in az.
 */

#define NET_SUB  "00000000-0000-0000-0000-000000000000"
#define NET_OPTS 48

struct net_opt {
	const char *name; /* borrowed from argv */
	char **vals;      /* borrowed: nvals values */
	int nvals;
	bool used;
};

struct net {
	const char *sock;
	const char *verb; /* "vnet create", for messages */
	enum cli_fmt fmt;
	const char *query; /* --query, NULL if none */
	const char *rg;
	struct net_opt opts[NET_OPTS];
	int nopts;
	bool bad; /* an option error was reported */
};

/* What a family of verbs works on. */
struct kind {
	const char *type;   /* ARM type of the resource or its parent */
	const char *ctype;  /* child type, NULL for a top-level resource */
	const char *parent; /* option naming the parent */
	json_t *(*table)(json_t *j); /* az's table transformer, or NULL */
};

struct verb {
	const char *words;
	const struct kind *kind;
	int (*fn)(struct net *n, const struct kind *k);
};

static void nerr(struct net *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
nerr(struct net *n, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vrs: network %s: ", n->verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	n->bad = true;
}

/* ---- options ---- */

static bool
is_option(const char *s)
{
	return s[0] == '-' && s[1] != '\0' && !(s[1] >= '0' && s[1] <= '9');
}

static bool
opts_parse(struct net *n, int argc, char **argv)
{
	struct net_opt *o = NULL;
	char *eq;
	int i;

	for (i = 0; i < argc; i++) {
		if (!is_option(argv[i])) {
			if (o == NULL) {
				nerr(n, "unrecognized arguments: %s", argv[i]);
				return false;
			}
			o->nvals++;
			continue;
		}
		if (n->nopts == NET_OPTS) {
			nerr(n, "too many options");
			return false;
		}
		o = &n->opts[n->nopts++];
		o->name = argv[i];
		o->vals = &argv[i + 1];
		o->nvals = 0;
		if (argv[i][1] == '-' && (eq = strchr(argv[i], '=')) != NULL) {
			*eq = '\0';
			argv[i] = eq + 1;
			o->vals = &argv[i];
			o->nvals = 1;
		}
	}
	return true;
}

static struct net_opt *
ofind(struct net *n, const char *lng, const char *shrt)
{
	int i;

	for (i = 0; i < n->nopts; i++)
		if (strcmp(n->opts[i].name, lng) == 0 ||
		    (shrt != NULL && strcmp(n->opts[i].name, shrt) == 0)) {
			n->opts[i].used = true;
			return &n->opts[i];
		}
	return NULL;
}

/* The single value of an option; NULL if absent (or after an error). */
static const char *
oget(struct net *n, const char *lng, const char *shrt)
{
	struct net_opt *o = ofind(n, lng, shrt);

	if (o == NULL)
		return NULL;
	if (o->nvals != 1) {
		nerr(n, "argument %s%s%s: expected one argument", lng,
		    shrt ? "/" : "", shrt ? shrt : "");
		return NULL;
	}
	return o->vals[0];
}

static const char *
oneed(struct net *n, const char *lng, const char *shrt)
{
	const char *v;

	if (ofind(n, lng, shrt) == NULL) {
		nerr(n, "the following arguments are required: %s%s%s", lng,
		    shrt ? "/" : "", shrt ? shrt : "");
		return NULL;
	}
	v = oget(n, lng, shrt);
	if (v != NULL && strpbrk(v, "/?#% ") != NULL &&
	    strcmp(lng, "--name") == 0) {
		nerr(n, "%s %s: a name has no '/', '?', '#', '%%' or blank",
		    lng, v);
		return NULL;
	}
	return v;
}

/* All values of a list option: count, or -1 if absent. */
static int
omulti(struct net *n, const char *lng, char ***vals)
{
	struct net_opt *o = ofind(n, lng, NULL);

	if (o == NULL)
		return -1;
	if (o->nvals == 0) {
		nerr(n, "argument %s: expected at least one argument", lng);
		return -1;
	}
	*vals = o->vals;
	return o->nvals;
}

/* A three-state flag: 0 absent, 1 given (*b set), -1 bad value. */
static int
obool(struct net *n, const char *lng, bool *b)
{
	struct net_opt *o = ofind(n, lng, NULL);
	const char *v;

	if (o == NULL)
		return 0;
	if (o->nvals == 0) {
		*b = true;
		return 1;
	}
	v = o->vals[0];
	if (o->nvals == 1 &&
	    (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 ||
	        strcmp(v, "yes") == 0 || strcmp(v, "1") == 0)) {
		*b = true;
		return 1;
	}
	if (o->nvals == 1 &&
	    (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 ||
	        strcmp(v, "no") == 0 || strcmp(v, "0") == 0)) {
		*b = false;
		return 1;
	}
	nerr(n, "argument %s: invalid value %s (expected true or false)", lng,
	    v);
	return -1;
}

/* Set key of body from a three-state flag; false on a bad value. */
static bool
obool_set(struct net *n, json_t *body, const char *lng, const char *key)
{
	bool b;
	int r = obool(n, lng, &b);

	if (r == 1)
		json_object_set_new(body, key, json_boolean(b));
	return r >= 0;
}

/* True when every option was read and none was bad. */
static bool
oleft(struct net *n)
{
	int i;

	for (i = 0; i < n->nopts && !n->bad; i++)
		if (!n->opts[i].used)
			nerr(n, "unrecognized arguments: %s", n->opts[i].name);
	return !n->bad;
}

/* ---- requests ---- */

static char *rpath(struct net *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static char *
rpath(struct net *n, const char *fmt, ...)
{
	struct sbuf b;
	va_list ap;

	sbuf_init(&b);
	sbuf_printf(&b,
	    "/subscriptions/" NET_SUB "/resourceGroups/%s/providers/"
	    "Microsoft.Network/",
	    n->rg);
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	return b.s; /* the sbuf's string, now the caller's */
}

/* A full ARM id for a reference in a body. */
static json_t *ref(struct net *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static json_t *
ref(struct net *n, const char *fmt, ...)
{
	struct sbuf b;
	va_list ap;
	json_t *j;

	sbuf_init(&b);
	sbuf_printf(&b,
	    "/subscriptions/" NET_SUB "/resourceGroups/%s/providers/"
	    "Microsoft.Network/",
	    n->rg);
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	j = json_pack("{s:s}", "id", b.s);
	sbuf_fini(&b);
	return j;
}

/* A reference given as a name or as a full id. */
static json_t *
ref_or_id(struct net *n, const char *type, const char *v)
{
	if (strchr(v, '/') != NULL)
		return json_pack("{s:s}", "id", v);
	return ref(n, "%s/%s", type, v);
}

/* Run a request (path consumed, body consumed); 0, 1 or 2 as exit. */
static int
call(struct net *n, const char *method, char *path, json_t *body, json_t **out)
{
	char *s = body ? json_dumps(body, JSON_COMPACT) : NULL, what[80];
	int rc;

	snprintf(what, sizeof(what), "network %s", n->verb);
	rc = cli_call(n->sock, method, path, s, out, what);
	free(s);
	free(path);
	json_decref(body);
	return rc;
}

/* Print j (consumed) in the chosen format; 1 on a bad --query. */
static int
emit(struct net *n, json_t *j, json_t *(*table)(json_t *))
{
	json_t *rows = NULL, *q;
	char why[256];

	if (n->query != NULL) {
		if ((q = cli_query(n->query, j, why, sizeof(why))) == NULL) {
			fprintf(stderr, "vrs: --query %s: %s\n", n->query, why);
			json_decref(j);
			return 1;
		}
		json_decref(j);
		j = q;
		if (n->fmt == CLI_OUT_TABLE) {
			rows = cli_table_auto(j, false);
			cli_table_print(stdout, rows);
			json_decref(rows);
			json_decref(j);
			return 0;
		}
	} else if (n->fmt == CLI_OUT_TABLE && table != NULL)
		rows = table(j);
	cli_output(stdout, j, n->fmt, rows);
	json_decref(rows);
	json_decref(j);
	return 0;
}

/* ---- az's table transformers ---- */

static json_t *
vnet_row(json_t *v)
{
	json_t *row = json_object(), *x;
	struct sbuf b;
	size_t i;

	sbuf_init(&b);
	json_array_foreach(json_object_get(json_object_get(v, "addressSpace"),
	                       "addressPrefixes"),
	    i, x) sbuf_printf(&b, "%s%s", i ? ", " : "", json_string_value(x));
	json_object_set(row, "Name", json_object_get(v, "name"));
	json_object_set(
	    row, "ResourceGroup", json_object_get(v, "resourceGroup"));
	json_object_set(row, "Location", json_object_get(v, "location"));
	json_object_set_new(row, "NumSubnets",
	    json_integer(
	        (json_int_t)json_array_size(json_object_get(v, "subnets"))));
	json_object_set_new(row, "Prefixes", json_string(b.len ? b.s : " "));
	json_object_set_new(row, "DnsServers", json_string(" "));
	json_object_set(
	    row, "DDOSProtection", json_object_get(v, "enableDdosProtection"));
	sbuf_fini(&b);
	return row;
}

static json_t *
vnet_table(json_t *j)
{
	json_t *rows = json_array(), *v;
	size_t i;

	if (json_is_array(j))
		json_array_foreach(j, i, v)
		    json_array_append_new(rows, vnet_row(v));
	else
		json_array_append_new(rows, vnet_row(j));
	return rows;
}

static json_t *
join(json_t *a)
{
	struct sbuf b;
	json_t *x, *s;
	size_t i;

	sbuf_init(&b);
	json_array_foreach(a, i, x)
	    sbuf_printf(&b, "%s%s", i ? " " : "", json_string_value(x));
	s = json_string(b.len ? b.s : "");
	sbuf_fini(&b);
	return s;
}

/* transform_effective_route_table of azure-cli. */
static json_t *
effective_table(json_t *j)
{
	json_t *rows = json_array(), *r, *row;
	size_t i;

	json_array_foreach(json_object_get(j, "value"), i, r)
	{
		row = json_object();
		json_object_set(row, "Source", json_object_get(r, "source"));
		json_object_set(row, "State", json_object_get(r, "state"));
		json_object_set_new(row, "Address Prefix",
		    join(json_object_get(r, "addressPrefix")));
		json_object_set(
		    row, "Next Hop Type", json_object_get(r, "nextHopType"));
		json_object_set_new(row, "Next Hop IP",
		    join(json_object_get(r, "nextHopIpAddress")));
		json_array_append_new(rows, row);
	}
	return rows;
}

static json_t *
explain_table(json_t *j)
{
	json_t *rows = json_array(), *r;
	size_t i;

	json_array_foreach(json_object_get(j, "reasons"), i, r)
	    json_array_append_new(rows,
	        json_pack("{s:O,s:O}", "Rule", json_object_get(r, "rule"),
	            "Reason", json_object_get(r, "reason")));
	return rows;
}

/* ---- generic verbs ---- */

/* The parent's name for a child kind; NULL after an error. */
static const char *
parent_of(struct net *n, const struct kind *k)
{
	return k->ctype ? oneed(n, k->parent, NULL) : "";
}

static char *
kpath(struct net *n, const struct kind *k, const char *parent, const char *name)
{
	if (k->ctype == NULL)
		return name ? rpath(n, "%s/%s", k->type, name)
		            : rpath(n, "%s", k->type);
	return name ? rpath(n, "%s/%s/%s/%s", k->type, parent, k->ctype, name)
	            : rpath(n, "%s/%s/%s", k->type, parent, k->ctype);
}

static int
v_show(struct net *n, const struct kind *k)
{
	const char *parent = parent_of(n, k), *name = oneed(n, "--name", "-n");
	json_t *out;
	int rc;

	if (!oleft(n))
		return 1;
	if ((rc = call(n, "GET", kpath(n, k, parent, name), NULL, &out)) != 0)
		return rc;
	return emit(n, out, k->table);
}

static int
v_list(struct net *n, const struct kind *k)
{
	const char *parent = parent_of(n, k);
	json_t *out, *v;
	int rc;

	if (!oleft(n))
		return 1;
	if ((rc = call(n, "GET", kpath(n, k, parent, NULL), NULL, &out)) != 0)
		return rc;
	v = json_incref(json_object_get(out, "value"));
	json_decref(out);
	return emit(n, v ? v : json_array(), k->table);
}

static int
v_delete(struct net *n, const struct kind *k)
{
	const char *parent = parent_of(n, k), *name = oneed(n, "--name", "-n");
	json_t *out;
	int rc;

	if (!oleft(n))
		return 1;
	rc = call(n, "DELETE", kpath(n, k, parent, name), NULL, &out);
	json_decref(out);
	return rc;
}

/* PUT body (consumed) at name; print the result, under wrap if given. */
static int
put(struct net *n, const struct kind *k, const char *parent, const char *name,
    json_t *body, const char *wrap)
{
	json_t *out;
	char **rm;
	int rc, i, nrm = omulti(n, "--remove", &rm);

	/* az's generic --remove PROPERTY: here top-level properties only */
	for (i = 0; i < nrm; i++)
		json_object_set_new(body, rm[i], json_null());
	if (!oleft(n)) {
		json_decref(body);
		return 1;
	}
	if ((rc = call(n, "PUT", kpath(n, k, parent, name), body, &out)) != 0)
		return rc;
	if (wrap != NULL)
		out = json_pack("{s:o}", wrap, out);
	return emit(n, out, wrap ? NULL : k->table);
}

/* The columns az prints for bgpConnections (spec 4.2, observed). */
static json_t *
rspeer_table(json_t *j)
{
	json_t *rows = json_array(), *r, *list;
	size_t i;

	list = json_is_array(j) ? j : json_object_get(j, "value");
	if (list == NULL)
		list = json_pack("[O]", j);
	else
		json_incref(list);
	json_array_foreach(list, i, r) json_array_append_new(rows,
	    json_pack("{s:O,s:O,s:O,s:O,s:O}", "Name",
	        json_object_get(r, "name"), "PeerAsn",
	        json_object_get(r, "peerAsn"), "PeerIp",
	        json_object_get(r, "peerIp"), "ProvisioningState",
	        json_object_get(r, "provisioningState"), "ResourceGroup",
	        json_object_get(r, "resourceGroup")));
	json_decref(list);
	return rows;
}

/* ---- kinds ---- */

static const struct kind k_vnet = { "virtualNetworks", NULL, NULL, vnet_table };
static const struct kind k_subnet = { "virtualNetworks", "subnets",
	"--vnet-name", NULL };
static const struct kind k_peering = { "virtualNetworks",
	"virtualNetworkPeerings", "--vnet-name", NULL };
static const struct kind k_rtable = { "routeTables", NULL, NULL, NULL };
static const struct kind k_route = { "routeTables", "routes",
	"--route-table-name", NULL };
static const struct kind k_nic = { "networkInterfaces", NULL, NULL, NULL };
static const struct kind k_rs = { "virtualHubs", NULL, NULL, NULL };
static const struct kind k_rspeer = { "virtualHubs", "bgpConnections",
	"--routeserver", rspeer_table };
static const struct kind k_vgw = { "virtualNetworkGateways", NULL, NULL, NULL };
static const struct kind k_lgw = { "localNetworkGateways", NULL, NULL, NULL };
static const struct kind k_conn = { "connections", NULL, NULL, NULL };
static const struct kind k_erc = { "expressRouteCircuits", NULL, NULL, NULL };

/* ---- vnet ---- */

static json_t *
prefixes(char **v, int c)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < c; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static int
v_vnet_create(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	const char *loc = oget(n, "--location", "-l");
	const char *sname = oget(n, "--subnet-name", NULL);
	json_t *body = json_object();
	char **v;
	int c;

	if ((c = omulti(n, "--address-prefixes", &v)) > 0)
		json_object_set_new(body, "addressSpace",
		    json_pack("{s:o}", "addressPrefixes", prefixes(v, c)));
	else {
		static char *def[] = { "10.0.0.0/16" };

		json_object_set_new(body, "addressSpace",
		    json_pack("{s:o}", "addressPrefixes", prefixes(def, 1)));
	}
	if (loc != NULL)
		json_object_set_new(body, "location", json_string(loc));
	if (sname != NULL) {
		if (omulti(n, "--subnet-prefixes", &v) != 1) {
			json_decref(body);
			nerr(n, "--subnet-name needs one --subnet-prefixes");
			return 1;
		}
		json_object_set_new(body, "subnets",
		    json_pack(
		        "[{s:s,s:s}]", "name", sname, "addressPrefix", v[0]));
	}
	return put(n, k, NULL, name, body, "newVNet");
}

static bool
subnet_body(struct net *n, json_t *body, bool need_prefix)
{
	const char *rt, *one = oget(n, "--address-prefix", NULL);
	char **v;
	int c = omulti(n, "--address-prefixes", &v);

	if (c > 1) {
		nerr(n, "a vrs subnet has one address prefix");
		return false;
	}
	if (c == 1)
		one = v[0];
	if (one != NULL)
		json_object_set_new(body, "addressPrefix", json_string(one));
	else if (need_prefix) {
		nerr(n,
		    "the following arguments are required: "
		    "--address-prefixes");
		return false;
	}
	if (ofind(n, "--route-table", NULL) != NULL) {
		rt = oget(n, "--route-table", NULL);
		if (rt == NULL && !n->bad)
			return false;
		json_object_set_new(body, "routeTable",
		    rt && rt[0] ? ref_or_id(n, "routeTables", rt)
		                : json_null());
	}
	return !n->bad;
}

static int
v_subnet_put(struct net *n, const struct kind *k, bool create)
{
	const char *parent = parent_of(n, k), *name = oneed(n, "--name", "-n");
	json_t *body = json_object();

	if (!subnet_body(n, body, create)) {
		json_decref(body);
		return 1;
	}
	return put(n, k, parent, name, body, NULL);
}

static int
v_subnet_create(struct net *n, const struct kind *k)
{
	return v_subnet_put(n, k, true);
}

static int
v_subnet_update(struct net *n, const struct kind *k)
{
	return v_subnet_put(n, k, false);
}

static int
v_peering_put(struct net *n, const struct kind *k, bool create)
{
	const char *parent = parent_of(n, k), *name = oneed(n, "--name", "-n");
	const char *remote = create ? oneed(n, "--remote-vnet", NULL) : NULL;
	json_t *body = json_object();

	if (remote != NULL)
		json_object_set_new(body, "remoteVirtualNetwork",
		    ref_or_id(n, "virtualNetworks", remote));
	if (!obool_set(
	        n, body, "--allow-vnet-access", "allowVirtualNetworkAccess") ||
	    !obool_set(n, body, "--allow-forwarded-traffic",
	        "allowForwardedTraffic") ||
	    !obool_set(
	        n, body, "--allow-gateway-transit", "allowGatewayTransit") ||
	    !obool_set(n, body, "--use-remote-gateways", "useRemoteGateways") ||
	    n->bad) {
		json_decref(body);
		return 1;
	}
	return put(n, k, parent, name, body, NULL);
}

static int
v_peering_create(struct net *n, const struct kind *k)
{
	return v_peering_put(n, k, true);
}

static int
v_peering_update(struct net *n, const struct kind *k)
{
	return v_peering_put(n, k, false);
}

/* ---- route tables ---- */

static int
v_rtable_put(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	const char *loc = oget(n, "--location", "-l");
	json_t *body = json_object();

	if (loc != NULL)
		json_object_set_new(body, "location", json_string(loc));
	if (!obool_set(n, body, "--disable-bgp-route-propagation",
	        "disableBgpRoutePropagation")) {
		json_decref(body);
		return 1;
	}
	return put(n, k, NULL, name, body, NULL);
}

static int
v_route_put(struct net *n, const struct kind *k)
{
	const char *parent = parent_of(n, k), *name = oneed(n, "--name", "-n");
	const char *pfx = oget(n, "--address-prefix", NULL);
	const char *type = oget(n, "--next-hop-type", NULL);
	const char *ip = oget(n, "--next-hop-ip-address", NULL);
	json_t *body = json_object();

	if (pfx != NULL)
		json_object_set_new(body, "addressPrefix", json_string(pfx));
	if (type != NULL)
		json_object_set_new(body, "nextHopType", json_string(type));
	if (ip != NULL)
		json_object_set_new(body, "nextHopIpAddress", json_string(ip));
	return put(n, k, parent, name, body, NULL);
}

/* ---- NICs ---- */

static int
v_nic_create(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	const char *vnet = oget(n, "--vnet-name", NULL);
	const char *sub = oneed(n, "--subnet", NULL);
	const char *ip = oneed(n, "--private-ip-address", NULL);
	const char *vm = oget(n, "--vm-name", NULL);
	json_t *body = json_object(), *ipc;

	if (!obool_set(n, body, "--ip-forwarding", "enableIPForwarding") ||
	    sub == NULL || ip == NULL) {
		json_decref(body);
		return 1;
	}
	if (strchr(sub, '/') == NULL && vnet == NULL) {
		json_decref(body);
		nerr(
		    n, "--subnet %s: give --vnet-name or the subnet's id", sub);
		return 1;
	}
	ipc = json_pack("{s:s,s:o}", "privateIPAddress", ip, "subnet",
	    strchr(sub, '/')
	        ? json_pack("{s:s}", "id", sub)
	        : ref(n, "virtualNetworks/%s/subnets/%s", vnet, sub));
	json_object_set_new(body, "ipConfigurations", json_pack("[o]", ipc));
	if (vm != NULL)
		json_object_set_new(body, "virtualMachine", json_string(vm));
	return put(n, k, NULL, name, body, "NewNIC");
}

static int
v_nic_effective(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	json_t *out;
	int rc;

	if (!oleft(n))
		return 1;
	rc = call(n, "POST",
	    rpath(n, "%s/%s/effectiveRouteTable", k->type, name), json_object(),
	    &out);
	if (rc != 0)
		return rc;
	return emit(n, out, effective_table);
}

static int
v_nic_explain(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	const char *pfx = oget(n, "--prefix", NULL);
	const char *addr = oget(n, "--address", NULL);
	json_t *out;
	int rc;

	if (!oleft(n))
		return 1;
	if ((pfx == NULL) == (addr == NULL)) {
		nerr(n, "give one of --prefix P or --address A");
		return 1;
	}
	rc = call(n, "GET",
	    rpath(n, "%s/%s/explain?%s=%s", k->type, name,
	        pfx ? "prefix" : "address", pfx ? pfx : addr),
	    NULL, &out);
	if (rc != 0)
		return rc;
	return emit(n, out, explain_table);
}

/* ---- route servers ---- */

static int
v_rs_put(struct net *n, const struct kind *k, bool create)
{
	const char *name = oneed(n, "--name", "-n");
	const char *sub = oget(n, "--hosted-subnet", NULL);
	const char *vnet = oget(n, "--vnet-name", NULL);
	const char *pref = oget(n, "--hub-routing-preference", NULL);
	const char *loc = oget(n, "--location", "-l");
	json_t *body = json_object();

	(void)ofind(n, "--public-ip-address", NULL); /* accepted, unused */
	if (create && sub == NULL && vnet == NULL && !n->bad) {
		nerr(n,
		    "the following arguments are required: "
		    "--hosted-subnet (or --vnet-name)");
		json_decref(body);
		return 1;
	}
	if (sub != NULL || vnet != NULL)
		json_object_set_new(body, "ipConfigurations",
		    json_pack("[{s:o}]", "subnet",
		        sub ? json_pack("{s:s}", "id", sub)
		            : ref(n,
		                  "virtualNetworks/%s/subnets/"
		                  "RouteServerSubnet",
		                  vnet)));
	if (pref != NULL)
		json_object_set_new(
		    body, "hubRoutingPreference", json_string(pref));
	if (loc != NULL)
		json_object_set_new(body, "location", json_string(loc));
	if (!obool_set(
	        n, body, "--allow-b2b-traffic", "allowBranchToBranchTraffic")) {
		json_decref(body);
		return 1;
	}
	return put(n, k, NULL, name, body, NULL);
}

static int
v_rs_create(struct net *n, const struct kind *k)
{
	return v_rs_put(n, k, true);
}

static int
v_rs_update(struct net *n, const struct kind *k)
{
	return v_rs_put(n, k, false);
}

static int
v_rspeer_create(struct net *n, const struct kind *k)
{
	const char *parent = parent_of(n, k), *name = oneed(n, "--name", "-n");
	const char *ip = oneed(n, "--peer-ip", NULL);
	const char *asn = oneed(n, "--peer-asn", NULL);
	json_t *body;
	char *end;
	unsigned long long a;

	if (asn == NULL || ip == NULL)
		return 1;
	a = strtoull(asn, &end, 10);
	if (*asn < '0' || *asn > '9' || *end != '\0' || a > 4294967295ULL) {
		nerr(n, "--peer-asn %s out of range (1-4294967295)", asn);
		return 1;
	}
	body = json_pack("{s:s,s:I}", "peerIp", ip, "peerAsn", (json_int_t)a);
	return put(n, k, parent, name, body, NULL);
}

/* ---- a route server's routes ---- */

static const char *const rs_roles[] = { "RouteServiceRole_IN_0",
	"RouteServiceRole_IN_1" };

/* Both instances in one table, as PowerShell merges them (spec 4.3). */
static json_t *
rs_routes_table(json_t *j)
{
	json_t *rows = json_array(), *r, *row, *v;
	size_t i, k;

	for (k = 0; k < 2; k++)
		json_array_foreach(json_object_get(j, rs_roles[k]), i, r)
		{
			row = json_object();
			json_object_set(
			    row, "AsPath", json_object_get(r, "asPath"));
			json_object_set(row, "LocalAddress",
			    json_object_get(r, "localAddress"));
			json_object_set(
			    row, "Network", json_object_get(r, "network"));
			json_object_set(
			    row, "NextHop", json_object_get(r, "nextHop"));
			json_object_set(
			    row, "Origin", json_object_get(r, "origin"));
			if ((v = json_object_get(r, "sourcePeer")) != NULL)
				json_object_set(row, "SourcePeer", v);
			json_object_set(
			    row, "Weight", json_object_get(r, "weight"));
			json_array_append_new(rows, row);
		}
	return rows;
}

static json_t *
rs_announced_table(json_t *j)
{
	json_t *rows = json_array(), *r;
	size_t i, k;

	for (k = 0; k < 2; k++)
		json_array_foreach(json_object_get(j, rs_roles[k]), i, r)
		    json_array_append_new(rows,
		        json_pack("{s:s,s:O,s:O,s:O,s:O}", "Instance",
		            k ? "IN_1" : "IN_0", "Network",
		            json_object_get(r, "network"), "NextHop",
		            json_object_get(r, "nextHop"), "AsPath",
		            json_object_get(r, "asPath"), "Status",
		            json_object_get(r, "status")));
	return rows;
}

static char *
peer_path(struct net *n, const char *rs, const char *peer, const char *what)
{
	return rpath(n, "virtualHubs/%s/bgpConnections/%s/%s", rs, peer, what);
}

static int
v_rspeer_routes(struct net *n, const char *what)
{
	const char *rs = oneed(n, "--routeserver", NULL);
	const char *name = oneed(n, "--name", "-n");
	json_t *out;
	int rc;

	if (!oleft(n))
		return 1;
	if ((rc = call(n, "POST", peer_path(n, rs, name, what), json_object(),
	         &out)) != 0)
		return rc;
	return emit(n, out, rs_routes_table);
}

static int
v_rspeer_learned(struct net *n, const struct kind *k)
{
	(void)k;
	return v_rspeer_routes(n, "learnedRoutes");
}

static int
v_rspeer_advertised(struct net *n, const struct kind *k)
{
	(void)k;
	return v_rspeer_routes(n, "advertisedRoutes");
}

/* Which instances --instances names: a bit each; 0 after an error. */
static int
instances(struct net *n)
{
	char **v;
	int c = omulti(n, "--instances", &v), i, m = 0;

	if (c < 0)
		return n->bad ? 0 : 3;
	for (i = 0; i < c; i++) {
		if (strcmp(v[i], "IN_0") == 0 || strcmp(v[i], "0") == 0)
			m |= 1;
		else if (strcmp(v[i], "IN_1") == 0 || strcmp(v[i], "1") == 0)
			m |= 2;
		else {
			nerr(n, "--instances %s: expected IN_0 and/or IN_1",
			    v[i]);
			return 0;
		}
	}
	return m;
}

/* Drop the routes of list whose network is one of pfx[0..np) (all if np < 0). */
static void
drop_networks(json_t *list, char **pfx, int np)
{
	size_t i = 0;
	int k;
	bool hit;

	while (i < json_array_size(list)) {
		const char *net = json_string_value(
		    json_object_get(json_array_get(list, i), "network"));

		hit = np < 0;
		for (k = 0; k < np && !hit; k++)
			hit = net != NULL && strcmp(net, pfx[k]) == 0;
		if (hit)
			json_array_remove(list, i);
		else
			i++;
	}
}

/* What an announce verb says of each route. */
struct ann {
	const char *path, *nh, *origin;
	char **comm;
	int nc;
};

static void
ann_read(struct net *n, struct ann *a)
{
	a->path = oget(n, "--as-path", NULL);
	a->nh = oget(n, "--next-hop", NULL);
	a->origin = oget(n, "--origin", NULL);
	a->nc = omulti(n, "--communities", &a->comm);
}

static json_t *
new_route(const struct ann *a, const char *pfx)
{
	json_t *r = json_pack("{s:s}", "network", pfx), *cs;
	int i;

	if (a->path != NULL)
		json_object_set_new(r, "asPath", json_string(a->path));
	if (a->nh != NULL)
		json_object_set_new(r, "nextHop", json_string(a->nh));
	if (a->origin != NULL)
		json_object_set_new(r, "origin", json_string(a->origin));
	if (a->nc > 0) {
		cs = json_array();
		for (i = 0; i < a->nc; i++)
			json_array_append_new(cs, json_string(a->comm[i]));
		json_object_set_new(r, "communities", cs);
	}
	return r;
}

/* announce (add) or withdraw prefixes of a peer: read, change, write. */
static int
rspeer_change(struct net *n, bool announce)
{
	const char *rs = oneed(n, "--routeserver", NULL);
	const char *name = oneed(n, "--name", "-n");
	struct ann ann = { NULL, NULL, NULL, NULL, -1 };
	char **pfx = NULL;
	int np = omulti(n, "--prefixes", &pfx), m, k, i, rc;
	json_t *cur, *body, *list;

	if (announce)
		ann_read(n, &ann);
	m = instances(n);
	if (announce && np < 0 && !n->bad)
		nerr(n, "the following arguments are required: --prefixes");
	if (!oleft(n) || m == 0)
		return 1;
	if ((rc = call(n, "GET", peer_path(n, rs, name, "announcedRoutes"),
	         NULL, &cur)) != 0)
		return rc;
	body = json_object();
	for (k = 0; k < 2; k++) {
		list = json_object_get(cur, rs_roles[k]);
		list = list ? json_deep_copy(list) : json_array();
		if (m & (1 << k)) {
			drop_networks(list, pfx, np);
			for (i = 0; announce && i < np; i++)
				json_array_append_new(
				    list, new_route(&ann, pfx[i]));
		}
		json_object_set_new(body, rs_roles[k], list);
	}
	json_decref(cur);
	if ((rc = call(n, "PUT", peer_path(n, rs, name, "announcedRoutes"),
	         body, &cur)) != 0)
		return rc;
	return emit(n, cur, rs_announced_table);
}

static int
v_rspeer_announce(struct net *n, const struct kind *k)
{
	(void)k;
	return rspeer_change(n, true);
}

static int
v_rspeer_withdraw(struct net *n, const struct kind *k)
{
	(void)k;
	return rspeer_change(n, false);
}

static int
v_rspeer_announced(struct net *n, const struct kind *k)
{
	const char *rs = oneed(n, "--routeserver", NULL);
	const char *name = oneed(n, "--name", "-n");
	json_t *out;
	int rc;

	(void)k;
	if (!oleft(n))
		return 1;
	if ((rc = call(n, "GET", peer_path(n, rs, name, "announcedRoutes"),
	         NULL, &out)) != 0)
		return rc;
	return emit(n, out, rs_announced_table);
}

/* ---- what an on-premises BGP site announces ---- */

static json_t *
site_table(json_t *j)
{
	json_t *rows = json_array(), *r;
	size_t i;

	json_array_foreach(
	    json_object_get(j, "routes"), i, r) json_array_append_new(rows,
	    json_pack("{s:O,s:O,s:O}", "Network", json_object_get(r, "network"),
	        "NextHop", json_object_get(r, "nextHop"), "AsPath",
	        json_object_get(r, "asPath")));
	return rows;
}

static int
site_change(struct net *n, const struct kind *k, bool announce)
{
	const char *name = oneed(n, "--name", "-n");
	struct ann ann = { NULL, NULL, NULL, NULL, -1 };
	char **pfx = NULL;
	int np = omulti(n, "--prefixes", &pfx), i, rc;
	json_t *cur, *list;

	if (announce)
		ann_read(n, &ann);
	if (announce && np < 0 && !n->bad)
		nerr(n, "the following arguments are required: --prefixes");
	if (!oleft(n))
		return 1;
	if ((rc = call(n, "GET",
	         rpath(n, "%s/%s/announcedRoutes", k->type, name), NULL,
	         &cur)) != 0)
		return rc;
	list = json_deep_copy(json_object_get(cur, "routes"));
	json_decref(cur);
	if (list == NULL)
		list = json_array();
	drop_networks(list, pfx, np);
	for (i = 0; announce && i < np; i++)
		json_array_append_new(list, new_route(&ann, pfx[i]));
	if ((rc = call(n, "PUT",
	         rpath(n, "%s/%s/announcedRoutes", k->type, name),
	         json_pack("{s:o}", "routes", list), &cur)) != 0)
		return rc;
	return emit(n, cur, site_table);
}

static int
v_site_announce(struct net *n, const struct kind *k)
{
	return site_change(n, k, true);
}

static int
v_site_withdraw(struct net *n, const struct kind *k)
{
	return site_change(n, k, false);
}

static int
v_site_announced(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	json_t *out;
	int rc;

	if (!oleft(n))
		return 1;
	if ((rc = call(n, "GET",
	         rpath(n, "%s/%s/announcedRoutes", k->type, name), NULL,
	         &out)) != 0)
		return rc;
	return emit(n, out, site_table);
}

/* ---- a gateway's routes and peers ---- */

static json_t *
gw_routes_table(json_t *j, bool learned)
{
	json_t *rows = json_array(), *r, *row;
	size_t i;

	json_array_foreach(json_object_get(j, "value"), i, r)
	{
		row = json_object();
		json_object_set(row, "Network", json_object_get(r, "network"));
		json_object_set(row, "NextHop", json_object_get(r, "nextHop"));
		json_object_set(row, "Origin", json_object_get(r, "origin"));
		if (learned)
			json_object_set(row, "SourcePeer",
			    json_object_get(r, "sourcePeer"));
		json_object_set(row, "AsPath", json_object_get(r, "asPath"));
		json_object_set(row, "Weight", json_object_get(r, "weight"));
		json_array_append_new(rows, row);
	}
	return rows;
}

static json_t *
gw_learned_table(json_t *j)
{
	return gw_routes_table(j, true);
}

static json_t *
gw_advertised_table(json_t *j)
{
	return gw_routes_table(j, false);
}

static json_t *
gw_peers_table(json_t *j)
{
	json_t *rows = json_array(), *r;
	size_t i;

	json_array_foreach(
	    json_object_get(j, "value"), i, r) json_array_append_new(rows,
	    json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "Neighbor",
	        json_object_get(r, "neighbor"), "ASN",
	        json_object_get(r, "asn"), "State", json_object_get(r, "state"),
	        "ConnectedDuration", json_object_get(r, "connectedDuration"),
	        "RoutesReceived", json_object_get(r, "routesReceived"),
	        "MessagesSent", json_object_get(r, "messagesSent"),
	        "MessagesReceived", json_object_get(r, "messagesReceived")));
	return rows;
}

static int
v_vgw_learned(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	json_t *out;
	int rc;

	if (!oleft(n))
		return 1;
	if ((rc = call(n, "POST",
	         rpath(n, "%s/%s/getLearnedRoutes", k->type, name),
	         json_object(), &out)) != 0)
		return rc;
	return emit(n, out, gw_learned_table);
}

static int
v_vgw_advertised(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	const char *peer = oneed(n, "--peer", NULL);
	json_t *out;
	int rc;

	if (!oleft(n))
		return 1;
	if ((rc = call(n, "POST",
	         rpath(n, "%s/%s/getAdvertisedRoutes?peer=%s", k->type, name,
	             peer),
	         json_object(), &out)) != 0)
		return rc;
	return emit(n, out, gw_advertised_table);
}

static int
v_vgw_peers(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	const char *peer = oget(n, "--peer", NULL);
	json_t *out, *v;
	size_t i = 0;
	int rc;

	if (!oleft(n))
		return 1;
	if ((rc = call(n, "POST",
	         rpath(n, "%s/%s/getBgpPeerStatus", k->type, name),
	         json_object(), &out)) != 0)
		return rc;
	v = json_object_get(out, "value");
	while (peer != NULL && i < json_array_size(v)) {
		const char *nb = json_string_value(
		    json_object_get(json_array_get(v, i), "neighbor"));

		if (nb != NULL && strcmp(nb, peer) == 0)
			i++;
		else
			json_array_remove(v, i);
	}
	return emit(n, out, gw_peers_table);
}

/* ---- gateways and connections ---- */

static int
v_vgw_create(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	const char *vnet = oneed(n, "--vnet", NULL);
	const char *type = oget(n, "--gateway-type", NULL);
	const char *asn = oget(n, "--asn", NULL);
	const char *bgp = oget(n, "--bgp-peering-address", NULL);
	json_t *body, *bs;
	char **pips;
	int npips = omulti(n, "--public-ip-addresses", &pips);

	(void)ofind(n, "--sku", NULL);
	(void)ofind(n, "--vpn-type", NULL);
	if (vnet == NULL)
		return 1;
	body = json_pack("{s:s,s:b,s:b,s:[{s:o}]}", "gatewayType",
	    type ? type : "Vpn", "activeActive", npips == 2, "enableBgp",
	    asn != NULL, "ipConfigurations", "subnet",
	    ref(n, "virtualNetworks/%s/subnets/GatewaySubnet", vnet));
	if (asn != NULL) {
		bs = json_pack(
		    "{s:I}", "asn", (json_int_t)strtoll(asn, NULL, 10));
		if (bgp != NULL)
			json_object_set_new(
			    bs, "bgpPeeringAddress", json_string(bgp));
		json_object_set_new(body, "bgpSettings", bs);
	}
	return put(n, k, NULL, name, body, "vnetGateway");
}

static int
v_lgw_create(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	const char *gip = oget(n, "--gateway-ip-address", NULL);
	const char *asn = oget(n, "--asn", NULL);
	const char *bgp = oget(n, "--bgp-peering-address", NULL);
	json_t *body = json_object();
	char **v;
	int c = omulti(n, "--local-address-prefixes", &v);

	if (gip != NULL)
		json_object_set_new(body, "gatewayIpAddress", json_string(gip));
	if (c > 0)
		json_object_set_new(body, "localNetworkAddressSpace",
		    json_pack("{s:o}", "addressPrefixes", prefixes(v, c)));
	if (asn != NULL)
		json_object_set_new(body, "bgpSettings",
		    json_pack("{s:I,s:s}", "asn",
		        (json_int_t)strtoll(asn, NULL, 10), "bgpPeeringAddress",
		        bgp ? bgp : ""));
	return put(n, k, NULL, name, body, NULL);
}

static int
v_conn_create(struct net *n, const struct kind *k)
{
	const char *name = oneed(n, "--name", "-n");
	const char *gw1 = oneed(n, "--vnet-gateway1", NULL);
	const char *lgw = oget(n, "--local-gateway2", NULL);
	const char *gw2 = oget(n, "--vnet-gateway2", NULL);
	const char *er = oget(n, "--express-route-circuit2", NULL);
	const char *w = oget(n, "--routing-weight", NULL);
	json_t *body = json_object();

	(void)ofind(n, "--shared-key", NULL);
	if (gw1 == NULL || (lgw != NULL) + (gw2 != NULL) + (er != NULL) != 1) {
		if (gw1 != NULL)
			nerr(n,
			    "give one of --local-gateway2, "
			    "--vnet-gateway2 or --express-route-circuit2");
		json_decref(body);
		return 1;
	}
	json_object_set_new(body, "virtualNetworkGateway1",
	    ref_or_id(n, "virtualNetworkGateways", gw1));
	if (lgw != NULL) {
		json_object_set_new(
		    body, "connectionType", json_string("IPsec"));
		json_object_set_new(body, "localNetworkGateway2",
		    ref_or_id(n, "localNetworkGateways", lgw));
	} else if (gw2 != NULL) {
		json_object_set_new(
		    body, "connectionType", json_string("Vnet2Vnet"));
		json_object_set_new(body, "virtualNetworkGateway2",
		    ref_or_id(n, "virtualNetworkGateways", gw2));
	} else {
		json_object_set_new(
		    body, "connectionType", json_string("ExpressRoute"));
		json_object_set_new(body, "peer", json_string(er));
	}
	if (w != NULL)
		json_object_set_new(
		    body, "routingWeight", json_integer(strtoll(w, NULL, 10)));
	if (!obool_set(n, body, "--enable-bgp", "enableBgp")) {
		json_decref(body);
		return 1;
	}
	return put(n, k, NULL, name, body, "resource");
}

/* ---- network watcher ---- */

static int
v_next_hop(struct net *n, const struct kind *k)
{
	const char *nic = oget(n, "--nic", NULL);
	const char *dst = oget(n, "--dest-ip", NULL);
	json_t *body, *out, *id;
	int rc;

	(void)k;
	(void)ofind(n, "--source-ip", NULL);
	(void)ofind(n, "--vm", NULL);
	if (dst == NULL)
		dst = oget(n, "--destination", NULL);
	if (nic == NULL || dst == NULL) {
		if (!n->bad)
			nerr(n,
			    "the following arguments are required: "
			    "--nic, --dest-ip");
		return 1;
	}
	if (!oleft(n))
		return 1;
	id = ref_or_id(n, "networkInterfaces", nic);
	body = json_pack("{s:O,s:s}", "targetNicResourceId",
	    json_object_get(id, "id"), "destinationIPAddress", dst);
	json_decref(id);
	rc = call(
	    n, "POST", rpath(n, "networkWatchers/vrs/nextHop"), body, &out);
	if (rc != 0)
		return rc;
	return emit(n, out, NULL);
}

/* ---- the verb table ---- */

static const struct verb verbs[] = {
	{ "vnet create", &k_vnet, v_vnet_create },
	{ "vnet show", &k_vnet, v_show },
	{ "vnet list", &k_vnet, v_list },
	{ "vnet delete", &k_vnet, v_delete },
	{ "vnet subnet create", &k_subnet, v_subnet_create },
	{ "vnet subnet update", &k_subnet, v_subnet_update },
	{ "vnet subnet show", &k_subnet, v_show },
	{ "vnet subnet list", &k_subnet, v_list },
	{ "vnet subnet delete", &k_subnet, v_delete },
	{ "vnet peering create", &k_peering, v_peering_create },
	{ "vnet peering update", &k_peering, v_peering_update },
	{ "vnet peering show", &k_peering, v_show },
	{ "vnet peering list", &k_peering, v_list },
	{ "vnet peering delete", &k_peering, v_delete },
	{ "route-table create", &k_rtable, v_rtable_put },
	{ "route-table update", &k_rtable, v_rtable_put },
	{ "route-table show", &k_rtable, v_show },
	{ "route-table list", &k_rtable, v_list },
	{ "route-table delete", &k_rtable, v_delete },
	{ "route-table route create", &k_route, v_route_put },
	{ "route-table route update", &k_route, v_route_put },
	{ "route-table route show", &k_route, v_show },
	{ "route-table route list", &k_route, v_list },
	{ "route-table route delete", &k_route, v_delete },
	{ "nic create", &k_nic, v_nic_create },
	{ "nic show", &k_nic, v_show },
	{ "nic list", &k_nic, v_list },
	{ "nic delete", &k_nic, v_delete },
	{ "nic show-effective-route-table", &k_nic, v_nic_effective },
	{ "nic explain-route", &k_nic, v_nic_explain },
	{ "routeserver create", &k_rs, v_rs_create },
	{ "routeserver update", &k_rs, v_rs_update },
	{ "routeserver show", &k_rs, v_show },
	{ "routeserver list", &k_rs, v_list },
	{ "routeserver delete", &k_rs, v_delete },
	{ "routeserver peering create", &k_rspeer, v_rspeer_create },
	{ "routeserver peering show", &k_rspeer, v_show },
	{ "routeserver peering list", &k_rspeer, v_list },
	{ "routeserver peering delete", &k_rspeer, v_delete },
	{ "routeserver peering list-learned-routes", &k_rspeer,
	    v_rspeer_learned },
	{ "routeserver peering list-advertised-routes", &k_rspeer,
	    v_rspeer_advertised },
	{ "routeserver peering announce", &k_rspeer, v_rspeer_announce },
	{ "routeserver peering withdraw", &k_rspeer, v_rspeer_withdraw },
	{ "routeserver peering list-announced-routes", &k_rspeer,
	    v_rspeer_announced },
	{ "vnet-gateway create", &k_vgw, v_vgw_create },
	{ "vnet-gateway show", &k_vgw, v_show },
	{ "vnet-gateway list", &k_vgw, v_list },
	{ "vnet-gateway delete", &k_vgw, v_delete },
	{ "vnet-gateway list-learned-routes", &k_vgw, v_vgw_learned },
	{ "vnet-gateway list-advertised-routes", &k_vgw, v_vgw_advertised },
	{ "vnet-gateway list-bgp-peer-status", &k_vgw, v_vgw_peers },
	{ "local-gateway create", &k_lgw, v_lgw_create },
	{ "local-gateway show", &k_lgw, v_show },
	{ "local-gateway list", &k_lgw, v_list },
	{ "local-gateway delete", &k_lgw, v_delete },
	{ "local-gateway announce", &k_lgw, v_site_announce },
	{ "local-gateway withdraw", &k_lgw, v_site_withdraw },
	{ "local-gateway list-announced-routes", &k_lgw, v_site_announced },
	{ "express-route announce", &k_erc, v_site_announce },
	{ "express-route withdraw", &k_erc, v_site_withdraw },
	{ "express-route list-announced-routes", &k_erc, v_site_announced },
	{ "vpn-connection create", &k_conn, v_conn_create },
	{ "vpn-connection show", &k_conn, v_show },
	{ "vpn-connection list", &k_conn, v_list },
	{ "vpn-connection delete", &k_conn, v_delete },
	{ "watcher show-next-hop", NULL, v_next_hop },
};

#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

/* How many of argv's words the verb's words match (0: no match). */
static int
verb_match(const char *words, int argc, char **argv)
{
	char buf[64], *w, *save = NULL;
	int i = 0;

	snprintf(buf, sizeof(buf), "%s", words);
	for (w = strtok_r(buf, " ", &save); w != NULL;
	     w = strtok_r(NULL, " ", &save), i++)
		if (i >= argc || strcmp(argv[i], w) != 0)
			return 0;
	return i;
}

static void
net_usage(FILE *f)
{
	size_t i;

	fprintf(f,
	    "usage: vrs network COMMAND [--name NAME] [-g RG] "
	    "[-o json|jsonc|yaml|table|tsv|none] [--query JMESPATH] ...\n"
	    "\ncommands:\n");
	for (i = 0; i < NVERBS; i++)
		fprintf(f, "  %s\n", verbs[i].words);
}

int
cli_network(const char *sock, const char *out, int argc, char **argv)
{
	struct net *n;
	const struct verb *v = NULL;
	const char *o;
	int i, m, best = 0, rc;
	size_t k;

	argc--;
	argv++;
	if (argc == 0 || strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0) {
		net_usage(argc == 0 ? stderr : stdout);
		return argc == 0 ? 1 : 0;
	}
	for (k = 0; k < NVERBS; k++)
		if ((m = verb_match(verbs[k].words, argc, argv)) > best) {
			best = m;
			v = &verbs[k];
		}
	if (v == NULL) {
		fprintf(stderr, "vrs: network");
		for (i = 0; i < argc && argv[i][0] != '-'; i++)
			fprintf(stderr, " %s", argv[i]);
		fprintf(stderr,
		    ": unknown command (vrs network --help lists them)\n");
		return 1;
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return 1;
	n->sock = sock;
	n->verb = v->words;
	n->rg = "lab";
	n->fmt = CLI_OUT_JSON;
	rc = 1;
	if (out != NULL && !cli_fmt_parse(out, &n->fmt)) {
		nerr(n, "-o %s: expected json, jsonc, yaml, table, tsv or none",
		    out);
		goto done;
	}
	if (!opts_parse(n, argc - best, argv + best))
		goto done;
	if ((o = oget(n, "--output", "-o")) != NULL &&
	    !cli_fmt_parse(o, &n->fmt)) {
		nerr(n, "-o %s: expected json, jsonc, yaml, table, tsv or none",
		    o);
		goto done;
	}
	n->query = oget(n, "--query", NULL);
	if ((o = oget(n, "--resource-group", "-g")) != NULL)
		n->rg = o;
	if (ofind(n, "--help", "-h") != NULL) {
		printf("usage: vrs network %s [options] (see README.md)\n",
		    v->words);
		rc = 0;
		goto done;
	}
	if (!n->bad)
		rc = v->fn(n, v->kind);
done:
	free(n);
	return rc;
}
