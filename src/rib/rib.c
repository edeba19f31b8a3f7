/* SPDX-License-Identifier: ISC */
/* rib/rib.c - prefix table, Adj-RIB-In paths, decision process, journal. */

#include "rib/rib.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "lib/xmalloc.h"
#include "rib/rib_int.h"

/* ---- object pools ---- */

static void
pool_init(struct rib_pool *pl, size_t size)
{
	memset(pl, 0, sizeof(*pl));
	pl->size = (size + 7) & ~(size_t)7;
}

static size_t
pool_chunk_bytes(const struct rib_pool *pl)
{
	return pl->size << RIB_POOL_SHIFT;
}

static size_t
pool_side_bytes(const struct rib_pool *pl)
{
	(void)pl;
	return sizeof(uint32_t) << RIB_POOL_SHIFT;
}

static void
pool_fini(struct rib_pool *pl)
{
	size_t i;

	for (i = 0; i < pl->nchunks; i++) {
		arena_huge_free(pl->chunks[i], pool_chunk_bytes(pl));
		if (pl->has_side)
			arena_huge_free(pl->side[i], pool_side_bytes(pl));
	}
	free(pl->chunks);
	free(pl->side);
	memset(pl, 0, sizeof(*pl));
}

static inline void *
pool_at(const struct rib_pool *pl, uint32_t idx)
{
	return pl->chunks[idx >> RIB_POOL_SHIFT] +
	    (size_t)(idx & RIB_POOL_MASK) * pl->size;
}

/*
 * A freed object keeps the next free one in its first word and its own
 * index in the 4 octets after it.
 */
static inline void *
pool_alloc(struct rib_pool *pl, uint32_t *idx)
{
	void *p = pl->free;
	uint32_t i;

	if (p != NULL) {
		memcpy(&pl->free, p, sizeof(void *));
		memcpy(&i, (unsigned char *)p + sizeof(void *), sizeof(i));
		if (idx != NULL)
			*idx = i;
		return p;
	}
	if ((pl->used >> RIB_POOL_SHIFT) == pl->nchunks) {
		if (pl->used >= UINT32_MAX)
			fatalx("rib: object pool full");
		if (pl->nchunks == pl->cap) {
			pl->cap = pl->cap ? pl->cap * 2 : 16;
			pl->chunks = xreallocarray(
			    pl->chunks, pl->cap, sizeof(*pl->chunks));
			if (pl->has_side)
				pl->side = xreallocarray(
				    pl->side, pl->cap, sizeof(*pl->side));
		}
		if (pl->has_side)
			pl->side[pl->nchunks] =
			    arena_huge_alloc(pool_side_bytes(pl));
		pl->chunks[pl->nchunks++] =
		    arena_huge_alloc(pool_chunk_bytes(pl));
	}
	i = (uint32_t)pl->used++;
	if (idx != NULL)
		*idx = i;
	return pool_at(pl, i);
}

/* The side word of object idx. */
static inline uint32_t *
pool_side(const struct rib_pool *pl, uint32_t idx)
{
	return &pl->side[idx >> RIB_POOL_SHIFT][idx & RIB_POOL_MASK];
}

/* Chunks come zeroed from the kernel; reused objects are cleared. */
static void *
pool_zalloc(struct rib_pool *pl, uint32_t *idx)
{
	bool reused = pl->free != NULL;
	void *p = pool_alloc(pl, idx);

	if (reused)
		memset(p, 0, pl->size);
	return p;
}

static void
pool_free(struct rib_pool *pl, void *p, uint32_t idx)
{
	memcpy(p, &pl->free, sizeof(void *));
	memcpy((unsigned char *)p + sizeof(void *), &idx, sizeof(idx));
	pl->free = p;
}

/* Bytes of the chunks touched so far, in whole huge pages. */
static size_t
pool_bytes(const struct rib_pool *pl)
{
	size_t b = pl->used * pl->size;

	b = (b + ARENA_HUGE_PAGE - 1) & ~(size_t)(ARENA_HUGE_PAGE - 1);
	return b + (pl->has_side ? pl->nchunks * pool_side_bytes(pl) : 0);
}

