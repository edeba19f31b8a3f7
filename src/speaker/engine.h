/* SPDX-License-Identifier: ISC */
/* speaker/engine.h - vrs-speaker at run time: sessions, routes, processes. */

#ifndef VRS_SPEAKER_ENGINE_H
#define VRS_SPEAKER_ENGINE_H

/*
 * Run the speaker on the ExaBGP configuration files (ExaBGP's
 * environment variables apply).  Returns the exit status.
 */
#include <stdbool.h>

int spk_run(int nfiles, char **files);
/*
 * vrs's own options (vrs lab): map every socket address of the
 * configuration (peer-address, local-address, tcp.bind) to loopback
 * with addr_loopback_map, leaving the BGP contents (router-id, next
 * hops) as written; and keep the named pipes under spk_root/run/.
 */
extern bool spk_map_loopback;
extern const char *spk_root;

#endif
