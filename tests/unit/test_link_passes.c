// SPDX-License-Identifier: GPL-2.0-only
/*
 * The link passes called one by one through the library (no front end):
 * resolution, COMDAT, GC roots, the GOTPCREL pass's counts, archive
 * members read again after their handles were released, members of a
 * mapped archive read in place (bytes, names and relocations), the pages
 * of sections a link never reads leaving the resident set, and the
 * section classes where names overlap.
 *   test_link_passes FIXTURES_DIR
 */
#include <ar.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "link.h"
#include "sections.h"

static char path_a[4096], path_b[4096], path_ar[4096], path_forms[4096], path_unread[4096];

/* Section name of obj, or NULL. */
static const struct kx_section *sec_find(const struct kx_object *obj, const char *name)
{
	const struct kx_section *s;

	if (!obj)
		return NULL;
	kx_for_each_sec(obj, s)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/* Section name of obj; if there is none, a failed check says so and a
 * blank section (not live, not discarded, no bytes) stands in, so the
 * checks after it fail instead of crashing. */
static const struct kx_section *sec_named(const struct kx_object *obj, const char *name)
{
	static const struct kx_section blank = { .name = "(missing)" };
	const struct kx_section *s = sec_find(obj, name);

	CHECK(s, "no section %s in %s", name, obj ? obj->path : "(no object)");
	return s ? s : &blank;
}

/* Input object i of the link, or NULL (a failed check). */
static const struct kx_object *obj_at(const struct kx_link *l, size_t i)
{
	CHECK(i < l->in.nobjs, "no input object %zu (%zu read)", i, l->in.nobjs);
	return i < l->in.nobjs ? l->in.objs[i] : NULL;
}

/* kx_link_init, checked: false (reported) if it failed. */
static bool link_init(struct kx_link *l, const struct kx_options *opt)
{
	int err = kx_link_init(l, opt);

	CHECK(err == 0, "kx_link_init: %d", err);
	return err == 0;
}

static void test_resolve_and_live(void)
{
	const char *paths[] = { path_a, path_b };
	struct kx_options opt = { .output = "unused.o" };
	struct kx_link l;
	struct kx_global *g;
	const struct kx_object *a, *b;

	if (!link_init(&l, &opt))
		return;
	CHECK(kx_link_load(&l, paths, 2) == 0, "load def-a.o def-b.o");
	CHECK(kx_link_resolve(&l) == 0, "resolve");
	CHECK(kx_link_mark_live(&l) == 0, "mark live");
	a = obj_at(&l, 0);
	b = obj_at(&l, 1);

	g = kx_global_find(&l, "maybe_fn");
	CHECK(g && b && g->def_obj == b, "strong maybe_fn in def-b wins over weak in def-a");
	g = kx_global_find(&l, "comdat_fn");
	CHECK(g && a && g->def_obj == a, "first COMDAT comdat_fn (def-a) wins");
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

	if (!link_init(&l, &opt))
		return;
	CHECK(kx_link_load(&l, paths, 2) == 0 && kx_link_resolve(&l) == 0 &&
		      kx_link_mark_live(&l) == 0,
	      "link with -u hidden_root");
	CHECK(sec_named(obj_at(&l, 1), ".text.kept_by_u")->live, "-u keeps what it reaches");
	CHECK(sec_named(obj_at(&l, 1), ".text.kept_by_u")->live_from ==
		      sec_named(obj_at(&l, 1), ".rodata.hidden_tbl"),
	      "live_from records the chain");
	kx_link_free(&l);
}

/* The passes up to and including the rewrite. */
static int link_to_rewrite(struct kx_link *l, const struct kx_options *opt, const char **paths,
			   size_t n)
{
	int err = kx_link_init(l, opt);

	if (err)
		return err;
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
		      &l.slots[0].obj->syms[l.slots[0].sym] == g->def,
	      "the slot holds init_module's address");
	kx_link_free(&l);
}

