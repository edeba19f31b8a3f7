/* SPDX-License-Identifier: ISC */
/* fabric/json.c - effective routes and next hop in az's JSON shapes (spec 4.5, 4.7). */

#include "fabric/fabric.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"

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

/*
 * fab_table_to_text: the same document as json_dumps(fab_table_to_json(t),
 * JSON_INDENT(2) | JSON_PRESERVE_ORDER) and a newline, byte for byte,
 * written straight into one buffer: a table at the ARS maximum has
 * 20,000 rows, and building them as JSON objects first costs more than
 * computing them.
 */
struct tbuf {
	char *s;
	size_t len, cap;
};

static void
tb_grow(struct tbuf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	while (b->len + n + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 4096;
	b->s = xreallocarray(b->s, b->cap, 1);
}

static void
tb_put(struct tbuf *b, const char *s, size_t n)
{
	tb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
tb_str(struct tbuf *b, const char *s)
{
	tb_put(b, s, strlen(s));
}

/* A JSON string, escaped as jansson escapes it. */
static void
tb_jstr(struct tbuf *b, const char *s)
{
	const unsigned char *p;
	char esc[8];

	tb_put(b, "\"", 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		const unsigned char *q = p;

		while (*q >= 0x20 && *q != '"' && *q != '\\')
			q++;
		if (q > p) { /* a run that needs no escape */
			tb_put(b, (const char *)p, (size_t)(q - p));
			p = q - 1;
			continue;
		}
		switch (*p) {
		case '"':
			tb_put(b, "\\\"", 2);
			break;
		case '\\':
			tb_put(b, "\\\\", 2);
			break;
		case '\b':
			tb_put(b, "\\b", 2);
			break;
		case '\f':
			tb_put(b, "\\f", 2);
			break;
		case '\n':
			tb_put(b, "\\n", 2);
			break;
		case '\r':
			tb_put(b, "\\r", 2);
			break;
		case '\t':
			tb_put(b, "\\t", 2);
			break;
		default:
			if (*p < 0x20) {
				snprintf(esc, sizeof(esc), "\\u%04X", *p);
				tb_put(b, esc, 6);
			} else
				tb_put(b, (const char *)p, 1);
		}
	}
	tb_put(b, "\"", 1);
}

char *
fab_table_to_text(const struct fab_table *t, size_t *len)
{
	struct tbuf b = { NULL, 0, 0 };
	char buf[PREFIX_STRLEN];
	const struct fab_row *r;
	size_t i, j;

	if (t->nrows == 0) {
		tb_str(&b, "{\n  \"value\": []\n}\n");
		*len = b.len;
		return b.s;
	}
	tb_grow(&b, t->nrows * 300);
	tb_str(&b, "{\n  \"value\": [\n");
	for (i = 0; i < t->nrows; i++) {
		r = &t->rows[i];
		tb_str(&b, i == 0 ? "    {\n" : ",\n    {\n");
		tb_str(&b, "      \"addressPrefix\": ");
		if (r->nprefixes == 0)
			tb_str(&b, "[]");
		for (j = 0; j < r->nprefixes; j++) {
			tb_str(&b, j == 0 ? "[\n        " : ",\n        ");
			tb_jstr(&b,
			    prefix_print(&r->prefixes[j], buf, sizeof(buf)));
			if (j + 1 == r->nprefixes)
				tb_str(&b, "\n      ]");
		}
		tb_str(&b,
		    r->disable_bgp
		        ? ",\n      \"disableBgpRoutePropagation\": true"
		        : ",\n      \"disableBgpRoutePropagation\": false");
		tb_str(&b, ",\n      \"name\": ");
		if (r->name != NULL)
			tb_jstr(&b, r->name);
		else
			tb_str(&b, "null");
		tb_str(&b, ",\n      \"nextHopIpAddress\": ");
		if (r->nexthop.af != 0) {
			tb_str(&b, "[\n        ");
			tb_jstr(&b, addr_print(&r->nexthop, buf, sizeof(buf)));
			tb_str(&b, "\n      ]");
		} else
			tb_str(&b, "[]");
		tb_str(&b, ",\n      \"nextHopType\": ");
		tb_jstr(&b, fab_hop_name(r->hop));
		tb_str(&b, ",\n      \"source\": ");
		tb_jstr(&b, fab_src_name(r->source));
		tb_str(&b, ",\n      \"state\": ");
		tb_jstr(&b, fab_state_name(r->state));
		tb_str(&b, "\n    }");
	}
	tb_str(&b, "\n  ]\n}\n");
	*len = b.len;
	return b.s;
}
