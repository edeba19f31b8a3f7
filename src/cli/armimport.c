/* SPDX-License-Identifier: ISC */
/* cli/armimport.c - vrs lab import-arm: a real deployment's ARM JSON as a lab file. */

#include "cli/armimport.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/arm_int.h"
#include "cli/lab.h"
#include "cli/lab_int.h"
#include "lib/prefix.h"

/*
 * DOC: importing a deployment
 *
 * Input: what `az group export` writes (a template: "parameters",
 * "variables", "resources": [...], names and references as expressions,
 * child resources nested or exported on their own), or a list of
 * resources as `az resource list` / `az network ... list -o json` print
 * them (full "id"s; "properties" nested, or flattened as az network
 * prints them), or {"value": [...]} as the REST API answers.  Several
 * files are one deployment.
 *
 * The resources of spec section 5 become `vrs network` commands of the
 * lab file's topology, in an order that satisfies every reference
 * (route tables, VNets, subnets, route servers, gateways, peerings,
 * NICs, sites, connections, bgpConnections).  Everything else, and
 * every property that is set but not modelled, is reported on stderr,
 * one line each.  Read-only and runtime properties (provisioningState,
 * peeringState, ...) and properties that set nothing (null, false, 0,
 * "", lists and objects of nothing else) are not reported.  Every NIC is imported, whether its VM runs,
 * is deallocated or does not exist yet; a NIC without an address gets
 * the first free one of its subnet, as Azure would give.
 *
 * --routes: learned or advertised routes of route server peers (spec
 * 4.3, 4.4) or a VPN gateway's learned routes (4.6) become vrs-speaker
 * configurations (ExaBGP files), so the lab's sessions carry them.  The
 * peers without routes are listed as external: the lab does not wait
 * for them.
 *
 * Input is hostile until checked: a file is at most ARM_FILE_MAX bytes,
 * nested at most ARM_DEPTH_MAX deep, no array over ARM_ARRAY_MAX
 * elements (checked before jansson builds anything), at most
 * ARM_OBJS_MAX resources; every name, prefix and address is checked
 * before it goes into a command.
 */

#define ARM_FILE_MAX  (64u << 20)
#define ARM_ARRAY_MAX 100000
#define ARM_OBJS_MAX  4096
#define ARM_FILES_MAX 16
#define ARM_CHILD_MAX 4 /* nested "resources" levels */

const struct arm_kind arm_kinds[K_COUNT] = {
	[K_VNET] = { "Microsoft.Network/virtualNetworks", 0 },
	[K_SUBNET] = { "Microsoft.Network/virtualNetworks/subnets", 1 },
	[K_PEERING] = { "Microsoft.Network/virtualNetworks/"
	                "virtualNetworkPeerings",
	    1 },
	[K_RTABLE] = { "Microsoft.Network/routeTables", 0 },
	[K_ROUTE] = { "Microsoft.Network/routeTables/routes", 1 },
	[K_NIC] = { "Microsoft.Network/networkInterfaces", 0 },
	[K_HUB] = { "Microsoft.Network/virtualHubs", 0 },
	[K_HUBIPC] = { "Microsoft.Network/virtualHubs/ipConfigurations", 1 },
	[K_BGPCONN] = { "Microsoft.Network/virtualHubs/bgpConnections", 1 },
	[K_VGW] = { "Microsoft.Network/virtualNetworkGateways", 0 },
	[K_LGW] = { "Microsoft.Network/localNetworkGateways", 0 },
	[K_CONN] = { "Microsoft.Network/connections", 0 },
};

/* Types read for what they are, and why they add no command. */
static const struct {
	const char *type; /* a prefix when it ends with '/' */
	const char *why;
} skipped[] = {
	{ "Microsoft.Compute/", "not routing" },
	{ "Microsoft.Storage/", "not routing" },
	{ "Microsoft.Network/networkSecurityGroups",
	    "not routing: security rules filter traffic, they do not route" },
	{ "Microsoft.Network/publicIPAddresses", "not routing" },
	{ "Microsoft.Network/networkWatchers", "not routing" },
	{ "Microsoft.Network/expressRouteCircuits",
	    "a circuit is known from its connection; what it learns is "
	    "runtime state" },
	{ "Microsoft.Network/", "not modelled" },
};

/* Read-only, derived or runtime: never reported. */
static const char *const silent[] = { "provisioningState", "resourceGuid",
	"etag", "peeringState", "peeringSyncLevel", "remoteAddressSpace",
	"remoteVirtualNetworkAddressSpace", "remoteBgpCommunities",
	"routingState", "connectionStatus", "connectionState",
	"ingressBytesTransferred", "egressBytesTransferred",
	"tunnelConnectionStatus", "macAddress", "vnetEncryptionSupported",
	"privateEndpointNetworkPolicies", "privateLinkServiceNetworkPolicies",
	"hostedWorkloads", "purpose", "virtualRouterIps", "id", "name", "type",
	NULL };

/* The resource's own keys, beside properties (flattened lists). */
static const char *const meta[] = { "id", "name", "type", "location",
	"resourceGroup", "etag", "tags", "kind", "sku", "zones", "properties",
	"apiVersion", "dependsOn", "comments", "condition", "managedBy",
	"identity", "plan", "extendedLocation", "systemData", "resources",
	"scope", "powerState", "changedTime", "createdTime", NULL };

