// SPDX-License-Identifier: GPL-2.0-only
//! Timers started through a `Pin<&mut T>`, for the length of a scope (see
//! [`super::ScopedHrTimerPointer`]).

use super::{
    HasHrTimer, HrTimer, HrTimerCallback, HrTimerCallbackContext, HrTimerHandle, HrTimerMode,
    RawHrTimerCallback, UnsafeHrTimerPointer,
};
use crate::bindings;
use core::marker::PhantomData;
use core::pin::Pin;
use core::ptr::NonNull;

/// The handle of a timer started through a `Pin<&mut T>`; it cancels the
/// timer when dropped.
///
/// # Invariants
///
/// `inner` comes from the `&'a mut T` the timer was started with.
pub struct PinMutHrTimerHandle<'a, T>
where
    T: HasHrTimer<T>,
{
    pub(crate) inner: NonNull<T>,
    _p: PhantomData<&'a mut T>,
}

// SAFETY: `drop` calls `cancel`, which waits for a running callback.
unsafe impl<T> HrTimerHandle for PinMutHrTimerHandle<'_, T>
where
    T: HasHrTimer<T>,
{
    fn cancel(&mut self) -> bool {
        // SAFETY: valid for `'a` (type invariant).
        let timer = unsafe { T::raw_get_timer(self.inner.as_ptr()) };
        // SAFETY: `timer` lies in the live `T`.
        unsafe { HrTimer::<T>::raw_cancel(timer) }
    }
}

impl<T> Drop for PinMutHrTimerHandle<'_, T>
where
    T: HasHrTimer<T>,
{
    fn drop(&mut self) {
        self.cancel();
    }
}

// SAFETY: the handle borrows the `T` for `'a`: the `T` outlives it.
unsafe impl<'a, T> UnsafeHrTimerPointer for Pin<&'a mut T>
where
    T: Send + Sync,
    T: HasHrTimer<T>,
    T: HrTimerCallback<Pointer<'a> = Self>,
{
    type TimerMode = <T as HasHrTimer<T>>::TimerMode;
    type TimerHandle = PinMutHrTimerHandle<'a, T>;

    unsafe fn start(
        mut self,
        expires: <Self::TimerMode as HrTimerMode>::Expires,
    ) -> Self::TimerHandle {
        // SAFETY: only a pointer is taken; the `T` does not move.
        let this: *mut T = unsafe { self.as_mut().get_unchecked_mut() };
        // SAFETY: from a live reference; the caller drops the handle, which
        // cancels the timer, before the `T` goes away.
        unsafe { T::start(this, expires) };
        // INVARIANT: `this` comes from the `&'a mut T`.
        PinMutHrTimerHandle {
            // SAFETY: made from a reference: not null.
            inner: unsafe { NonNull::new_unchecked(this) },
            _p: PhantomData,
        }
    }
}

impl<'a, T> RawHrTimerCallback for Pin<&'a mut T>
where
    T: HasHrTimer<T>,
    T: HrTimerCallback<Pointer<'a> = Self>,
{
    type CallbackTarget<'b> = Self;

    unsafe extern "C" fn run(ptr: *mut bindings::hrtimer) -> bindings::hrtimer_restart {
        // `HrTimer` is `repr(C)` with the `struct hrtimer` first.
        let timer = ptr.cast::<HrTimer<T>>();
        // SAFETY: the core passes the timer that was started: the field of
        // a `T`.
        let this = unsafe { T::timer_container_of(timer) };
        // SAFETY: the handle holds the `&mut` borrow and waits for this
        // call when dropped; the `T` is only ever reached pinned.
        let this = unsafe { Pin::new_unchecked(&mut *this) };
        // SAFETY: in the timer's callback, with the timer that expired.
        let ctx = unsafe { HrTimerCallbackContext::from_raw(timer) };
        T::run(this, ctx).into_c()
    }
}
