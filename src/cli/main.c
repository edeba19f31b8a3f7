/* SPDX-License-Identifier: ISC */
/* cli/main.c - vrs: the command-line client of vrsd. */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/client.h"
#include "cli/lab.h"
#include "cli/network.h"
#include "cli/whatif.h"
#include "lib/prefix.h"
#include "lib/sbuf.h"

#ifndef VRS_VERSION
#define VRS_VERSION "0.1.0"
#endif
#define DEFAULT_SOCKET "/run/vrs/vrsd.sock"

enum out_fmt { OUT_TABLE, OUT_JSON };

struct cli {
	const char *sock;
	enum out_fmt fmt;
	const char *out; /* -o as given, NULL if none */
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: vrs [--socket PATH|tcp://ADDR:PORT] [-o json|table] "
	    "COMMAND [ARGS]\n"
	    "\n"
	    "commands:\n"
	    "  peers                          sessions: state, uptime, "
	    "prefixes\n"
	    "  routes [PREFIX] [--peer NAME] [--advertised]\n"
	    "                                 Loc-RIB / Adj-RIB-In, or what "
	    "NAME is sent\n"
	    "  memory                         RIB objects and bytes\n"
	    "  peer refresh NAME              ask NAME to send its routes "
	    "again\n"
	    "  peer reset NAME                close NAME's session (Cease "
	    "6/4)\n"
	    "  rib dump [--view NAME] [FILE]  the RIB as an MRT TABLE_DUMP_V2 "
	    "file (RFC 6396);\n"
	    "                                 views: rib, and in a lab "
	    "ars/IN_0, ars/IN_1, vpngw\n"
	    "  network ...                    az network's verbs: vnet, "
	    "subnet, peering,\n"
	    "                                 route-table, nic, routeserver, "
	    "watcher\n"
	    "                                 (vrs network --help)\n"
	    "  what-if [--nic NIC]... -- CHANGE\n"
	    "                                 what a change would do to each "
	    "NIC's effective\n"
	    "                                 routes, tried on a copy (vrs "
	    "what-if --help)\n"
	    "  lab up [FILE] | status | down | speaker NAME COMMAND...\n"
	    "                                 a whole lab over live BGP "
	    "(vrs lab --help)\n"
	    "  lab import-arm TEMPLATE.json [--routes ROUTES.json]\n"
	    "                                 a lab file from an ARM export "
	    "(az group export)\n"
	    "\n"
	    "vrsd is found at --socket, else $VRS_SOCKET, else the running "
	    "lab's,\nelse %s.\n"
	    "A path is a UNIX socket; tcp://127.0.0.1:PORT or "
	    "tcp://[::1]:PORT is vrsd's\n"
	    "control-listen: on loopback TCP.  With vrsd's http-token-file, "
	    "set\n"
	    "$VRS_TOKEN_FILE to that file: its token goes out as a Bearer "
	    "token.\n"
	    "Exit status: 0 ok, 1 user error, 2 vrsd unreachable.\n",
	    DEFAULT_SOCKET);
}

static int
fail(const char *what, const char *why)
{
	fprintf(stderr, "vrs: %s: %s\n", what, why);
	return 1;
}

/* Run a request; print vrsd's error and return the exit status. */
static int
call(struct cli *c, const char *method, const char *path, json_t **out)
{
	return cli_call(c->sock, method, path, NULL, out, NULL);
}

static void
print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	printf("%s\n", s);
	free(s);
}

static void
fmt_uptime(int64_t s, char *buf, size_t size)
{
	if (s >= 86400)
		snprintf(buf, size, "%" PRId64 "d%02" PRId64 "h", s / 86400,
		    (s % 86400) / 3600);
	else
		snprintf(buf, size, "%02" PRId64 ":%02" PRId64 ":%02" PRId64,
		    s / 3600, (s % 3600) / 60, s % 60);
}

static int
cmd_peers(struct cli *c)
{
	json_t *arr, *p;
	size_t i;
	char up[32];
	int rc;

	if ((rc = call(c, "GET", "/v1/peers", &arr)) != 0)
		return rc;
	if (c->fmt == OUT_JSON) {
		print_json(arr);
		json_decref(arr);
		return 0;
	}
	/* like `birdc show protocols` */
	printf("%-16s %-24s %-10s %-12s %-10s %10s %10s %10s\n", "Name",
	    "Address", "AS", "State", "Since", "Received", "Accepted", "Sent");
	json_array_foreach(arr, i, p)
	{
		fmt_uptime(json_integer_value(json_object_get(p, "uptime")), up,
		    sizeof(up));
		printf("%-16s %-24s %-10" JSON_INTEGER_FORMAT
		       " %-12s %-10s %10" JSON_INTEGER_FORMAT
		       " %10" JSON_INTEGER_FORMAT " %10" JSON_INTEGER_FORMAT
		       "\n",
		    json_string_value(json_object_get(p, "name")),
		    json_string_value(json_object_get(p, "address")),
		    json_integer_value(json_object_get(p, "asn")),
		    json_string_value(json_object_get(p, "state")), up,
		    json_integer_value(json_object_get(p, "prefixesReceived")),
		    json_integer_value(json_object_get(p, "prefixesAccepted")),
		    json_integer_value(json_object_get(p, "prefixesSent")));
	}
	json_decref(arr);
	return 0;
}

