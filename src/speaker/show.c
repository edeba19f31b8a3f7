/* SPDX-License-Identifier: ISC */
/* speaker/show.c - ExaBGP 4.2's show commands and the speaker's Adj-RIB-In. */

#include "speaker/show.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bgp/exa.h"
#include "lib/hash.h"
#include "lib/xmalloc.h"
#include "speaker/spk_int.h"

/*
 * The answers copy ExaBGP 4.2.21 (reactor/api/command/neighbor.py and
 * rib.py, bgp/neighbor.py): the same columns, the same order, its
 * quirks included (the Remote ID column of `show neighbor extensive`
 * repeats the local router-id, as 4.2 does).  Routes are printed with
 * bgp/exa.c's text encoder, which prints them as ExaBGP's text API does.
 *
 * The Adj-RIB-In holds, per neighbour, each route received as that text:
 * "PREFIX [path-information ID ]next-hop NH ATTRIBUTES", keyed by the
 * prefix and path identifier, in the order first received (ExaBGP's
 * dictionary order: a route announced again keeps its place).
 */

struct adjin_route {
	char *text;         /* owned */
	size_t keylen;      /* "PREFIX[ path-information ID]" */
	size_t nhend;       /* end of " next-hop NH" */
	const char *family; /* static */
};

struct spk_adjin {
	struct adjin_route *order; /* owned; text NULL: removed */
	size_t n, cap, live;
	long *tab; /* owned: index into order; -1 empty, -2 removed */
	size_t tabcap;
};

#define SLOT_EMPTY   (-1)
#define SLOT_REMOVED (-2)

static const char *const help_text =
    "\n"
    "available API commands are listed here:\n"
    "=======================================\n"
    "\n"
    "filter can be: [local-ip <ip>][local-as <asn>][peer-as <asn>]"
    "[router-id <router-id>]\n"
    "\n"
    "command are:\n"
    "------------\n"
    "\n"
    "# \n"
    "[neighbor <ip> [filters]] announce attribute\n"
    "[neighbor <ip> [filters]] announce attributes\n"
    "[neighbor <ip> [filters]] announce eor\n"
    "[neighbor <ip> [filters]] announce flow\n"
    "[neighbor <ip> [filters]] announce operational\n"
    "[neighbor <ip> [filters]] announce route\n"
    "[neighbor <ip> [filters]] announce route-refresh\n"
    "[neighbor <ip> [filters]] announce vpls\n"
    "[neighbor <ip> [filters]] announce watchdog\n"
    "[neighbor <ip> [filters]] clear adj-rib\n"
    "[neighbor <ip> [filters]] crash\n"
    "[neighbor <ip> [filters]] flush adj-rib out\n"
    "[neighbor <ip> [filters]] teardown\n"
    "[neighbor <ip> [filters]] withdraw attributes\n"
    "[neighbor <ip> [filters]] withdraw flow\n"
    "[neighbor <ip> [filters]] withdraw route\n"
    "[neighbor <ip> [filters]] withdraw vpls\n"
    "[neighbor <ip> [filters]] withdraw watchdog\n"
    "help \n"
    "reload \n"
    "reset \n"
    "restart \n"
    "show adj-rib in [ extensive ] \n"
    "show adj-rib out [ extensive ] \n"
    "show neighbor [ summary | extensive | configuration ] \n"
    "shutdown \n"
    "version \n"
    "\n";

/* ---- the Adj-RIB-In ---- */

static uint64_t
key_hash(const char *key, size_t len)
{
	return hash_bytes(key, len, 0x5eed);
}

/* The slot of key in a's table: its own, or the empty one to fill. */
static size_t
adjin_slot(const struct spk_adjin *a, const char *key, size_t len, bool *found)
{
	size_t mask = a->tabcap - 1, i, free_slot = (size_t)-1;
	const struct adjin_route *r;

	*found = false;
	for (i = key_hash(key, len) & mask; a->tab[i] != SLOT_EMPTY;
	     i = (i + 1) & mask) {
		if (a->tab[i] == SLOT_REMOVED) {
			if (free_slot == (size_t)-1)
				free_slot = i;
			continue;
		}
		r = &a->order[a->tab[i]];
		if (r->keylen == len && memcmp(r->text, key, len) == 0) {
			*found = true;
			return i;
		}
	}
	return free_slot != (size_t)-1 ? free_slot : i;
}

