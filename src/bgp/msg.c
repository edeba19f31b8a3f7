/* SPDX-License-Identifier: ISC */
/* bgp/msg.c - message framing, KEEPALIVE, NOTIFICATION and ROUTE-REFRESH. */

#include "bgp/bgp.h"

#include <string.h>

bool
bgp_err_set(struct bgp_err *err, uint8_t code, uint8_t subcode,
    struct rbuf data, const char *why)
{
	err->code = code;
	err->subcode = subcode;
	err->data = data;
	err->ownlen = 0;
	err->why = why;
	err->attr = 0;
	err->outcome = BGP_OUT_RESET;
	return false;
}

bool
bgp_err_set_own(struct bgp_err *err, uint8_t code, uint8_t subcode,
    const uint8_t *data, uint8_t len, const char *why)
{
	bgp_err_set(err, code, subcode, rbuf_make(NULL, 0), why);
	if (len > sizeof(err->own))
		len = sizeof(err->own);
	memcpy(err->own, data, len);
	err->ownlen = len;
	return false;
}

struct rbuf
bgp_err_data(const struct bgp_err *err)
{
	if (err->ownlen > 0)
		return rbuf_make(err->own, err->ownlen);
	return err->data;
}

const char *
bgp_outcome_name(enum bgp_outcome o)
{
	switch (o) {
	case BGP_OUT_OK:
		return "accepted";
	case BGP_OUT_DISCARD:
		return "attribute discard";
	case BGP_OUT_WITHDRAW:
		return "treat-as-withdraw";
	case BGP_OUT_RESET:
		return "session reset";
	}
	return "unknown";
}

const char *
bgp_errcode_name(uint8_t code)
{
	static const char *names[] = { "unspecific", "message header error",
		"OPEN message error", "UPDATE message error",
		"hold timer expired", "finite state machine error", "cease",
		"ROUTE-REFRESH message error" };

	return code < sizeof(names) / sizeof(names[0]) ? names[code]
	                                               : "unknown error";
}

const char *
bgp_err_name(uint8_t code, uint8_t subcode)
{
	static const char *hdr[] = { "unspecific",
		"connection not synchronized", "bad message length",
		"bad message type" };
	static const char *open[] = { "unspecific",
		"unsupported version number", "bad peer AS",
		"bad BGP identifier", "unsupported optional parameter",
		"authentication failure", "unacceptable hold time",
		"unsupported capability", NULL, NULL, NULL, "role mismatch" };
	static const char *upd[] = { "unspecific", "malformed attribute list",
		"unrecognized well-known attribute",
		"missing well-known attribute", "attribute flags error",
		"attribute length error", "invalid ORIGIN attribute",
		"AS routing loop", "invalid NEXT_HOP attribute",
		"optional attribute error", "invalid network field",
		"malformed AS_PATH" };
	static const char *fsm[] = { "unspecified",
		"unexpected message in OpenSent",
		"unexpected message in OpenConfirm",
		"unexpected message in Established" };
	static const char *cease[] = { "unspecific",
		"maximum number of prefixes reached", "administrative shutdown",
		"peer de-configured", "administrative reset",
		"connection rejected", "other configuration change",
		"connection collision resolution", "out of resources",
		"hard reset", "BFD down" };
	const char *n = NULL;

#define PICK(t)                                 \
	if (subcode < sizeof(t) / sizeof(t[0])) \
		n = t[subcode];
	switch (code) {
	case BGP_ERR_HEADER:
		PICK(hdr);
		break;
	case BGP_ERR_OPEN:
		PICK(open);
		break;
	case BGP_ERR_UPDATE:
		PICK(upd);
		break;
	case BGP_ERR_FSM:
		PICK(fsm);
		break;
	case BGP_ERR_CEASE:
		PICK(cease);
		break;
	case BGP_ERR_RREFRESH:
		if (subcode == BGP_RREFRESH_LEN_ERR)
			n = "invalid message length";
		break;
	case BGP_ERR_HOLD:
		if (subcode == 0)
			n = "hold timer expired";
		break;
	}
#undef PICK
	return n != NULL ? n : "unknown subcode";
}

