/* SPDX-License-Identifier: ISC */
/* speaker/spk_int.h - internals shared by the speaker's run-time files. */

#ifndef VRS_SPEAKER_SPK_INT_H
#define VRS_SPEAKER_SPK_INT_H

#include <event2/event.h>

#include "bgp/update.h"
#include "lib/arena.h"
#include "session/session.h"
#include "speaker/config.h"
#include "speaker/env.h"

/* One route of a neighbour's Adj-RIB-Out. */
struct spk_adj {
	struct prefix pfx;
	uint32_t path_id;
	const struct spk_route *want; /* borrowed: what it should be; NULL:
					 withdrawn */
	uint8_t *sent;                /* owned: bytes last sent, NULL: none */
	uint16_t sentlen;
	bool dirty;
};

struct spk_peer {
	struct spk *k;          /* borrowed */
	struct spk_neighbor *n; /* borrowed: the configuration's */
	struct session *s;      /* owned by the bgpd */
	char name[64];
	struct spk_adj **adj_tab; /* owned hash table; entries owned */
	size_t adj_cap, nadj;
	struct spk_adj **order; /* owned: entries in insertion order */
	size_t order_cap;
	struct spk_adj **dirty; /* owned: entries to look at */
	size_t ndirty, dirty_cap;
	bool eor_sent;
	struct spk_family extra[SPK_FAMILY_MAX]; /* offered, not unicast */
	int nextra;
	uint8_t caps[SPK_FAMILY_MAX * 6]; /* their MP capabilities */
	struct spk_adjin *adjin;          /* owned: show.c's Adj-RIB-In */
};

struct spk_proc {
	const struct spk_process *p; /* borrowed: the configuration's */
	pid_t pid;
	struct bufferevent *in, *out; /* owned: its stdin (we write), stdout */
	bool json;
	unsigned long counter;
};

struct spk {
	struct event_base *base;
	struct bgpd *bgp;
	struct spk_config *cfg; /* owned */
	struct spk_env env;
	char **files;
	int nfiles, file;       /* the configuration in use */
	struct spk_peer *peers; /* owned */
	int npeers;
	struct spk_peer *attaching; /* for the attach op */
	struct spk_proc *procs;     /* owned */
	int nprocs;
	struct arena arena;      /* routes made by the text API */
	struct spk_config **old; /* owned: configurations replaced */
	int nold;
	struct spk_cli *cli;    /* owned: cli.c's named pipes */
	struct event *drain_ev; /* owned: exit once the Ceases are out */
	int drain_ticks;
};

extern struct spk *spk_global;

struct spk_adj *spk_adj_get(struct spk_peer *p, const struct prefix *pfx,
    uint32_t path_id, bool create);
void spk_peer_announce(struct spk_peer *p, const struct spk_route *r);
void spk_peer_withdraw(struct spk_peer *p, const struct spk_route *r);
void spk_reload(struct spk *k);
/* Free what p holds (its Adj-RIB-Out and Adj-RIB-In), not p itself. */
void spk_peer_free(struct spk_peer *p);

/* api.c */
void spk_api_start(struct spk *k);
void spk_api_stop(struct spk *k);
void spk_api_event_state(struct spk_peer *p, const char *state);
void spk_api_event_open(struct spk_peer *p, const struct bgp_open *o);
/* Run one text-API command line (words split in place); false: "error". */
bool spk_api_command(struct spk *k, char *line);
bool family_parse(const char *afi, const char *safi, uint16_t *a, uint8_t *s);
void spk_api_event_update(struct spk_peer *p, const struct bgp_update *u,
    const struct bgp_pattrs *pa);

#endif
