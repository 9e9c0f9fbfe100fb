// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C peer of Rust-for-Linux's samples/rust/rust_minimal.rs, for
 * bench/minimal-size: the same parameters and the same kernel-log lines
 * (its numbers in a kmalloc'd array grown as KVec grows), nothing more.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

static long test_parameter = 1;
module_param(test_parameter, long, 0444);
MODULE_PARM_DESC(test_parameter, "This parameter has a default of 1");

static bool test_bool_parameter;
module_param(test_bool_parameter, bool, 0444);
MODULE_PARM_DESC(test_bool_parameter, "This boolean parameter defaults to false");

static int *numbers;
static size_t count, capacity;

static int push(int value)
{
	if (count == capacity) {
		size_t cap = capacity ? 2 * capacity : 4;
		int *grown = krealloc(numbers, cap * sizeof(*numbers), GFP_KERNEL);

		if (!grown)
			return -ENOMEM;
		numbers = grown;
		capacity = cap;
	}
	numbers[count++] = value;
	return 0;
}

static int __init c_minimal_init(void)
{
	int err;

	pr_info("Rust minimal sample (init)\n");
	pr_info("Am I built-in? %s\n", IS_ENABLED(MODULE) ? "false" : "true");
	pr_info("test_parameter: %ld\n", test_parameter);
	pr_info("test_bool_parameter: %s\n", test_bool_parameter ? "true" : "false");
	err = push(72);
	if (!err)
		err = push(108);
	if (!err)
		err = push(200);
	if (err)
		kfree(numbers);
	return err;
}

static void __exit c_minimal_exit(void)
{
	pr_info("My numbers are [%d, %d, %d]\n", numbers[0], numbers[1], numbers[2]);
	pr_info("Rust minimal sample (exit)\n");
	kfree(numbers);
}

module_init(c_minimal_init);
module_exit(c_minimal_exit);
MODULE_AUTHOR("kelfix");
MODULE_DESCRIPTION("C peer of rust_minimal");
MODULE_LICENSE("GPL");