int
bgp_af_from(uint16_t afi, uint8_t safi)
{
	if (safi != BGP_SAFI_UNICAST)
		return -1;
	if (afi == BGP_AFI_IPV4)
		return BGP_AF_IPV4;
	if (afi == BGP_AFI_IPV6)
		return BGP_AF_IPV6;
	return -1;
}

uint16_t
bgp_af_afi(enum bgp_af af)
{
	return af == BGP_AF_IPV6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
}

uint8_t
bgp_af_safi(enum bgp_af af)
{
	(void)af;
	return BGP_SAFI_UNICAST;
}

uint8_t
bgp_af_addr(enum bgp_af af)
{
	return af == BGP_AF_IPV6 ? ADDR_V6 : ADDR_V4;
}

/*
 * RFC 4271 4.1 header:
 *   +---------------------------------------------------+
 *   |                 Marker (16 x 0xff)                |
 *   +-------------------------+-------------+-----------+
 *   |        Length (2)       |   Type (1)  |
 *   +-------------------------+-------------+
 */
enum bgp_frame
bgp_msg_frame(
    struct rbuf *stream, size_t max_len, struct bgp_hdr *h, struct bgp_err *err)
{
	static const uint8_t marker[BGP_MARKER_LEN] = { 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff };
	struct rbuf s = *stream, mk, lenf, msg;
	uint16_t len;
	size_t min;

	if (s.len < BGP_HDR_LEN)
		return BGP_FRAME_MORE;
	rbuf_take(&s, BGP_MARKER_LEN, &mk);
	if (memcmp(mk.p, marker, BGP_MARKER_LEN) != 0) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_SYNC,
		    rbuf_make(NULL, 0), "marker is not all ones");
		return BGP_FRAME_ERR;
	}
	lenf = rbuf_make(s.p, 2);
	rbuf_u16(&s, &len);
	rbuf_u8(&s, &h->type);
	switch (h->type) {
	case BGP_MSG_OPEN:
		min = BGP_OPEN_MIN_LEN;
		break;
	case BGP_MSG_UPDATE:
		min = BGP_UPDATE_MIN_LEN;
		break;
	case BGP_MSG_NOTIFICATION:
		min = BGP_NOTIFY_MIN_LEN;
		break;
	case BGP_MSG_KEEPALIVE:
		min = BGP_HDR_LEN;
		break;
	case BGP_MSG_ROUTE_REFRESH:
		min = BGP_RREFRESH_LEN;
		break;
	default:
		bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_TYPE,
		    rbuf_make(stream->p + 18, 1), "unknown message type");
		return BGP_FRAME_ERR;
	}
	/* RFC 8654 4: OPEN and KEEPALIVE never exceed 4096 */
	if (h->type == BGP_MSG_OPEN || h->type == BGP_MSG_KEEPALIVE)
		max_len = BGP_MAX_LEN;
	if (len < min || len > max_len ||
	    (h->type == BGP_MSG_KEEPALIVE && len != BGP_HDR_LEN)) {
		bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_LEN_ERR, lenf,
		    "bad message length");
		return BGP_FRAME_ERR;
	}
	s = *stream;
	if (!rbuf_take(&s, len, &msg))
		return BGP_FRAME_MORE;
	h->len = len;
	h->msg = msg;
	h->body = rbuf_make(msg.p + BGP_HDR_LEN, len - BGP_HDR_LEN);
	*stream = s;
	return BGP_FRAME_OK;
}

bool
bgp_hdr_encode(struct wbuf *w, uint8_t type, size_t body_len)
{
	static const uint8_t marker[BGP_MARKER_LEN] = { 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff };

	if (body_len > BGP_EXT_MAX_LEN - BGP_HDR_LEN)
		return false;
	wbuf_put(w, marker, sizeof(marker));
	wbuf_put_u16(w, (uint16_t)(BGP_HDR_LEN + body_len));
	wbuf_put_u8(w, type);
	return wbuf_ok(w);
}

bool
bgp_msg_finish(struct wbuf *w, size_t off, size_t max_len)
{
	size_t len;

	if (!wbuf_ok(w))
		return false;
	len = w->len - off;
	if (len > max_len || len > BGP_EXT_MAX_LEN)
		return false;
	wbuf_patch_u16(w, off + BGP_MARKER_LEN, (uint16_t)len);
	return true;
}

