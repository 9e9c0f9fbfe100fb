// SPDX-License-Identifier: GPL-2.0-only
/*
 * kbuild's GCC flags → clang flags: see kbuild_clang.h.
 *
 * Each kbuild flag (one word, or an option and its argument) becomes a
 * unit.  Preprocessor options pass as they are.  The rest get a clang
 * spelling from the table (or keep their own) and are checked against
 * the installed clang together, in one compile of an empty file; clang
 * names each flag it rejects in quotes, so a rejected unit moves to its
 * next spelling or is dropped, and the run is repeated until clang
 * accepts the whole set.  When clang's messages name no flag, the units
 * are checked one by one.
 */
#include "kbuild_clang.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kbuild_probe.h"
#include "kbuild_run.h"

enum match { KB_EXACT, KB_PREFIX, KB_SUBSTR };

struct rule {
	const char *gcc;
	enum match match;
	const char *try[2]; /* clang spellings; "" = the flag itself */
	const char *why;
	bool refuse;
};

#define SAME ""
#define NONE NULL
#define KX_CFLAG(gcc, match, try1, try2, why) { gcc, KB_##match, { try1, try2 }, why, false },
#define KX_CFLAG_REFUSE(gcc, match, why) { gcc, KB_##match, { NONE, NONE }, why, true },
static const struct rule rules[] = {
#include "kbuild_clang_flags.def"
};
#undef KX_CFLAG
#undef KX_CFLAG_REFUSE
#undef SAME
#undef NONE

/* Preprocessor options: the same for both compilers, and they name files
 * an empty test compile must not read.  Passed on unchecked. */
static const char *const cpp_prefixes[] = {
	"-D", "-U", "-I", "-include", "-imacros", "-isystem", "-iquote", "-idirafter", "-nostdinc",
};

/* What clang is asked to accept: the warnings scripts/Makefile.clang
 * makes errors so that cc-option sees them. */
static const char *const probe_head[] = {
	"-x",
	"c",
	"-c",
	"-o",
	"/dev/null",
	"-Werror=unknown-warning-option",
	"-Werror=ignored-optimization-argument",
	"-Werror=option-ignored",
	"-Werror=unused-command-line-argument",
};

enum unit_state {
	U_PASS, /* a preprocessor option: passed on as it is */
	U_TRY,	/* its current spelling is (being) checked against clang */
	U_DROP, /* no spelling left: dropped */
};

struct unit {
	char *const *words; /* the kbuild flag: 1 or 2 words of gcc_flags */
	size_t nwords;
	const struct rule *rule; /* NULL: not in the table */
	int cand;		 /* which spelling is tried: rule->try[cand], or 0 = itself */
	enum unit_state state;
	struct kb_strv spell; /* that spelling, owned */
	char *clang_says;     /* clang's complaint about the last spelling, owned */
	bool hit;	      /* named by clang in this round */
	bool gcc_include;     /* -isystem <GCC's own headers>: clang's instead */
};

struct probe {
	const char *clang;
	char version[64];
	char *resource_inc; /* clang -print-file-name=include, owned */
	struct unit *u;
	size_t n;
};

static bool rule_matches(const struct rule *r, const char *flag)
{
	switch (r->match) {
	case KB_EXACT:
		return !strcmp(flag, r->gcc);
	case KB_PREFIX:
		return !strncmp(flag, r->gcc, strlen(r->gcc));
	case KB_SUBSTR:
		return strstr(flag, r->gcc) != NULL;
	}
	return false;
}

static const struct rule *rule_find(const char *flag)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rule_matches(&rules[i], flag))
			return &rules[i];
	return NULL;
}

static bool is_cpp_option(const char *flag)
{
	for (size_t i = 0; i < sizeof(cpp_prefixes) / sizeof(cpp_prefixes[0]); i++)
		if (!strncmp(flag, cpp_prefixes[i], strlen(cpp_prefixes[i])))
			return true;
	return false;
}

/* The unit's words as one string (for messages), into buf. */
static const char *unit_text(const struct unit *u, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", u->words[0], u->nwords > 1 ? " " : "",
		 u->nwords > 1 ? u->words[1] : "");
	return buf;
}

/* Sets u->spell to spelling number u->cand.  1: there is one; 0: none
 * left; -ENOMEM. */
