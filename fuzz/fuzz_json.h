/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_json.h - every line of ExaBGP-style JSON output must parse. */

#ifndef VRS_FUZZ_FUZZ_JSON_H
#define VRS_FUZZ_FUZZ_JSON_H

#include <jansson.h>
#include <string.h>

#include "fuzz.h"
#include "lib/sbuf.h"

/*
 * A program reading the speaker's API (ExaBGP's `encoder json`) parses
 * each line as one JSON document: every non-empty line of out from
 * offset from on must.
 */
static inline void
fuzz_json_check(const struct sbuf *out, size_t from, const char *what)
{
	const char *p =
	    out->s != NULL && from < out->len ? out->s + from : NULL;
	const char *nl;
	json_error_t e;
	json_t *v;
	size_t n;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (n > 0) {
			/* ExaBGP prints 64-bit values (an extended
			 * community's) as integers; JSON allows any size */
			v = json_loadb(p, n,
			    JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &e);
			if (v == NULL) {
				fprintf(stderr, "fuzz: %s (column %d): %.*s\n",
				    e.text, e.column, (int)n, p);
				fuzz_fail(what);
			}
			json_decref(v);
		}
		p = nl != NULL ? nl + 1 : NULL;
	}
}

#endif
