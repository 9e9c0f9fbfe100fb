/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * C half of the kernel crate's debugfs, seq_file and kelfix::proc part:
 * what kelfix-bindgen cannot bind the same way on every kernel. Rust
 * declares these in a private extern block of kernel/src/debugfs/entry.rs
 * and kernel/src/kelfix/proc.rs: change both together.
 */
#ifndef KELFIX_DEBUGFS_H
#define KELFIX_DEBUGFS_H

#include <linux/types.h>

struct dentry;
struct file_operations;
struct inode;

/*
 * debugfs_create_file(): a function up to 6.12, a _Generic macro over
 * debugfs_create_file_full() from 6.13 on. The file's inode keeps DATA in
 * i_private; every access goes through debugfs' proxy of FOPS, so that
 * debugfs_remove() waits for running operations and fails later ones.
 */
struct dentry *kelfix_debugfs_create_file(const char *name, umode_t mode, struct dentry *parent,
					  void *data, const struct file_operations *fops);

/*
 * The data pointer given to proc_create_data() for the /proc file of
 * INODE: PDE_DATA() up to 5.16, pde_data() (static inline) from 5.17 on.
 */
void *kelfix_proc_data(const struct inode *inode);

#endif /* KELFIX_DEBUGFS_H */
