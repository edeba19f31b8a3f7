/* SPDX-License-Identifier: ISC */
/* cli/whatif.h - vrs what-if. */

#ifndef VRS_CLI_WHATIF_H
#define VRS_CLI_WHATIF_H

/* vrs what-if [options] -- CHANGE...: argv[0] is "what-if"; exit status. */
int cli_whatif(const char *sock, const char *out, int argc, char **argv);

#endif
