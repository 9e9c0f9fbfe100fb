/* SPDX-License-Identifier: GPL-2.0-only */
/* An ELF string table being built: each distinct string stored once. */
#ifndef KELFIX_STRTAB_H
#define KELFIX_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include <libiberty/hashtab.h>

struct kx_strtab {
	char *buf;
	size_t size, cap;
	htab_t index; /* string -> offset */
};

/* Returns 0 or -ENOMEM. */
int kx_strtab_init(struct kx_strtab *t);
/*
 * The offset of prefix and s joined (of any length: nothing is cut) in
 * the table, added if new, in *off.  Returns 0, -ENOMEM, or -EFBIG when
 * the table would pass what an ELF name offset (32 bits) can reach.
 */
int kx_strtab_add_joined(struct kx_strtab *t, const char *prefix, const char *s, uint32_t *off);
static inline int kx_strtab_add(struct kx_strtab *t, const char *s, uint32_t *off)
{
	return kx_strtab_add_joined(t, "", s, off);
}
void kx_strtab_free(struct kx_strtab *t);

#endif