/* Every object ever handed out, freed ones included, in memory order. */
static void
pool_walk(struct rib_pool *pl, void (*fn)(void *arg, void *obj, uint32_t idx),
    void *arg)
{
	size_t c, k, n, idx = 0;
	unsigned char *o;

	for (c = 0; c < pl->nchunks; c++) {
		n = pl->used - idx < (1u << RIB_POOL_SHIFT)
		    ? pl->used - idx
		    : (1u << RIB_POOL_SHIFT);
		for (k = 0, o = pl->chunks[c]; k < n; k++, o += pl->size)
			fn(arg, o, (uint32_t)idx++);
	}
}

static struct rib_pool *
entry_pool(struct rib *rib, uint8_t af)
{
	return af == ADDR_V4 ? &rib->ent4 : &rib->ent6;
}

static size_t
table_bytes(const struct rib *rib)
{
	return (rib->tmask + 1) * sizeof(*rib->tab);
}

/* The journal position of the entry's latest change. */
static inline uint32_t *
ref_seq(const struct rib *rib, uint32_t ref)
{
	return pool_side(ref & 1 ? &rib->ent6 : &rib->ent4, ref >> 1);
}

static inline struct rib_entry *
ref_entry(const struct rib *rib, uint32_t ref)
{
	return pool_at(ref & 1 ? &rib->ent6 : &rib->ent4, ref >> 1);
}

/* The entry of a table slot, NULL if empty. */
static inline struct rib_entry *
slot_entry(const struct rib *rib, uint32_t v)
{
	if (v == 0)
		return NULL;
	return ref_entry(rib, (v & (uint32_t)rib->tmask) - 1);
}

static inline uint32_t
slot_ref(const struct rib *rib, uint32_t v)
{
	return (v & (uint32_t)rib->tmask) - 1;
}

static void table_grow(struct rib *rib);

struct rib *
rib_new(void)
{
	struct rib *rib = xcalloc(1, sizeof(*rib));

	rib_attrs_init(rib);
	pool_init(&rib->ent4, offsetof(struct rib_entry, a) + 4);
	pool_init(&rib->ent6, sizeof(struct rib_entry));
	rib->ent4.has_side = rib->ent6.has_side = true;
	pool_init(&rib->path_pool, sizeof(struct rib_path));
	rib->tbits = 12;
	rib->tmask = (1u << rib->tbits) - 1;
	rib->tab = arena_huge_alloc(table_bytes(rib));
	rib->jcap = 4096;
	rib->jr = xcalloc(rib->jcap, sizeof(*rib->jr));
	return rib;
}

static void
entry_free_paths(struct rib *rib, struct rib_entry *e)
{
	struct rib_path *p, *next;

	for (p = e->paths; p != NULL; p = next) {
		next = p->next;
		attrs_unref(rib, p->attrs);
		pool_free(&rib->path_pool, p, 0);
	}
	e->paths = NULL;
}

void
rib_free(struct rib *rib)
{
	size_t i;

	if (rib == NULL)
		return;
	for (i = 0; i <= rib->tmask; i++)
		if (rib->tab[i] != 0)
			entry_free_paths(rib, slot_entry(rib, rib->tab[i]));
	arena_huge_free(rib->tab, table_bytes(rib));
	free(rib->jr);
	pool_fini(&rib->ent4);
	pool_fini(&rib->ent6);
	pool_fini(&rib->path_pool);
	rib_attrs_fini(rib);
	free(rib);
}

void
rib_stats(const struct rib *rib, struct rib_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->attrs = rib->nattrs;
	st->attrs_bytes = rib->attrs_bytes;
	st->entries = rib->nentries;
	st->entries_bytes = pool_bytes(&rib->ent4) + pool_bytes(&rib->ent6);
	st->paths = rib->npaths;
	st->paths_bytes = pool_bytes(&rib->path_pool);
	st->table_bytes = (rib->tmask + 1) * sizeof(*rib->tab) +
	    (rib->imask + 1) * sizeof(*rib->itab);
	st->journal_bytes = rib->jcap * sizeof(*rib->jr);
}

/* ---- peers ---- */

