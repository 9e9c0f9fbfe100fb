// SPDX-License-Identifier: GPL-2.0-only
/*
 * --constant NAME: an integer constant expression macro (GFP_KERNEL,
 * _IOR(..) ioctl numbers, O_NONBLOCK), evaluated by clang.  The parsed
 * translation unit ends with one probe per name,
 *   static const __typeof__((NAME)) __kelfix_const_NAME = (NAME);
 * clang_Cursor_Evaluate gives its value; its type gives the Rust type
 * (a typedef like gfp_t keeps its name).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"
#include "diag.h"

#define PROBE "__kelfix_const_"

void kb_const_source(const struct kb_options *opt, struct kb_buf *src)
{
	for (size_t i = 0; i < opt->constants.n; i++) {
		const char *n = opt->constants.v[i];
		kb_printf(src, "static const __typeof__((%s)) " PROBE "%s = (%s);\n", n, n, n);
	}
}

static CXCursor find_probe(struct kb_gen *g, const char *name)
{
	char want[512];
	snprintf(want, sizeof(want), PROBE "%s", name);
	for (size_t i = 0; i < g->nitems; i++) {
		struct kb_item *it = g->items[i];
		if (it->kind == KB_VAR && it->name && !strcmp(it->name, want))
			return it->cur;
	}
	return clang_getNullCursor();
}

/* The type of the probe's initializer, (NAME): a typedef like gfp_t keeps
 * its name there, where __typeof__ would show only the builtin. */
static enum CXChildVisitResult first_child(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)parent;
	*(CXCursor *)data = c;
	return CXChildVisit_Break;
}

static CXType const_type(CXCursor var)
{
	CXCursor init = clang_getNullCursor();
	clang_visitChildren(var, first_child, &init);
	if (clang_Cursor_isNull(init) || !clang_isExpression(clang_getCursorKind(init)))
		return clang_getCanonicalType(clang_getCursorType(var));
	CXType t = clang_getCursorType(init);
	if (t.kind == CXType_Typedef || t.kind == CXType_Elaborated)
		return t;
	return clang_getCanonicalType(t);
}

static int emit_one(struct kb_gen *g, const char *name)
{
	CXCursor v = find_probe(g, name);
	if (clang_Cursor_isNull(v)) {
		kx_report_file(KX_ERROR, NULL, "--constant %s: not found in the headers", name);
		return -ENOENT;
	}
	CXEvalResult r = clang_Cursor_Evaluate(v);
	if (!r || clang_EvalResult_getKind(r) != CXEval_Int) {
		kx_report_file(KX_ERROR, NULL, "--constant %s: not an integer constant expression",
			       name);
		if (r)
			clang_EvalResult_dispose(r);
		return -EINVAL;
	}
	CXType t = const_type(v);
	struct kb_buf ty = { 0 };
	if (kb_rust_type(g, t, 0, &ty) < 0) {
		kb_free(&ty);
		kb_rust_type(g, clang_getCanonicalType(t), 0, &ty);
	}
	if (clang_getCanonicalType(t).kind == CXType_Bool)
		kb_printf(&g->consts, "pub const %s: bool = %s;\n", name,
			  clang_EvalResult_getAsLongLong(r) ? "true" : "false");
	else if (clang_EvalResult_isUnsignedInt(r))
		kb_printf(&g->consts, "pub const %s: %s = %llu;\n", name, kb_str(&ty),
			  clang_EvalResult_getAsUnsigned(r));
	else
		kb_printf(&g->consts, "pub const %s: %s = %lld;\n", name, kb_str(&ty),
			  clang_EvalResult_getAsLongLong(r));
	clang_EvalResult_dispose(r);
	kb_free(&ty);
	return 0;
}

int kb_emit_constants(struct kb_gen *g)
{
	int rc = 0;
	for (size_t i = 0; i < g->opt->constants.n; i++) {
		int e = emit_one(g, g->opt->constants.v[i]);
		if (e < 0)
			rc = e;
	}
	return rc;
}
