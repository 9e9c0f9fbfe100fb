/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kelfix --audit: what the kernel would refuse in an input, or what would
 * crash it, found on relink's object model (object.h) and the decoder
 * (decode.h).  Each input file (archive, object, .ko, .ko.xz) is one
 * module-to-be: whole-module checks (license, undefined symbols) look at
 * all of its members together.  Inputs are independent.
 *
 *   struct kx_audit a;
 *   kx_audit_init(&a, &opt);
 *   kx_audit_path(&a, "foo.ko");  ... for each input
 *   kx_audit_print_json(&a, stdout);
 *   exit(kx_audit_errors(&a) ? 1 : 0);
 *   kx_audit_free(&a);
 */
#ifndef KELFIX_AUDIT_H
#define KELFIX_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel.h"
#include "object.h"

enum kx_check {
#define KX_CHECK(e, id, sev, what) KX_CHK_##e,
#include "checks.def"
#undef KX_CHECK
	KX_NCHECKS
};

enum kx_severity { KX_SEV_NOTE, KX_SEV_WARNING, KX_SEV_ERROR, KX_NSEV };

struct kx_check_info {
	const char *id;
	enum kx_severity severity; /* the default */
	const char *what;
};

const struct kx_check_info *kx_check_info(enum kx_check c);
/* The check named id, or -1. */
int kx_check_by_id(const char *id);
const char *kx_severity_name(enum kx_severity s);

struct kx_finding {
	enum kx_check check;
	enum kx_severity severity;
	bool allowed;	   /* an error accepted by --allow (counted as a warning) */
	const char *input; /* the audit's copy of the path */
	char *member;	   /* archive member, or NULL */
	char *section;
	uint32_t section_index; /* in its object (link mode's origins) */
	uint64_t offset;
	char *symbol;	 /* function or symbol concerned, or NULL */
	char *demangled; /* symbol for people, or NULL if not mangled */
	char *message;
};

struct kx_audit_opts {
	const struct kx_kernel *kernel; /* NULL without --kernel */
	uint32_t allow;			/* 1 << enum kx_check accepted by --allow */
	/* Only these checks run (0: all); link mode runs the error class. */
	uint32_t only;
	/* Other objects of the same module (its C parts, kelfix --module-object):
	 * their global definitions are not undefined symbols; nothing else of
	 * them is audited. */
	struct kx_object *const *parts;
	size_t nparts;
	/* The code checks run on up to `threads` threads (0: one per CPU, at
	 * most KX_CODE_THREADS), each given at least `code_split` bytes of
	 * code (0: KX_CODE_SPLIT).  The findings do not depend on either; the
	 * tests set them to show it. */
	unsigned threads;
	size_t code_split;
};

#define KX_CODE_THREADS 4
#define KX_CODE_SPLIT (16u << 10) /* below it, a thread costs more than it saves */

struct kx_decoder;

struct kx_audit {
	struct kx_audit_opts opt;
	char **inputs;
	size_t ninputs;
	struct kx_finding *findings;
	size_t nfindings, capfindings;
	size_t count[KX_NSEV];
	size_t allowed; /* errors accepted by --allow */
	struct kx_decoder *dec;
};

int kx_audit_init(struct kx_audit *a, const struct kx_audit_opts *opt);
void kx_audit_free(struct kx_audit *a);

/* Audit one input file.  Returns 0 (findings recorded), -ENOEXEC (the
 * file is not an input kelfix reads; reported), -EIO or -ENOMEM. */
int kx_audit_path(struct kx_audit *a, const char *path);
/* Audit objects already loaded (one input: the members of one file). */
int kx_audit_objects(struct kx_audit *a, const char *input, struct kx_object **objs, size_t nobjs);

static inline size_t kx_audit_errors(const struct kx_audit *a)
{
	return a->count[KX_SEV_ERROR];
}

/* Findings grouped by check, one line each, and a summary. */
void kx_audit_print_text(const struct kx_audit *a, FILE *f);
/* The JSON document of issue 5 (one line per finding). */
void kx_audit_print_json(const struct kx_audit *a, FILE *f);

/* Link mode (link_audit.c): the error-class checks on a link's output, as
 * relink's kx_options.verify callback with a struct kx_link_audit as ctx.
 * Returns 0, -EINVAL (findings, reported) or another negative errno. */
struct kx_link_audit {
	const struct kx_kernel *kernel; /* NULL without --kernel */
	uint32_t allow;			/* 1 << enum kx_check accepted by --allow */
	bool no_license;		/* --no-license: no license= required */
	struct kx_object *const *parts; /* --module-object (kx_audit_opts.parts) */
	size_t nparts;
	/* Where a place of the output (section header index, offset) came
	 * from: the input object, section and offset the link laid out there
	 * (relink's kx_link_origin).  Findings are reported at that place,
	 * so a user can find them; without one, at the output's. */
	bool (*origin)(void *ctx, uint32_t out_index, uint64_t out_off,
		       const struct kx_object **obj, const struct kx_section **sec, uint64_t *off);
	void *origin_ctx;
};
int kx_audit_link_output(void *ctx, int fd, const char *name);
/* --allow is loud: one warning per accepted check. */
void kx_audit_report_allowed(const struct kx_audit *a);

/* Read a whole .xz file into memory (xz.c).  Returns 0, -EIO or -ENOEXEC
 * (reported). *image is malloc'd and the caller's. */
int kx_xz_read(const char *path, unsigned char **image, size_t *size);

#endif
