/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz.h - what the libFuzzer targets and the corpus replayer share. */

#ifndef VRS_FUZZ_FUZZ_H
#define VRS_FUZZ_FUZZ_H

/*
 * Every target takes its input as libFuzzer hands it over and must return
 * 0 for any bytes at all.  A target calls fuzz_fail() (abort) only when
 * the codec contradicts itself, e.g. decode(encode(x)) != x; memory and
 * undefined-behaviour errors are the sanitizers' business.
 *
 * The first input byte of fuzz_frame and fuzz_update selects the session
 * facts (struct bgp_ctx) with the FUZZ_SEL_* bits, so one corpus covers
 * 2- and 4-octet AS sessions, iBGP and eBGP, ADD-PATH and ExaBGP's
 * keep-unknown mode.  With FUZZ_SEL_PEER_AS, a 4-octet peer AS follows.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bgp/update.h"
#include "lib/sbuf.h"

#define FUZZ_SEL_AS4          0x01 /* 4-octet AS negotiated */
#define FUZZ_SEL_EBGP         0x02 /* external peer */
#define FUZZ_SEL_ADDPATH4     0x04 /* path identifiers in IPv4 NLRI */
#define FUZZ_SEL_ADDPATH6     0x08 /* path identifiers in IPv6 NLRI */
#define FUZZ_SEL_KEEP_UNKNOWN 0x10 /* ExaBGP: keep unknown well-known */
#define FUZZ_SEL_PEER_AS      0x20 /* a 4-octet peer AS follows */
#define FUZZ_SEL_EXT_MSG      0x80 /* fuzz_frame: RFC 8654, 65535 */

/* libFuzzer's entry point, also called by replay.c. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The codec broke one of its own promises: say which, and stop. */
static inline void
fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz: invariant broken: %s\n", what);
	abort();
}

/*
 * Take the selector byte (and the peer AS it may announce) off the front
 * of in and fill ctx from it.  false when the input is too short.
 */
static inline bool
fuzz_ctx_take(struct rbuf *in, struct bgp_ctx *ctx, uint8_t *sel)
{
	uint32_t peer_as = 0;

	if (!rbuf_u8(in, sel))
		return false;
	if ((*sel & FUZZ_SEL_PEER_AS) && !rbuf_u32(in, &peer_as))
		return false;
	*ctx = (struct bgp_ctx){
		.as4 = (*sel & FUZZ_SEL_AS4) != 0,
		.ebgp = (*sel & FUZZ_SEL_EBGP) != 0,
		.peer_as = peer_as,
		.addpath_rx = { (*sel & FUZZ_SEL_ADDPATH4) != 0,
		    (*sel & FUZZ_SEL_ADDPATH6) != 0 },
		.addpath_tx = { (*sel & FUZZ_SEL_ADDPATH4) != 0,
		    (*sel & FUZZ_SEL_ADDPATH6) != 0 },
		.exa_compat = (*sel & FUZZ_SEL_KEEP_UNKNOWN) != 0,
	};
	return true;
}

/*
 * Print an error the way a log line would, NOTIFICATION data in hex:
 * every byte err points at is read, so ASan proves it lies inside the
 * input (or err->own).
 */
static inline void
fuzz_err_print(struct sbuf *out, const struct bgp_err *err)
{
	struct rbuf d = bgp_err_data(err);
	size_t i;

	sbuf_printf(out, "%s, NOTIFICATION %u/%u (%s / %s)",
	    bgp_outcome_name(err->outcome), err->code, err->subcode,
	    bgp_errcode_name(err->code), bgp_err_name(err->code, err->subcode));
	if (err->attr != 0)
		sbuf_printf(out, ", %s", bgp_attr_name(err->attr));
	if (err->why != NULL)
		sbuf_printf(out, ": %s", err->why);
	sbuf_puts(out, ", data ");
	for (i = 0; i < d.len; i++)
		sbuf_printf(out, "%02X", d.p[i]);
	sbuf_putc(out, '\n');
}

#endif