static void
url_add(struct sbuf *b, const char *key, const char *val, bool *first)
{
	const unsigned char *p;

	sbuf_printf(b, "%c%s=", *first ? '?' : '&', key);
	for (p = (const unsigned char *)val; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~:", *p))
			sbuf_putc(b, (char)*p);
		else
			sbuf_printf(b, "%%%02X", *p);
	}
	*first = false;
}

static int
cmd_routes(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "peer", required_argument, NULL, 'p' },
		{ "advertised", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *peer = NULL, *pfx = NULL, *why;
	bool adv = false, first = true;
	struct sbuf path;
	struct prefix px;
	json_t *arr, *r, *x;
	size_t i, k;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "p:a", opts, NULL)) != -1) {
		if (ch == 'p')
			peer = optarg;
		else if (ch == 'a')
			adv = true;
		else
			return 1;
	}
	if (optind < argc)
		pfx = argv[optind++];
	if (optind < argc)
		return fail("routes", "too many arguments");
	if (pfx != NULL &&
	    (why = prefix_parse(pfx, &px, PREFIX_HOST_OK)) != NULL) {
		fprintf(stderr, "vrs: routes: prefix %s: %s\n", pfx, why);
		return 1;
	}
	if (adv && peer == NULL)
		return fail("routes", "--advertised needs --peer NAME");
	sbuf_init(&path);
	sbuf_puts(&path, "/v1/routes");
	if (pfx != NULL)
		url_add(&path, "prefix", pfx, &first);
	if (peer != NULL)
		url_add(&path, "peer", peer, &first);
	if (adv)
		url_add(&path, "advertised", "1", &first);
	rc = call(c, "GET", path.s, &arr);
	sbuf_fini(&path);
	if (rc != 0)
		return rc;
	if (c->fmt == OUT_JSON) {
		print_json(arr);
		json_decref(arr);
		return 0;
	}
	printf("%-20s %-18s %-12s %-5s %s\n", "Prefix", "Next hop", "Peer",
	    "Best", "AS path / communities");
	json_array_foreach(arr, i, r)
	{
		printf("%-20s %-18s %-12s %-5s",
		    json_string_value(json_object_get(r, "prefix")),
		    json_string_value(json_object_get(r, "nextHop")),
		    json_string_value(json_object_get(r, "peer")),
		    json_is_true(json_object_get(r, "best")) ? "*" : "");
		json_array_foreach(json_object_get(r, "asPath"), k, x)
		    printf(" %" JSON_INTEGER_FORMAT, json_integer_value(x));
		json_array_foreach(json_object_get(r, "communities"), k, x)
		    printf(" %s", json_string_value(x));
		printf("\n");
	}
	json_decref(arr);
	return 0;
}

static int
cmd_memory(struct cli *c)
{
	json_t *m;
	const char *k;
	json_t *v;
	int rc;

	if ((rc = call(c, "GET", "/v1/memory", &m)) != 0)
		return rc;
	if (c->fmt == OUT_JSON) {
		print_json(m);
		json_decref(m);
		return 0;
	}
	printf("%-16s %12s %14s\n", "Structure", "Count", "Bytes");
	json_object_foreach(m, k, v)
	{
		if (json_is_object(v) && json_object_get(v, "count") != NULL)
			printf("%-16s %12" JSON_INTEGER_FORMAT
			       " %14" JSON_INTEGER_FORMAT "\n",
			    k, json_integer_value(json_object_get(v, "count")),
			    json_integer_value(json_object_get(v, "bytes")));
		else if (json_is_object(v))
			printf("%-16s %12s %14" JSON_INTEGER_FORMAT "\n", k, "",
			    json_integer_value(json_object_get(v, "bytes")));
		else
			printf("%-16s %12s %14" JSON_INTEGER_FORMAT "\n", k, "",
			    json_integer_value(v));
	}
	json_decref(m);
	return 0;
}

static int
cmd_peer(struct cli *c, int argc, char **argv)
{
	struct sbuf path;
	json_t *r;
	int rc;

	if (argc != 3 ||
	    (strcmp(argv[1], "refresh") != 0 && strcmp(argv[1], "reset") != 0))
		return fail("peer", "usage: vrs peer refresh|reset NAME");
	sbuf_init(&path);
	sbuf_printf(&path, "/v1/peers/%s/%s", argv[2], argv[1]);
	rc = call(c, "POST", path.s, &r);
	sbuf_fini(&path);
	if (rc == 0) {
		printf("%s: %s sent\n", argv[2],
		    strcmp(argv[1], "refresh") == 0 ? "ROUTE-REFRESH"
		                                    : "Cease 6/4");
		json_decref(r);
	}
	return rc;
}

