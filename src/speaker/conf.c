/* SPDX-License-Identifier: ISC */
/* speaker/conf.c - ExaBGP 4 configuration files: tokens, tree, neighbours. */

#include "speaker/conf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/num.h"
#include "lib/xmalloc.h"

#define CONF_MAX_DEPTH 32
#define CONF_MAX_SIZE  (64u << 20)
#define CONF_CHUNK     (256u << 10) /* read at least this much a time */

struct lexer {
	struct conf_file *cf;
	const char *file;
	const char *p;
	int line, col;
	struct sbuf words; /* the statement's words so far, NUL-separated */
	/* reading a file: a window of it, NUL-terminated at len */
	FILE *f; /* NULL: the text was given whole */
	char *buf;
	size_t len, cap;
};

enum tok { TOK_EOF, TOK_WORD, TOK_SEMI, TOK_OPEN, TOK_CLOSE };

struct token {
	enum tok t;
	size_t s; /* TOK_WORD: offset in lexer.words */
	int line, col;
};

void
conf_error(
    struct conf_file *cf, const struct conf_node *n, const char *fmt, ...)
{
	va_list ap;

	sbuf_printf(&cf->errors, "%s:%d:%d: ", n->file, n->line, n->col);
	va_start(ap, fmt);
	sbuf_vprintf(&cf->errors, fmt, ap);
	va_end(ap);
	sbuf_putc(&cf->errors, '\n');
	cf->nerrors++;
}

static void
lex_error(struct lexer *lx, int line, int col, const char *msg)
{
	sbuf_printf(
	    &lx->cf->errors, "%s:%d:%d: %s\n", lx->file, line, col, msg);
	lx->cf->nerrors++;
}

/*
 * At a NUL: whether it ends the part of the file read so far (not one in
 * the file) and more could be read.  What is left from *keep (the word
 * being read; NULL: the current position) moves to the front first, so
 * that the window never holds more than a word and a read's worth.
 */
static bool
lex_more(struct lexer *lx, const char **keep)
{
	const char *from = keep != NULL ? *keep : lx->p;
	size_t pos, rest, got;

	if (lx->f == NULL || lx->p != lx->buf + lx->len)
		return false;
	pos = (size_t)(lx->p - from);
	rest = lx->len - (size_t)(from - lx->buf);
	memmove(lx->buf, from, rest);
	if (lx->cap - rest < CONF_CHUNK) {
		if (lx->cap >= CONF_MAX_SIZE) {
			lex_error(
			    lx, lx->line, lx->col, "word longer than 64 MiB");
			lx->len = rest;
			lx->p = lx->buf + rest;
			lx->buf[rest] = '\0';
			return false;
		}
		lx->cap *= 2;
		lx->buf = xreallocarray(lx->buf, lx->cap, 1);
	}
	got = fread(lx->buf + rest, 1, lx->cap - rest - 1, lx->f);
	if (got == 0 && ferror(lx->f))
		lex_error(lx, lx->line, lx->col, strerror(errno));
	lx->len = rest + got;
	lx->buf[lx->len] = '\0';
	lx->p = lx->buf + pos;
	if (keep != NULL)
		*keep = lx->buf;
	return got > 0;
}

static void
lex_adv(struct lexer *lx)
{
	if (*lx->p == '\n') {
		lx->line++;
		lx->col = 1;
	} else
		lx->col++;
	lx->p++;
}

/* Characters that end a plain word (brackets are words of their own). */
static const char word_stops[] = " \t\n\r;{}#,[]()";
static bool word_stop[256];

static void
word_stop_init(void)
{
	const char *c;

	if (word_stop[0])
		return;
	word_stop[0] = true;
	for (c = word_stops; *c != '\0'; c++)
		word_stop[(unsigned char)*c] = true;
}

/* The word from start to the current position, into lx->words. */
static size_t
lex_word(struct lexer *lx, const char *start)
{
	size_t off = lx->words.len;

	/* sbuf_putn ends the text with a NUL: step over it */
	sbuf_putn(&lx->words, start, (size_t)(lx->p - start));
	lx->words.len++;
	return off;
}

