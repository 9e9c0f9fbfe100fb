// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one resolver (lib/symbols.c) and the one relocation policy
 * (lib/policy.c) that relink and the audit share: strong over weak in
 * either order, the first of equal weak ones, two strong definitions
 * handed to the caller, common symbols never definitions, COMDAT copies
 * after the first discarded (fixtures/link/def-a.o, def-b.o); relocation
 * types named, verdicts and refusal messages, every rule's check known
 * to the audit.
 *   test_resolve FIXTURES_DIR
 */
#include <errno.h>
#include <stdlib.h>

#include "audit.h"
#include "check.h"
#include "input.h"
#include "policy.h"
#include "symbols.h"

static char path_a[4096], path_b[4096];

/* An object of its own making: one text section, symbol 0 the null one,
 * then one global symbol per entry. */
struct fake {
	struct kx_object obj;
	struct kx_section sec[2];
	struct kx_symbol syms[4];
};

enum kind { STRONG, WEAK, UNDEF, COMMON };

static void fake_init(struct fake *f, const char *member, const char *name, enum kind k)
{
	struct kx_symbol *y = &f->syms[1];

	memset(f, 0, sizeof(*f));
	f->obj.path = "fake.a";
	f->obj.member = member;
	f->obj.secs = f->sec;
	f->obj.nsecs = 2;
	f->sec[1].obj = &f->obj;
	f->sec[1].name = ".text";
	f->sec[1].index = 1;
	f->obj.syms = f->syms;
	f->obj.nsyms = 2;
	y->name = name;
	y->sym.st_info = GELF_ST_INFO(k == WEAK ? STB_WEAK : STB_GLOBAL, STT_FUNC);
	y->shndx = k == UNDEF ? SHN_UNDEF : k == COMMON ? SHN_COMMON : 1;
	y->sec = k == STRONG || k == WEAK ? &f->sec[1] : NULL;
}

struct seen {
	unsigned duplicates, commons;
	const struct kx_symbol *first, *second;
};

static int on_duplicate(void *ctx, const struct kx_global *g, struct kx_object *obj,
			struct kx_symbol *y)
{
	struct seen *s = ctx;

	(void)obj;
	s->duplicates++;
	s->first = g->def;
	s->second = y;
	return -EINVAL;
}

static int on_common(void *ctx, struct kx_object *obj, struct kx_symbol *y)
{
	(void)obj;
	(void)y;
	((struct seen *)ctx)->commons++;
	return 0;
}

static const struct kx_resolve_ops ops = { .duplicate = on_duplicate, .common = on_common };

/* Resolve two fakes defining "foo" as k1, k2; the definition chosen. */
static const struct kx_symbol *resolve_pair(enum kind k1, enum kind k2, struct fake *f,
					    struct seen *s, int *ret)
{
	struct kx_object *objs[2] = { &f[0].obj, &f[1].obj };
	struct kx_symbols syms;
	const struct kx_global *g;
	const struct kx_symbol *def = NULL;

	memset(s, 0, sizeof(*s));
	fake_init(&f[0], "first.o", "foo", k1);
	fake_init(&f[1], "second.o", "foo", k2);
	*ret = kx_symbols_init(&syms, &ops, s);
	if (!*ret)
		*ret = kx_symbols_resolve(&syms, objs, 2);
	g = kx_symbols_find(&syms, "foo");
	if (g)
		def = g->def;
	CHECK(f[0].syms[1].global == g && f[1].syms[1].global == g, "both symbols point at foo");
	kx_symbols_free(&syms);
	return def;
}

static void test_strong_over_weak(void)
{
	struct fake f[2];
	struct seen s;
	int ret;

	CHECK(resolve_pair(WEAK, STRONG, f, &s, &ret) == &f[1].syms[1] && ret == 0,
	      "a weak definition first, a strong one later: the strong one");
	CHECK(resolve_pair(STRONG, WEAK, f, &s, &ret) == &f[0].syms[1] && ret == 0,
	      "a strong definition first, a weak one later: the strong one");
	CHECK(resolve_pair(WEAK, WEAK, f, &s, &ret) == &f[0].syms[1] && ret == 0,
	      "two weak definitions: the first");
	CHECK(!s.duplicates, "weak definitions are no conflict");
	CHECK(resolve_pair(UNDEF, WEAK, f, &s, &ret) == &f[1].syms[1] && ret == 0,
	      "a reference first, a definition later: the definition");
	CHECK(resolve_pair(UNDEF, UNDEF, f, &s, &ret) == NULL && ret == 0,
	      "only references: undefined (the kernel's)");
}

static void test_duplicate_strong(void)
{
	struct fake f[2];
	struct seen s;
	int ret;

	CHECK(resolve_pair(STRONG, STRONG, f, &s, &ret) == &f[0].syms[1],
	      "two strong definitions: the first stays");
	CHECK(ret == -EINVAL, "the caller's error is the resolution's (%d)", ret);
	CHECK(s.duplicates == 1 && s.first == &f[0].syms[1] && s.second == &f[1].syms[1],
	      "the conflict is handed over once, with both definitions");
	CHECK(resolve_pair(COMMON, STRONG, f, &s, &ret) == &f[1].syms[1] && ret == 0,
	      "a common symbol is no definition");
	CHECK(s.commons == 1 && !s.duplicates, "the common symbol is handed over");
}

