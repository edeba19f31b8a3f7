/* SPDX-License-Identifier: ISC */
/* bgp/update.h - UPDATE messages, path attributes and NLRI (RFC 4271, 4760, 7606). */

#ifndef VRS_BGP_UPDATE_H
#define VRS_BGP_UPDATE_H

#include "bgp/bgp.h"

/* Attribute flags (RFC 4271 4.3) */
#define BGP_ATTR_OPTIONAL   0x80
#define BGP_ATTR_TRANSITIVE 0x40
#define BGP_ATTR_PARTIAL    0x20
#define BGP_ATTR_EXTLEN     0x10

/* Attribute type codes */
#define BGP_ATTR_ORIGIN          1
#define BGP_ATTR_AS_PATH         2
#define BGP_ATTR_NEXT_HOP        3
#define BGP_ATTR_MED             4
#define BGP_ATTR_LOCAL_PREF      5
#define BGP_ATTR_ATOMIC_AGGR     6
#define BGP_ATTR_AGGREGATOR      7
#define BGP_ATTR_COMMUNITIES     8 /* RFC 1997 */
#define BGP_ATTR_ORIGINATOR_ID   9 /* RFC 4456 */
#define BGP_ATTR_CLUSTER_LIST    10
#define BGP_ATTR_MP_REACH        14 /* RFC 4760 */
#define BGP_ATTR_MP_UNREACH      15
#define BGP_ATTR_EXT_COMMUNITIES 16 /* RFC 4360 */
#define BGP_ATTR_AS4_PATH        17 /* RFC 6793 */
#define BGP_ATTR_AS4_AGGREGATOR  18
#define BGP_ATTR_LARGE_COMMUNITY 32 /* RFC 8092 */

#define BGP_ORIGIN_IGP        0
#define BGP_ORIGIN_EGP        1
#define BGP_ORIGIN_INCOMPLETE 2

/* AS_PATH segment types (RFC 4271, RFC 5065) */
#define BGP_AS_SET             1
#define BGP_AS_SEQUENCE        2
#define BGP_AS_CONFED_SEQUENCE 3
#define BGP_AS_CONFED_SET      4

/* Well-known communities (RFC 1997, RFC 7999, RFC 8326) */
#define BGP_COMM_GRACEFUL_SHUTDOWN   0xFFFF0000u
#define BGP_COMM_BLACKHOLE           0xFFFF029Au
#define BGP_COMM_NO_EXPORT           0xFFFFFF01u
#define BGP_COMM_NO_ADVERTISE        0xFFFFFF02u
#define BGP_COMM_NO_EXPORT_SUBCONFED 0xFFFFFF03u
#define BGP_COMM_NO_PEER             0xFFFFFF04u

/* Session facts the decoder needs. */
struct bgp_ctx {
	bool as4;                    /* 4-octet AS negotiated (RFC 6793) */
	bool ebgp;                   /* peer in another AS */
	uint32_t peer_as;            /* for the first-AS check; 0: skip */
	bool addpath_rx[BGP_AF_MAX]; /* path identifiers in received NLRI */
	bool addpath_tx[BGP_AF_MAX]; /* path identifiers in sent NLRI */
	/*
	 * ExaBGP compatibility: keep an unknown attribute whose Optional bit
	 * is clear instead of resetting the session (RFC 4271 6.3 says
	 * reset), and take AS 0 in AS_PATH and AGGREGATOR as a value (RFC
	 * 7607 says malformed); ExaBGP decodes and keeps both, and its test
	 * data relies on that.  Off in vrsd.
	 */
	bool exa_compat;
};

/* A path attribute as found on the wire. */
struct bgp_attr_raw {
	uint8_t flags;
	uint8_t type;
	struct rbuf value; /* borrowed */
};

/* An AS path in wire form: segments of as_size-octet AS numbers. */
struct bgp_aspath {
	struct rbuf segs; /* borrowed, validated */
	uint8_t as_size;  /* 2 or 4 */
};

struct bgp_mp_reach {
	uint16_t afi;
	uint8_t safi;
	uint8_t nh_len;
	uint8_t nh[32];   /* next hop(s) as on the wire */
	struct rbuf nlri; /* borrowed */
};

