// SPDX-License-Identifier: GPL-2.0-only
//! Timers started through an [`Arc`]: the handle holds a reference.

use super::{
    HasHrTimer, HrTimer, HrTimerCallback, HrTimerCallbackContext, HrTimerHandle, HrTimerMode,
    HrTimerPointer, RawHrTimerCallback,
};
use crate::bindings;
use crate::sync::{Arc, ArcBorrow};

/// The handle of a timer started through an `Arc<T>`; it keeps the `T`
/// alive and cancels the timer when dropped.
pub struct ArcHrTimerHandle<T>
where
    T: HasHrTimer<T>,
{
    pub(crate) inner: Arc<T>,
}

// SAFETY: `drop` calls `cancel`, which waits for a running callback.
unsafe impl<T> HrTimerHandle for ArcHrTimerHandle<T>
where
    T: HasHrTimer<T>,
{
    fn cancel(&mut self) -> bool {
        let this = Arc::as_ptr(&self.inner);
        // SAFETY: the `Arc` keeps `*this` valid.
        let timer = unsafe { T::raw_get_timer(this) };
        // SAFETY: `timer` lies in the valid `*this`.
        unsafe { HrTimer::<T>::raw_cancel(timer) }
    }
}

impl<T> Drop for ArcHrTimerHandle<T>
where
    T: HasHrTimer<T>,
{
    fn drop(&mut self) {
        self.cancel();
    }
}

impl<T> HrTimerPointer for Arc<T>
where
    T: 'static,
    T: Send + Sync,
    T: HasHrTimer<T>,
    T: for<'a> HrTimerCallback<Pointer<'a> = Self>,
{
    type TimerMode = <T as HasHrTimer<T>>::TimerMode;
    type TimerHandle = ArcHrTimerHandle<T>;

    fn start(self, expires: <Self::TimerMode as HrTimerMode>::Expires) -> ArcHrTimerHandle<T> {
        // SAFETY: `self` is valid and moves into the handle, which keeps
        // it alive until the timer is cancelled.
        unsafe { T::start(Arc::as_ptr(&self), expires) };
        ArcHrTimerHandle { inner: self }
    }
}

impl<T> RawHrTimerCallback for Arc<T>
where
    T: 'static,
    T: HasHrTimer<T>,
    T: for<'a> HrTimerCallback<Pointer<'a> = Self>,
{
    type CallbackTarget<'a> = ArcBorrow<'a, T>;

    unsafe extern "C" fn run(ptr: *mut bindings::hrtimer) -> bindings::hrtimer_restart {
        // `HrTimer` is `repr(C)` with the `struct hrtimer` first.
        let timer = ptr.cast::<HrTimer<T>>();
        // SAFETY: the core passes the timer that was started: the field of
        // a `T`.
        let this = unsafe { T::timer_container_of(timer) };
        // SAFETY: the started timer's handle holds a reference on the `T`
        // until the timer is cancelled, which waits for this call.
        let this = unsafe { ArcBorrow::from_raw(this) };
        // SAFETY: in the timer's callback, with the timer that expired.
        let ctx = unsafe { HrTimerCallbackContext::from_raw(timer) };
        T::run(this, ctx).into_c()
    }
}
