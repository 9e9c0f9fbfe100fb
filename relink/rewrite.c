// SPDX-License-Identifier: GPL-2.0-only
/*
 * Make every relocation of the live allocated sections one the x86-64
 * module loader applies (arch/x86/kernel/module.c): GOTPCREL forms are
 * rewritten in place where the instruction allows it (DESIGN.md's table,
 * x86.c) and go through a synthesized GOT otherwise; calls to mcount become
 * NOPs; what cannot be made loadable is an error naming symbol and site.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "diag.h"
#include "link.h"
#include "policy.h"
#include "sections.h"
#include "util.h"

struct slot_ent {
	const void *key;
	size_t idx;
};

static hashval_t slot_hash(const void *p)
{
	return htab_hash_pointer(((const struct slot_ent *)p)->key);
}

static int slot_eq(const void *a, const void *b)
{
	return ((const struct slot_ent *)a)->key == b;
}

/* The GOT slot of the symbol a relocation names (one per definition or
 * undefined name, shared by every reference). */
static struct kx_got_slot *got_slot(struct kx_link *l, struct kx_object *obj, uint32_t sym)
{
	const struct kx_symbol *y = &obj->syms[sym];
	const void *key = y->global ? (const void *)y->global : (const void *)y;
	struct kx_got_slot *slots;
	struct slot_ent *e;
	void **hs;

	if (!l->slot_index) {
		l->slot_index = htab_create_alloc(64, slot_hash, slot_eq, free, calloc, free);
		if (!l->slot_index)
			return NULL;
	}
	hs = htab_find_slot_with_hash(l->slot_index, key, htab_hash_pointer(key), INSERT);
	if (!hs)
		return NULL;
	if (*hs)
		return &l->slots[((struct slot_ent *)*hs)->idx];
	slots = kx_grow(l->slots, &l->slots_cap, l->nslots + 1, sizeof(*slots));
	if (slots)
		l->slots = slots;
	e = slots ? malloc(sizeof(*e)) : NULL;
	if (!e) {
		htab_clear_slot(l->slot_index, hs);
		return NULL;
	}
	e->key = key;
	e->idx = l->nslots;
	*hs = e;
	slots[l->nslots] = (struct kx_got_slot){ key, obj, sym, 8 * l->nslots };
	l->stats.got_slots = ++l->nslots;
	return &slots[e->idx];
}

/*
 * Where the instructions of a function holding a GOTPCREL site start, for
 * the sites whose rewrite depends on it (kx_gotpcrel_needs_start): each
 * such function is decoded from its symbol's start (a linear sweep, as
 * objtool reads functions), once, as far as its sites need (relocations
 * come sorted by offset, so decoding goes on from where it stopped).
 * fns[] lists the sized STT_FUNC symbols of one object by section and
 * address; len[] maps each byte of one section to the length of the
 * instruction decoded there (0: none).  The rewrite pass walks the
 * objects and sections in turn, so one of each is kept at a time.
 */
struct fn_span {
	const struct kx_section *sec;
	uint64_t start, end;
	uint64_t decoded_to; /* next offset to decode */
	bool stuck;	     /* capstone does not know the bytes at decoded_to */
};

struct insn_map {
	struct kx_decoder *dec;
	const struct kx_object *obj; /* fns[] are its functions */
	struct fn_span *fns;
	size_t nfns;
	const struct kx_section *sec; /* len[] is its map */
	uint8_t *len;
};

