/* SPDX-License-Identifier: ISC */
/* speaker/show.h - ExaBGP 4.2's show commands and the speaker's Adj-RIB-In. */

#ifndef VRS_SPEAKER_SHOW_H
#define VRS_SPEAKER_SHOW_H

#include <stdbool.h>

#include "bgp/update.h"
#include "lib/sbuf.h"

struct spk;
struct spk_neighbor;
struct spk_peer;

/*
 * Keep what one UPDATE from p announces and withdraws in p's Adj-RIB-In
 * (when its adj-rib-in setting is on): each route as the text ExaBGP
 * shows for it, in the order first received.
 */
void spk_adjin_update(struct spk_peer *p, const struct bgp_update *u,
    const struct bgp_pattrs *pa);
/* Forget every route of p's Adj-RIB-In (session down, clear adj-rib in). */
void spk_adjin_clear(struct spk_peer *p);
/* Release p's Adj-RIB-In. */
void spk_adjin_free(struct spk_peer *p);

/*
 * ExaBGP's name of a neighbour: "neighbor A local-ip L local-as X peer-as
 * Y router-id R family-allowed in-open" (commands match on its words).
 */
void spk_show_neighbor_name(const struct spk_neighbor *n, struct sbuf *out);

/*
 * Run line if it is one of the read-only commands ("help", "show
 * neighbor ...", "show adj-rib in|out ..."): append the answer to out,
 * one '\n'-terminated line each, as ExaBGP 4.2 writes it, and set *ok
 * (false: ExaBGP would answer "error").  Returns false, out untouched,
 * for any other command.
 */
bool spk_show_command(
    struct spk *k, const char *line, struct sbuf *out, bool *ok);

#endif
