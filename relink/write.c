// SPDX-License-Identifier: GPL-2.0-only
/*
 * The writer: a fresh ET_REL object built from the model, never an edit
 * of an input.  Section order: the laid-out sections, .note.GNU-stack,
 * their .rela sections, .symtab, .strtab, .shstrtab.
 *
 * Symbols: a section symbol per output section; function and object
 * symbols of live code as locals (kernel backtraces name them); globals
 * that stay global (unmangled definitions) and the undefined names the
 * kernel resolves.  Relocations against locals are made relative to the
 * output section symbol; every byte under an emitted relocation is zero.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "link.h"
#include "sections.h"
#include "strtab.h"
#include "util.h"
#include "x86.h"

struct relas {
	Elf64_Rela *v;
	size_t n, cap;
};

struct writer {
	struct kx_link *l;
	struct kx_strtab str, shstr;
	Elf64_Sym *syms;
	size_t nsyms, cap, first_global;
	struct relas *relas; /* one per output section */
	size_t note_index, symtab_index, strtab_index, shstrtab_index, nsections;
};

/* --- symbols ----------------------------------------------------------- */

static int sym_push(struct writer *w, const char *name, unsigned char info,
		    unsigned char other, uint16_t shndx, uint64_t value, uint64_t size,
		    uint32_t *index)
{
	size_t off = kx_strtab_add(&w->str, name);
	Elf64_Sym *s;

	if (off == (size_t)-1)
		return -ENOMEM;
	s = kx_grow(w->syms, &w->cap, w->nsyms + 1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	w->syms = s;
	s = &w->syms[w->nsyms];
	s->st_name = (Elf64_Word)off;
	s->st_info = info;
	s->st_other = other;
	s->st_shndx = shndx;
	s->st_value = value;
	s->st_size = size;
	if (index)
		*index = (uint32_t)w->nsyms;
	w->nsyms++;
	return 0;
}

static bool global_stays(const struct kx_global *g)
{
	const struct kx_symbol *d = g->def;

	if (!d || !kx_sym_is_interface(d))
		return false;
	return d->shndx == SHN_ABS || (d->sec && d->sec->out);
}

static void reference(struct kx_symbol *y)
{
	if (!y->global)
		return;
	y->global->referenced = true;
	if (GELF_ST_BIND(y->sym.st_info) != STB_WEAK)
		y->global->strong_ref = true;
}

/* Mark the names emitted relocations use, so undefined ones get a symbol
 * (weak if every reference to them is weak). */
static void mark_referenced(struct kx_link *l)
{
	size_t i, j;

	for (i = 0; i < l->nouts; i++) {
		struct kx_outsec *o = l->outs[i];

		for (j = 0; j < o->nin; j++) {
			struct kx_section *s = o->in[j];
			struct kx_reloc *r;

			kx_for_each_reloc(s, r)
				if (!(r->flags & (KX_RF_DROP | KX_RF_GOT)))
					reference(&s->obj->syms[r->sym]);
		}
	}
	for (i = 0; i < l->nslots; i++)
		reference(&l->slots[i].obj->syms[l->slots[i].sym]);
}

static int emit_section_syms(struct writer *w)
{
	size_t i;
	int err;

	for (i = 0; i < w->l->nouts; i++) {
		struct kx_outsec *o = w->l->outs[i];

		err = sym_push(w, "", GELF_ST_INFO(STB_LOCAL, STT_SECTION), 0,
			       (uint16_t)o->index, 0, 0, &o->sym_index);
		if (err)
			return err;
	}
	return 0;
}

static bool is_code_or_data(const struct kx_symbol *y)
{
	unsigned t = GELF_ST_TYPE(y->sym.st_info);

	return (t == STT_FUNC || t == STT_OBJECT) && y->sec && y->sec->out &&
	       kx_sec_is_alloc(y->sec);
}

static int emit_locals(struct writer *w)
{
	struct kx_link *l = w->l;
	size_t i;
	int err;

	for (i = 0; i < l->in.nobjs; i++) {
		struct kx_object *obj = l->in.objs[i];
		struct kx_symbol *y;

		if (!obj->syms)
			continue;
		kx_for_each_sym(obj, y) {
			bool local = kx_sym_is_local(y) ||
				     (y->global && y->global->def == y && !global_stays(y->global));

			if (!local || !is_code_or_data(y))
				continue;
			err = sym_push(w, y->name, GELF_ST_INFO(STB_LOCAL, GELF_ST_TYPE(y->sym.st_info)),
				       STV_DEFAULT, (uint16_t)y->sec->out->index,
				       y->sec->out_off + y->sym.st_value, y->sym.st_size,
				       &y->out_index);
			if (err)
				return err;
		}
	}
	return 0;
}

static int emit_global(struct writer *w, struct kx_global *g)
{
	const struct kx_symbol *d = g->def;
	unsigned bind;

	if (global_stays(g)) {
		bind = GELF_ST_BIND(d->sym.st_info);
		if (d->shndx == SHN_ABS)
			return sym_push(w, g->name, d->sym.st_info, d->sym.st_other, SHN_ABS,
					d->sym.st_value, d->sym.st_size, &g->out_index);
		return sym_push(w, g->name, GELF_ST_INFO(bind, GELF_ST_TYPE(d->sym.st_info)),
				d->sym.st_other, (uint16_t)d->sec->out->index,
				d->sec->out_off + d->sym.st_value, d->sym.st_size, &g->out_index);
	}
	if (d || !g->referenced)
		return 0;
	/* Undefined: resolved by the kernel when the module loads. */
	bind = g->strong_ref ? STB_GLOBAL : STB_WEAK;
	return sym_push(w, g->name, GELF_ST_INFO(bind, STT_NOTYPE), STV_DEFAULT,
			SHN_UNDEF, 0, 0, &g->out_index);
}

static int build_symtab(struct writer *w)
{
	size_t i;
	int err;

	mark_referenced(w->l);
	err = sym_push(w, "", 0, 0, SHN_UNDEF, 0, 0, NULL);
	if (!err)
		err = emit_section_syms(w);
	if (!err)
		err = emit_locals(w);
	if (err)
		return err;
	w->first_global = w->nsyms;
	for (i = 0; i < w->l->syms.n && !err; i++)
		err = emit_global(w, w->l->syms.order[i]);
	return err;
}

/* --- relocations ------------------------------------------------------- */

static int rela_push(struct relas *rs, uint64_t off, uint32_t sym, uint32_t type, int64_t addend)
{
	Elf64_Rela *v = kx_grow(rs->v, &rs->cap, rs->n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	rs->v = v;
	rs->v[rs->n].r_offset = off;
	rs->v[rs->n].r_info = GELF_R_INFO(sym, type);
	rs->v[rs->n].r_addend = addend;
	rs->n++;
	return 0;
}

/*
 * The output symbol and addend for a reference to obj's symbol sym.
 * Returns 1 if the reference goes to code that was not kept (the caller
 * drops it in DWARF, refuses it elsewhere).
 */
static int map_target(struct kx_object *obj, uint32_t sym, int64_t addend,
		      uint32_t *osym, int64_t *oaddend)
{
	const struct kx_symbol *y = &obj->syms[sym];
	const struct kx_symbol *d = kx_sym_resolve(y);

	*oaddend = addend;
	if (y->global && y->global->out_index) {
		*osym = y->global->out_index;
		return 0;
	}
	if (d->shndx == SHN_ABS) {
		*osym = 0;
		*oaddend = kx_wrap_add((int64_t)d->sym.st_value, addend);
		return 0;
	}
	if (!d->sec) {
		*osym = 0; /* symbol 0: R_X86_64_NONE and friends */
		return 0;
	}
	if (!d->sec->out)
		return 1;
	*osym = d->sec->out->sym_index;
	*oaddend = kx_wrap_add((int64_t)(d->sec->out_off + d->sym.st_value), addend);
	return 0;
}

static int emit_reloc(struct writer *w, struct kx_outsec *o, struct relas *rs,
		      struct kx_section *s, const struct kx_reloc *r)
{
	uint64_t off = s->out_off + r->offset;
	uint32_t osym;
	int64_t addend;

	if (r->flags & KX_RF_DROP)
		return 0;
	if (r->flags & KX_RF_GOT) {
		osym = w->l->got->sym_index;
		addend = r->addend;
	} else if (map_target(s->obj, r->sym, r->addend, &osym, &addend)) {
		if (!kx_sec_is_alloc(s))
			return 0; /* DWARF for code that was dropped: left 0 */
		kx_err(s->obj, s, r->offset, "reference to '%s', whose section was dropped",
		       kx_pretty(s->obj->syms[r->sym].name, 0));
		return -EINVAL;
	}
	if (o->bytes)
		memset(o->bytes + off, 0, kx_reloc_size(r->type));
	return rela_push(rs, off, osym, r->type, addend);
}

static int build_got_relocs(struct writer *w, struct relas *rs)
{
	size_t i;
	int err;

	for (i = 0; i < w->l->nslots; i++) {
		const struct kx_got_slot *slot = &w->l->slots[i];
		uint32_t osym;
		int64_t addend;

		if (map_target(slot->obj, slot->sym, 0, &osym, &addend)) {
			kx_err(slot->obj, NULL, 0, "GOT entry for '%s', whose section was dropped",
			       kx_pretty(slot->obj->syms[slot->sym].name, 0));
			return -EINVAL;
		}
		err = rela_push(rs, slot->offset, osym, R_X86_64_64, addend);
		if (err)
			return err;
	}
	return 0;
}

static int build_relocs(struct writer *w)
{
	struct kx_link *l = w->l;
	size_t i, j;
	int err, ret = 0;

	w->relas = calloc(l->nouts ? l->nouts : 1, sizeof(*w->relas));
	if (!w->relas)
		return -ENOMEM;
	for (i = 0; i < l->nouts; i++) {
		struct kx_outsec *o = l->outs[i];
		struct kx_reloc *r;

		if (o == l->got) {
			err = build_got_relocs(w, &w->relas[i]);
			if (err)
				return err;
			continue;
		}
		for (j = 0; j < o->nin; j++) {
			kx_for_each_reloc(o->in[j], r) {
				err = emit_reloc(w, o, &w->relas[i], o->in[j], r);
				if (err == -ENOMEM)
					return err;
				if (err)
					ret = err;
			}
		}
	}
	return ret;
}

/* --- bytes ------------------------------------------------------------- */

static int build_bytes(struct kx_link *l)
{
	size_t i, j;
	int err;

	for (i = 0; i < l->nouts; i++) {
		struct kx_outsec *o = l->outs[i];

		if (o->type == SHT_NOBITS)
			continue;
		o->bytes = calloc(1, o->size ? o->size : 1);
		if (!o->bytes)
			return -ENOMEM;
		/* Padding between functions is int3, as the kernel's own link
		 * fills code: objtool (run on the whole module on IBT kernels)
		 * decodes it, and zeros would decode as garbage instructions. */
		if (o->flags & SHF_EXECINSTR)
			memset(o->bytes, X86_INT3, o->size);
		if (o->kind == KX_OUT_MODINFO)
			memcpy(o->bytes, l->modinfo, l->modinfo_size);
		for (j = 0; j < o->nin; j++) {
			struct kx_section *s = o->in[j];

			err = kx_sec_load(s);
			if (err)
				return err;
			if (kx_sec_bytes(s))
				memcpy(o->bytes + s->out_off, kx_sec_bytes(s), s->sh.sh_size);
		}
	}
	return 0;
}

/* --- libelf ------------------------------------------------------------ */

static int add_scn(Elf *e, size_t name, uint32_t type, uint64_t flags, void *buf,
		   uint64_t size, uint64_t align, uint32_t link, uint32_t info,
		   uint64_t entsize, Elf_Type dtype)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d;
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh))
		return -EIO;
	d = elf_newdata(scn);
	if (!d)
		return -EIO;
	d->d_buf = buf;
	d->d_size = size;
	d->d_type = dtype;
	d->d_align = align ? align : 1;
	d->d_version = EV_CURRENT;
	sh.sh_name = (Elf64_Word)name;
	sh.sh_type = type;
	sh.sh_flags = flags;
	sh.sh_addralign = align ? align : 1;
	sh.sh_link = link;
	sh.sh_info = info;
	sh.sh_entsize = entsize;
	sh.sh_size = size;
	if (!gelf_update_shdr(scn, &sh))
		return -EIO;
	return 0;
}

