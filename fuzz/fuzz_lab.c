/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_lab.c - libFuzzer target: `vrs lab up`'s lab files and their `vrs network` commands. */

/*
 * Input: the YAML text of a lab file, read by lab_parse() as if it were
 * VRS_FUZZ_LABS/fuzz.yaml (the source tree's labs/, so `config:
 * nva.conf` names a real file).  For an accepted one, each speaker must have an absolute
 * configuration path, and the first topology commands are split as
 * network_cmd() splits them and given to cli_network(), which reads the
 * verb and its options and builds the ARM request (vrs network's whole
 * grammar) before it fails to reach a vrsd at a socket that does not
 * exist.  Everything they say goes to stderr: run with -close_fd_mask=3.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/lab_int.h"
#include "cli/network.h"
#include "fuzz.h"

#ifndef VRS_FUZZ_LABS
#define VRS_FUZZ_LABS "labs"
#endif

#define FUZZ_CMDS 16 /* topology commands run per input */

static void
command(const char *cmd)
{
	static char buf[8192];
	char *argv[130];
	int argc, off = 0;

	argv[0] = "network";
	argc = lab_split(cmd, argv + 1, 127, buf, sizeof(buf));
	if (argc < 0)
		return;
	if (argc > 127 || argv[argc + 1] != NULL)
		fuzz_fail("lab_split: argv is not NULL-terminated");
	if (argc > 0 && strcmp(argv[1], "network") == 0)
		off = 1;
	if (argc - off < 1)
		return;
	(void)cli_network(
	    "/nonexistent/vrs-fuzz.sock", "none", argc + 1 - off, argv + off);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lab l;
	int i;

	if (size > 65536)
		return 0;
	if (!lab_parse(
	        &l, VRS_FUZZ_LABS "/fuzz.yaml", (const char *)data, size)) {
		lab_free(&l);
		return 0;
	}
	for (i = 0; i < l.nspk; i++)
		if (l.spk[i].conf == NULL || l.spk[i].conf[0] != '/')
			fuzz_fail("a speaker's configuration is not absolute");
	for (i = 0; i < l.ncmds && i < FUZZ_CMDS; i++)
		command(l.cmds[i].text);
	lab_free(&l);
	return 0;
}
