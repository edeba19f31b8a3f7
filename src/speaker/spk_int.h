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

/* Attribute bytes sent to a peer, shared by its routes (engine.c). */
struct spk_blob;

/* One route of a neighbour's Adj-RIB-Out. */
struct spk_adj {
	struct prefix pfx;
	bool dirty;
	uint32_t path_id;
	const struct spk_route *want; /* borrowed: what it should be; NULL:
					 withdrawn */
	struct spk_blob *sent; /* a reference: bytes last sent, NULL: none */
};

struct spk_peer {
	struct spk *k;          /* borrowed */
	struct spk_neighbor *n; /* borrowed: the configuration's */
	struct session *s;      /* owned by the bgpd */
	char name[64];
	uint64_t *adj_tab; /* owned hash table (engine.c's adj_insert) */
	size_t adj_cap, nadj;
	/*
	 * The entries in the order they were made, SPK_SLAB a block; the
	 * first nsmall blocks from malloc, the others (a large table) cut
	 * from 2 MiB huge-page chunks.
	 */
	struct spk_adj **slabs; /* owned */
	size_t nslabs, nsmall;
	uint8_t **chunks; /* owned: arena_huge_alloc's, ARENA_HUGE_PAGE each */
	size_t nchunks, chunk_used;
	struct spk_blob **blob_tab; /* owned hash table of what was sent */
	size_t blob_cap, nblobs;
	struct spk_adj **dirty; /* owned: entries to look at */
	size_t ndirty, dirty_cap;
	bool eor_sent;
	bool export_held; /* changes wait for spk_flush (api.c's batches) */
	struct spk_family extra[SPK_FAMILY_MAX]; /* offered, not unicast */
	int nextra;
	uint8_t caps[SPK_FAMILY_MAX * 6]; /* every family's MP capability */
	struct spk_adjin *adjin;          /* owned: show.c's Adj-RIB-In */
	/* ExaBGP's API: its JSON counter; "connected" told, "down" due */
	unsigned long counter;
	bool tcp_up;
	bool just_up; /* Established, the peer's first messages not yet read */
	/* the OPENs of the current connection, whole (the API's negotiated) */
	uint8_t *open_sent, *open_rcvd; /* owned */
	size_t open_sent_len, open_rcvd_len;
	char *negotiated;   /* owned: ", \"negotiated\": { ... } ", or NULL */
	char down_why[224]; /* the NOTIFICATION that ends the connection */
};

struct spk_proc {
	const struct spk_process *p; /* borrowed: the configuration's */
	pid_t pid;
	struct bufferevent *in;  /* owned: its stdin (we write) */
	struct event *out;       /* owned: its stdout readable (api.c) */
	struct evbuffer *outbuf; /* owned: what it wrote, not yet a line */
	bool json;
	size_t nack;    /* bytes in ack */
	char ack[4096]; /* answers not yet written: one write a read */
};

struct spk {
	struct event_base *base;
	struct bgpd *bgp;
	struct spk_config *cfg; /* owned */
	struct spk_env env;
	char **files;
	int nfiles, file;        /* the configuration in use */
	struct spk_peer **peers; /* owned, and each of them */
	int npeers;
	struct spk_peer *attaching; /* for the attach op */
	struct spk_proc *procs;     /* owned */
	int nprocs;
	struct arena arena;               /* routes made by the text API */
	const struct spk_route *api_last; /* in arena: the last one made */
	struct spk_config **old;          /* owned: configurations replaced */
	int nold;
	struct spk_cli *cli;    /* owned: cli.c's named pipes */
	struct event *drain_ev; /* owned: exit once the Ceases are out */
	struct event *up_ev;    /* owned: first exports of new sessions */
	int drain_ticks;
	/*
	 * While hold_export is set (text-API commands keep arriving),
	 * route changes mark their peers export_held instead of exporting:
	 * spk_flush() sends them, many to an UPDATE, in the order a single
	 * export would.  flush_ev (api.c) calls it once the commands pause.
	 */
	bool hold_export, held;
	struct event *flush_ev; /* owned */
	struct timeval held_since;
};

extern struct spk *spk_global;

/* Adj-RIB-Out entries come in blocks of SPK_SLAB, never freed one by one */
#define SPK_SLAB 4096

