/* SPDX-License-Identifier: ISC */
/* cli/armimport.h - vrs lab import-arm: a real deployment's ARM JSON as a lab file. */

#ifndef VRS_CLI_ARMIMPORT_H
#define VRS_CLI_ARMIMPORT_H

#include <stddef.h>

#include "lib/sbuf.h"

/*
 * vrs lab import-arm FILE... [--routes ROUTES.json]... [-d DIR]
 * (argv[0] is "import-arm"): the lab file on stdout, what was ignored
 * on stderr.  0 when the lab was written, 1 on any error.
 */
int lab_arm_import(int argc, char **argv);

/*
 * vrs lab up --arm FILE... [--routes ROUTES.json]... (argv[0] is
 * "--arm"): import into LABDIR.arm/ and put the lab file's path in
 * path (len bytes) for `vrs lab up`.  0, else the exit status.
 */
int lab_arm_prepare(int argc, char **argv, char *path, size_t len);

/*
 * For the fuzz target: import len bytes of JSON named file (a template
 * or a list of resources) and, unless routes is NULL, rlen bytes of
 * --routes JSON; the lab file's YAML is appended to yaml, the speakers'
 * files written in dir.  Messages go to stderr.  Returns the number of
 * errors (0: yaml holds a lab).
 */
int lab_arm_text(const char *file, const char *text, size_t len,
    const char *routes, size_t rlen, const char *dir, struct sbuf *yaml);

#endif
