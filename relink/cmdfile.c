// SPDX-License-Identifier: GPL-2.0-only
/*
 * The .<output>.cmd file kbuild and modpost read (fixdep's format):
 *
 *   savedcmd_T := CMD        (kernels >= 6.3 read this name)
 *   cmd_T := CMD             (older kernels read this one)
 *   source_T := MAIN-INPUT
 *   deps_T := \
 *     DEP \
 *
 *   T: $(deps_T)
 *   $(deps_T):
 *
 * DEPs are the inputs and the crate's sources from cargo's dep-info file
 * (--dep-file), so kbuild rebuilds when a source changes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "link.h"

/* Append one path of a make rule (backslash escapes spaces, '#', '\') to
 * f as a deps line, with make's own escaping kept. */
static void put_dep(FILE *f, const char *p, size_t n)
{
	fprintf(f, "  %.*s \\\n", (int)n, p);
}

/* The prerequisites of the first rule of a make-format dep-info file. */
static int put_dep_file(FILE *f, const char *path)
{
	FILE *in = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, i, start;
	bool in_rule = false;
	int c;

	if (!in) {
		int e = errno;

		kx_report_file(KX_ERROR, path, "cannot read the dep-info file: %s", strerror(e));
		return -EINVAL;
	}
	/* The first rule, joined across "\\\n" continuations. */
	while ((c = fgetc(in)) != EOF) {
		if (c == '\\') {
			int d = fgetc(in);

			if (d == '\n')
				continue;
			if (len + 2 >= cap) {
				char *b = realloc(buf, cap = cap * 2 + 256);

				if (!b)
					goto nomem;
				buf = b;
			}
			buf[len++] = '\\';
			if (d == EOF)
				break;
			c = d;
		} else if (c == '\n') {
			break;
		}
		if (len + 2 >= cap) {
			char *b = realloc(buf, cap = cap * 2 + 256);

			if (!b)
				goto nomem;
			buf = b;
		}
		buf[len++] = (char)c;
	}
	fclose(in);
	for (i = 0, start = 0; i < len; i++) {
		if (buf[i] == '\\') {
			i++;
			continue;
		}
		if (!in_rule) {
			if (buf[i] == ':' && (i + 1 == len || buf[i + 1] == ' ' || buf[i + 1] == '\t')) {
				in_rule = true;
				start = i + 1;
			}
			continue;
		}
		if (buf[i] == ' ' || buf[i] == '\t') {
			if (i > start)
				put_dep(f, buf + start, i - start);
			start = i + 1;
		}
	}
	if (in_rule && len > start)
		put_dep(f, buf + start, len - start);
	free(buf);
	if (!in_rule) {
		kx_report_file(KX_ERROR, path, "not a make-format dep-info file (no \"target: deps\" rule)");
		return -EINVAL;
	}
	return 0;
nomem:
	fclose(in);
	free(buf);
	return -ENOMEM;
}

int kx_link_write_cmd(struct kx_link *l, const char *target, FILE *f)
{
	const char *cmd = l->opt->cmdline ? l->opt->cmdline : "kelfix";
	size_t i;
	int err = 0;

	fprintf(f, "savedcmd_%s := %s\n", target, cmd);
	fprintf(f, "cmd_%s := %s\n\n", target, cmd);
	if (l->in.nfiles)
		fprintf(f, "source_%s := %s\n\n", target, l->in.files[0].path);
	fprintf(f, "deps_%s := \\\n", target);
	for (i = 0; i < l->in.nfiles; i++)
		put_dep(f, l->in.files[i].path, strlen(l->in.files[i].path));
	if (l->opt->dep_file)
		err = put_dep_file(f, l->opt->dep_file);
	fprintf(f, "\n%s: $(deps_%s)\n\n$(deps_%s):\n", target, target, target);
	if (!err && ferror(f))
		err = -EIO;
	return err;
}
