/* SPDX-License-Identifier: ISC */
/* speaker/config.c - ExaBGP 4 configuration: processes, neighbours, templates. */

#include "speaker/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bgp/update.h"
#include "lib/num.h"
#include "lib/xmalloc.h"

/* Which scalar settings a neighbour or template wrote (spk_neighbor.set) */
enum nset {
	NS_DESC,
	NS_HOST,
	NS_DOMAIN,
	NS_ROUTER_ID,
	NS_HOLD,
	NS_RATE,
	NS_LOCAL_ADDR,
	NS_PEER_ADDR,
	NS_LOCAL_AS,
	NS_PEER_AS,
	NS_PASSIVE,
	NS_LISTEN,
	NS_CONNECT,
	NS_TTL_OUT,
	NS_TTL_IN,
	NS_MD5,
	NS_MD5_B64,
	NS_MD5_IP,
	NS_GROUP,
	NS_FLUSH,
	NS_RIB_OUT,
	NS_RIB_IN,
	NS_EOR,
	NS_C_ASN4,
	NS_C_RR,
	NS_C_GR,
	NS_C_AP,
	NS_C_MS,
	NS_C_OP,
	NS_C_AIGP,
	NS_C_EXTMSG,
	NS_C_NH,
	NS_FAMILY, /* a family block was seen */
};

#define SET(n, b)   ((n)->set |= 1ull << (b))
#define ISSET(n, b) (((n)->set >> (b)) & 1)

/* A family name as ExaBGP's ParseFamily.convert. */
struct fam_name {
	const char *afi, *safi;
	uint16_t afi_n;
	uint8_t safi_n;
};

static const struct fam_name families[] = {
	{ "ipv4", "unicast", SPK_AFI_IPV4, 1 },
	{ "ipv4", "multicast", SPK_AFI_IPV4, 2 },
	{ "ipv4", "nlri-mpls", SPK_AFI_IPV4, 4 },
	{ "ipv4", "mpls-vpn", SPK_AFI_IPV4, 128 },
	{ "ipv4", "flow", SPK_AFI_IPV4, 133 },
	{ "ipv4", "flow-vpn", SPK_AFI_IPV4, 134 },
	{ "ipv6", "unicast", SPK_AFI_IPV6, 1 },
	{ "ipv6", "nlri-mpls", SPK_AFI_IPV6, 4 },
	{ "ipv6", "mpls-vpn", SPK_AFI_IPV6, 128 },
	{ "ipv6", "flow", SPK_AFI_IPV6, 133 },
	{ "ipv6", "flow-vpn", SPK_AFI_IPV6, 134 },
	{ "l2vpn", "vpls", SPK_AFI_L2VPN, 65 },
	{ "l2vpn", "evpn", SPK_AFI_L2VPN, 70 },
	{ "bgp-ls", "bgp-ls", SPK_AFI_BGPLS, 71 },
	{ "bgp-ls", "bgp-ls-vpn", SPK_AFI_BGPLS, 72 },
};

/*
 * Without a family block ExaBGP offers every family it knows
 * (NLRI.known_families(), in its sorted order).
 */
static const struct spk_family all_families[] = {
	{ SPK_AFI_IPV4, 1 },
	{ SPK_AFI_IPV4, 2 },
	{ SPK_AFI_IPV4, 4 },
	{ SPK_AFI_IPV4, 128 },
	{ SPK_AFI_IPV4, 132 },
	{ SPK_AFI_IPV4, 133 },
	{ SPK_AFI_IPV4, 134 },
	{ SPK_AFI_IPV6, 1 },
	{ SPK_AFI_IPV6, 2 },
	{ SPK_AFI_IPV6, 4 },
	{ SPK_AFI_IPV6, 128 },
	{ SPK_AFI_IPV6, 133 },
	{ SPK_AFI_IPV6, 134 },
	{ SPK_AFI_L2VPN, 65 },
	{ SPK_AFI_L2VPN, 70 },
	{ SPK_AFI_BGPLS, 71 },
	{ SPK_AFI_BGPLS, 72 },
};

static const struct {
	const char *name;
	uint16_t bit;
} api_msgs[] = {
	{ "parsed", SPK_API_PARSED },
	{ "packets", SPK_API_PACKETS },
	{ "consolidate", SPK_API_CONSOLIDATE },
	{ "open", SPK_API_OPEN },
	{ "update", SPK_API_UPDATE },
	{ "keepalive", SPK_API_KEEPALIVE },
	{ "notification", SPK_API_NOTIFICATION },
	{ "refresh", SPK_API_REFRESH },
	{ "operational", SPK_API_OPERATIONAL },
};

static const char *const neighbor_keywords =
    "description, router-id, local-address, peer-address, local-as, "
    "peer-as, hold-time, passive, listen, connect, md5-password, "
    "md5-base64, md5-ip, outgoing-ttl, incoming-ttl, group-updates, "
    "auto-flush, adj-rib-in, adj-rib-out, manual-eor, host-name, "
    "domain-name, rate-limit, inherit, capability, family, add-path, "
    "nexthop, api, static, announce";

/* Record an error at word i of statement n. */
static bool
cerr(struct spk_config *cfg, const struct conf_node *n, int i, const char *fmt,
    ...)
{
	va_list ap;
	int line = n->line, col = n->col;

	if (i >= n->nwords)
		i = n->nwords - 1;
	if (i >= 0 && n->wline != NULL) {
		line = n->wline[i];
		col = n->wcol[i];
	}
	sbuf_printf(&cfg->errors, "%s:%d:%d: ", n->file, line, col);
	va_start(ap, fmt);
	sbuf_vprintf(&cfg->errors, fmt, ap);
	va_end(ap);
	sbuf_putc(&cfg->errors, '\n');
	cfg->nerrors++;
	return false;
}

