// SPDX-License-Identifier: GPL-2.0-only
/*
 * Link mode's audit: the error-class checks run on a link's output while
 * it is still an unnamed file (relink's kx_options.verify), so a refused
 * link never replaces, even for a moment, what was at the output path.
 */
#include <errno.h>

#include "audit.h"
#include "diag.h"
#include "input.h"

/* The checks a link runs: those of error class (missing-endbr is one on
 * IBT kernels, stack-frame for a frame larger than the kernel stack); a
 * license is not required with --no-license. Only errors are reported. */
static uint32_t link_checks(const struct kx_link_audit *la)
{
	uint32_t mask = 0;
	int c;

	for (c = 0; c < KX_NCHECKS; c++)
		if (kx_check_info(c)->severity == KX_SEV_ERROR)
			mask |= 1u << c;
	if (la->kernel && la->kernel->ibt)
		mask |= 1u << KX_CHK_MISSING_ENDBR;
	mask |= 1u << KX_CHK_STACK_FRAME;
	if (la->no_license)
		mask &= ~(1u << KX_CHK_MODINFO);
	return mask;
}

/* A finding at the input place the link laid out there (member, input
 * section, offset in it, and the function there), else at the output's. */
static void report_finding(const struct kx_link_audit *la, const struct kx_finding *f,
			   const char *name)
{
	const char *id = kx_check_info(f->check)->id;
	const struct kx_section *sec;
	const struct kx_object *obj;
	uint64_t off;

	if (f->section && la->origin &&
	    la->origin(la->origin_ctx, f->section_index, f->offset, &obj, &sec, &off)) {
		kx_report(KX_ERROR, obj, sec, off, "[%s] %s; or accept it with --allow %s", id,
			  f->message, id);
		return;
	}
	kx_report_file(KX_ERROR, name, "%s+0x%llx%s%s%s: [%s] %s; or accept it with --allow %s",
		       f->section ? f->section : "?", (unsigned long long)f->offset,
		       f->symbol ? " (in " : "",
		       f->symbol ? (f->demangled ? f->demangled : f->symbol) : "",
		       f->symbol ? ")" : "", id, f->message, id);
}

static void report_findings(const struct kx_link_audit *la, const struct kx_audit *a,
			    const char *name)
{
	size_t i;

	for (i = 0; i < a->nfindings; i++)
		if (a->findings[i].severity == KX_SEV_ERROR)
			report_finding(la, &a->findings[i], name);
}

void kx_audit_report_allowed(const struct kx_audit *a)
{
	size_t n[KX_NCHECKS] = { 0 }, i;
	int c;

	for (i = 0; i < a->nfindings; i++)
		n[a->findings[i].check] += a->findings[i].allowed;
	for (c = 0; c < KX_NCHECKS; c++)
		if (n[c])
			kx_report_file(
				KX_WARN, NULL,
				"--allow %s: accepting %zu error-class finding%s "
				"(%s); the module may be refused, crash the kernel or corrupt state",
				kx_check_info(c)->id, n[c], n[c] == 1 ? "" : "s",
				kx_check_info(c)->what);
}

int kx_audit_link_output(void *ctx, int fd, const char *name)
{
	const struct kx_link_audit *la = ctx;
	struct kx_audit_opts ao = {
		.kernel = la->kernel, .allow = la->allow, .parts = la->parts, .nparts = la->nparts
	};
	struct kx_inputs in = { 0 };
	struct kx_audit a;
	int err;

	ao.only = link_checks(la);
	if (kx_audit_init(&a, &ao)) {
		kx_report_file(KX_ERROR, NULL, "cannot start the decoder (capstone)");
		return -ENOMEM;
	}
	err = kx_inputs_add_fd(&in, name, fd);
	if (!err)
		err = kx_audit_objects(&a, name, in.objs, in.nobjs);
	if (!err) {
		report_findings(la, &a, name);
		kx_audit_report_allowed(&a);
		if (kx_audit_errors(&a))
			err = -EINVAL;
	}
	kx_inputs_free(&in);
	kx_audit_free(&a);
	return err;
}
