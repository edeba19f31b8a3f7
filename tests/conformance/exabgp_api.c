/* SPDX-License-Identifier: ISC */
/* exabgp_api.c - the generic API helper: plays api-programs/X.txt. */

/*
 * Installed (through a small sh wrapper) at every etc/exabgp/run/Y.run that a
 * case's configuration names.  Plain files are lists of write/sleep/linger
 * lines.  The '#' lines of reactive programs are read as a description:
 * quoted strings and indented literal lines give the parameters, phrases
 * such as "ignoring any line that contains", "-> exit", "must contain
 * exactly", "valid JSON", "(a failure)", "loops reading", "reads one line",
 * "loops forever ... again from 'X'" give the behaviour (see
 * api_parse_paragraph()).  "exabgp_peer api-dump FILE NAME [RUNFILE]" prints
 * what was understood.
 */

#include "exabgp_corpus.h"

#include <ctype.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_STR      16
#define MAX_ACTS     64
#define MAX_LITERALS 16

enum act_kind { ACT_WRITE, ACT_SLEEP, ACT_LINGER, ACT_EXIT, ACT_GATE };

struct gate;

struct action {
	enum act_kind kind;
	char *text; /* owned: ACT_WRITE */
	double secs;
	struct gate *gate; /* owned: ACT_GATE */
};

struct actlist {
	struct action v[MAX_ACTS];
	size_t n;
};

struct strlist {
	char *v[MAX_STR]; /* owned */
	size_t n;
};

/*
 * What a reactive program does with the lines it reads:
 * - a line containing a 'stop' string ends the program normally;
 * - a line containing a 'skip' string is ignored;
 * - a line containing one of a rule's strings runs the rule's actions;
 * - otherwise the line must contain every 'must' string (and be JSON if
 *   'json'); if it does not, 'fail' runs and the program exits.
 * A looping gate reads again after a rule; a plain one reads one line.
 */
struct gate {
	struct strlist skip, stop;
	bool stop_empty;
	struct strlist rule_when[MAX_STR];
	struct actlist *rule_do[MAX_STR]; /* owned */
	size_t nrules;
	struct strlist must;
	bool json, expect, loop, has_fail;
	struct actlist fail;
};

static struct actlist prog;
static long loop_from = -1;
static const char *api_name = "?", *api_failfile;

/* Line queue of what the speaker wrote to us (our stdin). */
static char *inbuf;
static size_t inlen, incap;
static bool in_eof;

static void
strlist_add(struct strlist *l, const char *s)
{
	if (l->n < MAX_STR)
		l->v[l->n++] = xstrdup(s);
}

static bool
strlist_any(const struct strlist *l, const char *line)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strstr(line, l->v[i]) != NULL)
			return true;
	return false;
}

static void
act_add(struct actlist *l, enum act_kind kind, const char *text, double secs)
{
	if (l->n == MAX_ACTS)
		return;
	l->v[l->n++] = (struct action){
		.kind = kind, .text = text ? xstrdup(text) : NULL, .secs = secs
	};
}

/* Quoted strings: '...' opened after a non-alphanumeric character. */
static size_t
quoted(const char *s, struct strlist *out)
{
	const char *p, *q;

	for (p = s; *p != '\0'; p++) {
		if (*p != '\'' || (p > s && isalnum((unsigned char)p[-1])))
			continue;
		for (q = p + 1; *q != '\0'; q++)
			if (*q == '\'' && !isalnum((unsigned char)q[1]))
				break;
		if (*q == '\0')
			break;
		if (out->n < MAX_STR)
			out->v[out->n++] = xstrndup(p + 1, (size_t)(q - p - 1));
		p = q;
	}
	return out->n;
}

