// SPDX-License-Identifier: GPL-2.0-only
/* The audit driver: inputs in, checks run in order, findings kept. */
#include "audit_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "input.h"
#include "util.h"

static const struct kx_check_info checks[] = {
#define KX_CHECK(e, id, sev, what) [KX_CHK_##e] = { id, KX_SEV_##sev, what },
#include "checks.def"
#undef KX_CHECK
};

const struct kx_check_info *kx_check_info(enum kx_check c)
{
	return &checks[c];
}

int kx_check_by_id(const char *id)
{
	int c;

	for (c = 0; c < KX_NCHECKS; c++)
		if (!strcmp(checks[c].id, id))
			return c;
	return -1;
}

const char *kx_severity_name(enum kx_severity s)
{
	static const char *const names[] = { "note", "warning", "error" };

	return names[s];
}

int kx_audit_init(struct kx_audit *a, const struct kx_audit_opts *opt)
{
	memset(a, 0, sizeof(*a));
	a->opt = *opt;
	elf_version(EV_CURRENT);
	return kx_decoder_new(&a->dec);
}

static void finding_free(struct kx_finding *f)
{
	free(f->member);
	free(f->section);
	free(f->symbol);
	free(f->demangled);
	free(f->message);
}

void kx_audit_free(struct kx_audit *a)
{
	size_t i;

	for (i = 0; i < a->nfindings; i++)
		finding_free(&a->findings[i]);
	for (i = 0; i < a->ninputs; i++)
		free(a->inputs[i]);
	free(a->findings);
	free(a->inputs);
	kx_decoder_free(a->dec);
	memset(a, 0, sizeof(*a));
}

