// SPDX-License-Identifier: GPL-2.0-only
//! Formatting for kernel code, in place of [`core::fmt`].
//!
//! The `fmt!` macro (and so `pr_info!` and the other printing macros) wraps
//! every argument in [`Adapter`], whose `core::fmt` impls forward to this
//! module's [`Display`] and [`Pointer`]: the kernel crate can implement
//! them for types of `core` (such as `CStr`), and `{:p}` prints the
//! kernel's hashed `%p` rather than the address.

pub use core::fmt::{Arguments, Debug, Error, Formatter, Result, Write};

use core::fmt::{Binary, LowerExp, LowerHex, Octal, UpperExp, UpperHex};
use core::ptr::NonNull;

extern "C" {
    fn kelfix_core_hashed_ptr(
        buf: *mut core::ffi::c_char,
        len: usize,
        ptr: *const core::ffi::c_void,
    ) -> core::ffi::c_int;
}

/// The wrapper `fmt!` puts around each argument (not for direct use).
#[doc(hidden)]
pub struct Adapter<T>(pub T);

macro_rules! forward_to_core {
    ($($tr:ident),*) => {$(
        impl<T: $tr> $tr for Adapter<T> {
            fn fmt(&self, f: &mut Formatter<'_>) -> Result {
                $tr::fmt(&self.0, f)
            }
        }
    )*};
}

forward_to_core!(Debug, LowerHex, UpperHex, Octal, Binary, LowerExp, UpperExp);

/// `{}` formatting, as [`core::fmt::Display`], but a trait of this crate so
/// that it can be implemented for foreign types.
pub trait Display {
    /// Writes the value to `f`.
    fn fmt(&self, f: &mut Formatter<'_>) -> Result;
}

impl<T: ?Sized + Display> Display for &T {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        Display::fmt(*self, f)
    }
}

impl<T: ?Sized + Display> core::fmt::Display for Adapter<&T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        Display::fmt(self.0, f)
    }
}

macro_rules! display_as_core {
    ($($({$($gen:tt)*})? $ty:ty),* $(,)?) => {$(
        impl$(<$($gen)*>)? Display for $ty {
            fn fmt(&self, f: &mut Formatter<'_>) -> Result {
                core::fmt::Display::fmt(self, f)
            }
        }
    )*};
}

display_as_core!(
    bool,
    char,
    str,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    core::panic::PanicInfo<'_>,
    Arguments<'_>,
);

/// `{:p}` formatting, as [`core::fmt::Pointer`], but a trait of this crate.
pub trait Pointer {
    /// Writes the pointer to `f`.
    fn fmt(&self, f: &mut Formatter<'_>) -> Result;
}

/// A pointer printed as the kernel's `%p` does: hashed, unless the kernel
/// runs with `no_hash_pointers`.
pub struct HashedPtr<T: ?Sized>(pub *const T);

impl<T: ?Sized> Pointer for HashedPtr<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        // 16 hex digits, "0x" and the placeholder texts fit.
        let mut buf = [0u8; 32];
        // SAFETY: `buf` is writable for its length; the helper writes at
        // most that many bytes, NUL included, and returns the length.
        let len =
            unsafe { kelfix_core_hashed_ptr(buf.as_mut_ptr().cast(), buf.len(), self.0.cast()) };
        let text = buf.get(..len as usize).ok_or(Error)?;
        f.pad(core::str::from_utf8(text).map_err(|_| Error)?)
    }
}

impl<T: ?Sized> Pointer for *const T {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        Pointer::fmt(&HashedPtr(*self), f)
    }
}

impl<T: ?Sized> Pointer for *mut T {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        Pointer::fmt(&HashedPtr(self.cast_const()), f)
    }
}

impl<T: ?Sized> Pointer for &T {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        Pointer::fmt(&HashedPtr(core::ptr::from_ref(*self)), f)
    }
}

impl<T: ?Sized> Pointer for &mut T {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        Pointer::fmt(&HashedPtr(core::ptr::from_ref(&**self)), f)
    }
}

impl<T: ?Sized> Pointer for NonNull<T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        Pointer::fmt(&HashedPtr(self.as_ptr().cast_const()), f)
    }
}

impl<T: Pointer> core::fmt::Pointer for Adapter<&T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> Result {
        Pointer::fmt(self.0, f)
    }
}
