/* SPDX-License-Identifier: ISC */
/* rib/rib.h - interned attribute sets, Adj-RIB-In, Loc-RIB and export journal. */

#ifndef VRS_RIB_RIB_H
#define VRS_RIB_RIB_H

/*
 * DOC: the routing information bases
 *
 * One struct rib holds every route vrsd knows, IPv4 and IPv6 unicast.
 *
 *   struct attrs      an interned path-attribute set: every distinct set
 *                     is stored once, hashed and refcounted; routes point
 *                     to it.  It keeps the attributes in canonical wire
 *                     form (4-octet AS, type order, no NEXT_HOP or MP_*)
 *                     plus the fields the decision process reads.
 *   struct rib_entry  one per prefix (the Loc-RIB row), found through an
 *                     open-addressing hash table.  It owns the list of
 *                     paths, best first, and a bitmap of the peers it is
 *                     currently advertised to.
 *   struct rib_path   one per (prefix, peer, path id): together they are
 *                     the Adj-RIBs-In.
 *
 * Adj-RIB-Out is not copied per peer: what a peer is sent is the entry's
 * best path passed through the peer's export hook, so it is computed when
 * needed; only the pending changes are queued.  Every change of an
 * entry's best path is appended to one journal; each peer walks the
 * journal from its own cursor and packs UPDATEs from what it finds.
 *
 * Nothing here does I/O or reads clocks.  Counters (objects and bytes per
 * structure) are kept in struct rib_stats.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp/update.h"
#include "lib/prefix.h"

#define RIB_PEERS_MAX 4096 /* peer ids are small integers */
#define RIB_ADV_SLOTS 64   /* peers whose advertisements are tracked */

/* attrs flags */
#define ATTRS_MED        0x01
#define ATTRS_LOCAL_PREF 0x02
#define ATTRS_ATOMIC     0x04
#define ATTRS_NH_LL      0x08 /* a link-local next hop follows the blob */

struct attrs {
	struct attrs *hnext; /* intern chain */
	uint64_t hash;
	uint32_t refcnt;
	uint16_t len;     /* bytes in blob */
	uint16_t nh_off;  /* blob offset where type > NEXT_HOP begins */
	uint16_t mp_off;  /* blob offset where type > MP_UNREACH begins */
	uint16_t pathlen; /* RFC 4271 9.1.2.2 a length */
	uint8_t origin;
	uint8_t flags; /* ATTRS_* */
	uint32_t med;
	uint32_t localpref;
	uint32_t first_as;   /* leftmost AS of AS_SEQUENCE, 0 if none */
	uint32_t originator; /* ORIGINATOR_ID, 0 if none */
	uint16_t clusterlen; /* CLUSTER_LIST entries */
	struct ipaddr nexthop;
	/*
	 * canonical attributes, wire form, len octets; then, with
	 * ATTRS_NH_LL, the 16 of the IPv6 link-local next hop (attrs_nh_ll)
	 */
	uint8_t blob[];
};

/* The IPv6 link-local next hop (16 octets), NULL if none. */
static inline const uint8_t *
attrs_nh_ll(const struct attrs *a)
{
	return (a->flags & ATTRS_NH_LL) ? a->blob + a->len : NULL;
}

struct rib_path {
	struct rib_path *next; /* owned by the entry: next path, worse */
	struct attrs *attrs;   /* ref */
	uint32_t path_id;
	uint16_t peer; /* struct rib_peer id */
	uint8_t flags;
};

#define RIB_PATH_ECMP  0x01 /* equal to the best for multipath */
#define RIB_PATH_STALE 0x02 /* kept across a graceful restart (RFC 4724) */

/*
 * The journal position of an entry's latest change is kept beside it, in
 * its pool's side array, so that an IPv4 entry takes 24 octets.
 */
struct rib_entry {
	struct rib_path *paths; /* owned: best first */
	uint64_t adv;           /* bit per peer slot: advertised there */
	uint8_t af;             /* ADDR_V4 / ADDR_V6 */
	uint8_t len;
	uint8_t a[16];
};

struct rib;

/*
 * What a peer hears.  Returns the attribute set to send for entry's
 * best path (a reference the caller drops with attrs_unref), or NULL to
 * send nothing (withdraw if it was advertised).
 */
typedef struct attrs *rib_export_fn(
    void *arg, struct rib *rib, const struct rib_entry *e, uint16_t to);

struct rib_peer {
	bool used;
	bool ebgp;
	bool up;      /* routes are exported to it */
	uint8_t slot; /* bit in rib_entry.adv, or RIB_ADV_SLOTS */
	uint32_t asn;
	uint32_t router_id;
	struct ipaddr addr;
	rib_export_fn *export; /* NULL: transparent, never back to the source */
	void *export_arg;
	size_t cursor;      /* journal index of the next record to look at */
	uint64_t nprefixes; /* paths held in Adj-RIB-In */
};

struct rib_stats {
	uint64_t attrs, attrs_bytes;
	uint64_t entries, entries_bytes;
	uint64_t paths, paths_bytes;
	uint64_t table_bytes;
	uint64_t journal_bytes;
};

/* ---- attrs.c ---- */

