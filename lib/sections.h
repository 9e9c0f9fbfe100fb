/* SPDX-License-Identifier: GPL-2.0-only */
/* What each input section is to relink: merged, kept by name, or dropped. */
#ifndef KELFIX_SECTIONS_H
#define KELFIX_SECTIONS_H

#include "object.h"

enum kx_sec_class {
	KX_SC_META,    /* symbol/string/relocation tables, groups: rebuilt */
	KX_SC_DROP,    /* tool notes, unwind tables: pruned */
	KX_SC_DEBUG,   /* DWARF: pruned unless --keep-debug */
	KX_SC_MODINFO, /* merged into the one .modinfo */
	KX_SC_TEXT,
	KX_SC_RODATA,
	KX_SC_DATA,
	KX_SC_BSS,
	KX_SC_SPECIAL, /* read by the kernel by name: kept as it is, a GC root */
	KX_SC_TLS,     /* thread-local: refused */
};

/* The class of a section, from its name, type and flags (the table in
 * sections.c); object.c records it in kx_section.cls on load. */
enum kx_sec_class kx_sec_class_of(const struct kx_section *sec);

static inline enum kx_sec_class kx_sec_classify(const struct kx_section *sec)
{
	return (enum kx_sec_class)sec->cls;
}
const char *kx_sec_class_name(enum kx_sec_class c);

/* Both writable and executable: the module loader refuses the module
 * (module_enforce_rwx_sections(), kernel/module/).  The link refuses
 * such a section, the audit reports it (write-exec). */
static inline bool kx_sec_is_write_exec(const struct kx_section *sec)
{
	return (sec->sh.sh_flags & (SHF_WRITE | SHF_EXECINSTR)) == (SHF_WRITE | SHF_EXECINSTR);
}

#endif
