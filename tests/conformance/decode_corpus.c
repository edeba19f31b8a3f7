/* SPDX-License-Identifier: ISC */
/* tests/conformance/decode_corpus.c - ExaBGP decode corpus: JSON and byte round trip. */

/*
 * For every raw message of qa/ci/<case>.msg in an ExaBGP corpus folder:
 *   1. run `vrs-speaker decode --config etc/exabgp/<first config> HEX`
 *      and compare its JSON with the `json:` line ExaBGP 4.2.21 printed
 *      (decode-4.2.21/<case>.decode), as parsed JSON, ignoring the keys
 *      that change from run to run (time, host, pid, ppid, counter);
 *   2. decode the bytes with the codec, encode the result again and
 *      check the bytes are identical.
 * Also runs the decoding/ folder (files ending .decode-4.2.21) and any
 * further folders of <stem>.decode files with a <stem>.conf each, where
 * deviations.tsv lists the cases vrs decodes differently on purpose.
 * Where a block has text: lines, `decode --text` must print them exactly.  One line per case, then
 * "N passed, N failed"; exit 0 only when nothing failed.
 *
 * usage: decode_corpus CORPUS_DIR VRS_SPEAKER [EXTRA_DIR...]
 */

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/open.h"
#include "bgp/update.h"
#include "lib/hex.h"
#include "lib/sbuf.h"
#include "speaker/conf.h"
#include "speaker/decode.h"

static const char *corpus, *speaker;

struct block {
	char *hex;
	char *json;       /* NULL when ExaBGP printed nothing (note:) */
	struct sbuf text; /* the text: lines, each ending in '\n' */
	char *label;      /* "# case:" comment before it, or NULL */
};

/* Cases where vrs deliberately prints something else (deviations.tsv). */
struct deviation {
	char *stem, *label, *expect;
};

static struct deviation devs[64];
static int ndevs;

static char *
slurp(const char *path)
{
	struct sbuf b;
	char buf[4096];
	FILE *f;
	size_t n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	sbuf_init(&b);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sbuf_putn(&b, buf, n);
	fclose(f);
	return b.s;
}

static char *
strip_colons(const char *s)
{
	char *o = malloc(strlen(s) + 1), *q = o;

	for (; *s != '\0'; s++)
		if (*s != ':' && *s != ' ' && *s != '\n' && *s != '\r')
			*q++ = (char)((*s >= 'a' && *s <= 'f') ? *s - 32 : *s);
	*q = '\0';
	return o;
}

/* Parse a .decode file into blocks. */
static int
load_blocks(const char *path, struct block *bl, int max)
{
	char *text = slurp(path), *line, *save = NULL, *label = NULL;
	int n = -1;

	if (text == NULL)
		return -1;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# case: ", 8) == 0) {
			free(label);
			label = strdup(line + 8);
		} else if (strncmp(line, "hex: ", 5) == 0 && n + 1 < max) {
			n++;
			bl[n].hex = strip_colons(line + 5);
			bl[n].json = NULL;
			bl[n].label = label;
			label = NULL;
			sbuf_init(&bl[n].text);
		} else if (strncmp(line, "json: ", 6) == 0 && n >= 0) {
			if (bl[n].json == NULL)
				bl[n].json = strdup(line + 6);
			else {
				/* several messages: one JSON line each */
				size_t a = strlen(bl[n].json), b = strlen(line);
				char *j = realloc(bl[n].json, a + b + 1);

				if (j == NULL)
					abort();
				j[a] = '\n';
				memcpy(j + a + 1, line + 6, b - 5);
				bl[n].json = j;
			}
		} else if (strncmp(line, "text: ", 6) == 0 && n >= 0) {
			sbuf_puts(&bl[n].text, line + 6);
			sbuf_putc(&bl[n].text, '\n');
		}
	}
	free(label);
	free(text);
	return n + 1;
}

static void
free_blocks(struct block *bl, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(bl[i].hex);
		free(bl[i].json);
		free(bl[i].label);
		sbuf_fini(&bl[i].text);
	}
}

