// SPDX-License-Identifier: GPL-2.0-only
/*
 * Structs and unions with clang's layout, exactly.  Field offsets come from
 * clang_Cursor_getOffsetOfField; Rust's repr(C) placement is simulated and
 * explicit padding is inserted wherever the two would differ.  Bit-fields
 * become byte-array storage units with accessor methods.  Alignment above
 * what the fields give comes from a zero-length `[uN; 0]` marker (not
 * #[repr(align)], which a packed record may not contain) or, beyond 16,
 * #[repr(align(N))].  Anything the simulation cannot match (a packed record
 * holding a >16-aligned member, overlapping bit-field bytes, vector types)
 * becomes an opaque blob of the right size and alignment.  Every record
 * gets size, alignment and field-offset assertions that rustc checks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"

struct field {
	char *name; /* C spelling; "" for an anonymous member */
	CXType type;
	long long off; /* bits */
	bool bitfield;
	int width;
};

struct fields {
	struct field *v;
	size_t n, cap;
};

static enum CXVisitorResult add_field(CXCursor c, CXClientData data)
{
	struct fields *fs = data;
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 16;
		struct field *v = realloc(fs->v, cap * sizeof(*v));
		if (!v) {
			kb_nomem(); /* the run fails; the record is left as it is */
			return CXVisit_Break;
		}
		fs->v = v;
		fs->cap = cap;
	}
	struct field *f = &fs->v[fs->n];
	f->name = kb_spelling(c);
	if (!f->name)
		return CXVisit_Break;
	fs->n++;
	f->type = clang_getCursorType(c);
	f->off = clang_Cursor_getOffsetOfField(c);
	f->bitfield = clang_Cursor_isBitField(c);
	f->width = f->bitfield ? clang_getFieldDeclBitWidth(c) : 0;
	return CXVisit_Continue;
}

static void fields_free(struct fields *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->v[i].name);
	free(fs->v);
}

static long long align_up(long long v, long long a)
{
	return a > 1 ? (v + a - 1) / a * a : v;
}

/* Alignment Rust gives the field's type: typedef alignment attributes are
 * gone in Rust (pub type t = c_int), so the canonical type counts. */
static long long rust_align(CXType t)
{
	CXType c = clang_getCanonicalType(t);
	while (c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray)
		c = clang_getCanonicalType(clang_getArrayElementType(c));
	return clang_Type_getAlignOf(c);
}

static long long type_size(CXType t)
{
	long long s = clang_Type_getSizeOf(t);
	return s < 0 ? 0 : s; /* flexible array member */
}

struct anon_pos {
	struct kb_gen *g;
	struct kb_item *want;
	unsigned seen, nth;
};

static enum CXChildVisitResult count_anon_tag(CXCursor c, CXCursor parent, CXClientData data)
{
	struct anon_pos *p = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	(void)parent;
	if (k != CXCursor_StructDecl && k != CXCursor_UnionDecl && k != CXCursor_EnumDecl)
		return CXChildVisit_Continue;
	if (!kb_is_anon(c))
		return CXChildVisit_Continue;
	p->seen++;
	struct kb_item *it;
	if (kb_lookup(p->g, c, &it))
		return CXChildVisit_Break;
	if (it != p->want)
		return CXChildVisit_Continue;
	p->nth = p->seen;
	return CXChildVisit_Break;
}

/* IT's place among the unnamed structs, unions and enums declared directly
 * in PARENT's body: 1-based, in source order, whether or not a member is
 * declared with them.  Named nested tags do not count (C gives them file
 * scope).  0 when IT is not declared there. */
static unsigned anon_ordinal(struct kb_gen *g, struct kb_item *parent, struct kb_item *it)
{
	struct anon_pos p = { .g = g, .want = it };
	clang_visitChildren(parent->cur, count_anon_tag, &p);
	return p.nth;
}

static const char *tag_keyword(CXCursor d)
{
	switch (clang_getCursorKind(d)) {
	case CXCursor_UnionDecl:
		return "union";
	case CXCursor_EnumDecl:
		return "enum";
	default:
		return "struct";
	}
}

/* A doc line saying where C declares the anonymous type IT (cursor D):
 *   /// Anonymous union in `parent`, its anonymous type 2 (member `m`).
 * The parent and member are the Rust names.  The text is stable: tests
 * parse it to pair our readable names with other tools' positional ones. */