/* Rebuild the table (and drop removed entries) at capacity cap. */
static void
adjin_rehash(struct spk_adjin *a, size_t cap)
{
	size_t i, o = 0, s;
	bool found;

	for (i = 0; i < a->n; i++)
		if (a->order[i].text != NULL)
			a->order[o++] = a->order[i];
	a->n = o;
	free(a->tab);
	a->tabcap = cap;
	a->tab = xmalloc(cap * sizeof(*a->tab));
	for (i = 0; i < cap; i++)
		a->tab[i] = SLOT_EMPTY;
	for (i = 0; i < a->n; i++) {
		s = adjin_slot(a, a->order[i].text, a->order[i].keylen, &found);
		a->tab[s] = (long)i;
	}
}

/* Where the key of a text route line ends: after the prefix and path id. */
static size_t
line_keylen(const char *s)
{
	const char *sp = strchr(s, ' ');

	if (sp == NULL)
		return strlen(s);
	if (strncmp(sp, " path-information ", 18) == 0) {
		sp = strchr(sp + 18, ' ');
		if (sp == NULL)
			return strlen(s);
	}
	return (size_t)(sp - s);
}

static void
adjin_set(struct spk_adjin *a, const char *text)
{
	size_t len = line_keylen(text), s;
	const char *nh;
	struct adjin_route *r;
	bool found;

	if (a->tabcap == 0 || (a->n + 1) * 2 > a->tabcap)
		adjin_rehash(a, a->tabcap ? a->tabcap * 2 : 64);
	s = adjin_slot(a, text, len, &found);
	if (found) {
		r = &a->order[a->tab[s]];
		free(r->text);
	} else {
		if (a->n == a->cap) {
			a->cap = a->cap ? a->cap * 2 : 64;
			a->order =
			    xreallocarray(a->order, a->cap, sizeof(*a->order));
		}
		a->tab[s] = (long)a->n;
		r = &a->order[a->n++];
		a->live++;
	}
	r->text = xstrdup(text);
	r->keylen = len;
	r->nhend = len;
	if (strncmp(text + len, " next-hop ", 10) == 0 &&
	    (nh = strchr(text + len + 10, ' ')) != NULL)
		r->nhend = (size_t)(nh - text);
	else if (strncmp(text + len, " next-hop ", 10) == 0)
		r->nhend = strlen(text);
	r->family =
	    memchr(text, ':', len) != NULL ? "ipv6 unicast" : "ipv4 unicast";
}

static void
adjin_del(struct spk_adjin *a, const char *text)
{
	size_t len = line_keylen(text), s;
	bool found;

	if (a->tabcap == 0)
		return;
	s = adjin_slot(a, text, len, &found);
	if (!found)
		return;
	free(a->order[a->tab[s]].text);
	a->order[a->tab[s]].text = NULL;
	a->tab[s] = SLOT_REMOVED;
	a->live--;
	if (a->n > 64 && a->live * 4 < a->n)
		adjin_rehash(a, a->tabcap);
}

void
spk_adjin_update(
    struct spk_peer *p, const struct bgp_update *u, const struct bgp_pattrs *pa)
{
	struct sbuf text;
	char *line, *save = NULL;

	if (p == NULL || !p->n->adj_rib_in || p->s == NULL)
		return;
	if (p->adjin == NULL)
		p->adjin = xcalloc(1, sizeof(*p->adjin));
	sbuf_init(&text);
	exa_text_update(&text, u, pa, session_ctx(p->s));
	for (line = strtok_r(text.s, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "1 ", 2) == 0 &&
		    pa->outcome != BGP_OUT_WITHDRAW)
			adjin_set(p->adjin, line + 2);
		else if (strncmp(line, "1 ", 2) == 0 ||
		    strncmp(line, "2 ", 2) == 0)
			adjin_del(p->adjin, line + 2);
	}
	sbuf_fini(&text);
}

void
spk_adjin_clear(struct spk_peer *p)
{
	struct spk_adjin *a = p->adjin;
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		free(a->order[i].text);
	a->n = a->live = 0;
	for (i = 0; i < a->tabcap; i++)
		a->tab[i] = SLOT_EMPTY;
}

