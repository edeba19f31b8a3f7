/* SPDX-License-Identifier: ISC */
/* api/arm.c - the topology as ARM resources over HTTP, and the fabric's actions. */

#include "api/api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "api/api_int.h"
#include "gateway/gw.h"
#include "lib/log.h"
#include "lib/prefix.h"

/*
 * A change is made ready before the live state is touched.  A NIC, a
 * route or an existing peering is read alone and checked against what
 * reads it (topology/change.c); any other resource goes through the
 * document: the topology is rendered (topo_to_json), the resource is
 * merged into the document or removed from a copy, and the result is
 * read back and validated as a whole (topo_from_json, topo_*_del).
 * The change is then saved (state.c: the snapshot, or a journal line
 * for a large topology) and only then made on the state that the
 * fabric borrows (which sees the new generation).  So a refused change,
 * or one that cannot be saved, leaves the state as it was.
 */

#define ARM_SUB       "00000000-0000-0000-0000-000000000000"
#define ARM_DEPTH_MAX 64
#define ARM_SEGS      12

/* The parts of /subscriptions/{sub}/resourceGroups/{rg}/providers/... */
struct arm_path {
	char buf[1024];
	const char *rg;
	const char *type;   /* canonical spelling, NULL: none */
	const char *name;   /* NULL: the collection */
	const char *ctype;  /* child type (canonical), NULL: none */
	const char *cname;  /* NULL: the child collection */
	const char *action; /* effectiveRouteTable, explain, nextHop,
			       learnedRoutes, ..., getBgpPeerStatus */
};

static const char *const arm_types[] = { "virtualNetworks", "networkInterfaces",
	"routeTables", "virtualHubs", "virtualNetworkGateways",
	"localNetworkGateways", "connections", "networkWatchers",
	"expressRouteCircuits", NULL };

/* Child collections: parent type, child type. */
static const char *const arm_children[][2] = {
	{ "virtualNetworks", "subnets" },
	{ "virtualNetworks", "virtualNetworkPeerings" },
	{ "routeTables", "routes" },
	{ "virtualHubs", "bgpConnections" },
};

#define NCHILDREN (sizeof(arm_children) / sizeof(arm_children[0]))

/* ---- paths and ids ---- */

static const char *
canon(const char *const *names, const char *s)
{
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (strcasecmp(names[i], s) == 0)
			return names[i];
	return NULL;
}

static const char *
canon_child(const char *type, const char *s)
{
	size_t i;

	for (i = 0; i < NCHILDREN; i++)
		if (strcmp(arm_children[i][0], type) == 0 &&
		    strcasecmp(arm_children[i][1], s) == 0)
			return arm_children[i][1];
	return NULL;
}

/* Split rest ("{sub}/resourceGroups/..."); false with a message. */
static bool
path_parse(const char *rest, struct arm_path *p, char *why, size_t len)
{
	char *seg[ARM_SEGS], *s, *save = NULL;
	int n = 0;

	memset(p, 0, sizeof(*p));
	if (strlen(rest) >= sizeof(p->buf)) {
		snprintf(why, len, "path too long");
		return false;
	}
	memcpy(p->buf, rest, strlen(rest) + 1);
	for (s = strtok_r(p->buf, "/", &save); s != NULL;
	     s = strtok_r(NULL, "/", &save)) {
		if (n == ARM_SEGS) {
			snprintf(why, len, "too many path segments");
			return false;
		}
		seg[n++] = s;
	}
	if (n < 6 || strcasecmp(seg[1], "resourceGroups") != 0 ||
	    strcasecmp(seg[3], "providers") != 0 ||
	    strcasecmp(seg[4], "Microsoft.Network") != 0) {
		snprintf(why, len,
		    "expected /subscriptions/SUB/resourceGroups/RG/providers/"
		    "Microsoft.Network/TYPE[/NAME...]");
		return false;
	}
	p->rg = seg[2];
	if ((p->type = canon(arm_types, seg[5])) == NULL) {
		snprintf(why, len, "no resource type %s", seg[5]);
		return false;
	}
	if (n > 6)
		p->name = seg[6];
	if (n == 8 &&
	    (strcmp(seg[7], "effectiveRouteTable") == 0 ||
	        strcmp(seg[7], "explain") == 0 ||
	        strcmp(seg[7], "nextHop") == 0 ||
	        strcmp(seg[7], "getLearnedRoutes") == 0 ||
	        strcmp(seg[7], "getAdvertisedRoutes") == 0 ||
	        strcmp(seg[7], "getBgpPeerStatus") == 0 ||
	        strcmp(seg[7], "announcedRoutes") == 0)) {
		p->action = seg[7];
		return true;
	}
	if (n > 7 && (p->ctype = canon_child(p->type, seg[7])) == NULL) {
		snprintf(why, len, "no child type %s of %s", seg[7], p->type);
		return false;
	}
	if (n > 8)
		p->cname = seg[8];
	if (n == 10 && strcmp(p->ctype, "bgpConnections") == 0 &&
	    (strcmp(seg[9], "learnedRoutes") == 0 ||
	        strcmp(seg[9], "advertisedRoutes") == 0 ||
	        strcmp(seg[9], "announcedRoutes") == 0)) {
		p->action = seg[9];
		return true;
	}
	if (n > 9) {
		snprintf(why, len, "no action %s", seg[9]);
		return false;
	}
	return true;
}

static json_t *
arm_id(const struct topo *t, const char *type, const char *name,
    const char *ctype, const char *cname)
{
	char id[640];

	snprintf(id, sizeof(id),
	    "/subscriptions/" ARM_SUB "/resourceGroups/%s/providers/"
	    "Microsoft.Network/%s/%s%s%s%s%s",
	    t->resource_group, type, name, ctype ? "/" : "", ctype ? ctype : "",
	    cname ? "/" : "", cname ? cname : "");
	return json_string(id);
}

