/* SPDX-License-Identifier: ISC */
/* api/metrics.c - GET /metrics: Prometheus text metrics (exposition format 0.0.4). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "api/api_int.h"
#include "fabric/fabric.h"
#include "gateway/live.h"
#include "lib/sbuf.h"
#include "lib/xmalloc.h"
#include "rib/rib.h"
#include "session/session.h"
#include "topology/topology.h"

/*
 * The BGP metrics carry GoBGP's names (pkg/metrics/metrics.go in GoBGP
 * 3: bgp_received_update_total, bgp_routes_received, ...), so that
 * dashboards made for GoBGP read vrsd; GoBGP labels them by the peer's
 * address, vrsd adds the session's name, since in mode: ars one NVA has
 * a session with each instance.  vrs_* metrics are vrsd's own: session
 * state, RFC 7606 outcomes, and the fabric (effective routes per NIC,
 * programmed routes per source).
 */

struct mpeer {
	struct session *s;
	struct ipaddr ip; /* the peer's address (Azure's in mode: ars) */
	size_t nin, nout;
	bool live; /* IPv4 unicast only; nout is what it holds now */
};

struct mcollect {
	struct mpeer *v;
	size_t n, cap;
};

static void
collect(struct mcollect *c, struct session *s, const struct ipaddr *ip,
    size_t nin, size_t nout, bool live)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	c->v[c->n++] = (struct mpeer){ s, *ip, nin, nout, live };
}

static void
live_cb(void *arg, struct session *s, const struct ipaddr *ip, size_t nin,
    size_t nout)
{
	collect(arg, s, ip, nin, nout, true);
}

/* A label value: '\\', '"' and a line break escaped, as the format says. */
static void
label(struct sbuf *b, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			sbuf_printf(b, "\\%c", *v);
		else if (*v == '\n')
			sbuf_puts(b, "\\n");
		else
			sbuf_putc(b, *v);
	}
}

