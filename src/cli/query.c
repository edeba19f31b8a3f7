/* SPDX-License-Identifier: ISC */
/* cli/query.c - --query: a subset of JMESPath over jansson values. */

#include "cli/query.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The subset (https://jmespath.org/specification.html): identifiers
 * (bare and "quoted"), sub-expressions a.b, indexes [0] and [-1], list
 * projections [*], object projections *, flatten [], filters [?expr],
 * pipes |, multi-select lists [a, b] and hashes {x: a, y: b}, literals
 * `json` and 'raw', @, comparisons == != < <= > >=, && || ! and
 * parentheses, and the functions length, contains, starts_with, keys,
 * values, join, sort, to_string.  Not supported: slices, &expression
 * references (so no sort_by), and the remaining functions.
 *
 * A Pratt parser with the binding powers of the reference
 * implementation (jmespath.py) builds a tree; evaluation returns new
 * references, JSON null when nothing matches.
 */

#define Q_NODES 512
#define Q_ARGS  8

enum tok {
	T_EOF,
	T_IDENT,
	T_QIDENT,
	T_RAW,
	T_LIT,
	T_NUM,
	T_DOT,
	T_STAR,
	T_LBRACKET,
	T_RBRACKET,
	T_FILTER,
	T_FLATTEN,
	T_LBRACE,
	T_RBRACE,
	T_COMMA,
	T_COLON,
	T_PIPE,
	T_OR,
	T_AND,
	T_NOT,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_LPAREN,
	T_RPAREN,
	T_AT
};

/* Binding powers, as jmespath.py's parser. */
static const int bp[] = {
	[T_PIPE] = 1,
	[T_OR] = 2,
	[T_AND] = 3,
	[T_EQ] = 5,
	[T_NE] = 5,
	[T_LT] = 5,
	[T_LE] = 5,
	[T_GT] = 5,
	[T_GE] = 5,
	[T_FLATTEN] = 9,
	[T_STAR] = 20,
	[T_FILTER] = 21,
	[T_DOT] = 40,
	[T_NOT] = 45,
	[T_LBRACE] = 50,
	[T_LBRACKET] = 55,
	[T_LPAREN] = 60,
	[T_AT] = 0,
};

enum node_type {
	N_FIELD,
	N_CURRENT,
	N_LITERAL,
	N_INDEX,
	N_SUB,
	N_PIPE,
	N_PROJ,
	N_VPROJ,
	N_FLATTEN,
	N_FILTER,
	N_OR,
	N_AND,
	N_NOT,
	N_CMP,
	N_LIST,
	N_HASH,
	N_FUNC
};

struct node {
	enum node_type type;
	enum tok op;               /* N_CMP */
	char *name;                /* owned: N_FIELD, N_FUNC, hash keys */
	json_t *lit;               /* ref: N_LITERAL */
	long index;                /* N_INDEX */
	struct node *l, *r;        /* borrowed from the pool */
	struct node *c;            /* N_FILTER: the condition */
	struct node *args[Q_ARGS]; /* N_LIST, N_HASH, N_FUNC */
	char *keys[Q_ARGS];        /* owned: N_HASH */
	int nargs;
};

struct q {
	const char *s; /* the expression */
	size_t pos;
	enum tok tok; /* the current token */
	char *text;   /* owned: its text (identifiers, strings) */
	json_t *lit;  /* ref: its value (literals) */
	long num;
	struct node pool[Q_NODES];
	int nnodes;
	char *why;
	size_t whylen;
	bool bad;
};