static int unit_spell(struct unit *u)
{
	const char *t;
	int err = 0;

	kb_strv_free(&u->spell);
	if (!u->rule)
		t = u->cand == 0 ? "" : NULL;
	else
		t = u->cand < 2 ? u->rule->try[u->cand] : NULL;
	if (!t)
		return 0;
	if (!*t) {
		for (size_t i = 0; i < u->nwords && !err; i++)
			err = kb_strv_push(&u->spell, u->words[i]);
	} else if (u->rule->match == KB_PREFIX && t[strlen(t) - 1] == '=') {
		char buf[4096];

		snprintf(buf, sizeof(buf), "%s%s", t, u->words[0] + strlen(u->rule->gcc));
		err = kb_strv_push(&u->spell, buf);
	} else {
		err = kb_strv_push_words(&u->spell, t);
	}
	return err ? err : 1;
}

/* clang refused the current spelling (complaint: its words): on to the
 * next spelling, or dropped. */
static int unit_reject(struct unit *u, const char *complaint)
{
	int more;

	free(u->clang_says);
	u->clang_says = strdup(complaint);
	if (!u->clang_says)
		return -ENOMEM;
	u->cand++;
	more = unit_spell(u);
	if (more < 0)
		return more;
	if (!more)
		u->state = U_DROP;
	return 0;
}

/*
 * GCC's own header directory (<prefix>/lib/gcc[-cross]/<triple>/<version>/
 * include: stdarg.h, stddef.h, ...), which kernels before 5.15 put on the
 * command line (-isystem $(CC) -print-file-name=include).  For clang it is
 * clang's resource directory, as kbuild makes it when CC is clang; GCC's
 * may not even exist where clang runs.
 */
static bool is_gcc_include(const char *dir)
{
	size_t len = strlen(dir);

	return (strstr(dir, "/lib/gcc/") || strstr(dir, "/lib/gcc-cross/")) && len > 8 &&
	       !strcmp(dir + len - 8, "/include");
}

/* Sets up unit u for the flag at gcc_flags[i].  -ENOEXEC for a REFUSE
 * entry (reported). */
static int unit_init(struct unit *u, char *const *gcc_flags, size_t n, size_t i)
{
	char buf[4096];
	int more;

	memset(u, 0, sizeof(*u));
	u->words = gcc_flags + i;
	u->nwords = kb_flag_words(gcc_flags, n, i);
	if (is_cpp_option(u->words[0])) {
		u->state = U_PASS;
		u->gcc_include = u->nwords == 2 && !strcmp(u->words[0], "-isystem") &&
				 is_gcc_include(u->words[1]);
		return 0;
	}
	u->rule = rule_find(u->words[0]);
	if (u->rule && u->rule->refuse) {
		u->state = U_DROP;
		kx_report_file(KX_ERROR, NULL,
			       "kbuild passes %s: %s; build C code for this kernel with kbuild",
			       unit_text(u, buf, sizeof(buf)), u->rule->why);
		return -ENOEXEC;
	}
	u->state = U_TRY;
	more = unit_spell(u);
	if (more < 0)
		return more;
	if (!more)
		u->state = U_DROP;
	return 0;
}

/* Runs clang over an empty C file with the spellings of the checked
 * units: all of them when only is SIZE_MAX, else unit `only` (none when
 * it is p->n). */
static int clang_check(const struct probe *p, size_t only, struct kb_run *r)
{
	struct kb_strv argv = { 0 };
	int err = kb_strv_push(&argv, p->clang);

	for (size_t i = 0; i < sizeof(probe_head) / sizeof(probe_head[0]) && !err; i++)
		err = kb_strv_push(&argv, probe_head[i]);
	for (size_t i = 0; i < p->n && !err; i++)
		if (p->u[i].state == U_TRY && (only == SIZE_MAX || only == i))
			err = kb_strv_append(&argv, &p->u[i].spell);
	if (!err)
		err = kb_strv_push(&argv, "/dev/null");
	if (!err)
		err = kb_run(argv.v, NULL, r);
	if (err && err != -ENOMEM)
		kx_report_file(KX_ERROR, p->clang, "cannot run it: %s", strerror(-err));
	kb_strv_free(&argv);
	return err;
}

/* The first '...' quotation of line, into buf; false if there is none. */
static bool first_quoted(const char *line, size_t len, char *buf, size_t size)
{
	const char *a = memchr(line, '\'', len);
	const char *b = a ? memchr(a + 1, '\'', len - (size_t)(a + 1 - line)) : NULL;

	if (!b || (size_t)(b - a - 1) >= size)
		return false;
	memcpy(buf, a + 1, (size_t)(b - a - 1));
	buf[b - a - 1] = '\0';
	return true;
}

