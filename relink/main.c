// SPDX-License-Identifier: GPL-2.0-only
/*
 * kelfix: a cargo static archive becomes one relocatable object that
 * kbuild links into a module the stock x86-64 loader accepts.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "diag.h"
#include "input.h"
#include "link.h"

static const char usage_text[] =
	"Usage: kelfix [OPTIONS] INPUT... -o OUTPUT\n"
	"       kelfix --audit [--kernel KDIR] [--format text|json] [--allow CHECK] INPUT...\n"
	"\n"
	"Links cargo static archives (libfoo.a, target x86_64-unknown-none) and\n"
	"x86-64 relocatable objects into one object for kbuild: GOTPCREL\n"
	"relocations rewritten, mcount calls made NOPs, calls through\n"
	"crate-private functions that only jump sent on to the destination,\n"
	"unreachable code and debug info pruned, one .modinfo, and .OUTPUT.cmd\n"
	"written beside it.\n"
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
	"      --sync            flush the outputs to disk before naming them (they then\n"
	"                        survive a power loss whole; linkers do not, and it is slow)\n"
	"      --kernel KDIR     the target kernel's kbuild directory (/lib/modules/RELEASE/build):\n"
	"                        its .config, Module.symvers and release (audit and link)\n"
	"      --allow CHECK     accept the error-class findings of CHECK (repeatable; loud)\n"
	"      --module-object OBJ\n"
	"                        another object kbuild links into the same module (a C part):\n"
	"                        the audit counts its global definitions as defined; it is\n"
	"                        read, not linked in (repeatable)\n"
	"\n"
	"Audit (reports, changes nothing; also run on the output of every link,\n"
	"which fails on error-class findings):\n"
	"      --audit           check archives, objects, .ko and .ko.xz files for what the\n"
	"                        kernel refuses or what would crash it; many inputs at once\n"
	"      --format FMT      text (default, grouped by check) or json\n"
	"      --list-checks     the checks: id, default severity, what they find\n"
	"  -h, --help            this text\n"
	"      --version         the version\n"
	"\n"
	"Exit status: 0 success, 1 input rejected (audit: an error-class finding),\n"
	"2 usage error, 3 I/O or internal failure.  On failure no output and no\n"
	".cmd file is left.\n";

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
	OPT_SYNC,
	OPT_VERSION,
	OPT_AUDIT,
	OPT_KERNEL,
	OPT_FORMAT,
	OPT_ALLOW,
	OPT_LIST_CHECKS,
	OPT_MODULE_OBJECT,
};

/* What the command line asks for beyond a link. */
struct cli {
	struct kx_options link;
	bool audit;
	bool json;
	const char *kernel;	     /* --kernel KDIR */
	const char **module_objects; /* --module-object OBJ */
	size_t nmodule_objects;
	uint32_t allow; /* 1 << enum kx_check */
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
	{ "sync", no_argument, NULL, OPT_SYNC },
	{ "audit", no_argument, NULL, OPT_AUDIT },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "list-checks", no_argument, NULL, OPT_LIST_CHECKS },
	{ "module-object", required_argument, NULL, OPT_MODULE_OBJECT },
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

static void list_checks(void)
{
	int c;

	for (c = 0; c < KX_NCHECKS; c++)
		printf("%-18s %-8s %s\n", kx_check_info(c)->id,
		       kx_severity_name(kx_check_info(c)->severity), kx_check_info(c)->what);
}

static int parse_audit_opt(int c, struct cli *cli)
{
	int check;

	switch (c) {
	case OPT_AUDIT:
		cli->audit = true;
		return 0;
	case OPT_KERNEL:
		cli->kernel = optarg;
		return 0;
	case OPT_FORMAT:
		if (strcmp(optarg, "text") && strcmp(optarg, "json"))
			return usage_error("--format is text or json");
		cli->json = !strcmp(optarg, "json");
		return 0;
	case OPT_ALLOW:
		check = kx_check_by_id(optarg);
		if (check < 0)
			return usage_error("--allow: no such check (see kelfix --list-checks)");
		cli->allow |= 1u << check;
		return 0;
	case OPT_LIST_CHECKS:
		list_checks();
		return -1;
	case OPT_MODULE_OBJECT:
		return push_str(&cli->module_objects, &cli->nmodule_objects, optarg) ?
			       KX_EXIT_FAILURE :
			       0;
	default:
		return usage_error("unknown option");
	}
}

static int parse(int argc, char **argv, struct cli *cli)
{
	struct kx_options *o = &cli->link;
	int c;

	while ((c = getopt_long(argc, argv, "o:u:m:h", long_opts, NULL)) != -1) {
		int err = 0;

		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 'u':
			err = push_str(&o->undefs, &o->nundefs, optarg);
			break;
		case 'm':
			err = push_str(&o->modinfo, &o->nmodinfo, optarg);
			break;
		case OPT_KEEP_SECTION:
			err = push_str(&o->keep_globs, &o->nkeep_globs, optarg);
			break;
		case OPT_NO_GC:
			o->no_gc = true;
			break;
		case OPT_KEEP_SECTIONS:
			o->keep_sections = true;
			break;
		case OPT_KEEP_DEBUG:
			o->keep_debug = true;
			break;
		case OPT_NO_LICENSE:
			o->no_license = true;
			break;
		case OPT_DEP_FILE:
			o->dep_file = optarg;
			break;
		case OPT_NO_CMD:
			o->no_cmd = true;
			break;
		case OPT_WHY_LIVE:
			o->why_live = optarg;
			break;
		case OPT_STATS:
			o->stats = true;
			break;
		case OPT_SYNC:
			o->sync = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		case OPT_VERSION:
			printf("kelfix %s\n", KELFIX_VERSION);
			return -1;
		default:
			err = parse_audit_opt(c, cli);
			if (err)
				return err;
			break;
		}
		if (err)
			return KX_EXIT_FAILURE;
	}
	if (cli->audit && o->output)
		return usage_error("--audit reports and writes nothing: drop -o");
	if (cli->audit && cli->nmodule_objects)
		return usage_error(
			"--module-object is for a link's audit: give the objects as inputs to --audit");
	if (cli->audit && optind >= argc)
		return usage_error("no input: give archives, objects or modules to audit");
	if (cli->audit)
		return 0;
	if (!o->output)
		return usage_error("no output: give -o FILE");
	if (optind >= argc)
		return usage_error("no input: give the cargo archive (libfoo.a) or objects");
	return 0;
}

