/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal test harness for plain ctest programs: CHECK records a failure
 * with its place and goes on; a test program returns check_done(), which
 * prints "N passed, N failed" and fails the run if anything failed.
 */
#ifndef KELFIX_TEST_CHECK_H
#define KELFIX_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static unsigned check_pass, check_fail;

#define CHECK(cond, ...)                                                                         \
	do {                                                                                     \
		if (cond) {                                                                      \
			check_pass++;                                                            \
		} else {                                                                         \
			check_fail++;                                                            \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                            \
			fputc('\n', stderr);                                                     \
		}                                                                                \
	} while (0)

static inline void check_hex(const char *what, const unsigned char *got, const unsigned char *want,
			     size_t n)
{
	size_t i;

	if (!memcmp(got, want, n)) {
		check_pass++;
		return;
	}
	check_fail++;
	fprintf(stderr, "%s: bytes differ\n  got: ", what);
	for (i = 0; i < n; i++)
		fprintf(stderr, " %02x", got[i]);
	fprintf(stderr, "\n want: ");
	for (i = 0; i < n; i++)
		fprintf(stderr, " %02x", want[i]);
	fputc('\n', stderr);
}

static inline int check_done(void)
{
	printf("%u passed, %u failed\n", check_pass, check_fail);
	return check_fail ? 1 : 0;
}

#endif
