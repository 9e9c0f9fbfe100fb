/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C half of the kelfix runtime crate (kbuild-wrap/rust): the only
 * kernel entry points the Rust side calls. kelfix.mk compiles
 * kelfix_rt.c with kbuild, with the target kernel's own compiler and flags,
 * into every module built with the crate, so macros and static inlines
 * (kmalloc, copy_to_user, BUG, mutex_init) and renames between kernels
 * (6.10: __kmalloc -> __kmalloc_noprof) stay on this side.
 *
 * Rust mirrors these declarations in src/ffi.rs: change both together.
 * Types are plain C (size_t, ssize_t, long long, pointers); no kernel
 * structure layout crosses the boundary.
 */
#ifndef KELFIX_RT_H
#define KELFIX_RT_H

#include <linux/compiler.h>
#include <linux/types.h>

/* printk: one line at LEVEL (0 = KERN_EMERG ... 7 = KERN_DEBUG); the
 * newline is added. MSG need not be NUL-terminated. */
void kelfix_rt_printk(int level, const char *msg, size_t len);

/* The name kbuild gave the module (THIS_MODULE->name), NUL-terminated. */
const char *kelfix_rt_module_name(void);

/* kmalloc(SIZE, GFP_KERNEL [| __GFP_ZERO]); NULL above KMALLOC_MAX_SIZE. */
void *kelfix_rt_kmalloc(size_t size, bool zero);
/* krealloc(P, SIZE, GFP_KERNEL); NULL (P untouched) on failure. */
void *kelfix_rt_krealloc(const void *p, size_t size);
void kelfix_rt_kfree(const void *p);

/* copy_to_user / copy_from_user: the number of bytes NOT copied. */
size_t kelfix_rt_copy_to_user(void __user *to, const void *from, size_t n);
size_t kelfix_rt_copy_from_user(void *to, const void __user *from, size_t n);

/* BUG(): for the Rust panic handler, after it has logged the panic. */
void __noreturn kelfix_rt_bug(void);

/* A sleeping mutex on the heap (process context only). */
struct mutex *kelfix_rt_mutex_new(void);
void kelfix_rt_mutex_lock(struct mutex *m);
void kelfix_rt_mutex_unlock(struct mutex *m);
void kelfix_rt_mutex_free(struct mutex *m);

/*
 * A misc character device whose file operations call back into Rust with
 * the context pointer given at registration. Any callback may be NULL
 * except free. free(ctx) runs once, when the registration and every open
 * file are gone (deregistration or the last close, whichever is later).
 */
struct kelfix_rt_misc_ops {
	int (*open)(void *ctx);
	ssize_t (*read)(void *ctx, char __user *buf, size_t len, long long *pos);
	ssize_t (*write)(void *ctx, const char __user *buf, size_t len, long long *pos);
	void (*release)(void *ctx);
	void (*free)(void *ctx);
};

struct kelfix_rt_misc;

/* misc_register of /dev/NAME (NAME_LEN bytes, no NUL needed); 0 and *OUT
 * set, or a negative errno (CTX then still belongs to the caller). */
int kelfix_rt_misc_register(const char *name, size_t name_len,
			    const struct kelfix_rt_misc_ops *ops, void *ctx,
			    struct kelfix_rt_misc **out);
/* misc_deregister; drops the registration's reference. */
void kelfix_rt_misc_deregister(struct kelfix_rt_misc *m);

#endif /* KELFIX_RT_H */
