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
#include "sections.h"

int kx_link_load(struct kx_link *l, const char *const *paths, size_t npaths)
{
	size_t i;
	int err, ret = 0;

	if (elf_version(EV_CURRENT) == EV_NONE || !l->globals || !l->comdats)
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

/* A temporary file beside path, so that rename() replaces it atomically. */
static int open_temp(const char *path, char **tmp)
{
	size_t n = strlen(path) + 16;
	int fd;

	*tmp = malloc(n);
	if (!*tmp)
		return -ENOMEM;
	snprintf(*tmp, n, "%s.kelfix-XXXXXX", path);
	fd = mkstemp(*tmp);
	if (fd < 0) {
		int e = errno;

		kx_report_file(KX_ERROR, path, "cannot create a temporary file beside it: %s", strerror(e));
		free(*tmp);
		*tmp = NULL;
		return -e;
	}
	/* mkstemp makes 0600; give the mode a plain create would have. */
	mode_t mask = umask(0);

	umask(mask);
	fchmod(fd, 0666 & ~mask);
	return fd;
}

static int finish_temp(int fd, const char *tmp, const char *path, int err)
{
	if (!err && fsync(fd)) {
		err = -errno;
		kx_report_file(KX_ERROR, path, "write failed: %s", strerror(-err));
	}
	if (close(fd) && !err) {
		err = -errno;
		kx_report_file(KX_ERROR, path, "write failed: %s", strerror(-err));
	}
	if (err)
		unlink(tmp);
	return err;
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

static int write_cmd(struct kx_link *l, int fd, const char *path)
{
	FILE *f = fdopen(fd, "w");
	int err;

	if (!f) {
		close(fd);
		return -errno;
	}
	err = kx_link_write_cmd(l, l->opt->output, f);
	if (fflush(f) && !err)
		err = -EIO;
	if (!err && fsync(fileno(f)))
		err = -errno;
	if (fclose(f) && !err)
		err = -EIO;
	if (err && err != -EINVAL && err != -ENOMEM)
		kx_report_file(KX_ERROR, path, "write failed: %s", strerror(-err));
	return err;
}

/* Both files are written under temporary names first; on any error
 * neither the output nor its .cmd is left behind. */
static int write_outputs(struct kx_link *l)
{
	const char *out = l->opt->output;
	char *tmp = NULL, *ctmp = NULL, *cmd = NULL;
	int fd, err;

	fd = open_temp(out, &tmp);
	if (fd < 0)
		return fd;
	err = finish_temp(fd, tmp, out, kx_link_write_fd(l, fd));
	if (!err && !l->opt->no_cmd) {
		cmd = cmd_path_for(out);
		fd = cmd ? open_temp(cmd, &ctmp) : -ENOMEM;
		err = fd < 0 ? fd : write_cmd(l, fd, cmd);
		if (err && ctmp)
			unlink(ctmp);
	}
	if (!err && rename(tmp, out)) {
		err = -errno;
		kx_report_file(KX_ERROR, out, "cannot rename the new file into place: %s", strerror(-err));
	}
	if (!err && ctmp && rename(ctmp, cmd)) {
		err = -errno;
		kx_report_file(KX_ERROR, cmd, "cannot rename the new file into place: %s", strerror(-err));
		unlink(out);
	}
	if (err) {
		unlink(tmp);
		if (ctmp)
			unlink(ctmp);
	}
	free(tmp);
	free(ctmp);
	free(cmd);
	return err;
}

int kx_link_run(struct kx_link *l, const char *const *paths, size_t npaths)
{
	int err;

	/* Reading: the inputs are the model from here on. */
	err = kx_link_load(l, paths, npaths);
	if (!err)
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
		fprintf(f, "kelfix: GOTPCREL %-18s %zu\n", kx_gotpcrel_form_name(i), s->rewritten[i]);
	fprintf(f, "kelfix: GOT slots:           %zu\n", s->got_slots);
	fprintf(f, "kelfix: mcount sites:        %zu\n", s->mcount_sites);
}

static void print_step(const struct kx_section *s, FILE *f)
{
	char buf[4096];

	fprintf(f, "  %s in %s\n", s->name, kx_obj_name(s->obj, buf, sizeof(buf)));
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
	free(l->gorder);
	if (l->globals)
		htab_delete(l->globals);
	if (l->comdats)
		htab_delete(l->comdats);
	kx_inputs_free(&l->in);
	memset(l, 0, sizeof(*l));
}
