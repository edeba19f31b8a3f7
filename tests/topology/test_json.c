/* SPDX-License-Identifier: ISC */
/* tests/topology/test_json.c - unit tests for src/topology/json.c: the document both ways. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */

#include <jansson.h>
#include <stdlib.h>

#include "../topology/lab.h"

static char *
dump(const struct topo *t)
{
	json_t *j = topo_to_json(t);
	char *s = json_dumps(j, JSON_SORT_KEYS | JSON_INDENT(1));

	json_decref(j);
	return s;
}

static void
roundtrip(struct topo *t)
{
	struct topo *back = NULL;
	json_t *j = topo_to_json(t);
	char *a, *b;

	if (!topo_from_json(j, &back, &lab_err))
		fail_msg("%s: %s", lab_err.code, lab_err.msg);
	a = dump(t);
	b = dump(back);
	assert_string_equal(a, b);
	assert_int_equal(back->nwarnings, t->nwarnings);
	free(a);
	free(b);
	json_decref(j);
	topo_free(back);
	topo_free(t);
}

static void
test_json_roundtrip_spec_topology(void **state)
{
	struct topo *t = spec_topo();
	struct prefix sp[1] = { P("20.38.0.0/16") };
	struct topo_service_endpoint ep = {
		.service = "Microsoft.Storage", .prefixes = sp, .nprefixes = 1
	};
	struct topo_subnet s;
	struct topo_local_gateway l = { .name = "onprem",
		.gateway_ip = A("203.0.113.1"),
		.prefixes = sp,
		.nprefixes = 1,
		.asn = 65501,
		.bgp_ip = A("192.168.255.1") };
	struct topo_connection c = { .name = "conn",
		.type = TOPO_CONN_IPSEC,
		.gateway = "vpngw",
		.peer = "onprem",
		.enable_bgp = true,
		.routing_weight = 10 };

	(void)state;
	must(put_rt(t, "rt", true));
	must(put_route(
	    t, "rt", "nva", "0.0.0.0/0", TOPO_HOP_APPLIANCE, "10.1.2.4"));
	s = *topo_subnet_lookup(t, "hub", "vm");
	s.route_table = "rt";
	s.endpoints = &ep;
	s.nendpoints = 1;
	must(topo_subnet_put(t, &s, &lab_err));
	must(put_gw(t, "vpngw", "hub", TOPO_GW_VPN, 65515, true, NULL));
	must(put_gw(t, "ergw", "hub", TOPO_GW_ER, 0, false, NULL));
	must(topo_local_gateway_put(t, &l, &lab_err));
	must(topo_connection_put(t, &c, &lab_err));
	roundtrip(t);
}

static void
test_json_roundtrip_reference_lab(void **state)
{
	(void)state;
	roundtrip(ref_lab_topo());
}

static void
test_json_shape_is_arm_like(void **state)
{
	struct topo *t = spec_topo();
	json_t *j = topo_to_json(t), *v, *rs;

	(void)state;
	assert_string_equal(
	    json_string_value(json_object_get(j, "resourceGroup")), "lab");
	v = json_array_get(json_object_get(j, "virtualNetworks"), 0);
	assert_string_equal(
	    json_string_value(json_array_get(
	        json_object_get(
	            json_object_get(v, "addressSpace"), "addressPrefixes"),
	        0)),
	    "10.1.0.0/16");
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(v, "virtualNetworkPeerings"), 0),
	        "peeringState")),
	    "Connected");
	rs = json_array_get(json_object_get(j, "virtualHubs"), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(rs, "virtualRouterAsn")), 65515);
	assert_string_equal(
	    json_string_value(json_object_get(rs, "hubRoutingPreference")),
	    "ExpressRoute");
	assert_string_equal(
	    json_string_value(json_object_get(rs, "kind")), "RouteServer");
	json_decref(j);
	topo_free(t);
}

/* Errors name the JSON path and what was expected. */
static void
test_json_errors_have_paths(void **state)
{
	static const char doc[] =
	    "{\"virtualNetworks\": [{\"name\": \"hub\", \"addressSpace\": "
	    "{\"addressPrefixes\": [\"10.0.0.0/16\"]}, \"subnets\": ["
	    "{\"name\": \"a\", \"addressPrefix\": \"10.0.0.0/24\"},"
	    "{\"name\": \"b\", \"addressPrefix\": \"10.0.1.1/24\"}]}]}";
	struct topo *t = NULL;
	json_t *j = json_loads(doc, 0, NULL);

	(void)state;
	assert_false(topo_from_json(j, &t, &lab_err));
	assert_null(t);
	assert_string_equal(lab_err.code, "InvalidRequestFormat");
	assert_non_null(
	    strstr(lab_err.msg, "virtualNetworks[0].subnets[1].addressPrefix"));
	assert_non_null(strstr(lab_err.msg, "host bits set"));
	json_decref(j);
}

