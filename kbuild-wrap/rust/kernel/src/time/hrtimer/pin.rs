// SPDX-License-Identifier: GPL-2.0-only
//! Timers started through a `Pin<&T>`, for the length of a scope (see
//! [`super::ScopedHrTimerPointer`]).

use super::{
    HasHrTimer, HrTimer, HrTimerCallback, HrTimerCallbackContext, HrTimerHandle, HrTimerMode,
    RawHrTimerCallback, UnsafeHrTimerPointer,
};
use crate::bindings;
use core::pin::Pin;

/// The handle of a timer started through a `Pin<&T>`; it cancels the
/// timer when dropped.
pub struct PinHrTimerHandle<'a, T>
where
    T: HasHrTimer<T>,
{
    pub(crate) inner: Pin<&'a T>,
}

// SAFETY: `drop` calls `cancel`, which waits for a running callback.
unsafe impl<T> HrTimerHandle for PinHrTimerHandle<'_, T>
where
    T: HasHrTimer<T>,
{
    fn cancel(&mut self) -> bool {
        let this: *const T = self.inner.get_ref();
        // SAFETY: from a live reference.
        let timer = unsafe { T::raw_get_timer(this) };
        // SAFETY: `timer` lies in the live `T`.
        unsafe { HrTimer::<T>::raw_cancel(timer) }
    }
}

impl<T> Drop for PinHrTimerHandle<'_, T>
where
    T: HasHrTimer<T>,
{
    fn drop(&mut self) {
        self.cancel();
    }
}

// SAFETY: the handle borrows the `T` for `'a`: the `T` outlives it.
unsafe impl<'a, T> UnsafeHrTimerPointer for Pin<&'a T>
where
    T: Send + Sync,
    T: HasHrTimer<T>,
    T: HrTimerCallback<Pointer<'a> = Self>,
{
    type TimerMode = <T as HasHrTimer<T>>::TimerMode;
    type TimerHandle = PinHrTimerHandle<'a, T>;

    unsafe fn start(self, expires: <Self::TimerMode as HrTimerMode>::Expires) -> Self::TimerHandle {
        let this: *const T = self.get_ref();
        // SAFETY: from a live reference; the caller drops the handle, which
        // cancels the timer, before the `T` goes away.
        unsafe { T::start(this, expires) };
        PinHrTimerHandle { inner: self }
    }
}

impl<'a, T> RawHrTimerCallback for Pin<&'a T>
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
        // SAFETY: the handle borrows the `T`, and waits for this call when
        // dropped; the `T` is only ever reached pinned.
        let this = unsafe { Pin::new_unchecked(&*this) };
        // SAFETY: in the timer's callback, with the timer that expired.
        let ctx = unsafe { HrTimerCallbackContext::from_raw(timer) };
        T::run(this, ctx).into_c()
    }
}
