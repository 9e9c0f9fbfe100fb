// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C half of kernel::task and kernel::kelfix::kthread: see
 * kelfix_task.h. Compiled by kbuild into each module (kelfix.mk adds every
 * C file of rust/helpers).
 */
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/version.h>

#include "kelfix_task.h"

kuid_t kelfix_task_uid(struct task_struct *task)
{
	return task_uid(task);
}

void kelfix_task_might_sleep(const char *file, int len, int line)
{
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
	/* Only printed by the check, never kept: a stack copy will do. */
	char name[128];

	snprintf(name, sizeof(name), "%.*s", len, file);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 16, 0)
	__might_sleep(name, line);
#else
	__might_sleep(name, line, 0);
#endif
#endif
	might_resched();
}

struct task_struct *kelfix_kthread_run(int (*threadfn)(void *data), void *data, const char *name)
{
	struct task_struct *task = kthread_create(threadfn, data, "%s", name);

	if (IS_ERR(task))
		return task;
	get_task_struct(task);
	wake_up_process(task);
	return task;
}
