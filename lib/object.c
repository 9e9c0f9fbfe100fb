// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading one ET_REL object into the model (elf.h).  Every header field we
 * rely on is checked here, once, so the passes can trust the model.
 */
#include "object.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diag.h"
#include "policy.h"
#include "sections.h"
#include "x86.h"

const char *const kx_module_entry_points[KX_NENTRY_POINTS] = { "init_module", "cleanup_module" };

/* LLVM bitcode: raw ('BC' 0xC0DE) or in its wrapper (0x0B17C0DE). */
static bool is_bitcode(Elf *elf)
{
	size_t size;
	const unsigned char *raw = (const unsigned char *)elf_rawfile(elf, &size);

	if (!raw || size < 4)
		return false;
	return !memcmp(raw, "BC\xc0\xde", 4) || !memcmp(raw, "\xde\xc0\x17\x0b", 4);
}

static int check_header(struct kx_object *obj, const GElf_Ehdr *eh)
{
	size_t filesize = 0;

	elf_rawfile(obj->elf, &filesize);
	if (eh->e_ident[EI_CLASS] != ELFCLASS64) {
		kx_err(obj, NULL, 0,
		       "32-bit ELF object; kelfix links x86-64 objects only "
		       "(build with --target x86_64-unknown-none)");
		return -ENOEXEC;
	}
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB) {
		kx_err(obj, NULL, 0,
		       "big-endian ELF object; kelfix links little-endian x86-64 objects only");
		return -ENOEXEC;
	}
	if (eh->e_machine != EM_X86_64) {
		kx_err(obj, NULL, 0,
		       "ELF machine %u is not x86-64 (%u); build for x86_64-unknown-none",
		       eh->e_machine, EM_X86_64);
		return -ENOEXEC;
	}
	if (eh->e_shoff > filesize ||
	    (uint64_t)eh->e_shentsize * (eh->e_shnum ? eh->e_shnum : 1) > filesize - eh->e_shoff) {
		kx_err(obj, NULL, 0,
		       "section header table (offset 0x%llx, %u entries) runs past the "
		       "end of the file (0x%zx bytes): truncated?",
		       (unsigned long long)eh->e_shoff, eh->e_shnum, filesize);
		return -ENOEXEC;
	}
	if (eh->e_type != ET_REL) {
		kx_err(obj, NULL, 0,
		       "not a relocatable object (ELF type %u); give kelfix the "
		       "static archive or .o files, not a linked binary",
		       eh->e_type);
		return -ENOEXEC;
	}
	return 0;
}

static bool is_pow2_or_zero(uint64_t x)
{
	return (x & (x - 1)) == 0;
}

/* Our own copy of what libelf handed out, or NULL (ENOMEM). */
static void *copy_of(const Elf_Data *d)
{
	void *p = malloc(d->d_size ? d->d_size : 1);

	if (p && d->d_size)
		memcpy(p, d->d_buf, d->d_size);
	return p;
}

/* Are d's bytes the file's own, inside the object's image, where they
 * outlive the handle and are not given back (kx_object.image)?  Not when
 * libelf converted or aligned them: then they are its copy, freed with the
 * handle. */
static bool stays(const struct kx_object *obj, const Elf_Data *d)
{
	size_t size = 0;
	uintptr_t raw = (uintptr_t)obj->image, p = (uintptr_t)d->d_buf;

	if (!raw || !elf_rawfile(obj->elf, &size))
		return false;
	return p >= raw && d->d_size <= size && p - raw <= size - d->d_size;
}

/* String table section `index` into t: the file's bytes where they stay,
 * else a copy.  A section that is no string table, or whose bytes cannot
 * be read, leaves t empty: every name looked up in it is then reported as
 * not inside the table. */
static int read_strtab(struct kx_object *obj, size_t index, struct kx_names *t)
{
	Elf_Scn *scn = elf_getscn(obj->elf, index);
	GElf_Shdr sh;
	Elf_Data *d;

	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_STRTAB)
		return 0;
	d = elf_getdata(scn, NULL);
	if (!d || !d->d_buf || !d->d_size)
		return 0;
	t->mapped = stays(obj, d);
	t->buf = t->mapped ? d->d_buf : copy_of(d);
	if (!t->buf)
		return -ENOMEM;
	t->size = d->d_size;
	return 0;
}