struct rib_peer *
rib_peer(struct rib *rib, uint16_t id)
{
	if (id == 0 || id >= RIB_PEERS_MAX || !rib->peers[id].used)
		return NULL;
	return &rib->peers[id];
}

uint16_t
rib_peer_add(struct rib *rib)
{
	uint16_t id;
	unsigned s;

	for (id = 1; id < RIB_PEERS_MAX; id++)
		if (!rib->peers[id].used)
			break;
	if (id == RIB_PEERS_MAX)
		return 0;
	memset(&rib->peers[id], 0, sizeof(rib->peers[id]));
	rib->peers[id].used = true;
	rib->peers[id].slot = RIB_ADV_SLOTS;
	for (s = 0; s < RIB_ADV_SLOTS; s++)
		if (!(rib->slots_used & (1ull << s))) {
			rib->slots_used |= 1ull << s;
			rib->peers[id].slot = (uint8_t)s;
			break;
		}
	rib->peers[id].cursor = rib->jbase + rib->jlen;
	if (id >= rib->peer_hi)
		rib->peer_hi = id + 1u;
	return id;
}

/* Removal of a peer's paths, and its export state, live further down. */

/* ---- prefix table ---- */

static uint64_t
key_hash(uint8_t af, uint8_t len, const uint8_t *a)
{
	uint64_t w;

	if (af == ADDR_V4) {
		w = ((uint64_t)a[0] << 24) | ((uint64_t)a[1] << 16) |
		    ((uint64_t)a[2] << 8) | a[3];
		return hash_mix(w << 8 | len, 0x9e37);
	}
	return hash_mix(hash_bytes(a, 16, len), af);
}

static bool
key_equal(const struct rib_entry *e, uint8_t af, uint8_t len, const uint8_t *a)
{
	return e->af == af && e->len == len &&
	    memcmp(e->a, a, af == ADDR_V4 ? 4 : 16) == 0;
}

/* The hash bits a slot keeps: the top 32 - tbits. */
static inline uint32_t
slot_tag(const struct rib *rib, uint64_t h)
{
	return (uint32_t)(h >> 32 >> rib->tbits);
}

static inline uint32_t
slot_make(const struct rib *rib, uint32_t ref, uint64_t h)
{
	return (slot_tag(rib, h) << rib->tbits) | (ref + 1);
}

static inline bool
slot_tag_match(const struct rib *rib, uint32_t slot, uint64_t h)
{
	return (slot >> rib->tbits) == slot_tag(rib, h);
}

static size_t
table_slot_h(const struct rib *rib, uint64_t h, uint8_t af, uint8_t len,
    const uint8_t *a)
{
	size_t i = h & rib->tmask;
	uint32_t v;

	while ((v = rib->tab[i]) != 0 &&
	    (!slot_tag_match(rib, v, h) ||
	        !key_equal(slot_entry(rib, v), af, len, a)))
		i = (i + 1) & rib->tmask;
	return i;
}

static size_t
table_slot(const struct rib *rib, uint8_t af, uint8_t len, const uint8_t *a)
{
	return table_slot_h(rib, key_hash(af, len, a), af, len, a);
}

void
rib_prefetch(const struct rib *rib, const struct prefix *p)
{
	__builtin_prefetch(
	    &rib->tab[key_hash(p->af, p->len, p->a) & rib->tmask], 1, 1);
}

struct rib_entry *
rib_lookup(struct rib *rib, const struct prefix *p)
{
	return slot_entry(rib, rib->tab[table_slot(rib, p->af, p->len, p->a)]);
}

/* The entry of p, made if there is none; *ref is its reference. */
static struct rib_entry *
entry_get(struct rib *rib, const struct prefix *p, uint32_t *ref)
{
	uint64_t h = key_hash(p->af, p->len, p->a);
	size_t i = table_slot_h(rib, h, p->af, p->len, p->a);
	struct rib_entry *e;
	uint32_t idx;

	if (rib->tab[i] != 0) {
		*ref = slot_ref(rib, rib->tab[i]);
		return slot_entry(rib, rib->tab[i]);
	}
	/* grow first: the new entry's reference must fit the table */
	if ((rib->nentries + 1) * 2 > rib->tmask) {
		table_grow(rib);
		i = table_slot_h(rib, h, p->af, p->len, p->a);
	}
	e = pool_zalloc(entry_pool(rib, p->af), &idx);
	e->af = p->af;
	e->len = p->len;
	memcpy(e->a, p->a, p->af == ADDR_V4 ? 4 : 16);
	*ref = idx * 2 + (p->af == ADDR_V4 ? 0 : 1);
	*ref_seq(rib, *ref) = UINT32_MAX;
	rib->tab[i] = slot_make(rib, *ref, h);
	rib->nentries++;
	return e;
}

