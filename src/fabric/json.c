/* SPDX-License-Identifier: ISC */
/* fabric/json.c - effective routes and next hop in az's JSON shapes (spec 4.5, 4.7). */

#include "fabric/fabric.h"

#include <jansson.h>

json_t *
fab_table_to_json(const struct fab_table *t)
{
	char buf[PREFIX_STRLEN];
	json_t *rows = json_array(), *o, *a;
	const struct fab_row *r;
	size_t i, j;

	for (i = 0; i < t->nrows; i++) {
		r = &t->rows[i];
		o = json_object();
		a = json_array();
		for (j = 0; j < r->nprefixes; j++)
			json_array_append_new(a,
			    json_string(prefix_print(
			        &r->prefixes[j], buf, sizeof(buf))));
		json_object_set_new(o, "addressPrefix", a);
		json_object_set_new(o, "disableBgpRoutePropagation",
		    json_boolean(r->disable_bgp));
		json_object_set_new(o, "name",
		    r->name != NULL ? json_string(r->name) : json_null());
		a = json_array();
		if (r->nexthop.af != 0)
			json_array_append_new(a,
			    json_string(
			        addr_print(&r->nexthop, buf, sizeof(buf))));
		json_object_set_new(o, "nextHopIpAddress", a);
		json_object_set_new(
		    o, "nextHopType", json_string(fab_hop_name(r->hop)));
		json_object_set_new(
		    o, "source", json_string(fab_src_name(r->source)));
		json_object_set_new(
		    o, "state", json_string(fab_state_name(r->state)));
		json_array_append_new(rows, o);
	}
	return json_pack("{s:o}", "value", rows);
}

json_t *
fab_next_hop_to_json(const struct fab_next_hop *nh)
{
	char buf[ADDR_STRLEN];

	return json_pack("{s:o,s:s,s:s}", "nextHopIpAddress",
	    nh->ip.af != 0 ? json_string(addr_print(&nh->ip, buf, sizeof(buf)))
	                   : json_null(),
	    "nextHopType", fab_hop_name(nh->hop), "routeTableId",
	    nh->route_table_id);
}
