/* SPDX-License-Identifier: ISC */
/* cli/network.h - `vrs network ...`: az network's verbs against vrsd. */

#ifndef VRS_CLI_NETWORK_H
#define VRS_CLI_NETWORK_H

/*
 * Run `vrs network ARGS` (argv[0] is "network").  out is the -o given
 * before the command, NULL if none (az's default is json).  Returns the
 * exit status: 0 ok, 1 user error or refused change, 2 vrsd unreachable.
 */
int cli_network(const char *sock, const char *out, int argc, char **argv);

#endif
