// SPDX-License-Identifier: GPL-2.0-only
//! In-place initialisation of values that must not move once they exist.
//!
//! A kernel object such as a mutex or a list head may hold pointers to
//! itself, so it has to be built directly in the memory it will live in.
//! This crate describes such a construction as a value, an *initialiser*:
//! [`PinInit<T, E>`] writes a `T` into a slot that is pinned from then on,
//! [`Init<T, E>`] writes one that may still move afterwards. Either may fail
//! with an `E`, and then leaves nothing behind in the slot.
//!
//! Initialisers are written with [`pin_init!`] and [`init!`], which look like
//! a struct expression: `field: value` moves a value in, `field <- init`
//! runs another initialiser on the field in place. Structs whose fields are
//! initialised this way carry [`#[pin_data]`](pin_data), which records the
//! fields marked `#[pin]` (only a [`PinInit`] may initialise them).
//! [`InPlaceInit`] (feature `alloc`) and [`InPlaceWrite`] put the result
//! into allocated memory; [`stack_pin_init!`] puts it on the stack.
//!
//! The crate is `no_std`; feature `alloc` adds the implementations for the
//! `alloc` crate's `Box` and `Arc`, feature `std` builds against `std`.
//!
//! The macros expand to paths under `::pin_init`: a crate that uses them
//! (directly or through another crate's wrappers) must have `pin_init` as a
//! dependency of its own.
#![no_std]
#![cfg_attr(feature = "alloc", feature(allocator_api))]
#![deny(missing_docs, unsafe_op_in_unsafe_fn)]

#[cfg(feature = "alloc")]
extern crate alloc as alloc_crate;
#[cfg(feature = "std")]
extern crate std;

// The macros expand to `::pin_init::...`; this makes those paths resolve
// inside this crate too (its own tests and doc examples).
#[allow(unused_extern_crates)]
extern crate self as pin_init;

use core::{convert::Infallible, mem::MaybeUninit, pin::Pin};

#[doc(hidden)]
pub mod __internal;
#[cfg(feature = "alloc")]
mod alloc;
mod zeroable;

#[cfg(feature = "alloc")]
pub use alloc::InPlaceInit;
pub use zeroable::{init_zeroed, zeroed, Zeroable, ZeroableOption};

/// Makes a struct usable with [`pin_init!`] and [`init!`].
///
/// Fields marked `#[pin]` are structurally pinned: [`pin_init!`] accepts
/// only an initialiser (`field <- init`) for them, the generated
/// `project()` method hands them out as `Pin<&mut Field>`, and the struct is
/// `Unpin` only when all of them are. Unmarked fields are ordinary: they may
/// be given by value and `project()` gives `&mut Field`.
///
/// The struct cannot implement [`Drop`] itself; write `#[pin_data(PinnedDrop)]`
/// and implement [`PinnedDrop`] with [`#[pinned_drop]`](pinned_drop) to run code
/// when it is dropped.
///
/// ```
/// use core::marker::PhantomPinned;
/// use pin_init::{pin_data, pin_init};
///
/// #[pin_data]
/// struct Node {
///     value: u32,
///     #[pin]
///     _pinned: PhantomPinned,
/// }
///
/// let node = pin_init!(Node { value: 7, _pinned <- PhantomPinned });
/// # let _ = node;
/// ```
pub use pin_init_internal::pin_data;

/// Turns `impl PinnedDrop for T` into the pinned destructor of `T`.
///
/// `T` must carry `#[pin_data(PinnedDrop)]`; the `drop` function receives
/// `self: Pin<&mut Self>` and cannot be called from anywhere but the
/// destructor.
pub use pin_init_internal::pinned_drop;

/// Derives [`Zeroable`] for a struct or union whose fields are all
/// [`Zeroable`]; each type parameter gets a `Zeroable` bound.
pub use pin_init_internal::Zeroable;

