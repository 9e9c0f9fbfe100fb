// SPDX-License-Identifier: GPL-2.0-only
//! [`Arc`]: a thread-safe reference-counted pointer, with [`UniqueArc`]
//! (the only reference, so mutable) and [`ArcBorrow`] (a borrowed
//! reference that can be upgraded to an [`Arc`]).
//!
//! The count is a kernel [`Refcount`], so it saturates (and leaks) instead
//! of overflowing. There are no weak references, and the value is never
//! moved once allocated: an [`Arc`] pins what it points to.

use crate::alloc::{AllocError, Flags, KBox};
use crate::ffi::c_void;
use crate::fmt;
use crate::init::InPlaceInit;
use crate::sync::Refcount;
use crate::types::ForeignOwnable;
use core::alloc::Layout;
use core::borrow::{Borrow, BorrowMut};
use core::marker::{PhantomData, Unsize};
use core::mem::{ManuallyDrop, MaybeUninit};
use core::ops::{CoerceUnsized, Deref, DerefMut, DispatchFromDyn};
use core::pin::Pin;
use core::ptr::{self, NonNull};
use pin_init::{InPlaceWrite, Init, PinInit};

/// A counted reference to a `T` in the kernel heap, shared between threads.
///
/// Cloning increments the count, dropping decrements it; the last drop
/// drops the `T` and frees the allocation. `Arc<T>` coerces to
/// `Arc<dyn Trait>` and can be a method receiver (`self: Arc<Self>`).
///
/// # Invariants
///
/// `ptr` points to an `ArcInner<T>` allocated by [`KBox`] whose count is
/// not zero, and this `Arc` owns one unit of that count. The `T` never
/// moves while the allocation exists.
#[repr(transparent)]
pub struct Arc<T: ?Sized> {
    ptr: NonNull<ArcInner<T>>,
    // Dropping an `Arc` may drop an `ArcInner<T>` (drop check).
    _p: PhantomData<ArcInner<T>>,
}

/// The allocation behind an [`Arc`]: the count, then the value.
#[repr(C)]
struct ArcInner<T: ?Sized> {
    refcount: Refcount,
    data: T,
}

impl<T: ?Sized> ArcInner<T> {
    /// The `ArcInner` whose `data` field is at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` points to the `data` of a live `ArcInner<T>` (it came from
    /// [`Arc::into_raw`] or [`Arc::as_ptr`] of an allocation that still
    /// exists).
    unsafe fn container_of(ptr: *const T) -> NonNull<ArcInner<T>> {
        // SAFETY: the caller guarantees `ptr` points to a live `T`, so its
        // size and alignment can be read (also for unsized `T`).
        let data_layout = Layout::for_value(unsafe { &*ptr });
        // The offset of `data` in the `repr(C)` struct: the count's size
        // rounded up to the value's alignment. This computes the layout of
        // a type that exists, so it cannot overflow.
        let offset = match Layout::new::<Refcount>().extend(data_layout) {
            Ok((_, offset)) => offset,
            Err(_) => unreachable!("the layout of an existing ArcInner"),
        };
        // A pointer cast keeps the metadata (length, vtable), which is the
        // same for `ArcInner<T>` as for its last field `T`.
        let inner = ptr as *const ArcInner<T>;
        // SAFETY: `data` lies `offset` bytes into the same allocation.
        let inner = unsafe { inner.byte_sub(offset) };
        // SAFETY: a pointer into a live allocation is not null.
        unsafe { NonNull::new_unchecked(inner.cast_mut()) }
    }
}

// SAFETY: sending an `Arc<T>` shares the `T` with the sender (so `T: Sync`),
// and whichever thread drops the last reference drops the `T` (so
// `T: Send`).
unsafe impl<T: ?Sized + Sync + Send> Send for Arc<T> {}

// SAFETY: a thread with `&Arc<T>` can read the `T` (`T: Sync`) and clone
// the `Arc`, then possibly drop the last reference (`T: Send`).
unsafe impl<T: ?Sized + Sync + Send> Sync for Arc<T> {}

// `Arc<T>` → `Arc<U>` where `T` unsizes to `U` (`Arc<dyn Trait>`, slices).
impl<T: ?Sized + Unsize<U>, U: ?Sized> CoerceUnsized<Arc<U>> for Arc<T> {}

// `self: Arc<Self>` methods on trait objects.
impl<T: ?Sized + Unsize<U>, U: ?Sized> DispatchFromDyn<Arc<U>> for Arc<T> {}

