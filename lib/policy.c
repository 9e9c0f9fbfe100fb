// SPDX-License-Identifier: GPL-2.0-only
/* The relocation policy: see policy.h. */
#include "policy.h"

#include <elf.h>
#include <stdio.h>

#include "util.h"

/* The loader's own message for a type it does not know
 * (arch/x86/kernel/module.c, __write_relocate_add). */
#define UNKNOWN_RELA "the x86-64 module loader refuses it (\"Unknown rela relocation\")"
#define STATIC_ADVICE "build with -C relocation-model=static (or -fno-pic)"

static const struct kx_reloc_rule rules[] = {
	[KX_RC_UNKNOWN] = { KX_RC_UNKNOWN, false, false, "reloc-unsupported",
			    UNKNOWN_RELA ", and kelfix cannot rewrite it", STATIC_ADVICE },
	[KX_RC_OK] = { KX_RC_OK, true, false, NULL, NULL, NULL },
	/* Applied by the loader, but truncated: module addresses are
	 * 0xffffffff8... (arch/x86/include/asm/pgtable_64_types.h). */
	[KX_RC_ABS32] = { KX_RC_ABS32, false, false, "reloc-overflow",
			  "kernel and module addresses (0xffffffff8...) do not fit in 32 unsigned bits",
			  "build with the kernel code model (-C code-model=kernel, -mcmodel=kernel) "
			  "or use a 64-bit value" },
	/* DESIGN.md's rewrite table, or the synthesized GOT. */
	[KX_RC_GOTPCREL] = { KX_RC_GOTPCREL, false, true, "reloc-unsupported", UNKNOWN_RELA,
			     "kelfix's link rewrites it (lea, direct call or a GOT slot)" },
	[KX_RC_TLS] = { KX_RC_TLS, false, false, "tls",
			"thread-local storage, which kernel modules do not have",
			"use a plain or per-CPU static" },
	[KX_RC_BAD] = { KX_RC_BAD, false, false, "reloc-unsupported",
			UNKNOWN_RELA ", and kelfix cannot rewrite it", STATIC_ADVICE },
};

const struct kx_reloc_rule *kx_reloc_rule(uint32_t type)
{
	enum kx_reloc_class c = kx_reloc_class(type);

	return &rules[c < sizeof(rules) / sizeof(rules[0]) ? c : KX_RC_UNKNOWN];
}

const char *kx_reloc_type_name(uint32_t type, char *buf, size_t len)
{
	const char *name = kx_reloc_name(type);

	if (name)
		return name;
	snprintf(buf, len, "R_X86_64 type %u (unknown)", type);
	return buf;
}

/* An absolute symbol (a constant, SHN_ABS) whose value fits. */
static bool abs32_fits(const struct kx_symbol *def, int64_t addend)
{
	return kx_sym_is_abs(def) &&
	       (uint64_t)kx_wrap_add((int64_t)def->sym.st_value, addend) <= UINT32_MAX;
}

enum kx_reloc_verdict kx_reloc_verdict(uint32_t type, const struct kx_symbol *def, int64_t addend)
{
	const struct kx_reloc_rule *rule = kx_reloc_rule(type);

	if (rule->loader_applies)
		return KX_RV_OK;
	if (rule->link_rewrites)
		return KX_RV_REWRITE;
	if (rule->cls == KX_RC_ABS32 && def && abs32_fits(def, addend))
		return KX_RV_OK;
	return KX_RV_REFUSE;
}

const char *kx_reloc_refusal(uint32_t type, const char *sym, char *buf, size_t len)
{
	const struct kx_reloc_rule *rule = kx_reloc_rule(type);
	char name[KX_RELOC_NAME_MAX];

	snprintf(buf, len, "%s against '%s': %s; %s", kx_reloc_type_name(type, name, sizeof(name)),
		 sym, rule->what ? rule->what : "applied by the loader",
		 rule->advice ? rule->advice : "nothing to do");
	return buf;
}
