// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C half of kernel::bug: see kelfix_bug.h. Compiled by kbuild into
 * each module (kelfix.mk adds every C file of rust/helpers).
 */
#include <linux/bug.h>
#include <linux/kernel.h>

#include "kelfix_bug.h"

void kelfix_bug_warn(const char *place, int len, int line, unsigned int flags)
{
	/* BUG_GET_TAINT() takes a struct bug_entry: the same shift. */
	unsigned int taint = flags >> 8;

	WARN(1, "%.*s:%d\n", len, place, line);
	if (taint != TAINT_WARN)
		add_taint(taint, LOCKDEP_STILL_OK);
}