/*
 * vrs rib dump [--view NAME] [FILE]: the RIB as MRT TABLE_DUMP_V2 into
 * FILE (written whole, then renamed into place) or stdout ("-", not a
 * terminal).
 */
static int
cmd_rib(struct cli *c, int argc, char **argv)
{
	const char *view = NULL, *file = "-";
	struct sbuf path, body;
	char err[512], tmp[4096];
	json_t *e;
	FILE *f;
	int i, st, rc = 0;

	if (argc < 2 || strcmp(argv[1], "dump") != 0)
		return fail("rib", "usage: vrs rib dump [--view NAME] [FILE]");
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--view") == 0 && i + 1 < argc)
			view = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return fail("rib dump", "unknown option (--view NAME)");
		else if (i == argc - 1)
			file = argv[i];
		else
			return fail("rib dump", "one FILE at most");
	}
	if (strcmp(file, "-") == 0 && isatty(STDOUT_FILENO))
		return fail("rib dump",
		    "an MRT dump is binary: give a FILE or redirect stdout");
	sbuf_init(&path);
	sbuf_init(&body);
	sbuf_puts(&path, "/v1/rib/mrt");
	if (view != NULL) {
		sbuf_puts(&path, "?view=");
		for (; *view != '\0'; view++) /* URL-encode */
			if (isalnum((unsigned char)*view) ||
			    strchr("-_.", *view))
				sbuf_putc(&path, *view);
			else
				sbuf_printf(
				    &path, "%%%02X", (unsigned char)*view);
	}
	st = cli_get_raw(c->sock, path.s, &body, &e, err, sizeof(err));
	if (st == 0) {
		fprintf(stderr, "vrs: cannot reach vrsd: %s\n", err);
		rc = 2;
	} else if (st < 200 || st > 299) {
		fprintf(stderr, "vrs: rib dump: %s\n",
		    e ? json_string_value(json_object_get(
		            json_object_get(e, "error"), "message"))
		      : "vrsd refused");
		json_decref(e);
		rc = 1;
	} else if (strcmp(file, "-") == 0) {
		if (fwrite(body.s, 1, body.len, stdout) != body.len ||
		    fflush(stdout) != 0)
			rc = fail("rib dump", strerror(errno));
	} else {
		snprintf(tmp, sizeof(tmp), "%s.tmp", file);
		if ((f = fopen(tmp, "wb")) == NULL ||
		    fwrite(body.s, 1, body.len, f) != body.len ||
		    fclose(f) != 0 || rename(tmp, file) != 0) {
			fprintf(stderr, "vrs: rib dump: %s: %s\n", file,
			    strerror(errno));
			(void)unlink(tmp);
			rc = 1;
		}
	}
	sbuf_fini(&path);
	sbuf_fini(&body);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { NULL, OUT_TABLE, NULL };
	int ch;

	c.sock = getenv("VRS_SOCKET");
	if (c.sock == NULL || *c.sock == '\0')
		c.sock = lab_socket(); /* a running lab's vrsd */
	if (c.sock == NULL)
		c.sock = DEFAULT_SOCKET;
	while ((ch = getopt_long(argc, argv, "+s:o:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			c.sock = optarg;
			break;
		case 'o':
			c.out = optarg;
			if (strcmp(optarg, "json") == 0 ||
			    strcmp(optarg, "jsonc") == 0)
				c.fmt = OUT_JSON;
			else if (strcmp(optarg, "table") == 0 ||
			    strcmp(optarg, "yaml") == 0 ||
			    strcmp(optarg, "tsv") == 0 ||
			    strcmp(optarg, "none") == 0)
				c.fmt = OUT_TABLE;
			else
				return fail("-o",
				    "expected json, jsonc, yaml, table, tsv or "
				    "none");
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vrs %s\n", VRS_VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return 1;
	}
	if (strcmp(argv[0], "lab") == 0)
		return cli_lab(argc, argv);
	if (strcmp(argv[0], "peers") == 0)
		return cmd_peers(&c);
	if (strcmp(argv[0], "routes") == 0)
		return cmd_routes(&c, argc, argv);
	if (strcmp(argv[0], "memory") == 0)
		return cmd_memory(&c);
	if (strcmp(argv[0], "peer") == 0)
		return cmd_peer(&c, argc, argv);
	if (strcmp(argv[0], "rib") == 0)
		return cmd_rib(&c, argc, argv);
	if (strcmp(argv[0], "network") == 0)
		return cli_network(c.sock, c.out, argc, argv);
	if (strcmp(argv[0], "what-if") == 0)
		return cli_whatif(c.sock, c.out, argc, argv);
	fprintf(stderr, "vrs: unknown command %s (vrs --help)\n", argv[0]);
	return 1;
}