/* The last segment of an id, or the string itself. */
static const char *
id_name(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash != NULL ? slash + 1 : s;
}

/* ---- requests ---- */

/* The request body as a JSON object; NULL after answering an error. */
static json_t *
body_read(struct evhttp_request *req)
{
	struct evbuffer *b = evhttp_request_get_input_buffer(req);
	size_t n = evbuffer_get_length(b);
	json_error_t jerr;
	json_t *j;

	if (n == 0) {
		api_reply_error(req, 400, "InvalidRequestFormat",
		    "request body missing (expected a JSON object)");
		return NULL;
	}
	j = json_loadb((const char *)evbuffer_pullup(b, -1), n,
	    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (j == NULL) {
		api_reply_error(req, 400, "InvalidRequestFormat",
		    "request body: line %d column %d: %s", jerr.line,
		    jerr.column, jerr.text);
		return NULL;
	}
	if (topo_json_depth(j, ARM_DEPTH_MAX + 1) > ARM_DEPTH_MAX) {
		json_decref(j);
		api_reply_error(req, 400, "InvalidRequestFormat",
		    "request body nested deeper than %d", ARM_DEPTH_MAX);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		api_reply_error(req, 400, "InvalidRequestFormat",
		    "request body must be a JSON object");
		return NULL;
	}
	return j;
}

static int
err_status(const struct topo_err *e)
{
	if (strncmp(e->code, "Invalid", 7) == 0 ||
	    strcmp(e->code, "ResourceNotFound") == 0)
		return 400;
	return 409;
}

/* What az calls a resource type in messages. */
static const char *
type_word(const char *type)
{
	static const char *const words[][2] = {
		{ "virtualNetworks", "virtual network" },
		{ "subnets", "subnet" },
		{ "virtualNetworkPeerings", "peering" },
		{ "networkInterfaces", "network interface" },
		{ "routeTables", "route table" },
		{ "routes", "route" },
		{ "virtualHubs", "route server" },
		{ "bgpConnections", "route server peering" },
		{ "virtualNetworkGateways", "virtual network gateway" },
		{ "localNetworkGateways", "local network gateway" },
		{ "connections", "connection" },
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i][0], type) == 0)
			return words[i][1];
	return type;
}

static void
not_found(struct evhttp_request *req, const char *type, const char *name,
    const char *ctype, const char *cname)
{
	if (ctype != NULL && cname != NULL)
		api_reply_error(req, 404, "ResourceNotFound",
		    "%s %s not found in %s %s", type_word(ctype), cname,
		    type_word(type), name);
	else
		api_reply_error(req, 404, "ResourceNotFound", "%s %s not found",
		    type_word(type), name);
}

/* ---- decoration: what ARM adds to the stored properties ---- */

static void
set_str(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, json_string(v));
}

static void decorate(const struct topo *t, json_t *o, const char *type,
    const char *parent, const char *ctype);

static void
decorate_children(
    const struct topo *t, json_t *o, const char *type, const char *ctype)
{
	const char *name = json_string_value(json_object_get(o, "name"));
	json_t *arr = json_object_get(o, ctype), *c;
	size_t i;

	json_array_foreach(arr, i, c) decorate(t, c, type, name, ctype);
}

static void
decorate_hub(const struct topo *t, json_t *o, const char *name)
{
	json_t *a, *c;
	size_t i;

	a = json_array();
	json_array_foreach(json_object_get(o, "bgpConnections"), i, c)
	    json_array_append_new(a,
	        json_pack("{s:o}", "id",
	            arm_id(t, "virtualHubs", name, "bgpConnections",
	                json_string_value(json_object_get(c, "name")))));
	json_object_set_new(o, "bgpConnections", a);
	json_object_set_new(o, "ipConfigurations",
	    json_pack("[{s:o}]", "id",
	        arm_id(
	            t, "virtualHubs", name, "ipConfigurations", "ipconfig1")));
	json_object_set_new(o, "routeTable", json_pack("{s:[]}", "routes"));
	set_str(o, "routingState", "Provisioned");
	json_object_set_new(o, "tags", json_object());
	json_object_set_new(o, "virtualHubRouteTableV2s", json_array());
	json_object_set_new(o, "virtualRouterAutoScaleConfiguration",
	    json_pack("{s:i}", "minCapacity", 2));
}

static void
decorate(const struct topo *t, json_t *o, const char *type, const char *parent,
    const char *ctype)
{
	const char *name = json_string_value(json_object_get(o, "name"));
	const struct topo_peering *p;
	const struct topo_vnet *v;
	char full[128];
	json_t *ipc;

	if (name == NULL)
		return;
	json_object_set_new(o, "id",
	    parent ? arm_id(t, type, parent, ctype, name)
	           : arm_id(t, type, name, NULL, NULL));
	snprintf(full, sizeof(full), "Microsoft.Network/%s%s%s", type,
	    ctype ? "/" : "", ctype ? ctype : "");
	set_str(o, "type", full);
	set_str(o, "resourceGroup", t->resource_group);
	set_str(o, "provisioningState", "Succeeded");
	if (parent == NULL && json_object_get(o, "location") == NULL)
		set_str(o, "location", t->location);
	if (ctype == NULL && strcmp(type, "virtualNetworks") == 0) {
		decorate_children(t, o, type, "subnets");
		decorate_children(t, o, type, "virtualNetworkPeerings");
		json_object_set_new(o, "enableDdosProtection", json_false());
	} else if (ctype == NULL && strcmp(type, "routeTables") == 0)
		decorate_children(t, o, type, "routes");
	else if (ctype == NULL && strcmp(type, "virtualHubs") == 0)
		decorate_hub(t, o, name);
	else if (ctype == NULL && strcmp(type, "networkInterfaces") == 0) {
		json_object_set_new(o, "primary", json_true());
		ipc = json_array_get(json_object_get(o, "ipConfigurations"), 0);
		if (ipc != NULL) {
			json_object_set_new(ipc, "id",
			    arm_id(t, type, name, "ipConfigurations",
			        "ipconfig1"));
			set_str(ipc, "provisioningState", "Succeeded");
			set_str(ipc, "resourceGroup", t->resource_group);
			set_str(ipc, "type",
			    "Microsoft.Network/networkInterfaces/"
			    "ipConfigurations");
		}
	} else if (ctype != NULL && strcmp(ctype, "subnets") == 0) {
		set_str(o, "privateEndpointNetworkPolicies", "Disabled");
		set_str(o, "privateLinkServiceNetworkPolicies", "Enabled");
	} else if (ctype != NULL &&
	    strcmp(ctype, "virtualNetworkPeerings") == 0) {
		p = topo_peering_lookup(t, parent, name);
		v = p ? topo_vnet_lookup(t, p->remote) : NULL;
		if (v != NULL) {
			json_t *a = json_array();
			char b[PREFIX_STRLEN];
			size_t i;

			for (i = 0; i < v->nprefixes; i++)
				json_array_append_new(a,
				    json_string(prefix_print(
				        &v->prefixes[i], b, sizeof(b))));
			json_object_set_new(o, "remoteAddressSpace",
			    json_pack("{s:o}", "addressPrefixes", a));
		}
	} else if (ctype != NULL && strcmp(ctype, "bgpConnections") == 0)
		json_object_set_new(
		    o, "hubVirtualNetworkConnection", json_null());
}

