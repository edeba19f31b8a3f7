/* SPDX-License-Identifier: ISC */
/* api/bgp4mp.h - MRT update logging: BGP4MP_MESSAGE_AS4 records (RFC 6396 4.4.3). */

#ifndef VRS_API_BGP4MP_H
#define VRS_API_BGP4MP_H

#include <stdint.h>

#include "session/session.h"

struct event_base;
struct bgp4mp;

/*
 * A log into pattern (strftime(3)), a new file every rotate seconds
 * (0: one file), appended to if it exists; NULL with why.  The 1 s
 * flush runs on base.
 */
struct bgp4mp *bgp4mp_open(struct event_base *base, const char *pattern,
    uint32_t rotate, char *why, size_t len);
/* A bgpd_tap_fn: one record per received UPDATE (arg: the log). */
void bgp4mp_tap(void *arg, const struct bgpd_tap_msg *m);
void bgp4mp_stats(const struct bgp4mp *b, uint64_t *records, uint64_t *lost);
/* Write what is buffered and close. */
void bgp4mp_close(struct bgp4mp *b);

#endif
