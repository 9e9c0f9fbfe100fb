/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kelfix-bindgen: Rust bindings from a kernel's own headers, on libclang.
 *
 * The passes, in the order kx_bindgen_run() calls them:
 *   parse    headers + kbuild's flags -> one libclang translation unit
 *   collect  every declaration, keyed by USR, in declaration order
 *   select   allowlist roots; emitting an item pulls in what it names
 *   macros   allowlisted function-like macros, typed by probing (macros.c)
 *   emit     records, enums, typedefs, functions, statics, constants;
 *            C wrappers for static inline functions (wrappers.c)
 *   check    every wrapper compiled with the kernel's flags; one that
 *            does not compile is left out (check.c); nothing is written
 *            by the library, the caller writes both outputs or neither
 * The library owns every buffer it keeps; gen_free() (bindgen.c) is the
 * one teardown.  Nothing here exits: errors are reported where they happen
 * (lib/diag.h) and returned as a negative errno.
 */
#ifndef KELFIX_BINDGEN_H
#define KELFIX_BINDGEN_H

#include <clang-c/Index.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Allocation failure: every allocating call returns -ENOMEM (or NULL from
 * a function whose NULL means nothing else) after kb_nomem() reported and
 * counted it; kx_bindgen_run() fails when kb_nomem_count() is not zero.
 */
int kb_nomem(void);
unsigned kb_nomem_count(void);
void kb_nomem_reset(void);
char *kb_strdup(const char *s); /* NULL only when out of memory */