void
spk_adjin_free(struct spk_peer *p)
{
	if (p->adjin == NULL)
		return;
	spk_adjin_clear(p);
	free(p->adjin->order);
	free(p->adjin->tab);
	free(p->adjin);
	p->adjin = NULL;
}

/* ---- names and helpers ---- */

static void
ipv4_str(const uint8_t *b, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

static void
peer_ip(const struct spk_neighbor *n, char *buf, size_t len)
{
	struct ipaddr a;

	a.af = n->peer.af;
	memcpy(a.a, n->peer.a, sizeof(a.a));
	if (n->peer.len != (n->peer.af == ADDR_V4 ? 32 : 128))
		prefix_print(&n->peer, buf, len);
	else
		addr_print(&a, buf, len);
}

static void
local_ip(const struct spk_neighbor *n, char *buf, size_t len)
{
	if (n->local_auto || n->local_addr.af == 0)
		snprintf(buf, len, "auto");
	else
		addr_print(&n->local_addr, buf, len);
}

/* neighbor.name(): "neighbor A local-ip L local-as X peer-as Y ..." */
void
spk_show_neighbor_name(const struct spk_neighbor *n, struct sbuf *out)
{
	char peer[PREFIX_STRLEN], local[ADDR_STRLEN], rid[16];
	int i;

	peer_ip(n, peer, sizeof(peer));
	local_ip(n, local, sizeof(local));
	ipv4_str(n->router_id, rid, sizeof(rid));
	sbuf_printf(out,
	    "neighbor %s local-ip %s local-as %u peer-as %u router-id %s "
	    "family-allowed ",
	    peer, local, n->local_as, n->peer_as, rid);
	if (!n->capa.multi_session) {
		sbuf_puts(out, "in-open");
		return;
	}
	for (i = 0; i < n->nfamilies; i++)
		sbuf_printf(out, "%s%s-%s", i ? "/" : "",
		    exa_afi_name(n->families[i].afi),
		    exa_safi_name(n->families[i].safi));
}

/* Python's timedelta(seconds=s): "H:MM:SS", "1 day, H:MM:SS". */
static void
timedelta(int64_t s, char *buf, size_t len)
{
	int64_t d = s / 86400;

	s %= 86400;
	if (d > 0)
		snprintf(buf, len, "%lld day%s, %lld:%02lld:%02lld",
		    (long long)d, d == 1 ? "" : "s", (long long)(s / 3600),
		    (long long)(s / 60 % 60), (long long)(s % 60));
	else
		snprintf(buf, len, "%lld:%02lld:%02lld", (long long)(s / 3600),
		    (long long)(s / 60 % 60), (long long)(s % 60));
}

static const char *
state_name(const struct spk_peer *p)
{
	static const char *const names[] = { "IDLE", "CONNECT", "ACTIVE",
		"OPENSENT", "OPENCONFIRM", "ESTABLISHED" };
	enum session_state st = p->s ? session_state(p->s) : SESSION_IDLE;

	return st <= SESSION_ESTABLISHED ? names[st] : "IDLE";
}

static bool
established(const struct spk_peer *p)
{
	return p->s != NULL && session_state(p->s) == SESSION_ESTABLISHED;
}

/* The peer's OPEN while the session is up, else NULL. */
static const struct bgp_open *
peer_open(const struct spk_peer *p)
{
	if (p->s == NULL || session_state(p->s) < SESSION_OPENCONFIRM)
		return NULL;
	return session_peer_open(p->s);
}

static bool
open_has_cap(const struct bgp_open *o, uint8_t code)
{
	int i;

	for (i = 0; i < o->caps.ncaps; i++)
		if (o->caps.caps[i].code == code)
			return true;
	return false;
}

/* ExaBGP's _en(): 'n/a', 'enabled', 'disabled' for None, True, False. */
enum tri { TRI_NA, TRI_NO, TRI_YES };

static const char *
en(enum tri v)
{
	return v == TRI_NA ? "n/a" : v == TRI_YES ? "enabled" : "disabled";
}

static enum tri
tri(bool known, bool v)
{
	return !known ? TRI_NA : v ? TRI_YES : TRI_NO;
}

#define KV "   %-20s %15s %15s %15s\n"

/* ---- show neighbor ---- */

static void
neighbor_summary(struct spk_peer *p, struct sbuf *out)
{
	const struct session_stats *st = session_stats(p->s);
	char peer[PREFIX_STRLEN], up[48], as[16];

	peer_ip(p->n, peer, sizeof(peer));
	snprintf(as, sizeof(as), "%u", p->n->peer_as);
	timedelta(session_uptime(p->s, session_now()), up, sizeof(up));
	sbuf_printf(out, "%-15s %-7s %9s %-12s %10llu %10llu\n", peer, as, up,
	    "established", (unsigned long long)st->sent_type[2],
	    (unsigned long long)st->rcvd_type[2]);
}

static void
neighbor_extensive(struct spk_peer *p, struct sbuf *out)
{
	static const char *const msgs[] = { "open", "notification", "keepalive",
		"update", "refresh" };
	static const int types[] = { 1, 3, 4, 2, 5 };
	const struct spk_neighbor *n = p->n;
	const struct bgp_open *o = peer_open(p);
	const struct session_stats *st = p->s ? session_stats(p->s) : NULL;
	const struct bgp_ctx *ctx = o ? session_ctx(p->s) : NULL;
	char peer[PREFIX_STRLEN], local[ADDR_STRLEN], rid[16], t[48], a[16],
	    b[16], name[48];
	uint64_t s = 0, r = 0, ts, tr;
	int i;

	peer_ip(n, peer, sizeof(peer));
	local_ip(n, local, sizeof(local));
	ipv4_str(n->router_id, rid, sizeof(rid));
	sbuf_printf(out, "Neighbor %s\n\n", peer);
	sbuf_puts(out, "  Session                         Local\n");
	sbuf_printf(out, KV, "local", local, "", "");
	sbuf_printf(out, KV, "state", state_name(p), "", "");
	timedelta(p->s ? session_uptime(p->s, session_now()) : 0, t, sizeof(t));
	sbuf_printf(out, KV, established(p) ? "up for" : "down for", t, "", "");
	sbuf_puts(out,
	    "\n  Setup                           Local          "
	    "Remote\n");
	snprintf(a, sizeof(a), "%u", n->local_as);
	snprintf(b, sizeof(b), "%u", n->peer_as);
	sbuf_printf(out, KV, "AS", a, b, "");
	sbuf_printf(out, KV, "ID", rid, o ? rid : "n/a", "");
	snprintf(a, sizeof(a), "%u", n->hold_time);
	if (o)
		snprintf(b, sizeof(b), "%u", o->hold_time);
	sbuf_printf(out, KV, "hold-time", a, o ? b : "n/a", "");
	sbuf_puts(out,
	    "\n  Capability                      Local          "
	    "Remote\n");
	sbuf_printf(out, KV, "asn4:", en(tri(true, n->capa.asn4)),
	    en(tri(o, ctx && ctx->as4)), "");
	sbuf_printf(out, KV,
	    "route-refresh:", en(tri(true, n->capa.route_refresh)),
	    en(tri(o, o && o->caps.rr)), "");
	sbuf_printf(out, KV,
	    "multi-session:", en(tri(true, n->capa.multi_session)),
	    en(tri(o, o && (open_has_cap(o, 68) || open_has_cap(o, 131)))), "");
	sbuf_printf(out, KV, "operational:", en(tri(true, n->capa.operational)),
	    en(tri(o, false)), "");
	sbuf_printf(out, KV,
	    "add-path:", en(tri(true, n->capa.add_path != SPK_ADDPATH_DISABLE)),
	    en(tri(o, o && o->caps.naddpath > 0)), "");
	sbuf_printf(out, KV,
	    "extended-message:", en(tri(true, n->capa.extended_message)),
	    en(tri(o, o && o->caps.ext_msg)), "");
	sbuf_printf(out, KV,
	    "graceful-restart:", en(tri(true, n->capa.graceful_restart)),
	    en(tri(o, o && o->caps.gr)), "");
	sbuf_puts(out,
	    "\n  Families                        Local          "
	    "Remote        Add-Path\n");
	for (i = 0; i < n->nfamilies; i++) {
		const struct spk_family *f = &n->families[i];
		int af = bgp_af_from(f->afi, f->safi);
		bool common = false, ap = false;

		if (o != NULL && af >= 0) {
			common = session_family(p->s, af);
			ap = ctx->addpath_rx[af] && ctx->addpath_tx[af];
		} else if (o != NULL)
			common = bgp_caps_has_af(&o->caps, f->afi, f->safi);
		snprintf(name, sizeof(name), "%s %s:", exa_afi_name(f->afi),
		    exa_safi_name(f->safi));
		sbuf_printf(out, KV, name, "enabled", en(tri(o, common)),
		    en(tri(true, ap)));
	}
	sbuf_puts(out,
	    "\n  Message Statistic                Sent        "
	    "Received\n");
	for (i = 0; i < 5; i++) {
		ts = st ? st->sent_type[types[i]] : 0;
		tr = st ? st->rcvd_type[types[i]] : 0;
		s += ts;
		r += tr;
		snprintf(name, sizeof(name), "%s:", msgs[i]);
		snprintf(a, sizeof(a), "%llu", (unsigned long long)ts);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)tr);
		sbuf_printf(out, KV, name, a, b, "");
	}
	snprintf(a, sizeof(a), "%llu", (unsigned long long)s);
	snprintf(b, sizeof(b), "%llu", (unsigned long long)r);
	sbuf_printf(out, KV, "total:", a, b, "");
	sbuf_puts(out, "\n");
}

