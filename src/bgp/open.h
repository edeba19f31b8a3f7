/* SPDX-License-Identifier: ISC */
/* bgp/open.h - OPEN message and capabilities (RFC 4271, 5492, 9072). */

#ifndef VRS_BGP_OPEN_H
#define VRS_BGP_OPEN_H

#include "bgp/bgp.h"

/* Capability codes (IANA registry) */
#define BGP_CAP_MP          1  /* RFC 4760 */
#define BGP_CAP_RR          2  /* RFC 2918 */
#define BGP_CAP_EXT_NH      5  /* RFC 8950 */
#define BGP_CAP_EXT_MSG     6  /* RFC 8654 */
#define BGP_CAP_ROLE        9  /* RFC 9234 */
#define BGP_CAP_GR          64 /* RFC 4724 */
#define BGP_CAP_AS4         65 /* RFC 6793 */
#define BGP_CAP_ADDPATH     69 /* RFC 7911 */
#define BGP_CAP_ENHANCED_RR 70 /* RFC 7313 */
#define BGP_CAP_LLGR        71
#define BGP_CAP_FQDN        73 /* draft-walton-bgp-hostname-capability */
#define BGP_CAP_RR_CISCO    128

/* Optional parameter types */
#define BGP_OPT_CAPA    2
#define BGP_OPT_EXT_LEN 255 /* RFC 9072 */

/* Graceful restart (RFC 4724 3): the restart state bit of the first
 * octet, the forwarding state bit of a family's flags */
#define BGP_GR_RESTART_STATE 0x80
#define BGP_GR_FORWARDING    0x80

/* ADD-PATH send/receive bits (RFC 7911 4) */
#define BGP_ADDPATH_RX 1
#define BGP_ADDPATH_TX 2

#define BGP_CAPS_MAX   64 /* capabilities remembered per OPEN */
#define BGP_CAP_AF_MAX 16 /* AFI/SAFI tuples remembered per list */

struct bgp_afsafi {
	uint16_t afi;
	uint8_t safi;
	uint8_t val;     /* GR: flags; ADD-PATH: send/receive bits */
	uint16_t nh_afi; /* extended next hop: next hop AFI */
};

/* One capability as it appeared, in wire order. */
struct bgp_cap {
	uint8_t code;
	uint8_t param;     /* index of the optional parameter carrying it */
	struct rbuf value; /* borrowed */
};

/*
 * What an OPEN offers.  Lists keep wire order so that an OPEN decodes and
 * encodes back to the same bytes; the flags summarise for negotiation.
 */
struct bgp_caps {
	bool mp_present; /* any MP capability seen */
	bool rr;         /* route refresh (2 or 128) */
	bool enhanced_rr;
	bool ext_msg;
	bool as4;
	uint32_t as4_asn;
	bool gr;
	uint16_t gr_flags_time; /* restart flags (4 bits) and time */
	bool fqdn;
	struct rbuf hostname; /* borrowed */
	struct rbuf domain;   /* borrowed */
	uint8_t nmp, ngr, naddpath, nextnh;
	struct bgp_afsafi mp[BGP_CAP_AF_MAX];
	struct bgp_afsafi grafs[BGP_CAP_AF_MAX];
	struct bgp_afsafi addpath[BGP_CAP_AF_MAX];
	struct bgp_afsafi extnh[BGP_CAP_AF_MAX];
	uint8_t ncaps;
	struct bgp_cap caps[BGP_CAPS_MAX]; /* every capability, wire order */
	uint8_t nparams; /* optional parameters (type 2 or other) */
};

struct bgp_open {
	uint8_t version;
	uint16_t my_as; /* 2-octet field; AS_TRANS for 4-octet speakers */
	uint16_t hold_time;
	uint32_t bgp_id;
	bool ext_params; /* RFC 9072 extended optional parameters */
	struct bgp_caps caps;
};

/*
 * Decode an OPEN body (RFC 4271 4.2, 6.2; RFC 5492; RFC 9072).  Checks
 * version, hold time (0 or >= 3), BGP identifier (non-zero) and the
 * capability formats; peer AS and collisions are the session's business.
 */
bool bgp_open_decode(struct rbuf body, struct bgp_open *o, struct bgp_err *err);
/* Encode o as a whole OPEN message, capabilities in o->caps.caps order. */
bool bgp_open_encode(struct wbuf *w, const struct bgp_open *o);

/* The AS a speaker claims: the AS4 capability's, else the 2-octet field. */
uint32_t bgp_open_asn(const struct bgp_open *o);
bool bgp_caps_has_af(const struct bgp_caps *c, uint16_t afi, uint8_t safi);
/* ADD-PATH bits the speaker offered for afi/safi (0 if none). */
uint8_t bgp_caps_addpath(const struct bgp_caps *c, uint16_t afi, uint8_t safi);

/*
 * Builder used by speakers: append a capability to caps (value bytes are
 * copied into store, which must outlive caps).  false when full.
 */
struct bgp_caps_builder {
	struct bgp_caps *caps; /* borrowed */
	uint8_t *store;        /* borrowed */
	size_t cap, len;
	uint8_t param; /* parameter index for the next capability */
};

void bgp_caps_builder_init(struct bgp_caps_builder *b, struct bgp_caps *caps,
    uint8_t *store, size_t cap);
bool bgp_caps_add(
    struct bgp_caps_builder *b, uint8_t code, const void *value, size_t len);
/* Re-read caps->caps[] into the summary fields (after building). */
bool bgp_caps_parse(struct bgp_caps *c, struct bgp_err *err);

#endif
