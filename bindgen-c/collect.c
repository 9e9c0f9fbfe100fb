// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every declaration of the translation unit, keyed by clang's USR (so a
 * forward declaration and its definition are one item), numbered in the
 * order the translation unit declares them.  That number orders the output:
 * the same headers and flags give the same text.  Allowlists pick the
 * roots; emitting an item marks what it names (kb_need), and emit.c loops
 * until nothing new is needed: the transitive closure, nothing else.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"
#include "diag.h"

char *kb_spelling(CXCursor c)
{
	CXString s = clang_getCursorSpelling(c);
	char *r = kb_strdup(clang_getCString(s) ? clang_getCString(s) : "");
	clang_disposeString(s);
	return r;
}

/* Unnamed struct/union/enum (clang 14 spells them "" ; newer clang says
 * "(unnamed ...)" or "(anonymous ...)"). */
bool kb_is_anon(CXCursor c)
{
	char *s = kb_spelling(c);
	if (!s)
		return false; /* out of memory: the run fails (kb_nomem) */
	bool anon = !*s || strchr(s, '(') || strchr(s, ' ');
	free(s);
	return anon;
}

static unsigned hash_str(const char *s)
{
	unsigned h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % KB_HASH;
}

/* clang 14 gives sibling anonymous records one USR (c:@S@outer@Ua), so
 * an anonymous tag is told apart by where it is declared.  "" for a
 * declaration without one; NULL only when out of memory. */
static char *usr_of(CXCursor c)
{
	c = clang_getCanonicalCursor(c);
	CXString s = clang_getCursorUSR(c);
	struct kb_buf b = { 0 };
	kb_puts(&b, clang_getCString(s) ? clang_getCString(s) : "");
	clang_disposeString(s);
	enum CXCursorKind k = clang_getCursorKind(c);
	if (b.len &&
	    (k == CXCursor_StructDecl || k == CXCursor_UnionDecl || k == CXCursor_EnumDecl) &&
	    kb_is_anon(c)) {
		unsigned line;
		const char *file = kb_cursor_file(c, &line);
		unsigned off;
		clang_getExpansionLocation(clang_getCursorLocation(c), NULL, NULL, NULL, &off);
		kb_printf(&b, "@%s:%u", file, off);
	}
	if (!b.s)
		return kb_strdup("");
	return b.s;
}

static struct kb_item *find_usr(struct kb_gen *g, const char *usr)
{
	for (struct kb_item *it = g->hash[hash_str(usr)]; it; it = it->hnext)
		if (!strcmp(it->usr, usr))
			return it;
	return NULL;
}

static enum kb_kind kind_of(enum CXCursorKind k)
{
	switch (k) {
	case CXCursor_StructDecl:
	case CXCursor_UnionDecl:
		return KB_RECORD;
	case CXCursor_EnumDecl:
		return KB_ENUM;
	case CXCursor_TypedefDecl:
		return KB_TYPEDEF;
	case CXCursor_FunctionDecl:
		return KB_FUNC;
	default:
		return KB_VAR;
	}
}

static int add_item(struct kb_gen *g, struct kb_item *it)
{
	if (g->nitems == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 1024;
		struct kb_item **v = realloc(g->items, cap * sizeof(*v));
		if (!v)
			return kb_nomem();
		g->items = v;
		g->cap = cap;
	}
	g->items[g->nitems++] = it;
	unsigned h = hash_str(it->usr);
	it->hnext = g->hash[h];
	g->hash[h] = it;
	return 0;
}

static struct kb_item *new_item(struct kb_gen *g, CXCursor decl, CXCursor def, char *usr)
{
	struct kb_item *it = calloc(1, sizeof(*it));
	if (!it) {
		kb_nomem();
		return NULL;
	}
	it->usr = usr;
	it->kind = kind_of(clang_getCursorKind(decl));
	it->cur = clang_Cursor_isNull(def) ? decl : def;
	it->order = g->order++;
	if (it->kind == KB_FUNC || it->kind == KB_VAR || it->kind == KB_TYPEDEF ||
	    !kb_is_anon(decl)) {
		it->name = kb_spelling(decl);
		if (!it->name) {
			free(it);
			return NULL;
		}
	}
	return it;
}

