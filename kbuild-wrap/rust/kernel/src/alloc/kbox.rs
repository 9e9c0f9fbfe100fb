// SPDX-License-Identifier: GPL-2.0-only
//! [`Box`]: a value on the heap of one of the kernel's allocators.

use super::allocator::{KVmalloc, Kmalloc, Vmalloc};
use super::{AllocError, Allocator, Flags, NumaNode};
use crate::ffi::c_void;
use crate::fmt;
use crate::init::InPlaceInit;
use crate::types::ForeignOwnable;
use core::alloc::Layout;
use core::borrow::{Borrow, BorrowMut};
use core::marker::PhantomData;
use core::mem::{ManuallyDrop, MaybeUninit};
use core::ops::{Deref, DerefMut};
use core::pin::Pin;
use core::ptr::NonNull;
use pin_init::{InPlaceWrite, Init, PinInit, ZeroableOption};

/// A value of type `T` in a block of allocator `A`, owned: the `Box` of
/// `alloc`, with fallible allocation and explicit GFP flags.
///
/// # Invariants
///
/// `self.0` is valid and aligned for `T`; for a non-zero-size `T` it is a
/// live block of `A` allocated with `Layout::for_value` of the value, for a
/// zero-size one it is dangling.
#[repr(transparent)]
pub struct Box<T: ?Sized, A: Allocator>(NonNull<T>, PhantomData<A>);

// `KBox<T>` coerces to `KBox<dyn Trait>` and `KBox<[T]>`, and `self:
// KBox<Self>` methods are object safe, as for `alloc`'s `Box` (upstream
// derives `CoercePointee`, which Rust 1.78 lacks).
impl<T, U, A> core::ops::CoerceUnsized<Box<U, A>> for Box<T, A>
where
    T: ?Sized + core::marker::Unsize<U>,
    U: ?Sized,
    A: Allocator,
{
}

impl<T, U, A> core::ops::DispatchFromDyn<Box<U, A>> for Box<T, A>
where
    T: ?Sized + core::marker::Unsize<U>,
    U: ?Sized,
    A: Allocator,
{
}

/// A [`Box`] in kmalloc memory.
pub type KBox<T> = Box<T, Kmalloc>;

/// A [`Box`] in vmalloc memory.
pub type VBox<T> = Box<T, Vmalloc>;

/// A [`Box`] in kvmalloc memory.
pub type KVBox<T> = Box<T, KVmalloc>;

// SAFETY: a `Box` is never null, so `None` can be the null pointer.
unsafe impl<T, A: Allocator> ZeroableOption for Box<T, A> {}

// SAFETY: the box owns its `T`: sending it sends the `T`.
unsafe impl<T: Send + ?Sized, A: Allocator> Send for Box<T, A> {}

// SAFETY: sharing the box shares nothing but `&T`.
unsafe impl<T: Sync + ?Sized, A: Allocator> Sync for Box<T, A> {}

impl<T: ?Sized, A: Allocator> Box<T, A> {
    /// The box owning `raw`.
    ///
    /// # Safety
    ///
    /// `raw` comes from [`Box::into_raw`] of a `Box<T, A>` (the same
    /// allocator), and is not used otherwise afterwards.
    #[inline]
    pub const unsafe fn from_raw(raw: *mut T) -> Self {
        // INVARIANT: the caller's contract.
        // SAFETY: `into_raw` never returns null.
        Self(unsafe { NonNull::new_unchecked(raw) }, PhantomData)
    }

    /// Gives up ownership: the pointer, for a later [`Box::from_raw`].
    #[inline]
    pub fn into_raw(b: Self) -> *mut T {
        ManuallyDrop::new(b).0.as_ptr()
    }

    /// Leaks the box: a reference that lives as long as wanted.
    #[inline]
    pub fn leak<'a>(b: Self) -> &'a mut T {
        // SAFETY: the block is never freed; it is valid for `T`.
        unsafe { &mut *Box::into_raw(b) }
    }
}

impl<T, A: Allocator> Box<MaybeUninit<T>, A> {
    /// The box of the value now initialised.
    ///
    /// # Safety
    ///
    /// The value is initialised.
    pub unsafe fn assume_init(self) -> Box<T, A> {
        let raw = Self::into_raw(self);
        // SAFETY: same block, same allocator; `MaybeUninit<T>` and `T`
        // share their layout and the caller guarantees the value.
        unsafe { Box::from_raw(raw.cast()) }
    }

    /// Writes `value` and returns the initialised box.
    pub fn write(mut self, value: T) -> Box<T, A> {
        (*self).write(value);
        // SAFETY: just written.
        unsafe { self.assume_init() }
    }
}

