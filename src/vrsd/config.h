/* SPDX-License-Identifier: ISC */
/* vrsd/config.h - vrsd's YAML configuration file. */

#ifndef VRS_VRSD_CONFIG_H
#define VRS_VRSD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "lib/sbuf.h"
#include "session/session.h"

#define VRSD_LISTEN_MAX     16
#define VRSD_PEERS_MAX      1024
#define VRSD_MRT_VIEWS      8
#define VRSD_DEFAULT_SOCKET "/run/vrs/vrsd.sock"

struct vrsd_listen {
	struct ipaddr addr;
	uint16_t port;
};

struct vrsd_config {
	struct bgpd_conf bgp;
	char control[256]; /* control socket path */
	int control_gid;   /* control-group: 0660 for it; -1: 0600 */
	char state[256];   /* topology document (later issues) */
	int log_level;     /* LOG_LVL_* */
	int nlisten;
	struct vrsd_listen listen[VRSD_LISTEN_MAX];
	int npeers;
	struct session_conf *peers; /* owned: npeers */
	/* control-listen: the control API on loopback TCP too; off if false */
	bool control_tcp;
	/* mode: ars: the topology's route servers and VPN gateways speak BGP
	 * (gateway/live.h), each on its Azure address mapped to loopback */
	bool ars;
	uint16_t bgp_port; /* bgp-port: their port (179) */
	/* instance: IN_0 or IN_1: that instance only (0, 1); -1 both */
	int instance;
	struct vrsd_listen control_listen;
	char http_token[256]; /* http-token-file's token; "" none */
	/* web: the web view (api/web.c) on control-listen's listener */
	bool web;
	/* mrt-dump: every mrt_interval s, each view into mrt_file */
	char mrt_file[256]; /* strftime(3) pattern, %v the view; "" off */
	uint32_t mrt_interval;
	int nmrt_views;
	char mrt_views[VRSD_MRT_VIEWS][64];
	/* mrt-updates: received UPDATEs as BGP4MP records (api/bgp4mp.c) */
	char mrt_updates[256]; /* strftime(3) pattern; "" off */
	uint32_t mrt_rotate;   /* seconds; 0: one file */
};

/*
 * Read path into c.  On errors, every one is appended to errs as
 * "path:line:col: message\n" and false is returned; c is then unusable.
 */
bool vrsd_config_load(
    const char *path, struct vrsd_config *c, struct sbuf *errs);
void vrsd_config_free(struct vrsd_config *c);
/* True when the two peer settings differ in anything but the name. */
bool vrsd_peer_changed(
    const struct session_conf *a, const struct session_conf *b);

#endif
