// SPDX-License-Identifier: GPL-2.0-only
/*
 * kelfix: a cargo static archive becomes one relocatable object that
 * kbuild links into a module the stock x86-64 loader accepts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "link.h"

static const char usage_text[] =
	"Usage: kelfix [OPTIONS] INPUT... -o OUTPUT\n"
	"\n"
	"Links cargo static archives (libfoo.a, target x86_64-unknown-none) and\n"
	"x86-64 relocatable objects into one object for kbuild: GOTPCREL\n"
	"relocations rewritten, mcount calls made NOPs, unreachable code and\n"
	"debug info pruned, one .modinfo, and .OUTPUT.cmd written beside it.\n"
	"\n"
	"  -o FILE               the output object (required)\n"
	"  -u, --undefined SYM   keep SYM and what it reaches (a GC root)\n"
	"      --keep-section GLOB\n"
	"                        keep sections whose name matches GLOB (GC roots)\n"
	"      --no-gc           keep every section, reachable or not\n"
	"      --keep-sections   do not merge sections into .text/.rodata/.data/.bss\n"
	"      --keep-debug      keep DWARF (.debug_*) for the code that is kept\n"
	"  -m TAG=VALUE          add a .modinfo entry (e.g. -m license=GPL)\n"
	"      --no-license      do not require a license= entry\n"
	"      --dep-file FILE   cargo's dep-info file: its sources go in the .cmd deps\n"
	"      --no-cmd          do not write the .cmd file\n"
	"      --why-live SYM    print the chain of sections that keeps SYM\n"
	"      --stats           print what was read, kept, rewritten and pruned\n"
	"  -h, --help            this text\n"
	"      --version         the version\n"
	"\n"
	"Exit status: 0 success, 1 input rejected, 2 usage error, 3 I/O or\n"
	"internal failure.  On failure no output and no .cmd file is left.\n";

enum {
	OPT_KEEP_SECTION = 256,
	OPT_NO_GC,
	OPT_KEEP_SECTIONS,
	OPT_KEEP_DEBUG,
	OPT_NO_LICENSE,
	OPT_DEP_FILE,
	OPT_NO_CMD,
	OPT_WHY_LIVE,
	OPT_STATS,
	OPT_VERSION,
};

static const struct option long_opts[] = {
	{ "undefined", required_argument, NULL, 'u' },
	{ "keep-section", required_argument, NULL, OPT_KEEP_SECTION },
	{ "no-gc", no_argument, NULL, OPT_NO_GC },
	{ "keep-sections", no_argument, NULL, OPT_KEEP_SECTIONS },
	{ "keep-debug", no_argument, NULL, OPT_KEEP_DEBUG },
	{ "no-license", no_argument, NULL, OPT_NO_LICENSE },
	{ "dep-file", required_argument, NULL, OPT_DEP_FILE },
	{ "no-cmd", no_argument, NULL, OPT_NO_CMD },
	{ "why-live", required_argument, NULL, OPT_WHY_LIVE },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static int push_str(const char ***v, size_t *n, const char *s)
{
	const char **p = realloc(*v, (*n + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	p[(*n)++] = s;
	*v = p;
	return 0;
}

/* The command line as a shell would read it back (for the .cmd file). */
static char *join_argv(int argc, char **argv)
{
	size_t n = 1;
	char *s, *p;
	int i;

	for (i = 0; i < argc; i++)
		n += 4 * strlen(argv[i]) + 3;
	s = p = malloc(n);
	if (!s)
		return NULL;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool plain = *a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					     "0123456789-_./=+,:@%") == strlen(a);

		if (i)
			*p++ = ' ';
		if (plain) {
			p = stpcpy(p, a);
			continue;
		}
		*p++ = '\'';
		for (; *a; a++) {
			if (*a == '\'')
				p = stpcpy(p, "'\\''");
			else
				*p++ = *a;
		}
		*p++ = '\'';
	}
	*p = '\0';
	return s;
}

static int usage_error(const char *msg)
{
	kx_report_file(KX_ERROR, NULL, "%s (see kelfix --help)", msg);
	return KX_EXIT_USAGE;
}

static int parse(int argc, char **argv, struct kx_options *o)
{
	int c;

	while ((c = getopt_long(argc, argv, "o:u:m:h", long_opts, NULL)) != -1) {
		int err = 0;

		switch (c) {
		case 'o': o->output = optarg; break;
		case 'u': err = push_str(&o->undefs, &o->nundefs, optarg); break;
		case 'm': err = push_str(&o->modinfo, &o->nmodinfo, optarg); break;
		case OPT_KEEP_SECTION: err = push_str(&o->keep_globs, &o->nkeep_globs, optarg); break;
		case OPT_NO_GC: o->no_gc = true; break;
		case OPT_KEEP_SECTIONS: o->keep_sections = true; break;
		case OPT_KEEP_DEBUG: o->keep_debug = true; break;
		case OPT_NO_LICENSE: o->no_license = true; break;
		case OPT_DEP_FILE: o->dep_file = optarg; break;
		case OPT_NO_CMD: o->no_cmd = true; break;
		case OPT_WHY_LIVE: o->why_live = optarg; break;
		case OPT_STATS: o->stats = true; break;
		case 'h': fputs(usage_text, stdout); return -1;
		case OPT_VERSION: printf("kelfix %s\n", KELFIX_VERSION); return -1;
		default: return usage_error("unknown option");
		}
		if (err)
			return KX_EXIT_FAILURE;
	}
	if (!o->output)
		return usage_error("no output: give -o FILE");
	if (optind >= argc)
		return usage_error("no input: give the cargo archive (libfoo.a) or objects");
	return 0;
}

int main(int argc, char **argv)
{
	struct kx_options opt = { 0 };
	struct kx_link l;
	int ret, err;

	kx_diag_reset(stderr, "kelfix");
	/* Before getopt_long() permutes argv. */
	opt.cmdline = join_argv(argc, argv);
	ret = parse(argc, argv, &opt);
	if (ret) {
		ret = ret < 0 ? KX_EXIT_OK : ret;
		goto out;
	}
	kx_link_init(&l, &opt);
	err = kx_link_run(&l, (const char *const *)argv + optind, (size_t)(argc - optind));
	if (err == -ENOMEM)
		kx_report_file(KX_ERROR, NULL, "out of memory");
	else if (err == -EINVAL && !kx_diag_errors())
		kx_report_file(KX_ERROR, NULL, "link failed");
	ret = kx_exit_from_errno(err);
	kx_link_free(&l);
out:
	free((char *)opt.cmdline);
	free(opt.undefs);
	free(opt.modinfo);
	free(opt.keep_globs);
	return ret;
}
