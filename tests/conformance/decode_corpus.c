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
 * Also runs the decoding/ folder (files ending .decode-4.2.21).  One line per case, then
 * "N passed, N failed"; exit 0 only when nothing failed.
 *
 * usage: decode_corpus CORPUS_DIR VRS_SPEAKER
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
	char *json; /* NULL when ExaBGP printed nothing (note:) */
};

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
	char *text = slurp(path), *line, *save = NULL;
	int n = -1;

	if (text == NULL)
		return -1;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "hex: ", 5) == 0 && n + 1 < max) {
			n++;
			bl[n].hex = strip_colons(line + 5);
			bl[n].json = NULL;
		} else if (strncmp(line, "json: ", 6) == 0 && n >= 0)
			bl[n].json = strdup(line + 6);
	}
	free(text);
	return n + 1;
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
run_decode(const char *conf, const char *hex, int *status)
{
	struct sbuf cmd, out;
	char buf[4096];
	FILE *p;
	size_t n;

	sbuf_init(&cmd);
	sbuf_printf(
	    &cmd, "'%s' decode --config '%s' %s 2>&1", speaker, conf, hex);
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

/* Decode and re-encode msg with the codec; true if the bytes match. */
static bool
round_trip(const uint8_t *msg, size_t len, const struct bgp_ctx *ctx, char *why,
    size_t whylen)
{
	static struct bgp_pattrs pa;
	static uint8_t out[BGP_EXT_MAX_LEN];
	struct rbuf s = rbuf_make(msg, len);
	struct bgp_notification n;
	struct bgp_update u;
	struct bgp_open o;
	struct bgp_hdr h;
	struct bgp_err e;
	struct wbuf w;

	memset(&e, 0, sizeof(e));
	wbuf_init(&w, out, sizeof(out));
	if (bgp_msg_frame(&s, BGP_EXT_MAX_LEN, &h, &e) != BGP_FRAME_OK ||
	    s.len != 0) {
		snprintf(why, whylen, "framing failed");
		return false;
	}
	switch (h.type) {
	case BGP_MSG_UPDATE:
		if (!bgp_update_split(h.body, &u, &e) ||
		    !bgp_update_decode(&u, ctx, &pa, &e) ||
		    pa.outcome != BGP_OUT_OK) {
			snprintf(why, whylen, "decode failed: %s",
			    e.why ? e.why : (pa.err.why ? pa.err.why : "?"));
			return false;
		}
		if (!bgp_update_encode(
		        &w, u.withdrawn, &pa, u.nlri, ctx, BGP_EXT_MAX_LEN)) {
			snprintf(why, whylen, "encode failed");
			return false;
		}
		break;
	case BGP_MSG_NOTIFICATION:
		if (!bgp_notification_decode(h.body, &n, &e) ||
		    !bgp_notification_encode(
		        &w, n.code, n.subcode, n.data.p, n.data.len)) {
			snprintf(why, whylen, "notification failed");
			return false;
		}
		break;
	case BGP_MSG_OPEN:
		if (!bgp_open_decode(h.body, &o, &e) ||
		    !bgp_open_encode(&w, &o)) {
			snprintf(why, whylen, "open failed");
			return false;
		}
		break;
	case BGP_MSG_KEEPALIVE:
		bgp_keepalive_encode(&w);
		break;
	default:
		snprintf(why, whylen, "unexpected type %u", h.type);
		return false;
	}
	if (w.len != len || memcmp(out, msg, len) != 0) {
		snprintf(why, whylen, "re-encoded bytes differ (%zu vs %zu)",
		    w.len, len);
		return false;
	}
	return true;
}

/* Check one message against its expected block; returns true on pass. */
static bool
check_message(const char *conf, const char *hex, const struct block *b,
    const struct bgp_ctx *ctx, char *why, size_t whylen)
{
	uint8_t msg[BGP_EXT_MAX_LEN];
	json_t *got, *want;
	json_error_t jerr;
	char *out;
	size_t len;
	int status = 0;
	bool ok;

	if (!hex_decode(hex, msg, sizeof(msg), &len, NULL)) {
		snprintf(why, whylen, "bad hex in corpus");
		return false;
	}
	if (!round_trip(msg, len, ctx, why, whylen))
		return false;
	out = run_decode(conf, hex, &status);
	if (out == NULL || status != 0) {
		snprintf(why, whylen, "decoder failed: %s", out ? out : "");
		free(out);
		return false;
	}
	if (b->json == NULL) {
		free(out);
		return true; /* ExaBGP printed nothing to compare with */
	}
	got = json_loads(out, JSON_DISABLE_EOF_CHECK, &jerr);
	want = json_loads(b->json, 0, &jerr);
	if (got == NULL || want == NULL) {
		snprintf(why, whylen, "unparsable JSON: %s", out);
		json_decref(got);
		json_decref(want);
		free(out);
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

/* A raw-mode case: every raw line of its .msg file. */
static int
run_case(const char *name, int *pass, int *fail)
{
	char path[1024], conf[1024], cfname[256], why[2048];
	struct block bl[256];
	struct bgp_ctx ctx;
	char *msgs, *line, *save = NULL, *hex, *p, *ci;
	int nb, i, nmsg = 0, bad = 0;

	snprintf(path, sizeof(path), "%s/qa/ci/%s.ci", corpus, name);
	if ((ci = slurp(path)) == NULL)
		return 0;
	if (sscanf(ci, "%255s", cfname) != 1) {
		free(ci);
		return 0;
	}
	free(ci);
	snprintf(conf, sizeof(conf), "%s/etc/exabgp/%s", corpus, cfname);
	snprintf(
	    path, sizeof(path), "%s/decode-4.2.21/%s.decode", corpus, name);
	if ((nb = load_blocks(path, bl, 256)) < 0)
		return 0; /* announce/withdraw-mode case: nothing to decode */
	snprintf(path, sizeof(path), "%s/qa/ci/%s.msg", corpus, name);
	msgs = slurp(path);
	if (msgs == NULL || !session_ctx(conf, &ctx)) {
		printf("FAIL %s: cannot read case\n", name);
		(*fail)++;
		free(msgs);
		return 1;
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
		               conf, hex, &bl[i], &ctx, why, sizeof(why))) {
			printf("FAIL %s: message %d: %s\n  hex: %s\n", name,
			    nmsg, why, hex);
			bad++;
		}
		free(hex);
	}
	free(msgs);
	for (i = 0; i < nb; i++) {
		free(bl[i].hex);
		free(bl[i].json);
	}
	if (bad == 0) {
		printf("ok   %s (%d messages)\n", name, nmsg);
		(*pass)++;
	} else
		(*fail)++;
	return 1;
}

/* decoding/<name>.decode-4.2.21 with decoding/decode-65533.conf */
static void
run_decoding(int *pass, int *fail)
{
	char dir[1024], path[1200], conf[1200], why[2048];
	struct block bl[16];
	struct bgp_ctx ctx;
	struct dirent *d;
	DIR *dp;
	int nb, i, bad;
	size_t l;

	snprintf(dir, sizeof(dir), "%s/decoding", corpus);
	snprintf(conf, sizeof(conf), "%s/decode-65533.conf", dir);
	if ((dp = opendir(dir)) == NULL || !session_ctx(conf, &ctx)) {
		if (dp != NULL)
			closedir(dp);
		return;
	}
	while ((d = readdir(dp)) != NULL) {
		l = strlen(d->d_name);
		if (l < 14 || strcmp(d->d_name + l - 14, ".decode-4.2.21") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		nb = load_blocks(path, bl, 16);
		bad = 0;
		for (i = 0; i < nb; i++) {
			if (!check_message(conf, bl[i].hex, &bl[i], &ctx, why,
			        sizeof(why))) {
				printf(
				    "FAIL decoding/%s: %s\n", d->d_name, why);
				bad++;
			}
			free(bl[i].hex);
			free(bl[i].json);
		}
		if (nb <= 0)
			continue;
		if (bad == 0) {
			printf("ok   decoding/%s\n", d->d_name);
			(*pass)++;
		} else
			(*fail)++;
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
	char dir[1024], *names[1024];
	struct dirent *d;
	int pass = 0, fail = 0, n = 0, i;
	size_t l;
	DIR *dp;

	if (argc != 3) {
		fprintf(
		    stderr, "usage: decode_corpus CORPUS_DIR VRS_SPEAKER\n");
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
	run_decoding(&pass, &fail);
	printf("%d passed, %d failed\n", pass, fail);
	return fail == 0 && pass > 0 ? 0 : 1;
}
