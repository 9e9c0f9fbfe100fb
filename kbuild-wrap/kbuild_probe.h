/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Asking kbuild for the C flags of a module: a one-line probe module is
 * built in a temporary directory with the kernel's own kbuild
 * (make -C KDIR M=TMP probe.o), and the compile command kbuild recorded
 * in TMP/.probe.o.cmd (savedcmd_ on kernels >= 6.3, cmd_ before) is read
 * back.  That command is kbuild's own answer, whatever its version and
 * configuration.
 */
#ifndef KELFIX_KBUILD_PROBE_H
#define KELFIX_KBUILD_PROBE_H

#include <stddef.h>

#include "kbuild_words.h"

struct kb_kbuild_flags {
	char *kdir;	/* KDIR with symbolic links resolved */
	char *compiler; /* kbuild's $(CC) as recorded, e.g. "gcc-12" */
	/*
	 * The compile command without the compiler, -c, -o FILE, the source,
	 * dependency-file options (-Wp,-MMD,FILE) and the module's name
	 * (-DKBUILD_BASENAME, -DKBUILD_MODNAME, -D__KBUILD_MODNAME); relative
	 * include paths made absolute against kdir, where kbuild runs.
	 */
	struct kb_strv flags;
};

/*
 * Fill kf for the kernel build directory kdir.  0; -ENOEXEC when kdir is
 * not a kernel build directory or kbuild fails or answers something this
 * tool cannot read (all reported, with make's output); another negative
 * errno for I/O failures (reported).  The temporary directory is removed
 * in every case.  Free kf with kb_kbuild_flags_free().
 */
int kb_kbuild_probe(const char *kdir, struct kb_kbuild_flags *kf);
void kb_kbuild_flags_free(struct kb_kbuild_flags *kf);

/* How many words the option at flags[i] spans: 2 for options whose
 * argument is a separate word (-include FILE, -isystem DIR, --param X),
 * else 1. */
size_t kb_flag_words(char *const *flags, size_t n, size_t i);

#endif
