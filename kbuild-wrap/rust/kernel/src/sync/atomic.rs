// SPDX-License-Identifier: GPL-2.0-only
//! Atomic values with the kernel memory model's orderings.
//!
//! [`Atomic<T>`] holds a `T` (an integer, `bool` or raw pointer, see
//! [`AtomicType`]) that may be read and written concurrently. Every
//! operation names its ordering with a type from [`ordering`]; the accepted
//! orderings are checked at compile time.
//!
//! The operations are those of `core::sync::atomic`, which compile to the
//! same instructions as the kernel's `atomic_t`/`atomic64_t` operations
//! (plain loads and stores for relaxed accesses, locked instructions for
//! read-modify-write on x86). An `Atomic<T>` has the layout of `T`, so it
//! may overlay a C `atomic_t` (`Atomic<i32>`) or `atomic64_t`
//! (`Atomic<i64>`).

pub mod ordering;

use crate::ffi::c_void;
use core::cell::UnsafeCell;
use core::sync::atomic as core_atomic;

pub use ordering::{Acquire, Full, Relaxed, Release};

mod internal {
    use core::sync::atomic::Ordering;

    /// The raw operations of a representation type, over
    /// `core::sync::atomic` (not nameable outside this module, so
    /// [`AtomicImpl`](super::AtomicImpl) is sealed).
    ///
    /// # Safety (of every method)
    ///
    /// `ptr` is valid, aligned, and only accessed atomically while the
    /// call runs.
    pub trait RawOps: Sized + Copy {
        unsafe fn raw_load(ptr: *mut Self, o: Ordering) -> Self;
        unsafe fn raw_store(ptr: *mut Self, v: Self, o: Ordering);
        unsafe fn raw_swap(ptr: *mut Self, v: Self, o: Ordering) -> Self;
        unsafe fn raw_cmpxchg(
            ptr: *mut Self,
            old: Self,
            new: Self,
            success: Ordering,
            failure: Ordering,
        ) -> Result<Self, Self>;
    }

    /// Wrapping addition and subtraction, for the integer representations.
    ///
    /// # Safety (of every method)
    ///
    /// As for [`RawOps`].
    pub trait RawArith: super::AtomicImpl {
        unsafe fn raw_fetch_add(ptr: *mut Self, v: Self::Delta, o: Ordering) -> Self;
        unsafe fn raw_fetch_sub(ptr: *mut Self, v: Self::Delta, o: Ordering) -> Self;
    }
}

use internal::{RawArith, RawOps};

/// A type the hardware operates on atomically: `i8`, `i16`, `i32`, `i64`
/// and `*const c_void` (sealed). [`AtomicType`]s are stored as one of these.
pub trait AtomicImpl: RawOps {
    /// The type of the operand of an addition to a value of this type.
    type Delta;
}

macro_rules! impl_raw_int {
    ($($ty:ty => $core:ty),* $(,)?) => {$(
        impl RawOps for $ty {
            #[inline(always)]
            unsafe fn raw_load(ptr: *mut Self, o: core_atomic::Ordering) -> Self {
                // SAFETY: the caller guarantees `ptr` is valid, aligned and
                // only accessed atomically.
                unsafe { <$core>::from_ptr(ptr) }.load(o)
            }

            #[inline(always)]
            unsafe fn raw_store(ptr: *mut Self, v: Self, o: core_atomic::Ordering) {
                // SAFETY: as in `raw_load`.
                unsafe { <$core>::from_ptr(ptr) }.store(v, o)
            }

            #[inline(always)]
            unsafe fn raw_swap(ptr: *mut Self, v: Self, o: core_atomic::Ordering) -> Self {
                // SAFETY: as in `raw_load`.
                unsafe { <$core>::from_ptr(ptr) }.swap(v, o)
            }

            #[inline(always)]
            unsafe fn raw_cmpxchg(
                ptr: *mut Self,
                old: Self,
                new: Self,
                success: core_atomic::Ordering,
                failure: core_atomic::Ordering,
            ) -> Result<Self, Self> {
                // SAFETY: as in `raw_load`.
                unsafe { <$core>::from_ptr(ptr) }.compare_exchange(old, new, success, failure)
            }
        }

        impl RawArith for $ty {
            #[inline(always)]
            unsafe fn raw_fetch_add(ptr: *mut Self, v: Self, o: core_atomic::Ordering) -> Self {
                // SAFETY: as in `raw_load`.
                unsafe { <$core>::from_ptr(ptr) }.fetch_add(v, o)
            }

            #[inline(always)]
            unsafe fn raw_fetch_sub(ptr: *mut Self, v: Self, o: core_atomic::Ordering) -> Self {
                // SAFETY: as in `raw_load`.
                unsafe { <$core>::from_ptr(ptr) }.fetch_sub(v, o)
            }
        }

        impl AtomicImpl for $ty {
            type Delta = $ty;
        }
    )*};
}