/* ---- the document ---- */

static bool leaf_of(const struct arm_path *p, enum topo_leaf_kind *k,
    const char **parent, const char **name);

static json_t *
find(json_t *arr, const char *name, size_t *idx)
{
	json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "name"))
		            ? json_string_value(json_object_get(e, "name"))
		            : "",
		        name) == 0) {
			if (idx != NULL)
				*idx = i;
			return e;
		}
	}
	return NULL;
}

/* The resource addressed by p in doc (borrowed), NULL if absent. */
static json_t *
doc_lookup(json_t *doc, const struct arm_path *p, json_t **parent)
{
	json_t *o = find(json_object_get(doc, p->type), p->name, NULL);

	if (parent != NULL)
		*parent = o;
	if (o == NULL || p->ctype == NULL)
		return o;
	return find(json_object_get(o, p->ctype), p->cname, NULL);
}

/* Make nt the state (t keeps its address; the fabric borrows it). */
static void
state_swap(struct topo *t, struct topo *nt)
{
	struct topo old = *t;

	*t = *nt;
	*nt = old;
	topo_free(nt);
}

/*
 * The warnings the change brings (those of nt that the old state had
 * not), one Vrs-Warning header each; vrs prints them as az does.
 */
static void
warn_new(
    struct evhttp_request *req, const struct topo *old, const struct topo *nt)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	size_t i, k;

	for (i = 0; i < nt->nwarnings; i++) {
		for (k = 0; k < old->nwarnings; k++)
			if (strcmp(old->warnings[k], nt->warnings[i]) == 0)
				break;
		if (k == old->nwarnings &&
		    strpbrk(nt->warnings[i], "\r\n") == NULL)
			evhttp_add_header(h, "Vrs-Warning", nt->warnings[i]);
	}
}

/*
 * How large (resources) a topology must be for its changes to go to
 * the journal rather than rewrite the snapshot: VRSD_STATE_JOURNAL_MIN,
 * 1000 by default; 0 journals every change.
 */
static bool
journal_mode(const struct topo *t)
{
	static long min = -1;
	const char *s;
	size_t i, n;

	if (min < 0)
		min = (s = getenv("VRSD_STATE_JOURNAL_MIN")) != NULL
		    ? strtol(s, NULL, 10)
		    : 1000;
	n = t->nvnets + t->nsubnets + t->nnics + t->npeerings + t->nrtables +
	    t->nrservers + t->ngateways + t->nlgateways + t->nconns;
	for (i = 0; i < t->nrtables && n < (size_t)min; i++)
		n += t->rtables[i].nroutes;
	return n >= (size_t)(min < 0 ? 0 : min);
}

void
api_sync(struct api *a)
{
	ars_program_begin(a->ars);
	ars_program(a->ars, a->topo, a->fab);
	gw_program(a->ars, a->topo, a->fab);
	ars_program_end(a->ars, a->fab);
	if (a->live != NULL)
		live_sync(a->live);
}

/* A bgpConnection's session state, as the route server's model has it. */
static void
decorate_session(struct api *a, json_t *o, const struct arm_path *p)
{
	const struct topo_routeserver *rs;
	const char *peer = json_string_value(json_object_get(o, "name"));

	if (p->ctype == NULL || strcmp(p->ctype, "bgpConnections") != 0 ||
	    (rs = topo_routeserver_lookup(a->topo, p->name)) == NULL ||
	    peer == NULL)
		return;
	json_object_set_new(o, "connectionState",
	    json_string(ars_peer_state_text(
	        ars_peer_state(a->ars, a->topo, rs, peer))));
}

/* A route server's peers that announce inconsistently: Vrs-Warning. */
static void
warn_peers(struct api *a, struct evhttp_request *req, const struct arm_path *p)
{
	const struct topo_routeserver *rs;
	char why[512];
	size_t i;

	if (p->ctype != NULL || strcmp(p->type, "virtualHubs") != 0 ||
	    (rs = topo_routeserver_lookup(a->topo, p->name)) == NULL)
		return;
	for (i = 0; i < rs->nconns; i++)
		if (!ars_peer_consistent(
		        a->ars, rs->name, rs->conns[i].name, why, sizeof(why)))
			evhttp_add_header(
			    evhttp_request_get_output_headers(req),
			    "Vrs-Warning", why);
}