/// Derives [`Zeroable`] for a struct or union when, and only when, all its
/// field types are [`Zeroable`] (the condition becomes the impl's where
/// clause instead of an error).
pub use pin_init_internal::MaybeZeroable;

/// Builds a [`PinInit`] for a struct, field by field, in place.
///
/// ```text
/// pin_init!(Path { field: value, field <- initialiser, _: { code }, ..Zeroable::init_zeroed() }? Error)
/// ```
///
/// - `field: value` (or just `field`) moves the value into the field;
/// - `field <- initialiser` runs a [`PinInit`] (pinned field) or an [`Init`]
///   on the field in place; its error converts into `Error` with `From`;
/// - `_: { code }` runs code once the fields before it are initialised;
/// - fields already initialised can be used by name in later expressions
///   (as `&mut Field`, or `Pin<&mut Field>` for a `#[pin]` field);
/// - `..Zeroable::init_zeroed()` (or `..Zeroable::zeroed()`) zeroes the
///   struct first, so fields may be left out;
/// - `&this in Path { .. }` names a `NonNull<Path>` to the object being
///   built;
/// - `? Error` sets the error type (default: [`Infallible`]), and a leading
///   `#[default_error(Type)]` changes that default, which lets another
///   crate define its own `try_pin_init!` on top of this one.
///
/// Every field must be mentioned once (unless zeroed); when an initialiser
/// fails, the fields initialised so far are dropped in reverse order.
/// The struct needs [`#[pin_data]`](pin_data).
pub use pin_init_internal::pin_init;

/// Builds an [`Init`] for a struct, field by field, in place.
///
/// The syntax is that of [`pin_init!`], but every field initialiser must be
/// an [`Init`] and the struct needs no [`#[pin_data]`](pin_data).
pub use pin_init_internal::init;

/// [`pin_init!`] under the name older code uses; give the error type with
/// `? Error` (the default is [`Infallible`]).
#[macro_export]
macro_rules! try_pin_init {
    ($($args:tt)*) => {
        $crate::pin_init!($($args)*)
    };
}

/// [`init!`] under the name older code uses; give the error type with
/// `? Error` (the default is [`Infallible`]).
#[macro_export]
macro_rules! try_init {
    ($($args:tt)*) => {
        $crate::init!($($args)*)
    };
}

/// Creates a pinned value on the stack with an infallible initialiser.
///
/// `stack_pin_init!(let name: Type = initialiser);` binds `name` to a
/// `Pin<&mut Type>`; the value is dropped at the end of the scope.
///
/// ```
/// use pin_init::stack_pin_init;
///
/// stack_pin_init!(let answer: u32 = 42);
/// assert_eq!(*answer, 42);
/// ```
#[macro_export]
macro_rules! stack_pin_init {
    (let $var:ident $(: $t:ty)? = $val:expr) => {
        let __pin_init_value = $val;
        let mut $var = ::core::pin::pin!($crate::__internal::StackInit$(::<$t>)?::uninit());
        let ::core::result::Result::Ok(mut $var) =
            $crate::__internal::StackInit::init($var, __pin_init_value);
    };
}

/// Creates a pinned value on the stack with a fallible initialiser.
///
/// `stack_try_pin_init!(let name: Type = init);` binds `name` to a
/// `Result<Pin<&mut Type>, E>`; with `=?` instead of `=` the error is
/// returned from the enclosing function with `?` and `name` is the
/// `Pin<&mut Type>`.
#[macro_export]
macro_rules! stack_try_pin_init {
    (let $var:ident $(: $t:ty)? = $val:expr) => {
        let __pin_init_value = $val;
        let mut $var = ::core::pin::pin!($crate::__internal::StackInit$(::<$t>)?::uninit());
        let mut $var = $crate::__internal::StackInit::init($var, __pin_init_value);
    };
    (let $var:ident $(: $t:ty)? =? $val:expr) => {
        let __pin_init_value = $val;
        let mut $var = ::core::pin::pin!($crate::__internal::StackInit$(::<$t>)?::uninit());
        let mut $var = $crate::__internal::StackInit::init($var, __pin_init_value)?;
    };
}

