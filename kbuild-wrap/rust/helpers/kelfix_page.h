/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C half of kernel::page (kbuild-wrap/rust/kernel/src/page.rs): page
 * allocation and temporary mappings, whose form changed between the
 * kernels kelfix supports. Compiled by kbuild into every module built with
 * kelfix.mk.
 *
 * Rust declares these in page.rs: change both together.
 */
#ifndef KELFIX_PAGE_H
#define KELFIX_PAGE_H

#include <linux/gfp.h>

struct page;

/* alloc_pages() (a variadic macro from 6.10, a function before). */
struct page *kelfix_page_alloc(gfp_t gfp, unsigned int order);

/*
 * Maps PAGE for the calling task: kmap_local_page() from 5.11; kmap()
 * before (both may be used where the caller may sleep).
 */
void *kelfix_page_map(struct page *page);

/* Undoes kelfix_page_map(PAGE), which returned ADDR. */
void kelfix_page_unmap(struct page *page, void *addr);

#endif /* KELFIX_PAGE_H */
