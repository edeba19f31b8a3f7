/* SPDX-License-Identifier: ISC */
/* vrsd/config.c - read vrsd's YAML configuration, report every error by position. */

#include "vrsd/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "api/api.h"
#include "lib/log.h"
#include "lib/num.h"
#include "lib/xmalloc.h"

struct cfg {
	const char *path;
	yaml_document_t doc;
	struct sbuf *errs;
	int nerr;
	struct vrsd_config *c;
	yaml_node_t *listen_node;   /* control-listen outside loopback */
	yaml_node_t *instance_node; /* instance:, which needs mode: ars */
	yaml_node_t *web_node;      /* web: true, which needs control-listen */
};

static void cerr(struct cfg *g, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
cerr(struct cfg *g, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	sbuf_printf(g->errs, "%s:%zu:%zu: ", g->path,
	    n ? n->start_mark.line + 1 : 1, n ? n->start_mark.column + 1 : 1);
	va_start(ap, fmt);
	sbuf_vprintf(g->errs, fmt, ap);
	va_end(ap);
	sbuf_putc(g->errs, '\n');
	g->nerr++;
}

static const char *
scalar(struct cfg *g, const yaml_node_t *n, const char *key)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE) {
		cerr(g, n, "%s: expected a single value", key);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

/* One pair of a mapping: its key and value nodes, and the key's text. */
static const char *
pair_get(struct cfg *g, const yaml_node_pair_t *pair, yaml_node_t **k,
    yaml_node_t **v)
{
	*k = yaml_document_get_node(&g->doc, pair->key);
	*v = yaml_document_get_node(&g->doc, pair->value);
	return (*k)->type == YAML_SCALAR_NODE
	    ? (const char *)(*k)->data.scalar.value
	    : "?";
}

static bool
get_u32(struct cfg *g, const yaml_node_t *n, const char *key, uint32_t min,
    uint32_t max, uint32_t *out)
{
	const char *s = scalar(g, n, key);
	uint64_t v;

	if (s == NULL)
		return false;
	if (!num_parse_u64(s, max, &v) || v < min) {
		cerr(g, n, "%s %s out of range (%u-%u)", key, s, min, max);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

static bool
get_bool(struct cfg *g, const yaml_node_t *n, const char *key, bool *out)
{
	const char *s = scalar(g, n, key);

	if (s == NULL)
		return false;
	if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0 ||
	    strcmp(s, "on") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0 ||
	    strcmp(s, "off") == 0) {
		*out = false;
		return true;
	}
	cerr(g, n, "%s %s is not a boolean (true or false)", key, s);
	return false;
}

static bool
get_addr(struct cfg *g, const yaml_node_t *n, const char *key, struct ipaddr *a)
{
	const char *s = scalar(g, n, key);

	if (s == NULL)
		return false;
	if (!addr_parse(s, a)) {
		cerr(g, n, "%s %s is not an IPv4 or IPv6 address", key, s);
		return false;
	}
	return true;
}

static bool
get_str(struct cfg *g, const yaml_node_t *n, const char *key, char *dst,
    size_t size)
{
	const char *s = scalar(g, n, key);

	if (s == NULL)
		return false;
	if (strlen(s) >= size || strlen(s) == 0) {
		cerr(g, n, "%s must be 1-%zu characters", key, size - 1);
		return false;
	}
	memcpy(dst, s, strlen(s) + 1);
	return true;
}

/*
 * "127.0.2.1:11179", "[::1]:11179", or an address alone (port defport;
 * 0: the port is required).
 */
static bool
get_hostport(struct cfg *g, const yaml_node_t *n, const char *key,
    uint16_t defport, struct vrsd_listen *l)
{
	const char *s = scalar(g, n, key), *colon;
	char host[INET6_ADDRSTRLEN + 2];
	unsigned long port = defport;
	char *end;
	size_t hl;

	if (s == NULL)
		return false;
	if (s[0] == '[') {
		colon = strchr(s, ']');
		if (colon == NULL)
			goto bad;
		hl = (size_t)(colon - s - 1);
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		colon =
		    colon[1] == ':' ? colon + 1 : (colon[1] ? NULL : colon + 1);
		if (colon == NULL)
			goto bad;
	} else if ((colon = strrchr(s, ':')) != NULL &&
	    strchr(s, ':') == colon) {
		hl = (size_t)(colon - s);
		if (hl >= sizeof(host))
			goto bad;
		memcpy(host, s, hl);
		host[hl] = '\0';
	} else {
		snprintf(host, sizeof(host), "%s", s);
		colon = NULL;
	}
	if (colon != NULL && *colon == ':') {
		port = strtoul(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || port == 0 ||
		    port > 65535) {
			cerr(
			    g, n, "%s %s: port out of range (1-65535)", key, s);
			return false;
		}
	}
	if (!addr_parse(host, &l->addr) || port == 0)
		goto bad;
	l->port = (uint16_t)port;
	return true;

bad:
	cerr(g, n, "%s %s: expected ADDRESS:PORT or [IPv6]:PORT", key, s);
	return false;
}

static void
peer_parse(struct cfg *g, yaml_node_t *m, struct session_conf *p)
{
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;
	uint32_t u;
	bool have_addr = false, have_as = false;
	const char *key;

	memset(p, 0, sizeof(*p));
	p->passive = true;
	p->hold_time = 90;
	p->port = BGP_PORT;
	p->ipv4 = p->ipv6 = true;
	p->connect_retry = 5;
	/* what vrsd offers: ADD-PATH receive, graceful restart helper */
	p->addpath[BGP_AF_IPV4] = p->addpath[BGP_AF_IPV6] = BGP_ADDPATH_RX;
	p->gr = true;
	p->gr_time = SESSION_GR_TIME;
	if (m->type != YAML_MAPPING_NODE) {
		cerr(g, m, "a peer is a mapping (name:, address:, asn:, ...)");
		return;
	}
	for (pair = m->data.mapping.pairs.start;
	     pair < m->data.mapping.pairs.top; pair++) {
		key = pair_get(g, pair, &k, &v);
		if (strcmp(key, "name") == 0)
			get_str(g, v, "name", p->name, sizeof(p->name));
		else if (strcmp(key, "address") == 0)
			have_addr = get_addr(g, v, "address", &p->addr);
		else if (strcmp(key, "port") == 0) {
			if (get_u32(g, v, "port", 1, 65535, &u))
				p->port = (uint16_t)u;
		} else if (strcmp(key, "local-address") == 0)
			get_addr(g, v, "local-address", &p->local);
		else if (strcmp(key, "asn") == 0)
			have_as = get_u32(g, v, "asn", 1, 4294967295u, &p->asn);
		else if (strcmp(key, "passive") == 0)
			get_bool(g, v, "passive", &p->passive);
		else if (strcmp(key, "max-prefixes") == 0)
			get_u32(g, v, "max-prefixes", 0, 4294967295u,
			    &p->max_prefixes);
		else if (strcmp(key, "hold-time") == 0) {
			if (get_u32(g, v, "hold-time", 0, 65535, &u)) {
				if (u == 1 || u == 2)
					cerr(g, v,
					    "hold-time %u out of range "
					    "(0 or 3-65535)",
					    u);
				p->hold_time = (uint16_t)u;
			}
		} else if (strcmp(key, "connect-retry") == 0) {
			if (get_u32(g, v, "connect-retry", 1, 3600, &u))
				p->connect_retry = (uint16_t)u;
		} else if (strcmp(key, "password") == 0) {
			/* RFC 2385; the key itself is never logged */
			const char *pw = scalar(g, v, "password");

			if (pw != NULL &&
			    (strlen(pw) == 0 || strlen(pw) > SESSION_MD5_MAX))
				cerr(g, v, "password must be 1-%d characters",
				    SESSION_MD5_MAX);
			else if (pw != NULL) {
				p->md5_len = (uint8_t)strlen(pw);
				memcpy(p->md5_key, pw, p->md5_len);
			}
		} else if (strcmp(key, "ttl-security") == 0) {
			/* RFC 5082: true (1 hop) or the hops, 1-254 */
			const char *ts = scalar(g, v, "ttl-security");
			bool on;

			if (ts == NULL)
				continue;
			if (strspn(ts, "0123456789") == strlen(ts)) {
				if (get_u32(g, v, "ttl-security", 1, 254, &u))
					p->min_ttl = (uint8_t)(256 - u);
			} else if (get_bool(g, v, "ttl-security", &on))
				p->min_ttl = on ? 255 : 0;
		} else if (strcmp(key, "families") == 0) {
			yaml_node_item_t *it;

			if (v->type != YAML_SEQUENCE_NODE) {
				cerr(g, v,
				    "families: expected a list "
				    "([ipv4, ipv6])");
				continue;
			}
			p->ipv4 = p->ipv6 = false;
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++) {
				yaml_node_t *f =
				    yaml_document_get_node(&g->doc, *it);
				const char *fs = scalar(g, f, "families");

				if (fs == NULL)
					continue;
				if (strcmp(fs, "ipv4") == 0)
					p->ipv4 = true;
				else if (strcmp(fs, "ipv6") == 0)
					p->ipv6 = true;
				else
					cerr(g, f,
					    "family %s unknown "
					    "(ipv4 or ipv6)",
					    fs);
			}
		} else
			cerr(g, k,
			    "unknown peer setting %s (expected name, "
			    "address, port, local-address, asn, passive, "
			    "max-prefixes, hold-time, connect-retry, password, "
			    "ttl-security, families)",
			    key);
	}
	if (!have_addr)
		cerr(g, m, "peer without an address");
	if (!have_as)
		cerr(g, m, "peer without an asn");
	if (p->name[0] == '\0' && have_addr)
		addr_print(&p->addr, p->name, sizeof(p->name));
}

/*
 * control-listen: the control API on TCP as well.  Without a token it
 * has no authentication, so only a loopback address is accepted then
 * (checked once the whole file is read, see top_parse).
 */
static void
control_listen_parse(struct cfg *g, yaml_node_t *v)
{
	struct vrsd_listen l;

	if (!get_hostport(g, v, "control-listen", 0, &l))
		return;
	g->listen_node = api_addr_is_loopback(&l.addr) ? NULL : v;
	g->c->control_listen = l;
	g->c->control_tcp = true;
}

/*
 * http-token-file: a file only its owner can read, holding the token
 * (16-255 printable characters, one line) that every request on the
 * TCP listener must carry as "Authorization: Bearer TOKEN".
 */
static void
token_parse(struct cfg *g, yaml_node_t *v)
{
	const char *path = scalar(g, v, "http-token-file");
	char *tok = g->c->http_token;
	struct stat st;
	size_t n, i;
	FILE *f;

	if (path == NULL)
		return;
	if ((f = fopen(path, "r")) == NULL) {
		cerr(g, v, "http-token-file %s: %s", path, strerror(errno));
		return;
	}
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0) {
		cerr(g, v,
		    "http-token-file %s: mode %03o lets others read it "
		    "(chmod 600)",
		    path, (unsigned)(st.st_mode & 0777));
		fclose(f);
		return;
	}
	n = fread(tok, 1, sizeof(g->c->http_token) - 1, f);
	fclose(f);
	tok[n] = '\0';
	while (n > 0 && (tok[n - 1] == '\n' || tok[n - 1] == '\r'))
		tok[--n] = '\0';
	for (i = 0; i < n && tok[i] > ' ' && tok[i] < 0x7f; i++)
		;
	if (n < 16 || i != n) {
		cerr(g, v,
		    "http-token-file %s: the token must be one line of "
		    "16-255 printable characters, no spaces",
		    path);
		tok[0] = '\0';
	}
}

