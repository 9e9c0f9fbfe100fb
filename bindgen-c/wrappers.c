// SPDX-License-Identifier: GPL-2.0-only
/*
 * Functions Rust cannot link to directly get a C wrapper in helpers.c,
 * compiled by kbuild with the kernel's own compiler and flags:
 *   - static inline functions (kmalloc on 6.1, copy_to_user, schedule_work)
 *   - function-like macros that name a function (kmalloc on 6.12 expands to
 *     kmalloc_noprof): the wrapper takes that function's prototype and
 *     invokes the macro, so the macro's own expansion is what runs.
 * A wrapper is `kelfix_<name>`; Rust declares `<name>` with
 * #[link_name = "kelfix_<name>"].  A macro over a variadic function
 * (printk -> _printk) cannot be wrapped in C; Rust links to the function.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"
#include "diag.h"

bool kb_fn_is_inline(CXCursor c)
{
	return clang_Cursor_getStorageClass(c) == CX_SC_Static || clang_Cursor_isFunctionInlined(c);
}

/* A type as C source for __typeof__(): btf_type_tag attributes (__user
 * under clang with BTF) are dropped, GCC does not know them.  NULL only
 * when out of memory. */
char *kb_c_type(CXType t)
{
	CXString s = clang_getTypeSpelling(t);
	char *r = kb_strdup(clang_getCString(s));
	clang_disposeString(s);
	if (!r)
		return NULL;
	const char *tag = "__attribute__((btf_type_tag(";
	char *p;
	while ((p = strstr(r, tag))) {
		char *end = strstr(p, ")))");
		if (!end)
			break;
		memmove(p, end + 3, strlen(end + 3) + 1);
	}
	return r;
}

/* `ret kelfix_NAME(params)` with every type through __typeof__ so
 * function-pointer parameters need no declarator surgery. */
static void wrapper_proto(struct kb_buf *o, const char *name, CXType fn)
{
	char *ret = kb_c_type(clang_getResultType(fn));
	int n = clang_getNumArgTypes(fn);
	kb_printf(o, "__typeof__(%s) kelfix_%s(", ret ? ret : "", name);
	for (int i = 0; i < n; i++) {
		char *a = kb_c_type(clang_getArgType(fn, (unsigned)i));
		kb_printf(o, "%s__typeof__(%s) p%d", i ? ", " : "", a ? a : "", i);
		free(a);
	}
	kb_puts(o, n ? ")" : "void)");
	free(ret);
}

static void wrapper_def(struct kb_gen *g, const char *name, const char *callee, CXType fn)
{
	struct kb_buf *o = &g->helpers;
	int n = clang_getNumArgTypes(fn);
	bool is_void = clang_getCanonicalType(clang_getResultType(fn)).kind == CXType_Void;
	wrapper_proto(o, name, fn);
	kb_puts(o, ";\n");
	wrapper_proto(o, name, fn);
	kb_printf(o, "\n{\n\t%s%s(", is_void ? "" : "return ", callee);
	for (int i = 0; i < n; i++)
		kb_printf(o, "%sp%d", i ? ", " : "", i);
	kb_puts(o, ");\n}\n\n");
}

int kb_wrap_function(struct kb_gen *g, struct kb_item *it)
{
	CXType t = clang_getCursorType(it->cur);
	if (clang_isFunctionTypeVariadic(t)) {
		unsigned line;
		const char *f = kb_cursor_file(it->cur, &line);
		kx_report_file(KX_WARN, f, "line %u: %s: static inline and variadic; C cannot forward "
			       "the arguments, left out", line, it->name);
		return -ENOTSUP;
	}
	wrapper_def(g, it->name, it->name, t);
	it->wrapper = true;
	return 0;
}

static struct kb_item *function_named(struct kb_gen *g, const char *name)
{
	for (size_t i = 0; i < g->nitems; i++)
		if (g->items[i]->kind == KB_FUNC && g->items[i]->name &&
		    !strcmp(g->items[i]->name, name))
			return g->items[i];
	return NULL;
}

struct macro {
	char *name;
	int nparams;   /* named parameters */
	bool variadic; /* has ... */
	char *callee;  /* first identifier of the body that is a function */
};

