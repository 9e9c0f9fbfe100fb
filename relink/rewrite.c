// SPDX-License-Identifier: GPL-2.0-only
/*
 * Make every relocation of the live allocated sections one the x86-64
 * module loader applies (arch/x86/kernel/module.c): GOTPCREL forms are
 * rewritten in place where the instruction allows it (DESIGN.md's table,
 * x86.c) and go through a synthesized GOT otherwise; calls to mcount become
 * NOPs; what cannot be made loadable is an error naming symbol and site.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "link.h"
#include "sections.h"
#include "util.h"

struct slot_ent {
	const void *key;
	size_t idx;
};

static hashval_t slot_hash(const void *p)
{
	return htab_hash_pointer(((const struct slot_ent *)p)->key);
}

static int slot_eq(const void *a, const void *b)
{
	return ((const struct slot_ent *)a)->key == b;
}

/* The GOT slot of the symbol a relocation names (one per definition or
 * undefined name, shared by every reference). */
static struct kx_got_slot *got_slot(struct kx_link *l, struct kx_object *obj, uint32_t sym)
{
	const struct kx_symbol *y = &obj->syms[sym];
	const void *key = y->global ? (const void *)y->global : (const void *)y;
	struct kx_got_slot *slots;
	struct slot_ent *e;
	void **hs;

	if (!l->slot_index) {
		l->slot_index = htab_create_alloc(64, slot_hash, slot_eq, free, calloc, free);
		if (!l->slot_index)
			return NULL;
	}
	hs = htab_find_slot_with_hash(l->slot_index, key, htab_hash_pointer(key), INSERT);
	if (!hs)
		return NULL;
	if (*hs)
		return &l->slots[((struct slot_ent *)*hs)->idx];
	slots = kx_grow(l->slots, &l->slots_cap, l->nslots + 1, sizeof(*slots));
	if (slots)
		l->slots = slots;
	e = slots ? malloc(sizeof(*e)) : NULL;
	if (!e) {
		htab_clear_slot(l->slot_index, hs);
		return NULL;
	}
	e->key = key;
	e->idx = l->nslots;
	*hs = e;
	slots[l->nslots] = (struct kx_got_slot){ key, obj, sym, 8 * l->nslots };
	l->stats.got_slots = ++l->nslots;
	return &slots[e->idx];
}

static int rewrite_gotpcrel(struct kx_link *l, struct kx_section *sec, struct kx_reloc *r)
{
	enum kx_gotpcrel_form form = KX_GP_GOT;
	uint32_t type;
	uint64_t off;
	int64_t addend;

	if (sec->sh.sh_flags & SHF_EXECINSTR) {
		unsigned char *buf;
		int err = kx_sec_bytes_mut(sec, &buf);

		if (err)
			return err;
		form = kx_gotpcrel_rewrite(buf, sec->sh.sh_size, r->offset, r->addend,
					   &type, &off, &addend);
	}
	l->stats.rewritten[form]++;
	if (form == KX_GP_GOT) {
		struct kx_got_slot *slot = got_slot(l, sec->obj, r->sym);

		if (!slot)
			return -ENOMEM;
		r->type = R_X86_64_PC32;
		r->addend = kx_wrap_add(r->addend, (int64_t)slot->offset);
		r->flags |= KX_RF_GOT;
		return 0;
	}
	r->type = type;
	r->offset = off;
	r->addend = addend;
	return 0;
}

static int nop_mcount(struct kx_link *l, struct kx_section *sec, struct kx_reloc *r)
{
	unsigned char *buf;
	int err = kx_sec_bytes_mut(sec, &buf);

	if (err)
		return err;
	if (!kx_mcount_nop(buf, sec->sh.sh_size, r->offset)) {
		kx_err(sec->obj, sec, r->offset, "reference to '%s' that is not a direct call; "
		       "build C code with -mfentry (the kernel exports only __fentry__)",
		       sec->obj->syms[r->sym].name);
		return -EINVAL;
	}
	r->flags |= KX_RF_DROP;
	l->stats.mcount_sites++;
	return 0;
}

