// SPDX-License-Identifier: GPL-2.0-only
/*
 * One .modinfo: the NUL-separated "tag=value" strings of every live input
 * .modinfo (in input order, exact duplicates once), then -m entries.  The
 * output section is SHF_ALLOC only, without SHF_GNU_RETAIN: a RETAIN flag
 * makes the final module link keep two .modinfo sections, and the loader
 * reads only the first (no vermagic: "bad vermagic", forced load).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "link.h"
#include "sections.h"

static bool has_entry(const char *buf, size_t size, const char *e, size_t n)
{
	size_t off = 0;

	while (off < size) {
		size_t len = strlen(buf + off);

		if (len == n && !memcmp(buf + off, e, n))
			return true;
		off += len + 1;
	}
	return false;
}

static int append(struct kx_link *l, const char *e, size_t n)
{
	char *p;

	if (!n || has_entry(l->modinfo, l->modinfo_size, e, n))
		return 0;
	p = realloc(l->modinfo, l->modinfo_size + n + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p + l->modinfo_size, e, n);
	p[l->modinfo_size + n] = '\0';
	l->modinfo = p;
	l->modinfo_size += n + 1;
	return 0;
}

static int merge_section(struct kx_link *l, struct kx_section *sec)
{
	const char *p;
	size_t off = 0;
	int err;

	err = kx_sec_load(sec);
	if (err)
		return err;
	if (sec->nrelocs) {
		kx_err(sec->obj, sec, sec->relocs[0].offset,
		       "relocations in .modinfo; "
		       "it must hold only constant \"tag=value\" strings");
		return -EINVAL;
	}
	p = (const char *)kx_sec_bytes(sec);
	while (p && off < sec->sh.sh_size) {
		const char *end = memchr(p + off, '\0', sec->sh.sh_size - off);
		size_t len = end ? (size_t)(end - (p + off)) : sec->sh.sh_size - off;

		if (len && !memchr(p + off, '=', len)) {
			kx_err(sec->obj, sec, off, "entry \"%.*s\" is not tag=value", (int)len,
			       p + off);
			return -EINVAL;
		}
		err = append(l, p + off, len);
		if (err)
			return err;
		off += len + 1;
	}
	sec->out = NULL; /* merged by content, not laid out */
	return 0;
}

static bool has_license(const struct kx_link *l)
{
	size_t off = 0;

	while (off < l->modinfo_size) {
		if (!strncmp(l->modinfo + off, "license=", 8))
			return true;
		off += strlen(l->modinfo + off) + 1;
	}
	return false;
}

int kx_link_modinfo(struct kx_link *l)
{
	size_t i;
	int err, ret = 0;

	for (i = 0; i < l->in.nobjs; i++) {
		struct kx_section *s;

		kx_for_each_sec(l->in.objs[i], s) {
			if (!s->live || kx_sec_classify(s) != KX_SC_MODINFO)
				continue;
			err = merge_section(l, s);
			if (err == -ENOMEM)
				return err;
			if (err)
				ret = err;
		}
	}
	for (i = 0; i < l->opt->nmodinfo; i++) {
		const char *e = l->opt->modinfo[i];

		if (!strchr(e, '=')) {
			kx_report_file(KX_ERROR, NULL, "-m %s: not tag=value", e);
			ret = -EINVAL;
			continue;
		}
		err = append(l, e, strlen(e));
		if (err)
			return err;
	}
	if (!l->opt->no_license && !has_license(l)) {
		kx_report_file(KX_ERROR, NULL,
			       "no license= entry in any .modinfo: modpost and the "
			       "loader need one; declare it in the crate, pass -m license=GPL, "
			       "or --no-license for an object that is not a whole module");
		ret = -EINVAL;
	}
	return ret;
}
