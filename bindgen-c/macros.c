// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allowlisted function-like macros become functions Rust can call.  The
 * signature is the macro's own, never that of a function it happens to
 * call: clang type-checks the expansion in a probe translation unit (the
 * same headers, the same flags), one function per macro,
 *
 *   static void (^__kelfix_probe_3)(void *p0, void *p1) =
 *	^(void *p0, void *p1) { INIT_WORK(p0, p1); };
 *
 * (a block literal: clang parses its body while it skips the headers').
 *
 * A parameter's type is the type its first use in the expansion converts
 * it to (passing `void *` to a `spinlock_t *` parameter leaves an implicit
 * conversion to spinlock_t * in the AST).  A use that only works on a typed
 * value (`(p0)->func = (p1)`) gives p1's type once p0 has one, so each
 * round probes again with what the last one derived.  With every parameter
 * typed, the result is the type of the expression the macro expands to;
 * a statement (do { } while (0), several statements) gives void.
 *
 * Left out with a warning that says why: a parameter no use types (a name,
 * a member, a type), a result clang cannot type, a variadic macro whose
 * arguments are not all forwarded to one function.  A variadic macro that
 * forwards every argument, unchanged and in order, to a variadic function
 * (`#define pr(fmt, ...) _pr(fmt, ##__VA_ARGS__)`) is that function: Rust
 * links to it.  One that passes __VA_ARGS__ as the whole argument list of
 * a function (`kmalloc(...)` -> `kmalloc_noprof(__VA_ARGS__)`) takes as
 * many arguments as that function; their types are probed as any other.
 * check.c then compiles every wrapper before anything is written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"
#include "diag.h"

#define PROBE_FN "__kelfix_probe_"
#define MAX_TOKENS 4096
#define MAX_DEPTH 256

/* The definition's tokens as strings: NAME ( params ) body. */
struct macro_def {
	struct kb_strv tok;
	struct kb_strv params; /* named parameters, in order */
	const char *va;	       /* __VA_ARGS__ or the GNU `arg...` name; NULL */
	size_t body;	       /* index of the body's first token */
};

static int def_tokens(struct kb_gen *g, CXCursor c, struct macro_def *d)
{
	CXToken *tok;
	unsigned n;
	int rc = 0;
	clang_tokenize(g->tu, clang_getCursorExtent(c), &tok, &n);
	for (unsigned i = 0; i < n && i < MAX_TOKENS && !rc; i++) {
		CXString s = clang_getTokenSpelling(g->tu, tok[i]);
		rc = kb_strv_add(&d->tok, clang_getCString(s));
		clang_disposeString(s);
	}
	clang_disposeTokens(g->tu, tok, n);
	return rc;
}

/* Parameters: identifiers up to ')'; `...` or `name...` makes it variadic. */
static int def_params(struct macro_def *d)
{
	size_t i;
	for (i = 2; i < d->tok.n && strcmp(d->tok.v[i], ")"); i++) {
		const char *t = d->tok.v[i];
		if (!strcmp(t, ","))
			continue;
		if (!strcmp(t, "...")) {
			if (!d->va)
				d->va = "__VA_ARGS__";
		} else if (i + 1 < d->tok.n && !strcmp(d->tok.v[i + 1], "...")) {
			d->va = t;
			i++;
		} else if (kb_strv_add(&d->params, t)) {
			return -ENOMEM;
		}
	}
	d->body = i + 1;
	return 0;
}

static bool tok_is(const struct macro_def *d, size_t i, const char *s)
{
	return i < d->tok.n && !strcmp(d->tok.v[i], s);
}

/* The body is exactly F(p1, ..., pn, [##] VA): every argument forwarded
 * unchanged and in order.  F, or NULL. */
static const char *forwards_all(const struct macro_def *d)
{
	size_t i = d->body + 2;
	if (!tok_is(d, d->body + 1, "("))
		return NULL;
	for (size_t p = 0; p < d->params.n; p++, i += 2)
		if (!tok_is(d, i, d->params.v[p]) || !tok_is(d, i + 1, ","))
			return NULL;
	if (tok_is(d, i, "##"))
		i++;
	if (!tok_is(d, i, d->va) || !tok_is(d, i + 1, ")") || i + 2 != d->tok.n)
		return NULL;
	return d->tok.v[d->body];
}

/* Somewhere in the body, F(VA) with nothing else in the parentheses: the
 * variadic arguments are F's whole argument list.  F, or NULL. */
static const char *va_is_arg_list(const struct macro_def *d)
{
	for (size_t i = d->body; i + 3 < d->tok.n; i++)
		if (tok_is(d, i + 1, "(") && tok_is(d, i + 2, d->va) && tok_is(d, i + 3, ")"))
			return d->tok.v[i];
	return NULL;
}

static void def_free(struct macro_def *d)
{
	kb_strv_free(&d->tok);
	kb_strv_free(&d->params);
}

static void left_out(struct kb_macro *m, const char *fmt, const char *what)
{
	char why[512];
	snprintf(why, sizeof(why), fmt, what);
	kx_report_file(KX_WARN, m->file, "line %u: macro %s: %s; left out", m->line, m->name, why);
	m->out = true;
}

/* Variadic: Rust links to the function every argument goes to, or the
 * macro takes the arity of the function __VA_ARGS__ is the whole argument
 * list of; otherwise nothing says what it takes. */
static int classify_variadic(struct kb_gen *g, struct kb_macro *m, const struct macro_def *d)
{
	const char *f = forwards_all(d);
	struct kb_item *fn = f ? kb_function_named(g, f) : NULL;
	if (fn && clang_isFunctionTypeVariadic(clang_getCursorType(fn->cur)) &&
	    !kb_fn_is_inline(fn->cur)) {
		m->alias = kb_strdup(f);
		return m->alias ? 0 : -ENOMEM;
	}
	f = d->params.n ? NULL : va_is_arg_list(d);
	fn = f ? kb_function_named(g, f) : NULL;
	if (fn && !clang_isFunctionTypeVariadic(clang_getCursorType(fn->cur))) {
		m->nargs = (unsigned)clang_getNumArgTypes(clang_getCursorType(fn->cur));
		return 0;
	}
	left_out(m,
		 "variadic, and its expansion does not forward the variable arguments as "
		 "a whole argument list (%s), so their number and types cannot be derived",
		 fn ? "only to a variadic function" : "to a function");
	return 0;
}

static int macro_add(struct kb_gen *g, CXCursor c, const char *name)
{
	if (g->nmacros == g->mcap) {
		size_t cap = g->mcap ? g->mcap * 2 : 16;
		struct kb_macro *v = realloc(g->macros, cap * sizeof(*v));
		if (!v)
			return kb_nomem();
		g->macros = v;
		g->mcap = cap;
	}
	struct kb_macro *m = &g->macros[g->nmacros];
	*m = (struct kb_macro){ 0 };
	m->name = kb_strdup(name);
	m->file = kb_strdup(kb_cursor_file(c, &m->line));
	if (!m->name || !m->file) {
		free(m->name);
		free(m->file);
		return -ENOMEM;
	}
	g->nmacros++;
	struct macro_def d = { 0 };
	int rc = def_tokens(g, c, &d);
	if (!rc)
		rc = def_params(&d);
	m->nargs = (unsigned)d.params.n;
	if (!rc && d.va)
		rc = classify_variadic(g, m, &d);
	if (!rc && !m->out && !m->alias && m->nargs &&
	    !(m->ptype = calloc(m->nargs, sizeof(char *))))
		rc = kb_nomem();
	def_free(&d);
	return rc;
}

struct macro_walk {
	struct kb_gen *g;
	struct kb_strv seen;
	int rc;
};

static enum CXChildVisitResult visit_macro(CXCursor c, CXCursor parent, CXClientData data)
{
	struct macro_walk *w = data;
	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_MacroDefinition ||
	    !clang_Cursor_isMacroFunctionLike(c))
		return CXChildVisit_Continue;
	char *name = kb_spelling(c);
	if (!name) {
		w->rc = -ENOMEM;
		return CXChildVisit_Break;
	}
	bool pick = regexec(w->g->fn_re, name, 0, NULL, 0) == 0 && !kb_function_named(w->g, name);
	for (size_t i = 0; pick && i < w->seen.n; i++)
		if (!strcmp(w->seen.v[i], name))
			pick = false; /* #undef + #define again: the first counts */
	if (pick)
		w->rc = kb_strv_add(&w->seen, name);
	if (pick && !w->rc)
		w->rc = macro_add(w->g, c, name);
	free(name);
	return w->rc ? CXChildVisit_Break : CXChildVisit_Continue;
}

