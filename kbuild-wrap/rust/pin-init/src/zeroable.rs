// SPDX-License-Identifier: GPL-2.0-only
//! Types for which all bytes zero is a valid value.

use crate::{init_from_closure, Init};
use core::{
    cell::UnsafeCell,
    marker::{PhantomData, PhantomPinned},
    mem::MaybeUninit,
    num::{NonZero, Wrapping},
    ptr::NonNull,
};

/// A type whose value may be all zero bytes (padding included).
///
/// `#[derive(Zeroable)]` implements it for structs whose fields all are.
/// A struct initialiser ending in `..Zeroable::init_zeroed()` zeroes the
/// struct before it initialises the fields it names.
///
/// # Safety
///
/// Every byte of a `Self` being zero must be a valid `Self`. Uninhabited
/// types (such as [`core::convert::Infallible`]) never qualify.
pub unsafe trait Zeroable {
    /// An initialiser writing zeroes over the whole value.
    #[inline]
    fn init_zeroed() -> impl Init<Self>
    where
        Self: Sized,
    {
        init_zeroed()
    }

    /// The all-zero value.
    #[inline]
    fn zeroed() -> Self
    where
        Self: Sized,
    {
        zeroed()
    }
}

/// An initialiser writing zeroes over a `T`.
#[inline]
pub fn init_zeroed<T: Zeroable>() -> impl Init<T> {
    // SAFETY: zeroes fill the whole slot and are a valid `T` because
    // `T: Zeroable`; nothing here depends on the value staying put.
    unsafe {
        init_from_closure(|slot: *mut T| {
            slot.write_bytes(0, 1);
            Ok(())
        })
    }
}

/// The all-zero `T`.
#[inline]
pub const fn zeroed<T: Zeroable>() -> T {
    // SAFETY: `T: Zeroable` says all zero bytes are a valid `T`.
    unsafe { core::mem::zeroed() }
}

/// A type `T` such that `Option<T>` is `None` when all its bytes are zero
/// (the niche layout the standard library guarantees for references,
/// `NonNull`, `NonZero`, `Box` and function pointers).
///
/// # Safety
///
/// All zero bytes must be a valid `Option<Self>` (normally `None`).
pub unsafe trait ZeroableOption {}

// SAFETY: `ZeroableOption` promises exactly this.
unsafe impl<T: ZeroableOption> Zeroable for Option<T> {}

/// Implements `Zeroable` for each listed type; the generics go in braces.
macro_rules! zeroable_types {
    ($($({$($generics:tt)*})? $ty:ty,)*) => {
        $(
            // SAFETY: see the comment at each group of the invocation.
            unsafe impl$(<$($generics)*>)? Zeroable for $ty {}
        )*
    };
}

zeroable_types! {
    // SAFETY: zero is `false`, `'\0'`, `0` and `0.0`.
    bool, char,
    u8, u16, u32, u64, u128, usize,
    i8, i16, i32, i64, i128, isize,
    f32, f64,
    // SAFETY: inhabited types without bytes.
    {T: ?Sized} PhantomData<T>, PhantomPinned, (),
    // SAFETY: it may hold any bytes at all.
    {T} MaybeUninit<T>,
    // SAFETY: `repr(transparent)` over a `Zeroable` type.
    {T: ?Sized + Zeroable} UnsafeCell<T>, {T: Zeroable} Wrapping<T>,
    // SAFETY: the null pointer. Only thin pointers: a zero vtable pointer
    // would not be valid.
    {T} *mut T, {T} *const T,
    // SAFETY: a null pointer with length zero.
    {T} *mut [T], {T} *const [T], *mut str, *const str,
    // SAFETY: every element is `Zeroable`.
    {T: Zeroable, const N: usize} [T; N],
}

/// Implements `Zeroable` for the tuples of up to as many elements as given.
macro_rules! zeroable_tuples {
    ($first:ident $(, $rest:ident)*) => {
        // SAFETY: every element is `Zeroable`, and padding may be zero.
        unsafe impl<$first: Zeroable $(, $rest: Zeroable)*> Zeroable for ($first, $($rest,)*) {}
        zeroable_tuples!($($rest),*);
    };
    () => {};
}

zeroable_tuples!(A, B, C, D, E, F, G, H, I, J);

/// Implements `ZeroableOption` for each listed type; generics in braces.
macro_rules! zeroable_option_types {
    ($($({$($generics:tt)*})? $ty:ty,)*) => {
        $(
            // SAFETY: see the comment at each group of the invocation.
            unsafe impl$(<$($generics)*>)? ZeroableOption for $ty {}
        )*
    };
}

zeroable_option_types! {
    // SAFETY: references and `NonNull` are never null, so `None` is the
    // null pointer (guaranteed layout of `Option`).
    {T: ?Sized} &T, {T: ?Sized} &mut T, {T: ?Sized} NonNull<T>,
    // SAFETY: `NonZero` is never zero, so `None` is zero (guaranteed
    // layout of `Option`).
    NonZero<u8>, NonZero<u16>, NonZero<u32>, NonZero<u64>, NonZero<u128>, NonZero<usize>,
    NonZero<i8>, NonZero<i16>, NonZero<i32>, NonZero<i64>, NonZero<i128>, NonZero<isize>,
}

/// Implements `ZeroableOption` for function pointers of the given ABIs
/// taking up to as many arguments as listed.
macro_rules! zeroable_fn_pointers {
    ($abi:literal; $($arg:ident),*) => {
        zeroable_fn_pointers!(@each $abi; $($arg),*);
    };
    (@each $abi:literal; $($arg:ident),*) => {
        // SAFETY: function pointers are never null, so `None` is the null
        // pointer (guaranteed layout of `Option`).
        unsafe impl<Ret, $($arg),*> ZeroableOption for extern $abi fn($($arg),*) -> Ret {}
        // SAFETY: as above.
        unsafe impl<Ret, $($arg),*> ZeroableOption for unsafe extern $abi fn($($arg),*) -> Ret {}
        zeroable_fn_pointers!(@drop $abi; $($arg),*);
    };
    (@drop $abi:literal; $first:ident $(, $rest:ident)*) => {
        zeroable_fn_pointers!(@each $abi; $($rest),*);
    };
    (@drop $abi:literal;) => {};
}

zeroable_fn_pointers!("Rust"; A, B, C, D, E, F, G, H, I, J, K, L);
zeroable_fn_pointers!("C"; A, B, C, D, E, F, G, H, I, J, K, L);