static bool
has(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

static char *
lower(const char *s)
{
	char *l = xstrdup(s), *p;

	for (p = l; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

/*
 * A paragraph's literals (indented lines quoting text the program writes or
 * expects) are replaced by "\x01N\x02" so that clause splitting leaves them
 * whole.
 */
struct para {
	char *lit[MAX_LITERALS]; /* borrowed */
	size_t nlit;
	size_t used; /* literals consumed by "... below" */
};

static const char *
literal_in(const struct para *pa, const char *s)
{
	const char *m = strchr(s, '\x01');
	int idx;

	if (m == NULL)
		return NULL;
	idx = atoi(m + 1);
	return idx >= 0 && (size_t)idx < pa->nlit ? pa->lit[idx] : NULL;
}

static void
number_after(const char *s, const char *word, double *out)
{
	const char *p = strstr(s, word);

	if (p == NULL)
		return;
	p += strlen(word);
	while (*p != '\0' && !isdigit((unsigned char)*p) && *p != '.')
		p++;
	if (*p != '\0')
		*out = strtod(p, NULL);
}

/*
 * Actions from prose such as "sleep 2, then write X", "it writes X then
 * sleeps 5 s and exits", "writes the tell-tale route below and lingers 5 s".
 */
static void
parse_actions(struct para *pa, const char *text, struct actlist *out)
{
	char *t = xstrdup(text), *piece, *save = NULL, *l, *p;
	const char *lit;
	double secs;

	/* " then " and " and " separate actions, like commas. */
	while ((p = strstr(t, " then ")) != NULL)
		memcpy(p, ",    ", 5);
	while ((p = strstr(t, "then ")) == t)
		memcpy(p, ",    ", 5);
	while ((p = strstr(t, " and ")) != NULL)
		memcpy(p, ",   ", 4);
	for (piece = strtok_r(t, ",", &save); piece != NULL;
	     piece = strtok_r(NULL, ",", &save)) {
		piece = trim(piece);
		l = lower(piece);
		lit = literal_in(pa, piece);
		secs = -1;
		if (strncmp(l, "it ", 3) == 0)
			memmove(l, l + 3, strlen(l + 3) + 1);
		if (lit != NULL &&
		    (strncmp(l, "write", 5) == 0 ||
		        strncmp(l, "\x01", 1) == 0)) {
			if (strncmp(lit, "write ", 6) == 0)
				lit += 6;
			act_add(out, ACT_WRITE, lit, 0);
		} else if (strncmp(l, "writes ", 7) == 0 && has(l, "below")) {
			if (pa->used < pa->nlit) {
				lit = pa->lit[pa->used++];
				if (strncmp(lit, "write ", 6) == 0)
					lit += 6;
				act_add(out, ACT_WRITE, lit, 0);
			}
		} else if (strncmp(l, "write ", 6) == 0) {
			act_add(out, ACT_WRITE, trim(piece + 6), 0);
		} else if (strncmp(l, "writes ", 7) == 0) {
			act_add(out, ACT_WRITE,
			    trim(strstr(piece, "writes ") + 7), 0);
		} else if (strncmp(l, "sleep", 5) == 0) {
			number_after(l, "sleep", &secs);
			if (secs >= 0)
				act_add(out, ACT_SLEEP, NULL, secs);
		} else if (strncmp(l, "linger", 6) == 0) {
			number_after(l, "linger", &secs);
			if (secs >= 0)
				act_add(out, ACT_LINGER, NULL, secs);
		} else if (has(l, "exit")) {
			act_add(out, ACT_EXIT, NULL, 0);
		}
		free(l);
	}
	free(t);
}

static bool
is_only_exit(const struct actlist *l)
{
	return l->n == 1 && l->v[0].kind == ACT_EXIT;
}

/* Interpret one clause of a reactive description into the gate. */
static void
parse_clause(struct para *pa, struct gate *g, char *clause)
{
	struct strlist q = { 0 };
	char *l = lower(clause), *arrow = strstr(clause, "->");
	bool failing = has(l, "failure") || has(l, "otherwise") ||
	    has(l, "anything else") || has(l, "if it does not");
	const char *lit = literal_in(pa, clause);
	struct actlist acts;
	size_t i;

	memset(&acts, 0, sizeof(acts));
	if (has(l, "loops reading") || has(l, "loop reading"))
		g->loop = true;
	if (arrow != NULL) {
		*arrow = '\0';
		parse_actions(pa, arrow + 2, &acts);
		if (failing) {
			g->fail = acts;
			g->has_fail = true;
		} else {
			quoted(clause, &q);
			char *rl = lower(arrow + 2);

			if (has(rl, "ignore") || has(rl, "read the next")) {
				for (i = 0; i < q.n; i++)
					strlist_add(&g->skip, q.v[i]);
			} else if (is_only_exit(&acts)) {
				for (i = 0; i < q.n; i++)
					strlist_add(&g->stop, q.v[i]);
			} else if (g->nrules < MAX_STR) {
				g->rule_when[g->nrules] = q;
				g->rule_do[g->nrules] = xmalloc(sizeof(acts));
				*g->rule_do[g->nrules++] = acts;
				memset(&q, 0, sizeof(q));
			}
			free(rl);
		}
	} else if (failing) {
		const char *p = clause;

		/* Actions follow the condition: "If it does not, it writes". */
		if (strchr(p, ',') != NULL && !has(l, "->"))
			p = strchr(p, ',') + 1;
		else if (has(l, "failure"))
			p = strstr(clause, "FAILURE")
			    ? strstr(clause, "FAILURE") + 7
			    : clause;
		parse_actions(pa, p, &g->fail);
		g->has_fail = true;
	} else if (has(l, "ignor")) {
		quoted(clause, &g->skip);
	} else if (has(l, "must contain") || has(l, "must be")) {
		g->expect = true;
		if (lit != NULL)
			strlist_add(&g->must, lit);
		else
			quoted(clause, &g->must);
		if (has(l, "json"))
			g->json = true;
	} else if (has(l, "exit") || has(l, "ends it normally") ||
	    has(l, "end it normally")) {
		quoted(clause, &g->stop);
		if (has(l, "empty line"))
			g->stop_empty = true;
	}
	for (i = 0; i < q.n; i++)
		free(q.v[i]);
	free(l);
}

static bool
is_literal_line(const char *raw, const char *prev)
{
	/* Words that end a line introducing an indented literal. */
	static const char *intro[] = { "exactly", "writes", "write", "then",
		"below", "below." };
	const char *t = raw;
	size_t indent = 0, pl, wl, i;

	while (*t == ' ' || *t == '\t') {
		t++;
		indent++;
	}
	if (indent < 3 || *t == '-' || *t == '(' || *t == '\0')
		return false;
	if (strncmp(t, "write ", 6) == 0)
		return true;
	if (prev == NULL)
		return false;
	pl = strlen(prev);
	while (pl > 0 && isspace((unsigned char)prev[pl - 1]))
		pl--;
	if (pl > 0 && prev[pl - 1] == ':')
		return true;
	for (i = 0; i < sizeof(intro) / sizeof(intro[0]); i++) {
		wl = strlen(intro[i]);
		if (pl >= wl && strncmp(prev + pl - wl, intro[i], wl) == 0)
			return true;
	}
	return false;
}

/* Remove "(...)" asides; those that mention failure become " FAILURE ". */
static void
strip_asides(char *s)
{
	char *p, *q, *in, *l;
	int depth;

	while ((p = strchr(s, '(')) != NULL) {
		depth = 0;
		for (q = p; *q != '\0'; q++) {
			if (*q == '(')
				depth++;
			else if (*q == ')' && --depth == 0)
				break;
		}
		if (*q == '\0')
			break;
		in = xstrndup(p, (size_t)(q - p + 1));
		l = lower(in);
		if (has(l, "fail") && q - p + 1 >= 9) {
			memcpy(p, " FAILURE ", 9);
			memmove(p + 9, q + 1, strlen(q + 1) + 1);
		} else {
			memmove(p, q + 1, strlen(q + 1) + 1);
		}
		free(in);
		free(l);
	}
}

/*
 * Interpret the '#' lines between two actions.  Returns the gate the
 * paragraph describes, or NULL; a failure paragraph without a gate of its
 * own ("If it does not (a failure), it writes X") completes 'last'.
 */
static struct gate *
api_parse_paragraph(char **lines, size_t n, struct gate *last)
{
	static const char *gate_words[] = { "reactive", "reads one line",
		"reads lines", "read one line", "loops reading", "first line",
		"first other line", "must contain" };
	struct para pa = { .nlit = 0 };
	size_t i, k, cap = 1;
	char *s, *l, *c, *p, *start, *prev = NULL;
	struct gate *g;
	bool gated = false, inq = false;

	for (i = 0; i < n; i++)
		cap += strlen(lines[i]) + 8;
	s = xmalloc(cap);
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		c = lines[i];
		if (is_literal_line(c, prev) && pa.nlit < MAX_LITERALS) {
			pa.lit[pa.nlit] = trim(c);
			sprintf(s + strlen(s), " \x01%zu\x02", pa.nlit++);
		} else {
			p = trim(c);
			strcat(s, *p == '-' ? "\n" : " ");
			strcat(s, p);
		}
		prev = lines[i];
	}
	l = lower(s);
	if (has(l, "loops forever") || has(l, "again from")) {
		struct strlist q = { 0 };

		p = strstr(l, "again from");
		if (p != NULL && quoted(s + (p - l), &q) > 0) {
			for (k = 0; k < prog.n; k++)
				if (prog.v[k].kind == ACT_WRITE &&
				    (strcmp(prog.v[k].text, q.v[0]) == 0 ||
				        (strncmp(q.v[0], "write ", 6) == 0 &&
				            strcmp(prog.v[k].text,
				                q.v[0] + 6) == 0)))
					break;
			loop_from = k < prog.n ? (long)k : 0;
		} else if (loop_from < 0) {
			loop_from = (long)prog.n; /* from the next action */
		}
	}
	for (k = 0; k < sizeof(gate_words) / sizeof(gate_words[0]); k++)
		if (has(l, gate_words[k]))
			gated = true;
	free(l);
	if (!gated && !has(s, "(a failure)") && !has(s, "(failure)")) {
		free(s);
		return NULL;
	}
	strip_asides(s);
	g = xmalloc(sizeof(*g));
	memset(g, 0, sizeof(*g));
	/* Clauses end at ". ", "; ", ": ", a list item, outside quotes. */
	for (start = p = s;; p++) {
		bool end = *p == '\0' || *p == '\n';

		if (*p == '\'' && (p == s || !isalnum((unsigned char)p[-1])))
			inq = true;
		else if (*p == '\'' && inq && !isalnum((unsigned char)p[1]))
			inq = false;
		if (!inq && (*p == '.' || *p == ';' || *p == ':') &&
		    (p[1] == ' ' || p[1] == '\0' || p[1] == '\n'))
			end = true;
		if (!end)
			continue;
		c = xstrndup(start, (size_t)(p - start));
		if (*trim(c) != '\0')
			parse_clause(&pa, g, trim(c));
		free(c);
		if (*p == '\0')
			break;
		start = p + 1;
	}
	free(s);
	if (!gated && last != NULL) {
		/* "If it does not (a failure), ..." after the actions. */
		last->fail = g->fail;
		last->has_fail = g->has_fail;
		free(g);
		return NULL;
	}
	return g;
}

/* Build the program for helper 'name' (process name or run file). */
static void
api_load(const char *path, const char *name, const char *runfile)
{
	char *text = path ? slurp(path) : NULL, **lines, *l, *t;
	size_t n, i, first = 0, npara = 0;
	char *para[256];
	bool sections = false, mine = true;
	struct gate *last = NULL, *g;
	struct strlist q;

	if (text == NULL)
		return;
	n = split_lines(text, &lines);
	/* The fixed header explaining write/sleep/linger. */
	for (i = 0; i < n && i < 12; i++)
		if (has(lines[i], "stopping early"))
			first = i + 1;
	for (i = first; i < n; i++)
		if (strncmp(lines[i], "# Program '", 11) == 0)
			sections = true;
	if (sections)
		mine = false;
	for (i = first; i <= n; i++) {
		l = i < n ? lines[i] : NULL;
		if (l != NULL && strncmp(l, "# Program '", 11) == 0) {
			memset(&q, 0, sizeof(q));
			quoted(l + 10, &q);
			if (npara > 0 && mine)
				if ((g = api_parse_paragraph(
				         para, npara, last)) != NULL) {
					act_add(&prog, ACT_GATE, NULL, 0);
					prog.v[prog.n - 1].gate = last = g;
				}
			npara = 0;
			mine = (q.n > 0 && strcmp(q.v[0], name) == 0) ||
			    (runfile != NULL && *runfile != '\0' &&
			        has(l, runfile));
		}
		if (l != NULL && l[0] == '#') {
			if (mine && npara < 256)
				para[npara++] = l + 1;
			continue;
		}
		if (npara > 0 && mine) {
			g = api_parse_paragraph(para, npara, last);
			if (g != NULL) {
				act_add(&prog, ACT_GATE, NULL, 0);
				prog.v[prog.n - 1].gate = last = g;
			}
		}
		npara = 0;
		if (l == NULL || !mine)
			continue;
		t = trim(l);
		if (strncmp(t, "write ", 6) == 0 || strcmp(t, "write") == 0)
			act_add(&prog, ACT_WRITE, t[5] ? t + 6 : "", 0);
		else if (strncmp(t, "sleep ", 6) == 0)
			act_add(&prog, ACT_SLEEP, NULL, strtod(t + 6, NULL));
		else if (strncmp(t, "linger ", 7) == 0)
			act_add(&prog, ACT_LINGER, NULL, strtod(t + 7, NULL));
		else if (*t != '\0')
			append_line(api_failfile,
			    "api program %s: cannot "
			    "play line '%s'",
			    api_name, t);
	}
}

/* Wait up to timeout_ms for input; queue it.  -1 at end of file. */
static int
in_fill(int timeout_ms)
{
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	ssize_t n;

	if (in_eof)
		return -1;
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	if (incap - inlen < 4096) {
		incap = incap ? incap * 2 : 65536;
		inbuf = realloc(inbuf, incap);
		if (inbuf == NULL)
			exit(2);
	}
	n = read(0, inbuf + inlen, incap - inlen - 1);
	if (n <= 0) {
		in_eof = true;
		return -1;
	}
	inlen += (size_t)n;
	return 1;
}

/* Next line from the speaker; NULL at the deadline or end of file. */
static char *
in_line(double deadline)
{
	char *nl, *line;
	double left;

	for (;;) {
		nl = inlen ? memchr(inbuf, '\n', inlen) : NULL;
		if (nl != NULL) {
			line = xstrndup(inbuf, (size_t)(nl - inbuf));
			memmove(
			    inbuf, nl + 1, inlen - (size_t)(nl - inbuf) - 1);
			inlen -= (size_t)(nl - inbuf) + 1;
			if (*line && line[strlen(line) - 1] == '\r')
				line[strlen(line) - 1] = '\0';
			return line;
		}
		if (in_eof)
			return NULL;
		left = deadline < 0 ? 1.0 : deadline - now_s();
		if (left <= 0)
			return NULL;
		in_fill((int)(left * 1000) + 1);
	}
}

static void
api_write(const char *text)
{
	size_t n = strlen(text);
	char *buf = xmalloc(n + 2);

	memcpy(buf, text, n);
	buf[n] = '\n';
	if (!write_all(1, buf, n + 1))
		exit(0); /* the speaker is gone */
	free(buf);
}

static void
api_sleep(double secs)
{
	double until = now_s() + secs, left;

	/* Keep reading meanwhile, so the speaker never blocks on us. */
	while ((left = until - now_s()) > 0)
		if (in_fill((int)(left * 1000) + 1) < 0)
			usleep((useconds_t)(left * 1e6));
}

static void
api_linger(double secs)
{
	double until = now_s() + secs;
	char *line;

	while ((line = in_line(until)) != NULL) {
		bool stop = strstr(line, "shutdown") != NULL;

		free(line);
		if (stop)
			return;
	}
}

static const char *json_value(const char *p);

static const char *
json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

static const char *
json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if (*p == '\0' || (unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\' && *++p == '\0')
			return NULL;
	}
	return p + 1;
}

static const char *
json_value(const char *p)
{
	char *end;

	p = json_ws(p);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';

		p = json_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				p = json_string(json_ws(p));
				if (p == NULL || *(p = json_ws(p)) != ':')
					return NULL;
				p++;
			}
			p = json_value(p);
			if (p == NULL)
				return NULL;
			p = json_ws(p);
			if (*p == close)
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	}
	if (*p == '"')
		return json_string(p);
	if (strncmp(p, "true", 4) == 0 || strncmp(p, "null", 4) == 0)
		return p + 4;
	if (strncmp(p, "false", 5) == 0)
		return p + 5;
	strtod(p, &end);
	return end == p ? NULL : end;
}

