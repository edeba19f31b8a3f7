/* SPDX-License-Identifier: ISC */
/* cli/whatif.c - vrs what-if: what a change would do to every NIC, tried on a copy. */

#include "cli/whatif.h"

#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/client.h"
#include "cli/lab_int.h"
#include "cli/network.h"
#include "lib/sbuf.h"

/*
 * Each CHANGE is a `vrs network` verb (the word network may be left
 * out) or a speaker's announce/withdraw in ExaBGP's words.  The verbs
 * run as they always do, reading from vrsd, but their writes are kept
 * (cli_capture) instead of sent; the list goes to POST /v1/whatif,
 * which tries it on copies and answers per NIC.  A change that vrsd
 * would refuse is refused here too, with the same message.
 */

#define WI_MAX   64 /* changes, as vrsd takes them */
#define WI_ARGS  128
#define WI_NICS  64
#define WI_DESTS 64

struct wi {
	const char *sock;
	bool json;
	const char *nics[WI_NICS];
	int nnics;
	const char *dests[WI_DESTS];
	int ndests;
	const char *peer, *rs;
};

static void
wi_usage(FILE *f)
{
	fprintf(f,
	    "usage: vrs what-if [--nic NIC]... [--destination IP]... "
	    "[--peer NAME]\n"
	    "                   [--routeserver NAME] [-o json|table] -- "
	    "CHANGE [-- CHANGE]...\n"
	    "\n"
	    "Tries the changes, in order, on a copy of vrsd's state and "
	    "prints, per NIC,\n"
	    "the effective-route rows they would add (+), remove (-) and "
	    "change (~), and\n"
	    "the flows whose next hop would change.  Nothing running is "
	    "touched.\n"
	    "\n"
	    "CHANGE is one of:\n"
	    "  [network] VERB ...        a vrs network verb that writes, "
	    "e.g.\n"
	    "                            vnet peering update --vnet-name "
	    "spoke1 -n spoke1-to-hub\n"
	    "                              --use-remote-gateways false\n"
	    "  announce route PREFIX [next-hop IP] [as-path [ASN...]] "
	    "[community [A:B...]]\n"
	    "                 [origin igp|egp|incomplete]\n"
	    "                            what the route server peer --peer "
	    "would announce\n"
	    "                            (ExaBGP's words; the only peer if "
	    "there is one)\n"
	    "  withdraw route PREFIX     what it would stop announcing\n"
	    "  lab FILE                  the topology of lab file FILE "
	    "instead of the running\n"
	    "                            one (the peers' announcements "
	    "stay)\n"
	    "\n"
	    "--nic limits the output to those NICs (default: every NIC); "
	    "--destination adds\n"
	    "an address whose next hop is checked on every NIC.  Exit "
	    "status: 0 ok, 1 the\n"
	    "change or an argument was refused, 2 vrsd unreachable.\n");
}

/* The only element of an array of named objects, NULL unless one. */
static const char *
only_name(json_t *arr)
{
	if (json_array_size(arr) != 1)
		return NULL;
	return json_string_value(
	    json_object_get(json_array_get(arr, 0), "name"));
}

/* --routeserver and --peer, or the lab's only ones; false after a message. */
static bool
peer_find(struct wi *w, char *rs, size_t rlen, char *peer, size_t plen)
{
	json_t *doc = NULL, *hubs, *hub = NULL, *h;
	const char *s;
	size_t i;
	int rc;

	if ((rc = cli_call(
	         w->sock, "GET", "/v1/topology", NULL, &doc, "what-if")) != 0)
		return false;
	hubs = json_object_get(doc, "virtualHubs");
	s = w->rs != NULL ? w->rs : only_name(hubs);
	json_array_foreach(hubs, i, h) if (s != NULL &&
	    strcmp(json_string_value(json_object_get(h, "name")), s) == 0) hub =
	    h;
	if (hub == NULL) {
		fprintf(stderr, "vrs: what-if: %s%s%s (--routeserver NAME)\n",
		    w->rs ? "no route server " : "which route server? ",
		    w->rs ? w->rs : "there is not exactly one",
		    w->rs ? "" : "");
		json_decref(doc);
		return false;
	}
	snprintf(rs, rlen, "%s", s);
	s = w->peer != NULL ? w->peer
	                    : only_name(json_object_get(hub, "bgpConnections"));
	if (s == NULL) {
		fprintf(stderr,
		    "vrs: what-if: which peer of %s announces? (--peer NAME)\n",
		    rs);
		json_decref(doc);
		return false;
	}
	snprintf(peer, plen, "%s", s);
	json_decref(doc);
	return true;
}

