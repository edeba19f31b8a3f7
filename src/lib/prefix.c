/* SPDX-License-Identifier: ISC */
/* lib/prefix.c - parse, print, compare and test IPv4/IPv6 prefixes. */

#include "lib/prefix.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
addr_maxlen(uint8_t af)
{
	return af == ADDR_V4 ? 32 : 128;
}

static size_t
addr_bytes(uint8_t af)
{
	return af == ADDR_V4 ? 4 : 16;
}

bool
addr_parse_af(const char *s, uint8_t af, struct ipaddr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(af == ADDR_V4 ? AF_INET : AF_INET6, s, a->a) != 1)
		return false;
	a->af = af;
	return true;
}

bool
addr_parse(const char *s, struct ipaddr *a)
{
	if (strchr(s, ':') != NULL)
		return addr_parse_af(s, ADDR_V6, a);
	return addr_parse_af(s, ADDR_V4, a);
}

char *
addr_print(const struct ipaddr *a, char *buf, size_t size)
{
	if (a->af != ADDR_V4 && a->af != ADDR_V6) {
		snprintf(buf, size, "none");
		return buf;
	}
	if (inet_ntop(a->af == ADDR_V4 ? AF_INET : AF_INET6, a->a, buf,
	        (socklen_t)size) == NULL &&
	    size > 0)
		buf[0] = '\0';
	return buf;
}

int
addr_cmp(const struct ipaddr *a, const struct ipaddr *b)
{
	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	return memcmp(a->a, b->a, addr_bytes(a->af));
}

bool
addr_is_unspecified(const struct ipaddr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->a, zero, addr_bytes(a->af)) == 0;
}

bool
prefix_bits_clean(const uint8_t *a, uint8_t len, size_t alen)
{
	size_t i = len / 8;

	if (i < alen && (len % 8) != 0) {
		if (a[i] & (0xff >> (len % 8)))
			return false;
		i++;
	}
	for (; i < alen; i++)
		if (a[i] != 0)
			return false;
	return true;
}

void
prefix_set(struct prefix *p, uint8_t af, const uint8_t *a, uint8_t len)
{
	size_t n = (len + 7u) / 8;

	memset(p, 0, sizeof(*p));
	p->af = af;
	p->len = len;
	memcpy(p->a, a, n);
	if (len % 8)
		p->a[n - 1] &= (uint8_t)(0xff << (8 - len % 8));
}

const char *
prefix_parse(const char *s, struct prefix *p, int flags)
{
	char buf[ADDR_STRLEN];
	struct ipaddr a;
	const char *slash;
	char *end;
	size_t n;
	long len;

	slash = strchr(s, '/');
	n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof(buf))
		return "bad address";
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!addr_parse(buf, &a))
		return "bad address";
	if (slash == NULL) {
		if (!(flags & PREFIX_HOST_OK))
			return "missing prefix length";
		len = addr_maxlen(a.af);
	} else {
		if (slash[1] < '0' || slash[1] > '9')
			return "bad length";
		len = strtol(slash + 1, &end, 10);
		if (*end != '\0' || len < 0 || len > addr_maxlen(a.af))
			return "bad length";
	}
	if (!(flags & PREFIX_MASK) &&
	    !prefix_bits_clean(a.a, (uint8_t)len, addr_bytes(a.af)))
		return "host bits set";
	prefix_set(p, a.af, a.a, (uint8_t)len);
	return NULL;
}

char *
prefix_print(const struct prefix *p, char *buf, size_t size)
{
	char a[ADDR_STRLEN];
	struct ipaddr ad;

	ad.af = p->af;
	memcpy(ad.a, p->a, sizeof(ad.a));
	snprintf(buf, size, "%s/%u", addr_print(&ad, a, sizeof(a)), p->len);
	return buf;
}

int
prefix_cmp(const struct prefix *a, const struct prefix *b)
{
	int c;

	if (a->af != b->af)
		return a->af < b->af ? -1 : 1;
	c = memcmp(a->a, b->a, addr_bytes(a->af));
	if (c != 0)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return 0;
}

bool
prefix_equal(const struct prefix *a, const struct prefix *b)
{
	return prefix_cmp(a, b) == 0;
}

static bool
bits_match(const uint8_t *a, const uint8_t *b, unsigned len)
{
	unsigned n = len / 8;

	if (memcmp(a, b, n) != 0)
		return false;
	if (len % 8 == 0)
		return true;
	return ((a[n] ^ b[n]) & (0xff << (8 - len % 8)) & 0xff) == 0;
}

bool
prefix_contains(const struct prefix *outer, const struct prefix *inner)
{
	if (outer->af != inner->af || outer->len > inner->len)
		return false;
	return bits_match(outer->a, inner->a, outer->len);
}

bool
prefix_contains_addr(const struct prefix *p, const struct ipaddr *a)
{
	if (p->af != a->af)
		return false;
	return bits_match(p->a, a->a, p->len);
}

bool
addr_loopback_map(const struct ipaddr *a, struct ipaddr *out)
{
	if (a->af != ADDR_V4 || a->a[0] == 0)
		return false;
	*out = *a;
	out->a[0] = 127;
	return true;
}