impl_raw_int!(
    i8 => core_atomic::AtomicI8,
    i16 => core_atomic::AtomicI16,
    i32 => core_atomic::AtomicI32,
    i64 => core_atomic::AtomicI64,
);

/// The pointer representation: `AtomicPtr<c_void>` holds a `*mut c_void`,
/// which has the layout of `*const c_void`.
impl RawOps for *const c_void {
    #[inline(always)]
    unsafe fn raw_load(ptr: *mut Self, o: core_atomic::Ordering) -> Self {
        // SAFETY: the caller guarantees `ptr` is valid, aligned and only
        // accessed atomically; `*const c_void` and `*mut c_void` have the
        // same layout.
        unsafe { core_atomic::AtomicPtr::from_ptr(ptr.cast::<*mut c_void>()) }
            .load(o)
            .cast_const()
    }

    #[inline(always)]
    unsafe fn raw_store(ptr: *mut Self, v: Self, o: core_atomic::Ordering) {
        // SAFETY: as in `raw_load`.
        unsafe { core_atomic::AtomicPtr::from_ptr(ptr.cast::<*mut c_void>()) }
            .store(v.cast_mut(), o)
    }

    #[inline(always)]
    unsafe fn raw_swap(ptr: *mut Self, v: Self, o: core_atomic::Ordering) -> Self {
        // SAFETY: as in `raw_load`.
        unsafe { core_atomic::AtomicPtr::from_ptr(ptr.cast::<*mut c_void>()) }
            .swap(v.cast_mut(), o)
            .cast_const()
    }

    #[inline(always)]
    unsafe fn raw_cmpxchg(
        ptr: *mut Self,
        old: Self,
        new: Self,
        success: core_atomic::Ordering,
        failure: core_atomic::Ordering,
    ) -> Result<Self, Self> {
        // SAFETY: as in `raw_load`.
        unsafe { core_atomic::AtomicPtr::from_ptr(ptr.cast::<*mut c_void>()) }
            .compare_exchange(old.cast_mut(), new.cast_mut(), success, failure)
            .map(<*mut c_void>::cast_const)
            .map_err(<*mut c_void>::cast_const)
    }
}

impl AtomicImpl for *const c_void {
    type Delta = isize;
}

/// A type that [`Atomic`] can hold.
///
/// # Safety
///
/// `Self` and `Self::Repr` have the same size and alignment, every value of
/// `Self` is a valid `Self::Repr`, and a `Self::Repr` obtained from a
/// `Self` (also through the operations of [`Atomic`] that the
/// implementation of [`AtomicAdd`] allows) converts back to a valid
/// `Self`. A `Self` may be moved to another thread.
pub unsafe trait AtomicType: Sized + Copy {
    /// The hardware-atomic type the value is stored as.
    type Repr: AtomicImpl;
}

/// A type whose [`Atomic`] supports adding a `Rhs`.
///
/// # Safety
///
/// The wrapping sum of any valid `Self::Repr` and a delta returned by
/// [`rhs_into_delta`](AtomicAdd::rhs_into_delta) converts back to a valid
/// `Self`.
pub unsafe trait AtomicAdd<Rhs = Self>: AtomicType {
    /// `rhs` as the operand of the addition.
    fn rhs_into_delta(rhs: Rhs) -> <Self::Repr as AtomicImpl>::Delta;
}

macro_rules! impl_atomic_type {
    ($($ty:ty => $repr:ty),* $(,)?) => {$(
        // SAFETY: `$ty` and `$repr` are integers (or `bool` and `i8`) of
        // the same size and alignment, and every value of `$ty` is a value
        // of `$repr` that converts back to the same value.
        unsafe impl AtomicType for $ty {
            type Repr = $repr;
        }
    )*};
}

impl_atomic_type!(
    bool => i8,
    i8 => i8,
    i16 => i16,
    i32 => i32,
    u32 => i32,
    i64 => i64,
    u64 => i64,
);