/* The item for DECL, made on first sight.  The definition wins as the
 * item's cursor; the first sight fixes the order.  *out is NULL for a
 * declaration without a USR. */
static int kb_register(struct kb_gen *g, CXCursor decl, struct kb_item **out)
{
	char *usr = usr_of(decl);
	*out = NULL;
	if (!usr)
		return -ENOMEM;
	if (!*usr) {
		free(usr);
		return 0;
	}
	struct kb_item *it = find_usr(g, usr);
	CXCursor def = clang_getCursorDefinition(decl);
	if (it) {
		free(usr);
		if (!clang_Cursor_isNull(def))
			it->cur = def;
		*out = it;
		return 0;
	}
	it = new_item(g, decl, def, usr);
	if (!it) {
		free(usr);
		return -ENOMEM;
	}
	if (add_item(g, it)) {
		free(it->name);
		free(it);
		free(usr);
		return -ENOMEM;
	}
	*out = it;
	return 0;
}

int kb_lookup(struct kb_gen *g, CXCursor decl, struct kb_item **it)
{
	char *usr = usr_of(decl);
	*it = NULL;
	if (!usr)
		return -ENOMEM;
	*it = find_usr(g, usr);
	free(usr);
	return 0;
}

int kb_need(struct kb_gen *g, CXCursor decl, struct kb_item **out)
{
	int rc = kb_lookup(g, decl, out);
	if (!rc && !*out)
		rc = kb_register(g, decl, out);
	if (*out)
		(*out)->needed = true;
	return rc;
}

/* typedef struct { ... } name;  -> the record is called name. */
static void name_anon_by_typedef(struct kb_gen *g, CXCursor td)
{
	CXType u = clang_getTypedefDeclUnderlyingType(td);
	if (u.kind == CXType_Elaborated)
		u = clang_Type_getNamedType(u);
	if (u.kind != CXType_Record && u.kind != CXType_Enum)
		return;
	CXCursor d = clang_getTypeDeclaration(u);
	struct kb_item *it;
	if (!kb_register(g, d, &it) && it && !it->name)
		it->name = kb_spelling(td);
}

static enum CXChildVisitResult visit(CXCursor c, CXCursor parent, CXClientData data)
{
	struct kb_gen *g = data;
	struct kb_item *it;
	(void)parent;
	if (kb_nomem_count())
		return CXChildVisit_Break;
	switch (clang_getCursorKind(c)) {
	case CXCursor_StructDecl:
	case CXCursor_UnionDecl:
		kb_register(g, c, &it);
		return CXChildVisit_Recurse; /* nested named records are file scope in C */
	case CXCursor_EnumDecl:
	case CXCursor_FunctionDecl:
		kb_register(g, c, &it);
		break;
	case CXCursor_VarDecl:
		if (clang_getCursorKind(clang_getCursorSemanticParent(c)) ==
		    CXCursor_TranslationUnit)
			kb_register(g, c, &it);
		break;
	case CXCursor_TypedefDecl:
		kb_register(g, c, &it);
		name_anon_by_typedef(g, c);
		break;
	default:
		break;
	}
	return CXChildVisit_Continue;
}

int kb_collect(struct kb_gen *g)
{
	clang_visitChildren(clang_getTranslationUnitCursor(g->tu), visit, g);
	return kb_nomem_count() ? -ENOMEM : 0;
}

static bool matches(regex_t *re, const char *name)
{
	return re && name && regexec(re, name, 0, NULL, 0) == 0;
}

/* Only declarations from the headers, not the --constant probes. */
static bool from_probe(const char *name)
{
	return !strncmp(name, "__kelfix_const_", 15);
}

int kb_select_roots(struct kb_gen *g)
{
	size_t n = g->nitems;
	for (size_t i = 0; i < n; i++) {
		struct kb_item *it = g->items[i];
		if (!it->name || from_probe(it->name))
			continue;
		regex_t *re = it->kind == KB_FUNC ? g->fn_re :
			      it->kind == KB_VAR  ? g->var_re :
						    g->type_re;
		if (matches(re, it->name))
			it->needed = true;
	}
	return 0;
}
