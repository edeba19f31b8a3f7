/* SPDX-License-Identifier: ISC */
/* lib/trie.h - path-compressed binary trie: prefixes to values, longest match. */

#ifndef VRS_LIB_TRIE_H
#define VRS_LIB_TRIE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/prefix.h"

/*
 * A PATRICIA-style trie per address family.  Every node carries a
 * prefix; nodes without a value are glue where two branches part.  The
 * trie borrows the values: it never frees them.  Lookups cost one node
 * per distinct branching bit, at most 33 (IPv4) or 129 (IPv6).
 */
struct trie_node;

struct trie {
	struct trie_node *root4; /* owned */
	struct trie_node *root6; /* owned */
	size_t count;            /* prefixes with a value */
	size_t nodes;            /* nodes, glue included */
};

typedef void trie_walk_fn(void *arg, const struct prefix *p, void *value);

void trie_init(struct trie *t);
/* Free the nodes (not the values). */
void trie_fini(struct trie *t);
/* Set p's value; returns the value it replaces, NULL if p was new. */
void *trie_add(struct trie *t, const struct prefix *p, void *value);
/* Remove p; returns its value, NULL if p was absent. */
void *trie_del(struct trie *t, const struct prefix *p);
/* The value of exactly p, NULL if absent. */
void *trie_get(const struct trie *t, const struct prefix *p);
/*
 * The value of the longest prefix holding a, NULL if none; when matched
 * is not NULL it receives that prefix.
 */
void *trie_match(
    const struct trie *t, const struct ipaddr *a, struct prefix *matched);
/* Call fn for every prefix with a value, shorter and lower first. */
void trie_walk(const struct trie *t, trie_walk_fn *fn, void *arg);

#endif
