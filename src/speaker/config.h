/* SPDX-License-Identifier: ISC */
/* speaker/config.h - the meaning of an ExaBGP 4 configuration file. */

#ifndef VRS_SPEAKER_CONFIG_H
#define VRS_SPEAKER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/prefix.h"
#include "lib/sbuf.h"
#include "speaker/conf.h"

/*
 * DOC: the configuration model
 *
 * spk_config_load() reads one ExaBGP 4 file with conf.c's tokeniser and
 * turns its statement tree into processes and neighbours, checking every
 * value the way ExaBGP 4.2 does and recording each problem as
 * "file:line:col: message".  Everything hangs off one struct spk_config:
 * strings and routes live in its arena or borrow from its statement tree,
 * and the per-neighbour route vectors are owned by it too, so one
 * spk_config_free() releases the lot.
 *
 * Templates follow ExaBGP 4.2 exactly (configuration/core/scope.py): a
 * neighbour's own statements are read first, then each `inherit`ed
 * template in order is laid over them.  A value a template sets replaces
 * the neighbour's own (ExaBGP's scope.transfer() does so: a neighbour
 * cannot override its template), while lists (families, api blocks,
 * routes, nexthop entries) are appended: the neighbour's routes first,
 * then each template's.
 */

/* Address families ExaBGP names in `family { }` (AFI/SAFI numbers) */
#define SPK_AFI_IPV4   1
#define SPK_AFI_IPV6   2
#define SPK_AFI_L2VPN  25
#define SPK_AFI_BGPLS  16388
#define SPK_FAMILY_MAX 24

struct spk_family {
	uint16_t afi;
	uint8_t safi;
};

/* capability add-path and the add-path block */
enum spk_addpath {
	SPK_ADDPATH_DISABLE = 0,
	SPK_ADDPATH_RECEIVE = 1,
	SPK_ADDPATH_SEND = 2,
	SPK_ADDPATH_BOTH = 3,
};

/* What an api block forwards to its processes, per direction */
#define SPK_API_PARSED       0x001
#define SPK_API_PACKETS      0x002
#define SPK_API_CONSOLIDATE  0x004
#define SPK_API_OPEN         0x008
#define SPK_API_UPDATE       0x010
#define SPK_API_KEEPALIVE    0x020
#define SPK_API_NOTIFICATION 0x040
#define SPK_API_REFRESH      0x080
#define SPK_API_OPERATIONAL  0x100

struct spk_process {
	const char *name; /* borrowed: statement tree */
	char **argv;      /* arena, NULL-terminated: run PROGRAM ARGS */
	int argc;
	const char *run; /* arena: the words of `run`, space separated */
	bool json;       /* encoder json; false for encoder text */
	bool respawn;    /* default true */
	const struct conf_node *where; /* borrowed: for messages */
};

struct spk_api {
	const char *name;   /* borrowed: NULL for an unnamed block */
	const char **procs; /* arena: process names */
	int nprocs;
	bool neighbor_changes, negotiated, fsm, signal;
	uint16_t send, receive; /* SPK_API_* */
};

/* One `nexthop { AFI SAFI NHAFI; }` line (RFC 8950) */
struct spk_nexthop_family {
	uint16_t afi;
	uint8_t safi;
	uint16_t nhafi;
};

struct spk_capability {
	bool asn4;             /* default true */
	bool route_refresh;    /* default false */
	bool graceful_restart; /* default false */
	uint16_t gr_time;      /* 0: use the hold time */
	enum spk_addpath add_path;
	bool multi_session;    /* default false */
	bool operational;      /* default false */
	bool aigp;             /* default false */
	bool extended_message; /* default true */
	int nexthop;           /* -1 unset: on when a nexthop block exists */
};

/* AS path as ExaBGP keeps it: one sequence and one set */
struct spk_aspath {
	uint32_t *seq; /* arena */
	uint32_t *set; /* arena */
	uint16_t nseq, nset;
};

