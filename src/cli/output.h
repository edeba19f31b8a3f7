/* SPDX-License-Identifier: ISC */
/* cli/output.h - az's output formats: json, jsonc, yaml, table, tsv, none. */

#ifndef VRS_CLI_OUTPUT_H
#define VRS_CLI_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

enum cli_fmt {
	CLI_OUT_JSON,
	CLI_OUT_JSONC,
	CLI_OUT_YAML,
	CLI_OUT_TABLE,
	CLI_OUT_TSV,
	CLI_OUT_NONE
};

/* "json", "jsonc", ...; false if s names no format. */
bool cli_fmt_parse(const char *s, enum cli_fmt *f);

/*
 * Print j in fmt as az does.  For table, rows (an array of objects whose
 * member order gives the columns) is az's table transformer output; NULL
 * means az's automatic table (scalar members, sorted, capitalized; id,
 * type and etag left out).
 */
void cli_output(FILE *f, json_t *j, enum cli_fmt fmt, json_t *rows);

void cli_json_print(FILE *f, json_t *j);
void cli_yaml_print(FILE *f, json_t *j);
void cli_tsv_print(FILE *f, json_t *j);
/* rows: array of objects; the columns are their keys in first-seen order. */
void cli_table_print(FILE *f, json_t *rows);
/* az's automatic table rows for j (a new reference). */
json_t *cli_table_auto(json_t *j, bool sort_keys);

#endif