/* A bracketed list [a b c] or one word at argv[*i]: joined with spaces. */
static bool
words(int argc, char **argv, int *i, struct sbuf *out)
{
	bool list = false;
	const char *s;
	size_t n;
	char *t;

	if (*i >= argc)
		return false;
	for (; *i < argc; (*i)++) {
		s = argv[*i];
		if (s[0] == '[') {
			list = true;
			s++;
		}
		n = strlen(s);
		t = strndup(s, n);
		if (t == NULL)
			return false;
		if (n > 0 && t[n - 1] == ']') {
			t[--n] = '\0';
			list = false;
		}
		if (n > 0)
			sbuf_printf(out, "%s%s", out->len ? " " : "", t);
		free(t);
		if (!list)
			return true;
	}
	return !list;
}

/*
 * announce/withdraw route ... as `network routeserver peering announce`
 * arguments in a[]; the count, or -1 after a message.
 */
static int
speaker_args(
    struct wi *w, int argc, char **argv, char **a, int max, struct sbuf *keep)
{
	static char rs[256], peer[256];
	struct sbuf path, comm;
	bool announce = strcmp(argv[0], "announce") == 0;
	char *nh = NULL, *origin = NULL;
	int i, n = 0;

	if (argc < 3 || strcmp(argv[1], "route") != 0) {
		fprintf(stderr,
		    "vrs: what-if: %s: expected `%s route PREFIX ...`\n",
		    argv[0], argv[0]);
		return -1;
	}
	sbuf_init(&path);
	sbuf_init(&comm);
	for (i = 3; i < argc; i++) {
		if (announce && strcmp(argv[i], "next-hop") == 0 &&
		    i + 1 < argc)
			nh = argv[++i];
		else if (announce && strcmp(argv[i], "origin") == 0 &&
		    i + 1 < argc)
			origin = argv[++i];
		else if (announce && strcmp(argv[i], "as-path") == 0) {
			i++;
			if (!words(argc, argv, &i, &path))
				goto bad;
		} else if (announce && strcmp(argv[i], "community") == 0) {
			i++;
			if (!words(argc, argv, &i, &comm))
				goto bad;
		} else
			goto bad;
	}
	if (!peer_find(w, rs, sizeof(rs), peer, sizeof(peer)))
		goto fail;
	a[n++] = "network";
	a[n++] = "routeserver";
	a[n++] = "peering";
	a[n++] = announce ? "announce" : "withdraw";
	a[n++] = "--routeserver";
	a[n++] = rs;
	a[n++] = "--name";
	a[n++] = peer;
	a[n++] = "--prefixes";
	a[n++] = argv[2];
	if (nh != NULL) {
		a[n++] = "--next-hop";
		a[n++] = nh;
	}
	if (origin != NULL) {
		a[n++] = "--origin";
		a[n++] = origin;
	}
	if (path.len > 0) {
		a[n++] = "--as-path";
		a[n++] = path.s;
		keep[0] = path;
	} else
		sbuf_fini(&path);
	if (comm.len > 0) {
		char *s = comm.s, *save = NULL, *t;

		a[n++] = "--communities";
		for (t = strtok_r(s, " ", &save); t != NULL && n < max;
		     t = strtok_r(NULL, " ", &save))
			a[n++] = t;
		keep[1] = comm;
	} else
		sbuf_fini(&comm);
	return n;
bad:
	fprintf(stderr,
	    "vrs: what-if: %s: unexpected `%s` (vrs what-if --help)\n", argv[0],
	    i < argc ? argv[i] : "end of the command");
fail:
	sbuf_fini(&path);
	sbuf_fini(&comm);
	return -1;
}