/* ---- probing ---- */

static bool needs_probe(const struct kb_macro *m)
{
	return !m->out && !m->alias && !m->ret;
}

static bool all_typed(const struct kb_macro *m)
{
	for (unsigned i = 0; i < m->nargs; i++)
		if (!m->ptype[i])
			return false;
	return true;
}

static void probe_params(struct kb_buf *src, const struct kb_macro *m)
{
	kb_puts(src, "(");
	for (unsigned i = 0; i < m->nargs; i++) {
		if (m->ptype[i])
			kb_printf(src, "%s__typeof__(%s) p%u", i ? ", " : "", m->ptype[i], i);
		else
			kb_printf(src, "%svoid *p%u", i ? ", " : "", i);
	}
	kb_puts(src, m->nargs ? ")" : "void)");
}

/* `NAME(p0, p1)` in a block taking the derived types, `void *` for the
 * others; one line. */
static void probe_fn(struct kb_buf *src, size_t idx, const struct kb_macro *m)
{
	kb_printf(src, "static void (^" PROBE_FN "%zu)", idx);
	probe_params(src, m);
	kb_puts(src, " = ^");
	probe_params(src, m);
	kb_printf(src, " { %s(", m->name);
	for (unsigned i = 0; i < m->nargs; i++)
		kb_printf(src, "%sp%u", i ? ", " : "", i);
	kb_puts(src, "); };\n");
}