struct grow_arg {
	struct rib *rib;
	uint32_t v6;
};

static void
grow_one(void *arg, void *obj, uint32_t idx)
{
	struct grow_arg *g = arg;
	struct rib *rib = g->rib;
	struct rib_entry *e = obj;
	uint64_t h;
	size_t j;

	if (e->af == 0)
		return; /* freed */
	h = key_hash(e->af, e->len, e->a);
	for (j = h & rib->tmask; rib->tab[j] != 0; j = (j + 1) & rib->tmask)
		;
	rib->tab[j] = slot_make(rib, idx * 2 + g->v6, h);
}

/*
 * Double the table.  Entries are re-inserted in the order they lie in
 * their pools, so reading them to hash their keys goes through memory in
 * order instead of jumping to every entry from the old table.
 */
static void
table_grow(struct rib *rib)
{
	struct grow_arg g = { rib, 0 };
	unsigned id;

	if (rib->tbits >= 31)
		fatalx("rib: prefix table full");
	arena_huge_free(rib->tab, table_bytes(rib));
	rib->tbits++;
	rib->tmask = rib->tmask * 2 + 1;
	rib->tab = arena_huge_alloc(table_bytes(rib));
	pool_walk(&rib->ent4, grow_one, &g);
	g.v6 = 1;
	pool_walk(&rib->ent6, grow_one, &g);
	/* slot order changed: a peer in the middle of a full export restarts */
	for (id = 0; id < rib->peer_hi; id++)
		if (rib->walk[id].active)
			rib->walk[id].pos = 0;
}

/* Remove entry at slot i (backward-shift deletion keeps probes intact). */
static void
table_del(struct rib *rib, size_t i)
{
	size_t j = i, k;
	struct rib_entry *e;

	e = slot_entry(rib, rib->tab[i]);
	pool_free(entry_pool(rib, e->af), e, slot_ref(rib, rib->tab[i]) >> 1);
	e->af = 0; /* freed: table_grow skips it */
	rib->tab[i] = 0;
	rib->nentries--;
	for (;;) {
		j = (j + 1) & rib->tmask;
		if ((e = slot_entry(rib, rib->tab[j])) == NULL)
			return;
		k = key_hash(e->af, e->len, e->a) & rib->tmask;
		/* move j back to i unless its home k lies in (i, j] */
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		rib->tab[i] = rib->tab[j];
		rib->tab[j] = 0;
		i = j;
	}
}

void
rib_walk(struct rib *rib, bool (*fn)(void *arg, struct rib_entry *e), void *arg)
{
	size_t i;

	for (i = 0; i <= rib->tmask; i++)
		if (rib->tab[i] != 0 && !fn(arg, slot_entry(rib, rib->tab[i])))
			return;
}

size_t
rib_count(const struct rib *rib)
{
	return rib->nentries;
}

void
rib_entry_prefix(const struct rib_entry *e, struct prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->af = e->af;
	p->len = e->len;
	memcpy(p->a, e->a, e->af == ADDR_V4 ? 4 : 16);
}

/* ---- decision process ---- */

static uint32_t
path_localpref(const struct rib_path *p)
{
	/* RFC 4271 9.1.1: eBGP routes get the local default, 100 */
	return (p->attrs->flags & ATTRS_LOCAL_PREF) ? p->attrs->localpref : 100;
}

/* Steps of RFC 4271 9.1.2.2 that make paths equal for multipath. */
static int
cmp_multipath(
    struct rib *rib, const struct rib_path *x, const struct rib_path *y)
{
	const struct attrs *a = x->attrs, *b = y->attrs;
	bool ex = rib->peers[x->peer].ebgp, ey = rib->peers[y->peer].ebgp;
	uint32_t lx = path_localpref(x), ly = path_localpref(y);

