// SPDX-License-Identifier: GPL-2.0-only
/*
 * kelfix-bindgen: the command-line front end.  Options -> kb_options,
 * kx_bindgen_run(), then both outputs written atomically (temp file in the
 * target directory, renamed into place): on failure nothing is left.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bindgen.h"
#include "diag.h"
#include "outfile.h"

static void usage(FILE *f)
{
	fputs("Usage: kelfix-bindgen [--kernel KDIR] [OPTIONS] HEADER... -o bindings.rs [--wrappers helpers.c]\n"
	      "\n"
	      "Rust bindings (no_std) for the declarations of kernel headers,\n"
	      "parsed by libclang with the flags kbuild compiles modules of KDIR with\n"
	      "(kelfix-kbuild cflags KDIR).  Every record gets compile-time size, alignment\n"
	      "and offset assertions.  static inline functions and function-like macros\n"
	      "get C wrappers (kelfix_<name>) in the --wrappers file, for kbuild.  A macro's\n"
	      "signature is the one clang gives its own expansion; a macro that cannot be\n"
	      "typed, or a wrapper that does not compile with the kernel's flags, is left\n"
	      "out with a warning.\n"
	      "\n"
	      "  --kernel KDIR             kernel build directory (/lib/modules/REL/build)\n"
	      "  --allowlist-function RE   functions (and function macros) to bind; POSIX ERE,\n"
	      "                            whole name; repeatable\n"
	      "  --allowlist-type RE       structs, unions, enums, typedefs\n"
	      "  --allowlist-var RE        extern variables\n"
	      "  --constant NAME           an integer constant expression macro; repeatable\n"
	      "                            (a name given twice is bound once)\n"
	      "  -o, --output FILE         bindings.rs (required)\n"
	      "  --wrappers FILE           helpers.c (required when a wrapper is needed)\n"
	      "  --cflags-file FILE        parse flags, one a line, instead of running kelfix-kbuild\n"
	      "  --kbuild-tool PATH        the kelfix-kbuild to run (default: beside this\n"
	      "                            program, $KELFIX_KBUILD, then $PATH)\n"
	      "  --clang-arg ARG           one more parse flag; repeatable\n"
	      "  --release STR             kernel release for the header line\n"
	      "  --ctypes-prefix PATH      the Rust module C's types (c_int, c_char, ...)\n"
	      "                            are named from (default: core::ffi)\n"
	      "  -h, --help / --version\n"
	      "\n"
	      "Exit status: 0 success, 1 headers or names rejected, 2 usage, 3 I/O failure.\n",
	      f);
}

/* B into a new unnamed file for PATH, synced. */
static int fill(struct kx_outfile *f, const char *path, const struct kb_buf *b)
{
	const char *p = kb_str(b);
	size_t off = 0;
	int err = kx_outfile_open(f, path);

	while (!err && off < b->len) {
		ssize_t n = write(f->fd, p + off, b->len - off);

		if (n < 0 && errno != EINTR) {
			err = -errno;
			kx_report_file(KX_ERROR, path, "cannot write: %s", strerror(-err));
		} else if (n > 0) {
			off += (size_t)n;
		}
	}
	return err ? err : kx_outfile_sync(f);
}

/* Both outputs whole or neither, as every kelfix output (lib/outfile.h):
 * helpers.c (WRAP, may be NULL) and bindings.rs appear in one step. */
static int write_outputs(const char *out, const struct kb_buf *rs, const char *wrap,
			 const struct kb_buf *c)
{
	struct kx_outfile f_rs = { .fd = -1 }, f_c = { .fd = -1 };
	struct kx_outfile *const files[] = { &f_rs, &f_c };
	size_t done;
	int err = fill(&f_rs, out, rs);

	if (!err && wrap)
		err = fill(&f_c, wrap, c);
	if (!err)
		err = kx_outfile_publish(files, wrap ? 2 : 1, &done);
	kx_outfile_abort(&f_rs);
	kx_outfile_abort(&f_c);
	return err;
}