/*
 * Build the canonical set from decoded attributes (AS_PATH merged with
 * AS4_PATH, AGGREGATOR with AS4_AGGREGATOR, unknown transitive attributes
 * kept with the Partial bit, unknown non-transitive dropped) and the
 * next hop, and intern it.  Returns a reference.
 */
struct attrs *attrs_from_wire(struct rib *rib, const struct bgp_pattrs *pa,
    const struct ipaddr *nh, const uint8_t *nh_ll);
/* Intern an attribute set made by hand: blob in canonical form. */
struct attrs *attrs_intern(
    struct rib *rib, const struct attrs *draft, const uint8_t *blob);
struct attrs *attrs_ref(struct attrs *a);
void attrs_unref(struct rib *rib, struct attrs *a);
/* Decode a set back into bgp_pattrs (views into a->blob; 4-octet AS). */
bool attrs_to_pattrs(const struct attrs *a, struct bgp_pattrs *pa);
/*
 * A copy of a with asn prepended n times and (if nh is not NULL) the next
 * hop replaced: the export of a route server that is not transparent.
 */
struct attrs *attrs_prepend(struct rib *rib, const struct attrs *a,
    uint32_t asn, unsigned n, const struct ipaddr *nh);
/* True if asn appears anywhere in the AS path. */
bool attrs_path_has(const struct attrs *a, uint32_t asn);

/* ---- rib.c ---- */

struct rib *rib_new(void);
void rib_free(struct rib *rib);
void rib_stats(const struct rib *rib, struct rib_stats *st);

/* Peers: id 1..RIB_PEERS_MAX-1 (0 is "no peer"). */
struct rib_peer *rib_peer(struct rib *rib, uint16_t id);
uint16_t rib_peer_add(struct rib *rib);
void rib_peer_del(struct rib *rib, uint16_t id);

struct rib_entry *rib_lookup(struct rib *rib, const struct prefix *p);
/*
 * Hint that p is about to be looked up: start loading its table slot, so
 * that a batch of prefixes waits for memory once, not once each.
 */
void rib_prefetch(const struct rib *rib, const struct prefix *p);

/*
 * Add or replace the path of (p, peer, path_id) and rerun the decision
 * for p.  Takes its own reference on a.  Returns true if the best path
 * (or ECMP set) changed.
 */
bool rib_update(struct rib *rib, const struct prefix *p, uint16_t peer,
    uint32_t path_id, struct attrs *a);
/* Remove the path; true if the best changed. */
bool rib_withdraw(
    struct rib *rib, const struct prefix *p, uint16_t peer, uint32_t path_id);
/* Remove every path of peer; returns how many. */
size_t rib_flush_peer(struct rib *rib, uint16_t peer);
/*
 * The session with peer went down: flush its paths, forget what it was
 * sent (its next session starts with a full export), stop exporting.
 */
size_t rib_peer_down(struct rib *rib, uint16_t peer);

/* Decision process, RFC 4271 9.1.2: negative if x is better than y. */
int rib_path_cmp(
    struct rib *rib, const struct rib_path *x, const struct rib_path *y);

/* Iterate every entry (unordered); stop when fn returns false. */
void rib_walk(
    struct rib *rib, bool (*fn)(void *arg, struct rib_entry *e), void *arg);
size_t rib_count(const struct rib *rib);
void rib_entry_prefix(const struct rib_entry *e, struct prefix *p);

/*
 * RFC 4724 4.2, as the Receiving Speaker: the session with peer went
 * down without a NOTIFICATION and the peer can restart gracefully.  Its
 * paths of family af (ADDR_V4 / ADDR_V6; 0 for both) are kept and
 * marked stale; what the peer was sent is forgotten, as for a down.
 */
size_t rib_peer_stale(struct rib *rib, uint16_t peer, uint8_t af);
/* Remove the peer's stale paths of family af (0: both); how many. */
size_t rib_sweep_stale(struct rib *rib, uint16_t peer, uint8_t af);

/* ---- journal: export to peers ---- */

/*
 * Take up to max journal records for peer from its cursor.  For each the
 * caller gets the entry; entries changed again later are skipped (only
 * their latest record counts).  Returns how many were given.
 */
size_t rib_journal_take(
    struct rib *rib, uint16_t peer, struct rib_entry **out, size_t max);
/* Records left for peer. */
size_t rib_journal_pending(const struct rib *rib, uint16_t peer);
/* Start a full re-export to peer (new session, ROUTE-REFRESH). */
void rib_peer_refresh(struct rib *rib, uint16_t peer);
/*
 * True if peers a and b would be given the same records by
 * rib_journal_take and the same attribute set for each: both at the
 * same place in the journal, neither in a full walk, both transparent
 * (no export hook) and neither the source of any path.  One export can then serve both (rib_journal_follow).
 */
bool rib_journal_same(const struct rib *rib, uint16_t a, uint16_t b);
/* Put peer to where peer from is in the journal (after a shared take). */
void rib_journal_follow(struct rib *rib, uint16_t to, uint16_t from);
/* Drop journal records every peer has seen. */
void rib_journal_trim(struct rib *rib);

/* The export of entry e to peer (hook or transparent); a ref or NULL. */
struct attrs *rib_export(
    struct rib *rib, const struct rib_entry *e, uint16_t to);

#endif
