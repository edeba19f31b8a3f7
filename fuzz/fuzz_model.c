/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_model.c - libFuzzer target: topology documents and route-server announcements. */

/*
 * Input: a selector byte, then JSON text as the control API receives it.
 *
 * Selector even: the text is a topology document (the state file, GET
 * /v1/topology).  When topo_from_json accepts it, the document it renders
 * must read back and render to the same text (the state survives a
 * restart unchanged), and every NIC's effective routes, a next hop and an
 * explanation are computed.
 *
 * Selector odd: the text is a body of PUT .../announcedRoutes for peer
 * nva1 and nva2 of route server ars in spec 9's topology (built here as
 * a document, with a VPN gateway and a BGP site, an ExpressRoute gateway
 * and a circuit), and of the site and the circuit.
 * Accepted or refused, the route server, the gateway and the fabric must
 * then answer every view, with branch-to-branch off and on: learned,
 * advertised, announced, effective routes and explanations.
 */

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fabric/fabric.h"
#include "fuzz.h"
#include "fuzz_topo.h"
#include "gateway/gw.h"
#include "routeserver/ars.h"
#include "topology/topology.h"

/* Read every view of the model once. */
static void
views(struct topo *t, struct fabric *f, struct ars *a)
{
	static const char *const probes[] = { "0.0.0.0/0", "10.0.0.0/8",
		"192.168.10.0/24", "10.2.0.0/16" };
	struct fab_explanation e;
	struct fab_next_hop nh;
	struct fab_table tab;
	struct prefix p;
	struct ipaddr dst;
	size_t i, k;

	ars_program_begin(a);
	ars_program(a, t, f);
	gw_program(a, t, f);
	ars_program_end(a, f);
	for (i = 0; i < t->nrservers; i++)
		for (k = 0; k < t->rservers[i].nconns; k++) {
			const struct topo_routeserver *rs = &t->rservers[i];
			const char *peer = rs->conns[k].name;

			json_decref(ars_learned_json(a, t, rs, peer));
			json_decref(ars_advertised_json(a, t, rs, peer));
			json_decref(ars_announced_json(a, t, rs, peer));
		}
	for (i = 0; i < t->ngateways; i++) {
		struct ipaddr peer;
		char why[256];

		json_decref(gw_learned_json(a, t, &t->gateways[i]));
		json_decref(gw_peer_status_json(a, t, &t->gateways[i]));
		if (addr_parse("172.16.0.1", &peer))
			json_decref(gw_advertised_json(
			    a, t, &t->gateways[i], &peer, why, sizeof(why)));
		if (t->nrservers > 0)
			json_decref(gw_advertised_json(a, t, &t->gateways[i],
			    &t->rservers[0].ips[0], why, sizeof(why)));
	}
	for (i = 0; i < t->nnics; i++) {
		if (fab_nic_effective_routes(f, t->nics[i].name, &tab))
			json_decref(fab_table_to_json(&tab));
		for (k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
			if (prefix_parse(probes[k], &p, 0) != NULL)
				fuzz_fail("probe prefix");
			if (fab_explain(f, t->nics[i].name, &p, NULL, &e))
				fab_explanation_fini(&e);
			memcpy(dst.a, p.a, sizeof(dst.a));
			dst.af = p.af;
			if (fab_next_hop(f, t->nics[i].name, &dst, &nh))
				json_decref(fab_next_hop_to_json(&nh));
		}
	}
}

static void
topology(json_t *doc)
{
	struct topo *t = NULL;
	struct topo_err err;
	struct fabric *f;
	struct ars *a;

	if (!topo_from_json(doc, &t, &err))
		return;
	fuzz_topo_reload(t);
	f = fab_new(t);
	a = ars_new();
	views(t, f, a);
	ars_free(a);
	fab_free(f);
	topo_free(t);
}

static void
announcements(json_t *body)
{
	json_t *doc = json_loads(fuzz_spec_topo, 0, NULL);
	struct topo *t = NULL;
	struct topo_err err;
	static const struct ipaddr none;
	struct ipaddr ip;
	struct fabric *f;
	struct ars *a;
	char why[256];

	if (doc == NULL || !topo_from_json(doc, &t, &err))
		fuzz_fail("spec 9's topology is refused");
	json_decref(doc);
	f = fab_new(t);
	a = ars_new();
	if (!addr_parse("10.1.2.4", &ip))
		fuzz_fail("address");
	(void)ars_announced_from_json(
	    a, "ars", "nva1", &ip, 65001, body, why, sizeof(why));
	(void)ars_announced_from_json(
	    a, "ars", "nva2", &ip, 65002, body, why, sizeof(why));
	(void)ars_site_from_json(
	    a, "onprem", &ip, 65501, body, why, sizeof(why));
	(void)ars_site_from_json(
	    a, "circuit1", &none, 0, body, why, sizeof(why));
	views(t, f, a);
	/* branch-to-branch on: the sites and the NVAs meet */
	t->rservers[0].b2b = true;
	views(t, f, a);
	ars_free(a);
	fab_free(f);
	topo_free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j;

	if (size < 1 || size > 65536)
		return 0;
	j = json_loadb((const char *)data + 1, size - 1,
	    JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, NULL);
	if (j == NULL)
		return 0;
	if (data[0] & 1)
		announcements(j);
	else
		topology(j);
	json_decref(j);
	return 0;
}
