/* SPDX-License-Identifier: GPL-2.0-only */
/* An ELF string table being built: each distinct string stored once. */
#ifndef KELFIX_STRTAB_H
#define KELFIX_STRTAB_H

#include <stddef.h>

#include <libiberty/hashtab.h>

struct kx_strtab {
	char *buf;
	size_t size, cap;
	htab_t index; /* string -> offset */
};

int kx_strtab_init(struct kx_strtab *t);
/* Offset of s in the table (added if new), or (size_t)-1 on ENOMEM. */
size_t kx_strtab_add(struct kx_strtab *t, const char *s);
void kx_strtab_free(struct kx_strtab *t);

#endif