/* A growing text buffer; always NUL-terminated once anything is added. */
struct kb_buf {
	char *s;
	size_t len, cap;
};
int kb_puts(struct kb_buf *b, const char *s);
int kb_printf(struct kb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kb_free(struct kb_buf *b);
const char *kb_str(const struct kb_buf *b);

struct kb_strv {
	char **v;
	size_t n, cap;
};
int kb_strv_add(struct kb_strv *sv, const char *s);
bool kb_strv_has(const struct kb_strv *sv, const char *s);
void kb_strv_free(struct kb_strv *sv);

struct kb_options {
	const char *kdir;	   /* NULL: no kernel, plain flags only */
	const char *kbuild_tool;   /* kelfix-kbuild to run; NULL: find it */
	const char *cflags_file;   /* flags, one a line, instead of running it */
	struct kb_strv clang_args; /* extra flags (--clang-arg) */
	struct kb_strv headers;
	struct kb_strv fn_re, type_re, var_re; /* allowlists (POSIX ERE, whole name) */
	struct kb_strv constants;
	const char *release;	   /* for the header line; NULL: from kdir */
	const char *ctypes_prefix; /* module of c_int & co; NULL: core::ffi */
};

enum kb_kind { KB_RECORD, KB_ENUM, KB_TYPEDEF, KB_FUNC, KB_VAR };

struct kb_item {
	enum kb_kind kind;
	char *usr;
	char *name;	/* Rust name; NULL until known for anonymous ones */
	CXCursor cur;	/* the definition when there is one */
	unsigned order; /* declaration order in the translation unit */
	bool needed, done;
	bool opaque;	     /* record emitted as a size/align blob */
	bool has_repr_align; /* record's Rust type carries #[repr(align)] */
	bool wrapper;	     /* function reached through kelfix_<name> */
	unsigned anon_count; /* anonymous members named so far */
	char *anon_doc;	     /* anonymous type: where C declares it (records.c) */
	struct kb_buf text;  /* its Rust text */
	struct kb_item *hnext;
};

#define KB_HASH 8192

/*
 * A function-like macro bound as a function (macros.c).  Its signature
 * comes from its own expansion, typed by clang: nargs placeholders, each
 * parameter type the type its first use converts it to, the result the
 * type of what it expands to ("void" for a statement).
 */
struct kb_macro {
	char *name;
	char *file; /* where it is defined, for messages */
	unsigned line;
	unsigned nargs; /* arguments a call passes */
	char **ptype;	/* C type of each argument; NULL until derived */
	char *ret;	/* result type; NULL until derived */
	char *alias;	/* variadic function it forwards every argument to */
	bool out;	/* left out (a warning said why) */
	bool probed;	/* seen in this probe round */
	bool stmt;	/* expands to statements: void for certain */
};

/* One C wrapper of helpers.c (kelfix_<name>), for a static inline
 * function (item) or a macro. */
struct kb_wrapper {
	char *name;
	struct kb_buf ret;	/* C text: the result type */
	struct kb_buf params;	/* C text: the parameter list ("void": none) */
	struct kb_buf call;	/* C text: the body's one statement */
	struct kb_item *item;	/* static inline function, or NULL */
	struct kb_macro *macro; /* macro, or NULL */
	unsigned first, last;	/* its lines in the checked file */
	bool dropped;
};

struct kb_gen {
	const struct kb_options *opt;
	CXIndex index;
	CXTranslationUnit tu;
	char *release;
	struct kb_item *hash[KB_HASH];
	struct kb_item **items; /* in declaration order */
	size_t nitems, cap;
	unsigned order;
	regex_t *fn_re, *type_re, *var_re;
	struct kb_strv values;	 /* value-namespace names emitted (dedup) */
	struct kb_buf consts;	 /* --constant output */
	struct kb_strv args;	 /* parse flags: kbuild's, then --clang-arg */
	struct kb_macro *macros; /* allowlisted function-like macros */
	size_t nmacros, mcap;
	struct kb_wrapper *wrappers; /* helpers.c, in the order made */
	size_t nwrappers, wcap;
	CXTranslationUnit aux_tu; /* probes, then helpers.c as compiled (check.c) */
	struct kb_buf macro_fns;  /* Rust decls for function macros */
	bool bitfield_helpers;
	unsigned errors;
};

/* parse.c */
int kb_parse(struct kb_gen *g);
const char *kb_cursor_file(CXCursor c, unsigned *line);
void kb_include_line(const char *header, struct kb_buf *src);

/* collect.c */
int kb_collect(struct kb_gen *g);
/* 0 with *it the item (NULL: DECL has no USR, or no item yet for
 * kb_lookup), or -ENOMEM. */
int kb_lookup(struct kb_gen *g, CXCursor decl, struct kb_item **it);
int kb_need(struct kb_gen *g, CXCursor decl, struct kb_item **it);
int kb_select_roots(struct kb_gen *g);
char *kb_spelling(CXCursor c); /* NULL only when out of memory */
bool kb_is_anon(CXCursor c);

/* types.c: Rust text of a C type.  0, or -ENOTSUP when Rust cannot say it. */
enum { KB_TY_PARAM = 1 };
int kb_rust_type(struct kb_gen *g, CXType t, unsigned flags, struct kb_buf *out);
const char *kb_rust_ident(const char *c_name, char *buf, size_t len);
const char *kb_primitive_typedef(const char *name);
int kb_fn_signature(struct kb_gen *g, CXType fn, const CXCursor *decl, struct kb_buf *out);

/* records.c */
void kb_emit_record(struct kb_gen *g, struct kb_item *it);
void kb_emit_anon_doc(struct kb_item *it, struct kb_buf *out);
void kb_emit_bitfield_helpers(struct kb_buf *out);

/* emit.c: the closure (again after the wrappers' check names more), then
 * the text in declaration order. */
void kb_emit_item(struct kb_gen *g, struct kb_item *it);
int kb_emit_closure(struct kb_gen *g);
int kb_emit_text(struct kb_gen *g, struct kb_buf *rs);

/* wrappers.c */
bool kb_fn_is_inline(CXCursor c);
int kb_wrap_function(struct kb_gen *g, struct kb_item *it);
char *kb_c_type(CXType t);
struct kb_wrapper *kb_wrapper_add(struct kb_gen *g, const char *name);
void kb_wrapper_text(const struct kb_wrapper *w, struct kb_buf *out);
void kb_wrapper_call(struct kb_wrapper *w, bool is_void, const char *callee, unsigned nargs);
struct kb_item *kb_function_named(struct kb_gen *g, const char *name);

/* macros.c: allowlisted function-like macros, typed by probing */
int kb_macro_functions(struct kb_gen *g, const char *prefix);
int kb_macro_wrapper(struct kb_gen *g, struct kb_macro *m);
void kb_macro_wrapper_text(struct kb_wrapper *w);
void kb_c_type_text(struct kb_buf *o, const char *type);
char *kb_derived_type(CXType t);
void kb_macros_free(struct kb_gen *g);

/* check.c: every wrapper compiled with the kernel's flags before output;
 * one that does not compile is left out with a warning.  Then the macros'
 * Rust declarations, from the wrappers as compiled; C's text into c. */
#define KB_AUX_MAIN "kelfix_bindgen_helpers.c"
int kb_aux_parse(struct kb_gen *g, const struct kb_buf *src, const char *what);
int kb_check_wrappers(struct kb_gen *g, const char *prefix);
int kb_wrappers_text(struct kb_gen *g, struct kb_buf *c);
void kb_wrappers_free(struct kb_gen *g);

/* consts.c */
void kb_const_source(const struct kb_options *opt, struct kb_buf *src);
int kb_emit_constants(struct kb_gen *g);

/* The whole run: bindings.rs and helpers.c text into rs and c. */
int kx_bindgen_run(const struct kb_options *opt, struct kb_buf *rs, struct kb_buf *c);
void kb_options_free(struct kb_options *opt);

#endif