bool
bgp_keepalive_encode(struct wbuf *w)
{
	return bgp_hdr_encode(w, BGP_MSG_KEEPALIVE, 0);
}

/*
 * RFC 4271 4.5 NOTIFICATION body: code (1), subcode (1), data.
 * RFC 9003: Cease/Administrative Shutdown and Reset may carry a length
 * byte and that many octets of UTF-8.
 */
bool
bgp_notification_decode(
    struct rbuf body, struct bgp_notification *n, struct bgp_err *err)
{
	struct rbuf b = body, d;
	uint8_t slen;

	memset(n, 0, sizeof(*n));
	if (!rbuf_u8(&b, &n->code) || !rbuf_u8(&b, &n->subcode))
		return bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_LEN_ERR,
		    rbuf_make(NULL, 0), "NOTIFICATION too short");
	n->data = b;
	if (n->code == BGP_ERR_CEASE &&
	    (n->subcode == BGP_CEASE_SHUTDOWN ||
	        n->subcode == BGP_CEASE_RESET) &&
	    b.len > 0) {
		d = b;
		rbuf_u8(&d, &slen);
		if (rbuf_take(&d, slen, &n->shutdown))
			n->has_shutdown = true;
	}
	return true;
}

bool
bgp_notification_encode(
    struct wbuf *w, uint8_t code, uint8_t subcode, const void *data, size_t len)
{
	size_t off = w->len;

	bgp_hdr_encode(w, BGP_MSG_NOTIFICATION, 0);
	wbuf_put_u8(w, code);
	wbuf_put_u8(w, subcode);
	wbuf_put(w, data, len);
	return bgp_msg_finish(w, off, BGP_EXT_MAX_LEN);
}

bool
bgp_notification_encode_shutdown(
    struct wbuf *w, uint8_t subcode, const char *msg)
{
	uint8_t buf[1 + BGP_SHUTDOWN_MAX];
	size_t n = msg != NULL ? strlen(msg) : 0;

	if (n > BGP_SHUTDOWN_MAX) {
		n = BGP_SHUTDOWN_MAX;
		/* do not cut a UTF-8 sequence in half */
		while (n > 0 && ((uint8_t)msg[n] & 0xc0) == 0x80)
			n--;
	}
	buf[0] = (uint8_t)n;
	if (n > 0)
		memcpy(buf + 1, msg, n);
	return bgp_notification_encode(
	    w, BGP_ERR_CEASE, subcode, buf, n > 0 ? n + 1 : 0);
}

/*
 * RFC 2918 3 / RFC 7313 3: AFI (2), subtype (1, reserved in 2918), SAFI (1).
 * RFC 7313 5: a BoRR/EoRR of the wrong length is error 7/1 with the whole
 * message as data; for the plain request it is a header length error.
 */
bool
bgp_route_refresh_decode(
    const struct bgp_hdr *h, struct bgp_route_refresh *rr, struct bgp_err *err)
{
	struct rbuf b = h->body;

	if (b.len != 4) {
		if (b.len >= 3 &&
		    (b.p[2] == BGP_RR_BORR || b.p[2] == BGP_RR_EORR))
			return bgp_err_set(err, BGP_ERR_RREFRESH,
			    BGP_RREFRESH_LEN_ERR, h->msg,
			    "ROUTE-REFRESH length is not 23");
		return bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_LEN_ERR,
		    rbuf_make(h->msg.p + BGP_MARKER_LEN, 2),
		    "ROUTE-REFRESH length is not 23");
	}
	rbuf_u16(&b, &rr->afi);
	rbuf_u8(&b, &rr->subtype);
	rbuf_u8(&b, &rr->safi);
	return true;
}

bool
bgp_route_refresh_encode(struct wbuf *w, const struct bgp_route_refresh *rr)
{
	bgp_hdr_encode(w, BGP_MSG_ROUTE_REFRESH, 4);
	wbuf_put_u16(w, rr->afi);
	wbuf_put_u8(w, rr->subtype);
	wbuf_put_u8(w, rr->safi);
	return wbuf_ok(w);
}
