/* SPDX-License-Identifier: ISC */
/* lib/num.c - decimal numbers in configuration and command text. */

#include "lib/num.h"

#include <errno.h>
#include <stdlib.h>

bool
num_parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || x > max)
		return false;
	*v = x;
	return true;
}