struct bgp_mp_unreach {
	uint16_t afi;
	uint8_t safi;
	struct rbuf nlri; /* borrowed */
};

#define BGP_ATTR_LIST_MAX 256

/*
 * The decoded path attributes of one UPDATE.  Values borrow from the
 * message.  has[] tells which types are present (after RFC 7606
 * discards); list[] keeps every accepted attribute in wire order for
 * re-encoding and printing.  Encoders read the typed fields, not the raw
 * values, for every attribute the codec knows.
 */
struct bgp_pattrs {
	uint64_t has[4]; /* bit per type code */
	uint8_t origin;
	struct bgp_aspath aspath;
	struct bgp_aspath as4path;
	uint8_t nexthop[4];
	uint32_t med;
	uint32_t localpref;
	uint32_t aggr_as;
	uint32_t aggr_id;
	uint8_t aggr_as_size; /* 2 or 4 on the wire */
	uint32_t as4aggr_as;
	uint32_t as4aggr_id;
	struct rbuf communities;       /* borrowed: n * 4 bytes */
	struct rbuf ext_communities;   /* borrowed: n * 8 bytes */
	struct rbuf large_communities; /* borrowed: n * 12 bytes */
	uint32_t originator_id;
	struct rbuf cluster_list; /* borrowed: n * 4 bytes */
	struct bgp_mp_reach mp_reach;
	struct bgp_mp_unreach mp_unreach;
	uint16_t nlist;
	struct bgp_attr_raw list[BGP_ATTR_LIST_MAX];
	/* RFC 7606 result: worst outcome and the error that caused it */
	enum bgp_outcome outcome;
	struct bgp_err err;
	uint16_t ndiscarded;
};

static inline bool
bgp_pattrs_has(const struct bgp_pattrs *pa, uint8_t type)
{
	return (pa->has[type >> 6] >> (type & 63)) & 1;
}

static inline void
bgp_pattrs_set(struct bgp_pattrs *pa, uint8_t type)
{
	pa->has[type >> 6] |= 1ull << (type & 63);
}

static inline void
bgp_pattrs_clear(struct bgp_pattrs *pa, uint8_t type)
{
	pa->has[type >> 6] &= ~(1ull << (type & 63));
}

/* The three variable fields of an UPDATE (RFC 4271 4.3). */
struct bgp_update {
	struct rbuf withdrawn; /* borrowed: IPv4 withdrawn routes */
	struct rbuf attrs;     /* borrowed: path attributes */
	struct rbuf nlri;      /* borrowed: IPv4 NLRI */
};

struct bgp_nlri {
	struct prefix pfx;
	uint32_t path_id; /* RFC 7911, 0 without ADD-PATH */
};

/* Split an UPDATE body; false (session reset, 3/1) if the lengths lie. */
bool bgp_update_split(
    struct rbuf body, struct bgp_update *u, struct bgp_err *err);

/*
 * Decode every path attribute of u into pa, applying RFC 7606.  Returns
 * false only for session reset (err set).  Otherwise pa->outcome is
 * BGP_OUT_OK, _DISCARD (some attributes dropped) or _WITHDRAW (handle
 * every NLRI as withdrawn), with pa->err telling why.
 */
bool bgp_update_decode(const struct bgp_update *u, const struct bgp_ctx *ctx,
    struct bgp_pattrs *pa, struct bgp_err *err);

/* True for an End-of-RIB marker (RFC 4724 2); afi and safi get the family. */
bool bgp_update_is_eor(const struct bgp_update *u, const struct bgp_pattrs *pa,
    uint16_t *afi, uint8_t *safi);

/*
 * Take the next prefix from an NLRI or withdrawn field of family af
 * (ADDR_V4 / ADDR_V6).  Returns false at the end (n->len 0) or on a
 * malformed entry (err set, session reset, RFC 7606 5.3).
 */
bool bgp_nlri_next(struct rbuf *field, uint8_t af, bool addpath,
    struct bgp_nlri *n, struct bgp_err *err);
