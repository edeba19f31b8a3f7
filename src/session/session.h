/* SPDX-License-Identifier: ISC */
/* session/session.h - BGP sessions: FSM, timers, TCP, framing, export (libevent). */

#ifndef VRS_SESSION_SESSION_H
#define VRS_SESSION_SESSION_H

/*
 * DOC: sessions
 *
 * A struct bgpd owns the listeners, the RIB and every struct session (one
 * per configured peer).  A session runs the RFC 4271 8 FSM over one TCP
 * connection at a time (two while a collision is being resolved, 6.8),
 * decodes what arrives with bgp/, hands routes to rib/, and sends what the
 * RIB's journal says the peer should hear, packed into UPDATEs.
 *
 * Work is done in slices so that one busy peer cannot starve the others:
 * at most SESSION_READ_SLICE messages are handled per turn of the loop,
 * and at most SESSION_EXPORT_SLICE journal records are packed per turn;
 * the rest waits for the next turn.  The output buffer of a peer is
 * bounded (SESSION_OUTQ_HIGH): export stops when it is full and resumes
 * when the peer reads.  A peer that reads nothing for a hold time while
 * data waits is closed with Cease 6/8.
 */

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "bgp/open.h"
#include "bgp/update.h"
#include "lib/prefix.h"
#include "rib/rib.h"

#define SESSION_READ_SLICE   256
#define SESSION_EXPORT_SLICE 2048
#define SESSION_OUTQ_HIGH    (1u << 20)
#define SESSION_NAME_MAX     64
#define SESSION_MD5_MAX      80  /* TCP_MD5SIG_MAXKEYLEN */
#define SESSION_GR_TIME      120 /* our restart time, RFC 4724 */
#define SESSION_STALE_TIME   360 /* stale routes wait for End-of-RIB */

enum session_state {
	SESSION_IDLE,
	SESSION_CONNECT,
	SESSION_ACTIVE,
	SESSION_OPENSENT,
	SESSION_OPENCONFIRM,
	SESSION_ESTABLISHED,
};

/* What the configuration says about a peer. */
struct session_conf {
	char name[SESSION_NAME_MAX];
	struct ipaddr addr;  /* peer address (socket) */
	uint16_t port;       /* peer port for active connects */
	struct ipaddr local; /* source address for connects, or none */
	uint32_t asn;
	bool passive;
	uint16_t hold_time;     /* 0 or 3-65535 */
	uint32_t max_prefixes;  /* 0: no limit */
	bool ipv4, ipv6;        /* families offered */
	uint16_t connect_retry; /* seconds, first retry */
	bool once;              /* one connection attempt (ExaBGP tcp.once) */
	/* what we say in our OPEN */
	uint32_t local_as;  /* 0: the bgpd's AS */
	uint32_t router_id; /* 0: the bgpd's identifier */
	bool no_asn4;       /* no 4-octet AS capability (RFC 6793) */
	bool no_route_refresh;
	bool no_ext_msg;
	bool gr; /* graceful restart capability, as a helper */
	uint16_t gr_time;
	/*
	 * With gr, ExaBGP 4.2's: the capability sets the restart state and
	 * lists every family offered with its forwarding state kept, and a
	 * Cease of ours (stop, teardown, removal) only closes the connection,
	 * so that the peer keeps our routes until we are back (RFC 4724 4).
	 */
	bool gr_restarting;
	uint8_t addpath[BGP_AF_MAX]; /* BGP_ADDPATH_RX / _TX offered */
	/* TCP MD5 signatures (RFC 2385, Linux): md5_len 0 is none */
	uint8_t md5_key[SESSION_MD5_MAX];
	uint8_t md5_len;
	uint8_t ttl;     /* TTL (hop limit) of what we send; 0: 255 */
	uint8_t min_ttl; /* GTSM (RFC 5082): lowest TTL accepted; 0: any */
	const uint8_t *extra_caps; /* borrowed: code, length, value, ... */
	size_t extra_caps_len;
	/*
	 * The OPEN's capabilities in ExaBGP 4.2's order (vrs-speaker):
	 * extra_caps (every MP, unicast too) first, then 4-octet AS,
	 * ADD-PATH, graceful restart, route refresh, extended message.
	 */
	bool exa_order;
	/*
	 * Reconnect as ExaBGP 4.2's Delay does: after every close (a refused
	 * attempt or a session's end) wait 0 s, then int(1 + previous * 1.2)
	 * up to 60 s (0, 1, 2, 3, 4, 5, 7, 9 ...); only a teardown, a reset
	 * or an accepted connection starts again from 0.  Else connect_retry,
	 * as above.
	 */
	bool exa_backoff;
};