/* util/dns.py host() and domain(), with domain()'s 4.2 quirk kept. */
static void
host_domain(char *host, size_t hlen, char *dom, size_t dlen)
{
	char name[256] = "", *dot;
	struct hostent *h;
	const char *fq = NULL;
	int i;

	if (gethostname(name, sizeof(name) - 1) != 0 || name[0] == '\0')
		snprintf(name, sizeof(name), "localhost");
	snprintf(host, hlen, "%s", name);
	if ((dot = strchr(host, '.')) != NULL)
		*dot = '\0';
	/* socket.getfqdn(): the first dotted name of the host, or its name */
	if ((h = gethostbyname(name)) != NULL &&
	    (h = gethostbyaddr(h->h_addr_list[0], (socklen_t)h->h_length,
	         h->h_addrtype)) != NULL) {
		fq = h->h_name;
		if (strchr(h->h_name, '.') == NULL)
			for (i = 0; h->h_aliases[i] != NULL; i++)
				if (strchr(h->h_aliases[i], '.') != NULL) {
					fq = h->h_aliases[i];
					break;
				}
	}
	snprintf(dom, dlen, "%s", fq != NULL ? fq : name);
	if ((dot = strchr(dom, '.')) != NULL)
		*dot = '\0';
}

static void
api_lines(const struct spk_neighbor *n, struct sbuf *out)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} kinds[] = { { SPK_API_PACKETS, "packets" },
		{ SPK_API_PARSED, "parsed" },
		{ SPK_API_CONSOLIDATE, "consolidate" },
		{ SPK_API_NOTIFICATION, "notification" },
		{ SPK_API_OPEN, "open" }, { SPK_API_KEEPALIVE, "keepalive" },
		{ SPK_API_UPDATE, "update" }, { SPK_API_REFRESH, "refresh" },
		{ SPK_API_OPERATIONAL, "operational" } };
	size_t k;
	int i, j;

	for (i = 0; i < n->napis; i++) {
		const struct spk_api *a = n->apis[i];

		for (j = 0; j < a->nprocs; j++) {
			sbuf_printf(out, "  api {\n    processes [ %s ];\n",
			    a->procs[j]);
			if (a->neighbor_changes)
				sbuf_puts(out, "    neighbor-changes;\n");
			if (a->negotiated)
				sbuf_puts(out, "    negotiated;\n");
			if (a->fsm)
				sbuf_puts(out, "    fsm;\n");
			if (a->signal)
				sbuf_puts(out, "    signal;\n");
			if (a->receive) {
				sbuf_puts(out, "    receive {\n");
				for (k = 0; k < sizeof(kinds) / sizeof(*kinds);
				     k++)
					if (a->receive & kinds[k].bit)
						sbuf_printf(out, "      %s;\n",
						    kinds[k].name);
				sbuf_puts(out, "    }\n");
			}
			if (a->send) {
				sbuf_puts(out, "    send {\n");
				for (k = 0; k < sizeof(kinds) / sizeof(*kinds);
				     k++)
					if (a->send & kinds[k].bit)
						sbuf_printf(out, "      %s;\n",
						    kinds[k].name);
				sbuf_puts(out, "    }\n");
			}
			sbuf_puts(out, "  }\n");
		}
	}
}