/* all-forms.o: 129 GOTPCREL relocations; fixtures/gotpcrel/forms.tsv has
 * 16 lea, 4 call, 4 jmp, 16 test, 58 binop and 31 GOT rows. */
static void test_rewrite_counts(void)
{
	const char *paths[] = { path_forms };
	struct kx_options opt = { .output = "unused.o", .no_license = true };
	struct kx_link l;
	int err;

	err = link_to_rewrite(&l, &opt, paths, 1);
	CHECK(err == 0, "rewrite all-forms.o: %d", err);
	CHECK(l.stats.rewritten[KX_GP_MOV] == 16, "mov->lea %zu", l.stats.rewritten[KX_GP_MOV]);
	CHECK(l.stats.rewritten[KX_GP_CALL] == 4, "call %zu", l.stats.rewritten[KX_GP_CALL]);
	CHECK(l.stats.rewritten[KX_GP_JMP] == 4, "jmp %zu", l.stats.rewritten[KX_GP_JMP]);
	CHECK(l.stats.rewritten[KX_GP_TEST] == 16, "test %zu", l.stats.rewritten[KX_GP_TEST]);
	CHECK(l.stats.rewritten[KX_GP_BINOP] == 58, "binop %zu", l.stats.rewritten[KX_GP_BINOP]);
	CHECK(l.stats.rewritten[KX_GP_GOT] == 31, "GOT %zu", l.stats.rewritten[KX_GP_GOT]);
	/* One slot per distinct target: the GOT rows use ext_sym, local_obj
	 * and (call and jmp under REX_GOTPCRELX without REX) local_fn. */
	CHECK(l.nslots == 3, "GOT slots %zu", l.nslots);
	kx_link_free(&l);
}

/* The same link read from defs.a (def-a.o, def-b.o as members): members
 * are released once loaded and opened again one at a time (the cache
 * narrowed to 1, so every switch releases the other); the model ends the
 * same as from the plain objects. */
static void test_archive_members(void)
{
	const char *objs[] = { path_a, path_b }, *ar[] = { path_ar };
	struct kx_options opt = { .output = "unused.o" };
	struct kx_link lo, la;
	size_t i, open = 0, same = 0, live = 0;

	if (!link_init(&lo, &opt))
		return;
	if (!link_init(&la, &opt)) {
		kx_link_free(&lo);
		return;
	}
	CHECK(kx_link_load(&lo, objs, 2) == 0, "load def-a.o def-b.o");
	la.in.release_min = 1;
	CHECK(kx_link_load(&la, ar, 1) == 0, "load defs.a");
	CHECK(la.in.nobjs == 2 && lo.in.nobjs == 2, "two members, two objects");
	for (i = 0; i < la.in.nobjs; i++)
		CHECK(!la.in.objs[i]->elf, "member %s released after loading",
		      la.in.objs[i]->member);
	la.in.reopened.max = 1;
	CHECK(kx_link_passes(&lo) == 0 && kx_link_passes(&la) == 0, "passes on both");
	for (i = 0; i < 2 && i < la.in.nobjs && i < lo.in.nobjs; i++) {
		const struct kx_object *o = lo.in.objs[i], *a = la.in.objs[i];
		size_t k;

		open += a->elf != NULL;
		CHECK(o->nsecs == a->nsecs && o->nsyms == a->nsyms, "%s: same sections and symbols",
		      a->member);
		for (k = 0; k < o->nsyms && k < a->nsyms; k++)
			CHECK(!strcmp(o->syms[k].name, a->syms[k].name), "%s: symbol %zu name",
			      a->member, k);
		for (k = 0; k < o->nsecs && k < a->nsecs; k++) {
			const struct kx_section *x = &o->secs[k], *y = &a->secs[k];

			CHECK(!strcmp(x->name, y->name) && x->live == y->live, "%s: section %zu",
			      a->member, k);
			if (!x->live || x->sh.sh_type == SHT_NOBITS || !x->sh.sh_size)
				continue;
			live++;
			CHECK(kx_sec_load(lo.in.objs[i]->secs + k) == 0 &&
				      kx_sec_load(la.in.objs[i]->secs + k) == 0,
			      "%s: load %s", a->member, x->name);
			same += kx_sec_bytes(y) &&
				!memcmp(kx_sec_bytes(x), kx_sec_bytes(y), x->sh.sh_size) &&
				x->nrelocs == y->nrelocs;
		}
	}
	CHECK(live >= 4 && same == live, "%zu of %zu live sections: same bytes and relocations",
	      same, live);
	CHECK(open <= 1, "at most one member open again (%zu)", open);
	kx_link_free(&lo);
	kx_link_free(&la);
}

