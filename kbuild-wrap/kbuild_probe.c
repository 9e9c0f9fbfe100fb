// SPDX-License-Identifier: GPL-2.0-only
/* Asking kbuild for a module's C flags: see kbuild_probe.h. */
#include "kbuild_probe.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "kbuild_run.h"

#define PROBE_SRC "probe.c"
#define PROBE_OBJ "probe.o"
#define PROBE_CMD ".probe.o.cmd"

/* A parent make's jobserver and level must not leak into the kernel's
 * make (it would wait for tokens of a jobserver it cannot reach). */
static const char *const make_unset_env[] = { "MAKEFLAGS", "MFLAGS", "MAKELEVEL", NULL };

/*
 * Options whose argument is the next word, and whether that argument is
 * a path kbuild may give relative to the directory it runs in (GCC manual,
 * "Options for Directory Search", "Preprocessor Options").
 */
static const struct {
	const char *opt;
	bool path;
} separate_arg_opts[] = {
	{ "-I", true },	      { "-include", true },   { "-imacros", true }, { "-isystem", true },
	{ "-iquote", true },  { "-idirafter", true }, { "-o", false },	    { "-MF", false },
	{ "-MT", false },     { "-MQ", false },	      { "--param", false }, { "-mllvm", false },
	{ "-Xclang", false }, { "-x", false },
};

/* Options that may be glued to their path argument (-I./include). */
static const char *const joined_path_opts[] = { "-I", "-isystem", "-iquote", "-idirafter" };

static int separate_arg_index(const char *word)
{
	for (size_t i = 0; i < sizeof(separate_arg_opts) / sizeof(separate_arg_opts[0]); i++)
		if (!strcmp(word, separate_arg_opts[i].opt))
			return (int)i;
	return -1;
}

size_t kb_flag_words(char *const *flags, size_t n, size_t i)
{
	return separate_arg_index(flags[i]) >= 0 && i + 1 < n ? 2 : 1;
}

/* snprintf into a path buffer; -ENAMETOOLONG (reported) if it does not
 * fit. */
static int __attribute__((format(printf, 3, 4)))
fmt_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= size) {
		kx_report_file(KX_ERROR, buf, "path too long");
		return -ENAMETOOLONG;
	}
	return 0;
}

/* Writes text to dir/name.  0 or -errno (reported). */
static int write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;
	int err = 0;

	err = fmt_path(path, sizeof(path), "%s/%s", dir, name);
	if (err)
		return err;
	f = fopen(path, "w");
	if (!f) {
		err = -errno;
		kx_report_file(KX_ERROR, path, "cannot create: %s", strerror(errno));
		return err;
	}
	if (fputs(text, f) == EOF)
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (err)
		kx_report_file(KX_ERROR, path, "cannot write: %s", strerror(-err));
	return err;
}

/* Reads a whole file into a NUL-terminated buffer (the caller frees).
 * NULL with errno set. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, got;
	char chunk[8192];

	if (!f)
		return NULL;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		char *p = realloc(buf, len + got + 1);

		if (!p) {
			free(buf);
			fclose(f);
			errno = ENOMEM;
			return NULL;
		}
		buf = p;
		memcpy(buf + len, chunk, got);
		len += got;
		buf[len] = '\0';
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	return buf;
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	if (remove(path))
		kx_report_file(KX_WARN, path, "cannot remove: %s", strerror(errno));
	return 0;
}

/* Removes the probe directory and everything kbuild left in it; symbolic
 * links are removed, never followed. */
static void remove_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * A fresh directory for the probe module.  kbuild cannot build a module
 * whose path has blanks or make's special characters in it, so such a
 * TMPDIR is refused by name.
 */
static int make_probe_dir(char *dir, size_t len)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (strpbrk(tmp, " \t\n:#$%\\=")) {
		kx_report_file(
			KX_ERROR, tmp,
			"TMPDIR has characters kbuild cannot take in M=; set TMPDIR to a plain directory");
		return -EINVAL;
	}
	if (fmt_path(dir, len, "%s/kelfix-kbuild.XXXXXX", tmp))
		return -ENAMETOOLONG;
	if (!mkdtemp(dir)) {
		int err = -errno;

		kx_report_file(KX_ERROR, dir, "cannot create a temporary directory: %s",
			       strerror(errno));
		return err;
	}
	return 0;
}

/* Prints what make said, after the error that mentions it. */
static void show_make_output(const struct kb_run *r)
{
	fputs(r->out.buf, stderr);
	fputs(r->err.buf, stderr);
}

