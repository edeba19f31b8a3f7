/* SPDX-License-Identifier: ISC */
/* session/bgpd.c - listeners, the set of sessions, and work shared by them. */

#include "session/session.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xmalloc.h"
#include "session/session_int.h"

static void
trim_cb(evutil_socket_t fd, short what, void *arg)
{
	struct bgpd *d = arg;

	(void)fd;
	(void)what;
	rib_journal_trim(d->rib);
}

void
bgpd_trim_soon(struct bgpd *d)
{
	event_active(d->trim_ev, EV_TIMEOUT, 0);
}

struct bgpd *
bgpd_new(struct event_base *base, const struct bgpd_conf *c,
    const struct bgpd_ops *ops, void *arg)
{
	static const struct bgpd_ops none;
	struct bgpd *d = xcalloc(1, sizeof(*d));

	d->base = base;
	d->conf = *c;
	d->ops = ops != NULL ? ops : &none;
	d->arg = arg;
	d->rib = rib_new();
	d->trim_ev = event_new(base, -1, 0, trim_cb, d);
	return d;
}

uint32_t
bgpd_router_id(const struct bgpd *d)
{
	return d->conf.router_id;
}

void
bgpd_free(struct bgpd *d)
{
	struct listener_ent *l, *ln;
	struct session *s, *sn;

	if (d == NULL)
		return;
	for (l = d->listeners; l != NULL; l = ln) {
		ln = l->next;
		evconnlistener_free(l->l);
		free(l);
	}
	for (s = d->sessions; s != NULL; s = sn) {
		sn = s->next;
		s->deleted = true;
		session_free(s);
	}
	bgpd_linger_free_all(d);
	event_free(d->trim_ev);
	rib_free(d->rib);
	free(d);
}

struct rib *
bgpd_rib(struct bgpd *d)
{
	return d->rib;
}

void *
bgpd_arg(struct bgpd *d)
{
	return d->arg;
}

struct event_base *
bgpd_base(struct bgpd *d)
{
	return d->base;
}

void
bgpd_set_import(struct bgpd *d, bgpd_import_fn *fn, void *arg)
{
	d->import = fn;
	d->import_arg = arg;
}

void
bgpd_set_tap(struct bgpd *d, bgpd_tap_fn *fn, void *arg)
{
	d->tap = fn;
	d->tap_arg = arg;
}

bool
bgpd_import(
    struct bgpd *d, struct session *s, const struct prefix *p, struct attrs *a)
{
	return d->import == NULL || d->import(d->import_arg, s, p, a);
}

void
bgpd_export_all(struct bgpd *d)
{
	struct session *s;

	for (s = d->sessions; s != NULL; s = s->next)
		session_export_soon(s);
}

bool
bgpd_sockaddr_addr(const struct sockaddr *sa, struct ipaddr *a)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		a->af = ADDR_V4;
		memcpy(a->a,
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    4);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 =
		    (const struct sockaddr_in6 *)(const void *)sa;

		a->af = ADDR_V6;
		memcpy(a->a, &s6->sin6_addr, 16);
		/* an IPv4-mapped address is the IPv4 peer */
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			a->af = ADDR_V4;
			memmove(a->a, a->a + 12, 4);
			memset(a->a + 4, 0, 12);
		}
		return true;
	}
	return false;
}

static struct session *
find_by_addr(struct bgpd *d, const struct ipaddr *a)
{
	struct session *s;

	for (s = d->sessions; s != NULL; s = s->next)
		if (addr_cmp(&s->conf.addr, a) == 0)
			return s;
	return NULL;
}

static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct bgpd *d = arg;
	struct bufferevent *bev;
	struct session *s;
	struct ipaddr a;
	char buf[ADDR_STRLEN];

	(void)l;
	(void)salen;
	/* not a configured peer: closed before a byte is read */
	if (!bgpd_sockaddr_addr(sa, &a) || (s = find_by_addr(d, &a)) == NULL ||
	    d->shutting_down) {
		log_info("connection from %s refused: not a configured peer",
		    a.af ? addr_print(&a, buf, sizeof(buf)) : "?");
		close(fd);
		return;
	}
	bev = bufferevent_socket_new(d->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		close(fd);
		return;
	}
	session_accept(s, bev);
}

