// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks on section headers, symbols, relocations and .modinfo: what the
 * module loader (kernel/module/main.c, arch/x86/kernel/module.c) and
 * modpost (scripts/mod/modpost.c) refuse.
 */
#include "audit_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "policy.h"
#include "sections.h"
#include "x86.h"

#ifndef SHF_GNU_RETAIN
#define SHF_GNU_RETAIN 0x200000
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* "name" or "name.<anything>" */
static bool name_is(const char *name, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(name, base, n) && (name[n] == '\0' || name[n] == '.');
}

/* Constructor and destructor tables: the kernel runs a module's only with
 * CONFIG_CONSTRUCTORS (gcov/KASAN builds; kernel/module/main.c
 * do_mod_ctors), which distribution kernels leave off. */
static const struct {
	const char *name;
	uint32_t type;
	const char *what;
} ctor_tables[] = {
	{ ".init_array", SHT_INIT_ARRAY, "constructors" },
	{ ".preinit_array", SHT_PREINIT_ARRAY, "constructors" },
	{ ".ctors", SHT_PROGBITS, "constructors" },
	{ ".fini_array", SHT_FINI_ARRAY, "destructors" },
	{ ".dtors", SHT_PROGBITS, "destructors" },
};

static const char *ctor_table(const struct kx_section *sec)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ctor_tables); i++)
		if ((sec->sh.sh_type == ctor_tables[i].type && sec->sh.sh_type != SHT_PROGBITS) ||
		    name_is(sec->name, ctor_tables[i].name))
			return ctor_tables[i].what;
	return NULL;
}

/* The section classes are the link's (lib/sections.c). */
static bool sec_is_tls(const struct kx_section *sec)
{
	return kx_sec_classify(sec) == KX_SC_TLS;
}

int kx_check_sections(struct kx_unit *u, struct kx_object *obj)
{
	struct kx_section *s;
	const char *what;
	int err = 0;

	kx_for_each_sec(obj, s) {
		if (!err && sec_is_tls(s))
			err = kx_finding_add(
				u, KX_CHK_TLS, KX_SEV_ERROR, obj, s, 0, NULL,
				"thread-local section: modules have no TLS; use per-CPU data or statics");
		if (!err && kx_sec_is_alloc(s) && kx_sec_is_write_exec(s))
			err = kx_finding_add(
				u, KX_CHK_WRITE_EXEC, KX_SEV_ERROR, obj, s, 0, NULL,
				"section is both writable and executable: the loader refuses W+X; "
				"keep code and data in separate sections");
		what = s->sh.sh_size && (s->sh.sh_flags & SHF_ALLOC) ? ctor_table(s) : NULL;
		if (!err && what)
			err = kx_finding_add(
				u, KX_CHK_INIT_ARRAY, KX_SEV_WARNING, obj, s, 0, NULL,
				"%llu bytes of %s the kernel will not run (no CONFIG_CONSTRUCTORS); "
				"do the work in init_module instead",
				(unsigned long long)s->sh.sh_size, what);
	}
	return err;
}

int kx_check_symbols(struct kx_unit *u, struct kx_object *obj)
{
	struct kx_symbol *y;
	int err = 0;

	if (!obj->syms)
		return 0;
	kx_for_each_sym(obj, y) {
		if (err)
			break;
		if (kx_sym_is_common(y))
			err = kx_finding_add(
				u, KX_CHK_COMMON_SYMBOL, KX_SEV_ERROR, obj, obj->symtab,
				(uint64_t)(y - obj->syms) * sizeof(Elf64_Sym), y->name,
				"common symbol (%llu bytes): the loader refuses SHN_COMMON; "
				"build with -fno-common",
				(unsigned long long)y->sym.st_size);
		else if (GELF_ST_TYPE(y->sym.st_info) == STT_TLS && !kx_sym_is_undef(y) && y->sec &&
			 !sec_is_tls(y->sec))
			err = kx_finding_add(u, KX_CHK_TLS, KX_SEV_ERROR, obj, y->sec,
					     y->sym.st_value, y->name,
					     "thread-local symbol: modules have no TLS");
	}
	return err;
}

