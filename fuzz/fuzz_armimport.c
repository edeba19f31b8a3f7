/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_armimport.c - libFuzzer target: vrs lab import-arm's ARM templates and resource lists. */

/*
 * Input: the JSON text of an ARM template (az group export) or a list of
 * resources (az resource list), read by lab_arm_text() as fuzz.json;
 * after a line "//routes", the JSON of --routes (learned or advertised
 * routes), whose speakers' files go to a folder of /tmp made once (and
 * removed at exit).  An accepted one must make a lab file that
 * lab_parse() reads without an error, whose every topology command
 * lab_split() splits as `vrs lab up` does.  Everything they say goes to stderr: run
 * with -close_fd_mask=3.
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/armimport.h"
#include "cli/lab_int.h"
#include "fuzz.h"

static char dir[] = "/tmp/vrs-fuzz-arm.XXXXXX";

/* The speakers' files import-arm wrote, and their folder. */
static void
cleanup(void)
{
	char path[sizeof(dir) + 300];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d != NULL && (e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "arm-", 4) == 0) {
			snprintf(
			    path, sizeof(path), "%s/%.280s", dir, e->d_name);
			unlink(path);
		}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lab l;
	static char buf[8192];
	static const char sep[] = "\n//routes\n";
	const char *text = (const char *)data, *r;
	struct sbuf y;
	char *argv[130];
	size_t len = size;
	int i;

	static char lab[64];

	if (size > 1 << 20)
		return 0;
	if (lab[0] == '\0') {
		if (mkdtemp(dir) == NULL)
			fuzz_fail("mkdtemp");
		atexit(cleanup);
		snprintf(lab, sizeof(lab), "%s/fuzz.yaml", dir);
	}
	r = memmem(text, size, sep, sizeof(sep) - 1);
	if (r != NULL)
		len = (size_t)(r - text);
	sbuf_init(&y);
	if (lab_arm_text("fuzz.json", text, len,
	        r != NULL ? r + sizeof(sep) - 1 : NULL,
	        r != NULL ? size - len - (sizeof(sep) - 1) : 0, dir, &y) == 0) {
		if (!lab_parse(&l, lab, y.s, y.len))
			fuzz_fail("import-arm wrote a lab file lab_parse "
			          "refuses");
		for (i = 0; i < l.ncmds; i++)
			if (lab_split(l.cmds[i].text, argv, 127, buf,
			        sizeof(buf)) < 1)
				fuzz_fail("import-arm wrote a command "
				          "lab_split refuses");
		lab_free(&l);
	}
	sbuf_fini(&y);
	return 0;
}