static bool
json_valid(const char *s)
{
	const char *p = json_value(s);

	return p != NULL && *json_ws(p) == '\0';
}

static void api_run(const struct actlist *l, size_t from);

static void
gate_fail(struct gate *g, const char *line, const char *why)
{
	append_line(api_failfile, "api program %s: %s, got: %.400s", api_name,
	    why, line);
	if (g->has_fail)
		api_run(&g->fail, 0);
	exit(1);
}

/* Read lines as the gate describes; returns to go on with the program. */
static void
gate_run(struct gate *g)
{
	char *line, why[512];
	size_t i;
	bool matched;

	for (;;) {
		line = in_line(-1);
		if (line == NULL)
			exit(0); /* end of file: the speaker stopped */
		if (strlist_any(&g->stop, line) ||
		    (g->stop_empty && *trim(line) == '\0'))
			exit(0);
		if (strlist_any(&g->skip, line)) {
			free(line);
			continue;
		}
		matched = false;
		for (i = 0; i < g->nrules && !matched; i++)
			if (strlist_any(&g->rule_when[i], line)) {
				api_run(g->rule_do[i], 0);
				matched = true;
			}
		if (!matched && g->expect) {
			for (i = 0; i < g->must.n; i++)
				if (strstr(line, g->must.v[i]) == NULL) {
					snprintf(why, sizeof(why),
					    "expected a line containing '%s'",
					    g->must.v[i]);
					gate_fail(g, line, why);
				}
			if (g->json && !json_valid(line))
				gate_fail(g, line, "expected a JSON line");
			matched = true;
		}
		if (!matched && (g->has_fail || g->loop))
			gate_fail(g, line, "unexpected line");
		free(line);
		if (!g->loop)
			return;
	}
}