/* --- relocations --------------------------------------------------- */

/* Non-code sections whose references to code are bookkeeping, not
 * function pointers: objtool's list in validate_ibt() (tools/objtool/
 * check.c) plus the unwind and exception tables. */
static const char *const not_address_taken[] = {
	".discard",
	".debug",
	".altinstructions",
	".ibt_endbr_seal",
	".orc_unwind_ip",
	".orc_unwind",
	".parainstructions",
	".retpoline_sites",
	".return_sites",
	".call_sites",
	".smp_locks",
	".static_call_sites",
	"_error_injection_whitelist",
	"_kprobe_blacklist",
	"__bug_table",
	"__ex_table",
	"__jump_table",
	"__mcount_loc",
	".kcfi_traps",
	".llvm.call-graph-profile",
	".llvm_bb_addr_map",
	"__tracepoints",
	"__patchable_function_entries",
	".cfi_sites",
	".eh_frame",
	".gcc_except_table",
	".init.rodata",
	".exit.data",
	/* Exports: other modules call them directly (include/linux/
	 * export-internal.h: __ksymtab* / ___ksymtab+NAME entries). */
	"__ksymtab",
	"___ksymtab",
};

static bool sec_takes_addresses(const struct kx_section *sec)
{
	size_t i;

	if (!(sec->sh.sh_flags & SHF_ALLOC) || (sec->sh.sh_flags & SHF_EXECINSTR))
		return false;
	for (i = 0; i < ARRAY_SIZE(not_address_taken); i++)
		if (!strncmp(sec->name, not_address_taken[i], strlen(not_address_taken[i])))
			return false;
	return true;
}

/* Annotation tables naming instructions (objtool annotations,
 * alternatives and paravirt patch sites): relocation target = S + A. */
enum annot { AN_NONE, AN_SAFE, AN_NOENDBR, AN_TYPED };

static const struct {
	const char *name;
	enum annot kind;
} annotations[] = {
	{ ".discard.retpoline_safe", AN_SAFE }, /* ANNOTATE_RETPOLINE_SAFE, <= 6.9 */
	{ ".discard.noendbr", AN_NOENDBR },	/* ANNOTATE_NOENDBR, <= 6.9 */
	{ ".discard.annotate_insn", AN_TYPED }, /* 6.10+: {s32 insn, u32 type} */
	{ ".altinstructions", AN_SAFE },	/* patched at load */
	{ ".parainstructions", AN_SAFE },	/* paravirt sites, patched at load */
};

/* include/linux/objtool_types.h (6.10+) */
#define ANNOTYPE_NOENDBR 1
#define ANNOTYPE_RETPOLINE_SAFE 2

static enum annot annotation_of(const struct kx_section *sec)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(annotations); i++)
		if (!strcmp(sec->name, annotations[i].name))
			return annotations[i].kind;
	return AN_NONE;
}

static int note_annotation(struct kx_unit *u, struct kx_section *sec, enum annot kind,
			   const struct kx_reloc *r)
{
	const struct kx_symbol *def = kx_unit_resolve(u, &sec->obj->syms[r->sym]);
	const unsigned char *data = kx_sec_bytes(sec);
	uint32_t type = ANNOTYPE_RETPOLINE_SAFE;

	if (!def || !def->sec)
		return 0;
	if (kind == AN_TYPED) {
		if (!data || r->offset + 8 > sec->sh.sh_size)
			return 0;
		memcpy(&type, data + r->offset + 4, 4);
		kind = type == ANNOTYPE_NOENDBR	       ? AN_NOENDBR :
		       type == ANNOTYPE_RETPOLINE_SAFE ? AN_SAFE :
							 AN_NONE;
	}
	if (kind == AN_NONE)
		return 0;
	return kx_places_add(u, kind == AN_SAFE ? &u->safe : &u->noendbr, def->sec,
			     def->sym.st_value + (uint64_t)r->addend, "annotation", sec, r->offset);
}

