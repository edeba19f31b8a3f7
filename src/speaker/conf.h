/* SPDX-License-Identifier: ISC */
/* speaker/conf.h - ExaBGP 4 configuration files: syntax tree and neighbours. */

#ifndef VRS_SPEAKER_CONF_H
#define VRS_SPEAKER_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/arena.h"
#include "lib/prefix.h"
#include "lib/sbuf.h"

/*
 * An ExaBGP configuration is a tree of statements.  A statement is a list
 * of words ended by ';' (a leaf) or followed by a '{ ... }' block.  Words
 * in '[ ]' or '( )' stay separate words, brackets included, so that the
 * interpreter sees exactly what was written; ',' is a word of its own, as
 * in ExaBGP's tokeniser.  '#' starts a comment.
 */
struct conf_node {
	const char *file; /* borrowed: the file's name */
	int line, col;    /* of the first word */
	int nwords;
	char **words;            /* arena, NULL-terminated */
	int *wline, *wcol;       /* arena: position of each word */
	bool block;              /* has a { } body */
	struct conf_node *child; /* arena: first statement of the body */
	struct conf_node *next;  /* arena: next sibling */
	/*
	 * Statements of this block that conf_file.take took, in order
	 * (arena): an item, or NULL for "the next of child"; children after
	 * the last NULL follow the items.
	 */
	void **taken;
	int ntaken, taken_cap;
};

/*
 * A hook that takes a leaf statement `route ...;` of a `static` block as
 * it is read, so that no node is made for it.  stmt and its words are
 * scratch, valid during the call only.  It returns the item the block's
 * taken list is to hold (the same item as the last one: nothing added),
 * or NULL to leave the statement to the tree.
 */
typedef void *(*conf_take_fn)(void *arg, const struct conf_node *blk,
    const struct conf_node *stmt, void *last);

struct conf_file {
	struct arena arena;     /* owns every node and word */
	struct conf_node *root; /* first top-level statement */
	struct sbuf errors;     /* "file:line:col: message\n" lines */
	int nerrors;
	conf_take_fn take; /* NULL: every statement makes a node */
	void *take_arg;
};

/* Parse text (from file name for messages) into cf; false on errors. */
bool conf_parse(struct conf_file *cf, const char *name, const char *text);
/* The same, with statements offered to take (conf_take_fn) first. */
bool conf_parse_take(struct conf_file *cf, const char *name, const char *text,
    conf_take_fn take, void *arg);
/*
 * The same, reading f as it goes (a window of it at a time, so a file of
 * millions of routes is never held whole).
 */
bool conf_parse_file_take(struct conf_file *cf, const char *name, FILE *f,
    conf_take_fn take, void *arg);
/* Read and parse a file. */
bool conf_load(struct conf_file *cf, const char *path);
void conf_free(struct conf_file *cf);
void conf_error(struct conf_file *cf, const struct conf_node *n,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* What --decode needs to know about a session (the first neighbour). */
struct conf_session {
	struct ipaddr peer_addr;
	struct ipaddr local_addr;
	uint32_t local_as;
	uint32_t peer_as;
	bool asn4;       /* capability asn4 (default enable) */
	bool addpath_rx; /* add-path receive or send/receive */
	bool addpath_tx;
	bool family_ipv4, family_ipv6;
};

/*
 * Fill s from the first neighbour of cf (templates it inherits from
 * applied first).  false, with an error recorded, if there is none.
 */
bool conf_first_session(struct conf_file *cf, struct conf_session *s);

#endif
