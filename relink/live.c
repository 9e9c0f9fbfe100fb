// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live set: what is reachable through relocations from the roots.
 *
 * Roots: init_module and cleanup_module; every unmangled, default-visibility
 * global definition in the crate's own members (not Rust's core/alloc/compiler_builtins);
 * sections the kernel reads by name (.modinfo, __param, __ksymtab*, ...);
 * SHF_GNU_RETAIN sections; -u SYM and --keep-section GLOB.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "link.h"
#include "sections.h"
#include "util.h"

struct worklist {
	struct kx_section **v;
	size_t n, cap;
};

static int push(struct worklist *w, struct kx_section *sec, struct kx_section *from)
{
	struct kx_section **v;

	if (sec->live || sec->discarded)
		return 0;
	v = kx_grow(w->v, &w->cap, w->n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	w->v = v;
	sec->live = true;
	sec->live_from = from;
	w->v[w->n++] = sec;
	return 0;
}

/* Sections that can hold code or data of the module at all. */
static bool sec_can_live(const struct kx_section *sec, bool keep_debug)
{
	switch (kx_sec_classify(sec)) {
	case KX_SC_TEXT:
	case KX_SC_RODATA:
	case KX_SC_DATA:
	case KX_SC_BSS:
	case KX_SC_SPECIAL:
	case KX_SC_MODINFO:
	case KX_SC_TLS: /* kept so that the rewrite pass can name it */
		return true;
	case KX_SC_DEBUG:
		return keep_debug;
	default:
		return false;
	}
}

static bool sec_is_root(const struct kx_link *l, const struct kx_section *sec)
{
	enum kx_sec_class c = kx_sec_classify(sec);
	size_t i;

	if (c == KX_SC_SPECIAL || c == KX_SC_MODINFO)
		return true;
	if (sec->sh.sh_flags & SHF_GNU_RETAIN)
		return true;
	for (i = 0; i < l->opt->nkeep_globs; i++)
		if (!fnmatch(l->opt->keep_globs[i], sec->name, 0))
			return true;
	return false;
}

static int push_symbol(struct worklist *w, const struct kx_symbol *y)
{
	struct kx_section *sec = kx_sym_target_sec(y);

	return sec ? push(w, sec, NULL) : 0;
}

static int push_named(struct kx_link *l, struct worklist *w, const char *name, bool required)
{
	struct kx_global *g = kx_global_find(l, name);

	if (!g || !g->def) {
		if (required)
			kx_report_file(KX_ERROR, NULL, "-u %s: no input defines '%s'", name, name);
		return required ? -EINVAL : 0;
	}
	return push_symbol(w, g->def);
}

static int push_roots(struct kx_link *l, struct worklist *w)
{
	size_t i;
	int err, ret = 0;

	for (i = 0; i < KX_NENTRY_POINTS; i++) {
		err = push_named(l, w, kx_module_entry_points[i], false);
		if (err)
			return err;
	}
	for (i = 0; i < l->opt->nundefs; i++) {
		err = push_named(l, w, l->opt->undefs[i], true);
		if (err == -ENOMEM)
			return err;
		if (err)
			ret = err;
	}
	for (i = 0; i < l->in.nobjs; i++) {
		struct kx_object *obj = l->in.objs[i];
		struct kx_section *s;
		struct kx_symbol *y;

		kx_for_each_sec(obj, s)
			if (!s->discarded && sec_can_live(s, l->opt->keep_debug) &&
			    (l->opt->no_gc || sec_is_root(l, s) ||
			     kx_sec_classify(s) == KX_SC_DEBUG))
				if ((err = push(w, s, NULL)))
					return err;
		if (obj->stdlib || !obj->syms)
			continue;
		kx_for_each_sym(obj, y)
			if (y->global && y->global->def == y && kx_sym_is_interface(y))
				if ((err = push_symbol(w, y)))
					return err;
	}
	return ret;
}

static int scan(struct kx_link *l, struct worklist *w, struct kx_section *sec)
{
	struct kx_reloc *r;
	int err;

	/* Its bytes too, while its member is open: the passes after this
	 * one would open it again for them. */
	err = kx_sec_load(sec);
	if (err)
		return err;
	kx_for_each_reloc(sec, r) {
		const struct kx_symbol *y = &sec->obj->syms[r->sym];
		struct kx_section *t;

		if (y->global && (err = kx_link_pass_jumps(l, y->global)))
			return err;
		t = kx_sym_target_sec(y);
		if (t && sec_can_live(t, true) && (err = push(w, t, sec)))
			return err;
	}
	return 0;
}

int kx_link_mark_live(struct kx_link *l)
{
	struct worklist w = { 0 };
	int err, roots;

	roots = push_roots(l, &w);
	if (roots == -ENOMEM) {
		free(w.v);
		return roots;
	}
	err = 0;
	while (w.n && !err) {
		struct kx_section *sec = w.v[--w.n];

		/* Debug sections are kept for live code only: they do not
		 * make what they describe live. */
		if (kx_sec_classify(sec) != KX_SC_DEBUG)
			err = scan(l, &w, sec);
	}
	free(w.v);
	return err ? err : roots;
}
