/* SPDX-License-Identifier: ISC */
/* tests/speaker/test_route.c - unit tests for src/speaker/route.c: route attributes as ExaBGP parses and sends them. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "bgp/update.h"
#include "lib/hex.h"
#include "speaker/config.h"

/*
 * The corpus tests read ExaBGP's own configurations and expected UPDATE
 * messages from $VRS_SHARED_DIR/conformance/exabgp (skipped without it):
 * for every raw UPDATE of a case, the route of the configuration that
 * carries its first prefix is encoded with spk_route_attrs() and must
 * equal the message's path attributes, MP_REACH_NLRI aside (ExaBGP
 * appends it after all other attributes).
 */

static char shared[1024];

static int
setup(void **state)
{
	const char *s = getenv("VRS_SHARED_DIR");

	(void)state;
	shared[0] = '\0';
	if (s != NULL)
		snprintf(shared, sizeof(shared), "%s/conformance/exabgp", s);
	return 0;
}

/* Encode the attributes of route i of the only neighbour of text. */
static size_t
encode(const char *text, size_t i, bool asn4, uint8_t *buf, size_t cap)
{
	struct spk_config cfg;
	const struct spk_neighbor *n;
	const struct spk_route *r;
	size_t len = 0;

	if (!spk_config_parse(&cfg, "t.conf", text))
		fail_msg("%s", cfg.errors.s);
	assert_int_equal(cfg.nneighbors, 1);
	n = cfg.neighbors[0];
	assert_true(i < n->nroutes);
	r = n->routes[i];
	assert_true(spk_route_attrs(n, r,
	    r->nexthop_self ? &n->local_addr : &r->nexthop, asn4, buf, cap,
	    &len));
	spk_config_free(&cfg);
	return len;
}

static void
expect_attrs(const char *text, size_t i, bool asn4, const char *hex)
{
	uint8_t buf[4096], want[4096];
	size_t len, wlen;
	char got[8193];

	len = encode(text, i, asn4, buf, sizeof(buf));
	assert_true(hex_decode(hex, want, sizeof(want), &wlen, NULL));
	hex_encode(buf, len, got);
	if (len != wlen || memcmp(buf, want, len) != 0)
		fail_msg("got  %s\nwant %s", got, hex);
}

#define NB(as1, as2, body)                                                  \
	"neighbor 127.0.0.1 { router-id 1.2.3.4; local-address 127.0.0.1; " \
	"local-as " as1 "; peer-as " as2 "; static { " body " } }"

static void
test_route_ibgp_defaults(void **state)
{
	/* ORIGIN IGP, empty AS_PATH, NEXT_HOP, LOCAL_PREF 100 */
	(void)state;
	expect_attrs(NB("1", "1", "route 10.0.0.0/8 next-hop 1.1.1.1;"), 0,
	    true, "40010100 400200 40030401010101 40050400000064");
}

static void
test_route_ebgp_defaults(void **state)
{
	/* eBGP: AS_PATH is the local AS, no LOCAL_PREF even if configured */
	(void)state;
	expect_attrs(NB("65001", "65002",
	                 "route 10.0.0.0/8 next-hop 1.1.1.1 "
	                 "local-preference 50;"),
	    0, true, "40010100 40020602010000FDE9 40030401010101");
}

static void
test_route_ebgp_aspath_as_written(void **state)
{
	/* a configured AS_PATH goes out exactly as written, no prepend */
	(void)state;
	expect_attrs(NB("65001", "65002",
	                 "route 10.0.0.0/8 next-hop 1.1.1.1 "
	                 "as-path [ 65010 65010 ];"),
	    0, true, "40010100 40020A0202 0000FDF2 0000FDF2 40030401010101");
}

static void
test_route_aspath_set(void **state)
{
	/* [ 1 2 ( 3 4 ) 5 ]: the sequence 1 2 5, then the set 3 4 */
	(void)state;
	expect_attrs(NB("1", "1",
	                 "route 10.0.0.0/8 next-hop 1.1.1.1 "
	                 "as-path [ 1 2 ( 3 4 ) 5 ];"),
	    0, true,
	    "40010100 4002180203000000010000000200000005010200000003"
	    "00000004 40030401010101 40050400000064");
}

