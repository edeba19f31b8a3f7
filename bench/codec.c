/* SPDX-License-Identifier: ISC */
/* bench/codec.c - how fast the wire codec decodes and encodes a full IPv4 table. */

/*
 * DOC: bench-codec
 *
 * Builds in memory the stream of UPDATE messages a peer would send for N
 * distinct IPv4 /24s (1.0.0.0/24 upwards), per_update prefixes per
 * UPDATE and one attribute set per UPDATE: ORIGIN, an AS_SEQUENCE of 2-4
 * ASes starting with the peer's, NEXT_HOP and 1-3 COMMUNITIES, all
 * varying per set.  The stream is written here byte by byte with
 * lib/wbuf.h, not with the codec, so it is an independent reference.
 * Then, single thread, R rounds of:
 *
 *   memcpy   copy the stream once: the physical limit
 *   decode   bgp_msg_frame, bgp_update_split, bgp_update_decode (full
 *            RFC 7606 checks, eBGP, 4-octet AS, first-AS check) and
 *            bgp_nlri_next over every prefix, summed into a checksum
 *   encode   from attribute sets and prefix lists decoded beforehand:
 *            bgp_nlri_encode into a scratch buffer, bgp_update_encode
 *            into one big buffer, which must equal the stream byte for
 *            byte
 *
 * Each result is checked after its timed region; any mismatch is fatal.
 */

#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bgp/update.h"
#include "lib/log.h"
#include "lib/xmalloc.h"

#ifndef BENCH_BUILD
#define BENCH_BUILD "unknown"
#endif

#define BENCH_PEER_AS  65001u      /* first AS of every path, eBGP peer */
#define BENCH_MID_AS   64512u      /* transit ASes: 64512 + (g * k) % 1000 */
#define BENCH_AS_BASE  4200000000u /* origin AS of set g: base + g */
#define BENCH_NEXT_HOP 0xcb007101u /* 203.0.113.1 (TEST-NET-3) */
#define BENCH_PLEN     24
#define BENCH_PATH_MAX 4
#define BENCH_COMM_MAX 3
#define BENCH_SET_MAX  4 /* attributes per set */

/*
 * Worst-case attribute bytes of a set: ORIGIN 3 + 1, AS_PATH 3 + 2 +
 * 4 * 4, NEXT_HOP 3 + 4, COMMUNITIES 3 + 4 * 3.
 */
#define BENCH_ATTRS_MAX (4 + 21 + 7 + 15)
/* /24s from 1.0.0.0 up to 223.255.255.0 */
#define BENCH_PFX_MAX (223ull << 16)
#define BENCH_PER_UPDATE_MAX \
	((BGP_MAX_LEN - BGP_UPDATE_MIN_LEN - BENCH_ATTRS_MAX) / 4)
#define BENCH_REPEAT_MAX 1000

/* What decode + validate must reach on one core. */
#define BENCH_TARGET_PPS    20e6
#define BENCH_TARGET_RATIO  10.0
#define BENCH_CHECKSUM_MULT 0x9e3779b97f4a7c15ull

/*
 * One UPDATE's worth of encoder input: the typed fields the encoders of
 * bgp_update_encode() read, copied out of the decoded struct bgp_pattrs
 * (which is 6 KB, mostly list[]; 100 000 of them would not fit in any
 * cache), plus where its prefixes are in bench.nlri[].
 */
struct bench_set {
	uint64_t has[4];
	uint8_t origin;
	uint8_t nexthop[4];
	uint8_t nlist;
	struct bgp_aspath aspath;                /* borrowed: bench.stream */
	struct rbuf communities;                 /* borrowed: bench.stream */
	struct bgp_attr_raw list[BENCH_SET_MAX]; /* borrowed: bench.stream */
	uint32_t first;                          /* index in bench.nlri[] */
	uint32_t count;
};

struct bench {
	uint64_t nprefix;
	unsigned per_update;
	unsigned repeat;
	bool json;
	struct bgp_ctx ctx;

	uint8_t *stream; /* owned: the reference UPDATE stream */
	size_t stream_len;
	uint64_t nupdate;
	uint64_t checksum; /* what decode_run() must find */

