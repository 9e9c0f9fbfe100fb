// SPDX-License-Identifier: GPL-2.0-only
//! Items the macros of this crate expand to. Not an API: only this crate
//! and `pin_init_internal` may use them.

use crate::{Init, PinInit};
use core::{
    marker::PhantomData,
    mem::{ManuallyDrop, MaybeUninit},
    pin::Pin,
    ptr,
};

/// Makes its holder invariant in `T` (and `Send`/`Sync`/`Unpin` whatever
/// `T` is).
#[repr(transparent)]
pub struct PhantomInvariant<T: ?Sized>(PhantomData<fn(T) -> T>);

impl<T: ?Sized> PhantomInvariant<T> {
    /// The marker value.
    #[inline(always)]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T: ?Sized> Default for PhantomInvariant<T> {
    #[inline(always)]
    fn default() -> Self {
        Self::new()
    }
}

impl<T: ?Sized> Clone for PhantomInvariant<T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for PhantomInvariant<T> {}

/// Makes its holder invariant in the lifetime `'a`.
#[repr(transparent)]
#[derive(Clone, Copy, Default)]
pub struct PhantomInvariantLifetime<'a>(PhantomInvariant<&'a ()>);

impl PhantomInvariantLifetime<'_> {
    /// The marker value.
    #[inline(always)]
    pub const fn new() -> Self {
        Self(PhantomInvariant::new())
    }
}

/// Proof that an initialiser macro went through all of its fields: the
/// closure it builds must return one, and only the macro makes them.
pub struct InitOk(());

impl InitOk {
    /// Makes the proof.
    ///
    /// # Safety
    ///
    /// Only the code `pin_init!`/`init!` expand to may call this, after every
    /// field is initialised.
    #[inline(always)]
    pub unsafe fn new() -> Self {
        Self(())
    }
}

/// Implemented by `#[pin_data]` for its struct: `PinData` has one method
/// per field returning a [`Slot`] that says whether the field is pinned.
///
/// # Safety
///
/// Only `#[pin_data]` may implement it, and only `pin_init!` may use it.
pub unsafe trait HasPinData {
    /// The type holding the field accessors.
    type PinData: Copy;

    /// Returns the accessors.
    ///
    /// # Safety
    ///
    /// Only `pin_init!` may call it.
    unsafe fn __pin_data() -> Self::PinData;
}

/// The counterpart of [`HasPinData`] for `init!`, implemented for every
/// type: every field is accessed unpinned.
///
/// # Safety
///
/// Only this crate may implement it, and only `init!` may use it.
pub unsafe trait HasInitData {
    /// The type helping inference in `init!`.
    type InitData: Copy;

    /// Returns the helper.
    ///
    /// # Safety
    ///
    /// Only `init!` may call it.
    unsafe fn __init_data() -> Self::InitData;
}

/// The [`HasInitData::InitData`] of every type.
pub struct AllData<T: ?Sized>(PhantomInvariant<T>);

impl<T: ?Sized> Clone for AllData<T> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for AllData<T> {}

impl<T: ?Sized> AllData<T> {
    /// Returns `f`, fixing its argument type to `*mut T` for inference.
    #[inline(always)]
    pub fn __make_closure<F, E>(self, f: F) -> F
    where
        F: FnOnce(*mut T) -> Result<InitOk, E>,
    {
        f
    }
}

// SAFETY: this is the only implementation, and `AllData` gives no access to
// anything.
unsafe impl<T: ?Sized> HasInitData for T {
    type InitData = AllData<T>;

    #[inline(always)]
    unsafe fn __init_data() -> Self::InitData {
        AllData(PhantomInvariant::new())
    }
}

/// A stack slot for [`stack_pin_init!`](crate::stack_pin_init).
///
/// # Invariants
///
/// `value` is initialised exactly when `is_init` is true.
pub struct StackInit<T> {
    value: MaybeUninit<T>,
    is_init: bool,
}

impl<T> StackInit<T> {
    /// An empty slot.
    #[inline]
    pub fn uninit() -> Self {
        // INVARIANT: nothing is initialised.
        Self {
            value: MaybeUninit::uninit(),
            is_init: false,
        }
    }

    /// Initialises the slot (dropping what it held before) and returns the
    /// value, pinned.
    #[inline]
    pub fn init<E>(self: Pin<&mut Self>, init: impl PinInit<T, E>) -> Result<Pin<&mut T>, E> {
        // SAFETY: the value is never moved out; it is dropped in place.
        let this = unsafe { Pin::into_inner_unchecked(self) };
        if this.is_init {
            // INVARIANT: cleared before the value is dropped.
            this.is_init = false;
            // SAFETY: `is_init` said the value was initialised; pinned
            // memory may only be reused after its value was dropped, which
            // this does.
            unsafe { this.value.assume_init_drop() };
        }
        // SAFETY: the slot is valid, uninitialised and pinned with `self`.
        unsafe { init.__init(this.value.as_mut_ptr())? };
        // INVARIANT: `init` succeeded.
        this.is_init = true;
        // SAFETY: the value is initialised and pinned with `self`.
        Ok(unsafe { Pin::new_unchecked(this.value.assume_init_mut()) })
    }
}

impl<T> Drop for StackInit<T> {
    #[inline]
    fn drop(&mut self) {
        if self.is_init {
            // SAFETY: by the invariant the value is initialised, and it is
            // dropped only here.
            unsafe { self.value.assume_init_drop() };
        }
    }
}

/// Marks a [`Slot`] or [`DropGuard`] of a structurally pinned field.
pub struct Pinned;

/// Marks a [`Slot`] or [`DropGuard`] of a field that is not pinned.
pub struct Unpinned;

