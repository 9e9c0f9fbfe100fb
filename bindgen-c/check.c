// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every wrapper is compiled before anything is written, all in one
 * translation unit: helpers.c's text as it would be written, with the
 * kernel's flags and the errors kbuild's compilers make of them
 * (-Werror=... from the flags, plus incompatible pointer and int
 * conversions, errors for gcc 14).  The headers' function bodies are
 * skipped (kb_parse compiled the headers already; they are 2/3 of the
 * time), and so, with them, are the wrappers': each wrapper is therefore
 * followed, on its own last line, by its body as a block literal taking
 * the same parameters, which clang does compile (kb_aux_parse).  An error
 * whose place (its macro expansion's place) lies in a wrapper leaves that
 * wrapper out, with a warning naming it and the error; for a static inline
 * function its Rust declaration goes too.  An error outside every wrapper
 * fails the run.
 *
 * A macro's block infers its result type from `return CALL`: when that
 * differs from the result the probes gave (taken while an argument was
 * still `void *`), the wrapper takes it.  Any pass that left a wrapper
 * out or corrected one is followed by another, which must be clean.
 *
 * The macros' Rust declarations come from the wrappers as compiled: their
 * parameters and result are what Rust links to.  That translation unit
 * stays alive (g->aux_tu) until the end: the items its types name may
 * hold its cursors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"
#include "diag.h"

/* Errors gcc reports for these (kernel flags, gcc 14 defaults). */
static const char *const check_errors[] = {
	"-Werror=incompatible-pointer-types",
	"-Werror=int-conversion",
	"-Werror=implicit-function-declaration",
	"-Werror=return-type",
};

static unsigned count_lines(const char *s)
{
	unsigned n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/*
 * The wrapper's body as a block literal (parsed where a function body is
 * skipped, kb_aux_parse).  A static inline function's has its own types; a
 * macro's block infers its result from `return CALL` (unless the macro
 * expands to statements), which check_result compares with the wrapper's.
 */
static void body_block(const struct kb_wrapper *w, size_t i, struct kb_buf *o)
{
	const struct kb_macro *m = w->macro;
	if (!m) {
		kb_printf(o, "static %s (^__kelfix_body_%zu)(%s) = ^%s(%s) { %s };\n",
			  kb_str(&w->ret), i, kb_str(&w->params), kb_str(&w->ret),
			  kb_str(&w->params), kb_str(&w->call));
		return;
	}
	kb_printf(o, "static __auto_type __kelfix_body_%zu = ^(%s) { %s%s(", i, kb_str(&w->params),
		  m->stmt ? "" : "return ", m->name);
	for (unsigned a = 0; a < m->nargs; a++)
		kb_printf(o, "%sp%u", a ? ", " : "", a);
	kb_puts(o, "); };\n");
}

/* PREFIX then every wrapper not left out, each followed on its last line
 * by its body as a block literal of the same signature; lines noted. */
static void check_source(struct kb_gen *g, const char *prefix, struct kb_buf *src)
{
	unsigned line = count_lines(prefix) + 1;
	kb_puts(src, prefix);
	for (size_t i = 0; i < g->nwrappers; i++) {
		struct kb_wrapper *w = &g->wrappers[i];
		struct kb_buf text = { 0 };
		w->first = w->last = 0;
		if (w->dropped)
			continue;
		kb_wrapper_text(w, &text);
		body_block(w, i, &text);
		w->first = line;
		line += count_lines(kb_str(&text));
		w->last = line - 1;
		kb_puts(src, kb_str(&text));
		kb_free(&text);
	}
}

/* g->args (which end in -Wno-everything), then the errors again. */
static int aux_args(struct kb_gen *g, struct kb_strv *args)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < g->args.n; i++)
		rc = kb_strv_add(args, g->args.v[i]);
	for (size_t i = 0; !rc && i < g->args.n; i++)
		if (!strncmp(g->args.v[i], "-Werror=", 8))
			rc = kb_strv_add(args, g->args.v[i]);
	for (size_t i = 0; !rc && i < sizeof(check_errors) / sizeof(check_errors[0]); i++)
		rc = kb_strv_add(args, check_errors[i]);
	return rc;
}

/*
 * The macro probes and the wrappers' check: a translation unit of helpers.c's
 * first lines and then SRC, parsed with the headers' function bodies
 * skipped (the headers compiled once already, in kb_parse) and -fblocks:
 * clang parses the body of a block literal where it skips a function's,
 * so what is to be type-checked goes in blocks.  A third of the time of a
 * full parse.  The last one stays in g->aux_tu.
 */