	struct bench_set *sets; /* owned: nupdate, for encode_run() */
	struct bgp_nlri *nlri;  /* owned: nprefix, for encode_run() */
	uint8_t *out; /* owned: stream_len, encode and memcpy output */
};

/* R timings of one operation and what they amount to. */
struct bench_stat {
	const char *name;
	double *t; /* owned: repeat seconds */
	double best;
	double median;
};

static void usage(FILE *f);
static bool opt_num(
    const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *v);
static unsigned set_path(uint64_t g, uint32_t *path);
static unsigned set_communities(uint64_t g, uint32_t *comm);
static uint64_t checksum_prefix(const uint8_t *a, uint8_t len);
static void stream_put_update(
    struct bench *b, struct wbuf *w, uint64_t g, uint64_t first, unsigned n);
static void stream_build(struct bench *b);
static void decode_fail(const struct bench *b, const char *what, uint64_t msg,
    const uint8_t *at, const struct bgp_err *err);
static uint64_t decode_run(const struct bench *b);
static void encode_prepare(struct bench *b);
static size_t encode_run(const struct bench *b);
static void copy_run(const struct bench *b);
static size_t first_diff(const uint8_t *a, const uint8_t *b, size_t n);
static double now(void);
static int time_cmp(const void *a, const void *b);
static void stat_finish(struct bench_stat *s, unsigned n);
static double rate(double n, double t);
static long peak_rss_kib(void);
static void report_table(const struct bench *b, const struct bench_stat *st,
    size_t nst, size_t input_bytes);
static void report_json(const struct bench *b, const struct bench_stat *st,
    size_t nst, size_t input_bytes);

