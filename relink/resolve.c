// SPDX-License-Identifier: GPL-2.0-only
/*
 * Symbol resolution across all input objects, by the resolver relink and
 * the audit share (lib/symbols.c: COMDAT groups deduplicated, strong over
 * weak); here, what a conflict means to a link: two strong definitions, or
 * a common symbol, are an error naming the members.  A crate-private
 * name whose function only jumps to another defined name is bound to that
 * one (rustc's allocator shim), so calls go straight there: live marking
 * asks, at the first reference to a name, so that only code the link
 * reads anyway is read for it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "link.h"
#include "util.h"
#include "x86.h"

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
	return !kx_name_is_mangled(y->name) && GELF_ST_VISIBILITY(y->sym.st_other) == STV_DEFAULT;
}

/* --- conflicts ----------------------------------------------------- */

/* Two strong definitions, a common symbol: the link is refused. */
static int link_duplicate(void *ctx, const struct kx_global *g, struct kx_object *obj,
			  struct kx_symbol *y)
{
	(void)ctx;
	kx_report_file(KX_ERROR, NULL,
		       "'%s' is defined twice: in " KX_OBJ_FMT " and in " KX_OBJ_FMT
		       "; remove one definition",
		       kx_pretty(y->name, 0), KX_OBJ_ARGS(g->def_obj), KX_OBJ_ARGS(obj));
	return -EINVAL;
}

static int link_common(void *ctx, struct kx_object *obj, struct kx_symbol *y)
{
	(void)ctx;
	kx_err(obj, NULL, 0,
	       "'%s' is a common symbol (SHN_COMMON), which the kernel "
	       "refuses; compile C with -fno-common",
	       kx_pretty(y->name, 0));
	return -EINVAL;
}

static const struct kx_resolve_ops link_resolve_ops = {
	.duplicate = link_duplicate,
	.common = link_common,
};

struct kx_global *kx_global_find(struct kx_link *l, const char *name)
{
	return kx_symbols_find(&l->syms, name);
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
	if (jump && kx_is_tail_jump(kx_sec_bytes(sec) + start, size, jump->offset - start,
				    jump->type, jump->addend)) {
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
	return kx_symbols_resolve(&l->syms, l->in.objs, l->in.nobjs);
}

struct kx_section *kx_sym_target_sec(const struct kx_symbol *y)
{
	const struct kx_symbol *d = kx_sym_resolve(y);

	if (kx_sym_is_undef(d) || kx_sym_is_abs(d) || kx_sym_is_common(d))
		return NULL;
	return d->sec;
}

int kx_link_init(struct kx_link *l, const struct kx_options *opt)
{
	int err;

	memset(l, 0, sizeof(*l));
	l->opt = opt;
	err = kx_symbols_init(&l->syms, &link_resolve_ops, l);
	if (err)
		kx_link_free(l);
	return err;
}