/* The NUL-terminated string at off in t, or NULL. */
static const char *strtab_at(const struct kx_names *t, uint64_t off)
{
	if (off >= t->size)
		return NULL;
	if (t->buf[t->size - 1] != '\0' && !memchr(t->buf + off, '\0', t->size - off))
		return NULL;
	return t->buf + off;
}

static int load_section(struct kx_object *obj, struct kx_section *sec, size_t filesize)
{
	Elf_Scn *scn = elf_getscn(obj->elf, sec->index);
	const char *name;

	if (!scn || !gelf_getshdr(scn, &sec->sh)) {
		kx_err(obj, NULL, 0, "section %u: unreadable header: %s", sec->index,
		       elf_errmsg(-1));
		return -ENOEXEC;
	}
	name = strtab_at(&obj->shstrtab, sec->sh.sh_name);
	if (!name) {
		kx_err(obj, NULL, 0,
		       "section %u: name at offset 0x%x is not a NUL-terminated "
		       "string inside the section name table",
		       sec->index, sec->sh.sh_name);
		return -ENOEXEC;
	}
	sec->name = name;
	sec->cls = (unsigned char)kx_sec_class_of(sec);
	if (sec->sh.sh_type != SHT_NOBITS && sec->sh.sh_type != SHT_NULL &&
	    (sec->sh.sh_offset > filesize || sec->sh.sh_size > filesize - sec->sh.sh_offset)) {
		kx_err(obj, sec, 0,
		       "section data (offset 0x%llx, size 0x%llx) runs past the end of the file (0x%zx bytes)",
		       (unsigned long long)sec->sh.sh_offset, (unsigned long long)sec->sh.sh_size,
		       filesize);
		return -ENOEXEC;
	}
	if (sec->sh.sh_type == SHT_NOBITS && sec->sh.sh_size > KX_MAX_SECTION) {
		kx_err(obj, sec, 0, "%llu zero-filled bytes: no module is that large",
		       (unsigned long long)sec->sh.sh_size);
		return -ENOEXEC;
	}
	if (!is_pow2_or_zero(sec->sh.sh_addralign) || sec->sh.sh_addralign > KX_MAX_ALIGN) {
		kx_err(obj, sec, 0, "alignment %llu is not a power of two up to %u",
		       (unsigned long long)sec->sh.sh_addralign, KX_MAX_ALIGN);
		return -ENOEXEC;
	}
	return 0;
}

