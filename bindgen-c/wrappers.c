// SPDX-License-Identifier: GPL-2.0-only
/*
 * Functions Rust cannot link to directly get a C wrapper in helpers.c,
 * compiled by kbuild with the kernel's own compiler and flags:
 *   - static inline functions (kmalloc on 6.1, copy_to_user, schedule_work):
 *     the wrapper takes the function's own prototype;
 *   - function-like macros (macros.c): the wrapper takes the types clang
 *     derives from the macro's own expansion.
 * A wrapper is `kelfix_<name>`; Rust declares `<name>` with
 * #[link_name = "kelfix_<name>"].  Each wrapper is one entry of
 * g->wrappers, so check.c can leave out one that does not compile.
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

/* A new, empty wrapper entry named NAME; NULL only when out of memory. */
struct kb_wrapper *kb_wrapper_add(struct kb_gen *g, const char *name)
{
	if (g->nwrappers == g->wcap) {
		size_t cap = g->wcap ? g->wcap * 2 : 32;
		struct kb_wrapper *v = realloc(g->wrappers, cap * sizeof(*v));
		if (!v) {
			kb_nomem();
			return NULL;
		}
		g->wrappers = v;
		g->wcap = cap;
	}
	struct kb_wrapper *w = &g->wrappers[g->nwrappers];
	*w = (struct kb_wrapper){ .name = kb_strdup(name) };
	if (!w->name)
		return NULL;
	g->nwrappers++;
	return w;
}

/* RET kelfix_NAME(PARAMS);  then the definition, CALL its one statement. */
void kb_wrapper_text(const struct kb_wrapper *w, struct kb_buf *o)
{
	for (int def = 0; def < 2; def++)
		kb_printf(o, "%s kelfix_%s(%s)%s\n", kb_str(&w->ret), w->name, kb_str(&w->params),
			  def ? "" : ";");
	kb_printf(o, "{\n\t%s\n}\n\n", kb_str(&w->call));
}

/* `[return ]CALLEE(p0, ..)` */
void kb_wrapper_call(struct kb_wrapper *w, bool is_void, const char *callee, unsigned nargs)
{
	kb_printf(&w->call, "%s%s(", is_void ? "" : "return ", callee);
	for (unsigned i = 0; i < nargs; i++)
		kb_printf(&w->call, "%sp%u", i ? ", " : "", i);
	kb_puts(&w->call, ");");
}

/* The function's own prototype, every type through __typeof__ so
 * function-pointer parameters need no declarator surgery. */
static int wrapper_def(struct kb_gen *g, struct kb_item *it, CXType fn)
{
	struct kb_wrapper *w = kb_wrapper_add(g, it->name);
	if (!w)
		return -ENOMEM;
	int n = clang_getNumArgTypes(fn);
	bool is_void = clang_getCanonicalType(clang_getResultType(fn)).kind == CXType_Void;
	char *ret = kb_c_type(clang_getResultType(fn));
	w->item = it;
	kb_printf(&w->ret, "__typeof__(%s)", ret ? ret : "");
	free(ret);
	for (int i = 0; i < n; i++) {
		char *a = kb_c_type(clang_getArgType(fn, (unsigned)i));
		kb_printf(&w->params, "%s__typeof__(%s) p%d", i ? ", " : "", a ? a : "", i);
		free(a);
	}
	kb_puts(&w->params, n ? "" : "void");
	kb_wrapper_call(w, is_void, it->name, (unsigned)n);
	return 0;
}

int kb_wrap_function(struct kb_gen *g, struct kb_item *it)
{
	CXType t = clang_getCursorType(it->cur);
	if (clang_isFunctionTypeVariadic(t)) {
		unsigned line;
		const char *f = kb_cursor_file(it->cur, &line);
		kx_report_file(KX_WARN, f,
			       "line %u: %s: static inline and variadic; C cannot forward "
			       "the arguments, left out",
			       line, it->name);
		return -ENOTSUP;
	}
	int rc = wrapper_def(g, it, t);
	if (rc)
		return rc;
	it->wrapper = true;
	return 0;
}

struct kb_item *kb_function_named(struct kb_gen *g, const char *name)
{
	for (size_t i = 0; i < g->nitems; i++)
		if (g->items[i]->kind == KB_FUNC && g->items[i]->name &&
		    !strcmp(g->items[i]->name, name))
			return g->items[i];
	return NULL;
}
