/* SPDX-License-Identifier: ISC */
/* speaker/engine.h - vrs-speaker at run time: sessions, routes, processes. */

#ifndef VRS_SPEAKER_ENGINE_H
#define VRS_SPEAKER_ENGINE_H

/*
 * Run the speaker on the ExaBGP configuration files (ExaBGP's
 * environment variables apply).  Returns the exit status.
 */
int spk_run(int nfiles, char **files);

#endif
