// SPDX-License-Identifier: GPL-2.0-only
/*
 * Symbol resolution across all input objects: COMDAT groups deduplicated
 * (the first group of a signature wins, as in ld), then every global name
 * bound to one definition (strong over weak; two strong definitions are an
 * error naming both members).  Undefined names stay undefined for the
 * kernel to resolve at load time.  A crate-private name whose function
 * only jumps to another defined name is bound to that one (rustc's
 * allocator shim), so calls go straight there: live marking asks, at the
 * first reference to a name, so that only code the link reads anyway is
 * read for it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "link.h"
#include "util.h"
#include "x86.h"

static void free_global(void *p);

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

struct kx_global *kx_global_find(struct kx_link *l, const char *name)
{
	struct global_key k = { name, name_hash(name) };

	return htab_find_with_hash(l->globals, &k, k.hash);
}

static struct kx_global *global_get(struct kx_link *l, const char *name)
{
	hashval_t h = name_hash(name);
	struct global_key k = { name, h };
	void **slot = htab_find_slot_with_hash(l->globals, &k, h, INSERT);
	struct kx_global *g, **order;

	if (!slot)
		return NULL;
	if (*slot)
		return *slot;
	order = kx_grow(l->gorder, &l->gorder_cap, l->nglobals + 1, sizeof(*order));
	if (order)
		l->gorder = order;
	g = order ? calloc(1, sizeof(*g)) : NULL;
	if (!g) {
		htab_clear_slot(l->globals, slot);
		return NULL;
	}
	g->name = name;
	g->hash = h;
	g->order = (uint32_t)l->nglobals;
	l->gorder[l->nglobals++] = g;
	*slot = g;
	return g;
}

/* Legacy Rust (and C++) "_ZN...", Rust v0 "_R<uppercase>". */
bool kx_name_is_mangled(const char *name)
{
	return !strncmp(name, "_ZN", 3) ||
	       (name[0] == '_' && name[1] == 'R' && name[2] >= 'A' && name[2] <= 'Z');
}

/* An unmangled, default-visibility name: one C code or the kernel may use.
 * Hidden globals (LLVM's promoted "anon.*" constants, say) and mangled Rust
 * names are private to the crate. */
bool kx_sym_is_interface(const struct kx_symbol *y)
{
	return !kx_name_is_mangled(y->name) &&
	       GELF_ST_VISIBILITY(y->sym.st_other) == STV_DEFAULT;
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

	if (!obj->symtab || grp->sh.sh_link != obj->symtab->index || grp->sh.sh_info >= obj->nsyms) {
		kx_err(obj, grp, 0, "section group with a bad signature symbol %u", grp->sh.sh_info);
		return -ENOEXEC;
	}
	*sig = obj->syms[grp->sh.sh_info].name;
	return 0;
}

/* The first COMDAT group of a signature stays; a later one is discarded. */
static int dedup_group(struct kx_link *l, struct kx_section *grp)
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
	slot = htab_find_slot_with_hash(l->comdats, sig, htab_hash_string(sig), INSERT);
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

