// SPDX-License-Identifier: GPL-2.0-only
/* Diagnostics: see diag.h for the contract. */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <demangle.h>

#include "object.h"

static FILE *diag_stream;
static const char *diag_prog = "kelfix";
static unsigned diag_errors;

void kx_diag_reset(FILE *stream, const char *prog)
{
	diag_stream = stream;
	if (prog)
		diag_prog = prog;
	diag_errors = 0;
}

unsigned kx_diag_errors(void)
{
	return diag_errors;
}

static const char *const level_names[] = {
	[KX_NOTE] = "note",
	[KX_WARN] = "warning",
	[KX_ERROR] = "error",
};

static char *pretty_cache[4];

void kx_diag_release(void)
{
	size_t i;

	for (i = 0; i < sizeof(pretty_cache) / sizeof(pretty_cache[0]); i++) {
		free(pretty_cache[i]);
		pretty_cache[i] = NULL;
	}
}

const char *kx_pretty(const char *name, int slot)
{
	char **cache = pretty_cache;
	char *d;

	if (!name || !*name)
		return "?";
	d = cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI | DMGL_RUST);
	if (!d)
		d = cplus_demangle(name, DMGL_PARAMS | DMGL_ANSI | DMGL_GNU_V3);
	if (!d)
		return name;
	free(cache[slot & 3]);
	cache[slot & 3] = d;
	return d;
}

static void put_place(FILE *f, const struct kx_object *obj, const struct kx_section *sec,
		      uint64_t off)
{
	const struct kx_symbol *fn;

	if (!obj)
		return;
	fprintf(f, KX_OBJ_FMT ": ", KX_OBJ_ARGS(obj));
	if (!sec)
		return;
	fprintf(f, "%s+0x%llx", sec->name ? sec->name : "?", (unsigned long long)off);
	fn = kx_sym_containing(sec, off);
	if (fn)
		fprintf(f, " (in %s+0x%llx)", kx_pretty(fn->name, 3),
			(unsigned long long)(off - fn->sym.st_value));
	fputs(": ", f);
}

static void count(enum kx_level level)
{
	if (level == KX_ERROR)
		diag_errors++;
}

void kx_report(enum kx_level level, const struct kx_object *obj, const struct kx_section *sec,
	       uint64_t off, const char *fmt, ...)
{
	FILE *f = diag_stream ? diag_stream : stderr;
	va_list ap;

	count(level);
	fprintf(f, "%s: %s: ", diag_prog, level_names[level]);
	put_place(f, obj, sec, off);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

void kx_report_file(enum kx_level level, const char *file, const char *fmt, ...)
{
	FILE *f = diag_stream ? diag_stream : stderr;
	va_list ap;

	count(level);
	fprintf(f, "%s: %s: ", diag_prog, level_names[level]);
	if (file)
		fprintf(f, "%s: ", file);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

enum kx_exit kx_exit_from_errno(int err)
{
	switch (err) {
	case 0:
		return KX_EXIT_OK;
	case -ENOEXEC: /* input is not what we accept */
	case -EINVAL:  /* the link found errors in the input */
		return KX_EXIT_REJECTED;
	default:
		return KX_EXIT_FAILURE;
	}
}