static int load_kernel(const struct cli *cli, struct kx_kernel *k, const struct kx_kernel **out)
{
	int err;

	*out = NULL;
	if (!cli->kernel)
		return 0;
	err = kx_kernel_load(k, cli->kernel);
	if (err == -ENOMEM)
		kx_report_file(KX_ERROR, NULL, "out of memory");
	if (err)
		return err == -ENOENT ? KX_EXIT_USAGE : KX_EXIT_FAILURE;
	*out = k;
	return 0;
}

static int run_audit(const struct cli *cli, char **paths, size_t npaths)
{
	struct kx_kernel kernel;
	struct kx_audit_opts ao = { .allow = cli->allow };
	struct kx_audit a;
	int ret = load_kernel(cli, &kernel, &ao.kernel), worst = KX_EXIT_OK;
	size_t i;

	if (ret)
		return ret;
	if (kx_audit_init(&a, &ao)) {
		kx_report_file(KX_ERROR, NULL, "cannot start the decoder (capstone)");
		ret = KX_EXIT_FAILURE;
		goto out;
	}
	for (i = 0; i < npaths; i++) {
		int err = kx_audit_path(&a, paths[i]);
		int code = kx_exit_from_errno(err);

		if (err == -ENOMEM) {
			kx_report_file(KX_ERROR, NULL, "out of memory");
			ret = KX_EXIT_FAILURE;
			goto out;
		}
		if (code > worst)
			worst = code;
	}
	if (cli->json)
		kx_audit_print_json(&a, stdout);
	else
		kx_audit_print_text(&a, stdout);
	kx_audit_report_allowed(&a);
	ret = worst != KX_EXIT_OK ? worst : kx_audit_errors(&a) ? KX_EXIT_REJECTED : KX_EXIT_OK;
out:
	kx_audit_free(&a);
	if (ao.kernel)
		kx_kernel_free(&kernel);
	return ret;
}

/* A link whose output is audited before it is published (link_audit.c). */
static int run_link(const struct cli *cli, char **paths, size_t npaths)
{
	struct kx_kernel kernel;
	struct kx_link_audit la = { .allow = cli->allow, .no_license = cli->link.no_license };
	struct kx_options opt = cli->link;
	struct kx_inputs parts = { 0 };
	struct kx_link l;
	int ret = load_kernel(cli, &kernel, &la.kernel), err = 0;
	size_t i;

	if (ret)
		return ret;
	/* The module's other objects: read only for the audit's symbols. */
	for (i = 0; !err && i < cli->nmodule_objects; i++)
		err = kx_inputs_add(&parts, cli->module_objects[i]);
	if (err) {
		if (err == -ENOMEM)
			kx_report_file(KX_ERROR, NULL, "out of memory");
		ret = kx_exit_from_errno(err);
		goto out;
	}
	la.parts = parts.objs;
	la.nparts = parts.nobjs;
	opt.verify = kx_audit_link_output;
	opt.verify_ctx = &la;
	err = kx_link_init(&l, &opt);
	/* Findings in the output are named at the inputs they came from. */
	la.origin = kx_link_origin;
	la.origin_ctx = &l;
	if (!err)
		err = kx_link_run(&l, (const char *const *)paths, npaths);
	if (err == -ENOMEM)
		kx_report_file(KX_ERROR, NULL, "out of memory");
	else if (err == -EINVAL && !kx_diag_errors())
		kx_report_file(KX_ERROR, NULL, "link failed");
	ret = kx_exit_from_errno(err);
	kx_link_free(&l);
out:
	kx_inputs_free(&parts);
	if (la.kernel)
		kx_kernel_free(&kernel);
	return ret;
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	struct kx_options *opt = &cli.link;
	size_t ninputs;
	int ret;

	kx_diag_reset(stderr, "kelfix");
	/* Before getopt_long() permutes argv. */
	opt->cmdline = join_argv(argc, argv);
	ret = parse(argc, argv, &cli);
	if (ret) {
		ret = ret < 0 ? KX_EXIT_OK : ret;
		goto out;
	}
	ninputs = (size_t)(argc - optind);
	if (cli.audit)
		ret = run_audit(&cli, argv + optind, ninputs);
	else
		ret = run_link(&cli, argv + optind, ninputs);
out:
	kx_diag_release();
	free((char *)opt->cmdline);
	free(opt->undefs);
	free(opt->modinfo);
	free(opt->keep_globs);
	free(cli.module_objects);
	return ret;
}
