// SPDX-License-Identifier: GPL-2.0-only
//! Tasks, the kernel's threads and processes: `struct task_struct`
//! (`include/linux/sched.h`).
//!
//! [`current!`](crate::current!) gives the running task;
//! [`ARef<Task>`](crate::sync::aref::ARef) keeps any task's `task_struct`
//! alive (`get_task_struct`/`put_task_struct`).
//!
//! Left out, as kelfix has no pid namespace or mm types yet:
//! `Task::get_pid_ns`, `Task::tgid_nr_ns`, `CurrentTask::mm` and
//! `CurrentTask::active_pid_ns`; and `TASK_FREEZABLE`, a constant that
//! kernels before 6.1 do not have (for a freezable wait see
//! [`CondVar::wait_interruptible_freezable`](crate::sync::CondVar::wait_interruptible_freezable)).

use crate::bindings;
use crate::ffi::{c_char, c_int, c_long, c_uint};
use crate::sync::aref::AlwaysRefCounted;
use crate::types::{NotThreadSafe, Opaque};
use core::ops::Deref;
use core::ptr::{self, NonNull};

/// The C helpers of this module (`helpers/kelfix_task.c`, declared in
/// `kelfix_task.h`: change both together).
mod helpers {
    use crate::bindings;

    // `struct task_struct` holds structs that are empty without lockdep;
    // C only takes its address.
    #[allow(improper_ctypes)]
    extern "C" {
        /// `task_uid()`, a macro.
        pub(super) fn kelfix_task_uid(task: *mut bindings::task_struct) -> bindings::kuid_t;
        /// `might_sleep()`, reported at `file`:`line`.
        pub(super) fn kelfix_task_might_sleep(
            file: *const crate::ffi::c_char,
            len: crate::ffi::c_int,
            line: crate::ffi::c_int,
        );
    }
}

/// A timeout that never expires (`schedule_timeout`'s "forever").
pub const MAX_SCHEDULE_TIMEOUT: c_long = c_long::MAX;

/// The state of a sleep that a signal ends.
pub const TASK_INTERRUPTIBLE: c_int = bindings::TASK_INTERRUPTIBLE as c_int;

/// The state of a sleep that only an explicit wake-up ends.
pub const TASK_UNINTERRUPTIBLE: c_int = bindings::TASK_UNINTERRUPTIBLE as c_int;

/// Both sleep states: wakes a task whichever way it sleeps.
pub const TASK_NORMAL: c_uint = bindings::TASK_NORMAL as c_uint;

/// The running task, as `&CurrentTask` (which derefs to [`Task`]).
///
/// The reference lives until the end of the enclosing statement's scope
/// and, [`CurrentTask`] being neither `Send` nor `Sync`, cannot be moved
/// to another thread.
#[macro_export]
macro_rules! current {
    () => {
        // SAFETY: the temporary lives no longer than the caller's scope,
        // which cannot outlast the task context it runs in: leaving it
        // (return to user space, exec) means leaving the scope, and
        // `CurrentTask` cannot be sent to another context.
        unsafe { &*$crate::task::Task::current() }
    };
}

/// A task: the kernel's `struct task_struct`.
///
/// Reached through [`current!`](crate::current!) or held as an
/// [`ARef<Task>`](crate::sync::aref::ARef).
///
/// ```ignore
/// let pid = current!().pid();
/// let process = current!().group_leader().pid();
/// let keep: ARef<Task> = ARef::from(&**current!());
/// ```
///
/// # Invariants
///
/// Every `Task` is a task made by the kernel, and is reference counted:
/// after `get_task_struct` it stays valid until the matching
/// `put_task_struct`.
#[repr(transparent)]
pub struct Task(pub(crate) Opaque<bindings::task_struct>);

// SAFETY: a `Task` is only reached by shared reference, through `current!`
// or an `ARef`; its last reference may be put on any thread.
unsafe impl Send for Task {}

// SAFETY: what `Task` reads through `&self` either never changes (pid,
// tgid) or is synchronised by the kernel (signals, wake-ups, credentials).
unsafe impl Sync for Task {}

/// The running task, with what only the task itself may read without
/// locking (its group leader, say).
///
/// # Invariants
///
/// Used only in the task context it was obtained in: not after that task
/// returns to user space, execs or is released, and not across a change
/// of context such as `kthread_use_mm()`/`kthread_unuse_mm()`.
#[repr(transparent)]
pub struct CurrentTask(Task, NotThreadSafe);

impl Deref for CurrentTask {
    type Target = Task;

    #[inline]
    fn deref(&self) -> &Task {
        &self.0
    }
}

/// A process or thread identifier (`pid_t`).
pub type Pid = bindings::pid_t;

/// A user identifier as the kernel keeps it (`kuid_t`): its value in the
/// initial user namespace.
#[derive(Copy, Clone)]
pub struct Kuid {
    kuid: bindings::kuid_t,
}

impl Task {
    /// A raw pointer to the running task's `task_struct`.
    #[inline]
    pub fn current_raw() -> *mut bindings::task_struct {
        // SAFETY: reading `current` has no requirements.
        unsafe { bindings::get_current() }
    }

