// SPDX-License-Identifier: GPL-2.0-only
/*
 * kelfix-bindgen out of memory: the Nth allocation of a run fails (and only
 * that one), for N spread over every allocation a run on
 * fixtures/bindgen/layout.h makes.  Each such run must return -ENOMEM,
 * never abort, crash or succeed with text missing; a run where nothing
 * fails must succeed.  The library's malloc, calloc, realloc and strdup are
 * reached through -Wl,--wrap (libclang's own allocations are not).
 * Usage: test_bindgen_nomem FIXTURE_DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bindgen.h"
#include "check.h"
#include "diag.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static unsigned long calls, fail_at; /* fail_at 0: never */

static bool fail_now(void)
{
	return ++calls == fail_at;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

/* One run with the Nth allocation failing; its return code. */
static int run(const struct kb_options *opt, unsigned long n)
{
	struct kb_buf rs = { 0 }, c = { 0 };
	calls = 0;
	fail_at = n;
	int rc = kx_bindgen_run(opt, &rs, &c);
	fail_at = 0;
	kb_free(&rs);
	kb_free(&c);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_bindgen_nomem FIXTURE_DIR\n");
		return 2;
	}
	char header[4096];
	snprintf(header, sizeof(header), "%s/layout.h", argv[1]);
	FILE *quiet = fopen("/dev/null", "w");
	kx_diag_reset(quiet ? quiet : stderr, "test_bindgen_nomem");

	struct kb_options opt = { 0 };
	kb_strv_add(&opt.headers, header);
	kb_strv_add(&opt.type_re, "kx_.*");
	kb_strv_add(&opt.fn_re, "kx_.*");
	kb_strv_add(&opt.var_re, "kx_.*");
	kb_strv_add(&opt.constants, "KX_GFP");

	CHECK(run(&opt, 0) == 0, "a run without a failure succeeds");
	unsigned long total = calls;
	CHECK(total > 100, "the run allocates (%lu times)", total);
	/* The first 100 one by one, then about 150 more spread over the rest. */
	unsigned long step = total > 100 ? (total - 100) / 150 + 1 : 1;
	for (unsigned long n = 1; n <= total; n += n < 100 ? 1 : step) {
		int rc = run(&opt, n);
		CHECK(rc == -ENOMEM, "allocation %lu of %lu failing: run returns %d", n, total, rc);
	}
	CHECK(run(&opt, 0) == 0, "a run after all that succeeds again");
	kb_options_free(&opt);
	if (quiet)
		fclose(quiet);
	printf("%u passed, %u failed\n", check_pass, check_fail);
	return check_fail ? 1 : 0;
}
