/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * C half of kernel::kelfix::sysfs (kernel/src/kelfix/sysfs.rs, which
 * declares these in a private extern block: change both together).
 * 7.x puts the callbacks of struct kobj_attribute and the attrs of
 * struct attribute_group in unions with const-taking twins; C's
 * designated members set the right one on every kernel.
 */
#ifndef KELFIX_SYSFS_H
#define KELFIX_SYSFS_H

#include <linux/types.h>

struct attribute;
struct attribute_group;
struct kobj_attribute;
struct kobject;

typedef ssize_t kelfix_sysfs_show_fn(struct kobject *kobj, struct kobj_attribute *attr, char *buf);
typedef ssize_t kelfix_sysfs_store_fn(struct kobject *kobj, struct kobj_attribute *attr,
				      const char *buf, size_t count);

/*
 * Fills FILE as the attribute NAME with MODE and the callbacks SHOW and
 * STORE (either may be NULL), with sysfs_attr_init() for lockdep.
 */
void kelfix_sysfs_file_init(struct kobj_attribute *file, const char *name, umode_t mode,
			    kelfix_sysfs_show_fn *show, kelfix_sysfs_store_fn *store);

/* Fills GROUP as an unnamed group of the NULL-terminated ATTRS. */
void kelfix_sysfs_group_init(struct attribute_group *group, struct attribute **attrs);

#endif /* KELFIX_SYSFS_H */