	if (lx != ly)
		return lx > ly ? -1 : 1;
	if (a->pathlen != b->pathlen)
		return a->pathlen < b->pathlen ? -1 : 1;
	if (a->origin != b->origin)
		return a->origin < b->origin ? -1 : 1;
	/* c: MED only between routes from the same neighbouring AS */
	if (a->first_as == b->first_as && a->med != b->med)
		return a->med < b->med ? -1 : 1;
	if (ex != ey)
		return ex ? -1 : 1;
	return 0;
}

int
rib_path_cmp(
    struct rib *rib, const struct rib_path *x, const struct rib_path *y)
{
	const struct rib_peer *px = &rib->peers[x->peer],
	                      *py = &rib->peers[y->peer];
	uint32_t ix, iy;
	int c;

	if ((c = cmp_multipath(rib, x, y)) != 0)
		return c;
	/* f: lowest BGP identifier (ORIGINATOR_ID when reflected) */
	ix = x->attrs->originator ? x->attrs->originator : px->router_id;
	iy = y->attrs->originator ? y->attrs->originator : py->router_id;
	if (ix != iy)
		return ix < iy ? -1 : 1;
	if (x->attrs->clusterlen != y->attrs->clusterlen)
		return x->attrs->clusterlen < y->attrs->clusterlen ? -1 : 1;
	/* g: lowest peer address */
	if ((c = addr_cmp(&px->addr, &py->addr)) != 0)
		return c;
	if (x->path_id != y->path_id)
		return x->path_id < y->path_id ? -1 : 1;
	return 0;
}

/* Mark the paths equal to the best for multipath; returns how many. */
static unsigned
mark_ecmp(struct rib *rib, struct rib_entry *e)
{
	struct rib_path *p;
	unsigned n = 0;

	for (p = e->paths; p != NULL; p = p->next) {
		p->flags &= (uint8_t)~RIB_PATH_ECMP;
		if (cmp_multipath(rib, p, e->paths) == 0) {
			p->flags |= RIB_PATH_ECMP;
			n++;
		}
	}
	return n;
}

static void
journal_add(struct rib *rib, uint32_t ref)
{
	if (rib->jlen == rib->jcap) {
		rib->jcap *= 2;
		rib->jr = xreallocarray(rib->jr, rib->jcap, sizeof(*rib->jr));
	}
	*ref_seq(rib, ref) = (uint32_t)(rib->jbase + rib->jlen);
	rib->jr[rib->jlen++] = (struct journal_rec){ ref };
}

/* Unlink the path of (peer, path_id); returned to the caller. */
static struct rib_path *
path_unlink(struct rib_entry *e, uint16_t peer, uint32_t path_id)
{
	struct rib_path **pp, *p;

	for (pp = &e->paths; (p = *pp) != NULL; pp = &p->next)
		if (p->peer == peer && p->path_id == path_id) {
			*pp = p->next;
			p->next = NULL;
			return p;
		}
	return NULL;
}

static void
path_insert(struct rib *rib, struct rib_entry *e, struct rib_path *n)
{
	struct rib_path **pp;

	for (pp = &e->paths; *pp != NULL; pp = &(*pp)->next)
		if (rib_path_cmp(rib, n, *pp) < 0)
			break;
	n->next = *pp;
	*pp = n;
}

/* Did the change of path p alter what is exported? */
static bool
best_changed(struct rib *rib, struct rib_entry *e, const struct rib_path *ob,
    const struct attrs *oba, unsigned oecmp, bool touched_ecmp)
{
	unsigned necmp = e->paths ? mark_ecmp(rib, e) : 0;

	if (e->paths != ob || (ob != NULL && ob->attrs != oba))
		return true;
	return necmp != oecmp || touched_ecmp;
}

static unsigned
count_ecmp(const struct rib_entry *e)
{
	const struct rib_path *p;
	unsigned n = 0;

	for (p = e->paths; p != NULL; p = p->next)
		if (p->flags & RIB_PATH_ECMP)
			n++;
	return n;
}