impl<T> InPlaceInit<T> for Arc<T> {
    type PinnedSelf = Self;

    #[inline]
    fn try_pin_init<E>(init: impl PinInit<T, E>, flags: Flags) -> Result<Self, E>
    where
        E: From<AllocError>,
    {
        UniqueArc::try_pin_init(init, flags).map(Self::from)
    }

    #[inline]
    fn try_init<E>(init: impl Init<T, E>, flags: Flags) -> Result<Self, E>
    where
        E: From<AllocError>,
    {
        UniqueArc::try_init(init, flags).map(Self::from)
    }
}

impl<T> Arc<T> {
    /// Allocates a counted `contents` (count 1).
    pub fn new(contents: T, flags: Flags) -> Result<Self, AllocError> {
        let inner = KBox::new(
            ArcInner {
                refcount: Refcount::new(1),
                data: contents,
            },
            flags,
        )?;
        // SAFETY: a fresh allocation from `KBox` with a count of 1, which the
        // new `Arc` owns.
        Ok(unsafe { Self::from_inner(NonNull::from(KBox::leak(inner))) })
    }

    /// Where the value lies from the start of the allocation.
    pub const DATA_OFFSET: usize = core::mem::offset_of!(ArcInner<T>, data);
}

impl<T: ?Sized> Arc<T> {
    /// An `Arc` owning one unit of the count of `inner`.
    ///
    /// # Safety
    ///
    /// `inner` is a live `ArcInner<T>` allocated by [`KBox`], with a
    /// non-zero count one unit of which the caller hands over.
    unsafe fn from_inner(inner: NonNull<ArcInner<T>>) -> Self {
        // INVARIANT: guaranteed by the caller.
        Self {
            ptr: inner,
            _p: PhantomData,
        }
    }

    /// A pointer to the value that keeps this `Arc`'s unit of the count;
    /// [`Arc::from_raw`] takes it back.
    pub fn into_raw(self) -> *const T {
        let this = ManuallyDrop::new(self);
        Self::as_ptr(&this)
    }

    /// A pointer to the value, valid as long as some `Arc` to it lives.
    pub fn as_ptr(this: &Self) -> *const T {
        let inner = this.ptr.as_ptr();
        // SAFETY: `inner` points to a live `ArcInner<T>` (type invariant);
        // no reference is created.
        unsafe { ptr::addr_of!((*inner).data) }
    }

    /// Takes back the `Arc` that [`Arc::into_raw`] turned into `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` came from [`Arc::into_raw`] of an `Arc<T>`, and each
    /// `into_raw` is matched by at most one `from_raw`.
    pub unsafe fn from_raw(ptr: *const T) -> Self {
        // SAFETY: `ptr` points to the data of a live `ArcInner<T>`, whose
        // unit of count the raw pointer kept.
        unsafe { Self::from_inner(ArcInner::container_of(ptr)) }
    }

    /// An [`ArcBorrow`] of this `Arc`, for a function that takes one (and
    /// may upgrade it to an `Arc` of its own).
    #[inline]
    pub fn as_arc_borrow(&self) -> ArcBorrow<'_, T> {
        // SAFETY: `self` keeps the allocation alive for the borrow, and no
        // `&mut` to the value exists while an `Arc` does.
        unsafe { ArcBorrow::new(self.ptr) }
    }

    /// Whether `this` and `other` point to the same allocation.
    pub fn ptr_eq(this: &Self, other: &Self) -> bool {
        ptr::addr_eq(this.ptr.as_ptr(), other.ptr.as_ptr())
    }

    /// The [`UniqueArc`] of the value if `this` was its only reference;
    /// otherwise `this` is dropped (without dropping the value, which other
    /// references keep) and the result is `None`.
    ///
    /// Deciding and dropping happen in one atomic decrement, so two
    /// threads calling this on the last two references cannot both get
    /// `None` with the value leaked, nor both get it.
    pub fn into_unique_or_drop(this: Self) -> Option<Pin<UniqueArc<T>>> {
        let this = ManuallyDrop::new(this);
        // SAFETY: `this` owns a unit of the count, so the allocation lives.
        let refcount = unsafe { &this.ptr.as_ref().refcount };
        if refcount.dec_and_test() {
            // Nobody else can reach the allocation: give the count back
            // to the one owner.
            refcount.set(1);
            // INVARIANT: the only reference, with a count of 1; pinned,
            // since the value was pinned in the `Arc`.
            Some(Pin::from(UniqueArc {
                inner: ManuallyDrop::into_inner(this),
            }))
        } else {
            None
        }
    }
}

