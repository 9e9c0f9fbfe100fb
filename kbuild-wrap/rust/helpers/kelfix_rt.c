// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hand-written C half of the kelfix runtime crate: see kelfix_rt.h.
 * Compiled by kbuild as part of each module (kelfix.mk adds it).
 */
#include <linux/bug.h>

#include "kelfix_rt.h"

void __noreturn kelfix_rt_bug(void)
{
	BUG();
}