/* Check a whole NLRI field without keeping anything. */
bool bgp_nlri_check(struct rbuf field, uint8_t af, bool addpath,
    uint8_t subcode, struct bgp_err *err);
bool bgp_nlri_encode(struct wbuf *w, const struct bgp_nlri *n, bool addpath);

/* AS path helpers (aspath.c) */
bool bgp_aspath_check(struct rbuf segs, uint8_t as_size, bool allow_confed);
/* RFC 7607: an AS of 0 anywhere in checked segments. */
bool bgp_aspath_has_zero(struct rbuf segs, uint8_t as_size);
/* Number of ASes for path selection (RFC 4271 9.1.2.2: a set counts 1). */
unsigned bgp_aspath_length(const struct bgp_aspath *p);
/* Iterate segments: returns false at the end. */
struct bgp_aspath_iter {
	struct rbuf rest;
	uint8_t as_size;
};
struct bgp_aspath_seg {
	uint8_t type;
	uint8_t count;
	struct rbuf asns; /* count * as_size bytes */
	uint8_t as_size;
};
void bgp_aspath_iter_init(
    struct bgp_aspath_iter *it, const struct bgp_aspath *p);
bool bgp_aspath_iter_next(
    struct bgp_aspath_iter *it, struct bgp_aspath_seg *seg);
uint32_t bgp_aspath_seg_as(const struct bgp_aspath_seg *seg, unsigned i);
/*
 * RFC 6793 4.2.3: rebuild the real path of a 2-octet speaker from AS_PATH
 * and AS4_PATH into out as 4-octet segments.  Writes AS_PATH unchanged
 * (widened) when AS4_PATH is absent or longer than AS_PATH.
 */
bool bgp_aspath_merge(const struct bgp_aspath *path,
    const struct bgp_aspath *as4, struct wbuf *out);
/* Write p with as_size-octet AS numbers (AS_TRANS for big ones). */
bool bgp_aspath_encode(
    struct wbuf *w, const struct bgp_aspath *p, uint8_t as_size);
/* True if any AS of p does not fit in 2 octets. */
bool bgp_aspath_has_as4(const struct bgp_aspath *p);

/*
 * Encode a whole UPDATE message: withdrawn (IPv4, may be empty), the
 * attributes of pa (NULL for none) and IPv4 nlri.  Attributes go in the
 * order of pa->list when pa->nlist > 0, else by type code.  ctx->as4
 * decides AS number widths.  False if it does not fit in max_len.
 */
bool bgp_update_encode(struct wbuf *w, struct rbuf withdrawn,
    const struct bgp_pattrs *pa, struct rbuf nlri, const struct bgp_ctx *ctx,
    size_t max_len);
/* Encode only the path attributes of pa. */
bool bgp_pattrs_encode(
    struct wbuf *w, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx);
/* End-of-RIB for afi/safi (RFC 4724 2). */
bool bgp_eor_encode(struct wbuf *w, uint16_t afi, uint8_t safi);

/* attr_table.c: the per-attribute rules */
struct bgp_attr_def {
	const char *name;           /* ExaBGP's / RFC name, lower case */
	uint8_t flags;              /* expected OPTIONAL|TRANSITIVE bits */
	enum bgp_outcome malformed; /* RFC 7606 action when malformed */
	const char *rule;           /* where the action comes from */
	/* check and store a; false when malformed (err->why set) */
	bool (*decode)(const struct bgp_attr_raw *a, struct bgp_pattrs *pa,
	    const struct bgp_ctx *ctx, struct bgp_err *err);
	/* write the value (no header) from pa */
	bool (*encode)(struct wbuf *w, const struct bgp_pattrs *pa,
	    const struct bgp_ctx *ctx);
};

/* The row for type, or NULL for an attribute the codec does not know. */
const struct bgp_attr_def *bgp_attr_def(uint8_t type);
const char *bgp_attr_name(uint8_t type);
/* Split the next path attribute off attrs (RFC 4271 4.3). */
bool bgp_attr_next(
    struct rbuf *attrs, struct bgp_attr_raw *a, struct bgp_err *err);

#endif
