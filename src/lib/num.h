/* SPDX-License-Identifier: ISC */
/* lib/num.h - decimal numbers in configuration and command text. */

#ifndef VRS_LIB_NUM_H
#define VRS_LIB_NUM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Parse s, decimal digits only (no sign, space or suffix), into *v; false
 * (v untouched) if s is NULL, empty, not all digits, or above max.
 */
bool num_parse_u64(const char *s, uint64_t max, uint64_t *v);

#endif
