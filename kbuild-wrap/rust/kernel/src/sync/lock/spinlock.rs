// SPDX-License-Identifier: GPL-2.0-only
//! [`SpinLock`]: a [`Lock`](super::Lock) over the kernel's `spinlock_t`.

use crate::bindings;
use crate::sync::helpers;

/// An initialiser for a [`SpinLock`] holding `$inner`, with its own lockdep
/// class (one per place the macro is written) and the given name, or
/// `file:line` if none.
#[macro_export]
macro_rules! new_spinlock {
    ($inner:expr $(, $name:literal)? $(,)?) => {
        $crate::sync::SpinLock::new(
            $inner,
            $crate::optional_name!($($name)?),
            $crate::static_lock_class!(),
        )
    };
}
pub use new_spinlock;

/// Data behind the kernel's `spinlock_t`: waiting for it spins (on a
/// `PREEMPT_RT` kernel it sleeps), so it is held briefly. It leaves
/// interrupts enabled: data also used by an interrupt handler needs more
/// than this lock.
///
/// Create it with [`new_spinlock!`] in a pin-initialiser.
pub type SpinLock<T> = super::Lock<T, SpinLockBackend>;

/// The guard of a held [`SpinLock`]; dropping it unlocks.
pub type SpinLockGuard<'a, T> = super::Guard<'a, T, SpinLockBackend>;

/// The `spinlock_t` lock backend.
pub struct SpinLockBackend;

// SAFETY: `spinlock_t` has one owner at a time between `spin_lock` (or a
// successful `spin_trylock`) and `spin_unlock`; `relock` is the default,
// `spin_lock` again.
unsafe impl super::Backend for SpinLockBackend {
    type State = bindings::spinlock_t;
    type GuardState = ();

    #[inline]
    unsafe fn init(
        ptr: *mut Self::State,
        name: *const crate::ffi::c_char,
        key: *mut bindings::lock_class_key,
    ) {
        // SAFETY: `ptr` is valid for writes and `name` and `key` outlive the
        // lock (the caller's guarantees).
        unsafe { helpers::kelfix_sync_spin_lock_init(ptr, name, key) }
    }

    #[inline]
    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // SAFETY: `ptr` is an initialised spinlock.
        unsafe { bindings::spin_lock(ptr) }
    }

    #[inline]
    unsafe fn unlock(ptr: *mut Self::State, _guard_state: &Self::GuardState) {
        // SAFETY: `ptr` is an initialised spinlock the caller holds.
        unsafe { bindings::spin_unlock(ptr) }
    }

    #[inline]
    unsafe fn try_lock(ptr: *mut Self::State) -> Option<Self::GuardState> {
        // SAFETY: `ptr` is an initialised spinlock.
        let taken = unsafe { bindings::spin_trylock(ptr) };
        (taken != 0).then_some(())
    }

    #[inline]
    unsafe fn assert_is_held(ptr: *mut Self::State) {
        // SAFETY: `ptr` is an initialised spinlock.
        unsafe { helpers::kelfix_sync_spin_assert_held(ptr) }
    }
}
