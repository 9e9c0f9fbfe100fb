// SPDX-License-Identifier: GPL-2.0-only
/*
 * C type -> Rust type.  Builtins and the kernel's fixed-width typedefs
 * come from tables; records, enums and other typedefs are named and
 * marked needed (so the closure pulls them in).  Function pointers become
 * Option<unsafe extern "C" fn(..)> (NULL is None).  A type Rust cannot say
 * (vectors, long double) returns -ENOTSUP: the caller makes the enclosing
 * record an opaque blob rather than guess a layout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"

/* clang builtin kinds; sizes are x86-64 LP64 (psABI 3.1.2). */
static const struct {
	enum CXTypeKind kind;
	bool ffi; /* named in the C types module: core::ffi or --ctypes-prefix */
	const char *rust;
} builtins[] = {
	{ CXType_Bool, false, "bool" },		 { CXType_Char_S, true, "c_char" },
	{ CXType_Char_U, true, "c_char" }, /* -funsigned-char (6.2+): same size */
	{ CXType_SChar, true, "c_schar" },	 { CXType_UChar, true, "c_uchar" },
	{ CXType_Short, true, "c_short" },	 { CXType_UShort, true, "c_ushort" },
	{ CXType_Int, true, "c_int" },		 { CXType_UInt, true, "c_uint" },
	{ CXType_Long, true, "c_long" },	 { CXType_ULong, true, "c_ulong" },
	{ CXType_LongLong, true, "c_longlong" }, { CXType_ULongLong, true, "c_ulonglong" },
	{ CXType_Int128, false, "i128" }, /* Rust 1.77+: align 16, as C's __int128 */
	{ CXType_UInt128, false, "u128" },	 { CXType_Float, false, "f32" },
	{ CXType_Double, false, "f64" },	 { CXType_Void, true, "c_void" },
};

/* Typedefs that are Rust primitives (include/uapi/asm-generic/int-ll64.h,
 * include/linux/types.h); emitting `pub type u8 = ...` would shadow them. */
static const struct {
	const char *c, *rust;
} prim_typedefs[] = {
	{ "u8", "u8" },
	{ "u16", "u16" },
	{ "u32", "u32" },
	{ "u64", "u64" },
	{ "s8", "i8" },
	{ "s16", "i16" },
	{ "s32", "i32" },
	{ "s64", "i64" },
	{ "__u8", "u8" },
	{ "__u16", "u16" },
	{ "__u32", "u32" },
	{ "__u64", "u64" },
	{ "__s8", "i8" },
	{ "__s16", "i16" },
	{ "__s32", "i32" },
	{ "__s64", "i64" },
	{ "uint8_t", "u8" },
	{ "uint16_t", "u16" },
	{ "uint32_t", "u32" },
	{ "uint64_t", "u64" },
	{ "int8_t", "i8" },
	{ "int16_t", "i16" },
	{ "int32_t", "i32" },
	{ "int64_t", "i64" },
	{ "bool", "bool" },
	{ "size_t", "usize" },
	{ "ssize_t", "isize" },
	{ "uintptr_t", "usize" },
	{ "intptr_t", "isize" },
	{ "__kernel_size_t", "usize" },
	{ "__kernel_ssize_t", "isize" },
};

const char *kb_primitive_typedef(const char *name)
{
	for (size_t i = 0; i < sizeof(prim_typedefs) / sizeof(prim_typedefs[0]); i++)
		if (!strcmp(prim_typedefs[i].c, name))
			return prim_typedefs[i].rust;
	return NULL;
}

static const char *const rust_keywords[] = {
	"abstract", "as",      "async",	 "await", "become", "box",    "break",	  "const",
	"continue", "crate",   "do",	 "dyn",	  "else",   "enum",   "extern",	  "false",
	"final",    "fn",      "for",	 "gen",	  "if",	    "impl",   "in",	  "let",
	"loop",	    "macro",   "match",	 "mod",	  "move",   "mut",    "override", "priv",
	"pub",	    "ref",     "return", "self",  "Self",   "static", "struct",	  "super",
	"trait",    "true",    "try",	 "type",  "typeof", "union",  "unsafe",	  "unsized",
	"use",	    "virtual", "where",	 "while", "yield",
};

/* A C name as a Rust identifier: keywords get a trailing '_'. */
const char *kb_rust_ident(const char *c_name, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(rust_keywords) / sizeof(rust_keywords[0]); i++)
		if (!strcmp(rust_keywords[i], c_name)) {
			snprintf(buf, len, "%s_", c_name);
			return buf;
		}
	snprintf(buf, len, "%s", c_name);
	return buf;
}

static int named_decl(struct kb_gen *g, CXType t, struct kb_buf *out)
{
	CXCursor d = clang_getTypeDeclaration(t);
	struct kb_item *it;
	int rc = kb_need(g, d, &it);
	if (rc)
		return rc;
	if (!it || !it->name)
		return -ENOTSUP; /* anonymous type outside a record: no name to use */
	char id[256];
	kb_puts(out, kb_rust_ident(it->name, id, sizeof(id)));
	return 0;
}