static void describe_anon(struct kb_gen *g, struct kb_item *parent, struct kb_item *it, CXCursor d,
			  const char *member)
{
	char pid[300], mid[300];
	struct kb_buf b = { 0 };
	kb_printf(&b, "/// Anonymous %s in `%s`", tag_keyword(d),
		  kb_rust_ident(parent->name, pid, sizeof(pid)));
	unsigned nth = anon_ordinal(g, parent, it);
	if (nth)
		kb_printf(&b, ", its anonymous type %u", nth);
	kb_printf(&b, " (member `%s`).\n", kb_rust_ident(member, mid, sizeof(mid)));
	it->anon_doc = b.s;
}

void kb_emit_anon_doc(struct kb_item *it, struct kb_buf *out)
{
	if (it->anon_doc)
		kb_puts(out, it->anon_doc);
}

/* An anonymous struct/union/enum used by a field gets a name derived from
 * its parent: parent__field, or parent__anon_N for an unnamed member. */
static void name_anon_type(struct kb_gen *g, struct kb_item *parent, struct field *f, char *member,
			   size_t len)
{
	CXType t = clang_getCanonicalType(f->type);
	while (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
		t = clang_getCanonicalType(clang_getArrayElementType(t));
	snprintf(member, len, "%s", f->name);
	if (t.kind != CXType_Record && t.kind != CXType_Enum)
		return;
	CXCursor d = clang_getTypeDeclaration(t);
	struct kb_item *it;
	if (kb_need(g, d, &it))
		return;
	if (!*f->name)
		snprintf(member, len, "__anon_%u", parent->anon_count++);
	if (it && !it->name) {
		char n[512];
		snprintf(n, sizeof(n), "%s__%s", parent->name, member);
		it->name = kb_strdup(n);
		if (it->name)
			describe_anon(g, parent, it, d, member);
	}
}

static const char *align_int(long long a)
{
	switch (a) {
	case 1:
		return "u8";
	case 2:
		return "u16";
	case 4:
		return "u32";
	case 8:
		return "u64";
	case 16:
		return "u128";
	default:
		return NULL;
	}
}

static void emit_asserts(struct kb_buf *o, const char *name, long long size, long long align)
{
	kb_printf(o, "const _: () = assert!(core::mem::size_of::<%s>() == %lld);\n", name, size);
	kb_printf(o, "const _: () = assert!(core::mem::align_of::<%s>() == %lld);\n", name, align);
}

static void emit_opaque(struct kb_item *it, const char *name, long long size, long long align,
			const char *why)
{
	struct kb_buf *o = &it->text;
	it->opaque = true;
	o->len = 0;
	if (o->s)
		o->s[0] = 0;
	kb_emit_anon_doc(it, o);
	kb_printf(o, "/// Opaque: %s.\n", why);
	const char *unit = align_int(align);
	if (unit)
		kb_printf(
			o,
			"#[repr(C)]\n#[derive(Copy, Clone)]\npub struct %s {\n    _opaque: [%s; %lld],\n}\n",
			name, unit, size / align);
	else
		kb_printf(
			o,
			"#[repr(C, align(%lld))]\n#[derive(Copy, Clone)]\npub struct %s {\n    _opaque: [u8; %lld],\n}\n",
			align, name, size);
	emit_asserts(o, name, size, align);
}

/* The layout being built: field text, accessors, assertions. */
struct layout {
	struct kb_buf body, impl, checks;
	long long cur;	     /* bytes placed so far */
	long long pack;	     /* 0: not packed */
	long long max_align; /* of what Rust sees */
	unsigned pads, units;
	const char *why; /* set when Rust cannot match clang */
};

static void layout_free(struct layout *l)
{
	kb_free(&l->body);
	kb_free(&l->impl);
	kb_free(&l->checks);
}

static void place_pad(struct layout *l, long long to)
{
	if (to > l->cur)
		kb_printf(&l->body, "    __kx_pad_%u: [u8; %lld],\n", l->pads++, to - l->cur);
	if (to > l->cur)
		l->cur = to;
}

static bool is_signed(CXType t)
{
	CXType c = clang_getCanonicalType(t);
	if (c.kind == CXType_Enum)
		c = clang_getCanonicalType(
			clang_getEnumDeclIntegerType(clang_getTypeDeclaration(c)));
	switch (c.kind) {
	case CXType_Char_S:
	case CXType_SChar:
	case CXType_Short:
	case CXType_Int:
	case CXType_Long:
	case CXType_LongLong:
	case CXType_Int128:
		return true;
	default:
		return false;
	}
}

static void bitfield_accessors(struct kb_gen *g, struct layout *l, struct field *f, unsigned unit,
			       long long bit)
{
	struct kb_buf ty = { 0 };
	char id[256];
	if (kb_rust_type(g, f->type, 0, &ty) < 0) {
		l->why = "a bit-field of a type Rust cannot name";
		kb_free(&ty);
		return;
	}
	const char *t = kb_str(&ty);
	const char *n = kb_rust_ident(f->name, id, sizeof(id));
	bool b = clang_getCanonicalType(f->type).kind == CXType_Bool;
	int w = f->width;
	kb_printf(&l->impl, "    #[inline]\n    pub const fn %s(&self) -> %s {\n", n, t);
	kb_printf(&l->impl, "        let v = __kelfix_bf_get(&self._bitfield_%u, %lld, %d);\n",
		  unit, bit, w);
	if (b)
		kb_puts(&l->impl, "        v != 0\n    }\n");
	else if (is_signed(f->type))
		kb_printf(&l->impl, "        (((v << %d) as i64) >> %d) as %s\n    }\n", 64 - w,
			  64 - w, t);
	else
		kb_printf(&l->impl, "        v as %s\n    }\n", t);
	kb_printf(&l->impl, "    #[inline]\n    pub fn set_%s(&mut self, v: %s) {\n", f->name, t);
	kb_printf(&l->impl,
		  "        __kelfix_bf_set(&mut self._bitfield_%u, %lld, %d, v as u64);\n    }\n",
		  unit, bit, w);
	g->bitfield_helpers = true;
	kb_free(&ty);
}

/* One run of adjacent bit-fields -> one `[u8; N]` storage unit. */
static size_t place_bitfields(struct kb_gen *g, struct layout *l, struct fields *fs, size_t i,
			      const char *rname)
{
	long long first = -1, end = 0;
	size_t j = i;
	for (; j < fs->n && fs->v[j].bitfield; j++) {
		struct field *f = &fs->v[j];
		if (!f->width)
			continue;
		if (first < 0)
			first = f->off / 8;
		if (f->off + f->width > end)
			end = f->off + f->width;
	}
	if (first < 0)
		return j; /* only zero-width bit-fields */
	if (first < l->cur) {
		l->why = "bit-fields share bytes with the member before them";
		return j;
	}
	place_pad(l, first);
	unsigned unit = ++l->units;
	long long bytes = (end + 7) / 8 - first;
	kb_printf(&l->body, "    pub _bitfield_%u: [u8; %lld],\n", unit, bytes);
	kb_printf(&l->checks,
		  "const _: () = assert!(core::mem::offset_of!(%s, _bitfield_%u) == %lld);\n",
		  rname, unit, first);
	l->cur = first + bytes;
	for (size_t k = i; k < j; k++)
		if (fs->v[k].width && *fs->v[k].name)
			bitfield_accessors(g, l, &fs->v[k], unit, fs->v[k].off - first * 8);
	if (l->max_align < 1)
		l->max_align = 1;
	return j;
}

static void place_field(struct kb_gen *g, struct kb_item *it, struct layout *l, struct field *f,
			bool is_union, const char *rname)
{
	char member[300], id[300];
	name_anon_type(g, it, f, member, sizeof(member));
	struct kb_buf ty = { 0 };
	if (kb_rust_type(g, f->type, 0, &ty) < 0) {
		l->why = "a member of a type Rust cannot name";
		kb_free(&ty);
		return;
	}
	long long fa = rust_align(f->type), off = f->off / 8, size = type_size(f->type);
	long long ea = l->pack && fa > l->pack ? l->pack : fa;
	if (l->pack && fa > 16)
		l->why =
			"packed, with a member aligned beyond 16 (Rust forbids repr(align) in repr(packed))";
	if (ea > l->max_align)
		l->max_align = ea;
	if (!is_union) {
		if (off % ea || off < l->cur) {
			l->why = "a member offset repr(C) cannot reproduce";
		} else if (align_up(l->cur, ea) != off) {
			place_pad(l, off);
		}
		l->cur = off + size;
	} else if (size > l->cur) {
		l->cur = size;
	}
	const char *n = kb_rust_ident(member, id, sizeof(id));
	kb_printf(&l->body, "    pub %s: %s,\n", n, kb_str(&ty));
	if (!is_union)
		kb_printf(&l->checks,
			  "const _: () = assert!(core::mem::offset_of!(%s, %s) == %lld);\n", rname,
			  n, off);
	kb_free(&ty);
}

static void emit_layout(struct kb_item *it, struct layout *l, const char *name, bool is_union,
			long long size, long long align)
{
	struct kb_buf *o = &it->text;
	const char *marker = NULL;
	long long repr_align = 0;
	long long have = l->max_align ? l->max_align : 1;
	if (have < align) {
		marker = align_int(align);
		if (!marker)
			repr_align = align;
	}
	kb_emit_anon_doc(it, o);
	if (l->pack == 1)
		kb_puts(o, "#[repr(C, packed)]\n");
	else if (l->pack)
		kb_printf(o, "#[repr(C, packed(%lld))]\n", l->pack);
	else if (repr_align)
		kb_printf(o, "#[repr(C, align(%lld))]\n", repr_align);
	else
		kb_puts(o, "#[repr(C)]\n");
	it->has_repr_align = repr_align > 0;
	kb_printf(o, "#[derive(Copy, Clone)]\npub %s %s {\n", is_union ? "union" : "struct", name);
	if (marker)
		kb_printf(o, "    _align: [%s; 0],\n", marker);
	kb_puts(o, kb_str(&l->body));
	kb_puts(o, "}\n");
	if (l->impl.len)
		kb_printf(o, "impl %s {\n%s}\n", name, kb_str(&l->impl));
	emit_asserts(o, name, size, align);
	kb_puts(o, kb_str(&l->checks));
}

void kb_emit_record(struct kb_gen *g, struct kb_item *it)
{
	char name[300];
	kb_rust_ident(it->name, name, sizeof(name));
	CXType t = clang_getCursorType(it->cur);
	long long size = clang_Type_getSizeOf(t), align = clang_Type_getAlignOf(t);
	bool is_union = clang_getCursorKind(it->cur) == CXCursor_UnionDecl;
	if (size < 0) { /* declared, never defined here: only behind pointers */
		kb_printf(&it->text,
			  "/// Incomplete in these headers: use through pointers only.\n"
			  "#[repr(C)]\npub struct %s {\n    _unused: [u8; 0],\n}\n",
			  name);
		return;
	}
	struct fields fs = { 0 };
	clang_Type_visitFields(t, add_field, &fs);
	struct layout l = { 0 };
	long long m = 0;
	for (size_t i = 0; i < fs.n; i++)
		if (!fs.v[i].bitfield && rust_align(fs.v[i].type) > m)
			m = rust_align(fs.v[i].type);
	if (m > align)
		l.pack = align;
	for (size_t i = 0; i < fs.n && !l.why;) {
		if (fs.v[i].bitfield) {
			if (is_union) {
				l.why = "a union with bit-fields";
				break;
			}
			i = place_bitfields(g, &l, &fs, i, name);
		} else {
			place_field(g, it, &l, &fs.v[i++], is_union, name);
		}
	}
	if (!l.why) {
		if (l.cur > size)
			l.why = "members larger than the record";
		else if (align_up(l.cur, align) != size && is_union)
			kb_printf(&l.body, "    __kx_pad_%u: [u8; %lld],\n", l.pads++, size);
		else if (align_up(l.cur, align) != size)
			place_pad(&l, size);
	}
	if (l.why)
		emit_opaque(it, name, size, align, l.why);
	else
		emit_layout(it, &l, name, is_union, size, align);
	layout_free(&l);
	fields_free(&fs);
}

void kb_emit_bitfield_helpers(struct kb_buf *out)
{
	kb_puts(out,
		"/// Bit-field storage: bit `bit` of the unit is bit bit%8 of byte bit/8\n"
		"/// (x86-64 psABI: bit-fields are allocated from the least significant bit).\n"
		"#[inline]\n"
		"const fn __kelfix_bf_get(b: &[u8], bit: usize, width: usize) -> u64 {\n"
		"    let mut v = 0u64;\n"
		"    let mut i = 0;\n"
		"    while i < width {\n"
		"        let p = bit + i;\n"
		"        if (b[p / 8] >> (p % 8)) & 1 != 0 {\n"
		"            v |= 1u64 << i;\n"
		"        }\n"
		"        i += 1;\n"
		"    }\n"
		"    v\n"
		"}\n"
		"#[inline]\n"
		"fn __kelfix_bf_set(b: &mut [u8], bit: usize, width: usize, v: u64) {\n"
		"    let mut i = 0;\n"
		"    while i < width {\n"
		"        let p = bit + i;\n"
		"        if (v >> i) & 1 != 0 {\n"
		"            b[p / 8] |= 1 << (p % 8);\n"
		"        } else {\n"
		"            b[p / 8] &= !(1 << (p % 8));\n"
		"        }\n"
		"        i += 1;\n"
		"    }\n"
		"}\n");
}