static const struct kx_section *sec_named(const struct kx_object *obj, const char *name)
{
	const struct kx_section *s;

	kx_for_each_sec(obj, s)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

static void test_comdat(void)
{
	struct kx_inputs in = { 0 };
	struct kx_symbols syms;
	const struct kx_global *g;
	const struct kx_section *kept, *lost;

	CHECK(kx_inputs_add(&in, path_a) == 0 && kx_inputs_add(&in, path_b) == 0 && in.nobjs == 2,
	      "load def-a.o def-b.o");
	if (in.nobjs != 2)
		return;
	CHECK(kx_symbols_init(&syms, NULL, NULL) == 0, "init");
	CHECK(kx_symbols_resolve(&syms, in.objs, 2) == 0, "resolve");
	kept = sec_named(in.objs[0], ".text.comdat_fn");
	lost = sec_named(in.objs[1], ".text.comdat_fn");
	CHECK(kept && !kept->discarded, "the first comdat_fn group stays");
	CHECK(lost && lost->discarded, "the second comdat_fn group is discarded");
	g = kx_symbols_find(&syms, "comdat_fn");
	CHECK(g && g->def_obj == in.objs[0] && g->def->sec == kept,
	      "comdat_fn resolves to the kept copy");
	g = kx_symbols_find(&syms, "maybe_fn");
	CHECK(g && g->def_obj == in.objs[1], "strong maybe_fn (def-b) over weak (def-a)");
	CHECK(kx_symbols_find(&syms, "no_such_name") == NULL, "an unknown name is not found");
	kx_symbols_free(&syms);
	kx_inputs_free(&in);
}

static void test_reloc_policy(void)
{
	struct kx_symbol abs = { .name = "CONST", .shndx = SHN_ABS };
	struct kx_symbol addr = { .name = "var", .shndx = 1 };
	char buf[KX_RELOC_NAME_MAX], msg[512];
	uint32_t t;

	CHECK(!strcmp(kx_reloc_type_name(R_X86_64_GOTPCRELX, buf, sizeof(buf)),
		      "R_X86_64_GOTPCRELX"),
	      "type 41 by name");
	CHECK(!strcmp(kx_reloc_type_name(39, buf, sizeof(buf)), "R_X86_64_PC32_BND"),
	      "type 39 by name");
	CHECK(strstr(kx_reloc_type_name(200, buf, sizeof(buf)), "200") != NULL,
	      "a type the table does not list: by its number (%s)", buf);
	CHECK(kx_reloc_verdict(R_X86_64_PLT32, &addr, -4) == KX_RV_OK, "PLT32: the loader's");
	CHECK(kx_reloc_verdict(R_X86_64_REX_GOTPCRELX, &addr, -4) == KX_RV_REWRITE,
	      "REX_GOTPCRELX: the link rewrites it");
	CHECK(kx_reloc_verdict(R_X86_64_GOTOFF64, &addr, 0) == KX_RV_REFUSE, "GOTOFF64: refused");
	CHECK(kx_reloc_verdict(R_X86_64_TPOFF32, &addr, 0) == KX_RV_REFUSE, "TLS: refused");
	CHECK(kx_reloc_verdict(200, &addr, 0) == KX_RV_REFUSE, "an unknown type: refused");
	abs.sym.st_value = 0x1000;
	CHECK(kx_reloc_verdict(R_X86_64_32, &abs, 8) == KX_RV_OK,
	      "R_X86_64_32 of a small constant");
	abs.sym.st_value = 0xffffffff80000000ull;
	CHECK(kx_reloc_verdict(R_X86_64_32, &abs, 0) == KX_RV_REFUSE,
	      "R_X86_64_32 of a constant past 32 bits");
	CHECK(kx_reloc_verdict(R_X86_64_32, &addr, 0) == KX_RV_REFUSE, "R_X86_64_32 of an address");
	kx_reloc_refusal(R_X86_64_DTPOFF32, "tls_var", msg, sizeof(msg));
	CHECK(!strncmp(msg, "R_X86_64_DTPOFF32 against 'tls_var': thread-local", 49),
	      "a refusal names type and symbol, then says why (%s)", msg);
	CHECK(strchr(msg, ';') != NULL, "... and what to do (%s)", msg);
	for (t = 0; t < 64; t++) {
		const struct kx_reloc_rule *r = kx_reloc_rule(t);

		if (r->loader_applies)
			continue;
		CHECK(r->check && kx_check_by_id(r->check) >= 0 && r->what && r->advice,
		      "type %u: a known audit check (%s), a reason and advice", t,
		      r->check ? r->check : "none");
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_resolve FIXTURES_DIR\n");
		return 2;
	}
	snprintf(path_a, sizeof(path_a), "%s/link/def-a.o", argv[1]);
	snprintf(path_b, sizeof(path_b), "%s/link/def-b.o", argv[1]);
	elf_version(EV_CURRENT);
	test_strong_over_weak();
	test_duplicate_strong();
	test_comdat();
	test_reloc_policy();
	return check_done();
}