#[cfg(target_pointer_width = "64")]
impl_atomic_type!(isize => i64, usize => i64);
#[cfg(target_pointer_width = "32")]
impl_atomic_type!(isize => i32, usize => i32);

macro_rules! impl_atomic_add {
    ($($ty:ty),* $(,)?) => {$(
        // SAFETY: every bit pattern of the representation is a valid
        // `$ty`, so any wrapping sum is.
        unsafe impl AtomicAdd for $ty {
            #[inline(always)]
            fn rhs_into_delta(rhs: $ty) -> <Self::Repr as AtomicImpl>::Delta {
                // Same size: a reinterpretation of the bits, which wrapping
                // addition treats alike for signed and unsigned values.
                rhs as <Self::Repr as AtomicImpl>::Delta
            }
        }
    )*};
}

impl_atomic_add!(i32, u32, i64, u64, isize, usize);

// SAFETY: a pointer has the size and alignment of `*const c_void` and
// converts to it and back unchanged; moving a raw pointer to another
// thread is safe (dereferencing it is what needs care).
unsafe impl<T: Sized> AtomicType for *mut T {
    type Repr = *const c_void;
}

// SAFETY: as for `*mut T`.
unsafe impl<T: Sized> AtomicType for *const T {
    type Repr = *const c_void;
}

/// `v` as its representation.
#[inline(always)]
const fn into_repr<T: AtomicType>(v: T) -> T::Repr {
    // SAFETY: by the safety requirements of `AtomicType`, `T` and `T::Repr`
    // have the same size and every `T` is a valid `T::Repr`.
    unsafe { core::mem::transmute_copy(&v) }
}

/// The `T` that `r` represents.
///
/// # Safety
///
/// `r` came from a `T` (possibly through operations `T` allows), so it is
/// a valid `T`.
#[inline(always)]
const unsafe fn from_repr<T: AtomicType>(r: T::Repr) -> T {
    // SAFETY: the caller guarantees `r` is a valid `T`, of the same size.
    unsafe { core::mem::transmute_copy(&r) }
}

/// A `T` that may be read and written by several threads at once.
///
/// It has the size and alignment of `T`.
///
/// ```ignore
/// use kernel::sync::atomic::{Atomic, Relaxed, Full};
/// let n = Atomic::new(1u64);
/// n.fetch_add(2, Full);
/// assert_eq!(n.load(Relaxed), 3);
/// ```
///
/// # Invariants
///
/// The cell always holds a representation of a valid `T`.
#[repr(transparent)]
pub struct Atomic<T: AtomicType>(UnsafeCell<T::Repr>);

// SAFETY: `T` may be moved to another thread (`AtomicType`), and all
// accesses to the cell are atomic.
unsafe impl<T: AtomicType> Send for Atomic<T> {}

// SAFETY: all accesses to the cell through `&Atomic<T>` are atomic.
unsafe impl<T: AtomicType> Sync for Atomic<T> {}

impl<T: AtomicType> Atomic<T> {
    /// A new atomic holding `v`.
    pub const fn new(v: T) -> Self {
        // INVARIANT: the representation of a `T`.
        Self(UnsafeCell::new(into_repr(v)))
    }

    /// The `Atomic<T>` at `ptr`: for a `T` shared with C code that
    /// accesses it atomically (`READ_ONCE`, `atomic_*`, `smp_store_release`).
    ///
    /// # Safety
    ///
    /// `ptr` is valid and aligned for `T` for `'a`, and while `'a` lasts
    /// every access to `*ptr` from anywhere is atomic.
    pub unsafe fn from_ptr<'a>(ptr: *mut T) -> &'a Self {
        // SAFETY: `Atomic<T>` has the layout of `T`; the caller guarantees
        // validity and atomic access.
        unsafe { &*ptr.cast::<Self>() }
    }

    /// A raw pointer to the value, for C code that accesses it atomically.
    pub const fn as_ptr(&self) -> *mut T {
        self.0.get().cast()
    }

    /// The value, through an exclusive reference (no atomic access needed).
    pub fn get_mut(&mut self) -> &mut T {
        // SAFETY: `&mut self` excludes every other access, and the cell
        // holds a valid `T` of the same layout (type invariant); writes
        // through the reference store a valid `T`.
        unsafe { &mut *self.as_ptr() }
    }

