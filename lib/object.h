/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kelfix's one ELF object model: input objects (files or archive members),
 * their sections, symbols and relocations.  Reading is object.c's (one
 * object) and input.c's (files and archives); writing is write.c's.
 * relink's passes and analyze/ see only these structures.
 *
 * Ownership: a struct kx_object owns its section, symbol and relocation
 * arrays and any rewritten byte copies (kx_section.copy).  The Elf handle
 * and the data libelf hands out stay libelf's; the archive's Elf handle
 * outlives its members (see input.c).
 *
 * An archive member's Elf handle is transient (input.c says which): ended
 * once the member is loaded, opened again when a pass needs more of it
 * (kx_object_elf), ended again when other members need opening.  libelf
 * keeps about 200 bytes of state per section, and most members are never
 * looked at after loading.  So what the model keeps of an object is its
 * own (headers, symbols, relocations), or bytes that stay where they are
 * while the handle comes and goes: those of a file libelf mapped
 * (kx_object.mapped), used in place; its sections' bytes and relocations
 * are read there too (kx_object.image), so such a member is not opened
 * again.  A member whose pages are given back (kx_object.give_back), or
 * of an archive libelf read without mapping it, has copies of its string
 * tables and section bytes (struct kx_names, kx_section.copy) and is
 * opened again for its relocations.
 */
#ifndef KELFIX_OBJECT_H
#define KELFIX_OBJECT_H

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sanity bounds on what a kernel module can hold (modules live in a 1 GiB
 * area, arch/x86/include/asm/pgtable_64_types.h MODULES_LEN). */
#define KX_MAX_ALIGN (1u << 21) /* a 2 MiB huge page */
#define KX_MAX_SECTION (1ull << 30)

/* The functions the kernel enters a module through, by pointer: struct
 * module's init and exit, set by kbuild's <module>.mod.c
 * (kernel/module/main.c do_init_module, delete_module). */
#define KX_NENTRY_POINTS 2
extern const char *const kx_module_entry_points[KX_NENTRY_POINTS];

struct kx_outsec;
struct kx_global;

enum kx_reloc_flags {
	KX_RF_DROP = 1, /* removed (an mcount call made a NOP) */
	KX_RF_GOT = 2,	/* now PC32 into the synthesized GOT: addend is
			* slot offset + original addend */
};

struct kx_reloc {
	uint64_t offset; /* r_offset, within the target section */
	int64_t addend;
	uint32_t type;
	uint32_t sym;	/* index into the object's symbol table */
	uint32_t flags; /* enum kx_reloc_flags */
};

/* A large archive has millions of sections and symbols, and every pass
 * walks them: the small fields share 8-byte words. */
struct kx_section {
	struct kx_object *obj;
	const char *name;
	GElf_Shdr sh;
	uint32_t index;
	unsigned char cls; /* enum kx_sec_class (sections.h), set on load */
	/* Link state (and live_from, out, out_off below). */
	bool live;
	bool discarded; /* lost a COMDAT group */

	/* For an SHT_RELA section: the section it applies to. */
	struct kx_section *target;
	/* For a section with relocations: they, sorted by offset. */
	struct kx_section *rela;
	struct kx_reloc *relocs;
	size_t nrelocs;

	/* The section's bytes: libelf's (read-only), or our own copy: made
	 * when a pass rewrites them (kx_sec_bytes_mut) or when they are read
	 * from a member whose handle is transient.  NULL for NOBITS. */
	const unsigned char *data;
	unsigned char *copy;

	struct kx_section *live_from; /* who made it live (--why-live) */
	struct kx_outsec *out;
	uint64_t out_off;
};

struct kx_symbol {
	const char *name;
	GElf_Sym sym;
	/* Where it is defined: with sec set, the index of its section, any
	 * 32-bit value (SHN_XINDEX resolved: a section past 0xff00 is a
	 * section, never a reserved index); with sec NULL, SHN_UNDEF, SHN_ABS
	 * or SHN_COMMON, as read (object.c refuses the other reserved ones).
	 * Ask the predicates below, never compare it to SHN_*. */
	uint32_t shndx;
	uint32_t out_index;	  /* in the output symbol table; 0 if none */
	struct kx_section *sec;	  /* defining section; NULL if none */
	struct kx_global *global; /* GLOBAL/WEAK symbols: the resolution */
};

/* One of the object's string tables: names stay valid after the member's
 * handle is ended and its pages are given back. */
struct kx_names {
	char *buf; /* NULL: empty, or not a readable string table */
	size_t size;
	bool mapped; /* buf is the file's bytes (kx_object.mapped), not a copy */
};

/* Archive members open again (kx_object_elf), at most KX_OPEN_MEMBERS (or
 * max, if set: the tests narrow it): opening one more releases the one
 * opened longest ago.  One per link. */
#define KX_OPEN_MEMBERS 16
struct kx_reopened {
	struct kx_object *obj[KX_OPEN_MEMBERS];
	size_t next, max;
};