/* Answer the resource p addresses, from the current state. */
static void
reply_resource(struct api *a, struct evhttp_request *req,
    const struct arm_path *p, int status)
{
	enum topo_leaf_kind k;
	const char *parent, *name;
	json_t *doc, *o;

	if (leaf_of(p, &k, &parent, &name))
		o = doc = topo_leaf_to_json(a->topo, k, parent, name);
	else
		o = doc_lookup(doc = topo_to_json(a->topo), p, NULL);
	if (o == NULL) {
		json_decref(doc);
		not_found(req, p->type, p->name, p->ctype, p->cname);
		return;
	}
	decorate(a->topo, o, p->type, p->ctype ? p->name : NULL, p->ctype);
	decorate_session(a, o, p);
	warn_peers(a, req, p);
	json_incref(o);
	json_decref(doc);
	api_reply_json(req, status, o);
}

static void
reply_list(struct api *a, struct evhttp_request *req, const struct arm_path *p)
{
	json_t *doc = topo_to_json(a->topo), *arr, *parent, *e, *out;
	size_t i;

	if (p->ctype != NULL) {
		if ((parent = find(json_object_get(doc, p->type), p->name,
		         NULL)) == NULL) {
			json_decref(doc);
			not_found(req, p->type, p->name, NULL, NULL);
			return;
		}
		arr = json_object_get(parent, p->ctype);
	} else
		arr = json_object_get(doc, p->type);
	out = json_array();
	json_array_foreach(arr, i, e)
	{
		decorate(
		    a->topo, e, p->type, p->ctype ? p->name : NULL, p->ctype);
		decorate_session(a, e, p);
		json_array_append(out, e);
	}
	json_decref(doc);
	api_reply_json(req, 200, json_pack("{s:o}", "value", out));
}

static bool
del_one(struct topo *c, const struct arm_path *p, struct topo_err *err)
{
	const char *t = p->type, *ct = p->ctype;

	if (ct == NULL && strcmp(t, "virtualNetworks") == 0)
		return topo_vnet_del(c, p->name, err);
	if (ct == NULL && strcmp(t, "networkInterfaces") == 0)
		return topo_nic_del(c, p->name, err);
	if (ct == NULL && strcmp(t, "routeTables") == 0)
		return topo_route_table_del(c, p->name, err);
	if (ct == NULL && strcmp(t, "virtualHubs") == 0)
		return topo_routeserver_del(c, p->name, err);
	if (ct == NULL && strcmp(t, "virtualNetworkGateways") == 0)
		return topo_gateway_del(c, p->name, err);
	if (ct == NULL && strcmp(t, "localNetworkGateways") == 0)
		return topo_local_gateway_del(c, p->name, err);
	if (ct == NULL && strcmp(t, "connections") == 0)
		return topo_connection_del(c, p->name, err);
	if (ct != NULL && strcmp(ct, "subnets") == 0)
		return topo_subnet_del(c, p->name, p->cname, err);
	if (ct != NULL && strcmp(ct, "virtualNetworkPeerings") == 0)
		return topo_peering_del(c, p->name, p->cname, err);
	if (ct != NULL && strcmp(ct, "routes") == 0)
		return topo_route_del(c, p->name, p->cname, err);
	if (ct != NULL && strcmp(ct, "bgpConnections") == 0)
		return topo_bgpconn_del(c, p->name, p->cname, err);
	return topo_err_set(err, "InvalidRequest", "%s cannot be deleted", t);
}

/* The not-found error of p, as not_found() answers it. */
static void
not_found_err(struct topo_err *err, const char *type, const char *name,
    const char *ctype, const char *cname)
{
	if (ctype != NULL && cname != NULL)
		topo_err_set(err, "ResourceNotFound",
		    "%s %s not found in %s %s", type_word(ctype), cname,
		    type_word(type), name);
	else
		topo_err_set(err, "ResourceNotFound", "%s %s not found",
		    type_word(type), name);
}

/* A change made ready, the state not yet touched. */
struct change {
	struct topo *nt;        /* the whole new state, or NULL */
	struct topo_leaf *leaf; /* or one leaf to change in place, or NULL */
	int status;             /* nt and leaf NULL: nothing to change */
	bool created;
};

/* The leaf p addresses (a NIC, a route, a peering); false if none. */
static bool
leaf_of(const struct arm_path *p, enum topo_leaf_kind *k, const char **parent,
    const char **name)
{
	if (p->ctype == NULL && strcmp(p->type, "networkInterfaces") == 0) {
		*k = TOPO_LEAF_NIC;
		*parent = NULL;
		*name = p->name;
		return true;
	}
	if (p->ctype != NULL && strcmp(p->ctype, "routes") == 0)
		*k = TOPO_LEAF_ROUTE;
	else if (p->ctype != NULL &&
	    strcmp(p->ctype, "virtualNetworkPeerings") == 0)
		*k = TOPO_LEAF_PEERING;
	else
		return false;
	*parent = p->name;
	*name = p->cname;
	return true;
}

static void
change_free(struct change *ch)
{
	topo_free(ch->nt);
	topo_leaf_free(ch->leaf);
	ch->nt = NULL;
	ch->leaf = NULL;
}

/* A PUT through the whole document: rendered, merged, read back. */
static bool
change_put_doc(const struct topo *t, const struct arm_path *p, json_t *body,
    struct change *ch, struct topo_err *err)
{
	json_t *doc, *arr, *parent, *old, *merged;
	const char *name = p->ctype ? p->cname : p->name;
	size_t idx = 0;
	bool ok = false;