/*
 * make -C KDIR M=DIR [VAR=value...] probe.o: only the probe's object, no
 * modpost, no link.  make is $KELFIX_MAKE (shell words) where set: the
 * command that runs the kernel's make in its own build environment.  The VAR=value words are $KELFIX_KBUILD_VARS (shell
 * words): the kbuild variables of the module's own make command line (CC,
 * LLVM, CROSS_COMPILE, ...), which kelfix.mk passes on, so the probe is
 * compiled as the module is.
 */
static int probe_argv(const char *kdir, const char *mdir, struct kb_strv *argv)
{
	const char *make = getenv("KELFIX_MAKE");
	const char *vars = getenv("KELFIX_KBUILD_VARS");
	struct kb_strv words = { 0 };
	int err;

	if (make && *make) {
		err = kb_shell_split(make, argv);
		if (!err && !argv->n)
			err = -EINVAL;
		if (err == -EINVAL)
			kx_report_file(KX_ERROR, NULL, "KELFIX_MAKE is not a command: '%s'", make);
	} else {
		err = kb_strv_push(argv, "make");
	}
	err = err ?: kb_strv_push(argv, "-C");
	err = err ?: kb_strv_push(argv, kdir);
	err = err ?: kb_strv_push(argv, mdir);
	if (!err && vars && *vars) {
		err = kb_shell_split(vars, &words);
		if (err == -EINVAL)
			kx_report_file(KX_ERROR, NULL,
				       "KELFIX_KBUILD_VARS has an unterminated quote: %s", vars);
		for (size_t i = 0; !err && i < words.n; i++) {
			if (!strchr(words.v[i], '=')) {
				kx_report_file(KX_ERROR, NULL,
					       "KELFIX_KBUILD_VARS: '%s' is not VAR=value",
					       words.v[i]);
				err = -EINVAL;
			}
		}
		err = err ?: kb_strv_append(argv, &words);
	}
	err = err ?: kb_strv_push(argv, PROBE_OBJ);
	kb_strv_free(&words);
	return err;
}

/* The command line of argv as a shell would take it (malloc'd), or NULL. */
static char *argv_line(const struct kb_strv *argv)
{
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);

	if (!f)
		return NULL;
	for (size_t i = 0; i < argv->n; i++) {
		if (i)
			fputc(' ', f);
		kb_shell_quote(f, argv->v[i]);
	}
	if (fclose(f)) {
		free(line);
		return NULL;
	}
	return line;
}

static int run_kbuild(const char *kdir, const char *dir)
{
	char mdir[PATH_MAX + 3];
	struct kb_strv argv = { 0 };
	struct kb_run r;
	int err;

	err = fmt_path(mdir, sizeof(mdir), "M=%s", dir);
	err = err ?: probe_argv(kdir, mdir, &argv);
	if (err) {
		kb_strv_free(&argv);
		return err;
	}
	err = kb_run(argv.v, make_unset_env, &r);
	if (err) {
		kx_report_file(KX_ERROR, NULL, "cannot run make: %s", strerror(-err));
	} else if (r.exit_code != 0) {
		char *cmd = argv_line(&argv);

		kx_report_file(
			KX_ERROR, kdir,
			"kbuild failed to compile a one-line probe module (%s: %s %d); its output:",
			cmd ? cmd : "make", r.exit_code < 0 ? "signal" : "exit",
			r.exit_code < 0 ? r.signal : r.exit_code);
		free(cmd);
		show_make_output(&r);
		err = -ENOEXEC;
	}
	kb_run_free(&r);
	kb_strv_free(&argv);
	return err;
}

/* Undoes make's escaping in a .cmd file value (scripts/Kbuild.include,
 * make-cmd): "$$" is "$", "$(pound)" and, in older kernels, "\#" are "#". */
