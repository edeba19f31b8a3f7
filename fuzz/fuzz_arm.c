/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_arm.c - libFuzzer target: ARM resource bodies as the control API's PUT merges them. */

/*
 * Input: a selector byte, then JSON text: the body of PUT R/{type}/{name}
 * or R/{type}/{name}/{child}/{cname} (api/arm.c's arm_put), for the
 * resource the selector's low four bits pick in resources[]: one of
 * spec 9's topology (fuzz_topo.h, with a route table added), or a new one
 * named fz.  As arm_put does, the body (a JSON object no deeper than 64)
 * is merged over the resource's current members in the rendered
 * topology, then the whole document goes through topo_from_json().  An
 * accepted one must render, read back and render to the same text, and
 * every NIC's effective routes and an explanation are computed.
 *
 * fuzz_model reads whole documents; this target reaches what a single
 * resource's body can do to an otherwise valid topology.
 */

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fabric/fabric.h"
#include "fuzz.h"
#include "fuzz_topo.h"
#include "topology/topology.h"

#define FUZZ_DEPTH_MAX 64 /* ARM_DEPTH_MAX */

static const struct {
	const char *type, *ctype, *parent, *name;
} resources[16] = {
	{ "virtualNetworks", NULL, NULL, "hub" },
	{ "virtualNetworks", NULL, NULL, "fz" },
	{ "virtualNetworks", "subnets", "hub", "nva" },
	{ "virtualNetworks", "subnets", "spoke1", "fz" },
	{ "virtualNetworks", "virtualNetworkPeerings", "hub", "h1" },
	{ "virtualNetworks", "virtualNetworkPeerings", "spoke1", "fz" },
	{ "networkInterfaces", NULL, NULL, "nva1-nic" },
	{ "networkInterfaces", NULL, NULL, "fz" },
	{ "routeTables", NULL, NULL, "rt" },
	{ "routeTables", "routes", "rt", "fz" },
	{ "virtualHubs", NULL, NULL, "ars" },
	{ "virtualHubs", "bgpConnections", "ars", "nva1" },
	{ "virtualHubs", "bgpConnections", "ars", "fz" },
	{ "virtualNetworkGateways", NULL, NULL, "vpngw" },
	{ "localNetworkGateways", NULL, NULL, "onprem" },
	{ "connections", NULL, NULL, "c" },
};

static const char route_table[] =
    "{\"name\": \"rt\", \"disableBgpRoutePropagation\": false, "
    "\"routes\": [{\"name\": \"r1\", \"addressPrefix\": \"0.0.0.0/0\", "
    "\"nextHopType\": \"VirtualAppliance\", "
    "\"nextHopIpAddress\": \"10.1.2.4\"}]}";

static struct topo *base;

/* spec 9's topology with a route table, as the API holds it. */
static void
init(void)
{
	struct topo_err err;
	json_t *doc, *rt;

	doc = json_loads(fuzz_spec_topo, 0, NULL);
	rt = json_loads(route_table, 0, NULL);
	if (doc == NULL || rt == NULL)
		fuzz_fail("the base topology is not JSON");
	json_object_set_new(doc, "routeTables", json_pack("[o]", rt));
	if (!topo_from_json(doc, &base, &err))
		fuzz_fail("the base topology is refused");
	json_decref(doc);
}

static json_t *
find(json_t *arr, const char *name, size_t *idx)
{
	const char *s;
	json_t *e;
	size_t i;

	json_array_foreach(arr, i, e)
	{
		s = json_string_value(json_object_get(e, "name"));
		if (strcmp(s != NULL ? s : "", name) == 0) {
			*idx = i;
			return e;
		}
	}
	return NULL;
}

/* arm_put's merge: the body over the resource's members, in doc. */
static bool
merge(json_t *doc, int which, json_t *body)
{
	json_t *arr, *parent, *old, *merged;
	const char *name = resources[which].name;
	size_t idx = 0;

	arr = json_object_get(doc, resources[which].type);
	if (resources[which].ctype != NULL) {
		parent = find(arr, resources[which].parent, &idx);
		if (parent == NULL)
			fuzz_fail("the base topology lacks a parent");
		if ((arr = json_object_get(parent, resources[which].ctype)) ==
		    NULL) {
			arr = json_array();
			json_object_set_new(
			    parent, resources[which].ctype, arr);
		}
	}
	if (!json_is_array(arr))
		fuzz_fail("the rendered topology lacks an array");
	old = find(arr, name, &idx);
	merged = old != NULL ? json_deep_copy(old) : json_object();
	json_object_update(merged, body);
	json_object_set_new(merged, "name", json_string(name));
	if (old == NULL)
		return json_array_append_new(arr, merged) == 0;
	return json_array_set_new(arr, idx, merged) == 0;
}

static void
check(struct topo *t)
{
	struct fab_explanation e;
	struct fab_table tab;
	struct fabric *f;
	struct prefix p;
	size_t i;

	fuzz_topo_reload(t);
	if (prefix_parse("0.0.0.0/0", &p, 0) != NULL)
		fuzz_fail("probe prefix");
	f = fab_new(t);
	for (i = 0; i < t->nnics; i++) {
		if (fab_nic_effective_routes(f, t->nics[i].name, &tab))
			json_decref(fab_table_to_json(&tab));
		if (fab_explain(f, t->nics[i].name, &p, NULL, &e))
			fab_explanation_fini(&e);
	}
	fab_free(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo_err err;
	struct topo *t = NULL;
	json_t *body, *doc;

	if (size < 1 || size > 65536)
		return 0;
	if (base == NULL)
		init();
	body = json_loadb((const char *)data + 1, size - 1,
	    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
	if (body == NULL)
		return 0;
	if (!json_is_object(body) ||
	    topo_json_depth(body, FUZZ_DEPTH_MAX + 1) > FUZZ_DEPTH_MAX) {
		json_decref(body);
		return 0;
	}
	doc = topo_to_json(base);
	if (!merge(doc, data[0] & 15, body))
		fuzz_fail("a merged resource is lost");
	if (topo_from_json(doc, &t, &err)) {
		check(t);
		topo_free(t);
	}
	json_decref(doc);
	json_decref(body);
	return 0;
}