static void qerr(struct q *q, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
qerr(struct q *q, const char *fmt, ...)
{
	va_list ap;

	if (q->bad)
		return;
	q->bad = true;
	va_start(ap, fmt);
	vsnprintf(q->why, q->whylen, fmt, ap);
	va_end(ap);
}

/* ---- lexer ---- */

static char *
strndup_(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d == NULL)
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* The text up to the closing quote c (backslash escapes it). */
static bool
quoted(struct q *q, char c, size_t *start, size_t *end)
{
	size_t i = q->pos + 1;

	*start = i;
	while (q->s[i] != '\0' && q->s[i] != c) {
		if (q->s[i] == '\\' && q->s[i + 1] != '\0')
			i++;
		i++;
	}
	if (q->s[i] != c) {
		qerr(q, "unterminated %c at column %zu", c, q->pos + 1);
		return false;
	}
	*end = i;
	q->pos = i + 1;
	return true;
}

static void
next(struct q *q)
{
	const char *s = q->s;
	size_t st, en, k;
	json_error_t jerr;
	char *raw, *d;

	free(q->text);
	q->text = NULL;
	json_decref(q->lit);
	q->lit = NULL;
	while (s[q->pos] == ' ' || s[q->pos] == '\t' || s[q->pos] == '\n')
		q->pos++;
	st = q->pos;
	switch (s[q->pos]) {
	case '\0':
		q->tok = T_EOF;
		return;
	case '.':
		q->tok = T_DOT;
		break;
	case '*':
		q->tok = T_STAR;
		break;
	case ']':
		q->tok = T_RBRACKET;
		break;
	case '{':
		q->tok = T_LBRACE;
		break;
	case '}':
		q->tok = T_RBRACE;
		break;
	case ',':
		q->tok = T_COMMA;
		break;
	case ':':
		q->tok = T_COLON;
		break;
	case '(':
		q->tok = T_LPAREN;
		break;
	case ')':
		q->tok = T_RPAREN;
		break;
	case '@':
		q->tok = T_AT;
		break;
	case '[':
		if (s[q->pos + 1] == '?') {
			q->tok = T_FILTER;
			q->pos++;
		} else if (s[q->pos + 1] == ']') {
			q->tok = T_FLATTEN;
			q->pos++;
		} else
			q->tok = T_LBRACKET;
		break;
	case '|':
		q->tok = s[q->pos + 1] == '|' ? T_OR : T_PIPE;
		q->pos += q->tok == T_OR;
		break;
	case '&':
		if (s[q->pos + 1] != '&') {
			qerr(q, "expression references (&) are not supported");
			q->tok = T_EOF;
			return;
		}
		q->tok = T_AND;
		q->pos++;
		break;
	case '!':
		q->tok = s[q->pos + 1] == '=' ? T_NE : T_NOT;
		q->pos += q->tok == T_NE;
		break;
	case '=':
		if (s[q->pos + 1] != '=') {
			qerr(q, "expected == at column %zu", q->pos + 1);
			q->tok = T_EOF;
			return;
		}
		q->tok = T_EQ;
		q->pos++;
		break;
	case '<':
		q->tok = s[q->pos + 1] == '=' ? T_LE : T_LT;
		q->pos += q->tok == T_LE;
		break;
	case '>':
		q->tok = s[q->pos + 1] == '=' ? T_GE : T_GT;
		q->pos += q->tok == T_GE;
		break;
	case '"':
		if (!quoted(q, '"', &st, &en))
			goto eof;
		raw = strndup_(s + st - 1, en - st + 2);
		q->lit = json_loads(raw, JSON_DECODE_ANY, &jerr);
		free(raw);
		if (!json_is_string(q->lit)) {
			qerr(q, "bad quoted identifier at column %zu", st);
			goto eof;
		}
		q->text = strdup(json_string_value(q->lit));
		q->tok = T_QIDENT;
		return;
	case '\'':
		if (!quoted(q, '\'', &st, &en))
			goto eof;
		q->text = d = strndup_(s + st, en - st);
		for (k = st; k < en; k++) {
			if (s[k] == '\\' && s[k + 1] == '\'')
				k++;
			*d++ = s[k];
		}
		*d = '\0';
		q->tok = T_RAW;
		return;
	case '`':
		if (!quoted(q, '`', &st, &en))
			goto eof;
		raw = strndup_(s + st, en - st);
		q->lit = json_loads(raw, JSON_DECODE_ANY, &jerr);
		free(raw);
		if (q->lit == NULL) {
			qerr(q, "bad JSON literal at column %zu: %s", st,
			    jerr.text);
			goto eof;
		}
		q->tok = T_LIT;
		return;
	default:
		if (s[q->pos] == '-' ||
		    (s[q->pos] >= '0' && s[q->pos] <= '9')) {
			char *end;

			q->num = strtol(s + q->pos, &end, 10);
			if (end == s + q->pos + (s[q->pos] == '-')) {
				qerr(q, "bad number at column %zu", st + 1);
				goto eof;
			}
			q->pos = (size_t)(end - s);
			q->tok = T_NUM;
			return;
		}
		if ((s[q->pos] >= 'a' && s[q->pos] <= 'z') ||
		    (s[q->pos] >= 'A' && s[q->pos] <= 'Z') ||
		    s[q->pos] == '_') {
			while ((s[q->pos] >= 'a' && s[q->pos] <= 'z') ||
			    (s[q->pos] >= 'A' && s[q->pos] <= 'Z') ||
			    (s[q->pos] >= '0' && s[q->pos] <= '9') ||
			    s[q->pos] == '_')
				q->pos++;
			q->text = strndup_(s + st, q->pos - st);
			q->tok = T_IDENT;
			return;
		}
		qerr(q, "unexpected '%c' at column %zu", s[q->pos], st + 1);
		goto eof;
	}
	q->pos++;
	return;
eof:
	q->tok = T_EOF;
}

/* ---- parser ---- */

static struct node *
node(struct q *q, enum node_type type)
{
	struct node *n;

	if (q->nnodes == Q_NODES) {
		qerr(q, "expression too long");
		n = &q->pool[0];
		return n;
	}
	n = &q->pool[q->nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	return n;
}

static struct node *
node2(struct q *q, enum node_type type, struct node *l, struct node *r)
{
	struct node *n = node(q, type);

	n->l = l;
	n->r = r;
	return n;
}

static bool
expect(struct q *q, enum tok t, const char *what)
{
	if (q->tok != t) {
		qerr(q, "expected %s at column %zu", what, q->pos + 1);
		return false;
	}
	next(q);
	return true;
}

static struct node *expr(struct q *q, int rbp);
static struct node *led(struct q *q, enum tok t, struct node *left);

static struct node *
multi_list(struct q *q)
{
	struct node *n = node(q, N_LIST);

	do {
		if (n->nargs == Q_ARGS) {
			qerr(q, "at most %d items in a multi-select", Q_ARGS);
			return n;
		}
		n->args[n->nargs++] = expr(q, 0);
	} while (!q->bad && q->tok == T_COMMA && (next(q), true));
	expect(q, T_RBRACKET, "]");
	return n;
}

static struct node *
multi_hash(struct q *q)
{
	struct node *n = node(q, N_HASH);

	do {
		if (n->nargs == Q_ARGS) {
			qerr(q, "at most %d items in a multi-select", Q_ARGS);
			return n;
		}
		if (q->tok != T_IDENT && q->tok != T_QIDENT) {
			qerr(q, "expected a key at column %zu", q->pos + 1);
			return n;
		}
		n->keys[n->nargs] = strdup(q->text);
		next(q);
		if (!expect(q, T_COLON, ":"))
			return n;
		n->args[n->nargs++] = expr(q, 0);
	} while (!q->bad && q->tok == T_COMMA && (next(q), true));
	expect(q, T_RBRACE, "}");
	return n;
}

static struct node *
dot_rhs(struct q *q, int rbp)
{
	if (q->tok == T_IDENT || q->tok == T_QIDENT || q->tok == T_STAR)
		return expr(q, rbp);
	if (q->tok == T_LBRACKET) {
		next(q);
		return multi_list(q);
	}
	if (q->tok == T_LBRACE) {
		next(q);
		return multi_hash(q);
	}
	qerr(q, "expected a name, [ or { after . at column %zu", q->pos + 1);
	return node(q, N_CURRENT);
}

static struct node *
projection_rhs(struct q *q, int rbp)
{
	if (bp[q->tok] < 10)
		return node(q, N_CURRENT);
	if (q->tok == T_LBRACKET || q->tok == T_FILTER)
		return expr(q, rbp);
	if (q->tok == T_DOT) {
		next(q);
		return dot_rhs(q, rbp);
	}
	qerr(
	    q, "unexpected token after a projection at column %zu", q->pos + 1);
	return node(q, N_CURRENT);
}

static struct node *
index_expr(struct q *q, struct node *left)
{
	struct node *n = node(q, N_INDEX);

	if (q->tok == T_COLON) {
		qerr(q, "slices are not supported");
		return n;
	}
	n->index = q->num;
	next(q);
	if (q->tok == T_COLON) {
		qerr(q, "slices are not supported");
		return n;
	}
	expect(q, T_RBRACKET, "]");
	return node2(q, N_SUB, left, n);
}

static struct node *
nud(struct q *q, enum tok t)
{
	struct node *n;

	switch (t) {
	case T_LIT:
	case T_RAW:
		n = node(q, N_LITERAL);
		n->lit =
		    t == T_LIT ? json_incref(q->lit) : json_string(q->text);
		next(q);
		return n;
	case T_IDENT:
	case T_QIDENT:
		n = node(q, N_FIELD);
		n->name = strdup(q->text);
		next(q);
		if (t == T_QIDENT && q->tok == T_LPAREN)
			qerr(q, "a quoted name is not a function");
		return n;
	case T_AT:
		next(q);
		return node(q, N_CURRENT);
	case T_STAR:
		next(q);
		return node2(q, N_VPROJ, node(q, N_CURRENT),
		    projection_rhs(q, bp[T_STAR]));
	case T_FILTER:
		return led(q, T_FILTER, node(q, N_CURRENT));
	case T_FLATTEN:
		next(q);
		return node2(q, N_PROJ,
		    node2(q, N_FLATTEN, node(q, N_CURRENT), NULL),
		    projection_rhs(q, bp[T_FLATTEN]));
	case T_LBRACE:
		next(q);
		return multi_hash(q);
	case T_LPAREN:
		next(q);
		n = expr(q, 0);
		expect(q, T_RPAREN, ")");
		return n;
	case T_NOT:
		next(q);
		return node2(q, N_NOT, expr(q, bp[T_NOT]), NULL);
	case T_LBRACKET:
		next(q);
		if (q->tok == T_NUM || q->tok == T_COLON)
			return index_expr(q, node(q, N_CURRENT));
		if (q->tok == T_STAR &&
		    q->s[q->pos + strspn(q->s + q->pos, " ")] == ']') {
			next(q);
			next(q);
			return node2(q, N_PROJ, node(q, N_CURRENT),
			    projection_rhs(q, bp[T_STAR]));
		}
		return multi_list(q);
	default:
		qerr(q, "unexpected token at column %zu", q->pos + 1);
		next(q);
		return node(q, N_CURRENT);
	}
}

static struct node *
led(struct q *q, enum tok t, struct node *left)
{
	struct node *n;

	next(q);
	switch (t) {
	case T_DOT:
		if (q->tok == T_STAR) {
			next(q);
			return node2(
			    q, N_VPROJ, left, projection_rhs(q, bp[T_DOT]));
		}
		return node2(q, N_SUB, left, dot_rhs(q, bp[T_DOT]));
	case T_PIPE:
		return node2(q, N_PIPE, left, expr(q, bp[T_PIPE]));
	case T_OR:
		return node2(q, N_OR, left, expr(q, bp[T_OR]));
	case T_AND:
		return node2(q, N_AND, left, expr(q, bp[T_AND]));
	case T_EQ:
	case T_NE:
	case T_LT:
	case T_LE:
	case T_GT:
	case T_GE:
		n = node2(q, N_CMP, left, expr(q, bp[t]));
		n->op = t;
		return n;
	case T_FILTER:
		n = node(q, N_FILTER);
		n->l = left;
		n->c = expr(q, 0);
		if (!expect(q, T_RBRACKET, "]"))
			return n;
		n->r = projection_rhs(q, bp[T_FILTER]);
		return n;
	case T_FLATTEN:
		return node2(q, N_PROJ, node2(q, N_FLATTEN, left, NULL),
		    projection_rhs(q, bp[T_FLATTEN]));
	case T_LBRACKET:
		if (q->tok == T_NUM || q->tok == T_COLON)
			return index_expr(q, left);
		if (!expect(q, T_STAR, "a number or *") ||
		    !expect(q, T_RBRACKET, "]"))
			return left;
		return node2(q, N_PROJ, left, projection_rhs(q, bp[T_STAR]));
	case T_LPAREN:
		if (left->type != N_FIELD) {
			qerr(q, "only a name can be called");
			return left;
		}
		n = node(q, N_FUNC);
		n->name = left->name;
		left->name = NULL;
		while (!q->bad && q->tok != T_RPAREN) {
			if (n->nargs == Q_ARGS) {
				qerr(q, "too many arguments");
				return n;
			}
			n->args[n->nargs++] = expr(q, 0);
			if (q->tok == T_COMMA)
				next(q);
			else if (q->tok != T_RPAREN)
				qerr(q, "expected , or ) at column %zu",
				    q->pos + 1);
		}
		expect(q, T_RPAREN, ")");
		return n;
	default:
		qerr(q, "unexpected token at column %zu", q->pos + 1);
		return left;
	}
}

static struct node *
expr(struct q *q, int rbp)
{
	struct node *left;

	if (q->bad)
		return node(q, N_CURRENT);
	left = nud(q, q->tok);
	while (!q->bad && rbp < bp[q->tok])
		left = led(q, q->tok, left);
	return left;
}

/* ---- evaluation ---- */

static bool
truthy(json_t *v)
{
	return !(v == NULL || json_is_null(v) || json_is_false(v) ||
	    (json_is_string(v) && json_string_length(v) == 0) ||
	    (json_is_array(v) && json_array_size(v) == 0) ||
	    (json_is_object(v) && json_object_size(v) == 0));
}

static json_t *eval(struct q *q, struct node *n, json_t *cur);

static json_t *
project(struct q *q, json_t *base, struct node *rhs)
{
	json_t *out = json_array(), *e, *v;
	size_t i;

	json_array_foreach(base, i, e)
	{
		v = eval(q, rhs, e);
		if (json_is_null(v))
			json_decref(v);
		else
			json_array_append_new(out, v);
	}
	return out;
}

static int
str_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;

	if (json_is_number(x) && json_is_number(y))
		return json_number_value(x) < json_number_value(y) ? -1
		    : json_number_value(x) > json_number_value(y)  ? 1
		                                                   : 0;
	return strcmp(json_is_string(x) ? json_string_value(x) : "",
	    json_is_string(y) ? json_string_value(y) : "");
}

static json_t *
call(struct q *q, struct node *n, json_t *cur)
{
	json_t *a[Q_ARGS] = { NULL }, *out = NULL, *e;
	const char *f = n->name, *k;
	size_t i;
	int j;

	for (j = 0; j < n->nargs; j++)
		a[j] = eval(q, n->args[j], cur);
	if (strcmp(f, "length") == 0 && n->nargs == 1) {
		if (json_is_string(a[0]))
			out =
			    json_integer((json_int_t)json_string_length(a[0]));
		else if (json_is_array(a[0]))
			out = json_integer((json_int_t)json_array_size(a[0]));
		else if (json_is_object(a[0]))
			out = json_integer((json_int_t)json_object_size(a[0]));
	} else if (strcmp(f, "contains") == 0 && n->nargs == 2) {
		if (json_is_string(a[0]) && json_is_string(a[1]))
			out =
			    json_boolean(strstr(json_string_value(a[0]),
			                     json_string_value(a[1])) != NULL);
		else if (json_is_array(a[0])) {
			out = json_false();
			json_array_foreach(a[0], i, e) if (json_equal(e, a[1]))
			{
				json_decref(out);
				out = json_true();
				break;
			}
		}
	} else if (strcmp(f, "starts_with") == 0 && n->nargs == 2) {
		if (json_is_string(a[0]) && json_is_string(a[1]))
			out = json_boolean(strncmp(json_string_value(a[0]),
			                       json_string_value(a[1]),
			                       json_string_length(a[1])) == 0);
	} else if ((strcmp(f, "keys") == 0 || strcmp(f, "values") == 0) &&
	    n->nargs == 1 && json_is_object(a[0])) {
		out = json_array();
		json_object_foreach(a[0], k, e) json_array_append_new(
		    out, f[0] == 'k' ? json_string(k) : json_incref(e));
	} else if (strcmp(f, "join") == 0 && n->nargs == 2 &&
	    json_is_string(a[0]) && json_is_array(a[1])) {
		size_t len = 1;
		char *s;

		json_array_foreach(a[1], i, e) len +=
		    json_string_length(e) + json_string_length(a[0]);
		s = calloc(1, len);
		if (s == NULL)
			abort();
		json_array_foreach(a[1], i, e)
		{
			if (i > 0)
				strcat(s, json_string_value(a[0]));
			if (json_is_string(e))
				strcat(s, json_string_value(e));
		}
		out = json_string(s);
		free(s);
	} else if (strcmp(f, "sort") == 0 && n->nargs == 1 &&
	    json_is_array(a[0])) {
		json_t **v = calloc(json_array_size(a[0]) + 1, sizeof(*v));

		if (v == NULL)
			abort();
		json_array_foreach(a[0], i, e) v[i] = e;
		qsort(v, json_array_size(a[0]), sizeof(*v), str_cmp);
		out = json_array();
		for (i = 0; i < json_array_size(a[0]); i++)
			json_array_append(out, v[i]);
		free(v);
	} else if (strcmp(f, "to_string") == 0 && n->nargs == 1) {
		char *s;

		if (json_is_string(a[0]))
			out = json_incref(a[0]);
		else {
			s = json_dumps(a[0], JSON_COMPACT | JSON_ENCODE_ANY);
			out = json_string(s ? s : "null");
			free(s);
		}
	} else
		qerr(q, "function %s/%d is not supported or got bad arguments",
		    f, n->nargs);
	for (j = 0; j < n->nargs; j++)
		json_decref(a[j]);
	return out ? out : json_null();
}

static json_t *
cmp(struct node *n, json_t *l, json_t *r)
{
	double x, y;

	if (n->op == T_EQ)
		return json_boolean(json_equal(l, r));
	if (n->op == T_NE)
		return json_boolean(!json_equal(l, r));
	if (!json_is_number(l) || !json_is_number(r))
		return json_null();
	x = json_number_value(l);
	y = json_number_value(r);
	return json_boolean(n->op == T_LT ? x < y
	        : n->op == T_LE           ? x <= y
	        : n->op == T_GT           ? x > y
	                                  : x >= y);
}

static json_t *
eval(struct q *q, struct node *n, json_t *cur)
{
	json_t *l, *r, *out, *e, *x;
	const char *k;
	size_t i;
	long idx;
	int j;

	if (q->bad || cur == NULL)
		return json_null();
	switch (n->type) {
	case N_FIELD:
		e = json_is_object(cur) ? json_object_get(cur, n->name) : NULL;
		return e ? json_incref(e) : json_null();
	case N_CURRENT:
		return json_incref(cur);
	case N_LITERAL:
		return json_incref(n->lit);
	case N_INDEX:
		if (!json_is_array(cur))
			return json_null();
		idx = n->index < 0 ? (long)json_array_size(cur) + n->index
		                   : n->index;
		e = idx >= 0 ? json_array_get(cur, (size_t)idx) : NULL;
		return e ? json_incref(e) : json_null();
	case N_SUB:
	case N_PIPE:
		l = eval(q, n->l, cur);
		if (n->type == N_SUB && json_is_null(l))
			return l;
		r = eval(q, n->r, l);
		json_decref(l);
		return r;
	case N_PROJ:
		l = eval(q, n->l, cur);
		out = json_is_array(l) ? project(q, l, n->r) : json_null();
		json_decref(l);
		return out;
	case N_VPROJ:
		l = eval(q, n->l, cur);
		if (!json_is_object(l)) {
			json_decref(l);
			return json_null();
		}
		x = json_array();
		json_object_foreach(l, k, e) json_array_append(x, e);
		out = project(q, x, n->r);
		json_decref(x);
		json_decref(l);
		return out;
	case N_FLATTEN:
		l = eval(q, n->l, cur);
		if (!json_is_array(l)) {
			json_decref(l);
			return json_null();
		}
		out = json_array();
		json_array_foreach(l, i, e)
		{
			if (json_is_array(e))
				json_array_extend(out, e);
			else
				json_array_append(out, e);
		}
		json_decref(l);
		return out;
	case N_FILTER:
		l = eval(q, n->l, cur);
		if (!json_is_array(l)) {
			json_decref(l);
			return json_null();
		}
		out = json_array();
		json_array_foreach(l, i, e)
		{
			x = eval(q, n->c, e);
			if (truthy(x)) {
				r = eval(q, n->r, e);
				if (json_is_null(r))
					json_decref(r);
				else
					json_array_append_new(out, r);
			}
			json_decref(x);
		}
		json_decref(l);
		return out;
	case N_OR:
	case N_AND:
		l = eval(q, n->l, cur);
		if (truthy(l) == (n->type == N_AND)) {
			json_decref(l);
			return eval(q, n->r, cur);
		}
		return l;
	case N_NOT:
		l = eval(q, n->l, cur);
		out = json_boolean(!truthy(l));
		json_decref(l);
		return out;
	case N_CMP:
		l = eval(q, n->l, cur);
		r = eval(q, n->r, cur);
		out = cmp(n, l, r);
		json_decref(l);
		json_decref(r);
		return out;
	case N_LIST:
		if (json_is_null(cur))
			return json_null();
		out = json_array();
		for (j = 0; j < n->nargs; j++)
			json_array_append_new(out, eval(q, n->args[j], cur));
		return out;
	case N_HASH:
		if (json_is_null(cur))
			return json_null();
		out = json_object();
		for (j = 0; j < n->nargs; j++)
			json_object_set_new(
			    out, n->keys[j], eval(q, n->args[j], cur));
		return out;
	case N_FUNC:
		return call(q, n, cur);
	}
	return json_null();
}

json_t *
cli_query(const char *expr_s, json_t *data, char *why, size_t len)
{
	struct q *q = calloc(1, sizeof(*q));
	struct node *root;
	json_t *out = NULL;
	int i, j;

	if (q == NULL)
		abort();
	q->s = expr_s;
	q->why = why;
	q->whylen = len;
	next(q);
	root = expr(q, 0);
	if (!q->bad && q->tok != T_EOF)
		qerr(q, "unexpected text at column %zu", q->pos);
	if (!q->bad)
		out = eval(q, root, data);
	if (q->bad) {
		json_decref(out);
		out = NULL;
	}
	for (i = 0; i < q->nnodes; i++) {
		free(q->pool[i].name);
		json_decref(q->pool[i].lit);
		for (j = 0; j < q->pool[i].nargs; j++)
			free(q->pool[i].keys[j]);
	}
	free(q->text);
	json_decref(q->lit);
	free(q);
	return out;
}
