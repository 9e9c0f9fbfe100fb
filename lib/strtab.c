// SPDX-License-Identifier: GPL-2.0-only
#include "strtab.h"

#include <errno.h>
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
		return -ENOMEM;
	t->size = t->cap = 1; /* offset 0 is the empty string */
	return 0;
}

/* The joined string is written past the table's end, where it is looked
 * up, and kept there only if it is new. */
int kx_strtab_add_joined(struct kx_strtab *t, const char *prefix, const char *s, uint32_t *off)
{
	size_t lp = strlen(prefix), n = lp + strlen(s) + 1;
	struct str_ent *e;
	char *key, *b;
	void **slot;

	*off = 0;
	if (n == 1)
		return 0;
	if (n > UINT32_MAX || t->size > UINT32_MAX - n)
		return -EFBIG;
	b = kx_grow(t->buf, &t->cap, t->size + n, 1);
	if (!b)
		return -ENOMEM;
	t->buf = b;
	key = t->buf + t->size;
	memcpy(key, prefix, lp);
	memcpy(key + lp, s, n - lp);
	slot = htab_find_slot_with_hash(t->index, key, htab_hash_string(key), INSERT);
	if (!slot)
		return -ENOMEM;
	if (*slot) {
		*off = (uint32_t)((struct str_ent *)*slot)->off;
		return 0;
	}
	e = malloc(sizeof(*e));
	if (!e) {
		htab_clear_slot(t->index, slot);
		return -ENOMEM;
	}
	e->t = t;
	e->off = t->size;
	t->size += n;
	*slot = e;
	*off = (uint32_t)e->off;
	return 0;
}

void kx_strtab_free(struct kx_strtab *t)
{
	if (t->index)
		htab_delete(t->index);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}
