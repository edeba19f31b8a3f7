/* SPDX-License-Identifier: ISC */
/* speaker/decode.c - `vrs-speaker decode`: hex messages to ExaBGP JSON. */

#include "speaker/decode.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bgp/exa.h"
#include "lib/hex.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

void
spk_decode_ctx(const struct conf_session *s, struct bgp_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->as4 = s->asn4;
	ctx->ebgp = s->local_as != s->peer_as;
	ctx->peer_as = 0; /* decode shows what was sent, unchecked */
	ctx->addpath_rx[BGP_AF_IPV4] = s->addpath_rx;
	ctx->addpath_rx[BGP_AF_IPV6] = s->addpath_rx;
	ctx->addpath_tx[BGP_AF_IPV4] = s->addpath_tx;
	ctx->addpath_tx[BGP_AF_IPV6] = s->addpath_tx;
	ctx->exa_compat = true;
}

static void
print_err(struct sbuf *err, int idx, const struct bgp_err *e)
{
	sbuf_printf(err, "message %d: %s, NOTIFICATION %u/%u (%s)", idx,
	    bgp_outcome_name(e->outcome), e->code, e->subcode,
	    bgp_err_name(e->code, e->subcode));
	if (e->attr != 0)
		sbuf_printf(err, ", %s", bgp_attr_name(e->attr));
	if (e->why != NULL)
		sbuf_printf(err, ": %s", e->why);
	sbuf_putc(err, '\n');
}

static int
decode_one(const struct spk_decode_opts *o, const struct bgp_hdr *h, int idx,
    struct sbuf *out, struct sbuf *err)
{
	static struct bgp_pattrs pa; /* large: keep it off the stack */
	char local[ADDR_STRLEN], peer[ADDR_STRLEN], msg[1100];
	struct bgp_notification n;
	struct bgp_update u;
	struct bgp_open op;
	struct bgp_err e;
	struct bgp_ctx ctx;
	struct exa_env env = {
		.local_addr =
		    addr_print(&o->sess.local_addr, local, sizeof(local)),
		.peer_addr = addr_print(&o->sess.peer_addr, peer, sizeof(peer)),
		.local_as = o->sess.local_as,
		.peer_as = o->sess.peer_as,
		.direction = "in",
		.host = "localhost",
		.pid = (long)getpid(),
		.ppid = (long)getppid(),
		.counter = 1,
	};

	spk_decode_ctx(&o->sess, &ctx);
	memset(&e, 0, sizeof(e));
	switch (h->type) {
	case BGP_MSG_UPDATE:
		if (!bgp_update_split(h->body, &u, &e) ||
		    !bgp_update_decode(&u, &ctx, &pa, &e)) {
			print_err(err, idx, &e);
			return 1;
		}
		if (pa.outcome >= BGP_OUT_WITHDRAW) {
			print_err(err, idx, &pa.err);
			return 1;
		}
		if (o->text)
			exa_text_update(out, &u, &pa, &ctx);
		else {
			exa_json_update(out, &env, &u, &pa, &ctx);
			sbuf_putc(out, '\n');
		}
		return 0;
	case BGP_MSG_NOTIFICATION:
		if (!bgp_notification_decode(h->body, &n, &e)) {
			print_err(err, idx, &e);
			return 1;
		}
		if (o->text) {
			sbuf_printf(out, "notification %u/%u (%s / %s)", n.code,
			    n.subcode, bgp_errcode_name(n.code),
			    bgp_err_name(n.code, n.subcode));
			if (n.has_shutdown)
				sbuf_printf(out, " message \"%s\"",
				    log_escape(n.shutdown.p, n.shutdown.len,
				        255, msg, sizeof(msg)));
			sbuf_putc(out, '\n');
			return 0;
		}
		exa_json_notification(out, &env, &n);
		sbuf_putc(out, '\n');
		return 0;
	case BGP_MSG_OPEN:
		if (!bgp_open_decode(h->body, &op, &e)) {
			print_err(err, idx, &e);
			return 1;
		}
		exa_json_open(out, &env, &op);
		sbuf_putc(out, '\n');
		return 0;
	case BGP_MSG_KEEPALIVE:
		exa_json_keepalive(out, &env);
		sbuf_putc(out, '\n');
		return 0;
	default:
		sbuf_printf(
		    err, "message %d: type %u is not printed\n", idx, h->type);
		return 0;
	}
}