static int dedup_comdat(struct kx_link *l, struct kx_object *obj)
{
	struct kx_section *s;
	int err;

	kx_for_each_sec(obj, s) {
		if (s->sh.sh_type != SHT_GROUP)
			continue;
		err = dedup_group(l, s);
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

static bool sym_is_weak(const struct kx_symbol *y)
{
	return GELF_ST_BIND(y->sym.st_info) == STB_WEAK;
}

static int define(struct kx_object *obj, struct kx_symbol *y, struct kx_global *g)
{
	if (kx_sym_is_common(y)) {
		kx_err(obj, NULL, 0, "'%s' is a common symbol (SHN_COMMON), which the kernel "
		       "refuses; compile C with -fno-common", kx_pretty(y->name, 0));
		return -EINVAL;
	}
	if (!g->def) {
		g->def = y;
		g->def_obj = obj;
		return 0;
	}
	if (sym_is_weak(y))
		return 0;
	if (sym_is_weak(g->def)) {
		g->def = y;
		g->def_obj = obj;
		return 0;
	}
	kx_report_file(KX_ERROR, NULL,
		       "'%s' is defined twice: in " KX_OBJ_FMT " and in " KX_OBJ_FMT
		       "; remove one definition",
		       kx_pretty(y->name, 0), KX_OBJ_ARGS(g->def_obj), KX_OBJ_ARGS(obj));
	return -EINVAL;
}

static int resolve_object(struct kx_link *l, struct kx_object *obj)
{
	struct kx_symbol *y;
	int ret = 0;

	if (!obj->syms)
		return 0;
	kx_for_each_sym(obj, y) {
		struct kx_global *g;

		if (kx_sym_is_local(y) || y == obj->syms)
			continue;
		g = global_get(l, y->name);
		if (!g)
			return -ENOMEM;
		y->global = g;
		if (sym_is_defined(y)) {
			int err = define(obj, y, g);

			if (err == -ENOMEM)
				return err;
			if (err)
				ret = err;
		}
	}
	return ret;
}

/* --- Jumps elsewhere ------------------------------------------------ */

/* The longest function kx_is_tail_jump() accepts: endbr64 + jmp *disp32(%rip). */
#define TAIL_JUMP_MAX 10
/* Jumps to jumps followed at most (a loop of them is left alone). */
#define TAIL_JUMP_HOPS 8

/* The name g's definition jumps to, if that function is only a jump to
 * another defined global (*to, else NULL).  Only crate-private strong
 * functions: an interface name or a weak one keeps its own code. */
static int jump_target(struct kx_global *g, struct kx_global **to)
{
	const struct kx_symbol *d = g->def;
	const struct kx_reloc *r, *jump = NULL;
	struct kx_section *sec;
	uint64_t start, size;
	int err;

	*to = NULL;
	if (!d || !d->sec || GELF_ST_TYPE(d->sym.st_info) != STT_FUNC ||
	    GELF_ST_BIND(d->sym.st_info) != STB_GLOBAL || kx_sym_is_interface(d) ||
	    d->sym.st_size > TAIL_JUMP_MAX || !(d->sec->sh.sh_flags & SHF_EXECINSTR))
		return 0;
	sec = d->sec;
	start = d->sym.st_value;
	size = d->sym.st_size;
	if (start > sec->sh.sh_size || size > sec->sh.sh_size - start)
		return 0;
	err = kx_sec_load(sec);
	if (err || !kx_sec_bytes(sec))
		return err;
	kx_for_each_reloc(sec, r) {
		if (r->offset < start || r->offset >= start + size)
			continue;
		if (jump)
			return 0;
		jump = r;
	}
	if (jump && kx_is_tail_jump(kx_sec_bytes(sec) + start, size, jump->offset - start, jump->type,
				    jump->addend)) {
		struct kx_global *t = g->def_obj->syms[jump->sym].global;

		if (t && t != g && t->def)
			*to = t;
	}
	return 0;
}

/* objtool (run on the whole module on 6.12) does not follow a call through
 * a function that only jumps: a call to the never-returning
 * __rust_alloc_error_handler looked like one that returns ("falls through
 * to next function").  Bound past, the jumping function is unreferenced. */
int kx_link_pass_jumps(struct kx_link *l, struct kx_global *g)
{
	struct kx_global *end = g, *next;
	unsigned hops = 0;
	int err;

	if (g->jumps_checked)
		return 0;
	g->jumps_checked = true;
	do {
		err = jump_target(end, &next);
		if (err)
			return err;
		if (next)
			end = next;
	} while (next && ++hops < TAIL_JUMP_HOPS);
	if (end == g || next)
		return 0;
	g->def = end->def;
	g->def_obj = end->def_obj;
	l->stats.tail_jumps++;
	return 0;
}

int kx_link_resolve(struct kx_link *l)
{
	size_t i;
	int err, ret = 0;

	for (i = 0; i < l->in.nobjs; i++) {
		err = dedup_comdat(l, l->in.objs[i]);
		if (err)
			return err;
	}
	if (!l->nglobals) {
		size_t n = 0;

		for (i = 0; i < l->in.nobjs; i++)
			n += l->in.objs[i]->nsyms;
		htab_delete(l->globals);
		l->globals = htab_create_alloc(n / 2 + 4096, global_hash, global_eq, free_global, calloc, free);
		if (!l->globals)
			return -ENOMEM;
	}
	for (i = 0; i < l->in.nobjs; i++) {
		err = resolve_object(l, l->in.objs[i]);
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

struct kx_section *kx_sym_target_sec(const struct kx_symbol *y)
{
	const struct kx_symbol *d = kx_sym_resolve(y);

	if (kx_sym_is_undef(d) || kx_sym_is_abs(d) || kx_sym_is_common(d))
		return NULL;
	return d->sec;
}

static int str_eq(const void *a, const void *b)
{
	return !strcmp(a, b);
}

static void free_global(void *p)
{
	free(p);
}

int kx_link_init(struct kx_link *l, const struct kx_options *opt)
{
	memset(l, 0, sizeof(*l));
	l->opt = opt;
	l->globals = htab_create_alloc(4096, global_hash, global_eq, free_global, calloc, free);
	l->comdats = htab_create_alloc(256, htab_hash_string,
				       str_eq, NULL, calloc, free);
	if (l->globals && l->comdats)
		return 0;
	kx_link_free(l);
	return -ENOMEM;
}
