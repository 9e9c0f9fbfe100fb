/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C half of kernel::time::hrtimer and kernel::kelfix::timer
 * (kbuild-wrap/rust/kernel/src/time/hrtimer.rs, kelfix/timer.rs): the
 * timer calls whose names or form changed between the kernels kelfix
 * supports. Compiled by kbuild into every module built with kelfix.mk.
 *
 * Rust declares these next to their users: change both together.
 */
#ifndef KELFIX_TIME_H
#define KELFIX_TIME_H

#include <linux/hrtimer.h>
#include <linux/timer.h>

struct lock_class_key;

/*
 * hrtimer_setup() (6.13 on): initialise TIMER for CLOCK and MODE with the
 * callback FN. Before 6.13: hrtimer_init(), then the callback is stored.
 */
void kelfix_time_hrtimer_setup(struct hrtimer *timer, enum hrtimer_restart (*fn)(struct hrtimer *),
			       clockid_t clock, enum hrtimer_mode mode);

/*
 * timer_setup() with the caller's lockdep NAME and class KEY:
 * timer_init_key() from 6.16, init_timer_key() before.
 */
void kelfix_time_timer_init(struct timer_list *timer, void (*fn)(struct timer_list *),
			    unsigned int flags, const char *name, struct lock_class_key *key);

/* mod_timer() to DELTA jiffies from now; whether it was pending. */
int kelfix_time_timer_arm(struct timer_list *timer, unsigned long delta);

/*
 * Deactivates TIMER and waits for a running callback to return; whether
 * it was pending: timer_delete_sync() from 6.2, del_timer_sync() before.
 */
int kelfix_time_timer_delete_sync(struct timer_list *timer);

#endif /* KELFIX_TIME_H */
