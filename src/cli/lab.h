/* SPDX-License-Identifier: ISC */
/* cli/lab.h - vrs lab: a whole lab (vrsd, its topology, BGP speakers) from one file. */

#ifndef VRS_CLI_LAB_H
#define VRS_CLI_LAB_H

/*
 * vrs lab up [FILE] | down | status | speaker NAME COMMAND... | where
 * (argv[0] is "lab").  The running lab lives in lab_dir(); vrs talks
 * to its vrsd when neither --socket nor VRS_SOCKET says otherwise.
 */
int cli_lab(int argc, char **argv);
/* The lab's folder: $VRS_LAB_DIR, else $XDG_RUNTIME_DIR/vrs-lab, else
 * /tmp/vrs-lab-UID. */
const char *lab_dir(void);
/* The running lab's control socket, or NULL when no lab runs. */
const char *lab_socket(void);

#endif