int kb_aux_parse(struct kb_gen *g, const struct kb_buf *src, const char *what)
{
	struct CXUnsavedFile u = { KB_AUX_MAIN, kb_str(src), (unsigned long)src->len };
	struct kb_strv args = { 0 };
	enum CXErrorCode ec = CXError_Failure;
	if (g->aux_tu)
		clang_disposeTranslationUnit(g->aux_tu);
	g->aux_tu = NULL;
	int rc = aux_args(g, &args);
	if (!rc)
		rc = kb_strv_add(&args, "-fblocks");
	if (!rc && !kb_nomem_count())
		ec = clang_parseTranslationUnit2(g->index, KB_AUX_MAIN, (const char *const *)args.v,
						 (int)args.n, &u, 1,
						 CXTranslationUnit_SkipFunctionBodies, &g->aux_tu);
	kb_strv_free(&args);
	if (kb_nomem_count())
		return -ENOMEM;
	if (ec != CXError_Success || !g->aux_tu) {
		kx_report_file(KX_ERROR, NULL, "libclang could not parse %s (error %d)", what, ec);
		return -EINVAL;
	}
	return 0;
}

static struct kb_wrapper *wrapper_at(struct kb_gen *g, unsigned line)
{
	for (size_t i = 0; i < g->nwrappers; i++) {
		struct kb_wrapper *w = &g->wrappers[i];
		if (w->first && line >= w->first && line <= w->last)
			return w;
	}
	return NULL;
}

static void drop_wrapper(struct kb_wrapper *w, const char *error)
{
	w->dropped = true;
	if (w->macro) {
		struct kb_macro *m = w->macro;
		kx_report_file(KX_WARN, m->file,
			       "line %u: macro %s: its wrapper does not compile "
			       "with the kernel's flags (%s); left out",
			       m->line, m->name, error);
		m->out = true;
		return;
	}
	unsigned line;
	const char *f = kb_cursor_file(w->item->cur, &line);
	kx_report_file(KX_WARN, f,
		       "line %u: %s: its wrapper does not compile with the kernel's "
		       "flags (%s); left out",
		       line, w->name, error);
	kb_free(&w->item->text);
	w->item->wrapper = false;
}

/* One error: the wrapper it lies in is left out; 0, or -EINVAL when it
 * lies in none. */
static int check_error(struct kb_gen *g, CXDiagnostic d, unsigned *dropped)
{
	CXFile file;
	unsigned line;
	clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, &line, NULL, NULL);
	CXString name = clang_getFileName(file);
	const char *fn = clang_getCString(name);
	bool ours = fn && !strcmp(fn, KB_AUX_MAIN);
	clang_disposeString(name);
	CXString text = clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
							  CXDiagnostic_DisplayColumn);
	struct kb_wrapper *w = ours ? wrapper_at(g, line) : NULL;
	int rc = 0;
	if (w && !w->dropped) {
		drop_wrapper(w, clang_getCString(text));
		++*dropped;
	} else if (!w) {
		kx_report_file(KX_ERROR, NULL, "the wrappers' file does not compile: %s",
			       clang_getCString(text));
		rc = -EINVAL;
	}
	clang_disposeString(text);
	return rc;
}

/* Compile the wrappers not yet left out; *dropped: how many now are. */
static int check_once(struct kb_gen *g, const char *prefix, unsigned *dropped)
{
	struct kb_buf src = { 0 };
	check_source(g, prefix, &src);
	int rc = kb_aux_parse(g, &src, "the wrappers");
	unsigned n = rc ? 0 : clang_getNumDiagnostics(g->aux_tu);
	for (unsigned i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(g->aux_tu, i);
		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error &&
		    check_error(g, d, dropped))
			rc = -EINVAL;
		clang_disposeDiagnostic(d);
	}
	kb_free(&src);
	return rc;
}

struct find {
	const char *name;
	CXCursor found;
};

static enum CXChildVisitResult find_decl(CXCursor c, CXCursor parent, CXClientData data)
{
	struct find *f = data;
	(void)parent;
	enum CXCursorKind k = clang_getCursorKind(c);
	if (k != CXCursor_FunctionDecl && k != CXCursor_VarDecl)
		return CXChildVisit_Continue;
	CXString s = clang_getCursorSpelling(c);
	bool hit = !strcmp(clang_getCString(s), f->name);
	clang_disposeString(s);
	if (!hit)
		return CXChildVisit_Continue;
	f->found = c;
	return CXChildVisit_Break;
}

