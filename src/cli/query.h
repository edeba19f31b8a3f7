/* SPDX-License-Identifier: ISC */
/* cli/query.h - --query: a subset of JMESPath over jansson values. */

#ifndef VRS_CLI_QUERY_H
#define VRS_CLI_QUERY_H

#include <jansson.h>
#include <stddef.h>

/*
 * Evaluate the JMESPath expression expr over data: a new reference (JSON
 * null when nothing matches), or NULL with a message in why when expr
 * is not in the subset vrs understands (README.md lists it).
 */
json_t *cli_query(const char *expr, json_t *data, char *why, size_t len);

#endif