    /// The value, consuming the atomic.
    pub fn into_inner(self) -> T {
        // SAFETY: the cell holds the representation of a valid `T`.
        unsafe { from_repr(self.0.into_inner()) }
    }

    /// Reads the value (`atomic_read`, `atomic_read_acquire`).
    #[inline(always)]
    pub fn load<Ordering: ordering::AcquireOrRelaxed>(&self, _: Ordering) -> T {
        // SAFETY: the cell is valid and only accessed atomically.
        let r = unsafe { T::Repr::raw_load(self.0.get(), ordering::load_order::<Ordering>()) };
        // SAFETY: the cell holds a representation of a valid `T`.
        unsafe { from_repr(r) }
    }

    /// Writes the value (`atomic_set`, `atomic_set_release`).
    #[inline(always)]
    pub fn store<Ordering: ordering::ReleaseOrRelaxed>(&self, v: T, _: Ordering) {
        // SAFETY: the cell is valid and only accessed atomically.
        // INVARIANT: the representation of a `T`.
        unsafe {
            T::Repr::raw_store(
                self.0.get(),
                into_repr(v),
                ordering::store_order::<Ordering>(),
            )
        }
    }

    /// Replaces the value with `v` and returns the old one (`atomic_xchg`).
    #[inline(always)]
    pub fn xchg<Ordering: ordering::Ordering>(&self, v: T, _: Ordering) -> T {
        // SAFETY: the cell is valid and only accessed atomically.
        // INVARIANT: the representation of a `T`.
        let r = unsafe {
            T::Repr::raw_swap(
                self.0.get(),
                into_repr(v),
                ordering::rmw_order::<Ordering>(),
            )
        };
        // SAFETY: the cell held a representation of a valid `T`.
        unsafe { from_repr(r) }
    }

    /// Stores `new` if the value is `old` (`atomic_cmpxchg`).
    ///
    /// Returns `Ok(old)` if it stored `new`, `Err(current)` with the value
    /// found otherwise. A failed exchange has the ordering of a load (the
    /// release part of `Ordering`, if any, does not apply).
    #[inline(always)]
    pub fn cmpxchg<Ordering: ordering::Ordering>(
        &self,
        old: T,
        new: T,
        _: Ordering,
    ) -> Result<T, T> {
        // SAFETY: the cell is valid and only accessed atomically.
        // INVARIANT: `new` is the representation of a `T`.
        let r = unsafe {
            T::Repr::raw_cmpxchg(
                self.0.get(),
                into_repr(old),
                into_repr(new),
                ordering::rmw_order::<Ordering>(),
                ordering::failure_order::<Ordering>(),
            )
        };
        match r {
            // SAFETY: the value the cell held, a valid `T`.
            Ok(v) => Ok(unsafe { from_repr(v) }),
            // SAFETY: as above.
            Err(v) => Err(unsafe { from_repr(v) }),
        }
    }
}

impl<T: AtomicType> Atomic<T>
where
    T::Repr: RawArith,
{
    /// Adds `v` (wrapping), without ordering and without returning
    /// anything (`atomic_add`).
    #[inline(always)]
    pub fn add<Rhs>(&self, v: Rhs, _: ordering::Relaxed)
    where
        T: AtomicAdd<Rhs>,
    {
        let d = T::rhs_into_delta(v);
        // SAFETY: the cell is valid and only accessed atomically.
        // INVARIANT: `AtomicAdd` guarantees the sum represents a `T`.
        unsafe { T::Repr::raw_fetch_add(self.0.get(), d, core_atomic::Ordering::Relaxed) };
    }

    /// Adds `v` (wrapping) and returns the old value (`atomic_fetch_add`).
    #[inline(always)]
    pub fn fetch_add<Rhs, Ordering: ordering::Ordering>(&self, v: Rhs, _: Ordering) -> T
    where
        T: AtomicAdd<Rhs>,
    {
        let d = T::rhs_into_delta(v);
        // SAFETY: the cell is valid and only accessed atomically.
        // INVARIANT: `AtomicAdd` guarantees the sum represents a `T`.
        let r =
            unsafe { T::Repr::raw_fetch_add(self.0.get(), d, ordering::rmw_order::<Ordering>()) };
        // SAFETY: the cell held a representation of a valid `T`.
        unsafe { from_repr(r) }
    }

    /// Subtracts `v` (wrapping) and returns the old value
    /// (`atomic_fetch_sub`).
    #[inline(always)]
    pub fn fetch_sub<Rhs, Ordering: ordering::Ordering>(&self, v: Rhs, _: Ordering) -> T
    where
        T: AtomicAdd<Rhs>,
    {
        let d = T::rhs_into_delta(v);
        // SAFETY: the cell is valid and only accessed atomically.
        // INVARIANT: `AtomicAdd` guarantees the difference represents a `T`.
        let r =
            unsafe { T::Repr::raw_fetch_sub(self.0.get(), d, ordering::rmw_order::<Ordering>()) };
        // SAFETY: the cell held a representation of a valid `T`.
        unsafe { from_repr(r) }
    }
}

