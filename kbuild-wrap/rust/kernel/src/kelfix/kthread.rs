// SPDX-License-Identifier: GPL-2.0-only
//! Kernel threads running a Rust closure (`include/linux/kthread.h`).
//!
//! kelfix's own API, not upstream's: upstream 7.3 has no kthread
//! abstraction. [`KThread::spawn`] starts a named kernel thread running a
//! closure; dropping the returned [`KThread`] stops the thread
//! (`kthread_stop`) and waits for it to end. The closure polls
//! [`should_stop`] and returns once it is true:
//!
//! ```ignore
//! use kernel::kelfix::kthread::{self, KThread};
//! let thread = KThread::spawn(format_args!("mydrv/{}", id), move || {
//!     while !kthread::should_stop() {
//!         // ... work, then sleep interruptibly (kthread_stop wakes it) ...
//!     }
//! })?;
//! // ...
//! drop(thread); // stops it
//! ```

use crate::alloc::{flags::GFP_KERNEL, KBox};
use crate::bindings;
use crate::error::{code::EINTR, from_err_ptr, Result};
use crate::ffi::{c_char, c_int, c_void};
use crate::fmt;
use crate::str::{CStrExt, CString};
use crate::sync::aref::ARef;
use crate::task::Task;
use core::ptr::NonNull;

// `struct task_struct` holds structs that are empty without lockdep; only
// its address is passed.
#[allow(improper_ctypes)]
extern "C" {
    /// `kthread_run(threadfn, data, "%s", name)` plus a reference to the
    /// task (`helpers/kelfix_task.c`).
    fn kelfix_kthread_run(
        threadfn: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
        data: *mut c_void,
        name: *const c_char,
    ) -> *mut bindings::task_struct;
}

/// Whether the running kernel thread has been asked to stop
/// (`kthread_should_stop`): a [`KThread`]'s closure returns when it is.
///
/// Only meaningful in a kernel thread.
#[inline]
pub fn should_stop() -> bool {
    // SAFETY: no requirements beyond running in a kthread, which the
    // function checks itself (it warns otherwise).
    unsafe { bindings::kthread_should_stop() }
}

/// A running kernel thread; dropping it stops the thread.
///
/// # Invariants
///
/// `task` is a kthread made by `kelfix_kthread_run` that has not been
/// stopped; `data` is the `KBox<F>` given to it, and `drop_data` drops a
/// `KBox<F>`. The thread function owns `data` once it has started.
pub struct KThread {
    task: ARef<Task>,
    data: *mut c_void,
    drop_data: unsafe fn(*mut c_void),
}

// SAFETY: `data` is only used in `drop`, after the thread has ended, to
// free a closure that is `Send`; the task may be stopped from any thread.
unsafe impl Send for KThread {}

// SAFETY: `&KThread` only gives a `&Task`, which is `Sync`.
unsafe impl Sync for KThread {}

impl KThread {
    /// Starts a kernel thread named `name` (cut to 15 bytes, as the kernel
    /// does) running `func`.
    ///
    /// Fails if the name cannot be formatted or the thread created
    /// (`ENOMEM`, or `EINTR` if the caller is being killed).
    pub fn spawn<F>(name: fmt::Arguments<'_>, func: F) -> Result<Self>
    where
        F: FnOnce() + Send + 'static,
    {
        let name = CString::try_from_fmt(name)?;
        let data = KBox::into_raw(KBox::new(func, GFP_KERNEL)?).cast::<c_void>();
        // SAFETY: `thread_fn::<F>` takes `data` as the `KBox<F>` it is;
        // `name` is NUL-terminated and copied by the kernel.
        let task = unsafe { kelfix_kthread_run(Some(thread_fn::<F>), data, name.as_char_ptr()) };
        let task = match from_err_ptr(task) {
            Ok(task) => task,
            Err(e) => {
                // SAFETY: no thread function has run or will run with
                // `data` (a thread created after a failure exits at once),
                // so the box is still ours.
                unsafe { drop_closure::<F>(data) };
                return Err(e);
            }
        };
        // SAFETY: the helper took a reference for us; a non-error pointer
        // is not null.
        let task = unsafe { ARef::from_raw(NonNull::new_unchecked(task.cast::<Task>())) };
        // INVARIANT: a started thread, its data and the matching drop.
        Ok(Self {
            task,
            data,
            drop_data: drop_closure::<F>,
        })
    }

    /// The thread's task.
    pub fn task(&self) -> &Task {
        &self.task
    }
}

impl Drop for KThread {
    fn drop(&mut self) {
        // SAFETY: a kthread not stopped yet (type invariant), whose
        // `task_struct` our reference keeps valid even if it has ended.
        let ret = unsafe { bindings::kthread_stop(self.task.as_ptr()) };
        // `thread_fn` returns 0; `EINTR` means the kthread was stopped
        // before it called it, so the closure was never taken.
        if ret == EINTR.to_errno() {
            // SAFETY: the thread has ended without touching `data`, which
            // `drop_data` frees as the type it is (type invariant).
            unsafe { (self.drop_data)(self.data) };
        }
    }
}

/// The kthread's function: runs the closure boxed at `data`.
///
/// # Safety
///
/// `data` is a `KBox<F>` from [`KBox::into_raw`], handed over.
unsafe extern "C" fn thread_fn<F: FnOnce() + Send + 'static>(data: *mut c_void) -> c_int {
    // SAFETY: the caller hands the box over.
    let func = unsafe { KBox::from_raw(data.cast::<F>()) };
    KBox::into_inner(func)();
    0
}

/// Drops the closure boxed at `data`.
///
/// # Safety
///
/// `data` is a `KBox<F>` from [`KBox::into_raw`] that nothing else uses.
unsafe fn drop_closure<F>(data: *mut c_void) {
    // SAFETY: the caller's guarantee.
    drop(unsafe { KBox::from_raw(data.cast::<F>()) });
}