static const struct option bench_opts[] = {
	{ "prefixes", required_argument, NULL, 'n' },
	{ "per-update", required_argument, NULL, 'u' },
	{ "repeat", required_argument, NULL, 'r' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int
main(int argc, char **argv)
{
	struct bench b = { .nprefix = 1000000, .per_update = 10, .repeat = 5 };
	struct bench_stat st[3] = { { .name = "decode" }, { .name = "encode" },
		{ .name = "memcpy" } };
	size_t input_bytes, len;
	uint64_t v, sum;
	unsigned r, i;
	double t0;
	int c;

	log_init("bench-codec", LOG_LVL_WARN);
	opterr = 0; /* our own messages, without the path of argv[0] */
	while ((c = getopt_long(argc, argv, ":h", bench_opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!opt_num(
			        "--prefixes", optarg, 1, BENCH_PFX_MAX, &v))
				return 1;
			b.nprefix = v;
			break;
		case 'u':
			if (!opt_num("--per-update", optarg, 1,
			        BENCH_PER_UPDATE_MAX, &v))
				return 1;
			b.per_update = (unsigned)v;
			break;
		case 'r':
			if (!opt_num(
			        "--repeat", optarg, 1, BENCH_REPEAT_MAX, &v))
				return 1;
			b.repeat = (unsigned)v;
			break;
		case 'j':
			b.json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			fprintf(stderr,
			    "bench-codec: option '%s' needs a value\n",
			    argv[optind - 1]);
			return 1;
		default:
			fprintf(stderr,
			    "bench-codec: bad option '%s' (see --help)\n",
			    argv[optind - 1]);
			return 1;
		}
	}
	if (optind != argc) {
		fprintf(stderr,
		    "bench-codec: unexpected argument '%s' "
		    "(see --help)\n",
		    argv[optind]);
		return 1;
	}

	/* an eBGP session with a 4-octet AS speaker, as vrsd has them */
	b.ctx.as4 = true;
	b.ctx.ebgp = true;
	b.ctx.peer_as = BENCH_PEER_AS;

	stream_build(&b);
	encode_prepare(&b);
	input_bytes = b.nupdate * sizeof(*b.sets) + b.nprefix * sizeof(*b.nlri);
	b.out = xmalloc(b.stream_len);
	memset(b.out, 0, b.stream_len); /* fault the pages in, untimed */
	for (i = 0; i < 3; i++)
		st[i].t = xcalloc(b.repeat, sizeof(double));

	/* interleaved rounds, so a slow spell of the machine hits all three */
	for (r = 0; r < b.repeat; r++) {
		t0 = now();
		sum = decode_run(&b);
		st[0].t[r] = now() - t0;
		if (sum != b.checksum)
			fatalx("decode: checksum %016" PRIx64 ", expected "
			       "%016" PRIx64,
			    sum, b.checksum);

		memset(b.out, 0, b.stream_len);
		t0 = now();
		len = encode_run(&b);
		st[1].t[r] = now() - t0;
		if (len != b.stream_len ||
		    memcmp(b.out, b.stream, b.stream_len) != 0)
			fatalx("encode: output differs from the reference "
			       "stream at byte %zu (%zu bytes, expected %zu)",
			    first_diff(b.out, b.stream,
			        len < b.stream_len ? len : b.stream_len),
			    len, b.stream_len);

		memset(b.out, 0, b.stream_len);
		t0 = now();
		copy_run(&b);
		st[2].t[r] = now() - t0;
		if (memcmp(b.out, b.stream, b.stream_len) != 0)
			fatalx("memcpy: output differs from the stream");
	}
	for (i = 0; i < 3; i++)
		stat_finish(&st[i], b.repeat);

	if (b.json)
		report_json(&b, st, 3, input_bytes);
	else
		report_table(&b, st, 3, input_bytes);

	for (i = 0; i < 3; i++)
		free(st[i].t);
	free(b.out);
	free(b.nlri);
	free(b.sets);
	free(b.stream);
	return 0;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: bench-codec [--prefixes N] [--per-update N] [--repeat R] "
	    "[--json]\n"
	    "\n"
	    "Decode, validate and re-encode an in-memory stream of UPDATEs "
	    "carrying N\n"
	    "distinct IPv4 /24s, and compare with memcpy of the same bytes.  "
	    "One thread,\n"
	    "CLOCK_MONOTONIC, best and median of R rounds.\n"
	    "\n"
	    "  --prefixes N    distinct /24 prefixes (default 1000000, "
	    "1-%llu)\n"
	    "  --per-update N  prefixes per UPDATE, each UPDATE its own "
	    "attribute set\n"
	    "                  (default 10, 1-%d)\n"
	    "  --repeat R      rounds (default 5, 1-%d)\n"
	    "  --json          one JSON line instead of the table\n"
	    "  -h, --help      this text\n",
	    BENCH_PFX_MAX, BENCH_PER_UPDATE_MAX, BENCH_REPEAT_MAX);
}

/* Parse a decimal option value in [min, max]; false (reported) if not. */
static bool
opt_num(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9') {
		fprintf(
		    stderr, "bench-codec: %s: '%s' is not a number\n", opt, s);
		return false;
	}
	n = strtoull(s, &end, 10);
	if (*end != '\0') {
		fprintf(
		    stderr, "bench-codec: %s: '%s' is not a number\n", opt, s);
		return false;
	}
	if (n < min || n > max) {
		fprintf(stderr,
		    "bench-codec: %s: %s out of range (%" PRIu64 "-%" PRIu64
		    ")\n",
		    opt, s, min, max);
		return false;
	}
	*v = n;
	return true;
}

/*
 * The AS_PATH of set g: the peer, 0-2 transit ASes, then an origin AS
 * of its own, so every set differs.  Returns the number of ASes.
 */
static unsigned
set_path(uint64_t g, uint32_t *path)
{
	unsigned n = 0, k, len = 2 + (unsigned)(g % 3);

	path[n++] = BENCH_PEER_AS;
	for (k = 1; k + 1 < len; k++)
		path[n++] = BENCH_MID_AS + (uint32_t)((g * (k + 6)) % 1000);
	path[n++] = BENCH_AS_BASE + (uint32_t)g;
	return n;
}

/* The COMMUNITIES of set g: 1-3 of them, (65001 + k):(g + k). */
static unsigned
set_communities(uint64_t g, uint32_t *comm)
{
	unsigned k, n = 1 + (unsigned)(g / 3 % 3);

	for (k = 0; k < n; k++)
		comm[k] = (BENCH_PEER_AS + k) << 16 | (uint16_t)(g + k);
	return n;
}

