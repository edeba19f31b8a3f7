/* SPDX-License-Identifier: ISC */
/* session/session.c - the RFC 4271 FSM, OPEN negotiation, input and timers. */

#include "session/session.h"

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "session/session_int.h"

#define OPENSENT_HOLD 240 /* RFC 4271 8.2.2: a large value */
#define RETRY_MAX     60
#define INPUT_HIGH    (4u << 20)

static void conn_free(struct conn *c);
static void gr_keep(struct session *s);
static void session_start(struct session *s);
static void conn_read_cb(struct bufferevent *bev, void *arg);
static void conn_write_cb(struct bufferevent *bev, void *arg);
static void conn_event_cb(struct bufferevent *bev, short what, void *arg);
static void session_input(struct session *s, struct conn *c);

static void
strlcpy_trunc(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int64_t
session_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

const char *
session_state_name(enum session_state st)
{
	static const char *names[] = { "Idle", "Connect", "Active", "OpenSent",
		"OpenConfirm", "Established" };

	return (unsigned)st < 6 ? names[st] : "?";
}

/* "peer 10.0.0.1 AS65001 (name): " */
void
peer_log(struct session *s, enum log_level lvl, const char *fmt, ...)
{
	char addr[ADDR_STRLEN], buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	addr_print(&s->conf.addr, addr, sizeof(addr));
	if (lvl <= LOG_LVL_WARN)
		strlcpy_trunc(s->last_error, buf, sizeof(s->last_error));
	log_msg_lvl(
	    lvl, "peer %s AS%u (%s): %s", addr, s->conf.asn, s->conf.name, buf);
}

static void
set_state(struct session *s, enum session_state st)
{
	if (s->st == st)
		return;
	if (st == SESSION_ESTABLISHED || s->st == SESSION_ESTABLISHED)
		peer_log(s, LOG_LVL_INFO, "%s -> %s", session_state_name(s->st),
		    session_state_name(st));
	else
		peer_log(s, LOG_LVL_DEBUG, "%s -> %s",
		    session_state_name(s->st), session_state_name(st));
	s->st = st;
	s->since = session_now();
}

static void
timer_set(struct event *ev, unsigned secs)
{
	struct timeval tv = { secs, 0 };

	evtimer_add(ev, &tv);
}

/* ---- sending ---- */

static void
conn_send(struct conn *c, const void *p, size_t len)
{
	if (c == NULL || c->bev == NULL)
		return;
	bufferevent_write(c->bev, p, len);
	c->s->stats.msgs_out++;
}

static void
send_notification(
    struct conn *c, uint8_t code, uint8_t subcode, const void *data, size_t len)
{
	uint8_t buf[BGP_MAX_LEN];
	struct wbuf w;

	if (len > BGP_MAX_LEN - BGP_NOTIFY_MIN_LEN)
		len = BGP_MAX_LEN - BGP_NOTIFY_MIN_LEN;
	wbuf_init(&w, buf, sizeof(buf));
	if (bgp_notification_encode(&w, code, subcode, data, len))
		conn_send(c, buf, w.len);
	peer_log(c->s, LOG_LVL_WARN, "sent NOTIFICATION %u/%u (%s)", code,
	    subcode, bgp_err_name(code, subcode));
}

static void
send_keepalive(struct session *s)
{
	uint8_t buf[BGP_HDR_LEN];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	bgp_keepalive_encode(&w);
	conn_send(s->conn[0], buf, w.len);
}

static void
send_open(struct conn *c)
{
	const struct bgpd_conf *g = &c->s->d->conf;
	const struct session_conf *sc = &c->s->conf;
	struct bgp_caps_builder b;
	uint8_t store[256], v[8], buf[BGP_MAX_LEN];
	struct bgp_open o;
	struct wbuf w;

	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.my_as = g->asn > 0xffff ? BGP_AS_TRANS : (uint16_t)g->asn;
	o.hold_time = sc->hold_time;
	o.bgp_id = g->router_id;
	bgp_caps_builder_init(&b, &o.caps, store, sizeof(store));
	/* RFC 4760: the families */
	if (sc->ipv4) {
		uint8_t mp[4] = { 0, BGP_AFI_IPV4, 0, BGP_SAFI_UNICAST };

		bgp_caps_add(&b, BGP_CAP_MP, mp, 4);
	}
	if (sc->ipv6) {
		uint8_t mp[4] = { 0, BGP_AFI_IPV6, 0, BGP_SAFI_UNICAST };

		bgp_caps_add(&b, BGP_CAP_MP, mp, 4);
	}
	bgp_caps_add(&b, BGP_CAP_RR, NULL, 0);
	bgp_caps_add(&b, BGP_CAP_ENHANCED_RR, NULL, 0);
	v[0] = (uint8_t)(g->asn >> 24);
	v[1] = (uint8_t)(g->asn >> 16);
	v[2] = (uint8_t)(g->asn >> 8);
	v[3] = (uint8_t)g->asn;
	bgp_caps_add(&b, BGP_CAP_AS4, v, 4);
	bgp_caps_add(&b, BGP_CAP_EXT_MSG, NULL, 0);
	/*
	 * RFC 4724 3: graceful restart, as a helper only: a restart time and
	 * no families (vrsd keeps no forwarding state across its restarts).
	 */
	v[0] = (uint8_t)(SESSION_GR_TIME >> 8);
	v[1] = (uint8_t)SESSION_GR_TIME;
	bgp_caps_add(&b, BGP_CAP_GR, v, 2);
	{
		/* RFC 7911: we receive path identifiers, we do not send them */
		uint8_t ap[8];
		size_t n = 0;

		if (sc->ipv4) {
			ap[n++] = 0;
			ap[n++] = BGP_AFI_IPV4;
			ap[n++] = BGP_SAFI_UNICAST;
			ap[n++] = BGP_ADDPATH_RX;
		}
		if (sc->ipv6) {
			ap[n++] = 0;
			ap[n++] = BGP_AFI_IPV6;
			ap[n++] = BGP_SAFI_UNICAST;
			ap[n++] = BGP_ADDPATH_RX;
		}
		if (n > 0)
			bgp_caps_add(&b, BGP_CAP_ADDPATH, ap, n);
	}
	wbuf_init(&w, buf, sizeof(buf));
	if (!bgp_open_encode(&w, &o))
		fatalx("%s: OPEN does not fit", __func__);
	conn_send(c, buf, w.len);
	c->open_sent = true;
	c->st = SESSION_OPENSENT;
}

/* ---- connections ---- */

static struct conn *
conn_new(struct session *s, struct bufferevent *bev, bool outgoing)
{
	struct conn *c = xcalloc(1, sizeof(*c));

	c->s = s;
	c->bev = bev;
	c->outgoing = outgoing;
	c->st = outgoing ? SESSION_CONNECT : SESSION_ACTIVE;
	bufferevent_setcb(bev, conn_read_cb, conn_write_cb, conn_event_cb, c);
	bufferevent_setwatermark(bev, EV_READ, 0, INPUT_HIGH);
	bufferevent_setwatermark(bev, EV_WRITE, SESSION_OUTQ_HIGH / 2, 0);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	return c;
}

static void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	if (c->bev != NULL)
		bufferevent_free(c->bev);
	free(c);
}