bool
rib_update(struct rib *rib, const struct prefix *p, uint16_t peer,
    uint32_t path_id, struct attrs *a)
{
	uint32_t ref;
	struct rib_entry *e = entry_get(rib, p, &ref);
	struct rib_path *ob = e->paths, *n;
	const struct attrs *oba;
	unsigned oecmp;
	bool was_ecmp = false, changed;

	if (ob == NULL) {
		/* the first path: the best, and equal to itself for ECMP */
		n = pool_alloc(&rib->path_pool, NULL);
		rib->npaths++;
		rib->peers[peer].nprefixes++;
		n->next = NULL;
		n->attrs = attrs_ref(a);
		n->path_id = path_id;
		n->peer = peer;
		n->flags = RIB_PATH_ECMP;
		e->paths = n;
		journal_add(rib, ref);
		return true;
	}
	oba = ob->attrs;
	oecmp = count_ecmp(e);
	n = path_unlink(e, peer, path_id);
	if (n != NULL) {
		was_ecmp = (n->flags & RIB_PATH_ECMP) != 0;
		if (n->attrs == a) {
			/* the same route again: it goes back where it was */
			n->flags &= (uint8_t)~RIB_PATH_STALE;
			path_insert(rib, e, n);
			return false;
		}
		attrs_unref(rib, n->attrs);
	} else {
		n = pool_alloc(&rib->path_pool, NULL);
		rib->npaths++;
		rib->peers[peer].nprefixes++;
	}
	n->attrs = attrs_ref(a);
	n->peer = peer;
	n->path_id = path_id;
	n->flags = 0;
	path_insert(rib, e, n);
	changed = best_changed(
	    rib, e, ob, oba, oecmp, was_ecmp || (n->flags & RIB_PATH_ECMP));
	if (changed)
		journal_add(rib, ref);
	return changed;
}

bool
rib_withdraw(
    struct rib *rib, const struct prefix *p, uint16_t peer, uint32_t path_id)
{
	uint32_t v = rib->tab[table_slot(rib, p->af, p->len, p->a)];
	struct rib_entry *e = slot_entry(rib, v);
	uint32_t ref = slot_ref(rib, v);
	struct rib_path *ob, *n;
	const struct attrs *oba;
	unsigned oecmp;
	bool changed;

	if (e == NULL)
		return false;
	ob = e->paths;
	oba = ob ? ob->attrs : NULL;
	oecmp = count_ecmp(e);
	if ((n = path_unlink(e, peer, path_id)) == NULL)
		return false;
	changed = best_changed(
	    rib, e, ob, oba, oecmp, (n->flags & RIB_PATH_ECMP) != 0);
	attrs_unref(rib, n->attrs);
	pool_free(&rib->path_pool, n, 0);
	rib->npaths--;
	rib->peers[peer].nprefixes--;
	if (changed)
		journal_add(rib, ref);
	return changed;
}

/*
 * One walk over the table does what a peer's session events need to its
 * paths: remove them all, mark them stale (graceful restart), or remove
 * the stale ones; it also clears the peer's bit in each entry's
 * advertised set when asked.  Entries whose best path changes get a
 * journal record.
 */
enum peer_op { PEER_REMOVE, PEER_MARK_STALE, PEER_SWEEP_STALE };

struct peer_walk {
	struct rib *rib;
	uint16_t peer;
	uint8_t af; /* ADDR_V4 / ADDR_V6; 0: both */
	enum peer_op op;
	uint64_t clear; /* adv bits to clear in every entry */
	size_t n;       /* paths removed or marked */
	uint32_t ref;   /* of the entry at hand */
};