bool kx_unit_wants(const struct kx_unit *u, enum kx_check c)
{
	return !u->a->opt.only || (u->a->opt.only & (1u << c));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The demangled name, or NULL when demangling changes nothing. */
static char *demangle(const char *sym)
{
	const char *d;

	if (!sym)
		return NULL;
	d = kx_pretty(sym, 0);
	return strcmp(d, sym) ? strdup(d) : NULL;
}

static struct kx_finding *finding_new(struct kx_audit *a)
{
	if (a->nfindings == a->capfindings) {
		size_t cap = a->capfindings ? 2 * a->capfindings : 64;
		struct kx_finding *v = realloc(a->findings, cap * sizeof(*v));

		if (!v)
			return NULL;
		a->findings = v;
		a->capfindings = cap;
	}
	memset(&a->findings[a->nfindings], 0, sizeof(struct kx_finding));
	return &a->findings[a->nfindings++];
}

int kx_finding_add(struct kx_unit *u, enum kx_check c, enum kx_severity sev,
		   const struct kx_object *obj, const struct kx_section *sec, uint64_t off,
		   const char *sym, const char *fmt, ...)
{
	struct kx_audit *a = u->a;
	struct kx_finding *f;
	va_list ap;
	int n;

	if (!kx_unit_wants(u, c))
		return 0;
	f = finding_new(a);
	if (!f)
		return -ENOMEM;
	f->check = c;
	f->severity = sev;
	if (sev == KX_SEV_ERROR && (a->opt.allow & (1u << c))) {
		f->allowed = true;
		f->severity = KX_SEV_WARNING;
		a->allowed++;
	}
	f->input = u->input;
	f->member = obj ? dup_or_null(obj->member) : NULL;
	f->section = sec ? dup_or_null(sec->name) : NULL;
	f->section_index = sec ? sec->index : 0;
	f->offset = off;
	f->symbol = dup_or_null(sym);
	f->demangled = demangle(sym);
	va_start(ap, fmt);
	n = vasprintf(&f->message, fmt, ap);
	va_end(ap);
	if (n < 0)
		f->message = NULL;
	a->count[f->severity]++;
	if ((obj && obj->member && !f->member) || (sec && !f->section) || (sym && !f->symbol) ||
	    !f->message)
		return -ENOMEM;
	return 0;
}

unsigned kx_unit_obj_index(const struct kx_unit *u, const struct kx_object *obj)
{
	unsigned i;

	for (i = 0; i < u->nobjs; i++)
		if (u->objs[i] == obj)
			return i;
	return 0;
}

int kx_places_add(const struct kx_unit *u, struct kx_places *p, struct kx_section *sec,
		  uint64_t off, const char *why, struct kx_section *from, uint64_t from_off)
{
	struct kx_place *v = kx_grow(p->v, &p->cap, p->n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	p->v = v;
	p->v[p->n++] =
		(struct kx_place){ kx_unit_obj_index(u, sec->obj), sec, off, why, from, from_off };
	return 0;
}

static int place_cmp(const void *x, const void *y)
{
	const struct kx_place *a = x, *b = y;

	if (a->oi != b->oi)
		return a->oi < b->oi ? -1 : 1;
	if (a->sec->index != b->sec->index)
		return a->sec->index < b->sec->index ? -1 : 1;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return 0;
}

void kx_places_sort(struct kx_places *p)
{
	if (p->n)
		qsort(p->v, p->n, sizeof(*p->v), place_cmp);
}

bool kx_places_has(const struct kx_unit *u, const struct kx_places *p, const struct kx_section *sec,
		   uint64_t off)
{
	struct kx_place key = {
		kx_unit_obj_index(u, sec->obj), (struct kx_section *)sec, off, NULL, NULL, 0
	};

	return p->n && bsearch(&key, p->v, p->n, sizeof(*p->v), place_cmp);
}

const struct kx_symbol *kx_unit_resolve(const struct kx_unit *u, const struct kx_symbol *y)
{
	(void)u;
	if (kx_sym_is_local(y))
		return y;
	if (y->global && y->global->def)
		return y->global->def;
	return kx_sym_is_undef(y) ? NULL : y;
}

static bool defines(const struct kx_symbols *s, const char *name)
{
	const struct kx_global *g = s->globals ? kx_symbols_find(s, name) : NULL;

	return g && g->def;
}

bool kx_unit_defines(const struct kx_unit *u, const char *name)
{
	return defines(&u->syms, name) || defines(&u->part_syms, name);
}

/* Exports that give a module the FPU registers (arch/x86/kernel/fpu/
 * core.c), or run its code with them: code that calls them may use SIMD
 * in between, and the audit then notes SIMD use instead of calling it an
 * error. */
static const struct {
	const char *name;
	bool prefix;
} fpu_entries[] = {
	{ "kernel_fpu_begin", true },	   /* kernel_fpu_begin_mask(): saves user state */
	{ "switch_fpu_return", false },	   /* loads the task's (KVM: the guest's) state */
	{ "fpu_swap_kvm_fpstate", false }, /* KVM: guest state into the registers */
	/* crypto/glue_helper.c (up to 5.11): calls the module's SIMD routines
	 * between kernel_fpu_begin() and kernel_fpu_end() for it. */
	{ "glue_ecb_req_128bit", false },
	{ "glue_cbc_encrypt_req_128bit", false },
	{ "glue_cbc_decrypt_req_128bit", false },
	{ "glue_ctr_req_128bit", false },
	{ "glue_xts_req_128bit", false },
};

static bool is_fpu_begin(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(fpu_entries) / sizeof(fpu_entries[0]); i++)
		if (fpu_entries[i].prefix ?
			    !strncmp(name, fpu_entries[i].name, strlen(fpu_entries[i].name)) :
			    !strcmp(name, fpu_entries[i].name))
			return true;
	return false;
}

/* Does the input call kernel_fpu_begin*()? */
static void note_fpu_begin(struct kx_unit *u)
{
	size_t i;

	for (i = 0; i < u->nobjs && !u->fpu_begin; i++) {
		const struct kx_symbol *y;

		kx_for_each_sym(u->objs[i], y)
			if (!kx_sym_is_local(y) && kx_sym_is_undef(y) && *y->name &&
			    is_fpu_begin(y->name))
				u->fpu_begin = true;
	}
}

/* Two strong definitions of a name: the link would refuse the input. */
static int audit_duplicate(void *ctx, const struct kx_global *g, struct kx_object *obj,
			   struct kx_symbol *y)
{
	return kx_finding_add(ctx, KX_CHK_DUPLICATE_SYMBOL, KX_SEV_ERROR, obj, y->sec,
			      y->sym.st_value, y->name,
			      "'%s' is also defined in " KX_OBJ_FMT ": the link refuses "
			      "two strong definitions of a name; remove one, or make one weak",
			      kx_pretty(y->name, 1), KX_OBJ_ARGS(g->def_obj));
}

/* Common symbols are the common-symbol check's (kx_check_symbols). */
static const struct kx_resolve_ops audit_resolve_ops = {
	.duplicate = audit_duplicate,
};

/* The input's symbols resolved as the link resolves them (for archives:
 * across members), and what the module's other objects define. */
static int unit_symbols(struct kx_unit *u)
{
	const struct kx_audit_opts *o = &u->a->opt;
	int err = kx_symbols_init(&u->syms, &audit_resolve_ops, u);

	if (!err)
		err = kx_symbols_resolve(&u->syms, u->objs, u->nobjs);
	if (err)
		return err;
	note_fpu_begin(u);
	if (!o->nparts)
		return 0;
	err = kx_symbols_init(&u->part_syms, NULL, NULL);
	return err ? err : kx_symbols_resolve(&u->part_syms, o->parts, o->nparts);
}

static int audit_unit(struct kx_unit *u)
{
	size_t i;
	int err = unit_symbols(u);

	for (i = 0; !err && i < u->nobjs; i++)
		err = kx_check_sections(u, u->objs[i]);
	for (i = 0; !err && i < u->nobjs; i++)
		err = kx_check_symbols(u, u->objs[i]);
	if (!err)
		err = kx_unit_functions(u);
	for (i = 0; !err && i < u->nobjs; i++)
		err = kx_check_relocs(u, u->objs[i]);
	if (!err)
		err = kx_check_code(u);
	if (!err)
		err = kx_check_endbr(u);
	if (!err)
		err = kx_check_modinfo(u);
	if (!err)
		err = kx_check_undefined(u);
	return err;
}

static int add_input(struct kx_audit *a, const char *path, const char **copy)
{
	char **v = realloc(a->inputs, (a->ninputs + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	a->inputs = v;
	v[a->ninputs] = strdup(path);
	if (!v[a->ninputs])
		return -ENOMEM;
	*copy = v[a->ninputs++];
	return 0;
}

int kx_audit_objects(struct kx_audit *a, const char *input, struct kx_object **objs, size_t nobjs)
{
	const struct kx_kernel *k = a->opt.kernel;
	struct kx_unit u = {
		.a = a,
		.objs = objs,
		.nobjs = nobjs,
		.frame_warn = k ? k->frame_warn : KX_DEFAULT_FRAME_WARN,
		.stack_size = k ? k->stack_size : KX_DEFAULT_STACK_SIZE,
	};
	int err = add_input(a, input, &u.input);

	if (!err)
		err = audit_unit(&u);
	kx_symbols_free(&u.syms);
	kx_symbols_free(&u.part_syms);
	free(u.fns);
	free(u.taken.v);
	free(u.safe.v);
	free(u.noendbr.v);
	if (u.refs)
		htab_delete(u.refs);
	return err;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* A .ko.xz: decompressed into memory, read as one object. */
static int audit_xz(struct kx_audit *a, const char *path)
{
	struct kx_object obj = { .path = path }, *objs[1] = { &obj };
	unsigned char *image;
	size_t size;
	Elf *elf;
	int err = kx_xz_read(path, &image, &size);

	if (err)
		return err;
	elf = elf_memory((char *)image, size);
	if (!elf) {
		kx_report_file(KX_ERROR, path, "cannot read: %s", elf_errmsg(-1));
		free(image);
		return -ENOEXEC;
	}
	err = kx_object_load(&obj, elf);
	if (!err)
		err = kx_audit_objects(a, path, objs, 1);
	kx_object_free(&obj);
	free(image);
	return err;
}

int kx_audit_path(struct kx_audit *a, const char *path)
{
	struct kx_inputs in = { 0 };
	int err;

	if (has_suffix(path, ".xz"))
		return audit_xz(a, path);
	err = kx_inputs_add(&in, path);
	if (!err)
		err = kx_audit_objects(a, path, in.objs, in.nobjs);
	kx_inputs_free(&in);
	return err;
}
