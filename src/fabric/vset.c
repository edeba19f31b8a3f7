/* SPDX-License-Identifier: ISC */
/* fabric/vset.c - the VNet set of a hub, for the route server and gateways. */

#include "fabric/fabric.h"

#include <string.h>

#include "fabric/fab_int.h"
#include "lib/xmalloc.h"

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

const struct prefix **
fab_vnet_set_prefixes(const struct topo *t, const char *hub, size_t *n)
{
	const struct prefix **v = NULL;
	size_t i, k;

	*n = 0;
	for (i = 0; i < t->nvnets; i++) {
		if (!fab_vnet_set_has(t, hub, t->vnets[i].name))
			continue;
		for (k = 0; k < t->vnets[i].nprefixes; k++) {
			v = xreallocarray(v, *n + 1, sizeof(*v));
			v[(*n)++] = &t->vnets[i].prefixes[k];
		}
	}
	return v;
}