static struct token
lex_next(struct lexer *lx)
{
	struct token t = { TOK_EOF, 0, 0, 0 };
	const char *start;
	char q;

	for (;;) {
		for (;; lx->p++) {
			if (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r')
				lx->col++;
			else if (*lx->p == '\n') {
				lx->line++;
				lx->col = 1;
			} else
				break;
		}
		if (*lx->p == '\0' && lex_more(lx, NULL))
			continue;
		if (*lx->p != '#')
			break;
		for (;;) {
			if (*lx->p == '\0' && !lex_more(lx, NULL))
				break;
			if (*lx->p == '\n')
				break;
			lex_adv(lx);
		}
	}
	t.line = lx->line;
	t.col = lx->col;
	switch (*lx->p) {
	case '\0':
		return t;
	case ';':
		lex_adv(lx);
		t.t = TOK_SEMI;
		return t;
	case '{':
		lex_adv(lx);
		t.t = TOK_OPEN;
		return t;
	case '}':
		lex_adv(lx);
		t.t = TOK_CLOSE;
		return t;
	case '"':
	case '\'':
		/* a quoted word keeps its spaces; the quotes are dropped */
		q = *lx->p;
		lex_adv(lx);
		start = lx->p;
		for (;;) {
			if (*lx->p == '\0' && !lex_more(lx, &start))
				break;
			if (*lx->p == q || *lx->p == '\n')
				break;
			lex_adv(lx);
		}
		if (*lx->p != q) {
			lex_error(lx, t.line, t.col, "unterminated quote");
			t.t = TOK_WORD;
			t.s = lex_word(lx, start);
			return t;
		}
		t.t = TOK_WORD;
		t.s = lex_word(lx, start);
		lex_adv(lx);
		return t;
	}
	start = lx->p;
	if (*lx->p == '[' || *lx->p == ']' || *lx->p == '(' || *lx->p == ')' ||
	    *lx->p == ',')
		lex_adv(lx);
	else {
		/* no newline in a word: the column moves by its length */
		const char *end;

		do {
			end = lx->p;
			while (!word_stop[(unsigned char)*end])
				end++;
			lx->col += (int)(end - lx->p);
			lx->p = end;
		} while (*end == '\0' && lex_more(lx, &start));
	}
	t.t = TOK_WORD;
	t.s = lex_word(lx, start);
	return t;
}

/* Whether a statement of block blk may go to the take hook. */
static bool
takeable(const struct lexer *lx, const struct conf_node *blk, size_t *offs)
{
	return lx->cf->take != NULL && blk != NULL && blk->nwords == 1 &&
	    strcmp(blk->words[0], "static") == 0 &&
	    strcmp(lx->words.s + offs[0], "route") == 0;
}

static void
taken_push(struct lexer *lx, struct conf_node *blk, void *item)
{
	void **v;

	if (blk->ntaken == blk->taken_cap) {
		blk->taken_cap = blk->taken_cap ? blk->taken_cap * 2 : 16;
		v = arena_alloc(
		    &lx->cf->arena, sizeof(void *) * (size_t)blk->taken_cap);
		if (blk->ntaken > 0)
			memcpy(v, blk->taken,
			    sizeof(void *) * (size_t)blk->ntaken);
		blk->taken = v;
	}
	blk->taken[blk->ntaken++] = item;
}

/* Parse statements of blk (NULL: the top level) until '}' or the end. */
static struct conf_node *
parse_body(struct lexer *lx, struct conf_node *blk, int depth, bool *closed)
{
	struct conf_node *head = NULL, **tail = &head, *n;
	struct token t;
	size_t offs[256];
	char *words[257];
	int wline[256], wcol[256];
	int nw, line = 0, col = 0, i;
	bool sub_closed;

	*closed = false;
	for (;;) {
		nw = 0;
		lx->words.len = 0;
		for (;;) {
			t = lex_next(lx);
			if (t.t != TOK_WORD)
				break;
			if (nw == 0) {
				line = t.line;
				col = t.col;
			}
			if (nw < (int)(sizeof(offs) / sizeof(offs[0]))) {
				wline[nw] = t.line;
				wcol[nw] = t.col;
				offs[nw++] = t.s;
			} else if (nw ==
			    (int)(sizeof(offs) / sizeof(offs[0]))) {
				lex_error(lx, t.line, t.col,
				    "statement longer than 256 words");
				nw++;
			}
		}
		if (nw > 256)
			nw = 256;
		if (nw == 0 && t.t == TOK_SEMI)
			continue; /* stray ';' */
		if (nw == 0 && t.t == TOK_EOF)
			return head;
		if (nw == 0 && t.t == TOK_CLOSE) {
			if (depth == 0)
				lex_error(lx, t.line, t.col,
				    "'}' without an open block");
			else {
				*closed = true;
				return head;
			}
			continue;
		}
		if (nw == 0 && t.t == TOK_OPEN) {
			lex_error(lx, t.line, t.col, "block without a name");
			line = t.line;
			col = t.col;
		}
		if (nw > 0 && t.t == TOK_SEMI && takeable(lx, blk, offs)) {
			struct conf_node tmp = { lx->file, line, col, nw, words,
				wline, wcol, false, NULL, NULL, NULL, 0, 0 };
			void *last = blk->ntaken > 0
			    ? blk->taken[blk->ntaken - 1]
			    : NULL;
			void *item;

			for (i = 0; i < nw; i++)
				words[i] = lx->words.s + offs[i];
			words[nw] = NULL;
			item = lx->cf->take(lx->cf->take_arg, blk, &tmp, last);
			if (item != NULL) {
				if (item != last)
					taken_push(lx, blk, item);
				continue;
			}
		}
		n = arena_zalloc(&lx->cf->arena, sizeof(*n));
		n->file = lx->file;
		n->line = line;
		n->col = col;
		n->nwords = nw;
		n->words = arena_alloc(
		    &lx->cf->arena, sizeof(char *) * (size_t)(nw + 1));
		for (i = 0; i < nw; i++)
			n->words[i] =
			    arena_strdup(&lx->cf->arena, lx->words.s + offs[i]);
		n->words[nw] = NULL;
		n->wline =
		    arena_alloc(&lx->cf->arena, sizeof(int) * (size_t)(nw + 1));
		n->wcol =
		    arena_alloc(&lx->cf->arena, sizeof(int) * (size_t)(nw + 1));
		memcpy(n->wline, wline, sizeof(int) * (size_t)nw);
		memcpy(n->wcol, wcol, sizeof(int) * (size_t)nw);
		*tail = n;
		tail = &n->next;
		if (blk != NULL && blk->ntaken > 0)
			taken_push(
			    lx, blk, NULL); /* this child, in its place */
		if (t.t == TOK_OPEN) {
			n->block = true;
			if (depth + 1 >= CONF_MAX_DEPTH) {
				lex_error(lx, t.line, t.col,
				    "blocks nested too deep (32 levels)");
				return head;
			}
			n->child = parse_body(lx, n, depth + 1, &sub_closed);
			/*
			 * ExaBGP accepts a file whose last block is not
			 * closed (its own conf-split.conf is one), so do we.
			 */
			if (!sub_closed)
				return head;
			continue;
		}
		if (t.t == TOK_EOF) {
			lex_error(
			    lx, t.line, t.col, "missing ';' at end of file");
			return head;
		}
		if (t.t == TOK_CLOSE) {
			/* "route x next-hop y }": ExaBGP wants the ';' */
			lex_error(lx, t.line, t.col, "missing ';' before '}'");
			if (depth > 0) {
				*closed = true;
				return head;
			}
		}
	}
}

static bool
parse_lexer(struct lexer *lx, struct conf_file *cf, const char *name,
    conf_take_fn take, void *arg)
{
	bool closed;

	word_stop_init();
	arena_init(&cf->arena, 16384);
	sbuf_init(&cf->errors);
	sbuf_init(&lx->words);
	cf->nerrors = 0;
	cf->take = take;
	cf->take_arg = arg;
	lx->file = arena_strdup(&cf->arena, name);
	cf->root = parse_body(lx, NULL, 0, &closed);
	sbuf_fini(&lx->words);
	cf->take = NULL;
	return cf->nerrors == 0;
}

bool
conf_parse_take(struct conf_file *cf, const char *name, const char *text,
    conf_take_fn take, void *arg)
{
	struct lexer lx = { .cf = cf, .p = text, .line = 1, .col = 1 };

	return parse_lexer(&lx, cf, name, take, arg);
}

bool
conf_parse_file_take(struct conf_file *cf, const char *name, FILE *f,
    conf_take_fn take, void *arg)
{
	struct lexer lx = { .cf = cf, .line = 1, .col = 1, .f = f };
	bool ok;

	lx.cap = 2 * CONF_CHUNK;
	lx.buf = xmalloc(lx.cap);
	lx.buf[0] = '\0';
	lx.p = lx.buf;
	ok = parse_lexer(&lx, cf, name, take, arg);
	free(lx.buf);
	return ok;
}

bool
conf_parse(struct conf_file *cf, const char *name, const char *text)
{
	return conf_parse_take(cf, name, text, NULL, NULL);
}

bool
conf_load(struct conf_file *cf, const char *path)
{
	FILE *f;
	bool ok;

	if ((f = fopen(path, "r")) == NULL) {
		arena_init(&cf->arena, 1024);
		sbuf_init(&cf->errors);
		sbuf_printf(&cf->errors, "%s: %s\n", path, strerror(errno));
		cf->nerrors = 1;
		cf->root = NULL;
		return false;
	}
	ok = conf_parse_file_take(cf, path, f, NULL, NULL);
	fclose(f);
	return ok;
}

void
conf_free(struct conf_file *cf)
{
	arena_fini(&cf->arena);
	sbuf_fini(&cf->errors);
	cf->root = NULL;
}

static bool
parse_u32(const char *s, uint32_t *v)
{
	uint64_t x;

	if (!num_parse_u64(s, UINT32_MAX, &x))
		return false;
	*v = (uint32_t)x;
	return true;
}

/* ASN as config.c's parse_asn() reads it: a number or HIGH.LOW (asdot). */
static bool
parse_asn(const char *s, uint32_t *v)
{
	const char *dot;
	uint64_t hi, lo;
	char buf[16];

	if (s == NULL || (dot = strchr(s, '.')) == NULL)
		return parse_u32(s, v);
	if ((size_t)(dot - s) >= sizeof(buf))
		return false;
	memcpy(buf, s, (size_t)(dot - s));
	buf[dot - s] = '\0';
	if (!num_parse_u64(buf, 0xffff, &hi) ||
	    !num_parse_u64(dot + 1, 0xffff, &lo))
		return false;
	*v = (uint32_t)(hi << 16 | lo);
	return true;
}

static const struct conf_node *
find_template(const struct conf_node *root, const char *name)
{
	const struct conf_node *t, *n;

	for (t = root; t != NULL; t = t->next) {
		if (!t->block || t->nwords < 1 ||
		    strcmp(t->words[0], "template") != 0)
			continue;
		for (n = t->child; n != NULL; n = n->next)
			if (n->block && n->nwords >= 2 &&
			    strcmp(n->words[0], "neighbor") == 0 &&
			    strcmp(n->words[1], name) == 0)
				return n;
	}
	return NULL;
}

static void
session_apply(struct conf_file *cf, const struct conf_node *blk,
    struct conf_session *s, int depth)
{
	const struct conf_node *n, *c, *tmpl, *tmpls[32];
	const char *w0, *w1;
	int i, ntmpl = 0;

	if (depth > 1)
		return;
	/*
	 * As config.c: a neighbour's own statements, then its templates
	 * ("inherit a; inherit [ b, c ];") in that order, each over what
	 * came before.  An inherit in a template is ignored.
	 */
	for (n = blk->child; depth == 0 && n != NULL; n = n->next)
		if (n->nwords > 1 && strcmp(n->words[0], "inherit") == 0)
			for (i = 1; i < n->nwords && ntmpl < 32; i++) {
				w1 = n->words[i];
				if (strcmp(w1, "[") == 0 ||
				    strcmp(w1, "]") == 0 ||
				    strcmp(w1, ",") == 0)
					continue;
				if ((tmpl = find_template(cf->root, w1)) ==
				    NULL)
					conf_error(
					    cf, n, "unknown template %s", w1);
				else
					tmpls[ntmpl++] = tmpl;
			}
	for (n = blk->child; n != NULL; n = n->next) {
		w0 = n->words[0];
		w1 = n->nwords > 1 ? n->words[1] : NULL;
		if (w0 == NULL)
			continue;
		if (strcmp(w0, "inherit") == 0) {
			continue; /* after (a neighbour's), or ignored */
		} else if (strcmp(w0, "local-as") == 0) {
			if (!parse_asn(w1, &s->local_as))
				conf_error(
				    cf, n, "bad local-as %s", w1 ? w1 : "");
		} else if (strcmp(w0, "peer-as") == 0) {
			if (!parse_asn(w1, &s->peer_as))
				conf_error(
				    cf, n, "bad peer-as %s", w1 ? w1 : "");
		} else if (strcmp(w0, "local-address") == 0 && w1 != NULL) {
			if (strcmp(w1, "auto") != 0 &&
			    !addr_parse(w1, &s->local_addr))
				conf_error(cf, n, "bad local-address %s", w1);
		} else if (strcmp(w0, "capability") == 0 && n->block) {
			for (c = n->child; c != NULL; c = c->next) {
				if (c->nwords < 2)
					continue;
				if (strcmp(c->words[0], "asn4") == 0)
					s->asn4 =
					    strcmp(c->words[1], "disable") != 0;
				if (strcmp(c->words[0], "add-path") == 0) {
					s->addpath_rx = strstr(c->words[1],
					                    "receive") != NULL;
					s->addpath_tx =
					    strstr(c->words[1], "send") != NULL;
				}
			}
		} else if (strcmp(w0, "family") == 0 && n->block) {
			s->family_ipv4 = s->family_ipv6 = false;
			for (c = n->child; c != NULL; c = c->next) {
				if (c->nwords >= 1 &&
				    strcmp(c->words[0], "ipv4") == 0)
					s->family_ipv4 = true;
				if (c->nwords >= 1 &&
				    strcmp(c->words[0], "ipv6") == 0)
					s->family_ipv6 = true;
			}
		}
	}
	for (i = 0; i < ntmpl; i++)
		session_apply(cf, tmpls[i], s, depth + 1);
}

bool
conf_first_session(struct conf_file *cf, struct conf_session *s)
{
	const struct conf_node *n;
	int before = cf->nerrors;

	memset(s, 0, sizeof(*s));
	s->asn4 = true;
	s->family_ipv4 = s->family_ipv6 = true;
	for (n = cf->root; n != NULL; n = n->next) {
		if (!n->block || n->nwords < 2 ||
		    strcmp(n->words[0], "neighbor") != 0)
			continue;
		if (!addr_parse(n->words[1], &s->peer_addr)) {
			conf_error(
			    cf, n, "bad neighbor address %s", n->words[1]);
			return false;
		}
		session_apply(cf, n, s, 0);
		if (s->local_addr.af == 0)
			s->local_addr = s->peer_addr;
		if (s->peer_as == 0)
			s->peer_as = s->local_as;
		return cf->nerrors == before;
	}
	sbuf_printf(&cf->errors, "%s: no neighbor block\n",
	    cf->root != NULL ? cf->root->file : "configuration");
	cf->nerrors++;
	return false;
}