static void unescape_make(char *s)
{
	char *w = s;

	while (*s) {
		if (!strncmp(s, "$$", 2)) {
			*w++ = '$';
			s += 2;
		} else if (!strncmp(s, "$(pound)", 8)) {
			*w++ = '#';
			s += 8;
		} else if (!strncmp(s, "\\#", 2)) {
			*w++ = '#';
			s += 2;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
}

/* The command recorded in a .cmd file: the value of its first
 * "savedcmd_TARGET := " (kernels >= 6.3) or "cmd_TARGET := " line, cut at
 * the end of the line, in place.  NULL if there is none. */
static char *cmd_file_command(char *text)
{
	char *line = text;

	while (line) {
		char *end = strchr(line, '\n');
		char *eq;

		if (end)
			*end = '\0';
		eq = strstr(line, " := ");
		if (eq && (!strncmp(line, "savedcmd_", 9) || !strncmp(line, "cmd_", 4))) {
			unescape_make(eq + 4);
			return eq + 4;
		}
		line = end ? end + 1 : NULL;
	}
	return NULL;
}

/* Reads DIR/.probe.o.cmd and splits its command into words. */
static int read_compile_command(const char *dir, struct kb_strv *words)
{
	char path[PATH_MAX];
	char *text, *cmd;
	int err;

	err = fmt_path(path, sizeof(path), "%s/%s", dir, PROBE_CMD);
	if (err)
		return err;
	text = read_file(path);
	if (!text) {
		err = errno == ENOENT ? -ENOEXEC : -errno;
		kx_report_file(KX_ERROR, path,
			       "kbuild did not record the probe's compile command: %s",
			       strerror(errno));
		return err;
	}
	cmd = cmd_file_command(text);
	if (!cmd) {
		kx_report_file(KX_ERROR, path,
			       "no savedcmd_/cmd_ line: not a kbuild .cmd file this tool knows");
		err = -ENOEXEC;
	} else {
		err = kb_shell_split(cmd, words);
		if (err == -EINVAL)
			kx_report_file(KX_ERROR, path, "unterminated quote in the compile command");
		if (err)
			err = -ENOEXEC;
		else if (words->n < 2) {
			kx_report_file(KX_ERROR, path, "the compile command is empty");
			err = -ENOEXEC;
		}
	}
	free(text);
	return err;
}

/* Module-specific defines kbuild adds for each object
 * (scripts/Makefile.lib, modname_flags and basename_flags). */
static bool is_modname_define(const char *w)
{
	return !strncmp(w, "-DKBUILD_BASENAME=", 18) || !strncmp(w, "-DKBUILD_MODNAME=", 17) ||
	       !strncmp(w, "-D__KBUILD_MODNAME=", 19);
}

/* Dependency-file options: -Wp,-MMD,FILE (kbuild's), -MD, -MMD. */
static bool is_depfile_opt(const char *w)
{
	return !strncmp(w, "-Wp,-MD,", 8) || !strncmp(w, "-Wp,-MMD,", 9) || !strcmp(w, "-MD") ||
	       !strcmp(w, "-MMD");
}

/* Pushes path, made absolute against kdir when relative ("./include" →
 * "KDIR/include"), prefixed by opt (for joined forms, else NULL).  A path
 * that does not exist is reported as a warning; the compiler skips it. */
static int push_path(struct kb_strv *flags, const char *opt, const char *path, const char *kdir)
{
	char abs[PATH_MAX * 2], joined[PATH_MAX * 2 + 16];
	const char *p = path;
	int err = 0;

	if (*path != '/') {
		while (!strncmp(p, "./", 2))
			p += 2;
		if (!*p || !strcmp(p, "."))
			err = fmt_path(abs, sizeof(abs), "%s", kdir);
		else
			err = fmt_path(abs, sizeof(abs), "%s/%s", kdir, p);
		p = abs;
		if (!err && access(p, F_OK))
			kx_report_file(KX_WARN, p, "kbuild's include path %s does not exist", path);
	}
	if (!err && opt) {
		err = fmt_path(joined, sizeof(joined), "%s%s", opt, p);
		p = joined;
	}
	return err ? err : kb_strv_push(flags, p);
}

/* A word glued to its path (-I./include): the option, else NULL. */
static const char *joined_path_opt(const char *w)
{
	for (size_t i = 0; i < sizeof(joined_path_opts) / sizeof(joined_path_opts[0]); i++) {
		size_t len = strlen(joined_path_opts[i]);

		if (!strncmp(w, joined_path_opts[i], len) && w[len])
			return joined_path_opts[i];
	}
	return NULL;
}

/* The probe's source: its absolute path (kbuild <= 6.12 runs in KDIR), or
 * a path ending in /probe.c or probe.c itself (a kbuild that runs in the
 * module directory). */
static bool is_probe_source(const char *w, const char *src)
{
	size_t len = strlen(w);

	return !strcmp(w, src) || !strcmp(w, PROBE_SRC) ||
	       (len > sizeof(PROBE_SRC) && !strcmp(w + len - sizeof(PROBE_SRC), "/" PROBE_SRC));
}

/* Keeps one word of the command (and the argument of a separate-argument
 * option, *skip set to 1 then).  src: the probe source's path. */
static int keep_word(struct kb_kbuild_flags *kf, char *const *w, size_t n, size_t i,
		     const char *src, size_t *skip, const char *cmdfile)
{
	int sep = separate_arg_index(w[i]);
	const char *opt;

	*skip = 0;
	if (!strcmp(w[i], "-c") || is_depfile_opt(w[i]) || is_modname_define(w[i]) ||
	    is_probe_source(w[i], src))
		return 0;
	if (sep >= 0) {
		if (i + 1 >= n) {
			kx_report_file(KX_ERROR, cmdfile, "option %s without its argument", w[i]);
			return -ENOEXEC;
		}
		*skip = 1;
		if (!strcmp(w[i], "-o") || !strncmp(w[i], "-M", 2))
			return 0;
		if (kb_strv_push(&kf->flags, w[i]))
			return -ENOMEM;
		if (separate_arg_opts[sep].path)
			return push_path(&kf->flags, NULL, w[i + 1], kf->kdir);
		return kb_strv_push(&kf->flags, w[i + 1]);
	}
	opt = joined_path_opt(w[i]);
	if (opt)
		return push_path(&kf->flags, opt, w[i] + strlen(opt), kf->kdir);
	if (w[i][0] != '-') {
		kx_report_file(
			KX_ERROR, cmdfile,
			"unexpected word '%s' in kbuild's compile command (a compiler wrapper in CC?)",
			w[i]);
		return -ENOEXEC;
	}
	return kb_strv_push(&kf->flags, w[i]);
}

/* kbuild's compile command (words) → kf->compiler and kf->flags. */
static int command_to_flags(struct kb_kbuild_flags *kf, const struct kb_strv *words,
			    const char *dir, const char *cmdfile)
{
	char src[PATH_MAX];
	size_t skip;
	int err;

	err = fmt_path(src, sizeof(src), "%s/%s", dir, PROBE_SRC);
	if (err)
		return err;
	kf->compiler = strdup(words->v[0]);
	if (!kf->compiler)
		return -ENOMEM;
	for (size_t i = 1; i < words->n; i += 1 + skip) {
		err = keep_word(kf, words->v, words->n, i, src, &skip, cmdfile);
		if (err)
			return err;
	}
	return 0;
}

static int check_kdir(const char *kdir, struct kb_kbuild_flags *kf)
{
	char real[PATH_MAX], mk[PATH_MAX + 16];

	if (!realpath(kdir, real)) {
		kx_report_file(KX_ERROR, kdir,
			       "%s; is the kernel's linux-headers package installed?",
			       strerror(errno));
		return -ENOEXEC;
	}
	if (fmt_path(mk, sizeof(mk), "%s/Makefile", real))
		return -ENAMETOOLONG;
	if (access(mk, R_OK)) {
		kx_report_file(
			KX_ERROR, kdir,
			"not a kernel build directory (no Makefile); give /lib/modules/RELEASE/build");
		return -ENOEXEC;
	}
	kf->kdir = strdup(real);
	return kf->kdir ? 0 : -ENOMEM;
}

/* Builds the probe in dir and reads its flags into kf. */
static int probe_in(const char *dir, struct kb_kbuild_flags *kf)
{
	struct kb_strv words = { 0 };
	char cmdfile[PATH_MAX];
	int err;

	/* Kbuild, not Makefile: kbuild reads Kbuild first, and nothing else
	 * may pick the directory up as a makefile project. */
	err = write_file(dir, "Kbuild", "obj-m := " PROBE_OBJ "\n");
	if (!err)
		err = write_file(dir, PROBE_SRC, "int kelfix_kbuild_probe;\n");
	if (!err)
		err = run_kbuild(kf->kdir, dir);
	if (!err)
		err = read_compile_command(dir, &words);
	if (!err)
		err = fmt_path(cmdfile, sizeof(cmdfile), "%s/%s", dir, PROBE_CMD);
	if (!err)
		err = command_to_flags(kf, &words, dir, cmdfile);
	kb_strv_free(&words);
	return err;
}

int kb_kbuild_probe(const char *kdir, struct kb_kbuild_flags *kf)
{
	char dir[PATH_MAX];
	int err;

	memset(kf, 0, sizeof(*kf));
	err = check_kdir(kdir, kf);
	if (!err)
		err = make_probe_dir(dir, sizeof(dir));
	if (err)
		return err;
	err = probe_in(dir, kf);
	remove_tree(dir);
	if (err == -ENOMEM)
		kx_report_file(KX_ERROR, NULL, "out of memory");
	return err;
}

void kb_kbuild_flags_free(struct kb_kbuild_flags *kf)
{
	free(kf->kdir);
	free(kf->compiler);
	kb_strv_free(&kf->flags);
	memset(kf, 0, sizeof(*kf));
}