/* Order-independent checksum term of one prefix. */
static uint64_t
checksum_prefix(const uint8_t *a, uint8_t len)
{
	uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
	    (uint32_t)a[2] << 8 | a[3];

	return ((uint64_t)v << 8 | len) * BENCH_CHECKSUM_MULT;
}

/*
 * Append UPDATE number g, carrying set g and prefixes first .. first +
 * n - 1, to w (RFC 4271 4.3):
 *
 *   marker (16) | length (2) | type 2 | withdrawn length 0 |
 *   attribute length (2) | ORIGIN | AS_PATH | NEXT_HOP | COMMUNITIES |
 *   n x (24, 3 address bytes)
 */
static void
stream_put_update(
    struct bench *b, struct wbuf *w, uint64_t g, uint64_t first, unsigned n)
{
	static const uint8_t marker[BGP_MARKER_LEN] = { 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff };
	uint32_t path[BENCH_PATH_MAX], comm[BENCH_COMM_MAX], addr;
	uint8_t a[4];
	size_t off = w->len, aoff;
	unsigned i, npath, ncomm;

	npath = set_path(g, path);
	ncomm = set_communities(g, comm);

	wbuf_put(w, marker, sizeof(marker));
	wbuf_put_u16(w, 0); /* patched at the end */
	wbuf_put_u8(w, BGP_MSG_UPDATE);
	wbuf_put_u16(w, 0); /* no withdrawn routes */
	aoff = wbuf_reserve(w, 2);

	wbuf_put_u8(w, BGP_ATTR_TRANSITIVE);
	wbuf_put_u8(w, BGP_ATTR_ORIGIN);
	wbuf_put_u8(w, 1);
	wbuf_put_u8(w, BGP_ORIGIN_IGP);

	wbuf_put_u8(w, BGP_ATTR_TRANSITIVE);
	wbuf_put_u8(w, BGP_ATTR_AS_PATH);
	wbuf_put_u8(w, (uint8_t)(2 + 4 * npath));
	wbuf_put_u8(w, BGP_AS_SEQUENCE);
	wbuf_put_u8(w, (uint8_t)npath);
	for (i = 0; i < npath; i++)
		wbuf_put_u32(w, path[i]);

	wbuf_put_u8(w, BGP_ATTR_TRANSITIVE);
	wbuf_put_u8(w, BGP_ATTR_NEXT_HOP);
	wbuf_put_u8(w, 4);
	wbuf_put_u32(w, BENCH_NEXT_HOP);

	wbuf_put_u8(w, BGP_ATTR_OPTIONAL | BGP_ATTR_TRANSITIVE);
	wbuf_put_u8(w, BGP_ATTR_COMMUNITIES);
	wbuf_put_u8(w, (uint8_t)(4 * ncomm));
	for (i = 0; i < ncomm; i++)
		wbuf_put_u32(w, comm[i]);

	wbuf_patch_u16(w, aoff, (uint16_t)(w->len - aoff - 2));
	b->checksum += 2 + 4 * npath + 4 * ncomm;

	for (i = 0; i < n; i++) {
		/* prefix k is 1.0.0.0/24 + k */
		addr = (uint32_t)(0x01000000u + ((first + i) << 8));
		a[0] = (uint8_t)(addr >> 24);
		a[1] = (uint8_t)(addr >> 16);
		a[2] = (uint8_t)(addr >> 8);
		a[3] = 0;
		wbuf_put_u8(w, BENCH_PLEN);
		wbuf_put(w, a, 3);
		b->checksum += checksum_prefix(a, BENCH_PLEN);
	}
	wbuf_patch_u16(w, off + BGP_MARKER_LEN, (uint16_t)(w->len - off));
}