/* Counters shown by `vrs peers`. */
struct session_stats {
	uint64_t msgs_in, msgs_out;
	uint64_t updates_in, updates_out;
	uint64_t prefixes_sent;
	uint64_t withdraws_sent;
	uint64_t treat_as_withdraw, attr_discard;
	uint32_t flaps;
	/* messages by type code (1 OPEN .. 5 ROUTE-REFRESH), for ExaBGP's
	 * `show neighbor extensive` */
	uint64_t sent_type[6], rcvd_type[6];
};

struct bgpd;
struct bgpd_ops;
struct session;

/* Global settings. */
struct bgpd_conf {
	uint32_t asn;
	uint32_t router_id;
	bool transparent;   /* RFC 7947: AS_PATH, NEXT_HOP unchanged */
	bool ebgp_multihop; /* accepted for compatibility; TTL 255 */
};

uint32_t bgpd_router_id(const struct bgpd *d);
struct bgpd *bgpd_new(struct event_base *base, const struct bgpd_conf *c,
    const struct bgpd_ops *ops, void *arg);
void *bgpd_arg(struct bgpd *d);
struct event_base *bgpd_base(struct bgpd *d);
/* Schedule ops->export for s (after routes were queued for it). */
void session_export_soon(struct session *s);
/* Queue a ready message on s's connection (Established only). */
bool session_send(struct session *s, const void *msg, size_t len);
/* End-of-RIB for afi/safi (RFC 4724 2), Established only. */
bool session_send_eor(struct session *s, uint16_t afi, uint8_t safi);
/* Negotiated facts for encoders: max message size, families. */
size_t session_max_len(const struct session *s);
bool session_family(const struct session *s, int af);
/* The peer offered Enhanced Route Refresh (RFC 7313). */
bool session_peer_enhanced_rr(const struct session *s);
/* Count one UPDATE an ops' own encoder sent, with its prefixes. */
void session_count_sent(struct session *s, size_t announced, size_t withdrawn);
/* Output queued on the connection, bytes. */
size_t session_outq(const struct session *s);
void bgpd_free(struct bgpd *d);
struct rib *bgpd_rib(struct bgpd *d);
/* Listen on addr:port; 0 or -errno. */
int bgpd_listen(struct bgpd *d, const struct ipaddr *addr, uint16_t port);
/* Add a peer; NULL if the address is taken or the RIB is full. */
struct session *bgpd_peer_add(struct bgpd *d, const struct session_conf *c);
/*
 * Close (Cease subcode, message) and remove a peer; subcode 0 closes
 * without a NOTIFICATION (ExaBGP's removed neighbour).
 */
void bgpd_peer_del(
    struct bgpd *d, struct session *s, uint8_t subcode, const char *msg);
struct session *bgpd_peer_find(struct bgpd *d, const char *name);
struct session *bgpd_peer_next(struct bgpd *d, struct session *s);
/* Send Cease (subcode, RFC 9003 message) to every peer and close. */
void bgpd_shutdown(struct bgpd *d, uint8_t subcode, const char *msg);
/*
 * True once no closed connection is still delivering its last
 * NOTIFICATION (after shutdown: every Cease has left, or timed out).
 */
bool bgpd_drained(struct bgpd *d);

/*
 * What a bgpd does with routes: the route server (rs.c) or the speaker.
 * The session layer runs the protocol and calls these; NULL ones are
 * skipped.
 */
