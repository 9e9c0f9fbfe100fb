/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers shared by the passes. */
#ifndef KELFIX_UTIL_H
#define KELFIX_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Relocation arithmetic is modulo 2^64 (the psABI's S + A), not C's
 * signed arithmetic, which must not overflow. */
static inline int64_t kx_wrap_add(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

/*
 * Room for at least need elements of elem bytes in array v of capacity
 * *cap, growing by doubling.  Returns the (possibly moved) array and
 * updates *cap, or returns NULL with v and *cap untouched.
 */
void *kx_grow(void *v, size_t *cap, size_t need, size_t elem);

#endif