/* Drop connection i; the other one (if any) becomes current. */
static void
conn_drop(struct session *s, int i)
{
	conn_free(s->conn[i]);
	s->conn[i] = NULL;
	if (i == 0 && s->conn[1] != NULL) {
		s->conn[0] = s->conn[1];
		s->conn[1] = NULL;
	}
}

static void
tune_socket(int fd)
{
	int one = 1, ttl = 255;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* multihop peers (ARS requires eBGP multihop): TTL 255 */
	setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
}

static void
sockaddr_make(const struct ipaddr *a, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->af == ADDR_V4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->a, 4);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->a, 16);
		*len = sizeof(*sin6);
	}
}

static void
session_connect(struct session *s)
{
	struct sockaddr_storage ss, ls;
	socklen_t len, llen;
	struct bufferevent *bev;
	int fd;

	if (s->conn[0] != NULL)
		return;
	sockaddr_make(&s->conf.addr, s->conf.port, &ss, &len);
	fd =
	    socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		peer_log(s, LOG_LVL_WARN, "socket: %s", strerror(errno));
		goto retry;
	}
	if (s->conf.local.af != 0) {
		sockaddr_make(&s->conf.local, 0, &ls, &llen);
		if (bind(fd, (struct sockaddr *)&ls, llen) < 0) {
			peer_log(s, LOG_LVL_WARN, "bind to source address: %s",
			    strerror(errno));
			close(fd);
			goto retry;
		}
	}
	tune_socket(fd);
	bev = bufferevent_socket_new(s->d->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bufferevent_socket_connect(bev, (struct sockaddr *)&ss, (int)len) <
	    0) {
		bufferevent_free(bev);
		goto retry;
	}
	s->conn[0] = conn_new(s, bev, true);
	set_state(s, SESSION_CONNECT);
	return;

retry:
	set_state(s, SESSION_ACTIVE);
	timer_set(s->retry_ev, s->retry_delay);
}

static void
retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;

	(void)fd;
	(void)what;
	if (s->conn[0] == NULL && !s->d->shutting_down)
		session_start(s);
}

static void
session_start(struct session *s)
{
	if (s->conf.passive) {
		set_state(s, SESSION_ACTIVE);
		return;
	}
	session_connect(s);
}

/*
 * Leave the session: forget the negotiated state, flush the peer's
 * routes, and start again (a passive peer waits, an active one connects
 * after retry_delay, doubled each time up to RETRY_MAX).
 */
