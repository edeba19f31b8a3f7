/* SPDX-License-Identifier: ISC */
/* speaker/route.c - ExaBGP routes: parse their attributes, encode them as ExaBGP does. */

#include "speaker/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/update.h"
#include "lib/num.h"
#include "lib/wbuf.h"

#define AS_TRANS   23456
#define LIST_MAX   1024 /* values in one [ ] list */
#define ATTR_AIGP  26
#define EXTC_SIZE  8
#define LARGE_SIZE 12

/* A cursor over the words of a statement. */
struct cursor {
	struct spk_route_ctx *ctx;
	const struct spk_words *ws;
	int i;
};

static bool attr_one(struct cursor *c, struct spk_route *r);

static const char *const route_keywords =
    "next-hop, path-information, origin, as-path, med, local-preference, "
    "atomic-aggregate, aggregator, community, large-community, "
    "extended-community, originator-id, cluster-list, aigp, attribute, "
    "name, split, watchdog, withdraw";

/* Record an error at word i of ws (the last word when i is past the end). */
static bool
werr(struct cursor *c, int i, const char *fmt, ...)
{
	const struct spk_words *ws = c->ws;
	va_list ap;

	if (i >= ws->n)
		i = ws->n - 1;
	if (ws->file != NULL && ws->line != NULL && i >= 0)
		sbuf_printf(c->ctx->errors, "%s:%d:%d: ", ws->file, ws->line[i],
		    ws->col[i]);
	va_start(ap, fmt);
	sbuf_vprintf(c->ctx->errors, fmt, ap);
	va_end(ap);
	sbuf_putc(c->ctx->errors, '\n');
	(*c->ctx->nerrors)++;
	return false;
}

/* The next word, or NULL (and an error naming what) at the end. */
static const char *
next_word(struct cursor *c, const char *what)
{
	if (c->i >= c->ws->n) {
		werr(c, c->i, "%s needs a value", what);
		return NULL;
	}
	return c->ws->w[c->i++];
}