/* The i-th entry of p's Adj-RIB-Out, in the order they were made. */
static inline struct spk_adj *
spk_adj_at(const struct spk_peer *p, size_t i)
{
	return &p->slabs[i / SPK_SLAB][i % SPK_SLAB];
}

/*
 * A peer for neighbour n: its routes in its Adj-RIB-Out, and its session
 * (none without a bgpd: fuzz_exaapi's peers).
 */
struct spk_peer *spk_peer_new(struct spk *k, struct spk_neighbor *n);
/* Room for n more entries, so that loading them never grows the table. */
void spk_peer_reserve(struct spk_peer *p, uint64_t n);

struct spk_adj *spk_adj_get(struct spk_peer *p, const struct prefix *pfx,
    uint32_t path_id, bool create);
/* Forget what a was sent, so that the next export sends it again. */
void spk_adj_forget(struct spk_peer *p, struct spk_adj *a);
/* Send p again every route it should have (flush adj-rib out). */
void spk_peer_resend(struct spk_peer *p);
/* Withdraw every route p has (clear adj-rib out). */
void spk_peer_clear(struct spk_peer *p);
void spk_peer_announce(struct spk_peer *p, const struct spk_route *r);
/* The prefixes of r with the attributes of attrs (the route kept). */
void spk_peer_announce_as(struct spk_peer *p, const struct spk_route *r,
    const struct spk_route *attrs);
void spk_peer_withdraw(struct spk_peer *p, const struct spk_route *r);
void spk_reload(struct spk *k);
/* ExaBGP's restart: reload, sessions torn down (Cease 3), processes
 * started again; from the event loop, soon. */
void spk_restart(struct spk *k);
/* Export now what hold_export kept back, for every peer. */
void spk_flush(struct spk *k);
/* Free what p holds (its Adj-RIB-Out and Adj-RIB-In), not p itself. */
void spk_peer_free(struct spk_peer *p);
/* Free every peer of k and the array. */
void spk_peers_free(struct spk *k);

/* engine.c: what the speaker does with sessions (its bgpd's ops), and
 * its timers (drain_ev, up_ev) made and freed */
extern const struct bgpd_ops spk_ops;
void spk_timers_new(struct spk *k);
void spk_timers_free(struct spk *k);

/* api.c */
void spk_api_start(struct spk *k);
/*
 * As spk_api_start, but process i is given ins[i] for its stdin instead
 * of being started (fuzz_speaker: no fork, the API's output is read
 * back); its stdout is never read.
 */
void spk_api_start_with(struct spk *k, struct bufferevent **ins);
void spk_api_stop(struct spk *k);
void spk_api_event_state(
    struct spk_peer *p, const char *state, const char *reason);
void spk_api_event_message(
    struct spk_peer *p, bool sent, const uint8_t *msg, size_t len);
void spk_api_shutdown(struct spk *k);
/* A signal, told with `signal;` */
void spk_api_event_signal(struct spk *k, int sig);
/* ExaBGP's FSM change, told with `fsm;` */
void spk_api_event_fsm(struct spk_peer *p, const char *state);
/* An OPEN sent or received: negotiated once both are (api.c). */
void spk_api_open(struct spk_peer *p, bool sent, const uint8_t *m, size_t len);
/* The connection is gone: forget its OPENs. */
void spk_api_forget_opens(struct spk_peer *p);
/* a process is told the UPDATEs sent to p (send { parsed; update; }) */
bool spk_api_hears_sent_updates(const struct spk_peer *p);
/*
 * Run "announce ..." or "withdraw ..." (the neighbour selector taken off;
 * words split in place) at the peers sel, for the process named from
 * (NULL: the CLI); false: "error".
 */
bool spk_api_command(
    struct spk *k, char *line, const bool *sel, const char *from);
bool family_parse(const char *afi, const char *safi, uint16_t *a, uint8_t *s);
void spk_send_refresh(
    struct spk_peer *p, uint16_t afi, uint8_t safi, uint8_t subtype);

/* command.c */
struct sbuf;
enum spk_answer {
	SPK_DONE,
	SPK_ERROR,
	SPK_SILENT, /* no answer: ExaBGP's "reset" */
};
/*
 * Run one line of the text API from the process from (NULL: the CLI).
 * What it prints goes to out, a line each, without the answer.
 */
enum spk_answer spk_command(struct spk *k, const char *line,
    const struct spk_process *from, struct sbuf *out);

#endif
