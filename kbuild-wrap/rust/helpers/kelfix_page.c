// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C half of kernel::page: see kelfix_page.h. Compiled by kbuild as part
 * of each module (kelfix.mk adds every C file of helpers/).
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/version.h>

#include "kelfix_page.h"

struct page *kelfix_page_alloc(gfp_t gfp, unsigned int order)
{
	return alloc_pages(gfp, order);
}

void *kelfix_page_map(struct page *page)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 11, 0)
	return kmap_local_page(page);
#else
	return kmap(page);
#endif
}

void kelfix_page_unmap(struct page *page, void *addr)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 11, 0)
	kunmap_local(addr);
#else
	(void)addr;
	kunmap(page);
#endif
}