/// An uninitialised field of a value being initialised. `P` ([`Pinned`] or
/// [`Unpinned`]) decides which initialisers it accepts.
///
/// # Invariants
///
/// `ptr` is valid for writes, aligned, uninitialised and exclusively ours;
/// with `P = Pinned` it stays pinned once initialised.
pub struct Slot<P, T: ?Sized> {
    ptr: *mut T,
    _pin: PhantomData<P>,
}

impl<P, T: ?Sized> Slot<P, T> {
    /// Wraps the field at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must be valid for writes, aligned, uninitialised and not used
    /// by anything else; with `P = Pinned` the memory must stay pinned.
    #[inline(always)]
    pub unsafe fn new(ptr: *mut T) -> Self {
        // INVARIANT: the caller's guarantees.
        Self {
            ptr,
            _pin: PhantomData,
        }
    }

    /// Moves `value` into the field. Any field takes a value: it was not
    /// pinned before it got here.
    #[inline(always)]
    pub fn write(self, value: T) -> DropGuard<P, T>
    where
        T: Sized,
    {
        // SAFETY: by the invariant `ptr` is valid for writes and aligned.
        unsafe { self.ptr.write(value) };
        // SAFETY: the field is initialised now; its ownership passes to the
        // guard (pinned if `P` is).
        unsafe { DropGuard::new(self.ptr) }
    }
}

impl<T: ?Sized> Slot<Unpinned, T> {
    /// Runs an [`Init`] on the field: an unpinned field may be moved out
    /// later, so it cannot take a [`PinInit`].
    #[inline(always)]
    pub fn init<E>(self, init: impl Init<T, E>) -> Result<DropGuard<Unpinned, T>, E> {
        // SAFETY: by the invariant the slot is valid and uninitialised; on
        // error it stays uninitialised and `self` is gone.
        unsafe { init.__init(self.ptr)? };
        // SAFETY: the field is initialised; the guard owns it.
        Ok(unsafe { DropGuard::new(self.ptr) })
    }
}

impl<T: ?Sized> Slot<Pinned, T> {
    /// Runs a [`PinInit`] on the field.
    #[inline(always)]
    pub fn init<E>(self, init: impl PinInit<T, E>) -> Result<DropGuard<Pinned, T>, E> {
        // SAFETY: by the invariant the slot is valid, uninitialised and
        // stays pinned; on error it stays uninitialised and `self` is gone.
        unsafe { init.__init(self.ptr)? };
        // SAFETY: the field is initialised and pinned; the guard owns it.
        Ok(unsafe { DropGuard::new(self.ptr) })
    }
}

/// Owns an initialised field while the rest of the value is built: dropping
/// the guard drops the field (an initialiser failed), [`DropGuard::disarm`]
/// hands it over to the finished value.
///
/// # Invariants
///
/// `*ptr` is initialised, aligned and owned by the guard; with
/// `P = Pinned` it is pinned.
pub struct DropGuard<P, T: ?Sized> {
    ptr: *mut T,
    _pin: PhantomData<P>,
}

impl<P, T: ?Sized> DropGuard<P, T> {
    /// Takes ownership of `*ptr`.
    ///
    /// # Safety
    ///
    /// `*ptr` must be initialised, aligned and not dropped by anyone else;
    /// with `P = Pinned` it must be pinned.
    #[inline(always)]
    pub unsafe fn new(ptr: *mut T) -> Self {
        // INVARIANT: the caller's guarantees.
        Self {
            ptr,
            _pin: PhantomData,
        }
    }

    /// Gives up ownership without dropping the field.
    #[inline(always)]
    pub fn disarm(self) {
        let _ = ManuallyDrop::new(self);
    }
}

impl<T: ?Sized> DropGuard<Unpinned, T> {
    /// The field, for use by later field initialisers.
    #[inline(always)]
    pub fn let_binding(&mut self) -> &mut T {
        // SAFETY: by the invariant `*ptr` is initialised and ours.
        unsafe { &mut *self.ptr }
    }
}

impl<T: ?Sized> DropGuard<Pinned, T> {
    /// The pinned field, for use by later field initialisers.
    #[inline(always)]
    pub fn let_binding(&mut self) -> Pin<&mut T> {
        // SAFETY: by the invariant `*ptr` is initialised, ours and pinned.
        unsafe { Pin::new_unchecked(&mut *self.ptr) }
    }
}

impl<P, T: ?Sized> Drop for DropGuard<P, T> {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: by the invariant the guard owns the initialised `*ptr`,
        // dropped in place (so a pinned one never moves).
        unsafe { ptr::drop_in_place(self.ptr) }
    }
}

/// The token [`PinnedDrop::drop`](crate::PinnedDrop::drop) takes, so that
/// only the generated `Drop` impl can call it.
pub struct OnlyCallFromDrop(());

impl OnlyCallFromDrop {
    /// Makes the token.
    ///
    /// # Safety
    ///
    /// Only the `Drop::drop` that `#[pin_data(PinnedDrop)]` generates may
    /// call this, to hand over to the pinned destructor of the same value.
    #[inline(always)]
    pub unsafe fn new() -> Self {
        Self(())
    }
}

/// An initialiser that fails without touching its slot; it only exists for
/// type checks ([`assert_pinned!`](crate::assert_pinned)).
pub struct AlwaysFail<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized> AlwaysFail<T> {
    /// The initialiser.
    #[inline]
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T: ?Sized> Default for AlwaysFail<T> {
    #[inline]
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: it always fails and never writes to the slot.
unsafe impl<T: ?Sized> PinInit<T, ()> for AlwaysFail<T> {
    #[inline]
    unsafe fn __init(self, _slot: *mut T) -> Result<(), ()> {
        Err(())
    }
}
