/* SPDX-License-Identifier: ISC */
/* bgp/exa.c - decoded messages in ExaBGP 4.2's text and JSON shapes. */

#include "bgp/exa.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/log.h"

static bool unknown_shown(const struct bgp_attr_raw *a, uint8_t *flags);
static int mp_nexthops(const struct bgp_mp_reach *r, char nh[2][ADDR_STRLEN]);

const char *
exa_afi_name(uint16_t afi)
{
	switch (afi) {
	case BGP_AFI_IPV4:
		return "ipv4";
	case BGP_AFI_IPV6:
		return "ipv6";
	case 25:
		return "l2vpn";
	case 16388:
		return "bgp-ls";
	}
	return "unknown";
}

const char *
exa_safi_name(uint8_t safi)
{
	switch (safi) {
	case 1:
		return "unicast";
	case 2:
		return "multicast";
	case 4:
		return "nlri-mpls";
	case 5:
		return "mcast-vpn";
	case 65:
		return "vpls";
	case 70:
		return "evpn";
	case 71:
		return "bgp-ls";
	case 72:
		return "bgp-ls-vpn";
	case 128:
		return "mpls-vpn";
	case 132:
		return "rtc";
	case 133:
		return "flow";
	case 134:
		return "flow-vpn";
	}
	return "unknown";
}

void
exa_json_head(struct sbuf *out, const struct exa_env *e, const char *type)
{
	sbuf_printf(out,
	    "{ \"exabgp\": \"4.0.1\", \"time\": %.7f, \"host\" : ", e->time);
	sbuf_json_str(out, e->host != NULL ? e->host : "localhost");
	sbuf_printf(out,
	    ", \"pid\" : %ld, \"ppid\" : %ld, \"counter\": %lu, "
	    "\"type\": \"%s\", ",
	    e->pid, e->ppid, e->counter, type);
	/* json.py _header(): hexstring()s, the body only when it is not empty */
	if (e->raw != NULL && e->raw_len >= BGP_HDR_LEN) {
		sbuf_puts(out, "\"header\": \"0x");
		sbuf_hex(out, e->raw, BGP_HDR_LEN);
		sbuf_puts(out, "\", ");
		if (e->raw_len > BGP_HDR_LEN) {
			sbuf_puts(out, "\"body\": \"0x");
			sbuf_hex(out, e->raw + BGP_HDR_LEN,
			    e->raw_len - BGP_HDR_LEN);
			sbuf_puts(out, "\", ");
		}
	}
	sbuf_puts(out, "\"neighbor\": { \"address\": { \"local\": ");
	sbuf_json_str(out, e->local_addr != NULL ? e->local_addr : "");
	sbuf_puts(out, ", \"peer\": ");
	sbuf_json_str(out, e->peer_addr != NULL ? e->peer_addr : "");
	sbuf_printf(out,
	    " }, \"asn\": { \"local\": %" PRIu32 ", \"peer\": %" PRIu32 " } ",
	    e->local_as, e->peer_as);
}

static void
env_open(struct sbuf *out, const struct exa_env *e, const char *type)
{
	exa_json_head(out, e, type);
	sbuf_printf(out, ", \"direction\": \"%s\", ", e->direction);
}

static void
env_close(struct sbuf *out)
{
	sbuf_puts(out, " } }");
}