static bool
parse_hex(const char *s, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (s == NULL || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') ||
	    s[2] == '\0')
		return false;
	errno = 0;
	x = strtoull(s + 2, &end, 16);
	if (errno != 0 || *end != '\0' || x > max)
		return false;
	*v = x;
	return true;
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* "0x" then len bytes in hex into out; false if not exactly that. */
static bool
parse_hexbytes(const char *s, uint8_t *out, size_t len)
{
	size_t i;
	int hi, lo;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') ||
	    strlen(s + 2) != 2 * len)
		return false;
	for (i = 0; i < len; i++) {
		if ((hi = hexval(s[2 + 2 * i])) < 0 ||
		    (lo = hexval(s[3 + 2 * i])) < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static bool
parse_ipv4(const char *s, uint8_t out[4])
{
	struct ipaddr a;

	if (!addr_parse_af(s, ADDR_V4, &a))
		return false;
	memcpy(out, a.a, 4);
	return true;
}

/* First setting of a type wins, as ExaBGP's Attributes.add(). */
static bool
claim(struct spk_route *r, uint8_t code)
{
	if (spk_route_has(r, code))
		return false;
	r->has[code >> 6] |= 1ull << (code & 63);
	return true;
}

/*
 * Read a value or a [ list ] of values, calling one() on each; ',' words
 * are skipped when commas is set.  Returns the count, or -1 on error.
 */
static int
read_list(struct cursor *c, const char *what, bool commas,
    bool (*one)(struct cursor *, int, void *, int), void *out)
{
	const char *w;
	int n = 0, at;

	if ((w = next_word(c, what)) == NULL)
		return -1;
	if (strcmp(w, "[") != 0)
		return one(c, c->i - 1, out, 0) ? 1 : -1;
	for (;;) {
		at = c->i;
		if (at >= c->ws->n) {
			werr(c, at, "%s: missing ']'", what);
			return -1;
		}
		w = c->ws->w[c->i++];
		if (strcmp(w, "]") == 0)
			return n;
		if (commas && strcmp(w, ",") == 0)
			continue;
		if (n >= LIST_MAX) {
			werr(c, at, "%s: more than %d values", what, LIST_MAX);
			return -1;
		}
		if (!one(c, at, out, n))
			return -1;
		n++;
	}
}

/* RFC 1997 community: ASN:VALUE, a number, 0xHEX or a well-known name. */
static bool
community_one(struct cursor *c, int at, void *out, int n)
{
	static const struct {
		const char *name;
		uint32_t value;
	} names[] = {
		{ "no-export", BGP_COMM_NO_EXPORT },
		{ "no-advertise", BGP_COMM_NO_ADVERTISE },
		{ "no-export-subconfed", BGP_COMM_NO_EXPORT_SUBCONFED },
		{ "nopeer", BGP_COMM_NO_PEER },
		{ "no-peer", BGP_COMM_NO_PEER },
		{ "blackhole", BGP_COMM_BLACKHOLE },
	};
	const char *w = c->ws->w[at], *colon;
	uint32_t *vals = out;
	uint64_t hi, lo;
	char left[32];
	size_t i;

	if ((colon = strchr(w, ':')) != NULL && colon > w &&
	    (size_t)(colon - w) < sizeof(left)) {
		memcpy(left, w, (size_t)(colon - w));
		left[colon - w] = '\0';
		if (!num_parse_u64(left, 0xffff, &hi) ||
		    !num_parse_u64(colon + 1, 0xffff, &lo))
			return werr(c, at,
			    "invalid community %s (ASN:VALUE, each 0-65535)",
			    w);
		vals[n] = (uint32_t)(hi << 16 | lo);
		return true;
	}
	if (parse_hex(w, 0xffffffffu, &lo) ||
	    num_parse_u64(w, 0xffffffffu, &lo)) {
		vals[n] = (uint32_t)lo;
		return true;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(w, names[i].name) == 0) {
			vals[n] = names[i].value;
			return true;
		}
	return werr(c, at,
	    "invalid community %s (ASN:VALUE, 0-4294967295, no-export, "
	    "no-advertise, no-export-subconfed, nopeer or blackhole)",
	    w);
}

/* RFC 8092 large community: GLOBAL:LOCAL1:LOCAL2 or a 96-bit number. */
static bool
large_one(struct cursor *c, int at, void *out, int n)
{
	const char *w = c->ws->w[at];
	uint32_t(*vals)[3] = out;
	uint64_t v[3];
	char buf[64], *p, *q;
	int k;

	if (strlen(w) >= sizeof(buf))
		goto bad;
	strcpy(buf, w);
	p = buf;
	for (k = 0; k < 3; k++) {
		q = strchr(p, ':');
		if ((q == NULL) != (k == 2))
			goto bad;
		if (q != NULL)
			*q = '\0';
		if (!num_parse_u64(p, 0xffffffffu, &v[k]))
			goto bad;
		if (q != NULL)
			p = q + 1;
	}
	for (k = 0; k < 3; k++)
		vals[n][k] = (uint32_t)v[k];
	return true;
bad:
	return werr(c, at,
	    "invalid large-community %s (GLOBAL:LOCAL1:LOCAL2, each "
	    "0-4294967295)",
	    w);
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * RFC 4360 extended community, as ExaBGP's _extended_community(): 0xHEX
 * (8 bytes), [target:|origin:]GA:LA, target4:/origin4:, redirect:,
 * l2info:, bandwidth:, redirect-to-nexthop.  Without a keyword two fields
 * mean target.  GA:LA forms: ASN:IPV4 is written as type 0x00 with the
 * address as a 4-byte number (ExaBGP's "ASN first, IP second": 72:0.0.0.1
 * is target AS 72 value 1), IPV4:N as type 0x01, ASN:N as type 0x00, or
 * 0x02 (4-octet AS) when ASN ends in L or exceeds 65535.
 */
static bool
extcomm_one(struct cursor *c, int at, void *out, int n)
{
	static const struct {
		const char *name;
		uint8_t type, sub;
		int fields;
	} kinds[] = {
		{ "target", 0x00, 0x02, 2 },
		{ "target4", 0x02, 0x02, 2 },
		{ "origin", 0x00, 0x03, 2 },
		{ "origin4", 0x02, 0x03, 2 },
		{ "redirect", 0x80, 0x08, 2 },
		{ "l2info", 0x80, 0x0A, 4 },
		{ "bandwidth", 0x40, 0x04, 2 },
	};
	const char *w = c->ws->w[at];
	uint8_t *e = ((uint8_t(*)[8])out)[n];
	char buf[96], *f[5], *p, *dot;
	uint64_t ga, la, v[4];
	bool ga_l, la_l, kind_given;
	int nf = 0, k, kind = -1;
	uint8_t ip[4];
	float bw;
	uint32_t bits;

	memset(e, 0, 8);
	if (w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) {
		if (!parse_hexbytes(w, e, 8))
			return werr(c, at,
			    "invalid extended-community %s (0x and 16 hex "
			    "digits)",
			    w);
		return true;
	}
	if (strcmp(w, "redirect-to-nexthop") == 0) {
		e[0] = 0x08;
		return true;
	}
	if (strlen(w) >= sizeof(buf) || strchr(w, ':') == NULL)
		goto bad;
	strcpy(buf, w);
	for (p = buf; nf < 5;) {
		f[nf++] = p;
		if ((p = strchr(p, ':')) == NULL)
			break;
		*p++ = '\0';
	}
	if (p != NULL)
		goto bad;
	kind_given = nf != 2;
	for (k = 0; k < (int)(sizeof(kinds) / sizeof(kinds[0])); k++)
		if (strcmp(kind_given ? f[0] : "target", kinds[k].name) == 0)
			kind = k;
	if (kind < 0)
		return werr(c, at,
		    "invalid extended-community %s (target, target4, origin, "
		    "origin4, redirect, l2info, bandwidth or "
		    "redirect-to-nexthop)",
		    w);
	if (kind_given) {
		memmove(f, f + 1, sizeof(f[0]) * (size_t)(nf - 1));
		nf--;
	}
	if (nf != kinds[kind].fields)
		return werr(c, at,
		    "invalid extended-community %s (%s takes %d "
		    "fields)",
		    w, kinds[kind].name, kinds[kind].fields);
	e[0] = kinds[kind].type;
	e[1] = kinds[kind].sub;
	if (kinds[kind].fields == 4) {
		/* l2info: encaps, control, mtu, site */
		for (k = 0; k < 4; k++)
			if (!num_parse_u64(f[k], k < 2 ? 0xff : 0xffff, &v[k]))
				goto bad;
		e[2] = (uint8_t)v[0];
		e[3] = (uint8_t)v[1];
		put16(e + 4, (uint32_t)v[2]);
		put16(e + 6, (uint32_t)v[3]);
		return true;
	}
	if (kinds[kind].type == 0x00 &&
	    (strchr(f[0], '.') != NULL || strchr(f[1], '.') != NULL)) {
		if (strchr(f[0], '.') == NULL && parse_ipv4(f[1], ip) &&
		    num_parse_u64(f[0], 0xffff, &ga)) {
			put16(e + 2, (uint32_t)ga);
			memcpy(e + 4, ip, 4);
			return true;
		}
		if (strchr(f[1], '.') == NULL && parse_ipv4(f[0], ip) &&
		    num_parse_u64(f[1], 0xffff, &la)) {
			memcpy(e + 2, ip, 4);
			put16(e + 6, (uint32_t)la);
			return true;
		}
		goto bad;
	}
	ga_l = (dot = strchr(f[0], 'L')) != NULL && dot[1] == '\0';
	la_l = (dot = strchr(f[1], 'L')) != NULL && dot[1] == '\0';
	if (ga_l)
		f[0][strlen(f[0]) - 1] = '\0';
	if (la_l)
		f[1][strlen(f[1]) - 1] = '\0';
	if (!num_parse_u64(f[0], 0xffffffffu, &ga))
		goto bad;
	if (strcmp(kinds[kind].name, "bandwidth") == 0) {
		/* ASN:BYTES-PER-SECOND, an integer sent as an IEEE float */
		if (ga > 0xffff || !num_parse_u64(f[1], 0xffffffffu, &la))
			goto bad;
		bw = (float)la;
		memcpy(&bits, &bw, 4);
		put16(e + 2, (uint32_t)ga);
		put32(e + 4, bits);
		return true;
	}
	if (kinds[kind].type == 0x00 && (ga_l || ga > 0xffff)) {
		e[0] = 0x02; /* target4 / origin4 */
	}
	if (e[0] == 0x02) {
		if (!num_parse_u64(f[1], 0xffff, &la))
			goto bad;
		put32(e + 2, (uint32_t)ga);
		put16(e + 6, (uint32_t)la);
		return true;
	}
	if (ga > 0xffff || !num_parse_u64(f[1], 0xffffffffu, &la))
		goto bad;
	put16(e + 2, (uint32_t)ga);
	put32(e + 4, (uint32_t)la);
	return true;
bad:
	return werr(c, at,
	    "invalid extended-community %s (e.g. target:65000:1, "
	    "origin:1.2.3.4:5, target:120000L:1, 0x0002FDE800000001)",
	    w);
}

static bool
asn_one(struct cursor *c, int at, uint32_t *v)
{
	uint64_t x;

	if (!num_parse_u64(c->ws->w[at], 0xffffffffu, &x))
		return werr(c, at, "invalid as-path: bad ASN %s (0-4294967295)",
		    c->ws->w[at]);
	*v = (uint32_t)x;
	return true;
}

/*
 * as-path ASN | [ ASN... ( ASN... ) ASN... ]: as ExaBGP, every ASN
 * inside ( ) goes to the one AS_SET and all others to the AS_SEQUENCE.
 */
static bool
attr_aspath(struct cursor *c, struct spk_route *r, bool keep)
{
	uint32_t seq[LIST_MAX], set[LIST_MAX];
	int nseq = 0, nset = 0, at;
	bool inset = false;
	const char *w;

	if ((w = next_word(c, "as-path")) == NULL)
		return false;
	if (strcmp(w, "[") != 0) {
		if (!asn_one(c, c->i - 1, &seq[0]))
			return false;
		nseq = 1;
	} else {
		for (;;) {
			at = c->i;
			if (at >= c->ws->n)
				return werr(c, at, "as-path: missing ']'");
			w = c->ws->w[c->i++];
			if (strcmp(w, ",") == 0)
				continue;
			if (strcmp(w, "(") == 0 && !inset) {
				inset = true;
				continue;
			}
			if (strcmp(w, ")") == 0 && inset) {
				inset = false;
				continue;
			}
			if (strcmp(w, "]") == 0 && !inset)
				break;
			if (nseq >= LIST_MAX || nset >= LIST_MAX)
				return werr(c, at, "as-path: more than %d ASNs",
				    LIST_MAX);
			if (!asn_one(c, at, inset ? &set[nset] : &seq[nseq]))
				return false;
			if (inset)
				nset++;
			else
				nseq++;
		}
	}
	if (!keep)
		return true;
	r->aspath.nseq = (uint16_t)nseq;
	r->aspath.nset = (uint16_t)nset;
	r->aspath.seq =
	    arena_alloc(c->ctx->arena, sizeof(uint32_t) * (size_t)(nseq + 1));
	r->aspath.set =
	    arena_alloc(c->ctx->arena, sizeof(uint32_t) * (size_t)(nset + 1));
	memcpy(r->aspath.seq, seq, sizeof(uint32_t) * (size_t)nseq);
	memcpy(r->aspath.set, set, sizeof(uint32_t) * (size_t)nset);
	return true;
}

/* aggregator ( ASN:IPV4 ), parentheses optional */
static bool
attr_aggregator(struct cursor *c, struct spk_route *r, bool keep)
{
	const char *w, *colon;
	bool paren = false;
	char asn[16];
	uint8_t id[4];
	uint64_t as;
	int at;

	if ((w = next_word(c, "aggregator")) == NULL)
		return false;
	if (strcmp(w, "(") == 0) {
		paren = true;
		if ((w = next_word(c, "aggregator")) == NULL)
			return false;
	}
	at = c->i - 1;
	colon = strchr(w, ':');
	if (colon == NULL || (size_t)(colon - w) >= sizeof(asn))
		goto bad;
	memcpy(asn, w, (size_t)(colon - w));
	asn[colon - w] = '\0';
	if (!num_parse_u64(asn, 0xffffffffu, &as) || !parse_ipv4(colon + 1, id))
		goto bad;
	if (paren && (c->i >= c->ws->n || strcmp(c->ws->w[c->i++], ")") != 0))
		return werr(c, c->i - 1, "invalid aggregator: missing ')'");
	if (keep) {
		r->aggr_as = (uint32_t)as;
		memcpy(r->aggr_id, id, 4);
	}
	return true;
bad:
	return werr(c, at, "invalid aggregator %s (( ASN:IPV4 ))", w);
}

static bool
cluster_one(struct cursor *c, int at, void *out, int n)
{
	if (!parse_ipv4(c->ws->w[at], ((uint8_t(*)[4])out)[n]))
		return werr(c, at,
		    "invalid cluster-list entry %s (an IPv4 "
		    "address)",
		    c->ws->w[at]);
	return true;
}

/*
 * A new generic attribute of type code for r, or NULL when r already has
 * one of that type (ignored, as ExaBGP) or too many (error recorded).
 */
static struct spk_generic *
new_generic(struct cursor *c, struct spk_route *r, uint8_t code, int at)
{
	if (spk_route_has(r, code))
		return NULL;
	if (r->ngeneric >= 64) {
		werr(c, at, "too many attributes of unknown types (64)");
		return NULL;
	}
	if (r->generic == NULL)
		r->generic =
		    arena_alloc(c->ctx->arena, sizeof(*r->generic) * 64);
	claim(r, code);
	return &r->generic[r->ngeneric++];
}

/* attribute [ 0xCODE 0xFLAGS 0xVALUE ] */
static bool
attr_generic(struct cursor *c, struct spk_route *r)
{
	const char *w[5];
	uint64_t code, flags;
	struct spk_generic *g;
	size_t len;
	int i, at = c->i;

	for (i = 0; i < 5; i++)
		if ((w[i] = next_word(c, "attribute")) == NULL)
			return false;
	if (strcmp(w[0], "[") != 0 || strcmp(w[4], "]") != 0)
		return werr(c, at,
		    "invalid attribute (attribute [ 0xCODE "
		    "0xFLAGS 0xVALUE ])");
	if (!parse_hex(w[1], 0xff, &code))
		return werr(
		    c, at + 1, "invalid attribute code %s (0x00-0xFF)", w[1]);
	if (!parse_hex(w[2], 0xff, &flags))
		return werr(
		    c, at + 2, "invalid attribute flags %s (0x00-0xFF)", w[2]);
	len = strlen(w[3]);
	if (len < 2 || w[3][0] != '0' || (w[3][1] != 'x' && w[3][1] != 'X') ||
	    len % 2 != 0 || (len - 2) / 2 > 0xffff)
		return werr(c, at + 3,
		    "invalid attribute value %s (0x and pairs of hex digits)",
		    w[3]);
	if ((g = new_generic(c, r, (uint8_t)code, at)) == NULL)
		return spk_route_has(r, (uint8_t)code);
	g->code = (uint8_t)code;
	g->flags = (uint8_t)flags;
	g->len = (uint16_t)((len - 2) / 2);
	g->data = arena_alloc(c->ctx->arena, g->len + 1u);
	if (!parse_hexbytes(w[3], g->data, g->len))
		return werr(c, at + 3,
		    "invalid attribute value %s (0x and pairs of hex digits)",
		    w[3]);
	return true;
}

/* Copy n values of size sz from tmp into the arena. */
static void *
keep_list(struct spk_route_ctx *ctx, const void *tmp, int n, size_t sz)
{
	void *p = arena_alloc(ctx->arena, sz * (size_t)(n > 0 ? n : 1));

	if (n > 0)
		memcpy(p, tmp, sz * (size_t)n);
	return p;
}

static bool
attr_nexthop(struct cursor *c, struct spk_route *r)
{
	const char *w;

	if ((w = next_word(c, "next-hop")) == NULL)
		return false;
	if (strcasecmp(w, "self") == 0) {
		if (claim(r, BGP_ATTR_NEXT_HOP))
			r->nexthop_self = true;
		return true;
	}
	if (r->nexthop.af == 0 && !r->nexthop_self &&
	    !addr_parse(w, &r->nexthop))
		return werr(c, c->i - 1,
		    "invalid next-hop %s (an IPv4 or IPv6 address, or self)",
		    w);
	claim(r, BGP_ATTR_NEXT_HOP);
	return true;
}

static bool
attr_u32(struct cursor *c, const char *what, uint64_t *v)
{
	const char *w;

	if ((w = next_word(c, what)) == NULL)
		return false;
	if (!num_parse_u64(w, 0xffffffffu, v))
		return werr(
		    c, c->i - 1, "invalid %s %s (0-4294967295)", what, w);
	return true;
}

static bool
attr_lists(struct cursor *c, struct spk_route *r, const char *w)
{
	uint32_t comms[LIST_MAX], lcomms[LIST_MAX][3];
	uint8_t ecomms[LIST_MAX][8], clusters[LIST_MAX][4];
	int n, i, j, k;

	if (strcmp(w, "community") == 0) {
		if ((n = read_list(c, w, false, community_one, comms)) < 0)
			return false;
		if (claim(r, BGP_ATTR_COMMUNITIES)) {
			r->comms =
			    keep_list(c->ctx, comms, n, sizeof(comms[0]));
			r->ncomms = (uint16_t)n;
		}
		return true;
	}
	if (strcmp(w, "large-community") == 0) {
		if ((n = read_list(c, w, false, large_one, lcomms)) < 0)
			return false;
		/* ExaBGP drops repeats inside a list (conf-largecommunity) */
		for (i = 0, k = 0; i < n; i++) {
			for (j = 0; j < k; j++)
				if (memcmp(lcomms[j], lcomms[i], LARGE_SIZE) ==
				    0)
					break;
			if (j == k)
				memmove(lcomms[k++], lcomms[i], LARGE_SIZE);
		}
		if (claim(r, BGP_ATTR_LARGE_COMMUNITY)) {
			r->lcomms = keep_list(c->ctx, lcomms, k, LARGE_SIZE);
			r->nlcomms = (uint16_t)k;
		}
		return true;
	}
	if (strcmp(w, "extended-community") == 0) {
		if ((n = read_list(c, w, false, extcomm_one, ecomms)) < 0)
			return false;
		if (claim(r, BGP_ATTR_EXT_COMMUNITIES)) {
			r->ecomms = keep_list(c->ctx, ecomms, n, EXTC_SIZE);
			r->necomms = (uint16_t)n;
		}
		return true;
	}
	/* cluster-list */
	if ((n = read_list(c, w, false, cluster_one, clusters)) < 0)
		return false;
	if (n == 0)
		return werr(c, c->i - 1, "cluster-list: no cluster id");
	if (claim(r, BGP_ATTR_CLUSTER_LIST)) {
		r->clusters = keep_list(c->ctx, clusters, n, 4);
		r->nclusters = (uint16_t)n;
	}
	return true;
}

static bool
attr_internal(struct cursor *c, struct spk_route *r, const char *w)
{
	const char *v;
	uint64_t x;

	if (strcmp(w, "withdraw") == 0) {
		r->withdrawn = true;
		return true;
	}
	if ((v = next_word(c, w)) == NULL)
		return false;
	if (strcmp(w, "name") == 0) {
		if (r->name == NULL)
			r->name = v;
		return true;
	}
	if (strcmp(w, "watchdog") == 0) {
		if (strcasecmp(v, "announce") == 0 ||
		    strcasecmp(v, "withdraw") == 0)
			return werr(c, c->i - 1, "invalid watchdog name %s", v);
		if (r->watchdog == NULL)
			r->watchdog = v;
		return true;
	}
	/* split /N */
	if (v[0] != '/' || !num_parse_u64(v + 1, 128, &x) ||
	    (int)x > addr_maxlen(r->pfx.af))
		return werr(c, c->i - 1, "invalid split %s (/%d-/%d)", v,
		    r->pfx.len, addr_maxlen(r->pfx.af));
	if (r->split == 0)
		r->split = (uint8_t)x;
	return true;
}

static bool
attr_path_info(struct cursor *c, struct spk_route *r)
{
	const char *w;
	uint8_t ip[4];
	uint64_t x;

	if ((w = next_word(c, "path-information")) == NULL)
		return false;
	if (num_parse_u64(w, 0xffffffffu, &x))
		r->path_id = (uint32_t)x;
	else if (parse_ipv4(w, ip))
		r->path_id = (uint32_t)ip[0] << 24 | (uint32_t)ip[1] << 16 |
		    (uint32_t)ip[2] << 8 | ip[3];
	else
		return werr(c, c->i - 1,
		    "invalid path-information %s (0-4294967295 or an IPv4 "
		    "address)",
		    w);
	r->has_path_id = true;
	return true;
}

/* One attribute keyword and its value(s), at c->i. */
static bool
attr_one(struct cursor *c, struct spk_route *r)
{
	int at = c->i;
	const char *w = c->ws->w[c->i++], *v;
	struct spk_generic *g;
	uint8_t id[4];
	uint64_t x;

	if (strcmp(w, "next-hop") == 0)
		return attr_nexthop(c, r);
	if (strcmp(w, "path-information") == 0)
		return attr_path_info(c, r);
	if (strcmp(w, "origin") == 0) {
		if ((v = next_word(c, w)) == NULL)
			return false;
		if (strcasecmp(v, "igp") == 0)
			x = BGP_ORIGIN_IGP;
		else if (strcasecmp(v, "egp") == 0)
			x = BGP_ORIGIN_EGP;
		else if (strcasecmp(v, "incomplete") == 0)
			x = BGP_ORIGIN_INCOMPLETE;
		else
			return werr(c, c->i - 1,
			    "unknown origin %s (igp, egp or incomplete)", v);
		if (claim(r, BGP_ATTR_ORIGIN))
			r->origin = (uint8_t)x;
		return true;
	}
	if (strcmp(w, "as-path") == 0) {
		if (!attr_aspath(c, r, !spk_route_has(r, BGP_ATTR_AS_PATH)))
			return false;
		claim(r, BGP_ATTR_AS_PATH);
		return true;
	}
	if (strcmp(w, "med") == 0) {
		if (!attr_u32(c, "med", &x))
			return false;
		if (claim(r, BGP_ATTR_MED))
			r->med = (uint32_t)x;
		return true;
	}
	if (strcmp(w, "local-preference") == 0) {
		if (!attr_u32(c, "local-preference", &x))
			return false;
		if (claim(r, BGP_ATTR_LOCAL_PREF))
			r->localpref = (uint32_t)x;
		return true;
	}
	if (strcmp(w, "atomic-aggregate") == 0) {
		claim(r, BGP_ATTR_ATOMIC_AGGR);
		return true;
	}
	if (strcmp(w, "aggregator") == 0) {
		if (!attr_aggregator(
		        c, r, !spk_route_has(r, BGP_ATTR_AGGREGATOR)))
			return false;
		claim(r, BGP_ATTR_AGGREGATOR);
		return true;
	}
	if (strcmp(w, "originator-id") == 0) {
		if ((v = next_word(c, w)) == NULL)
			return false;
		if (!parse_ipv4(v, id))
			return werr(c, c->i - 1,
			    "invalid originator-id %s (an IPv4 address)", v);
		if (claim(r, BGP_ATTR_ORIGINATOR_ID))
			memcpy(r->originator_id, id, 4);
		return true;
	}
	if (strcmp(w, "community") == 0 || strcmp(w, "large-community") == 0 ||
	    strcmp(w, "extended-community") == 0 ||
	    strcmp(w, "cluster-list") == 0)
		return attr_lists(c, r, w);
	if (strcmp(w, "aigp") == 0) {
		if ((v = next_word(c, w)) == NULL)
			return false;
		if (!parse_hex(v, UINT64_MAX, &x) &&
		    !num_parse_u64(v, UINT64_MAX, &x))
			return werr(c, c->i - 1,
			    "invalid aigp %s (a number, decimal or 0x hex)", v);
		if ((g = new_generic(c, r, ATTR_AIGP, at)) == NULL)
			return spk_route_has(r, ATTR_AIGP);
		/* RFC 7311 AIGP TLV: type 1, length 11, the metric */
		*g = (struct spk_generic){ ATTR_AIGP, BGP_ATTR_OPTIONAL, 11,
			arena_alloc(c->ctx->arena, 11) };
		g->data[0] = 1;
		put16(g->data + 1, 11);
		put32(g->data + 3, (uint32_t)(x >> 32));
		put32(g->data + 7, (uint32_t)x);
		return true;
	}
	if (strcmp(w, "attribute") == 0)
		return attr_generic(c, r);
	if (strcmp(w, "name") == 0 || strcmp(w, "watchdog") == 0 ||
	    strcmp(w, "split") == 0 || strcmp(w, "withdraw") == 0)
		return attr_internal(c, r, w);
	if (strcmp(w, "label") == 0 || strcmp(w, "rd") == 0 ||
	    strcmp(w, "route-distinguisher") == 0 ||
	    strcmp(w, "bgp-prefix-sid") == 0 ||
	    strcmp(w, "bgp-prefix-sid-srv6") == 0)
		return werr(
		    c, at, "%s is not supported (unicast routes only)", w);
	return werr(c, at, "unknown route attribute %s (expected %s)", w,
	    route_keywords);
}

bool
spk_route_parse_attrs(
    struct spk_route_ctx *ctx, const struct spk_words *ws, struct spk_route *r)
{
	struct cursor c = { ctx, ws, 0 };
	bool ok = true;

	while (c.i < ws->n)
		if (!attr_one(&c, r)) {
			ok = false;
			break; /* the rest of the line cannot be trusted */
		}
	return ok;
}

bool
spk_route_parse_start(
    struct spk_route_ctx *ctx, const struct spk_words *ws, struct spk_route *r)
{
	struct cursor c = { ctx, ws, 0 };
	struct spk_words rest = *ws;
	const char *why;

	memset(r, 0, sizeof(*r));
	r->file = ws->file;
	if (ws->line != NULL && ws->n > 0) {
		r->line = ws->line[0];
		r->col = ws->col[0];
	}
	if (ws->n < 1)
		return werr(&c, 0, "route needs a prefix");
	if ((why = prefix_parse(ws->w[0], &r->pfx, PREFIX_HOST_OK)) != NULL)
		return werr(&c, 0, "invalid prefix %s (%s)", ws->w[0], why);
	rest.w++;
	rest.n--;
	if (rest.line != NULL) {
		rest.line++;
		rest.col++;
	}
	return spk_route_parse_attrs(ctx, &rest, r);
}

bool
spk_route_check(struct spk_route_ctx *ctx, const struct spk_words *ws,
    const struct spk_route *r)
{
	struct cursor c = { ctx, ws, 0 };

	/* ExaBGP ParseStaticRoute.check(): IPv4 unicast needs a next hop */
	if (r->pfx.af == ADDR_V4 && !r->withdrawn && r->nexthop.af == 0 &&
	    !r->nexthop_self)
		return werr(&c, 0, "route %s has no next-hop", ws->w[0]);
	return true;
}

bool
spk_route_parse(
    struct spk_route_ctx *ctx, const struct spk_words *ws, struct spk_route *r)
{
	return spk_route_parse_start(ctx, ws, r) && spk_route_check(ctx, ws, r);
}

uint64_t
spk_route_split_count(const struct spk_route *r)
{
	if (r->nmore > 0)
		return 1 + (uint64_t)r->nmore;
	if (r->split <= r->pfx.len)
		return 1;
	if (r->split - r->pfx.len >= 63)
		return UINT64_MAX;
	return 1ull << (r->split - r->pfx.len);
}

void
spk_route_split_prefix(
    const struct spk_route *r, uint64_t i, struct prefix *out)
{
	int bit, pos;

	*out = r->pfx;
	if (i > 0 && r->nmore > 0) {
		const uint8_t *m = r->more + (i - 1) * 5;

		out->len = m[0];
		memcpy(out->a, m + 1, 4);
		return;
	}
	if (r->split <= r->pfx.len)
		return;
	out->len = r->split;
	/* write i into bits pfx.len .. split-1, most significant first */
	for (bit = 0; bit < r->split - r->pfx.len && bit < 64; bit++) {
		pos = r->split - 1 - bit;
		if ((i >> bit) & 1)
			out->a[pos / 8] |= (uint8_t)(0x80 >> (pos % 8));
	}
}

/* Attribute header and value; the extended length when over 255 bytes. */
static void
put_attr(
    struct wbuf *w, uint8_t flags, uint8_t code, const uint8_t *v, size_t len)
{
	if (len > 0xff)
		flags |= BGP_ATTR_EXTLEN;
	wbuf_put_u8(w, flags);
	wbuf_put_u8(w, code);
	if (flags & BGP_ATTR_EXTLEN) {
		if (len > 0xffff) {
			w->overflow = true;
			return;
		}
		wbuf_put_u16(w, (uint16_t)len);
	} else
		wbuf_put_u8(w, (uint8_t)len);
	wbuf_put(w, v, len);
}

/* AS path segments, 255 ASNs at most each (ExaBGP's ASPath._segment). */
static size_t
aspath_value(const uint32_t *asns, int n, uint8_t type, bool as4, bool trans,
    uint8_t *out, size_t cap)
{
	size_t len = 0;
	int i, k, chunk;
	uint32_t v;

	for (i = 0; i < n; i += chunk) {
		chunk = n - i > 255 ? 255 : n - i;
		if (len + 2 + (size_t)chunk * 4 > cap)
			return (size_t)-1;
		out[len++] = type;
		out[len++] = (uint8_t)chunk;
		for (k = 0; k < chunk; k++) {
			v = asns[i + k];
			if (as4) {
				put32(out + len, v);
				len += 4;
			} else {
				put16(out + len,
				    trans && v > 0xffff ? AS_TRANS : v);
				len += 2;
			}
		}
	}
	return len;
}

/*
 * AS_PATH, and AS4_PATH right after it when a 2-octet session needs
 * AS_TRANS (ExaBGP's ASPath.pack: the sequence, then the set).
 */
static void
put_aspath(struct wbuf *w, const struct spk_aspath *p, bool asn4)
{
	uint8_t v[2 * (LIST_MAX * 4 + 2 * ((LIST_MAX + 254) / 255))];
	size_t a, b;
	bool need4 = false;
	int i;

	a = aspath_value(
	    p->seq, p->nseq, BGP_AS_SEQUENCE, asn4, true, v, sizeof(v));
	b = a == (size_t)-1 ? a
	                    : aspath_value(p->set, p->nset, BGP_AS_SET, asn4,
	                          true, v + a, sizeof(v) - a);
	if (a == (size_t)-1 || b == (size_t)-1) {
		w->overflow = true;
		return;
	}
	put_attr(w, BGP_ATTR_TRANSITIVE, BGP_ATTR_AS_PATH, v, a + b);
	if (asn4)
		return;
	/* ExaBGP tests for AS_TRANS in the 2-octet path, so a literal 23456 counts */
	for (i = 0; i < p->nseq; i++)
		need4 |= p->seq[i] > 0xffff || p->seq[i] == AS_TRANS;
	for (i = 0; i < p->nset; i++)
		need4 |= p->set[i] > 0xffff || p->set[i] == AS_TRANS;
	if (!need4)
		return;
	a = aspath_value(
	    p->seq, p->nseq, BGP_AS_SEQUENCE, true, false, v, sizeof(v));
	b = aspath_value(
	    p->set, p->nset, BGP_AS_SET, true, false, v + a, sizeof(v) - a);
	put_attr(w, BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE, BGP_ATTR_AS4_PATH,
	    v, a + b);
}

static const struct spk_generic *
find_generic(const struct spk_route *r, int code)
{
	int i;

	for (i = 0; i < r->ngeneric; i++)
		if (r->generic[i].code == code)
			return &r->generic[i];
	return NULL;
}

/* The value of a list attribute into a scratch buffer. */
static void
put_list(struct wbuf *w, uint8_t code, const void *vals, size_t n, size_t sz,
    bool words)
{
	uint8_t v[LIST_MAX * LARGE_SIZE];
	const uint32_t *u = vals;
	size_t i;

	if (n == 0)
		return; /* ExaBGP drops an empty optional attribute */
	if (words)
		for (i = 0; i < n * sz / 4; i++)
			put32(v + 4 * i, u[i]);
	else
		memcpy(v, vals, n * sz);
	put_attr(w,
	    BGP_ATTR_OPTIONAL |
	        (code == BGP_ATTR_CLUSTER_LIST ? 0 : BGP_ATTR_TRANSITIVE),
	    code, v, n * sz);
}

static void
put_known(struct wbuf *w, const struct spk_neighbor *n,
    const struct spk_route *r, int code, bool asn4)
{
	uint8_t v[16];

	switch (code) {
	case BGP_ATTR_ORIGIN:
		put_attr(
		    w, BGP_ATTR_TRANSITIVE, BGP_ATTR_ORIGIN, &r->origin, 1);
		break;
	case BGP_ATTR_AS_PATH:
		put_aspath(w, &r->aspath, asn4);
		break;
	case BGP_ATTR_MED:
		put32(v, r->med);
		put_attr(w, BGP_ATTR_OPTIONAL, BGP_ATTR_MED, v, 4);
		break;
	case BGP_ATTR_LOCAL_PREF:
		put32(v, r->localpref);
		put_attr(w, BGP_ATTR_TRANSITIVE, BGP_ATTR_LOCAL_PREF, v, 4);
		break;
	case BGP_ATTR_ATOMIC_AGGR:
		put_attr(w, BGP_ATTR_TRANSITIVE, BGP_ATTR_ATOMIC_AGGR, NULL, 0);
		break;
	case BGP_ATTR_AGGREGATOR:
		/* RFC 6793 4.2.2: AS_TRANS and AS4_AGGREGATOR on 2-octet sessions */
		if (asn4) {
			put32(v, r->aggr_as);
			memcpy(v + 4, r->aggr_id, 4);
			put_attr(w, 0xC0, BGP_ATTR_AGGREGATOR, v, 8);
			break;
		}
		put16(v, r->aggr_as > 0xffff ? AS_TRANS : r->aggr_as);
		memcpy(v + 2, r->aggr_id, 4);
		put_attr(w, 0xC0, BGP_ATTR_AGGREGATOR, v, 6);
		if (r->aggr_as > 0xffff) {
			put32(v, r->aggr_as);
			memcpy(v + 4, r->aggr_id, 4);
			put_attr(w, 0xC0, BGP_ATTR_AS4_AGGREGATOR, v, 8);
		}
		break;
	case BGP_ATTR_COMMUNITIES:
		put_list(w, BGP_ATTR_COMMUNITIES, r->comms, r->ncomms, 4, true);
		break;
	case BGP_ATTR_ORIGINATOR_ID:
		put_attr(w, BGP_ATTR_OPTIONAL, BGP_ATTR_ORIGINATOR_ID,
		    r->originator_id, 4);
		break;
	case BGP_ATTR_CLUSTER_LIST:
		put_list(w, BGP_ATTR_CLUSTER_LIST, r->clusters, r->nclusters, 4,
		    false);
		break;
	case BGP_ATTR_EXT_COMMUNITIES:
		put_list(w, BGP_ATTR_EXT_COMMUNITIES, r->ecomms, r->necomms,
		    EXTC_SIZE, false);
		break;
	case BGP_ATTR_LARGE_COMMUNITY:
		put_list(w, BGP_ATTR_LARGE_COMMUNITY, r->lcomms, r->nlcomms,
		    LARGE_SIZE, true);
		break;
	default:
		(void)n;
		break;
	}
}

/* Attribute code of route r, as spk_route_attrs() writes it. */
static void
attr_put_code(struct wbuf *w, const struct spk_neighbor *n,
    const struct spk_route *r, int code, const struct ipaddr *nexthop,
    bool asn4)
{
	const struct spk_generic *g;
	struct spk_aspath local;
	uint32_t local_as = n->local_as;
	bool ebgp = n->local_as != n->peer_as;
	uint8_t v[4];

	if (code == BGP_ATTR_NEXT_HOP) {
		/* ExaBGP skips a next hop that is not IPv4 (MP_REACH has it) */
		if (nexthop != NULL && nexthop->af == ADDR_V4)
			put_attr(w, BGP_ATTR_TRANSITIVE, BGP_ATTR_NEXT_HOP,
			    nexthop->a, 4);
		return;
	}
	if (code == BGP_ATTR_LOCAL_PREF && ebgp)
		return; /* never sent to an external peer */
	if (code == ATTR_AIGP && ebgp)
		return; /* ExaBGP's AIGP.pack(): iBGP only in practice */
	if (!spk_route_has(r, (uint8_t)code)) {
		/* ExaBGP's defaults (Attributes.pack) */
		if (code == BGP_ATTR_ORIGIN) {
			v[0] = BGP_ORIGIN_IGP;
			put_attr(w, BGP_ATTR_TRANSITIVE, BGP_ATTR_ORIGIN, v, 1);
		} else if (code == BGP_ATTR_AS_PATH) {
			local = (struct spk_aspath){ .seq = &local_as,
				.nseq = ebgp ? 1 : 0 };
			put_aspath(w, &local, asn4);
		} else if (code == BGP_ATTR_LOCAL_PREF) {
			put32(v, 100);
			put_attr(
			    w, BGP_ATTR_TRANSITIVE, BGP_ATTR_LOCAL_PREF, v, 4);
		}
		return;
	}
	if ((g = find_generic(r, code)) != NULL) {
		/* written as given; the flags' extended-length bit decides */
		wbuf_put_u8(
		    w, g->len > 0xff ? g->flags | BGP_ATTR_EXTLEN : g->flags);
		wbuf_put_u8(w, g->code);
		if ((g->flags & BGP_ATTR_EXTLEN) || g->len > 0xff)
			wbuf_put_u16(w, g->len);
		else
			wbuf_put_u8(w, (uint8_t)g->len);
		wbuf_put(w, g->data, g->len);
		return;
	}
	put_known(w, n, r, code, asn4);
}

bool
spk_route_attrs(const struct spk_neighbor *n, const struct spk_route *r,
    const struct ipaddr *nexthop, bool asn4, uint8_t *buf, size_t cap,
    size_t *len)
{
	uint64_t todo[4];
	struct wbuf w;
	int word, code;

	/* the codes r sets, those with a default, and NEXT_HOP; in order */
	memcpy(todo, r->has, sizeof(todo));
	todo[0] |= (1ull << BGP_ATTR_ORIGIN) | (1ull << BGP_ATTR_AS_PATH) |
	    (1ull << BGP_ATTR_NEXT_HOP) | (1ull << BGP_ATTR_LOCAL_PREF);
	todo[0] &= ~1ull; /* code 0 is not an attribute */
	wbuf_init(&w, buf, cap);
	for (word = 0; word < 4; word++)
		while (todo[word] != 0) {
			code = word * 64 + __builtin_ctzll(todo[word]);
			todo[word] &= todo[word] - 1;
			attr_put_code(&w, n, r, code, nexthop, asn4);
		}
	*len = w.len;
	return wbuf_ok(&w);
}

static bool
same_mem(const void *a, const void *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

bool
spk_route_mergeable(const struct spk_route *a, const struct spk_route *b)
{
	uint16_t i;

	if (a->split != 0 || b->split != 0 || a->watchdog != NULL ||
	    b->watchdog != NULL || a->name != NULL || b->name != NULL ||
	    a->withdrawn || b->withdrawn)
		return false;
	if (a->pfx.af != ADDR_V4 || b->pfx.af != ADDR_V4 ||
	    a->has_path_id != b->has_path_id || a->path_id != b->path_id ||
	    a->nexthop.af != b->nexthop.af ||
	    !same_mem(a->nexthop.a, b->nexthop.a, sizeof(a->nexthop.a)) ||
	    a->nexthop_self != b->nexthop_self ||
	    memcmp(a->has, b->has, sizeof(a->has)) != 0 ||
	    a->origin != b->origin || a->med != b->med ||
	    a->localpref != b->localpref || a->aggr_as != b->aggr_as ||
	    memcmp(a->aggr_id, b->aggr_id, 4) != 0 ||
	    memcmp(a->originator_id, b->originator_id, 4) != 0)
		return false;
	if (a->aspath.nseq != b->aspath.nseq ||
	    a->aspath.nset != b->aspath.nset ||
	    !same_mem(a->aspath.seq, b->aspath.seq,
	        sizeof(uint32_t) * a->aspath.nseq) ||
	    !same_mem(a->aspath.set, b->aspath.set,
	        sizeof(uint32_t) * a->aspath.nset))
		return false;
	if (a->ncomms != b->ncomms || a->necomms != b->necomms ||
	    a->nlcomms != b->nlcomms || a->nclusters != b->nclusters ||
	    a->ngeneric != b->ngeneric ||
	    !same_mem(a->comms, b->comms, sizeof(*a->comms) * a->ncomms) ||
	    !same_mem(a->ecomms, b->ecomms, sizeof(*a->ecomms) * a->necomms) ||
	    !same_mem(a->lcomms, b->lcomms, sizeof(*a->lcomms) * a->nlcomms) ||
	    !same_mem(
	        a->clusters, b->clusters, sizeof(*a->clusters) * a->nclusters))
		return false;
	for (i = 0; i < a->ngeneric; i++)
		if (a->generic[i].code != b->generic[i].code ||
		    a->generic[i].flags != b->generic[i].flags ||
		    a->generic[i].len != b->generic[i].len ||
		    !same_mem(a->generic[i].data, b->generic[i].data,
		        a->generic[i].len))
			return false;
	return true;
}
