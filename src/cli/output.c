/* SPDX-License-Identifier: ISC */
/* cli/output.c - print JSON values as az does: json, yaml, table and tsv. */

#include "cli/output.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

/*
 * az prints JSON with sorted keys and a 2-space indent; YAML as PyYAML's
 * safe_dump (sorted keys, block style, sequences not indented under
 * their key); tables as knack's tabulate "simple" format (columns two
 * spaces apart, each as wide as its longest cell or its header plus
 * two, trailing blanks cut); TSV as knack (objects by sorted key, a
 * nested list as its length, a nested object as an empty field).
 */

static const char *const fmt_names[] = {
	[CLI_OUT_JSON] = "json",
	[CLI_OUT_JSONC] = "jsonc",
	[CLI_OUT_YAML] = "yaml",
	[CLI_OUT_TABLE] = "table",
	[CLI_OUT_TSV] = "tsv",
	[CLI_OUT_NONE] = "none",
};

bool
cli_fmt_parse(const char *s, enum cli_fmt *f)
{
	size_t i;

	for (i = 0; i < sizeof(fmt_names) / sizeof(fmt_names[0]); i++)
		if (strcmp(s, fmt_names[i]) == 0) {
			*f = (enum cli_fmt)i;
			return true;
		}
	return false;
}

/* ---- sorted keys ---- */

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of o, sorted; the caller frees the array (not the keys). */
static const char **
keys_sorted(json_t *o, size_t *n)
{
	const char **k = calloc(json_object_size(o) + 1, sizeof(*k));
	const char *key;
	json_t *v;

	*n = 0;
	if (k == NULL)
		abort();
	json_object_foreach(o, key, v)
	{
		(void)v;
		k[(*n)++] = key;
	}
	qsort(k, *n, sizeof(*k), key_cmp);
	return k;
}

/* ---- json ---- */

void
cli_json_print(FILE *f, json_t *j)
{
	char *s =
	    json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY);

	fprintf(f, "%s\n", s ? s : "null");
	free(s);
}

/* ---- yaml ---- */

/* Strings that PyYAML would read back as something else: quoted. */
static bool
yaml_special(const char *s)
{
	static const char *const re_src =
	    "^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|"
	    "no|No|NO|on|On|ON|off|Off|OFF|=|<<|"
	    "[-+]?(0b[01_]+|0[0-7_]+|(0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|"
	    "[1-9][0-9_]*(:[0-5]?[0-9])+)|"
	    "[-+]?[0-9][0-9_]*\\.[0-9_]*([eE][-+][0-9]+)?|"
	    "\\.[0-9][0-9_]*([eE][-+][0-9]+)?|"
	    "[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|"
	    "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$";
	static regex_t re;
	static bool ready;

	if (!ready) {
		if (regcomp(&re, re_src, REG_EXTENDED | REG_NOSUB) != 0)
			abort();
		ready = true;
	}
	return regexec(&re, s, 0, NULL, 0) == 0;
}

static bool
yaml_plain_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || yaml_special(s))
		return false;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) != NULL &&
	    !(strchr("-?:", s[0]) != NULL && n > 1 && s[1] != ' '))
		return false;
	if (s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == ':')
		return false;
	if (strstr(s, ": ") != NULL || strstr(s, " #") != NULL)
		return false;
	return strpbrk(s, "\n\r\t") == NULL;
}

static void
yaml_str(FILE *f, const char *s)
{
	const char *p;

	if (yaml_plain_ok(s)) {
		fputs(s, f);
		return;
	}
	if (strpbrk(s, "\n\r\t") != NULL) {
		fputc('"', f);
		for (p = s; *p; p++) {
			if (*p == '\n')
				fputs("\\n", f);
			else if (*p == '\r')
				fputs("\\r", f);
			else if (*p == '\t')
				fputs("\\t", f);
			else if (*p == '"' || *p == '\\')
				fprintf(f, "\\%c", *p);
			else
				fputc(*p, f);
		}
		fputc('"', f);
		return;
	}
	fputc('\'', f);
	for (p = s; *p; p++) {
		if (*p == '\'')
			fputc('\'', f);
		fputc(*p, f);
	}
	fputc('\'', f);
}

