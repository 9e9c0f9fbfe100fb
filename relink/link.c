// SPDX-License-Identifier: GPL-2.0-only
/*
 * The link as a list of passes (see link.h), the atomic output, the
 * statistics and --why-live.
 */
#include "link.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "outfile.h"
#include "sections.h"

int kx_link_load(struct kx_link *l, const char *const *paths, size_t npaths)
{
	size_t i;
	int err, ret = 0;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOMEM;
	for (i = 0; i < npaths; i++) {
		err = kx_inputs_add(&l->in, paths[i]);
		if (err == -ENOMEM || err == -EIO)
			return err;
		if (err)
			ret = err;
	}
	return ret;
}

/* ".<dir>/.<base>.cmd" for path "<dir>/<base>". */
static char *cmd_path_for(const char *output)
{
	const char *slash = strrchr(output, '/');
	size_t dirlen = slash ? (size_t)(slash - output + 1) : 0;
	size_t n = strlen(output) + 8;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%.*s.%s.cmd", (int)dirlen, output, output + dirlen);
	return p;
}

/* The .cmd text, made in memory and written to fd. */
static int write_cmd(struct kx_link *l, int fd)
{
	char *text = NULL;
	size_t len = 0, off = 0;
	FILE *f = open_memstream(&text, &len);
	int err;

	if (!f)
		return -ENOMEM;
	err = kx_link_write_cmd(l, l->opt->output, f);
	if (fclose(f) && !err)
		err = -ENOMEM;
	while (!err && off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno != EINTR)
			err = -errno;
		else if (n > 0)
			off += (size_t)n;
	}
	free(text);
	return err;
}

/* The object and its .cmd are both written (and with --sync, synced)
 * before either is named and put in place, back to back, by a helper a
 * kill does not stop (outfile.h); on any error neither is left behind.
 * Without --sync a kill leaves the old files or the new ones whole; only a
 * power loss may not. */
static int write_outputs(struct kx_link *l)
{
	struct kx_outfile obj = { .fd = -1 }, cmd = { .fd = -1 };
	struct kx_outfile *const files[] = { &obj, &cmd };
	char *cmd_path = NULL;
	bool with_cmd = !l->opt->no_cmd;
	size_t done = 0;
	int err;

	err = kx_outfile_open(&obj, l->opt->output);
	if (!err)
		err = kx_link_write_fd(l, obj.fd);
	if (!err && l->opt->sync)
		err = kx_outfile_sync(&obj);
	if (!err && l->opt->verify)
		err = l->opt->verify(l->opt->verify_ctx, obj.fd, l->opt->output);
	if (!err && with_cmd) {
		cmd_path = cmd_path_for(l->opt->output);
		err = cmd_path ? kx_outfile_open(&cmd, cmd_path) : -ENOMEM;
		if (!err) {
			err = write_cmd(l, cmd.fd);
			if (err == -ENOSPC || err == -EIO)
				kx_report_file(KX_ERROR, cmd_path, "write failed: %s",
					       strerror(-err));
		}
		if (!err && l->opt->sync)
			err = kx_outfile_sync(&cmd);
	}
	if (!err)
		err = kx_outfile_publish(files, with_cmd ? 2 : 1, &done);
	/* A new object without its .cmd would pass for up to date. */
	if (err && done)
		unlink(l->opt->output);
	kx_outfile_abort(&obj);
	kx_outfile_abort(&cmd);
	free(cmd_path);
	return err;
}

int kx_link_passes(struct kx_link *l)
{
	int err;

	err = kx_link_resolve(l);
	if (!err)
		err = kx_link_mark_live(l);
	if (!err && l->opt->why_live)
		err = kx_link_why_live(l, l->opt->why_live, stdout);
	/* Rewriting: section bytes become our own copies where changed. */
	if (!err)
		err = kx_link_rewrite(l);
	if (!err)
		err = kx_link_modinfo(l);
	if (!err)
		err = kx_link_layout(l);
	return err;
}

