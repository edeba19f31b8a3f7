/* SPDX-License-Identifier: ISC */
/* session/session_int.h - internals shared by the files of session/. */

#ifndef VRS_SESSION_SESSION_INT_H
#define VRS_SESSION_SESSION_INT_H

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "lib/log.h"
#include "session/session.h"

struct conn {
	struct session *s;       /* borrowed: owner */
	struct bufferevent *bev; /* owned */
	bool outgoing;           /* we connected */
	bool connected;          /* TCP is up */
	bool open_sent, open_rcvd;
	bool notify_queued;    /* a NOTIFICATION ends the output: linger */
	enum session_state st; /* per connection until one wins */
	struct bgp_open peer_open;
	uint8_t open_raw[BGP_MAX_LEN]; /* the peer's OPEN: peer_open views it */
};

struct session {
	struct bgpd *d;       /* borrowed */
	struct session *next; /* list of bgpd's sessions */
	struct session_conf conf;
	uint16_t rib_id;
	struct ipaddr local_ip; /* our end of the Established connection */
	enum session_state st;
	int64_t since;         /* monotonic seconds of the last change */
	struct conn *conn[2];  /* owned: [0] current, [1] colliding */
	struct event *hold_ev; /* owned timers */
	int64_t hold_rx;       /* monotonic ms of the last hold restart */
	struct event *ka_ev;
	struct event *retry_ev;
	struct event *work_ev;   /* more input to handle */
	struct event *export_ev; /* more to send */
	struct event *stall_ev;  /* output not drained for a hold time */
	uint16_t hold;           /* negotiated */
	uint16_t retry_delay;    /* seconds, doubled up to 60 on failure */
	uint16_t exa_next;       /* conf.exa_backoff: the next wait */
	struct bgp_ctx ctx;      /* negotiated */
	bool fam[BGP_AF_MAX];    /* negotiated families */
	bool peer_rr, peer_err;  /* peer does (enhanced) route refresh */
	bool ext_msg;
	uint32_t peer_id;
	bool eor_sent[BGP_AF_MAX];
	bool eor_rcvd[BGP_AF_MAX];
	bool refreshing[BGP_AF_MAX]; /* EoRR owed (RFC 7313) */
	bool attached;               /* ops->attach accepted it */
	bool tcp_once_done;          /* conf.once: the one attempt was made */
	void *user;                  /* the ops' per-session data */
	bool notified;               /* a NOTIFICATION ended the connection */
	/* RFC 4724: the peer's graceful restart, we are its helper */
	bool gr_af[BGP_AF_MAX];  /* families the peer restarts gracefully */
	bool gr_fwd[BGP_AF_MAX]; /* ... and kept their forwarding state */
	uint16_t gr_time;        /* its restart time, seconds */
	bool stale[BGP_AF_MAX];  /* its paths are kept, marked stale */
	struct event *gr_ev;     /* restart timer, then stale-path timer */
	bool deleted;
	struct session_stats stats;
	char last_error[160];
	enum session_close close_kind; /* of the connection that went last */
};

struct listener_ent {
	struct listener_ent *next;
	struct evconnlistener *l; /* owned */
	int af;                   /* ADDR_V4 or ADDR_V6 */
};

struct bgpd {
	struct event_base *base; /* borrowed */
	struct bgpd_conf conf;
	struct rib *rib;          /* owned */
	struct session *sessions; /* owned list */
	struct listener_ent *listeners;
	struct event *trim_ev;
	bool shutting_down;
	struct lconn *lingering;    /* owned: connections closing (linger.c) */
	const struct bgpd_ops *ops; /* borrowed */
	void *arg;
	bgpd_import_fn *import; /* NULL: accept everything */
	void *import_arg;
	bgpd_tap_fn *tap; /* NULL: none */
	void *tap_arg;
};

/* session.c */
struct session *session_new(struct bgpd *d, const struct session_conf *c);
void session_free(struct session *s);
void session_accept(struct session *s, struct bufferevent *bev);
/* bgpd.c: sa as an address (IPv4-mapped IPv6 as IPv4); false if neither */
bool bgpd_sockaddr_addr(const struct sockaddr *sa, struct ipaddr *a);
/* Set (len > 0) or remove peer's TCP MD5 key on socket fd; -errno. */
int session_sock_md5(
    int fd, const struct ipaddr *peer, const uint8_t *key, size_t len);
void session_cease(struct session *s, uint8_t subcode, const char *msg);
void peer_log(struct session *s, enum log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void session_conn_send(struct session *s, const void *p, size_t len);

void session_error(struct session *s, struct conn *c, uint8_t code,
    uint8_t subcode, struct rbuf data, const char *why);

/* rs.c */
void rs_gr_sweep(struct session *s, int af);

/* linger.c: a connection's last bytes, then its close */
#define SESSION_LINGER_SECS 5
void bgpd_linger(struct bgpd *d, struct bufferevent *bev);
void bgpd_linger_free_all(struct bgpd *d);

/* export.c */
void session_export(struct session *s);
void session_refresh_out(struct session *s, int af);

/* bgpd.c */
void bgpd_export_all(struct bgpd *d);
void bgpd_trim_soon(struct bgpd *d);
void session_down(struct session *s, const char *why);
bool bgpd_import(
    struct bgpd *d, struct session *s, const struct prefix *p, struct attrs *a);

#endif
