/* SPDX-License-Identifier: ISC */
/* session/linger.c - a closed connection's last bytes reach the peer: flush, half-close, drain, close. */

/*
 * DOC: lingering connections
 *
 * A session that ends with a NOTIFICATION hands its connection to
 * bgpd_linger() and goes on at once (to Idle, to a new connection).  The
 * lingering connection owns the bufferevent from then on:
 *
 *  - its input is read and thrown away, never parsed: nothing the peer
 *    sends after the error is acted on, and the kernel's receive queue
 *    stays empty, so that the final close() is a FIN and not an RST (a
 *    close with unread data resets the connection, and a reset may
 *    destroy the NOTIFICATION before the peer has read it);
 *  - its output (the NOTIFICATION, after whatever was queued before it)
 *    is written as the socket takes it;
 *  - once the output is empty the write side is shut (FIN after the
 *    NOTIFICATION), and the connection waits for the peer's end of
 *    stream;
 *  - SESSION_LINGER_SECS bound all of it: a peer that never reads, or
 *    never closes, cannot hold the socket longer.
 *
 * This is what BIRD (sk_close after the TX buffer drains) and OpenBGPD
 * (session_close_connection after msgbuf_write) do in their own way.
 */

#include <stdlib.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "lib/xmalloc.h"
#include "session/session_int.h"

struct lconn {
	struct bgpd *d;          /* borrowed: owner of the list */
	struct lconn *next;      /* bgpd's list */
	struct lconn **pprev;    /* the pointer that points at this one */
	struct bufferevent *bev; /* owned */
	struct event *timeout;   /* owned */
	bool wr_shut;            /* FIN sent after the output */
};

static void
linger_free(struct lconn *l)
{
	*l->pprev = l->next;
	if (l->next != NULL)
		l->next->pprev = l->pprev;
	event_free(l->timeout);
	bufferevent_free(l->bev);
	free(l);
}

/* Throw away what is readable: the peer is no longer listened to. */
static void
linger_discard(struct lconn *l)
{
	struct evbuffer *in = bufferevent_get_input(l->bev);

	evbuffer_drain(in, evbuffer_get_length(in));
}

/* Output empty: FIN after it, then wait for the peer's end of stream. */
static void
linger_shut(struct lconn *l)
{
	if (l->wr_shut ||
	    evbuffer_get_length(bufferevent_get_output(l->bev)) > 0)
		return;
	l->wr_shut = true;
	/* not connected any more: nothing to wait for */
	if (shutdown(bufferevent_getfd(l->bev), SHUT_WR) < 0)
		linger_free(l);
}

static void
linger_read_cb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	linger_discard(arg);
}

static void
linger_write_cb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	linger_shut(arg);
}

static void
linger_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct lconn *l = arg;

	(void)bev;
	linger_discard(l);
	/* the peer's end of stream before our output left: keep writing */
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) &&
	    !l->wr_shut) {
		bufferevent_disable(l->bev, EV_READ);
		return;
	}
	linger_free(l);
}

static void
linger_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct lconn *l = arg;

	(void)fd;
	(void)what;
	linger_discard(l);
	linger_free(l);
}

void
bgpd_linger(struct bgpd *d, struct bufferevent *bev)
{
	struct timeval tv = { SESSION_LINGER_SECS, 0 };
	struct lconn *l = xcalloc(1, sizeof(*l));

	l->d = d;
	l->bev = bev;
	l->next = d->lingering;
	if (l->next != NULL)
		l->next->pprev = &l->next;
	l->pprev = &d->lingering;
	d->lingering = l;
	l->timeout = evtimer_new(d->base, linger_timeout_cb, l);
	evtimer_add(l->timeout, &tv);
	/* the write callback fires when the output is empty, not half so */
	bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
	bufferevent_setwatermark(bev, EV_READ, 0, 0);
	bufferevent_setcb(
	    bev, linger_read_cb, linger_write_cb, linger_event_cb, l);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	linger_discard(l);
	linger_shut(l);
}

void
bgpd_linger_free_all(struct bgpd *d)
{
	while (d->lingering != NULL)
		linger_free(d->lingering);
}