void
session_down(struct session *s, const char *why)
{
	struct rib_peer *rp = rib_peer(s->d->rib, s->rib_id);
	size_t n;

	if (why != NULL)
		peer_log(s, LOG_LVL_WARN, "session closed: %s", why);
	if (s->st == SESSION_ESTABLISHED)
		s->stats.flaps++;
	evtimer_del(s->hold_ev);
	evtimer_del(s->ka_ev);
	evtimer_del(s->stall_ev);
	event_del(s->work_ev);
	event_del(s->export_ev);
	conn_drop(s, 0);
	conn_drop(s, 0);
	if (rp != NULL && s->st == SESSION_ESTABLISHED && !s->notified &&
	    !s->deleted && !s->d->shutting_down &&
	    (s->gr_af[BGP_AF_IPV4] || s->gr_af[BGP_AF_IPV6])) {
		/* RFC 4724 4.2: keep its routes, stale, for its restart time */
		gr_keep(s);
	} else if (rp != NULL && (rp->up || rp->nprefixes > 0)) {
		n = rib_peer_down(s->d->rib, s->rib_id);
		memset(s->stale, 0, sizeof(s->stale));
		evtimer_del(s->gr_ev);
		if (n > 0)
			peer_log(s, LOG_LVL_INFO, "%zu routes withdrawn", n);
		bgpd_export_all(s->d);
	}
	s->notified = false;
	memset(s->eor_sent, 0, sizeof(s->eor_sent));
	memset(s->eor_rcvd, 0, sizeof(s->eor_rcvd));
	memset(s->refreshing, 0, sizeof(s->refreshing));
	set_state(s, SESSION_IDLE);
	if (s->d->shutting_down || s->deleted)
		return;
	if (s->conf.passive)
		set_state(s, SESSION_ACTIVE);
	else {
		set_state(s, SESSION_ACTIVE);
		timer_set(s->retry_ev, s->retry_delay);
		if (s->retry_delay < RETRY_MAX)
			s->retry_delay =
			    (uint16_t)(s->retry_delay * 2 > RETRY_MAX
			            ? RETRY_MAX
			            : s->retry_delay * 2);
	}
}

static void
gr_sweep(struct session *s, int af)
{
	size_t n;

	if (!s->stale[af])
		return;
	s->stale[af] = false;
	n = rib_sweep_stale(s->d->rib, s->rib_id, bgp_af_addr(af));
	if (n > 0)
		peer_log(s, LOG_LVL_INFO, "%zu stale %s routes removed", n,
		    af == BGP_AF_IPV4 ? "IPv4" : "IPv6");
	bgpd_export_all(s->d);
}

static void
gr_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;
	int af;

	(void)fd;
	(void)what;
	/* restart time or stale time over: the kept routes go */
	for (af = 0; af < BGP_AF_MAX; af++)
		gr_sweep(s, af);
}

static void
gr_keep(struct session *s)
{
	size_t n;
	int af;

	n = rib_peer_stale(s->d->rib, s->rib_id, 0);
	for (af = 0; af < BGP_AF_MAX; af++) {
		if (s->gr_af[af])
			s->stale[af] = true;
		else /* families it does not restart gracefully go now */
			n -= rib_sweep_stale(
			    s->d->rib, s->rib_id, bgp_af_addr(af));
	}
	peer_log(s, LOG_LVL_INFO, "graceful restart: %zu routes kept for %u s",
	    n, s->gr_time);
	timer_set(s->gr_ev, s->gr_time);
	bgpd_export_all(s->d);
}

/* Send a NOTIFICATION on c and bring the session down. */
static void
session_error(struct session *s, struct conn *c, uint8_t code, uint8_t subcode,
    struct rbuf data, const char *why)
{
	char msg[256];

	send_notification(c, code, subcode, data.p, data.len);
	s->notified = true;
	snprintf(msg, sizeof(msg), "NOTIFICATION %u/%u (%s)%s%s", code, subcode,
	    bgp_err_name(code, subcode), why ? ": " : "", why ? why : "");
	/* let the NOTIFICATION leave before the socket closes */
	if (c != NULL && c->bev != NULL) {
		struct evbuffer *out = bufferevent_get_output(c->bev);
		int fd = bufferevent_getfd(c->bev);

		while (
		    evbuffer_get_length(out) > 0 && evbuffer_write(out, fd) > 0)
			;
	}
	if (c != s->conn[0]) {
		conn_drop(s, 1);
		return;
	}
	session_down(s, msg);
}

/* ---- timers ---- */

static void
hold_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;

	(void)fd;
	(void)what;
	session_error(s, s->conn[0], BGP_ERR_HOLD, 0, rbuf_make(NULL, 0),
	    "hold timer expired");
}

static void
ka_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;

	(void)fd;
	(void)what;
	if (s->st < SESSION_OPENCONFIRM)
		return;
	send_keepalive(s);
	if (s->hold > 0)
		timer_set(s->ka_ev, s->hold / 3 > 0 ? s->hold / 3 : 1);
}

static void
stall_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;

	(void)fd;
	(void)what;
	/* RFC 4486: the peer does not read; we will not buffer for ever */
	session_error(s, s->conn[0], BGP_ERR_CEASE, BGP_CEASE_RESOURCES,
	    rbuf_make(NULL, 0), "peer stopped reading");
}

