/* SPDX-License-Identifier: ISC */
/* api/web.c - the web view: one page, built into vrsd, on the TCP listener. */

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "api/api_int.h"

/*
 * DOC: the web view
 *
 * With web: true, the TCP listener (control-listen) serves one page at
 * /: src/api/web/index.html, app.js and style.css, turned into C arrays
 * at build time (web/embed.cmake writes web_assets.c).  The page draws
 * the topology and reads the API as any client does: GET /v1/topology
 * and /v1/peers every two seconds, the ARM-shaped effectiveRouteTable,
 * explain, learnedRoutes, advertisedRoutes, getLearnedRoutes and
 * getAdvertisedRoutes for what is clicked.  Nothing of the page is
 * secret, so its files need no token; the API behind it keeps every
 * rule of api_tcp_cb, and the page sends the token itself when
 * http-token-file is set (it reads it once from #token= or ?token=).
 *
 * A browser names the page's origin in Origin on its POSTs, which the
 * TCP listener otherwise refuses (a page of another site must not drive
 * the API): the page's own origin, http:// and the request's Host, is
 * let in.  Another site's page cannot claim it, and a page whose name
 * an attacker points at 127.0.0.1 (DNS rebinding) sends its own name in
 * Host, which api_tcp_cb refuses when there is no token.
 *
 * The Content-Security-Policy allows scripts, styles and requests to
 * this origin only: no inline script, no remote load of any kind.
 */

/* web_assets.c, written by web/embed.cmake: each file's bytes, and length */
extern const unsigned char api_web_index_html[], api_web_app_js[],
    api_web_style_css[];
extern const size_t api_web_index_html_len, api_web_app_js_len,
    api_web_style_css_len;

#define WEB_CSP                                                       \
	"default-src 'none'; script-src 'self'; style-src 'self'; "   \
	"img-src 'self' data:; connect-src 'self'; base-uri 'none'; " \
	"form-action 'none'; frame-ancestors 'none'"

struct web_file {
	const char *path; /* as requested */
	const char *type; /* Content-Type */
	const unsigned char *data;
	const size_t *len;
};

static const struct web_file web_files[] = {
	{ "/", "text/html; charset=utf-8", api_web_index_html,
	    &api_web_index_html_len },
	{ "/web/", "text/html; charset=utf-8", api_web_index_html,
	    &api_web_index_html_len },
	{ "/web/index.html", "text/html; charset=utf-8", api_web_index_html,
	    &api_web_index_html_len },
	{ "/web/app.js", "text/javascript; charset=utf-8", api_web_app_js,
	    &api_web_app_js_len },
	{ "/web/style.css", "text/css; charset=utf-8", api_web_style_css,
	    &api_web_style_css_len },
};

void
api_set_web(struct api *a, bool on)
{
	a->web = on;
}

/* The file req asks for, or NULL. */
static const struct web_file *
web_file_find(struct evhttp_request *req)
{
	const struct evhttp_uri *u = evhttp_request_get_evhttp_uri(req);
	const char *path = u ? evhttp_uri_get_path(u) : NULL;
	size_t i;

	if (path == NULL)
		return NULL;
	for (i = 0; i < sizeof(web_files) / sizeof(web_files[0]); i++)
		if (strcmp(path, web_files[i].path) == 0)
			return &web_files[i];
	return NULL;
}

bool
api_web_is_page(const struct api *a, struct evhttp_request *req)
{
	return a->web && evhttp_request_get_command(req) == EVHTTP_REQ_GET &&
	    web_file_find(req) != NULL;
}

bool
api_web_origin_ok(
    const struct api *a, struct evhttp_request *req, const char *origin)
{
	const char *host =
	    evhttp_find_header(evhttp_request_get_input_headers(req), "Host");

	return a->web && host != NULL && strncmp(origin, "http://", 7) == 0 &&
	    strcasecmp(origin + 7, host) == 0;
}

/* FNV-1a of the file, as its ETag: the files change only with vrsd. */
static void
web_etag(const struct web_file *f, char *buf, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < *f->len; i++)
		h = (h ^ f->data[i]) * 0x100000001b3ull;
	snprintf(buf, len, "\"%016llx\"", (unsigned long long)h);
}

void
api_web_page(struct api *a, struct evhttp_request *req)
{
	const struct web_file *f = web_file_find(req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	const char *inm;
	struct evbuffer *b;
	char etag[24];

	(void)a;
	if (f == NULL) {
		api_reply_error(req, 404, "NotFound", "no such page");
		return;
	}
	web_etag(f, etag, sizeof(etag));
	evhttp_add_header(out, "Content-Security-Policy", WEB_CSP);
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "X-Frame-Options", "DENY");
	/* the page's address may carry ?token= */
	evhttp_add_header(out, "Referrer-Policy", "no-referrer");
	/* asked again each time, answered 304 while unchanged */
	evhttp_add_header(out, "Cache-Control", "no-cache");
	evhttp_add_header(out, "ETag", etag);
	inm = evhttp_find_header(
	    evhttp_request_get_input_headers(req), "If-None-Match");
	if (inm != NULL && strcmp(inm, etag) == 0) {
		evhttp_send_reply(req, 304, "Not Modified", NULL);
		return;
	}
	evhttp_add_header(out, "Content-Type", f->type);
	b = evbuffer_new();
	evbuffer_add(b, f->data, *f->len);
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}