static void
test_route_as2_trans(void **state)
{
	/*
	 * Without 4-octet AS: AS_TRANS (23456 = 5BA0) in AS_PATH, the real
	 * path in AS4_PATH (0xC0, 17) right after it; AGGREGATOR likewise
	 * with AS4_AGGREGATOR (0xC0, 18).
	 */
	(void)state;
	expect_attrs(NB("1", "1",
	                 "route 10.0.0.0/8 next-hop 1.1.1.1 as-path [ 70000 ] "
	                 "aggregator ( 70000:1.2.3.4 );"),
	    0, false,
	    "40010100 4002040201 5BA0 C01106020100011170 40030401010101"
	    "40050400000064 C007065BA001020304 C0120800011170 01020304");
}

static void
test_route_communities(void **state)
{
	/* well-known names, ASN:VALUE, hex and plain numbers, in order */
	(void)state;
	expect_attrs(NB("1", "1",
	                 "route 10.0.0.0/8 next-hop 1.1.1.1 community "
	                 "[ no-export no-advertise no-export-subconfed nopeer "
	                 "blackhole 65535:1 0x10 7 ];"),
	    0, true,
	    "40010100 400200 40030401010101 40050400000064 C00820"
	    "FFFFFF01 FFFFFF02 FFFFFF03 FFFFFF04 FFFF029A FFFF0001 "
	    "00000010 00000007");
}

static void
test_route_extended_communities(void **state)
{
	/*
	 * target:ASN:N is type 0x00 subtype 0x02; an ASN above 65535 or
	 * with L makes it 0x02 (4-octet); ASN:IPV4 is written as ASN and
	 * a 4-byte number; IPV4:N keeps type 0x00 too (ExaBGP's code
	 * does not switch to 0x01).
	 */
	(void)state;
	expect_attrs(
	    NB("1", "1",
	        "route 10.0.0.0/8 next-hop 1.1.1.1 extended-community "
	        "[ target:65000:1 origin:130000:1234 target:120000L:123 "
	        "72:0.0.0.1 target:1.2.3.4:5 ];"),
	    0, true,
	    "40010100 400200 40030401010101 40050400000064 C01028"
	    "0002FDE800000001 02030001FBD004D2 02020001D4C0007B "
	    "0002004800000001 0002010203040005");
}

static void
test_route_first_setting_wins(void **state)
{
	/* as ExaBGP's Attributes.add(): a repeated attribute is ignored */
	(void)state;
	expect_attrs(NB("1", "1",
	                 "route 10.0.0.0/8 next-hop 1.1.1.1 med 1 med 2 "
	                 "attribute [ 0x04 0x80 0x00000003 ];"),
	    0, true,
	    "40010100 400200 40030401010101 800404 00000001 40050400000064");
}

static void
test_route_generic_extended_length(void **state)
{
	/* flags 0x10 ask for a 2-byte length; flags are kept as written */
	(void)state;
	expect_attrs(NB("1", "1",
	                 "route 10.0.0.0/8 next-hop 1.1.1.1 "
	                 "attribute [ 0x99 0x70 0x00000064 ];"),
	    0, true,
	    "40010100 400200 40030401010101 40050400000064 7099000400000064");
}

static void
test_route_empty_lists_dropped(void **state)
{
	/* an optional attribute with no value is not sent at all */
	(void)state;
	expect_attrs(NB("1", "1",
	                 "route 10.0.0.0/8 next-hop 1.1.1.1 community [ ] "
	                 "large-community [ ];"),
	    0, true, "40010100 400200 40030401010101 40050400000064");
}

static void
test_route_ipv6_nexthop_not_written(void **state)
{
	/* an IPv6 next hop goes in MP_REACH_NLRI, built by the caller */
	(void)state;
	expect_attrs(NB("1", "1", "route 2001:db8::/64 next-hop 2001:db8::1;"),
	    0, true, "40010100 400200 40050400000064");
}

static void
test_route_split(void **state)
{
	struct spk_config cfg;
	const struct spk_route *r;
	struct prefix p;
	char buf[PREFIX_STRLEN];

	(void)state;
	assert_true(spk_config_parse(&cfg, "t.conf",
	    NB("1", "1", "route 172.10.0.0/22 next-hop 1.1.1.1 split /24;")));
	r = cfg.neighbors[0]->routes[0];
	assert_int_equal(spk_route_split_count(r), 4);
	spk_route_split_prefix(r, 3, &p);
	assert_string_equal(
	    prefix_print(&p, buf, sizeof(buf)), "172.10.3.0/24");
	spk_config_free(&cfg);
}