static void
hold_restart(struct session *s)
{
	if (s->st == SESSION_ESTABLISHED || s->st == SESSION_OPENCONFIRM) {
		if (s->hold > 0)
			timer_set(s->hold_ev, s->hold);
	} else
		timer_set(s->hold_ev, OPENSENT_HOLD);
}

/* ---- OPEN ---- */

static void
negotiate(struct session *s, const struct bgp_open *o)
{
	const struct bgp_caps *c = &o->caps;
	int af;

	memset(&s->ctx, 0, sizeof(s->ctx));
	s->ctx.as4 = c->as4;
	s->ctx.ebgp = s->conf.asn != s->d->conf.asn;
	/* a route server's clients' paths start with their own AS */
	s->ctx.peer_as = s->ctx.ebgp ? s->conf.asn : 0;
	s->fam[BGP_AF_IPV4] =
	    s->conf.ipv4 && bgp_caps_has_af(c, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	s->fam[BGP_AF_IPV6] =
	    s->conf.ipv6 && bgp_caps_has_af(c, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	for (af = 0; af < BGP_AF_MAX; af++)
		s->ctx.addpath_rx[af] = s->fam[af] &&
		    (bgp_caps_addpath(c, bgp_af_afi(af), BGP_SAFI_UNICAST) &
		        BGP_ADDPATH_TX);
	s->peer_rr = c->rr || c->enhanced_rr;
	s->peer_err = c->enhanced_rr;
	s->ext_msg = c->ext_msg;
	s->peer_id = o->bgp_id;
	s->hold =
	    o->hold_time < s->conf.hold_time ? o->hold_time : s->conf.hold_time;
}

/* RFC 4271 6.8: keep the connection opened by the higher BGP identifier. */
static bool
resolve_collision(struct session *s, struct conn *c)
{
	struct conn *other = s->conn[0] == c ? s->conn[1] : s->conn[0];
	bool keep_ours, c_wins;

	if (other == NULL || !other->connected)
		return true;
	keep_ours = s->d->conf.router_id > c->peer_open.bgp_id;
	c_wins = c->outgoing == keep_ours;
	if (!c_wins) {
		send_notification(
		    c, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0);
		return false;
	}
	send_notification(other, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0);
	if (other == s->conn[0]) {
		conn_free(s->conn[0]);
		s->conn[0] = c;
		s->conn[1] = NULL;
	} else
		conn_drop(s, 1);
	return true;
}

static void
handle_open(struct session *s, struct conn *c, const struct bgp_hdr *h)
{
	struct bgp_err e;
	struct bgp_open *o = &c->peer_open;
	uint32_t asn;

	memset(&e, 0, sizeof(e));
	if (c->open_rcvd || c->st >= SESSION_OPENCONFIRM) {
		session_error(s, c, BGP_ERR_FSM,
		    s->st == SESSION_ESTABLISHED ? BGP_FSM_ESTABLISHED
		                                 : BGP_FSM_OPENCONFIRM,
		    rbuf_make(NULL, 0), "second OPEN");
		return;
	}
	/* keep the bytes: the decoded OPEN borrows from them */
	memcpy(c->open_raw, h->body.p, h->body.len);
	if (!bgp_open_decode(rbuf_make(c->open_raw, h->body.len), o, &e)) {
		session_error(s, c, e.code, e.subcode, bgp_err_data(&e), e.why);
		return;
	}
	asn = bgp_open_asn(o);
	if (asn != s->conf.asn) {
		uint8_t d[2] = { (uint8_t)(o->my_as >> 8), (uint8_t)o->my_as };
		char why[64];

		snprintf(why, sizeof(why), "peer says AS%u, expected AS%u", asn,
		    s->conf.asn);
		session_error(
		    s, c, BGP_ERR_OPEN, BGP_OPEN_PEER_AS, rbuf_make(d, 2), why);
		return;
	}
	/* RFC 6286 2.1: identical identifiers only across ASes */
	if (o->bgp_id == s->d->conf.router_id && asn == s->d->conf.asn) {
		session_error(s, c, BGP_ERR_OPEN, BGP_OPEN_BGPID,
		    rbuf_make(NULL, 0), "peer uses our BGP identifier");
		return;
	}
	c->open_rcvd = true;
	if (!resolve_collision(s, c)) {
		if (c == s->conn[1])
			conn_drop(s, 1);
		return;
	}
	if (!c->open_sent)
		send_open(c);
	negotiate(s, o);
	c->st = SESSION_OPENCONFIRM;
	set_state(s, SESSION_OPENCONFIRM);
	send_keepalive(s);
	hold_restart(s);
	if (s->hold > 0)
		timer_set(s->ka_ev, s->hold / 3 > 0 ? s->hold / 3 : 1);
}

static void
session_established(struct session *s)
{
	struct rib_peer *rp = rib_peer(s->d->rib, s->rib_id);
	int af;

	set_state(s, SESSION_ESTABLISHED);
	s->conn[0]->st = SESSION_ESTABLISHED;
	s->retry_delay = s->conf.connect_retry;
	rp->up = true;
	rp->ebgp = s->ctx.ebgp;
	rp->router_id = s->peer_id;
	rib_peer_refresh(s->d->rib, s->rib_id);
	event_active(s->export_ev, EV_TIMEOUT, 0);
	/*
	 * RFC 4724 4.2: stale routes of a family the new session does not
	 * restart gracefully go now; the others wait for its End-of-RIB,
	 * at most SESSION_STALE_TIME.
	 */
	evtimer_del(s->gr_ev);
	for (af = 0; af < BGP_AF_MAX; af++)
		if (s->stale[af] && !s->gr_af[af])
			gr_sweep(s, af);
	if (s->stale[BGP_AF_IPV4] || s->stale[BGP_AF_IPV6])
		timer_set(s->gr_ev, SESSION_STALE_TIME);
}

/* ---- UPDATE ---- */

static void
withdraw_field(struct session *s, struct rbuf f, uint8_t af, bool addpath)
{
	struct bgp_nlri n;
	struct bgp_err e;

	while (bgp_nlri_next(&f, af, addpath, &n, &e))
		rib_withdraw(s->d->rib, &n.pfx, s->rib_id, n.path_id);
}

static void
announce_field(
    struct session *s, struct rbuf f, uint8_t af, bool addpath, struct attrs *a)
{
	struct bgp_nlri n;
	struct bgp_err e;

	while (bgp_nlri_next(&f, af, addpath, &n, &e)) {
		if (a == NULL || !bgpd_import(s->d, s, &n.pfx, a))
			rib_withdraw(s->d->rib, &n.pfx, s->rib_id, n.path_id);
		else
			rib_update(s->d->rib, &n.pfx, s->rib_id, n.path_id, a);
	}
}

static bool
mp_nexthop(const struct bgp_mp_reach *r, int af, struct ipaddr *nh, uint8_t *ll)
{
	memset(nh, 0, sizeof(*nh));
	memset(ll, 0, 16);
	if (r->nh_len == 4) {
		nh->af = ADDR_V4;
		memcpy(nh->a, r->nh, 4);
		if (af == BGP_AF_IPV6) {
			/* an IPv4 next hop for IPv6: IPv4-mapped */
			nh->af = ADDR_V6;
			memset(nh->a, 0, 16);
			nh->a[10] = nh->a[11] = 0xff;
			memcpy(nh->a + 12, r->nh, 4);
		}
		return true;
	}
	if (r->nh_len == 16 || r->nh_len == 32) {
		nh->af = ADDR_V6;
		memcpy(nh->a, r->nh, 16);
		if (r->nh_len == 32)
			memcpy(ll, r->nh + 16, 16);
		return true;
	}
	return false;
}

static void
handle_update(struct session *s, struct conn *c, const struct bgp_hdr *h)
{
	static struct bgp_pattrs pa;
	struct bgp_update u;
	struct bgp_err e;
	struct rib_peer *rp;
	struct attrs *a = NULL;
	struct ipaddr nh;
	uint8_t ll[16];
	uint16_t afi;
	uint8_t safi;
	int af;
	bool withdraw;

	memset(&e, 0, sizeof(e));
	if (s->st != SESSION_ESTABLISHED) {
		session_error(s, c, BGP_ERR_FSM,
		    s->st == SESSION_OPENCONFIRM ? BGP_FSM_OPENCONFIRM
		                                 : BGP_FSM_OPENSENT,
		    rbuf_make(NULL, 0), "UPDATE before Established");
		return;
	}
	s->stats.updates_in++;
	if (!bgp_update_split(h->body, &u, &e) ||
	    !bgp_update_decode(&u, &s->ctx, &pa, &e)) {
		session_error(s, c, e.code, e.subcode, bgp_err_data(&e), e.why);
		return;
	}
	if (bgp_update_is_eor(&u, &pa, &afi, &safi)) {
		if ((af = bgp_af_from(afi, safi)) >= 0) {
			s->eor_rcvd[af] = true;
			gr_sweep(s, af); /* RFC 4724 4.2 */
		}
		return;
	}
	withdraw = pa.outcome == BGP_OUT_WITHDRAW;
	if (pa.outcome != BGP_OUT_OK) {
		peer_log(s, LOG_LVL_WARN, "UPDATE %s: %s (%s)",
		    bgp_outcome_name(pa.outcome), pa.err.why ? pa.err.why : "",
		    bgp_attr_name(pa.err.attr));
		if (withdraw)
			s->stats.treat_as_withdraw++;
		else
			s->stats.attr_discard++;
	}
	withdraw_field(s, u.withdrawn, ADDR_V4, s->ctx.addpath_rx[BGP_AF_IPV4]);
	if (bgp_pattrs_has(&pa, BGP_ATTR_MP_UNREACH) &&
	    (af = bgp_af_from(pa.mp_unreach.afi, pa.mp_unreach.safi)) >= 0 &&
	    s->fam[af])
		withdraw_field(s, pa.mp_unreach.nlri, bgp_af_addr(af),
		    s->ctx.addpath_rx[af]);
	if (u.nlri.len > 0) {
		if (!withdraw) {
			memset(&nh, 0, sizeof(nh));
			nh.af = ADDR_V4;
			memcpy(nh.a, pa.nexthop, 4);
			a = attrs_from_wire(s->d->rib, &pa, &nh, NULL);
		}
		announce_field(
		    s, u.nlri, ADDR_V4, s->ctx.addpath_rx[BGP_AF_IPV4], a);
		attrs_unref(s->d->rib, a);
		a = NULL;
	}
	if (bgp_pattrs_has(&pa, BGP_ATTR_MP_REACH) &&
	    (af = bgp_af_from(pa.mp_reach.afi, pa.mp_reach.safi)) >= 0 &&
	    s->fam[af]) {
		if (!withdraw && mp_nexthop(&pa.mp_reach, af, &nh, ll))
			a = attrs_from_wire(s->d->rib, &pa, &nh, ll);
		announce_field(s, pa.mp_reach.nlri, bgp_af_addr(af),
		    s->ctx.addpath_rx[af], a);
		attrs_unref(s->d->rib, a);
	}
	rp = rib_peer(s->d->rib, s->rib_id);
	if (s->conf.max_prefixes > 0 && rp->nprefixes > s->conf.max_prefixes) {
		/* RFC 4486 4: AFI, SAFI and the limit */
		uint8_t d[7] = { 0, BGP_AFI_IPV4, BGP_SAFI_UNICAST,
			(uint8_t)(s->conf.max_prefixes >> 24),
			(uint8_t)(s->conf.max_prefixes >> 16),
			(uint8_t)(s->conf.max_prefixes >> 8),
			(uint8_t)s->conf.max_prefixes };
		char why[80];

		snprintf(why, sizeof(why), "%" PRIu64 " prefixes, limit %u",
		    rp->nprefixes, s->conf.max_prefixes);
		session_error(s, c, BGP_ERR_CEASE, BGP_CEASE_MAXPFX,
		    rbuf_make(d, sizeof(d)), why);
		return;
	}
	bgpd_export_all(s->d);
}

static void
handle_route_refresh(struct session *s, struct conn *c, const struct bgp_hdr *h)
{
	struct bgp_route_refresh rr;
	struct bgp_err e;
	int af;

	memset(&e, 0, sizeof(e));
	if (!bgp_route_refresh_decode(h, &rr, &e)) {
		session_error(s, c, e.code, e.subcode, bgp_err_data(&e), e.why);
		return;
	}
	if (s->st != SESSION_ESTABLISHED)
		return;
	/* RFC 7313 5: BoRR/EoRR from the peer mark its own re-send */
	if (rr.subtype != BGP_RR_NORMAL)
		return;
	af = bgp_af_from(rr.afi, rr.safi);
	if (af < 0 || !s->fam[af])
		return; /* RFC 2918 4: ignore families not negotiated */
	peer_log(s, LOG_LVL_INFO, "ROUTE-REFRESH received for %s",
	    af == BGP_AF_IPV4 ? "ipv4 unicast" : "ipv6 unicast");
	session_refresh_out(s, af);
}

static void
handle_notification(struct session *s, struct conn *c, const struct bgp_hdr *h)
{
	struct bgp_notification n;
	struct bgp_err e;
	char why[400];

	memset(&e, 0, sizeof(e));
	if (!bgp_notification_decode(h->body, &n, &e))
		n.code = n.subcode = 0;
	if (n.has_shutdown)
		snprintf(why, sizeof(why),
		    "received NOTIFICATION %u/%u (%s): \"%.*s\"", n.code,
		    n.subcode, bgp_err_name(n.code, n.subcode),
		    (int)n.shutdown.len, (const char *)n.shutdown.p);
	else
		snprintf(why, sizeof(why), "received NOTIFICATION %u/%u (%s)",
		    n.code, n.subcode, bgp_err_name(n.code, n.subcode));
	if (c != s->conn[0]) {
		conn_drop(s, 1);
		return;
	}
	s->notified = true;
	session_down(s, why);
}

/* Handle one framed message; false if the connection is gone. */
static bool
handle_message(struct session *s, struct conn *c, const struct bgp_hdr *h)
{
	struct conn *cur = s->conn[0];

	s->stats.msgs_in++;
	switch (h->type) {
	case BGP_MSG_OPEN:
		handle_open(s, c, h);
		break;
	case BGP_MSG_UPDATE:
		hold_restart(s);
		handle_update(s, c, h);
		break;
	case BGP_MSG_NOTIFICATION:
		handle_notification(s, c, h);
		return false;
	case BGP_MSG_KEEPALIVE:
		if (c->st == SESSION_OPENCONFIRM && c == s->conn[0])
			session_established(s);
		else if (c->st < SESSION_OPENCONFIRM) {
			session_error(s, c, BGP_ERR_FSM, BGP_FSM_OPENSENT,
			    rbuf_make(NULL, 0), "KEEPALIVE before OPEN");
			return false;
		}
		hold_restart(s);
		break;
	case BGP_MSG_ROUTE_REFRESH:
		hold_restart(s);
		handle_route_refresh(s, c, h);
		break;
	}
	return s->conn[0] == cur && (c == s->conn[0] || c == s->conn[1]);
}

/*
 * Frame and handle up to SESSION_READ_SLICE messages from c's input.
 * Returns true when complete messages remain (another turn is needed).
 */
static bool
conn_input(struct session *s, struct conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	size_t max = s->ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN, avail, want;
	struct bgp_hdr h;
	struct bgp_err e;
	struct rbuf r;
	unsigned n = 0;
	uint8_t *p;
	enum bgp_frame f;

	while (n < SESSION_READ_SLICE) {
		avail = evbuffer_get_length(in);
		if (avail < BGP_HDR_LEN)
			return false;
		want = avail < 256 * 1024 ? avail : 256 * 1024;
		if (want < BGP_EXT_MAX_LEN && avail > want)
			want = avail;
		p = evbuffer_pullup(in, (ssize_t)want);
		r = rbuf_make(p, want);
		memset(&e, 0, sizeof(e));
		f = bgp_msg_frame(&r, max, &h, &e);
		if (f == BGP_FRAME_MORE)
			return false;
		if (f == BGP_FRAME_ERR) {
			session_error(
			    s, c, e.code, e.subcode, bgp_err_data(&e), e.why);
			return false;
		}
		do {
			n++;
			if (!handle_message(s, c, &h))
				return false;
			evbuffer_drain(in, h.len);
			if (n >= SESSION_READ_SLICE)
				break;
			memset(&e, 0, sizeof(e));
			f = bgp_msg_frame(&r, max, &h, &e);
		} while (f == BGP_FRAME_OK);
		if (f == BGP_FRAME_ERR) {
			session_error(
			    s, c, e.code, e.subcode, bgp_err_data(&e), e.why);
			return false;
		}
	}
	return evbuffer_get_length(in) >= BGP_HDR_LEN;
}

static void
session_input(struct session *s, struct conn *c)
{
	if (conn_input(s, c))
		event_active(s->work_ev, EV_TIMEOUT, 0);
}

static void
work_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;
	int i;

	(void)fd;
	(void)what;
	for (i = 0; i < 2; i++)
		if (s->conn[i] != NULL && s->conn[i]->bev != NULL) {
			session_input(s, s->conn[i]);
			break;
		}
}

static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	session_input(c->s, c);
}