static int typedef_type(struct kb_gen *g, CXType t, unsigned flags, struct kb_buf *out)
{
	CXCursor d = clang_getTypeDeclaration(t);
	char *name = kb_spelling(d);
	if (!name)
		return -ENOMEM;
	const char *prim = kb_primitive_typedef(name);
	CXType canon = clang_getCanonicalType(t);
	int rc;
	if (prim && clang_Type_getSizeOf(canon) > 0) {
		kb_puts(out, prim);
		rc = 0;
	} else if (canon.kind == CXType_FunctionProto || canon.kind == CXType_FunctionNoProto) {
		/* a function typedef: only ever used through a pointer */
		rc = kb_rust_type(g, canon, flags, out);
	} else {
		/* typedef struct {..} foo: the record carries the name */
		CXType u = clang_getTypedefDeclUnderlyingType(d);
		if (u.kind == CXType_Elaborated)
			u = clang_Type_getNamedType(u);
		struct kb_item *rec = NULL;
		rc = 0;
		if (u.kind == CXType_Record || u.kind == CXType_Enum)
			rc = kb_lookup(g, clang_getTypeDeclaration(u), &rec);
		if (!rc && rec && rec->name && !strcmp(rec->name, name))
			rc = named_decl(g, u, out);
		else if (!rc)
			rc = named_decl(g, t, out);
	}
	free(name);
	return rc;
}

int kb_fn_signature(struct kb_gen *g, CXType fn, const CXCursor *decl, struct kb_buf *out)
{
	int n = clang_getNumArgTypes(fn), rc = 0;
	kb_puts(out, "(");
	for (int i = 0; i < n; i++) {
		char *pn = NULL;
		char id[256];
		if (decl && !(pn = kb_spelling(clang_Cursor_getArgument(*decl, (unsigned)i))))
			rc = -ENOMEM;
		if (i)
			kb_puts(out, ", ");
		if (pn && *pn)
			kb_printf(out, "%s: ", kb_rust_ident(pn, id, sizeof(id)));
		else
			kb_printf(out, "arg%d: ", i);
		free(pn);
		rc |= kb_rust_type(g, clang_getArgType(fn, (unsigned)i), KB_TY_PARAM, out);
	}
	if (clang_isFunctionTypeVariadic(fn))
		kb_puts(out, n ? ", ..." : "...");
	kb_puts(out, ")");
	CXType ret = clang_getResultType(fn);
	if (clang_getCanonicalType(ret).kind != CXType_Void) {
		kb_puts(out, " -> ");
		rc |= kb_rust_type(g, ret, 0, out);
	}
	return rc ? -ENOTSUP : 0;
}

static int pointer_type(struct kb_gen *g, CXType t, struct kb_buf *out)
{
	CXType pointee = clang_getPointeeType(t);
	CXType pc = clang_getCanonicalType(pointee);
	if (pc.kind == CXType_FunctionProto || pc.kind == CXType_FunctionNoProto) {
		kb_puts(out, "Option<unsafe extern \"C\" fn");
		int rc = kb_fn_signature(g, pc, NULL, out);
		kb_puts(out, ">");
		return rc;
	}
	kb_puts(out, clang_isConstQualifiedType(pointee) ? "*const " : "*mut ");
	return kb_rust_type(g, pointee, 0, out);
}

int kb_rust_type(struct kb_gen *g, CXType t, unsigned flags, struct kb_buf *out)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (builtins[i].kind == t.kind) {
			if (builtins[i].ffi) {
				kb_puts(out, g->opt->ctypes_prefix ? g->opt->ctypes_prefix :
								     "core::ffi");
				kb_puts(out, "::");
			}
			kb_puts(out, builtins[i].rust);
			return 0;
		}
	switch (t.kind) {
	case CXType_Elaborated:
		return kb_rust_type(g, clang_Type_getNamedType(t), flags, out);
	case CXType_Attributed:
		return kb_rust_type(g, clang_Type_getModifiedType(t), flags, out);
	case CXType_Atomic:
		return kb_rust_type(g, clang_Type_getValueType(t), flags, out);
	case CXType_Typedef:
		return typedef_type(g, t, flags, out);
	case CXType_Record:
	case CXType_Enum:
		return named_decl(g, t, out);
	case CXType_Pointer:
		return pointer_type(g, t, out);
	case CXType_ConstantArray:
		if (flags & KB_TY_PARAM)
			goto decay;
		kb_puts(out, "[");
		if (kb_rust_type(g, clang_getArrayElementType(t), 0, out))
			return -ENOTSUP;
		kb_printf(out, "; %lld]", clang_getArraySize(t));
		return 0;
	case CXType_IncompleteArray:
	case CXType_VariableArray:
		if (flags & KB_TY_PARAM)
			goto decay;
		kb_puts(out, "[");
		if (kb_rust_type(g, clang_getArrayElementType(t), 0, out))
			return -ENOTSUP;
		kb_puts(out, "; 0]"); /* flexible array member */
		return 0;
	case CXType_FunctionProto:
	case CXType_FunctionNoProto:
		/* a function type by value only appears as a (decayed) parameter */
		kb_puts(out, "Option<unsafe extern \"C\" fn");
		int rc = kb_fn_signature(g, t, NULL, out);
		kb_puts(out, ">");
		return rc;
	case CXType_Unexposed:
	default: {
		CXType c = clang_getCanonicalType(t);
		if (c.kind != t.kind && c.kind != CXType_Unexposed)
			return kb_rust_type(g, c, flags, out);
		return -ENOTSUP; /* vectors, long double, ... */
	}
	}
decay:
	kb_puts(out,
		clang_isConstQualifiedType(clang_getArrayElementType(t)) ? "*const " : "*mut ");
	return kb_rust_type(g, clang_getArrayElementType(t), 0, out);
}