static void
test_route_bad_values(void **state)
{
	static const struct {
		const char *route, *error;
	} cases[] = {
		{ "route 10.0.0.1/8 next-hop 1.1.1.1;",
		    "t.conf:1:104: invalid prefix 10.0.0.1/8 (host bits set)" },
		{ "route 10.0.0.0/8 next-hop 1.1.1.1 med x;",
		    "t.conf:1:136: invalid med x (0-4294967295)" },
		{ "route 10.0.0.0/8 next-hop 1.1.1.1 community 65536:1;",
		    "t.conf:1:142: invalid community 65536:1 (ASN:VALUE, each "
		    "0-65535)" },
		{ "route 10.0.0.0/8 next-hop 1.1.1.1 colour red;",
		    "t.conf:1:132: unknown route attribute colour (expected "
		    "next-hop," },
		{ "route 10.0.0.0/8 med 1;",
		    "t.conf:1:104: route 10.0.0.0/8 has no next-hop" },
		{ "route 10.0.0.0/8 next-hop 1.1.1.1 origin bad;",
		    "t.conf:1:139: unknown origin bad (igp, egp or "
		    "incomplete)" },
		{ "route 10.0.0.0/8 next-hop 1.1.1.1 split /33;",
		    "t.conf:1:138: invalid split /33 (/8-/32)" },
		{ "route 10.0.0.0/8 next-hop 1.1.1.1 label 5;",
		    "t.conf:1:132: label is not supported (unicast routes "
		    "only)" },
		{ "route 10.0.0.0/8 next-hop 1.1.1.1 as-path [ 1 x ];",
		    "t.conf:1:144: invalid as-path: bad ASN x (0-4294967295)" },
		{ "route 10.0.0.0/8 next-hop 1.1.1.1 extended-community "
		  "bogus:1:2;",
		    "t.conf:1:151: invalid extended-community bogus:1:2" },
	};
	char text[512];
	struct spk_config cfg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(
		    text, sizeof(text), NB("1", "1", "%s"), cases[i].route);
		assert_false(spk_config_parse(&cfg, "t.conf", text));
		if (strstr(cfg.errors.s, cases[i].error) == NULL)
			fail_msg("%s\ngot:  %swant: %s", cases[i].route,
			    cfg.errors.s, cases[i].error);
		spk_config_free(&cfg);
	}
}

/* Read a whole file into a malloc'd string; NULL if missing. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t cap = 65536, len = 0, n;
	char *s;

	if (f == NULL)
		return NULL;
	s = malloc(cap);
	while ((n = fread(s + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap)
			s = realloc(s, cap *= 2);
	}
	s[len] = '\0';
	fclose(f);
	return s;
}

/* The first prefix announced by UPDATE body b (IPv4 NLRI or MP_REACH). */
static bool
first_prefix(const uint8_t *attrs, size_t alen, const uint8_t *nlri,
    size_t nlen, struct prefix *p, size_t *mp_at)
{
	size_t i = 0, l, nh;

	*mp_at = alen;
	while (i + 3 <= alen) {
		l = attrs[i] & BGP_ATTR_EXTLEN
		    ? (size_t)attrs[i + 2] << 8 | attrs[i + 3]
		    : attrs[i + 2];
		if (attrs[i + 1] == BGP_ATTR_MP_REACH) {
			/* flags type len afi(2) safi nhlen nh reserved nlri */
			*mp_at = i;
			nh = attrs[i + 3 + 3];
			prefix_set(p, attrs[i + 4] == 1 ? ADDR_V4 : ADDR_V6,
			    attrs + i + 3 + 4 + nh + 1 + 1,
			    attrs[i + 3 + 4 + nh + 1]);
			return true;
		}
		i += (attrs[i] & BGP_ATTR_EXTLEN ? 4 : 3) + l;
	}
	if (nlen == 0)
		return false;
	prefix_set(p, ADDR_V4, nlri + 1, nlri[0]);
	return true;
}

