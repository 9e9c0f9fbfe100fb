/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * C half of the kernel crate's files part (uaccess, fs, iov, miscdevice,
 * device, tracepoint): what kelfix-bindgen cannot bind the same way on
 * every kernel. Rust declares these in a private extern block of the
 * module that uses each one (kernel/src/device.rs, kernel/src/iov.rs):
 * change both together.
 */
#ifndef KELFIX_FILES_H
#define KELFIX_FILES_H

#include <linux/types.h>

struct device;
struct iov_iter;

/*
 * dev_printk() of the LEN bytes at MSG at printk level LEVEL (0 emerg ..
 * 7 debug), prefixed as the kernel prefixes device messages. dev_printk
 * is a function up to 5.14 and a macro over _dev_printk from 5.15 on.
 */
void kelfix_files_dev_printk(int level, const struct device *dev, const char *msg, size_t len);

/*
 * Whether ITER is a source of data (iov_iter_rw() == WRITE). 5.10 keeps
 * the direction in the low bit of iov_iter.type and iov_iter_rw is a
 * macro there; from 5.14 on it is the data_source field, read by an
 * inline function.
 */
bool kelfix_files_iov_iter_is_source(const struct iov_iter *iter);

#endif /* KELFIX_FILES_H */
