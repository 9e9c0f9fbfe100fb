// SPDX-License-Identifier: GPL-2.0-only
/*
 * A C helper of the module's own, compiled by kbuild with the kernel's
 * flags and linked into hello.ko (Kbuild: hello-y += hello_helpers.o).
 * utsname() is a static inline reading current->nsproxy->uts_ns: Rust
 * cannot call it, and the layouts it walks are this kernel's business.
 */
#include <linux/utsname.h>

const char *hello_uts_sysname(void);
const char *hello_uts_release(void);

const char *hello_uts_sysname(void)
{
	return utsname()->sysname;
}

const char *hello_uts_release(void)
{
	return utsname()->release;
}
