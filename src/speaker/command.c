/* SPDX-License-Identifier: ISC */
/* speaker/command.c - one line of ExaBGP's text API, from a process or the CLI. */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/sbuf.h"
#include "lib/xmalloc.h"
#include "speaker/show.h"
#include "speaker/spk_int.h"

/*
 * A line runs as in ExaBGP 4.2.21 (reactor/api/command/), whether a
 * process wrote it or `vrs-speaker cli` sent it:
 *  - "show ...", "help" and "version" print; "shutdown", "reload" and
 *    "restart" print that they are in progress; "#..." is a comment;
 *    "reset" gets no answer at all (ExaBGP only empties its queue of
 *    commands).
 *  - A leading "neighbor IP [key value]... [, neighbor ...]" selects the
 *    neighbours whose name has every part of one description
 *    (extract_neighbors, match_neighbor); without one, all of them.  A
 *    process reaches only the neighbours whose api blocks list it
 *    (Reactor.peers(service)); the CLI reaches all.
 *  - "announce"/"withdraw" with no neighbour left is an "error" ("no
 *    neighbor matching the command"); "announce eor", "announce
 *    route-refresh" and "flush adj-rib out" need an established one;
 *    "clear adj-rib" takes any configured one, whoever asks; "teardown"
 *    acts only on the established neighbours named, and is "done" even
 *    when none is.
 *  - The watchdog commands act on every neighbour (announce watchdog).
 */

#define CMD_WORDS_MAX 256
#define EXABGP_API    "4.2.21" /* the version whose API this one is */

static int
select_peers(struct spk *k, char *line, bool *sel, char **rest)
{
	static const char *const keys[] = { "local-ip", "local-as", "peer-as",
		"router-id", "family-allowed" };
	char *desc[CMD_WORDS_MAX], *p = line, *w, *v;
	struct sbuf name;
	int nd = 0, i, j, count = 0;
	size_t q;
	bool any = false, match;

	memset(sel, 0, sizeof(*sel) * (size_t)k->npeers);
	while (strncmp(p, "neighbor ", 9) == 0 && nd + 8 < CMD_WORDS_MAX) {
		any = true;
		desc[nd++] = p; /* "neighbor IP" */
		w = strchr(p + 9, ' ');
		if (w == NULL) {
			*rest = p + strlen(p);
			break;
		}
		*w = '\0';
		p = w + 1;
		for (;;) {
			for (q = 0; q < sizeof(keys) / sizeof(*keys); q++)
				if (strncmp(p, keys[q], strlen(keys[q])) == 0 &&
				    p[strlen(keys[q])] == ' ')
					break;
			if (q == sizeof(keys) / sizeof(*keys) ||
			    (v = strchr(p + strlen(keys[q]) + 1, ' ')) == NULL)
				break;
			*v = '\0';
			desc[nd++] = p;
			p = v + 1;
		}
		desc[nd++] = NULL; /* end of one description */
		if (strncmp(p, ", ", 2) == 0)
			p += 2;
	}
	*rest = p;
	sbuf_init(&name);
	for (i = 0; i < k->npeers; i++) {
		if (!any) {
			sel[i] = true;
			count++;
			continue;
		}
		sbuf_reset(&name);
		spk_show_neighbor_name(k->peers[i]->n, &name);
		sbuf_putc(&name, ' ');
		for (j = 0; j < nd && !sel[i]; j++) {
			match = true;
			for (; j < nd && desc[j] != NULL; j++) {
				char word[512];
				const char *at;

				snprintf(word, sizeof(word), "%s ", desc[j]);
				at = strstr(name.s, word);
				if (at == NULL ||
				    (at != name.s && at[-1] != ' '))
					match = false;
			}
			if (match) {
				sel[i] = true;
				count++;
			}
		}
	}
	sbuf_fini(&name);
	return count;
}

static bool
peer_up(const struct spk_peer *p)
{
	return p->s != NULL && session_state(p->s) == SESSION_ESTABLISHED;
}

/* flush adj-rib out: send every route of the Adj-RIB-Out again. */
static bool
flush_out(struct spk *k, const bool *sel)
{
	int j, n = 0;

	for (j = 0; j < k->npeers; j++) {
		struct spk_peer *p = k->peers[j];

		if (!sel[j] || !peer_up(p))
			continue;
		n++;
		spk_peer_resend(p);
	}
	return n > 0; /* ExaBGP: "no neighbor matching the command" */
}

