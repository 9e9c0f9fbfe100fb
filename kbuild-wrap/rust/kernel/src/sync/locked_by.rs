// SPDX-License-Identifier: GPL-2.0-only
//! [`LockedBy`]: data protected by a lock that lives elsewhere.

use super::lock::{Backend, Lock};
use core::cell::UnsafeCell;
use core::mem::size_of;
use core::ptr;

/// A `T` that may only be accessed while a given [`Lock`] protecting a `U`
/// is held.
///
/// For data that belongs with a lock but cannot sit inside it: the items of
/// a collection whose lock protects the collection, say. Access needs a
/// reference to the lock's data, which only a guard of that lock gives:
/// [`access`](LockedBy::access) with `&U`, [`access_mut`](LockedBy::access_mut)
/// with `&mut U`. That the reference is to the right lock is checked at run
/// time (it panics otherwise).
///
/// ```ignore
/// struct Dir { inner: Mutex<DirInner> }
/// struct DirInner { used: u64 }
/// struct File { inner: LockedBy<u64, DirInner> }
///
/// fn grow(dir: &Dir, file: &File) {
///     let mut guard = dir.inner.lock();
///     guard.used += 1;
///     *file.inner.access_mut(&mut guard) += 1;
/// }
/// ```
pub struct LockedBy<T: ?Sized, U: ?Sized> {
    /// The data of the owning lock; only compared, never dereferenced.
    owner: *const U,
    data: UnsafeCell<T>,
}

// SAFETY: moving a `LockedBy` moves the `T`; the owner pointer is never
// dereferenced.
unsafe impl<T: ?Sized + Send, U: ?Sized> Send for LockedBy<T, U> {}

// SAFETY: shared access hands out `&mut T` to one thread at a time (the
// one holding the owner's lock mutably), which needs `T: Send`; `&T` to
// several threads at once only through `access`, which requires `T: Sync`.
unsafe impl<T: ?Sized + Send, U: ?Sized> Sync for LockedBy<T, U> {}

impl<T, U> LockedBy<T, U> {
    /// `data`, protected by `owner`.
    ///
    /// Only the address of `owner`'s data is kept. If that lock is freed
    /// the data becomes unreachable; if another lock later takes its place
    /// in memory the data becomes reachable through it, which is still
    /// sound: one lock at a time guards it.
    pub fn new<B: Backend>(owner: &Lock<U, B>, data: T) -> Self {
        crate::build_assert::build_assert!(
            size_of::<Lock<U, B>>() > 0,
            "a zero-sized lock cannot be told apart from another"
        );
        Self {
            owner: owner.data.get(),
            data: UnsafeCell::new(data),
        }
    }
}

impl<T: ?Sized, U> LockedBy<T, U> {
    /// The data, given a shared reference to the owner's data (so the
    /// owner is locked, or otherwise shared for `'a`).
    ///
    /// `U` must not be zero-sized: a reference to a zero-sized value does
    /// not prove anything is locked.
    ///
    /// # Panics
    ///
    /// If `owner` is not the data of the lock given to [`LockedBy::new`].
    pub fn access<'a>(&'a self, owner: &'a U) -> &'a T
    where
        T: Sync,
    {
        crate::build_assert::build_assert!(size_of::<U>() > 0, "a zero-sized owner proves nothing");
        if !ptr::eq(owner, self.owner) {
            panic!("LockedBy: not the owning lock");
        }
        // SAFETY: `owner` is shared for `'a`, so nobody has `&mut U` to
        // call `access_mut` with; `T: Sync` allows sharing `&T`.
        unsafe { &*self.data.get() }
    }

    /// The data, mutably, given a mutable reference to the owner's data
    /// (which only the owner's guard gives).
    ///
    /// # Panics
    ///
    /// If `owner` is not the data of the lock given to [`LockedBy::new`].
    pub fn access_mut<'a>(&'a self, owner: &'a mut U) -> &'a mut T {
        crate::build_assert::build_assert!(size_of::<U>() > 0, "a zero-sized owner proves nothing");
        if !ptr::eq(owner, self.owner) {
            panic!("LockedBy: not the owning lock");
        }
        // SAFETY: `&mut U` is unique for `'a`, so no other access to the
        // data can happen meanwhile.
        unsafe { &mut *self.data.get() }
    }
}