static size_t shname(struct writer *w, const char *prefix, const char *name)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s%s", prefix, name);
	return kx_strtab_add(&w->shstr, buf);
}

static int write_sections(struct writer *w, Elf *e)
{
	struct kx_link *l = w->l;
	size_t i;
	int err;

	for (i = 0; i < l->nouts; i++) {
		struct kx_outsec *o = l->outs[i];

		err = add_scn(e, shname(w, "", o->name), o->type, o->flags, o->bytes, o->size,
			      o->align, 0, 0, 0, ELF_T_BYTE);
		if (err)
			return err;
	}
	err = add_scn(e, shname(w, "", ".note.GNU-stack"), SHT_PROGBITS, 0, NULL, 0, 1,
		      0, 0, 0, ELF_T_BYTE);
	for (i = 0; i < l->nouts && !err; i++) {
		struct relas *rs = &w->relas[i];

		if (!rs->n)
			continue;
		err = add_scn(e, shname(w, ".rela", l->outs[i]->name), SHT_RELA, SHF_INFO_LINK,
			      rs->v, rs->n * sizeof(Elf64_Rela), 8, (uint32_t)w->symtab_index,
			      (uint32_t)l->outs[i]->index, sizeof(Elf64_Rela), ELF_T_RELA);
	}
	if (err)
		return err;
	err = add_scn(e, shname(w, "", ".symtab"), SHT_SYMTAB, 0, w->syms,
		      w->nsyms * sizeof(Elf64_Sym), 8, (uint32_t)w->strtab_index,
		      (uint32_t)w->first_global, sizeof(Elf64_Sym), ELF_T_SYM);
	if (!err)
		err = add_scn(e, shname(w, "", ".strtab"), SHT_STRTAB, 0, w->str.buf,
			      w->str.size, 1, 0, 0, 0, ELF_T_BYTE);
	if (!err) {
		size_t name = shname(w, "", ".shstrtab");

		/* Last: every name is in the table now. */
		err = add_scn(e, name, SHT_STRTAB, 0, w->shstr.buf, w->shstr.size, 1, 0, 0, 0,
			      ELF_T_BYTE);
	}
	return err;
}