impl<T: AtomicType + core::fmt::Debug> core::fmt::Debug for Atomic<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(&self.load(Relaxed), f)
    }
}

/// An atomic `bool`, for flags.
pub struct AtomicFlag(Atomic<bool>);

impl AtomicFlag {
    /// A new flag set to `b`.
    pub const fn new(b: bool) -> Self {
        Self(Atomic::new(b))
    }

    /// The flag, through an exclusive reference.
    pub fn get_mut(&mut self) -> &mut bool {
        self.0.get_mut()
    }

    /// Reads the flag.
    #[inline(always)]
    pub fn load<Ordering: ordering::AcquireOrRelaxed>(&self, o: Ordering) -> bool {
        self.0.load(o)
    }

    /// Sets the flag to `v`.
    #[inline(always)]
    pub fn store<Ordering: ordering::ReleaseOrRelaxed>(&self, v: bool, o: Ordering) {
        self.0.store(v, o)
    }

    /// Sets the flag to `new`, returning the old value.
    #[inline(always)]
    pub fn xchg<Ordering: ordering::Ordering>(&self, new: bool, o: Ordering) -> bool {
        self.0.xchg(new, o)
    }

    /// Sets the flag to `new` if it is `old`; see [`Atomic::cmpxchg`].
    #[inline(always)]
    pub fn cmpxchg<Ordering: ordering::Ordering>(
        &self,
        old: bool,
        new: bool,
        o: Ordering,
    ) -> Result<bool, bool> {
        self.0.cmpxchg(old, new, o)
    }
}

/// Reads `*ptr` atomically (`READ_ONCE`, `smp_load_acquire`).
///
/// # Safety
///
/// As for [`Atomic::from_ptr`], for the duration of the call.
#[inline(always)]
pub unsafe fn atomic_load<T: AtomicType, Ordering: ordering::AcquireOrRelaxed>(
    ptr: *mut T,
    o: Ordering,
) -> T {
    // SAFETY: the caller guarantees the requirements of `from_ptr`.
    unsafe { Atomic::from_ptr(ptr) }.load(o)
}

/// Writes `*ptr` atomically (`WRITE_ONCE`, `smp_store_release`).
///
/// # Safety
///
/// As for [`Atomic::from_ptr`], for the duration of the call.
#[inline(always)]
pub unsafe fn atomic_store<T: AtomicType, Ordering: ordering::ReleaseOrRelaxed>(
    ptr: *mut T,
    v: T,
    o: Ordering,
) {
    // SAFETY: the caller guarantees the requirements of `from_ptr`.
    unsafe { Atomic::from_ptr(ptr) }.store(v, o)
}

/// Replaces `*ptr` with `new` atomically, returning the old value.
///
/// # Safety
///
/// As for [`Atomic::from_ptr`], for the duration of the call.
#[inline(always)]
pub unsafe fn xchg<T: AtomicType, Ordering: ordering::Ordering>(
    ptr: *mut T,
    new: T,
    o: Ordering,
) -> T {
    // SAFETY: the caller guarantees the requirements of `from_ptr`.
    unsafe { Atomic::from_ptr(ptr) }.xchg(new, o)
}

/// Stores `new` at `ptr` if it holds `old`; see [`Atomic::cmpxchg`].
///
/// # Safety
///
/// As for [`Atomic::from_ptr`], for the duration of the call.
#[inline(always)]
pub unsafe fn cmpxchg<T: AtomicType, Ordering: ordering::Ordering>(
    ptr: *mut T,
    old: T,
    new: T,
    o: Ordering,
) -> Result<T, T> {
    // SAFETY: the caller guarantees the requirements of `from_ptr`.
    unsafe { Atomic::from_ptr(ptr) }.cmpxchg(old, new, o)
}