static bool write_speakers(struct aimp *a, const char *dir);

/* ---- messages ---- */

/* One line on stderr, counted in *count. */
static void
vline(int *count, const char *fmt, va_list ap)
{
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	(*count)++;
}

void __attribute__((format(printf, 2, 3)))
arm_err(struct aimp *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(&a->nerr, fmt, ap);
	va_end(ap);
}

void __attribute__((format(printf, 2, 3)))
arm_note(struct aimp *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(&a->nign, fmt, ap);
	va_end(ap);
}

/* "file: resources[3] Microsoft.Network/virtualNetworks 'hub': ..." */
void __attribute__((format(printf, 3, 4)))
arm_onote(struct aimp *a, const struct aobj *o, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s %s '%s%s%s': ", o->file, o->where, o->type,
	    o->parent, o->parent[0] ? "/" : "", o->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	a->nign++;
}

/* "file: resources[3].properties.addressSpace: ..." */
void __attribute__((format(printf, 5, 6)))
arm_oerr(struct aimp *a, const struct aobj *o, const char *rel, const char *key,
    const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s%s%s%s%s: ", o->file, o->where,
	    rel[0] ? "." : "", rel, key[0] ? "." : "", key);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	a->nerr++;
}

/* Format into buf (len bytes), truncating: paths for messages. */
void __attribute__((format(printf, 3, 4)))
arm_fmt(char *buf, size_t len, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, len, f, ap);
	va_end(ap);
}

/* ---- typed reading ---- */

static bool
in_list(const char *const *l, const char *s)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, s) == 0)
			return true;
	return false;
}

static const char *
type_name(int t)
{
	switch (t) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "a list";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	default:
		return "true or false";
	}
}

/*
 * obj[key] when it has type t (JSON_TRUE: a boolean); NULL when absent
 * or null (an error if need), or of another type (an error).
 */
json_t *
arm_jget(struct aimp *a, const struct aobj *o, json_t *obj, const char *rel,
    const char *key, int t, bool need)
{
	json_t *v = json_object_get(obj, key);
	bool good;

	if (v == NULL || json_is_null(v)) {
		if (need)
			arm_oerr(a, o, rel, key, "missing");
		return NULL;
	}
	good = t == JSON_TRUE ? json_is_boolean(v) : (int)json_typeof(v) == t;
	if (!good) {
		arm_oerr(a, o, rel, key, "expected %s", type_name(t));
		return NULL;
	}
	return v;
}

bool
arm_jbool(struct aimp *a, const struct aobj *o, json_t *obj, const char *rel,
    const char *key, bool def)
{
	json_t *v = arm_jget(a, o, obj, rel, key, JSON_TRUE, false);

	return v != NULL ? json_is_true(v) : def;
}

const char *
arm_jstr(struct aimp *a, const struct aobj *o, json_t *obj, const char *rel,
    const char *key, bool need)
{
	return json_string_value(
	    arm_jget(a, o, obj, rel, key, JSON_STRING, need));
}

/* 1-80 letters, digits, '.', '_', '-': safe in a command and in YAML. */
bool
arm_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= ARM_NAME_MAX &&
	    strspn(s,
	        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	        "0123456789._-") == n &&
	    s[0] != '-';
}

/* A reference {"id": ...} to a resource of type; its names. */
bool
arm_jref(struct aimp *a, const struct aobj *o, json_t *obj, const char *rel,
    const char *key, int kind, const char *type, char names[][88], bool need)
{
	json_t *r = arm_jget(a, o, obj, rel, key, JSON_OBJECT, need);
	struct arm_id id;
	char sub[WHERE_LEN + 40];
	const char *s;
	int i;

	if (r == NULL)
		return false;
	snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "." : "", key);
	if ((s = arm_jstr(a, o, r, sub, "id", true)) == NULL)
		return false;
	if (type == NULL)
		type = arm_kinds[kind].type;
	if (!arm_id_parse(s, &id) || strcasecmp(id.type, type) != 0) {
		arm_oerr(a, o, sub, "id", "%.200s: expected the id of a %s", s,
		    type);
		return false;
	}
	for (i = 0; i < id.nnames; i++) {
		if (!arm_name_ok(id.names[i])) {
			arm_oerr(a, o, sub, "id",
			    "name %.100s: expected 1-80 letters, digits, '.', "
			    "'_' or '-'",
			    id.names[i]);
			return false;
		}
		snprintf(names[i], 88, "%s", id.names[i]);
	}
	return true;
}

/* A prefix, printed canonically into out. */
bool
arm_jpfx(struct aimp *a, const struct aobj *o, json_t *v, const char *rel,
    const char *key, struct prefix *p, char *out)
{
	const char *s = json_string_value(v), *why;

	if (s == NULL) {
		arm_oerr(a, o, rel, key, "expected a prefix (a string)");
		return false;
	}
	if ((why = prefix_parse(s, p, 0)) != NULL) {
		arm_oerr(a, o, rel, key, "%.60s: %s (expected ADDRESS/LENGTH)",
		    s, why);
		return false;
	}
	prefix_print(p, out, PREFIX_STRLEN);
	return true;
}