/// Fails to compile unless `field` (of type `field_ty`) is a `#[pin]` field
/// of the [`#[pin_data]`](pin_data) struct `ty`.
///
/// Add `inline` as a fourth argument to use it where a statement is
/// expected (inside a function that has generics in scope).
#[macro_export]
macro_rules! assert_pinned {
    ($ty:ty, $field:ident, $field_ty:ty, inline) => {
        // SAFETY: the closure is never called; it only has to type-check.
        let _ = move |ptr: *mut $ty| unsafe {
            let data = <$ty as $crate::__internal::HasPinData>::__pin_data();
            let _ = data
                .$field(ptr)
                .init($crate::__internal::AlwaysFail::<$field_ty>::new());
        };
    };
    ($ty:ty, $field:ident, $field_ty:ty) => {
        const _: () = {
            $crate::assert_pinned!($ty, $field, $field_ty, inline);
        };
    };
}

/// An initialiser that builds a `T` in place in a slot that stays pinned.
///
/// On error the slot is left uninitialised (everything that was built is
/// dropped again) and may be reused or freed. Build one with [`pin_init!`],
/// [`pin_init_from_closure`] or the functions of this crate; every `T` is
/// itself an initialiser that moves the value in.
///
/// # Safety
///
/// An implementation of [`PinInit::__init`] must return `Ok(())` only after
/// it fully initialised `*slot`, and on `Err` leave `*slot` uninitialised
/// with nothing to drop. It must keep the pinning invariants of `T`: the
/// caller relies on `*slot` never moving after a successful return.
#[must_use = "an initialiser does nothing until it is used"]
pub unsafe trait PinInit<T: ?Sized, E = Infallible>: Sized {
    /// Initialises `*slot`.
    ///
    /// Prefer [`raw_init`] / [`raw_try_init`] or the smart pointers'
    /// methods to calling this directly.
    ///
    /// # Safety
    ///
    /// `slot` must be valid for writes, aligned and uninitialised. After
    /// `Ok(())` the caller must treat `*slot` as pinned (never move it
    /// before dropping it); after `Err` it is uninitialised again.
    unsafe fn __init(self, slot: *mut T) -> Result<(), E>;

    /// Older name of [`PinInit::__init`], kept for code written against it.
    ///
    /// # Safety
    ///
    /// As for [`PinInit::__init`].
    #[inline(always)]
    unsafe fn __pinned_init(self, slot: *mut T) -> Result<(), E> {
        // SAFETY: the caller gives the guarantees `__init` needs.
        unsafe { self.__init(slot) }
    }

    /// Runs `f` on the pinned value after this initialiser succeeded.
    ///
    /// If `f` fails, the value is dropped and `f`'s error returned.
    #[inline]
    fn pin_chain<F>(self, f: F) -> ChainPinInit<Self, F, T, E>
    where
        F: FnOnce(Pin<&mut T>) -> Result<(), E>,
    {
        ChainPinInit {
            first: self,
            then: f,
            _types: __internal::PhantomInvariant::new(),
        }
    }
}

/// An initialiser that builds a `T` in place without relying on the slot
/// staying pinned: the value may be moved afterwards.
///
/// Every [`Init`] is also a [`PinInit`]; its [`PinInit::__init`] does the
/// work.
///
/// # Safety
///
/// As for [`PinInit`]; in addition [`PinInit::__init`] must not rely on
/// `*slot` staying where it is after it returned.
#[must_use = "an initialiser does nothing until it is used"]
pub unsafe trait Init<T: ?Sized, E = Infallible>: PinInit<T, E> {
    /// Runs `f` on the value after this initialiser succeeded.
    ///
    /// If `f` fails, the value is dropped and `f`'s error returned.
    #[inline]
    fn chain<F>(self, f: F) -> ChainInit<Self, F, T, E>
    where
        F: FnOnce(&mut T) -> Result<(), E>,
    {
        ChainInit {
            first: self,
            then: f,
            _types: __internal::PhantomInvariant::new(),
        }
    }
}