static hashval_t ref_hash(const void *p)
{
	return htab_hash_string(((const struct kx_ref *)p)->name);
}

static int ref_eq(const void *a, const void *b)
{
	return !strcmp(((const struct kx_ref *)a)->name, ((const struct kx_ref *)b)->name);
}

/* Remember the first reference to each undefined global. */
static int note_ref(struct kx_unit *u, const struct kx_symbol *y, const struct kx_section *sec,
		    uint64_t off)
{
	struct kx_ref key = { .name = y->name }, *ref;
	void **slot;

	if (!u->refs) {
		u->refs = htab_create_alloc(256, ref_hash, ref_eq, free, calloc, free);
		if (!u->refs)
			return -ENOMEM;
	}
	slot = htab_find_slot(u->refs, &key, INSERT);
	if (!slot)
		return -ENOMEM;
	if (*slot)
		return 0;
	ref = malloc(sizeof(*ref));
	if (!ref)
		return -ENOMEM;
	*ref = (struct kx_ref){ y->name, sec->obj, sec, off };
	*slot = ref;
	return 0;
}

static const char *func_at(const struct kx_section *sec, uint64_t off)
{
	const struct kx_symbol *fn = kx_sym_containing(sec, off);

	return fn ? fn->name : NULL;
}

/* The relocation policy (lib/policy.c) decides, as it does for the link:
 * what the link rewrites is reported too (the input is not loadable as
 * it is), with the policy's advice. */
static int check_reloc(struct kx_unit *u, struct kx_section *sec, const struct kx_reloc *r)
{
	const struct kx_symbol *y = &sec->obj->syms[r->sym];
	const struct kx_symbol *def = kx_unit_resolve(u, y);
	const struct kx_reloc_rule *rule = kx_reloc_rule(r->type);
	char msg[1024];
	int c;

	if (rule->loader_applies || kx_reloc_verdict(r->type, def ? def : y, r->addend) == KX_RV_OK)
		return 0;
	c = kx_check_by_id(rule->check);
	if (c < 0)
		return -EINVAL; /* the policy names a check that does not exist */
	return kx_finding_add(u, (enum kx_check)c, KX_SEV_ERROR, sec->obj, sec, r->offset,
			      func_at(sec, r->offset), "%s",
			      kx_reloc_refusal(r->type, kx_pretty(y->name, 1), msg, sizeof(msg)));
}

/* A data relocation to code: a function pointer (missing-endbr). */
static int note_data_ref(struct kx_unit *u, struct kx_section *sec, const struct kx_reloc *r)
{
	const struct kx_symbol *def = kx_unit_resolve(u, &sec->obj->syms[r->sym]);

	if (!def || !def->sec || !(def->sec->sh.sh_flags & SHF_EXECINSTR))
		return 0;
	return kx_places_add(u, &u->taken, def->sec, def->sym.st_value + (uint64_t)r->addend,
			     "stored in data", sec, r->offset);
}

int kx_check_relocs(struct kx_unit *u, struct kx_object *obj)
{
	struct kx_section *sec;
	struct kx_reloc *r;
	int err;

	kx_for_each_sec(obj, sec) {
		enum annot an = annotation_of(sec);
		bool alloc = kx_sec_is_alloc(sec);

		if (!sec->rela || (!alloc && an == AN_NONE))
			continue;
		err = kx_sec_load(sec);
		if (err)
			return err;
		kx_for_each_reloc(sec, r) {
			const struct kx_symbol *y = &obj->syms[r->sym];

			err = alloc ? check_reloc(u, sec, r) : 0;
			if (!err && alloc && kx_sym_is_undef(y) && *y->name &&
			    GELF_ST_BIND(y->sym.st_info) == STB_GLOBAL)
				err = note_ref(u, y, sec, r->offset);
			if (!err && an != AN_NONE)
				err = note_annotation(u, sec, an, r);
			if (!err && sec_takes_addresses(sec))
				err = note_data_ref(u, sec, r);
			if (err)
				return err;
		}
	}
	kx_places_sort(&u->safe);
	kx_places_sort(&u->noendbr);
	return 0;
}

