/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_exaapi.c - libFuzzer target: vrs-speaker's text API and CLI commands. */

/*
 * Input: a selector byte, then lines of text as a process writes them on
 * vrs-speaker's API pipe or `vrs-speaker cli` sends them ("announce route
 * ...", "neighbor 127.0.0.1 withdraw route ...", "announce attributes ...
 * nlri ...", "announce eor", "announce watchdog NAME", "show adj-rib out
 * extensive", ...).  The selector's low bit picks the speaker's
 * configuration (two below: iBGP and eBGP, IPv4 and IPv6, ADD-PATH and
 * watchdog routes; or a 2-octet AS speaker with a passive range).
 *
 * The speaker runs without sessions (as before its peers connect): every
 * line goes to spk_command(), as cli.c and api.c send it, from the CLI
 * or (the selector's bit 1) from the configuration's first process.  Then every route each
 * peer's Adj-RIB-Out holds must be sendable (fuzz_spk_route_check), and
 * "show adj-rib out extensive" prints them all.
 *
 * Three commands act on the process, not on the text: "shutdown" raises
 * SIGTERM (ignored here), "reload" reads the configuration file again
 * (a copy of the selected one, written to /tmp/vrs-fuzz-exaapi.PID.N.conf
 * for an input that has the word and removed after it), and "restart",
 * without an event loop here, does only that reload.
 * A route's `split /N` makes 2^(N - length) prefixes, so lines that ask
 * for more than 2^12 of them are skipped: the speaker does the work it
 * is told, as ExaBGP does.
 */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_spk.h"
#include "lib/log.h"
#include "speaker/show.h"
#include "speaker/spk_int.h"

#define FUZZ_LINES    64   /* lines run per input */
#define FUZZ_LINE_MAX 8192 /* bytes per line */
#define FUZZ_SPLIT    12   /* largest split /N taken */

static const char *const configs[2] = {
	"process watch { run /bin/true; encoder text; }\n"
	"neighbor 127.0.0.1 {\n"
	"  router-id 10.0.0.1; local-address 127.0.0.2;\n"
	"  local-as 65001; peer-as 65001;\n"
	"  family { ipv4 unicast; ipv6 unicast; }\n"
	"  capability { add-path send/receive; route-refresh; }\n"
	"  api { processes [ watch ]; receive { parsed; update; } }\n"
	"  static {\n"
	"    route 10.9.0.0/16 next-hop self watchdog dog withdraw;\n"
	"    route 10.8.0.0/16 next-hop 10.0.0.1 community [65001:1];\n"
	"    route 2001:db8::/32 next-hop 2001:db8::1 local-preference 50;\n"
	"  }\n"
	"}\n"
	"neighbor 10.0.2.4 {\n"
	"  router-id 10.0.0.4; local-address 10.0.0.4;\n"
	"  local-as 65010; peer-as 65515;\n"
	"  static {\n"
	"    route 192.168.10.0/24 next-hop 10.0.0.4;\n"
	"    route 0.0.0.0/0 next-hop 10.0.0.4 as-path [ 65010 65020 ];\n"
	"  }\n"
	"}\n",
	"neighbor 192.0.2.1 {\n"
	"  router-id 192.0.2.2; local-address 192.0.2.2;\n"
	"  local-as 64512; peer-as 64513;\n"
	"  capability { asn4 disable; }\n"
	"  static { route 198.51.100.0/24 next-hop self med 10; }\n"
	"}\n"
	"neighbor 127.0.0.0/8 {\n"
	"  router-id 192.0.2.2; local-address 127.0.0.1;\n"
	"  local-as 64512; peer-as 64512; passive;\n"
	"}\n",
};

static struct spk_config base[2];
static char *files[2][1];
static struct spk_env env;