/* clear adj-rib [in|out]: forget what was received, or withdraw all. */
static void
clear_rib(struct spk *k, const bool *sel, bool in)
{
	int j;

	for (j = 0; j < k->npeers; j++) {
		struct spk_peer *p = k->peers[j];

		if (!sel[j])
			continue;
		if (in) {
			spk_adjin_clear(p);
			continue;
		}
		spk_peer_clear(p);
	}
}

static bool
has_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	const char *at;

	for (at = strstr(s, word); at != NULL; at = strstr(at + 1, word))
		if ((at == s || at[-1] == ' ') &&
		    (at[n] == '\0' || at[n] == ' '))
			return true;
	return false;
}

/* Does p's neighbour list the process from in an api block? */
static bool
reaches(const struct spk_peer *p, const struct spk_process *from)
{
	int i, j;

	for (i = 0; i < p->n->napis; i++)
		for (j = 0; j < p->n->apis[i]->nprocs; j++)
			if (strcmp(p->n->apis[i]->procs[j], from->name) == 0)
				return true;
	return false;
}

/* Keep in sel the peers a command may touch; returns how many. */
static int
keep(struct spk *k, bool *sel, const struct spk_process *from, bool up)
{
	int j, n = 0;

	for (j = 0; j < k->npeers; j++) {
		if (sel[j] && from != NULL && !reaches(k->peers[j], from))
			sel[j] = false;
		if (sel[j] && up && !peer_up(k->peers[j]))
			sel[j] = false;
		n += sel[j];
	}
	return n;
}

static bool
starts(const char *s, const char *word)
{
	size_t n = strlen(word);

	return strncmp(s, word, n) == 0 && (s[n] == '\0' || s[n] == ' ');
}

enum spk_answer
spk_command(struct spk *k, const char *line, const struct spk_process *from,
    struct sbuf *out)
{
	char *copy, *rest;
	bool *sel, ok = false;
	int n, j;

	if (line[0] == '#')
		return SPK_DONE;
	if (spk_show_command(k, line, out, &ok))
		return ok ? SPK_DONE : SPK_ERROR;
	ok = false;
	if (strcmp(line, "version") == 0) {
		sbuf_puts(out, "exabgp " EXABGP_API "\n");
		return SPK_DONE;
	}
	if (strcmp(line, "reset") == 0)
		return SPK_SILENT;
	if (strcmp(line, "shutdown") == 0 || strcmp(line, "reload") == 0 ||
	    strcmp(line, "restart") == 0) {
		sbuf_printf(out, "%s in progress\n", line);
		if (line[0] == 's')
			raise(SIGTERM);
		else if (strcmp(line, "reload") == 0)
			spk_reload(k);
		else
			spk_restart(k);
		return SPK_DONE;
	}
	copy = xstrdup(line);
	sel = xcalloc((size_t)k->npeers + 1, sizeof(*sel));
	n = select_peers(k, copy, sel, &rest);
	if (starts(rest, "announce") || starts(rest, "withdraw")) {
		bool up = starts(rest, "announce eor") ||
		    starts(rest, "announce route-refresh");

		const char *name = from != NULL ? from->name : NULL;

		if (starts(rest + 8 + (rest[8] == ' '), "watchdog") ||
		    keep(k, sel, from, up) > 0)
			ok = spk_api_command(k, rest, sel, name);
		else
			log_debug(
			    "api: no neighbor matching the command: %s", line);
	} else if (strcmp(rest, "flush adj-rib out") == 0) {
		ok = flush_out(k, sel);
	} else if (starts(rest, "clear adj-rib")) {
		ok = n > 0;
		if (ok)
			clear_rib(k, sel,
			    has_word(rest, "in") ||
			        has_word(rest, "adj-rib-in"));
	} else if (starts(rest, "teardown")) {
		/* ExaBGP 4.2 tears down only the neighbours a command names */
		char *code = strchr(rest, ' '), *end;
		long v = code ? strtol(code + 1, &end, 10) : -1;

		ok = code != NULL && end != code + 1 && *end == '\0' &&
		    v >= 0 && v < 256;
		for (j = 0; ok && rest != copy && j < k->npeers; j++)
			if (sel[j] && peer_up(k->peers[j]))
				session_teardown(
				    k->peers[j]->s, (uint8_t)v, NULL);
	}
	free(sel);
	free(copy);
	return ok ? SPK_DONE : SPK_ERROR;
}
