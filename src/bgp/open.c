/* SPDX-License-Identifier: ISC */
/* bgp/open.c - decode and encode OPEN messages and capabilities. */

#include "bgp/open.h"

#include <string.h>

static bool open_params_decode(
    struct rbuf params, bool ext, struct bgp_caps *c, struct bgp_err *err);

/*
 * RFC 4271 4.2 OPEN body:
 *   version (1) | my AS (2) | hold time (2) | BGP identifier (4) |
 *   opt param len (1) | optional parameters
 * RFC 9072: opt param len 255 followed by type 255 means a 2-octet
 * length follows, and every parameter has a 2-octet length.
 */
bool
bgp_open_decode(struct rbuf body, struct bgp_open *o, struct bgp_err *err)
{
	static const uint8_t version[2] = { 0, BGP_VERSION };
	struct rbuf b = body, params;
	uint16_t plen16;
	uint8_t plen, t;

	memset(o, 0, sizeof(*o));
	if (!rbuf_u8(&b, &o->version) || !rbuf_u16(&b, &o->my_as) ||
	    !rbuf_u16(&b, &o->hold_time) || !rbuf_u32(&b, &o->bgp_id) ||
	    !rbuf_u8(&b, &plen))
		return bgp_err_set(err, BGP_ERR_HEADER, BGP_HDR_LEN_ERR,
		    rbuf_make(NULL, 0), "OPEN too short");
	if (o->version != BGP_VERSION)
		return bgp_err_set_own(err, BGP_ERR_OPEN, BGP_OPEN_VERSION,
		    version, 2, "unsupported BGP version");
	if (plen == 255 && b.len >= 1 && b.p[0] == BGP_OPT_EXT_LEN) {
		rbuf_u8(&b, &t);
		if (!rbuf_u16(&b, &plen16))
			goto bad_len;
		o->ext_params = true;
		if (!rbuf_take(&b, plen16, &params))
			goto bad_len;
	} else if (!rbuf_take(&b, plen, &params))
		goto bad_len;
	if (b.len != 0)
		goto bad_len;
	/* RFC 7607: AS 0 is never valid */
	if (o->my_as == 0)
		return bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_PEER_AS,
		    rbuf_make(NULL, 0), "peer AS 0");
	if (o->hold_time == 1 || o->hold_time == 2)
		return bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_HOLDTIME,
		    rbuf_make(NULL, 0), "hold time 1 or 2");
	if (o->bgp_id == 0)
		return bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_BGPID,
		    rbuf_make(NULL, 0), "BGP identifier 0");
	if (!open_params_decode(params, o->ext_params, &o->caps, err))
		return false;
	if (o->caps.as4 && o->caps.as4_asn == 0)
		return bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_PEER_AS,
		    rbuf_make(NULL, 0), "4-octet AS 0");
	return true;

bad_len:
	return bgp_err_set(err, BGP_ERR_OPEN, 0, rbuf_make(NULL, 0),
	    "optional parameters length does not match the message");
}

static bool
open_params_decode(
    struct rbuf params, bool ext, struct bgp_caps *c, struct bgp_err *err)
{
	struct rbuf p = params, val, at, cv;
	uint16_t len16;
	uint8_t type, len8, code, clen;

	while (p.len > 0) {
		at = p;
		if (!rbuf_u8(&p, &type))
			goto bad;
		if (ext) {
			if (!rbuf_u16(&p, &len16))
				goto bad;
		} else {
			if (!rbuf_u8(&p, &len8))
				goto bad;
			len16 = len8;
		}
		if (!rbuf_take(&p, len16, &val))
			goto bad;
		if (type != BGP_OPT_CAPA)
			return bgp_err_set(err, BGP_ERR_OPEN, BGP_OPEN_OPTPARAM,
			    rbuf_make(at.p, 1),
			    "unsupported optional parameter");
		/* RFC 5492 4: one parameter may carry several capabilities */
		while (val.len > 0) {
			if (!rbuf_u8(&val, &code) || !rbuf_u8(&val, &clen) ||
			    !rbuf_take(&val, clen, &cv))
				goto bad;
			if (c->ncaps >= BGP_CAPS_MAX)
				return bgp_err_set(err, BGP_ERR_OPEN, 0,
				    rbuf_make(NULL, 0),
				    "too many capabilities");
			c->caps[c->ncaps++] = (struct bgp_cap){
				.code = code, .param = c->nparams, .value = cv
			};
		}
		c->nparams++;
	}
	return bgp_caps_parse(c, err);

bad:
	return bgp_err_set(err, BGP_ERR_OPEN, 0, rbuf_make(NULL, 0),
	    "malformed optional parameter");
}

