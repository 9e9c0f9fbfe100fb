/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C half of kernel::task and kernel::kelfix::kthread
 * (kbuild-wrap/rust/kernel/src/task.rs, kelfix/kthread.rs): macros
 * kelfix-bindgen cannot bind, and calls whose form differs between the
 * kernels kelfix supports. Rust declares these in a private extern block
 * of the module that calls each one: change both together.
 */
#ifndef KELFIX_TASK_H
#define KELFIX_TASK_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct task_struct;

/* task_uid(TASK): the real UID of TASK's objective credentials (a macro). */
kuid_t kelfix_task_uid(struct task_struct *task);

/*
 * might_sleep() reported at LEN bytes of FILE (not NUL-terminated) and
 * LINE rather than at this file. __might_sleep() lost its third argument
 * (the preempt offset) in 5.16.
 */
void kelfix_task_might_sleep(const char *file, int len, int line);

/*
 * kthread_run(THREADFN, DATA, "%s", NAME) holding a reference to the new
 * task (get_task_struct), so that kthread_stop() stays valid even if
 * THREADFN has returned: an ERR_PTR on failure. kthread_create is a
 * variadic macro.
 */
struct task_struct *kelfix_kthread_run(int (*threadfn)(void *data), void *data, const char *name);

#endif /* KELFIX_TASK_H */