bool
arm_jaddr(struct aimp *a, const struct aobj *o, const char *s, const char *rel,
    const char *key, struct ipaddr *ip)
{
	if (!addr_parse(s, ip)) {
		arm_oerr(a, o, rel, key, "%.60s: expected an IP address", s);
		return false;
	}
	return true;
}

/* Does v configure anything?  null, false, 0, "" do not, nor lists and
 * objects of nothing else. */
static bool
sets_something(json_t *v, int depth)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_array(v) && depth < ARM_DEPTH_MAX)
		json_array_foreach(
		    v, i, x) if (sets_something(x, depth + 1)) return true;
	if (json_is_object(v) && depth < ARM_DEPTH_MAX)
		json_object_foreach(
		    v, k, x) if (sets_something(x, depth + 1)) return true;
	return !(json_is_null(v) || json_is_false(v) || json_is_array(v) ||
	    json_is_object(v) ||
	    (json_is_integer(v) && json_integer_value(v) == 0) ||
	    (json_is_string(v) && json_string_length(v) == 0));
}

/* Report the keys of obj that used does not list. */
void
arm_unused(struct aimp *a, const struct aobj *o, json_t *obj, const char *rel,
    const char *const *used)
{
	const char *k;
	json_t *v;

	if (!json_is_object(obj))
		return;
	json_object_foreach(obj, k, v)
	{
		if (in_list(used, k) || in_list(silent, k) ||
		    !sets_something(v, 0) ||
		    (obj == o->res && in_list(meta, k)))
			continue;
		arm_onote(a, o, "%s%s%s: ignored (not modelled)", rel,
		    rel[0] ? "." : "", k);
	}
}

/* ---- commands ---- */

void __attribute__((format(printf, 2, 3)))
arm_cmd(struct aimp *a, const char *fmt, ...)
{
	struct sbuf b;
	va_list ap;

	if (a->ncmds == ARM_CMDS_MAX) {
		if (a->ncmds++ == ARM_CMDS_MAX)
			arm_err(a,
			    "vrs: import-arm: more than %d topology commands "
			    "(a lab file's limit)",
			    ARM_CMDS_MAX);
		return;
	}
	if (a->ncmds > ARM_CMDS_MAX)
		return;
	sbuf_init(&b);
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	a->cmds[a->ncmds++] = b.s;
}

struct aobj *
arm_find(struct aimp *a, enum akind k, const char *parent, const char *name)
{
	size_t i;

	for (i = 0; i < a->nobjs; i++)
		if (a->objs[i].kind == k &&
		    strcasecmp(a->objs[i].name, name) == 0 &&
		    strcasecmp(a->objs[i].parent, parent ? parent : "") == 0)
			return &a->objs[i];
	return NULL;
}

/* ---- reading resources ---- */

static int
kind_of(const char *type)
{
	int k;

	for (k = 0; k < K_COUNT; k++)
		if (strcasecmp(arm_kinds[k].type, type) == 0)
			return k;
	return -1;
}

static const char *
skip_why(const char *type)
{
	size_t i, n;

	for (i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++) {
		n = strlen(skipped[i].type);
		if (skipped[i].type[n - 1] == '/'
		        ? strncasecmp(type, skipped[i].type, n) == 0
		        : strcasecmp(type, skipped[i].type) == 0)
			return skipped[i].why;
	}
	return "not routing";
}

/* Is r of a type this importer reads (for what its expressions say)? */
static bool
imported_type(struct aimp *a, json_t *r)
{
	const char *t = json_string_value(json_object_get(r, "type"));
	const char *id = json_string_value(json_object_get(r, "id"));
	struct arm_id pid;
	json_t *v;
	char why[80];
	bool yes;

	if (t == NULL && id != NULL && arm_id_parse(id, &pid))
		return kind_of(pid.type) >= 0;
	if (t == NULL ||
	    (v = arm_eval(&a->ctx, t, 0, why, sizeof(why))) == NULL)
		return true;
	yes = !json_is_string(v) || kind_of(json_string_value(v)) >= 0;
	json_decref(v);
	return yes;
}

/* Replace every expression of v; each one not known offline is reported
 * and becomes null. */
static void
resolve_walk(struct aimp *a, const char *file, json_t *v, char *path,
    size_t plen, int depth, bool quiet)
{
	char why[200];
	size_t n = strlen(path), i;
	const char *k;
	json_t *x, *e;
	void *it;

	if (depth > ARM_DEPTH_MAX)
		return;
	for (it = json_object_iter(v), i = 0;
	     json_is_array(v) ? i < json_array_size(v) : it != NULL; i++) {
		if (json_is_array(v)) {
			e = json_array_get(v, i);
			snprintf(path + n, plen - n, "[%zu]", i);
		} else {
			e = json_object_iter_value(it);
			k = json_object_iter_key(it);
			snprintf(path + n, plen - n, "%s%s", n ? "." : "", k);
		}
		if (json_is_string(e)) {
			x = arm_eval(
			    &a->ctx, json_string_value(e), 0, why, sizeof(why));
			if (x == NULL && !quiet)
				arm_note(a, "%s: %s: %.80s: not resolved (%s)",
				    file, path, json_string_value(e), why);
			if (x == NULL)
				x = json_null();
			if (json_is_array(v))
				json_array_set_new(v, i, x);
			else
				json_object_iter_set_new(v, it, x);
		} else if (json_is_object(e) || json_is_array(e))
			resolve_walk(a, file, e, path, plen, depth + 1, quiet);
		if (!json_is_array(v))
			it = json_object_iter_next(v, it);
	}
	path[n] = '\0';
}