/// Initialises `*slot` with an infallible initialiser.
///
/// # Safety
///
/// As for [`PinInit::__init`].
#[inline(always)]
pub unsafe fn raw_init<T>(slot: *mut T, init: impl PinInit<T>) {
    // SAFETY: the caller gives the guarantees `__init` needs.
    match unsafe { init.__init(slot) } {
        Ok(()) => {}
        Err(never) => match never {},
    }
}

/// Initialises `*slot` with a fallible initialiser.
///
/// # Safety
///
/// As for [`PinInit::__init`].
#[inline(always)]
pub unsafe fn raw_try_init<T, E>(slot: *mut T, init: impl PinInit<T, E>) -> Result<(), E> {
    // SAFETY: the caller gives the guarantees `__init` needs.
    unsafe { init.__init(slot) }
}

/// The initialiser [`PinInit::pin_chain`] returns.
pub struct ChainPinInit<I, F, T: ?Sized, E> {
    first: I,
    then: F,
    _types: __internal::PhantomInvariant<(E, T)>,
}

// SAFETY: `*slot` is initialised by `first`; if `then` fails, the guard drops
// it again before the error is returned, and `then` only sees it pinned.
unsafe impl<T: ?Sized, E, I, F> PinInit<T, E> for ChainPinInit<I, F, T, E>
where
    I: PinInit<T, E>,
    F: FnOnce(Pin<&mut T>) -> Result<(), E>,
{
    #[inline]
    unsafe fn __init(self, slot: *mut T) -> Result<(), E> {
        // SAFETY: the caller gives the guarantees of `__init`, which include
        // that the slot stays pinned.
        let slot = unsafe { __internal::Slot::<__internal::Pinned, T>::new(slot) };
        let mut guard = slot.init(self.first)?;
        (self.then)(guard.let_binding())?;
        guard.disarm();
        Ok(())
    }
}

/// The initialiser [`Init::chain`] returns.
pub struct ChainInit<I, F, T: ?Sized, E> {
    first: I,
    then: F,
    _types: __internal::PhantomInvariant<(E, T)>,
}

// SAFETY: `*slot` is initialised by `first`; if `then` fails, the guard drops
// it again before the error is returned.
unsafe impl<T: ?Sized, E, I, F> PinInit<T, E> for ChainInit<I, F, T, E>
where
    I: Init<T, E>,
    F: FnOnce(&mut T) -> Result<(), E>,
{
    #[inline]
    unsafe fn __init(self, slot: *mut T) -> Result<(), E> {
        // SAFETY: the caller gives the guarantees of `__init`; `first` is an
        // `Init`, so handing out `&mut T` does not break a pinning promise.
        let slot = unsafe { __internal::Slot::<__internal::Unpinned, T>::new(slot) };
        let mut guard = slot.init(self.first)?;
        (self.then)(guard.let_binding())?;
        guard.disarm();
        Ok(())
    }
}

// SAFETY: neither `first` (an `Init`) nor `then` (given `&mut T`) relies on
// the value staying pinned.
unsafe impl<T: ?Sized, E, I, F> Init<T, E> for ChainInit<I, F, T, E>
where
    I: Init<T, E>,
    F: FnOnce(&mut T) -> Result<(), E>,
{
}

/// An initialiser made of a closure; see [`pin_init_from_closure`].
struct ClosureInit<F, T: ?Sized> {
    f: F,
    _type: __internal::PhantomInvariant<T>,
}