/* A derived type as C text for the wrapper: typeof(expr) sugar names the
 * probe's own parameters, so such a type is spelled canonically. */
char *kb_derived_type(CXType t)
{
	char *s = kb_c_type(t);
	if (s && strstr(s, "typeof")) {
		free(s);
		s = kb_c_type(clang_getCanonicalType(t));
	}
	return s;
}

static bool is_void_ptr(CXType t)
{
	CXType c = clang_getCanonicalType(t);
	if (c.kind != CXType_Pointer)
		return false;
	CXType p = clang_getPointeeType(c);
	return p.kind == CXType_Void && !clang_isConstQualifiedType(p) &&
	       !clang_isVolatileQualifiedType(p);
}

struct probe_walk {
	struct kb_macro *m;
	char **found; /* per argument, this round */
	CXCursor stack[MAX_DEPTH];
	unsigned depth;
};

/* The argument a DeclRefExpr names: its index, or -1. */
static int arg_index(const struct kb_macro *m, CXCursor ref)
{
	CXCursor d = clang_getCursorReferenced(ref);
	if (clang_getCursorKind(d) != CXCursor_ParmDecl)
		return -1;
	CXString s = clang_getCursorSpelling(d);
	unsigned i;
	char end;
	int n = sscanf(clang_getCString(s), "p%u%c", &i, &end);
	clang_disposeString(s);
	return n == 1 && i < m->nargs ? (int)i : -1;
}

/* ARG, directly below CALL: the type of the callee's parameter it is
 * passed to, when that is a `void *` (no conversion to see), else invalid. */
static CXType void_ptr_param(CXCursor call, CXCursor arg)
{
	CXType none = { .kind = CXType_Invalid };
	CXCursor callee = clang_getCursorReferenced(call);
	int n = clang_Cursor_getNumArguments(call);
	if (clang_getCursorKind(callee) != CXCursor_FunctionDecl)
		return none;
	CXType fn = clang_getCursorType(callee);
	for (int i = 0; i < n && i < clang_getNumArgTypes(fn); i++) {
		CXType p = clang_getArgType(fn, (unsigned)i);
		CXCursor a = clang_Cursor_getArgument(call, (unsigned)i);
		if (clang_equalRanges(clang_getCursorExtent(a), clang_getCursorExtent(arg)))
			return is_void_ptr(p) ? p : none;
	}
	return none;
}

/* The type an untyped argument's use converts it to: the first implicit
 * conversion above it, past parentheses and its own `void *` reads, or a
 * `void *` parameter of a function it is passed to unconverted.  A use in
 * any other context (an explicit cast, a member access, arithmetic) says
 * nothing. */
static void note_use(struct probe_walk *w, CXCursor ref)
{
	int i = arg_index(w->m, ref);
	if (i < 0 || w->m->ptype[i] || w->found[i])
		return;
	for (unsigned d = w->depth; d-- > 0;) {
		CXCursor e = w->stack[d];
		enum CXCursorKind k = clang_getCursorKind(e);
		CXType t = clang_getCursorType(e);
		if (k == CXCursor_ParenExpr || (k == CXCursor_UnexposedExpr && is_void_ptr(t)))
			continue;
		if (k == CXCursor_CallExpr)
			t = void_ptr_param(e, d + 1 < w->depth ? w->stack[d + 1] : ref);
		else if (k != CXCursor_UnexposedExpr)
			return;
		if (t.kind != CXType_Invalid && t.kind != CXType_Dependent &&
		    clang_getCanonicalType(t).kind != CXType_Void)
			w->found[i] = kb_derived_type(t);
		return;
	}
}