/* Members of a mapped archive whose pages stay (under 16 MiB) are read in
 * place, bytes, relocations and COMDAT groups, and never opened again. */
static void test_members_in_place(void)
{
	const char *objs[] = { path_a, path_b }, *ar[] = { path_ar };
	struct kx_options opt = { .output = "unused.o" };
	struct kx_link lo, lm;
	size_t i, k, live = 0, same = 0;

	if (!link_init(&lo, &opt))
		return;
	if (!link_init(&lm, &opt)) {
		kx_link_free(&lo);
		return;
	}
	CHECK(kx_link_load(&lo, objs, 2) == 0 && kx_link_load(&lm, ar, 1) == 0, "load both");
	CHECK(kx_link_passes(&lo) == 0 && kx_link_passes(&lm) == 0, "passes on both");
	CHECK(lm.in.nobjs == 2 && lo.in.nobjs == 2, "two members, two objects");
	for (i = 0; i < lm.in.nobjs && i < lo.in.nobjs && i < 2; i++) {
		const struct kx_object *m = lm.in.objs[i];

		CHECK(m->image && !m->elf, "%s: read in place, not open again", m->member);
		CHECK(m->nsecs == lo.in.objs[i]->nsecs, "%s: as many sections as the object",
		      m->member);
		for (k = 0; k < m->nsecs && k < lo.in.objs[i]->nsecs; k++) {
			const struct kx_section *x = &lo.in.objs[i]->secs[k], *y = &m->secs[k];

			if (!y->live || !y->rela)
				continue;
			live++;
			same += y->relocs && y->nrelocs == x->nrelocs &&
				!memcmp(y->relocs, x->relocs, x->nrelocs * sizeof(*x->relocs)) &&
				kx_sec_bytes(y) == m->image + y->sh.sh_offset;
		}
	}
	CHECK(live >= 1 && same == live,
	      "%zu of %zu live sections with relocations: the same "
	      "relocations, bytes in place",
	      same, live);
	kx_link_free(&lo);
	kx_link_free(&lm);
}

/* Whether the page at addr is in our page table (/proc/self/pagemap: bit
 * 63 of the page's 64-bit entry); -1 if that cannot be read. */
static int page_present(int pagemap, uintptr_t addr)
{
	uint64_t e;
	off_t at = (off_t)(addr / (uintptr_t)sysconf(_SC_PAGESIZE)) * 8;

	if (pread(pagemap, &e, sizeof(e), at) != (ssize_t)sizeof(e))
		return -1;
	return (int)(e >> 63);
}