static bool
peer_walk_one(void *arg, struct rib_entry *e)
{
	struct peer_walk *w = arg;
	struct rib_path **pp, *p, *ob = e->paths;
	const struct attrs *oba = ob ? ob->attrs : NULL;
	unsigned oecmp = count_ecmp(e);
	bool touched = false;

	e->adv &= ~w->clear;
	if (w->af != 0 && e->af != w->af)
		return true;
	for (pp = &e->paths; (p = *pp) != NULL;) {
		if (p->peer != w->peer) {
			pp = &p->next;
			continue;
		}
		if (w->op == PEER_MARK_STALE) {
			p->flags |= RIB_PATH_STALE;
			w->n++;
			pp = &p->next;
			continue;
		}
		if (w->op == PEER_SWEEP_STALE && !(p->flags & RIB_PATH_STALE)) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		touched |= (p->flags & RIB_PATH_ECMP) != 0;
		attrs_unref(w->rib, p->attrs);
		pool_free(&w->rib->path_pool, p, 0);
		w->rib->npaths--;
		w->rib->peers[w->peer].nprefixes--;
		w->n++;
	}
	if (w->op != PEER_MARK_STALE &&
	    best_changed(w->rib, e, ob, oba, oecmp, touched))
		journal_add(w->rib, w->ref);
	return true;
}

static void
adv_clear_one(void *arg, void *obj, uint32_t idx)
{
	struct rib_entry *e = obj;

	(void)idx;
	if (e->af != 0) /* not freed */
		e->adv &= ~*(const uint64_t *)arg;
}

static size_t
peer_walk(
    struct rib *rib, uint16_t peer, uint8_t af, enum peer_op op, bool clear_adv)
{
	const struct rib_peer *p = &rib->peers[peer];
	struct peer_walk w = { rib, peer, af, op, 0, 0, 0 };
	size_t i;

	if (clear_adv && p->slot < RIB_ADV_SLOTS)
		w.clear = 1ull << p->slot;
	if (w.clear == 0 && p->nprefixes == 0)
		return 0;
	if (p->nprefixes == 0) {
		/* no path changes: the bit goes, in memory order */
		pool_walk(&rib->ent4, adv_clear_one, &w.clear);
		pool_walk(&rib->ent6, adv_clear_one, &w.clear);
		return 0;
	}
	for (i = 0; i <= rib->tmask; i++)
		if (rib->tab[i] != 0) {
			w.ref = slot_ref(rib, rib->tab[i]);
			peer_walk_one(&w, ref_entry(rib, w.ref));
		}
	return w.n;
}

/* The peer hears nothing until its next full export. */
static void
peer_export_stop(struct rib *rib, uint16_t peer)
{
	rib->peers[peer].up = false;
	rib->walk[peer].active = false;
	rib->peers[peer].cursor = rib->jbase + rib->jlen;
}

size_t
rib_flush_peer(struct rib *rib, uint16_t peer)
{
	return peer_walk(rib, peer, 0, PEER_REMOVE, false);
}

size_t
rib_peer_down(struct rib *rib, uint16_t peer)
{
	size_t n;

	if (rib_peer(rib, peer) == NULL)
		return 0;
	n = peer_walk(rib, peer, 0, PEER_REMOVE, true);
	peer_export_stop(rib, peer);
	return n;
}

size_t
rib_peer_stale(struct rib *rib, uint16_t peer, uint8_t af)
{
	size_t n;

	if (rib_peer(rib, peer) == NULL)
		return 0;
	n = peer_walk(rib, peer, af, PEER_MARK_STALE, true);
	peer_export_stop(rib, peer);
	return n;
}

size_t
rib_sweep_stale(struct rib *rib, uint16_t peer, uint8_t af)
{
	if (rib_peer(rib, peer) == NULL)
		return 0;
	return peer_walk(rib, peer, af, PEER_SWEEP_STALE, false);
}

void
rib_peer_del(struct rib *rib, uint16_t id)
{
	struct rib_peer *p = rib_peer(rib, id);

	if (p == NULL)
		return;
	peer_walk(rib, id, 0, PEER_REMOVE, true);
	if (p->slot < RIB_ADV_SLOTS)
		rib->slots_used &= ~(1ull << p->slot);
	memset(p, 0, sizeof(*p));
	rib->walk[id].active = false;
}

/* ---- export ---- */

struct attrs *
rib_export(struct rib *rib, const struct rib_entry *e, uint16_t to)
{
	const struct rib_peer *p = &rib->peers[to];

	if (e->paths == NULL)
		return NULL;
	if (p->export != NULL)
		return p->export(p->export_arg, rib, e, to);
	/* transparent (RFC 7947): best path, never back to its source */
	if (e->paths->peer == to)
		return NULL;
	return attrs_ref(e->paths->attrs);
}