/* str(neighbor) of ExaBGP 4.2 (bgp/neighbor.py string(False)). */
static void
neighbor_configuration(const struct spk_neighbor *n, struct sbuf *out)
{
	static const char *const addpath[] = { "disable", "receive", "send",
		"send/receive" };
	char peer[PREFIX_STRLEN], local[ADDR_STRLEN], rid[16], host[256],
	    dom[256], md5ip[ADDR_STRLEN];
	bool nexthop;
	int i;

	peer_ip(n, peer, sizeof(peer));
	local_ip(n, local, sizeof(local));
	ipv4_str(n->router_id, rid, sizeof(rid));
	host_domain(host, sizeof(host), dom, sizeof(dom));
	sbuf_printf(out,
	    "neighbor %s {\n  description \"%s\";\n  router-id %s;\n"
	    "  host-name %s;\n  domain-name %s;\n  local-address %s;\n"
	    "  local-as %u;\n  peer-as %u;\n  hold-time %u;\n",
	    peer, n->description ? n->description : "", rid,
	    n->host_name ? n->host_name : host,
	    n->domain_name ? n->domain_name : dom, local, n->local_as,
	    n->peer_as, n->hold_time);
	if (n->rate_limit == 0)
		sbuf_puts(out, "  rate-limit disable;\n");
	else
		sbuf_printf(out, "  rate-limit %u;\n", n->rate_limit);
	sbuf_printf(out, "  manual-eor %s;\n\n  passive %s;\n",
	    n->manual_eor ? "true" : "false", n->passive ? "true" : "false");
	if (n->listen)
		sbuf_printf(out, "\n  listen %u;\n", n->listen);
	if (n->connect)
		sbuf_printf(out, "\n  connect %u;\n", n->connect);
	sbuf_printf(out,
	    "  group-updates %s;\n  auto-flush %s;\n  adj-rib-in %s;\n"
	    "  adj-rib-out %s;\n",
	    n->group_updates ? "true" : "false",
	    n->auto_flush ? "true" : "false", n->adj_rib_in ? "true" : "false",
	    n->adj_rib_out ? "true" : "false");
	if (n->md5_password != NULL)
		sbuf_printf(out, "  md5-password \"%s\";\n", n->md5_password);
	sbuf_printf(out, "  md5-base64 %s;\n", n->md5_base64 ? "true" : "auto");
	if (!n->local_auto) {
		addr_print(n->md5_ip.af ? &n->md5_ip : &n->local_addr, md5ip,
		    sizeof(md5ip));
		sbuf_printf(out, "  md5-ip \"%s\";\n", md5ip);
	}
	if (n->outgoing_ttl > 0)
		sbuf_printf(out, "  outgoing-ttl %d;\n", n->outgoing_ttl);
	if (n->incoming_ttl > 0)
		sbuf_printf(out, "  incoming-ttl %d;\n", n->incoming_ttl);
	nexthop =
	    n->capa.nexthop == 1 || (n->capa.nexthop == -1 && n->nnexthops > 0);
	sbuf_printf(out, "\n  capability {\n    asn4 %s;\n",
	    n->capa.asn4 ? "enable" : "disable");
	sbuf_printf(out, "    route-refresh %s;\n",
	    n->capa.route_refresh ? "enable" : "disable");
	if (n->capa.graceful_restart)
		sbuf_printf(out, "    graceful-restart %u;\n",
		    n->capa.gr_time ? n->capa.gr_time : n->hold_time);
	else
		sbuf_puts(out, "    graceful-restart disable;\n");
	sbuf_printf(out,
	    "    nexthop %s;\n    add-path %s;\n    multi-session %s;\n"
	    "    operational %s;\n    aigp %s;\n  }\n  family {",
	    nexthop ? "enable" : "disable", addpath[n->capa.add_path & 3],
	    n->capa.multi_session ? "enable" : "disable",
	    n->capa.operational ? "enable" : "disable",
	    n->capa.aigp ? "enable" : "disable");
	for (i = 0; i < n->nfamilies; i++)
		sbuf_printf(out, "\n    %s %s;",
		    exa_afi_name(n->families[i].afi),
		    exa_safi_name(n->families[i].safi));
	sbuf_puts(out, "\n  }\n  nexthop {");
	for (i = 0; i < n->nnexthops; i++)
		sbuf_printf(out, "\n    %s %s %s;",
		    exa_afi_name(n->nexthops[i].afi),
		    exa_safi_name(n->nexthops[i].safi),
		    exa_afi_name(n->nexthops[i].nhafi));
	sbuf_puts(out, "\n  }\n  add-path {");
	for (i = 0; i < n->naddpath; i++)
		sbuf_printf(out, "\n    %s %s;",
		    exa_afi_name(n->addpath[i].afi),
		    exa_safi_name(n->addpath[i].safi));
	sbuf_puts(out, "\n  }\n");
	api_lines(n, out);
	sbuf_puts(out, "}\n");
}