// SAFETY: `into_foreign` returns the pointer of a `KBox<ArcInner<T>>`
// allocation, aligned for `ArcInner<T>`; `from_foreign` takes back the
// unit of count that `into_foreign` kept; `borrow` and `borrow_mut` hand
// out `ArcBorrow`s, which only read the value.
unsafe impl<T: 'static> ForeignOwnable for Arc<T> {
    const FOREIGN_ALIGN: usize = core::mem::align_of::<ArcInner<T>>();

    type Borrowed<'a> = ArcBorrow<'a, T>;
    type BorrowedMut<'a> = ArcBorrow<'a, T>;

    fn into_foreign(self) -> *mut c_void {
        ManuallyDrop::new(self).ptr.as_ptr().cast()
    }

    unsafe fn from_foreign(ptr: *mut c_void) -> Self {
        // SAFETY: `ptr` came from `into_foreign`, so it is a non-null
        // `ArcInner<T>` whose unit of count it kept.
        unsafe { Self::from_inner(NonNull::new_unchecked(ptr.cast())) }
    }

    unsafe fn borrow<'a>(ptr: *mut c_void) -> ArcBorrow<'a, T> {
        // SAFETY: `ptr` came from `into_foreign`, and the caller keeps the
        // reference alive (no `from_foreign`) for `'a`.
        unsafe { ArcBorrow::new(NonNull::new_unchecked(ptr.cast())) }
    }

    unsafe fn borrow_mut<'a>(ptr: *mut c_void) -> ArcBorrow<'a, T> {
        // SAFETY: the requirements of `borrow_mut` include those of
        // `borrow`.
        unsafe { <Self as ForeignOwnable>::borrow(ptr) }
    }
}

impl<T: ?Sized> Deref for Arc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the allocation lives while `self` does (type invariant),
        // and nothing mutates the value while an `Arc` exists.
        unsafe { &self.ptr.as_ref().data }
    }
}

impl<T: ?Sized> AsRef<T> for Arc<T> {
    fn as_ref(&self) -> &T {
        self
    }
}

impl<T: ?Sized> Borrow<T> for Arc<T> {
    fn borrow(&self) -> &T {
        self
    }
}

impl<T: ?Sized> Clone for Arc<T> {
    fn clone(&self) -> Self {
        // SAFETY: the allocation lives while `self` does.
        unsafe { self.ptr.as_ref() }.refcount.inc();
        // SAFETY: the increment just made belongs to the new `Arc`; a
        // saturated count never reaches zero, so the invariant holds.
        unsafe { Self::from_inner(self.ptr) }
    }
}

impl<T: ?Sized> Drop for Arc<T> {
    fn drop(&mut self) {
        // SAFETY: `self` owns a unit of the count, so the allocation lives.
        let last = unsafe { self.ptr.as_ref() }.refcount.dec_and_test();
        if last {
            // SAFETY: no other reference exists; the allocation came from
            // `KBox` (type invariant). Dropping the box drops the `T`.
            unsafe { drop(KBox::from_raw(self.ptr.as_ptr())) };
        }
    }
}

impl<T: ?Sized> From<UniqueArc<T>> for Arc<T> {
    fn from(item: UniqueArc<T>) -> Self {
        item.inner
    }
}

impl<T: ?Sized> From<Pin<UniqueArc<T>>> for Arc<T> {
    fn from(item: Pin<UniqueArc<T>>) -> Self {
        // SAFETY: an `Arc` never moves its value, so the pin is kept.
        unsafe { Pin::into_inner_unchecked(item) }.inner
    }
}

impl<T: fmt::Display + ?Sized> fmt::Display for Arc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: fmt::Debug + ?Sized> fmt::Debug for Arc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// A borrowed [`Arc`]: a plain pointer to the value (no count of its own)
/// that can still be upgraded to an [`Arc`] with `into()`.
///
/// Cheaper than `&Arc<T>` (one indirection instead of two) and usable as a
/// method receiver (`self: ArcBorrow<'_, Self>`).
///
/// # Invariants
///
/// For `'a`, `inner` is a live `ArcInner<T>` of some [`Arc`] and no
/// mutable reference to its value exists.
#[repr(transparent)]
pub struct ArcBorrow<'a, T: ?Sized + 'a> {
    inner: NonNull<ArcInner<T>>,
    _p: PhantomData<&'a ()>,
}

