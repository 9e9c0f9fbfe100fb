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
#include "util.h"

/* Append one path of a make rule (backslash escapes spaces, '#', '\') to
 * f as a deps line, with make's own escaping kept. */
static void put_dep(FILE *f, const char *p, size_t n)
{
	fprintf(f, "  %.*s \\\n", (int)n, p);
}

struct buf {
	char *p;
	size_t len, cap;
};

static int buf_put(struct buf *b, char c)
{
	char *p = kx_grow(b->p, &b->cap, b->len + 1, 1);

	if (!p)
		return -ENOMEM;
	b->p = p;
	b->p[b->len++] = c;
	return 0;
}

/* The first rule of a make-format file, joined across "\\\n"
 * continuations; other backslash escapes are kept. */
static int read_first_rule(FILE *in, struct buf *b)
{
	int c, d, err = 0;

	while (!err && (c = fgetc(in)) != EOF && c != '\n') {
		if (c == '\\') {
			d = fgetc(in);
			if (d == '\n')
				continue;
			err = buf_put(b, '\\');
			if (d == EOF || err)
				break;
			c = d;
		}
		err = buf_put(b, (char)c);
	}
	return err;
}

/* Emit the prerequisites of rule (everything after "target:"), split at
 * unescaped blanks.  Returns false if there is no "target:" at all. */
static bool put_prereqs(FILE *f, const char *rule, size_t len)
{
	size_t i, start = 0;
	bool in_rule = false;

	for (i = 0; i < len; i++) {
		if (rule[i] == '\\') {
			i++;
			continue;
		}
		if (!in_rule) {
			if (rule[i] == ':' &&
			    (i + 1 == len || rule[i + 1] == ' ' || rule[i + 1] == '\t')) {
				in_rule = true;
				start = i + 1;
			}
			continue;
		}
		if (rule[i] == ' ' || rule[i] == '\t') {
			if (i > start)
				put_dep(f, rule + start, i - start);
			start = i + 1;
		}
	}
	if (in_rule && len > start)
		put_dep(f, rule + start, len - start);
	return in_rule;
}

/* The prerequisites of the first rule of cargo's dep-info file. */
static int put_dep_file(FILE *f, const char *path)
{
	FILE *in = fopen(path, "r");
	struct buf b = { 0 };
	int err;

	if (!in) {
		kx_report_file(KX_ERROR, path, "cannot read the dep-info file: %s",
			       strerror(errno));
		return -EINVAL;
	}
	err = read_first_rule(in, &b);
	fclose(in);
	if (!err && !put_prereqs(f, b.p, b.len)) {
		kx_report_file(KX_ERROR, path,
			       "not a make-format dep-info file (no \"target: deps\" rule)");
		err = -EINVAL;
	}
	free(b.p);
	return err;
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
