/* SPDX-License-Identifier: ISC */
/* tests/bgp/test_exa_api.c - unit tests for src/bgp/exa.c: what ExaBGP's API prints of OPENs and NOTIFICATIONs. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "bgp/exa.h"
#include "bgp/open.h"
#include "lib/sbuf.h"

/*
 * The expected strings are what Debian's exabgp 4.2.21 printed for the
 * same bytes: its API live for BIRD's OPEN (tests/speaker/api-receive.sh
 * compares that), and for the others its own classes, run as
 *   Capabilities.unpack(OPTIONAL-PARAMETERS) -> JSON()._json_kv(caps),
 *   str(caps).lower()
 * (exabgp/bgp/message/open/capability/, reactor/api/response/json.py).
 */

static void
data_is(
    uint8_t code, uint8_t sub, const char *bytes, size_t n, const char *want)
{
	struct sbuf out;

	sbuf_init(&out);
	exa_notify_data(&out, code, sub, rbuf_make((const uint8_t *)bytes, n));
	assert_int_equal(out.len, strlen(want));
	assert_memory_equal(out.s != NULL ? out.s : "", want, out.len);
	sbuf_fini(&out);
}

/*
 * RFC 9003's shutdown communication, as ExaBGP's Notification means to
 * parse it (bgp/message/notification.py): under Python 3, 4.2.21's own
 * parsing of a non-empty one raises (bytes formatted with a str), so
 * these strings are its code's, not its output.
 */
static void
test_shutdown_data(void **state)
{
	(void)state;
	data_is(6, 2, "", 0, "");
	data_is(
	    6, 2, "\x08lab over", 9, "Shutdown Communication: \"lab over\"");
	data_is(6, 4,
	    "\x03"
	    "a\nb",
	    4, "Shutdown Communication: \"a b\"");
	data_is(6, 2, "\x00", 1, "empty Shutdown Communication.");
	data_is(6, 2,
	    "\x05"
	    "ab",
	    3,
	    "invalid Shutdown Communication (buffer underrun) length : 5 "
	    "[0x6162]");
	data_is(6, 2, "\x02\xc3\x28", 3,
	    "invalid Shutdown Communication (invalid UTF-8) length : 2 "
	    "[0xC328]");
	data_is(6, 2,
	    "\x01"
	    "ab",
	    3, "Shutdown Communication: \"a\", trailing data: 0x62");
	/* other codes: the data as it came */
	data_is(6, 3, "Peer De-configured", 18, "Peer De-configured");
	data_is(2, 2, "\xfd\xe9", 2, "\xfd\xe9");
}

static void
test_notify_names(void **state)
{
	(void)state;
	assert_string_equal(exa_notify_code(6), "Cease");
	assert_string_equal(
	    exa_notify_subcode(6, 2), "Administrative Shutdown");
	assert_string_equal(exa_notify_code(4), "Hold timer expired");
	assert_string_equal(exa_notify_subcode(4, 0), "Unspecific");
	assert_string_equal(exa_notify_subcode(4, 1), "unknow reason");
	assert_string_equal(exa_notify_code(9), "unknown error");
	assert_string_equal(exa_notify_subcode(6, 9), "unknow reason");
	assert_string_equal(
	    exa_notify_subcode(7, 2), "Malformed Message Subtype");
}

/* An OPEN body with one optional parameter holding caps. */
static void
open_of(struct bgp_open *o, uint8_t *body, const uint8_t *caps, size_t n)
{
	struct bgp_err err;

	memcpy(body, "\x04\xff\xeb\x00\xf0\x0a\x00\x02\x04", 9);
	body[9] = (uint8_t)(n + 2);
	body[10] = 2;
	body[11] = (uint8_t)n;
	memcpy(body + 12, caps, n);
	memset(&err, 0, sizeof(err));
	assert_true(bgp_open_decode(rbuf_make(body, 12 + n), o, &err));
}

static void
caps_are(const uint8_t *caps, size_t n, const char *json, const char *text)
{
	uint8_t body[300];
	struct bgp_open o;
	struct sbuf j, t;

	open_of(&o, body, caps, n);
	sbuf_init(&j);
	sbuf_init(&t);
	exa_caps_json(&j, &o.caps, false);
	exa_caps_text(&t, &o.caps);
	assert_string_equal(j.s, json);
	assert_string_equal(t.s, text);
	sbuf_fini(&j);
	sbuf_fini(&t);
}

/* BIRD 2.0.12's OPEN, as exabgp printed it (JSON in wire order, text by code) */
static void
test_caps_bird(void **state)
{
	static const uint8_t caps[] = { 1, 4, 0, 1, 0, 1, 2, 0, 64, 2, 0, 0x78,
		65, 4, 0, 0, 0xff, 0xeb, 70, 0, 71, 0 };

	(void)state;
	caps_are(caps, sizeof(caps),
	    "\"1\": { \"name\": \"multiprotocol\", \"families\": [ "
	    "\"ipv4/unicast\" ] }, \"2\": { \"name\": \"route-refresh\", "
	    "\"variant\": \"RFC\" }, \"64\": { \"name\": \"graceful "
	    "restart\", \"time\": 120, \"address-family-flags\": { }, "
	    "\"restart-flags\": [ ] }, \"65\": { \"name\": \"asn4\", "
	    "\"asn4\": 65515 }, \"70\": { \"name\": "
	    "\"enhanced-route-refresh\" }, \"71\": { \"name\": \"unknown\", "
	    "\"iana\": \"unassigned\", \"value\": 71, \"raw\": \"\" }",
	    "multiprotocol(ipv4 unicast), route refresh, graceful restart "
	    "flags 0x0 time 120 , asn4(65515), enhanced route refresh, "
	    "unassigned 71");
}