static bool
show_neighbor(struct spk *k, char **w, int n, struct sbuf *out)
{
	bool summary = false, extensive = false, conf = false;
	char peer[PREFIX_STRLEN];
	const char *limit = "";
	struct sbuf name;
	int i;

	for (i = 2; i < n; i++)
		if (strcmp(w[i], "summary") == 0)
			summary = true;
		else if (strcmp(w[i], "extensive") == 0)
			extensive = true;
		else if (strcmp(w[i], "configuration") == 0)
			conf = true;
		else
			limit = w[i];
	sbuf_init(&name);
	if (summary) {
		sbuf_puts(out,
		    "Peer            AS        up/down state       | "
		    "    #sent     #recvd\n");
		for (i = 0; i < k->npeers; i++) {
			peer_ip(k->peers[i]->n, peer, sizeof(peer));
			if (!established(k->peers[i]) ||
			    (*limit != '\0' && strcmp(limit, peer) != 0))
				continue;
			neighbor_summary(k->peers[i], out);
		}
	} else if (extensive || conf) {
		for (i = 0; i < k->npeers; i++) {
			sbuf_reset(&name);
			spk_show_neighbor_name(k->peers[i]->n, &name);
			if (strstr(name.s, limit) == NULL)
				continue;
			if (extensive)
				neighbor_extensive(k->peers[i], out);
			else
				neighbor_configuration(k->peers[i]->n, out);
		}
	} else
		sbuf_puts(out,
		    "please specify summary, extensive or configuration\n"
		    "you can filter by peer ip address adding it after the "
		    "word neighbor\n");
	sbuf_fini(&name);
	return true;
}