	doc = topo_to_json(t);
	if (strcasecmp(p->rg, t->resource_group) != 0)
		json_object_set_new(doc, "resourceGroup", json_string(p->rg));
	if (p->ctype != NULL) {
		parent = find(json_object_get(doc, p->type), p->name, NULL);
		if (parent == NULL) {
			not_found_err(err, p->type, p->name, NULL, NULL);
			ch->status = 404;
			goto out;
		}
		if ((arr = json_object_get(parent, p->ctype)) == NULL) {
			arr = json_array();
			json_object_set_new(parent, p->ctype, arr);
		}
	} else
		arr = json_object_get(doc, p->type);
	old = find(arr, name, &idx);
	ch->created = old == NULL;
	merged = old ? json_deep_copy(old) : json_object();
	json_object_update(merged, body);
	json_object_set_new(merged, "name", json_string(name));
	if (ch->created)
		json_array_append_new(arr, merged);
	else
		json_array_set_new(arr, idx, merged);
	if (!topo_from_json(doc, &ch->nt, err)) {
		ch->status = err_status(err);
		ch->nt = NULL;
		goto out;
	}
	ch->status = ch->created ? 201 : 200;
	ok = true;
out:
	json_decref(doc);
	return ok;
}

static bool
change_put(const struct topo *t, const struct arm_path *p, json_t *body,
    struct change *ch, struct topo_err *err)
{
	enum topo_leaf_kind k;
	const char *parent, *name;
	json_t *merged;
	int rc;

	if (strcasecmp(p->rg, t->resource_group) != 0 ||
	    !leaf_of(p, &k, &parent, &name))
		return change_put_doc(t, p, body, ch, err);
	if ((merged = topo_leaf_to_json(t, k, parent, name)) == NULL)
		merged = json_object();
	json_object_update(merged, body);
	json_object_set_new(merged, "name", json_string(name));
	rc = topo_leaf_prepare(
	    t, k, parent, name, merged, &ch->leaf, &ch->created, err);
	json_decref(merged);
	if (rc < 0)
		return change_put_doc(t, p, body, ch, err);
	ch->status = rc == 0 ? err_status(err) : ch->created ? 201 : 200;
	return rc == 1;
}

/* True when the resource p addresses exists in t. */
static bool
exists(const struct topo *t, const struct arm_path *p)
{
	enum topo_leaf_kind k;
	const char *parent, *name;
	json_t *doc;
	bool there;

	if (leaf_of(p, &k, &parent, &name)) {
		doc = topo_leaf_to_json(t, k, parent, name);
		there = doc != NULL;
	} else {
		doc = topo_to_json(t);
		there = doc_lookup(doc, p, NULL) != NULL;
	}
	json_decref(doc);
	return there;
}

static bool
change_delete(const struct topo *t, const struct arm_path *p, struct change *ch,
    struct topo_err *err)
{
	enum topo_leaf_kind k;
	const char *parent, *name;
	bool created;
	int rc;

	ch->status = 200;
	if (!exists(t, p))
		return true; /* absent: nothing to do */
	if (leaf_of(p, &k, &parent, &name)) {
		rc = topo_leaf_prepare(
		    t, k, parent, name, NULL, &ch->leaf, &created, err);
		if (rc >= 0) {
			if (rc == 0)
				ch->status = err_status(err);
			return rc == 1;
		}
	}
	ch->nt = topo_copy(t);
	if (!del_one(ch->nt, p, err)) {
		change_free(ch);
		ch->status = err_status(err);
		return false;
	}
	return true;
}

/* Make ready the change of method at path on t; false with err, status. */
static bool
change_prepare(const struct topo *t, const char *method, const char *path,
    json_t *body, struct change *ch, struct topo_err *err)
{
	struct arm_path p;
	char why[160];
	bool put =
	    strcasecmp(method, "PUT") == 0 || strcasecmp(method, "PATCH") == 0;

	memset(ch, 0, sizeof(*ch));
	ch->status = 404;
	if (!path_parse(path, &p, why, sizeof(why))) {
		topo_err_set(err, "NotFound", "%s", why);
		return false;
	}
	if (strcasecmp(p.rg, t->resource_group) != 0 &&
	    !(put && t->nvnets == 0 && t->nrtables == 0 &&
	        t->nlgateways == 0)) {
		topo_err_set(err, "ResourceGroupNotFound",
		    "resource group %s not found (this lab holds %s)", p.rg,
		    t->resource_group);
		return false;
	}
	ch->status = 400;
	if (p.action != NULL || p.name == NULL ||
	    (p.ctype != NULL && p.cname == NULL) ||
	    strcmp(p.type, "networkWatchers") == 0 ||
	    strcmp(p.type, "expressRouteCircuits") == 0) {
		topo_err_set(err, "InvalidRequest",
		    "%s is not a resource that can be changed", path);
		return false;
	}
	if (put) {
		if (!json_is_object(body)) {
			topo_err_set(err, "InvalidRequestFormat",
			    "request body must be a JSON object");
			return false;
		}
		return change_put(t, &p, body, ch, err);
	}
	if (strcasecmp(method, "DELETE") == 0)
		return change_delete(t, &p, ch, err);
	topo_err_set(
	    err, "InvalidRequest", "%s is not a change (PUT, DELETE)", method);
	return false;
}

struct topo *
api_change(struct api *a, const char *method, const char *path, json_t *body,
    int *status, bool *created, struct topo_err *err)
{
	struct change ch;
	struct topo *c;

	*created = false;
	if (!change_prepare(a->topo, method, path, body, &ch, err)) {
		*status = ch.status;
		return NULL;
	}
	*status = ch.status;
	*created = ch.created;
	if (ch.nt != NULL)
		return ch.nt;
	c = topo_copy(a->topo);
	if (ch.leaf != NULL)
		topo_leaf_commit(c, ch.leaf);
	return c;
}

bool
api_replay(struct topo *t, const char *method, const char *path, json_t *body,
    struct topo_err *err)
{
	struct change ch;

	if (!change_prepare(t, method, path, body, &ch, err))
		return false;
	if (ch.nt != NULL)
		state_swap(t, ch.nt);
	else if (ch.leaf != NULL)
		topo_leaf_commit(t, ch.leaf);
	return true;
}

/* Answer a refused change as change_prepare described it. */
static void
reply_change_err(
    struct evhttp_request *req, int status, const struct topo_err *err)
{
	api_reply_error(req, status, err->code, "%s", err->msg);
}

