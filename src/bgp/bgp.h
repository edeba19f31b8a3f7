/* SPDX-License-Identifier: ISC */
/* bgp/bgp.h - BGP-4 wire codec: message, attribute and error definitions. */

#ifndef VRS_BGP_BGP_H
#define VRS_BGP_BGP_H

/*
 * DOC: the wire codec
 *
 * Pure functions over byte buffers: no I/O, no clocks, no hidden
 * allocation.  Every read goes through lib/rbuf.h.  Decoders return bool;
 * on false the struct bgp_err tells the NOTIFICATION to send (code,
 * subcode, data) and, for UPDATE contents, the RFC 7606 outcome:
 *
 *   BGP_OUT_RESET        session reset: send the NOTIFICATION, close
 *   BGP_OUT_WITHDRAW     treat-as-withdraw: every NLRI of the UPDATE
 *                        (classic and MP) is handled as withdrawn
 *   BGP_OUT_DISCARD      attribute discard: the attribute is dropped,
 *                        the rest of the UPDATE is used
 *
 * Decoded structures borrow from the message bytes (struct rbuf views),
 * so they live as long as the caller keeps the message.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "lib/rbuf.h"
#include "lib/wbuf.h"

/* RFC 4271 4.1, RFC 8654 */
#define BGP_MARKER_LEN  16
#define BGP_HDR_LEN     19
#define BGP_MAX_LEN     4096
#define BGP_EXT_MAX_LEN 65535
#define BGP_VERSION     4
#define BGP_AS_TRANS    23456 /* RFC 6793 */
#define BGP_PORT        179

enum bgp_msg_type {
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5, /* RFC 2918 */
};

/* minimum message lengths, RFC 4271 4.2-4.5 */
#define BGP_OPEN_MIN_LEN   29
#define BGP_UPDATE_MIN_LEN 23
#define BGP_NOTIFY_MIN_LEN 21
#define BGP_RREFRESH_LEN   23

/* NOTIFICATION error codes, RFC 4271 4.5, RFC 7313 */
#define BGP_ERR_HEADER   1
#define BGP_ERR_OPEN     2
#define BGP_ERR_UPDATE   3
#define BGP_ERR_HOLD     4
#define BGP_ERR_FSM      5
#define BGP_ERR_CEASE    6
#define BGP_ERR_RREFRESH 7

/* message header error subcodes */
#define BGP_HDR_SYNC    1
#define BGP_HDR_LEN_ERR 2
#define BGP_HDR_TYPE    3

/* OPEN message error subcodes (RFC 4271 6.2, RFC 5492) */
#define BGP_OPEN_VERSION  1
#define BGP_OPEN_PEER_AS  2
#define BGP_OPEN_BGPID    3
#define BGP_OPEN_OPTPARAM 4
#define BGP_OPEN_HOLDTIME 6
#define BGP_OPEN_CAPA     7

/* UPDATE message error subcodes (RFC 4271 6.3) */
#define BGP_UPD_ATTR_LIST  1
#define BGP_UPD_WK_UNRECOG 2
#define BGP_UPD_WK_MISSING 3
#define BGP_UPD_ATTR_FLAGS 4
#define BGP_UPD_ATTR_LEN   5
#define BGP_UPD_ORIGIN     6
#define BGP_UPD_NEXTHOP    8
#define BGP_UPD_OPTATTR    9
#define BGP_UPD_NETWORK    10
#define BGP_UPD_ASPATH     11

/* FSM error subcodes (RFC 6608) */
#define BGP_FSM_OPENSENT    1
#define BGP_FSM_OPENCONFIRM 2
#define BGP_FSM_ESTABLISHED 3

/* Cease subcodes (RFC 4486, RFC 8538) */
#define BGP_CEASE_MAXPFX     1
#define BGP_CEASE_SHUTDOWN   2
#define BGP_CEASE_DECONFIG   3
#define BGP_CEASE_RESET      4
#define BGP_CEASE_REJECTED   5
#define BGP_CEASE_CONFCHANGE 6
#define BGP_CEASE_COLLISION  7
#define BGP_CEASE_RESOURCES  8
#define BGP_CEASE_HARDRESET  9

/* ROUTE-REFRESH error subcode (RFC 7313) */
#define BGP_RREFRESH_LEN_ERR 1

/* ROUTE-REFRESH message subtypes (RFC 7313) */
#define BGP_RR_NORMAL 0
#define BGP_RR_BORR   1
#define BGP_RR_EORR   2

/* AFI / SAFI (RFC 4760) */
#define BGP_AFI_IPV4       1
#define BGP_AFI_IPV6       2
#define BGP_SAFI_UNICAST   1
#define BGP_SAFI_MULTICAST 2

