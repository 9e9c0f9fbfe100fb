/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C half of the `kernel` crate's core (kbuild-wrap/rust/kernel/src:
 * lib.rs, print.rs, fmt.rs, alloc/allocator.rs): what kelfix-bindgen
 * cannot bind, or what differs between the kernels kelfix supports. Each
 * function is declared again in a private `extern "C"` block of the Rust
 * module that calls it: change both together.
 */
#ifndef KELFIX_CORE_H
#define KELFIX_CORE_H

#include <linux/compiler.h>
#include <linux/types.h>

/*
 * BUG(), for the panic handler once it has logged the panic: BUG() is a
 * statement macro (ud2 plus a __bug_table entry from inline assembly).
 */
void __noreturn kelfix_core_bug(void);

/*
 * One printk record: LEVEL is the character after KERN_SOH ('0' emerg ..
 * '7' debug, or 'c' for KERN_CONT); PREFIX, when not NULL, is printed
 * first followed by ": "; then the LEN bytes at MSG, as they are (the
 * caller ends the line with '\n' if it wants one). printk is a function
 * up to 5.14 and a macro over _printk from 5.15: the headers decide here.
 */
void kelfix_core_printk(char level, const char *prefix, const char *msg, int len);

/*
 * PTR as printk's %p prints it (hashed unless no_hash_pointers), into the
 * LEN bytes at BUF, NUL-terminated; returns the length written.
 */
int kelfix_core_hashed_ptr(char *buf, size_t len, const void *ptr);

/*
 * Allocation, resizing and (with SIZE 0) release for the Rust allocators
 * Kmalloc, Vmalloc and KVmalloc. P is NULL for a new allocation, else a
 * block of OLD_SIZE bytes from the same function; NID is a NUMA node or
 * NUMA_NO_NODE, honoured for new allocations. They return the block (P
 * itself or a new one holding the first min(OLD_SIZE, SIZE) bytes of P,
 * which is then freed), or NULL when SIZE is 0 (P is freed) or on failure
 * (P is left as it was). vrealloc() is not exported before 7.x and
 * kvrealloc() took the old size before 6.12: where the kernel has no
 * suitable call, the block is moved by hand.
 */
void *kelfix_core_krealloc(const void *p, size_t old_size, size_t size, gfp_t flags, int nid);
void *kelfix_core_vrealloc(const void *p, size_t old_size, size_t size, gfp_t flags, int nid);
void *kelfix_core_kvrealloc(const void *p, size_t old_size, size_t size, gfp_t flags, int nid);

#endif /* KELFIX_CORE_H */