int kx_link_run(struct kx_link *l, const char *const *paths, size_t npaths)
{
	int err;

	/* Reading: the inputs are the model from here on. */
	err = kx_link_load(l, paths, npaths);
	if (!err)
		err = kx_link_passes(l);
	/* Writing: nothing reaches the output path unless all went well. */
	if (!err)
		err = write_outputs(l);
	if (l->opt->stats && !err)
		kx_link_print_stats(l, stderr);
	return err;
}

void kx_link_print_stats(const struct kx_link *l, FILE *f)
{
	const struct kx_stats *s = &l->stats;
	int i;

	fprintf(f, "kelfix: members read:        %zu\n", s->members);
	fprintf(f, "kelfix: sections in/out:     %zu / %zu\n", s->sections_in, s->sections_out);
	fprintf(f, "kelfix: live bytes:          %llu\n", (unsigned long long)s->live_bytes);
	fprintf(f, "kelfix: bytes pruned:        %llu\n", (unsigned long long)s->pruned_bytes);
	for (i = 0; i < KX_GP_NFORMS; i++)
		fprintf(f, "kelfix: GOTPCREL %-18s %zu\n", kx_gotpcrel_form_name(i),
			s->rewritten[i]);
	for (i = 0; i < KX_GPW_N; i++)
		fprintf(f, "kelfix:   GOT: %-21s %zu\n", kx_gotpcrel_why_name(i), s->got_why[i]);
	fprintf(f, "kelfix: GOT slots:           %zu\n", s->got_slots);
	fprintf(f, "kelfix: mcount sites:        %zu\n", s->mcount_sites);
	fprintf(f, "kelfix: jumps passed by:     %zu\n", s->tail_jumps);
}

static void print_step(const struct kx_section *s, FILE *f)
{
	fprintf(f, "  %s in " KX_OBJ_FMT "\n", s->name, KX_OBJ_ARGS(s->obj));
}

/* The definition of a global name, else the first local of that name. */
static const struct kx_symbol *find_def(struct kx_link *l, const char *name)
{
	struct kx_global *g = kx_global_find(l, name);
	size_t i;

	if (g && g->def)
		return g->def;
	for (i = 0; i < l->in.nobjs; i++) {
		const struct kx_object *obj = l->in.objs[i];
		const struct kx_symbol *y;

		if (obj->syms)
			kx_for_each_sym(obj, y)
				if (y->sec && kx_sym_is_local(y) && !strcmp(y->name, name))
					return y;
	}
	return NULL;
}

int kx_link_why_live(struct kx_link *l, const char *sym, FILE *f)
{
	const struct kx_symbol *def = find_def(l, sym);
	const struct kx_section *s;
	size_t depth = 0;

	if (!def || !def->sec) {
		kx_report_file(KX_ERROR, NULL, "--why-live %s: no input defines it", sym);
		return -EINVAL;
	}
	s = def->sec;
	if (!s->live) {
		fprintf(f, "%s is not live: nothing kept reaches it\n", kx_pretty(sym, 0));
		return 0;
	}
	fprintf(f, "%s is live:\n", kx_pretty(sym, 0));
	for (; s && depth < 100000; s = s->live_from, depth++) {
		print_step(s, f);
		if (!s->live_from)
			fprintf(f, "  (a root)\n");
	}
	return 0;
}

void kx_link_free(struct kx_link *l)
{
	size_t i;

	for (i = 0; i < l->nouts; i++) {
		free(l->outs[i]->in);
		free(l->outs[i]->bytes);
		free(l->outs[i]);
	}
	free(l->outs);
	free(l->slots);
	if (l->slot_index)
		htab_delete(l->slot_index);
	free(l->modinfo);
	kx_symbols_free(&l->syms);
	kx_inputs_free(&l->in);
	memset(l, 0, sizeof(*l));
}
