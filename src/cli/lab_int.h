/* SPDX-License-Identifier: ISC */
/* cli/lab_int.h - a lab file read into memory, for lab.c and its fuzz target. */

#ifndef VRS_CLI_LAB_INT_H
#define VRS_CLI_LAB_INT_H

#include <stdbool.h>
#include <stddef.h>

#define LAB_MAX 64

struct lab_item {
	char *text; /* owned: a command, or a name */
	char *conf; /* owned: speaker's configuration path (absolute) */
	int line, col;
};

struct lab {
	const char *path; /* borrowed: the file's name, for messages */
	char name[64];
	int port;
	bool relaxed;
	int wait;
	struct lab_item cmds[512];
	int ncmds;
	struct lab_item spk[LAB_MAX];
	int nspk;
	struct lab_item ext[LAB_MAX];
	int next;
	int nerr;
};

/*
 * Read the lab file at path into l (which the caller releases with
 * lab_free whatever the result).  Every error goes to stderr as
 * "path:line:col: message"; false when there was any.  A speaker's
 * config is resolved against the file's folder and must exist.
 */
bool lab_load(struct lab *l, const char *path);
/* The same from len bytes of YAML text; path is for messages and folders. */
bool lab_parse(struct lab *l, const char *path, const char *text, size_t len);
void lab_free(struct lab *l);
/*
 * Split a command line as a shell would (quotes, backslash; no $) into
 * at most max words in buf (len bytes), argv (max + 1 slots) ending with
 * NULL: the number of words, or -1 when there are too many, they do not fit or a quote is
 * not closed.
 */
int lab_split(const char *s, char **argv, int max, char *buf, size_t len);

#endif
