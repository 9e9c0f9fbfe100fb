// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C half of kernel::time::hrtimer and kernel::kelfix::timer: see
 * kelfix_time.h. Compiled by kbuild as part of each module (kelfix.mk adds
 * every C file of helpers/).
 */
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/timer.h>
#include <linux/version.h>

#include "kelfix_time.h"

void kelfix_time_hrtimer_setup(struct hrtimer *timer, enum hrtimer_restart (*fn)(struct hrtimer *),
			       clockid_t clock, enum hrtimer_mode mode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	hrtimer_setup(timer, fn, clock, mode);
#else
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
#endif
}

void kelfix_time_timer_init(struct timer_list *timer, void (*fn)(struct timer_list *),
			    unsigned int flags, const char *name, struct lock_class_key *key)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
	timer_init_key(timer, fn, flags, name, key);
#else
	init_timer_key(timer, fn, flags, name, key);
#endif
}

int kelfix_time_timer_arm(struct timer_list *timer, unsigned long delta)
{
	return mod_timer(timer, jiffies + delta);
}

int kelfix_time_timer_delete_sync(struct timer_list *timer)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return timer_delete_sync(timer);
#else
	return del_timer_sync(timer);
#endif
}