static struct aobj *
obj_add(struct aimp *a, enum akind k, const char *file, const char *where,
    json_t *res, const char *parent, const char *name)
{
	struct aobj *o;

	if (arm_find(a, k, parent, name) != NULL)
		return NULL; /* exported twice (inline and on its own) */
	if (a->nobjs == ARM_OBJS_MAX) {
		if (!a->full)
			arm_err(a, "%s: %s: more than %d resources", file,
			    where, ARM_OBJS_MAX);
		a->full = true;
		return NULL;
	}
	if (a->nobjs == a->cap) { /* doubles: pointers into it move */
		a->cap = a->cap ? a->cap * 2 : 64;
		a->objs = xreallocarray(a->objs, a->cap, sizeof(*a->objs));
	}
	o = &a->objs[a->nobjs++];
	memset(o, 0, sizeof(*o));
	o->kind = k;
	o->file = file;
	o->res = res;
	snprintf(o->type, sizeof(o->type), "%s", arm_kinds[k].type);
	snprintf(o->name, sizeof(o->name), "%s", name);
	snprintf(o->parent, sizeof(o->parent), "%s", parent ? parent : "");
	snprintf(o->where, sizeof(o->where), "%s", where);
	o->props = json_object_get(res, "properties");
	if (json_is_object(o->props))
		snprintf(o->rel, sizeof(o->rel), "properties");
	else if (o->props == NULL || json_is_null(o->props))
		o->props = res; /* az network ... list: flattened */
	else {
		arm_err(
		    a, "%s: %s.properties: expected an object", file, where);
		a->nobjs--;
		return NULL;
	}
	return o;
}

/*
 * Inline children: a VNet's subnets and peerings, a table's routes.  The
 * parent is objs[at], copied: adding children moves the array.
 */
static void
inline_children(struct aimp *a, size_t at, const char *key, enum akind k)
{
	char where[WHERE_LEN], rel[WHERE_LEN];
	struct aobj parent = a->objs[at], *o = &parent;
	const char *name;
	json_t *list, *e;
	size_t i;

	list = arm_jget(a, o, o->props, o->rel, key, JSON_ARRAY, false);
	json_array_foreach(list, i, e)
	{
		arm_fmt(where, sizeof(where), "%s%s%s.%s[%zu]", o->where,
		    o->rel[0] ? "." : "", o->rel, key, i);
		arm_fmt(rel, sizeof(rel), "%s%s%s", o->rel,
		    o->rel[0] ? "." : "", key);
		if (!json_is_object(e)) {
			arm_err(
			    a, "%s: %s: expected an object", o->file, where);
			continue;
		}
		name = json_string_value(json_object_get(e, "name"));
		if (name == NULL) {
			/* {"id": ...}: a back-reference, not a definition */
			if (json_object_size(e) == 1 &&
			    json_is_string(json_object_get(e, "id")))
				continue;
			arm_err(a, "%s: %s.name: missing", o->file, where);
			continue;
		}
		if (!arm_name_ok(name)) {
			arm_err(a,
			    "%s: %s.name: %.100s: expected 1-80 letters, "
			    "digits, '.', '_' or '-'",
			    o->file, where, name);
			continue;
		}
		(void)obj_add(a, k, o->file, where, e, o->name, name);
	}
}

static void read_resource(struct aimp *a, const char *file, json_t *r,
    const char *where, const char *ptype, const char *pname, int level);

/* Name and type of r: from its id, else type and name (a child's
 * relative to its parent's). */
static bool
res_names(struct aimp *a, const char *file, json_t *r, const char *where,
    const char *ptype, const char *pname, char *type, char *full)
{
	const char *t = json_string_value(json_object_get(r, "type"));
	const char *n = json_string_value(json_object_get(r, "name"));
	const char *id = json_string_value(json_object_get(r, "id"));
	struct arm_id pid;
	int i;

	if (id != NULL && arm_id_parse(id, &pid) && !strchr(id, '[')) {
		snprintf(type, 160, "%s", pid.type);
		full[0] = '\0';
		for (i = 0; i < pid.nnames; i++)
			snprintf(full + strlen(full), 400 - strlen(full),
			    "%s%s", i ? "/" : "", pid.names[i]);
		return true;
	}
	if (t == NULL || n == NULL) {
		if (json_object_get(r, "name") != NULL &&
		    json_is_null(json_object_get(r, "name")))
			arm_note(a,
			    "%s: %s: ignored (its name is not known offline)",
			    file, where);
		else
			arm_err(a,
			    "%s: %s: expected \"type\" and \"name\" strings, "
			    "or an \"id\"",
			    file, where);
		return false;
	}
	if (ptype != NULL && strchr(t, '/') == NULL)
		snprintf(type, 160, "%s/%s", ptype, t);
	else
		snprintf(type, 160, "%s", t);
	if (pname != NULL && strchr(n, '/') == NULL)
		snprintf(full, 400, "%s/%s", pname, n);
	else
		snprintf(full, 400, "%s", n);
	return true;
}