/* --- .modinfo --------------------------------------------------------- */

/* include/linux/license.h: license_is_gpl_compatible() */
static const char *const gpl_licenses[] = {
	"GPL",		"GPL v2",	"GPL and additional rights",
	"Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL",
};

static bool license_is_gpl(const char *l)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(gpl_licenses); i++)
		if (!strcmp(l, gpl_licenses[i]))
			return true;
	return false;
}

/* The first "license=" string of a .modinfo section. */
static const char *modinfo_license(const struct kx_section *sec)
{
	const char *p = (const char *)kx_sec_bytes(sec), *end;

	if (!p)
		return NULL;
	end = p + sec->sh.sh_size;
	while (p < end) {
		size_t n = strnlen(p, (size_t)(end - p));

		if (n > 8 && !strncmp(p, "license=", 8) && p + n < end)
			return p + 8;
		p += n + 1;
	}
	return NULL;
}

/* The .modinfo sections seen so far: how many, and the first. */
struct modinfo_seen {
	size_t count;
	struct kx_object *obj;
	struct kx_section *sec;
};

static int check_obj_modinfo(struct kx_unit *u, struct kx_object *obj, struct modinfo_seen *seen)
{
	struct kx_section *s;
	size_t n = 0;
	int err = 0;

	kx_for_each_sec(obj, s) {
		if (strcmp(s->name, ".modinfo"))
			continue;
		if (!seen->count++) {
			seen->obj = obj;
			seen->sec = s;
		}
		if (++n == 2)
			err = kx_finding_add(
				u, KX_CHK_MODINFO, KX_SEV_ERROR, obj, s, 0, NULL,
				"a second .modinfo section: the loader reads only the first "
				"(no vermagic: 'bad vermagic'); merge them (kelfix's link does)");
		if (!err && (s->sh.sh_flags & SHF_GNU_RETAIN))
			err = kx_finding_add(
				u, KX_CHK_MODINFO, KX_SEV_ERROR, obj, s, 0, NULL,
				".modinfo has SHF_GNU_RETAIN: the final link keeps it apart from "
				"kbuild's .modinfo (two sections); kelfix's link merges them");
		if (!err)
			err = kx_sec_load(s);
		if (!err && !u->license)
			u->license = modinfo_license(s);
		if (err)
			return err;
	}
	return 0;
}

int kx_check_modinfo(struct kx_unit *u)
{
	struct modinfo_seen seen = { 0 };
	size_t i;
	int err = 0;

	for (i = 0; !err && i < u->nobjs; i++)
		err = check_obj_modinfo(u, u->objs[i], &seen);
	if (err || u->license || !u->nobjs)
		return err;
	/* Named at the first .modinfo; with none, at the input alone. */
	return kx_finding_add(u, KX_CHK_MODINFO, KX_SEV_ERROR, seen.obj, seen.sec, 0, NULL,
			      "no license= in %s: modpost refuses the module (missing "
			      "MODULE_LICENSE()); declare one, or link with kelfix -m license=GPL",
			      seen.sec ? ".modinfo" : "the input (it has no .modinfo section)");
}

/* --- undefined symbols ------------------------------------------------ */

/* Defined by kbuild's generated <module>.mod.c, not exported. */
static const char *const kbuild_provides[] = { "__this_module" };

static bool kbuild_provided(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kbuild_provides); i++)
		if (!strcmp(name, kbuild_provides[i]))
			return true;
	return false;
}