/*
 * s's TCP MD5 key on every listener of its family (RFC 2385): the kernel
 * then drops its SYNs without a right signature, and the connections
 * it accepts from s carry the key.  add false removes it.
 */
static void
md5_sync(struct bgpd *d, const struct session *s, bool add)
{
	const struct listener_ent *le;
	int rc;

	if (s->conf.md5_len == 0)
		return;
	for (le = d->listeners; le != NULL; le = le->next) {
		if (le->af != s->conf.addr.af)
			continue;
		rc = session_sock_md5(evconnlistener_get_fd(le->l),
		    &s->conf.addr, s->conf.md5_key, add ? s->conf.md5_len : 0);
		if (rc < 0 && (add || rc != -ENOENT))
			log_warnx("peer %s: TCP MD5 key on the listener: %s",
			    s->conf.name, strerror(-rc));
	}
}

int
bgpd_listen(struct bgpd *d, const struct ipaddr *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	struct listener_ent *le;
	struct evconnlistener *l;
	struct session *s;
	socklen_t len;
	int one = 1;

	memset(&ss, 0, sizeof(ss));
	if (addr->af == ADDR_V4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, addr->a, 4);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, addr->a, 16);
		len = sizeof(*sin6);
	}
	l = evconnlistener_new_bind(d->base, accept_cb, d,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
	    128, (struct sockaddr *)&ss, (int)len);
	if (l == NULL)
		return -errno;
	/* the SYN's TTL, for GTSM (session.c's tune_socket) */
	(void)setsockopt(evconnlistener_get_fd(l), IPPROTO_TCP, TCP_SAVE_SYN,
	    &one, sizeof(one));
	le = xcalloc(1, sizeof(*le));
	le->l = l;
	le->af = addr->af;
	le->next = d->listeners;
	d->listeners = le;
	for (s = d->sessions; s != NULL; s = s->next)
		md5_sync(d, s, true); /* the keys of the peers added before */
	return 0;
}

struct session *
bgpd_peer_add(struct bgpd *d, const struct session_conf *c)
{
	struct session *s, **pp;

	if (find_by_addr(d, &c->addr) != NULL)
		return NULL;
	if ((s = session_new(d, c)) == NULL)
		return NULL;
	/* keep configuration order */
	for (pp = &d->sessions; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = s;
	md5_sync(d, s, true);
	return s;
}

void
bgpd_peer_del(
    struct bgpd *d, struct session *s, uint8_t subcode, const char *msg)
{
	struct session **pp;

	for (pp = &d->sessions; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	s->deleted = true;
	md5_sync(d, s, false);
	if (s->conn[0] != NULL && s->conn[0]->connected) {
		if (subcode != 0)
			session_cease(s, subcode, msg);
		else
			session_down(s, NULL); /* closed; the down op told */
	}
	session_free(s);
	bgpd_export_all(d);
}

struct session *
bgpd_peer_find(struct bgpd *d, const char *name)
{
	struct session *s;

	for (s = d->sessions; s != NULL; s = s->next)
		if (strcmp(s->conf.name, name) == 0)
			return s;
	return NULL;
}

struct session *
bgpd_peer_next(struct bgpd *d, struct session *s)
{
	return s == NULL ? d->sessions : s->next;
}

void
bgpd_shutdown(struct bgpd *d, uint8_t subcode, const char *msg)
{
	struct session *s;
	struct listener_ent *l;

	d->shutting_down = true;
	for (l = d->listeners; l != NULL; l = l->next)
		evconnlistener_disable(l->l);
	for (s = d->sessions; s != NULL; s = s->next) {
		evtimer_del(s->retry_ev);
		if (s->conn[0] != NULL && s->conn[0]->connected &&
		    s->st >= SESSION_OPENSENT)
			session_cease(s, subcode, msg);
		else
			session_down(s, NULL);
	}
}

bool
bgpd_drained(struct bgpd *d)
{
	return d->lingering == NULL;
}
