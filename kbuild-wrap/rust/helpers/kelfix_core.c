// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C half of the `kernel` crate's core: see kelfix_core.h.
 * Compiled by kbuild into each module (kelfix.mk adds every C file of
 * rust/helpers).
 */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/version.h>
#include <linux/vmalloc.h>

#include "kelfix_core.h"

void __noreturn kelfix_core_bug(void)
{
	BUG();
}

void kelfix_core_printk(char level, const char *prefix, const char *msg, int len)
{
	/*
	 * printk reads the level from the start of the formatted text
	 * (KERN_SOH, then the level character: include/linux/kern_levels.h).
	 */
	if (prefix)
		printk("%c%c%s: %.*s", KERN_SOH_ASCII, level, prefix, len, msg);
	else
		printk("%c%c%.*s", KERN_SOH_ASCII, level, len, msg);
}

int kelfix_core_hashed_ptr(char *buf, size_t len, const void *ptr)
{
	return scnprintf(buf, len, "%p", ptr);
}

void *kelfix_core_krealloc(const void *p, size_t old_size, size_t size, gfp_t flags, int nid)
{
	if (!size) {
		kfree(p);
		return NULL;
	}
	if (!p)
		return kmalloc_node(size, flags, nid);
	/* krealloc() keeps the block's node; it ignores old_size. */
	return krealloc(p, size, flags);
}

/* A new vmalloc block of SIZE bytes on node NID (NUMA_NO_NODE: any). */
static void *kelfix_core_vmalloc(size_t size, gfp_t flags, int nid)
{
	if (nid == NUMA_NO_NODE)
		return __vmalloc(size, flags);
	/* vmalloc_node() and vzalloc_node() take no flags but zeroing. */
	if (flags & __GFP_ZERO)
		return vzalloc_node(size, nid);
	return vmalloc_node(size, nid);
}

void *kelfix_core_vrealloc(const void *p, size_t old_size, size_t size, gfp_t flags, int nid)
{
	void *q;

	if (!size) {
		vfree(p);
		return NULL;
	}
	if (!p)
		return kelfix_core_vmalloc(size, flags, nid);
	/* A vmalloc block is whole pages: it keeps what it has when shrunk. */
	if (size <= old_size)
		return (void *)p;
	q = kelfix_core_vmalloc(size, flags, nid);
	if (!q)
		return NULL;
	memcpy(q, p, old_size);
	vfree(p);
	return q;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
/*
 * kvrealloc() before 6.12: it took the old size, and 5.10 has it only
 * through Debian's backport; a new block and a copy serve everywhere.
 */
static void *kelfix_core_kvmove(const void *p, size_t old_size, size_t size, gfp_t flags, int nid)
{
	void *q = kvmalloc_node(size, flags, nid);

	if (!q)
		return NULL;
	memcpy(q, p, min(old_size, size));
	kvfree(p);
	return q;
}
#endif

void *kelfix_core_kvrealloc(const void *p, size_t old_size, size_t size, gfp_t flags, int nid)
{
	if (!size) {
		kvfree(p);
		return NULL;
	}
	if (!p)
		return kvmalloc_node(size, flags, nid);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	/* From 6.12 kvrealloc() takes (p, size, flags) and may resize in place. */
	return kvrealloc(p, size, flags);
#else
	return kelfix_core_kvmove(p, old_size, size, flags, nid);
#endif
}
