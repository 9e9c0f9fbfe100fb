// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hand-written C half of the kelfix runtime crate: see kelfix_rt.h.
 * Compiled by kbuild as part of each module (kelfix.mk adds it).
 */
#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "kelfix_rt.h"

void __noreturn kelfix_rt_bug(void)
{
	BUG();
}

void kelfix_rt_printk(int level, const char *line, int len)
{
	/* KERN_SOH and the level digit: include/linux/kern_levels.h. */
	printk("%c%c%.*s\n", KERN_SOH_ASCII, '0' + (level & 7), len, line);
}

void *kelfix_rt_kmalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags);
}

void *kelfix_rt_krealloc(const void *p, size_t new_size, gfp_t flags)
{
	return krealloc(p, new_size, flags);
}
