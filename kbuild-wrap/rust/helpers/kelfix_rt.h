/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hand-written C half of the kelfix runtime crate (kbuild-wrap/rust),
 * compiled by kbuild into every module built with kelfix.mk. Everything
 * else the crate calls is generated for the target kernel by
 * kelfix-bindgen (kelfix_bindings.rs and the wrappers in
 * kelfix_bindings_helpers.c, see kelfix.mk); only what the generator
 * cannot express is here.
 *
 * Rust declares it in src/ffi.rs: change both together.
 */
#ifndef KELFIX_RT_H
#define KELFIX_RT_H

#include <linux/compiler.h>
#include <linux/types.h>

/*
 * BUG(), for the Rust panic handler after it has logged the panic. BUG()
 * is a statement macro around `ud2` plus a __bug_table entry written by
 * inline assembly (file, line, flags for the oops report): there is no
 * function behind it for a generated wrapper to call.
 */
void __noreturn kelfix_rt_bug(void);

/*
 * One kernel log line at printk level LEVEL (0 emerg .. 7 debug): the LEN
 * bytes at LINE, then a newline. printk is a function up to 5.14 and a
 * macro around _printk from 5.15 on; the kernel's own headers pick the
 * right one here, so the Rust side needs no version knowledge.
 */
void kelfix_rt_printk(int level, const char *line, int len);

/*
 * kmalloc() and krealloc(). Functions up to 6.9; from 6.10 macros over
 * *_noprof functions (allocation profiling), and from 7.x with a further
 * layer of allocation-token arguments: the kernel's headers expand them
 * here, for every kernel alike.
 */
void *kelfix_rt_kmalloc(size_t size, gfp_t flags);
void *kelfix_rt_krealloc(const void *p, size_t new_size, gfp_t flags);

#endif /* KELFIX_RT_H */