static void
ipv4_print(const uint8_t *a, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* The next hop of an MP_REACH as ExaBGP prints it (global address). */
static void
mp_nexthop_print(const struct bgp_mp_reach *r, char *buf, size_t size)
{
	struct ipaddr a;

	memset(&a, 0, sizeof(a));
	if (r->nh_len == 4) {
		ipv4_print(r->nh, buf, size);
		return;
	}
	if (r->nh_len == 16 || r->nh_len == 32) {
		a.af = ADDR_V6;
		memcpy(a.a, r->nh, 16);
		addr_print(&a, buf, size);
		return;
	}
	snprintf(buf, size, "no-nexthop");
}

/* The path to print: for a 2-octet session, AS_PATH merged with AS4_PATH. */
static bool
print_path(const struct bgp_pattrs *pa, uint8_t *store, size_t cap,
    struct bgp_aspath *out)
{
	struct wbuf w;

	if (!bgp_pattrs_has(pa, BGP_ATTR_AS_PATH))
		return false;
	*out = pa->aspath;
	if (pa->aspath.as_size == 2 && bgp_pattrs_has(pa, BGP_ATTR_AS4_PATH)) {
		wbuf_init(&w, store, cap);
		if (bgp_aspath_merge(&pa->aspath, &pa->as4path, &w)) {
			out->segs = rbuf_make(store, w.len);
			out->as_size = 4;
		}
	}
	return out->segs.len > 0;
}

static void
json_asns(struct sbuf *out, const struct bgp_aspath *p, uint8_t type)
{
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	bool first = true;
	unsigned i;

	bgp_aspath_iter_init(&it, p);
	while (bgp_aspath_iter_next(&it, &seg)) {
		if (seg.type != type)
			continue;
		for (i = 0; i < seg.count; i++) {
			sbuf_printf(out, "%s%" PRIu32, first ? "[ " : ", ",
			    bgp_aspath_seg_as(&seg, i));
			first = false;
		}
	}
	sbuf_puts(out, first ? "[]" : " ]");
}

static bool
path_has(const struct bgp_aspath *p, uint8_t type)
{
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;

	bgp_aspath_iter_init(&it, p);
	while (bgp_aspath_iter_next(&it, &seg))
		if (seg.type == type)
			return true;
	return false;
}

/*
 * Extended community names as ExaBGP prints them (RFC 4360 3, RFC 5575
 * 7, RFC 5512 4.5).  Returns false for a type ExaBGP has no name for:
 * its text shows those in hex and its JSON an empty string.  Route
 * origins are printed right (ExaBGP 4.2 swaps their fields).
 */
static bool
extcomm_name(const uint8_t *c, char *buf, size_t size)
{
	struct rbuf r = rbuf_make(c, 8);
	const char *kind = NULL;
	uint8_t type = c[0] & 0xbf, sub = c[1];
	uint32_t bits;
	float rate;

	if (sub == 0x02)
		kind = "target";
	else if (sub == 0x03)
		kind = "origin";
	if (kind != NULL && type == 0x00) {
		snprintf(buf, size, "%s:%u:%" PRIu32, kind, rbuf_peek16(&r, 2),
		    rbuf_peek32(&r, 4));
		return true;
	}
	if (kind != NULL && type == 0x01) {
		snprintf(buf, size, "%s:%u.%u.%u.%u:%u", kind, c[2], c[3], c[4],
		    c[5], rbuf_peek16(&r, 6));
		return true;
	}
	if (kind != NULL && type == 0x02) {
		snprintf(buf, size, "%s:%" PRIu32 "L:%u", kind,
		    rbuf_peek32(&r, 2), rbuf_peek16(&r, 6));
		return true;
	}
	if (c[0] == 0x03 && sub == 0x0c) {
		/* RFC 5512 4.5 encapsulation: tunnel type in the last two */
		static const char *tunnels[] = { NULL, "L2TPv3", "GRE", NULL,
			NULL, NULL, NULL, "IP-in-IP", "VXLAN", "NVGRE", "MPLS",
			"MPLS-in-GRE", "VXLAN-GPE" };
		uint16_t t = rbuf_peek16(&r, 6);

		if (t < sizeof(tunnels) / sizeof(tunnels[0]) &&
		    tunnels[t] != NULL) {
			snprintf(buf, size, "encap:%s", tunnels[t]);
			return true;
		}
		return false;
	}
	if (c[0] != 0x80)
		return false;
	switch (sub) {
	case 0x06: /* RFC 5575 7: traffic-rate, IEEE float bytes/s */
		bits = rbuf_peek32(&r, 4);
		memcpy(&rate, &bits, sizeof(rate));
		snprintf(buf, size, "rate-limit:%.0f", (double)rate);
		return true;
	case 0x07: /* traffic-action: S (sample) and T (terminal) bits */
		snprintf(buf, size, "action %s",
		    (c[7] & 3) == 3  ? "sample-terminal"
		        : (c[7] & 2) ? "sample"
		        : (c[7] & 1) ? "terminal"
		                     : "none");
		return true;
	case 0x08: /* redirect to a route target */
		snprintf(buf, size, "redirect:%u:%" PRIu32, rbuf_peek16(&r, 2),
		    rbuf_peek32(&r, 4));
		return true;
	case 0x09: /* traffic-marking: DSCP */
		snprintf(buf, size, "mark %u", c[7] & 0x3f);
		return true;
	}
	return false;
}

static void
extcomm_text(const uint8_t *c, char *buf, size_t size)
{
	if (!extcomm_name(c, buf, size))
		snprintf(buf, size, "0x%02X%02X%02X%02X%02X%02X%02X%02X", c[0],
		    c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
}

static const char *
origin_name(uint8_t o)
{
	static const char *names[] = { "igp", "egp", "incomplete" };

	return o < 3 ? names[o] : "invalid";
}

static void
json_attrs(struct sbuf *out, const struct bgp_pattrs *pa)
{
	uint8_t store[BGP_EXT_MAX_LEN];
	struct bgp_aspath path;
	const struct bgp_attr_raw *a;
	char buf[64];
	const char *sep = "";
	struct rbuf l;
	uint8_t flags;
	size_t i;
	unsigned t, k;

	sbuf_puts(out, "\"attribute\": { ");
	for (t = 1; t < 256; t++) {
		if (!bgp_pattrs_has(pa, (uint8_t)t))
			continue;
		switch (t) {
		case BGP_ATTR_ORIGIN:
			sbuf_printf(out, "%s\"origin\": \"%s\"", sep,
			    origin_name(pa->origin));
			break;
		case BGP_ATTR_AS_PATH:
			if (!print_path(pa, store, sizeof(store), &path))
				continue;
			/* ExaBGP: sequences and sets under separate keys */
			sbuf_printf(out, "%s\"as-path\": ", sep);
			json_asns(out, &path, BGP_AS_SEQUENCE);
			if (path_has(&path, BGP_AS_SET)) {
				sbuf_puts(out, ", \"as-set\": ");
				json_asns(out, &path, BGP_AS_SET);
			}
			sbuf_puts(out, ", \"confederation-path\": ");
			json_asns(out, &path, BGP_AS_CONFED_SEQUENCE);
			if (path_has(&path, BGP_AS_CONFED_SET)) {
				sbuf_puts(out, ", \"confederation-set\": ");
				json_asns(out, &path, BGP_AS_CONFED_SET);
			}
			break;
		case BGP_ATTR_NEXT_HOP:
		case BGP_ATTR_MP_REACH:
		case BGP_ATTR_MP_UNREACH:
		case BGP_ATTR_AS4_PATH:
			continue;
		case BGP_ATTR_MED:
			sbuf_printf(out, "%s\"med\": %" PRIu32, sep, pa->med);
			break;
		case BGP_ATTR_LOCAL_PREF:
			sbuf_printf(out, "%s\"local-preference\": %" PRIu32,
			    sep, pa->localpref);
			break;
		case BGP_ATTR_ATOMIC_AGGR:
			sbuf_printf(out, "%s\"atomic-aggregate\": true", sep);
			break;
		case BGP_ATTR_AGGREGATOR: {
			uint32_t as = pa->aggr_as, id = pa->aggr_id;
			uint8_t ip[4];

			if (as == BGP_AS_TRANS &&
			    bgp_pattrs_has(pa, BGP_ATTR_AS4_AGGREGATOR)) {
				as = pa->as4aggr_as;
				id = pa->as4aggr_id;
			}
			ip[0] = (uint8_t)(id >> 24);
			ip[1] = (uint8_t)(id >> 16);
			ip[2] = (uint8_t)(id >> 8);
			ip[3] = (uint8_t)id;
			ipv4_print(ip, buf, sizeof(buf));
			sbuf_printf(out, "%s\"aggregator\": \"%" PRIu32 ":%s\"",
			    sep, as, buf);
			break;
		}
		case BGP_ATTR_AS4_AGGREGATOR:
			continue;
		case BGP_ATTR_COMMUNITIES:
			l = pa->communities;
			sbuf_printf(out, "%s\"community\": [ ", sep);
			for (i = 0; i + 4 <= l.len; i += 4)
				sbuf_printf(out, "%s[ %u, %u ]", i ? ", " : "",
				    rbuf_peek16(&l, i), rbuf_peek16(&l, i + 2));
			sbuf_puts(out, " ]");
			break;
		case BGP_ATTR_ORIGINATOR_ID:
			l = rbuf_make(NULL, 0);
			{
				uint8_t ip[4] = { (uint8_t)(pa->originator_id >>
					              24),
					(uint8_t)(pa->originator_id >> 16),
					(uint8_t)(pa->originator_id >> 8),
					(uint8_t)pa->originator_id };

				ipv4_print(ip, buf, sizeof(buf));
			}
			sbuf_printf(
			    out, "%s\"originator-id\": \"%s\"", sep, buf);
			break;
		case BGP_ATTR_CLUSTER_LIST:
			l = pa->cluster_list;
			sbuf_printf(out, "%s\"cluster-list\": [ ", sep);
			for (i = 0; i + 4 <= l.len; i += 4) {
				ipv4_print(l.p + i, buf, sizeof(buf));
				sbuf_printf(
				    out, "%s\"%s\"", i ? ", " : "", buf);
			}
			sbuf_puts(out, " ]");
			break;
		case BGP_ATTR_EXT_COMMUNITIES:
			l = pa->ext_communities;
			sbuf_printf(out, "%s\"extended-community\": [ ", sep);
			for (i = 0; i + 8 <= l.len; i += 8) {
				uint64_t v =
				    ((uint64_t)rbuf_peek32(&l, i) << 32) |
				    rbuf_peek32(&l, i + 4);

				if (!extcomm_name(l.p + i, buf, sizeof(buf)))
					buf[0] = '\0';
				sbuf_printf(out,
				    "%s{ \"value\": %" PRIu64
				    ", \"string\": \"%s\" }",
				    i ? ", " : "", v, buf);
			}
			sbuf_puts(out, " ]");
			break;
		case BGP_ATTR_LARGE_COMMUNITY:
			l = pa->large_communities;
			sbuf_printf(out, "%s\"large-community\": [ ", sep);
			for (i = 0; i + 12 <= l.len; i += 12)
				sbuf_printf(out,
				    "%s[ %" PRIu32 ", %" PRIu32 " , %" PRIu32
				    " ]",
				    i ? ", " : "", rbuf_peek32(&l, i),
				    rbuf_peek32(&l, i + 4),
				    rbuf_peek32(&l, i + 8));
			sbuf_puts(out, " ]");
			break;
		default:
			a = NULL;
			for (k = 0; k < pa->nlist; k++)
				if (pa->list[k].type == t)
					a = &pa->list[k];
			if (a == NULL || !unknown_shown(a, &flags))
				continue;
			sbuf_printf(out, "%s\"attribute-0x%02X-0x%02X\": \"0x",
			    sep, a->type, flags);
			sbuf_hex(out, a->value.p, a->value.len);
			sbuf_puts(out, "\"");
			break;
		}
		sep = ", ";
	}
	sbuf_puts(out, " }");
}

/* Print the NLRI entries of field as { "nlri": ... } objects. */
static void
json_nlri_list(struct sbuf *out, struct rbuf field, uint8_t af, bool addpath)
{
	struct bgp_nlri n;
	struct bgp_err e;
	char buf[PREFIX_STRLEN];
	bool first = true;

	sbuf_puts(out, "[ ");
	while (bgp_nlri_next(&field, af, addpath, &n, &e)) {
		sbuf_printf(out, "%s{ \"nlri\": \"%s\"", first ? "" : ", ",
		    prefix_print(&n.pfx, buf, sizeof(buf)));
		if (addpath)
			sbuf_printf(out,
			    ", \"path-information\": \"%u.%u.%u.%u\"",
			    n.path_id >> 24, (n.path_id >> 16) & 255,
			    (n.path_id >> 8) & 255, n.path_id & 255);
		sbuf_puts(out, " }");
		first = false;
	}
	sbuf_puts(out, first ? "]" : " ]");
}

void
exa_json_update(struct sbuf *out, const struct exa_env *env,
    const struct bgp_update *u, const struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx)
{
	const struct bgp_mp_reach *r = &pa->mp_reach;
	const struct bgp_mp_unreach *ur = &pa->mp_unreach;
	bool mp_r = bgp_pattrs_has(pa, BGP_ATTR_MP_REACH) && r->nlri.len > 0;
	bool mp_u = bgp_pattrs_has(pa, BGP_ATTR_MP_UNREACH) && ur->nlri.len > 0;
	char nh[ADDR_STRLEN];
	const char *sep = "";
	uint16_t afi;
	uint8_t safi;
	int af;

	env_open(out, env, "update");
	if (bgp_update_is_eor(u, pa, &afi, &safi)) {
		sbuf_printf(out,
		    "\"message\": { \"eor\": { \"afi\" : \"%s\", "
		    "\"safi\" : \"%s\" } }",
		    exa_afi_name(afi), exa_safi_name(safi));
		if (env->tail != NULL)
			sbuf_puts(out, env->tail);
		env_close(out);
		return;
	}
	sbuf_puts(out, "\"message\": { \"update\": { ");
	if (u->attrs.len > 0 &&
	    (u->nlri.len > 0 || mp_r || (u->withdrawn.len == 0 && !mp_u))) {
		json_attrs(out, pa);
		sep = ", ";
	}
	if (u->nlri.len > 0 || mp_r) {
		sbuf_printf(out, "%s\"announce\": { ", sep);
		if (u->nlri.len > 0) {
			ipv4_print(pa->nexthop, nh, sizeof(nh));
			sbuf_printf(out, "\"ipv4 unicast\": { \"%s\": ", nh);
			json_nlri_list(out, u->nlri, ADDR_V4,
			    ctx->addpath_rx[BGP_AF_IPV4]);
			sbuf_puts(out, " }");
		}
		if (mp_r && (af = bgp_af_from(r->afi, r->safi)) >= 0) {
			char nhs[2][ADDR_STRLEN];
			int k, n = mp_nexthops(r, nhs);

			sbuf_printf(out, "%s\"%s %s\": { ",
			    u->nlri.len > 0 ? ", " : "", exa_afi_name(r->afi),
			    exa_safi_name(r->safi));
			for (k = 0; k < n; k++) {
				sbuf_printf(
				    out, "%s\"%s\": ", k ? ", " : "", nhs[k]);
				json_nlri_list(out, r->nlri, bgp_af_addr(af),
				    ctx->addpath_rx[af]);
			}
			sbuf_puts(out, " }");
		}
		sbuf_puts(out, " }");
		sep = ", ";
	}
	if (u->withdrawn.len > 0 || mp_u) {
		sbuf_printf(out, "%s\"withdraw\": { ", sep);
		if (u->withdrawn.len > 0) {
			sbuf_puts(out, "\"ipv4 unicast\": ");
			json_nlri_list(out, u->withdrawn, ADDR_V4,
			    ctx->addpath_rx[BGP_AF_IPV4]);
		}
		if (mp_u && (af = bgp_af_from(ur->afi, ur->safi)) >= 0) {
			sbuf_printf(out,
			    "%s\"%s %s\": ", u->withdrawn.len > 0 ? ", " : "",
			    exa_afi_name(ur->afi), exa_safi_name(ur->safi));
			json_nlri_list(out, ur->nlri, bgp_af_addr(af),
			    ctx->addpath_rx[af]);
		}
		sbuf_puts(out, " }");
	}
	sbuf_puts(out, " } }");
	if (env->tail != NULL)
		sbuf_puts(out, env->tail);
	env_close(out);
}

void
exa_json_notification(struct sbuf *out, const struct exa_env *env,
    const struct bgp_notification *n)
{
	env_open(out, env, "notification");
	sbuf_printf(out,
	    "\"message\": { \"notification\": { \"code\": %u, "
	    "\"subcode\": %u, \"data\": \"",
	    n->code, n->subcode);
	sbuf_hex(out, n->data.p, n->data.len);
	sbuf_puts(out, "\", \"message\": ");
	{
		char msg[128];

		snprintf(msg, sizeof(msg), "%s / %s", bgp_errcode_name(n->code),
		    bgp_err_name(n->code, n->subcode));
		sbuf_json_str(out, msg);
	}
	sbuf_puts(out, " } }");
	env_close(out);
}

void
exa_json_keepalive(struct sbuf *out, const struct exa_env *env)
{
	env_open(out, env, "keepalive");
	sbuf_puts(out, "\"message\": { \"keepalive\": { } }");
	env_close(out);
}

void
exa_json_open(
    struct sbuf *out, const struct exa_env *env, const struct bgp_open *o)
{
	const struct bgp_caps *c = &o->caps;
	unsigned i;

	env_open(out, env, "open");
	sbuf_printf(out,
	    "\"message\": { \"open\": { \"version\": %u, \"asn\": %" PRIu32
	    ", \"hold_time\": %u, \"router_id\": \"%u.%u.%u.%u\", "
	    "\"capabilities\": { ",
	    o->version, bgp_open_asn(o), o->hold_time, o->bgp_id >> 24,
	    (o->bgp_id >> 16) & 255, (o->bgp_id >> 8) & 255, o->bgp_id & 255);
	for (i = 0; i < c->ncaps; i++) {
		sbuf_printf(
		    out, "%s\"%u\": \"0x", i ? ", " : "", c->caps[i].code);
		sbuf_hex(out, c->caps[i].value.p, c->caps[i].value.len);
		sbuf_puts(out, "\"");
	}
	sbuf_puts(out, " } } }");
	env_close(out);
}

static int
cmp4(const void *a, const void *b)
{
	return memcmp(a, b, 4);
}

static int
cmp8(const void *a, const void *b)
{
	return memcmp(a, b, 8);
}

static int
cmp12(const void *a, const void *b)
{
	return memcmp(a, b, 12);
}

/* Copy a list attribute's items, sorted by value as ExaBGP's text is. */
static uint8_t *
sorted_items(struct rbuf l, size_t item)
{
	uint8_t *c = malloc(l.len ? l.len : 1);

	if (c == NULL)
		return NULL;
	memcpy(c, l.p, l.len);
	qsort(c, l.len / item, item,
	    item == 4 ? cmp4 : (item == 8 ? cmp8 : cmp12));
	return c;
}

static void
community_text(const uint8_t *c, char *buf, size_t size)
{
	uint32_t v = ((uint32_t)c[0] << 24) | ((uint32_t)c[1] << 16) |
	    ((uint32_t)c[2] << 8) | c[3];

	switch (v) {
	case BGP_COMM_NO_EXPORT:
		snprintf(buf, size, "no-export");
		return;
	case BGP_COMM_NO_ADVERTISE:
		snprintf(buf, size, "no-advertise");
		return;
	case BGP_COMM_NO_EXPORT_SUBCONFED:
		snprintf(buf, size, "no-export-subconfed");
		return;
	case BGP_COMM_NO_PEER:
		snprintf(buf, size, "no-peer");
		return;
	case BGP_COMM_BLACKHOLE:
		snprintf(buf, size, "blackhole");
		return;
	}
	snprintf(buf, size, "%u:%u", v >> 16, v & 0xffff);
}

/* " name value" or " name [ v1 v2 ]", values sorted, as ExaBGP's text. */
static void
text_list(struct sbuf *out, const char *name, struct rbuf l, size_t item)
{
	uint8_t *c = sorted_items(l, item);
	struct rbuf r;
	char buf[64];
	size_t n = l.len / item, i;

	if (c == NULL)
		return;
	r = rbuf_make(c, l.len);
	sbuf_printf(out, " %s %s", name, n > 1 ? "[ " : "");
	for (i = 0; i < l.len; i += item) {
		if (item == 4)
			community_text(c + i, buf, sizeof(buf));
		else if (item == 8)
			extcomm_text(c + i, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf),
			    "%" PRIu32 ":%" PRIu32 ":%" PRIu32,
			    rbuf_peek32(&r, i), rbuf_peek32(&r, i + 4),
			    rbuf_peek32(&r, i + 8));
		sbuf_printf(out, "%s%s", i ? " " : "", buf);
	}
	if (n > 1)
		sbuf_puts(out, " ]");
	free(c);
}

/*
 * One bracket group of ExaBGP's as-path text: the sequence, then the set
 * in parentheses: "[ 1 2 ( 3 4 ) ]", "[ 1 ]", "[ ]", and, ExaBGP's own
 * spacing for a lone set, "[ ( 3 4 )]".
 */
static void
text_path_group(
    struct sbuf *out, const struct bgp_aspath *p, uint8_t seqt, uint8_t sett)
{
	struct bgp_aspath_iter it;
	struct bgp_aspath_seg seg;
	bool seq = path_has(p, seqt), set = path_has(p, sett);
	unsigned i;

	sbuf_puts(out, "[ ");
	bgp_aspath_iter_init(&it, p);
	while (bgp_aspath_iter_next(&it, &seg))
		if (seg.type == seqt)
			for (i = 0; i < seg.count; i++)
				sbuf_printf(out, "%" PRIu32 " ",
				    bgp_aspath_seg_as(&seg, i));
	if (set) {
		sbuf_puts(out, "(");
		bgp_aspath_iter_init(&it, p);
		while (bgp_aspath_iter_next(&it, &seg))
			if (seg.type == sett)
				for (i = 0; i < seg.count; i++)
					sbuf_printf(out, " %" PRIu32,
					    bgp_aspath_seg_as(&seg, i));
		sbuf_puts(out, seq ? " ) " : " )");
	}
	sbuf_puts(out, "]");
}

/* The raw flags ExaBGP shows for an attribute it passes on unknown. */
static bool
unknown_shown(const struct bgp_attr_raw *a, uint8_t *flags)
{
	/* optional non-transitive ones are dropped, others marked partial */
	if ((a->flags & (BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE)) ==
	    BGP_ATTR_OPTIONAL)
		return false;
	*flags = a->flags | BGP_ATTR_PARTIAL;
	return true;
}

void
exa_text_attrs(
    struct sbuf *out, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	uint8_t store[BGP_EXT_MAX_LEN], flags;
	struct bgp_aspath path;
	char buf[64];
	size_t i, k;
	unsigned t;

	(void)ctx;
	for (t = 1; t < 256; t++) {
		if (!bgp_pattrs_has(pa, (uint8_t)t))
			continue;
		switch (t) {
		case BGP_ATTR_ORIGIN:
			sbuf_printf(out, " origin %s", origin_name(pa->origin));
			break;
		case BGP_ATTR_AS_PATH:
			if (!print_path(pa, store, sizeof(store), &path))
				break;
			sbuf_puts(out, " as-path ");
			text_path_group(
			    out, &path, BGP_AS_SEQUENCE, BGP_AS_SET);
			if (path_has(&path, BGP_AS_CONFED_SEQUENCE) ||
			    path_has(&path, BGP_AS_CONFED_SET))
				text_path_group(out, &path,
				    BGP_AS_CONFED_SEQUENCE, BGP_AS_CONFED_SET);
			break;
		case BGP_ATTR_MED:
			sbuf_printf(out, " med %" PRIu32, pa->med);
			break;
		case BGP_ATTR_LOCAL_PREF:
			sbuf_printf(
			    out, " local-preference %" PRIu32, pa->localpref);
			break;
		case BGP_ATTR_ATOMIC_AGGR:
			sbuf_puts(out, " atomic-aggregate");
			break;
		case BGP_ATTR_AGGREGATOR: {
			uint32_t as = pa->aggr_as, id = pa->aggr_id;

			if (as == BGP_AS_TRANS &&
			    bgp_pattrs_has(pa, BGP_ATTR_AS4_AGGREGATOR)) {
				as = pa->as4aggr_as;
				id = pa->as4aggr_id;
			}
			sbuf_printf(out,
			    " aggregator ( %" PRIu32 ":%u.%u.%u.%u )", as,
			    id >> 24, (id >> 16) & 255, (id >> 8) & 255,
			    id & 255);
			break;
		}
		case BGP_ATTR_COMMUNITIES:
			text_list(out, "community", pa->communities, 4);
			break;
		case BGP_ATTR_ORIGINATOR_ID:
			sbuf_printf(out, " originator-id %u.%u.%u.%u",
			    pa->originator_id >> 24,
			    (pa->originator_id >> 16) & 255,
			    (pa->originator_id >> 8) & 255,
			    pa->originator_id & 255);
			break;
		case BGP_ATTR_CLUSTER_LIST:
			sbuf_puts(out, " cluster-list [");
			for (i = 0; i + 4 <= pa->cluster_list.len; i += 4) {
				ipv4_print(
				    pa->cluster_list.p + i, buf, sizeof(buf));
				sbuf_printf(out, " %s", buf);
			}
			sbuf_puts(out, " ]");
			break;
		case BGP_ATTR_EXT_COMMUNITIES:
			text_list(
			    out, "extended-community", pa->ext_communities, 8);
			break;
		case BGP_ATTR_LARGE_COMMUNITY:
			text_list(
			    out, "large-community", pa->large_communities, 12);
			break;
		case BGP_ATTR_NEXT_HOP:
		case BGP_ATTR_MP_REACH:
		case BGP_ATTR_MP_UNREACH:
		case BGP_ATTR_AS4_PATH:
		case BGP_ATTR_AS4_AGGREGATOR:
			break;
		default:
			for (k = 0; k < pa->nlist; k++) {
				const struct bgp_attr_raw *a = &pa->list[k];

				if (a->type != t || !unknown_shown(a, &flags))
					continue;
				sbuf_printf(out,
				    " attribute [ 0x%02X 0x%02X 0x", a->type,
				    flags);
				sbuf_hex(out, a->value.p, a->value.len);
				sbuf_puts(out, " ]");
			}
			break;
		}
	}
}

/*
 * One line per prefix.  Announcements carry the next hop and the
 * attributes; withdrawals the attributes the UPDATE also held (nh NULL,
 * attrs true), as ExaBGP prints them.
 */
static void
text_routes(struct sbuf *out, struct rbuf field, uint8_t af, bool addpath,
    const char *action, char nh[][ADDR_STRLEN], int nnh, bool attrs,
    const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	struct bgp_nlri n;
	struct bgp_err e;
	char buf[PREFIX_STRLEN];
	int k;

	while (bgp_nlri_next(&field, af, addpath, &n, &e)) {
		/* one line per next hop (two for a global + link-local pair) */
		for (k = 0; k < (nnh > 0 ? nnh : 1); k++) {
			sbuf_printf(out, "%s %s", action,
			    prefix_print(&n.pfx, buf, sizeof(buf)));
			if (addpath)
				sbuf_printf(out,
				    " path-information %u.%u.%u.%u",
				    n.path_id >> 24, (n.path_id >> 16) & 255,
				    (n.path_id >> 8) & 255, n.path_id & 255);
			if (nnh > 0)
				sbuf_printf(out, " next-hop %s", nh[k]);
			if (attrs)
				exa_text_attrs(out, pa, ctx);
			sbuf_putc(out, '\n');
		}
	}
}

/* The next hops of an MP_REACH as ExaBGP lists them: global, link-local. */
static int
mp_nexthops(const struct bgp_mp_reach *r, char nh[2][ADDR_STRLEN])
{
	struct ipaddr a;

	mp_nexthop_print(r, nh[0], ADDR_STRLEN);
	if (r->nh_len != 32)
		return 1;
	memset(&a, 0, sizeof(a));
	a.af = ADDR_V6;
	memcpy(a.a, r->nh + 16, 16);
	addr_print(&a, nh[1], ADDR_STRLEN);
	return 2;
}

void
exa_text_update(struct sbuf *out, const struct bgp_update *u,
    const struct bgp_pattrs *pa, const struct bgp_ctx *ctx)
{
	const struct bgp_mp_reach *r = &pa->mp_reach;
	const struct bgp_mp_unreach *ur = &pa->mp_unreach;
	char nh[2][ADDR_STRLEN];
	bool attrs = u->attrs.len > 0;
	uint16_t afi;
	uint8_t safi;
	int af, n;

	if (bgp_update_is_eor(u, pa, &afi, &safi)) {
		sbuf_printf(out, "None eor %u/%u (%s %s)\n", afi, safi,
		    exa_afi_name(afi), exa_safi_name(safi));
		return;
	}
	text_routes(out, u->withdrawn, ADDR_V4, ctx->addpath_rx[BGP_AF_IPV4],
	    "2", nh, 0, attrs, pa, ctx);
	if (bgp_pattrs_has(pa, BGP_ATTR_MP_UNREACH) &&
	    (af = bgp_af_from(ur->afi, ur->safi)) >= 0)
		text_routes(out, ur->nlri, bgp_af_addr(af), ctx->addpath_rx[af],
		    "2", nh, 0, attrs, pa, ctx);
	ipv4_print(pa->nexthop, nh[0], sizeof(nh[0]));
	text_routes(out, u->nlri, ADDR_V4, ctx->addpath_rx[BGP_AF_IPV4], "1",
	    nh, 1, true, pa, ctx);
	if (bgp_pattrs_has(pa, BGP_ATTR_MP_REACH) &&
	    (af = bgp_af_from(r->afi, r->safi)) >= 0) {
		n = mp_nexthops(r, nh);
		text_routes(out, r->nlri, bgp_af_addr(af), ctx->addpath_rx[af],
		    "1", nh, n, true, pa, ctx);
	}
}

/* ---- what ExaBGP's API prints of OPENs and NOTIFICATIONs ---- */

/* ExaBGP 4.2.21's names (bgp/message/notification.py), its spelling */
const char *
exa_notify_code(uint8_t code)
{
	static const char *names[] = { NULL, "Message header error",
		"OPEN message error", "UPDATE message error",
		"Hold timer expired", "State machine error", "Cease" };

	return code < 7 && names[code] != NULL ? names[code] : "unknown error";
}

const char *
exa_notify_subcode(uint8_t code, uint8_t subcode)
{
	static const char *hdr[] = { "Unspecific",
		"Connection Not Synchronized", "Bad Message Length",
		"Bad Message Type" };
	static const char *open[] = { "Unspecific",
		"Unsupported Version Number", "Bad Peer AS",
		"Bad BGP Identifier", "Unsupported Optional Parameter",
		"Authentication Notification (Deprecated)",
		"Unacceptable Hold Time", "Unsupported Capability",
		"Grouping Conflict", "Grouping Required",
		"Capability Value Mismatch" };
	static const char *upd[] = { "Unspecific", "Malformed Attribute List",
		"Unrecognized Well-known Attribute",
		"Missing Well-known Attribute", "Attribute Flags Error",
		"Attribute Length Error", "Invalid ORIGIN Attribute",
		"AS Routing Loop", "Invalid NEXT_HOP Attribute",
		"Optional Attribute Error", "Invalid Network Field",
		"Malformed AS_PATH" };
	static const char *fsm[] = { "Unspecific",
		"Receive Unexpected Message in OpenSent State",
		"Receive Unexpected Message in OpenConfirm State",
		"Receive Unexpected Message in Established State" };
	static const char *cease[] = { "Unspecific",
		"Maximum Number of Prefixes Reached", "Administrative Shutdown",
		"Peer De-configured", "Administrative Reset",
		"Connection Rejected", "Other Configuration Change",
		"Connection Collision Resolution", "Out of Resources" };
	static const char *rr[] = { NULL, "Invalid Message Length",
		"Malformed Message Subtype" };
	const char *n = NULL;

#define PICK(t)                                 \
	if (subcode < sizeof(t) / sizeof(t[0])) \
		n = t[subcode];
	switch (code) {
	case 1:
		PICK(hdr);
		break;
	case 2:
		PICK(open);
		break;
	case 3:
		PICK(upd);
		break;
	case 4:
	case 5:
		PICK(fsm);
		if (code == 4 && subcode != 0)
			n = NULL;
		break;
	case 6:
		PICK(cease);
		break;
	case 7:
		PICK(rr);
		break;
	}
#undef PICK
	return n != NULL ? n : "unknow reason"; /* sic */
}

static void
hex0x(struct sbuf *out, const uint8_t *p, size_t n)
{
	sbuf_puts(out, "0x");
	sbuf_hex(out, p, n);
}

void
exa_notify_data(
    struct sbuf *out, uint8_t code, uint8_t subcode, struct rbuf data)
{
	size_t n, i;

	if (code != 6 || (subcode != 2 && subcode != 4) || data.len == 0) {
		sbuf_putn(out, (const char *)data.p, data.len);
		return;
	}
	n = data.p[0];
	if (n == 0) {
		sbuf_puts(out, "empty Shutdown Communication.");
		return;
	}
	if (data.len - 1 < n || n > 128 || !utf8_valid(data.p + 1, n)) {
		sbuf_printf(out,
		    "invalid Shutdown Communication (%s) length : %zu [",
		    data.len - 1 < n ? "buffer underrun"
		        : n > 128    ? "too large"
		                     : "invalid UTF-8",
		    n);
		hex0x(out, data.p + 1, data.len - 1);
		sbuf_puts(out, "]");
		return;
	}
	sbuf_puts(out, "Shutdown Communication: \"");
	for (i = 0; i < n; i++) {
		uint8_t ch = data.p[1 + i];

		sbuf_putn(out, ch == '\r' || ch == '\n' ? " " : (char *)&ch, 1);
	}
	sbuf_puts(out, "\"");
	if (data.len - 1 > n) {
		sbuf_puts(out, ", trailing data: ");
		hex0x(out, data.p + 1 + n, data.len - 1 - n);
	}
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static const char *
cap_iana(uint8_t code)
{
	return code >= 128 ? "reserved" : code >= 70 ? "unassigned" : "unknown";
}

static bool
cap_known(uint8_t code)
{
	switch (code) {
	case 1:
	case 2:
	case 5:
	case 6:
	case 64:
	case 65:
	case 68:
	case 69:
	case 70:
	case 128:
	case 131:
	case 185:
		return true;
	}
	return false;
}

/* The last value of code (ExaBGP keeps the last of most). */
static const struct rbuf *
cap_last(const struct bgp_caps *c, uint8_t code)
{
	static const struct rbuf none;
	const struct rbuf *v = &none;
	unsigned i;

	for (i = 0; i < c->ncaps; i++)
		if (c->caps[i].code == code)
			v = &c->caps[i].value;
	return v;
}

static const char *
addpath_name(uint8_t v)
{
	static const char *names[] = { "disabled", "receive", "send",
		"send/receive" };

	return v < 4 ? names[v] : "disabled";
}

/* One family of a capability: AFI, SAFI and the add-path mode or NH AFI */
struct cap_fam {
	uint16_t afi, extra;
	uint8_t safi;
};

/*
 * The families of code's values as ExaBGP 4.2.21 gathers them
 * (bgp/message/open/capability/): multiprotocol one a value (the first
 * four octets), every one even twice; add-path a dict (the first place,
 * the last mode); nexthop a list without repeats.  Returns how many.
 */
static size_t
cap_fams(const struct bgp_caps *c, uint8_t code, struct cap_fam *f, size_t max)
{
	size_t n = 0, off, k, step = code == 5 ? 6 : 4;
	unsigned i;

	for (i = 0; i < c->ncaps; i++) {
		const struct rbuf *v = &c->caps[i].value;

		if (c->caps[i].code != code)
			continue;
		for (off = 0; off + step <= v->len && n < max; off += step) {
			struct cap_fam x;

			x.afi = (uint16_t)(v->p[off] << 8 | v->p[off + 1]);
			x.safi = v->p[off + (code == 69 ? 2 : 3)];
			x.extra = code == 69 ? v->p[off + 3]
			    : code == 5
			    ? (uint16_t)(v->p[off + 4] << 8 | v->p[off + 5])
			    : 0;
			for (k = 0; code != 1 && k < n; k++)
				if (f[k].afi == x.afi && f[k].safi == x.safi &&
				    (code == 69 || f[k].extra == x.extra))
					break;
			if (code != 1 && k < n)
				f[k].extra =
				    x.extra; /* add-path: the last mode */
			else
				f[n++] = x;
			if (code == 1)
				break;
		}
	}
	return n;
}

/*
 * code's families: json `"AFI/SAFI"` (nexthop `"AFI/SAFI/NHAFI"`,
 * add-path `"AFI/SAFI": "MODE"`), each after a space for lists; text
 * `AFI SAFI` (nexthop `AFI SAFI NHAFI`, add-path `MODE AFI SAFI`); ","
 * between them.
 */
static void
cap_families(
    struct sbuf *out, const struct bgp_caps *c, uint8_t code, bool json)
{
	struct cap_fam f[BGP_CAPS_MAX * 8];
	size_t n = cap_fams(c, code, f, sizeof(f) / sizeof(f[0])), k;
	const char *sep = json ? "/" : " ";

	for (k = 0; k < n; k++) {
		sbuf_puts(out, k ? "," : "");
		if (json)
			sbuf_puts(out, code == 69 ? "\"" : " \"");
		else if (code == 69)
			sbuf_printf(
			    out, "%s ", addpath_name((uint8_t)f[k].extra));
		sbuf_printf(out, "%s%s%s", exa_afi_name(f[k].afi), sep,
		    exa_safi_name(f[k].safi));
		if (code == 5)
			sbuf_printf(out, "%s%s", sep, exa_afi_name(f[k].extra));
		if (json)
			sbuf_puts(out, "\"");
		if (code == 69 && json)
			sbuf_printf(
			    out, ": \"%s\"", addpath_name((uint8_t)f[k].extra));
	}
}

static void
cap_gr(struct sbuf *out, const struct rbuf *v, bool json)
{
	unsigned flags = 0, secs = 0;
	size_t off, k = 0;

	if (v->len >= 2) {
		flags = v->p[0] >> 4;
		secs = (unsigned)((v->p[0] << 8 | v->p[1]) & 0xfff);
	}
	if (!json) {
		sbuf_printf(
		    out, "graceful restart flags 0x%x time %u ", flags, secs);
		for (off = 2; off + 4 <= v->len; off += 4)
			sbuf_printf(out, "%s%s/%s=0x%x", k++ ? " " : "",
			    exa_afi_name(
			        (uint16_t)(v->p[off] << 8 | v->p[off + 1])),
			    exa_safi_name(v->p[off + 2]), v->p[off + 3]);
		return;
	}
	sbuf_printf(out,
	    "{ \"name\": \"graceful restart\", \"time\": %u, "
	    "\"address-family-flags\": { ",
	    secs);
	for (off = 2; off + 4 <= v->len; off += 4)
		sbuf_printf(out, "%s\"%s/%s\": [%s ] ", k++ ? ", " : "",
		    exa_afi_name((uint16_t)(v->p[off] << 8 | v->p[off + 1])),
		    exa_safi_name(v->p[off + 2]),
		    v->p[off + 3] & 0x80 ? " \"restart\"" : "");
	sbuf_printf(out, "}, \"restart-flags\": [%s] }",
	    flags & 0x8 ? " \"forwarding\" " : " ");
}

static void
cap_json(struct sbuf *out, const struct bgp_caps *c, uint8_t code)
{
	const struct rbuf *v = cap_last(c, code);

	switch (cap_known(code) ? code : 0) {
	case 1:
		sbuf_puts(
		    out, "{ \"name\": \"multiprotocol\", \"families\": [");
		cap_families(out, c, 1, true);
		sbuf_puts(out, " ] }");
		return;
	case 2:
	case 128:
		sbuf_printf(out,
		    "{ \"name\": \"route-refresh\", \"variant\": \"%s\" }",
		    code == 2 ? "RFC" : "Cisco");
		return;
	case 5:
		sbuf_puts(out, "{ \"name\": \"nexthop\", \"conversion\": [");
		cap_families(out, c, 5, true);
		sbuf_puts(out, " ] }");
		return;
	case 6:
		sbuf_puts(
		    out, "{ \"name\": \"extended-message\", \"size\": 65535 }");
		return;
	case 64:
		cap_gr(out, v, true);
		return;
	case 65:
		sbuf_printf(out,
		    "{ \"name\": \"asn4\", \"asn4\": %" PRIu32 " }",
		    v->len >= 4 ? be32(v->p) : 0);
		return;
	case 68:
	case 131:
		/* 4.2.21 prints both codes as Cisco's */
		sbuf_puts(out,
		    "{ \"name\": \"multisession\", \"variant\": \"Cisco\", "
		    "\"capabilities\": [ ] }");
		return;
	case 69:
		sbuf_puts(out, "{ \"name\": \"addpath\"");
		{
			struct sbuf f;

			sbuf_init(&f);
			cap_families(&f, c, 69, true);
			if (f.len > 0) {
				sbuf_puts(out, ", ");
				sbuf_puts(out, f.s);
			}
			sbuf_fini(&f);
		}
		sbuf_puts(out, " }");
		return;
	case 70:
		sbuf_puts(out, "{ \"name\": \"enhanced-route-refresh\" }");
		return;
	case 185:
		sbuf_puts(out, "{ \"name\": \"operational\" }");
		return;
	}
	sbuf_printf(out,
	    "{ \"name\": \"unknown\", \"iana\": \"%s\", \"value\": %u, "
	    "\"raw\": \"",
	    cap_iana(code), code);
	sbuf_hex(out, v->p, v->len);
	sbuf_puts(out, "\" }");
}

static void
cap_text(struct sbuf *out, const struct bgp_caps *c, uint8_t code)
{
	const struct rbuf *v = cap_last(c, code);

	switch (cap_known(code) ? code : 0) {
	case 1:
		sbuf_puts(out, "multiprotocol(");
		cap_families(out, c, 1, false);
		sbuf_puts(out, ")");
		return;
	case 2:
		sbuf_puts(out, "route refresh");
		return;
	case 128:
		sbuf_puts(out, "cisco route refresh");
		return;
	case 5:
		sbuf_puts(out, "nexthop(");
		cap_families(out, c, 5, false);
		sbuf_puts(out, ")");
		return;
	case 6:
		sbuf_puts(out, "extended message(65535)");
		return;
	case 64:
		cap_gr(out, v, false);
		return;
	case 65:
		sbuf_printf(
		    out, "asn4(%" PRIu32 ")", v->len >= 4 ? be32(v->p) : 0);
		return;
	case 68:
	case 131:
		sbuf_puts(out, "multisession ");
		return;
	case 69:
		sbuf_puts(out, "addpath(");
		cap_families(out, c, 69, false);
		sbuf_puts(out, ")");
		return;
	case 70:
		sbuf_puts(out, "enhanced route refresh");
		return;
	case 185:
		sbuf_puts(out, "operational");
		return;
	}
	sbuf_printf(out, "%s %u", cap_iana(code), code);
}

/* str() of ExaBGP's capability code: the key of a sent OPEN's JSON */
static const char *
cap_key(unsigned code, char *buf, size_t size)
{
	switch (code) {
	case 0:
		return "reserved";
	case 1:
		return "multiprotocol";
	case 2:
		return "route-refresh";
	case 3:
		return "outbound-route-filtering";
	case 4:
		return "multiple-routes";
	case 5:
		return "nexthop";
	case 6:
		return "extended-message";
	case 64:
		return "graceful-restart";
	case 65:
		return "asn4";
	case 67:
		return "dynamic-capability";
	case 68:
		return "multi-session";
	case 69:
		return "add-path";
	case 70:
		return "enhanced-route-refresh";
	case 128:
		return "cisco-route-refresh";
	case 131:
		return "cisco-multi-sesion"; /* sic */
	case 184:
		return "exabgp-experimental-hostname";
	case 185:
		return "exabgp-experimental-operational";
	}
	snprintf(buf, size, "%s-0x%x",
	    code >= 128      ? "reserved"
	        : code >= 70 ? "unassigned"
	                     : "capability",
	    code);
	return buf;
}

/* Each code once: in the order first seen (json) or by value (text). */
static void
caps_print(struct sbuf *out, const struct bgp_caps *c, bool json, bool by_name)
{
	bool seen[256] = { false };
	unsigned i, k = 0, code;
	char key[32];

	if (json) {
		for (i = 0; i < c->ncaps; i++) {
			code = c->caps[i].code;
			if (seen[code])
				continue;
			seen[code] = true;
			sbuf_puts(out, k++ ? ", " : "");
			if (by_name)
				sbuf_printf(out, "\"%s\": ",
				    cap_key(code, key, sizeof(key)));
			else
				sbuf_printf(out, "\"%u\": ", code);
			cap_json(out, c, (uint8_t)code);
		}
		return;
	}
	for (i = 0; i < c->ncaps; i++)
		seen[c->caps[i].code] = true;
	for (code = 0; code < 256; code++)
		if (seen[code]) {
			sbuf_puts(out, k++ ? ", " : "");
			cap_text(out, c, (uint8_t)code);
		}
}

void
exa_caps_json(struct sbuf *out, const struct bgp_caps *c, bool by_name)
{
	caps_print(out, c, true, by_name);
}

void
exa_caps_text(struct sbuf *out, const struct bgp_caps *c)
{
	caps_print(out, c, false, false);
}
