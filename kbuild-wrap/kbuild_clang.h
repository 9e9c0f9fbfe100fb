/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kbuild's GCC flags → flags for clang.  Known cases come from a table
 * (kbuild_clang_flags.def); every flag that is not a preprocessor
 * option (-I, -D, -include, ...) is then checked against the installed
 * clang, the way the kernel's own cc-option does, and dropped if clang
 * rejects it.  Each translated or dropped flag is reported as a note.
 */
#ifndef KELFIX_KBUILD_CLANG_H
#define KELFIX_KBUILD_CLANG_H

#include "kbuild_words.h"

/*
 * Append to out the clang version of gcc_flags (n words, in kbuild's
 * order).  clang: the compiler to check against ("clang", a path).
 * 0; -ENOEXEC when a flag may not be lost (a REFUSE entry) or clang
 * rejects the flags together though it accepts each; -ENOENT when clang
 * cannot be run; -ENOMEM.  Everything is reported.
 */
int kb_clang_translate(const char *clang, char *const *gcc_flags, size_t n, struct kb_strv *out);

#endif
