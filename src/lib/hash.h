/* SPDX-License-Identifier: ISC */
/* lib/hash.h - fast non-cryptographic hashing for intern tables. */

#ifndef VRS_LIB_HASH_H
#define VRS_LIB_HASH_H

#include <stddef.h>
#include <stdint.h>

/* 64-bit hash of n bytes; equal input and seed give equal output. */
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);
/* Mix a 64-bit value into h (for hashing structures field by field). */
uint64_t hash_mix(uint64_t h, uint64_t v);

#endif