// SAFETY: whoever built the `ClosureInit` promised (by calling an unsafe
// constructor) that the closure behaves like `__init`.
unsafe impl<T: ?Sized, F, E> PinInit<T, E> for ClosureInit<F, T>
where
    F: FnOnce(*mut T) -> Result<(), E>,
{
    #[inline]
    unsafe fn __init(self, slot: *mut T) -> Result<(), E> {
        (self.f)(slot)
    }
}

// SAFETY: only `init_from_closure` exposes this impl (its caller promised not
// to rely on pinning); `pin_init_from_closure` hides it behind `impl PinInit`.
unsafe impl<T: ?Sized, F, E> Init<T, E> for ClosureInit<F, T> where
    F: FnOnce(*mut T) -> Result<(), E>
{
}

/// Makes a [`PinInit`] out of a closure that initialises the slot it is
/// given.
///
/// # Safety
///
/// The closure must behave as [`PinInit::__init`] requires: `Ok(())` only
/// with `*slot` fully initialised, `Err` with nothing left to drop, and it
/// must respect `T`'s pinning invariants.
#[inline]
pub const unsafe fn pin_init_from_closure<T: ?Sized, E>(
    f: impl FnOnce(*mut T) -> Result<(), E>,
) -> impl PinInit<T, E> {
    ClosureInit {
        f,
        _type: __internal::PhantomInvariant::new(),
    }
}

/// Makes an [`Init`] out of a closure that initialises the slot it is given.
///
/// # Safety
///
/// As for [`pin_init_from_closure`]; in addition the closure must not rely
/// on the value staying where it put it.
#[inline]
pub const unsafe fn init_from_closure<T: ?Sized, E>(
    f: impl FnOnce(*mut T) -> Result<(), E>,
) -> impl Init<T, E> {
    ClosureInit {
        f,
        _type: __internal::PhantomInvariant::new(),
    }
}

/// Uses an initialiser of `T` to initialise a `U`.
///
/// # Safety
///
/// A fully initialised `T` must be a valid `U` with the same layout, and
/// `U` must keep the pinning guarantees `T` relies on.
#[inline]
pub const unsafe fn cast_pin_init<T, U, E>(init: impl PinInit<T, E>) -> impl PinInit<U, E> {
    // SAFETY: `init` writes a `T`, which the caller says is a valid `U`.
    unsafe { pin_init_from_closure(|slot: *mut U| init.__init(slot.cast::<T>())) }
}

/// Uses an initialiser of `T` to initialise a `U`.
///
/// # Safety
///
/// A fully initialised `T` must be a valid `U` with the same layout.
#[inline]
pub const unsafe fn cast_init<T, U, E>(init: impl Init<T, E>) -> impl Init<U, E> {
    // SAFETY: `init` writes a `T`, which the caller says is a valid `U`, and
    // does not rely on pinning.
    unsafe { init_from_closure(|slot: *mut U| init.__init(slot.cast::<T>())) }
}

/// An initialiser that leaves a [`MaybeUninit<T>`] uninitialised.
#[inline]
pub fn uninit<T, E>() -> impl Init<MaybeUninit<T>, E> {
    // SAFETY: any contents, including none, are a valid `MaybeUninit<T>`.
    unsafe { init_from_closure(|_| Ok(())) }
}

/// Initialises an array element by element with the initialisers `make(i)`
/// returns; see [`init_array_from_fn`] and [`pin_init_array_from_fn`].
struct ArrayInit<T, F> {
    make: F,
    _type: __internal::PhantomInvariant<T>,
}

/// Drops the first `count` elements at `first` unless disarmed.
///
/// # Invariants
///
/// `first[..count]` are initialised and owned by the guard.
struct ArrayGuard<T> {
    first: *mut T,
    count: usize,
}

impl<T> Drop for ArrayGuard<T> {
    fn drop(&mut self) {
        let done = core::ptr::slice_from_raw_parts_mut(self.first, self.count);
        // SAFETY: by the type invariant these elements are initialised and
        // nobody else drops them.
        unsafe { core::ptr::drop_in_place(done) };
    }
}

