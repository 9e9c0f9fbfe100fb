/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One link: the inputs, the symbol resolution, the live set, the output
 * layout, and the passes that go from one to the next:
 *
 *   load -> resolve -> mark live -> rewrite -> lay out -> write
 *
 * Each pass returns 0 or a negative errno; -EINVAL means "the input has
 * errors, already reported".  The front end (main.c) and the tests call
 * the passes through kx_link_run() or one by one.
 */
#ifndef KELFIX_LINK_H
#define KELFIX_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libiberty/hashtab.h>

#include "object.h"
#include "input.h"
#include "symbols.h"
#include "x86.h"

struct kx_options {
	const char *output;
	const char *dep_file; /* cargo's dep-info, for the .cmd file */
	const char *cmdline;  /* the command recorded in the .cmd file */
	const char **undefs;  /* -u SYM */
	size_t nundefs;
	const char **keep_globs; /* --keep-section GLOB */
	size_t nkeep_globs;
	const char **modinfo; /* -m tag=value */
	size_t nmodinfo;
	const char *why_live; /* --why-live SYM */
	bool no_gc;
	bool keep_sections;
	bool keep_debug;
	bool no_license;
	bool no_cmd; /* do not write the .cmd file */
	bool sync;   /* fsync the outputs before naming them (--sync) */
	bool stats;
	/* Called with the written, still unnamed output (fd open for
	 * reading) before it is published; non-zero refuses the link. */
	int (*verify)(void *ctx, int fd, const char *name);
	void *verify_ctx;
};

enum kx_out_kind {
	KX_OUT_TEXT,
	KX_OUT_RODATA,
	KX_OUT_DATA,
	KX_OUT_BSS,
	KX_OUT_SPECIAL, /* kept under its own name (kernel-read sections) */
	KX_OUT_MODINFO,
	KX_OUT_GOT,
};

struct kx_outsec {
	const char *name;
	enum kx_out_kind kind;
	uint32_t type;
	uint64_t flags;
	uint64_t align;
	uint64_t size;
	struct kx_section **in; /* input sections, in layout order */
	size_t nin, capin;
	unsigned char *bytes; /* built by the writer */
	size_t index;	      /* section header index in the output */
	uint32_t sym_index;   /* its STT_SECTION symbol */
};

struct kx_stats {
	size_t members;
	size_t sections_in;
	size_t sections_out;
	uint64_t live_bytes;
	uint64_t pruned_bytes;
	size_t rewritten[KX_GP_NFORMS];
	size_t got_why[KX_GPW_N]; /* the GOT slot sites, by reason */
	size_t got_slots;
	size_t mcount_sites;
	size_t tail_jumps; /* names bound past a function that only jumps */
};

struct kx_got_slot {
	const void *key;       /* struct kx_global * or local struct kx_symbol * */
	struct kx_object *obj; /* the object of the first reference */
	uint32_t sym;	       /* its symbol index there */
	uint64_t offset;
};

struct kx_link {
	const struct kx_options *opt;
	struct kx_inputs in;
	struct kx_symbols syms; /* the resolution (lib/symbols.h) */

	struct kx_outsec **outs;
	size_t nouts, outs_cap;
	struct kx_outsec *got;
	struct kx_got_slot *slots;
	size_t nslots, slots_cap;
	htab_t slot_index; /* key -> slot */

	char *modinfo; /* merged .modinfo bytes */
	size_t modinfo_size;

	struct kx_stats stats;
};

/* Returns 0 or -ENOMEM (l is then empty: kx_link_free is not needed). */
int kx_link_init(struct kx_link *l, const struct kx_options *opt);
void kx_link_free(struct kx_link *l);

int kx_link_load(struct kx_link *l, const char *const *paths, size_t npaths);
int kx_link_resolve(struct kx_link *l);
int kx_link_mark_live(struct kx_link *l);
/* If g's function only jumps to another defined name, bind g to the end
 * of that chain of jumps (once per name; live marking asks at the first
 * reference).  Returns 0, or the error of reading that code (reported;
 * -ENOMEM is not). */
int kx_link_pass_jumps(struct kx_link *l, struct kx_global *g);
int kx_link_rewrite(struct kx_link *l);
int kx_link_modinfo(struct kx_link *l);
int kx_link_layout(struct kx_link *l);
int kx_link_write(struct kx_link *l, const char *path);
int kx_link_write_fd(struct kx_link *l, int fd);
/* The .cmd file's text for target (the output as named to kbuild). */
int kx_link_write_cmd(struct kx_link *l, const char *target, FILE *f);

/* The passes between load and write, in order (resolve ... layout). */
int kx_link_passes(struct kx_link *l);
/* All of it, writing opt->output (and its .cmd) atomically. */
int kx_link_run(struct kx_link *l, const char *const *paths, size_t npaths);

/* Where the link laid out the output's section out_index (its header
 * index, once written) at out_off: the input object, section and offset
 * there.  false where no input section lies (.modinfo, the GOT, padding).
 * ctx is the struct kx_link (the audit's kx_link_audit.origin). */
bool kx_link_origin(void *ctx, uint32_t out_index, uint64_t out_off, const struct kx_object **obj,
		    const struct kx_section **sec, uint64_t *off);

void kx_link_print_stats(const struct kx_link *l, FILE *f);
int kx_link_why_live(struct kx_link *l, const char *sym, FILE *f);

/* Helpers shared by the passes. */
struct kx_global *kx_global_find(struct kx_link *l, const char *name);
/* The section a relocation's symbol lands in, following resolution;
 * NULL for undefined and absolute symbols. */
struct kx_section *kx_sym_target_sec(const struct kx_symbol *y);
bool kx_name_is_mangled(const char *name);
bool kx_sym_is_interface(const struct kx_symbol *y);

#endif