impl<T, A: Allocator> Box<T, A> {
    /// `x` moved into a new box.
    pub fn new(x: T, flags: Flags) -> Result<Self, AllocError> {
        Ok(Box::write(Self::new_uninit(flags)?, x))
    }

    /// A new box with room for a `T`, not initialised.
    pub fn new_uninit(flags: Flags) -> Result<Box<MaybeUninit<T>, A>, AllocError> {
        let layout = Layout::new::<MaybeUninit<T>>();
        let ptr = A::alloc(layout, flags, NumaNode::NO_NODE)?;
        // INVARIANT: a block of `A` for the layout of `MaybeUninit<T>`
        // (dangling for a zero size, as `realloc` makes it).
        Ok(Box(ptr.cast(), PhantomData))
    }

    /// `x` in a new, pinned box.
    pub fn pin(x: T, flags: Flags) -> Result<Pin<Box<T, A>>, AllocError>
    where
        A: 'static,
    {
        Ok(Self::new(x, flags)?.into())
    }

    /// A new box whose memory is all zeroes, a valid `T` for
    /// [`Zeroable`](pin_init::Zeroable) types.
    pub fn zeroed(flags: Flags) -> Result<Self, AllocError>
    where
        T: pin_init::Zeroable,
    {
        let b = Self::new_uninit(flags | super::flags::__GFP_ZERO)?;
        // SAFETY: all zeroes is a valid `T` (`Zeroable`); a zero-size `T`
        // has nothing to initialise.
        Ok(unsafe { b.assume_init() })
    }

    /// Pins the box in place (its value never moves again).
    pub fn into_pin(this: Self) -> Pin<Self> {
        this.into()
    }

    /// The box with its value dropped and the memory kept.
    pub fn drop_contents(this: Self) -> Box<MaybeUninit<T>, A> {
        let ptr = Box::into_raw(this);
        // SAFETY: `ptr` is valid for `T`, which is not used again.
        unsafe { core::ptr::drop_in_place(ptr) };
        // SAFETY: same block and allocator, seen as uninitialised.
        unsafe { Box::from_raw(ptr.cast()) }
    }

    /// The value, moved out; the memory is freed.
    pub fn into_inner(b: Self) -> T {
        let ptr = Box::into_raw(b);
        // SAFETY: `ptr` is valid for `T`; it is read once.
        let value = unsafe { ptr.read() };
        // SAFETY: the block of `A`, freed without dropping the value.
        drop(unsafe { Box::<MaybeUninit<T>, A>::from_raw(ptr.cast()) });
        value
    }
}

impl<T: ?Sized, A: Allocator> From<Box<T, A>> for Pin<Box<T, A>> {
    fn from(b: Box<T, A>) -> Self {
        // SAFETY: the value stays in its block until the box is dropped; a
        // pinned box hands out no way to move it.
        unsafe { Pin::new_unchecked(b) }
    }
}

impl<T, A: Allocator + 'static> InPlaceWrite<T> for Box<MaybeUninit<T>, A> {
    type Initialized = Box<T, A>;

    fn write_init<E>(mut self, init: impl Init<T, E>) -> Result<Self::Initialized, E> {
        let slot = self.as_mut_ptr();
        // SAFETY: `slot` is valid for writes; on error the slot is left
        // uninitialised, which the box is.
        unsafe { init.__init(slot)? };
        // SAFETY: initialised just above.
        Ok(unsafe { self.assume_init() })
    }

    fn write_pin_init<E>(mut self, init: impl PinInit<T, E>) -> Result<Pin<Self::Initialized>, E> {
        let slot = self.as_mut_ptr();
        // SAFETY: `slot` is valid for writes and the box is pinned once
        // initialised.
        unsafe { init.__pinned_init(slot)? };
        // SAFETY: initialised just above.
        Ok(unsafe { self.assume_init() }.into())
    }
}

impl<T, A: Allocator + 'static> InPlaceInit<T> for Box<T, A> {
    type PinnedSelf = Pin<Self>;

    fn try_pin_init<E>(init: impl PinInit<T, E>, flags: Flags) -> Result<Pin<Self>, E>
    where
        E: From<AllocError>,
    {
        Box::<_, A>::new_uninit(flags)?.write_pin_init(init)
    }

    fn try_init<E>(init: impl Init<T, E>, flags: Flags) -> Result<Self, E>
    where
        E: From<AllocError>,
    {
        Box::<_, A>::new_uninit(flags)?.write_init(init)
    }
}

