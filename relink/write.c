// SPDX-License-Identifier: GPL-2.0-only
/*
 * The writer: a fresh ET_REL object built from the model, never an edit
 * of an input.  Section order: the laid-out sections, .note.GNU-stack,
 * their .rela sections, .symtab, .symtab_shndx (only if a symbol's section
 * index is SHN_LORESERVE or more), .strtab, .shstrtab.  Every section index
 * past 0xfeff goes through the SHN_XINDEX escape (gABI "Extended Section
 * Indexes"): in st_shndx, in e_shnum (section 0's sh_size), in e_shstrndx
 * (section 0's sh_link); no count of sections is refused.
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
	/* .symtab_shndx: each symbol's section index where its st_shndx is
	 * SHN_XINDEX, else 0; written if need_xindex. */
	Elf32_Word *xndx;
	size_t xcap;
	bool need_xindex;
	struct relas *relas; /* one per output section */
	size_t note_index, symtab_index, xndx_index, strtab_index, shstrtab_index, nsections;
};

/* --- symbols ----------------------------------------------------------- */

/* A symbol as written: st_shndx (SHN_XINDEX for an index past 0xfeff)
 * and its .symtab_shndx entry. */
static int sym_push_raw(struct writer *w, const char *name, unsigned char info, unsigned char other,
			uint16_t st_shndx, Elf32_Word xndx, uint64_t value, uint64_t size,
			uint32_t *index)
{
	Elf32_Word *x;
	Elf64_Sym *s;
	uint32_t off;
	int err = kx_strtab_add(&w->str, name, &off);

	if (err)
		return err;
	if (w->nsyms >= UINT32_MAX)
		return -EFBIG; /* r_info's symbol index is 32 bits */
	s = kx_grow(w->syms, &w->cap, w->nsyms + 1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	w->syms = s;
	x = kx_grow(w->xndx, &w->xcap, w->nsyms + 1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	w->xndx = x;
	s = &w->syms[w->nsyms];
	s->st_name = off;
	s->st_info = info;
	s->st_other = other;
	s->st_shndx = st_shndx;
	s->st_value = value;
	s->st_size = size;
	w->xndx[w->nsyms] = xndx;
	if (xndx)
		w->need_xindex = true;
	if (index)
		*index = (uint32_t)w->nsyms;
	w->nsyms++;
	return 0;
}

/* A symbol defined in output section secndx, or undefined (SHN_UNDEF). */
static int sym_push(struct writer *w, const char *name, unsigned char info, unsigned char other,
		    size_t secndx, uint64_t value, uint64_t size, uint32_t *index)
{
	if (secndx < SHN_LORESERVE)
		return sym_push_raw(w, name, info, other, (uint16_t)secndx, 0, value, size, index);
	return sym_push_raw(w, name, info, other, SHN_XINDEX, (Elf32_Word)secndx, value, size,
			    index);
}

static int sym_push_abs(struct writer *w, const char *name, unsigned char info, unsigned char other,
			uint64_t value, uint64_t size, uint32_t *index)
{
	return sym_push_raw(w, name, info, other, SHN_ABS, 0, value, size, index);
}

static bool global_stays(const struct kx_global *g)
{
	const struct kx_symbol *d = g->def;

	if (!d || !kx_sym_is_interface(d))
		return false;
	return kx_sym_is_abs(d) || (d->sec && d->sec->out);
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

		err = sym_push(w, "", GELF_ST_INFO(STB_LOCAL, STT_SECTION), 0, o->index, 0, 0,
			       &o->sym_index);
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
			err = sym_push(w, y->name,
				       GELF_ST_INFO(STB_LOCAL, GELF_ST_TYPE(y->sym.st_info)),
				       STV_DEFAULT, y->sec->out->index,
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
		if (kx_sym_is_abs(d))
			return sym_push_abs(w, g->name, d->sym.st_info, d->sym.st_other,
					    d->sym.st_value, d->sym.st_size, &g->out_index);
		return sym_push(w, g->name, GELF_ST_INFO(bind, GELF_ST_TYPE(d->sym.st_info)),
				d->sym.st_other, d->sec->out->index,
				d->sec->out_off + d->sym.st_value, d->sym.st_size, &g->out_index);
	}
	if (d || !g->referenced)
		return 0;
	/* Undefined: resolved by the kernel when the module loads. */
	bind = g->strong_ref ? STB_GLOBAL : STB_WEAK;
	return sym_push(w, g->name, GELF_ST_INFO(bind, STT_NOTYPE), STV_DEFAULT, SHN_UNDEF, 0, 0,
			&g->out_index);
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
static int map_target(struct kx_object *obj, uint32_t sym, int64_t addend, uint32_t *osym,
		      int64_t *oaddend)
{
	const struct kx_symbol *y = &obj->syms[sym];
	const struct kx_symbol *d = kx_sym_resolve(y);

	*oaddend = addend;
	if (y->global && y->global->out_index) {
		*osym = y->global->out_index;
		return 0;
	}
	if (kx_sym_is_abs(d)) {
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

static int emit_reloc(struct writer *w, struct kx_outsec *o, struct relas *rs, struct kx_section *s,
		      const struct kx_reloc *r)
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

/* One section of the output. */
struct scn_spec {
	const char *prefix, *name; /* its name: prefix and name joined */
	uint32_t type;
	uint64_t flags;
	void *buf;
	uint64_t size, align, entsize;
	uint32_t link, info;
	Elf_Type dtype;
};

static int add_scn(struct writer *w, Elf *e, const struct scn_spec *sp)
{
	Elf_Scn *scn;
	Elf_Data *d;
	GElf_Shdr sh;
	uint32_t name;
	int err = kx_strtab_add_joined(&w->shstr, sp->prefix ? sp->prefix : "", sp->name, &name);

	if (err)
		return err;
	scn = elf_newscn(e);
	if (!scn || !gelf_getshdr(scn, &sh))
		return -EIO;
	d = elf_newdata(scn);
	if (!d)
		return -EIO;
	d->d_buf = sp->buf;
	d->d_size = sp->size;
	d->d_type = sp->dtype;
	d->d_align = sp->align ? sp->align : 1;
	d->d_version = EV_CURRENT;
	sh.sh_name = name;
	sh.sh_type = sp->type;
	sh.sh_flags = sp->flags;
	sh.sh_addralign = sp->align ? sp->align : 1;
	sh.sh_link = sp->link;
	sh.sh_info = sp->info;
	sh.sh_entsize = sp->entsize;
	sh.sh_size = sp->size;
	if (!gelf_update_shdr(scn, &sh))
		return -EIO;
	return 0;
}

static int add_note(struct writer *w, Elf *e)
{
	return add_scn(w, e,
		       &(struct scn_spec){ .name = ".note.GNU-stack",
					   .type = SHT_PROGBITS,
					   .dtype = ELF_T_BYTE });
}

static int write_outsecs(struct writer *w, Elf *e)
{
	struct kx_link *l = w->l;
	bool note = false;
	size_t i;
	int err = 0;

	/* Sections are numbered as they are made: in index order. */
	for (i = 0; i <= l->nouts && !err; i++) {
		struct kx_outsec *o = i < l->nouts ? l->outs[i] : NULL;

		if (!note && (!o || w->note_index < o->index)) {
			err = add_note(w, e);
			note = true;
		}
		if (o && !err)
			err = add_scn(w, e,
				      &(struct scn_spec){ .name = o->name,
							  .type = o->type,
							  .flags = o->flags,
							  .buf = o->bytes,
							  .size = o->size,
							  .align = o->align,
							  .dtype = ELF_T_BYTE });
	}
	for (i = 0; i < l->nouts && !err; i++) {
		struct relas *rs = &w->relas[i];

		if (!rs->n)
			continue;
		err = add_scn(w, e,
			      &(struct scn_spec){ .prefix = ".rela",
						  .name = l->outs[i]->name,
						  .type = SHT_RELA,
						  .flags = SHF_INFO_LINK,
						  .buf = rs->v,
						  .size = rs->n * sizeof(Elf64_Rela),
						  .align = 8,
						  .link = (uint32_t)w->symtab_index,
						  .info = (uint32_t)l->outs[i]->index,
						  .entsize = sizeof(Elf64_Rela),
						  .dtype = ELF_T_RELA });
	}
	return err;
}

static int write_tables(struct writer *w, Elf *e)
{
	int err;

	err = add_scn(w, e,
		      &(struct scn_spec){ .name = ".symtab",
					  .type = SHT_SYMTAB,
					  .buf = w->syms,
					  .size = w->nsyms * sizeof(Elf64_Sym),
					  .align = 8,
					  .link = (uint32_t)w->strtab_index,
					  .info = (uint32_t)w->first_global,
					  .entsize = sizeof(Elf64_Sym),
					  .dtype = ELF_T_SYM });
	if (!err && w->need_xindex)
		err = add_scn(w, e,
			      &(struct scn_spec){ .name = ".symtab_shndx",
						  .type = SHT_SYMTAB_SHNDX,
						  .buf = w->xndx,
						  .size = w->nsyms * sizeof(Elf32_Word),
						  .align = 4,
						  .link = (uint32_t)w->symtab_index,
						  .entsize = sizeof(Elf32_Word),
						  .dtype = ELF_T_WORD });
	if (!err)
		err = add_scn(w, e,
			      &(struct scn_spec){ .name = ".strtab",
						  .type = SHT_STRTAB,
						  .buf = w->str.buf,
						  .size = w->str.size,
						  .dtype = ELF_T_BYTE });
	/* Last, and its bytes given once its own name is in it
	 * (fill_shstrtab). */
	if (!err)
		err = add_scn(w, e,
			      &(struct scn_spec){ .name = ".shstrtab",
						  .type = SHT_STRTAB,
						  .dtype = ELF_T_BYTE });
	return err;
}

/* .shstrtab's bytes, now that every section name is in it. */
static int fill_shstrtab(struct writer *w, Elf *e)
{
	Elf_Scn *scn = elf_getscn(e, w->shstrtab_index);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	GElf_Shdr sh;

	if (!d || !gelf_getshdr(scn, &sh))
		return -EIO;
	d->d_buf = w->shstr.buf;
	d->d_size = w->shstr.size;
	sh.sh_size = w->shstr.size;
	return gelf_update_shdr(scn, &sh) ? 0 : -EIO;
}

/* Past SHN_LORESERVE sections, e_shnum is 0 and the count is section 0's
 * sh_size; past SHN_LORESERVE too, e_shstrndx is SHN_XINDEX and the index
 * is section 0's sh_link (gABI, "Extended Section Indexes"). */
static int write_headers(struct writer *w, Elf *e)
{
	Elf_Scn *scn0 = elf_getscn(e, 0);
	GElf_Ehdr eh;
	GElf_Shdr sh0;
	bool ext_count = w->nsections >= SHN_LORESERVE;
	bool ext_strndx = w->shstrtab_index >= SHN_LORESERVE;

	if (!gelf_getehdr(e, &eh) || !scn0 || !gelf_getshdr(scn0, &sh0))
		return -EIO;
	eh.e_shnum = ext_count ? 0 : (Elf64_Half)w->nsections;
	eh.e_shstrndx = ext_strndx ? SHN_XINDEX : (Elf64_Half)w->shstrtab_index;
	sh0.sh_size = ext_count ? w->nsections : 0;
	sh0.sh_link = ext_strndx ? (Elf64_Word)w->shstrtab_index : 0;
	if (!gelf_update_shdr(scn0, &sh0) || !gelf_update_ehdr(e, &eh))
		return -EIO;
	return 0;
}

/*
 * The laid-out sections, then .note.GNU-stack; but where they reach index
 * 0xfff2, .note.GNU-stack takes it.  No symbol is defined in a section of
 * SHN_COMMON's number, as a reader that compares the index it resolved
 * through .symtab_shndx with SHN_COMMON (eu-elflint 0.188 does) would
 * take it for a common symbol.
 */
static void assign_indices(struct writer *w)
{
	struct kx_link *l = w->l;
	size_t i, n = 1;

	w->note_index = 0;
	for (i = 0; i < l->nouts; i++) {
		if (n == SHN_COMMON)
			w->note_index = n++;
		l->outs[i]->index = n++;
	}
	if (!w->note_index)
		w->note_index = n++;
}

static void assign_table_indices(struct writer *w)
{
	size_t i, n = (w->l->nouts ? w->l->outs[w->l->nouts - 1]->index : 0) + 1;

	if (w->note_index >= n)
		n = w->note_index + 1;

	for (i = 0; i < w->l->nouts; i++)
		if (w->relas[i].n)
			n++;
	w->symtab_index = n++;
	w->xndx_index = w->need_xindex ? n++ : 0;
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
	if (!gelf_update_ehdr(e, &eh))
		goto out;
	err = write_outsecs(w, e);
	if (!err)
		err = write_tables(w, e);
	if (!err)
		err = fill_shstrtab(w, e);
	if (!err)
		err = write_headers(w, e);
	if (!err && elf_update(e, ELF_C_WRITE) < 0)
		err = errno ? -errno : -EIO;
out:
	if (err)
		kx_report_file(KX_ERROR, w->l->opt->output, "writing the object: %s%s%s%s",
			       strerror(-err), err == -EIO ? " (" : "",
			       err == -EIO ? elf_errmsg(-1) : "", err == -EIO ? ")" : "");
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
	free(w->xndx);
	kx_strtab_free(&w->str);
	kx_strtab_free(&w->shstr);
}

/* ELF's section indices (sh_link, sh_info, .symtab_shndx) are 32 bits. */
static int check_section_count(struct writer *w)
{
	if (w->nsections <= UINT32_MAX)
		return 0;
	kx_report_file(KX_ERROR, w->l->opt->output,
		       "%zu output sections: more than ELF can "
		       "index",
		       w->nsections);
	return -EFBIG;
}

/* Writes the object to fd (a new, empty file). */
int kx_link_write_fd(struct kx_link *l, int fd)
{
	struct writer w = { .l = l };
	int err;

	err = kx_strtab_init(&w.str);
	if (!err)
		err = kx_strtab_init(&w.shstr);
	if (err) {
		writer_free(&w);
		return err;
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