static enum CXChildVisitResult walk_uses(CXCursor c, CXCursor parent, CXClientData data)
{
	struct probe_walk *w = data;
	(void)parent;
	if (clang_getCursorKind(c) == CXCursor_DeclRefExpr)
		note_use(w, c);
	if (w->depth < MAX_DEPTH) {
		w->stack[w->depth++] = c;
		clang_visitChildren(c, walk_uses, w);
		w->depth--;
	}
	return CXChildVisit_Continue;
}

struct body {
	CXCursor first;
	unsigned n;
};

static enum CXChildVisitResult body_stmt(CXCursor c, CXCursor parent, CXClientData data)
{
	struct body *b = data;
	(void)parent;
	if (!b->n++)
		b->first = c;
	return CXChildVisit_Continue;
}

/* The result: one expression gives its type; statements give void.  Taken
 * from the round that typed the last argument (FINAL false: the others
 * were still `void *` there), check.c compares it with the type clang
 * gives the call in the compiled wrapper and corrects it; one clang
 * cannot type there is probed again with every argument typed (FINAL). */
static void probe_result(struct kb_macro *m, CXCursor compound, bool final)
{
	struct body b = { .n = 0 };
	clang_visitChildren(compound, body_stmt, &b);
	if (b.n != 1 || !clang_isExpression(clang_getCursorKind(b.first))) {
		m->stmt = true;
		m->ret = kb_strdup("void");
		return;
	}
	CXType t = clang_getCursorType(b.first);
	enum CXTypeKind k = clang_getCanonicalType(t).kind;
	if (k == CXType_Void)
		m->ret = kb_strdup("void");
	else if (t.kind != CXType_Invalid && t.kind != CXType_Dependent && k != CXType_Unexposed)
		m->ret = kb_derived_type(t);
	else if (final)
		left_out(m, "clang cannot type what it expands to%s", "");
}

/* The block's body: the first compound statement below the probe. */
static enum CXChildVisitResult first_compound(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_CompoundStmt)
		return CXChildVisit_Recurse;
	*(CXCursor *)data = c;
	return CXChildVisit_Break;
}

/* One probe: new argument types, or the result when every
 * argument had a type going in. */
static void probe_one(struct kb_macro *m, CXCursor fn)
{
	CXCursor body = clang_getNullCursor();
	clang_visitChildren(fn, first_compound, &body);
	if (clang_Cursor_isNull(body))
		return;
	if (all_typed(m)) {
		probe_result(m, body, true);
		return;
	}
	struct probe_walk *w = calloc(1, sizeof(*w));
	char **found = calloc(m->nargs, sizeof(char *));
	if (!w || !found) {
		kb_nomem();
		free(w);
		free(found);
		return;
	}
	w->m = m;
	w->found = found;
	clang_visitChildren(body, walk_uses, w);
	bool any = false;
	for (unsigned i = 0; i < m->nargs; i++) {
		if (found[i]) {
			m->ptype[i] = found[i];
			any = true;
		}
	}
	if (any && all_typed(m))
		probe_result(m, body, false);
	for (unsigned i = 0; i < m->nargs && !any; i++)
		if (!m->ptype[i]) {
			char arg[32];
			snprintf(arg, sizeof(arg), "%u", i + 1);
			left_out(m,
				 "no use in its expansion gives argument %s a type (a name, a "
				 "member or a type, or a value used only as void *)",
				 arg);
			break;
		}
	free(found);
	free(w);
}

static enum CXChildVisitResult visit_probe(CXCursor c, CXCursor parent, CXClientData data)
{
	struct kb_gen *g = data;
	size_t idx;
	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_VarDecl)
		return CXChildVisit_Continue;
	CXString s = clang_getCursorSpelling(c);
	int n = sscanf(clang_getCString(s), PROBE_FN "%zu", &idx);
	clang_disposeString(s);
	if (n == 1 && idx < g->nmacros && needs_probe(&g->macros[idx])) {
		g->macros[idx].probed = true;
		probe_one(&g->macros[idx], c);
	}
	return CXChildVisit_Continue;
}

/* One round: every macro still probing, after PREFIX (helpers.c's first
 * lines, so the check reuses what clang read of the headers). */
