/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the audit knows about a target kernel, read from its kbuild
 * directory (/lib/modules/<release>/build): the release, a few .config
 * options, and the exported symbols of Module.symvers.
 */
#ifndef KELFIX_KERNEL_H
#define KELFIX_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#include <libiberty/hashtab.h>

enum kx_export {
	KX_EXPORT_NONE = 0,
	KX_EXPORT_ANY, /* EXPORT_SYMBOL */
	KX_EXPORT_GPL, /* EXPORT_SYMBOL_GPL */
};

struct kx_kernel {
	char *dir;
	char *release;	     /* UTS_RELEASE */
	unsigned frame_warn; /* CONFIG_FRAME_WARN; 0: no warning */
	unsigned stack_size; /* THREAD_SIZE: 16 KiB, 32 KiB with CONFIG_KASAN */
	bool ibt;	     /* CONFIG_X86_KERNEL_IBT */
	bool retpoline;	     /* CONFIG_RETPOLINE or CONFIG_MITIGATION_RETPOLINE */
	bool rethunk;	     /* CONFIG_RETHUNK or CONFIG_MITIGATION_RETHUNK */
	char *symvers;	     /* Module.symvers text, names NUL-terminated in place */
	htab_t exports;	     /* name -> entry in symvers */
};

/* The frame size stack-frame uses without --kernel (lib/Kconfig.debug's
 * default FRAME_WARN for 64-bit). */
#define KX_DEFAULT_FRAME_WARN 2048
/* A task's kernel stack on x86-64 without KASAN (THREAD_SIZE,
 * arch/x86/include/asm/page_64_types.h); KASAN doubles it. */
#define KX_DEFAULT_STACK_SIZE 16384

/* Returns 0, or -ENOENT/-EIO/-ENOMEM (reported). */
int kx_kernel_load(struct kx_kernel *k, const char *kdir);
void kx_kernel_free(struct kx_kernel *k);
enum kx_export kx_kernel_export(const struct kx_kernel *k, const char *name);

#endif