/* ---- show adj-rib ---- */

/* The attribute text of route r as sent to p (only what r sets). */
static void
out_attrs(struct spk_peer *p, const struct spk_route *r,
    const struct ipaddr *nh, struct sbuf *out)
{
	static uint8_t buf[BGP_EXT_MAX_LEN];
	struct bgp_ctx ctx = { 0 };
	struct bgp_update u = { 0 };
	struct bgp_pattrs pa;
	struct bgp_err err;
	size_t len = 0;
	unsigned t;

	ctx.as4 = true;
	ctx.ebgp = p->n->local_as != p->n->peer_as;
	ctx.exa_compat = true;
	if (!spk_route_attrs(p->n, r, nh, true, buf, sizeof(buf), &len))
		return;
	u.attrs = rbuf_make(buf, len);
	if (!bgp_update_decode(&u, &ctx, &pa, &err))
		return;
	/* ExaBGP shows the attributes the route carries, not the defaults */
	for (t = 0; t < 256; t++)
		if (bgp_pattrs_has(&pa, (uint8_t)t) &&
		    !spk_route_has(r, (uint8_t)t))
			bgp_pattrs_clear(&pa, (uint8_t)t);
	exa_text_attrs(out, &pa, &ctx);
}

static void
show_out(struct spk_peer *p, bool extensive, const char *head, struct sbuf *out)
{
	char pfx[PREFIX_STRLEN], nhs[ADDR_STRLEN];
	const struct spk_route *r;
	struct ipaddr nh;
	size_t i;

	for (i = 0; i < p->nadj; i++) {
		const struct spk_adj *a = spk_adj_at(p, i);

		if ((r = a->want) == NULL)
			continue;
		nh = r->nexthop_self || r->nexthop.af == 0 ? p->n->local_addr
		                                           : r->nexthop;
		sbuf_printf(out, "%s %s unicast %s", head,
		    a->pfx.af == ADDR_V6 ? "ipv6" : "ipv4",
		    prefix_print(&a->pfx, pfx, sizeof(pfx)));
		if (r->has_path_id)
			sbuf_printf(out, " path-information %u.%u.%u.%u",
			    a->path_id >> 24, (a->path_id >> 16) & 255,
			    (a->path_id >> 8) & 255, a->path_id & 255);
		if (r->nexthop_self)
			sbuf_puts(out, " next-hop self");
		else
			sbuf_printf(out, " next-hop %s",
			    addr_print(&nh, nhs, sizeof(nhs)));
		if (extensive)
			out_attrs(p, r, &nh, out);
		sbuf_putc(out, '\n');
	}
}