static void
api_run(const struct actlist *l, size_t from)
{
	size_t i;

	for (i = from; i < l->n; i++) {
		const struct action *a = &l->v[i];

		switch (a->kind) {
		case ACT_WRITE:
			api_write(a->text);
			break;
		case ACT_SLEEP:
			api_sleep(a->secs);
			break;
		case ACT_LINGER:
			api_linger(a->secs);
			break;
		case ACT_EXIT:
			exit(0);
		case ACT_GATE:
			gate_run(a->gate);
			break;
		}
	}
}

static void
api_dump(const struct actlist *l, int depth)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		const struct action *a = &l->v[i];
		const struct gate *g = a->gate;

		fprintf(stderr, "%*s", depth * 2, "");
		switch (a->kind) {
		case ACT_WRITE:
			fprintf(stderr, "write %s\n", a->text);
			break;
		case ACT_SLEEP:
			fprintf(stderr, "sleep %g\n", a->secs);
			break;
		case ACT_LINGER:
			fprintf(stderr, "linger %g\n", a->secs);
			break;
		case ACT_EXIT:
			fprintf(stderr, "exit\n");
			break;
		case ACT_GATE:
			fprintf(stderr, "read%s:", g->loop ? " (loop)" : "");
			for (j = 0; j < g->stop.n; j++)
				fprintf(stderr, " stop='%s'", g->stop.v[j]);
			if (g->stop_empty)
				fprintf(stderr, " stop=<empty>");
			for (j = 0; j < g->skip.n; j++)
				fprintf(stderr, " skip='%s'", g->skip.v[j]);
			for (j = 0; j < g->must.n; j++)
				fprintf(stderr, " must='%s'", g->must.v[j]);
			if (g->json)
				fprintf(stderr, " json");
			fprintf(stderr, "\n");
			for (j = 0; j < g->nrules; j++) {
				fprintf(stderr, "%*s  when '%s':\n", depth * 2,
				    "",
				    g->rule_when[j].n ? g->rule_when[j].v[0]
				                      : "");
				api_dump(g->rule_do[j], depth + 2);
			}
			if (g->has_fail) {
				fprintf(stderr, "%*s  on failure:\n", depth * 2,
				    "");
				api_dump(&g->fail, depth + 2);
			}
			break;
		}
	}
}