static bool
is(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

/* A leaf that needs exactly nargs values after its keyword. */
static bool
want_args(struct spk_config *cfg, const struct conf_node *n, int nargs)
{
	if (n->block)
		return cerr(
		    cfg, n, 0, "%s takes a value, not a block", n->words[0]);
	if (n->nwords - 1 < nargs)
		return cerr(cfg, n, n->nwords, "%s needs a value", n->words[0]);
	if (n->nwords - 1 > nargs)
		return cerr(cfg, n, nargs + 1, "unexpected %s after %s",
		    n->words[nargs + 1], n->words[0]);
	return true;
}

/*
 * ExaBGP's boolean(): true/enable/enabled or false/disable/disabled; a
 * bare keyword means dflt.
 */
static bool
parse_bool(
    struct spk_config *cfg, const struct conf_node *n, bool dflt, bool *v)
{
	const char *w;

	if (n->block)
		return cerr(
		    cfg, n, 0, "%s takes a value, not a block", n->words[0]);
	if (n->nwords == 1) {
		*v = dflt;
		return true;
	}
	if (!want_args(cfg, n, 1))
		return false;
	w = n->words[1];
	if (strcasecmp(w, "true") == 0 || strcasecmp(w, "enable") == 0 ||
	    strcasecmp(w, "enabled") == 0) {
		*v = true;
		return true;
	}
	if (strcasecmp(w, "false") == 0 || strcasecmp(w, "disable") == 0 ||
	    strcasecmp(w, "disabled") == 0) {
		*v = false;
		return true;
	}
	return cerr(cfg, n, 1,
	    "invalid %s %s (true, enable, enabled, false, disable or disabled)",
	    n->words[0], w);
}

/* ASN as ExaBGP's asn(): a number or HIGH.LOW (asdot). */
static bool
parse_asn(struct spk_config *cfg, const struct conf_node *n, uint32_t *v)
{
	const char *w, *dot;
	uint64_t hi, lo;
	char buf[16];

	if (!want_args(cfg, n, 1))
		return false;
	w = n->words[1];
	if (strcmp(w, "auto") == 0)
		return cerr(cfg, n, 1,
		    "incomplete neighbor, missing %s "
		    "(auto is not supported)",
		    n->words[0]);
	if ((dot = strchr(w, '.')) != NULL && (size_t)(dot - w) < sizeof(buf)) {
		memcpy(buf, w, (size_t)(dot - w));
		buf[dot - w] = '\0';
		if (num_parse_u64(buf, 0xffff, &hi) &&
		    num_parse_u64(dot + 1, 0xffff, &lo)) {
			*v = (uint32_t)(hi << 16 | lo);
			return true;
		}
	} else if (num_parse_u64(w, 0xffffffffu, &lo)) {
		*v = (uint32_t)lo;
		return true;
	}
	return cerr(cfg, n, 1, "invalid %s %s (0-4294967295 or HIGH.LOW)",
	    n->words[0], w);
}

static bool
parse_u16(struct spk_config *cfg, const struct conf_node *n, uint64_t min,
    uint64_t max, uint16_t *v)
{
	uint64_t x;

	if (!want_args(cfg, n, 1))
		return false;
	if (!num_parse_u64(n->words[1], max, &x) || x < min)
		return cerr(cfg, n, 1, "invalid %s %s (%llu-%llu)", n->words[0],
		    n->words[1], (unsigned long long)min,
		    (unsigned long long)max);
	*v = (uint16_t)x;
	return true;
}

static bool
parse_addr(struct spk_config *cfg, const struct conf_node *n, struct ipaddr *a)
{
	if (!want_args(cfg, n, 1))
		return false;
	if (!addr_parse(n->words[1], a))
		return cerr(cfg, n, 1,
		    "invalid %s %s (an IPv4 or IPv6 address)", n->words[0],
		    n->words[1]);
	return true;
}

/* host-name / domain-name: letters, digits, '.', '-' (ExaBGP's checks) */
static bool
parse_dns_name(
    struct spk_config *cfg, const struct conf_node *n, const char **v)
{
	const char *w, *p;
	size_t len;

	if (!want_args(cfg, n, 1))
		return false;
	w = n->words[1];
	len = strlen(w);
	if (len == 0 || len > 255 || strstr(w, "..") != NULL)
		goto bad;
	for (p = w; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		        (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			goto bad;
	if (!((w[0] >= 'a' && w[0] <= 'z') || (w[0] >= 'A' && w[0] <= 'Z') ||
	        (w[0] >= '0' && w[0] <= '9')) ||
	    !((w[len - 1] >= 'a' && w[len - 1] <= 'z') ||
	        (w[len - 1] >= 'A' && w[len - 1] <= 'Z')))
		goto bad;
	*v = w;
	return true;
bad:
	return cerr(cfg, n, 1,
	    "invalid %s %s (letters, digits, '.' and '-', starting with a "
	    "letter or digit and ending with a letter)",
	    n->words[0], w);
}

static void
neighbor_defaults(struct spk_neighbor *nb)
{
	memset(nb, 0, sizeof(*nb));
	nb->description = "";
	nb->hold_time = 180;
	nb->outgoing_ttl = nb->incoming_ttl = -1;
	nb->group_updates = true;
	nb->auto_flush = true;
	nb->adj_rib_in = nb->adj_rib_out = true;
	nb->capa.asn4 = true;
	nb->capa.extended_message = true;
	nb->capa.nexthop = -1;
}

static void
route_push(struct spk_neighbor *nb, struct spk_route *r)
{
	if (nb->nroutes == nb->routes_cap) {
		nb->routes_cap = nb->routes_cap == 0 ? 16 : nb->routes_cap * 2;
		nb->routes = xreallocarray(
		    nb->routes, nb->routes_cap, sizeof(*nb->routes));
	}
	nb->routes[nb->nroutes++] = r;
}

static void
api_push(struct spk_neighbor *nb, struct spk_api *a)
{
	nb->apis =
	    xreallocarray(nb->apis, (size_t)nb->napis + 1, sizeof(*nb->apis));
	nb->apis[nb->napis++] = a;
}

static bool
family_add(struct spk_family *list, int *n, uint16_t afi, uint8_t safi)
{
	int i;

	for (i = 0; i < *n; i++)
		if (list[i].afi == afi && list[i].safi == safi)
			return false;
	if (*n < SPK_FAMILY_MAX)
		list[(*n)++] = (struct spk_family){ afi, safi };
	return true;
}

static const struct fam_name *
family_lookup(const char *afi, const char *safi)
{
	size_t i;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (strcasecmp(afi, families[i].afi) == 0 && safi != NULL &&
		    strcasecmp(safi, families[i].safi) == 0)
			return &families[i];
	return NULL;
}

/* family { ipv4 unicast; ... } and add-path { ... } */
static void
parse_families(struct spk_config *cfg, const struct conf_node *blk,
    struct spk_family *list, int *nlist, bool *all)
{
	const struct fam_name *f;
	const struct conf_node *c;
	struct spk_family seen[SPK_FAMILY_MAX];
	int nseen = 0;

	for (c = blk->child; c != NULL; c = c->next) {
		if (c->nwords == 0)
			continue;
		if (is(c->words[0], "all") && all != NULL) {
			if (nseen > 0 || *all)
				cerr(cfg, c, 0,
				    "all can not be used with any "
				    "other options");
			*all = true;
			continue;
		}
		if (is(c->words[0], "minimal")) {
			cerr(cfg, c, 0, "family minimal is deprecated");
			continue;
		}
		if (!want_args(cfg, c, 1))
			continue;
		if ((f = family_lookup(c->words[0], c->words[1])) == NULL) {
			cerr(cfg, c, 0,
			    "invalid afi/safi pair %s/%s (ipv4 unicast, ipv4 "
			    "multicast, ipv4 nlri-mpls, ipv4 mpls-vpn, ipv4 "
			    "flow, ipv4 flow-vpn, ipv6 unicast, ipv6 "
			    "nlri-mpls, "
			    "ipv6 mpls-vpn, ipv6 flow, ipv6 flow-vpn, l2vpn "
			    "vpls, l2vpn evpn, bgp-ls bgp-ls, bgp-ls "
			    "bgp-ls-vpn)",
			    c->words[0], c->words[1]);
			continue;
		}
		if (all != NULL && *all) {
			cerr(cfg, c, 0,
			    "can not add any family once family "
			    "all is set");
			continue;
		}
		if (!family_add(seen, &nseen, f->afi_n, f->safi_n)) {
			cerr(cfg, c, 0, "duplicate afi/safi pair %s/%s",
			    c->words[0], c->words[1]);
			continue;
		}
		family_add(list, nlist, f->afi_n, f->safi_n);
	}
}

/* nexthop { ipv4 unicast ipv6; ipv6 unicast ipv4; } (RFC 8950) */
static void
parse_nexthops(struct spk_config *cfg, const struct conf_node *blk,
    struct spk_neighbor *nb)
{
	static const struct {
		const char *name;
		uint8_t safi;
	} safis[] = {
		{ "unicast", 1 },
		{ "multicast", 2 },
		{ "nlri-mpls", 4 },
		{ "mpls-vpn", 128 },
	};
	const struct conf_node *c;
	size_t k;
	bool v4;

	for (c = blk->child; c != NULL; c = c->next) {
		if (c->nwords == 0 || !want_args(cfg, c, 2))
			continue;
		v4 = strcasecmp(c->words[0], "ipv4") == 0;
		for (k = 0; k < sizeof(safis) / sizeof(safis[0]); k++)
			if (strcasecmp(c->words[1], safis[k].name) == 0)
				break;
		if ((!v4 && strcasecmp(c->words[0], "ipv6") != 0) ||
		    k == sizeof(safis) / sizeof(safis[0])) {
			cerr(cfg, c, 1,
			    "invalid afi/safi pair %s/%s (ipv4 or ipv6, then "
			    "unicast, multicast, nlri-mpls or mpls-vpn)",
			    c->words[0], c->words[1]);
			continue;
		}
		if (strcasecmp(c->words[2], v4 ? "ipv6" : "ipv4") != 0) {
			cerr(cfg, c, 2, "invalid nexthop afi %s (%s)",
			    c->words[2], v4 ? "ipv6" : "ipv4");
			continue;
		}
		if (nb->nnexthops < 16)
			nb->nexthops[nb->nnexthops++] =
			    (struct spk_nexthop_family){ v4 ? SPK_AFI_IPV4
				                            : SPK_AFI_IPV6,
				    safis[k].safi,
				    v4 ? SPK_AFI_IPV6 : SPK_AFI_IPV4 };
	}
}

static void
parse_capability(struct spk_config *cfg, const struct conf_node *blk,
    struct spk_neighbor *nb)
{
	const struct conf_node *c;
	struct spk_capability *cp = &nb->capa;
	const char *w;
	uint64_t x;
	bool b;

	for (c = blk->child; c != NULL; c = c->next) {
		w = c->nwords > 0 ? c->words[0] : "";
		if (is(w, "asn4")) {
			if (parse_bool(cfg, c, true, &cp->asn4))
				SET(nb, NS_C_ASN4);
		} else if (is(w, "route-refresh")) {
			if (parse_bool(cfg, c, true, &cp->route_refresh))
				SET(nb, NS_C_RR);
		} else if (is(w, "multi-session")) {
			if (parse_bool(cfg, c, true, &cp->multi_session))
				SET(nb, NS_C_MS);
		} else if (is(w, "operational")) {
			if (parse_bool(cfg, c, true, &cp->operational))
				SET(nb, NS_C_OP);
		} else if (is(w, "aigp")) {
			if (parse_bool(cfg, c, true, &cp->aigp))
				SET(nb, NS_C_AIGP);
		} else if (is(w, "extended-message")) {
			if (parse_bool(cfg, c, true, &cp->extended_message))
				SET(nb, NS_C_EXTMSG);
		} else if (is(w, "nexthop")) {
			if (parse_bool(cfg, c, true, &b)) {
				cp->nexthop = b;
				SET(nb, NS_C_NH);
			}
		} else if (is(w, "graceful-restart")) {
			if (c->nwords == 1) {
				cp->graceful_restart = true;
				cp->gr_time = 0;
				SET(nb, NS_C_GR);
			} else if (!want_args(cfg, c, 1))
				continue;
			else if (is(c->words[1], "disable") ||
			    is(c->words[1], "disabled")) {
				cp->graceful_restart = false;
				SET(nb, NS_C_GR);
			} else if (!num_parse_u64(c->words[1], 0xffff, &x))
				cerr(cfg, c, 1,
				    "invalid graceful-restart %s "
				    "(0-65535 seconds or disable)",
				    c->words[1]);
			else {
				cp->graceful_restart = true;
				cp->gr_time = (uint16_t)x;
				SET(nb, NS_C_GR);
			}
		} else if (is(w, "add-path")) {
			if (!want_args(cfg, c, 1))
				continue;
			w = c->words[1];
			if (strcasecmp(w, "disable") == 0 ||
			    strcasecmp(w, "disabled") == 0)
				cp->add_path = SPK_ADDPATH_DISABLE;
			else if (strcasecmp(w, "receive") == 0)
				cp->add_path = SPK_ADDPATH_RECEIVE;
			else if (strcasecmp(w, "send") == 0)
				cp->add_path = SPK_ADDPATH_SEND;
			else if (strcasecmp(w, "send/receive") == 0)
				cp->add_path = SPK_ADDPATH_BOTH;
			else {
				cerr(cfg, c, 1,
				    "invalid add-path %s (send, "
				    "receive, send/receive or "
				    "disable)",
				    w);
				continue;
			}
			SET(nb, NS_C_AP);
		} else
			cerr(cfg, c, 0,
			    "unknown capability %s (expected asn4, "
			    "route-refresh, graceful-restart, add-path, "
			    "multi-session, operational, aigp, "
			    "extended-message, nexthop)",
			    w);
	}
}

/* api [NAME] { processes [ ... ]; send { ... } receive { ... } } */
static void
parse_api(struct spk_config *cfg, const struct conf_node *blk,
    struct spk_neighbor *nb)
{
	const struct conf_node *c, *d;
	struct spk_api *a;
	const char *w, **procs;
	uint16_t *dir;
	bool b;
	size_t k;
	int i;

	if (blk->nwords > 2)
		cerr(cfg, blk, 2, "unexpected %s after api %s", blk->words[2],
		    blk->words[1]);
	a = arena_zalloc(&cfg->arena, sizeof(*a));
	a->name = blk->nwords > 1 ? blk->words[1] : NULL;
	for (c = blk->child; c != NULL; c = c->next) {
		w = c->nwords > 0 ? c->words[0] : "";
		if (is(w, "processes")) {
			if (c->block || c->nwords < 3 ||
			    !is(c->words[1], "[") ||
			    !is(c->words[c->nwords - 1], "]")) {
				cerr(cfg, c, 1,
				    "invalid processes (processes [ "
				    "NAME ... ])");
				continue;
			}
			/* a second processes statement adds to the first */
			procs = arena_alloc(&cfg->arena,
			    sizeof(char *) * (size_t)(a->nprocs + c->nwords));
			if (a->nprocs > 0)
				memcpy(procs, a->procs,
				    sizeof(char *) * (size_t)a->nprocs);
			a->procs = procs;
			for (i = 2; i < c->nwords - 1; i++)
				if (!is(c->words[i], ","))
					a->procs[a->nprocs++] = c->words[i];
		} else if (is(w, "neighbor-changes")) {
			if (parse_bool(cfg, c, true, &b))
				a->neighbor_changes = b;
		} else if (is(w, "negotiated")) {
			if (parse_bool(cfg, c, true, &b))
				a->negotiated = b;
		} else if (is(w, "fsm")) {
			if (parse_bool(cfg, c, true, &b))
				a->fsm = b;
		} else if (is(w, "signal")) {
			if (parse_bool(cfg, c, true, &b))
				a->signal = b;
		} else if ((is(w, "send") || is(w, "receive")) && c->block) {
			dir = is(w, "send") ? &a->send : &a->receive;
			for (d = c->child; d != NULL; d = d->next) {
				for (k = 0;
				     k < sizeof(api_msgs) / sizeof(api_msgs[0]);
				     k++)
					if (is(d->words[0], api_msgs[k].name))
						break;
				if (k ==
				    sizeof(api_msgs) / sizeof(api_msgs[0])) {
					cerr(cfg, d, 0,
					    "unknown %s option %s (expected "
					    "parsed, packets, consolidate, "
					    "open, "
					    "update, keepalive, notification, "
					    "refresh, operational)",
					    w, d->words[0] ? d->words[0] : "");
					continue;
				}
				if (!parse_bool(cfg, d, true, &b))
					continue;
				if (b)
					*dir |= api_msgs[k].bit;
				else
					*dir &= (uint16_t)~api_msgs[k].bit;
			}
		} else
			cerr(cfg, c, 0,
			    "unknown api option %s (expected processes, "
			    "neighbor-changes, negotiated, fsm, signal, send, "
			    "receive)",
			    w);
	}
	api_push(nb, a);
}

static struct spk_words
node_words(const struct conf_node *n, int from)
{
	struct spk_words ws = { n->words + from, n->wline + from,
		n->wcol + from, n->nwords - from, n->file };

	return ws;
}

/* route PREFIX ATTRS; or route PREFIX ATTRS { ATTR; ... } */
static void
parse_route(struct spk_config *cfg, const struct conf_node *n, int from,
    struct spk_neighbor *nb, uint8_t want_af)
{
	struct spk_route_ctx ctx = { &cfg->arena, &cfg->errors, &cfg->nerrors };
	struct spk_words ws = node_words(n, from), aws;
	const struct conf_node *c;
	struct spk_route *r;
	bool ok;

	r = arena_alloc(&cfg->arena, sizeof(*r));
	ok = spk_route_parse_start(&ctx, &ws, r);
	if (ok && want_af != 0 && r->pfx.af != want_af)
		ok = cerr(cfg, n, from, "%s is not an %s prefix",
		    n->words[from], want_af == ADDR_V4 ? "IPv4" : "IPv6");
	if (n->block) {
		if (want_af != 0)
			ok = cerr(cfg, n, 0, "%s takes no block", n->words[0]);
		for (c = n->child; c != NULL; c = c->next) {
			if (c->nwords == 0 || c->block) {
				ok = cerr(
				    cfg, c, 0, "unexpected block in route");
				continue;
			}
			aws = node_words(c, 0);
			if (!spk_route_parse_attrs(&ctx, &aws, r))
				ok = false;
		}
	}
	if (ok && spk_route_check(&ctx, &ws, r))
		route_push(nb, r);
}

/*
 * conf.c's take hook: a `route` line of a static block parsed as it is
 * read, so that no statement is kept for it, and merged into the route
 * before it (last) when their attributes are the same.  A line that has
 * any error or warning, or needs more than a prefix and attributes, is
 * left to the tree and parse_route, which reports it in its turn.
 */
static void *
take_route(void *arg, const struct conf_node *blk, const struct conf_node *n,
    void *last)
{
	struct spk_config *cfg = arg;
	int nerrs = 0;
	struct spk_route_ctx ctx = { &cfg->arena, &cfg->scratch, &nerrs };
	struct spk_words ws = node_words(n, 1);
	struct spk_route tmp, *r, *l = last;
	bool ok;

	(void)blk;
	if (n->nwords < 2)
		return NULL;
	sbuf_reset(&cfg->scratch);
	ok = spk_route_parse_start(&ctx, &ws, &tmp) &&
	    spk_route_check(&ctx, &ws, &tmp);
	ok = ok && nerrs == 0 && cfg->scratch.len == 0 &&
	    tmp.pfx.af == ADDR_V4 && tmp.name == NULL && tmp.watchdog == NULL &&
	    !tmp.withdrawn && tmp.split == 0;
	if (!ok)
		return NULL;
	if (l != NULL && spk_route_mergeable(l, &tmp)) {
		if (l->nmore == l->more_cap) {
			if (l->more == NULL) {
				cfg->mores = xreallocarray(cfg->mores,
				    cfg->nmores + 1, sizeof(*cfg->mores));
				cfg->mores[cfg->nmores++] = l;
			}
			l->more_cap = l->more_cap ? l->more_cap * 2 : 64;
			l->more = xreallocarray(l->more, l->more_cap, 5);
		}
		l->more[l->nmore * 5] = tmp.pfx.len;
		memcpy(l->more + l->nmore * 5 + 1, tmp.pfx.a, 4);
		l->nmore++;
		return l;
	}
	r = arena_alloc(&cfg->arena, sizeof(*r));
	*r = tmp;
	return r;
}

static void
parse_static_line(
    struct spk_config *cfg, const struct conf_node *c, struct spk_neighbor *nb)
{
	if (c->nwords == 0)
		return;
	if (!is(c->words[0], "route")) {
		cerr(cfg, c, 0,
		    "unknown keyword %s in static "
		    "(expected route)",
		    c->words[0]);
		return;
	}
	if (c->nwords < 2) {
		cerr(cfg, c, 1, "route needs a prefix");
		return;
	}
	parse_route(cfg, c, 1, nb, 0);
}

static void
parse_static(struct spk_config *cfg, const struct conf_node *blk,
    struct spk_neighbor *nb)
{
	const struct conf_node *c = blk->child;
	int i;

	/* the lines take_route took, in their places among the others */
	for (i = 0; i < blk->ntaken; i++)
		if (blk->taken[i] != NULL)
			route_push(nb, blk->taken[i]);
		else if (c != NULL) {
			parse_static_line(cfg, c, nb);
			c = c->next;
		}
	for (; c != NULL; c = c->next)
		parse_static_line(cfg, c, nb);
}

/* announce { ipv4 { unicast PREFIX ATTRS; } ipv6 { unicast ...; } } */
static void
parse_announce(struct spk_config *cfg, const struct conf_node *blk,
    struct spk_neighbor *nb)
{
	const struct conf_node *c, *u;
	uint8_t af;

	for (c = blk->child; c != NULL; c = c->next) {
		if (c->nwords == 0)
			continue;
		af = is(c->words[0], "ipv4")  ? ADDR_V4
		    : is(c->words[0], "ipv6") ? ADDR_V6
		                              : 0;
		if (af == 0 || !c->block || c->nwords != 1) {
			cerr(cfg, c, 0,
			    "unknown keyword %s in announce (expected ipv4 { "
			    "} or ipv6 { })",
			    c->words[0]);
			continue;
		}
		for (u = c->child; u != NULL; u = u->next) {
			if (u->nwords == 0)
				continue;
			if (!is(u->words[0], "unicast")) {
				cerr(cfg, u, 0,
				    "%s %s is not supported (unicast only)",
				    c->words[0], u->words[0]);
				continue;
			}
			if (u->nwords < 2) {
				cerr(cfg, u, 1, "unicast needs a prefix");
				continue;
			}
			parse_route(cfg, u, 1, nb, af);
		}
	}
}

/* One statement of a neighbor or template body. */
static void
neighbor_statement(struct spk_config *cfg, const struct conf_node *n,
    struct spk_neighbor *nb, bool is_template)
{
	const char *w = n->nwords > 0 ? n->words[0] : "";
	const char *why;
	struct ipaddr a;
	uint64_t x;

	if (n->block) {
		if (is(w, "capability") && n->nwords == 1)
			parse_capability(cfg, n, nb);
		else if (is(w, "family") && n->nwords == 1) {
			parse_families(cfg, n, nb->families, &nb->nfamilies,
			    &nb->all_families);
			SET(nb, NS_FAMILY);
		} else if (is(w, "add-path") && n->nwords == 1)
			parse_families(
			    cfg, n, nb->addpath, &nb->naddpath, NULL);
		else if (is(w, "nexthop") && n->nwords == 1)
			parse_nexthops(cfg, n, nb);
		else if (is(w, "api"))
			parse_api(cfg, n, nb);
		else if (is(w, "static") && n->nwords == 1)
			parse_static(cfg, n, nb);
		else if (is(w, "announce") && n->nwords == 1)
			parse_announce(cfg, n, nb);
		else if (is(w, "flow") || is(w, "l2vpn") ||
		    is(w, "operational"))
			cerr(
			    cfg, n, 0, "%s is not supported (unicast only)", w);
		else
			cerr(cfg, n, 0, "unknown section %s (expected %s)", w,
			    neighbor_keywords);
		return;
	}
	if (is(w, "description")) {
		if (want_args(cfg, n, 1)) {
			nb->description = n->words[1];
			SET(nb, NS_DESC);
		}
	} else if (is(w, "host-name")) {
		if (parse_dns_name(cfg, n, &nb->host_name))
			SET(nb, NS_HOST);
	} else if (is(w, "domain-name")) {
		if (parse_dns_name(cfg, n, &nb->domain_name))
			SET(nb, NS_DOMAIN);
	} else if (is(w, "router-id")) {
		if (!want_args(cfg, n, 1))
			return;
		if (!addr_parse_af(n->words[1], ADDR_V4, &a))
			cerr(cfg, n, 1,
			    "invalid router-id %s (an IPv4 address)",
			    n->words[1]);
		else {
			memcpy(nb->router_id, a.a, 4);
			SET(nb, NS_ROUTER_ID);
		}
	} else if (is(w, "hold-time")) {
		if (!want_args(cfg, n, 1))
			return;
		if (!num_parse_u64(n->words[1], 0xffff, &x) || x == 1 || x == 2)
			cerr(cfg, n, 1, "invalid hold-time %s (0 or 3-65535)",
			    n->words[1]);
		else {
			nb->hold_time = (uint16_t)x;
			SET(nb, NS_HOLD);
		}
	} else if (is(w, "rate-limit")) {
		if (!want_args(cfg, n, 1))
			return;
		if (is(n->words[1], "disable") || is(n->words[1], "disabled"))
			x = 0;
		else if (!num_parse_u64(n->words[1], 0xffffffffu, &x) ||
		    x == 0) {
			cerr(cfg, n, 1,
			    "invalid rate-limit %s (1-4294967295 "
			    "per second, or disable)",
			    n->words[1]);
			return;
		}
		nb->rate_limit = (uint32_t)x;
		SET(nb, NS_RATE);
	} else if (is(w, "local-address")) {
		if (!want_args(cfg, n, 1))
			return;
		if (is(n->words[1], "auto")) {
			nb->local_auto = true;
			nb->local_addr.af = 0;
			SET(nb, NS_LOCAL_ADDR);
		} else if (parse_addr(cfg, n, &nb->local_addr)) {
			nb->local_auto = false;
			SET(nb, NS_LOCAL_ADDR);
		}
	} else if (is(w, "peer-address")) {
		if (!want_args(cfg, n, 1))
			return;
		if ((why = prefix_parse(
		         n->words[1], &nb->peer, PREFIX_HOST_OK)) != NULL)
			cerr(cfg, n, 1, "invalid peer-address %s (%s)",
			    n->words[1], why);
		else
			SET(nb, NS_PEER_ADDR);
	} else if (is(w, "local-as")) {
		if (parse_asn(cfg, n, &nb->local_as))
			SET(nb, NS_LOCAL_AS);
	} else if (is(w, "peer-as")) {
		if (parse_asn(cfg, n, &nb->peer_as))
			SET(nb, NS_PEER_AS);
	} else if (is(w, "passive")) {
		if (parse_bool(cfg, n, true, &nb->passive))
			SET(nb, NS_PASSIVE);
	} else if (is(w, "listen")) {
		if (parse_u16(cfg, n, 0, 65535, &nb->listen))
			SET(nb, NS_LISTEN);
	} else if (is(w, "connect")) {
		if (parse_u16(cfg, n, 0, 65535, &nb->connect))
			SET(nb, NS_CONNECT);
	} else if (is(w, "outgoing-ttl") || is(w, "incoming-ttl")) {
		if (!want_args(cfg, n, 1))
			return;
		if (is(n->words[1], "false") || is(n->words[1], "disable") ||
		    is(n->words[1], "disabled"))
			x = (uint64_t)-1;
		else if (!num_parse_u64(n->words[1], 255, &x)) {
			cerr(cfg, n, 1, "invalid %s %s (0-255 or disable)", w,
			    n->words[1]);
			return;
		}
		if (is(w, "outgoing-ttl")) {
			nb->outgoing_ttl = (int)x;
			SET(nb, NS_TTL_OUT);
		} else {
			nb->incoming_ttl = (int)x;
			SET(nb, NS_TTL_IN);
		}
	} else if (is(w, "md5-password")) {
		if (!want_args(cfg, n, 1))
			return;
		nb->md5_password = n->words[1];
		SET(nb, NS_MD5);
	} else if (is(w, "md5-base64")) {
		if (n->nwords == 2 && is(n->words[1], "auto")) {
			nb->md5_base64 = false;
			SET(nb, NS_MD5_B64);
		} else if (parse_bool(cfg, n, false, &nb->md5_base64))
			SET(nb, NS_MD5_B64);
	} else if (is(w, "md5-ip")) {
		if (parse_addr(cfg, n, &nb->md5_ip))
			SET(nb, NS_MD5_IP);
	} else if (is(w, "group-updates")) {
		if (parse_bool(cfg, n, true, &nb->group_updates))
			SET(nb, NS_GROUP);
	} else if (is(w, "auto-flush")) {
		if (parse_bool(cfg, n, true, &nb->auto_flush))
			SET(nb, NS_FLUSH);
	} else if (is(w, "adj-rib-out")) {
		/* a bare keyword means false, as ExaBGP's default table */
		if (parse_bool(cfg, n, false, &nb->adj_rib_out))
			SET(nb, NS_RIB_OUT);
	} else if (is(w, "adj-rib-in")) {
		if (parse_bool(cfg, n, false, &nb->adj_rib_in))
			SET(nb, NS_RIB_IN);
	} else if (is(w, "manual-eor")) {
		if (parse_bool(cfg, n, false, &nb->manual_eor))
			SET(nb, NS_EOR);
	} else if (is(w, "inherit")) {
		/* checked by the neighbour; ExaBGP ignores it in a template */
		(void)is_template;
	} else if (is(w, "route")) {
		if (n->nwords < 2)
			cerr(cfg, n, 1, "route needs a prefix");
		else
			parse_route(cfg, n, 1, nb, 0);
	} else
		cerr(cfg, n, 0, "unknown keyword %s (expected %s)", w,
		    neighbor_keywords);
}

/*
 * Lay template t over nb as ExaBGP's scope.transfer(): what t sets
 * replaces nb's value; lists are appended.
 */
static void
template_apply(struct spk_neighbor *nb, const struct spk_neighbor *t)
{
	struct spk_capability *c = &nb->capa;
	const struct spk_capability *tc = &t->capa;
	size_t i;
	int k;

#define TAKE(bit, field)                      \
	do {                                  \
		if (ISSET(t, bit))            \
			nb->field = t->field; \
	} while (0)
	TAKE(NS_DESC, description);
	TAKE(NS_HOST, host_name);
	TAKE(NS_DOMAIN, domain_name);
	if (ISSET(t, NS_ROUTER_ID))
		memcpy(nb->router_id, t->router_id, 4);
	TAKE(NS_HOLD, hold_time);
	TAKE(NS_RATE, rate_limit);
	TAKE(NS_LOCAL_ADDR, local_addr);
	TAKE(NS_LOCAL_ADDR, local_auto);
	TAKE(NS_PEER_ADDR, peer);
	TAKE(NS_LOCAL_AS, local_as);
	TAKE(NS_PEER_AS, peer_as);
	TAKE(NS_PASSIVE, passive);
	TAKE(NS_LISTEN, listen);
	TAKE(NS_CONNECT, connect);
	TAKE(NS_TTL_OUT, outgoing_ttl);
	TAKE(NS_TTL_IN, incoming_ttl);
	TAKE(NS_MD5, md5_password);
	TAKE(NS_MD5_B64, md5_base64);
	TAKE(NS_MD5_IP, md5_ip);
	TAKE(NS_GROUP, group_updates);
	TAKE(NS_FLUSH, auto_flush);
	TAKE(NS_RIB_OUT, adj_rib_out);
	TAKE(NS_RIB_IN, adj_rib_in);
	TAKE(NS_EOR, manual_eor);
#undef TAKE
	if (ISSET(t, NS_C_ASN4))
		c->asn4 = tc->asn4;
	if (ISSET(t, NS_C_RR))
		c->route_refresh = tc->route_refresh;
	if (ISSET(t, NS_C_GR)) {
		c->graceful_restart = tc->graceful_restart;
		c->gr_time = tc->gr_time;
	}
	if (ISSET(t, NS_C_AP))
		c->add_path = tc->add_path;
	if (ISSET(t, NS_C_MS))
		c->multi_session = tc->multi_session;
	if (ISSET(t, NS_C_OP))
		c->operational = tc->operational;
	if (ISSET(t, NS_C_AIGP))
		c->aigp = tc->aigp;
	if (ISSET(t, NS_C_EXTMSG))
		c->extended_message = tc->extended_message;
	if (ISSET(t, NS_C_NH))
		c->nexthop = tc->nexthop;
	nb->set |= t->set;
	nb->all_families |= t->all_families;
	for (k = 0; k < t->nfamilies; k++)
		family_add(nb->families, &nb->nfamilies, t->families[k].afi,
		    t->families[k].safi);
	for (k = 0; k < t->naddpath; k++)
		family_add(nb->addpath, &nb->naddpath, t->addpath[k].afi,
		    t->addpath[k].safi);
	for (k = 0; k < t->nnexthops && nb->nnexthops < 16; k++)
		nb->nexthops[nb->nnexthops++] = t->nexthops[k];
	for (k = 0; k < t->napis; k++)
		api_push(nb, t->apis[k]);
	for (i = 0; i < t->nroutes; i++)
		route_push(nb, t->routes[i]);
}

static const struct spk_neighbor *
template_find(const struct spk_config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->ntemplates; i++)
		if (strcmp(cfg->template_names[i], name) == 0)
			return cfg->templates[i];
	return NULL;
}

static void
neighbor_free(struct spk_neighbor *nb)
{
	if (nb == NULL)
		return;
	free(nb->apis);
	free(nb->routes);
	free(nb);
}

static void
parse_template(struct spk_config *cfg, const struct conf_node *blk)
{
	const struct conf_node *c, *s;
	struct spk_neighbor *t;

	for (c = blk->child; c != NULL; c = c->next) {
		if (c->nwords != 2 || !is(c->words[0], "neighbor") ||
		    !c->block) {
			cerr(cfg, c, 0,
			    "unknown keyword %s in template "
			    "(expected neighbor NAME { })",
			    c->nwords > 0 ? c->words[0] : "");
			continue;
		}
		if (template_find(cfg, c->words[1]) != NULL) {
			cerr(cfg, c, 1, "a template called %s already exists",
			    c->words[1]);
			continue;
		}
		t = xmalloc(sizeof(*t));
		neighbor_defaults(t);
		t->where = c;
		for (s = c->child; s != NULL; s = s->next)
			neighbor_statement(cfg, s, t, true);
		cfg->templates = xreallocarray(cfg->templates,
		    (size_t)cfg->ntemplates + 1, sizeof(*cfg->templates));
		cfg->template_names = xreallocarray(cfg->template_names,
		    (size_t)cfg->ntemplates + 1, sizeof(*cfg->template_names));
		cfg->templates[cfg->ntemplates] = t;
		cfg->template_names[cfg->ntemplates++] = c->words[1];
	}
}

static bool
same_families(const struct spk_neighbor *a, const struct spk_neighbor *b)
{
	int i;

	if (a->all_families != b->all_families || a->nfamilies != b->nfamilies)
		return false;
	for (i = 0; i < a->nfamilies; i++)
		if (!spk_neighbor_has_family(
		        b, a->families[i].afi, a->families[i].safi))
			return false;
	return true;
}

/* ExaBGP's checks once a neighbour is complete (ParseNeighbor.post). */
static bool
neighbor_finish(
    struct spk_config *cfg, const struct conf_node *n, struct spk_neighbor *nb)
{
	char buf[PREFIX_STRLEN];
	size_t i;
	int k;

	if (!ISSET(nb, NS_LOCAL_ADDR) || nb->local_auto)
		return cerr(cfg, n, 0,
		    "incomplete neighbor, missing "
		    "local-address");
	if (!ISSET(nb, NS_LOCAL_AS))
		return cerr(cfg, n, 0, "incomplete neighbor, missing local-as");
	if (!ISSET(nb, NS_PEER_AS))
		return cerr(cfg, n, 0, "incomplete neighbor, missing peer-as");
	if (!ISSET(nb, NS_ROUTER_ID)) {
		if (nb->peer.af != ADDR_V4 || nb->local_addr.af != ADDR_V4)
			return cerr(cfg, n, 0,
			    "missing router-id for the peer, "
			    "it can not be set using the "
			    "local-ip");
		memcpy(nb->router_id, nb->local_addr.a, 4);
	}
	if (nb->local_addr.af != nb->peer.af)
		return cerr(cfg, n, 0,
		    "local-address and peer-address must be "
		    "of the same family");
	if (nb->peer.len != addr_maxlen(nb->peer.af) && !nb->passive)
		return cerr(cfg, n, 1,
		    "can only use ip ranges for the peer "
		    "address with passive neighbors");
	if (nb->md5_password != NULL && !nb->md5_base64 &&
	    strlen(nb->md5_password) > 80)
		return cerr(cfg, n, 0,
		    "MD5 password must be no larger than 80 "
		    "characters");
	if (nb->capa.nexthop < 0)
		nb->capa.nexthop = nb->nnexthops > 0;
	if (!ISSET(nb, NS_FAMILY) || nb->all_families) {
		nb->all_families = true;
		nb->nfamilies = 0;
		for (k = 0;
		     k < (int)(sizeof(all_families) / sizeof(all_families[0]));
		     k++)
			family_add(nb->families, &nb->nfamilies,
			    all_families[k].afi, all_families[k].safi);
	}
	for (i = 0; i < nb->nroutes; i++) {
		const struct spk_route *r = nb->routes[i];
		uint16_t afi =
		    r->pfx.af == ADDR_V4 ? SPK_AFI_IPV4 : SPK_AFI_IPV6;

		if (afi != SPK_AFI_IPV4 &&
		    !spk_neighbor_has_family(nb, afi, 1)) {
			sbuf_printf(&cfg->errors,
			    "%s:%d:%d: trying to announce %s (ipv6 unicast) "
			    "when the family is not announced to the peer\n",
			    r->file, r->line, r->col,
			    prefix_print(&r->pfx, buf, sizeof(buf)));
			cfg->nerrors++;
			return false;
		}
	}
	for (k = 0; k < cfg->nneighbors; k++)
		if (prefix_equal(&cfg->neighbors[k]->peer, &nb->peer) &&
		    addr_cmp(&cfg->neighbors[k]->local_addr, &nb->local_addr) ==
		        0 &&
		    same_families(cfg->neighbors[k], nb))
			return cerr(cfg, n, 1, "duplicate peer definition %s",
			    n->words[1]);
	return true;
}

static void
parse_neighbor(struct spk_config *cfg, const struct conf_node *blk)
{
	const struct spk_neighbor *t;
	const struct conf_node *s;
	struct spk_neighbor *nb;
	const char *why;
	int errs = cfg->nerrors, i;

	if (blk->nwords != 2)
		return (void)cerr(cfg, blk, blk->nwords < 2 ? 0 : 2,
		    "neighbor needs one address (neighbor ADDRESS { })");
	nb = xmalloc(sizeof(*nb));
	neighbor_defaults(nb);
	nb->where = blk;
	if ((why = prefix_parse(blk->words[1], &nb->peer, PREFIX_HOST_OK)) !=
	    NULL)
		cerr(cfg, blk, 1, "invalid neighbor address %s (%s)",
		    blk->words[1], why);
	for (s = blk->child; s != NULL; s = s->next)
		neighbor_statement(cfg, s, nb, false);
	/* then every template, in the order of the inherit statements */
	for (s = blk->child; s != NULL; s = s->next) {
		if (s->block || !is(s->words[0], "inherit"))
			continue;
		if (s->nwords < 2) {
			cerr(cfg, s, 1, "inherit needs a template name");
			continue;
		}
		for (i = 1; i < s->nwords; i++) {
			if (is(s->words[i], "[") || is(s->words[i], "]") ||
			    is(s->words[i], ","))
				continue;
			if ((t = template_find(cfg, s->words[i])) == NULL)
				cerr(cfg, s, i, "unknown template %s",
				    s->words[i]);
			else
				template_apply(nb, t);
		}
	}
	if (cfg->nerrors != errs || !neighbor_finish(cfg, blk, nb)) {
		neighbor_free(nb);
		return;
	}
	cfg->neighbors = xreallocarray(cfg->neighbors,
	    (size_t)cfg->nneighbors + 1, sizeof(*cfg->neighbors));
	cfg->neighbors[cfg->nneighbors++] = nb;
}

static void
parse_process(struct spk_config *cfg, const struct conf_node *blk)
{
	struct spk_process p = { 0 };
	const struct conf_node *c;
	bool have_run = false, have_enc = false;
	struct sbuf run;
	int i;

	if (blk->nwords != 2)
		return (void)cerr(cfg, blk, blk->nwords < 2 ? 0 : 2,
		    "process needs one name (process NAME { })");
	if (spk_config_process(cfg, blk->words[1]) != NULL)
		return (void)cerr(cfg, blk, 1,
		    "a process section called \"%s\" already exists",
		    blk->words[1]);
	p.name = blk->words[1];
	p.respawn = true;
	p.where = blk;
	for (c = blk->child; c != NULL; c = c->next) {
		if (is(c->words[0], "run") && !c->block) {
			if (c->nwords < 2) {
				cerr(cfg, c, 1, "run needs a program");
				continue;
			}
			p.argc = c->nwords - 1;
			p.argv = arena_alloc(
			    &cfg->arena, sizeof(char *) * (size_t)(p.argc + 1));
			sbuf_init(&run);
			for (i = 0; i < p.argc; i++) {
				p.argv[i] = c->words[i + 1];
				sbuf_printf(
				    &run, "%s%s", i > 0 ? " " : "", p.argv[i]);
			}
			p.argv[p.argc] = NULL;
			p.run = arena_strdup(&cfg->arena, run.s);
			sbuf_fini(&run);
			have_run = true;
		} else if (is(c->words[0], "encoder")) {
			if (!want_args(cfg, c, 1))
				continue;
			if (!is(c->words[1], "text") &&
			    !is(c->words[1], "json")) {
				cerr(cfg, c, 1,
				    "invalid encoder %s (text or "
				    "json)",
				    c->words[1]);
				continue;
			}
			p.json = is(c->words[1], "json");
			have_enc = true;
		} else if (is(c->words[0], "respawn"))
			parse_bool(cfg, c, true, &p.respawn);
		else
			cerr(cfg, c, 0,
			    "unknown keyword %s in process "
			    "(expected run, encoder, respawn)",
			    c->words[0] ? c->words[0] : "");
	}
	if (!have_run || !have_enc)
		return (void)cerr(cfg, blk, 0, "unset process sections: %s",
		    !have_run && !have_enc ? "run, encoder"
		        : !have_run        ? "run"
		                           : "encoder");
	cfg->procs = xreallocarray(
	    cfg->procs, (size_t)cfg->nprocs + 1, sizeof(*cfg->procs));
	cfg->procs[cfg->nprocs++] = p;
}

/* Every api block must name processes that exist. */
static void
check_api_processes(struct spk_config *cfg)
{
	const struct spk_neighbor *nb;
	int i, k, j;

	for (i = 0; i < cfg->nneighbors; i++) {
		nb = cfg->neighbors[i];
		for (k = 0; k < nb->napis; k++)
			for (j = 0; j < nb->apis[k]->nprocs; j++)
				if (spk_config_process(
				        cfg, nb->apis[k]->procs[j]) == NULL)
					cerr(cfg, nb->where, 1,
					    "the neighbor is using the process "
					    "%s which is not defined",
					    nb->apis[k]->procs[j]);
	}
}

/* The sections, once the file is parsed (ok: without errors). */
static bool
config_build(struct spk_config *cfg, bool ok)
{
	const struct conf_node *n;

	if (!ok) {
		sbuf_puts(&cfg->errors, cfg->conf.errors.s);
		cfg->nerrors += cfg->conf.nerrors;
	}
	sbuf_fini(&cfg->scratch);
	/* templates first, so that a neighbour may name a later one */
	for (n = cfg->conf.root; n != NULL; n = n->next)
		if (n->nwords == 1 && is(n->words[0], "template") && n->block)
			parse_template(cfg, n);
	for (n = cfg->conf.root; n != NULL; n = n->next) {
		if (n->nwords == 0)
			continue;
		if (is(n->words[0], "template") && n->block && n->nwords == 1)
			continue;
		if (is(n->words[0], "process") && n->block)
			parse_process(cfg, n);
		else if (is(n->words[0], "neighbor") && n->block)
			parse_neighbor(cfg, n);
		else
			cerr(cfg, n, 0,
			    "unknown section %s (expected process "
			    "NAME { }, template { }, neighbor ADDRESS "
			    "{ })",
			    n->words[0]);
	}
	check_api_processes(cfg);
	return cfg->nerrors == 0;
}

static void
config_init(struct spk_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	arena_init(&cfg->arena, 65536);
	sbuf_init(&cfg->errors);
	sbuf_init(&cfg->scratch);
}

bool
spk_config_parse(struct spk_config *cfg, const char *name, const char *text)
{
	config_init(cfg);
	return config_build(
	    cfg, conf_parse_take(&cfg->conf, name, text, take_route, cfg));
}

bool
spk_config_load(struct spk_config *cfg, const char *path)
{
	FILE *f;
	bool ok;

	if ((f = fopen(path, "r")) == NULL) {
		memset(cfg, 0, sizeof(*cfg));
		arena_init(&cfg->arena, 1024);
		sbuf_init(&cfg->errors);
		conf_parse(&cfg->conf, path, "");
		sbuf_printf(&cfg->errors, "%s: %s\n", path, strerror(errno));
		cfg->nerrors = 1;
		return false;
	}
	/* read as it is parsed: the file is never held whole */
	config_init(cfg);
	ok = config_build(
	    cfg, conf_parse_file_take(&cfg->conf, path, f, take_route, cfg));
	fclose(f);
	return ok;
}

void
spk_config_free(struct spk_config *cfg)
{
	int i;

	for (i = 0; i < cfg->nneighbors; i++)
		neighbor_free(cfg->neighbors[i]);
	for (i = 0; i < cfg->ntemplates; i++)
		neighbor_free(cfg->templates[i]);
	free(cfg->neighbors);
	free(cfg->templates);
	free(cfg->template_names);
	free(cfg->procs);
	for (i = 0; i < (int)cfg->nmores; i++)
		free(cfg->mores[i]->more);
	free(cfg->mores);
	conf_free(&cfg->conf);
	arena_fini(&cfg->arena);
	sbuf_fini(&cfg->errors);
	memset(cfg, 0, sizeof(*cfg));
}

const struct spk_process *
spk_config_process(const struct spk_config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->nprocs; i++)
		if (strcmp(cfg->procs[i].name, name) == 0)
			return &cfg->procs[i];
	return NULL;
}

bool
spk_neighbor_has_family(
    const struct spk_neighbor *n, uint16_t afi, uint8_t safi)
{
	int i;

	for (i = 0; i < n->nfamilies; i++)
		if (n->families[i].afi == afi && n->families[i].safi == safi)
			return true;
	return false;
}