void
rib_peer_refresh(struct rib *rib, uint16_t peer)
{
	rib->walk[peer].active = true;
	rib->walk[peer].pos = 0;
	rib->peers[peer].cursor = rib->jbase + rib->jlen;
}

size_t
rib_journal_take(
    struct rib *rib, uint16_t peer, struct rib_entry **out, size_t max)
{
	struct rib_walk_state *w = &rib->walk[peer];
	struct rib_peer *p = &rib->peers[peer];
	struct journal_rec *r;
	struct rib_entry *e;
	size_t n = 0;

	while (w->active && n < max) {
		if (w->pos > rib->tmask) {
			w->active = false;
			break;
		}
		e = slot_entry(rib, rib->tab[w->pos]);
		/* non-empty entries, and empty ones the peer still holds */
		if (e != NULL &&
		    (e->paths != NULL || p->slot >= RIB_ADV_SLOTS ||
		        (e->adv & (1ull << p->slot))))
			out[n++] = e;
		w->pos++;
	}
	if (p->cursor < rib->jbase)
		p->cursor = rib->jbase;
	while (n < max && p->cursor < rib->jbase + rib->jlen) {
		r = &rib->jr[p->cursor - rib->jbase];
		if (*ref_seq(rib, r->ref) == (uint32_t)p->cursor)
			out[n++] = ref_entry(rib, r->ref);
		p->cursor++;
	}
	return n;
}

static size_t
peer_cursor(const struct rib *rib, uint16_t peer)
{
	size_t c = rib->peers[peer].cursor;

	return c < rib->jbase ? rib->jbase : c;
}

bool
rib_journal_same(const struct rib *rib, uint16_t a, uint16_t b)
{
	const struct rib_peer *pa = &rib->peers[a], *pb = &rib->peers[b];
	const struct rib_walk_state *wa = &rib->walk[a], *wb = &rib->walk[b];

	if (!pa->used || !pb->used || pa->export != NULL ||
	    pb->export != NULL || pa->nprefixes != 0 || pb->nprefixes != 0)
		return false;
	/* a full walk also yields what the peer itself still holds */
	if (wa->active || wb->active)
		return false;
	return peer_cursor(rib, a) == peer_cursor(rib, b);
}

void
rib_journal_follow(struct rib *rib, uint16_t to, uint16_t from)
{
	rib->peers[to].cursor = rib->peers[from].cursor;
}

size_t
rib_journal_pending(const struct rib *rib, uint16_t peer)
{
	const struct rib_peer *p = &rib->peers[peer];
	size_t end = rib->jbase + rib->jlen;

	return (rib->walk[peer].active ? 1 : 0) +
	    (p->cursor < end ? end - p->cursor : 0);
}

void
rib_journal_trim(struct rib *rib)
{
	size_t min = rib->jbase + rib->jlen, i, drop, slot;
	struct journal_rec *r;
	struct rib_entry *e;
	unsigned id;
	bool walking = false;

	for (id = 1; id < rib->peer_hi; id++) {
		if (!rib->peers[id].used || !rib->peers[id].up)
			continue;
		if (rib->peers[id].cursor < min)
			min = rib->peers[id].cursor;
		walking |= rib->walk[id].active;
	}
	if (min <= rib->jbase)
		return;
	drop = min - rib->jbase;
	for (i = 0; i < drop; i++) {
		r = &rib->jr[i];
		/* an empty entry whose last change everyone has seen goes */
		if (walking ||
		    *ref_seq(rib, r->ref) != (uint32_t)(rib->jbase + i))
			continue;
		e = ref_entry(rib, r->ref);
		if (e->paths == NULL && e->adv == 0) {
			slot = table_slot(rib, e->af, e->len, e->a);
			table_del(rib, slot);
		}
	}
	memmove(rib->jr, rib->jr + drop, (rib->jlen - drop) * sizeof(*rib->jr));
	rib->jlen -= drop;
	rib->jbase += drop;
	/* give memory back after a burst */
	if (rib->jcap > 4096 && rib->jlen < rib->jcap / 8) {
		rib->jcap /= 4;
		rib->jr = xreallocarray(rib->jr, rib->jcap, sizeof(*rib->jr));
	}
}