static void
conn_write_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct session *s = c->s;

	(void)bev;
	evtimer_del(s->stall_ev);
	if (s->closing) {
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
			session_down(s, NULL);
		return;
	}
	if (s->st == SESSION_ESTABLISHED && c == s->conn[0])
		event_active(s->export_ev, EV_TIMEOUT, 0);
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	struct session *s = c->s;
	char why[128];

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		c->connected = true;
		peer_log(s, LOG_LVL_DEBUG, "connected");
		send_open(c);
		set_state(s, SESSION_OPENSENT);
		hold_restart(s);
		return;
	}
	if (what & BEV_EVENT_EOF)
		snprintf(why, sizeof(why), "connection closed by peer");
	else
		snprintf(why, sizeof(why), "connection error: %s",
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	if (c != s->conn[0]) {
		conn_drop(s, 1);
		return;
	}
	if (!c->connected && c->outgoing) {
		/* the connect failed: quietly retry */
		peer_log(s, LOG_LVL_DEBUG, "%s", why);
		conn_drop(s, 0);
		set_state(s, SESSION_ACTIVE);
		timer_set(s->retry_ev, s->retry_delay);
		return;
	}
	session_down(s, why);
}

/* An accepted connection for s. */
void
session_accept(struct session *s, struct bufferevent *bev)
{
	struct conn *c;

	if (s->st == SESSION_ESTABLISHED || s->closing ||
	    (s->conn[0] != NULL && s->conn[1] != NULL)) {
		/* RFC 4271 6.8: a collision with Established loses */
		uint8_t buf[BGP_HDR_LEN + 2];
		struct wbuf w;

		wbuf_init(&w, buf, sizeof(buf));
		bgp_notification_encode(
		    &w, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0);
		bufferevent_write(bev, buf, w.len);
		evbuffer_write(
		    bufferevent_get_output(bev), bufferevent_getfd(bev));
		bufferevent_free(bev);
		return;
	}
	tune_socket(bufferevent_getfd(bev));
	c = conn_new(s, bev, false);
	c->connected = true;
	if (s->conn[0] == NULL) {
		s->conn[0] = c;
		evtimer_del(s->retry_ev);
	} else
		s->conn[1] = c;
	send_open(c);
	if (c == s->conn[0]) {
		set_state(s, SESSION_OPENSENT);
		hold_restart(s);
	}
}

