// SPDX-License-Identifier: GPL-2.0-only
/*
 * The link passes called one by one through the library (no front end):
 * resolution, COMDAT, GC roots and the GOTPCREL pass's counts.
 *   test_link_passes FIXTURES_DIR
 */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "diag.h"
#include "link.h"
#include "sections.h"

static char path_a[4096], path_b[4096], path_forms[4096];

static const struct kx_section *sec_named(const struct kx_object *obj, const char *name)
{
	const struct kx_section *s;

	kx_for_each_sec(obj, s)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

static void test_resolve_and_live(void)
{
	const char *paths[] = { path_a, path_b };
	struct kx_options opt = { .output = "unused.o" };
	struct kx_link l;
	struct kx_global *g;
	const struct kx_object *a, *b;

	kx_link_init(&l, &opt);
	CHECK(kx_link_load(&l, paths, 2) == 0, "load def-a.o def-b.o");
	CHECK(kx_link_resolve(&l) == 0, "resolve");
	CHECK(kx_link_mark_live(&l) == 0, "mark live");
	a = l.in.objs[0];
	b = l.in.objs[1];

	g = kx_global_find(&l, "maybe_fn");
	CHECK(g && g->def_obj == b, "strong maybe_fn in def-b wins over weak in def-a");
	g = kx_global_find(&l, "comdat_fn");
	CHECK(g && g->def_obj == a, "first COMDAT comdat_fn (def-a) wins");
	CHECK(sec_named(b, ".text.comdat_fn")->discarded, "def-b's COMDAT copy discarded");
	CHECK(sec_named(a, ".text.init_module")->live, "init_module is a root");
	CHECK(sec_named(a, ".text.shared_fn")->live, "shared_fn live");
	CHECK(!sec_named(a, ".text.dead_local")->live, "dead_local not live");
	CHECK(!sec_named(a, ".text.maybe_fn")->live, "the weak maybe_fn that lost is not live");
	CHECK(!sec_named(b, ".text.kept_by_u")->live, "no root reaches kept_by_u");
	CHECK(sec_named(a, ".modinfo")->live, ".modinfo is a root");
	kx_link_free(&l);
}

static void test_u_root(void)
{
	const char *paths[] = { path_a, path_b };
	const char *undefs[] = { "hidden_root" };
	struct kx_options opt = { .output = "unused.o", .undefs = undefs, .nundefs = 1 };
	struct kx_link l;

	kx_link_init(&l, &opt);
	CHECK(kx_link_load(&l, paths, 2) == 0 && kx_link_resolve(&l) == 0 &&
	      kx_link_mark_live(&l) == 0, "link with -u hidden_root");
	CHECK(sec_named(l.in.objs[1], ".text.kept_by_u")->live, "-u keeps what it reaches");
	CHECK(sec_named(l.in.objs[1], ".text.kept_by_u")->live_from ==
	      sec_named(l.in.objs[1], ".rodata.hidden_tbl"), "live_from records the chain");
	kx_link_free(&l);
}

/* The passes up to and including the rewrite. */
static int link_to_rewrite(struct kx_link *l, const struct kx_options *opt, const char **paths,
			   size_t n)
{
	int err;

	kx_link_init(l, opt);
	err = kx_link_load(l, paths, n);
	if (!err)
		err = kx_link_resolve(l);
	if (!err)
		err = kx_link_mark_live(l);
	if (!err)
		err = kx_link_rewrite(l);
	return err;
}

/* def-a.o defines init_module (no cleanup_module): after the rewrite
 * pass it has a slot of .kelfix.got, a data reference to its address as
 * C's module_init() makes, so objtool --ibt does not seal its ENDBR64. */
static void test_entry_point_slot(void)
{
	const char *paths[] = { path_a, path_b };
	struct kx_options opt = { .output = "unused.o" };
	struct kx_link l;
	struct kx_global *g;
	int err;

	err = link_to_rewrite(&l, &opt, paths, 2);
	CHECK(err == 0, "rewrite def-a.o def-b.o: %d", err);
	g = kx_global_find(&l, "init_module");
	CHECK(l.nslots == 1, "one slot (init_module; no cleanup_module defined): %zu", l.nslots);
	CHECK(l.nslots == 1 && g && l.slots[0].obj == g->def_obj &&
	      &l.slots[0].obj->syms[l.slots[0].sym] == g->def, "the slot holds init_module's address");
	kx_link_free(&l);
}

/* all-forms.o: 117 GOTPCREL relocations; fixtures/gotpcrel/forms.tsv has
 * 18 lea, 6 call, 6 jmp, 12 test, 48 binop and 27 GOT rows. */
static void test_rewrite_counts(void)
{
	const char *paths[] = { path_forms };
	struct kx_options opt = { .output = "unused.o", .no_license = true };
	struct kx_link l;
	int err;

	err = link_to_rewrite(&l, &opt, paths, 1);
	CHECK(err == 0, "rewrite all-forms.o: %d", err);
	CHECK(l.stats.rewritten[KX_GP_MOV] == 18, "mov->lea %zu", l.stats.rewritten[KX_GP_MOV]);
	CHECK(l.stats.rewritten[KX_GP_CALL] == 6, "call %zu", l.stats.rewritten[KX_GP_CALL]);
	CHECK(l.stats.rewritten[KX_GP_JMP] == 6, "jmp %zu", l.stats.rewritten[KX_GP_JMP]);
	CHECK(l.stats.rewritten[KX_GP_TEST] == 12, "test %zu", l.stats.rewritten[KX_GP_TEST]);
	CHECK(l.stats.rewritten[KX_GP_BINOP] == 48, "binop %zu", l.stats.rewritten[KX_GP_BINOP]);
	CHECK(l.stats.rewritten[KX_GP_GOT] == 27, "GOT %zu", l.stats.rewritten[KX_GP_GOT]);
	/* One slot per distinct target: the GOT rows use ext_sym and local_obj. */
	CHECK(l.nslots == 2, "GOT slots %zu", l.nslots);
	kx_link_free(&l);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_link_passes FIXTURES_DIR\n");
		return 2;
	}
	snprintf(path_a, sizeof(path_a), "%s/link/def-a.o", argv[1]);
	snprintf(path_b, sizeof(path_b), "%s/link/def-b.o", argv[1]);
	snprintf(path_forms, sizeof(path_forms), "%s/gotpcrel/all-forms.o", argv[1]);
	kx_diag_reset(stderr, "test_link_passes");
	test_resolve_and_live();
	test_u_root();
	test_entry_point_slot();
	test_rewrite_counts();
	return check_done();
}