/*
 * mrt-updates: { file: PATTERN, rotate: SECONDS }: every UPDATE received
 * as an MRT BGP4MP_MESSAGE_AS4 record; PATTERN is strftime(3)'s, a new
 * file every rotate seconds (0, the default: one file).
 */
static void
mrt_updates_parse(struct cfg *g, yaml_node_t *m)
{
	struct vrsd_config *c = g->c;
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;
	const char *key;
	bool file = false;

	if (m->type != YAML_MAPPING_NODE) {
		cerr(g, m, "mrt-updates: expected a mapping (file:, rotate:)");
		return;
	}
	for (pair = m->data.mapping.pairs.start;
	     pair < m->data.mapping.pairs.top; pair++) {
		key = pair_get(g, pair, &k, &v);
		if (strcmp(key, "file") == 0)
			file = get_str(g, v, "file", c->mrt_updates,
			    sizeof(c->mrt_updates));
		else if (strcmp(key, "rotate") == 0)
			get_u32(g, v, "rotate", 0, 86400 * 7, &c->mrt_rotate);
		else
			cerr(g, k,
			    "unknown mrt-updates setting %s (expected file, "
			    "rotate)",
			    key);
	}
	if (!file)
		cerr(g, m, "mrt-updates without a file");
}

/*
 * mrt-dump: { file: PATTERN, interval: SECONDS, views: [NAME, ...] }:
 * a TABLE_DUMP_V2 file of each view every interval (1-86400 s, default
 * 300); PATTERN is strftime(3)'s, and %v the view ('/' as '-'), which it
 * needs when there are several views.
 */