int
spk_decode_hex(const struct spk_decode_opts *o, const char *hex,
    struct sbuf *out, struct sbuf *err)
{
	size_t cap = strlen(hex) / 2 + BGP_HDR_LEN, len, bad, i;
	uint8_t *buf = xmalloc(cap), *msg;
	struct bgp_hdr h;
	struct bgp_err e;
	struct rbuf s;
	int idx = 0, rc = 0;
	enum bgp_frame fr;

	msg = buf + BGP_HDR_LEN;
	if (!hex_decode(hex, msg, cap - BGP_HDR_LEN, &len, &bad)) {
		sbuf_printf(err, "not hexadecimal at offset %zu\n", bad);
		free(buf);
		return 1;
	}
	for (i = 0; i < 16 && i < len; i++)
		if (msg[i] != 0xff)
			break;
	if (i < 16 || len < 16) {
		/* a bare UPDATE body, as ExaBGP also accepts: add a header */
		if (len > BGP_EXT_MAX_LEN - BGP_HDR_LEN) {
			sbuf_printf(err, "message too long (%zu bytes)\n", len);
			free(buf);
			return 1;
		}
		memset(buf, 0xff, 16);
		buf[16] = (uint8_t)((len + BGP_HDR_LEN) >> 8);
		buf[17] = (uint8_t)(len + BGP_HDR_LEN);
		buf[18] = BGP_MSG_UPDATE;
		msg = buf;
		len += BGP_HDR_LEN;
	}
	s = rbuf_make(msg, len);
	while (s.len > 0 && rc == 0) {
		idx++;
		memset(&e, 0, sizeof(e));
		fr = bgp_msg_frame(&s, BGP_EXT_MAX_LEN, &h, &e);
		if (fr == BGP_FRAME_MORE) {
			sbuf_printf(err, "message %d: truncated (%zu bytes)\n",
			    idx, s.len);
			rc = 1;
		} else if (fr == BGP_FRAME_ERR) {
			print_err(err, idx, &e);
			rc = 1;
		} else
			rc = decode_one(o, &h, idx, out, err);
	}
	free(buf);
	return rc;
}

static void
decode_usage(FILE *f)
{
	fprintf(f,
	    "usage: vrs-speaker decode [--config FILE] [--text] HEX...\n"
	    "\n"
	    "Decode BGP messages given in hexadecimal (colons and spaces are\n"
	    "ignored; a bare UPDATE body is accepted) and print them as\n"
	    "ExaBGP 4.2 does: one JSON object per message, or with --text the\n"
	    "route lines.  The first neighbor of the ExaBGP configuration "
	    "FILE\n"
	    "gives the session context: addresses, AS numbers, 4-octet AS\n"
	    "(capability asn4) and ADD-PATH.  Without it: 127.0.0.1, iBGP\n"
	    "AS 65533, 4-octet AS, no ADD-PATH.\n");
}

int
spk_decode_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "text", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct spk_decode_opts o;
	struct conf_file cf;
	struct sbuf out, err;
	const char *config = NULL;
	int ch, i, rc = 0;

	memset(&o, 0, sizeof(o));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:th", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 't':
			o.text = true;
			break;
		case 'h':
			decode_usage(stdout);
			return 0;
		default:
			decode_usage(stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		decode_usage(stderr);
		return 1;
	}
	if (config != NULL) {
		if (!conf_load(&cf, config) ||
		    !conf_first_session(&cf, &o.sess)) {
			fprintf(stderr, "%s", cf.errors.s);
			conf_free(&cf);
			return 1;
		}
		conf_free(&cf);
	} else {
		addr_parse("127.0.0.1", &o.sess.peer_addr);
		o.sess.local_addr = o.sess.peer_addr;
		o.sess.local_as = o.sess.peer_as = 65533;
		o.sess.asn4 = true;
		o.sess.family_ipv4 = o.sess.family_ipv6 = true;
	}
	sbuf_init(&out);
	sbuf_init(&err);
	for (i = optind; i < argc; i++) {
		sbuf_reset(&out);
		sbuf_reset(&err);
		if (spk_decode_hex(&o, argv[i], &out, &err) != 0)
			rc = 1;
		fputs(out.s, stdout);
		if (err.len > 0)
			fprintf(stderr, "vrs-speaker: decode: %s", err.s);
	}
	sbuf_fini(&out);
	sbuf_fini(&err);
	return rc;
}