static void
yaml_scalar(FILE *f, json_t *v)
{
	if (json_is_string(v))
		yaml_str(f, json_string_value(v));
	else if (json_is_true(v))
		fputs("true", f);
	else if (json_is_false(v))
		fputs("false", f);
	else if (json_is_integer(v))
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		fprintf(f, "%.17g", json_real_value(v));
	else if (json_is_array(v))
		fputs("[]", f);
	else if (json_is_object(v))
		fputs("{}", f);
	else
		fputs("null", f);
}

static bool
yaml_is_block(json_t *v)
{
	return (json_is_object(v) && json_object_size(v) > 0) ||
	    (json_is_array(v) && json_array_size(v) > 0);
}

static void yaml_node(FILE *f, json_t *v, int indent, bool inline_first);

static void
pad(FILE *f, int n)
{
	while (n-- > 0)
		fputc(' ', f);
}

static void
yaml_mapping(FILE *f, json_t *o, int indent, bool inline_first)
{
	const char **k;
	size_t i, n;
	json_t *v;

	k = keys_sorted(o, &n);
	for (i = 0; i < n; i++) {
		if (i > 0 || !inline_first)
			pad(f, indent);
		yaml_str(f, k[i]);
		fputc(':', f);
		v = json_object_get(o, k[i]);
		if (!yaml_is_block(v)) {
			fputc(' ', f);
			yaml_scalar(f, v);
			fputc('\n', f);
		} else {
			fputc('\n', f);
			/* PyYAML does not indent a sequence under its key */
			yaml_node(f, v, json_is_array(v) ? indent : indent + 2,
			    false);
		}
	}
	free(k);
}

static void
yaml_sequence(FILE *f, json_t *a, int indent, bool inline_first)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
	{
		if (i > 0 || !inline_first)
			pad(f, indent);
		fputs("- ", f);
		if (!yaml_is_block(v)) {
			yaml_scalar(f, v);
			fputc('\n', f);
		} else
			yaml_node(f, v, indent + 2, true);
	}
}

static void
yaml_node(FILE *f, json_t *v, int indent, bool inline_first)
{
	if (json_is_object(v) && json_object_size(v) > 0)
		yaml_mapping(f, v, indent, inline_first);
	else if (json_is_array(v) && json_array_size(v) > 0)
		yaml_sequence(f, v, indent, inline_first);
	else {
		yaml_scalar(f, v);
		fputc('\n', f);
	}
}

void
cli_yaml_print(FILE *f, json_t *j)
{
	yaml_node(f, j, 0, false);
}

/* ---- cells, as Python's str() prints them ---- */

static char *
cell(json_t *v)
{
	char buf[64];

	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_true(v))
		return strdup("True");
	if (json_is_false(v))
		return strdup("False");
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return strdup(buf);
	}
	if (json_is_real(v)) {
		snprintf(buf, sizeof(buf), "%g", json_real_value(v));
		return strdup(buf);
	}
	if (v == NULL || json_is_null(v))
		return strdup("");
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
}

/* ---- tsv ---- */

static void
tsv_obj(FILE *f, json_t *v)
{
	char *s;

	if (json_is_array(v))
		fprintf(f, "%zu", json_array_size(v));
	else if (json_is_object(v))
		return;
	else if (json_is_null(v))
		fputs("None", f);
	else {
		s = cell(v);
		fputs(s, f);
		free(s);
	}
}

static void
tsv_row(FILE *f, json_t *v)
{
	const char **k;
	size_t i, n;
	json_t *x;

	if (json_is_object(v)) {
		k = keys_sorted(v, &n);
		for (i = 0; i < n; i++) {
			if (i > 0)
				fputc('\t', f);
			tsv_obj(f, json_object_get(v, k[i]));
		}
		free(k);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
		{
			if (i > 0)
				fputc('\t', f);
			tsv_obj(f, x);
		}
	} else
		tsv_obj(f, v);
	fputc('\n', f);
}

void
cli_tsv_print(FILE *f, json_t *j)
{
	size_t i;
	json_t *v;

	if (json_is_array(j))
		json_array_foreach(j, i, v) tsv_row(f, v);
	else
		tsv_row(f, j);
}

/* ---- table ---- */