/* ---- life cycle ---- */

static void
export_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	session_export(arg);
}

struct session *
session_new(struct bgpd *d, const struct session_conf *conf)
{
	struct session *s = xcalloc(1, sizeof(*s));
	struct rib_peer *rp;

	s->d = d;
	s->conf = *conf;
	if (s->conf.connect_retry == 0)
		s->conf.connect_retry = 5;
	s->retry_delay = s->conf.connect_retry;
	s->rib_id = rib_peer_add(d->rib);
	if (s->rib_id == 0) {
		free(s);
		return NULL;
	}
	rp = rib_peer(d->rib, s->rib_id);
	rp->asn = conf->asn;
	rp->addr = conf->addr;
	rp->ebgp = conf->asn != d->conf.asn;
	s->hold_ev = evtimer_new(d->base, hold_cb, s);
	s->ka_ev = evtimer_new(d->base, ka_cb, s);
	s->retry_ev = evtimer_new(d->base, retry_cb, s);
	s->stall_ev = evtimer_new(d->base, stall_cb, s);
	s->work_ev = event_new(d->base, -1, 0, work_cb, s);
	s->export_ev = event_new(d->base, -1, 0, export_cb, s);
	s->gr_ev = evtimer_new(d->base, gr_cb, s);
	s->st = SESSION_IDLE;
	s->since = session_now();
	session_start(s);
	return s;
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	conn_drop(s, 1);
	conn_drop(s, 0);
	event_free(s->hold_ev);
	event_free(s->ka_ev);
	event_free(s->retry_ev);
	event_free(s->stall_ev);
	event_free(s->work_ev);
	event_free(s->export_ev);
	event_free(s->gr_ev);
	rib_peer_del(s->d->rib, s->rib_id);
	free(s);
}