// SAFETY: every element is initialised in its place of the pinned array; on
// error the guard drops those done so far.
unsafe impl<T, F, I, E, const N: usize> PinInit<[T; N], E> for ArrayInit<T, F>
where
    F: FnMut(usize) -> I,
    I: PinInit<T, E>,
{
    unsafe fn __init(mut self, slot: *mut [T; N]) -> Result<(), E> {
        // INVARIANT: nothing is initialised yet.
        let mut guard = ArrayGuard {
            first: slot.cast::<T>(),
            count: 0,
        };
        for i in 0..N {
            let init = (self.make)(i);
            // SAFETY: element `i` lies inside the valid, pinned `*slot` and is
            // still uninitialised.
            unsafe { init.__init(guard.first.add(i))? };
            // INVARIANT: elements `0..=i` are initialised now.
            guard.count = i + 1;
        }
        core::mem::forget(guard);
        Ok(())
    }
}

// SAFETY: with `I: Init` no element relies on pinning.
unsafe impl<T, F, I, E, const N: usize> Init<[T; N], E> for ArrayInit<T, F>
where
    F: FnMut(usize) -> I,
    I: Init<T, E>,
{
}

/// An [`Init`] of an array whose element `i` is initialised by `make(i)`.
///
/// If an element fails, those before it are dropped.
#[inline]
pub fn init_array_from_fn<I, const N: usize, T, E>(
    make: impl FnMut(usize) -> I,
) -> impl Init<[T; N], E>
where
    I: Init<T, E>,
{
    ArrayInit {
        make,
        _type: __internal::PhantomInvariant::new(),
    }
}

/// A [`PinInit`] of an array whose element `i` is initialised by `make(i)`.
///
/// If an element fails, those before it are dropped.
#[inline]
pub fn pin_init_array_from_fn<I, const N: usize, T, E>(
    make: impl FnMut(usize) -> I,
) -> impl PinInit<[T; N], E>
where
    I: PinInit<T, E>,
{
    ArrayInit {
        make,
        _type: __internal::PhantomInvariant::new(),
    }
}

/// A [`PinInit`] whose initialiser is made, possibly failing, only when it
/// runs: `make()` returns the initialiser to use, or the error.
#[inline]
pub fn pin_init_scope<T, E, F, I>(make: F) -> impl PinInit<T, E>
where
    F: FnOnce() -> Result<I, E>,
    I: PinInit<T, E>,
{
    // SAFETY: an error from `make` leaves the slot untouched; otherwise the
    // inner initialiser does the work under the same guarantees.
    unsafe { pin_init_from_closure(move |slot: *mut T| make()?.__init(slot)) }
}

/// An [`Init`] whose initialiser is made, possibly failing, only when it
/// runs: `make()` returns the initialiser to use, or the error.
#[inline]
pub fn init_scope<T, E, F, I>(make: F) -> impl Init<T, E>
where
    F: FnOnce() -> Result<I, E>,
    I: Init<T, E>,
{
    // SAFETY: an error from `make` leaves the slot untouched; otherwise the
    // inner initialiser does the work and does not rely on pinning.
    unsafe { init_from_closure(move |slot: *mut T| make()?.__init(slot)) }
}

// SAFETY: writing a value never relies on where it ends up.
unsafe impl<T> Init<T> for T {}

// SAFETY: the value is moved into the slot, which is then fully initialised;
// a value that exists already satisfies its own pinning invariants.
unsafe impl<T> PinInit<T> for T {
    #[inline]
    unsafe fn __init(self, slot: *mut T) -> Result<(), Infallible> {
        // SAFETY: the caller guarantees `slot` is valid for writes.
        unsafe { slot.write(self) };
        Ok(())
    }
}

