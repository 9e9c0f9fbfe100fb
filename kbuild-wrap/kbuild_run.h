/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running make and clang for kelfix-kbuild: an argument vector in (no
 * shell), stdout and stderr captured into buffers, stdin from /dev/null.
 */
#ifndef KELFIX_KBUILD_RUN_H
#define KELFIX_KBUILD_RUN_H

#include <stddef.h>

/* A captured stream; buf is NUL-terminated (possibly empty), owned. */
struct kb_output {
	char *buf;
	size_t len;
};

struct kb_run {
	int exit_code; /* the program's exit status; -1 if a signal ended it */
	int signal;    /* that signal, else 0 */
	struct kb_output out;
	struct kb_output err;
};

/*
 * Run argv[0] (looked up in PATH) with argv, the environment minus the
 * variables named in unset_env (a NULL-terminated list, or NULL), and wait
 * for it.  Returns 0 when it ran (see r->exit_code) or a negative errno
 * when it could not be started or read (-ENOENT: no such program); the
 * caller reports.  r is filled either way; free it with kb_run_free().
 */
int kb_run(char *const argv[], const char *const unset_env[], struct kb_run *r);
void kb_run_free(struct kb_run *r);

#endif
