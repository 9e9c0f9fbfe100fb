// SPDX-License-Identifier: GPL-2.0-only
//! References counted by the object itself.
//!
//! Many kernel objects carry their own reference count, with `get`/`put`
//! functions in C (`get_device`/`put_device`, `get_task_struct`/...).
//! Implementing [`AlwaysRefCounted`] for the Rust type of such an object
//! lets [`ARef<T>`] hold a reference to it as [`Arc`](crate::sync::Arc)
//! does for its own allocations.

use crate::ffi::c_void;
use crate::types::ForeignOwnable;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ops::Deref;
use core::ptr::NonNull;

/// A type whose every instance lives in an allocation with its own
/// reference count.
///
/// # Safety
///
/// A `&Self` exists only while its allocation holds a reference; after
/// [`inc_ref`](AlwaysRefCounted::inc_ref) the object stays valid until the
/// matching [`dec_ref`](AlwaysRefCounted::dec_ref).
pub unsafe trait AlwaysRefCounted {
    /// Takes one more reference to the object.
    fn inc_ref(&self);

    /// Gives back one reference; the object may be freed.
    ///
    /// # Safety
    ///
    /// The caller owns a reference to `obj` (taken by `inc_ref`, or one the
    /// object was created with), and does not use `obj` afterwards.
    unsafe fn dec_ref(obj: NonNull<Self>);
}

/// An owned reference to an [`AlwaysRefCounted`] object.
///
/// # Invariants
///
/// `ptr` is a valid object and this `ARef` owns one of its references.
pub struct ARef<T: AlwaysRefCounted> {
    ptr: NonNull<T>,
    _p: PhantomData<T>,
}

// SAFETY: sending an `ARef<T>` shares the `T` (`T: Sync`), and the
// receiving thread may give back the last reference and so drop it
// (`T: Send`).
unsafe impl<T: AlwaysRefCounted + Sync + Send> Send for ARef<T> {}

// SAFETY: through `&ARef<T>` a thread reads the `T` (`T: Sync`) and may
// clone a reference of its own and drop the last one (`T: Send`).
unsafe impl<T: AlwaysRefCounted + Sync + Send> Sync for ARef<T> {}

// The pointer may move even where the object must not.
impl<T: AlwaysRefCounted> Unpin for ARef<T> {}

impl<T: AlwaysRefCounted> ARef<T> {
    /// An `ARef` owning a reference the caller already holds.
    ///
    /// # Safety
    ///
    /// `ptr` is valid and the caller owns one reference to it, which it
    /// hands to the new `ARef`.
    pub unsafe fn from_raw(ptr: NonNull<T>) -> Self {
        // INVARIANT: guaranteed by the caller.
        Self {
            ptr,
            _p: PhantomData,
        }
    }

    /// The pointer, keeping the reference (for [`ARef::from_raw`] later or
    /// for C code that will put it).
    pub fn into_raw(me: Self) -> NonNull<T> {
        ManuallyDrop::new(me).ptr
    }
}

impl<T: AlwaysRefCounted> Clone for ARef<T> {
    fn clone(&self) -> Self {
        self.inc_ref();
        // SAFETY: the reference just taken belongs to the new `ARef`.
        unsafe { Self::from_raw(self.ptr) }
    }
}

impl<T: AlwaysRefCounted> Deref for ARef<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the object is valid while `self` holds its reference.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T: AlwaysRefCounted> From<&T> for ARef<T> {
    fn from(b: &T) -> Self {
        b.inc_ref();
        // SAFETY: the reference just taken belongs to the new `ARef`.
        unsafe { Self::from_raw(NonNull::from(b)) }
    }
}

impl<T: AlwaysRefCounted> Drop for ARef<T> {
    fn drop(&mut self) {
        // SAFETY: `self` owns a reference and is not used again.
        unsafe { T::dec_ref(self.ptr) };
    }
}

impl<T, U> PartialEq<ARef<U>> for ARef<T>
where
    T: AlwaysRefCounted + PartialEq<U>,
    U: AlwaysRefCounted,
{
    #[inline]
    fn eq(&self, other: &ARef<U>) -> bool {
        T::eq(self, other)
    }
}

impl<T: AlwaysRefCounted + Eq> Eq for ARef<T> {}

impl<T, U> PartialEq<&'_ U> for ARef<T>
where
    T: AlwaysRefCounted + PartialEq<U>,
{
    #[inline]
    fn eq(&self, other: &&U) -> bool {
        T::eq(self, *other)
    }
}

// SAFETY: `into_foreign` returns the object's pointer (aligned for `T`)
// with the reference kept; `from_foreign` takes that reference back;
// `borrow` and `borrow_mut` hand out shared references only.
unsafe impl<T: AlwaysRefCounted> ForeignOwnable for ARef<T> {
    const FOREIGN_ALIGN: usize = core::mem::align_of::<T>();

    type Borrowed<'a>
        = &'a T
    where
        Self: 'a;
    type BorrowedMut<'a>
        = &'a T
    where
        Self: 'a;

    #[inline]
    fn into_foreign(self) -> *mut c_void {
        ARef::into_raw(self).as_ptr().cast()
    }

    #[inline]
    unsafe fn from_foreign(ptr: *mut c_void) -> Self {
        // SAFETY: `ptr` came from `into_foreign`: a valid, non-null `T`
        // whose reference it kept.
        unsafe { ARef::from_raw(NonNull::new_unchecked(ptr.cast())) }
    }

    #[inline]
    unsafe fn borrow<'a>(ptr: *mut c_void) -> &'a T {
        // SAFETY: `ptr` came from `into_foreign` and the caller keeps the
        // reference for `'a`.
        unsafe { &*ptr.cast::<T>() }
    }

    #[inline]
    unsafe fn borrow_mut<'a>(ptr: *mut c_void) -> &'a T {
        // SAFETY: the requirements of `borrow_mut` include those of
        // `borrow`.
        unsafe { <Self as ForeignOwnable>::borrow(ptr) }
    }
}
