// SPDX-License-Identifier: GPL-2.0-only
//! [`Mutex`]: a [`Lock`](super::Lock) over the kernel's sleeping
//! `struct mutex`.

use crate::bindings;
use crate::sync::helpers;

/// An initialiser for a [`Mutex`] holding `$inner`, with its own lockdep
/// class (one per place the macro is written) and the given name, or
/// `file:line` if none.
///
/// ```ignore
/// #[pin_data]
/// struct Counter {
///     #[pin]
///     value: Mutex<u64>,
/// }
/// let c = KBox::pin_init(pin_init!(Counter { value <- new_mutex!(0) }), GFP_KERNEL)?;
/// *c.value.lock() += 1;
/// ```
#[macro_export]
macro_rules! new_mutex {
    ($inner:expr $(, $name:literal)? $(,)?) => {
        $crate::sync::Mutex::new(
            $inner,
            $crate::optional_name!($($name)?),
            $crate::static_lock_class!(),
        )
    };
}
pub use new_mutex;

/// Data behind the kernel's `struct mutex`: waiting for it sleeps, so it is
/// only taken where sleeping is allowed (process context, no spinlock
/// held).
///
/// Create it with [`new_mutex!`] in a pin-initialiser.
pub type Mutex<T> = super::Lock<T, MutexBackend>;

/// The guard of a held [`Mutex`]; dropping it unlocks.
pub type MutexGuard<'a, T> = super::Guard<'a, T, MutexBackend>;

/// The `struct mutex` lock backend.
pub struct MutexBackend;

// SAFETY: `struct mutex` has one owner at a time between `mutex_lock` (or a
// successful `mutex_trylock`) and `mutex_unlock`; `relock` is the default,
// `mutex_lock` again.
unsafe impl super::Backend for MutexBackend {
    type State = bindings::mutex;
    type GuardState = ();

    #[inline]
    unsafe fn init(
        ptr: *mut Self::State,
        name: *const crate::ffi::c_char,
        key: *mut bindings::lock_class_key,
    ) {
        // SAFETY: `ptr` is valid for writes and `name` and `key` outlive the
        // mutex (the caller's guarantees).
        unsafe { bindings::__mutex_init(ptr, name, key) }
    }

    #[inline]
    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // SAFETY: `ptr` is an initialised mutex.
        unsafe { bindings::mutex_lock(ptr) };
    }

    #[inline]
    unsafe fn unlock(ptr: *mut Self::State, _guard_state: &Self::GuardState) {
        // SAFETY: `ptr` is an initialised mutex the caller holds.
        unsafe { bindings::mutex_unlock(ptr) };
    }

    #[inline]
    unsafe fn try_lock(ptr: *mut Self::State) -> Option<Self::GuardState> {
        // SAFETY: `ptr` is an initialised mutex.
        let taken = unsafe { bindings::mutex_trylock(ptr) };
        (taken != 0).then_some(())
    }

    #[inline]
    unsafe fn assert_is_held(ptr: *mut Self::State) {
        // SAFETY: `ptr` is an initialised mutex.
        unsafe { helpers::kelfix_sync_mutex_assert_held(ptr) }
    }
}
