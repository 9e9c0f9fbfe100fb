/* SPDX-License-Identifier: GPL-2.0-only */
/* Inside the audit: one input under audit, and how checks report. */
#ifndef KELFIX_AUDIT_INT_H
#define KELFIX_AUDIT_INT_H

#include <stddef.h>

#include <libiberty/hashtab.h>

#include "audit.h"
#include "decode.h"
#include "symbols.h"

/* A function: a symbol-bounded range of an executable section. */
struct kx_fn {
	const struct kx_symbol *sym;
	struct kx_section *sec;
	unsigned oi; /* index of sec->obj in the unit */
	uint64_t start, end;
};

/* A place in an input: (section, offset). */
struct kx_place {
	unsigned oi; /* index of sec->obj in the unit */
	struct kx_section *sec;
	uint64_t off;
	const char *why;	 /* "data relocation", "entry point", ... */
	struct kx_section *from; /* where the reference is */
	uint64_t from_off;
};

/* The first relocation naming an undefined symbol (undefined-symbol). */
struct kx_ref {
	const char *name;
	const struct kx_object *obj;
	const struct kx_section *sec;
	uint64_t off;
};

struct kx_places {
	struct kx_place *v;
	size_t n, cap;
};

struct kx_unit {
	struct kx_audit *a;
	const char *input;
	struct kx_object **objs;
	size_t nobjs;
	/* Resolution as the link does it (lib/symbols.h): of the input's
	 * objects, and of the module's other objects (opt.parts). */
	struct kx_symbols syms, part_syms;
	bool fpu_begin;	     /* calls kernel_fpu_begin*() */
	const char *license; /* first license= of .modinfo, or NULL */
	struct kx_fn *fns;   /* all functions of all objects, by (obj, sec, start) */
	size_t nfns;
	struct kx_places taken;	  /* address-taken places (missing-endbr) */
	struct kx_places safe;	  /* indirect branches annotated retpoline-safe or patched */
	struct kx_places noendbr; /* functions annotated ANNOTATE_NOENDBR */
	htab_t refs;		  /* undefined name -> first struct kx_ref */
	unsigned frame_warn;	  /* CONFIG_FRAME_WARN; 0: no warning */
	unsigned stack_size;	  /* the kernel stack, in bytes */
};

bool kx_unit_wants(const struct kx_unit *u, enum kx_check c);

/* Record a finding; sym (may be NULL) names the function or symbol. */
int kx_finding_add(struct kx_unit *u, enum kx_check c, enum kx_severity sev,
		   const struct kx_object *obj, const struct kx_section *sec, uint64_t off,
		   const char *sym, const char *fmt, ...) __attribute__((format(printf, 8, 9)));

int kx_places_add(const struct kx_unit *u, struct kx_places *p, struct kx_section *sec,
		  uint64_t off, const char *why, struct kx_section *from, uint64_t from_off);
bool kx_places_has(const struct kx_unit *u, const struct kx_places *p, const struct kx_section *sec,
		   uint64_t off);
/* Index of obj among the unit's objects (a sort key that does not
 * depend on where malloc put things). */
unsigned kx_unit_obj_index(const struct kx_unit *u, const struct kx_object *obj);
void kx_places_sort(struct kx_places *p);

/* The definition a symbol stands for, as the link resolves it: itself if
 * local, else its name's definition in the input (a strong one over a
 * weak one, the first COMDAT copy), NULL for an undefined name. */
const struct kx_symbol *kx_unit_resolve(const struct kx_unit *u, const struct kx_symbol *y);

/* Is name defined by the input or by the module's other objects? */
bool kx_unit_defines(const struct kx_unit *u, const char *name);

/* audit_elf.c: checks on headers, symbols and relocations. */
int kx_check_sections(struct kx_unit *u, struct kx_object *obj);
int kx_check_symbols(struct kx_unit *u, struct kx_object *obj);
int kx_check_relocs(struct kx_unit *u, struct kx_object *obj);
int kx_check_modinfo(struct kx_unit *u);
int kx_check_undefined(struct kx_unit *u);
/* audit_code.c: checks on decoded instructions. */
int kx_unit_functions(struct kx_unit *u);
int kx_check_code(struct kx_unit *u);
int kx_check_endbr(struct kx_unit *u);

#endif