static int run_change(struct wi *w, int argc, char **argv, json_t *changes);

/*
 * lab FILE: the topology FILE's commands build, from nothing, in place
 * of the running one (the peers' announcements stay); 0 or 1.
 */
static int
run_lab(struct wi *w, const char *file, json_t *changes)
{
	struct lab l;
	char *words[WI_ARGS + 1], buf[4096];
	int i, n, rc = 0;

	if (!lab_load(&l, file)) {
		fprintf(stderr, "vrs: what-if: %s has errors\n", file);
		lab_free(&l);
		return 1;
	}
	json_array_append_new(changes,
	    json_pack("{s:s,s:s,s:{s:{s:b}}}", "method", "RESET", "path", "/",
	        "body", "options", "relaxed", l.relaxed));
	for (i = 0; i < l.ncmds && rc == 0; i++) {
		n = lab_split(l.cmds[i].text, words, WI_ARGS, buf, sizeof(buf));
		if (n <= 0) {
			fprintf(stderr, "%s:%d:%d: cannot split the command\n",
			    file, l.cmds[i].line, l.cmds[i].col);
			rc = 1;
		} else {
			size_t k = json_array_size(changes);
			char at[PATH_MAX + 32];

			if ((rc = run_change(w, n, words, changes)) != 0)
				fprintf(stderr,
				    "%s:%d:%d: vrs network %s: refused\n", file,
				    l.cmds[i].line, l.cmds[i].col,
				    l.cmds[i].text);
			snprintf(at, sizeof(at), "%s:%d:%d", file,
			    l.cmds[i].line, l.cmds[i].col);
			for (; k < json_array_size(changes); k++)
				json_object_set_new(json_array_get(changes, k),
				    "origin", json_string(at));
		}
	}
	lab_free(&l);
	return rc;
}

/* Run one CHANGE with its writes kept in changes; the verb's exit status. */
static int
run_change(struct wi *w, int argc, char **argv, json_t *changes)
{
	char *a[WI_ARGS + 12];
	struct sbuf keep[2];
	int n, i, rc, saved, null;

	memset(keep, 0, sizeof(keep));
	if (strcmp(argv[0], "lab") == 0) {
		if (argc != 2) {
			fprintf(stderr, "vrs: what-if: expected `lab FILE`\n");
			return 1;
		}
		return run_lab(w, argv[1], changes);
	}
	if (strcmp(argv[0], "announce") == 0 ||
	    strcmp(argv[0], "withdraw") == 0) {
		if ((n = speaker_args(w, argc, argv, a, WI_ARGS, keep)) < 0)
			return 1;
	} else {
		if (argc > WI_ARGS) {
			fprintf(stderr, "vrs: what-if: too many words\n");
			return 1;
		}
		n = 0;
		if (strcmp(argv[0], "network") != 0)
			a[n++] = "network";
		for (i = 0; i < argc; i++)
			a[n++] = argv[i];
	}
	a[n] = NULL;
	fflush(stdout); /* the verb's own output goes nowhere */
	saved = dup(STDOUT_FILENO);
	null = open("/dev/null", O_WRONLY);
	if (saved < 0 || null < 0) {
		perror("vrs: what-if");
		return 1;
	}
	dup2(null, STDOUT_FILENO);
	close(null);
	cli_capture(changes);
	rc = cli_network(w->sock, "none", n, a);
	cli_capture(NULL);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	if (keep[0].s != NULL)
		sbuf_fini(&keep[0]);
	if (keep[1].s != NULL)
		sbuf_fini(&keep[1]);
	return rc;
}