static void
read_resource(struct aimp *a, const char *file, json_t *r, const char *where,
    const char *ptype, const char *pname, int level)
{
	char type[160], full[400], sub[WHERE_LEN], *names[ARM_ID_LEVELS + 1];
	char *save = NULL, *w;
	int k, n = 0, i;
	struct aobj *o;
	json_t *kids, *e;
	size_t j, at;

	if (!json_is_object(r)) {
		arm_err(a, "%s: %s: expected an object", file, where);
		return;
	}
	a->nres++;
	if (!res_names(a, file, r, where, ptype, pname, type, full))
		return;
	for (w = strtok_r(full, "/", &save); w != NULL && n <= ARM_ID_LEVELS;
	     w = strtok_r(NULL, "/", &save))
		names[n++] = w;
	if ((k = kind_of(type)) < 0) {
		arm_note(a, "%s: %s %.100s '%.100s': ignored (%s)", file, where,
		    type, n > 0 ? names[n - 1] : "", skip_why(type));
	} else if (n != arm_kinds[k].parents + 1) {
		arm_err(a, "%s: %s.name: expected %s names, not %d", file,
		    where, arm_kinds[k].parents ? "2 (PARENT/NAME)" : "1", n);
		return;
	} else {
		for (i = 0; i < n; i++)
			if (!arm_name_ok(names[i])) {
				arm_err(a,
				    "%s: %s.name: %.100s: expected 1-80 "
				    "letters, digits, '.', '_' or '-'",
				    file, where, names[i]);
				return;
			}
		o = obj_add(a, (enum akind)k, file, where, r,
		    n > 1 ? names[0] : NULL, names[n - 1]);
		at = o != NULL ? (size_t)(o - a->objs) : 0;
		if (o != NULL && k == K_VNET) {
			inline_children(a, at, "subnets", K_SUBNET);
			inline_children(
			    a, at, "virtualNetworkPeerings", K_PEERING);
		} else if (o != NULL && k == K_RTABLE)
			inline_children(a, at, "routes", K_ROUTE);
		else if (o != NULL && k == K_HUB) {
			inline_children(a, at, "ipConfigurations", K_HUBIPC);
			inline_children(a, at, "bgpConnections", K_BGPCONN);
		}
	}
	kids = json_object_get(r, "resources");
	if (kids == NULL || n == 0)
		return;
	if (!json_is_array(kids) || level >= ARM_CHILD_MAX) {
		arm_err(a,
		    "%s: %s.resources: expected a list (at most %d levels)",
		    file, where, ARM_CHILD_MAX);
		return;
	}
	snprintf(full, sizeof(full), "%s", names[0]);
	for (i = 1; i < n; i++)
		snprintf(full + strlen(full), sizeof(full) - strlen(full),
		    "/%s", names[i]);
	json_array_foreach(kids, j, e)
	{
		snprintf(sub, sizeof(sub), "%s.resources[%zu]", where, j);
		read_resource(a, file, e, sub, type, full, level + 1);
	}
}

/* ---- reading files ---- */

/* Depth and array sizes before jansson builds anything: line:column. */
static bool
prescan(struct aimp *a, const char *file, const char *s, size_t len)
{
	size_t count[ARM_DEPTH_MAX + 2], i;
	bool arr[ARM_DEPTH_MAX + 2], str = false, esc = false;
	int depth = 0, line = 1, col = 0;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80)
			col++;
		if (c == '\n') {
			line++;
			col = 0;
		}
		if (str) {
			if (esc)
				esc = false;
			else if (c == '\\')
				esc = true;
			else if (c == '"')
				str = false;
			continue;
		}
		if (c == '"')
			str = true;
		else if (c == '[' || c == '{') {
			if (depth == ARM_DEPTH_MAX) {
				arm_err(a, "%s:%d:%d: nested deeper than %d",
				    file, line, col, ARM_DEPTH_MAX);
				return false;
			}
			depth++;
			arr[depth] = c == '[';
			count[depth] = 0;
		} else if ((c == ']' || c == '}') && depth > 0)
			depth--;
		else if (c == ',' && depth > 0 && arr[depth] &&
		    ++count[depth] >= ARM_ARRAY_MAX) {
			arm_err(a, "%s:%d:%d: a list of more than %d elements",
			    file, line, col, ARM_ARRAY_MAX);
			return false;
		}
	}
	return true;
}

