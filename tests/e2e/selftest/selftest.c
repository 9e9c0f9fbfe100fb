// SPDX-License-Identifier: GPL-2.0
/*
 * Harness self-test module for tests/e2e/boot-test: prints one line at
 * init and one at exit. Built with -DSELFTEST_FAIL, its init prints a line
 * and returns -EINVAL instead, so insmod must fail.
 */
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init selftest_init(void)
{
#ifdef SELFTEST_FAIL
	pr_info("kelfix-selftest: init failing with -EINVAL\n");
	return -EINVAL;
#else
	pr_info("kelfix-selftest: init\n");
	return 0;
#endif
}

static void __exit selftest_exit(void)
{
	pr_info("kelfix-selftest: exit\n");
}

module_init(selftest_init);
module_exit(selftest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kelfix boot-test harness self-test");