static bool is_mcount_call(const struct kx_symbol *d, uint32_t type)
{
	return (type == R_X86_64_PC32 || type == R_X86_64_PLT32) &&
	       kx_sym_is_undef(d) && kx_is_mcount(d->name);
}

static int refuse(struct kx_section *sec, const struct kx_reloc *r, const struct kx_symbol *d)
{
	const char *tn = kx_reloc_name(r->type);
	char unknown[32];

	if (!tn) {
		snprintf(unknown, sizeof(unknown), "relocation type %u", r->type);
		tn = unknown;
	}
	switch (kx_reloc_class(r->type)) {
	case KX_RC_TLS:
		kx_err(sec->obj, sec, r->offset, "%s against '%s': thread-local storage, which "
		       "kernel modules do not have; use a plain or per-CPU static", tn, kx_pretty(d->name, 0));
		break;
	case KX_RC_ABS32:
		kx_err(sec->obj, sec, r->offset, "%s against '%s': kernel and module addresses do "
		       "not fit in 32 unsigned bits; build with the kernel code model "
		       "(-C code-model=kernel, -mcmodel=kernel)", tn, kx_pretty(d->name, 0));
		break;
	default:
		kx_err(sec->obj, sec, r->offset, "%s against '%s': the x86-64 module loader "
		       "refuses this relocation type; build with -C relocation-model=static "
		       "(or -fno-pic)", tn, kx_pretty(d->name, 0));
		break;
	}
	return -EINVAL;
}

static int rewrite_one(struct kx_link *l, struct kx_section *sec, struct kx_reloc *r)
{
	const struct kx_symbol *d = kx_sym_resolve(&sec->obj->syms[r->sym]);

	switch (kx_reloc_class(r->type)) {
	case KX_RC_OK:
		return is_mcount_call(d, r->type) ? nop_mcount(l, sec, r) : 0;
	case KX_RC_GOTPCREL:
		return rewrite_gotpcrel(l, sec, r);
	case KX_RC_ABS32:
		/* An absolute symbol (a constant) fits; an address never does. */
		if (kx_sym_is_abs(d) &&
		    (uint64_t)kx_wrap_add((int64_t)d->sym.st_value, r->addend) <= UINT32_MAX)
			return 0;
		return refuse(sec, r, d);
	default:
		return refuse(sec, r, d);
	}
}

/* The kernel calls the module's entry points through mod->init and
 * mod->exit, which only kbuild's <module>.mod.c sets.  Where the kernel
 * has IBT, objtool runs on the linked module, finds no reference to them,
 * lists their ENDBR64 as superfluous (.ibt_endbr_seal) and the loader
 * seals it: the call faults.  C modules keep each address in data
 * (module_init()'s ___ADDRESSABLE); the output keeps it in a GOT slot. */
static int keep_entry_addresses(struct kx_link *l)
{
	size_t i;

	for (i = 0; i < KX_NENTRY_POINTS; i++) {
		struct kx_global *g = kx_global_find(l, kx_module_entry_points[i]);

		if (!g || !g->def || !kx_sym_target_sec(g->def))
			continue;
		if (!got_slot(l, g->def_obj, (uint32_t)(g->def - g->def_obj->syms)))
			return -ENOMEM;
	}
	return 0;
}

static bool sec_needs_rewrite(const struct kx_section *sec)
{
	return sec->live && sec->rela && kx_sec_is_alloc(sec);
}

int kx_link_rewrite(struct kx_link *l)
{
	size_t i;
	int err, ret = 0;

	for (i = 0; i < l->in.nobjs; i++) {
		struct kx_object *obj = l->in.objs[i];
		struct kx_section *s;
		struct kx_reloc *r;

		kx_for_each_sec(obj, s) {
			if (!sec_needs_rewrite(s))
				continue;
			err = kx_sec_load(s);
			if (err)
				return err;
			kx_for_each_reloc(s, r) {
				err = rewrite_one(l, s, r);
				if (err == -ENOMEM)
					return err;
				if (err)
					ret = err;
			}
		}
	}
	err = keep_entry_addresses(l);
	return err ? err : ret;
}