static void
family(struct sbuf *b, const char *name, const char *type, const char *help)
{
	sbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
peer_labels(struct sbuf *b, const struct mpeer *p)
{
	const struct session_conf *c = session_conf(p->s);
	char addr[ADDR_STRLEN];

	sbuf_puts(b, "{peer=\"");
	label(b, addr_print(&p->ip, addr, sizeof(addr)));
	sbuf_puts(b, "\",name=\"");
	label(b, c->name);
	sbuf_puts(b, "\"");
}

enum mfield {
	M_RCVD_OPEN = 1, /* 1-5: the message type codes */
	M_RCVD_END = 5,
	M_SENT_OPEN = 6,
	M_SENT_END = 10,
	M_RCVD_ALL,
	M_SENT_ALL,
	M_WITHDRAW_SENT,
	M_UP,
	M_FLAPS,
	M_TAW,
	M_DISCARD,
};

static uint64_t
field(const struct mpeer *p, int f)
{
	const struct session_stats *st = session_stats(p->s);

	if (f >= M_RCVD_OPEN && f <= M_RCVD_END)
		return st->rcvd_type[f];
	if (f >= M_SENT_OPEN && f <= M_SENT_END)
		return st->sent_type[f - M_SENT_OPEN + 1];
	switch (f) {
	case M_RCVD_ALL:
		return st->msgs_in;
	case M_SENT_ALL:
		return st->msgs_out;
	case M_WITHDRAW_SENT:
		return st->withdraws_sent;
	case M_UP:
		return session_state(p->s) == SESSION_ESTABLISHED;
	case M_FLAPS:
		return st->flaps;
	case M_TAW:
		return st->treat_as_withdraw;
	case M_DISCARD:
		return st->attr_discard;
	}
	return 0;
}

static const struct mdef {
	const char *name, *type, *help;
	int field;
} mdefs[] = {
	{ "bgp_received_open_total", "counter",
	    "Number of received BGP OPEN messages from peer", 1 },
	{ "bgp_received_update_total", "counter",
	    "Number of received BGP UPDATE messages from peer", 2 },
	{ "bgp_received_notification_total", "counter",
	    "Number of received BGP NOTIFICATION messages from peer", 3 },
	{ "bgp_received_keepalive_total", "counter",
	    "Number of received BGP KEEPALIVE messages from peer", 4 },
	{ "bgp_received_refresh_total", "counter",
	    "Number of received BGP ROUTE-REFRESH messages from peer", 5 },
	{ "bgp_received_message_total", "counter",
	    "Number of received BGP messages from peer", M_RCVD_ALL },
	{ "bgp_sent_open_total", "counter",
	    "Number of sent BGP OPEN messages to peer", 6 },
	{ "bgp_sent_update_total", "counter",
	    "Number of sent BGP UPDATE messages to peer", 7 },
	{ "bgp_sent_notification_total", "counter",
	    "Number of sent BGP NOTIFICATION messages to peer", 8 },
	{ "bgp_sent_keepalive_total", "counter",
	    "Number of sent BGP KEEPALIVE messages to peer", 9 },
	{ "bgp_sent_refresh_total", "counter",
	    "Number of sent BGP ROUTE-REFRESH messages to peer", 10 },
	{ "bgp_sent_message_total", "counter",
	    "Number of sent BGP messages to peer", M_SENT_ALL },
	{ "bgp_sent_withdraw_prefix_total", "counter",
	    "Number of prefixes withdrawn from peer", M_WITHDRAW_SENT },
	{ "vrs_peer_up", "gauge", "The session is Established (1) or not (0)",
	    M_UP },
	{ "vrs_peer_flaps_total", "counter",
	    "Times the session left Established", M_FLAPS },
	{ "vrs_peer_treat_as_withdraw_total", "counter",
	    "UPDATEs from peer treated as withdraw (RFC 7606)", M_TAW },
	{ "vrs_peer_attribute_discard_total", "counter",
	    "Attributes from peer discarded (RFC 7606)", M_DISCARD },
};

static void
bgp_metrics(struct api *a, struct sbuf *b)
{
	struct mcollect c = { 0 };
	struct session *s = NULL;
	struct rib_peer *rp;
	size_t i, k;
	int pass;

	while ((s = bgpd_peer_next(a->d, s)) != NULL) {
		rp = rib_peer(bgpd_rib(a->d), session_rib_id(s));
		collect(&c, s, &session_conf(s)->addr,
		    rp != NULL ? rp->nprefixes : 0, 0, false);
	}
	if (a->live != NULL)
		live_walk(a->live, live_cb, &c);
	for (i = 0; i < sizeof(mdefs) / sizeof(mdefs[0]); i++) {
		family(b, mdefs[i].name, mdefs[i].type, mdefs[i].help);
		for (k = 0; k < c.n; k++) {
			sbuf_puts(b, mdefs[i].name);
			peer_labels(b, &c.v[k]);
			sbuf_printf(b, "} %llu\n",
			    (unsigned long long)field(&c.v[k], mdefs[i].field));
		}
	}
	/* a transparent session's Adj-RIB-In holds both unicast families */
	for (pass = 0; pass < 2; pass++) {
		family(b, pass ? "bgp_routes_accepted" : "bgp_routes_received",
		    "gauge",
		    pass ? "Number of routes accepted from peer"
		         : "Number of routes received from peer");
		for (k = 0; k < c.n; k++) {
			sbuf_puts(b,
			    pass ? "bgp_routes_accepted"
			         : "bgp_routes_received");
			peer_labels(b, &c.v[k]);
			sbuf_printf(b, ",route_family=\"%s\"} %zu\n",
			    c.v[k].live ? "ipv4-unicast" : "unicast",
			    c.v[k].nin);
		}
	}
	family(b, "vrs_routes_advertised", "gauge",
	    "Routes the route server holds advertised to peer (mode: ars)");
	for (k = 0; k < c.n; k++)
		if (c.v[k].live) {
			sbuf_puts(b, "vrs_routes_advertised");
			peer_labels(b, &c.v[k]);
			sbuf_printf(b, "} %zu\n", c.v[k].nout);
		}
	free(c.v);
}

static void
source_cb(void *arg, const char *source, const char *resource, size_t n)
{
	struct sbuf *b = arg;

	sbuf_puts(b, "vrs_programmed_routes{source=\"");
	label(b, source);
	sbuf_puts(b, "\",resource=\"");
	label(b, resource);
	sbuf_printf(b, "\"} %zu\n", n);
}

static void
fabric_metrics(struct api *a, struct sbuf *b)
{
	static const enum fab_src srcs[] = { FAB_SRC_DEFAULT, FAB_SRC_GATEWAY,
		FAB_SRC_USER };
	struct fab_table t;
	struct fab_stats st;
	size_t i, j, k, n[3][2];

	family(b, "vrs_nic_effective_routes", "gauge",
	    "Rows of the NIC's effective route table, by source and state");
	for (i = 0; i < a->topo->nnics; i++) {
		if (!fab_nic_effective_routes(
		        a->fab, a->topo->nics[i].name, &t))
			continue;
		memset(n, 0, sizeof(n));
		for (j = 0; j < t.nrows; j++)
			for (k = 0; k < 3; k++)
				if (t.rows[j].source == srcs[k])
					n[k][t.rows[j].state == FAB_ACTIVE]++;
		for (k = 0; k < 3; k++)
			for (j = 0; j < 2; j++) {
				sbuf_puts(b, "vrs_nic_effective_routes{nic=\"");
				label(b, a->topo->nics[i].name);
				sbuf_printf(b,
				    "\",source=\"%s\",state=\"%s\"} %zu\n",
				    fab_src_name(srcs[k]),
				    fab_state_name(
				        j ? FAB_ACTIVE : FAB_INVALID),
				    n[k][j]);
			}
	}
	family(b, "vrs_programmed_routes", "gauge",
	    "Routes a source (an ARS instance, a gateway) programs");
	fab_source_walk(a->fab, source_cb, b);
	fab_stats(a->fab, &st);
	family(b, "vrs_fabric_recomputes_total", "counter",
	    "Subnet route tables computed");
	sbuf_printf(b, "vrs_fabric_recomputes_total %llu\n",
	    (unsigned long long)st.recomputes);
	family(b, "vrs_fabric_cache_hits_total", "counter",
	    "Effective-route queries answered from the cache");
	sbuf_printf(b, "vrs_fabric_cache_hits_total %llu\n",
	    (unsigned long long)st.cache_hits);
}

void
api_metrics(struct api *a, struct evhttp_request *req, const char *rest)
{
	struct evbuffer *out = evbuffer_new();
	struct sbuf b;

	(void)rest;
	sbuf_init(&b);
	family(&b, "vrs_up", "gauge", "vrsd answers");
	sbuf_puts(&b, "vrs_up 1\n");
	bgp_metrics(a, &b);
	fabric_metrics(a, &b);
	evbuffer_add(out, b.s, b.len);
	sbuf_fini(&b);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	evhttp_send_reply(req, 200, "OK", out);
	evbuffer_free(out);
}
