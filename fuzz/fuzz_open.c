/* SPDX-License-Identifier: ISC */
/* fuzz/fuzz_open.c - libFuzzer target: OPEN body decode, encode, decode. */

/*
 * Input: an OPEN body (the bytes after the 19-byte header).  When it
 * decodes, the capability list is rebuilt with the speaker's builder and
 * the OPEN is encoded again; both must give the same summary as the
 * original (RFC 5492 capabilities, RFC 9072 parameter form), and the
 * encoder must fail cleanly, without writing past its buffer, when the
 * buffer is short.
 */

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bgp/bgp.h"
#include "bgp/exa.h"
#include "bgp/open.h"
#include "fuzz.h"
#include "lib/sbuf.h"

static const char *caps_diff(
    const struct bgp_caps *a, const struct bgp_caps *b);
static const char *open_diff(
    const struct bgp_open *a, const struct bgp_open *b);
static void open_queries(const struct bgp_open *o, struct sbuf *out);

/*
 * The capabilities as vrs-speaker's API tells them (ExaBGP's shapes):
 * the JSON members must make a JSON object, the text one line.
 */
static void
caps_check(const struct bgp_caps *c)
{
	struct sbuf j, t;
	json_error_t e;
	json_t *v;
	size_t i;

	sbuf_init(&j);
	sbuf_init(&t);
	sbuf_puts(&j, "{ ");
	exa_caps_json(&j, c, (c->ncaps & 1) != 0);
	sbuf_puts(&j, " }");
	if ((v = json_loads(j.s, 0, &e)) == NULL) {
		fprintf(stderr, "fuzz: %s: %s\n", e.text, j.s);
		fuzz_fail("open: the capabilities' JSON does not parse");
	}
	json_decref(v);
	exa_caps_text(&t, c);
	for (i = 0; i < t.len; i++)
		if ((unsigned char)t.s[i] < 0x20)
			fuzz_fail("open: the capabilities' text has a control");
	sbuf_fini(&j);
	sbuf_fini(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct exa_env env = { .local_addr = "127.0.0.1",
		.peer_addr = "127.0.0.2",
		.direction = "in",
		.host = "fuzz" };
	static uint8_t wire[BGP_MAX_LEN];
	static uint8_t store[BGP_CAPS_MAX * 255];
	static struct bgp_open o, again;
	static struct bgp_caps built;
	struct bgp_caps_builder b;
	struct bgp_err err;
	struct bgp_hdr h;
	struct rbuf stream;
	struct wbuf w;
	struct sbuf out;
	const char *diff;
	uint8_t *shortbuf;
	size_t shortlen;
	unsigned i;

	sbuf_init(&out);
	memset(&err, 0xa5, sizeof(err)); /* must be set whenever false */
	if (!bgp_open_decode(rbuf_make(data, size), &o, &err)) {
		fuzz_err_print(&out, &err);
		goto done;
	}
	exa_json_open(&out, &env, &o);
	open_queries(&o, &out);
	caps_check(&o.caps);

	/* the builder vrs-speaker uses must summarise the same list alike */
	bgp_caps_builder_init(&b, &built, store, sizeof(store));
	for (i = 0; i < o.caps.ncaps; i++)
		if (!bgp_caps_add(&b, o.caps.caps[i].code,
		        o.caps.caps[i].value.p, o.caps.caps[i].value.len))
			fuzz_fail("open: builder refused a decoded capability");
	if (!bgp_caps_parse(&built, &err))
		fuzz_fail("open: builder list does not parse");
	if ((diff = caps_diff(&o.caps, &built)) != NULL) {
		fprintf(stderr, "fuzz: builder: %s differs\n", diff);
		fuzz_fail("open: builder summary differs");
	}

	/* decode(encode(x)) == x; encoding never grows the parameters */
	wbuf_init(&w, wire, sizeof(wire));
	if (!bgp_open_encode(&w, &o)) {
		if (size + BGP_HDR_LEN <= BGP_MAX_LEN)
			fuzz_fail("open: a decoded OPEN does not encode");
		goto done;
	}
	stream = rbuf_make(wire, w.len);
	if (bgp_msg_frame(&stream, BGP_MAX_LEN, &h, &err) != BGP_FRAME_OK ||
	    h.type != BGP_MSG_OPEN || stream.len != 0)
		fuzz_fail("open: encoded OPEN does not frame");
	if (!bgp_open_decode(h.body, &again, &err)) {
		fuzz_err_print(&out, &err);
		fputs(out.s, stderr);
		fuzz_fail("open: encoded OPEN does not decode");
	}
	if ((diff = open_diff(&o, &again)) != NULL) {
		fprintf(stderr, "fuzz: re-decoded: %s differs\n", diff);
		fuzz_fail("open: decode(encode(x)) differs");
	}

	/* a buffer one or more bytes short: false, and no write past it */
	shortlen = size % w.len;
	shortbuf = malloc(shortlen > 0 ? shortlen : 1);
	if (shortbuf == NULL)
		goto done;
	wbuf_init(&w, shortbuf, shortlen);
	if (bgp_open_encode(&w, &o))
		fuzz_fail("open: encoded into a buffer too short");
	free(shortbuf);

done:
	sbuf_fini(&out);
	return 0;
}

/* What a session asks of a peer's OPEN when it negotiates. */
static void
open_queries(const struct bgp_open *o, struct sbuf *out)
{
	const struct bgp_caps *c = &o->caps;
	uint16_t afi;

	if (c->ncaps > BGP_CAPS_MAX || c->nmp > BGP_CAP_AF_MAX ||
	    c->ngr > BGP_CAP_AF_MAX || c->naddpath > BGP_CAP_AF_MAX ||
	    c->nextnh > BGP_CAP_AF_MAX)
		fuzz_fail("open: list counts past their arrays");
	sbuf_printf(out, "asn %u", (unsigned)bgp_open_asn(o));
	for (afi = BGP_AFI_IPV4; afi <= BGP_AFI_IPV6; afi++)
		sbuf_printf(out, " %u/1 %d addpath %u", afi,
		    bgp_caps_has_af(c, afi, BGP_SAFI_UNICAST),
		    bgp_caps_addpath(c, afi, BGP_SAFI_UNICAST));
	if (c->fqdn)
		sbuf_printf(out, " fqdn %.*s.%.*s", (int)c->hostname.len,
		    (const char *)c->hostname.p, (int)c->domain.len,
		    (const char *)c->domain.p);
	sbuf_putc(out, '\n');
}

static bool
af_list_same(const struct bgp_afsafi *a, const struct bgp_afsafi *b, uint8_t n)
{
	uint8_t i;

	for (i = 0; i < n; i++)
		if (a[i].afi != b[i].afi || a[i].safi != b[i].safi ||
		    a[i].val != b[i].val || a[i].nh_afi != b[i].nh_afi)
			return false;
	return true;
}

/* The first summary field that differs, or NULL. */
static const char *
caps_diff(const struct bgp_caps *a, const struct bgp_caps *b)
{
	unsigned i;

	if (a->mp_present != b->mp_present || a->nmp != b->nmp ||
	    !af_list_same(a->mp, b->mp, a->nmp))
		return "multiprotocol";
	if (a->rr != b->rr || a->enhanced_rr != b->enhanced_rr)
		return "route refresh";
	if (a->ext_msg != b->ext_msg)
		return "extended message";
	if (a->as4 != b->as4 || a->as4_asn != b->as4_asn)
		return "4-octet AS";
	if (a->gr != b->gr || a->gr_flags_time != b->gr_flags_time ||
	    a->ngr != b->ngr || !af_list_same(a->grafs, b->grafs, a->ngr))
		return "graceful restart";
	if (a->naddpath != b->naddpath ||
	    !af_list_same(a->addpath, b->addpath, a->naddpath))
		return "ADD-PATH";
	if (a->nextnh != b->nextnh ||
	    !af_list_same(a->extnh, b->extnh, a->nextnh))
		return "extended next hop";
	if (a->fqdn != b->fqdn || !rbuf_equal(a->hostname, b->hostname) ||
	    !rbuf_equal(a->domain, b->domain))
		return "FQDN";
	if (a->ncaps != b->ncaps)
		return "capability count";
	for (i = 0; i < a->ncaps; i++)
		if (a->caps[i].code != b->caps[i].code ||
		    !rbuf_equal(a->caps[i].value, b->caps[i].value))
			return "capability list";
	return NULL;
}

static const char *
open_diff(const struct bgp_open *a, const struct bgp_open *b)
{
	if (a->version != b->version || a->my_as != b->my_as ||
	    a->hold_time != b->hold_time || a->bgp_id != b->bgp_id)
		return "fixed fields";
	if (a->ext_params != b->ext_params)
		return "extended parameters";
	return caps_diff(&a->caps, &b->caps);
}
