/* SPDX-License-Identifier: ISC */
/* fabric/vset.c - the VNet set of a hub, for the route server and gateways. */

#include "fabric/fabric.h"

#include <string.h>

#include "fabric/fab_int.h"

bool
fab_vnet_set_has(const struct topo *t, const char *hub, const char *vnet)
{
	struct fab_vis vis;

	if (hub == NULL || vnet == NULL)
		return false;
	if (strcmp(hub, vnet) == 0)
		return true;
	fab_visible(t, vnet, &vis);
	return vis.vnets[1] != NULL && strcmp(vis.vnets[1], hub) == 0;
}

bool
fab_vnet_set_covers(
    const struct topo *t, const char *hub, const struct prefix *p)
{
	const struct prefix *in;
	const char *owner;

	return hub != NULL && fab_in_vnet_set(t, hub, p, &in, &owner);
}
