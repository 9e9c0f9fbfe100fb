// SPDX-License-Identifier: GPL-2.0-only
/*
 * C half of kernel::kelfix::sysfs: see kelfix_sysfs.h. Compiled by
 * kbuild as part of each module (kelfix.mk adds every C file of
 * helpers/).
 */
#include <linux/kobject.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "kelfix_sysfs.h"

void kelfix_sysfs_file_init(struct kobj_attribute *file, const char *name, umode_t mode,
			    kelfix_sysfs_show_fn *show, kelfix_sysfs_store_fn *store)
{
	memset(file, 0, sizeof(*file));
	sysfs_attr_init(&file->attr);
	file->attr.name = name;
	file->attr.mode = mode;
	file->show = show;
	file->store = store;
}

void kelfix_sysfs_group_init(struct attribute_group *group, struct attribute **attrs)
{
	memset(group, 0, sizeof(*group));
	group->attrs = attrs;
}