struct kx_object {
	const char *path;   /* the file named on the command line */
	const char *member; /* archive member name, or NULL */
	Elf *elf;	    /* NULL while a released member is not open again */
	/* Read from libelf's private mapping of the file, which libelf never
	 * writes (ELF_C_READ_MMAP_PRIVATE, input.c): the bytes it hands out
	 * unconverted stay where they are until the file's handle ends, and
	 * are used in place unless give_back.  Set before kx_object_load(). */
	bool mapped;
	size_t shstrndx;
	/* Section names, and symbol names (the same table when one holds
	 * both, as LLVM writes it). */
	struct kx_names shstrtab, strtab;

	/* A member let go once loaded (archive not NULL): where to open it
	 * again (kx_object_elf). */
	Elf *archive;
	int archive_fd;
	int64_t aroff; /* elf_getaroff() */
	struct kx_reopened *reopened;
	/* Its pages leave our resident set when it is released (only where
	 * the archive is mapped).  Set before kx_object_load(): the bytes and
	 * names of such a member are copies, as reading them in place would
	 * fault their pages, and the 64 KB around each, in again. */
	bool give_back;
	/* The object's bytes where they stay (mapped, not give_back): its
	 * sections' bytes and relocations are read there, through no handle,
	 * so a released member is not opened again for them. */
	const unsigned char *image;

	size_t nsecs;
	struct kx_section *secs;
	size_t nsyms;
	struct kx_symbol *syms;
	struct kx_section *symtab;

	bool stdlib; /* core / alloc / compiler_builtins member */
	size_t seq;  /* position among the inputs as read */
};

/* Read an ET_REL x86-64 object from an open Elf handle (a file or an
 * archive member).  The object keeps elf; kx_object_free() ends it.
 * Returns 0, -ENOEXEC (rejected, reported) or -ENOMEM. */
int kx_object_load(struct kx_object *obj, Elf *elf);
void kx_object_free(struct kx_object *obj);

/* kx_object_release() ends an archive member's handle (once loaded; its
 * pages are given back if obj->give_back).  kx_object_elf() gives the
 * object's handle in *elf, opening a member again if needed; it stays
 * valid until the next kx_object_elf() call.  Returns 0, -ENOEXEC
 * (reported) or -ENOMEM. */
void kx_object_release(struct kx_object *obj);
int kx_object_elf(struct kx_object *obj, Elf **elf);
/* The pages of the sections a link does not read (notes, DWARF, LLVM
 * bitcode, their relocations) leave the resident set, where reading the
 * others mapped them too (the kernel maps the pages around each one read).
 * Only for an object in a private, never written mapping of a file (a
 * page read again is faulted in from the page cache, unchanged). */
void kx_object_forget_unread(const struct kx_object *obj);
/* A section's libelf descriptor in *scn.  Returns 0, -ENOEXEC (reported)
 * or -ENOMEM. */
int kx_sec_scn(struct kx_section *sec, Elf_Scn **scn);

/* A section's bytes and relocations, read and checked on first use. */
int kx_sec_load(struct kx_section *sec);
/* A section of 32-bit words (SHT_GROUP), translated from the file's form
 * into a new array (*n words; the caller frees it).  Returns 0, -ENOEXEC
 * (reported) or -ENOMEM. */
int kx_sec_words(struct kx_section *sec, Elf32_Word **words, size_t *n);
int kx_sec_load_relocs(struct kx_section *sec);
/* A writable copy of the section's bytes in *bytes (made on first call).
 * Returns 0, -ENOEXEC (unreadable, reported) or -ENOMEM. */
int kx_sec_bytes_mut(struct kx_section *sec, unsigned char **bytes);

static inline const unsigned char *kx_sec_bytes(const struct kx_section *sec)
{
	return sec->copy ? sec->copy : sec->data;
}

static inline bool kx_sec_is_alloc(const struct kx_section *sec)
{
	return sec->sh.sh_flags & SHF_ALLOC;
}

static inline bool kx_sym_is_local(const struct kx_symbol *sym)
{
	return GELF_ST_BIND(sym->sym.st_info) == STB_LOCAL;
}

static inline bool kx_sym_is_undef(const struct kx_symbol *sym)
{
	return !sym->sec && sym->shndx == SHN_UNDEF;
}

/* An absolute symbol: a constant, in no section. */
static inline bool kx_sym_is_abs(const struct kx_symbol *sym)
{
	return !sym->sec && sym->shndx == SHN_ABS;
}

/* A common symbol: storage the linker would allocate (the kernel refuses). */
static inline bool kx_sym_is_common(const struct kx_symbol *sym)
{
	return !sym->sec && sym->shndx == SHN_COMMON;
}

/* Iterators; an absent array (NULL) is empty. */
#define kx_for_each_sec(obj, s) \
	for ((s) = (obj)->secs; (s) && (s) < (obj)->secs + (obj)->nsecs; (s)++)
#define kx_for_each_sym(obj, y) \
	for ((y) = (obj)->syms; (y) && (y) < (obj)->syms + (obj)->nsyms; (y)++)
#define kx_for_each_reloc(sec, r) \
	for ((r) = (sec)->relocs; (r) && (r) < (sec)->relocs + (sec)->nrelocs; (r)++)

/* The function or object symbol covering sec+off, or NULL. */
const struct kx_symbol *kx_sym_containing(const struct kx_section *sec, uint64_t off);

#endif
