// SPDX-License-Identifier: GPL-2.0-only
#include "strtab.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct str_ent {
	const struct kx_strtab *t;
	size_t off;
};

static hashval_t ent_hash(const void *p)
{
	const struct str_ent *e = p;

	return htab_hash_string(e->t->buf + e->off);
}

static int ent_eq(const void *a, const void *key)
{
	const struct str_ent *e = a;

	return !strcmp(e->t->buf + e->off, key);
}

int kx_strtab_init(struct kx_strtab *t)
{
	memset(t, 0, sizeof(*t));
	t->index = htab_create_alloc(1024, ent_hash, ent_eq, free, calloc, free);
	t->buf = calloc(1, 1);
	if (!t->index || !t->buf)
		return -1;
	t->size = t->cap = 1; /* offset 0 is the empty string */
	return 0;
}

size_t kx_strtab_add(struct kx_strtab *t, const char *s)
{
	size_t n = strlen(s) + 1;
	struct str_ent *e;
	void **slot;
	char *b;

	if (!*s)
		return 0;
	slot = htab_find_slot_with_hash(t->index, s, htab_hash_string(s), INSERT);
	if (!slot)
		return (size_t)-1;
	if (*slot)
		return ((struct str_ent *)*slot)->off;
	b = kx_grow(t->buf, &t->cap, t->size + n, 1);
	if (!b) {
		htab_clear_slot(t->index, slot);
		return (size_t)-1;
	}
	t->buf = b;
	e = malloc(sizeof(*e));
	if (!e) {
		htab_clear_slot(t->index, slot);
		return (size_t)-1;
	}
	memcpy(t->buf + t->size, s, n);
	e->t = t;
	e->off = t->size;
	t->size += n;
	*slot = e;
	return e->off;
}

void kx_strtab_free(struct kx_strtab *t)
{
	if (t->index)
		htab_delete(t->index);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}
