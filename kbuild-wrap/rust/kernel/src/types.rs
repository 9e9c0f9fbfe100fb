// SPDX-License-Identifier: GPL-2.0-only
//! Types for sharing data with C: [`Opaque`], [`ForeignOwnable`], and small
//! helpers ([`ScopeGuard`], [`NotThreadSafe`](type@NotThreadSafe)).

use crate::ffi::c_void;
use core::cell::UnsafeCell;
use core::marker::{PhantomData, PhantomPinned};
use core::mem::MaybeUninit;
use core::ops::{Deref, DerefMut};
use pin_init::{PinInit, Wrapper, Zeroable};

/// A Rust value whose ownership can pass to C as a `void *` and come back.
///
/// # Safety
///
/// [`into_foreign`](Self::into_foreign) returns a non-null pointer aligned
/// to [`FOREIGN_ALIGN`](Self::FOREIGN_ALIGN), which the other methods
/// accept until it is passed to [`from_foreign`](Self::from_foreign).
pub unsafe trait ForeignOwnable: Sized {
    /// The alignment of the pointers [`into_foreign`](Self::into_foreign)
    /// returns (C may use the low bits below it).
    const FOREIGN_ALIGN: usize;

    /// What [`borrow`](Self::borrow) gives.
    type Borrowed<'a>
    where
        Self: 'a;

    /// What [`borrow_mut`](Self::borrow_mut) gives.
    type BorrowedMut<'a>
    where
        Self: 'a;

    /// Hands the value to C as a pointer.
    fn into_foreign(self) -> *mut c_void;

    /// Takes the value back from C.
    ///
    /// # Safety
    ///
    /// `ptr` came from [`into_foreign`](Self::into_foreign) and has not been
    /// taken back; no borrow of it is alive.
    unsafe fn from_foreign(ptr: *mut c_void) -> Self;

    /// [`from_foreign`](Self::from_foreign), or `None` for a null pointer.
    ///
    /// # Safety
    ///
    /// `ptr` is null or meets [`from_foreign`](Self::from_foreign)'s
    /// requirements.
    unsafe fn try_from_foreign(ptr: *mut c_void) -> Option<Self> {
        if ptr.is_null() {
            None
        } else {
            // SAFETY: not null, so the caller guarantees the rest.
            Some(unsafe { Self::from_foreign(ptr) })
        }
    }

    /// Borrows the value C holds.
    ///
    /// # Safety
    ///
    /// `ptr` came from [`into_foreign`](Self::into_foreign) and is not taken
    /// back while the borrow lives; no mutable borrow is alive meanwhile.
    unsafe fn borrow<'a>(ptr: *mut c_void) -> Self::Borrowed<'a>;

    /// Borrows the value C holds, mutably.
    ///
    /// # Safety
    ///
    /// As [`borrow`](Self::borrow), and no other borrow is alive meanwhile.
    unsafe fn borrow_mut<'a>(ptr: *mut c_void) -> Self::BorrowedMut<'a>;
}

// SAFETY: the pointer is dangling but non-null and aligned for `()`.
unsafe impl ForeignOwnable for () {
    const FOREIGN_ALIGN: usize = core::mem::align_of::<()>();
    type Borrowed<'a> = ();
    type BorrowedMut<'a> = ();

    fn into_foreign(self) -> *mut c_void {
        core::ptr::NonNull::dangling().as_ptr()
    }

    unsafe fn from_foreign(_: *mut c_void) -> Self {}

    unsafe fn borrow<'a>(_: *mut c_void) -> Self::Borrowed<'a> {}

    unsafe fn borrow_mut<'a>(_: *mut c_void) -> Self::BorrowedMut<'a> {}
}

/// Runs a cleanup function on some data when dropped, unless dismissed.
///
/// # Invariants
///
/// The option is `Some` until the guard is dropped or dismissed.
pub struct ScopeGuard<T, F: FnOnce(T)>(Option<(T, F)>);

impl<T, F: FnOnce(T)> ScopeGuard<T, F> {
    /// A guard that calls `cleanup_func(data)` when dropped.
    pub fn new_with_data(data: T, cleanup_func: F) -> Self {
        // INVARIANT: `Some`.
        Self(Some((data, cleanup_func)))
    }

    /// Cancels the cleanup and returns the data.
    pub fn dismiss(mut self) -> T {
        let (data, _) = self.0.take().expect("a live ScopeGuard holds its data");
        data
    }
}

impl ScopeGuard<(), fn(())> {
    /// A guard that calls `cleanup` when dropped.
    pub fn new(cleanup: impl FnOnce()) -> ScopeGuard<(), impl FnOnce(())> {
        ScopeGuard::new_with_data((), move |()| cleanup())
    }
}

impl<T, F: FnOnce(T)> Deref for ScopeGuard<T, F> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0.as_ref().expect("a live ScopeGuard holds its data").0
    }
}