static bool never_read(const char *name)
{
	static const char *const names[] = { ".llvmbc", ".debug_info", ".debug_ranges",
					     ".rela.debug_ranges", ".comment" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* A released member's bytes: after its header, in the archive's mapping
 * (opening the member again would read its section headers, and the
 * kernel would map the pages around them). */
static const unsigned char *member_bytes(const struct kx_object *obj)
{
	size_t size = 0;
	const unsigned char *ar = (const unsigned char *)elf_rawfile(obj->archive, &size);

	return ar ? ar + obj->aroff + sizeof(struct ar_hdr) : NULL;
}

/* Of the whole pages inside the never-read sections of obj: how many, and
 * how many are present; with touch, each is read first. */
static void count_pages(const struct kx_object *obj, int pagemap, bool touch, size_t *pages,
			size_t *present)
{
	const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	const unsigned char *p = member_bytes(obj);
	const struct kx_section *s;

	*pages = *present = 0;
	kx_for_each_sec(obj, s) {
		uintptr_t lo = ((uintptr_t)p + s->sh.sh_offset + page - 1) & ~(page - 1);
		uintptr_t hi = ((uintptr_t)p + s->sh.sh_offset + s->sh.sh_size) & ~(page - 1);

		if (!never_read(s->name))
			continue;
		for (; lo < hi; lo += page) {
			if (touch)
				(void)*(volatile const unsigned char *)lo;
			(*pages)++;
			*present += page_present(pagemap, lo) == 1;
		}
	}
}

static void test_unread_pages(void)
{
	const char *ar[] = { path_unread };
	struct kx_options opt = { .output = "unused.o" };
	struct kx_link l;
	struct kx_object *obj = NULL;
	const struct kx_section *fn;
	Elf *elf = NULL;
	size_t i, pages, present;
	int pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	CHECK(pagemap >= 0, "open /proc/self/pagemap");
	if (pagemap < 0)
		return;
	if (!link_init(&l, &opt)) {
		close(pagemap);
		return;
	}
	CHECK(kx_link_load(&l, ar, 1) == 0, "load unread.a");
	for (i = 0; i < l.in.nobjs; i++)
		if (l.in.objs[i]->member && !strcmp(l.in.objs[i]->member, "unread.o"))
			obj = l.in.objs[i];
	/* A small archive: let go, but only the never-read pages given back. */
	CHECK(obj && !obj->elf && obj->archive && member_bytes(obj) && !obj->give_back,
	      "unread.o loaded and let go");
	if (obj && !obj->elf && member_bytes(obj)) {
		CHECK(obj->shstrtab.mapped && obj->strtab.mapped &&
			      (const unsigned char *)obj->strtab.buf > member_bytes(obj),
		      "its names are read in place, not copied");
		count_pages(obj, pagemap, false, &pages, &present);
		CHECK(pages >= 5, "%zu whole pages in never-read sections", pages);
		CHECK(present == 0, "after loading: %zu of %zu such pages resident", present,
		      pages);
		count_pages(obj, pagemap, true, &pages, &present);
		CHECK(present == pages, "read again: %zu of %zu resident", present, pages);
		CHECK(kx_object_elf(obj, &elf) == 0 && elf, "unread.o opened again");
		kx_object_forget_unread(obj);
		count_pages(obj, pagemap, false, &pages, &present);
		CHECK(present == 0, "forgotten again: %zu of %zu resident", present, pages);
		fn = sec_find(obj, ".text.unread_fn");
		CHECK(fn && kx_sec_load((struct kx_section *)fn) == 0 && kx_sec_bytes(fn) &&
			      !memcmp(kx_sec_bytes(fn), "\x31\xc0\xc3", 3),
		      "the function between them still reads xor %%eax,%%eax; ret");
		CHECK(fn && !fn->copy && kx_sec_bytes(fn) > member_bytes(obj),
		      "read in place, not copied");
	}
	kx_link_free(&l);
	close(pagemap);
}

/* Reading a section that cannot be read is an error of its own, reported
 * (-ENOEXEC), never passed on as out of memory. */
static void test_unreadable_not_enomem(void)
{
	struct kx_object obj = { .path = "no-handle.o" };
	struct kx_section sec = { .obj = &obj, .name = ".text.x" };
	unsigned char *bytes = (unsigned char *)&obj;
	unsigned errors = kx_diag_errors();
	Elf_Scn *scn = (Elf_Scn *)&obj;
	int err;

	sec.sh.sh_type = SHT_PROGBITS;
	sec.sh.sh_size = 4;
	err = kx_sec_bytes_mut(&sec, &bytes);
	CHECK(err == -ENOEXEC && !bytes, "kx_sec_bytes_mut with no handle: %d", err);
	CHECK(kx_diag_errors() == errors + 1, "reported once");
	err = kx_sec_scn(&sec, &scn);
	CHECK(err == -ENOEXEC && !scn, "kx_sec_scn with no handle: %d", err);
	err = kx_sec_load(&sec);
	CHECK(err == -ENOEXEC, "kx_sec_load with no handle: %d", err);
}

/* The section table's classes, where prefixes overlap or nearly do. */
static void test_section_classes(void)
{
	static const struct {
		const char *name;
		uint64_t flags;
		enum kx_sec_class cls;
	} cases[] = {
		{ ".text", SHF_ALLOC | SHF_EXECINSTR, KX_SC_TEXT },
		{ ".text.unlikely.foo", SHF_ALLOC | SHF_EXECINSTR, KX_SC_TEXT },
		{ ".textual", SHF_ALLOC, KX_SC_SPECIAL },	  /* not ".text.<x>" */
		{ ".tdata.x", SHF_ALLOC | SHF_WRITE, KX_SC_TLS }, /* by name, no SHF_TLS */
		{ ".tbss", SHF_ALLOC | SHF_WRITE, KX_SC_TLS },
		{ ".data", SHF_ALLOC | SHF_WRITE, KX_SC_DATA },
		{ ".data.x", SHF_ALLOC | SHF_WRITE, KX_SC_DATA },
		{ ".data.rel.ro.x", SHF_ALLOC | SHF_WRITE, KX_SC_RODATA },
		{ ".data..percpu", SHF_ALLOC | SHF_WRITE, KX_SC_SPECIAL },
		{ ".data..ro_after_init", SHF_ALLOC | SHF_WRITE, KX_SC_SPECIAL },
		{ ".note.GNU-stack", 0, KX_SC_DROP },
		{ ".note.gnu.property", SHF_ALLOC, KX_SC_DROP },
		{ ".debug_info", 0, KX_SC_DEBUG },
		{ ".debug", 0, KX_SC_DROP }, /* ".debug_" is a plain prefix */
		{ ".zdebug_line", 0, KX_SC_DEBUG },
		{ ".bss.x", SHF_ALLOC | SHF_WRITE, KX_SC_BSS },
		{ ".modinfo", SHF_ALLOC, KX_SC_MODINFO },
		{ "__ksymtab", SHF_ALLOC, KX_SC_SPECIAL },
		{ "text", SHF_ALLOC, KX_SC_SPECIAL },
		{ ".", 0, KX_SC_DROP },
		{ "", 0, KX_SC_DROP },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kx_section sec = { .name = cases[i].name };

		sec.sh.sh_type = SHT_PROGBITS;
		sec.sh.sh_flags = cases[i].flags;
		CHECK(kx_sec_class_of(&sec) == cases[i].cls, "'%s': %s, want %s", cases[i].name,
		      kx_sec_class_name(kx_sec_class_of(&sec)), kx_sec_class_name(cases[i].cls));
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_link_passes FIXTURES_DIR\n");
		return 2;
	}
	snprintf(path_a, sizeof(path_a), "%s/link/def-a.o", argv[1]);
	snprintf(path_b, sizeof(path_b), "%s/link/def-b.o", argv[1]);
	snprintf(path_ar, sizeof(path_ar), "%s/link/defs.a", argv[1]);
	snprintf(path_forms, sizeof(path_forms), "%s/gotpcrel/all-forms.o", argv[1]);
	snprintf(path_unread, sizeof(path_unread), "%s/link/unread.a", argv[1]);
	kx_diag_reset(stderr, "test_link_passes");
	test_resolve_and_live();
	test_u_root();
	test_entry_point_slot();
	test_rewrite_counts();
	test_archive_members();
	test_members_in_place();
	test_unread_pages();
	test_section_classes();
	test_unreadable_not_enomem();
	return check_done();
}