static int probe_round(struct kb_gen *g, const char *prefix)
{
	struct kb_buf src = { 0 };
	kb_puts(&src, prefix);
	for (size_t i = 0; i < g->nmacros; i++)
		if (needs_probe(&g->macros[i]))
			probe_fn(&src, i, &g->macros[i]);
	int rc = kb_aux_parse(g, &src, "the macro probes");
	kb_free(&src);
	if (rc)
		return rc;
	for (size_t i = 0; i < g->nmacros; i++)
		g->macros[i].probed = false;
	clang_visitChildren(clang_getTranslationUnitCursor(g->aux_tu), visit_probe, g);
	for (size_t i = 0; i < g->nmacros; i++)
		if (needs_probe(&g->macros[i]) && !g->macros[i].probed)
			left_out(&g->macros[i], "clang could not parse a call of it%s", "");
	return kb_nomem_count() ? -ENOMEM : 0;
}

/* Rounds until every macro has its signature or is left out: each round
 * types at least one more argument of a macro, or finishes or drops it. */
static int probe_macros(struct kb_gen *g, const char *prefix)
{
	for (;;) {
		size_t n = 0;
		for (size_t i = 0; i < g->nmacros; i++)
			n += needs_probe(&g->macros[i]);
		if (!n)
			return 0;
		int rc = probe_round(g, prefix);
		if (rc)
			return rc;
	}
}

/* TYPE as written before a name: through __typeof__ only where a
 * declarator would need surgery (function pointers, arrays); a plain
 * spelling keeps typedef names (size_t, gfp_t) for Rust's declaration. */
void kb_c_type_text(struct kb_buf *o, const char *type)
{
	if (strpbrk(type, "(["))
		kb_printf(o, "__typeof__(%s)", type);
	else
		kb_puts(o, type);
}

/* The wrapper's text from the derived types (again when check.c corrects
 * the result type). */
void kb_macro_wrapper_text(struct kb_wrapper *w)
{
	const struct kb_macro *m = w->macro;
	kb_free(&w->ret);
	kb_free(&w->params);
	kb_free(&w->call);
	kb_c_type_text(&w->ret, m->ret);
	for (unsigned i = 0; i < m->nargs; i++) {
		kb_puts(&w->params, i ? ", " : "");
		kb_c_type_text(&w->params, m->ptype[i]);
		kb_printf(&w->params, " p%u", i);
	}
	kb_puts(&w->params, m->nargs ? "" : "void");
	kb_wrapper_call(w, !strcmp(m->ret, "void"), m->name, m->nargs);
}

int kb_macro_wrapper(struct kb_gen *g, struct kb_macro *m)
{
	struct kb_wrapper *w = kb_wrapper_add(g, m->name);
	if (!w)
		return -ENOMEM;
	w->macro = m;
	kb_macro_wrapper_text(w);
	return 0;
}

/* A macro that is a variadic function under another name: Rust links to
 * the function, with its signature. */
static int alias_decl(struct kb_gen *g, struct kb_macro *m)
{
	struct kb_item *f = kb_function_named(g, m->alias);
	struct kb_buf sig = { 0 };
	char id[300];
	int rc = kb_fn_signature(g, clang_getCursorType(f->cur), &f->cur, &sig);
	if (rc == -ENOTSUP)
		left_out(m, "%s has a parameter type Rust cannot express", m->alias);
	else if (!rc)
		kb_printf(&g->macro_fns,
			  "// %s is a macro (%s:%u) forwarding every argument to %s\n"
			  "extern \"C\" {\n    #[link_name = \"%s\"]\n    pub fn %s%s;\n}\n",
			  m->name, m->file, m->line, m->alias, m->alias,
			  kb_rust_ident(m->name, id, sizeof(id)), kb_str(&sig));
	kb_free(&sig);
	return rc == -ENOTSUP ? 0 : rc;
}

int kb_macro_functions(struct kb_gen *g, const char *prefix)
{
	if (!g->fn_re)
		return 0;
	struct macro_walk w = { g, { 0 }, 0 };
	clang_visitChildren(clang_getTranslationUnitCursor(g->tu), visit_macro, &w);
	kb_strv_free(&w.seen);
	int rc = w.rc ? w.rc : probe_macros(g, prefix);
	for (size_t i = 0; !rc && i < g->nmacros; i++) {
		struct kb_macro *m = &g->macros[i];
		if (m->alias && !m->out)
			rc = alias_decl(g, m);
		else if (!m->out)
			rc = kb_macro_wrapper(g, m);
	}
	return rc;
}

void kb_macros_free(struct kb_gen *g)
{
	for (size_t i = 0; i < g->nmacros; i++) {
		struct kb_macro *m = &g->macros[i];
		for (unsigned a = 0; m->ptype && a < m->nargs; a++)
			free(m->ptype[a]);
		free(m->ptype);
		free(m->name);
		free(m->file);
		free(m->ret);
		free(m->alias);
	}
	free(g->macros);
}
