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

/* Monotonic milliseconds. */
static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
session_now(void)
{
	return now_ms() / 1000;
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
	/* the connection ends with it: deliver it before the close */
	if (len > 18 && ((const uint8_t *)p)[18] == BGP_MSG_NOTIFICATION)
		c->notify_queued = true;
	c->s->stats.msgs_out++;
	if (len > 18 && ((const uint8_t *)p)[18] < 6)
		c->s->stats.sent_type[((const uint8_t *)p)[18]]++;
	if (c->s->d->ops->message != NULL && c == c->s->conn[0])
		c->s->d->ops->message(c->s->d, c->s, true, p, len);
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

/* The capabilities the session configuration gives, one kind each. */
static void
caps_mp(struct bgp_caps_builder *b, const struct session_conf *sc)
{
	int af;

	/* RFC 4760: the families */
	for (af = 0; af < BGP_AF_MAX; af++) {
		uint8_t mp[4] = { 0, (uint8_t)bgp_af_afi(af), 0,
			BGP_SAFI_UNICAST };

		if (af == BGP_AF_IPV4 ? sc->ipv4 : sc->ipv6)
			bgp_caps_add(b, BGP_CAP_MP, mp, 4);
	}
}

static void
caps_rr(struct bgp_caps_builder *b, const struct session_conf *sc)
{
	if (!sc->no_route_refresh) {
		bgp_caps_add(b, BGP_CAP_RR, NULL, 0);
		bgp_caps_add(b, BGP_CAP_ENHANCED_RR, NULL, 0);
	}
}

static void
caps_asn4(struct bgp_caps_builder *b, const struct session_conf *sc)
{
	uint8_t v[4];

	if (sc->no_asn4)
		return;
	v[0] = (uint8_t)(sc->local_as >> 24);
	v[1] = (uint8_t)(sc->local_as >> 16);
	v[2] = (uint8_t)(sc->local_as >> 8);
	v[3] = (uint8_t)sc->local_as;
	bgp_caps_add(b, BGP_CAP_AS4, v, 4);
}

static void
caps_ext_msg(struct bgp_caps_builder *b, const struct session_conf *sc)
{
	if (!sc->no_ext_msg)
		bgp_caps_add(b, BGP_CAP_EXT_MSG, NULL, 0);
}

/* RFC 4724 3: a family of ours, its forwarding state kept */
static size_t
gr_family(uint8_t *v, size_t n, size_t size, uint16_t afi, uint8_t safi)
{
	if (n + 4 > size)
		return n;
	v[n] = (uint8_t)(afi >> 8);
	v[n + 1] = (uint8_t)afi;
	v[n + 2] = safi;
	v[n + 3] = BGP_GR_FORWARDING;
	return n + 4;
}

/*
 * The capability at *i of extra_caps (the speaker's: code, length,
 * value), and *i moved past it; false at the end or at one that overruns.
 */
static bool
extra_cap_next(const struct session_conf *sc, size_t *i, uint8_t *code,
    const uint8_t **val, size_t *len)
{
	size_t l;

	if (*i + 2 > sc->extra_caps_len)
		return false;
	l = sc->extra_caps[*i + 1];
	if (*i + 2 + l > sc->extra_caps_len)
		return false;
	*code = sc->extra_caps[*i];
	*val = sc->extra_caps + *i + 2;
	*len = l;
	*i += 2 + l;
	return true;
}

/*
 * RFC 4724 3: graceful restart with a restart time and no families (a
 * helper: no forwarding state is kept across our own restarts), or with
 * gr_restarting the restart state and every family offered (the MPs of
 * extra_caps, else IPv4/IPv6 unicast), each with forwarding state kept.
 */
static void
caps_gr(struct bgp_caps_builder *b, const struct session_conf *sc)
{
	uint8_t v[2 + 4 * 32], code;
	const uint8_t *mp;
	size_t i = 0, l, n = 2;
	bool listed = false;

	if (!sc->gr)
		return;
	v[0] = (uint8_t)((sc->gr_time >> 8) & 0x0f);
	v[1] = (uint8_t)sc->gr_time;
	if (sc->gr_restarting) {
		v[0] |= BGP_GR_RESTART_STATE;
		while (extra_cap_next(sc, &i, &code, &mp, &l)) {
			if (code != BGP_CAP_MP || l != 4)
				continue;
			n = gr_family(v, n, sizeof(v),
			    (uint16_t)(mp[0] << 8 | mp[1]), mp[3]);
			listed = true;
		}
		if (!listed && sc->ipv4)
			n = gr_family(
			    v, n, sizeof(v), BGP_AFI_IPV4, BGP_SAFI_UNICAST);
		if (!listed && sc->ipv6)
			n = gr_family(
			    v, n, sizeof(v), BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	}
	bgp_caps_add(b, BGP_CAP_GR, v, n);
}

/* RFC 7911 4: the families we send or receive path identifiers in */
static void
caps_addpath(struct bgp_caps_builder *b, const struct session_conf *sc)
{
	uint8_t ap[4 * BGP_AF_MAX];
	size_t n = 0;
	int af;

	for (af = 0; af < BGP_AF_MAX; af++) {
		if (sc->addpath[af] == 0 ||
		    !(af == BGP_AF_IPV4 ? sc->ipv4 : sc->ipv6))
			continue;
		ap[n++] = 0;
		ap[n++] = (uint8_t)bgp_af_afi(af);
		ap[n++] = BGP_SAFI_UNICAST;
		ap[n++] = sc->addpath[af];
	}
	if (n > 0)
		bgp_caps_add(b, BGP_CAP_ADDPATH, ap, n);
}

/* more capabilities, as code, length, value (the speaker's) */
static void
caps_extra(struct bgp_caps_builder *b, const struct session_conf *sc)
{
	const uint8_t *v;
	size_t i = 0, l;
	uint8_t code;

	while (extra_cap_next(sc, &i, &code, &v, &l))
		bgp_caps_add(b, code, v, l);
}

static void
send_open(struct conn *c)
{
	const struct session_conf *sc = &c->s->conf;
	struct bgp_caps_builder b;
	uint8_t store[1024], buf[BGP_MAX_LEN];
	struct bgp_open o;
	struct wbuf w;

	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.my_as = sc->local_as > 0xffff ? BGP_AS_TRANS : (uint16_t)sc->local_as;
	o.hold_time = sc->hold_time;
	o.bgp_id = sc->router_id;
	bgp_caps_builder_init(&b, &o.caps, store, sizeof(store));
	if (sc->exa_order) {
		/* ExaBGP's Capabilities.new(): the MPs are the speaker's */
		caps_extra(&b, sc);
		caps_asn4(&b, sc);
		caps_addpath(&b, sc);
		caps_gr(&b, sc);
		caps_rr(&b, sc);
		caps_ext_msg(&b, sc);
	} else {
		caps_mp(&b, sc);
		caps_rr(&b, sc);
		caps_asn4(&b, sc);
		caps_ext_msg(&b, sc);
		caps_gr(&b, sc);
		caps_addpath(&b, sc);
		caps_extra(&b, sc);
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
	/* a NOTIFICATION still to deliver: flush, half-close, then close */
	if (c->bev != NULL && c->connected && c->notify_queued)
		bgpd_linger(c->s->d, c->bev);
	else if (c->bev != NULL)
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

static void sockaddr_make(const struct ipaddr *a, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *len);

int
session_sock_md5(
    int fd, const struct ipaddr *peer, const uint8_t *key, size_t len)
{
	struct tcp_md5sig m;
	socklen_t alen;

	if (len > sizeof(m.tcpm_key))
		return -EINVAL;
	memset(&m, 0, sizeof(m));
	sockaddr_make(peer, 0, &m.tcpm_addr, &alen);
	m.tcpm_keylen = (uint16_t)len; /* 0: the key is removed */
	if (len > 0)
		memcpy(m.tcpm_key, key, len);
	if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &m, sizeof(m)) < 0)
		return -errno;
	return 0;
}

/*
 * The TTL (hop limit) of the SYN of accepted connection fd, which the
 * listener saved (TCP_SAVE_SYN); -1 if unknown.
 */
static int
syn_ttl(int fd)
{
	uint8_t h[512];
	socklen_t len = sizeof(h);

	if (getsockopt(fd, IPPROTO_TCP, TCP_SAVED_SYN, h, &len) < 0 || len < 20)
		return -1;
	if (h[0] >> 4 == 4)
		return h[8];
	if (h[0] >> 4 == 6 && len >= 40)
		return h[7];
	return -1;
}

/*
 * Socket options of one of s's connections: no Nagle; TTL 255 unless
 * configured (ARS peers are eBGP multihop); GTSM's minimum TTL (RFC
 * 5082), which a connection we accept must have met from its SYN on
 * (its first segments are queued before we see it); on a connection we
 * open, the MD5 key (one we accept has the listener's, see md5_sync in
 * bgpd.c).  False when the connection must not go on.
 */
static bool
tune_socket(struct session *s, int fd, bool ours)
{
	int one = 1, ttl = s->conf.ttl ? s->conf.ttl : 255;
	int min = s->conf.min_ttl, rc, got;
	bool v6 = s->conf.addr.af == ADDR_V6;

	if (min > 0 && !ours && (got = syn_ttl(fd)) >= 0 && got < min) {
		peer_log(s, LOG_LVL_INFO,
		    "connection refused: TTL %d, ttl-security wants %d "
		    "(RFC 5082)",
		    got, min);
		return false;
	}

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (v6)
		setsockopt(
		    fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
	else
		setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	if (min > 0 &&
	    (v6 ? setsockopt(
	              fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &min, sizeof(min))
	        : setsockopt(fd, IPPROTO_IP, IP_MINTTL, &min, sizeof(min))) <
	        0) {
		peer_log(s, LOG_LVL_WARN, "ttl-security (minimum TTL %d): %s",
		    min, strerror(errno));
		return false;
	}
	if (ours && s->conf.md5_len > 0 &&
	    (rc = session_sock_md5(
	         fd, &s->conf.addr, s->conf.md5_key, s->conf.md5_len)) < 0) {
		peer_log(
		    s, LOG_LVL_WARN, "TCP MD5 signature: %s", strerror(-rc));
		return false;
	}
	return true;
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

/* The wait before the next attempt: retry_delay, or ExaBGP's delay. */
static unsigned
retry_wait(struct session *s)
{
	unsigned d = s->exa_next, next = 1 + d * 6 / 5; /* int(1 + d * 1.2) */

	if (!s->conf.exa_backoff)
		return s->retry_delay;
	s->exa_next = (uint16_t)(next > RETRY_MAX ? RETRY_MAX : next);
	return d;
}

/* Try again after retry_wait(), unless one attempt was all we had. */
static void
retry_later(struct session *s)
{
	if (s->conf.once) {
		s->tcp_once_done = true;
		return;
	}
	timer_set(s->retry_ev, retry_wait(s));
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
	if (!tune_socket(s, fd, true)) {
		close(fd);
		goto retry;
	}
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
	retry_later(s);
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
 * routes, and start again: a passive peer waits; an active one connects
 * 1 s after an Established session, else after retry_delay, doubled each
 * time up to RETRY_MAX (a refused connection retries after retry_delay).
 */
void
session_down(struct session *s, const char *why)
{
	bool was_up = s->st == SESSION_ESTABLISHED;

	if (why != NULL)
		peer_log(s, LOG_LVL_WARN, "session closed: %s", why);
	if (was_up)
		s->stats.flaps++;
	evtimer_del(s->hold_ev);
	evtimer_del(s->ka_ev);
	evtimer_del(s->stall_ev);
	event_del(s->work_ev);
	event_del(s->export_ev);
	conn_drop(s, 0);
	conn_drop(s, 0);
	if (s->d->ops->down != NULL)
		s->d->ops->down(s->d, s, was_up, s->notified);
	s->notified = false;
	s->close_kind = SESSION_CLOSE_NONE;
	if (was_up)
		s->tcp_once_done = false; /* tcp.once limits failed attempts */
	memset(s->eor_sent, 0, sizeof(s->eor_sent));
	memset(s->eor_rcvd, 0, sizeof(s->eor_rcvd));
	memset(s->refreshing, 0, sizeof(s->refreshing));
	set_state(s, SESSION_IDLE);
	if (s->d->shutting_down || s->deleted)
		return;
	set_state(s, SESSION_ACTIVE);
	if (!s->conf.passive && was_up) {
		/* at once, nearly; retry_delay is connect_retry since it came up */
		timer_set(s->retry_ev, s->conf.exa_backoff ? retry_wait(s) : 1);
	} else if (!s->conf.passive && !s->tcp_once_done) {
		retry_later(s);
		if (s->retry_delay < RETRY_MAX)
			s->retry_delay =
			    (uint16_t)(s->retry_delay * 2 > RETRY_MAX
			            ? RETRY_MAX
			            : s->retry_delay * 2);
	}
}

/* Send a NOTIFICATION on c and bring the session down. */
void
session_error(struct session *s, struct conn *c, uint8_t code, uint8_t subcode,
    struct rbuf data, const char *why)
{
	char msg[256];

	send_notification(c, code, subcode, data.p, data.len);
	s->notified = true;
	snprintf(msg, sizeof(msg), "NOTIFICATION %u/%u (%s)%s%s", code, subcode,
	    bgp_err_name(code, subcode), why ? ": " : "", why ? why : "");
	if (c != s->conn[0]) {
		conn_drop(s, 1);
		return;
	}
	session_down(s, msg);
}

/* ---- timers ---- */

/*
 * Established, an UPDATE restarts the hold timer by recording when it
 * came (hold_touch); the timer, armed once, looks at that when it fires
 * and waits again for what is left.
 */
static void
hold_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = arg;
	int64_t left;

	(void)fd;
	(void)what;
	if (s->st == SESSION_ESTABLISHED && s->hold > 0) {
		left = s->hold_rx + (int64_t)s->hold * 1000 - now_ms();
		if (left > 0) {
			struct timeval tv = { (time_t)(left / 1000),
				(suseconds_t)(left % 1000) * 1000 };

			evtimer_add(s->hold_ev, &tv);
			return;
		}
	}
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
	/* what we sent a keepalive interval ago still unread: a peer that
	 * sends KEEPALIVEs but never reads is dropped too (RFC 9687) */
	if (s->hold > 0 && s->conn[0] != NULL &&
	    evbuffer_get_length(bufferevent_get_output(s->conn[0]->bev)) > 0 &&
	    !evtimer_pending(s->stall_ev, NULL)) {
		struct timeval tv = { s->hold, 0 };

		evtimer_add(s->stall_ev, &tv);
	}
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
	s->hold_rx = now_ms();
	if (s->st == SESSION_ESTABLISHED || s->st == SESSION_OPENCONFIRM) {
		if (s->hold > 0)
			timer_set(s->hold_ev, s->hold);
	} else
		timer_set(s->hold_ev, OPENSENT_HOLD);
}

/* A message came: the hold timer restarts, lazily when Established. */
static void
hold_touch(struct session *s)
{
	if (s->st == SESSION_ESTABLISHED && s->hold > 0 &&
	    evtimer_pending(s->hold_ev, NULL))
		s->hold_rx = now_ms();
	else
		hold_restart(s);
}

/* ---- OPEN ---- */

/*
 * RFC 4724 3, 4.2: when both offer graceful restart, the families the
 * peer lists (and that the session carries) are kept over its restart,
 * for its restart time; the F bit says whether it kept their forwarding
 * state, without which the new session drops the stale routes at once.
 */
static void
negotiate_gr(struct session *s, const struct bgp_caps *c)
{
	int af;
	uint8_t i;

	memset(s->gr_af, 0, sizeof(s->gr_af));
	memset(s->gr_fwd, 0, sizeof(s->gr_fwd));
	s->gr_time = 0;
	if (!s->conf.gr || !c->gr)
		return;
	s->gr_time = c->gr_flags_time & 0x0fff;
	for (i = 0; i < c->ngr; i++) {
		af = bgp_af_from(c->grafs[i].afi, c->grafs[i].safi);
		if (af < 0 || !s->fam[af])
			continue;
		s->gr_af[af] = true;
		s->gr_fwd[af] = (c->grafs[i].val & BGP_GR_FORWARDING) != 0;
	}
}

static void
negotiate(struct session *s, const struct bgp_open *o)
{
	const struct bgp_caps *c = &o->caps;
	int af;

	memset(&s->ctx, 0, sizeof(s->ctx));
	s->ctx.as4 = c->as4 && !s->conf.no_asn4;
	s->ctx.ebgp = s->conf.asn != s->conf.local_as;
	/* a route server's clients' paths start with their own AS */
	s->ctx.peer_as = s->ctx.ebgp ? s->conf.asn : 0;
	s->fam[BGP_AF_IPV4] =
	    s->conf.ipv4 && bgp_caps_has_af(c, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	s->fam[BGP_AF_IPV6] =
	    s->conf.ipv6 && bgp_caps_has_af(c, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	for (af = 0; af < BGP_AF_MAX; af++) {
		uint8_t theirs =
		    bgp_caps_addpath(c, bgp_af_afi(af), BGP_SAFI_UNICAST);

		s->ctx.addpath_rx[af] = s->fam[af] &&
		    (s->conf.addpath[af] & BGP_ADDPATH_RX) &&
		    (theirs & BGP_ADDPATH_TX);
		s->ctx.addpath_tx[af] = s->fam[af] &&
		    (s->conf.addpath[af] & BGP_ADDPATH_TX) &&
		    (theirs & BGP_ADDPATH_RX);
	}
	negotiate_gr(s, c);
	s->ext_msg = c->ext_msg && !s->conf.no_ext_msg;
	s->peer_rr = c->rr || c->enhanced_rr;
	s->peer_err = c->enhanced_rr;
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
	keep_ours = s->conf.router_id > c->peer_open.bgp_id;
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
	if (o->bgp_id == s->conf.router_id && asn == s->conf.local_as) {
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
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	memset(&s->local_ip, 0, sizeof(s->local_ip));
	if (getsockname(bufferevent_getfd(s->conn[0]->bev),
	        (struct sockaddr *)&ss, &len) == 0)
		(void)bgpd_sockaddr_addr((struct sockaddr *)&ss, &s->local_ip);
	set_state(s, SESSION_ESTABLISHED);
	s->conn[0]->st = SESSION_ESTABLISHED;
	s->retry_delay = s->conf.connect_retry;
	if (s->d->ops->up != NULL)
		s->d->ops->up(s->d, s);
}

/* ---- UPDATE ---- */

static void
handle_update(struct session *s, struct conn *c, const struct bgp_hdr *h)
{
	static struct bgp_pattrs pa;
	struct bgp_update u;
	struct bgp_err e;
	uint16_t afi;
	uint8_t safi;
	int af;

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
			if (s->d->ops->eor != NULL)
				s->d->ops->eor(s->d, s, af);
		}
		return;
	}
	if (pa.outcome != BGP_OUT_OK) {
		peer_log(s, LOG_LVL_WARN, "UPDATE %s: %s (%s)",
		    bgp_outcome_name(pa.outcome), pa.err.why ? pa.err.why : "",
		    bgp_attr_name(pa.err.attr));
		if (pa.outcome == BGP_OUT_WITHDRAW)
			s->stats.treat_as_withdraw++;
		else
			s->stats.attr_discard++;
	}
	if (s->d->ops->update != NULL)
		s->d->ops->update(s->d, s, &u, &pa);
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
	/* RFC 4271 8.2.2, RFC 6608 4: only Established expects it */
	if (s->st != SESSION_ESTABLISHED) {
		session_error(s, c, BGP_ERR_FSM,
		    s->st == SESSION_OPENCONFIRM ? BGP_FSM_OPENCONFIRM
		                                 : BGP_FSM_OPENSENT,
		    rbuf_make(NULL, 0), "ROUTE-REFRESH before Established");
		return;
	}
	/* RFC 7313 5: BoRR/EoRR from the peer mark its own re-send */
	if (rr.subtype != BGP_RR_NORMAL)
		return;
	af = bgp_af_from(rr.afi, rr.safi);
	if (af < 0 || !s->fam[af])
		return; /* RFC 2918 4: ignore families not negotiated */
	peer_log(s, LOG_LVL_INFO, "ROUTE-REFRESH received for %s",
	    af == BGP_AF_IPV4 ? "ipv4 unicast" : "ipv6 unicast");
	if (s->d->ops->refresh != NULL)
		s->d->ops->refresh(s->d, s, af);
}

static void
handle_notification(struct session *s, struct conn *c, const struct bgp_hdr *h)
{
	struct bgp_notification n;
	struct bgp_err e;
	char why[400], msg[256];

	memset(&e, 0, sizeof(e));
	if (!bgp_notification_decode(h->body, &n, &e))
		n.code = n.subcode = 0;
	if (n.has_shutdown) /* the peer's text: escaped, bounded */
		snprintf(why, sizeof(why),
		    "received NOTIFICATION %u/%u (%s): \"%s\"", n.code,
		    n.subcode, bgp_err_name(n.code, n.subcode),
		    log_escape(
		        n.shutdown.p, n.shutdown.len, 128, msg, sizeof(msg)));
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

static void
tap_update(struct session *s, const struct bgp_hdr *h)
{
	struct bgpd_tap_msg m = { &s->conf.addr, &s->local_ip, 0,
		s->conf.local_as ? s->conf.local_as : s->d->conf.asn, h->msg.p,
		h->msg.len };
	const struct bgp_open *o = session_peer_open(s);

	m.peer_as = o != NULL ? bgp_open_asn(o) : s->conf.asn;
	s->d->tap(s->d->tap_arg, &m);
}

/* Handle one framed message; false if the connection is gone. */
static bool
handle_message(struct session *s, struct conn *c, const struct bgp_hdr *h)
{
	struct conn *cur = s->conn[0];

	s->stats.msgs_in++;
	if (h->type < 6)
		s->stats.rcvd_type[h->type]++;
	if (s->d->ops->message != NULL && c == cur)
		s->d->ops->message(s->d, s, false, h->msg.p, h->msg.len);
	switch (h->type) {
	case BGP_MSG_OPEN:
		handle_open(s, c, h);
		break;
	case BGP_MSG_UPDATE:
		hold_touch(s);
		if (s->d->tap != NULL)
			tap_update(s, h);
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

/* c's TCP is up (once): told to the ops for the current connection. */
static void
conn_up(struct conn *c)
{
	struct session *s = c->s;

	if (c->connected)
		return;
	c->connected = true;
	peer_log(s, LOG_LVL_DEBUG, "connected");
	if (s->d->ops->connected != NULL && c == s->conn[0])
		s->d->ops->connected(s->d, s);
}

/*
 * An outgoing connection is up (RFC 4271 8.2.2, TcpConnectionConfirmed):
 * our OPEN goes, once.
 */
static void
conn_confirmed(struct conn *c)
{
	conn_up(c);
	if (c->open_sent)
		return;
	send_open(c);
	set_state(c->s, SESSION_OPENSENT);
	hold_restart(c->s);
}

static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	(void)bev;
	/*
	 * A passive peer's OPEN can come before the connect event: the
	 * connection is up, and our OPEN goes before theirs is read.
	 */
	if (c->outgoing)
		conn_confirmed(c);
	else
		conn_up(c);
	session_input(c->s, c);
}

static void
conn_write_cb(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct session *s = c->s;

	(void)bev;
	evtimer_del(s->stall_ev);
	if (s->st == SESSION_ESTABLISHED && c == s->conn[0])
		event_active(s->export_ev, EV_TIMEOUT, 0);
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	struct session *s = c->s;
	char why[128];
	int err;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		conn_confirmed(c);
		return;
	}
	err = EVUTIL_SOCKET_ERROR();
	if (what & BEV_EVENT_EOF)
		snprintf(why, sizeof(why), "connection closed by peer");
	else
		snprintf(why, sizeof(why), "connection error: %s",
		    evutil_socket_error_to_string(err));
	if (c != s->conn[0]) {
		conn_drop(s, 1);
		return;
	}
	if (!c->connected && c->outgoing) {
		/* the connect failed: retry, only the speaker's API tells */
		peer_log(s, LOG_LVL_DEBUG, "%s", why);
		conn_drop(s, 0);
		set_state(s, SESSION_ACTIVE);
		if (s->d->ops->connect_failed != NULL)
			s->d->ops->connect_failed(s->d, s);
		retry_later(s);
		return;
	}
	s->close_kind = (what & BEV_EVENT_EOF)  ? SESSION_CLOSE_EOF
	    : err == ECONNRESET || err == EPIPE ? SESSION_CLOSE_RESET
	                                        : SESSION_CLOSE_ERROR;
	session_down(s, why);
}

/* An accepted connection for s. */
void
session_accept(struct session *s, struct bufferevent *bev)
{
	struct conn *c;

	if (s->st == SESSION_ESTABLISHED ||
	    (s->conn[0] != NULL && s->conn[1] != NULL)) {
		/* RFC 4271 6.8: a collision with Established loses */
		uint8_t buf[BGP_HDR_LEN + 2];
		struct wbuf w;

		wbuf_init(&w, buf, sizeof(buf));
		bgp_notification_encode(
		    &w, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0);
		bufferevent_write(bev, buf, w.len);
		bgpd_linger(s->d, bev);
		return;
	}
	if (!tune_socket(s, bufferevent_getfd(bev), false)) {
		bufferevent_free(bev);
		return;
	}
	c = conn_new(s, bev, false);
	s->exa_next = 0; /* ExaBGP's accept resets its delay */
	if (s->conn[0] == NULL) {
		s->conn[0] = c;
		evtimer_del(s->retry_ev);
	} else
		s->conn[1] = c;
	conn_up(c);
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
	struct session *s = arg;

	(void)fd;
	(void)what;
	if (s->d->ops->export != NULL)
		s->d->ops->export(s->d, s);
}

struct session *
session_new(struct bgpd *d, const struct session_conf *conf)
{
	struct session *s = xcalloc(1, sizeof(*s));

	s->d = d;
	s->conf = *conf;
	if (s->conf.connect_retry == 0)
		s->conf.connect_retry = 5;
	if (s->conf.local_as == 0)
		s->conf.local_as = d->conf.asn;
	if (s->conf.router_id == 0)
		s->conf.router_id = d->conf.router_id;
	s->retry_delay = s->conf.connect_retry;
	s->hold_ev = evtimer_new(d->base, hold_cb, s);
	s->ka_ev = evtimer_new(d->base, ka_cb, s);
	s->retry_ev = evtimer_new(d->base, retry_cb, s);
	s->stall_ev = evtimer_new(d->base, stall_cb, s);
	s->work_ev = event_new(d->base, -1, 0, work_cb, s);
	s->export_ev = event_new(d->base, -1, 0, export_cb, s);
	s->st = SESSION_IDLE;
	s->since = session_now();
	if (d->ops->attach != NULL && !d->ops->attach(d, s)) {
		session_free(s);
		return NULL;
	}
	s->attached = true;
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
	if (s->attached && s->d->ops->detach != NULL)
		s->d->ops->detach(s->d, s);
	event_free(s->hold_ev);
	event_free(s->ka_ev);
	event_free(s->retry_ev);
	event_free(s->stall_ev);
	event_free(s->work_ev);
	event_free(s->export_ev);
	free(s);
}

/* How a Cease carries its reason: not at all, as RFC 9003's length and
 * text, or as the text alone (ExaBGP's Notify for other subcodes). */
enum cease_data { CEASE_NONE, CEASE_RFC9003, CEASE_TEXT };

/*
 * Send Cease/subcode with msg as data says, and close once the output
 * has drained.  notified: the session is counted as ended by a
 * NOTIFICATION (no graceful restart for the peer).
 */
static void
cease(struct session *s, uint8_t subcode, const char *msg, enum cease_data data,
    bool notified)
{
	uint8_t buf[BGP_HDR_LEN + 2 + 1 + BGP_SHUTDOWN_MAX];
	struct wbuf w;
	size_t len;

	if (s->conn[0] == NULL || !s->conn[0]->connected) {
		session_down(s, NULL);
		return;
	}
	if (s->conf.gr && s->conf.gr_restarting) {
		/* the peer keeps our routes only if no NOTIFICATION came */
		peer_log(s, LOG_LVL_INFO,
		    "closed without NOTIFICATION 6/%u (graceful restart)",
		    subcode);
		s->close_kind = SESSION_CLOSE_GR;
		session_down(s, NULL);
		return;
	}
	wbuf_init(&w, buf, sizeof(buf));
	if (msg != NULL && data == CEASE_RFC9003) {
		bgp_notification_encode_shutdown(&w, subcode, msg);
	} else if (msg != NULL && data == CEASE_TEXT) {
		len = strlen(msg);
		bgp_notification_encode(&w, BGP_ERR_CEASE, subcode, msg,
		    len > BGP_SHUTDOWN_MAX ? BGP_SHUTDOWN_MAX : len);
	} else
		bgp_notification_encode(&w, BGP_ERR_CEASE, subcode, NULL, 0);
	conn_send(s->conn[0], buf, w.len);
	peer_log(s, LOG_LVL_INFO, "sent NOTIFICATION 6/%u (%s)%s%s", subcode,
	    bgp_err_name(BGP_ERR_CEASE, subcode), msg ? ": " : "",
	    msg ? msg : "");
	s->notified |= notified;
	session_down(s, NULL);
}

void
session_cease(struct session *s, uint8_t subcode, const char *msg)
{
	/* RFC 9003 defines the text for shutdown and reset only */
	cease(s, subcode, msg,
	    subcode == BGP_CEASE_SHUTDOWN || subcode == BGP_CEASE_RESET
	        ? CEASE_RFC9003
	        : CEASE_NONE,
	    false);
}

void
session_teardown(struct session *s, uint8_t subcode, const char *msg)
{
	static const char *names[] = { NULL,
		"Maximum Number of Prefixes Reached", "Administrative Shutdown",
		"Peer De-configured", "Administrative Reset",
		"Connection Rejected", "Other Configuration Change",
		"Connection Collision Resolution", "Out of Resources" };

	if (msg == NULL && subcode < sizeof(names) / sizeof(names[0]))
		msg = names[subcode];
	s->exa_next = 0; /* ExaBGP's teardown resets its delay */
	/*
	 * As ExaBGP 4.2's Notify: the reason as RFC 9003 text for shutdown
	 * and reset, as the text alone for the other subcodes.
	 */
	cease(s, subcode, msg,
	    subcode == BGP_CEASE_SHUTDOWN || subcode == BGP_CEASE_RESET
	        ? CEASE_RFC9003
	        : CEASE_TEXT,
	    true);
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

void *
session_user(const struct session *s)
{
	return s->user;
}

void
session_set_user(struct session *s, void *user)
{
	s->user = user;
}

int64_t
session_uptime(const struct session *s, int64_t now)
{
	return now - s->since;
}

const struct bgp_open *
session_peer_open(const struct session *s)
{
	if (s->conn[0] == NULL || !s->conn[0]->open_rcvd)
		return NULL;
	return &s->conn[0]->peer_open;
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

enum session_close
session_close_kind(const struct session *s)
{
	return s->close_kind;
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
	s->exa_next = 0;
	session_cease(s, BGP_CEASE_RESET, msg);
}

void
session_conn_send(struct session *s, const void *p, size_t len)
{
	conn_send(s->conn[0], p, len);
}

void
session_export_soon(struct session *s)
{
	if (s->st == SESSION_ESTABLISHED)
		event_active(s->export_ev, EV_TIMEOUT, 0);
}

bool
session_send(struct session *s, const void *msg, size_t len)
{
	if (s->st != SESSION_ESTABLISHED || s->conn[0] == NULL)
		return false;
	conn_send(s->conn[0], msg, len);
	return true;
}

void
session_count_sent(struct session *s, size_t announced, size_t withdrawn)
{
	s->stats.updates_out++;
	s->stats.prefixes_sent += announced;
	s->stats.withdraws_sent += withdrawn;
}

bool
session_send_eor(struct session *s, uint16_t afi, uint8_t safi)
{
	uint8_t buf[64];
	struct wbuf w;

	wbuf_init(&w, buf, sizeof(buf));
	return bgp_eor_encode(&w, afi, safi) && session_send(s, buf, w.len);
}

size_t
session_max_len(const struct session *s)
{
	return s->ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN;
}

bool
session_family(const struct session *s, int af)
{
	return af >= 0 && af < BGP_AF_MAX && s->fam[af];
}

bool
session_peer_enhanced_rr(const struct session *s)
{
	return s->peer_err;
}

size_t
session_outq(const struct session *s)
{
	if (s->conn[0] == NULL || s->conn[0]->bev == NULL)
		return 0;
	return evbuffer_get_length(bufferevent_get_output(s->conn[0]->bev));
}
