// SPDX-License-Identifier: GPL-2.0-only
/* The target kernel's facts from its kbuild directory (kernel.h). */
#include "kernel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

struct export_entry {
	const char *name;
	enum kx_export kind;
};

/* The whole of dir/name, NUL-terminated, or NULL with *err a negative
 * errno (reported unless quiet or -ENOMEM). */
static char *read_text(const char *dir, const char *name, bool quiet, int *err)
{
	char *path = NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f;

	if (asprintf(&path, "%s/%s", dir, name) < 0) {
		*err = -ENOMEM;
		return NULL;
	}
	f = fopen(path, "re");
	if (!f) {
		*err = -errno;
		if (!quiet)
			kx_report_file(
				KX_ERROR, path,
				"cannot open: %s (is the kernel directory a kbuild directory, "
				"e.g. /lib/modules/RELEASE/build?)",
				strerror(-*err));
		free(path);
		return NULL;
	}
	free(path);
	do {
		if (cap - len < 65536) {
			char *p = realloc(buf, cap = cap * 2 + 65536);

			if (!p) {
				free(buf);
				fclose(f);
				*err = -ENOMEM;
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* The value of "CONFIG_<opt>=" in a .config text, or NULL. */
static const char *config_value(const char *config, const char *opt, char *buf, size_t len)
{
	char key[128];
	const char *p = config;
	size_t klen = (size_t)snprintf(key, sizeof(key), "CONFIG_%s=", opt);

	while ((p = strstr(p, key))) {
		if (p == config || p[-1] == '\n') {
			size_t n = strcspn(p + klen, "\n");

			snprintf(buf, len, "%.*s", (int)n, p + klen);
			return buf;
		}
		p += klen;
	}
	return NULL;
}

static bool config_yes(const char *config, const char *opt)
{
	char v[16];

	return config_value(config, opt, v, sizeof(v)) && !strcmp(v, "y");
}

static int read_config(struct kx_kernel *k)
{
	char v[64];
	int err = 0;
	char *config = read_text(k->dir, ".config", false, &err);

	if (!config)
		return err;
	k->frame_warn = config_value(config, "FRAME_WARN", v, sizeof(v)) ?
				(unsigned)strtoul(v, NULL, 0) :
				KX_DEFAULT_FRAME_WARN;
	k->stack_size = config_yes(config, "KASAN") ? 2 * KX_DEFAULT_STACK_SIZE :
						      KX_DEFAULT_STACK_SIZE;
	k->ibt = config_yes(config, "X86_KERNEL_IBT");
	/* Renamed MITIGATION_RETPOLINE in 6.9. */
	k->retpoline = config_yes(config, "RETPOLINE") ||
		       config_yes(config, "MITIGATION_RETPOLINE");
	k->rethunk = config_yes(config, "RETHUNK") || config_yes(config, "MITIGATION_RETHUNK");
	free(config);
	return 0;
}

/* include/generated/utsrelease.h: #define UTS_RELEASE "6.1.0-56-amd64" */
static int read_release(struct kx_kernel *k)
{
	int err = 0;
	char *text = read_text(k->dir, "include/generated/utsrelease.h", true, &err);
	char *p, *q;

	if (!text)
		text = read_text(k->dir, "include/config/kernel.release", false, &err);
	if (!text)
		return err;
	p = strchr(text, '"');
	if (p && (q = strchr(p + 1, '"'))) {
		*q = '\0';
		k->release = strdup(p + 1);
	} else {
		text[strcspn(text, "\n")] = '\0';
		k->release = strdup(text);
	}
	free(text);
	return k->release ? 0 : -ENOMEM;
}

static hashval_t export_hash(const void *p)
{
	return htab_hash_string(((const struct export_entry *)p)->name);
}

static int export_eq(const void *a, const void *b)
{
	return !strcmp(((const struct export_entry *)a)->name,
		       ((const struct export_entry *)b)->name);
}

/* One Module.symvers line: crc \t name \t module \t export-type [\t ns]. */
static int add_export(struct kx_kernel *k, char *line)
{
	struct export_entry *e;
	char *name = strchr(line, '\t'), *mod, *type;
	void **slot;

	if (!name)
		return 0;
	*name++ = '\0';
	mod = strchr(name, '\t');
	if (!mod)
		return 0;
	*mod++ = '\0';
	type = strchr(mod, '\t');
	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->name = name;
	e->kind = type && !strncmp(type + 1, "EXPORT_SYMBOL_GPL", 17) ? KX_EXPORT_GPL :
									KX_EXPORT_ANY;
	slot = htab_find_slot(k->exports, e, INSERT);
	if (!slot) {
		free(e);
		return -ENOMEM;
	}
	if (*slot)
		free(e);
	else
		*slot = e;
	return 0;
}

static int read_symvers(struct kx_kernel *k)
{
	int err = 0;
	char *line, *next;

	k->symvers = read_text(k->dir, "Module.symvers", false, &err);
	if (!k->symvers)
		return err;
	k->exports = htab_create_alloc(32768, export_hash, export_eq, free, calloc, free);
	if (!k->exports)
		return -ENOMEM;
	for (line = k->symvers; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		err = add_export(k, line);
		if (err)
			return err;
	}
	return 0;
}

int kx_kernel_load(struct kx_kernel *k, const char *kdir)
{
	int err;

	memset(k, 0, sizeof(*k));
	k->dir = strdup(kdir);
	if (!k->dir)
		return -ENOMEM;
	err = read_config(k);
	if (!err)
		err = read_release(k);
	if (!err)
		err = read_symvers(k);
	if (err)
		kx_kernel_free(k); /* nothing half-loaded for the caller to free */
	return err;
}

void kx_kernel_free(struct kx_kernel *k)
{
	if (k->exports)
		htab_delete(k->exports);
	free(k->symvers);
	free(k->release);
	free(k->dir);
	memset(k, 0, sizeof(*k));
}

enum kx_export kx_kernel_export(const struct kx_kernel *k, const char *name)
{
	struct export_entry key = { name, KX_EXPORT_NONE }, *e;

	if (!k || !k->exports)
		return KX_EXPORT_NONE;
	e = htab_find(k->exports, &key);
	return e ? e->kind : KX_EXPORT_NONE;
}
