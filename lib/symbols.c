// SPDX-License-Identifier: GPL-2.0-only
/* Symbol resolution across objects: see symbols.h. */
#include "symbols.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

static hashval_t global_hash(const void *p)
{
	return ((const struct kx_global *)p)->hash;
}

/* libiberty's word-at-a-time hash of the name (computed once per global,
 * kept in kx_global): Rust's mangled names average 62 bytes, and a
 * byte-at-a-time hash was most of the resolution's time. */
static hashval_t name_hash(const char *s)
{
	return iterative_hash(s, strlen(s), 0);
}

struct global_key {
	const char *name;
	hashval_t hash;
};

static int global_eq(const void *a, const void *b)
{
	const struct kx_global *g = a;
	const struct global_key *k = b;

	return g->hash == k->hash && !strcmp(g->name, k->name);
}

static int str_eq(const void *a, const void *b)
{
	return !strcmp(a, b);
}

static htab_t globals_new(size_t size)
{
	return htab_create_alloc(size, global_hash, global_eq, free, calloc, free);
}

int kx_symbols_init(struct kx_symbols *s, const struct kx_resolve_ops *ops, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->ctx = ctx;
	s->globals = globals_new(4096);
	s->comdats = htab_create_alloc(256, htab_hash_string, str_eq, NULL, calloc, free);
	return s->globals && s->comdats ? 0 : -ENOMEM;
}

void kx_symbols_free(struct kx_symbols *s)
{
	free(s->order);
	if (s->globals)
		htab_delete(s->globals);
	if (s->comdats)
		htab_delete(s->comdats);
	memset(s, 0, sizeof(*s));
}

struct kx_global *kx_symbols_find(const struct kx_symbols *s, const char *name)
{
	struct global_key k = { name, name_hash(name) };

	return htab_find_with_hash(s->globals, &k, k.hash);
}

static struct kx_global *global_get(struct kx_symbols *s, const char *name)
{
	hashval_t h = name_hash(name);
	struct global_key k = { name, h };
	void **slot = htab_find_slot_with_hash(s->globals, &k, h, INSERT);
	struct kx_global *g, **order;

	if (!slot)
		return NULL;
	if (*slot)
		return *slot;
	order = kx_grow(s->order, &s->cap, s->n + 1, sizeof(*order));
	if (order)
		s->order = order;
	g = order ? calloc(1, sizeof(*g)) : NULL;
	if (!g) {
		htab_clear_slot(s->globals, slot);
		return NULL;
	}
	g->name = name;
	g->hash = h;
	g->order = (uint32_t)s->n;
	s->order[s->n++] = g;
	*slot = g;
	return g;
}

/* --- COMDAT ------------------------------------------------------------ */

/* Words 1.. of a group are its member sections (ELF gABI, "Section
 * Groups"); word 0 its flags. */
static int discard_group(struct kx_section *grp, const Elf32_Word *w, size_t n)
{
	struct kx_object *obj = grp->obj;
	size_t i;

	for (i = 1; i < n; i++) {
		if (w[i] >= obj->nsecs) {
			kx_err(obj, grp, 0, "group member %u out of range", w[i]);
			return -ENOEXEC;
		}
		obj->secs[w[i]].discarded = true;
	}
	grp->discarded = true;
	return 0;
}

static int group_signature(struct kx_section *grp, const char **sig)
{
	struct kx_object *obj = grp->obj;

	if (!obj->symtab || grp->sh.sh_link != obj->symtab->index ||
	    grp->sh.sh_info >= obj->nsyms) {
		kx_err(obj, grp, 0, "section group with a bad signature symbol %u",
		       grp->sh.sh_info);
		return -ENOEXEC;
	}
	*sig = obj->syms[grp->sh.sh_info].name;
	return 0;
}

/* The first COMDAT group of a signature stays; a later one is discarded. */
static int dedup_group(struct kx_symbols *s, struct kx_section *grp)
{
	Elf32_Word *w;
	const char *sig;
	void **slot;
	size_t n;
	int err = kx_sec_words(grp, &w, &n);

	if (!err && (n < 1 || !(w[0] & GRP_COMDAT)))
		goto out;
	if (!err)
		err = group_signature(grp, &sig);
	if (err)
		goto out;
	slot = htab_find_slot_with_hash(s->comdats, sig, htab_hash_string(sig), INSERT);
	if (!slot)
		err = -ENOMEM;
	else if (*slot)
		err = discard_group(grp, w, n);
	else
		*slot = (void *)sig;
out:
	free(w);
	return err;
}

static int dedup_comdat(struct kx_symbols *s, struct kx_object *obj)
{
	struct kx_section *sec;
	int err;

	kx_for_each_sec(obj, sec) {
		if (sec->sh.sh_type != SHT_GROUP)
			continue;
		err = dedup_group(s, sec);
		if (err)
			return err;
	}
	return 0;
}

/* --- globals ----------------------------------------------------------- */

static bool sym_is_defined(const struct kx_symbol *y)
{
	if (kx_sym_is_undef(y))
		return false;
	return !y->sec || !y->sec->discarded;
}

static void bind(struct kx_global *g, struct kx_object *obj, struct kx_symbol *y)
{
	g->def = y;
	g->def_obj = obj;
}

static int define(struct kx_symbols *s, struct kx_object *obj, struct kx_symbol *y,
		  struct kx_global *g)
{
	if (kx_sym_is_common(y))
		return s->ops && s->ops->common ? s->ops->common(s->ctx, obj, y) : 0;
	if (!g->def || (kx_sym_is_weak(g->def) && !kx_sym_is_weak(y))) {
		bind(g, obj, y);
		return 0;
	}
	if (kx_sym_is_weak(y))
		return 0;
	return s->ops && s->ops->duplicate ? s->ops->duplicate(s->ctx, g, obj, y) : 0;
}

static int resolve_object(struct kx_symbols *s, struct kx_object *obj)
{
	struct kx_symbol *y;
	int ret = 0;

	if (!obj->syms)
		return 0;
	kx_for_each_sym(obj, y) {
		struct kx_global *g;

		if (kx_sym_is_local(y) || y == obj->syms)
			continue;
		g = global_get(s, y->name);
		if (!g)
			return -ENOMEM;
		y->global = g;
		if (sym_is_defined(y)) {
			int err = define(s, obj, y, g);

			if (err == -ENOMEM)
				return err;
			if (err)
				ret = err;
		}
	}
	return ret;
}

/* Sized for the inputs at the first resolution: a table that grows as it
 * fills rehashes every name again, several times for a large archive. */
static int size_globals(struct kx_symbols *s, struct kx_object *const *objs, size_t nobjs)
{
	size_t i, n = 0;

	if (s->n)
		return 0;
	for (i = 0; i < nobjs; i++)
		n += objs[i]->nsyms;
	htab_delete(s->globals);
	s->globals = globals_new(n / 2 + 4096);
	return s->globals ? 0 : -ENOMEM;
}

int kx_symbols_resolve(struct kx_symbols *s, struct kx_object *const *objs, size_t n)
{
	size_t i;
	int err, ret = 0;

	for (i = 0; i < n; i++) {
		err = dedup_comdat(s, objs[i]);
		if (err)
			return err;
	}
	err = size_globals(s, objs, n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		err = resolve_object(s, objs[i]);
		if (err == -ENOMEM)
			return err;
		if (err)
			ret = -EINVAL;
	}
	return ret;
}

const struct kx_symbol *kx_sym_resolve(const struct kx_symbol *y)
{
	if (y->global && y->global->def)
		return y->global->def;
	return y;
}