static int fn_cmp(const void *a, const void *b)
{
	const struct fn_span *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec->index < y->sec->index ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static bool is_sized_fn(const struct kx_symbol *y)
{
	return y->sec && GELF_ST_TYPE(y->sym.st_info) == STT_FUNC && y->sym.st_size &&
	       y->sym.st_value <= y->sec->sh.sh_size &&
	       y->sym.st_size <= y->sec->sh.sh_size - y->sym.st_value;
}

/* fns[] of obj, sorted. */
static int map_object(struct insn_map *m, const struct kx_object *obj)
{
	const struct kx_symbol *y;
	size_t n = 0;

	free(m->fns);
	m->fns = NULL;
	m->nfns = 0;
	m->obj = obj;
	kx_for_each_sym(obj, y)
		n += is_sized_fn(y);
	if (!n)
		return 0;
	m->fns = calloc(n, sizeof(*m->fns));
	if (!m->fns)
		return -ENOMEM;
	kx_for_each_sym(obj, y)
		if (is_sized_fn(y))
			m->fns[m->nfns++] = (struct fn_span){
				.sec = y->sec,
				.start = y->sym.st_value,
				.end = y->sym.st_value + y->sym.st_size,
				.decoded_to = y->sym.st_value,
			};
	qsort(m->fns, m->nfns, sizeof(*m->fns), fn_cmp);
	return 0;
}

/* The function of sec that holds loc: of those starting at or before it,
 * the nearest one that reaches past it. */
static struct fn_span *fn_at(struct insn_map *m, const struct kx_section *sec, uint64_t loc)
{
	struct fn_span key = { .sec = sec, .start = loc };
	size_t lo = 0, hi = m->nfns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (fn_cmp(&m->fns[mid], &key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo-- > 0 && m->fns[lo].sec == sec)
		if (m->fns[lo].end > loc)
			return &m->fns[lo];
	return NULL;
}

/* Lengths of f's instructions into len[], on from where decoding stopped
 * to the first instruction that starts at or past upto, or up to the first
 * one capstone cannot decode (what follows stays unproven). */
static void decode_fn(struct insn_map *m, const unsigned char *code, struct fn_span *f,
		      uint64_t upto)
{
	uint64_t off = f->decoded_to;

	while (!f->stuck && off < f->end && off < upto) {
		int n = kx_insn_length(m->dec, code + off, f->end - off);

		if (n <= 0) {
			f->stuck = true;
			break;
		}
		m->len[off] = (uint8_t)n;
		off += (unsigned)n;
	}
	f->decoded_to = off;
}

static int map_section(struct insn_map *m, struct kx_section *sec)
{
	int err;

	if (!m->dec) {
		err = kx_decoder_new(&m->dec);
		if (err == -EIO)
			kx_report_file(KX_ERROR, NULL, "capstone cannot decode x86-64 here");
		if (err)
			return err;
	}
	if (m->obj != sec->obj) {
		err = map_object(m, sec->obj);
		if (err)
			return err;
	}
	if (m->sec != sec) {
		free(m->len);
		m->sec = NULL;
		m->len = calloc(sec->sh.sh_size ? sec->sh.sh_size : 1, 1);
		if (!m->len)
			return -ENOMEM;
		m->sec = sec;
	}
	return 0;
}

/* Longest x86 instruction (Intel SDM vol. 2, 2.3.11). */
#define X86_MAX_INSN 15

/* Where the instruction whose disp32 is at loc starts, if decoding its
 * function proves it: an instruction decoded there that ends at loc + 4
 * (every form rewritten in place ends with its disp32). */
static int insn_start(struct insn_map *m, struct kx_section *sec, uint64_t loc, uint64_t *start)
{
	struct fn_span *f;
	uint64_t s, lo, found = KX_INSN_UNKNOWN;
	int err = map_section(m, sec);

	*start = KX_INSN_UNKNOWN;
	if (err)
		return err;
	f = fn_at(m, sec, loc);
	if (!f || !kx_sec_bytes(sec) || loc - f->start < 2 || f->end - loc < 4)
		return 0;
	decode_fn(m, kx_sec_bytes(sec), f, loc + 4);
	lo = loc + 4 - f->start > X86_MAX_INSN ? loc + 4 - X86_MAX_INSN : f->start;
	for (s = lo; s <= loc - 2; s++) {
		if (!m->len[s] || s + m->len[s] != loc + 4)
			continue;
		if (found != KX_INSN_UNKNOWN)
			return 0; /* two decodings disagree: unproven */
		found = s;
	}
	if (found != KX_INSN_UNKNOWN)
		*start = found;
	else if (f->decoded_to >= loc + 4)
		*start = KX_INSN_NOT_AT_LOC;
	return 0;
}

static void free_map(struct insn_map *m)
{
	kx_decoder_free(m->dec);
	free(m->fns);
	free(m->len);
}

/* A REX_GOTPCRELX whose instruction has no REX prefix: the input is not
 * what its relocation says (the first is reported, --stats counts all). */
static void report_no_rex(struct kx_link *l, struct kx_section *sec, const struct kx_reloc *r)
{
	if (l->stats.got_why[KX_GPW_NO_REX] > 1)
		return;
	kx_warn(sec->obj, sec, r->offset,
		"R_X86_64_REX_GOTPCRELX against '%s' on an instruction without a REX "
		"prefix: the relocation type does not match the code; taken through the "
		"GOT, its bytes unchanged (--stats counts such sites)",
		kx_pretty(sec->obj->syms[r->sym].name, 0));
}

/* The site of r, with where its instruction starts if that matters. */
static int gotpcrel_site(struct insn_map *m, struct kx_section *sec, const struct kx_reloc *r,
			 struct kx_gotpcrel_site *site)
{
	const unsigned char *code = kx_sec_bytes(sec);

	*site = (struct kx_gotpcrel_site){ r->offset, r->addend, r->type, KX_INSN_UNKNOWN };
	if (!code || !kx_gotpcrel_needs_start(code, sec->sh.sh_size, r->offset, r->addend, r->type))
		return 0;
	return insn_start(m, sec, r->offset, &site->start);
}

static int rewrite_gotpcrel(struct kx_link *l, struct insn_map *m, struct kx_section *sec,
			    struct kx_reloc *r)
{
	struct kx_gotpcrel_result res = { 0, 0, 0, KX_GPW_FORM };
	enum kx_gotpcrel_form form = KX_GP_GOT;
	struct kx_gotpcrel_site site;
	unsigned char *buf;
	int err;

	if (sec->sh.sh_flags & SHF_EXECINSTR) {
		err = gotpcrel_site(m, sec, r, &site);
		if (err)
			return err;
		err = kx_sec_bytes_mut(sec, &buf);
		if (err)
			return err;
		form = kx_gotpcrel_rewrite(buf, sec->sh.sh_size, &site, &res);
	}
	l->stats.rewritten[form]++;
	if (form == KX_GP_GOT) {
		struct kx_got_slot *slot = got_slot(l, sec->obj, r->sym);

		if (!slot)
			return -ENOMEM;
		l->stats.got_why[res.why]++;
		if (res.why == KX_GPW_NO_REX)
			report_no_rex(l, sec, r);
		r->type = R_X86_64_PC32;
		r->addend = kx_wrap_add(r->addend, (int64_t)slot->offset);
		r->flags |= KX_RF_GOT;
		return 0;
	}
	r->type = res.type;
	r->offset = res.offset;
	r->addend = res.addend;
	return 0;
}

static int nop_mcount(struct kx_link *l, struct kx_section *sec, struct kx_reloc *r)
{
	unsigned char *buf;
	int err = kx_sec_bytes_mut(sec, &buf);

	if (err)
		return err;
	if (!kx_mcount_nop(buf, sec->sh.sh_size, r->offset)) {
		kx_err(sec->obj, sec, r->offset,
		       "reference to '%s' that is not a direct call; "
		       "build C code with -mfentry (the kernel exports only __fentry__)",
		       sec->obj->syms[r->sym].name);
		return -EINVAL;
	}
	r->flags |= KX_RF_DROP;
	l->stats.mcount_sites++;
	return 0;
}

static bool is_mcount_call(const struct kx_symbol *d, uint32_t type)
{
	return (type == R_X86_64_PC32 || type == R_X86_64_PLT32) && kx_sym_is_undef(d) &&
	       kx_is_mcount(d->name);
}

/* The policy's message (lib/policy.c), at the relocation's place. */
static int refuse(struct kx_section *sec, const struct kx_reloc *r, const struct kx_symbol *d)
{
	char msg[1024];

	kx_err(sec->obj, sec, r->offset, "%s",
	       kx_reloc_refusal(r->type, kx_pretty(d->name, 0), msg, sizeof(msg)));
	return -EINVAL;
}

static int rewrite_one(struct kx_link *l, struct insn_map *m, struct kx_section *sec,
		       struct kx_reloc *r)
{
	const struct kx_symbol *d = kx_sym_resolve(&sec->obj->syms[r->sym]);

	switch (kx_reloc_verdict(r->type, d, r->addend)) {
	case KX_RV_OK:
		return is_mcount_call(d, r->type) ? nop_mcount(l, sec, r) : 0;
	case KX_RV_REWRITE:
		return rewrite_gotpcrel(l, m, sec, r);
	default:
		return refuse(sec, r, d);
	}
}

/* The kernel calls the module's entry points through mod->init and
 * mod->exit, which only kbuild's <module>.mod.c sets.  Where the kernel
 * has IBT, objtool runs on the linked module, finds no reference to them,
 * lists their ENDBR64 as superfluous (.ibt_endbr_seal) and the loader
 * seals it: the call faults.  C modules keep each address in data
 * (module_init()'s ___ADDRESSABLE); the output keeps it in a GOT slot. */
static int keep_entry_addresses(struct kx_link *l)
{
	size_t i;

	for (i = 0; i < KX_NENTRY_POINTS; i++) {
		struct kx_global *g = kx_global_find(l, kx_module_entry_points[i]);

		if (!g || !g->def || !kx_sym_target_sec(g->def))
			continue;
		if (!got_slot(l, g->def_obj, (uint32_t)(g->def - g->def_obj->syms)))
			return -ENOMEM;
	}
	return 0;
}

static bool sec_needs_rewrite(const struct kx_section *sec)
{
	return sec->live && sec->rela && kx_sec_is_alloc(sec);
}

int kx_link_rewrite(struct kx_link *l)
{
	struct insn_map map = { 0 };
	size_t i;
	int err = 0, ret = 0;

	for (i = 0; i < l->in.nobjs; i++) {
		struct kx_object *obj = l->in.objs[i];
		struct kx_section *s;
		struct kx_reloc *r;

		kx_for_each_sec(obj, s) {
			if (!sec_needs_rewrite(s))
				continue;
			err = kx_sec_load(s);
			if (err)
				goto out;
			kx_for_each_reloc(s, r) {
				err = rewrite_one(l, &map, s, r);
				if (err == -ENOMEM || err == -EIO)
					goto out;
				if (err)
					ret = err;
			}
		}
	}
	err = keep_entry_addresses(l);
out:
	free_map(&map);
	return err ? err : ret;
}