static void
json_scrub(json_t *j)
{
	static const char *keys[] = { "time", "host", "pid", "ppid", "counter",
		"exabgp", "version" };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_del(j, keys[i]);
}

/* Run the decoder program; returns its stdout (malloc) or NULL. */
static char *
run_decode(const char *conf, const char *hex, bool text, int *status)
{
	struct sbuf cmd, out;
	char buf[4096];
	FILE *p;
	size_t n;

	sbuf_init(&cmd);
	sbuf_printf(&cmd, "'%s' decode --config '%s' %s%s", speaker, conf,
	    text ? "--text " : "", hex);
	if ((p = popen(cmd.s, "r")) == NULL) {
		sbuf_fini(&cmd);
		return NULL;
	}
	sbuf_init(&out);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		sbuf_putn(&out, buf, n);
	*status = pclose(p);
	sbuf_fini(&cmd);
	return out.s;
}

/* Decode and re-encode one message; true if the bytes match. */
static bool
round_trip_one(const struct bgp_hdr *h, const struct bgp_ctx *ctx, char *why,
    size_t whylen)
{
	static struct bgp_pattrs pa;
	static uint8_t out[BGP_EXT_MAX_LEN];
	struct bgp_notification n;
	struct bgp_update u;
	struct bgp_open o;
	struct bgp_err e;
	struct wbuf w;

	memset(&e, 0, sizeof(e));
	wbuf_init(&w, out, sizeof(out));
	switch (h->type) {
	case BGP_MSG_UPDATE:
		if (!bgp_update_split(h->body, &u, &e) ||
		    !bgp_update_decode(&u, ctx, &pa, &e))
			return true; /* rejected: nothing to re-encode */
		if (pa.outcome != BGP_OUT_OK)
			return true; /* changed on purpose (RFC 7606) */
		if (!bgp_update_encode(
		        &w, u.withdrawn, &pa, u.nlri, ctx, BGP_EXT_MAX_LEN)) {
			snprintf(why, whylen, "encode failed");
			return false;
		}
		break;
	case BGP_MSG_NOTIFICATION:
		if (!bgp_notification_decode(h->body, &n, &e) ||
		    !bgp_notification_encode(
		        &w, n.code, n.subcode, n.data.p, n.data.len)) {
			snprintf(why, whylen, "notification failed");
			return false;
		}
		break;
	case BGP_MSG_OPEN:
		if (!bgp_open_decode(h->body, &o, &e) ||
		    !bgp_open_encode(&w, &o)) {
			snprintf(why, whylen, "open failed");
			return false;
		}
		break;
	case BGP_MSG_KEEPALIVE:
		bgp_keepalive_encode(&w);
		break;
	case BGP_MSG_ROUTE_REFRESH: {
		struct bgp_route_refresh rr;

		if (!bgp_route_refresh_decode(h, &rr, &e) ||
		    !bgp_route_refresh_encode(&w, &rr)) {
			snprintf(why, whylen, "route refresh failed");
			return false;
		}
		break;
	}
	default:
		snprintf(why, whylen, "unexpected type %u", h->type);
		return false;
	}
	if (w.len != h->msg.len || memcmp(out, h->msg.p, w.len) != 0) {
		snprintf(why, whylen, "re-encoded bytes differ (%zu vs %zu)",
		    w.len, h->msg.len);
		return false;
	}
	return true;
}