impl<T: ?Sized + Unsize<U>, U: ?Sized> CoerceUnsized<ArcBorrow<'_, U>> for ArcBorrow<'_, T> {}

impl<T: ?Sized + Unsize<U>, U: ?Sized> DispatchFromDyn<ArcBorrow<'_, U>> for ArcBorrow<'_, T> {}

impl<T: ?Sized> Clone for ArcBorrow<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for ArcBorrow<'_, T> {}

impl<T: ?Sized> ArcBorrow<'_, T> {
    /// # Safety
    ///
    /// For the lifetime of the result, `inner` stays a live `ArcInner<T>`
    /// of an [`Arc`] and no mutable reference to its value is made.
    unsafe fn new(inner: NonNull<ArcInner<T>>) -> Self {
        // INVARIANT: guaranteed by the caller.
        Self {
            inner,
            _p: PhantomData,
        }
    }

    /// An `ArcBorrow` of the value at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` came from [`Arc::into_raw`] or [`Arc::as_ptr`]; for the
    /// lifetime of the result the count stays above zero and no
    /// [`UniqueArc`] of the value exists.
    pub unsafe fn from_raw(ptr: *const T) -> Self {
        // SAFETY: `ptr` is the data of a live `ArcInner<T>`, kept alive and
        // shared for the lifetime of the result by the caller.
        unsafe { Self::new(ArcInner::container_of(ptr)) }
    }
}

impl<T: ?Sized> From<ArcBorrow<'_, T>> for Arc<T> {
    fn from(b: ArcBorrow<'_, T>) -> Self {
        // SAFETY: `b.inner` is live with a non-zero count. The temporary
        // `Arc` is never dropped, so it does not give back a unit it does
        // not own; its clone takes a new unit.
        let borrowed = ManuallyDrop::new(unsafe { Arc::from_inner(b.inner) });
        Arc::clone(&borrowed)
    }
}

impl<T: ?Sized> Deref for ArcBorrow<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the value is live and not mutably borrowed (type
        // invariant).
        unsafe { &self.inner.as_ref().data }
    }
}

/// An [`Arc`] known to be the only reference to its value, so the value
/// may be mutated. Converts to an [`Arc`] (or a pinned `UniqueArc`) with
/// `into()`, which cannot fail.
///
/// [`UniqueArc::new_uninit`] allocates first and fills in later, for
/// allocating in sleepable context and initialising in atomic context.
///
/// # Invariants
///
/// The count of `inner` is 1.
pub struct UniqueArc<T: ?Sized> {
    inner: Arc<T>,
}

impl<T> InPlaceInit<T> for UniqueArc<T> {
    type PinnedSelf = Pin<Self>;

    #[inline]
    fn try_pin_init<E>(init: impl PinInit<T, E>, flags: Flags) -> Result<Pin<Self>, E>
    where
        E: From<AllocError>,
    {
        UniqueArc::new_uninit(flags)?.write_pin_init(init)
    }

    #[inline]
    fn try_init<E>(init: impl Init<T, E>, flags: Flags) -> Result<Self, E>
    where
        E: From<AllocError>,
    {
        UniqueArc::new_uninit(flags)?.write_init(init)
    }
}

impl<T> InPlaceWrite<T> for UniqueArc<MaybeUninit<T>> {
    type Initialized = UniqueArc<T>;

    #[inline]
    fn write_init<E>(mut self, init: impl Init<T, E>) -> Result<UniqueArc<T>, E> {
        let slot = self.as_mut_ptr();
        // SAFETY: `slot` is valid for writes; on failure the allocation is
        // freed as a `MaybeUninit<T>`, without dropping a `T`.
        unsafe { pin_init::raw_try_init(slot, init)? };
        // SAFETY: `init` succeeded, so the value is initialised.
        Ok(unsafe { self.assume_init() })
    }

    #[inline]
    fn write_pin_init<E>(mut self, init: impl PinInit<T, E>) -> Result<Pin<UniqueArc<T>>, E> {
        let slot = self.as_mut_ptr();
        // SAFETY: as in `write_init`; the value is pinned right after and
        // never moved (the allocation is never moved either).
        unsafe { pin_init::raw_try_init(slot, init)? };
        // SAFETY: `init` succeeded, so the value is initialised.
        Ok(unsafe { self.assume_init() }.into())
    }
}

impl<T> UniqueArc<T> {
    /// Allocates a `UniqueArc` holding `value`.
    pub fn new(value: T, flags: Flags) -> Result<Self, AllocError> {
        // INVARIANT: a new `Arc` has a count of 1.
        Ok(Self {
            inner: Arc::new(value, flags)?,
        })
    }

