/* SPDX-License-Identifier: ISC */
/* api/api.h - vrsd's control API: JSON over HTTP on a UNIX socket. */

#ifndef VRS_API_API_H
#define VRS_API_API_H

#include <event2/event.h>

#include "session/session.h"

/*
 * DOC: the control API
 *
 * Requests are routed by method and path through one table (api.c), so
 * later layers add resources by adding rows.  Every answer is JSON; an
 * error is an HTTP status with {"error": {"code": ..., "message": ...}}.
 * Bodies over 1 MiB are refused.
 *
 *   GET  /v1/peers                    sessions and their counters
 *   GET  /v1/routes?prefix=&peer=&advertised=1
 *   GET  /v1/memory                   RIB objects and bytes, process RSS
 *   POST /v1/peers/{name}/refresh     send ROUTE-REFRESH to the peer
 *   POST /v1/peers/{name}/reset       Cease 6/4 and start again
 */

struct api;

/* Listen on the UNIX socket at path (replacing a stale one); NULL + log. */
struct api *api_new(struct event_base *base, struct bgpd *d, const char *path);
void api_free(struct api *a);

#endif