/* Round trip every message of a hex string (a bare body gets a header). */
static bool
round_trip(const char *hex, const struct bgp_ctx *ctx, char *why, size_t whylen)
{
	static uint8_t buf[BGP_EXT_MAX_LEN * 4];
	uint8_t *msg = buf + BGP_HDR_LEN;
	struct bgp_hdr h;
	struct bgp_err e;
	struct rbuf s;
	size_t len, i;

	if (!hex_decode(hex, msg, sizeof(buf) - BGP_HDR_LEN, &len, NULL)) {
		snprintf(why, whylen, "bad hex in corpus");
		return false;
	}
	for (i = 0; i < 16 && i < len && msg[i] == 0xff; i++)
		;
	if (i < 16) {
		memset(buf, 0xff, 16);
		buf[16] = (uint8_t)((len + BGP_HDR_LEN) >> 8);
		buf[17] = (uint8_t)(len + BGP_HDR_LEN);
		buf[18] = BGP_MSG_UPDATE;
		msg = buf;
		len += BGP_HDR_LEN;
	}
	s = rbuf_make(msg, len);
	while (s.len > 0) {
		memset(&e, 0, sizeof(e));
		if (bgp_msg_frame(&s, BGP_EXT_MAX_LEN, &h, &e) != BGP_FRAME_OK)
			return true; /* the decoder reports it */
		if (!round_trip_one(&h, ctx, why, whylen))
			return false;
	}
	return true;
}

/* Compare the JSON objects of got (one per line) with want's. */
static bool
json_same(const char *got_text, const char *want_text, char *why, size_t whylen)
{
	json_t *got, *want;
	json_error_t jerr;
	bool ok;

	/* values above 2^63 (extended communities) need doubles */
	got = json_loads(
	    got_text, JSON_DISABLE_EOF_CHECK | JSON_DECODE_INT_AS_REAL, &jerr);
	want = json_loads(want_text, JSON_DECODE_INT_AS_REAL, &jerr);
	if (got == NULL || want == NULL) {
		snprintf(why, whylen, "unparsable JSON: %s", got_text);
		json_decref(got);
		json_decref(want);
		return false;
	}
	json_scrub(got);
	json_scrub(want);
	ok = json_equal(got, want);
	if (!ok) {
		char *g = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
		char *x = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT);

		snprintf(
		    why, whylen, "JSON differs\n  got:  %s\n  want: %s", g, x);
		free(g);
		free(x);
	}
	json_decref(got);
	json_decref(want);
	return ok;
}

/* Compare line by line: one JSON object per message. */
static bool
json_lines_same(const char *got, const char *want, char *why, size_t whylen)
{
	char *g = strdup(got), *w = strdup(want), *gs = NULL, *ws = NULL;
	char *gl = strtok_r(g, "\n", &gs), *wl = strtok_r(w, "\n", &ws);
	bool ok = true;

	while (ok && (gl != NULL || wl != NULL)) {
		if (gl == NULL || wl == NULL) {
			snprintf(why, whylen, "%s JSON lines than ExaBGP",
			    gl == NULL ? "fewer" : "more");
			ok = false;
			break;
		}
		ok = json_same(gl, wl, why, whylen);
		gl = strtok_r(NULL, "\n", &gs);
		wl = strtok_r(NULL, "\n", &ws);
	}
	free(g);
	free(w);
	return ok;
}

/* Check one message against its expected block; returns true on pass. */
static bool
check_message(const char *conf, const struct block *b,
    const struct bgp_ctx *ctx, char *why, size_t whylen)
{
	char *out;
	int status = 0;
	bool ok = true;

	if (!round_trip(b->hex, ctx, why, whylen))
		return false;
	out = run_decode(conf, b->hex, false, &status);
	if (out == NULL || status != 0) {
		snprintf(why, whylen, "decoder failed (status %d)", status);
		free(out);
		return false;
	}
	if (b->json != NULL)
		ok = json_lines_same(out, b->json, why, whylen);
	free(out);
	if (!ok || b->json == NULL || b->text.len == 0)
		return ok;
	out = run_decode(conf, b->hex, true, &status);
	if (out == NULL || status != 0 || strcmp(out, b->text.s) != 0) {
		snprintf(why, whylen, "text differs\n  got:  %s  want: %s",
		    out ? out : "", b->text.s);
		ok = false;
	}
	free(out);
	return ok;
}

