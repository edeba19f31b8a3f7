/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_topo.h - spec 9's topology, the model fuzz_model and fuzz_arm start from. */

#ifndef VRS_FUZZ_FUZZ_TOPO_H
#define VRS_FUZZ_FUZZ_TOPO_H

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "topology/topology.h"

/*
 * A hub with a route server (ars: peers nva1 AS 65001 and nva2 AS
 * 65002), an active-active VPN gateway with a BGP site (onprem, AS
 * 65501) and an ExpressRoute gateway with a circuit; spoke1 uses the
 * hub's gateways.  As a topology document (topo_from_json).
 */
static const char fuzz_spec_topo[] =
    "{\"resourceGroup\": \"lab\", \"virtualNetworks\": ["
    "{\"name\": \"hub\", \"addressSpace\": {\"addressPrefixes\": "
    "[\"10.1.0.0/16\"]}, \"subnets\": ["
    "{\"name\": \"RouteServerSubnet\", \"addressPrefix\": \"10.1.1.0/26\"},"
    "{\"name\": \"nva\", \"addressPrefix\": \"10.1.2.0/24\"},"
    "{\"name\": \"GatewaySubnet\", \"addressPrefix\": \"10.1.255.0/27\"}],"
    "\"virtualNetworkPeerings\": [{\"name\": \"h1\", \"remoteVirtualNetwork\":"
    " {\"id\": \"hub/../virtualNetworks/spoke1\"}, \"allowGatewayTransit\": "
    "true, \"allowVirtualNetworkAccess\": true}]},"
    "{\"name\": \"spoke1\", \"addressSpace\": {\"addressPrefixes\": "
    "[\"10.2.0.0/16\"]}, \"subnets\": [{\"name\": \"default\", "
    "\"addressPrefix\": \"10.2.0.0/24\"}], \"virtualNetworkPeerings\": "
    "[{\"name\": \"s1\", \"remoteVirtualNetwork\": {\"id\": "
    "\"x/virtualNetworks/hub\"}, \"useRemoteGateways\": true, "
    "\"allowVirtualNetworkAccess\": true}]}],"
    "\"networkInterfaces\": ["
    "{\"name\": \"nva1-nic\", \"ipConfigurations\": [{\"privateIPAddress\": "
    "\"10.1.2.4\", \"subnet\": {\"id\": "
    "\"x/virtualNetworks/hub/subnets/nva\"}}], \"enableIPForwarding\": true},"
    "{\"name\": \"vm1-nic\", \"ipConfigurations\": [{\"privateIPAddress\": "
    "\"10.2.0.4\", \"subnet\": {\"id\": "
    "\"x/virtualNetworks/spoke1/subnets/default\"}}]}],"
    "\"virtualHubs\": [{\"name\": \"ars\", \"ipConfigurations\": [{\"subnet\":"
    " {\"id\": \"x/virtualNetworks/hub/subnets/RouteServerSubnet\"}}], "
    "\"bgpConnections\": [{\"name\": \"nva1\", \"peerIp\": \"10.1.2.4\", "
    "\"peerAsn\": 65001}, {\"name\": \"nva2\", \"peerIp\": \"10.1.2.5\", "
    "\"peerAsn\": 65002}]}],"
    "\"virtualNetworkGateways\": [{\"name\": \"vpngw\", \"gatewayType\": "
    "\"Vpn\", \"activeActive\": true, \"enableBgp\": true, \"bgpSettings\": "
    "{\"asn\": 65515}, \"ipConfigurations\": [{\"subnet\": {\"id\": "
    "\"x/virtualNetworks/hub/subnets/GatewaySubnet\"}}]},"
    "{\"name\": \"ergw\", \"gatewayType\": \"ExpressRoute\", "
    "\"ipConfigurations\": [{\"subnet\": {\"id\": "
    "\"x/virtualNetworks/hub/subnets/GatewaySubnet\"}}]}],"
    "\"localNetworkGateways\": [{\"name\": \"onprem\", \"gatewayIpAddress\": "
    "\"192.0.2.1\", \"localNetworkAddressSpace\": {\"addressPrefixes\": "
    "[\"172.16.0.1/32\"]}, \"bgpSettings\": {\"asn\": 65501, "
    "\"bgpPeeringAddress\": \"172.16.0.1\"}}],"
    "\"connections\": [{\"name\": \"c\", \"connectionType\": \"IPsec\", "
    "\"virtualNetworkGateway1\": {\"id\": \"x/virtualNetworkGateways/vpngw\"}, "
    "\"localNetworkGateway2\": {\"id\": \"x/localNetworkGateways/onprem\"}, "
    "\"enableBgp\": true}, {\"name\": \"er1\", \"connectionType\": "
    "\"ExpressRoute\", \"virtualNetworkGateway1\": {\"id\": "
    "\"x/virtualNetworkGateways/ergw\"}, \"peer\": {\"id\": "
    "\"x/expressRouteCircuits/circuit1\"}}]}";

/*
 * An accepted topology must survive a restart unchanged: the document
 * it renders reads back and renders to the same text.
 */
static inline void
fuzz_topo_reload(const struct topo *t)
{
	struct topo *again = NULL;
	struct topo_err err;
	json_t *out, *out2;
	char *s1, *s2;

	out = topo_to_json(t);
	if (!topo_from_json(out, &again, &err))
		fuzz_fail("a rendered topology does not read back");
	out2 = topo_to_json(again);
	s1 = json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT);
	s2 = json_dumps(out2, JSON_SORT_KEYS | JSON_COMPACT);
	if (s1 == NULL || s2 == NULL || strcmp(s1, s2) != 0)
		fuzz_fail("a topology renders differently after a reload");
	free(s1);
	free(s2);
	json_decref(out);
	json_decref(out2);
	topo_free(again);
}

#endif
