// SPDX-License-Identifier: GPL-2.0-only
/*
 * Section classes by name, as a table.  A rule's name matches "name" and
 * "name.<anything>" (".text" covers ".text.foo", not ".textual"); a rule
 * ending in '_' is a plain prefix (".debug_" covers ".debug_info").
 */
#include "sections.h"

#include <stdint.h>
#include <string.h>
#include <threads.h>

struct sec_rule {
	const char *prefix;
	enum kx_sec_class cls;
	const char *why;
	size_t len; /* strlen(prefix) */
};

#define R(prefix, cls, why)                          \
	{                                            \
		prefix, cls, why, sizeof(prefix) - 1 \
	}

static const struct sec_rule rules[] = {
	/* Rebuilt by the writer. */
	R(".note.GNU-stack", KX_SC_DROP, "written anew: the stack is never executable"),
	/* Pruned: nothing in a module reads them. */
	R(".eh_frame", KX_SC_DROP, "the kernel does not unwind modules with DWARF CFI"),
	R(".comment", KX_SC_DROP, "compiler identification"),
	R(".note", KX_SC_DROP, "toolchain notes"),
	R(".llvm_addrsig", KX_SC_DROP, "LLVM's address-significance table (ICF hint)"),
	R(".llvm.call-graph-profile", KX_SC_DROP, "LLVM profile hints"),
	R(".llvm_bb_addr_map", KX_SC_DROP, "LLVM basic-block map"),
	R(".stack_sizes", KX_SC_DROP, "LLVM -Z emit-stack-sizes"),
	R(".debug_", KX_SC_DEBUG, "DWARF"),
	R(".zdebug_", KX_SC_DEBUG, "compressed DWARF"),
	/* kernel/module/main.c reads it by name; one section, merged. */
	R(".modinfo", KX_SC_MODINFO, "module information"),
	/* Thread-local storage: no TLS in the kernel. */
	R(".tdata", KX_SC_TLS, "thread-local data"),
	R(".tbss", KX_SC_TLS, "thread-local data"),
	/* Read by the module loader by name (kernel/module/main.c). */
	R(".data..percpu", KX_SC_SPECIAL, "per-CPU data"),
	R(".data..ro_after_init", KX_SC_SPECIAL, "read-only after init"),
	/* Merged by kind. */
	R(".text", KX_SC_TEXT, "code"),
	R(".rodata", KX_SC_RODATA, "read-only data"),
	/* Written only by the loader's relocations, before it makes the
	 * module's read-only part read-only (kernel/module/main.c:
	 * complete_formation after apply_relocations). */
	R(".data.rel.ro", KX_SC_RODATA, "read-only after relocation"),
	R(".gcc_except_table", KX_SC_RODATA, "language-specific unwind data"),
	R(".data", KX_SC_DATA, "data"),
	R(".bss", KX_SC_BSS, "zero-initialised data"),
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))
#define NO_RULE 0xff
_Static_assert(NRULES < NO_RULE, "rule numbers are bytes");

/* Every prefix is ".x..." (one that is not is never tried): the rules by
 * their second byte, each list in the table's order (which decides
 * between overlapping prefixes). */
static uint8_t rules_by_byte[256], next_rule[NRULES];
static once_flag rules_indexed = ONCE_FLAG_INIT;

static void index_rules(void)
{
	size_t i;
	uint8_t *tail[256];

	for (i = 0; i < 256; i++) {
		rules_by_byte[i] = NO_RULE;
		tail[i] = &rules_by_byte[i];
	}
	for (i = 0; i < NRULES; i++) {
		unsigned char c = (unsigned char)rules[i].prefix[1];

		next_rule[i] = NO_RULE;
		*tail[c] = (uint8_t)i;
		tail[c] = &next_rule[i];
	}
}

static bool name_matches(const char *name, const struct sec_rule *r)
{
	size_t n = r->len;

	if (strncmp(name, r->prefix, n))
		return false;
	return r->prefix[n - 1] == '_' || name[n] == '\0' || name[n] == '.';
}

enum kx_sec_class kx_sec_class_of(const struct kx_section *sec)
{
	size_t i;

	switch (sec->sh.sh_type) {
	case SHT_NULL:
	case SHT_SYMTAB:
	case SHT_STRTAB:
	case SHT_RELA:
	case SHT_REL:
	case SHT_GROUP:
	case SHT_SYMTAB_SHNDX:
		return KX_SC_META;
	case SHT_X86_64_UNWIND:
		return KX_SC_DROP;
	default:
		break;
	}
	if (sec->sh.sh_flags & SHF_TLS)
		return KX_SC_TLS;
	call_once(&rules_indexed, index_rules);
	if (sec->name[0] == '.')
		for (i = rules_by_byte[(unsigned char)sec->name[1]]; i != NO_RULE; i = next_rule[i])
			if (name_matches(sec->name, &rules[i]))
				return rules[i].cls;
	/* Any other allocated section is one the kernel or its build reads
	 * by name (__param, __ksymtab*, .init.text, __ex_table, ...). */
	return (sec->sh.sh_flags & SHF_ALLOC) ? KX_SC_SPECIAL : KX_SC_DROP;
}

const char *kx_sec_class_name(enum kx_sec_class c)
{
	static const char *const names[] = {
		[KX_SC_META] = "meta",	     [KX_SC_DROP] = "dropped", [KX_SC_DEBUG] = "debug",
		[KX_SC_MODINFO] = "modinfo", [KX_SC_TEXT] = "text",    [KX_SC_RODATA] = "rodata",
		[KX_SC_DATA] = "data",	     [KX_SC_BSS] = "bss",      [KX_SC_SPECIAL] = "special",
		[KX_SC_TLS] = "tls",
	};
	return names[c];
}