/* Check every raw UPDATE of one corpus case against the configuration. */
static void
check_case(const char *name)
{
	char path[1200], *msg, *line, *save, *data;
	const struct spk_neighbor *n;
	const struct spk_route *r = NULL;
	uint8_t m[4096], buf[4096];
	struct spk_config cfg;
	struct prefix p, q;
	size_t mlen, wl, al, len, mp_at, k;
	uint64_t s;
	int checked = 0;

	if (shared[0] == '\0')
		skip();
	snprintf(path, sizeof(path), "%s/etc/exabgp/%s.conf", shared, name);
	if (!spk_config_load(&cfg, path))
		fail_msg("%s", cfg.errors.s);
	n = cfg.neighbors[0];
	snprintf(path, sizeof(path), "%s/qa/ci/%s.msg", shared, name);
	assert_non_null(msg = slurp(path));
	for (line = strtok_r(msg, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strchr(line, '#') != NULL ||
		    (data = strstr(line, ":raw:")) == NULL)
			continue;
		assert_true(hex_decode(data + 5, m, sizeof(m), &mlen, NULL));
		if (m[18] != 2 || mlen < 23)
			continue;
		wl = (size_t)m[19] << 8 | m[20];
		al = (size_t)m[21 + wl] << 8 | m[22 + wl];
		if (al == 0 ||
		    !first_prefix(m + 23 + wl, al, m + 23 + wl + al,
		        mlen - 23 - wl - al, &p, &mp_at))
			continue;
		for (k = 0, r = NULL; k < n->nroutes && r == NULL; k++)
			for (s = 0; s < spk_route_split_count(n->routes[k]);
			     s++) {
				spk_route_split_prefix(n->routes[k], s, &q);
				if (prefix_equal(&p, &q)) {
					r = n->routes[k];
					break;
				}
			}
		assert_non_null(r);
		assert_true(spk_route_attrs(n, r,
		    r->nexthop_self ? &n->local_addr : &r->nexthop,
		    n->capa.asn4, buf, sizeof(buf), &len));
		if (len != mp_at || memcmp(buf, m + 23 + wl, len) != 0) {
			char got[8193], want[8193];

			hex_encode(buf, len, got);
			hex_encode(m + 23 + wl, mp_at, want);
			fail_msg("%s line %s\ngot  %s\nwant %s", name, line,
			    got, want);
		}
		/* MP_REACH_NLRI, when present, is the last attribute */
		assert_true(mp_at == al || m[23 + wl + mp_at + 1] == 14);
		checked++;
	}
	assert_true(checked > 0);
	free(msg);
	spk_config_free(&cfg);
}

static void
test_corpus_aggregator(void **state)
{
	(void)state;
	check_case("conf-aggregator");
}

static void
test_corpus_generic_attribute(void **state)
{
	(void)state;
	check_case("conf-generic-attribute");
}

static void
test_corpus_largecommunity(void **state)
{
	(void)state;
	check_case("conf-largecommunity");
}

static void
test_corpus_new_v4(void **state)
{
	(void)state;
	check_case("conf-new-v4");
}

static void
test_corpus_no_asn4(void **state)
{
	(void)state;
	check_case("conf-no-asn4");
}

static void
test_corpus_ipv46routes4family(void **state)
{
	(void)state;
	check_case("conf-ipv46routes4family");
}

static void
test_corpus_ipv46routes6family(void **state)
{
	(void)state;
	check_case("conf-ipv46routes6family");
}

static void
test_corpus_split(void **state)
{
	(void)state;
	check_case("conf-split");
}

static void
test_corpus_ipself4(void **state)
{
	(void)state;
	check_case("conf-ipself4");
}

static void
test_corpus_group_limit(void **state)
{
	(void)state;
	check_case("conf-group-limit");
}

static void
test_corpus_extended_nexthop(void **state)
{
	(void)state;
	check_case("extended-nexthop");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_ibgp_defaults),
		cmocka_unit_test(test_route_ebgp_defaults),
		cmocka_unit_test(test_route_ebgp_aspath_as_written),
		cmocka_unit_test(test_route_aspath_set),
		cmocka_unit_test(test_route_as2_trans),
		cmocka_unit_test(test_route_communities),
		cmocka_unit_test(test_route_extended_communities),
		cmocka_unit_test(test_route_first_setting_wins),
		cmocka_unit_test(test_route_generic_extended_length),
		cmocka_unit_test(test_route_empty_lists_dropped),
		cmocka_unit_test(test_route_ipv6_nexthop_not_written),
		cmocka_unit_test(test_route_split),
		cmocka_unit_test(test_route_bad_values),
		cmocka_unit_test(test_corpus_aggregator),
		cmocka_unit_test(test_corpus_generic_attribute),
		cmocka_unit_test(test_corpus_largecommunity),
		cmocka_unit_test(test_corpus_new_v4),
		cmocka_unit_test(test_corpus_no_asn4),
		cmocka_unit_test(test_corpus_ipv46routes4family),
		cmocka_unit_test(test_corpus_ipv46routes6family),
		cmocka_unit_test(test_corpus_split),
		cmocka_unit_test(test_corpus_ipself4),
		cmocka_unit_test(test_corpus_group_limit),
		cmocka_unit_test(test_corpus_extended_nexthop),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
