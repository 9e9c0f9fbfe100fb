// SPDX-License-Identifier: GPL-2.0-only
/*
 * The code checks cut the functions into parts decoded on threads
 * (analyze/audit_code.c); what they find must not depend on it.  The same
 * inputs audited on one thread and on four (each part at least one byte,
 * so every input with four functions is cut), all checks on: the findings
 * must be the same, in the same order.
 *   test_audit_threads FIXTURES_DIR
 */
#include <errno.h>
#include <stdlib.h>

#include "audit.h"
#include "check.h"
#include "diag.h"

static const char *const inputs[] = {
	"audit/libhostcrate.a", /* fpu-simd and red-zone in many functions */
	"audit/fpu-simd.o",	   "audit/red-zone.o",	    "audit/stack-frame.o",
	"audit/indirect-branch.o", "audit/missing-endbr.o",
};

static void audit_all(struct kx_audit *a, const char *dir, unsigned threads, size_t split)
{
	struct kx_audit_opts opt = { .threads = threads, .code_split = split };
	char path[4096];
	size_t i;

	CHECK(kx_audit_init(a, &opt) == 0, "audit init");
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, inputs[i]);
		CHECK(kx_audit_path(a, path) == 0, "audit %s (threads %u)", inputs[i], threads);
	}
}

static bool same_str(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

static bool same_finding(const struct kx_finding *x, const struct kx_finding *y)
{
	return x->check == y->check && x->severity == y->severity && x->offset == y->offset &&
	       same_str(x->input, y->input) && same_str(x->member, y->member) &&
	       same_str(x->section, y->section) && same_str(x->symbol, y->symbol) &&
	       same_str(x->message, y->message);
}

int main(int argc, char **argv)
{
	struct kx_audit one, four;
	size_t i, code = 0, same = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: test_audit_threads FIXTURES_DIR\n");
		return 2;
	}
	kx_diag_reset(stderr, "test_audit_threads");
	audit_all(&one, argv[1], 1, 0);
	audit_all(&four, argv[1], 4, 1);
	for (i = 0; i < one.nfindings; i++)
		code += one.findings[i].check == KX_CHK_FPU_SIMD ||
			one.findings[i].check == KX_CHK_RED_ZONE;
	CHECK(code >= 8, "the inputs have code findings (%zu)", code);
	CHECK(one.nfindings == four.nfindings, "%zu findings on one thread, %zu on four",
	      one.nfindings, four.nfindings);
	for (i = 0; i < one.nfindings && i < four.nfindings; i++)
		same += same_finding(&one.findings[i], &four.findings[i]);
	CHECK(same == one.nfindings, "%zu of %zu findings the same, in the same order", same,
	      one.nfindings);
	kx_audit_free(&one);
	kx_audit_free(&four);
	return check_done();
}
