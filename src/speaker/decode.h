/* SPDX-License-Identifier: ISC */
/* speaker/decode.h - `vrs-speaker decode`: hex messages to ExaBGP JSON. */

#ifndef VRS_SPEAKER_DECODE_H
#define VRS_SPEAKER_DECODE_H

#include <stdio.h>

#include "bgp/update.h"
#include "lib/sbuf.h"
#include "speaker/conf.h"

/* How a decoded message is to be printed. */
struct spk_decode_opts {
	struct conf_session sess; /* session context (AS, add-path, ...) */
	bool text;                /* print ExaBGP text lines, not JSON */
};

/* Fill a decoder context from a session, as ExaBGP's --decode does. */
void spk_decode_ctx(const struct conf_session *s, struct bgp_ctx *ctx);

/*
 * Decode one hex string (one or more messages, or a bare UPDATE body)
 * and append the ExaBGP output lines to out.  Returns 0, or 1 with a
 * message in err for input that is not valid hex or not a valid message.
 */
int spk_decode_hex(const struct spk_decode_opts *o, const char *hex,
    struct sbuf *out, struct sbuf *err);

/* The `decode` command: argv after the word "decode". */
int spk_decode_main(int argc, char **argv);

#endif
