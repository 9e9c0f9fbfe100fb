// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C half of kernel::sync: see kelfix_sync.h. Compiled by kbuild as part
 * of each module (kelfix.mk adds every C file of helpers/).
 */
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/version.h>

#include "kelfix_sync.h"

void kelfix_sync_spin_lock_init(spinlock_t *lock, const char *name, struct lock_class_key *key)
{
#if defined(CONFIG_PREEMPT_RT) && LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
	/* spinlock_rt.h: an rt_mutex plus a lockdep map (percpu: false). */
	rt_mutex_base_init(&lock->lock);
	__rt_spin_lock_init(lock, name, key, false);
#elif defined(CONFIG_DEBUG_SPINLOCK) && !defined(CONFIG_PREEMPT_RT)
	/*
	 * spinlock.h: the wait type argument exists since 5.6 (LD_WAIT_CONFIG,
	 * as spin_lock_init passes it); every supported kernel has it.
	 */
	__raw_spin_lock_init(spinlock_check(lock), name, key, LD_WAIT_CONFIG);
#else
	/*
	 * Without lock debugging NAME and KEY are not stored anywhere. An RT
	 * kernel older than 6.1 (whose RT spinlock headers kelfix was not
	 * checked against) gets the macro's own name and class.
	 */
	spin_lock_init(lock);
#endif
}

void kelfix_sync_mutex_assert_held(struct mutex *lock)
{
	lockdep_assert_held(lock);
}

void kelfix_sync_spin_assert_held(spinlock_t *lock)
{
	lockdep_assert_held(lock);
}

bool kelfix_sync_signal_pending(void)
{
	return signal_pending(current);
}

/*
 * Facilities a kernel gains in some release. Each helper is named
 * kelfix_needs_linux_<first release>__<facility> and defined only where
 * the kernel has the facility (tested by the facility itself, not by a
 * version number). A module that uses the facility on an older kernel
 * keeps that name undefined: kelfix's audit (the KELFIX step) and modpost
 * refuse it, and the name says what is missing and since when.
 */
#ifdef TASK_FREEZABLE /* 6.1: freezable sleep as a task state bit */
int kelfix_needs_linux_6_1__TASK_FREEZABLE(void)
{
	return TASK_FREEZABLE;
}
#endif