/*
 * Save and install ch (consumed); false after answering an error.  A
 * small topology is saved whole (a snapshot); a large one journals the
 * request, flushed before the change is made.  Either way a change that
 * cannot be saved changes nothing.
 */
static bool
install(struct api *a, struct evhttp_request *req, struct change *ch,
    const char *method, const char *rest, json_t *body)
{
	uint64_t gen = a->topo->gen + 1;
	bool journal = a->state[0] != '\0' && journal_mode(a->topo);
	int rc = 0;

	if (a->state[0] != '\0' && !journal) {
		if (ch->nt == NULL) {
			ch->nt = topo_copy(a->topo);
			topo_leaf_commit(ch->nt, ch->leaf);
			ch->leaf = NULL;
		}
		ch->nt->gen = gen;
		rc = api_state_save(a->state, ch->nt);
	} else if (journal)
		rc = api_state_append(a->state, gen, method, rest, body);
	if (rc < 0) {
		log_warnx(
		    "state %s: %s; change refused", a->state, strerror(-rc));
		api_reply_error(req, 500, "StateNotSaved",
		    "cannot save the state to %s: %s (nothing changed)",
		    a->state, strerror(-rc));
		change_free(ch);
		return false;
	}
	if (journal && api_state_journal_full(a->state)) {
		/* fold the journal, this change included, into a snapshot */
		if (ch->nt == NULL) {
			ch->nt = topo_copy(a->topo);
			topo_leaf_commit(ch->nt, ch->leaf);
			ch->leaf = NULL;
		}
		ch->nt->gen = gen;
		api_state_compacted(a->state, api_state_save(a->state, ch->nt));
	}
	if (ch->nt != NULL) {
		ch->nt->gen = gen;
		warn_new(req, a->topo, ch->nt);
		state_swap(a->topo, ch->nt);
		ch->nt = NULL;
		api_sync(a);
		return true;
	}
	/*
	 * A leaf (a NIC, a route, a peering's flags) changes no warning and
	 * nothing that the route servers, the gateways or the live sessions
	 * read (route servers, bgpConnections, gateways, connections, which
	 * VNets are peered): the fabric sees the new generation and
	 * recomputes what it shows; nothing to reprogram.
	 */
	topo_leaf_commit(a->topo, ch->leaf);
	ch->leaf = NULL;
	a->topo->gen = gen;
	return true;
}

static void
arm_put(struct api *a, struct evhttp_request *req, const struct arm_path *p,
    const char *rest)
{
	struct topo_err err;
	struct change ch;
	json_t *body;
	bool ok;

	if ((body = body_read(req)) == NULL)
		return;
	if (!change_prepare(a->topo, "PUT", rest, body, &ch, &err)) {
		json_decref(body);
		reply_change_err(req, ch.status, &err);
		return;
	}
	ok = install(a, req, &ch, "PUT", rest, body);
	json_decref(body);
	if (ok)
		reply_resource(a, req, p, ch.created ? 201 : 200);
}

static void
arm_delete(struct api *a, struct evhttp_request *req, const struct arm_path *p,
    const char *rest)
{
	struct topo_err err;
	struct change ch;

	(void)p;
	if (!change_prepare(a->topo, "DELETE", rest, NULL, &ch, &err)) {
		reply_change_err(req, ch.status, &err);
		return;
	}
	if (ch.nt == NULL && ch.leaf == NULL) {
		/* as ARM: deleting what is not there succeeds */
		api_reply_json(req, 200, json_object());
		return;
	}
	if (install(a, req, &ch, "DELETE", rest, NULL))
		api_reply_json(req, 200, json_object());
}

/* ---- the fabric's actions ---- */