static bool
session_ctx(const char *conf, struct bgp_ctx *ctx)
{
	struct conf_session s;
	struct conf_file cf;
	bool ok;

	ok = conf_load(&cf, conf) && conf_first_session(&cf, &s);
	if (!ok)
		fprintf(stderr, "%s", cf.errors.s);
	conf_free(&cf);
	if (ok)
		spk_decode_ctx(&s, ctx);
	return ok;
}

static void
result(const char *name, int nmsg, int bad, int ndev, int *pass, int *fail)
{
	if (bad == 0) {
		printf("ok   %s (%d messages", name, nmsg);
		if (ndev > 0)
			printf(", %d deliberate deviations", ndev);
		printf(")\n");
		(*pass)++;
	} else
		(*fail)++;
}

/* A raw-mode case: every raw line of its .msg file. */
static void
run_case(const char *name, int *pass, int *fail)
{
	char path[1024], conf[1024], cfname[256], why[4096];
	struct block bl[256];
	struct bgp_ctx ctx;
	char *msgs, *line, *save = NULL, *hex, *p, *ci;
	int nb, i, nmsg = 0, bad = 0;

	snprintf(path, sizeof(path), "%s/qa/ci/%s.ci", corpus, name);
	if ((ci = slurp(path)) == NULL)
		return;
	if (sscanf(ci, "%255s", cfname) != 1) {
		free(ci);
		return;
	}
	free(ci);
	snprintf(conf, sizeof(conf), "%s/etc/exabgp/%s", corpus, cfname);
	snprintf(
	    path, sizeof(path), "%s/decode-4.2.21/%s.decode", corpus, name);
	if ((nb = load_blocks(path, bl, 256)) < 0)
		return; /* announce/withdraw-mode case: nothing to decode */
	snprintf(path, sizeof(path), "%s/qa/ci/%s.msg", corpus, name);
	msgs = slurp(path);
	if (msgs == NULL || !session_ctx(conf, &ctx)) {
		printf("FAIL %s: cannot read case\n", name);
		(*fail)++;
		free(msgs);
		free_blocks(bl, nb);
		return;
	}
	for (line = strtok_r(msgs, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strchr(line, '#') != NULL ||
		    (p = strstr(line, "raw:")) == NULL)
			continue;
		hex = strip_colons(p + 4);
		for (i = 0; i < nb; i++)
			if (strcmp(bl[i].hex, hex) == 0)
				break;
		nmsg++;
		if (i == nb) {
			printf("FAIL %s: message %d has no expected decoding\n",
			    name, nmsg);
			bad++;
		} else if (!check_message(
		               conf, &bl[i], &ctx, why, sizeof(why))) {
			printf("FAIL %s: message %d: %s\n  hex: %s\n", name,
			    nmsg, why, hex);
			bad++;
		}
		free(hex);
	}
	free(msgs);
	free_blocks(bl, nb);
	result(name, nmsg, bad, 0, pass, fail);
}

static const struct deviation *
find_deviation(const char *stem, const char *label)
{
	int i;

	for (i = 0; i < ndevs && label != NULL; i++)
		if (strcmp(devs[i].stem, stem) == 0 &&
		    strcmp(devs[i].label, label) == 0)
			return &devs[i];
	return NULL;
}

/*
 * deviations.tsv: STEM <tab> CASE LABEL <tab> accept|reject <tab> why.
 * A deviation is still decoded; it must succeed (accept) or be refused
 * with an RFC 7606 error (reject), but is not compared with ExaBGP.
 */
static void
load_deviations(const char *dir)
{
	char path[1200], *text, *line, *save = NULL, *f[4], *q;
	int k;

	snprintf(path, sizeof(path), "%s/deviations.tsv", dir);
	if ((text = slurp(path)) == NULL)
		return;
	for (line = strtok_r(text, "\n", &save); line != NULL && ndevs < 64;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		for (k = 0, q = line; k < 4 && q != NULL; k++) {
			f[k] = q;
			if ((q = strchr(q, '\t')) != NULL)
				*q++ = '\0';
		}
		if (k < 3)
			continue;
		devs[ndevs].stem = strdup(f[0]);
		devs[ndevs].label = strdup(f[1]);
		devs[ndevs].expect = strdup(f[2]);
		ndevs++;
	}
	free(text);
}