static void macro_parse(struct kb_gen *g, CXCursor c, struct macro *m)
{
	CXToken *tok;
	unsigned n;
	clang_tokenize(g->tu, clang_getCursorExtent(c), &tok, &n);
	unsigned i = 2; /* NAME ( */
	for (; i < n; i++) {
		CXString s = clang_getTokenSpelling(g->tu, tok[i]);
		const char *t = clang_getCString(s);
		bool close = !strcmp(t, ")");
		if (!strcmp(t, "..."))
			m->variadic = true;
		else if (clang_getTokenKind(tok[i]) == CXToken_Identifier)
			m->nparams++;
		clang_disposeString(s);
		if (close)
			break;
	}
	for (i++; i < n && !m->callee; i++) {
		if (clang_getTokenKind(tok[i]) != CXToken_Identifier)
			continue;
		CXString s = clang_getTokenSpelling(g->tu, tok[i]);
		if (function_named(g, clang_getCString(s)))
			m->callee = kb_strdup(clang_getCString(s));
		clang_disposeString(s);
	}
	clang_disposeTokens(g->tu, tok, n);
}

static void macro_function(struct kb_gen *g, CXCursor c, const char *name)
{
	struct macro m = { 0 };
	macro_parse(g, c, &m);
	unsigned line;
	const char *file = kb_cursor_file(c, &line);
	struct kb_item *f = m.callee ? function_named(g, m.callee) : NULL;
	if (!f) {
		kx_report_file(KX_WARN, file, "line %u: macro %s names no function; left out", line, name);
		free(m.callee);
		return;
	}
	CXType t = clang_getCursorType(f->cur);
	int nargs = clang_getNumArgTypes(t);
	struct kb_buf sig = { 0 };
	char id[300];
	if (kb_fn_signature(g, t, &f->cur, &sig) < 0) {
		kb_free(&sig);
		free(m.callee);
		return;
	}
	kb_printf(&g->macro_fns, "// %s is a macro (%s:%u) over %s\n", name, file, line, m.callee);
	if (clang_isFunctionTypeVariadic(t) && !kb_fn_is_inline(f->cur)) {
		kb_printf(&g->macro_fns, "extern \"C\" {\n    #[link_name = \"%s\"]\n    pub fn %s%s;\n}\n",
			  m.callee, kb_rust_ident(name, id, sizeof(id)), kb_str(&sig));
	} else if (!clang_isFunctionTypeVariadic(t) && (m.variadic || m.nparams == nargs)) {
		wrapper_def(g, name, name, t);
		kb_printf(&g->macro_fns, "extern \"C\" {\n    #[link_name = \"kelfix_%s\"]\n    pub fn %s%s;\n}\n",
			  name, kb_rust_ident(name, id, sizeof(id)), kb_str(&sig));
	} else {
		kx_report_file(KX_WARN, file, "line %u: macro %s: %d parameters, %s takes %d%s; left out",
			       line, name, m.nparams, m.callee, nargs,
			       clang_isFunctionTypeVariadic(t) ? " and more" : "");
	}
	kb_free(&sig);
	free(m.callee);
}

struct macro_walk {
	struct kb_gen *g;
	struct kb_strv seen;
};

static enum CXChildVisitResult visit_macro(CXCursor c, CXCursor parent, CXClientData data)
{
	struct macro_walk *w = data;
	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_MacroDefinition || !clang_Cursor_isMacroFunctionLike(c))
		return CXChildVisit_Continue;
	char *name = kb_spelling(c);
	if (!name)
		return CXChildVisit_Break;
	bool pick = regexec(w->g->fn_re, name, 0, NULL, 0) == 0 && !function_named(w->g, name);
	for (size_t i = 0; pick && i < w->seen.n; i++)
		if (!strcmp(w->seen.v[i], name))
			pick = false; /* #undef + #define again: the first counts */
	if (pick) {
		kb_strv_add(&w->seen, name);
		macro_function(w->g, c, name);
	}
	free(name);
	return CXChildVisit_Continue;
}

int kb_macro_functions(struct kb_gen *g)
{
	if (!g->fn_re)
		return 0;
	struct macro_walk w = { g, { 0 } };
	clang_visitChildren(clang_getTranslationUnitCursor(g->tu), visit_macro, &w);
	kb_strv_free(&w.seen);
	return 0;
}
