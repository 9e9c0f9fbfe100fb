// SPDX-License-Identifier: GPL-2.0-only
//! Timers started through a `Pin<Box<T, A>>`: the handle owns the box.

use super::{
    HasHrTimer, HrTimer, HrTimerCallback, HrTimerCallbackContext, HrTimerHandle, HrTimerMode,
    HrTimerPointer, RawHrTimerCallback,
};
use crate::alloc::{Allocator, Box};
use crate::bindings;
use core::marker::PhantomData;
use core::pin::Pin;
use core::ptr::NonNull;

/// The handle of a timer started through a `Pin<Box<T, A>>`: it owns the
/// box, and cancels the timer before freeing it when dropped.
///
/// # Invariants
///
/// `inner` came from `Box::<T, A>::into_raw`.
pub struct BoxHrTimerHandle<T, A>
where
    T: HasHrTimer<T>,
    A: Allocator,
{
    pub(crate) inner: NonNull<T>,
    _p: PhantomData<A>,
}

// SAFETY: `drop` calls `cancel`, which waits for a running callback.
unsafe impl<T, A> HrTimerHandle for BoxHrTimerHandle<T, A>
where
    T: HasHrTimer<T>,
    A: Allocator,
{
    fn cancel(&mut self) -> bool {
        // SAFETY: the handle owns the live box.
        let timer = unsafe { T::raw_get_timer(self.inner.as_ptr()) };
        // SAFETY: `timer` lies in the live `T`.
        unsafe { HrTimer::<T>::raw_cancel(timer) }
    }
}

impl<T, A> Drop for BoxHrTimerHandle<T, A>
where
    T: HasHrTimer<T>,
    A: Allocator,
{
    fn drop(&mut self) {
        self.cancel();
        // SAFETY: from `Box::into_raw` (type invariant); the timer is
        // cancelled, nothing else uses the pointer.
        drop(unsafe { Box::<T, A>::from_raw(self.inner.as_ptr()) });
    }
}

impl<T, A> HrTimerPointer for Pin<Box<T, A>>
where
    T: 'static,
    T: Send + Sync,
    T: HasHrTimer<T>,
    T: for<'a> HrTimerCallback<Pointer<'a> = Pin<Box<T, A>>>,
    A: Allocator,
{
    type TimerMode = <T as HasHrTimer<T>>::TimerMode;
    type TimerHandle = BoxHrTimerHandle<T, A>;

    fn start(self, expires: <Self::TimerMode as HrTimerMode>::Expires) -> Self::TimerHandle {
        // SAFETY: the box is only reached through pinned references from
        // now on (the callback's `Pin<&mut T>`, the handle's drop).
        let raw = Box::into_raw(unsafe { Pin::into_inner_unchecked(self) });
        // SAFETY: `Box::into_raw` never returns null.
        let inner = unsafe { NonNull::new_unchecked(raw) };
        // SAFETY: `inner` is valid; the handle owns it until the timer is
        // cancelled.
        unsafe { T::start(inner.as_ptr(), expires) };
        // INVARIANT: `inner` came from `Box::into_raw` above.
        BoxHrTimerHandle {
            inner,
            _p: PhantomData,
        }
    }
}

impl<T, A> RawHrTimerCallback for Pin<Box<T, A>>
where
    T: 'static,
    T: HasHrTimer<T>,
    T: for<'a> HrTimerCallback<Pointer<'a> = Pin<Box<T, A>>>,
    A: Allocator,
{
    type CallbackTarget<'a> = Pin<&'a mut T>;

    unsafe extern "C" fn run(ptr: *mut bindings::hrtimer) -> bindings::hrtimer_restart {
        // `HrTimer` is `repr(C)` with the `struct hrtimer` first.
        let timer = ptr.cast::<HrTimer<T>>();
        // SAFETY: the core passes the timer that was started: the field of
        // a `T`.
        let this = unsafe { T::timer_container_of(timer) };
        // SAFETY: the handle owns the box and waits for this call before
        // freeing it; the handle itself never makes a reference to the
        // `T`, so this one is unique. The box was pinned.
        let this = unsafe { Pin::new_unchecked(&mut *this) };
        // SAFETY: in the timer's callback, with the timer that expired.
        let ctx = unsafe { HrTimerCallbackContext::from_raw(timer) };
        T::run(this, ctx).into_c()
    }
}