static void assign_indices(struct writer *w)
{
	struct kx_link *l = w->l;
	size_t i, n = 1;

	for (i = 0; i < l->nouts; i++)
		l->outs[i]->index = n++;
	w->note_index = n++;
}

static void assign_table_indices(struct writer *w)
{
	size_t i, n = w->note_index + 1;

	for (i = 0; i < w->l->nouts; i++)
		if (w->relas[i].n)
			n++;
	w->symtab_index = n++;
	w->strtab_index = n++;
	w->shstrtab_index = n++;
	w->nsections = n;
}

static int write_elf(struct writer *w, int fd)
{
	GElf_Ehdr eh;
	Elf *e;
	int err;

	e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e)
		return -EIO;
	errno = 0;
	err = -EIO;
	if (!gelf_newehdr(e, ELFCLASS64) || !gelf_getehdr(e, &eh))
		goto out;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_REL;
	eh.e_machine = EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_shstrndx = (Elf64_Half)w->shstrtab_index;
	if (!gelf_update_ehdr(e, &eh))
		goto out;
	err = write_sections(w, e);
	if (err)
		goto out;
	if (elf_update(e, ELF_C_WRITE) < 0)
		err = errno ? -errno : -EIO;
out:
	if (err)
		kx_report_file(KX_ERROR, w->l->opt->output, "writing the object: %s (%s)", strerror(-err),
			       elf_errmsg(-1));
	elf_end(e);
	return err;
}

