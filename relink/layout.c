// SPDX-License-Identifier: GPL-2.0-only
/*
 * Output layout: live sections merged by kind into .text, .rodata, .data
 * and .bss (or kept one by one with --keep-sections); sections the kernel
 * reads by name, and kept DWARF, merged by name; then .modinfo and the
 * synthesized GOT.  Order is input order, so the output is deterministic.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "link.h"
#include "sections.h"
#include "util.h"

#define GOT_NAME ".kelfix.got" /* not .got*: the loader and ld treat those specially */

/* Flags an output section does not inherit. */
#define DROPPED_FLAGS (SHF_GROUP | SHF_GNU_RETAIN | SHF_MERGE | SHF_STRINGS)

static const struct {
	const char *name;
	uint32_t type;
	uint64_t flags;
} merged[] = {
	[KX_OUT_TEXT] = { ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR },
	[KX_OUT_RODATA] = { ".rodata", SHT_PROGBITS, SHF_ALLOC },
	[KX_OUT_DATA] = { ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE },
	[KX_OUT_BSS] = { ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE },
};

static struct kx_outsec *outsec_new(struct kx_link *l, const char *name, enum kx_out_kind kind,
				    uint32_t type, uint64_t flags)
{
	struct kx_outsec **outs, *o;

	/* Grown by doubling: --keep-sections makes one per input section. */
	outs = kx_grow(l->outs, &l->outs_cap, l->nouts + 1, sizeof(*outs));
	if (!outs)
		return NULL;
	l->outs = outs;
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->name = name;
	o->kind = kind;
	o->type = type;
	o->flags = flags;
	o->align = 1;
	l->outs[l->nouts++] = o;
	return o;
}

static struct kx_outsec *outsec_find(struct kx_link *l, const char *name, enum kx_out_kind kind,
				     uint32_t type, uint64_t flags)
{
	size_t i;

	for (i = 0; i < l->nouts; i++) {
		struct kx_outsec *o = l->outs[i];

		if (o->kind == kind && o->type == type && o->flags == flags &&
		    !strcmp(o->name, name))
			return o;
	}
	return outsec_new(l, name, kind, type, flags);
}

static int place(struct kx_outsec *o, struct kx_section *sec)
{
	uint64_t align = sec->sh.sh_addralign ? sec->sh.sh_addralign : 1;
	struct kx_section **v;

	/* Both bounded (object.c, here), so no sum below can wrap. */
	if (sec->sh.sh_size > KX_MAX_SECTION ||
	    o->size + align + sec->sh.sh_size > KX_MAX_SECTION) {
		kx_err(sec->obj, sec, 0, "%s would grow past %llu bytes: no module is that large",
		       o->name, KX_MAX_SECTION);
		return -EINVAL;
	}
	v = kx_grow(o->in, &o->capin, o->nin + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	o->in = v;
	o->in[o->nin++] = sec;
	o->size = (o->size + align - 1) & ~(align - 1);
	sec->out = o;
	sec->out_off = o->size;
	o->size += sec->sh.sh_size;
	if (align > o->align)
		o->align = align;
	return 0;
}

/* The output kind of a live section, or -1 if it is not laid out. */
static int out_kind(const struct kx_section *sec)
{
	switch (kx_sec_classify(sec)) {
	case KX_SC_TEXT:
		return KX_OUT_TEXT;
	case KX_SC_RODATA:
		return KX_OUT_RODATA;
	case KX_SC_DATA:
	case KX_SC_BSS:
		return sec->sh.sh_type == SHT_NOBITS ? KX_OUT_BSS : KX_OUT_DATA;
	case KX_SC_SPECIAL:
	case KX_SC_DEBUG:
		return KX_OUT_SPECIAL;
	default:
		return -1;
	}
}

static int check_placeable(const struct kx_section *sec)
{
	if (kx_sec_classify(sec) == KX_SC_TLS) {
		kx_err(sec->obj, sec, 0, "thread-local section: kernel modules have no TLS");
		return -EINVAL;
	}
	if (kx_sec_is_write_exec(sec)) {
		kx_err(sec->obj, sec, 0,
		       "section is both writable and executable, which the "
		       "kernel refuses");
		return -EINVAL;
	}
	return 0;
}

static struct kx_outsec *outsec_for(struct kx_link *l, struct kx_section *sec, int kind)
{
	uint64_t flags = sec->sh.sh_flags & ~DROPPED_FLAGS;

	if (kind == KX_OUT_SPECIAL)
		return outsec_find(l, sec->name, KX_OUT_SPECIAL, sec->sh.sh_type, flags);
	if (l->opt->keep_sections)
		return outsec_new(l, sec->name, kind, merged[kind].type, merged[kind].flags);
	return outsec_find(l, merged[kind].name, kind, merged[kind].type, merged[kind].flags);
}

struct kind_list {
	struct kx_section **v;
	size_t n, cap;
};

static int place_list(struct kx_link *l, int kind, const struct kind_list *k)
{
	size_t i;
	int err, ret = 0;

	for (i = 0; i < k->n; i++) {
		struct kx_section *s = k->v[i];
		struct kx_outsec *o;

		err = check_placeable(s);
		if (err) {
			ret = err;
			continue;
		}
		o = outsec_for(l, s, kind);
		if (!o)
			return -ENOMEM;
		err = place(o, s);
		if (err)
			return err;
	}
	return ret;
}

static int place_all(struct kx_link *l)
{
	struct kind_list k[KX_OUT_SPECIAL + 1] = { 0 };
	size_t i;
	int kind, err = 0, ret = 0;

	for (i = 0; i < l->in.nobjs && !err; i++) {
		struct kx_section *s;

		kx_for_each_sec(l->in.objs[i], s) {
			struct kx_section **v;

			if (!s->live || (kind = out_kind(s)) < 0)
				continue;
			v = kx_grow(k[kind].v, &k[kind].cap, k[kind].n + 1, sizeof(*v));
			if (!v) {
				err = -ENOMEM;
				break;
			}
			k[kind].v = v;
			v[k[kind].n++] = s;
		}
	}
	for (kind = KX_OUT_TEXT; kind <= KX_OUT_SPECIAL && !err; kind++) {
		err = place_list(l, kind, &k[kind]);
		if (err && err != -ENOMEM) {
			ret = err;
			err = 0;
		}
	}
	for (kind = KX_OUT_TEXT; kind <= KX_OUT_SPECIAL; kind++)
		free(k[kind].v);
	return err ? err : ret;
}

static int check_tls(struct kx_link *l)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < l->in.nobjs; i++) {
		struct kx_section *s;

		kx_for_each_sec(l->in.objs[i], s)
			if (s->live && kx_sec_classify(s) == KX_SC_TLS && check_placeable(s))
				ret = -EINVAL;
	}
	return ret;
}