int
api_main(int argc, char **argv)
{
	const char *file, *runfile, *pidfile;

	if (argc < 2) {
		fprintf(stderr,
		    "usage: exabgp_peer api FILE NAME [RUNFILE "
		    "[FAILFILE [PIDFILE]]]\n"
		    "       exabgp_peer api-dump FILE NAME "
		    "[RUNFILE]\n");
		return 2;
	}
	file = strcmp(argv[0], "-") == 0 ? NULL : argv[0];
	api_name = argv[1];
	runfile = argc > 2 ? argv[2] : NULL;
	api_failfile = argc > 3 ? argv[3] : NULL;
	pidfile = argc > 4 ? argv[4] : NULL;
	append_line(pidfile, "%d", (int)getpid());
	signal(SIGPIPE, SIG_IGN);
	alarm(150); /* never outlive a case by much */
	api_load(file, api_name, runfile);
	api_run(&prog, 0);
	if (loop_from >= 0 && (size_t)loop_from < prog.n)
		for (;;)
			api_run(&prog, (size_t)loop_from);
	/* Without a final linger, stay until the speaker closes our input. */
	if (prog.n == 0)
		while (in_fill(1000) >= 0)
			inlen = 0;
	return 0;
}

int
api_dump_main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	api_name = argv[1];
	api_load(argv[0], argv[1], argc > 2 ? argv[2] : NULL);
	api_dump(&prog, 0);
	if (loop_from >= 0)
		fprintf(stderr, "then loop from action %ld\n", loop_from);
	return 0;
}