/* clang's complaint without "clang: error: " and " [-Werror,...]". */
static void tidy_complaint(const char *line, size_t len, char *buf, size_t size)
{
	const char *e = strstr(line, "error: ");
	char *tag;

	if (e && e + 7 <= line + len) {
		len -= (size_t)(e + 7 - line);
		line = e + 7;
	}
	snprintf(buf, size, "%.*s", (int)len, line);
	tag = strstr(buf, " [-W");
	if (tag)
		*tag = '\0';
}

/* Marks u when it is checked and word is one of its spelling's words;
 * says is clang's complaint.  1 if newly marked. */
static int unit_mark(struct unit *u, const char *word, const char *says)
{
	if (u->state != U_TRY || u->hit)
		return 0;
	for (size_t w = 0; w < u->spell.n; w++) {
		if (strcmp(u->spell.v[w], word))
			continue;
		free(u->clang_says);
		u->clang_says = strdup(says);
		u->hit = true;
		return 1;
	}
	return 0;
}

/* Marks every checked unit whose spelling has a word clang names first
 * on one of its error lines; returns how many units were marked. */
static size_t mark_named(struct probe *p, const char *err_text)
{
	char quoted[4096], says[4096];
	size_t marked = 0;

	for (const char *line = err_text; *line;) {
		size_t len = strcspn(line, "\n");

		if (memmem(line, len, "error:", 6) &&
		    first_quoted(line, len, quoted, sizeof(quoted))) {
			tidy_complaint(line, len, says, sizeof(says));
			for (size_t i = 0; i < p->n; i++)
				marked += unit_mark(&p->u[i], quoted, says);
		}
		line += len + (line[len] == '\n');
	}
	return marked;
}

/* Rejects the marked units. */
static int reject_marked(struct probe *p)
{
	int err = 0;

	for (size_t i = 0; i < p->n && !err; i++) {
		struct unit *u = &p->u[i];
		char *says = u->clang_says;

		if (!u->hit)
			continue;
		u->hit = false;
		u->clang_says = NULL;
		err = unit_reject(u, says ? says : "rejected");
		free(says);
	}
	return err;
}

/* Checks each unit alone and marks those clang rejects; first makes
 * sure clang compiles the empty file with no unit at all. */
static int mark_alone(struct probe *p, size_t *marked)
{
	char says[4096];
	struct kb_run r;
	int err = clang_check(p, p->n, &r);

	if (!err && r.exit_code != 0) {
		kx_report_file(KX_ERROR, p->clang, "cannot compile an empty C file:\n%s",
			       r.err.buf);
		err = -ENOEXEC;
	}
	kb_run_free(&r);
	for (size_t i = 0; i < p->n && !err; i++) {
		if (p->u[i].state != U_TRY)
			continue;
		err = clang_check(p, i, &r);
		if (!err && r.exit_code != 0) {
			tidy_complaint(r.err.buf, strcspn(r.err.buf, "\n"), says, sizeof(says));
			*marked += unit_mark(&p->u[i], p->u[i].spell.v[0], says);
		}
		kb_run_free(&r);
	}
	return err;
}

/* One round: check every unit at once; on failure reject what clang
 * named.  *done when clang accepted them all. */
static int probe_round(struct probe *p, bool *done)
{
	struct kb_run r;
	size_t marked = 0;
	int err = clang_check(p, SIZE_MAX, &r);

	*done = !err && r.exit_code == 0;
	if (!err && !*done) {
		marked = mark_named(p, r.err.buf);
		if (!marked)
			err = mark_alone(p, &marked);
		if (!err && !marked) {
			kx_report_file(
				KX_ERROR, p->clang,
				"rejects kbuild's flags together though it takes each alone:\n%s",
				r.err.buf);
			err = -ENOEXEC;
		}
	}
	if (!err)
		err = reject_marked(p);
	kb_run_free(&r);
	return err;
}

/* clang -dumpversion into p->version ("clang" if it says nothing). */
static int clang_version(struct probe *p)
{
	char *argv[] = { (char *)p->clang, "-dumpversion", NULL };
	struct kb_run r;
	int err = kb_run(argv, NULL, &r);

	if (err == -ENOENT)
		kx_report_file(KX_ERROR, p->clang,
			       "cannot run it: %s; install clang or give --clang", strerror(-err));
	else if (err)
		kx_report_file(KX_ERROR, p->clang, "cannot run it: %s", strerror(-err));
	if (!err && r.exit_code != 0) {
		kx_report_file(KX_ERROR, p->clang, "cannot run it: -dumpversion gave %s %d%s%s",
			       r.exit_code < 0 ? "signal" : "exit status",
			       r.exit_code < 0 ? r.signal : r.exit_code, *r.err.buf ? ":\n" : "",
			       r.err.buf);
		err = -EIO;
	}
	if (!err)
		snprintf(p->version, sizeof(p->version), "clang %.*s",
			 (int)strcspn(r.out.buf, "\n"), r.out.buf);
	kb_run_free(&r);
	return err;
}

