/* SPDX-License-Identifier: ISC */
/* speaker/cli.h - ExaBGP's CLI channel: named pipes, speaker and client side. */

#ifndef VRS_SPEAKER_CLI_H
#define VRS_SPEAKER_CLI_H

struct spk;

/*
 * Open the CLI pipes <pipename>.in / .out (exabgp.api.cli, on by
 * default) in the first folder ExaBGP 4.2 looks in that has them,
 * creating them when none has.  Commands read from .in are answered on
 * .out, each answer ended by a "done" or "error" line.  Problems are
 * logged; the speaker runs on without a CLI.
 */
void spk_cli_start(struct spk *k);
/* Close the pipes; remove the ones spk_cli_start created. */
void spk_cli_stop(struct spk *k);

/*
 * `vrs-speaker cli [--root DIR] COMMAND...`: send COMMAND to the speaker
 * listening on the pipes and print its answer as exabgpcli 4.2 does.
 * argv[0] is "cli".  Returns the exit status: 0, or 1 on any error.
 */
int spk_cli_main(int argc, char **argv);

#endif
