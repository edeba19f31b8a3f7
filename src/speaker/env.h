/* SPDX-License-Identifier: ISC */
/* speaker/env.h - ExaBGP's environment settings (exabgp_<section>_<option>). */

#ifndef VRS_SPEAKER_ENV_H
#define VRS_SPEAKER_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "lib/sbuf.h"

#define SPK_ENV_BIND_MAX 16
#define SPK_ENV_STR      256

/*
 * The settings ExaBGP 4.2 reads from its environment, with its defaults
 * (configuration/setup.py; `exabgp --fi` prints them).  Each option is
 * exabgp.SECTION.OPTION or exabgp_SECTION_OPTION, the dotted name first.
 */
struct spk_env {
	struct {
		uint16_t port;                        /* 179 */
		struct ipaddr bind[SPK_ENV_BIND_MAX]; /* none: do not listen */
		int nbind;
		bool once;         /* one connection attempt per peer */
		uint32_t attempts; /* 0: unlimited (4.2.25); once means 1 */
		uint32_t delay;    /* minutes to wait before connecting */
		bool acl;
	} tcp;
	struct {
		bool ack;       /* true: "done"/"error" answers */
		uint32_t chunk; /* 1 */
		bool cli;       /* true: open the named pipes */
		bool compact;
		bool json; /* encoder: json (default) or text */
		char pipename[SPK_ENV_STR]; /* "exabgp" */
		bool respawn;               /* true */
		bool terminate;
	} api;
	struct {
		uint32_t openwait; /* 60 */
	} bgp;
	struct {
		bool attributes, nexthops; /* true */
	} cache;
	struct {
		bool daemonize; /* false */
		bool drop;      /* true */
		char pid[SPK_ENV_STR];
		uint32_t umask;         /* 0137 */
		char user[SPK_ENV_STR]; /* "nobody" */
	} daemon;
	struct {
		bool enable;                   /* true */
		char level[16];                /* "INFO" */
		char destination[SPK_ENV_STR]; /* "stdout" */
		bool all, configuration, reactor, daemon, processes, network,
		    packets, rib, message, timers, routes, parser, short_;
	} log;
	struct {
		bool pdb, memory, configuration, selfcheck, defensive, rotate;
		char route[SPK_ENV_STR];
	} debug;
	struct {
		double speed; /* 1.0 */
	} reactor;
};

/* ExaBGP's defaults. */
void spk_env_init(struct spk_env *e);
/*
 * Read every setting from envp (NULL-terminated "NAME=VALUE" strings, as
 * environ) over the defaults.  Each bad value is reported in errors as
 * "exabgp.SECTION.OPTION: message" and leaves the default; unknown
 * exabgp names are ignored, as ExaBGP does.  false if any was bad.
 */
bool spk_env_load(struct spk_env *e, char *const *envp, struct sbuf *errors);

#endif
