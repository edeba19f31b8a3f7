/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_frame.c - libFuzzer target: framing a stream, then each decoder. */

/*
 * Input: a selector byte (fuzz.h; FUZZ_SEL_EXT_MSG picks 65535 instead of
 * 4096 as the largest message) and then a byte stream as a session would
 * read it.  Messages are split off with bgp_msg_frame() until the stream
 * runs dry or a header error ends the session, and each is handed to the
 * decoder of its type, as session/ and vrs-speaker do.
 */

#include <string.h>

#include "bgp/bgp.h"
#include "bgp/exa.h"
#include "bgp/open.h"
#include "bgp/update.h"
#include "fuzz.h"
#include "fuzz_json.h"
#include "lib/sbuf.h"

static void frame_one(const struct bgp_hdr *h, const struct bgp_ctx *ctx,
    const struct exa_env *env, struct sbuf *out);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct exa_env env = { .local_addr = "127.0.0.1",
		.peer_addr = "127.0.0.2",
		.local_as = 65000,
		.peer_as = 65001,
		.direction = "in",
		.host = "fuzz",
		.pid = 1,
		.ppid = 1,
		.counter = 1 };
	struct rbuf in = rbuf_make(data, size), before;
	enum bgp_frame fr;
	struct bgp_ctx ctx;
	struct bgp_hdr h;
	struct bgp_err err;
	struct sbuf out;
	size_t max_len;
	uint8_t sel;

	if (!fuzz_ctx_take(&in, &ctx, &sel))
		return 0;
	max_len = (sel & FUZZ_SEL_EXT_MSG) ? BGP_EXT_MAX_LEN : BGP_MAX_LEN;
	sbuf_init(&out);
	for (;;) {
		before = in;
		memset(&err, 0xa5, sizeof(err)); /* must be set on ERR */
		fr = bgp_msg_frame(&in, max_len, &h, &err);
		if (fr == BGP_FRAME_MORE) {
			if (in.p != before.p || in.len != before.len)
				fuzz_fail("frame: MORE moved the stream");
			if (in.len >= max_len)
				fuzz_fail("frame: MORE with a whole message");
			break;
		}
		if (fr == BGP_FRAME_ERR) {
			if (err.code != BGP_ERR_HEADER)
				fuzz_fail("frame: ERR is not a header error");
			fuzz_err_print(&out, &err);
			break;
		}
		if (fr != BGP_FRAME_OK)
			fuzz_fail("frame: unknown result");
		/* RFC 4271 4.1: the message is exactly len bytes */
		if (h.len < BGP_HDR_LEN || h.len > max_len ||
		    h.msg.p != before.p || h.msg.len != h.len ||
		    h.body.p != before.p + BGP_HDR_LEN ||
		    h.body.len != (size_t)h.len - BGP_HDR_LEN ||
		    in.p != before.p + h.len || in.len != before.len - h.len)
			fuzz_fail("frame: message bounds");
		if ((h.type == BGP_MSG_OPEN || h.type == BGP_MSG_KEEPALIVE) &&
		    h.len > BGP_MAX_LEN)
			fuzz_fail("frame: OPEN or KEEPALIVE over 4096");
		frame_one(&h, &ctx, &env, &out);
		sbuf_reset(&out);
	}
	sbuf_fini(&out);
	return 0;
}

/* Decode one framed message with the decoder of its type, and print it. */
static void
frame_one(const struct bgp_hdr *h, const struct bgp_ctx *ctx,
    const struct exa_env *env, struct sbuf *out)
{
	static struct bgp_pattrs pa; /* large: off the stack, as in speaker/ */
	struct bgp_notification n;
	struct bgp_route_refresh rr;
	struct bgp_update u;
	struct bgp_open o;
	struct bgp_err err;
	size_t from;

	memset(&err, 0xa5, sizeof(err)); /* must be set whenever false */
	switch (h->type) {
	case BGP_MSG_OPEN:
		if (!bgp_open_decode(h->body, &o, &err)) {
			fuzz_err_print(out, &err);
			break;
		}
		from = out->len;
		exa_json_open(out, env, &o);
		fuzz_json_check(out, from, "frame: the OPEN's JSON");
		break;
	case BGP_MSG_UPDATE:
		if (!bgp_update_split(h->body, &u, &err) ||
		    !bgp_update_decode(&u, ctx, &pa, &err)) {
			fuzz_err_print(out, &err);
			break;
		}
		if (pa.outcome != BGP_OUT_OK)
			fuzz_err_print(out, &pa.err);
		from = out->len;
		exa_json_update(out, env, &u, &pa, ctx);
		fuzz_json_check(out, from, "frame: the UPDATE's JSON");
		break;
	case BGP_MSG_NOTIFICATION:
		if (!bgp_notification_decode(h->body, &n, &err)) {
			fuzz_err_print(out, &err);
			break;
		}
		if (n.has_shutdown && n.shutdown.len > BGP_SHUTDOWN_MAX)
			fuzz_fail("notification: shutdown message too long");
		if (n.has_shutdown)
			sbuf_printf(out, "message \"%.*s\"\n",
			    (int)n.shutdown.len, (const char *)n.shutdown.p);
		from = out->len;
		exa_json_notification(out, env, &n);
		fuzz_json_check(out, from, "frame: the NOTIFICATION's JSON");
		exa_notify_data(out, n.code, n.subcode, n.data);
		sbuf_printf(out, "\n%s / %s\n", exa_notify_code(n.code),
		    exa_notify_subcode(n.code, n.subcode));
		break;
	case BGP_MSG_KEEPALIVE:
		if (h->body.len != 0)
			fuzz_fail("keepalive: framed with a body");
		from = out->len;
		exa_json_keepalive(out, env);
		fuzz_json_check(out, from, "frame: the KEEPALIVE's JSON");
		break;
	case BGP_MSG_ROUTE_REFRESH:
		if (!bgp_route_refresh_decode(h, &rr, &err)) {
			fuzz_err_print(out, &err);
			break;
		}
		sbuf_printf(out, "route-refresh %u/%u subtype %u\n", rr.afi,
		    rr.safi, rr.subtype);
		break;
	default:
		fuzz_fail("frame: OK for an unknown message type");
	}
}