/* clang -print-file-name=include into p->resource_inc. */
static int clang_resource_include(struct probe *p)
{
	char *argv[] = { (char *)p->clang, "-print-file-name=include", NULL };
	struct kb_run r;
	int err = kb_run(argv, NULL, &r);

	if (err) {
		kx_report_file(KX_ERROR, p->clang, "cannot run it: %s", strerror(-err));
		return err;
	}
	if (r.exit_code != 0 || r.out.buf[0] != '/') {
		kx_report_file(KX_ERROR, p->clang, "-print-file-name=include names no directory");
		err = -EIO;
	} else {
		p->resource_inc = strndup(r.out.buf, strcspn(r.out.buf, "\n"));
		if (!p->resource_inc)
			err = -ENOMEM;
	}
	kb_run_free(&r);
	return err;
}

static bool any_gcc_include(const struct probe *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->u[i].gcc_include)
			return true;
	return false;
}

/* Says what became of a unit that did not pass unchanged. */
static void report_unit(const struct probe *p, const struct unit *u)
{
	char flag[4096], spelled[4096] = "";
	const char *why = u->rule ? u->rule->why : NULL;

	unit_text(u, flag, sizeof(flag));
	if (u->gcc_include) {
		kx_report_file(KX_NOTE, NULL,
			       "%s -> -isystem %s: GCC's own headers are clang's for clang", flag,
			       p->resource_inc);
		return;
	}
	if (u->state == U_DROP) {
		char says[4096] = "";

		if (u->clang_says)
			snprintf(says, sizeof(says), " (%s: %s)", p->version, u->clang_says);
		kx_report_file(KX_NOTE, NULL, "dropped %s%s%s%s", flag, why ? ": " : "",
			       why ? why : "", says);
		return;
	}
	if (u->state != U_TRY || !u->rule || !*u->rule->try[u->cand])
		return;
	for (size_t i = 0; i < u->spell.n; i++)
		snprintf(spelled + strlen(spelled), sizeof(spelled) - strlen(spelled), "%s%s",
			 i ? " " : "", u->spell.v[i]);
	kx_report_file(KX_NOTE, NULL, "%s -> %s: %s", flag, spelled, why);
}

/* The flags of the units that survived, in kbuild's order. */
static int collect(const struct probe *p, struct kb_strv *out)
{
	int err = 0;

	for (size_t i = 0; i < p->n && !err; i++) {
		const struct unit *u = &p->u[i];

		if (u->gcc_include) {
			err = kb_strv_push(out, "-isystem");
			err = err ?: kb_strv_push(out, p->resource_inc);
		} else if (u->state == U_PASS)
			for (size_t w = 0; w < u->nwords && !err; w++)
				err = kb_strv_push(out, u->words[w]);
		else if (u->state == U_TRY)
			err = kb_strv_append(out, &u->spell);
	}
	return err;
}

static int units_init(struct probe *p, char *const *gcc_flags, size_t n)
{
	int first = 0;

	p->u = calloc(n ? n : 1, sizeof(*p->u));
	if (!p->u)
		return -ENOMEM;
	for (size_t i = 0; i < n && first != -ENOMEM;) {
		struct unit *u = &p->u[p->n++];
		int err = unit_init(u, gcc_flags, n, i);

		i += u->nwords;
		if (err && !first)
			first = err;
	}
	return first;
}

static void units_free(struct probe *p)
{
	for (size_t i = 0; i < p->n; i++) {
		kb_strv_free(&p->u[i].spell);
		free(p->u[i].clang_says);
	}
	free(p->u);
	free(p->resource_inc);
}

int kb_clang_translate(const char *clang, char *const *gcc_flags, size_t n, struct kb_strv *out)
{
	struct probe p = { .clang = clang };
	bool done = false;
	int err;

	err = clang_version(&p);
	if (!err)
		err = units_init(&p, gcc_flags, n);
	if (!err && any_gcc_include(&p))
		err = clang_resource_include(&p);
	while (!err && !done)
		err = probe_round(&p, &done);
	for (size_t i = 0; i < p.n && !err; i++)
		report_unit(&p, &p.u[i]);
	if (!err)
		err = collect(&p, out);
	if (err == -ENOMEM)
		kx_report_file(KX_ERROR, NULL, "out of memory");
	units_free(&p);
	return err;
}
