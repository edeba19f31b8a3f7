/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_vrsdconf.c - libFuzzer target: vrsd's YAML configuration file. */

/*
 * Input: the text of a vrsd configuration file (vrsd -c FILE, --check).
 * vrsd_config_load() reads only a path, so the input is written to a
 * temporary file first (/tmp/vrs-fuzz-vrsdconf.PID.yaml, removed after).  A
 * refused file must say why; an accepted one must keep its counts in
 * bounds, and each peer must compare equal to itself (vrsd_peer_changed
 * decides what a reload restarts).
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "vrsd/config.h"

/* Write the input to a new file of this process's own; its name in path. */
static void
input_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd;

	snprintf(path, len, "/tmp/vrs-fuzz-vrsdconf.%ld.yaml", (long)getpid());
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    write(fd, data, size) != (ssize_t)size || close(fd) == -1)
		fuzz_fail("cannot write the input to a file");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vrsd_config c;
	struct sbuf errs;
	char path[64];
	int i;

	if (size > 65536)
		return 0;
	input_file(data, size, path, sizeof(path));
	sbuf_init(&errs);
	if (vrsd_config_load(path, &c, &errs)) {
		if (c.nlisten < 0 || c.nlisten > VRSD_LISTEN_MAX ||
		    c.npeers < 0 || c.npeers > VRSD_PEERS_MAX)
			fuzz_fail("a configuration's counts are out of range");
		for (i = 0; i < c.npeers; i++)
			if (vrsd_peer_changed(&c.peers[i], &c.peers[i]))
				fuzz_fail("a peer differs from itself");
		vrsd_config_free(&c);
	} else if (errs.len == 0)
		fuzz_fail("a configuration is refused without a message");
	sbuf_fini(&errs);
	unlink(path); /* libFuzzer may leave without running atexit */
	return 0;
}
