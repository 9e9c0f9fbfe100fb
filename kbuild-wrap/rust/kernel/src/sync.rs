// SPDX-License-Identifier: GPL-2.0-only
//! Synchronisation: reference counting, locks, condition variables and
//! atomics.
//!
//! Everything here sits on the kernel's own primitives (`refcount_t`,
//! `struct mutex`, `spinlock_t`, `struct wait_queue_head`, lockdep's
//! `struct lock_class_key`), so lockdep, the refcount checks and the
//! scheduler see Rust code exactly as they see C code. The few operations
//! whose C form differs between kernels, or is a statement macro, go
//! through `helpers/kelfix_sync.c`.

use crate::bindings;
use crate::types::Opaque;
use pin_init::PinInit;

mod arc;
pub mod aref;
pub mod atomic;
pub mod completion;
mod condvar;
pub mod lock;
mod locked_by;
mod refcount;

pub use arc::{Arc, ArcBorrow, UniqueArc};
pub use completion::Completion;
pub use condvar::{new_condvar, CondVar, CondVarTimeoutResult};
pub use lock::mutex::{new_mutex, Mutex, MutexGuard};
pub use lock::spinlock::{new_spinlock, SpinLock, SpinLockGuard};
pub use locked_by::LockedBy;
pub use refcount::Refcount;

/// The C helpers of this module (`kbuild-wrap/rust/helpers/kelfix_sync.c`,
/// declared in `kelfix_sync.h`: change both together).
mod helpers {
    use crate::bindings;
    use crate::ffi::c_char;

    // `struct lock_class_key` is empty without lockdep; C only takes its
    // address.
    #[allow(improper_ctypes)]
    extern "C" {
        /// `spin_lock_init()` with a caller-chosen name and lockdep class.
        pub(super) fn kelfix_sync_spin_lock_init(
            lock: *mut bindings::spinlock_t,
            name: *const c_char,
            key: *mut bindings::lock_class_key,
        );
        /// `lockdep_assert_held()` on a mutex.
        pub(super) fn kelfix_sync_mutex_assert_held(lock: *mut bindings::mutex);
        /// `lockdep_assert_held()` on a spinlock.
        pub(super) fn kelfix_sync_spin_assert_held(lock: *mut bindings::spinlock_t);
        /// `signal_pending(current)`.
        pub(super) fn kelfix_sync_signal_pending() -> bool;
        /// `TASK_FREEZABLE`: defined by the C helper only on kernels that
        /// have it (6.1 on), so that a module using it on an older kernel
        /// fails to link, naming the facility and the release.
        pub(super) fn kelfix_needs_linux_6_1__TASK_FREEZABLE() -> crate::ffi::c_int;
    }
}

/// A lockdep lock class: the kernel's `struct lock_class_key`.
///
/// Every lock and condition variable names one; lockdep tracks lock
/// ordering per class. A key either lives in static memory (made by
/// [`static_lock_class!`], the usual way) or is registered with lockdep
/// at run time by [`LockClassKey::new_dynamic`] and unregistered when
/// dropped.
///
/// # Invariants
///
/// `inner` lies in static memory, or it was registered with
/// `lockdep_register_key` and has not moved since (the type is `!Unpin`
/// and only handed out pinned).
#[repr(transparent)]
pub struct LockClassKey {
    inner: Opaque<bindings::lock_class_key>,
}

// SAFETY: lockdep allows a key to be unregistered (dropped) on another
// thread than the one that registered it.
unsafe impl Send for LockClassKey {}

// SAFETY: lockdep serialises all its accesses to a key; Rust never reads
// or writes it.
unsafe impl Sync for LockClassKey {}

impl LockClassKey {
    /// A key for a `static` item.
    ///
    /// Prefer [`static_lock_class!`], which upholds the requirements.
    ///
    /// # Safety
    ///
    /// The value must be placed in a `static` (and only used from there,
    /// pinned) before any use, and its destructor must never run.
    pub const unsafe fn new_static() -> Self {
        // INVARIANT: the caller puts it in static memory.
        Self {
            inner: Opaque::uninit(),
        }
    }

    /// An initialiser for a key registered with lockdep at run time, for
    /// keys that cannot be static (one class per dynamically created
    /// object, say). Dropping the key unregisters it.
    pub fn new_dynamic() -> impl PinInit<Self> {
        let register = Opaque::ffi_init(|slot: *mut bindings::lock_class_key| {
            // SAFETY: `slot` is valid for writes and will stay pinned (it is
            // the key of a value being pin-initialised).
            unsafe { bindings::lockdep_register_key(slot) }
        });
        // SAFETY: the closure initialises the only field of `*slot` (the
        // type is `repr(transparent)`) or fails without touching it; the
        // value is pinned once initialised.
        // INVARIANT: the key is registered before it is used.
        unsafe {
            pin_init::pin_init_from_closure(move |slot: *mut Self| {
                pin_init::raw_try_init(core::ptr::addr_of_mut!((*slot).inner), register)
            })
        }
    }

    /// The C `struct lock_class_key` behind this key.
    pub fn as_ptr(&self) -> *mut bindings::lock_class_key {
        self.inner.get()
    }
}

impl Drop for LockClassKey {
    fn drop(&mut self) {
        // SAFETY: by the type invariant a key that can be dropped came from
        // `new_dynamic` (a static's destructor never runs), so it is
        // registered and has not moved.
        unsafe { bindings::lockdep_unregister_key(self.as_ptr()) }
    }
}

/// A new static lock class, one per place the macro is written, as
/// `Pin<&'static LockClassKey>`.
///
/// ```ignore
/// let lock = SpinLock::new(0u32, c"counter", kernel::static_lock_class!());
/// ```
#[macro_export]
macro_rules! static_lock_class {
    () => {{
        static CLASS: $crate::sync::LockClassKey =
            // SAFETY: `CLASS` is a static, only used through the pinned
            // reference below, and statics are never dropped.
            unsafe { $crate::sync::LockClassKey::new_static() };
        ::core::pin::Pin::static_ref(&CLASS)
    }};
}
pub use static_lock_class;

/// The name given, as a `&'static CStr`, or else one made from the file and
/// line of the call (`"drivers/foo.rs:42"`). Used by [`new_mutex!`],
/// [`new_spinlock!`] and [`new_condvar!`].
#[doc(hidden)]
#[macro_export]
macro_rules! optional_name {
    () => {
        $crate::c_str!(::core::concat!(::core::file!(), ":", ::core::line!()))
    };
    ($name:literal) => {
        $crate::c_str!($name)
    };
}