/* ---- the answer as a table ---- */

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

static void
join(json_t *arr, char *buf, size_t len)
{
	json_t *v;
	size_t i, o = 0;

	buf[0] = '\0';
	json_array_foreach(arr, i, v)
	{
		if (o >= len)
			break;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? " " : "",
		    json_string_value(v));
	}
}

static void
row_print(char mark, json_t *r)
{
	char p[512], nh[256];

	join(json_object_get(r, "addressPrefix"), p, sizeof(p));
	join(json_object_get(r, "nextHopIpAddress"), nh, sizeof(nh));
	printf("  %c %-21s %-7s %-18s %-21s %s\n", mark, jstr(r, "source"),
	    jstr(r, "state"), p, jstr(r, "nextHopType"), nh);
}

static void
hop_text(json_t *h, char *buf, size_t len)
{
	if (!json_is_object(h))
		snprintf(buf, len, "(no NIC)");
	else
		snprintf(buf, len, "%s%s%s", jstr(h, "nextHopType"),
		    json_is_string(json_object_get(h, "nextHopIpAddress")) ? " "
		                                                           : "",
		    jstr(h, "nextHopIpAddress"));
}

static void
table_print(json_t *j)
{
	json_t *nic, *r, *c, *f;
	size_t i, k, m, shown = 0;
	char b[128], a[128];

	json_array_foreach(json_object_get(j, "nics"), i, nic)
	{
		size_t n = json_array_size(json_object_get(nic, "added")) +
		    json_array_size(json_object_get(nic, "removed")) +
		    json_array_size(json_object_get(nic, "changed"));

		if (n == 0)
			continue;
		shown++;
		printf("%s%s%s\n", jstr(nic, "name"),
		    !json_is_true(json_object_get(nic, "existed")) ? " (new)"
		        : !json_is_true(json_object_get(nic, "exists"))
		        ? " (removed)"
		        : "",
		    "");
		printf("    %-21s %-7s %-18s %-21s %s\n", "Source", "State",
		    "Address Prefix", "Next Hop Type", "Next Hop IP");
		json_array_foreach(json_object_get(nic, "removed"), k, r)
		    row_print('-', r);
		json_array_foreach(json_object_get(nic, "added"), k, r)
		    row_print('+', r);
		json_array_foreach(json_object_get(nic, "changed"), k, c)
		{
			json_array_foreach(json_object_get(c, "before"), m, r)
			    row_print('<', r);
			json_array_foreach(json_object_get(c, "after"), m, r)
			    row_print('>', r);
		}
	}
	if (shown == 0)
		printf("no effective route changes on %zu NIC%s\n",
		    json_array_size(json_object_get(j, "nics")),
		    json_array_size(json_object_get(j, "nics")) == 1 ? ""
		                                                     : "s");
	if (json_array_size(json_object_get(j, "flows")) == 0)
		return;
	printf("\nflows whose next hop changes:\n");
	json_array_foreach(json_object_get(j, "flows"), i, f)
	{
		hop_text(json_object_get(f, "before"), b, sizeof(b));
		hop_text(json_object_get(f, "after"), a, sizeof(a));
		printf("  %s -> %s: %s => %s\n", jstr(f, "nic"),
		    jstr(f, "destination"), b, a);
	}
}

static int
opt_value(int argc, char **argv, int *i, const char **v)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "vrs: what-if: %s needs a value\n", argv[*i]);
		return -1;
	}
	*v = argv[++*i];
	return 0;
}

