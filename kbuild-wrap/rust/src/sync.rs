//! [`Mutex`]: the kernel's sleeping mutex (process context only).

use core::cell::UnsafeCell;
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;

use crate::error::{Error, Result};
use crate::ffi;

/// A value behind a kernel `struct mutex` (allocated by the C helper, so
/// its layout never matters here). Locking may sleep.
pub struct Mutex<T> {
    raw: NonNull<ffi::Mutex>,
    data: UnsafeCell<T>,
}

// SAFETY: the mutex serialises every access to `data`.
unsafe impl<T: Send> Send for Mutex<T> {}
unsafe impl<T: Send> Sync for Mutex<T> {}

impl<T> Mutex<T> {
    /// `ENOMEM` when the kernel mutex cannot be allocated.
    pub fn new(value: T) -> Result<Self> {
        // SAFETY: no arguments; returns NULL or an initialised mutex.
        let raw = NonNull::new(unsafe { ffi::kelfix_rt_mutex_new() }).ok_or(Error::ENOMEM)?;
        Ok(Mutex {
            raw,
            data: UnsafeCell::new(value),
        })
    }

    /// Waits for the lock (uninterruptibly).
    pub fn lock(&self) -> MutexGuard<'_, T> {
        // SAFETY: `raw` is a live, initialised mutex.
        unsafe { ffi::kelfix_rt_mutex_lock(self.raw.as_ptr()) };
        MutexGuard { mutex: self }
    }

    /// The value, without locking (`&mut self` proves no one else has it).
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }
}

impl<T> Drop for Mutex<T> {
    fn drop(&mut self) {
        // SAFETY: not locked (a guard would borrow self), freed once.
        unsafe { ffi::kelfix_rt_mutex_free(self.raw.as_ptr()) };
    }
}

/// The lock, held until the guard is dropped.
pub struct MutexGuard<'a, T> {
    mutex: &'a Mutex<T>,
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the lock is held.
        unsafe { &*self.mutex.data.get() }
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the lock is held, and this guard is borrowed mutably.
        unsafe { &mut *self.mutex.data.get() }
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: this guard locked it.
        unsafe { ffi::kelfix_rt_mutex_unlock(self.mutex.raw.as_ptr()) };
    }
}