/*
 * The kernel crate's C helpers name a facility a kernel gains in some
 * release kelfix_needs_linux_<major>_<minor>__<facility> and define it only
 * on kernels that have it (kbuild-wrap/rust/helpers/kelfix_sync.c). True
 * when NAME is one; *FACILITY points into NAME.
 */
static bool kernel_facility(const char *name, unsigned *major, unsigned *minor,
			    const char **facility)
{
	static const char prefix[] = "kelfix_needs_linux_";
	int end = 0;

	if (strncmp(name, prefix, sizeof(prefix) - 1))
		return false;
	if (sscanf(name + sizeof(prefix) - 1, "%u_%u__%n", major, minor, &end) != 2 || !end)
		return false;
	*facility = name + sizeof(prefix) - 1 + end;
	return **facility != '\0';
}

static int check_ref(struct kx_unit *u, const struct kx_ref *ref)
{
	const struct kx_kernel *k = u->a->opt.kernel;
	const char *facility;
	unsigned major, minor;
	enum kx_export ex;
	int err = 0;

	if (kx_unit_defines(u, ref->name) || kbuild_provided(ref->name))
		return 0;
	if (kx_is_mcount(ref->name))
		err = kx_finding_add(u, KX_CHK_UNDEFINED_SYMBOL, KX_SEV_ERROR, ref->obj, ref->sec,
				     ref->off, ref->name,
				     "calls '%s' (clang -pg without -mfentry): x86 kernels export "
				     "only __fentry__; kelfix's link makes these calls NOPs",
				     ref->name);
	else if (k && kernel_facility(ref->name, &major, &minor, &facility))
		err = kx_finding_add(u, KX_CHK_UNDEFINED_SYMBOL, KX_SEV_ERROR, ref->obj, ref->sec,
				     ref->off, ref->name,
				     "needs %s, which Linux %u.%u brought and %s lacks: the "
				     "module uses a kernel crate API that cannot work on this "
				     "kernel ('%s' stays undefined)",
				     facility, major, minor, k->release, ref->name);
	else if (k && (ex = kx_kernel_export(k, ref->name)) == KX_EXPORT_NONE)
		err = kx_finding_add(u, KX_CHK_UNDEFINED_SYMBOL, KX_SEV_ERROR, ref->obj, ref->sec,
				     ref->off, ref->name,
				     "'%s' is not exported by %s (Module.symvers): the module "
				     "will not load (Unknown symbol)",
				     kx_pretty(ref->name, 1), k->release);
	else if (k && ex == KX_EXPORT_GPL && u->license && !license_is_gpl(u->license))
		err = kx_finding_add(u, KX_CHK_GPL_ONLY, KX_SEV_ERROR, ref->obj, ref->sec, ref->off,
				     ref->name,
				     "'%s' is EXPORT_SYMBOL_GPL but the license is \"%s\", not "
				     "GPL-compatible: the loader will not resolve it",
				     kx_pretty(ref->name, 1), u->license);
	return err;
}

/* Reports in the order of the names, so output does not depend on the
 * hash table's layout. */
static int ref_cmp(const void *a, const void *b)
{
	return strcmp((*(struct kx_ref *const *)a)->name, (*(struct kx_ref *const *)b)->name);
}

static int collect_ref(void **slot, void *arg)
{
	struct kx_ref ***p = arg;

	*(*p)++ = *slot;
	return 1;
}

int kx_check_undefined(struct kx_unit *u)
{
	struct kx_ref **v, **p;
	size_t n, i;
	int err;

	if (!u->refs)
		return 0;
	n = htab_elements(u->refs);
	v = p = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	htab_traverse_noresize(u->refs, collect_ref, &p);
	qsort(v, n, sizeof(*v), ref_cmp);
	for (i = 0, err = 0; !err && i < n; i++)
		err = check_ref(u, v[i]);
	free(v);
	return err;
}
