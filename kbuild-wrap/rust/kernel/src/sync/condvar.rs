// SPDX-License-Identifier: GPL-2.0-only
//! [`CondVar`]: a condition variable over the kernel's
//! `struct wait_queue_head`.

use super::lock::{Backend, Guard};
use super::{helpers, LockClassKey};
use crate::bindings;
use crate::ffi::{c_int, c_long, c_uint, c_ulong};
use crate::str::{CStr, CStrExt};
use crate::types::Opaque;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::{self, addr_of_mut};
use pin_init::PinInit;

/// An initialiser for a [`CondVar`] with its own lockdep class (one per
/// place the macro is written) and the given name, or `file:line` if none.
#[macro_export]
macro_rules! new_condvar {
    ($($name:literal)?) => {
        $crate::sync::CondVar::new(
            $crate::optional_name!($($name)?),
            $crate::static_lock_class!(),
        )
    };
}
pub use new_condvar;

/// A condition variable: threads sleep in it, releasing a lock, until
/// another thread notifies them.
///
/// A waiter passes the [`Guard`] of the lock protecting the condition; the
/// lock is released while it sleeps and held again when the wait returns.
/// Wake-ups may be spurious (and the interruptible waits also end on a
/// signal), so the condition is checked again in a loop:
///
/// ```ignore
/// let mut guard = e.value.lock();
/// while *guard != v {
///     e.changed.wait(&mut guard);
/// }
/// ```
///
/// Created in place and pinned, with [`new_condvar!`].
///
/// # Invariants
///
/// `wait_queue_head` was initialised by `__init_waitqueue_head` and has not
/// moved since.
pub struct CondVar {
    pub(crate) wait_queue_head: Opaque<bindings::wait_queue_head>,

    /// The wait queue's list head points to itself, so it must not move.
    _pin: PhantomPinned,
}

// SAFETY: a `wait_queue_head` may be used from any thread.
unsafe impl Send for CondVar {}

// SAFETY: a `wait_queue_head` has its own lock for concurrent use.
unsafe impl Sync for CondVar {}

/// How [`CondVar::wait_interruptible_timeout`] ended.
pub enum CondVarTimeoutResult {
    /// The time ran out.
    Timeout,
    /// Notified (or woken spuriously) before the time ran out.
    Woken {
        /// The jiffies that were left.
        jiffies: c_ulong,
    },
    /// A signal is pending.
    Signal {
        /// The jiffies that were left.
        jiffies: c_ulong,
    },
}

impl CondVar {
    /// An initialiser of a condition variable with lockdep name `name` and
    /// class `key` (the class of the wait queue's spinlock).
    pub fn new(name: &'static CStr, key: Pin<&'static LockClassKey>) -> impl PinInit<Self> {
        let head = Opaque::ffi_init(move |slot: *mut bindings::wait_queue_head| {
            // SAFETY: `slot` is valid for writes and pinned with the
            // `CondVar`; `name` and `key` are `'static`.
            unsafe { bindings::__init_waitqueue_head(slot, name.as_char_ptr(), key.as_ptr()) }
        });
        // SAFETY: the closure initialises the only sized field, which cannot
        // fail; `_pin` is a zero-sized marker. The value stays pinned.
        // INVARIANT: the head is initialised in place.
        unsafe {
            pin_init::pin_init_from_closure(move |slot: *mut Self| {
                pin_init::raw_try_init(addr_of_mut!((*slot).wait_queue_head), head)
            })
        }
    }

    /// Queues the current task (exclusive), releases the lock of `guard`,
    /// sleeps in `wait_state` for at most `timeout` jiffies, takes the lock
    /// back; returns the jiffies left (`schedule_timeout`).
    fn wait_internal<T: ?Sized, B: Backend>(
        &self,
        wait_state: c_int,
        guard: &mut Guard<'_, T, B>,
        timeout: c_long,
    ) -> c_long {
        // The entry lives on this stack frame, linked into the queue between
        // `prepare_to_wait_exclusive` and `finish_wait`; it is never moved.
        let wait = Opaque::<bindings::wait_queue_entry>::uninit();

        // SAFETY: `wait` is valid for writes. With flags 0 this is
        // `init_wait()`: the current task, woken by
        // `autoremove_wake_function`.
        unsafe { bindings::init_wait_entry(wait.get(), 0) };

        // SAFETY: both pointers are valid and initialised. This sets the
        // task state before the lock is released, so a notification sent
        // after that is not lost.
        unsafe {
            bindings::prepare_to_wait_exclusive(self.wait_queue_head.get(), wait.get(), wait_state)
        };

        // SAFETY: sleeping is allowed here: the caller's lock is released
        // around the call (a spinlock's guard cannot be held across it).
        let left = guard.do_unlocked(|| unsafe { bindings::schedule_timeout(timeout) });

        // SAFETY: both pointers are valid; this unlinks the entry if a
        // wake-up has not already done so.
        unsafe { bindings::finish_wait(self.wait_queue_head.get(), wait.get()) };

        left
    }

