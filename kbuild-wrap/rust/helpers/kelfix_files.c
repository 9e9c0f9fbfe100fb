// SPDX-License-Identifier: GPL-2.0-only
/*
 * C half of the kernel crate's files part: see kelfix_files.h. Compiled
 * by kbuild as part of each module (kelfix.mk adds every C file of
 * helpers/).
 */
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/uio.h>

#include "kelfix_files.h"

void kelfix_files_dev_printk(int level, const struct device *dev, const char *msg, size_t len)
{
	/* KERN_SOH and the level digit: include/linux/kern_levels.h. */
	char klevel[3] = { KERN_SOH_ASCII, '0' + (level & 7), '\0' };
	int n = len > INT_MAX ? INT_MAX : (int)len;

	dev_printk(klevel, dev, "%.*s", n, msg);
}

bool kelfix_files_iov_iter_is_source(const struct iov_iter *iter)
{
	return iov_iter_rw(iter) == WRITE;
}