static void writer_free(struct writer *w)
{
	size_t i;

	if (w->relas)
		for (i = 0; i < w->l->nouts; i++)
			free(w->relas[i].v);
	free(w->relas);
	free(w->syms);
	kx_strtab_free(&w->str);
	kx_strtab_free(&w->shstr);
}

static int check_section_count(struct writer *w)
{
	if (w->nsections < SHN_LORESERVE)
		return 0;
	kx_report_file(KX_ERROR, NULL, "%zu output sections: more than an ELF header can "
		       "count without extended indices; drop --keep-sections", w->nsections);
	return -EINVAL;
}

/* Writes the object to fd (a new, empty file). */
int kx_link_write_fd(struct kx_link *l, int fd)
{
	struct writer w = { .l = l };
	int err;

	if (kx_strtab_init(&w.str) || kx_strtab_init(&w.shstr)) {
		writer_free(&w);
		return -ENOMEM;
	}
	assign_indices(&w);
	err = build_bytes(l);
	if (!err)
		err = build_symtab(&w);
	if (!err)
		err = build_relocs(&w);
	if (!err) {
		assign_table_indices(&w);
		err = check_section_count(&w);
	}
	if (!err)
		err = write_elf(&w, fd);
	l->stats.sections_out = w.nsections;
	writer_free(&w);
	return err;
}
