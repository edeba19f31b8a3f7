/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_exaconf.c - libFuzzer target: ExaBGP configuration files as vrs-speaker reads them. */

/*
 * Input: the text of an ExaBGP 4 configuration file.  spk_config_parse()
 * (conf.c's tokeniser and config.c's checks, templates and routes, as
 * `vrs-speaker --test` runs them) must accept or refuse it, with errors
 * recorded and not one byte read past the text.  An accepted file must
 * also give what --decode needs (conf_first_session) when its first
 * neighbour has an address (not a range), name each neighbour's processes, and every route of every
 * neighbour must be sendable (fuzz_spk_route_check).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_spk.h"
#include "speaker/conf.h"
#include "speaker/config.h"

#define FUZZ_ROUTES_MAX 4096 /* routes checked per file */

static void
check(struct spk_config *cfg)
{
	struct conf_session s;
	const struct spk_neighbor *n;
	size_t r, done = 0;
	int i, j, k;

	if (cfg->nerrors != 0)
		fuzz_fail("a configuration is accepted with errors");
	/*
	 * --decode takes the first neighbour (a range, passive, has no
	 * address): it must find it, with the AS numbers the speaker's
	 * parser gives it (templates included; a peer-as 0 is the local AS
	 * to --decode)
	 */
	n = cfg->nneighbors > 0 ? cfg->neighbors[0] : NULL;
	if (n != NULL && n->peer.len == addr_maxlen(n->peer.af)) {
		if (!conf_first_session(&cfg->conf, &s)) {
			fprintf(stderr, "%s", cfg->conf.errors.s);
			fuzz_fail(
			    "an accepted configuration has no first session");
		}
		if (s.local_as != n->local_as ||
		    s.peer_as != (n->peer_as != 0 ? n->peer_as : s.local_as)) {
			fprintf(stderr,
			    "fuzz: first session AS %u/%u, neighbour %u/%u\n",
			    s.local_as, s.peer_as, n->local_as, n->peer_as);
			fuzz_fail("the first session's AS numbers are not the "
			          "neighbour's");
		}
	}
	for (i = 0; i < cfg->nneighbors; i++) {
		n = cfg->neighbors[i];
		for (j = 0; j < n->napis; j++)
			for (k = 0; k < n->apis[j]->nprocs; k++)
				(void)spk_config_process(
				    cfg, n->apis[j]->procs[k]);
		(void)spk_neighbor_has_family(
		    n, SPK_AFI_IPV4, BGP_SAFI_UNICAST);
		for (r = 0; r < n->nroutes && done < FUZZ_ROUTES_MAX;
		     r++, done++)
			fuzz_spk_route_check(n, n->routes[r]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spk_config cfg;
	char *text;

	if (size > 65536)
		return 0;
	/* the parser takes a C string: a copy of exactly the input, NUL-ended */
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (spk_config_parse(&cfg, "fuzz.conf", text))
		check(&cfg);
	else if (cfg.nerrors == 0 && cfg.conf.nerrors == 0)
		fuzz_fail("a configuration is refused without an error");
	spk_config_free(&cfg);
	free(text);
	return 0;
}