/* Build the reference stream and the checksum decode_run() must find. */
static void
stream_build(struct bench *b)
{
	struct wbuf w;
	uint64_t g, first;
	size_t cap;
	unsigned n;

	b->nupdate = (b->nprefix + b->per_update - 1) / b->per_update;
	cap = b->nupdate * (BGP_UPDATE_MIN_LEN + BENCH_ATTRS_MAX) +
	    b->nprefix * 4;
	b->stream = xmalloc(cap);
	wbuf_init(&w, b->stream, cap);
	b->checksum = 0;
	for (g = 0; g < b->nupdate; g++) {
		first = g * b->per_update;
		n = b->per_update;
		if (first + n > b->nprefix)
			n = (unsigned)(b->nprefix - first);
		stream_put_update(b, &w, g, first, n);
	}
	if (!wbuf_ok(&w))
		fatalx("%s: stream overflows its %zu bytes", __func__, cap);
	b->stream_len = w.len;
}

static void
decode_fail(const struct bench *b, const char *what, uint64_t msg,
    const uint8_t *at, const struct bgp_err *err)
{
	fatalx("decode: UPDATE %" PRIu64 " at byte %zu: %s: %s (%u/%u, %s)",
	    msg, (size_t)(at - b->stream), what,
	    err->why != NULL ? err->why : "-", err->code, err->subcode,
	    bgp_err_name(err->code, err->subcode));
}

/*
 * The decode benchmark: what a session does with each received UPDATE
 * before it touches a RIB.  Returns the checksum of everything decoded.
 */
static uint64_t
decode_run(const struct bench *b)
{
	struct rbuf stream = rbuf_make(b->stream, b->stream_len);
	struct bgp_pattrs pa;
	struct bgp_update u;
	struct bgp_nlri n;
	struct bgp_err err;
	struct bgp_hdr h;
	uint64_t msg, sum = 0;

	for (msg = 0; stream.len > 0; msg++) {
		if (bgp_msg_frame(&stream, BGP_MAX_LEN, &h, &err) !=
		    BGP_FRAME_OK)
			decode_fail(b, "framing", msg, stream.p, &err);
		if (h.type != BGP_MSG_UPDATE ||
		    !bgp_update_split(h.body, &u, &err))
			decode_fail(b, "split", msg, h.msg.p, &err);
		if (!bgp_update_decode(&u, &b->ctx, &pa, &err))
			decode_fail(b, "attributes", msg, h.msg.p, &err);
		if (pa.outcome != BGP_OUT_OK)
			decode_fail(b, bgp_outcome_name(pa.outcome), msg,
			    h.msg.p, &pa.err);
		sum += pa.aspath.segs.len + pa.communities.len;
		while (bgp_nlri_next(&u.nlri, ADDR_V4, false, &n, &err))
			sum += checksum_prefix(n.pfx.a, n.pfx.len);
		if (u.nlri.len != 0)
			decode_fail(b, "NLRI", msg, h.msg.p, &err);
	}
	return sum;
}

/*
 * Decode the stream once more, untimed, into what an Adj-RIB-Out would
 * hold: per UPDATE the typed attribute fields, and every prefix.
 */
static void
encode_prepare(struct bench *b)
{
	struct rbuf stream = rbuf_make(b->stream, b->stream_len);
	struct bgp_pattrs pa;
	struct bench_set *s;
	struct bgp_update u;
	struct bgp_err err;
	struct bgp_hdr h;
	const uint8_t *at;
	uint64_t msg, np = 0;

	b->sets = xcalloc(b->nupdate, sizeof(*b->sets));
	b->nlri = xcalloc(b->nprefix, sizeof(*b->nlri));
	for (msg = 0; stream.len > 0; msg++) {
		at = stream.p;
		if (bgp_msg_frame(&stream, BGP_MAX_LEN, &h, &err) !=
		        BGP_FRAME_OK ||
		    !bgp_update_split(h.body, &u, &err) ||
		    !bgp_update_decode(&u, &b->ctx, &pa, &err))
			decode_fail(b, "prepare", msg, at, &err);
		if (msg >= b->nupdate || pa.nlist > BENCH_SET_MAX)
			fatalx("%s: UPDATE %" PRIu64 " unexpected (%u "
			       "attributes)",
			    __func__, msg, pa.nlist);
		s = &b->sets[msg];
		memcpy(s->has, pa.has, sizeof(s->has));
		s->origin = pa.origin;
		memcpy(s->nexthop, pa.nexthop, sizeof(s->nexthop));
		s->aspath = pa.aspath;
		s->communities = pa.communities;
		s->nlist = (uint8_t)pa.nlist;
		memcpy(s->list, pa.list, pa.nlist * sizeof(pa.list[0]));
		s->first = (uint32_t)np;
		while (np < b->nprefix &&
		    bgp_nlri_next(&u.nlri, ADDR_V4, false, &b->nlri[np], &err))
			np++;
		s->count = (uint32_t)(np - s->first);
		if (u.nlri.len != 0)
			decode_fail(b, "prepare NLRI", msg, at, &err);
	}
	if (msg != b->nupdate || np != b->nprefix)
		fatalx("%s: %" PRIu64 " UPDATEs and %" PRIu64 " prefixes, "
		       "expected %" PRIu64 " and %" PRIu64,
		    __func__, msg, np, b->nupdate, b->nprefix);
}