static void
mrt_parse(struct cfg *g, yaml_node_t *m)
{
	struct vrsd_config *c = g->c;
	yaml_node_pair_t *pair;
	yaml_node_item_t *it;
	yaml_node_t *k, *v, *f = NULL;
	const char *key, *name;

	c->mrt_interval = 300;
	if (m->type != YAML_MAPPING_NODE) {
		cerr(g, m,
		    "mrt-dump: expected a mapping (file:, interval:, "
		    "views:)");
		return;
	}
	for (pair = m->data.mapping.pairs.start;
	     pair < m->data.mapping.pairs.top; pair++) {
		key = pair_get(g, pair, &k, &v);
		if (strcmp(key, "file") == 0) {
			if (get_str(
			        g, v, "file", c->mrt_file, sizeof(c->mrt_file)))
				f = v;
		} else if (strcmp(key, "interval") == 0)
			get_u32(g, v, "interval", 1, 86400, &c->mrt_interval);
		else if (strcmp(key, "views") == 0) {
			if (v->type != YAML_SEQUENCE_NODE) {
				cerr(g, v, "views: expected a list ([rib])");
				continue;
			}
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++) {
				k = yaml_document_get_node(&g->doc, *it);
				if ((name = scalar(g, k, "views")) == NULL)
					continue;
				if (c->nmrt_views == VRSD_MRT_VIEWS ||
				    strlen(name) >= sizeof(c->mrt_views[0]))
					cerr(g, k,
					    "views: at most %d, of 63 "
					    "characters",
					    VRSD_MRT_VIEWS);
				else
					snprintf(c->mrt_views[c->nmrt_views++],
					    sizeof(c->mrt_views[0]), "%s",
					    name);
			}
		} else
			cerr(g, k,
			    "unknown mrt-dump setting %s (expected file, "
			    "interval, views)",
			    key);
	}
	if (f == NULL) {
		cerr(g, m, "mrt-dump without a file");
		return;
	}
	if (c->nmrt_views == 0)
		snprintf(c->mrt_views[c->nmrt_views++], sizeof(c->mrt_views[0]),
		    "rib");
	if (c->nmrt_views > 1 && strstr(c->mrt_file, "%v") == NULL)
		cerr(
		    g, f, "file %s: several views need %%v in it", c->mrt_file);
}

