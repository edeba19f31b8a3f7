/* SPDX-License-Identifier: ISC */
/* speaker/main.c - vrs-speaker: an ExaBGP-compatible BGP speaker. */

#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "speaker/cli.h"
#include "speaker/config.h"
#include "speaker/decode.h"
#include "speaker/engine.h"

#ifndef VRS_VERSION
#define VRS_VERSION "0.1.0"
#endif

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: vrs-speaker [-c] FILE...          run the speaker (ExaBGP "
	    "4 configuration)\n"
	    "       vrs-speaker --test FILE...        check the configuration, "
	    "exit 0 or 1\n"
	    "                                          (--check, as vrsd's, "
	    "is the same)\n"
	    "       vrs-speaker decode [--config FILE] [--text] HEX...\n"
	    "                                          print BGP messages as "
	    "ExaBGP does\n"
	    "       vrs-speaker cli [--root DIR] COMMAND...\n"
	    "                                          send COMMAND to the "
	    "running speaker\n"
	    "       vrs-speaker --version | --help\n"
	    "\n"
	    "Before FILE, vrs's own options (used by vrs lab):\n"
	    "  --map-loopback   connect and listen on each configured "
	    "address mapped\n"
	    "                   to loopback (a.b.c.d -> 127.b.c.d); what BGP "
	    "carries\n"
	    "                   (router-id, next hops) stays as written\n"
	    "  --root DIR       make the named pipes under DIR/run/ only\n"
	    "\n"
	    "Signals, as ExaBGP 4.2's: USR1 reads the configuration again, "
	    "USR2 that\n"
	    "and restarts the processes, ALRM restarts (as the restart "
	    "command);\n"
	    "TERM, INT and HUP stop the speaker.\n");
}

/*
 * Check each file as ExaBGP's --test does, every error on stderr as
 * file:line:col: message.  Unlike ExaBGP, the programs of process blocks
 * are not looked up here: they are checked when the speaker starts them,
 * so a configuration can be checked before its helpers are installed.
 */
static int
test_files(int argc, char **argv)
{
	struct spk_config cfg;
	int i, rc = 0;

	if (argc < 1) {
		usage(stderr);
		return 1;
	}
	for (i = 0; i < argc; i++) {
		if (!spk_config_load(&cfg, argv[i])) {
			fputs(cfg.errors.s, stderr);
			rc = 1;
		}
		spk_config_free(&cfg);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	log_init("vrs-speaker", LOG_LVL_INFO);
	if (argc >= 2 && strcmp(argv[1], "decode") == 0)
		return spk_decode_main(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "cli") == 0)
		return spk_cli_main(argc - 1, argv + 1);
	if (argc >= 2 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("vrs-speaker %s\n", VRS_VERSION);
		return 0;
	}
	if (argc >= 2 &&
	    (strcmp(argv[1], "--test") == 0 || strcmp(argv[1], "-t") == 0 ||
	        strcmp(argv[1], "--check") == 0))
		return test_files(argc - 2, argv + 2);
	for (;;) {
		if (argc >= 2 && strcmp(argv[1], "--map-loopback") == 0) {
			spk_map_loopback = true;
			argc--;
			argv++;
		} else if (argc >= 3 && strcmp(argv[1], "--root") == 0) {
			spk_root = argv[2];
			argc -= 2;
			argv += 2;
		} else
			break;
	}
	if (argc >= 2 && strcmp(argv[1], "-c") == 0) {
		argc--;
		argv++;
	}
	if (argc < 2 || argv[1][0] == '-') {
		usage(stderr);
		return 1;
	}
	return spk_run(argc - 1, argv + 1);
}
