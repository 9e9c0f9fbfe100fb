/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The relocation policy, once for relink (kelfix) and analyze (kelfix
 * --audit): for each class of relocation type (x86_relocs.def gives every
 * type's), whether the module loader applies it, whether kelfix's link
 * makes it one the loader applies, which audit check reports it, and what
 * a message says about it when it is refused.  Messages name a type by
 * kx_reloc_type_name(), never by its number alone.
 */
#ifndef KELFIX_POLICY_H
#define KELFIX_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "object.h"
#include "x86.h"

struct kx_reloc_rule {
	enum kx_reloc_class cls;
	bool loader_applies; /* arch/x86/kernel/module.c applies it */
	bool link_rewrites;  /* kelfix's link turns it into one the loader applies */
	const char *check;   /* the audit check reporting it (analyze/checks.def id) */
	const char *what;    /* why the kernel cannot take it */
	const char *advice;  /* what to do about it */
};

/* The rule for a relocation type (class KX_RC_UNKNOWN's if not listed). */
const struct kx_reloc_rule *kx_reloc_rule(uint32_t type);

/* "R_X86_64_PC32", or for a type the table does not list
 * "R_X86_64 type <n> (unknown)", in buf (at least KX_RELOC_NAME_MAX). */
#define KX_RELOC_NAME_MAX 40
const char *kx_reloc_type_name(uint32_t type, char *buf, size_t len);

enum kx_reloc_verdict {
	KX_RV_OK,      /* the loader applies it as it is */
	KX_RV_REWRITE, /* kelfix's link rewrites it (GOTPCREL forms) */
	KX_RV_REFUSE,  /* nothing makes it loadable: an error */
};

/* What becomes of a relocation of type with addend against def, the
 * definition its symbol resolves to (kx_sym_resolve), or the symbol
 * itself when it is undefined. */
enum kx_reloc_verdict kx_reloc_verdict(uint32_t type, const struct kx_symbol *def, int64_t addend);

/* The message of a refused relocation: "<type> against '<sym>': <what>;
 * <advice>" into buf (truncated to len).  Returns buf. */
const char *kx_reloc_refusal(uint32_t type, const char *sym, char *buf, size_t len);

#endif