/*
 * The encode benchmark: per UPDATE, fill a struct bgp_pattrs from the
 * set, write its prefixes with bgp_nlri_encode(), then the message with
 * bgp_update_encode().  Returns the bytes written to b->out.
 */
static size_t
encode_run(const struct bench *b)
{
	uint8_t nbuf[BGP_MAX_LEN];
	const struct bench_set *s;
	struct bgp_pattrs pa;
	struct wbuf w, nw;
	uint64_t g;
	uint32_t i;

	memset(&pa, 0, sizeof(pa));
	wbuf_init(&w, b->out, b->stream_len);
	for (g = 0; g < b->nupdate; g++) {
		s = &b->sets[g];
		memcpy(pa.has, s->has, sizeof(pa.has));
		pa.origin = s->origin;
		memcpy(pa.nexthop, s->nexthop, sizeof(pa.nexthop));
		pa.aspath = s->aspath;
		pa.communities = s->communities;
		pa.nlist = s->nlist;
		memcpy(pa.list, s->list, s->nlist * sizeof(s->list[0]));

		wbuf_init(&nw, nbuf, sizeof(nbuf));
		for (i = 0; i < s->count; i++)
			bgp_nlri_encode(&nw, &b->nlri[s->first + i], false);
		if (!wbuf_ok(&nw) ||
		    !bgp_update_encode(&w, rbuf_make(NULL, 0), &pa,
		        rbuf_make(nbuf, nw.len), &b->ctx, BGP_MAX_LEN))
			fatalx("encode: UPDATE %" PRIu64 " does not fit (%zu "
			       "of %zu bytes written)",
			    g, w.len, b->stream_len);
	}
	return w.len;
}

/* The physical limit: the same bytes, copied once. */
static void
copy_run(const struct bench *b)
{
	memcpy(b->out, b->stream, b->stream_len);
}

/* Offset of the first byte where a and b differ, n if none. */
static size_t
first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n && a[i] == b[i]; i++)
		;
	return i;
}

static double
now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		fatal("clock_gettime");
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
time_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
stat_finish(struct bench_stat *s, unsigned n)
{
	qsort(s->t, n, sizeof(s->t[0]), time_cmp);
	s->best = s->t[0];
	s->median = n % 2 ? s->t[n / 2] : (s->t[n / 2 - 1] + s->t[n / 2]) / 2;
}

static double
rate(double n, double t)
{
	return t > 0 ? n / t : 0;
}

static long
peak_rss_kib(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_maxrss;
}

