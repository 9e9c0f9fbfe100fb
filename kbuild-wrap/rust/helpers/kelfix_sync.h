/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C half of kernel::sync (kbuild-wrap/rust/kernel/src/sync*): what
 * kelfix-bindgen cannot bind the same way on every kernel, because it is a
 * statement macro or because its definition depends on the kernel's
 * configuration. Compiled by kbuild into every module built with kelfix.mk.
 *
 * Rust declares these in kernel/src/sync.rs (module `ffi`): change both
 * together.
 */
#ifndef KELFIX_SYNC_H
#define KELFIX_SYNC_H

#include <linux/types.h>

struct lock_class_key;
struct mutex;
struct spinlock;

/*
 * spin_lock_init() with the caller's NAME and lockdep class KEY. The macro
 * makes its own static key and name; which function does the work depends
 * on CONFIG_DEBUG_SPINLOCK and CONFIG_PREEMPT_RT.
 */
void kelfix_sync_spin_lock_init(struct spinlock *lock, const char *name,
				struct lock_class_key *key);

/* lockdep_assert_held() (a statement macro) for a mutex and a spinlock. */
void kelfix_sync_mutex_assert_held(struct mutex *lock);
void kelfix_sync_spin_assert_held(struct spinlock *lock);

/* signal_pending(current): whether the calling task has a signal pending. */
bool kelfix_sync_signal_pending(void);

/*
 * TASK_FREEZABLE, on kernels that have it (6.1 on); not defined before:
 * see kelfix_sync.c.
 */
int kelfix_needs_linux_6_1__TASK_FREEZABLE(void);

#endif /* KELFIX_SYNC_H */