/* Parse both configurations once. */
static void
init(void)
{
	static bool done;
	int i;

	if (done)
		return;
	done = true;
	log_set_level(LOG_LVL_ERR);
	signal(SIGTERM, SIG_IGN);
	spk_env_init(&env);
	for (i = 0; i < 2; i++) {
		if (!spk_config_parse(&base[i], "fuzz.conf", configs[i])) {
			fprintf(stderr, "%s", base[i].errors.s);
			fuzz_fail("a base configuration is refused");
		}
		if (asprintf(&files[i][0], "/tmp/vrs-fuzz-exaapi.%ld.%d.conf",
		        (long)getpid(), i) == -1)
			fuzz_fail("asprintf");
	}
}

/* Write configuration sel where reload reads it (removed after the input). */
static void
reload_file(int sel)
{
	size_t len = strlen(configs[sel]);
	int fd;

	if ((fd = open(files[sel][0], O_WRONLY | O_CREAT | O_TRUNC, 0600)) ==
	        -1 ||
	    write(fd, configs[sel], len) != (ssize_t)len || close(fd) == -1)
		fuzz_fail("cannot write the configuration to a file");
}

/* True when line asks a route to split into more than 2^FUZZ_SPLIT. */
static bool
too_split(const char *line)
{
	const char *at = line;

	while ((at = strstr(at, "split")) != NULL) {
		at += 5;
		while (*at == ' ' || *at == '\t' || *at == '/')
			at++;
		if (atoi(at) > FUZZ_SPLIT)
			return true;
	}
	return false;
}

static void
run_line(struct spk *k, const char *line, const struct spk_process *from)
{
	struct sbuf out;

	if (too_split(line))
		return;
	sbuf_init(&out);
	(void)spk_command(k, line, from, &out);
	sbuf_fini(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[FUZZ_LINE_MAX + 1];
	struct spk_config *cfg;
	struct sbuf out;
	struct spk k;
	size_t off, end, i;
	const struct spk_process *from;
	int sel, nlines, j;
	bool ok, reload;

	if (size < 1 || size > 65536)
		return 0;
	init();
	sel = data[0] & 1;
	/* bit 1: the lines come from the configuration's first process */
	from =
	    (data[0] & 2) && base[sel].nprocs > 0 ? &base[sel].procs[0] : NULL;
	cfg = &base[sel];
	reload = memmem(data, size, "reload", 6) != NULL ||
	    memmem(data, size, "restart", 7) != NULL;
	if (reload)
		reload_file(sel);
	memset(&k, 0, sizeof(k));
	spk_global = &k;
	k.cfg = cfg;
	k.env = env;
	k.files = files[sel];
	k.nfiles = 1;
	arena_init(&k.arena, 65536);
	k.npeers = cfg->nneighbors;
	k.peers = calloc((size_t)k.npeers + 1, sizeof(*k.peers));
	if (k.peers == NULL)
		fuzz_fail("calloc");
	for (j = 0; j < k.npeers; j++) /* k.bgp NULL: no sessions */
		k.peers[j] = spk_peer_new(&k, cfg->neighbors[j]);
	for (off = 1, nlines = 0; off < size && nlines < FUZZ_LINES;
	     off = end + 1, nlines++) {
		for (end = off; end < size && data[end] != '\n'; end++)
			;
		if (end - off > FUZZ_LINE_MAX)
			continue;
		memcpy(line, data + off, end - off);
		line[end - off] = '\0';
		run_line(&k, line, from);
	}
	for (j = 0; j < k.npeers; j++)
		for (i = 0; i < k.peers[j]->nadj; i++)
			if (spk_adj_at(k.peers[j], i)->want != NULL)
				fuzz_spk_route_check(k.peers[j]->n,
				    spk_adj_at(k.peers[j], i)->want);
	sbuf_init(&out);
	if (!spk_show_command(&k, "show adj-rib out extensive", &out, &ok))
		fuzz_fail("show adj-rib out is not a command");
	sbuf_fini(&out);
	spk_peers_free(&k);
	for (j = 0; j < k.nold; j++)
		if (k.old[j] != cfg) {
			spk_config_free(k.old[j]);
			free(k.old[j]);
		}
	free(k.old);
	if (k.cfg != cfg) {
		spk_config_free(k.cfg);
		free(k.cfg);
	}
	arena_fini(&k.arena);
	spk_global = NULL;
	if (reload)
		unlink(files[sel][0]);
	return 0;
}