/* The families vrs carries routes for, as small indices. */
enum bgp_af {
	BGP_AF_IPV4 = 0, /* ipv4 unicast */
	BGP_AF_IPV6 = 1, /* ipv6 unicast */
	BGP_AF_MAX
};

/* RFC 7606 outcomes, from mildest to harshest. */
enum bgp_outcome {
	BGP_OUT_OK = 0,
	BGP_OUT_DISCARD,
	BGP_OUT_WITHDRAW,
	BGP_OUT_RESET,
};

/*
 * A decoding error: what NOTIFICATION to send and the RFC 7606 outcome.
 * data borrows from the input, except when the codec had to make the
 * bytes up (e.g. the supported version); those live in own[].
 */
struct bgp_err {
	uint8_t code;
	uint8_t subcode;
	uint8_t attr; /* attribute type code, 0 if none */
	enum bgp_outcome outcome;
	struct rbuf data; /* borrowed (or own[]): NOTIFICATION data */
	uint8_t own[8];
	uint8_t ownlen;  /* > 0: data is own[0..ownlen) */
	const char *why; /* static: what was wrong, for logs */
};

/*
 * Record an error; always returns false so decoders can
 * `return bgp_err_set(...)`.
 */
bool bgp_err_set(struct bgp_err *err, uint8_t code, uint8_t subcode,
    struct rbuf data, const char *why);
/* The same, with data the codec makes up (at most 8 bytes, copied). */
bool bgp_err_set_own(struct bgp_err *err, uint8_t code, uint8_t subcode,
    const uint8_t *data, uint8_t len, const char *why);
/* The NOTIFICATION data bytes of err. */
struct rbuf bgp_err_data(const struct bgp_err *err);
/* Human name of a code/subcode pair ("attribute length error"). */
const char *bgp_err_name(uint8_t code, uint8_t subcode);
const char *bgp_errcode_name(uint8_t code);
/* "session reset", "treat-as-withdraw", "attribute discard" */
const char *bgp_outcome_name(enum bgp_outcome o);

int bgp_af_from(uint16_t afi, uint8_t safi); /* -1 when not ours */
uint16_t bgp_af_afi(enum bgp_af af);
uint8_t bgp_af_safi(enum bgp_af af);
uint8_t bgp_af_addr(enum bgp_af af); /* ADDR_V4 / ADDR_V6 */

/* ---- msg.c: framing, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH ---- */

struct bgp_hdr {
	uint8_t type;
	uint16_t len;     /* whole message, header included */
	struct rbuf body; /* borrowed: the bytes after the header */
	struct rbuf msg;  /* borrowed: the whole message */
};

enum bgp_frame { BGP_FRAME_MORE, BGP_FRAME_OK, BGP_FRAME_ERR };

/*
 * Split the next message off the front of stream (RFC 4271 4.1, 6.1).
 * max_len is 4096, or 65535 once extended messages are negotiated (RFC
 * 8654; OPEN and KEEPALIVE stay within 4096).  MORE: not enough bytes
 * yet, stream untouched.  ERR: err holds the header error.
 */
enum bgp_frame bgp_msg_frame(struct rbuf *stream, size_t max_len,
    struct bgp_hdr *h, struct bgp_err *err);
/* Write a header for a message of body_len bytes; false if it won't fit. */
bool bgp_hdr_encode(struct wbuf *w, uint8_t type, size_t body_len);
/* Patch the length of a message started at off; false if over max_len. */
bool bgp_msg_finish(struct wbuf *w, size_t off, size_t max_len);

bool bgp_keepalive_encode(struct wbuf *w);

#define BGP_SHUTDOWN_MAX 255 /* RFC 9003 */

struct bgp_notification {
	uint8_t code;
	uint8_t subcode;
	struct rbuf data; /* borrowed */
	/* RFC 9003: Cease 2 and 4 may carry a UTF-8 shutdown communication */
	bool has_shutdown;
	struct rbuf shutdown; /* borrowed: the message text, not terminated */
};

bool bgp_notification_decode(
    struct rbuf body, struct bgp_notification *n, struct bgp_err *err);
bool bgp_notification_encode(struct wbuf *w, uint8_t code, uint8_t subcode,
    const void *data, size_t len);
/* Cease with an RFC 9003 shutdown communication (truncated to 255). */
bool bgp_notification_encode_shutdown(
    struct wbuf *w, uint8_t subcode, const char *msg);

struct bgp_route_refresh {
	uint16_t afi;
	uint8_t subtype; /* BGP_RR_* (reserved byte in RFC 2918) */
	uint8_t safi;
};

bool bgp_route_refresh_decode(
    const struct bgp_hdr *h, struct bgp_route_refresh *rr, struct bgp_err *err);
bool bgp_route_refresh_encode(
    struct wbuf *w, const struct bgp_route_refresh *rr);

#endif
