/* SPDX-License-Identifier: ISC */
/* lib/trie.c - path-compressed binary trie for longest-prefix match. */

#include "lib/trie.h"

#include <stdlib.h>
#include <string.h>

#include "lib/xmalloc.h"

struct trie_node {
	struct trie_node *child[2]; /* owned: next bit 0 and 1 */
	struct prefix p;
	bool set;    /* p has a value (false: glue) */
	void *value; /* borrowed */
};

static int
bit(const uint8_t *a, unsigned i)
{
	return (a[i / 8] >> (7 - i % 8)) & 1;
}

/* Number of leading bits a and b share, at most max. */
static unsigned
common(const uint8_t *a, const uint8_t *b, unsigned max)
{
	unsigned i = 0;

	while (i + 8 <= max && a[i / 8] == b[i / 8])
		i += 8;
	while (i < max && bit(a, i) == bit(b, i))
		i++;
	return i;
}

static struct trie_node *
node_new(struct trie *t, uint8_t af, const uint8_t *a, unsigned len)
{
	struct trie_node *n = xcalloc(1, sizeof(*n));

	prefix_set(&n->p, af, a, (uint8_t)len);
	t->nodes++;
	return n;
}

static void
node_free(struct trie_node *n)
{
	if (n == NULL)
		return;
	node_free(n->child[0]);
	node_free(n->child[1]);
	free(n);
}

static struct trie_node **
root(struct trie *t, uint8_t af)
{
	return af == ADDR_V4 ? &t->root4 : &t->root6;
}

void
trie_init(struct trie *t)
{
	memset(t, 0, sizeof(*t));
}

void
trie_fini(struct trie *t)
{
	node_free(t->root4);
	node_free(t->root6);
	memset(t, 0, sizeof(*t));
}

void *
trie_add(struct trie *t, const struct prefix *p, void *value)
{
	struct trie_node **link = root(t, p->af), *n, *m;
	unsigned c;
	void *old;

	for (;;) {
		n = *link;
		if (n == NULL) {
			n = node_new(t, p->af, p->a, p->len);
			n->set = true;
			n->value = value;
			*link = n;
			t->count++;
			return NULL;
		}
		c = common(n->p.a, p->a, n->p.len < p->len ? n->p.len : p->len);
		if (c == n->p.len && c == p->len) {
			old = n->set ? n->value : NULL;
			if (!n->set)
				t->count++;
			n->set = true;
			n->value = value;
			return old;
		}
		if (c == n->p.len) {
			link = &n->child[bit(p->a, c)];
			continue;
		}
		/* n parts from p at bit c: p above n, or a glue node. */
		m = node_new(t, p->af, p->a, c);
		m->child[bit(n->p.a, c)] = n;
		if (c == p->len) {
			m->set = true;
			m->value = value;
		} else {
			m->child[bit(p->a, c)] =
			    node_new(t, p->af, p->a, p->len);
			m->child[bit(p->a, c)]->set = true;
			m->child[bit(p->a, c)]->value = value;
		}
		*link = m;
		t->count++;
		return NULL;
	}
}

/* Drop n (at *link) if it no longer earns its place. */
static void
prune(struct trie *t, struct trie_node **link)
{
	struct trie_node *n = *link;

	if (n == NULL || n->set)
		return;
	if (n->child[0] != NULL && n->child[1] != NULL)
		return;
	*link = n->child[0] != NULL ? n->child[0] : n->child[1];
	free(n);
	t->nodes--;
}

void *
trie_del(struct trie *t, const struct prefix *p)
{
	struct trie_node **link = root(t, p->af), **plink = NULL, *n;
	void *old;

	while ((n = *link) != NULL) {
		if (n->p.len > p->len ||
		    common(n->p.a, p->a, n->p.len) != n->p.len)
			return NULL;
		if (n->p.len == p->len)
			break;
		plink = link;
		link = &n->child[bit(p->a, n->p.len)];
	}
	if (n == NULL || !n->set)
		return NULL;
	old = n->value;
	n->set = false;
	n->value = NULL;
	t->count--;
	prune(t, link);
	if (plink != NULL)
		prune(t, plink);
	return old;
}

void *
trie_get(const struct trie *t, const struct prefix *p)
{
	const struct trie_node *n = p->af == ADDR_V4 ? t->root4 : t->root6;

	while (n != NULL) {
		if (n->p.len > p->len ||
		    common(n->p.a, p->a, n->p.len) != n->p.len)
			return NULL;
		if (n->p.len == p->len)
			return n->set ? n->value : NULL;
		n = n->child[bit(p->a, n->p.len)];
	}
	return NULL;
}

void *
trie_match(const struct trie *t, const struct ipaddr *a, struct prefix *matched)
{
	const struct trie_node *n, *best = NULL;
	unsigned max;

	if (a->af != ADDR_V4 && a->af != ADDR_V6)
		return NULL;
	n = a->af == ADDR_V4 ? t->root4 : t->root6;
	max = (unsigned)addr_maxlen(a->af);
	while (n != NULL) {
		if (common(n->p.a, a->a, n->p.len) != n->p.len)
			break;
		if (n->set)
			best = n;
		if (n->p.len >= max)
			break;
		n = n->child[bit(a->a, n->p.len)];
	}
	if (best == NULL)
		return NULL;
	if (matched != NULL)
		*matched = best->p;
	return best->value;
}

static void
walk(const struct trie_node *n, trie_walk_fn *fn, void *arg)
{
	if (n == NULL)
		return;
	if (n->set)
		fn(arg, &n->p, n->value);
	walk(n->child[0], fn, arg);
	walk(n->child[1], fn, arg);
}

void
trie_walk(const struct trie *t, trie_walk_fn *fn, void *arg)
{
	walk(t->root4, fn, arg);
	walk(t->root6, fn, arg);
}