static int range_cmp(const void *a, const void *b)
{
	const struct kx_section *x = *(struct kx_section *const *)a;
	const struct kx_section *y = *(struct kx_section *const *)b;

	if (x->sh.sh_offset != y->sh.sh_offset)
		return x->sh.sh_offset < y->sh.sh_offset ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static bool has_file_bytes(const struct kx_section *s)
{
	return s->sh.sh_type != SHT_NOBITS && s->sh.sh_type != SHT_NULL && s->sh.sh_size;
}

/* No two sections' bytes may share the file: an object whose code is also
 * its symbol table is damaged, whatever each header says alone. */
static int check_overlaps(struct kx_object *obj)
{
	struct kx_section **v = malloc(obj->nsecs * sizeof(*v) + 1);
	size_t i, n = 0;
	int err = 0;

	if (!v)
		return -ENOMEM;
	for (i = 0; i < obj->nsecs; i++)
		if (has_file_bytes(&obj->secs[i]))
			v[n++] = &obj->secs[i];
	qsort(v, n, sizeof(*v), range_cmp);
	for (i = 1; i < n && !err; i++) {
		if (v[i - 1]->sh.sh_offset + v[i - 1]->sh.sh_size <= v[i]->sh.sh_offset)
			continue;
		kx_err(obj, v[i], 0,
		       "its bytes (offset 0x%llx) overlap those of %s (offset 0x%llx, "
		       "size 0x%llx): the object is damaged",
		       (unsigned long long)v[i]->sh.sh_offset, v[i - 1]->name,
		       (unsigned long long)v[i - 1]->sh.sh_offset,
		       (unsigned long long)v[i - 1]->sh.sh_size);
		err = -ENOEXEC;
	}
	free(v);
	return err;
}

static int load_sections(struct kx_object *obj)
{
	size_t n, i, filesize;
	int err;

	if (elf_getshdrnum(obj->elf, &n) || elf_getshdrstrndx(obj->elf, &obj->shstrndx)) {
		kx_err(obj, NULL, 0, "unreadable section headers: %s", elf_errmsg(-1));
		return -ENOEXEC;
	}
	if (obj->shstrndx >= n) {
		kx_err(obj, NULL, 0, "section name table index %zu out of range (%zu sections)",
		       obj->shstrndx, n);
		return -ENOEXEC;
	}
	if (n > UINT32_MAX) { /* ELF's section indices are 32-bit */
		kx_err(obj, NULL, 0, "%zu sections: more than ELF can index", n);
		return -ENOEXEC;
	}
	err = read_strtab(obj, obj->shstrndx, &obj->shstrtab);
	if (err)
		return err;
	elf_rawfile(obj->elf, &filesize);
	obj->secs = calloc(n ? n : 1, sizeof(*obj->secs));
	if (!obj->secs)
		return -ENOMEM;
	obj->nsecs = n;
	for (i = 0; i < n; i++) {
		struct kx_section *sec = &obj->secs[i];

		sec->obj = obj;
		sec->index = (uint32_t)i;
		err = load_section(obj, sec, filesize);
		if (err)
			return err;
	}
	return check_overlaps(obj);
}

/* Symbol i, its section index read from .symtab_shndx (xdata) where
 * st_shndx is the SHN_XINDEX escape. */
static int read_symbol(struct kx_object *obj, Elf_Data *data, Elf_Data *xdata, size_t i,
		       struct kx_symbol *y)
{
	Elf32_Word xndx = 0;

	if (xdata && i >= xdata->d_size / sizeof(Elf32_Word)) {
		kx_err(obj, obj->symtab, 0, "symbol %zu has no .symtab_shndx entry (%zu entries)",
		       i, xdata->d_size / sizeof(Elf32_Word));
		return -ENOEXEC;
	}
	if (!gelf_getsymshndx(data, xdata, (int)i, &y->sym, &xndx)) {
		kx_err(obj, obj->symtab, 0, "symbol %zu unreadable: %s", i, elf_errmsg(-1));
		return -ENOEXEC;
	}
	if (y->sym.st_shndx != SHN_XINDEX) {
		y->shndx = y->sym.st_shndx;
		return 0;
	}
	if (!xdata) {
		kx_err(obj, obj->symtab, 0,
		       "symbol %zu uses SHN_XINDEX but there is no "
		       ".symtab_shndx section",
		       i);
		return -ENOEXEC;
	}
	if (!xndx) {
		kx_err(obj, obj->symtab, 0,
		       "symbol %zu uses SHN_XINDEX but its .symtab_shndx "
		       "entry is 0",
		       i);
		return -ENOEXEC;
	}
	y->shndx = xndx;
	return 0;
}

/* Undefined, absolute and common symbols are in no section; the other
 * reserved indices (processor- and OS-specific, such as x86-64's large
 * common SHN_X86_64_LCOMMON) mean nothing to a kernel module. */
static int check_reserved(struct kx_object *obj, const struct kx_symbol *y, bool *in_section)
{
	*in_section = false;
	if (y->sym.st_shndx == SHN_XINDEX) {
		*in_section = true;
		return 0;
	}
	switch (y->sym.st_shndx) {
	case SHN_UNDEF:
	case SHN_ABS:
	case SHN_COMMON:
		return 0;
	}
	if (y->sym.st_shndx < SHN_LORESERVE) {
		*in_section = true;
		return 0;
	}
	kx_err(obj, obj->symtab, 0,
	       "symbol '%s' has the reserved section index 0x%x, which "
	       "kelfix does not know",
	       kx_pretty(y->name, 0), y->sym.st_shndx);
	return -ENOEXEC;
}

static Elf_Data *find_xindex(struct kx_object *obj)
{
	struct kx_section *s;

	kx_for_each_sec(obj, s)
		if (s->sh.sh_type == SHT_SYMTAB_SHNDX && s->sh.sh_link == obj->symtab->index)
			return elf_getdata(elf_getscn(obj->elf, s->index), NULL);
	return NULL;
}

static int load_symbol(struct kx_object *obj, Elf_Data *data, Elf_Data *xdata, size_t i)
{
	struct kx_symbol *y = &obj->syms[i];
	const char *name;
	bool in_section;
	int err;

	err = read_symbol(obj, data, xdata, i, y);
	if (err)
		return err;
	name = strtab_at(&obj->strtab, y->sym.st_name);
	if (!name) {
		kx_err(obj, obj->symtab, 0,
		       "symbol %zu: name at offset 0x%x is not a NUL-terminated "
		       "string inside the string table",
		       i, y->sym.st_name);
		return -ENOEXEC;
	}
	y->name = name;
	err = check_reserved(obj, y, &in_section);
	if (err || !in_section)
		return err;
	if (y->shndx >= obj->nsecs) {
		kx_err(obj, obj->symtab, 0,
		       "symbol '%s' names section %u, past the last section (%zu)",
		       kx_pretty(name, 0), y->shndx, obj->nsecs - 1);
		return -ENOEXEC;
	}
	y->sec = &obj->secs[y->shndx];
	if (GELF_ST_TYPE(y->sym.st_info) == STT_SECTION && !*name)
		y->name = y->sec->name;
	return 0;
}

static int load_symbols(struct kx_object *obj)
{
	struct kx_section *s;
	Elf_Data *data, *xdata;
	size_t i;
	int err;

	kx_for_each_sec(obj, s) {
		if (s->sh.sh_type != SHT_SYMTAB)
			continue;
		if (obj->symtab) {
			kx_err(obj, s, 0, "a second symbol table");
			return -ENOEXEC;
		}
		obj->symtab = s;
	}
	if (!obj->symtab)
		return 0; /* an object with no symbols: nothing to link */
	if (obj->symtab->sh.sh_link >= obj->nsecs ||
	    obj->secs[obj->symtab->sh.sh_link].sh.sh_type != SHT_STRTAB) {
		kx_err(obj, obj->symtab, 0,
		       "its string table link %u is not a string table (%zu sections)",
		       obj->symtab->sh.sh_link, obj->nsecs);
		return -ENOEXEC;
	}
	if (obj->symtab->sh.sh_entsize != sizeof(Elf64_Sym)) {
		kx_err(obj, obj->symtab, 0, "entry size %llu is not %zu",
		       (unsigned long long)obj->symtab->sh.sh_entsize, sizeof(Elf64_Sym));
		return -ENOEXEC;
	}
	data = elf_getdata(elf_getscn(obj->elf, obj->symtab->index), NULL);
	if (!data) {
		kx_err(obj, obj->symtab, 0, "unreadable: %s", elf_errmsg(-1));
		return -ENOEXEC;
	}
	if (obj->symtab->sh.sh_link == obj->shstrndx)
		obj->strtab = obj->shstrtab;
	else if ((err = read_strtab(obj, obj->symtab->sh.sh_link, &obj->strtab)))
		return err;
	xdata = find_xindex(obj);
	obj->nsyms = obj->symtab->sh.sh_size / sizeof(Elf64_Sym);
	obj->syms = calloc(obj->nsyms ? obj->nsyms : 1, sizeof(*obj->syms));
	if (!obj->syms)
		return -ENOMEM;
	for (i = 0; i < obj->nsyms; i++) {
		err = load_symbol(obj, data, xdata, i);
		if (err)
			return err;
	}
	return 0;
}

/* Pair each SHT_RELA section with its target; refuse SHT_REL. */
static int link_relocs(struct kx_object *obj)
{
	struct kx_section *s;

	kx_for_each_sec(obj, s) {
		if (s->sh.sh_type == SHT_REL) {
			kx_err(obj, s, 0,
			       "SHT_REL relocations are not used on x86-64; the object is not from an x86-64 toolchain");
			return -ENOEXEC;
		}
		if (s->sh.sh_type != SHT_RELA)
			continue;
		if (s->sh.sh_info == 0 || s->sh.sh_info >= obj->nsecs) {
			kx_err(obj, s, 0, "relocations apply to section %u, which does not exist",
			       s->sh.sh_info);
			return -ENOEXEC;
		}
		if (!obj->symtab || s->sh.sh_link != obj->symtab->index) {
			kx_err(obj, s, 0,
			       "relocations do not use the object's symbol table (link %u)",
			       s->sh.sh_link);
			return -ENOEXEC;
		}
		if (s->sh.sh_entsize != sizeof(Elf64_Rela)) {
			kx_err(obj, s, 0, "relocation entry size %llu is not %zu",
			       (unsigned long long)s->sh.sh_entsize, sizeof(Elf64_Rela));
			return -ENOEXEC;
		}
		s->target = &obj->secs[s->sh.sh_info];
		if (s->target->sh.sh_type == SHT_NOBITS || s->target->sh.sh_type == SHT_NULL) {
			kx_err(obj, s, 0, "relocations apply to %s, which has no bytes to relocate",
			       s->target->name);
			return -ENOEXEC;
		}
		if (s->target->rela) {
			kx_err(obj, s, 0, "a second relocation section for %s", s->target->name);
			return -ENOEXEC;
		}
		s->target->rela = s;
	}
	return 0;
}

int kx_object_load(struct kx_object *obj, Elf *elf)
{
	GElf_Ehdr eh;
	int err;

	obj->elf = elf;
	if (elf_kind(elf) != ELF_K_ELF) {
		if (is_bitcode(elf))
			kx_err(obj, NULL, 0,
			       "LLVM bitcode, not machine code; build without "
			       "linker-plugin LTO (-C linker-plugin-lto) or cross-language LTO");
		else
			kx_err(obj, NULL, 0, "not an ELF object");
		return -ENOEXEC;
	}
	if (!gelf_getehdr(elf, &eh)) {
		kx_err(obj, NULL, 0, "unreadable ELF header: %s", elf_errmsg(-1));
		return -ENOEXEC;
	}
	err = check_header(obj, &eh);
	if (!err && obj->mapped && !obj->give_back)
		obj->image = (const unsigned char *)elf_rawfile(elf, NULL);
	if (!err)
		err = load_sections(obj);
	if (!err)
		err = load_symbols(obj);
	if (!err)
		err = link_relocs(obj);
	return err;
}

/* A read fault on a file mapping also maps the pages around it that are
 * in the page cache, within an aligned window of this size
 * (fault_around_bytes in mm/memory.c, its default). */
#define KX_FAULT_AROUND 65536u

/* The member's pages, and the ones reading it may have mapped around it,
 * leave our resident set.  The mapping is libelf's (obj->mapped), private
 * and never written: a page read again, of this member or a neighbour
 * still open, is faulted in again from the page cache, unchanged. */
static void give_back(const struct kx_object *obj)
{
	const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), w = KX_FAULT_AROUND;
	size_t asize = 0, msize = 0;
	uintptr_t base = (uintptr_t)elf_rawfile(obj->archive, &asize);
	uintptr_t p = (uintptr_t)elf_rawfile(obj->elf, &msize);
	uintptr_t lo = p & ~(w - 1), hi = (p + msize + w - 1) & ~(w - 1);
	uintptr_t end = (base + asize + page - 1) & ~(page - 1);

	if (!base || !p)
		return;
	/* Never outside the archive's mapping (base is page-aligned). */
	lo = lo >= base + w ? lo - w : base;
	hi = hi + w <= end ? hi + w : end;
	if (lo < hi)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

/* Sections a link never reads: tool notes, DWARF (read again, from the
 * page cache, only with --keep-debug), LLVM bitcode, and their relocations
 * (target: set on load for every relocation section). */
static bool unread(const struct kx_section *s)
{
	enum kx_sec_class c = kx_sec_classify(s->target ? s->target : s);

	return c == KX_SC_DROP || c == KX_SC_DEBUG;
}

/* The whole pages inside [from, to) of the member at p leave our resident
 * set. */
static void drop_pages(uintptr_t p, uint64_t from, uint64_t to)
{
	const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t lo = (p + from + page - 1) & ~(page - 1), hi = (p + to) & ~(page - 1);

	if (lo < hi)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

/* Unread sections follow each other in the file (LLVM writes the bitcode
 * first, the DWARF after the code, their relocations after the others'),
 * so runs of them, apart by no more than alignment padding, go in one
 * call. */
#define KX_RUN_GAP 64u

void kx_object_forget_unread(const struct kx_object *obj)
{
	size_t msize = 0, i;
	uintptr_t p = (uintptr_t)elf_rawfile(obj->elf, &msize);
	uint64_t from = 0, to = 0;

	if (!p)
		return;
	for (i = 0; i < obj->nsecs; i++) {
		const struct kx_section *s = &obj->secs[i];
		uint64_t off = s->sh.sh_offset, end = off + s->sh.sh_size;

		if (!has_file_bytes(s) || !unread(s))
			continue;
		if (off >= to && off - to <= KX_RUN_GAP && to) {
			to = end;
			continue;
		}
		drop_pages(p, from, to);
		from = off;
		to = end;
	}
	drop_pages(p, from, to);
}

void kx_object_release(struct kx_object *obj)
{
	if (!obj->archive || !obj->elf)
		return;
	if (obj->give_back)
		give_back(obj);
	elf_end(obj->elf);
	obj->elf = NULL;
}

int kx_object_elf(struct kx_object *obj, Elf **elf)
{
	struct kx_reopened *r = obj->reopened;
	struct kx_object **slot;

	*elf = obj->elf;
	if (obj->elf)
		return 0;
	if (!obj->archive) {
		kx_err(obj, NULL, 0, "its ELF handle was ended: nothing more can be read of it");
		return -ENOEXEC;
	}
	errno = 0;
	if (elf_rand(obj->archive, (size_t)obj->aroff) == (size_t)obj->aroff)
		obj->elf = elf_begin(obj->archive_fd,
				     obj->mapped ? ELF_C_READ_MMAP_PRIVATE : ELF_C_READ_MMAP,
				     obj->archive);
	if (!obj->elf) {
		/* libelf's allocation failures leave malloc's errno. */
		if (errno == ENOMEM)
			return -ENOMEM;
		kx_err(obj, NULL, 0, "cannot read the member again: %s", elf_errmsg(-1));
		return -ENOEXEC;
	}
	if (r) {
		slot = &r->obj[r->next++ %
			       (r->max && r->max < KX_OPEN_MEMBERS ? r->max : KX_OPEN_MEMBERS)];
		if (*slot)
			kx_object_release(*slot);
		*slot = obj;
	}
	*elf = obj->elf;
	return 0;
}

int kx_sec_scn(struct kx_section *sec, Elf_Scn **scn)
{
	Elf *elf;
	int err = kx_object_elf(sec->obj, &elf);

	*scn = NULL;
	if (err)
		return err;
	*scn = elf_getscn(elf, sec->index);
	if (*scn)
		return 0;
	kx_err(sec->obj, sec, 0, "unreadable section: %s", elf_errmsg(-1));
	return -ENOEXEC;
}

void kx_object_free(struct kx_object *obj)
{
	struct kx_section *s;

	if (obj->secs) {
		kx_for_each_sec(obj, s) {
			free(s->relocs);
			free(s->copy);
		}
	}
	free(obj->secs);
	free(obj->syms);
	if (obj->strtab.buf != obj->shstrtab.buf && !obj->strtab.mapped)
		free(obj->strtab.buf);
	if (!obj->shstrtab.mapped)
		free(obj->shstrtab.buf);
	if (obj->elf)
		elf_end(obj->elf);
	memset(obj, 0, sizeof(*obj));
}

static int reloc_cmp(const void *a, const void *b)
{
	const struct kx_reloc *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return 0;
}

static int check_reloc(struct kx_section *sec, size_t i, const struct kx_reloc *r)
{
	struct kx_object *obj = sec->obj;
	unsigned size = kx_reloc_size(r->type);
	char name[KX_RELOC_NAME_MAX];

	if (r->sym >= obj->nsyms) {
		kx_err(obj, sec, r->offset,
		       "relocation %zu names symbol %u, past the last symbol (%zu)", i, r->sym,
		       obj->nsyms);
		return -ENOEXEC;
	}
	if (r->offset > sec->sh.sh_size || size > sec->sh.sh_size - r->offset) {
		kx_err(obj, sec, r->offset,
		       "relocation %zu (%s, %u bytes) lies outside the section (0x%llx bytes)", i,
		       kx_reloc_type_name(r->type, name, sizeof(name)), size,
		       (unsigned long long)sec->sh.sh_size);
		return -ENOEXEC;
	}
	return 0;
}

/* Where a section's relocation entries are read from: the object's image
 * (translated by libelf from the file's form, a batch at a time), or
 * libelf's data for the section. */
struct rela_source {
	const unsigned char *raw;
	Elf_Data *data;
};

#define RELA_BATCH 64

static int open_relas(struct kx_section *rela, struct rela_source *src)
{
	Elf_Scn *scn;
	int err;

	src->raw = NULL;
	src->data = NULL;
	if (rela->obj->image) {
		src->raw = rela->obj->image + rela->sh.sh_offset;
		return 0;
	}
	err = kx_sec_scn(rela, &scn);
	if (err)
		return err;
	src->data = elf_getdata(scn, NULL);
	if (!src->data) {
		kx_err(rela->obj, rela, 0, "unreadable: %s", elf_errmsg(-1));
		return -ENOEXEC;
	}
	return 0;
}

/* size bytes of ELF type `type` at src, in the file's form (ELF64 LSB, as
 * check_header wants), into dst in memory's, by libelf. */
static bool from_file_form(Elf_Type type, void *dst, const void *src, size_t size)
{
	Elf_Data to = { .d_buf = dst, .d_type = type, .d_size = size, .d_version = EV_CURRENT };
	Elf_Data from = {
		.d_buf = (void *)src, .d_type = type, .d_size = size, .d_version = EV_CURRENT
	};

	return elf64_xlatetom(&to, &from, ELFDATA2LSB) != NULL;
}

/* Entries i .. i+n-1 (n <= RELA_BATCH) into out. */
static int read_relas(struct kx_section *rela, const struct rela_source *src, size_t i, size_t n,
		      GElf_Rela *out)
{
	size_t k;

	if (src->raw) {
		if (from_file_form(ELF_T_RELA, out, src->raw + i * sizeof(Elf64_Rela),
				   n * sizeof(Elf64_Rela)))
			return 0;
		kx_err(rela->obj, rela, 0, "relocations %zu to %zu unreadable: %s", i, i + n - 1,
		       elf_errmsg(-1));
		return -ENOEXEC;
	}
	for (k = 0; k < n; k++) {
		if (!gelf_getrela(src->data, (int)(i + k), &out[k])) {
			kx_err(rela->obj, rela, 0, "relocation %zu unreadable: %s", i + k,
			       elf_errmsg(-1));
			return -ENOEXEC;
		}
	}
	return 0;
}

int kx_sec_load_relocs(struct kx_section *sec)
{
	struct rela_source src;
	GElf_Rela batch[RELA_BATCH];
	size_t i, n;
	bool sorted = true;
	int err;

	if (!sec->rela || sec->relocs)
		return 0;
	err = open_relas(sec->rela, &src);
	if (err)
		return err;
	n = sec->rela->sh.sh_size / sizeof(Elf64_Rela);
	sec->relocs = calloc(n ? n : 1, sizeof(*sec->relocs));
	if (!sec->relocs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct kx_reloc *r = &sec->relocs[i];
		const GElf_Rela *rela = &batch[i % RELA_BATCH];

		if (i % RELA_BATCH == 0) {
			err = read_relas(sec->rela, &src, i,
					 n - i < RELA_BATCH ? n - i : RELA_BATCH, batch);
			if (err)
				return err;
		}
		r->offset = rela->r_offset;
		r->addend = rela->r_addend;
		r->type = GELF_R_TYPE(rela->r_info);
		r->sym = GELF_R_SYM(rela->r_info);
		err = check_reloc(sec, i, r);
		if (err)
			return err;
		if (i && r->offset < r[-1].offset)
			sorted = false;
	}
	sec->nrelocs = n;
	if (!sorted)
		qsort(sec->relocs, n, sizeof(*sec->relocs), reloc_cmp);
	return 0;
}

static int load_data(struct kx_section *sec)
{
	Elf_Scn *scn;
	Elf_Data *d;
	int err;

	if (sec->data || sec->sh.sh_type == SHT_NOBITS || !sec->sh.sh_size)
		return 0;
	if (sec->obj->image && has_file_bytes(sec)) { /* load_section checked they are inside */
		sec->data = sec->obj->image + sec->sh.sh_offset;
		return 0;
	}
	err = kx_sec_scn(sec, &scn);
	if (err)
		return err;
	d = elf_getdata(scn, NULL);
	if (!d || d->d_size != sec->sh.sh_size) {
		kx_err(sec->obj, sec, 0, "unreadable data: %s", elf_errmsg(-1));
		return -ENOEXEC;
	}
	if (sec->obj->archive) { /* the handle is transient */
		sec->copy = copy_of(d);
		if (!sec->copy)
			return -ENOMEM;
		sec->data = sec->copy;
		return 0;
	}
	sec->data = d->d_buf;
	return 0;
}

int kx_sec_load(struct kx_section *sec)
{
	int err = load_data(sec);

	return err ? err : kx_sec_load_relocs(sec);
}

int kx_sec_words(struct kx_section *sec, Elf32_Word **words, size_t *n)
{
	int err = load_data(sec);

	*words = NULL;
	*n = sec->sh.sh_size / sizeof(Elf32_Word);
	if (err || !*n)
		return err;
	if (sec->sh.sh_size % sizeof(Elf32_Word) || !sec->data) {
		kx_err(sec->obj, sec, 0, "%llu bytes: not a whole number of 32-bit words",
		       (unsigned long long)sec->sh.sh_size);
		return -ENOEXEC;
	}
	*words = malloc(sec->sh.sh_size);
	if (!*words)
		return -ENOMEM;
	if (!from_file_form(ELF_T_WORD, *words, sec->data, sec->sh.sh_size)) {
		kx_err(sec->obj, sec, 0, "unreadable: %s", elf_errmsg(-1));
		free(*words);
		*words = NULL;
		return -ENOEXEC;
	}
	return 0;
}

int kx_sec_bytes_mut(struct kx_section *sec, unsigned char **bytes)
{
	int err;

	*bytes = sec->copy;
	if (sec->copy)
		return 0;
	err = load_data(sec);
	if (err)
		return err;
	sec->copy = malloc(sec->sh.sh_size ? sec->sh.sh_size : 1);
	if (!sec->copy)
		return -ENOMEM;
	if (sec->data)
		memcpy(sec->copy, sec->data, sec->sh.sh_size);
	else
		memset(sec->copy, 0, sec->sh.sh_size);
	*bytes = sec->copy;
	return 0;
}

const struct kx_symbol *kx_sym_containing(const struct kx_section *sec, uint64_t off)
{
	const struct kx_object *obj = sec->obj;
	const struct kx_symbol *y, *best = NULL;

	if (!obj->syms)
		return NULL;
	kx_for_each_sym(obj, y) {
		unsigned t = GELF_ST_TYPE(y->sym.st_info);

		if (y->sec != sec || (t != STT_FUNC && t != STT_OBJECT))
			continue;
		if (off >= y->sym.st_value &&
		    off < y->sym.st_value + (y->sym.st_size ? y->sym.st_size : 1))
			if (!best || y->sym.st_value > best->sym.st_value)
				best = y;
	}
	return best;
}
