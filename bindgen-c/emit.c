// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rust text per item, then the whole file in declaration order.  Enums are
 * constified (pub type E = <its integer type>; pub const X: E = v;), which
 * is always layout-correct whatever values the C code stores.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"
#include "diag.h"

/* Value-namespace names (enum constants, --constant) are emitted once. */
static bool value_seen(struct kb_gen *g, const char *name)
{
	for (size_t i = 0; i < g->values.n; i++)
		if (!strcmp(g->values.v[i], name))
			return true;
	kb_strv_add(&g->values, name);
	return false;
}

struct enum_ctx {
	struct kb_gen *g;
	struct kb_item *it;
	const char *type;
	bool is_unsigned;
};

static enum CXChildVisitResult enum_const(CXCursor c, CXCursor parent, CXClientData data)
{
	struct enum_ctx *e = data;
	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_EnumConstantDecl)
		return CXChildVisit_Continue;
	char *n = kb_spelling(c);
	if (!n)
		return CXChildVisit_Break;
	if (!value_seen(e->g, n)) {
		if (e->is_unsigned)
			kb_printf(&e->it->text, "pub const %s: %s = %llu;\n", n, e->type,
				  clang_getEnumConstantDeclUnsignedValue(c));
		else
			kb_printf(&e->it->text, "pub const %s: %s = %lld;\n", n, e->type,
				  clang_getEnumConstantDeclValue(c));
	}
	free(n);
	return CXChildVisit_Continue;
}

static void emit_enum(struct kb_gen *g, struct kb_item *it)
{
	CXType it_type = clang_getEnumDeclIntegerType(it->cur);
	struct kb_buf ty = { 0 };
	char id[300];
	kb_rust_type(g, it_type, 0, &ty);
	kb_rust_ident(it->name, id, sizeof(id));
	kb_emit_anon_doc(it, &it->text);
	kb_printf(&it->text, "pub type %s = %s;\n", id, kb_str(&ty));
	enum CXTypeKind k = clang_getCanonicalType(it_type).kind;
	struct enum_ctx e = { g, it, id,
			      k == CXType_UInt || k == CXType_ULong || k == CXType_ULongLong ||
				      k == CXType_UChar || k == CXType_UShort || k == CXType_Bool };
	clang_visitChildren(it->cur, enum_const, &e);
	kb_free(&ty);
}

static void emit_typedef(struct kb_gen *g, struct kb_item *it)
{
	if (kb_primitive_typedef(it->name))
		return;
	CXType u = clang_getTypedefDeclUnderlyingType(it->cur);
	CXType c = clang_getCanonicalType(u);
	if (c.kind == CXType_FunctionProto || c.kind == CXType_FunctionNoProto)
		return; /* only used through pointers, which name the signature */
	struct kb_buf ty = { 0 };
	char id[300];
	kb_rust_ident(it->name, id, sizeof(id));
	if (kb_rust_type(g, u, 0, &ty) < 0) {
		unsigned line;
		const char *f = kb_cursor_file(it->cur, &line);
		kb_printf(&it->text, "// typedef %s (%s:%u): a type Rust cannot express\n",
			  it->name, f, line);
	} else if (strcmp(kb_str(&ty), id)) {
		kb_printf(&it->text, "pub type %s = %s;\n", id, kb_str(&ty));
	}
	kb_free(&ty);
}

static void emit_function(struct kb_gen *g, struct kb_item *it)
{
	CXType t = clang_getCursorType(it->cur);
	struct kb_buf sig = { 0 };
	char id[300];
	if (kb_fn_signature(g, t, &it->cur, &sig) < 0) {
		unsigned line;
		const char *f = kb_cursor_file(it->cur, &line);
		kx_report_file(KX_WARN, f,
			       "line %u: %s: a parameter type Rust cannot express; left out", line,
			       it->name);
		kb_free(&sig);
		return;
	}
	if (kb_fn_is_inline(it->cur)) {
		if (kb_wrap_function(g, it) < 0) {
			kb_free(&sig);
			return;
		}
	}
	kb_puts(&it->text, "extern \"C\" {\n");
	if (it->wrapper)
		kb_printf(&it->text, "    #[link_name = \"kelfix_%s\"]\n", it->name);
	kb_printf(&it->text, "    pub fn %s%s;\n}\n", kb_rust_ident(it->name, id, sizeof(id)),
		  kb_str(&sig));
	kb_free(&sig);
}

static void emit_var(struct kb_gen *g, struct kb_item *it)
{
	enum CX_StorageClass sc = clang_Cursor_getStorageClass(it->cur);
	if (sc == CX_SC_Static)
		return; /* file-local in every includer: nothing to link to */
	CXType t = clang_getCursorType(it->cur);
	struct kb_buf ty = { 0 };
	char id[300];
	if (kb_rust_type(g, t, 0, &ty) == 0)
		kb_printf(&it->text, "extern \"C\" {\n    pub static %s%s: %s;\n}\n",
			  clang_isConstQualifiedType(t) ? "" : "mut ",
			  kb_rust_ident(it->name, id, sizeof(id)), kb_str(&ty));
	kb_free(&ty);
}

void kb_emit_item(struct kb_gen *g, struct kb_item *it)
{
	if (!it->name)
		return; /* anonymous and reached by nothing that names it */
	switch (it->kind) {
	case KB_RECORD:
		kb_emit_record(g, it);
		break;
	case KB_ENUM:
		emit_enum(g, it);
		break;
	case KB_TYPEDEF:
		emit_typedef(g, it);
		break;
	case KB_FUNC:
		emit_function(g, it);
		break;
	case KB_VAR:
		emit_var(g, it);
		break;
	}
}

static int by_order(const void *a, const void *b)
{
	const struct kb_item *x = *(struct kb_item *const *)a, *y = *(struct kb_item *const *)b;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Emit until nothing new is needed: emitting names more items. */
static void close_over(struct kb_gen *g)
{
	bool again = true;
	while (again) {
		again = false;
		for (size_t i = 0; i < g->nitems; i++) {
			struct kb_item *it = g->items[i];
			if (it->needed && !it->done) {
				it->done = true;
				kb_emit_item(g, it);
				again = true;
			}
		}
	}
}

int kb_emit_closure(struct kb_gen *g)
{
	close_over(g);
	return kb_nomem_count() ? -ENOMEM : 0;
}

int kb_emit_text(struct kb_gen *g, struct kb_buf *rs)
{
	qsort(g->items, g->nitems, sizeof(*g->items), by_order);
	if (g->bitfield_helpers)
		kb_emit_bitfield_helpers(rs);
	for (size_t i = 0; i < g->nitems; i++)
		if (g->items[i]->done)
			kb_puts(rs, kb_str(&g->items[i]->text));
	kb_puts(rs, kb_str(&g->macro_fns));
	kb_puts(rs, kb_str(&g->consts));
	return 0;
}