static bool
caps_af_list(struct rbuf v, size_t width, struct bgp_afsafi *list, uint8_t *n,
    uint8_t code)
{
	struct rbuf e = { NULL, 0 };
	uint16_t afi = 0, nhafi = 0, s16 = 0;
	uint8_t safi = 0, b = 0;

	if (v.len == 0 && code != BGP_CAP_GR)
		return false;
	if (v.len % width != 0)
		return false;
	while (v.len > 0) {
		if (!rbuf_take(&v, width, &e) || !rbuf_u16(&e, &afi))
			return false;
		if (code == BGP_CAP_EXT_NH) {
			/* RFC 8950 3: AFI (2) SAFI (2) next hop AFI (2) */
			rbuf_u16(&e, &s16);
			rbuf_u16(&e, &nhafi);
			safi = (uint8_t)s16;
			b = 0;
		} else {
			rbuf_u8(&e, &safi);
			rbuf_u8(&e, &b);
			nhafi = 0;
		}
		if (*n < BGP_CAP_AF_MAX)
			list[(*n)++] = (struct bgp_afsafi){ .afi = afi,
				.safi = safi,
				.val = b,
				.nh_afi = nhafi };
	}
	return true;
}

/*
 * Summarise caps->caps[].  A capability whose value has the wrong shape
 * is kept in the list but ignored, as if it had not been offered; but a
 * multiprotocol or 4-octet AS capability of the wrong length changes what
 * the peer will send, so it is a malformed parameter (RFC 4271 6.2: 2/0).
 */
bool
bgp_caps_parse(struct bgp_caps *c, struct bgp_err *err)
{
	struct rbuf v, h, d;
	uint32_t as4;
	uint16_t afi;
	uint8_t safi, res, hl;
	unsigned i;

	c->nmp = c->ngr = c->naddpath = c->nextnh = 0;
	for (i = 0; i < c->ncaps; i++) {
		v = c->caps[i].value;
		switch (c->caps[i].code) {
		case BGP_CAP_MP:
			/* RFC 4760 8: AFI (2), reserved (1), SAFI (1) */
			if (v.len != 4)
				return bgp_err_set(err, BGP_ERR_OPEN, 0, v,
				    "multiprotocol capability length is not 4");
			rbuf_u16(&v, &afi);
			rbuf_u8(&v, &res);
			rbuf_u8(&v, &safi);
			c->mp_present = true;
			if (c->nmp < BGP_CAP_AF_MAX)
				c->mp[c->nmp++] =
				    (struct bgp_afsafi){ .afi = afi,
					    .safi = safi };
			break;
		case BGP_CAP_RR:
		case BGP_CAP_RR_CISCO:
			if (v.len == 0)
				c->rr = true;
			break;
		case BGP_CAP_ENHANCED_RR:
			if (v.len == 0)
				c->enhanced_rr = true;
			break;
		case BGP_CAP_EXT_MSG:
			if (v.len == 0)
				c->ext_msg = true;
			break;
		case BGP_CAP_AS4:
			if (v.len != 4)
				return bgp_err_set(err, BGP_ERR_OPEN, 0, v,
				    "4-octet AS capability length is not 4");
			rbuf_u32(&v, &as4);
			c->as4 = true;
			c->as4_asn = as4;
			break;
		case BGP_CAP_GR:
			/* RFC 4724 3: flags+time (2), then AFI/SAFI/flags */
			if (v.len < 2 || (v.len - 2) % 4 != 0)
				break;
			rbuf_u16(&v, &c->gr_flags_time);
			c->gr = true;
			caps_af_list(v, 4, c->grafs, &c->ngr, BGP_CAP_GR);
			break;
		case BGP_CAP_ADDPATH:
			caps_af_list(
			    v, 4, c->addpath, &c->naddpath, BGP_CAP_ADDPATH);
			break;
		case BGP_CAP_EXT_NH:
			caps_af_list(
			    v, 6, c->extnh, &c->nextnh, BGP_CAP_EXT_NH);
			break;
		case BGP_CAP_FQDN:
			if (!rbuf_u8(&v, &hl) || !rbuf_take(&v, hl, &h) ||
			    !rbuf_u8(&v, &hl) || !rbuf_take(&v, hl, &d) ||
			    v.len != 0)
				break;
			c->fqdn = true;
			c->hostname = h;
			c->domain = d;
			break;
		default:
			break;
		}
	}
	return true;
}