static int add_fixed(struct kx_link *l)
{
	struct kx_outsec *o;

	if (l->modinfo_size) {
		o = outsec_new(l, ".modinfo", KX_OUT_MODINFO, SHT_PROGBITS, SHF_ALLOC);
		if (!o)
			return -ENOMEM;
		o->size = l->modinfo_size;
	}
	if (l->nslots) {
		o = outsec_new(l, GOT_NAME, KX_OUT_GOT, SHT_PROGBITS, SHF_ALLOC);
		if (!o)
			return -ENOMEM;
		o->align = 8;
		o->size = 8 * l->nslots;
		l->got = o;
	}
	return 0;
}

static void count_stats(struct kx_link *l)
{
	size_t i;

	for (i = 0; i < l->in.nobjs; i++) {
		struct kx_section *s;

		l->stats.members++;
		kx_for_each_sec(l->in.objs[i], s) {
			if (kx_sec_classify(s) == KX_SC_META)
				continue;
			l->stats.sections_in++;
			if (s->out && kx_sec_is_alloc(s))
				l->stats.live_bytes += s->sh.sh_size;
			else if (!s->out && !(s->live && kx_sec_classify(s) == KX_SC_MODINFO))
				l->stats.pruned_bytes += s->sh.sh_size;
		}
	}
}

int kx_link_layout(struct kx_link *l)
{
	int err, ret;

	ret = check_tls(l);
	err = place_all(l);
	if (err == -ENOMEM)
		return err;
	if (err)
		ret = err;
	err = add_fixed(l);
	if (err)
		return err;
	count_stats(l);
	return ret;
}

/* --- origins ----------------------------------------------------------- */

/* An output section's inputs are in layout order, at growing offsets
 * (place()): the last one starting at or before out_off holds it, if it
 * reaches that far. */
static const struct kx_section *input_at(const struct kx_outsec *o, uint64_t out_off)
{
	size_t lo = 0, hi = o->nin;
	const struct kx_section *s;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->in[mid]->out_off <= out_off)
			lo = mid;
		else
			hi = mid;
	}
	if (!o->nin)
		return NULL;
	s = o->in[lo];
	if (s->out_off > out_off || out_off - s->out_off >= s->sh.sh_size)
		return NULL;
	return s;
}

bool kx_link_origin(void *ctx, uint32_t out_index, uint64_t out_off, const struct kx_object **obj,
		    const struct kx_section **sec, uint64_t *off)
{
	const struct kx_link *l = ctx;
	const struct kx_section *s = NULL;
	size_t i;

	for (i = 0; i < l->nouts && !s; i++)
		if (l->outs[i]->index == out_index)
			s = input_at(l->outs[i], out_off);
	if (!s)
		return false;
	*obj = s->obj;
	*sec = s;
	*off = out_off - s->out_off;
	return true;
}