impl<T, F: FnOnce(T)> DerefMut for ScopeGuard<T, F> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0.as_mut().expect("a live ScopeGuard holds its data").0
    }
}

impl<T, F: FnOnce(T)> Drop for ScopeGuard<T, F> {
    fn drop(&mut self) {
        if let Some((data, cleanup)) = self.0.take() {
            cleanup(data);
        }
    }
}

/// Storage for a C object that Rust does not interpret: it may be
/// uninitialised, C may change it at any time (interior mutability), and
/// it never moves once C has seen it (it is `!Unpin`).
#[repr(transparent)]
pub struct Opaque<T> {
    value: UnsafeCell<MaybeUninit<T>>,
    _pin: PhantomPinned,
}

// SAFETY: any bit pattern, all zeroes included, is a valid `Opaque<T>`.
unsafe impl<T> Zeroable for Opaque<T> {}

impl<T> Opaque<T> {
    /// Holds `value`.
    pub const fn new(value: T) -> Self {
        Self {
            value: UnsafeCell::new(MaybeUninit::new(value)),
            _pin: PhantomPinned,
        }
    }

    /// Holds nothing initialised yet.
    pub const fn uninit() -> Self {
        Self {
            value: UnsafeCell::new(MaybeUninit::uninit()),
            _pin: PhantomPinned,
        }
    }

    /// Holds all zeroes.
    pub const fn zeroed() -> Self {
        Self {
            value: UnsafeCell::new(MaybeUninit::zeroed()),
            _pin: PhantomPinned,
        }
    }

    /// An in-place initialiser that lets `init_func` (typically a C init
    /// function) fill the object where it lives.
    pub fn ffi_init(init_func: impl FnOnce(*mut T)) -> impl PinInit<Self> {
        // SAFETY: an `Opaque` is valid whatever `init_func` leaves in it.
        unsafe {
            pin_init::pin_init_from_closure::<_, core::convert::Infallible>(move |slot| {
                init_func(Self::cast_into(slot));
                Ok(())
            })
        }
    }

    /// As [`Opaque::ffi_init`], for an `init_func` that can fail.
    pub fn try_ffi_init<E>(
        init_func: impl FnOnce(*mut T) -> Result<(), E>,
    ) -> impl PinInit<Self, E> {
        // SAFETY: an `Opaque` is valid whatever `init_func` leaves in it.
        unsafe {
            pin_init::pin_init_from_closure::<_, E>(move |slot| init_func(Self::cast_into(slot)))
        }
    }

    /// A pointer to the object, for C.
    pub const fn get(&self) -> *mut T {
        UnsafeCell::get(&self.value).cast::<T>()
    }

    /// The object's pointer from a pointer to its `Opaque`.
    pub const fn cast_into(this: *const Self) -> *mut T {
        UnsafeCell::raw_get(this.cast::<UnsafeCell<MaybeUninit<T>>>()).cast::<T>()
    }

    /// The `Opaque`'s pointer from a pointer to its object.
    pub const fn cast_from(this: *const T) -> *const Self {
        this.cast()
    }

    /// The object's pointer from a pointer to its `Opaque` (an older name
    /// of [`Opaque::cast_into`]).
    pub const fn raw_get(this: *const Self) -> *mut T {
        Self::cast_into(this)
    }
}

impl<T> Wrapper<T> for Opaque<T> {
    fn pin_init<E>(init: impl PinInit<T, E>) -> impl PinInit<Self, E> {
        Self::try_ffi_init(|slot: *mut T| {
            // SAFETY: `slot` is uninitialised memory for a `T` that does not
            // move; on error it is not used.
            unsafe { init.__pinned_init(slot) }
        })
    }
}

/// A marker that makes a type neither `Send` nor `Sync` (a field of type
/// `NotThreadSafe`, set to [`NotThreadSafe`](const@NotThreadSafe)).
pub type NotThreadSafe = PhantomData<*mut ()>;

/// The value of the [`NotThreadSafe`](type@NotThreadSafe) marker type.
#[allow(non_upper_case_globals)]
pub const NotThreadSafe: NotThreadSafe = PhantomData;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_guard_runs_unless_dismissed() {
        let mut ran = 0;
        {
            let _g = ScopeGuard::new(|| ran += 1);
        }
        assert_eq!(ran, 1);
        let g = ScopeGuard::new_with_data(5, |_| panic!("dismissed guards do not run"));
        assert_eq!(*g, 5);
        assert_eq!(g.dismiss(), 5);
    }

    #[test]
    fn opaque_casts_are_inverse() {
        let o = Opaque::new(7u64);
        let p = o.get();
        assert_eq!(Opaque::cast_into(&o), p);
        assert_eq!(Opaque::cast_from(p), core::ptr::from_ref(&o));
        // SAFETY: initialised by `new`, not shared.
        assert_eq!(unsafe { *p }, 7);
        // SAFETY: `zeroed` is all zeroes, a valid `u64`.
        assert_eq!(unsafe { *Opaque::<u64>::zeroed().get() }, 0);
    }
}