/// The alignment of a box's pointer: the allocator's minimum, or more if
/// `T` asks (a zero-size `T` is not allocated, only aligned for itself).
const fn foreign_align<T, A: Allocator>() -> usize {
    let align = core::mem::align_of::<T>();
    if core::mem::size_of::<T>() == 0 || align >= A::MIN_ALIGN {
        align
    } else {
        A::MIN_ALIGN
    }
}

// SAFETY: `into_foreign` gives the block's pointer, aligned for `T`;
// `from_foreign` takes back ownership, the borrows lend the value.
unsafe impl<T, A: Allocator> ForeignOwnable for Box<T, A> {
    const FOREIGN_ALIGN: usize = foreign_align::<T, A>();
    type Borrowed<'a>
        = &'a T
    where
        Self: 'a;
    type BorrowedMut<'a>
        = &'a mut T
    where
        Self: 'a;

    fn into_foreign(self) -> *mut c_void {
        Box::into_raw(self).cast()
    }

    unsafe fn from_foreign(ptr: *mut c_void) -> Self {
        // SAFETY: `ptr` came from `into_foreign` (caller's contract).
        unsafe { Box::from_raw(ptr.cast()) }
    }

    unsafe fn borrow<'a>(ptr: *mut c_void) -> &'a T {
        // SAFETY: `ptr` is a live box's value and nothing mutates it for
        // `'a` (caller's contract).
        unsafe { &*ptr.cast() }
    }

    unsafe fn borrow_mut<'a>(ptr: *mut c_void) -> &'a mut T {
        // SAFETY: `ptr` is a live box's value, borrowed by nobody else for
        // `'a` (caller's contract).
        unsafe { &mut *ptr.cast() }
    }
}

// SAFETY: as for `Box`; the borrows keep the value pinned.
unsafe impl<T, A: Allocator> ForeignOwnable for Pin<Box<T, A>> {
    const FOREIGN_ALIGN: usize = foreign_align::<T, A>();
    type Borrowed<'a>
        = Pin<&'a T>
    where
        Self: 'a;
    type BorrowedMut<'a>
        = Pin<&'a mut T>
    where
        Self: 'a;

    fn into_foreign(self) -> *mut c_void {
        // SAFETY: the value is not moved: C only keeps the pointer.
        Box::into_raw(unsafe { Pin::into_inner_unchecked(self) }).cast()
    }

    unsafe fn from_foreign(ptr: *mut c_void) -> Self {
        // SAFETY: `ptr` came from `into_foreign` of a pinned box.
        unsafe { Pin::new_unchecked(Box::from_raw(ptr.cast())) }
    }

    unsafe fn borrow<'a>(ptr: *mut c_void) -> Pin<&'a T> {
        // SAFETY: a pinned box's value, shared for `'a` (caller's
        // contract); it stays pinned.
        unsafe { Pin::new_unchecked(&*ptr.cast()) }
    }

    unsafe fn borrow_mut<'a>(ptr: *mut c_void) -> Pin<&'a mut T> {
        // SAFETY: a pinned box's value, borrowed by nobody else for `'a`
        // (caller's contract); it stays pinned.
        unsafe { Pin::new_unchecked(&mut *ptr.cast()) }
    }
}

impl<T: ?Sized, A: Allocator> Deref for Box<T, A> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: valid for `T` by the invariant, and borrowed with `self`.
        unsafe { self.0.as_ref() }
    }
}

impl<T: ?Sized, A: Allocator> DerefMut for Box<T, A> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: valid for `T` by the invariant, and borrowed uniquely with
        // `self`.
        unsafe { self.0.as_mut() }
    }
}

impl<T: ?Sized, A: Allocator> Borrow<T> for Box<T, A> {
    fn borrow(&self) -> &T {
        self
    }
}

impl<T: ?Sized, A: Allocator> BorrowMut<T> for Box<T, A> {
    fn borrow_mut(&mut self) -> &mut T {
        self
    }
}

impl<T: ?Sized + fmt::Display, A: Allocator> fmt::Display for Box<T, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        <T as fmt::Display>::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Debug, A: Allocator> fmt::Debug for Box<T, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        <T as fmt::Debug>::fmt(&**self, f)
    }
}

impl<T: ?Sized, A: Allocator> Drop for Box<T, A> {
    fn drop(&mut self) {
        // SAFETY: valid for `T` by the invariant.
        let layout = Layout::for_value::<T>(unsafe { self.0.as_ref() });
        // SAFETY: the value is dropped once, here.
        unsafe { core::ptr::drop_in_place::<T>(self.0.as_ptr()) };
        if layout.size() != 0 {
            // SAFETY: a live block of `A` allocated with `layout`.
            unsafe { A::free(self.0.cast(), layout) };
        }
    }
}
