/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_spk.h - what fuzz_exaconf and fuzz_exaapi check of a speaker's route. */

#ifndef VRS_FUZZ_FUZZ_SPK_H
#define VRS_FUZZ_FUZZ_SPK_H

#include <string.h>

#include "fuzz.h"
#include "speaker/config.h"

/* Prefixes of a split route that are looked at: the first and last few. */
#define FUZZ_SPLIT_LOOK 8

/*
 * A route that vrs-speaker accepted must be sendable: its path
 * attributes as spk_route_attrs() writes them for neighbour n (4- and
 * 2-octet AS sessions) must decode again without a session reset, as
 * the peer's codec would read them.  Routes with generic attributes
 * (`attribute [ code flags value ]`) are sent as written, so only their
 * encoding is run.  Every prefix of a split must lie inside the route's
 * (of a merged route, be an IPv4 prefix).
 */
static inline void
fuzz_spk_route_check(const struct spk_neighbor *n, const struct spk_route *r)
{
	static uint8_t buf[65536];
	struct bgp_update u = { 0 };
	struct bgp_pattrs pa;
	struct bgp_ctx ctx;
	struct bgp_err err;
	const struct ipaddr *nh;
	struct prefix p;
	uint64_t count, i;
	size_t len;
	int as4;

	count = spk_route_split_count(r);
	if (count == 0)
		fuzz_fail("a route splits into no prefix");
	for (i = 0; i < count; i++) {
		if (i == FUZZ_SPLIT_LOOK && count > 2 * FUZZ_SPLIT_LOOK)
			i = count - FUZZ_SPLIT_LOOK;
		spk_route_split_prefix(r, i, &p);
		/* a route that stands for several lines of the same
		 * attributes (nmore) holds their prefixes, IPv4 each */
		if (r->nmore == 0 && !prefix_contains(&r->pfx, &p))
			fuzz_fail("a split prefix is not inside its route");
		if (r->nmore > 0 && (p.af != ADDR_V4 || p.len > 32))
			fuzz_fail("a merged route holds a bad prefix");
	}
	nh = r->nexthop_self || r->nexthop.af == 0 ? &n->local_addr
	                                           : &r->nexthop;
	for (as4 = 0; as4 < 2; as4++) {
		if (!spk_route_attrs(
		        n, r, nh, as4 != 0, buf, sizeof(buf), &len))
			continue; /* too big for any UPDATE */
		if (r->ngeneric > 0)
			continue;
		memset(&ctx, 0, sizeof(ctx));
		ctx.as4 = as4 != 0;
		ctx.ebgp = n->local_as != n->peer_as;
		ctx.peer_as = n->local_as;
		ctx.exa_compat = true;
		u.attrs = rbuf_make(buf, len);
		if (!bgp_update_decode(&u, &ctx, &pa, &err)) {
			fprintf(stderr, "fuzz: %s (%s)\n",
			    bgp_err_name(err.code, err.subcode),
			    err.why != NULL ? err.why : "");
			fuzz_fail("a speaker route's attributes reset the "
			          "session");
		}
	}
}

#endif