/* Rust's declaration of a macro, from its wrapper as compiled. */
static int macro_decl(struct kb_gen *g, struct kb_wrapper *w)
{
	struct kb_macro *m = w->macro;
	char fn[300], id[300];
	snprintf(fn, sizeof(fn), "kelfix_%s", m->name);
	struct find f = { fn, clang_getNullCursor() };
	clang_visitChildren(clang_getTranslationUnitCursor(g->aux_tu), find_decl, &f);
	if (clang_Cursor_isNull(f.found)) {
		drop_wrapper(w, "not found where it was compiled");
		return 0;
	}
	struct kb_buf sig = { 0 };
	int rc = kb_fn_signature(g, clang_getCursorType(f.found), &f.found, &sig);
	if (rc == -ENOTSUP) {
		drop_wrapper(w, "a type Rust cannot express");
		rc = 0;
	} else if (!rc) {
		kb_printf(
			&g->macro_fns,
			"// %s is a macro (%s:%u); its wrapper's types are those clang gives its "
			"expansion\nextern \"C\" {\n    #[link_name = \"%s\"]\n    pub fn %s%s;\n}\n",
			m->name, m->file, m->line, fn, kb_rust_ident(m->name, id, sizeof(id)),
			kb_str(&sig));
	}
	kb_free(&sig);
	return rc;
}

/* The type a macro's block gives its call against the wrapper's declared
 * result: a different one (the result was taken while an argument was
 * still `void *`) replaces it.  1 when corrected, 0 when right. */
static int check_result(struct kb_gen *g, struct kb_wrapper *w, size_t i)
{
	char body[64], fn[300];
	snprintf(body, sizeof(body), "__kelfix_body_%zu", i);
	snprintf(fn, sizeof(fn), "kelfix_%s", w->name);
	struct find b = { body, clang_getNullCursor() }, f = { fn, clang_getNullCursor() };
	clang_visitChildren(clang_getTranslationUnitCursor(g->aux_tu), find_decl, &b);
	clang_visitChildren(clang_getTranslationUnitCursor(g->aux_tu), find_decl, &f);
	if (clang_Cursor_isNull(b.found) || clang_Cursor_isNull(f.found))
		return 0; /* macro_decl reports a missing wrapper */
	CXType blk = clang_getCanonicalType(clang_getCursorType(b.found));
	CXType got = clang_getResultType(clang_getPointeeType(blk));
	CXType want = clang_getResultType(clang_getCursorType(f.found));
	if (got.kind == CXType_Invalid ||
	    clang_equalTypes(clang_getCanonicalType(got), clang_getCanonicalType(want)))
		return 0;
	char *t = kb_derived_type(got);
	if (!t)
		return -ENOMEM;
	free(w->macro->ret);
	w->macro->ret = t;
	kb_macro_wrapper_text(w);
	return 1;
}

int kb_check_wrappers(struct kb_gen *g, const char *prefix)
{
	unsigned changed = 1;
	int rc = 0, pass;
	if (!g->nwrappers)
		return 0;
	/* A pass after one that left a wrapper out or corrected a result must
	 * be clean; the third is the last. */
	for (pass = 0; !rc && changed && pass < 3; pass++) {
		changed = 0;
		rc = check_once(g, prefix, &changed);
		for (size_t i = 0; !rc && i < g->nwrappers; i++) {
			struct kb_wrapper *w = &g->wrappers[i];
			int c = w->macro && !w->dropped ? check_result(g, w, i) : 0;
			if (c < 0)
				rc = c;
			changed += c > 0;
		}
	}
	if (!rc && changed) {
		kx_report_file(KX_ERROR, NULL, "the wrappers still do not compile");
		rc = -EINVAL;
	}
	for (size_t i = 0; !rc && i < g->nwrappers; i++)
		if (g->wrappers[i].macro && !g->wrappers[i].dropped)
			rc = macro_decl(g, &g->wrappers[i]);
	return rc;
}

int kb_wrappers_text(struct kb_gen *g, struct kb_buf *c)
{
	for (size_t i = 0; i < g->nwrappers; i++)
		if (!g->wrappers[i].dropped)
			kb_wrapper_text(&g->wrappers[i], c);
	return kb_nomem_count() ? -ENOMEM : 0;
}

void kb_wrappers_free(struct kb_gen *g)
{
	for (size_t i = 0; i < g->nwrappers; i++) {
		free(g->wrappers[i].name);
		kb_free(&g->wrappers[i].ret);
		kb_free(&g->wrappers[i].params);
		kb_free(&g->wrappers[i].call);
	}
	free(g->wrappers);
	if (g->aux_tu)
		clang_disposeTranslationUnit(g->aux_tu);
}
