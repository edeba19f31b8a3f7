/* SPDX-License-Identifier: ISC */
/* lib/prefix.h - IPv4 and IPv6 addresses and prefixes. */

#ifndef VRS_LIB_PREFIX_H
#define VRS_LIB_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADDR_V4 4
#define ADDR_V6 6

/* Long enough for "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128". */
#define PREFIX_STRLEN 52
#define ADDR_STRLEN   48

struct ipaddr {
	uint8_t af; /* ADDR_V4 or ADDR_V6; 0 for none */
	uint8_t a[16];
};

/* A prefix is always canonical: no bit set past len. */
struct prefix {
	uint8_t af;  /* ADDR_V4 or ADDR_V6 */
	uint8_t len; /* 0-32 or 0-128 */
	uint8_t a[16];
};

/* prefix_parse flags */
#define PREFIX_HOST_OK 0x01 /* "10.0.0.1" means 10.0.0.1/32 */
#define PREFIX_MASK    0x02 /* clear host bits instead of refusing them */

int addr_maxlen(uint8_t af);
bool addr_parse(const char *s, struct ipaddr *a);
bool addr_parse_af(const char *s, uint8_t af, struct ipaddr *a);
char *addr_print(const struct ipaddr *a, char *buf, size_t size);
int addr_cmp(const struct ipaddr *a, const struct ipaddr *b);
bool addr_is_unspecified(const struct ipaddr *a);
/*
 * A lab's socket address for the Azure (model) address a: IPv4 a.b.c.d
 * becomes 127.b.c.d, an address in 127.0.0.0/8 stays; false (out
 * unset) for IPv6 and 0.0.0.0/8, which have no mapping.
 */
bool addr_loopback_map(const struct ipaddr *a, struct ipaddr *out);

/*
 * Parse "ADDR/LEN".  Returns NULL on success, else a static reason
 * ("bad address", "bad length", "host bits set") for a user message.
 */
const char *prefix_parse(const char *s, struct prefix *p, int flags);
char *prefix_print(const struct prefix *p, char *buf, size_t size);
int prefix_cmp(const struct prefix *a, const struct prefix *b);
bool prefix_equal(const struct prefix *a, const struct prefix *b);
/* True when inner lies inside outer (or equals it); families must match. */
bool prefix_contains(const struct prefix *outer, const struct prefix *inner);
bool prefix_contains_addr(const struct prefix *p, const struct ipaddr *a);
/* Build a prefix from len and the first bytes of a; clears host bits. */
void prefix_set(struct prefix *p, uint8_t af, const uint8_t *a, uint8_t len);
/* True when no bit past len is set in a (wire form checks). */
bool prefix_bits_clean(const uint8_t *a, uint8_t len, size_t alen);

#endif