static char *
read_all(struct aimp *a, const char *file, size_t *len)
{
	struct stat st;
	char *buf;
	size_t n = 0, cap;
	FILE *f;

	if ((f = fopen(file, "r")) == NULL) {
		arm_err(a, "vrs: %s: %s", file, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
		arm_err(a, "vrs: %s: is a directory", file);
		fclose(f);
		return NULL;
	}
	/* a regular file's size, else (a pipe) the most we take */
	cap = S_ISREG(st.st_mode) && st.st_size < ARM_FILE_MAX
	    ? (size_t)st.st_size + 1
	    : ARM_FILE_MAX + 1;
	buf = xmalloc(cap + 1);
	n = fread(buf, 1, cap, f);
	fclose(f);
	if (n > ARM_FILE_MAX) {
		arm_err(
		    a, "vrs: %s: larger than %u MiB", file, ARM_FILE_MAX >> 20);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Parse text as JSON: NULL after an error at file:line:column. */
static json_t *
parse(struct aimp *a, const char *file, const char *text, size_t len)
{
	json_error_t e;
	json_t *j;

	if (!prescan(a, file, text, len))
		return NULL;
	j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL)
		arm_err(a, "%s:%d:%d: %s", file, e.line, e.column, e.text);
	return j;
}

static void
load_doc(struct aimp *a, const char *file, json_t *doc)
{
	json_t *res, *r;
	char where[WHERE_LEN], path[512];
	const char *key = "resources";
	size_t i;

	a->ctx.params = json_object_get(doc, "parameters");
	a->ctx.vars = json_object_get(doc, "variables");
	a->ctx.rg = ARM_RG;
	if (json_is_array(doc)) {
		res = doc;
		key = "";
	} else if (json_is_array(json_object_get(doc, "resources")))
		res = json_object_get(doc, "resources");
	else if (json_is_array(json_object_get(doc, "value"))) {
		res = json_object_get(doc, "value");
		key = "value";
	} else {
		arm_err(a,
		    "%s: expected an ARM template ({\"resources\": [...]}), "
		    "or a list of resources ([...], as az resource list "
		    "prints)",
		    file);
		return;
	}
	json_array_foreach(res, i, r)
	{
		snprintf(where, sizeof(where), "%s[%zu]", key, i);
		snprintf(path, sizeof(path), "%s", where);
		if (json_is_object(r))
			resolve_walk(a, file, r, path, sizeof(path), 0,
			    !imported_type(a, r));
		read_resource(a, file, r, where, NULL, NULL, 0);
	}
}

/* ---- the lab file ---- */

/* Is site l on a BGP connection of a gateway with BGP (a session)? */
static bool
bgp_site(struct aimp *a, const struct aobj *l)
{
	struct aobj *gw;
	size_t i;

	for (i = 0; l->nip == 1 && i < a->nobjs; i++)
		if (a->objs[i].kind == K_CONN && a->objs[i].ok &&
		    a->objs[i].bgp &&
		    strcasecmp(a->objs[i].ref[1], l->name) == 0 &&
		    (gw = arm_find(a, K_VGW, NULL, a->objs[i].ref[0])) !=
		        NULL &&
		    gw->nip > 0)
			return true;
	return false;
}

/* The BGP peers no speaker plays: the lab does not wait for them. */
static void
externals(struct aimp *a)
{
	size_t i;
	int k;
	struct aobj *o;

	for (i = 0; i < a->nobjs; i++) {
		o = &a->objs[i];
		if (!o->ok ||
		    !(o->kind == K_BGPCONN ||
		        (o->kind == K_LGW && bgp_site(a, o))))
			continue;
		for (k = 0; k < a->nspk && strcmp(a->spk[k].name, o->name); k++)
			;
		if (k < a->nspk || strlen(o->name) > 48)
			continue;
		for (k = 0; k < a->next && strcmp(a->ext[k], o->name); k++)
			;
		if (k == a->next && a->next < LAB_MAX)
			snprintf(a->ext[a->next++], sizeof(a->ext[0]), "%s",
			    o->name);
	}
}

/* The lab file; spkdir is how it names the speakers' folder ("" beside). */
static void
write_yaml(struct aimp *a, struct sbuf *y, const char *spkdir)
{
	char name[49];
	const char *base = a->nfiles > 0 ? a->files[0] : "arm", *s;
	size_t n = 0;
	int i;

	s = strrchr(base, '/');
	base = s != NULL ? s + 1 : base;
	for (; *base != '\0' && *base != '.' && n + 1 < sizeof(name); base++)
		if (strchr(
		        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		        "0123456789-_",
		        *base) != NULL)
			name[n++] = *base;
	name[n] = '\0';
	sbuf_printf(y, "# Imported by vrs lab import-arm from");
	for (i = 0; i < a->nfiles; i++)
		sbuf_printf(y, " %s", a->files[i]);
	sbuf_printf(y,
	    "\n# (%d resources; what was ignored is on its stderr).  "
	    "`vrs lab up FILE` starts it.\nname: %s\n\n"
	    "# a deployment Azure accepted: its limits as warnings\n"
	    "options:\n  relaxed: true\n\ntopology:\n",
	    a->nres, n > 0 ? name : "arm");
	for (i = 0; i < a->ncmds && i < ARM_CMDS_MAX; i++)
		sbuf_printf(y, "  - %s\n", a->cmds[i]);
	if (a->nspk > 0) {
		sbuf_printf(y,
		    "\n# the routes of --routes, announced over "
		    "BGP by vrs-speaker\nspeakers:\n");
		for (i = 0; i < a->nspk; i++)
			sbuf_printf(y,
			    "  - name: %s\n    config: %s%sarm-%s.conf\n",
			    a->spk[i].name, spkdir, spkdir[0] ? "/" : "",
			    a->spk[i].name);
	}
	if (a->next > 0) {
		sbuf_printf(y,
		    "\n# BGP peers without routes in the input: "
		    "vrs lab up does not wait for them\nexternal:\n");
		for (i = 0; i < a->next; i++)
			sbuf_printf(y, "  - name: %s\n", a->ext[i]);
	}
}

static void
aimp_free(struct aimp *a)
{
	int i;

	for (i = 0; i < a->nfiles; i++)
		json_decref(a->docs[i]);
	for (i = 0; i < a->ncmds && i < ARM_CMDS_MAX; i++)
		free(a->cmds[i]);
	for (i = 0; i < a->nspk; i++) {
		sbuf_fini(&a->spk[i].conf);
		sbuf_fini(&a->spk[i].routes[0]);
		sbuf_fini(&a->spk[i].routes[1]);
	}
	free(a->objs);
}

static void
aimp_add_text(struct aimp *a, const char *file, const char *text, size_t len)
{
	json_t *doc;

	if (a->nfiles == ARM_FILES_MAX) {
		arm_err(a, "vrs: import-arm: at most %d files", ARM_FILES_MAX);
		return;
	}
	if ((doc = parse(a, file, text, len)) == NULL)
		return;
	a->files[a->nfiles] = file;
	a->docs[a->nfiles++] = doc;
	load_doc(a, file, doc);
}

static void
aimp_finish(struct aimp *a)
{
	arm_speakers_finish(a);
	externals(a);
}

int
lab_arm_text(const char *file, const char *text, size_t len, const char *routes,
    size_t rlen, const char *dir, struct sbuf *yaml)
{
	struct aimp *a = xcalloc(1, sizeof(*a));
	json_t *j;
	int nerr;

	aimp_add_text(a, file, text, len);
	arm_gen_all(a); /* after an error too: every error is reported */
	if (a->nerr == 0 && a->ncmds == 0)
		arm_err(a,
		    "vrs: import-arm: no resource to import (no virtual "
		    "network, route table, NIC, gateway, ...)");
	if (a->nerr == 0 && routes != NULL &&
	    (j = parse(a, "routes.json", routes, rlen)) != NULL) {
		arm_routes_load(a, "routes.json", j, "", 0);
		json_decref(j);
	}
	aimp_finish(a);
	if (a->nerr == 0 && a->nspk > 0 && !write_speakers(a, dir))
		a->nerr++;
	if (a->nerr == 0)
		write_yaml(a, yaml, "");
	nerr = a->nerr;
	aimp_free(a);
	free(a);
	return nerr;
}

/* ---- the verbs ---- */

struct aargs {
	const char *in[ARM_FILES_MAX];
	int nin;
	const char *routes[ARM_FILES_MAX];
	int nroutes;
	const char *dir;
};

static bool
args_parse(int argc, char **argv, struct aargs *g, bool allow_dir)
{
	int i;

	memset(g, 0, sizeof(*g));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--routes") == 0 && i + 1 < argc &&
		    g->nroutes < ARM_FILES_MAX)
			g->routes[g->nroutes++] = argv[++i];
		else if (allow_dir && strcmp(argv[i], "-d") == 0 &&
		    i + 1 < argc)
			g->dir = argv[++i];
		else if (argv[i][0] == '-' || g->nin == ARM_FILES_MAX) {
			fprintf(stderr,
			    "vrs: %s: unknown option or too many files\n"
			    "usage: vrs lab import-arm TEMPLATE.json... "
			    "[--routes ROUTES.json]... [-d DIR] > lab.yaml\n"
			    "       vrs lab up --arm TEMPLATE.json... "
			    "[--routes ROUTES.json]...\n",
			    argv[i]);
			return false;
		} else
			g->in[g->nin++] = argv[i];
	}
	if (g->nin == 0) {
		fprintf(stderr,
		    "vrs: import-arm: give the template (az group "
		    "export) or resource list (az resource list)\n");
		return false;
	}
	return true;
}