/* Send s (malloc'd JSON text, consumed) with status 200. */
static void
reply_text(struct evhttp_request *req, char *s, size_t len)
{
	struct evbuffer *b = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json");
	evbuffer_add(b, s, len);
	free(s);
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static void
arm_effective(struct api *a, struct evhttp_request *req, const char *nic)
{
	struct fab_table tab;
	size_t len;
	char *s;

	if (!fab_nic_effective_routes(a->fab, nic, &tab)) {
		not_found(req, "networkInterfaces", nic, NULL, NULL);
		return;
	}
	s = fab_table_to_text(&tab, &len);
	reply_text(req, s, len);
}

static void
add_reason(void *arg, const char *rule, const char *text)
{
	json_array_append_new(
	    arg, json_pack("{s:s,s:s}", "rule", rule, "reason", text));
}

static void
arm_explain(struct api *a, struct evhttp_request *req, const char *nic)
{
	struct evkeyvalq q;
	struct fab_explanation e;
	struct prefix px;
	struct ipaddr dst;
	const char *pfx, *addr, *why = NULL;
	json_t *out, *rs;
	size_t i;

	memset(&q, 0, sizeof(q));
	evhttp_parse_query(evhttp_request_get_uri(req), &q);
	pfx = evhttp_find_header(&q, "prefix");
	addr = evhttp_find_header(&q, "address");
	if ((pfx == NULL) == (addr == NULL)) {
		api_reply_error(req, 400, "InvalidRequest",
		    "explain needs one of prefix= or address=");
		goto out;
	}
	if (pfx != NULL && (why = prefix_parse(pfx, &px, 0)) != NULL) {
		api_reply_error(req, 400, "InvalidAddressPrefix",
		    "prefix %s: %s (expected e.g. 10.0.0.0/16)", pfx, why);
		goto out;
	}
	if (addr != NULL && !addr_parse(addr, &dst)) {
		api_reply_error(req, 400, "InvalidIPAddress",
		    "address %s is not an IP address (expected e.g. 10.0.0.4)",
		    addr);
		goto out;
	}
	if (!fab_explain(
	        a->fab, nic, pfx ? &px : NULL, addr ? &dst : NULL, &e)) {
		not_found(req, "networkInterfaces", nic, NULL, NULL);
		goto out;
	}
	rs = json_array();
	if (pfx != NULL) /* the route servers' side comes first */
		ars_explain(a->ars, a->topo, &px, add_reason, rs);
	for (i = 0; i < e.n; i++)
		json_array_append_new(rs,
		    json_pack("{s:s,s:s}", "rule", e.v[i].rule, "reason",
		        e.v[i].text));
	out = json_pack("{s:s,s:s,s:b,s:o}", "networkInterface", nic,
	    pfx ? "prefix" : "address", pfx ? pfx : addr, "present", e.present,
	    "reasons", rs);
	fab_explanation_fini(&e);
	api_reply_json(req, 200, out);
out:
	evhttp_clear_headers(&q);
}

static void
arm_next_hop(struct api *a, struct evhttp_request *req)
{
	json_t *body = body_read(req), *v;
	const char *nic, *dst;
	struct fab_next_hop nh;
	struct ipaddr ip;

	if (body == NULL)
		return;
	v = json_object_get(body, "targetNicResourceId");
	if (v == NULL)
		v = json_object_get(body, "targetResourceId");
	nic = json_string_value(v);
	dst = json_string_value(json_object_get(body, "destinationIPAddress"));
	if (nic == NULL || dst == NULL)
		api_reply_error(req, 400, "InvalidRequestFormat",
		    "nextHop needs targetNicResourceId and "
		    "destinationIPAddress");
	else if (!addr_parse(dst, &ip))
		api_reply_error(req, 400, "InvalidIPAddress",
		    "destinationIPAddress %s is not an IP address", dst);
	else if (!fab_next_hop(a->fab, id_name(nic), &ip, &nh))
		not_found(req, "networkInterfaces", id_name(nic), NULL, NULL);
	else
		api_reply_json(req, 200, fab_next_hop_to_json(&nh));
	json_decref(body);
}

/* ---- route servers' and gateways' routes ---- */

/*
 * PUT of announcements: a route server's peer (rs, peer) or, with peer
 * NULL, a site; false after answering an error.
 */
static bool
announce_put(struct api *a, struct evhttp_request *req, const char *rs,
    const char *peer, const struct ipaddr *ip, uint32_t asn)
{
	char why[256];
	json_t *body;
	bool ok;

	if (a->live != NULL &&
	    live_owns(
	        a->live, peer != NULL ? rs : NULL, peer != NULL ? peer : rs)) {
		api_reply_error(req, 409, "Conflict",
		    "%s has an Established BGP session: its routes come "
		    "from the session (announce them from the peer)",
		    peer != NULL ? peer : rs);
		return false;
	}
	if ((body = body_read(req)) == NULL)
		return false;
	ok = peer != NULL
	    ? ars_announced_from_json(
	          a->ars, rs, peer, ip, asn, body, why, sizeof(why))
	    : ars_site_from_json(a->ars, rs, ip, asn, body, why, sizeof(why));
	json_decref(body);
	if (!ok) {
		api_reply_error(req, 400, "InvalidRequestFormat", "%s", why);
		return false;
	}
	api_sync(a);
	return true;
}

static void
arm_bgpconn(struct api *a, struct evhttp_request *req, const struct arm_path *p,
    enum evhttp_cmd_type m)
{
	const struct topo_routeserver *rs =
	    topo_routeserver_lookup(a->topo, p->name);
	const struct topo_bgpconn *c = NULL;
	size_t i;

	for (i = 0; rs != NULL && i < rs->nconns; i++)
		if (strcmp(rs->conns[i].name, p->cname) == 0)
			c = &rs->conns[i];
	if (c == NULL) {
		not_found(req, p->type, p->name, rs ? p->ctype : NULL,
		    rs ? p->cname : NULL);
		return;
	}
	if (strcmp(p->action, "announcedRoutes") == 0 && m == EVHTTP_REQ_PUT) {
		if (!announce_put(
		        a, req, rs->name, c->name, &c->peer_ip, c->peer_asn))
			return;
		m = EVHTTP_REQ_GET;
	}
	if (m != EVHTTP_REQ_GET && m != EVHTTP_REQ_POST) {
		api_reply_error(req, 405, "MethodNotAllowed",
		    "%s answers GET or POST%s", p->action,
		    strcmp(p->action, "announcedRoutes") == 0 ? " and PUT"
		                                              : "");
		return;
	}
	if (strcmp(p->action, "learnedRoutes") == 0)
		api_reply_json(
		    req, 200, ars_learned_json(a->ars, a->topo, rs, c->name));
	else if (strcmp(p->action, "advertisedRoutes") == 0)
		api_reply_json(req, 200,
		    ars_advertised_json(a->ars, a->topo, rs, c->name));
	else
		api_reply_json(
		    req, 200, ars_announced_json(a->ars, a->topo, rs, c->name));
}

/*
 * GET|PUT .../localNetworkGateways/{site}/announcedRoutes and
 * .../expressRouteCircuits/{c}/announcedRoutes (vrs's own): what a BGP
 * site, or the customer's router on circuit c (which an ExpressRoute
 * connection names), announces.  A circuit's routes have no default next
 * hop or AS: each needs its nextHop (the MSEE) and asPath.
 */
static void
arm_site(struct api *a, struct evhttp_request *req, const struct arm_path *p,
    enum evhttp_cmd_type m)
{
	static const struct ipaddr none;
	const struct topo_local_gateway *l = NULL;

	if (strcmp(p->type, "expressRouteCircuits") == 0) {
		if (!ars_circuit_used(a->topo, p->name)) {
			api_reply_error(req, 404, "ResourceNotFound",
			    "no ExpressRoute connection uses circuit %s",
			    p->name);
			return;
		}
	} else if ((l = topo_local_gateway_lookup(a->topo, p->name)) == NULL) {
		not_found(req, p->type, p->name, NULL, NULL);
		return;
	}
	if (m == EVHTTP_REQ_PUT) {
		if (l != NULL && l->asn == 0) {
			api_reply_error(req, 409, "BgpNotEnabled",
			    "local network gateway %s has no BGP settings "
			    "(--asn, --bgp-peering-address): it announces "
			    "nothing",
			    l->name);
			return;
		}
		if (!announce_put(a, req, p->name, NULL,
		        l != NULL ? &l->bgp_ip : &none, l != NULL ? l->asn : 0))
			return;
	} else if (m != EVHTTP_REQ_GET) {
		api_reply_error(req, 405, "MethodNotAllowed",
		    "announcedRoutes answers GET and PUT");
		return;
	}
	api_reply_json(req, 200, ars_site_json(a->ars, p->name));
}

static void
arm_gateway(struct api *a, struct evhttp_request *req, const struct arm_path *p)
{
	const struct topo_gateway *g = topo_gateway_lookup(a->topo, p->name);
	struct evkeyvalq q;
	struct ipaddr ip;
	const char *peer;
	char why[256];
	json_t *out;

	if (g == NULL) {
		not_found(req, p->type, p->name, NULL, NULL);
		return;
	}
	if (strcmp(p->action, "getLearnedRoutes") == 0) {
		api_reply_json(req, 200, gw_learned_json(a->ars, a->topo, g));
		return;
	}
	if (strcmp(p->action, "getBgpPeerStatus") == 0) {
		api_reply_json(
		    req, 200, gw_peer_status_json(a->ars, a->topo, g));
		return;
	}
	memset(&q, 0, sizeof(q));
	evhttp_parse_query(evhttp_request_get_uri(req), &q);
	peer = evhttp_find_header(&q, "peer");
	if (peer == NULL)
		api_reply_error(req, 400, "InvalidRequest",
		    "getAdvertisedRoutes needs peer=IP, a BGP peer of the "
		    "gateway");
	else if (!addr_parse(peer, &ip))
		api_reply_error(req, 400, "InvalidIPAddress",
		    "peer %s is not an IP address", peer);
	else if ((out = gw_advertised_json(
	              a->ars, a->topo, g, &ip, why, sizeof(why))) == NULL)
		api_reply_error(req, 400, "InvalidPeer", "%s", why);
	else
		api_reply_json(req, 200, out);
	evhttp_clear_headers(&q);
}

/* ---- dispatch ---- */

void
api_arm(struct api *a, struct evhttp_request *req, const char *rest)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	struct arm_path p;
	char why[160];
	bool get = m == EVHTTP_REQ_GET;

	if (!path_parse(rest, &p, why, sizeof(why))) {
		api_reply_error(req, 404, "NotFound", "%s", why);
		return;
	}
	if (strcasecmp(p.rg, a->topo->resource_group) != 0 &&
	    !(m == EVHTTP_REQ_PUT && a->topo->nvnets == 0 &&
	        a->topo->nrtables == 0 && a->topo->nlgateways == 0)) {
		api_reply_error(req, 404, "ResourceGroupNotFound",
		    "resource group %s not found (this lab holds %s)", p.rg,
		    a->topo->resource_group);
		return;
	}
	if (p.action != NULL && p.ctype != NULL) {
		arm_bgpconn(a, req, &p, m);
		return;
	}
	if (p.action != NULL && strcmp(p.action, "announcedRoutes") == 0 &&
	    strcmp(p.type, "localNetworkGateways") == 0) {
		arm_site(a, req, &p, m);
		return;
	}
	if (strcmp(p.type, "expressRouteCircuits") == 0) {
		if (p.action != NULL &&
		    strcmp(p.action, "announcedRoutes") == 0)
			arm_site(a, req, &p, m);
		else
			api_reply_error(req, 404, "NotFound",
			    "ExpressRoute circuits only answer "
			    ".../announcedRoutes (vrs models them as a "
			    "connection's peer)");
		return;
	}
	if (p.action != NULL && strcmp(p.type, "virtualNetworkGateways") == 0 &&
	    strncmp(p.action, "get", 3) == 0) {
		if (m == EVHTTP_REQ_POST || get)
			arm_gateway(a, req, &p);
		else
			api_reply_error(req, 405, "MethodNotAllowed",
			    "%s answers POST", p.action);
		return;
	}
	if (p.action != NULL) {
		if (strcmp(p.action, "effectiveRouteTable") == 0 &&
		    m == EVHTTP_REQ_POST &&
		    strcmp(p.type, "networkInterfaces") == 0)
			arm_effective(a, req, p.name);
		else if (strcmp(p.action, "explain") == 0 && get &&
		    strcmp(p.type, "networkInterfaces") == 0)
			arm_explain(a, req, p.name);
		else if (strcmp(p.action, "nextHop") == 0 &&
		    m == EVHTTP_REQ_POST &&
		    strcmp(p.type, "networkWatchers") == 0)
			arm_next_hop(a, req);
		else
			api_reply_error(req, 405, "MethodNotAllowed",
			    "%s not allowed on %s/%s", "method", p.type,
			    p.action);
		return;
	}
	if (strcmp(p.type, "networkWatchers") == 0) {
		api_reply_error(req, 404, "NotFound",
		    "network watchers only answer POST .../nextHop");
		return;
	}
	if (p.name == NULL || (p.ctype != NULL && p.cname == NULL)) {
		if (get)
			reply_list(a, req, &p);
		else
			api_reply_error(req, 405, "MethodNotAllowed",
			    "a collection only answers GET");
		return;
	}
	if (get)
		reply_resource(a, req, &p, 200);
	else if (m == EVHTTP_REQ_PUT || m == EVHTTP_REQ_PATCH)
		arm_put(a, req, &p, rest);
	else if (m == EVHTTP_REQ_DELETE)
		arm_delete(a, req, &p, rest);
	else
		api_reply_error(req, 405, "MethodNotAllowed",
		    "POST is not allowed on a resource");
}

void
api_topology(struct api *a, struct evhttp_request *req, const char *rest)
{
	(void)rest;
	api_reply_json(req, 200, topo_to_json(a->topo));
}