/* Validation runs on the loaded document; bare names are references. */
static void
test_json_validates_and_accepts_names(void **state)
{
	static const char bad[] =
	    "{\"virtualNetworks\": [{\"name\": \"hub\", \"addressSpace\": "
	    "{\"addressPrefixes\": [\"10.0.0.0/16\"]}, \"subnets\": ["
	    "{\"name\": \"a\", \"addressPrefix\": \"10.0.0.0/24\", "
	    "\"routeTable\": \"rt\"}]}],"
	    "\"routeTables\": [{\"name\": \"rt\", \"routes\": [{\"name\": "
	    "\"r\", \"addressPrefix\": \"0.0.0.0/0\", \"nextHopType\": "
	    "\"Teleport\"}]}]}";
	static const char good[] =
	    "{\"virtualNetworks\": [{\"name\": \"hub\", \"addressSpace\": "
	    "{\"addressPrefixes\": [\"10.0.0.0/16\"]}, \"subnets\": ["
	    "{\"name\": \"a\", \"addressPrefix\": \"10.0.0.0/24\", "
	    "\"routeTable\": \"rt\"}]}],"
	    "\"networkInterfaces\": [{\"name\": \"n\", \"ipConfigurations\": "
	    "[{\"privateIPAddress\": \"10.0.0.9\", \"subnet\": {\"id\": "
	    "\"/x/virtualNetworks/hub/subnets/a\"}}]}],"
	    "\"routeTables\": [{\"name\": \"rt\", \"routes\": [{\"name\": "
	    "\"r\", \"addressPrefix\": \"0.0.0.0/0\", \"nextHopType\": "
	    "\"None\"}]}]}";
	struct topo *t = NULL;
	json_t *j = json_loads(bad, 0, NULL);

	(void)state;
	assert_false(topo_from_json(j, &t, &lab_err));
	assert_non_null(strstr(lab_err.msg, "routeTables[0].routes[0]"));
	json_decref(j);
	j = json_loads(good, 0, NULL);
	if (!topo_from_json(j, &t, &lab_err))
		fail_msg("%s", lab_err.msg);
	assert_string_equal(topo_nic_lookup(t, "n")->subnet, "a");
	assert_string_equal(
	    topo_subnet_lookup(t, "hub", "a")->route_table, "rt");
	json_decref(j);
	topo_free(t);
}

static void
test_json_rule_errors_from_document(void **state)
{
	static const char doc[] =
	    "{\"virtualNetworks\": [{\"name\": \"hub\", \"addressSpace\": "
	    "{\"addressPrefixes\": [\"10.0.0.0/16\"]}, \"subnets\": ["
	    "{\"name\": \"RouteServerSubnet\", \"addressPrefix\": "
	    "\"10.0.1.0/26\"}]}],"
	    "\"virtualHubs\": [{\"name\": \"ars\", \"ipConfigurations\": "
	    "[{\"subnet\": {\"id\": \"/virtualNetworks/hub/subnets/"
	    "RouteServerSubnet\"}}], \"bgpConnections\": [{\"name\": \"nva\","
	    " \"peerIp\": \"10.0.0.4\", \"peerAsn\": 12076}]}]}";
	struct topo *t = NULL;
	json_t *j = json_loads(doc, 0, NULL);

	(void)state;
	assert_false(topo_from_json(j, &t, &lab_err));
	assert_string_equal(lab_err.code, "InvalidPeerAsn");
	json_decref(j);
	assert_false(topo_from_json(NULL, &t, &lab_err));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_roundtrip_spec_topology),
		cmocka_unit_test(test_json_roundtrip_reference_lab),
		cmocka_unit_test(test_json_shape_is_arm_like),
		cmocka_unit_test(test_json_errors_have_paths),
		cmocka_unit_test(test_json_validates_and_accepts_names),
		cmocka_unit_test(test_json_rule_errors_from_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