// SAFETY: writing a value never relies on where it ends up.
unsafe impl<T, E> Init<T, E> for Result<T, E> {}

// SAFETY: `Ok(value)` is moved into the slot; `Err` leaves it untouched.
unsafe impl<T, E> PinInit<T, E> for Result<T, E> {
    #[inline]
    unsafe fn __init(self, slot: *mut T) -> Result<(), E> {
        let value = self?;
        // SAFETY: the caller guarantees `slot` is valid for writes.
        unsafe { slot.write(value) };
        Ok(())
    }
}

/// Memory that can be initialised in place and then owns the value, such as
/// an uninitialised box.
pub trait InPlaceWrite<T> {
    /// What the memory becomes once initialised (a `Box<T>` for a
    /// `Box<MaybeUninit<T>>`).
    type Initialized;

    /// Initialises the memory with `init`.
    fn write_init<E>(self, init: impl Init<T, E>) -> Result<Self::Initialized, E>;

    /// Initialises the memory with `init` and pins it.
    fn write_pin_init<E>(self, init: impl PinInit<T, E>) -> Result<Pin<Self::Initialized>, E>;
}

impl<T> InPlaceWrite<T> for &'static mut MaybeUninit<T> {
    type Initialized = &'static mut T;

    #[inline]
    fn write_init<E>(self, init: impl Init<T, E>) -> Result<Self::Initialized, E> {
        // SAFETY: the slot is valid, exclusively ours and uninitialised.
        unsafe { init.__init(self.as_mut_ptr())? };
        // SAFETY: `init` succeeded, so the value is initialised.
        Ok(unsafe { self.assume_init_mut() })
    }

    #[inline]
    fn write_pin_init<E>(self, init: impl PinInit<T, E>) -> Result<Pin<Self::Initialized>, E> {
        // SAFETY: the slot is valid, exclusively ours and uninitialised; a
        // `'static` exclusive borrow can never give the memory back, so the
        // value never moves.
        unsafe { init.__init(self.as_mut_ptr())? };
        // SAFETY: `init` succeeded, so the value is initialised.
        Ok(Pin::static_mut(unsafe { self.assume_init_mut() }))
    }
}

/// The destructor of a [`#[pin_data(PinnedDrop)]`](pin_data) struct, which
/// sees the value pinned.
///
/// Implement it with [`#[pinned_drop]`](pinned_drop) on
/// `impl PinnedDrop for T { fn drop(self: Pin<&mut Self>) { .. } }`.
///
/// # Safety
///
/// Only `#[pinned_drop]` may implement it; the token argument ensures that
/// nothing but the struct's `Drop` impl calls it.
pub unsafe trait PinnedDrop: __internal::HasPinData {
    /// Runs when the value is dropped.
    fn drop(self: Pin<&mut Self>, only_call_from_drop: __internal::OnlyCallFromDrop);
}

/// Types that wrap a `T` and can be initialised from an initialiser of `T`.
pub trait Wrapper<T> {
    /// Initialises the wrapper by initialising the value it wraps.
    fn pin_init<E>(value_init: impl PinInit<T, E>) -> impl PinInit<Self, E>;
}

impl<T> Wrapper<T> for core::cell::UnsafeCell<T> {
    #[inline]
    fn pin_init<E>(value_init: impl PinInit<T, E>) -> impl PinInit<Self, E> {
        // SAFETY: `UnsafeCell<T>` is `repr(transparent)` over `T`.
        unsafe { cast_pin_init(value_init) }
    }
}

impl<T> Wrapper<T> for MaybeUninit<T> {
    #[inline]
    fn pin_init<E>(value_init: impl PinInit<T, E>) -> impl PinInit<Self, E> {
        // SAFETY: `MaybeUninit<T>` has the layout of `T` and any `T` is a
        // valid `MaybeUninit<T>`.
        unsafe { cast_pin_init(value_init) }
    }
}