/* Cease with an RFC 9003 message, then close once the output drains. */
void
session_cease(struct session *s, uint8_t subcode, const char *msg)
{
	uint8_t buf[BGP_HDR_LEN + 2 + 1 + BGP_SHUTDOWN_MAX];
	struct wbuf w;

	if (s->conn[0] == NULL || !s->conn[0]->connected) {
		session_down(s, NULL);
		return;
	}
	wbuf_init(&w, buf, sizeof(buf));
	if (subcode == BGP_CEASE_SHUTDOWN || subcode == BGP_CEASE_RESET)
		bgp_notification_encode_shutdown(&w, subcode, msg);
	else
		bgp_notification_encode(&w, BGP_ERR_CEASE, subcode, NULL, 0);
	conn_send(s->conn[0], buf, w.len);
	peer_log(s, LOG_LVL_INFO, "sent NOTIFICATION 6/%u (%s)%s%s", subcode,
	    bgp_err_name(BGP_ERR_CEASE, subcode), msg ? ": " : "",
	    msg ? msg : "");
	s->closing = true;
	event_del(s->export_ev);
	if (evbuffer_get_length(bufferevent_get_output(s->conn[0]->bev)) == 0)
		session_down(s, NULL);
}

bool
session_flushed(const struct session *s)
{
	return s->conn[0] == NULL || s->conn[0]->bev == NULL || !s->closing;
}

