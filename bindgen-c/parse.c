// SPDX-License-Identifier: GPL-2.0-only
/*
 * One libclang translation unit: a generated main file that includes the
 * requested headers (and the --constant probes, consts.c), parsed with the
 * flags kbuild compiles modules with (kelfix-kbuild cflags --lines KDIR).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bindgen.h"
#include "diag.h"

#define KB_MAIN "kelfix_bindgen_input.c"

/* kelfix-kbuild: $KELFIX_KBUILD, else beside our own binary, else $PATH.
 * NULL only when out of memory. */
static char *find_kbuild_tool(const struct kb_options *opt)
{
	if (opt->kbuild_tool)
		return kb_strdup(opt->kbuild_tool);
	const char *env = getenv("KELFIX_KBUILD");
	if (env && *env)
		return kb_strdup(env);
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		char *slash = strrchr(self, '/');
		if (slash) {
			strcpy(slash + 1, "kelfix-kbuild");
			if (access(self, X_OK) == 0)
				return kb_strdup(self);
		}
	}
	return kb_strdup("kelfix-kbuild");
}

static void add_lines(struct kb_strv *out, char *text)
{
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (*line)
			kb_strv_add(out, line);
}

/* Runs `kelfix-kbuild cflags --lines KDIR`; its notes go to our stderr
 * only when it fails. */
static int run_kbuild_cflags(const struct kb_options *opt, struct kb_strv *out)
{
	char *tool = find_kbuild_tool(opt);
	int fds[2];
	if (!tool)
		return -ENOMEM;
	if (pipe(fds) < 0) {
		free(tool);
		return -errno;
	}
	FILE *err = tmpfile();
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		if (err)
			dup2(fileno(err), 2);
		close(fds[0]);
		close(fds[1]);
		execlp(tool, tool, "cflags", "--lines", opt->kdir, (char *)NULL);
		fprintf(stderr, "cannot run %s: %s\n", tool, strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	struct kb_buf text = { 0 };
	char chunk[4096];
	ssize_t n;
	while ((n = read(fds[0], chunk, sizeof(chunk) - 1)) > 0) {
		chunk[n] = 0;
		kb_puts(&text, chunk);
	}
	close(fds[0]);
	int status = 0;
	int rc = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		kx_report_file(KX_ERROR, opt->kdir,
			       "%s cflags failed (status %d); its messages follow", tool,
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		if (err) {
			rewind(err);
			while (fgets(chunk, sizeof(chunk), err))
				fputs(chunk, stderr);
		}
		rc = -EINVAL;
	} else {
		add_lines(out, text.s ? text.s : (char[]){ 0 });
	}
	if (err)
		fclose(err);
	kb_free(&text);
	free(tool);
	return rc;
}

static int read_cflags_file(const char *path, struct kb_strv *out)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		int e = errno;
		kx_report_file(KX_ERROR, path, "%s", strerror(e));
		return -e;
	}
	char line[8192];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (*line)
			kb_strv_add(out, line);
	}
	fclose(f);
	return 0;
}

/* #include line for HEADER: an existing file by its full path, else a
 * name on the include path (linux/fs.h). */
void kb_include_line(const char *h, struct kb_buf *src)
{
	char full[PATH_MAX];
	if (access(h, R_OK) == 0 && realpath(h, full))
		kb_printf(src, "#include \"%s\"\n", full);
	else
		kb_printf(src, "#include <%s>\n", h);
}

const char *kb_cursor_file(CXCursor c, unsigned *line)
{
	static char name[PATH_MAX];
	CXFile file;
	unsigned l = 0, col, off;
	clang_getExpansionLocation(clang_getCursorLocation(c), &file, &l, &col, &off);
	CXString s = clang_getFileName(file);
	snprintf(name, sizeof(name), "%s", clang_getCString(s) ? clang_getCString(s) : "<input>");
	clang_disposeString(s);
	if (line)
		*line = l;
	return name;
}

/* Every error-class diagnostic, named by header and line. */
static unsigned report_diagnostics(CXTranslationUnit tu)
{
	unsigned errors = 0, n = clang_getNumDiagnostics(tu);
	for (unsigned i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
			CXString s = clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation |
								       CXDiagnostic_DisplayColumn);
			kx_report_file(KX_ERROR, NULL, "%s", clang_getCString(s));
			clang_disposeString(s);
			errors++;
		}
		clang_disposeDiagnostic(d);
	}
	return errors;
}

int kb_parse(struct kb_gen *g)
{
	const struct kb_options *opt = g->opt;
	struct kb_strv args = { 0 }; /* kept as g->args for the probes and the check */
	int rc = 0;
	if (opt->cflags_file)
		rc = read_cflags_file(opt->cflags_file, &args);
	else if (opt->kdir)
		rc = run_kbuild_cflags(opt, &args);
	else
		kb_strv_add(&args, "--target=x86_64-unknown-linux-gnu");
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < opt->clang_args.n; i++)
		kb_strv_add(&args, opt->clang_args.v[i]);
	kb_strv_add(&args, "-Wno-everything");

	struct kb_buf src = { 0 };
	for (size_t i = 0; i < opt->headers.n; i++)
		kb_include_line(opt->headers.v[i], &src);
	kb_const_source(opt, &src);
	if (kb_nomem_count()) {
		kb_free(&src);
		rc = -ENOMEM;
		goto out;
	}
	struct CXUnsavedFile unsaved = { KB_MAIN, kb_str(&src), (unsigned long)src.len };

	g->index = clang_createIndex(0, 0);
	enum CXErrorCode ec = clang_parseTranslationUnit2(
		g->index, KB_MAIN, (const char *const *)args.v, (int)args.n, &unsaved, 1,
		CXTranslationUnit_DetailedPreprocessingRecord |
			CXTranslationUnit_SkipFunctionBodies,
		&g->tu);
	kb_free(&src);
	if (ec != CXError_Success || !g->tu) {
		kx_report_file(KX_ERROR, NULL, "libclang could not parse the headers (error %d)",
			       ec);
		rc = -EINVAL;
	} else if (report_diagnostics(g->tu)) {
		kx_report_file(KX_ERROR, NULL,
			       "the headers do not compile with these flags; fix the errors above");
		rc = -EINVAL;
	}
out:
	g->args = args;
	return rc;
}