/*
 * Two MP values, add-path merged by family (the last mode), an FQDN
 * (73: 4.2.21 does not decode it), graceful restart with a family.
 */
static void
test_caps_merged(void **state)
{
	static const uint8_t caps[] = { 69, 4, 0, 1, 1, 1, 1, 4, 0, 2, 0, 1, 1,
		4, 0, 1, 0, 1, 69, 8, 0, 1, 1, 3, 0, 2, 1, 2, 73, 6, 3, 'V',
		'm', '1', 1, 'd', 64, 6, 0x80, 0x5a, 0, 1, 1, 0x80 };

	(void)state;
	caps_are(caps, sizeof(caps),
	    "\"69\": { \"name\": \"addpath\", \"ipv4/unicast\": "
	    "\"send/receive\",\"ipv6/unicast\": \"send\" }, \"1\": { \"name\": "
	    "\"multiprotocol\", \"families\": [ \"ipv6/unicast\", "
	    "\"ipv4/unicast\" ] }, \"73\": { \"name\": \"unknown\", \"iana\": "
	    "\"unassigned\", \"value\": 73, \"raw\": \"03566D310164\" }, "
	    "\"64\": { \"name\": \"graceful restart\", \"time\": 90, "
	    "\"address-family-flags\": { \"ipv4/unicast\": [ \"restart\" ] }, "
	    "\"restart-flags\": [ \"forwarding\" ] }",
	    "multiprotocol(ipv6 unicast,ipv4 unicast), graceful restart flags "
	    "0x8 time 90 ipv4/unicast=0x80, addpath(send/receive ipv4 "
	    "unicast,send ipv6 unicast), unassigned 73");
}

/* the other codes 4.2.21 knows, and unknown, reserved ones */
static void
test_caps_others(void **state)
{
	static const uint8_t caps[] = { 5, 6, 0, 1, 0, 1, 0, 2, 6, 0, 68, 0,
		128, 0, 131, 0, 185, 0, 3, 1, 7, 0, 0, 200, 2, 1, 2 };

	(void)state;
	caps_are(caps, sizeof(caps),
	    "\"5\": { \"name\": \"nexthop\", \"conversion\": [ "
	    "\"ipv4/unicast/ipv6\" ] }, \"6\": { \"name\": "
	    "\"extended-message\", \"size\": 65535 }, \"68\": { \"name\": "
	    "\"multisession\", \"variant\": \"Cisco\", \"capabilities\": [ ] "
	    "}, \"128\": { \"name\": \"route-refresh\", \"variant\": "
	    "\"Cisco\" }, \"131\": { \"name\": \"multisession\", \"variant\": "
	    "\"Cisco\", \"capabilities\": [ ] }, \"185\": { \"name\": "
	    "\"operational\" }, \"3\": { \"name\": \"unknown\", \"iana\": "
	    "\"unknown\", \"value\": 3, \"raw\": \"07\" }, \"0\": { \"name\": "
	    "\"unknown\", \"iana\": \"unknown\", \"value\": 0, \"raw\": \"\" "
	    "}, \"200\": { \"name\": \"unknown\", \"iana\": \"reserved\", "
	    "\"value\": 200, \"raw\": \"0102\" }",
	    "unknown 0, unknown 3, nexthop(ipv4 unicast ipv6), extended "
	    "message(65535), multisession , cisco route refresh, multisession "
	    ", operational, reserved 200");
}

/*
 * ExaBGP's hostname (184) is not decoded by 4.2.21 either; its names
 * key a sent OPEN's capabilities.
 */
static void
test_caps_hostname_keys(void **state)
{
	static const uint8_t caps[] = { 184, 6, 3, 'V', 'm', '1', 1, 'd', 65, 4,
		0, 0, 0xfd, 0xe9, 71, 0 };
	uint8_t body[300];
	struct bgp_open o;
	struct sbuf j;

	(void)state;
	caps_are(caps, sizeof(caps),
	    "\"184\": { \"name\": \"unknown\", \"iana\": \"reserved\", "
	    "\"value\": 184, \"raw\": \"03566D310164\" }, \"65\": { \"name\": "
	    "\"asn4\", \"asn4\": 65001 }, \"71\": { "
	    "\"name\": \"unknown\", \"iana\": \"unassigned\", \"value\": 71, "
	    "\"raw\": \"\" }",
	    "asn4(65001), unassigned 71, reserved 184");
	open_of(&o, body, caps, sizeof(caps));
	sbuf_init(&j);
	exa_caps_json(&j, &o.caps, true);
	assert_string_equal(j.s,
	    "\"exabgp-experimental-hostname\": { \"name\": \"unknown\", "
	    "\"iana\": \"reserved\", \"value\": 184, \"raw\": "
	    "\"03566D310164\" }, \"asn4\": { \"name\": \"asn4\", "
	    "\"asn4\": 65001 }, \"unassigned-0x47\": { \"name\": \"unknown\", "
	    "\"iana\": \"unassigned\", \"value\": 71, \"raw\": \"\" }");
	sbuf_fini(&j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shutdown_data),
		cmocka_unit_test(test_notify_names),
		cmocka_unit_test(test_caps_bird),
		cmocka_unit_test(test_caps_merged),
		cmocka_unit_test(test_caps_others),
		cmocka_unit_test(test_caps_hostname_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