const struct session_conf *
session_conf(const struct session *s)
{
	return &s->conf;
}

enum session_state
session_state(const struct session *s)
{
	return s->st;
}

const struct session_stats *
session_stats(const struct session *s)
{
	return &s->stats;
}

uint16_t
session_rib_id(const struct session *s)
{
	return s->rib_id;
}

int64_t
session_uptime(const struct session *s, int64_t now)
{
	return now - s->since;
}

const struct bgp_ctx *
session_ctx(const struct session *s)
{
	return &s->ctx;
}

uint32_t
session_peer_router_id(const struct session *s)
{
	return s->peer_id;
}

const char *
session_last_error(const struct session *s)
{
	return s->last_error;
}

bool
session_request_refresh(struct session *s)
{
	struct bgp_route_refresh rr;
	uint8_t buf[32];
	struct wbuf w;
	int af;

	if (s->st != SESSION_ESTABLISHED || !s->peer_rr)
		return false;
	for (af = 0; af < BGP_AF_MAX; af++) {
		if (!s->fam[af])
			continue;
		rr.afi = bgp_af_afi(af);
		rr.safi = BGP_SAFI_UNICAST;
		rr.subtype = BGP_RR_NORMAL;
		wbuf_init(&w, buf, sizeof(buf));
		bgp_route_refresh_encode(&w, &rr);
		conn_send(s->conn[0], buf, w.len);
	}
	return true;
}

void
session_reset(struct session *s, const char *msg)
{
	session_cease(s, BGP_CEASE_RESET, msg);
}

void
session_conn_send(struct session *s, const void *p, size_t len)
{
	conn_send(s->conn[0], p, len);
}
