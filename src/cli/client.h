/* SPDX-License-Identifier: ISC */
/* cli/client.h - talk to vrsd's control API over its UNIX socket or loopback TCP. */

#ifndef VRS_CLI_CLIENT_H
#define VRS_CLI_CLIENT_H

#include <jansson.h>

/*
 * One HTTP/1.0 request; returns the HTTP status (0 when vrsd cannot be
 * reached, with errno's text in err) and the parsed JSON body in *out.
 * Warnings that vrsd sends with the reply (Vrs-Warning headers) are
 * printed on stderr as "WARNING: ...", as az prints them.
 */
int cli_request(const char *sock, const char *method, const char *path,
    const char *body, json_t **out, char *err, size_t errlen);

/*
 * GET path and keep the body as it is (binary: an MRT dump) in out for a
 * 2xx; otherwise the status, with the JSON error body in *jerr_body
 * (NULL if none; the caller frees it).  0 when vrsd cannot be reached.
 */
struct sbuf;
int cli_get_raw(const char *sock, const char *path, struct sbuf *out,
    json_t **jerr_body, char *err, size_t errlen);

/*
 * cli_request, then what every verb does with the answer: 0 with the
 * body in *out for a 2xx; otherwise *out NULL, vrsd's error on stderr
 * ("vrs: MESSAGE", or "vrs: WHAT: MESSAGE (CODE)" when what is given)
 * and the exit status: 1 refused, 2 vrsd unreachable.
 */
int cli_call(const char *sock, const char *method, const char *path,
    const char *body, json_t **out, const char *what);

/*
 * While changes is set (a JSON array), cli_call still sends GETs but
 * keeps every other request in changes as {"method", "path", "body"}
 * and answers it with its own body: `vrs what-if` runs a verb this way.
 * NULL stops it.
 */
void cli_capture(json_t *changes);

#endif