static json_t *
auto_item(json_t *item, bool sort_keys)
{
	json_t *row = json_object(), *v;
	const char **k;
	const char *key;
	char name[256];
	size_t i, n;

	if (!json_is_object(item)) {
		json_object_set(row, "Result", item);
		return row;
	}
	k = keys_sorted(item, &n);
	if (!sort_keys) {
		n = 0;
		json_object_foreach(item, key, v) k[n++] = key;
	}
	for (i = 0; i < n; i++) {
		v = json_object_get(item, k[i]);
		if (strcmp(k[i], "id") == 0 || strcmp(k[i], "type") == 0 ||
		    strcmp(k[i], "etag") == 0 || json_is_null(v) ||
		    json_is_array(v) || json_is_object(v))
			continue;
		snprintf(name, sizeof(name), "%s", k[i]);
		if (name[0] >= 'a' && name[0] <= 'z')
			name[0] = (char)(name[0] - 'a' + 'A');
		json_object_set(row, name, v);
	}
	free(k);
	return row;
}

json_t *
cli_table_auto(json_t *j, bool sort_keys)
{
	json_t *rows = json_array(), *v;
	size_t i;

	if (json_is_array(j))
		json_array_foreach(j, i, v)
		    json_array_append_new(rows, auto_item(v, sort_keys));
	else if (j != NULL && !json_is_null(j))
		json_array_append_new(rows, auto_item(j, sort_keys));
	return rows;
}

static void
table_line(FILE *f, char **cells, const size_t *w, size_t ncol)
{
	char line[4096];
	size_t i, len = 0;
	int n;

	line[0] = '\0';
	for (i = 0; i < ncol && len < sizeof(line); i++) {
		n = snprintf(line + len, sizeof(line) - len, "%s%-*s",
		    i > 0 ? "  " : "", (int)w[i], cells[i]);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	while (len > 0 && line[len - 1] == ' ')
		line[--len] = '\0';
	fprintf(f, "%s\n", line);
}

void
cli_table_print(FILE *f, json_t *rows)
{
	const char *cols[64], *key;
	char **cells;
	size_t ncol = 0, nrow = json_array_size(rows), i, c, w[64], l;
	json_t *r, *v;

	json_array_foreach(rows, i, r)
	{
		json_object_foreach(r, key, v)
		{
			(void)v;
			for (c = 0; c < ncol; c++)
				if (strcmp(cols[c], key) == 0)
					break;
			if (c == ncol && ncol < 64)
				cols[ncol++] = key;
		}
	}
	if (ncol == 0)
		return;
	cells = calloc((nrow + 2) * ncol, sizeof(*cells));
	if (cells == NULL)
		abort();
	for (c = 0; c < ncol; c++) {
		cells[c] = strdup(cols[c]);
		w[c] = strlen(cols[c]) + 2;
	}
	json_array_foreach(rows, i, r)
	{
		for (c = 0; c < ncol; c++) {
			cells[(i + 2) * ncol + c] =
			    cell(json_object_get(r, cols[c]));
			if ((l = strlen(cells[(i + 2) * ncol + c])) > w[c])
				w[c] = l;
		}
	}
	for (c = 0; c < ncol; c++) {
		cells[ncol + c] = malloc(w[c] + 1);
		if (cells[ncol + c] == NULL)
			abort();
		memset(cells[ncol + c], '-', w[c]);
		cells[ncol + c][w[c]] = '\0';
	}
	for (i = 0; i < nrow + 2; i++)
		table_line(f, cells + i * ncol, w, ncol);
	for (i = 0; i < (nrow + 2) * ncol; i++)
		free(cells[i]);
	free(cells);
}

void
cli_output(FILE *f, json_t *j, enum cli_fmt fmt, json_t *rows)
{
	json_t *auto_rows;

	switch (fmt) {
	case CLI_OUT_JSON:
	case CLI_OUT_JSONC:
		cli_json_print(f, j);
		break;
	case CLI_OUT_YAML:
		cli_yaml_print(f, j);
		break;
	case CLI_OUT_TSV:
		cli_tsv_print(f, j);
		break;
	case CLI_OUT_TABLE:
		if (rows != NULL) {
			cli_table_print(f, rows);
			break;
		}
		auto_rows = cli_table_auto(j, true);
		cli_table_print(f, auto_rows);
		json_decref(auto_rows);
		break;
	case CLI_OUT_NONE:
		break;
	}
}