static void
top_parse(struct cfg *g, yaml_node_t *root)
{
	struct vrsd_config *c = g->c;
	yaml_node_pair_t *pair;
	yaml_node_item_t *it;
	yaml_node_t *k, *v, *n;
	struct ipaddr rid;
	const char *key, *s;
	bool have_as = false, have_rid = false;
	uint32_t u;
	int i, j;

	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		cerr(g, root,
		    "the configuration is a mapping "
		    "(router-id:, asn:, listen:, peers:)");
		return;
	}
	for (pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		key = pair_get(g, pair, &k, &v);
		if (strcmp(key, "router-id") == 0) {
			if (get_addr(g, v, "router-id", &rid)) {
				if (rid.af != ADDR_V4)
					cerr(g, v,
					    "router-id must be an IPv4 "
					    "address");
				c->bgp.router_id = ((uint32_t)rid.a[0] << 24) |
				    ((uint32_t)rid.a[1] << 16) |
				    ((uint32_t)rid.a[2] << 8) | rid.a[3];
				have_rid = c->bgp.router_id != 0;
				if (!have_rid)
					cerr(g, v,
					    "router-id 0.0.0.0 is not "
					    "valid");
			}
		} else if (strcmp(key, "asn") == 0)
			have_as =
			    get_u32(g, v, "asn", 1, 4294967295u, &c->bgp.asn);
		else if (strcmp(key, "mode") == 0) {
			if ((s = scalar(g, v, "mode")) == NULL)
				continue;
			if (strcmp(s, "transparent") == 0)
				c->bgp.transparent = true;
			else if (strcmp(s, "ars") == 0)
				c->ars = true;
			else
				cerr(g, v, "mode %s unknown (transparent, ars)",
				    s);
		} else if (strcmp(key, "instance") == 0) {
			if ((s = scalar(g, v, "instance")) == NULL)
				continue;
			if (strcmp(s, "IN_0") == 0)
				c->instance = 0;
			else if (strcmp(s, "IN_1") == 0)
				c->instance = 1;
			else
				cerr(g, v, "instance %s unknown (IN_0, IN_1)",
				    s);
			g->instance_node = v;
		} else if (strcmp(key, "bgp-port") == 0) {
			if (get_u32(g, v, "bgp-port", 1, 65535, &u))
				c->bgp_port = (uint16_t)u;
		} else if (strcmp(key, "control") == 0)
			get_str(
			    g, v, "control", c->control, sizeof(c->control));
		else if (strcmp(key, "control-group") == 0) {
			const char *gn = scalar(g, v, "control-group");
			struct group *gr = gn != NULL ? getgrnam(gn) : NULL;

			if (gn != NULL && gr == NULL)
				cerr(g, v, "control-group %s: no such group",
				    gn);
			else if (gr != NULL)
				c->control_gid = (int)gr->gr_gid;
		} else if (strcmp(key, "mrt-dump") == 0)
			mrt_parse(g, v);
		else if (strcmp(key, "mrt-updates") == 0)
			mrt_updates_parse(g, v);
		else if (strcmp(key, "http-token-file") == 0)
			token_parse(g, v);
		else if (strcmp(key, "control-listen") == 0)
			control_listen_parse(g, v);
		else if (strcmp(key, "web") == 0) {
			if (get_bool(g, v, "web", &c->web) && c->web)
				g->web_node = v;
		} else if (strcmp(key, "state") == 0)
			get_str(g, v, "state", c->state, sizeof(c->state));
		else if (strcmp(key, "log-level") == 0) {
			if ((s = scalar(g, v, "log-level")) == NULL)
				continue;
			if (strcmp(s, "error") == 0)
				c->log_level = LOG_LVL_ERR;
			else if (strcmp(s, "warning") == 0)
				c->log_level = LOG_LVL_WARN;
			else if (strcmp(s, "info") == 0)
				c->log_level = LOG_LVL_INFO;
			else if (strcmp(s, "debug") == 0)
				c->log_level = LOG_LVL_DEBUG;
			else
				cerr(g, v,
				    "log-level %s unknown (error, "
				    "warning, info, debug)",
				    s);
		} else if (strcmp(key, "listen") == 0) {
			if (v->type == YAML_SCALAR_NODE) {
				if (get_hostport(g, v, "listen", BGP_PORT,
				        &c->listen[0]))
					c->nlisten = 1;
				continue;
			}
			if (v->type != YAML_SEQUENCE_NODE) {
				cerr(g, v,
				    "listen: expected a list of "
				    "ADDRESS:PORT");
				continue;
			}
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++) {
				n = yaml_document_get_node(&g->doc, *it);
				if (c->nlisten >= VRSD_LISTEN_MAX) {
					cerr(g, n,
					    "at most %d listen "
					    "addresses",
					    VRSD_LISTEN_MAX);
					break;
				}
				if (get_hostport(g, n, "listen", BGP_PORT,
				        &c->listen[c->nlisten]))
					c->nlisten++;
			}
		} else if (strcmp(key, "peers") == 0) {
			if (v->type != YAML_SEQUENCE_NODE) {
				cerr(g, v, "peers: expected a list");
				continue;
			}
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++) {
				n = yaml_document_get_node(&g->doc, *it);
				if (c->npeers >= VRSD_PEERS_MAX) {
					cerr(g, n, "at most %d peers",
					    VRSD_PEERS_MAX);
					break;
				}
				c->peers = xreallocarray(c->peers,
				    (size_t)c->npeers + 1, sizeof(*c->peers));
				peer_parse(g, n, &c->peers[c->npeers]);
				c->npeers++;
				for (i = 0; i < c->npeers - 1; i++) {
					j = c->npeers - 1;
					if (strcmp(c->peers[i].name,
					        c->peers[j].name) == 0)
						cerr(g, n,
						    "peer name %s used "
						    "twice",
						    c->peers[j].name);
					if (c->peers[j].addr.af != 0 &&
					    addr_cmp(&c->peers[i].addr,
					        &c->peers[j].addr) == 0)
						cerr(g, n,
						    "peer address used "
						    "twice (%s)",
						    c->peers[i].name);
				}
			}
		} else
			cerr(g, k,
			    "unknown setting %s (expected router-id, "
			    "asn, listen, mode, instance, bgp-port, control, "
			    "control-group, control-listen, http-token-file, "
			    "web, mrt-dump, mrt-updates, state, log-level, "
			    "peers)",
			    key);
	}
	if (g->listen_node != NULL && c->http_token[0] == '\0')
		cerr(g, g->listen_node,
		    "control-listen %s: not a loopback address "
		    "(127.0.0.0/8 or [::1]; without http-token-file the "
		    "control API has no authentication)",
		    (const char *)g->listen_node->data.scalar.value);
	if (g->instance_node != NULL && !c->ars)
		cerr(g, g->instance_node, "instance: needs mode: ars");
	if (g->web_node != NULL && !c->control_tcp)
		cerr(g, g->web_node,
		    "web: true needs control-listen (the page is served on "
		    "that TCP listener)");
	if (!have_as && g->nerr == 0 && c->npeers > 0)
		cerr(g, root, "asn is missing");
	if (!have_rid && g->nerr == 0 && c->npeers > 0)
		cerr(g, root, "router-id is missing");
}