uint32_t
bgp_open_asn(const struct bgp_open *o)
{
	return o->caps.as4 ? o->caps.as4_asn : o->my_as;
}

bool
bgp_caps_has_af(const struct bgp_caps *c, uint16_t afi, uint8_t safi)
{
	unsigned i;

	/* RFC 4760 8: without any MP capability, IPv4 unicast is implied */
	if (!c->mp_present)
		return afi == BGP_AFI_IPV4 && safi == BGP_SAFI_UNICAST;
	for (i = 0; i < c->nmp; i++)
		if (c->mp[i].afi == afi && c->mp[i].safi == safi)
			return true;
	return false;
}

uint8_t
bgp_caps_addpath(const struct bgp_caps *c, uint16_t afi, uint8_t safi)
{
	unsigned i;

	for (i = 0; i < c->naddpath; i++)
		if (c->addpath[i].afi == afi && c->addpath[i].safi == safi)
			return c->addpath[i].val & 3;
	return 0;
}

void
bgp_caps_builder_init(struct bgp_caps_builder *b, struct bgp_caps *caps,
    uint8_t *store, size_t cap)
{
	memset(caps, 0, sizeof(*caps));
	*b = (struct bgp_caps_builder){
		.caps = caps, .store = store, .cap = cap
	};
}

bool
bgp_caps_add(
    struct bgp_caps_builder *b, uint8_t code, const void *value, size_t len)
{
	struct bgp_caps *c = b->caps;

	if (c->ncaps >= BGP_CAPS_MAX || len > 255 || b->cap - b->len < len)
		return false;
	if (len > 0)
		memcpy(b->store + b->len, value, len);
	c->caps[c->ncaps++] = (struct bgp_cap){ .code = code,
		.param = b->param++,
		.value = rbuf_make(b->store + b->len, len) };
	c->nparams = b->param;
	b->len += len;
	return true;
}

bool
bgp_open_encode(struct wbuf *w, const struct bgp_open *o)
{
	const struct bgp_caps *c = &o->caps;
	size_t off = w->len, plen_off, poff = 0, total;
	unsigned i;
	bool ext = o->ext_params;
	int cur = -1;

	bgp_hdr_encode(w, BGP_MSG_OPEN, 0);
	wbuf_put_u8(w, o->version);
	wbuf_put_u16(w, o->my_as);
	wbuf_put_u16(w, o->hold_time);
	wbuf_put_u32(w, o->bgp_id);
	if (ext) {
		wbuf_put_u8(w, 255);
		wbuf_put_u8(w, BGP_OPT_EXT_LEN);
		plen_off = wbuf_reserve(w, 2);
	} else
		plen_off = wbuf_reserve(w, 1);
	if (!wbuf_ok(w))
		return false;
	for (i = 0; i < c->ncaps; i++) {
		if (c->caps[i].param != cur) {
			if (cur >= 0 && !ext) {
				if (w->len - poff - 1 > 255)
					return false;
				wbuf_patch_u8(
				    w, poff, (uint8_t)(w->len - poff - 1));
			} else if (cur >= 0)
				wbuf_patch_u16(
				    w, poff, (uint16_t)(w->len - poff - 2));
			cur = c->caps[i].param;
			wbuf_put_u8(w, BGP_OPT_CAPA);
			poff = wbuf_reserve(w, ext ? 2 : 1);
		}
		wbuf_put_u8(w, c->caps[i].code);
		wbuf_put_u8(w, (uint8_t)c->caps[i].value.len);
		wbuf_put(w, c->caps[i].value.p, c->caps[i].value.len);
		if (!wbuf_ok(w))
			return false;
	}
	if (cur >= 0) {
		if (!ext && w->len - poff - 1 > 255)
			return false;
		if (ext)
			wbuf_patch_u16(w, poff, (uint16_t)(w->len - poff - 2));
		else
			wbuf_patch_u8(w, poff, (uint8_t)(w->len - poff - 1));
	}
	total = w->len - plen_off - (ext ? 2 : 1);
	if (ext)
		wbuf_patch_u16(w, plen_off, (uint16_t)total);
	else if (total > 255)
		return false;
	else
		wbuf_patch_u8(w, plen_off, (uint8_t)total);
	return bgp_msg_finish(w, off, BGP_MAX_LEN);
}