/* Read every input; 0 when a lab can be written. */
static int
run(struct aimp *a, const struct aargs *g, char **bufs)
{
	size_t len;
	json_t *j;
	int i;

	for (i = 0; i < g->nin; i++)
		if ((bufs[i] = read_all(a, g->in[i], &len)) != NULL)
			aimp_add_text(a, g->in[i], bufs[i], len);
	arm_gen_all(a); /* after an error too: every error is reported */
	if (a->nerr == 0 && a->ncmds == 0)
		arm_err(a,
		    "vrs: import-arm: no resource to import (no virtual "
		    "network, route table, NIC, gateway, ...)");
	for (i = 0; i < g->nroutes && a->nerr == 0; i++) {
		char *t = read_all(a, g->routes[i], &len);

		if (t == NULL)
			continue;
		if ((j = parse(a, g->routes[i], t, len)) != NULL) {
			arm_routes_load(a, g->routes[i], j, "", 0);
			json_decref(j);
		}
		free(t);
	}
	aimp_finish(a);
	return a->nerr;
}

/* Is path ours to write: absent, or its first line starts with mark? */
static bool
ours_to_write(const char *path, const char *mark)
{
	char line[64] = "";
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return errno == ENOENT;
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	return strncmp(line, mark, strlen(mark)) == 0;
}

