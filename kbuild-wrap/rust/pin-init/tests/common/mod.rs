// SPDX-License-Identifier: GPL-2.0-only
//! Types shared by the host tests: a self-linked list head and a small
//! spin mutex built on it (both must stay where they were initialised).

#![allow(dead_code)]

use core::{
    cell::UnsafeCell,
    marker::PhantomPinned,
    ops::{Deref, DerefMut},
    pin::Pin,
    ptr,
    sync::atomic::{AtomicBool, Ordering},
};
use pin_init::{pin_data, pin_init, PinInit};

/// A list head that points at itself when empty, like the kernel's.
#[pin_data]
pub struct ListHead {
    next: *const ListHead,
    prev: *const ListHead,
    #[pin]
    _pin: PhantomPinned,
}

impl ListHead {
    /// An empty list, linked to itself where it is initialised.
    pub fn new() -> impl PinInit<Self> {
        pin_init!(&this in Self {
            next: this.as_ptr(),
            prev: this.as_ptr(),
            _pin: PhantomPinned,
        })
    }

    /// Whether both links point at this very head.
    pub fn is_self_linked(&self) -> bool {
        ptr::eq(self.next, self) && ptr::eq(self.prev, self)
    }
}

/// A spin lock whose waiter list is self-referential.
#[pin_data]
pub struct SpinMutex<T> {
    locked: AtomicBool,
    #[pin]
    waiters: ListHead,
    data: UnsafeCell<T>,
}

// SAFETY: access to `data` is serialised by `locked`.
unsafe impl<T: Send> Sync for SpinMutex<T> {}
// SAFETY: the raw pointers only point into the mutex itself.
unsafe impl<T: Send> Send for SpinMutex<T> {}

impl<T> SpinMutex<T> {
    /// An unlocked mutex holding `value`.
    pub fn new(value: T) -> impl PinInit<Self> {
        pin_init!(Self {
            locked: AtomicBool::new(false),
            waiters <- ListHead::new(),
            data: UnsafeCell::new(value),
        })
    }

    /// Locks the mutex.
    pub fn lock(&self) -> Guard<'_, T> {
        while self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            core::hint::spin_loop();
        }
        Guard { mutex: self }
    }

    /// Whether the waiter list still points at itself.
    pub fn is_intact(&self) -> bool {
        self.waiters.is_self_linked()
    }

    /// The pinned waiter list, through the generated projection.
    pub fn waiters(self: Pin<&mut Self>) -> Pin<&mut ListHead> {
        self.project().waiters
    }
}

/// Holds a [`SpinMutex`] locked.
pub struct Guard<'a, T> {
    mutex: &'a SpinMutex<T>,
}

impl<T> Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the lock is held.
        unsafe { &*self.mutex.data.get() }
    }
}

impl<T> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the lock is held.
        unsafe { &mut *self.mutex.data.get() }
    }
}

impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        self.mutex.locked.store(false, Ordering::Release);
    }
}

/// `some_item` resolves only if `T` is not `Unpin` (otherwise both impls
/// apply and the call is ambiguous): `assert_not_unpin!(T)` is a
/// compile-time check.
pub trait AmbiguousIfUnpin<A> {
    fn some_item() {}
}
impl<T: ?Sized> AmbiguousIfUnpin<()> for T {}
impl<T: ?Sized + Unpin> AmbiguousIfUnpin<u8> for T {}

/// Fails to compile if the type is `Unpin`.
#[macro_export]
macro_rules! assert_not_unpin {
    ($t:ty) => {
        let _ = <$t as $crate::common::AmbiguousIfUnpin<_>>::some_item;
    };
}
