// SPDX-License-Identifier: GPL-2.0-only
/*
 * kelfix-kbuild: asks a kernel's kbuild how it builds modules and says it
 * in a form other compilers can use.
 *
 *   kelfix-kbuild cflags [--gcc] [--clang CLANG] [--modname NAME] KDIR
 *   kelfix-kbuild rustflags [--lines] KDIR
 *
 * cflags reads as the passes: ask kbuild (kbuild_probe.c) → translate for
 * clang (kbuild_clang.c) → add the module's name → print.  rustflags reads
 * the kernel's .config (lib/kernel.c) through kbuild_rust_flags.def.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kbuild_clang.h"
#include "kbuild_probe.h"
#include "kbuild_words.h"
#include "kernel.h"

static const char usage_text[] =
	"Usage: kelfix-kbuild cflags [OPTIONS] KDIR\n"
	"       kelfix-kbuild rustflags [--lines] KDIR\n"
	"\n"
	"cflags prints the C flags kbuild compiles a module of the kernel in KDIR\n"
	"(/lib/modules/RELEASE/build) with, translated for clang.  kbuild itself\n"
	"is asked: a one-line probe module is compiled in a temporary directory\n"
	"and the command kbuild recorded for it is read back.  Include paths are\n"
	"made absolute; GCC-only flags are translated from a table of known cases\n"
	"or, when the installed clang rejects them, dropped.  Each translated or\n"
	"dropped flag is reported on stderr.\n"
	"\n"
	"  --gcc            print kbuild's flags for its own compiler instead (only\n"
	"                   the paths made absolute); the compiler is named on stderr\n"
	"  --clang CLANG    the clang to translate for (default: clang)\n"
	"  --modname NAME   add the defines kbuild gives the objects of module NAME\n"
	"                   (KBUILD_MODNAME, KBUILD_BASENAME, __KBUILD_MODNAME);\n"
	"                   without it they are left out\n"
	"  --lines          one flag per line, unquoted (default: one line, quoted\n"
	"                   for a POSIX shell where needed)\n"
	"  -h, --help       this text\n"
	"      --version    the version\n"
	"\n"
	"Environment: KELFIX_MAKE, the make command (shell words, default make);\n"
	"KELFIX_KBUILD_VARS, shell words VAR=value added to the probe's\n"
	"make command line (kelfix.mk passes on CC, LLVM, CROSS_COMPILE, ARCH and\n"
	"the other kbuild variables of its own make command line).\n"
	"\n"
	"rustflags prints the rustc code-generation flags the kernel's .config asks\n"
	"of module code: -Zcf-protection=branch (ENDBR64, a NOP without IBT),\n"
	"-Cjump-tables=no with CONFIG_X86_KERNEL_IBT, -Zretpoline-external-thunk\n"
	"-Zplt=yes with retpolines (CONFIG_RETPOLINE, CONFIG_MITIGATION_RETPOLINE),\n"
	"space-separated on one line (--lines: one a line), for RUSTFLAGS or\n"
	"CARGO_TARGET_X86_64_UNKNOWN_NONE_RUSTFLAGS.  -Z flags need a nightly rustc\n"
	"or RUSTC_BOOTSTRAP=1, and core and alloc built with -Z build-std.\n"
	"\n"
	"Exit status: 0 success, 1 KDIR or kbuild rejected (not a kernel build\n"
	"directory, kbuild failed, a flag clang cannot replace), 2 usage error,\n"
	"3 I/O or internal failure (make or clang cannot be run).\n";

enum { OPT_GCC = 256, OPT_CLANG, OPT_MODNAME, OPT_LINES, OPT_VERSION };

static const struct option long_opts[] = {
	{ "gcc", no_argument, NULL, OPT_GCC },
	{ "clang", required_argument, NULL, OPT_CLANG },
	{ "modname", required_argument, NULL, OPT_MODNAME },
	{ "lines", no_argument, NULL, OPT_LINES },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

struct cflags_opts {
	bool gcc;
	const char *clang;
	const char *modname;
	bool lines;
	const char *kdir;
};

static enum kx_exit usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "kelfix-kbuild: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'kelfix-kbuild --help'.\n");
	return KX_EXIT_USAGE;
}

/* A module name as kbuild spells it in C: letters, digits, '_'. */
static bool modname_ok(const char *name)
{
	return *name && strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				     "0123456789_") == strlen(name);
}

/* Parses `cflags`'s options.  -1 to go on, else the exit code. */
static int parse_cflags(int argc, char **argv, struct cflags_opts *o)
{
	int c;

	o->clang = "clang";
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_GCC:
			o->gcc = true;
			break;
		case OPT_CLANG:
			o->clang = optarg;
			break;
		case OPT_MODNAME:
			o->modname = optarg;
			break;
		case OPT_LINES:
			o->lines = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return KX_EXIT_OK;
		case OPT_VERSION:
			printf("kelfix-kbuild %s\n", KELFIX_VERSION);
			return KX_EXIT_OK;
		default:
			return usage_error("%s", "bad option");
		}
	}
	if (optind != argc - 1)
		return usage_error("cflags takes one KDIR%s", "");
	o->kdir = argv[optind];
	if (o->modname && !modname_ok(o->modname))
		return usage_error(
			"--modname '%s': letters, digits and '_' only (kbuild turns '-' into '_')",
			o->modname);
	return -1;
}