static bool
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) < 0) {
		fprintf(stderr, "vrs: %s: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return false;
	}
	return fclose(f) == 0;
}

static bool
write_speakers(struct aimp *a, const char *dir)
{
	char path[PATH_MAX + 64];
	int i;

	for (i = 0; i < a->nspk; i++) {
		snprintf(
		    path, sizeof(path), "%s/arm-%s.conf", dir, a->spk[i].name);
		if (!ours_to_write(path, "# written by vrs lab import-arm")) {
			fprintf(stderr,
			    "vrs: %s exists and import-arm did not write it; "
			    "nothing overwritten (-d DIR chooses another "
			    "folder)\n",
			    path);
			return false;
		}
		if (!write_file(path, a->spk[i].conf.s))
			return false;
	}
	return true;
}

static void
summary(struct aimp *a)
{
	fprintf(stderr,
	    "vrs: import-arm: %d resources, %d topology commands, %d "
	    "speakers, %d external peers; %d items ignored%s\n",
	    a->nres, a->ncmds, a->nspk, a->next, a->nign,
	    a->nign ? " (listed above)" : "");
}

/*
 * Where the speakers' files go: -d DIR, else the folder of the lab file
 * when stdout is a regular file, else the current folder.  *rel is how
 * the lab file names that folder: "" when the lab file is in it, else
 * dir (absolute).
 */
static bool
speaker_dir(const char *opt, char *dir, const char **rel)
{
	char out[PATH_MAX], *slash;
	struct stat st;
	ssize_t n;

	n = readlink("/proc/self/fd/1", out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = '\0';
	if (n <= 0 || out[0] != '/' || fstat(1, &st) != 0 ||
	    !S_ISREG(st.st_mode) || (slash = strrchr(out, '/')) == NULL)
		out[0] = '\0';
	else
		*slash = '\0';
	if (realpath(opt != NULL ? opt : out[0] ? out : ".", dir) == NULL) {
		fprintf(stderr, "vrs: %s: %s\n", opt != NULL ? opt : out,
		    strerror(errno));
		return false;
	}
	*rel = out[0] != '\0' && strcmp(out, dir) == 0 ? "" : dir;
	return true;
}

int
lab_arm_import(int argc, char **argv)
{
	struct aargs g;
	struct aimp *a;
	struct sbuf y;
	char *bufs[ARM_FILES_MAX] = { NULL }, dir[PATH_MAX];
	const char *rel = "";
	int i, rc = 1;

	if (!args_parse(argc, argv, &g, true))
		return 1;
	a = xcalloc(1, sizeof(*a));
	sbuf_init(&y);
	if (run(a, &g, bufs) != 0) {
		fprintf(stderr, "vrs: import-arm: %d errors; no lab written\n",
		    a->nerr);
		goto done;
	}
	if (a->nspk > 0) {
		if (!speaker_dir(g.dir, dir, &rel) || !write_speakers(a, dir))
			goto done;
	}
	write_yaml(a, &y, rel);
	fputs(y.s, stdout);
	summary(a);
	rc = fflush(stdout) == 0 ? 0 : 1;
done:
	for (i = 0; i < ARM_FILES_MAX; i++)
		free(bufs[i]);
	sbuf_fini(&y);
	aimp_free(a);
	free(a);
	return rc;
}

int
lab_arm_prepare(int argc, char **argv, char *path, size_t len)
{
	struct aargs g;
	struct aimp *a;
	struct sbuf y;
	char *bufs[ARM_FILES_MAX] = { NULL }, dir[PATH_MAX];
	int i, rc = 1;

	if (!args_parse(argc, argv, &g, false))
		return 1;
	if (lab_socket() != NULL) {
		fprintf(stderr,
		    "vrs: a lab is already running (`vrs lab "
		    "status` shows it, `vrs lab down` stops it)\n");
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s.arm", lab_dir());
	a = xcalloc(1, sizeof(*a));
	sbuf_init(&y);
	if (run(a, &g, bufs) != 0) {
		fprintf(stderr,
		    "vrs: import-arm: %d errors; nothing was "
		    "started\n",
		    a->nerr);
		goto done;
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "vrs: %s: %s\n", dir, strerror(errno));
		goto done;
	}
	write_yaml(a, &y, "");
	snprintf(path, len, "%s/lab.yaml", dir);
	if (!ours_to_write(path, "# Imported by vrs lab import-arm")) {
		fprintf(stderr,
		    "vrs: %s exists and import-arm did not write it\n", path);
		goto done;
	}
	if (!write_speakers(a, dir) || !write_file(path, y.s))
		goto done;
	summary(a);
	fprintf(stderr, "vrs: the imported lab is %s\n", path);
	rc = 0;
done:
	for (i = 0; i < ARM_FILES_MAX; i++)
		free(bufs[i]);
	sbuf_fini(&y);
	aimp_free(a);
	free(a);
	return rc;
}