    /// Allocates a `UniqueArc` whose value is not initialised yet; see
    /// [`UniqueArc::write`] and [`UniqueArc::init_with`].
    pub fn new_uninit(flags: Flags) -> Result<UniqueArc<MaybeUninit<T>>, AllocError> {
        // The allocation is made uninitialised and only the count written,
        // so a large `T` never passes through the stack.
        let mut uninit = KBox::<ArcInner<MaybeUninit<T>>>::new_uninit(flags)?;
        let inner: *mut ArcInner<MaybeUninit<T>> = uninit.as_mut_ptr();
        // SAFETY: `inner` is valid for writes; the count is its only field
        // that must be initialised (`data` is a `MaybeUninit`).
        let inner = unsafe {
            ptr::addr_of_mut!((*inner).refcount).write(Refcount::new(1));
            uninit.assume_init()
        };
        // SAFETY: a fresh `KBox` allocation with a count of 1, owned by the
        // new `Arc`.
        let inner = unsafe { Arc::from_inner(NonNull::from(KBox::leak(inner))) };
        // INVARIANT: the count is 1.
        Ok(UniqueArc { inner })
    }
}

impl<T: ?Sized> UniqueArc<T> {
    /// A pointer to the value.
    #[inline]
    pub fn as_ptr(this: &Self) -> *const T {
        Arc::as_ptr(&this.inner)
    }
}

impl<T> UniqueArc<MaybeUninit<T>> {
    /// Stores `value` and returns the initialised `UniqueArc`.
    pub fn write(mut self, value: T) -> UniqueArc<T> {
        (*self).write(value);
        // SAFETY: the value was just written.
        unsafe { self.assume_init() }
    }

    /// Treats the value as initialised.
    ///
    /// # Safety
    ///
    /// The value is initialised.
    pub unsafe fn assume_init(self) -> UniqueArc<T> {
        let inner = ManuallyDrop::new(self).inner.ptr;
        // SAFETY: the new `Arc` takes over the unit of `self` (which is not
        // dropped); `MaybeUninit<T>` has the layout of `T`, and the caller
        // guarantees the value is initialised.
        let inner = unsafe { Arc::from_inner(inner.cast()) };
        // INVARIANT: the count is still 1.
        UniqueArc { inner }
    }

    /// Initialises the value with `init`.
    #[inline]
    pub fn init_with<E>(mut self, init: impl Init<T, E>) -> Result<UniqueArc<T>, E> {
        // SAFETY: the value is valid for writes; on failure it is freed as
        // a `MaybeUninit<T>`.
        unsafe { pin_init::raw_try_init(self.as_mut_ptr(), init)? };
        // SAFETY: `init` succeeded.
        Ok(unsafe { self.assume_init() })
    }

    /// Pin-initialises the value with `init`.
    #[inline]
    pub fn pin_init_with<E>(mut self, init: impl PinInit<T, E>) -> Result<Pin<UniqueArc<T>>, E> {
        // SAFETY: as in `init_with`; the value is pinned right after.
        unsafe { pin_init::raw_try_init(self.as_mut_ptr(), init)? };
        // SAFETY: `init` succeeded.
        Ok(unsafe { self.assume_init() }.into())
    }
}

impl<T: ?Sized> From<UniqueArc<T>> for Pin<UniqueArc<T>> {
    fn from(obj: UniqueArc<T>) -> Self {
        // SAFETY: the value never moves out of its allocation: through a
        // `Pin<UniqueArc<T>>` only `Pin<&mut T>` is reachable unless
        // `T: Unpin`.
        unsafe { Pin::new_unchecked(obj) }
    }
}

impl<T: ?Sized> Deref for UniqueArc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: ?Sized> DerefMut for UniqueArc<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the allocation lives (the `Arc` invariant) and `self` is
        // its only reference (count of 1), borrowed mutably here.
        unsafe { &mut self.inner.ptr.as_mut().data }
    }
}

impl<T: ?Sized> Borrow<T> for UniqueArc<T> {
    fn borrow(&self) -> &T {
        self
    }
}

impl<T: ?Sized> BorrowMut<T> for UniqueArc<T> {
    fn borrow_mut(&mut self) -> &mut T {
        self
    }
}

impl<T: fmt::Display + ?Sized> fmt::Display for UniqueArc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: fmt::Debug + ?Sized> fmt::Debug for UniqueArc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