/* One more value of a repeated option into v[0..max); -1 after a message. */
static int
opt_push(int argc, char **argv, int *i, const char **v, int *n, int max)
{
	const char *opt = argv[*i], *val;

	if (opt_value(argc, argv, i, &val) < 0)
		return -1;
	if (*n == max) {
		fprintf(stderr, "vrs: what-if: at most %d %s\n", max, opt);
		return -1;
	}
	v[(*n)++] = val;
	return 0;
}

int
cli_whatif(const char *sock, const char *out, int argc, char **argv)
{
	struct wi w;
	json_t *changes, *body, *res = NULL, *a;
	char *s;
	int i, start, rc;

	memset(&w, 0, sizeof(w));
	w.sock = sock;
	w.json = out != NULL && strncmp(out, "json", 4) == 0;
	if (out != NULL && !w.json && strcmp(out, "table") != 0) {
		fprintf(stderr, "vrs: what-if: -o %s: expected json or table\n",
		    out);
		return 1;
	}
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v = NULL;

		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			wi_usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--nic") == 0) {
			if (opt_push(
			        argc, argv, &i, w.nics, &w.nnics, WI_NICS) < 0)
				return 1;
		} else if (strcmp(argv[i], "--destination") == 0) {
			if (opt_push(argc, argv, &i, w.dests, &w.ndests,
			        WI_DESTS) < 0)
				return 1;
		} else if (strcmp(argv[i], "--peer") == 0) {
			if (opt_value(argc, argv, &i, &w.peer) < 0)
				return 1;
		} else if (strcmp(argv[i], "--routeserver") == 0) {
			if (opt_value(argc, argv, &i, &w.rs) < 0)
				return 1;
		} else if (strcmp(argv[i], "-o") == 0 ||
		    strcmp(argv[i], "--output") == 0) {
			if (opt_value(argc, argv, &i, &v) < 0)
				return 1;
			if (strncmp(v, "json", 4) != 0 &&
			    strcmp(v, "table") != 0) {
				fprintf(stderr,
				    "vrs: what-if: -o %s: expected json or "
				    "table\n",
				    v);
				return 1;
			}
			w.json = strncmp(v, "json", 4) == 0;
		} else {
			fprintf(stderr,
			    "vrs: what-if: unknown option %s (vrs what-if "
			    "--help)\n",
			    argv[i]);
			return 1;
		}
	}
	if (i >= argc - 1) {
		wi_usage(stderr);
		return 1;
	}
	changes = json_array();
	for (start = ++i; i <= argc; i++) {
		if (i < argc && strcmp(argv[i], "--") != 0)
			continue;
		if (i == start) {
			fprintf(stderr, "vrs: what-if: an empty CHANGE\n");
			json_decref(changes);
			return 1;
		}
		if ((rc = run_change(&w, i - start, argv + start, changes)) !=
		    0) {
			json_decref(changes);
			return rc;
		}
		start = i + 1;
	}
	if (json_array_size(changes) == 0) {
		fprintf(stderr,
		    "vrs: what-if: the change writes nothing (show and list "
		    "verbs change nothing)\n");
		json_decref(changes);
		return 1;
	}
	if (json_array_size(changes) > WI_MAX) {
		fprintf(stderr, "vrs: what-if: at most %d writes\n", WI_MAX);
		json_decref(changes);
		return 1;
	}
	body = json_pack("{s:o}", "changes", changes);
	a = json_array();
	for (i = 0; i < w.nnics; i++)
		json_array_append_new(a, json_string(w.nics[i]));
	json_object_set_new(body, "nics", a);
	a = json_array();
	for (i = 0; i < w.ndests; i++)
		json_array_append_new(a, json_string(w.dests[i]));
	json_object_set_new(body, "destinations", a);
	s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	rc = cli_call(sock, "POST", "/v1/whatif", s, &res, "what-if");
	free(s);
	if (rc != 0)
		return rc;
	if (w.json) {
		json_dumpf(res, stdout, JSON_INDENT(2));
		putchar('\n');
	} else
		table_print(res);
	json_decref(res);
	return 0;
}