enum {
	O_KERNEL = 256,
	O_AF,
	O_AT,
	O_AV,
	O_CONST,
	O_WRAP,
	O_CFLAGS,
	O_TOOL,
	O_CARG,
	O_REL,
	O_CTYPES,
	O_VER
};

static const struct option longopts[] = {
	{ "kernel", required_argument, NULL, O_KERNEL },
	{ "allowlist-function", required_argument, NULL, O_AF },
	{ "allowlist-type", required_argument, NULL, O_AT },
	{ "allowlist-var", required_argument, NULL, O_AV },
	{ "constant", required_argument, NULL, O_CONST },
	{ "output", required_argument, NULL, 'o' },
	{ "wrappers", required_argument, NULL, O_WRAP },
	{ "cflags-file", required_argument, NULL, O_CFLAGS },
	{ "kbuild-tool", required_argument, NULL, O_TOOL },
	{ "clang-arg", required_argument, NULL, O_CARG },
	{ "release", required_argument, NULL, O_REL },
	{ "ctypes-prefix", required_argument, NULL, O_CTYPES },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, O_VER },
	{ 0 },
};

static int parse_args(int argc, char **argv, struct kb_options *o, const char **out,
		      const char **wrap)
{
	int c;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case O_KERNEL:
			o->kdir = optarg;
			break;
		case O_AF:
			kb_strv_add(&o->fn_re, optarg);
			break;
		case O_AT:
			kb_strv_add(&o->type_re, optarg);
			break;
		case O_AV:
			kb_strv_add(&o->var_re, optarg);
			break;
		case O_CONST:
			/* A module's flags may name one the kernel crate has. */
			if (!kb_strv_has(&o->constants, optarg))
				kb_strv_add(&o->constants, optarg);
			break;
		case 'o':
			*out = optarg;
			break;
		case O_WRAP:
			*wrap = optarg;
			break;
		case O_CFLAGS:
			o->cflags_file = optarg;
			break;
		case O_TOOL:
			o->kbuild_tool = optarg;
			break;
		case O_CARG:
			kb_strv_add(&o->clang_args, optarg);
			break;
		case O_REL:
			o->release = optarg;
			break;
		case O_CTYPES:
			o->ctypes_prefix = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(KX_EXIT_OK);
		case O_VER:
			printf("kelfix-bindgen %s\n", KELFIX_VERSION);
			exit(KX_EXIT_OK);
		default:
			return -1;
		}
	}
	for (int i = optind; i < argc; i++)
		kb_strv_add(&o->headers, argv[i]);
	if (!*out || !o->headers.n) {
		fputs("kelfix-bindgen: need HEADER... and -o FILE\n", stderr);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct kb_options opt = { 0 };
	const char *out = NULL, *wrap = NULL;
	kx_diag_reset(stderr, "kelfix-bindgen");
	if (parse_args(argc, argv, &opt, &out, &wrap) < 0) {
		usage(stderr);
		kb_options_free(&opt);
		return KX_EXIT_USAGE;
	}
	if (kb_nomem_count()) { /* an option could not be kept (reported) */
		kb_options_free(&opt);
		return KX_EXIT_FAILURE;
	}
	struct kb_buf rs = { 0 }, c = { 0 };
	int rc = kx_bindgen_run(&opt, &rs, &c); /* rs, c: ours from here */
	if (!rc && !wrap && strstr(kb_str(&rs), "#[link_name = \"kelfix_")) {
		kx_report_file(KX_ERROR, out,
			       "static inline functions or macros need C wrappers: "
			       "add --wrappers helpers.c");
		rc = -EINVAL;
	}
	if (!rc && kx_diag_errors())
		rc = -EINVAL;
	if (!rc)
		rc = write_outputs(out, &rs, wrap, &c);
	kb_free(&rs);
	kb_free(&c);
	kb_options_free(&opt);
	if (rc == -EINVAL || rc == -ENOENT || rc == -ENOTSUP)
		return KX_EXIT_REJECTED;
	return rc ? KX_EXIT_FAILURE : KX_EXIT_OK;
}
