/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C half of kernel::workqueue (kbuild-wrap/rust/kernel/src/workqueue.rs):
 * statement macros kelfix-bindgen cannot bind, and what differs between the
 * kernels kelfix supports. Rust declares these in a private extern block of
 * workqueue.rs: change both together.
 */
#ifndef KELFIX_WORKQUEUE_H
#define KELFIX_WORKQUEUE_H

#include <linux/types.h>

struct lock_class_key;
struct timer_list;
struct work_struct;
struct workqueue_struct;

/*
 * INIT_WORK() (ONSTACK: INIT_WORK_ONSTACK()) with the caller's lockdep
 * NAME and class KEY instead of the macro's own. 6.1 on have this as
 * __INIT_WORK_KEY; 5.10 only has the form with a static key, so it is
 * spelled out here.
 */
void kelfix_workqueue_init_work(struct work_struct *work, void (*func)(struct work_struct *),
				bool onstack, const char *name, struct lock_class_key *key);

/*
 * The timer of a struct delayed_work, as INIT_DELAYED_WORK() sets it up,
 * with the caller's lockdep NAME and class KEY. The function is
 * init_timer_key() up to 6.15 and timer_init_key() from 6.16 on.
 */
void kelfix_workqueue_init_delayed_timer(struct timer_list *timer, const char *name,
					 struct lock_class_key *key);

/*
 * The system queue of schedule_work() and the unbound one. 6.17 added
 * them as system_percpu_wq and system_dfl_wq, and 7.2 marks the old
 * names, system_wq and system_unbound_wq, deprecated: queueing there warns.
 * Older kernels only have the old names.
 */
struct workqueue_struct *kelfix_workqueue_system(void);
struct workqueue_struct *kelfix_workqueue_system_unbound(void);

/*
 * The bottom-half system queues, on kernels that have them (6.9 on); not
 * defined before, so that a module using them does not link there and the
 * missing name says why (see kelfix_sync.c).
 */
struct workqueue_struct *kelfix_needs_linux_6_9__system_bh_wq(void);
struct workqueue_struct *kelfix_needs_linux_6_9__system_bh_highpri_wq(void);

#endif /* KELFIX_WORKQUEUE_H */
