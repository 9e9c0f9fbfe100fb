// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C half of kernel::workqueue: see kelfix_workqueue.h. Compiled by
 * kbuild into each module (kelfix.mk adds every C file of rust/helpers).
 */
#include <linux/lockdep.h>
#include <linux/timer.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#include "kelfix_workqueue.h"

void kelfix_workqueue_init_work(struct work_struct *work, void (*func)(struct work_struct *),
				bool onstack, const char *name, struct lock_class_key *key)
{
	/* The steps of __INIT_WORK_KEY (include/linux/workqueue.h, 6.1). */
	__init_work(work, onstack);
	work->data = (atomic_long_t)WORK_DATA_INIT();
#ifdef CONFIG_LOCKDEP
	lockdep_init_map(&work->lockdep_map, name, key, 0);
#endif
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
}

void kelfix_workqueue_init_delayed_timer(struct timer_list *timer, const char *name,
					 struct lock_class_key *key)
{
	/* As __INIT_DELAYED_WORK does: the timer fires in hard IRQ context. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
	timer_init_key(timer, delayed_work_timer_fn, TIMER_IRQSAFE, name, key);
#else
	init_timer_key(timer, delayed_work_timer_fn, TIMER_IRQSAFE, name, key);
#endif
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
struct workqueue_struct *kelfix_workqueue_system(void)
{
	return system_percpu_wq;
}

struct workqueue_struct *kelfix_workqueue_system_unbound(void)
{
	return system_dfl_wq;
}
#else
struct workqueue_struct *kelfix_workqueue_system(void)
{
	return system_wq;
}

struct workqueue_struct *kelfix_workqueue_system_unbound(void)
{
	return system_unbound_wq;
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0) /* 6.9: BH workqueues */
struct workqueue_struct *kelfix_needs_linux_6_9__system_bh_wq(void)
{
	return system_bh_wq;
}

struct workqueue_struct *kelfix_needs_linux_6_9__system_bh_highpri_wq(void)
{
	return system_bh_highpri_wq;
}
#endif