/* attribute [ CODE FLAGS 0xVALUE ] */
struct spk_generic {
	uint8_t code, flags;
	uint16_t len;
	uint8_t *data; /* arena */
};

/*
 * A route of a static or announce block.  has[] has one bit per
 * attribute type code that the route sets (generic ones included): as
 * in ExaBGP the first setting of a type wins and later ones are ignored.
 */
struct spk_route {
	struct prefix pfx;
	uint32_t path_id; /* path-information; has_path_id */
	bool has_path_id;
	struct ipaddr nexthop; /* af 0: none */
	bool nexthop_self;
	uint64_t has[4];
	uint8_t origin;
	struct spk_aspath aspath;
	uint32_t med, localpref;
	uint32_t aggr_as;
	uint8_t aggr_id[4];
	uint32_t *comms; /* arena */
	uint16_t ncomms;
	uint8_t (*ecomms)[8]; /* arena */
	uint16_t necomms;
	uint32_t (*lcomms)[3]; /* arena */
	uint16_t nlcomms;
	uint8_t originator_id[4];
	uint8_t (*clusters)[4]; /* arena */
	uint16_t nclusters;
	struct spk_generic *generic; /* arena */
	uint16_t ngeneric;
	uint8_t split;        /* split /N; 0 when absent */
	const char *watchdog; /* borrowed: watchdog NAME, or NULL */
	bool withdrawn;       /* `withdraw`: starts withdrawn (watchdog) */
	const char *name;     /* borrowed: name NAME, or NULL */
	const char *file;     /* borrowed: where it was written */
	int line, col;
	/*
	 * Further IPv4 prefixes with exactly these attributes, from the
	 * static lines that followed this one (spk_config_load merges them):
	 * nmore of 5 octets each, the length then the address.  Owned by the
	 * configuration (spk_config.mores).
	 */
	uint8_t *more;
	uint32_t nmore, more_cap;
};

static inline bool
spk_route_has(const struct spk_route *r, uint8_t code)
{
	return (r->has[code >> 6] >> (code & 63)) & 1;
}

struct spk_neighbor {
	struct prefix peer;       /* peer-address; a range for passive peers */
	struct ipaddr local_addr; /* af 0 with local_auto */
	bool local_auto;
	uint8_t router_id[4];
	uint32_t local_as, peer_as;
	const char *description;  /* borrowed; "" when absent */
	const char *host_name;    /* borrowed; NULL: the system's */
	const char *domain_name;  /* borrowed; NULL: the system's */
	const char *md5_password; /* borrowed; NULL when absent */
	bool md5_base64;
	struct ipaddr md5_ip; /* af 0: the local address */
	uint16_t hold_time;   /* default 180 */
	uint32_t rate_limit;  /* 0: none */
	bool passive;
	uint16_t listen, connect;       /* 0: the default port */
	int outgoing_ttl, incoming_ttl; /* -1: unset */
	bool group_updates;             /* default true */
	bool auto_flush;                /* default true */
	bool adj_rib_in, adj_rib_out;   /* default true */
	bool manual_eor;                /* default false */
	struct spk_capability capa;
	/* family block; without one, every family ExaBGP knows (all_families) */
	struct spk_family families[SPK_FAMILY_MAX];
	int nfamilies;
	bool all_families;
	/* add-path block: families that carry path ids (empty: all) */
	struct spk_family addpath[SPK_FAMILY_MAX];
	int naddpath;
	struct spk_nexthop_family nexthops[16];
	int nnexthops;
	struct spk_api **apis; /* owned vector; the blocks are arena */
	int napis;
	struct spk_route **routes; /* owned vector; routes are arena */
	size_t nroutes, routes_cap;
	const struct conf_node *where; /* borrowed: the neighbor statement */
	uint64_t set; /* internal: which scalar settings were written */
};

