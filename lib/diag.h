/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Diagnostics, in modpost's contract: a warning lets the run go on; an
 * error lets it go on too (so one run reports everything) but fails it at
 * the end; a fatal problem is returned as an error code by the caller.
 *
 *   kelfix: error: libfoo.a(core-….o): .text.foo+0x1c (in core::fmt::write+0x8): <what>; <what to do>
 *
 * State is per process but resettable (kx_diag_reset) so tests can run
 * many links in one program.
 */
#ifndef KELFIX_DIAG_H
#define KELFIX_DIAG_H

#include <stdint.h>
#include <stdio.h>

struct kx_object;
struct kx_section;

/* Exit codes of every kelfix tool (DESIGN.md). */
enum kx_exit {
	KX_EXIT_OK = 0,
	KX_EXIT_REJECTED = 1, /* input rejected, or findings */
	KX_EXIT_USAGE = 2,
	KX_EXIT_FAILURE = 3, /* I/O or internal failure */
};

enum kx_level { KX_NOTE, KX_WARN, KX_ERROR };

void kx_diag_reset(FILE *stream, const char *prog);
unsigned kx_diag_errors(void);

/* A message about an input place; obj, sec may be NULL. */
void kx_report(enum kx_level level, const struct kx_object *obj, const struct kx_section *sec,
	       uint64_t off, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A message about a file or about nothing in particular (file NULL). */
void kx_report_file(enum kx_level level, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define kx_err(obj, sec, off, ...) kx_report(KX_ERROR, obj, sec, off, __VA_ARGS__)
#define kx_warn(obj, sec, off, ...) kx_report(KX_WARN, obj, sec, off, __VA_ARGS__)

/* An object's name in a printf format: "path(member)" or "path", whole
 * however long (no buffer to cut it):
 *   printf("in " KX_OBJ_FMT "\n", KX_OBJ_ARGS(obj)); */
#define KX_OBJ_FMT "%s%s%s%s"
#define KX_OBJ_ARGS(obj)                                                           \
	(obj)->path, (obj)->member ? "(" : "", (obj)->member ? (obj)->member : "", \
		(obj)->member ? ")" : ""

/* A symbol name for people: demangled (Rust v0 and legacy, C++) when it
 * can be, else the name itself.  The result lives until the next call
 * with the same slot (0..3), so up to four can appear in one message. */
const char *kx_pretty(const char *name, int slot);

/* Free what kx_pretty() keeps (at the end of a program). */
void kx_diag_release(void);

/* Map a negative errno from the passes to an exit code. */
enum kx_exit kx_exit_from_errno(int err);

#endif