static void
show_in(struct spk_peer *p, bool extensive, const char *head, struct sbuf *out)
{
	const struct spk_adjin *a = p->adjin;
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		const struct adjin_route *r = &a->order[i];

		if (r->text == NULL)
			continue;
		sbuf_printf(out, "%s %s ", head, r->family);
		if (extensive)
			sbuf_puts(out, r->text);
		else
			sbuf_putn(out, r->text, r->nhend);
		sbuf_putc(out, '\n');
	}
}

static bool
show_adj_rib(struct spk *k, char **w, int n, const char *line, struct sbuf *out)
{
	bool extensive, in;
	const char *last = "";
	char peer[PREFIX_STRLEN], want[PREFIX_STRLEN + 16];
	struct sbuf name, head;
	size_t ll = strlen(line);
	int i;

	if (n >= 3 && strcmp(w[1], "adj-rib") == 0 &&
	    (strcmp(w[2], "in") == 0 || strcmp(w[2], "out") == 0))
		in = strcmp(w[2], "in") == 0;
	else if (strcmp(w[1], "adj-rib-in") == 0 ||
	    strcmp(w[1], "adj-rib-out") == 0)
		in = strcmp(w[1], "adj-rib-in") == 0;
	else
		return false;
	extensive = ll > 10 && strcmp(line + ll - 10, " extensive") == 0;
	for (i = 1; i < n; i++)
		if (strcmp(w[i], "adj-rib") != 0 &&
		    strcmp(w[i], "adj-rib-in") != 0 &&
		    strcmp(w[i], "adj-rib-out") != 0 &&
		    strcmp(w[i], "in") != 0 && strcmp(w[i], "out") != 0 &&
		    strcmp(w[i], "extensive") != 0) {
			last = w[i];
			break;
		}
	snprintf(want, sizeof(want), "neighbor %s", last);
	sbuf_init(&name);
	sbuf_init(&head);
	for (i = 0; i < k->npeers; i++) {
		struct spk_peer *p = k->peers[i];

		sbuf_reset(&name);
		spk_show_neighbor_name(p->n, &name);
		if (strcmp(last, "routes") != 0 &&
		    strcmp(last, "extensive") != 0 &&
		    strcmp(last, "static") != 0 && strcmp(last, "flow") != 0 &&
		    strcmp(last, "l2vpn") != 0 && strstr(name.s, want) == NULL)
			continue;
		sbuf_reset(&head);
		if (extensive)
			sbuf_puts(&head, name.s);
		else {
			peer_ip(p->n, peer, sizeof(peer));
			sbuf_printf(&head, "neighbor %s", peer);
		}
		if (in)
			show_in(p, extensive, head.s, out);
		else
			show_out(p, extensive, head.s, out);
	}
	sbuf_fini(&name);
	sbuf_fini(&head);
	return true;
}

/* ---- dispatch ---- */

bool
spk_show_command(struct spk *k, const char *line, struct sbuf *out, bool *ok)
{
	char copy[1024], *w[32], *save = NULL, *t;
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (t = strtok_r(copy, " \t", &save); t != NULL && n < 32;
	     t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	*ok = true;
	if (n == 1 && strcmp(w[0], "help") == 0) {
		sbuf_puts(out, help_text);
		return true;
	}
	if (n < 2 || strcmp(w[0], "show") != 0)
		return false;
	if (strcmp(w[1], "neighbor") == 0)
		return show_neighbor(k, w, n, out);
	if (strncmp(w[1], "adj-rib", 7) == 0) {
		if (!show_adj_rib(k, w, n, line, out))
			*ok = false;
		return true;
	}
	return false;
}
