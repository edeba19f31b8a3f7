/* SPDX-License-Identifier: ISC */
/* fuzz/replay.c - run a fuzz target over corpus files without libFuzzer. */

/*
 * For compilers without libFuzzer (gcc): every argument is a file or a
 * directory, and each file (each regular file of a directory, in name
 * order, not recursing) is read into a buffer of exactly its size and
 * given once to LLVMFuzzerTestOneInput().  Built with ASan and UBSan this
 * turns a corpus into a regression test.  Exit 0 when every input ran; 1
 * when an argument cannot be read (a crash ends the process anyway).
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path, unsigned long *n);
static int replay_dir(const char *path, unsigned long *n);

int
main(int argc, char **argv)
{
	unsigned long n = 0;
	struct stat st;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s file|directory ...\n", argv[0]);
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i],
			    strerror(errno));
			rc = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &n) != 0)
				rc = 1;
		} else if (replay_file(argv[i], &n) != 0)
			rc = 1;
	}
	printf("%s: %lu inputs replayed\n", argv[0], n);
	return rc;
}

static int
replay_dir(const char *path, unsigned long *n)
{
	struct dirent **names;
	struct stat st;
	char *file;
	size_t len;
	int count, i, rc = 0;

	if ((count = scandir(path, &names, NULL, alphasort)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < count; i++) {
		if (names[i]->d_name[0] != '.') {
			len = strlen(path) + 1 + strlen(names[i]->d_name) + 1;
			if ((file = malloc(len)) == NULL) {
				fprintf(stderr, "replay: out of memory\n");
				exit(1);
			}
			snprintf(file, len, "%s/%s", path, names[i]->d_name);
			if (stat(file, &st) == 0 && S_ISREG(st.st_mode) &&
			    replay_file(file, n) != 0)
				rc = -1;
			free(file);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Read path into a buffer of its exact size, so ASan sees any overread. */
static int
replay_file(const char *path, unsigned long *n)
{
	uint8_t *buf;
	FILE *f;
	long size;

	if ((f = fopen(path, "rb")) == NULL)
		goto fail;
	if (fseek(f, 0, SEEK_END) == -1 || (size = ftell(f)) == -1 ||
	    fseek(f, 0, SEEK_SET) == -1) {
		fclose(f);
		goto fail;
	}
	if ((buf = malloc(size > 0 ? (size_t)size : 1)) == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		exit(1);
	}
	if (size > 0 && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		fclose(f);
		goto fail;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)size);
	free(buf);
	(*n)++;
	return 0;

fail:
	fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
	return -1;
}
