/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers shared by the passes. */
#ifndef KELFIX_UTIL_H
#define KELFIX_UTIL_H

#include <stddef.h>

/*
 * Room for at least need elements of elem bytes in array v of capacity
 * *cap, growing by doubling.  Returns the (possibly moved) array and
 * updates *cap, or returns NULL with v and *cap untouched.
 */
void *kx_grow(void *v, size_t *cap, size_t need, size_t elem);

#endif
