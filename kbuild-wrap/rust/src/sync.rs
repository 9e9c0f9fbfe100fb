//! [`Mutex`]: the kernel's sleeping mutex (process context only).

use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::mem::size_of;
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;

use crate::bindings as k;
use crate::ffi;
use crate::error::{Error, Result};

/// The lockdep class of every kelfix mutex (`mutex_init` gives each call
/// site a static key of its own; one for all is enough here). Static
/// storage, as lockdep requires; an empty struct without lockdep.
struct LockClass(UnsafeCell<k::lock_class_key>);
// SAFETY: only the kernel (lockdep) touches the key, under its own locks.
unsafe impl Sync for LockClass {}
// SAFETY: all-zero is the state of a static `struct lock_class_key` in C.
static LOCK_CLASS: LockClass = LockClass(UnsafeCell::new(unsafe { core::mem::zeroed() }));

/// A value behind a kernel `struct mutex` (the generated, layout-checked
/// type, kmalloc'ed: a mutex must not move once initialised). Locking may
/// sleep.
pub struct Mutex<T> {
    raw: NonNull<k::mutex>,
    data: UnsafeCell<T>,
}

// SAFETY: the mutex serialises every access to `data`.
unsafe impl<T: Send> Send for Mutex<T> {}
unsafe impl<T: Send> Sync for Mutex<T> {}

impl<T> Mutex<T> {
    /// `ENOMEM` when the kernel mutex cannot be allocated.
    pub fn new(value: T) -> Result<Self> {
        // SAFETY: kmalloc returns NULL or room for a `struct mutex`, which
        // __mutex_init (what the mutex_init macro calls) initialises.
        let raw = unsafe {
            let size = size_of::<k::mutex>();
            let p = ffi::kelfix_rt_kmalloc(size, k::GFP_KERNEL as k::gfp_t).cast::<k::mutex>();
            let raw = NonNull::new(p).ok_or(Error::ENOMEM)?;
            let name = c"kelfix::sync::Mutex".as_ptr();
            k::__mutex_init(raw.as_ptr(), name, LOCK_CLASS.0.get());
            raw
        };
        Ok(Mutex {
            raw,
            data: UnsafeCell::new(value),
        })
    }

    /// Waits for the lock (uninterruptibly).
    pub fn lock(&self) -> MutexGuard<'_, T> {
        // SAFETY: `raw` is a live, initialised mutex.
        unsafe { k::mutex_lock(self.raw.as_ptr()) };
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
        unsafe {
            k::mutex_destroy(self.raw.as_ptr());
            k::kfree(self.raw.as_ptr().cast::<c_void>());
        }
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
        unsafe { k::mutex_unlock(self.mutex.raw.as_ptr()) };
    }
}
