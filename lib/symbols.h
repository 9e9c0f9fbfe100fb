/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Symbol resolution, once for relink (kelfix) and analyze (kelfix
 * --audit), as a linker does it over all the objects of one module:
 * COMDAT groups deduplicated (the first group of a signature wins, as in
 * ld; the sections of a later one are marked discarded), then every
 * global name bound to one definition: a strong one over a weak one, the
 * first weak one when all are weak, and a symbol in a discarded group is
 * no definition.  Undefined names stay undefined (the kernel's).  What a
 * conflict means (two strong definitions, a common symbol) is the
 * caller's: relink refuses the link, the audit reports a finding.
 *
 * Each global symbol of a resolved object points at its name's struct
 * kx_global (kx_symbol.global), which kx_symbols owns.
 */
#ifndef KELFIX_SYMBOLS_H
#define KELFIX_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libiberty/hashtab.h>

#include "object.h"

/* A global (or weak) symbol name and what it resolves to. */
struct kx_global {
	const char *name;
	struct kx_symbol *def; /* NULL: undefined, for the kernel to resolve */
	struct kx_object *def_obj;
	/* Link state (relink/). */
	bool keep_global;   /* stays global in the output */
	bool referenced;    /* named by an emitted relocation */
	bool strong_ref;    /* ... through a non-weak undefined symbol */
	bool jumps_checked; /* kx_link_pass_jumps() has seen it */
	uint32_t out_index;
	uint32_t order; /* first-seen order, for a deterministic output */
	hashval_t hash; /* of name, computed once */
};

/* What the caller makes of a conflict.  Each returns 0 (go on), -EINVAL
 * (an error in the input, reported: resolution goes on, and returns it at
 * the end) or -ENOMEM.  NULL: ignored. */
struct kx_resolve_ops {
	/* y in obj is a second strong definition of g (g->def stays). */
	int (*duplicate)(void *ctx, const struct kx_global *g, struct kx_object *obj,
			 struct kx_symbol *y);
	/* y in obj is a common symbol (SHN_COMMON): never a definition. */
	int (*common)(void *ctx, struct kx_object *obj, struct kx_symbol *y);
};

struct kx_symbols {
	htab_t globals;		  /* name -> struct kx_global */
	struct kx_global **order; /* in first-seen order */
	size_t n, cap;
	htab_t comdats; /* signature -> winning group's signature string */
	const struct kx_resolve_ops *ops;
	void *ctx;
};

/* Returns 0 or -ENOMEM. */
int kx_symbols_init(struct kx_symbols *s, const struct kx_resolve_ops *ops, void *ctx);
void kx_symbols_free(struct kx_symbols *s);

/* Resolve objs[0..n), in that order (which decides among equals).
 * Returns 0, -EINVAL (conflicts, reported by ops), -ENOEXEC (a malformed
 * group, reported) or -ENOMEM. */
int kx_symbols_resolve(struct kx_symbols *s, struct kx_object *const *objs, size_t n);

struct kx_global *kx_symbols_find(const struct kx_symbols *s, const char *name);

/* The definition a symbol resolves to (itself if local or unresolved). */
const struct kx_symbol *kx_sym_resolve(const struct kx_symbol *y);

static inline bool kx_sym_is_weak(const struct kx_symbol *y)
{
	return GELF_ST_BIND(y->sym.st_info) == STB_WEAK;
}

#endif
