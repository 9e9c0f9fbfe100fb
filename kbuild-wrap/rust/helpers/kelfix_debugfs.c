// SPDX-License-Identifier: GPL-2.0-only
/*
 * C half of the kernel crate's debugfs, seq_file and kelfix::proc part:
 * see kelfix_debugfs.h. Compiled by kbuild as part of each module
 * (kelfix.mk adds every C file of helpers/).
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/version.h>

#include "kelfix_debugfs.h"

struct dentry *kelfix_debugfs_create_file(const char *name, umode_t mode, struct dentry *parent,
					  void *data, const struct file_operations *fops)
{
	return debugfs_create_file(name, mode, parent, data, fops);
}

void *kelfix_proc_data(const struct inode *inode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 17, 0)
	return pde_data(inode);
#else
	return PDE_DATA(inode);
#endif
}