struct bgpd_ops {
	/* a peer was added (false: refuse it) / is being removed */
	bool (*attach)(struct bgpd *d, struct session *s);
	void (*detach)(struct bgpd *d, struct session *s);
	/* the session reached Established / went down (notified: a
	 * NOTIFICATION ended it) */
	void (*up)(struct bgpd *d, struct session *s);
	void (*down)(
	    struct bgpd *d, struct session *s, bool was_up, bool notified);
	/* a decoded UPDATE; pa->outcome tells the RFC 7606 result */
	void (*update)(struct bgpd *d, struct session *s,
	    const struct bgp_update *u, struct bgp_pattrs *pa);
	void (*eor)(struct bgpd *d, struct session *s, int af);
	/* the peer asked for our routes again (ROUTE-REFRESH) */
	void (*refresh)(struct bgpd *d, struct session *s, int af);
	/* the output queue has room: send what is pending */
	void (*export)(struct bgpd *d, struct session *s);
	/*
	 * For ExaBGP's API (the speaker): the current connection's TCP is
	 * up (before any OPEN), and every message it receives (sent false,
	 * before it is handled) or sends, whole, header included.
	 */
	void (*connected)(struct bgpd *d, struct session *s);
	/* an outgoing connection attempt failed before its TCP was up */
	void (*connect_failed)(struct bgpd *d, struct session *s);
	void (*message)(struct bgpd *d, struct session *s, bool sent,
	    const uint8_t *msg, size_t len);
};

/* The route server's ops (rs.c): RIB import and transparent export. */
extern const struct bgpd_ops rs_ops;

/*
 * Import policy: called for every prefix a peer announces; false means
 * the route is not taken (treated as withdrawn).  NULL accepts all.
 */
typedef bool bgpd_import_fn(
    void *arg, struct session *s, const struct prefix *p, struct attrs *a);
void bgpd_set_import(struct bgpd *d, bgpd_import_fn *fn, void *arg);

/*
 * A tap sees every UPDATE a session receives, whole (header included),
 * before it is handled, with the session's addresses and AS numbers:
 * MRT BGP4MP logging (api/bgp4mp.c).  NULL removes it.
 */
struct bgpd_tap_msg {
	const struct ipaddr *peer, *local;
	uint32_t peer_as, local_as;
	const uint8_t *msg;
	size_t len;
};
typedef void bgpd_tap_fn(void *arg, const struct bgpd_tap_msg *m);
void bgpd_set_tap(struct bgpd *d, bgpd_tap_fn *fn, void *arg);

/* Session accessors for the API. */
const struct session_conf *session_conf(const struct session *s);
enum session_state session_state(const struct session *s);
const char *session_state_name(enum session_state st);
const struct session_stats *session_stats(const struct session *s);
uint16_t session_rib_id(const struct session *s);
/* The ops' per-session data. */
void *session_user(const struct session *s);
void session_set_user(struct session *s, void *user);
/* Seconds since the state last changed (given now, monotonic). */
int64_t session_uptime(const struct session *s, int64_t now);
/* The peer's OPEN and the negotiated context, when Established. */
const struct bgp_ctx *session_ctx(const struct session *s);
/* The peer's OPEN on the current connection, or NULL. */
const struct bgp_open *session_peer_open(const struct session *s);
uint32_t session_peer_router_id(const struct session *s);
const char *session_last_error(const struct session *s);
/* How the last connection ended without a NOTIFICATION. */
enum session_close {
	SESSION_CLOSE_NONE,  /* it did not (or a NOTIFICATION ended it) */
	SESSION_CLOSE_EOF,   /* the peer closed it */
	SESSION_CLOSE_RESET, /* reset or broken pipe */
	SESSION_CLOSE_ERROR, /* another socket error */
	SESSION_CLOSE_GR,    /* we closed it for a graceful restart */
};
enum session_close session_close_kind(const struct session *s);
/* Ask the peer to send its routes again (ROUTE-REFRESH, RFC 2918). */
bool session_request_refresh(struct session *s);
/*
 * Cease with subcode and a reason (NULL: the subcode's name), as
 * ExaBGP's `teardown` sends it: RFC 9003 text for subcodes 2 and 4, the
 * text alone for the others; the session then starts again.
 */
void session_teardown(struct session *s, uint8_t subcode, const char *msg);
/* Drop and restart the session (Cease 6/4, administrative reset). */
void session_reset(struct session *s, const char *msg);

/* Monotonic clock in seconds, for uptime. */
int64_t session_now(void);

#endif