struct spk_config {
	struct conf_file conf;     /* owns the statement tree */
	struct arena arena;        /* owns the model's own data */
	struct spk_process *procs; /* owned array */
	int nprocs;
	struct spk_neighbor **neighbors; /* owned vector, owned elements */
	int nneighbors;
	struct spk_neighbor **templates; /* owned vector, owned elements */
	const char **template_names;     /* owned vector of borrowed names */
	int ntemplates;
	struct sbuf errors; /* "file:line:col: message\n" lines */
	int nerrors;
	struct spk_route **mores; /* owned vector: routes whose more is
				     owned */
	size_t nmores;
	struct sbuf scratch; /* internal: take_route's messages */
};

/*
 * Read and check path into cfg (which the caller frees with
 * spk_config_free whatever the result).  false when the file cannot be
 * read or has any error; every error is in cfg->errors.
 */
bool spk_config_load(struct spk_config *cfg, const char *path);
/* The same from text in memory; name is used in messages. */
bool spk_config_parse(
    struct spk_config *cfg, const char *name, const char *text);
void spk_config_free(struct spk_config *cfg);
const struct spk_process *spk_config_process(
    const struct spk_config *cfg, const char *name);
/* True when n negotiates (offers) afi/safi. */
bool spk_neighbor_has_family(
    const struct spk_neighbor *n, uint16_t afi, uint8_t safi);

/*
 * Routes.  Words are one route statement after `route` (or after
 * `unicast` in an announce block): PREFIX then attributes.  Errors go to
 * errors/nerrors as "file:line:col: message" (file NULL: no position).
 */
struct spk_words {
	char **w;
	const int *line, *col; /* NULL: no positions */
	int n;
	const char *file; /* borrowed */
};

struct spk_route_ctx {
	struct arena *arena; /* where the route's arrays go */
	struct sbuf *errors;
	int *nerrors;
};

/* Parse ws (a prefix and attributes) into r; false on any error. */
bool spk_route_parse(
    struct spk_route_ctx *ctx, const struct spk_words *ws, struct spk_route *r);
/*
 * The same in steps, for the block form `route PFX { ATTR; ... }`: the
 * prefix and any attributes on the first line, each statement of the
 * block, then the checks on the whole route (next-hop present).
 */
bool spk_route_parse_start(
    struct spk_route_ctx *ctx, const struct spk_words *ws, struct spk_route *r);
bool spk_route_parse_attrs(
    struct spk_route_ctx *ctx, const struct spk_words *ws, struct spk_route *r);
bool spk_route_check(struct spk_route_ctx *ctx, const struct spk_words *ws,
    const struct spk_route *r);

/*
 * Whether a and b have the same attributes, and nothing that makes them
 * more than a prefix with attributes (split, watchdog, name, withdraw):
 * routes the configuration may merge into one with a prefix list.
 */
bool spk_route_mergeable(const struct spk_route *a, const struct spk_route *b);

/*
 * Number of prefixes a route stands for: after `split` (1 without), or
 * 1 + nmore for a merged one.
 */
uint64_t spk_route_split_count(const struct spk_route *r);
/* The i-th of them, 0 <= i < spk_route_split_count(r). */
void spk_route_split_prefix(
    const struct spk_route *r, uint64_t i, struct prefix *out);

/*
 * Write the path attributes of r as ExaBGP 4.2 sends them to neighbour n
 * into buf: in type-code order, with ExaBGP's flags and its defaults
 * (ORIGIN IGP; AS_PATH empty on iBGP, the local AS on eBGP, a configured
 * one as written; LOCAL_PREF 100 on iBGP and never on eBGP).  NEXT_HOP
 * is written when nexthop (the route's next hop, `self` already
 * resolved) is an IPv4 address; MP_REACH_NLRI is not written: ExaBGP
 * appends it after all of these.  asn4 tells whether 4-octet AS numbers
 * were negotiated (without, AS_TRANS and AS4_PATH/AS4_AGGREGATOR as RFC
 * 6793).  false if the result does not fit in cap.
 */
bool spk_route_attrs(const struct spk_neighbor *n, const struct spk_route *r,
    const struct ipaddr *nexthop, bool asn4, uint8_t *buf, size_t cap,
    size_t *len);

#endif
