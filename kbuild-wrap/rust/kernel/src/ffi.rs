// SPDX-License-Identifier: GPL-2.0-only
//! C's primitive types as the kernel compiles them, for declarations shared
//! with C (upstream's `ffi` crate, which `kernel` re-exports as
//! `kernel::ffi`).
//!
//! The kernel builds with `-funsigned-char` and `long` as wide as a pointer,
//! so the mapping is fixed here rather than taken from [`core::ffi`], whose
//! choices follow the platform's userspace ABI.

macro_rules! c_types {
    ($($(#[$meta:meta])* $name:ident = $ty:ty;)*) => {$(
        $(#[$meta])*
        #[allow(non_camel_case_types)]
        pub type $name = $ty;

        // The width must agree with the platform C type of the same name.
        const _: () = assert!(
            ::core::mem::size_of::<$name>() == ::core::mem::size_of::<::core::ffi::$name>()
        );
    )*};
}

c_types! {
    /// C `char`: unsigned in the kernel (`-funsigned-char`).
    c_char = u8;
    /// C `signed char`.
    c_schar = i8;
    /// C `unsigned char`.
    c_uchar = u8;
    /// C `short`.
    c_short = i16;
    /// C `unsigned short`.
    c_ushort = u16;
    /// C `int`.
    c_int = i32;
    /// C `unsigned int`.
    c_uint = u32;
    /// C `long`: as wide as a pointer on every kernel architecture.
    c_long = isize;
    /// C `unsigned long`.
    c_ulong = usize;
    /// C `long long`.
    c_longlong = i64;
    /// C `unsigned long long`.
    c_ulonglong = u64;
}

pub use core::ffi::c_void;

pub use core::ffi::CStr;