/* kbuild's defines for the objects of module `name` (scripts/Makefile.lib,
 * basename_flags and modname_flags, for a single-object module). */
static int push_modname(struct kb_strv *flags, const char *name)
{
	static const char *const fmt[] = {
		"-DKBUILD_BASENAME=\"%s\"",
		"-DKBUILD_MODNAME=\"%s\"",
		"-D__KBUILD_MODNAME=kmod_%s",
	};
	char buf[512];

	for (size_t i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		snprintf(buf, sizeof(buf), fmt[i], name);
		if (kb_strv_push(flags, buf))
			return -ENOMEM;
	}
	return 0;
}

static void print_flags(const struct kb_strv *flags, bool lines)
{
	for (size_t i = 0; i < flags->n; i++) {
		if (lines) {
			printf("%s\n", flags->v[i]);
			continue;
		}
		if (i)
			putchar(' ');
		kb_shell_quote(stdout, flags->v[i]);
	}
	if (!lines)
		putchar('\n');
}

static enum kx_exit cmd_cflags(int argc, char **argv)
{
	struct cflags_opts o = { 0 };
	struct kb_kbuild_flags kf;
	struct kb_strv out = { 0 };
	int rc = parse_cflags(argc, argv, &o);
	int err;

	if (rc >= 0)
		return (enum kx_exit)rc;
	/* 1. kbuild's own answer, paths made absolute. */
	err = kb_kbuild_probe(o.kdir, &kf);
	/* 2. its flags for clang (or as they are, with --gcc). */
	if (!err && o.gcc) {
		kx_report_file(KX_NOTE, NULL, "kbuild's compiler: %s", kf.compiler);
		err = kb_strv_append(&out, &kf.flags);
	} else if (!err) {
		err = kb_clang_translate(o.clang, kf.flags.v, kf.flags.n, &out);
	}
	/* 3. the module's name, when one was given. */
	if (!err && o.modname)
		err = push_modname(&out, o.modname);
	if (!err)
		print_flags(&out, o.lines);
	if (err == -ENOMEM)
		kx_report_file(KX_ERROR, NULL, "out of memory");
	if (!err && (fflush(stdout) || ferror(stdout))) {
		kx_report_file(KX_ERROR, "stdout", "write error: %s", strerror(errno));
		err = -EIO;
	}
	kb_strv_free(&out);
	kb_kbuild_flags_free(&kf);
	return kx_exit_from_errno(err);
}

/* Prints a row's flags (kbuild_rust_flags.def) after those printed before. */
static void print_rust_flags(const char *flags, bool lines, bool *first)
{
	while (*flags) {
		size_t n = strcspn(flags, " ");

		printf("%s%.*s", *first ? "" : lines ? "\n" : " ", (int)n, flags);
		*first = false;
		flags += n + strspn(flags + n, " ");
	}
}

/* The rows of kbuild_rust_flags.def whose condition holds for k. */
static void print_kernel_rust_flags(const struct kx_kernel *k, bool lines)
{
	bool first = true;

#define KX_RUSTFLAG(when, flags, why) \
	if (when)                     \
		print_rust_flags(flags, lines, &first);
#include "kbuild_rust_flags.def"
#undef KX_RUSTFLAG
	if (!first || !lines)
		putchar('\n');
}

static enum kx_exit cmd_rustflags(int argc, char **argv)
{
	struct kx_kernel k = { 0 };
	bool lines = false;
	int c, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_LINES:
			lines = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return KX_EXIT_OK;
		default:
			return usage_error("%s", "bad option for rustflags (--lines)");
		}
	}
	if (optind != argc - 1)
		return usage_error("rustflags takes one KDIR%s", "");
	err = kx_kernel_load(&k, argv[optind]);
	if (err == -ENOENT)
		err = -EINVAL; /* not a kbuild directory: KDIR rejected (named already) */
	if (!err)
		print_kernel_rust_flags(&k, lines);
	if (!err && (fflush(stdout) || ferror(stdout))) {
		kx_report_file(KX_ERROR, "stdout", "write error: %s", strerror(errno));
		err = -EIO;
	}
	kx_kernel_free(&k);
	return kx_exit_from_errno(err);
}

int main(int argc, char **argv)
{
	kx_diag_reset(stderr, "kelfix-kbuild");
	if (argc < 2)
		return usage_error("a command is needed: cflags or rustflags%s", "");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return KX_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("kelfix-kbuild %s\n", KELFIX_VERSION);
		return KX_EXIT_OK;
	}
	if (!strcmp(argv[1], "cflags"))
		return cmd_cflags(argc - 1, argv + 1);
	if (!strcmp(argv[1], "rustflags"))
		return cmd_rustflags(argc - 1, argv + 1);
	return usage_error("unknown command '%s' (cflags, rustflags)", argv[1]);
}