    /// Releases the lock of `guard` and sleeps uninterruptibly until
    /// notified (or woken spuriously), then takes the lock back.
    pub fn wait<T: ?Sized, B: Backend>(&self, guard: &mut Guard<'_, T, B>) {
        self.wait_internal(
            bindings::TASK_UNINTERRUPTIBLE,
            guard,
            bindings::MAX_SCHEDULE_TIMEOUT,
        );
    }

    /// As [`CondVar::wait`], but a signal also ends the sleep. Returns
    /// whether a signal is pending (the caller usually returns
    /// `ERESTARTSYS` then).
    #[must_use = "wait_interruptible returns whether a signal is pending"]
    pub fn wait_interruptible<T: ?Sized, B: Backend>(&self, guard: &mut Guard<'_, T, B>) -> bool {
        self.wait_internal(
            bindings::TASK_INTERRUPTIBLE,
            guard,
            bindings::MAX_SCHEDULE_TIMEOUT,
        );
        signal_pending()
    }

    /// As [`CondVar::wait_interruptible`], and the task may be frozen
    /// (suspend, cgroup freezer) while it sleeps.
    ///
    /// Needs Linux 6.1 or later (`TASK_FREEZABLE`): on an older kernel a
    /// module that calls it does not link; the build names the missing
    /// `kelfix_needs_linux_6_1__TASK_FREEZABLE`.
    #[must_use = "wait_interruptible_freezable returns whether a signal is pending"]
    pub fn wait_interruptible_freezable<T: ?Sized, B: Backend>(
        &self,
        guard: &mut Guard<'_, T, B>,
    ) -> bool {
        // SAFETY: a C helper without arguments or preconditions.
        let freezable = unsafe { helpers::kelfix_needs_linux_6_1__TASK_FREEZABLE() };
        self.wait_internal(
            bindings::TASK_INTERRUPTIBLE | freezable,
            guard,
            bindings::MAX_SCHEDULE_TIMEOUT,
        );
        signal_pending()
    }

    /// As [`CondVar::wait_interruptible`], for at most `jiffies` jiffies.
    #[must_use = "wait_interruptible_timeout returns whether a signal is pending"]
    pub fn wait_interruptible_timeout<T: ?Sized, B: Backend>(
        &self,
        guard: &mut Guard<'_, T, B>,
        jiffies: c_ulong,
    ) -> CondVarTimeoutResult {
        let timeout = c_long::try_from(jiffies).unwrap_or(bindings::MAX_SCHEDULE_TIMEOUT);
        let left = self.wait_internal(bindings::TASK_INTERRUPTIBLE, guard, timeout);
        // `schedule_timeout` returns what is left of a finite timeout, never
        // a negative value.
        let left = c_ulong::try_from(left).unwrap_or(0);
        match (left, signal_pending()) {
            (jiffies, true) => CondVarTimeoutResult::Signal { jiffies },
            (0, false) => CondVarTimeoutResult::Timeout,
            (jiffies, false) => CondVarTimeoutResult::Woken { jiffies },
        }
    }

    /// Wakes up to `count` exclusive waiters (0: all).
    fn notify(&self, count: c_int) {
        // SAFETY: the head is initialised (type invariant); no wake key.
        unsafe {
            bindings::__wake_up(
                self.wait_queue_head.get(),
                bindings::TASK_NORMAL as c_uint,
                count,
                ptr::null_mut(),
            )
        };
    }

    /// Wakes one waiter, hinting the scheduler that the caller is about to
    /// sleep, so the woken task may run on this CPU (`wake_up_sync`).
    #[inline]
    pub fn notify_sync(&self) {
        // SAFETY: the head is initialised (type invariant).
        unsafe {
            bindings::__wake_up_sync(self.wait_queue_head.get(), bindings::TASK_NORMAL as c_uint)
        };
    }

    /// Wakes one waiter, if any. Without waiters the notification is lost.
    #[inline]
    pub fn notify_one(&self) {
        self.notify(1);
    }

    /// Wakes every waiter, if any. Without waiters the notification is lost.
    #[inline]
    pub fn notify_all(&self) {
        self.notify(0);
    }
}

/// Whether the current task has a signal pending.
fn signal_pending() -> bool {
    // SAFETY: no requirements; it reads the current task's flags.
    unsafe { helpers::kelfix_sync_signal_pending() }
}