/* Every <stem>.decode of dir, with <stem>.conf as session context. */
static void
run_dir(const char *dir, const char *conf_override, int *pass, int *fail)
{
	char path[1200], conf[1200], stem[256], name[512], why[4096];
	const struct deviation *dv;
	struct block bl[256];
	struct bgp_ctx ctx;
	struct dirent *d;
	DIR *dp;
	int nb, i, bad, ndev, status;
	size_t l;
	char *out;

	if ((dp = opendir(dir)) == NULL)
		return;
	load_deviations(dir);
	while ((d = readdir(dp)) != NULL) {
		l = strlen(d->d_name);
		if (l > 7 && strcmp(d->d_name + l - 7, ".decode") == 0)
			snprintf(stem, sizeof(stem), "%.*s", (int)(l - 7),
			    d->d_name);
		else if (l > 14 &&
		    strcmp(d->d_name + l - 14, ".decode-4.2.21") == 0)
			snprintf(stem, sizeof(stem), "%.*s", (int)(l - 14),
			    d->d_name);
		else
			continue;
		if (conf_override != NULL)
			snprintf(conf, sizeof(conf), "%s", conf_override);
		else
			snprintf(conf, sizeof(conf), "%s/%s.conf", dir, stem);
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		snprintf(name, sizeof(name), "%s/%s", dir, d->d_name);
		if ((nb = load_blocks(path, bl, 256)) <= 0 ||
		    !session_ctx(conf, &ctx)) {
			printf("FAIL %s: cannot read case\n", name);
			(*fail)++;
			continue;
		}
		bad = ndev = 0;
		for (i = 0; i < nb; i++) {
			if ((dv = find_deviation(stem, bl[i].label)) != NULL) {
				ndev++;
				out =
				    run_decode(conf, bl[i].hex, false, &status);
				free(out);
				if ((status == 0) !=
				    (strcmp(dv->expect, "accept") == 0)) {
					printf("FAIL %s: %s: expected %s\n",
					    name, bl[i].label, dv->expect);
					bad++;
				}
				continue;
			}
			if (!check_message(
			        conf, &bl[i], &ctx, why, sizeof(why))) {
				printf("FAIL %s: %s: %s\n  hex: %s\n", name,
				    bl[i].label ? bl[i].label : "", why,
				    bl[i].hex);
				bad++;
			}
		}
		free_blocks(bl, nb);
		result(name, nb, bad, ndev, pass, fail);
	}
	closedir(dp);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	char dir[1024], conf[1100], *names[1024];
	struct dirent *d;
	int pass = 0, fail = 0, n = 0, i;
	size_t l;
	DIR *dp;

	if (argc < 3) {
		fprintf(stderr,
		    "usage: decode_corpus CORPUS_DIR VRS_SPEAKER "
		    "[EXTRA_DIR...]\n");
		return 2;
	}
	corpus = argv[1];
	speaker = argv[2];
	snprintf(dir, sizeof(dir), "%s/qa/ci", corpus);
	if ((dp = opendir(dir)) == NULL) {
		perror(dir);
		return 2;
	}
	while ((d = readdir(dp)) != NULL && n < 1024) {
		l = strlen(d->d_name);
		if (l > 3 && strcmp(d->d_name + l - 3, ".ci") == 0)
			names[n++] = strndup(d->d_name, l - 3);
	}
	closedir(dp);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n; i++) {
		run_case(names[i], &pass, &fail);
		free(names[i]);
	}
	snprintf(dir, sizeof(dir), "%s/decoding", corpus);
	snprintf(conf, sizeof(conf), "%s/decode-65533.conf", dir);
	run_dir(dir, conf, &pass, &fail);
	for (i = 3; i < argc; i++)
		run_dir(argv[i], NULL, &pass, &fail);
	printf("%d passed, %d failed\n", pass, fail);
	return fail == 0 && pass > 0 ? 0 : 1;
}