    /// The running task. [`current!`](crate::current!) is the safe way to call this.
    ///
    /// # Safety
    ///
    /// The result is used only within the task context it was obtained
    /// in (see [`CurrentTask`]'s invariants).
    #[inline]
    pub unsafe fn current() -> impl Deref<Target = CurrentTask> {
        /// Derefs to the `CurrentTask` at `task`.
        struct CurrentRef {
            task: *const CurrentTask,
        }

        impl Deref for CurrentRef {
            type Target = CurrentTask;

            fn deref(&self) -> &CurrentTask {
                // SAFETY: the reference borrows `self`, which the caller of
                // `Task::current` keeps within the current task's context,
                // where `current` is a live task.
                unsafe { &*self.task }
            }
        }

        CurrentRef {
            // `CurrentTask` and `Task` are transparent wrappers of
            // `task_struct`.
            task: Self::current_raw().cast(),
        }
    }

    /// The `task_struct` behind this task.
    #[inline]
    pub fn as_ptr(&self) -> *mut bindings::task_struct {
        self.0.get()
    }

    /// The task's identifier (the thread ID user space sees as `gettid()`,
    /// in the initial pid namespace).
    #[inline]
    pub fn pid(&self) -> Pid {
        // SAFETY: the task is valid (type invariant); its pid is set when
        // it is created and never changes.
        unsafe { *ptr::addr_of!((*self.as_ptr()).pid) }
    }

    /// The identifier of the task's thread group: its process ID, in the
    /// initial pid namespace.
    #[inline]
    pub fn tgid(&self) -> Pid {
        // SAFETY: the task is valid (type invariant); its tgid is set when
        // it is created and never changes.
        unsafe { *ptr::addr_of!((*self.as_ptr()).tgid) }
    }

    /// The task's real user ID (of its objective credentials).
    #[inline]
    pub fn uid(&self) -> Kuid {
        // SAFETY: the task is valid (type invariant); the helper reads its
        // credentials under RCU.
        Kuid::from_raw(unsafe { helpers::kelfix_task_uid(self.as_ptr()) })
    }

    /// Whether a signal is pending for the task.
    #[inline]
    pub fn signal_pending(&self) -> bool {
        // SAFETY: the task is valid (type invariant).
        unsafe { bindings::signal_pending(self.as_ptr()) != 0 }
    }

    /// Wakes the task if it sleeps (`wake_up_process`); harmless if it is
    /// running.
    #[inline]
    pub fn wake_up(&self) {
        // SAFETY: the task is valid (type invariant).
        unsafe { bindings::wake_up_process(self.as_ptr()) };
    }
}

impl CurrentTask {
    /// The leader of the running task's thread group (the task whose pid
    /// is the process ID).
    pub fn group_leader(&self) -> &Task {
        // SAFETY: only the task itself changes its group leader (in exec),
        // so reading it from the running task does not race.
        let leader = unsafe { *ptr::addr_of!((*self.as_ptr()).group_leader) };
        // SAFETY: the leader stays valid while the running task runs, and
        // the result borrows `self`, which cannot leave that context.
        unsafe { &*leader.cast::<Task>() }
    }
}

// SAFETY: `get_task_struct` takes a reference that keeps the task valid
// until the matching `put_task_struct` (type invariant).
unsafe impl AlwaysRefCounted for Task {
    #[inline]
    fn inc_ref(&self) {
        // SAFETY: a `&Task` exists, so the count is not zero.
        unsafe { bindings::get_task_struct(self.as_ptr()) };
    }

    #[inline]
    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller owns the reference being given back.
        unsafe { bindings::put_task_struct(obj.cast().as_ptr()) }
    }
}

impl PartialEq for Task {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        ptr::eq(self.as_ptr(), other.as_ptr())
    }
}

impl Eq for Task {}

impl Kuid {
    /// The running task's effective user ID (of its subjective
    /// credentials).
    #[inline]
    pub fn current_euid() -> Kuid {
        // SAFETY: reads the running task's own credentials.
        Self::from_raw(unsafe { bindings::current_euid() })
    }

    /// From the C value.
    #[inline]
    pub fn from_raw(kuid: bindings::kuid_t) -> Self {
        Self { kuid }
    }

    /// The C value.
    #[inline]
    pub fn into_raw(self) -> bindings::kuid_t {
        self.kuid
    }

    /// The user ID as user space in the running task's user namespace
    /// sees it (the overflow UID if it has no mapping there).
    #[inline]
    pub fn into_uid_in_current_ns(self) -> bindings::uid_t {
        // SAFETY: the running task's user namespace is valid while it runs.
        unsafe { bindings::from_kuid(bindings::current_user_ns(), self.kuid) }
    }
}

impl PartialEq for Kuid {
    #[inline]
    fn eq(&self, other: &Kuid) -> bool {
        // SAFETY: compares two values.
        unsafe { bindings::uid_eq(self.kuid, other.kuid) }
    }
}

impl Eq for Kuid {}

/// Marks a place that may sleep, as C's `might_sleep()`: with
/// `CONFIG_DEBUG_ATOMIC_SLEEP` the kernel reports a call from atomic
/// context (at the caller's file and line), and it may reschedule here.
#[track_caller]
#[inline]
pub fn might_sleep() {
    let loc = core::panic::Location::caller();
    let file = loc.file();
    let len = c_int::try_from(file.len()).unwrap_or(c_int::MAX);
    let line = c_int::try_from(loc.line()).unwrap_or(c_int::MAX);
    // SAFETY: `file` is valid for `len` bytes; C copies at most that many.
    unsafe { helpers::kelfix_task_might_sleep(file.as_ptr().cast::<c_char>(), len, line) }
}