static void
report_table(const struct bench *b, const struct bench_stat *st, size_t nst,
    size_t input_bytes)
{
	const struct bench_stat *mc = &st[nst - 1];
	const char *which[2] = { "best", "median" };
	double t, tm, np = (double)b->nprefix, nb = (double)b->stream_len;
	bool met;
	size_t i;
	int k;

	printf("bench-codec: %" PRIu64 " IPv4 /24 in %" PRIu64
	       " UPDATEs of %s%u prefixes and one attribute set each\n",
	    b->nprefix, b->nupdate,
	    b->nprefix % b->per_update != 0 ? "up to " : "", b->per_update);
	printf("  eBGP, 4-octet AS, RFC 7606 checks; one thread, "
	       "CLOCK_MONOTONIC, best and median of %u\n",
	    b->repeat);
	printf("  stream %.2f MB, encoder input %.2f MB, peak RSS %.1f MB; "
	       "build %s\n\n",
	    nb / 1e6, (double)input_bytes / 1e6,
	    (double)peak_rss_kib() * 1024 / 1e6, BENCH_BUILD);
	printf("%-7s %-7s %9s %11s %9s %9s %9s\n", "op", "stat", "ms",
	    "Mprefix/s", "Mmsg/s", "MB/s", "x memcpy");
	for (i = 0; i < nst; i++) {
		for (k = 0; k < 2; k++) {
			t = k == 0 ? st[i].best : st[i].median;
			tm = k == 0 ? mc->best : mc->median;
			printf("%-7s %-7s %9.2f %11.2f %9.3f %9.1f %9.1f\n",
			    st[i].name, which[k], t * 1e3, rate(np, t) / 1e6,
			    rate((double)b->nupdate, t) / 1e6,
			    rate(nb, t) / 1e6, rate(t, tm));
		}
	}
	met = rate(np, st[0].median) >= BENCH_TARGET_PPS &&
	    rate(st[0].median, mc->median) <= BENCH_TARGET_RATIO;
	printf("\nmemcpy %.2f GB/s (best), %.0f M prefixes/s equivalent\n",
	    rate(nb, mc->best) / 1e9, rate(np, mc->best) / 1e6);
	printf("target: decode >= %.0f M prefixes/s and <= %.0fx memcpy "
	       "(median): %s\n",
	    BENCH_TARGET_PPS / 1e6, BENCH_TARGET_RATIO,
	    met ? "met" : "NOT met");
}

static void
report_json(const struct bench *b, const struct bench_stat *st, size_t nst,
    size_t input_bytes)
{
	const struct bench_stat *mc = &st[nst - 1];
	double np = (double)b->nprefix, nb = (double)b->stream_len;
	bool met;
	size_t i;

	met = rate(np, st[0].median) >= BENCH_TARGET_PPS &&
	    rate(st[0].median, mc->median) <= BENCH_TARGET_RATIO;
	printf("{\"bench\":\"codec\",\"build\":\"%s\",\"prefixes\":%" PRIu64
	       ",\"per_update\":%u,\"updates\":%" PRIu64
	       ",\"attr_sets\":%" PRIu64 ",\"stream_bytes\":%zu"
	       ",\"encode_input_bytes\":%zu,\"peak_rss_kib\":%ld"
	       ",\"repeat\":%u",
	    BENCH_BUILD, b->nprefix, b->per_update, b->nupdate, b->nupdate,
	    b->stream_len, input_bytes, peak_rss_kib(), b->repeat);
	for (i = 0; i < nst; i++)
		printf(",\"%s\":{\"best_s\":%.6f,\"median_s\":%.6f"
		       ",\"best_prefixes_per_s\":%.0f"
		       ",\"median_prefixes_per_s\":%.0f"
		       ",\"best_msgs_per_s\":%.0f,\"median_msgs_per_s\":%.0f"
		       ",\"best_mb_per_s\":%.1f,\"median_mb_per_s\":%.1f"
		       ",\"best_x_memcpy\":%.2f,\"median_x_memcpy\":%.2f}",
		    st[i].name, st[i].best, st[i].median, rate(np, st[i].best),
		    rate(np, st[i].median),
		    rate((double)b->nupdate, st[i].best),
		    rate((double)b->nupdate, st[i].median),
		    rate(nb, st[i].best) / 1e6, rate(nb, st[i].median) / 1e6,
		    rate(st[i].best, mc->best), rate(st[i].median, mc->median));
	printf(",\"target\":{\"prefixes_per_s\":%.0f,\"x_memcpy\":%.0f"
	       ",\"met\":%s}}\n",
	    BENCH_TARGET_PPS, BENCH_TARGET_RATIO, met ? "true" : "false");
}
