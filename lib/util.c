// SPDX-License-Identifier: GPL-2.0-only
#include "util.h"

#include <stdint.h>
#include <stdlib.h>

void *kx_grow(void *v, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;

	if (need <= *cap)
		return v;
	while (n < need)
		n *= 2;
	if (n > SIZE_MAX / elem)
		return NULL;
	v = realloc(v, n * elem);
	if (v)
		*cap = n;
	return v;
}
