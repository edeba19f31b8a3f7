/* SPDX-License-Identifier: ISC */
/* bgp/exa.h - decoded messages in ExaBGP 4.2's text and JSON shapes. */

#ifndef VRS_BGP_EXA_H
#define VRS_BGP_EXA_H

#include "bgp/open.h"
#include "bgp/update.h"
#include "lib/sbuf.h"

/*
 * ExaBGP prints every message as one JSON object with a fixed envelope
 * (format version "4.0.1", time, host, pid, ppid, counter, neighbor) and
 * routes as text lines.  The spacing copies ExaBGP's own, so that scripts
 * that match on text keep working.
 */
struct exa_env {
	const char *local_addr; /* borrowed */
	const char *peer_addr;  /* borrowed */
	uint32_t local_as;
	uint32_t peer_as;
	const char *direction; /* "in" (decode), "receive", "send" */
	const char *host;      /* borrowed */
	long pid, ppid;
	unsigned long counter;
	double time;
	/* the message, to print as "header" and "body" (consolidate); NULL: not */
	const uint8_t *raw; /* borrowed */
	size_t raw_len;
	/* after an UPDATE's "message" (", \"negotiated\": { ... } "); NULL */
	const char *tail; /* borrowed */
};

/*
 * ExaBGP's JSON envelope up to the neighbour's AS numbers ({ "exabgp":
 * ..., "neighbor": { "address": ..., "asn": { ... } ); the caller adds
 * the rest (", \"direction\": ..., CONTENT } }").
 */
void exa_json_head(struct sbuf *out, const struct exa_env *e, const char *type);
/* JSON of an UPDATE (announce / withdraw / eor). */
void exa_json_update(struct sbuf *out, const struct exa_env *env,
    const struct bgp_update *u, const struct bgp_pattrs *pa,
    const struct bgp_ctx *ctx);
/* JSON of a NOTIFICATION. */
void exa_json_notification(struct sbuf *out, const struct exa_env *env,
    const struct bgp_notification *n);
/* JSON of an OPEN. */
void exa_json_open(
    struct sbuf *out, const struct exa_env *env, const struct bgp_open *o);
/* JSON of a KEEPALIVE. */
void exa_json_keepalive(struct sbuf *out, const struct exa_env *env);

/*
 * Text lines of an UPDATE, one per route, each ending in '\n':
 * "1 PREFIX next-hop NH ATTRS" for announcements, "2 PREFIX" for
 * withdrawals, "None eor AFI/SAFI (FAMILY)" for End-of-RIB.
 */
void exa_text_update(struct sbuf *out, const struct bgp_update *u,
    const struct bgp_pattrs *pa, const struct bgp_ctx *ctx);
/* The attribute part of a route line ("origin igp as-path [ 1 2 ] ..."). */
void exa_text_attrs(
    struct sbuf *out, const struct bgp_pattrs *pa, const struct bgp_ctx *ctx);
/*
 * What ExaBGP 4.2.21's API prints of a NOTIFICATION and an OPEN: the
 * code's and subcode's names; the data as it keeps it (for Cease 2 and
 * 4 the shutdown communication, RFC 9003, parsed: 'Shutdown
 * Communication: "..."' or why not); the capabilities, each code once,
 * as JSON members ("1": { "name": "multiprotocol", ... }, in the order
 * first seen; by_name: "multiprotocol": ..., as ExaBGP keys the OPEN it
 * sends) or as its text ("multiprotocol(ipv4 unicast), ...", by code).
 */
const char *exa_notify_code(uint8_t code);
const char *exa_notify_subcode(uint8_t code, uint8_t subcode);
void exa_notify_data(
    struct sbuf *out, uint8_t code, uint8_t subcode, struct rbuf data);
struct bgp_caps;
void exa_caps_json(struct sbuf *out, const struct bgp_caps *c, bool by_name);
void exa_caps_text(struct sbuf *out, const struct bgp_caps *c);
/* "ipv4 unicast", "ipv6 mpls-vpn", ... */
const char *exa_afi_name(uint16_t afi);
const char *exa_safi_name(uint8_t safi);

#endif