bool
vrsd_config_load(const char *path, struct vrsd_config *c, struct sbuf *errs)
{
	struct cfg g;
	yaml_parser_t parser;
	FILE *f;

	memset(&g, 0, sizeof(g));
	g.path = path;
	g.errs = errs;
	g.c = c;
	memset(c, 0, sizeof(*c));
	c->log_level = LOG_LVL_INFO;
	c->control_gid = -1;
	c->bgp.transparent = true;
	c->bgp_port = 179;
	c->instance = -1;
	snprintf(c->control, sizeof(c->control), "%s", VRSD_DEFAULT_SOCKET);
	if ((f = fopen(path, "r")) == NULL) {
		sbuf_printf(errs, "%s: %s\n", path, strerror(errno));
		return false;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &g.doc)) {
		sbuf_printf(errs, "%s:%zu:%zu: %s\n", path,
		    parser.problem_mark.line + 1,
		    parser.problem_mark.column + 1,
		    parser.problem ? parser.problem : "YAML syntax error");
		yaml_parser_delete(&parser);
		fclose(f);
		return false;
	}
	top_parse(&g, yaml_document_get_root_node(&g.doc));
	yaml_document_delete(&g.doc);
	yaml_parser_delete(&parser);
	fclose(f);
	if (g.nerr > 0) {
		vrsd_config_free(c);
		return false;
	}
	return true;
}

void
vrsd_config_free(struct vrsd_config *c)
{
	free(c->peers);
	c->peers = NULL;
	c->npeers = 0;
}

bool
vrsd_peer_changed(const struct session_conf *a, const struct session_conf *b)
{
	return addr_cmp(&a->addr, &b->addr) != 0 || a->port != b->port ||
	    addr_cmp(&a->local, &b->local) != 0 || a->asn != b->asn ||
	    a->passive != b->passive || a->hold_time != b->hold_time ||
	    a->max_prefixes != b->max_prefixes || a->ipv4 != b->ipv4 ||
	    a->ipv6 != b->ipv6 || a->md5_len != b->md5_len ||
	    memcmp(a->md5_key, b->md5_key, a->md5_len) != 0 ||
	    a->ttl != b->ttl || a->min_ttl != b->min_ttl;
}
