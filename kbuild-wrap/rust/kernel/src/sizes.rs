// SPDX-License-Identifier: GPL-2.0-only
//! The kernel's size constants (`include/linux/sizes.h`): `SZ_1K` to
//! `SZ_2G`, as `usize` constants here, and as associated constants of
//! `u32`, `u64` and `usize` through [`SizeConstants`], for sizes of a
//! device's address space, whose width is the device's, not the CPU's:
//!
//! ```ignore
//! use kernel::sizes::{SizeConstants, SZ_1M};
//! let pages = SZ_1M / kernel::page::PAGE_SIZE;
//! let window = 16 * u64::SZ_1M;
//! ```

use crate::bindings;

/// Defines each `SZ_*` as a `usize` constant, the [`SizeConstants`] trait,
/// and the trait's implementations for the types listed.
macro_rules! define_sizes {
    ([$($ty:ty),*] $($(#[$doc:meta])* $name:ident,)*) => {
        $(
            $(#[$doc])*
            pub const $name: usize = bindings::$name as usize;
        )*

        /// The `SZ_*` sizes as constants of an integer type (all fit a
        /// `u32`: every implementation is exact).
        pub trait SizeConstants {
            $(
                $(#[$doc])*
                const $name: Self;
            )*
        }

        define_sizes!(@impls [$($ty),*] $($name,)*);
    };
    (@impls [] $($name:ident,)*) => {};
    (@impls [$ty:ty $(, $rest:ty)*] $($name:ident,)*) => {
        impl SizeConstants for $ty {
            $(
                const $name: Self = {
                    // Fails the build if a size did not fit.
                    assert!(self::$name as u128 <= <$ty>::MAX as u128);
                    self::$name as $ty
                };
            )*
        }

        define_sizes!(@impls [$($rest),*] $($name,)*);
    };
}

define_sizes! {
    [u32, u64, usize]
    /// 1 KiB, `0x400`.
    SZ_1K,
    /// 2 KiB, `0x800`.
    SZ_2K,
    /// 4 KiB, `0x1000`.
    SZ_4K,
    /// 8 KiB, `0x2000`.
    SZ_8K,
    /// 16 KiB, `0x4000`.
    SZ_16K,
    /// 32 KiB, `0x8000`.
    SZ_32K,
    /// 64 KiB, `0x1_0000`.
    SZ_64K,
    /// 128 KiB, `0x2_0000`.
    SZ_128K,
    /// 256 KiB, `0x4_0000`.
    SZ_256K,
    /// 512 KiB, `0x8_0000`.
    SZ_512K,
    /// 1 MiB, `0x10_0000`.
    SZ_1M,
    /// 2 MiB, `0x20_0000`.
    SZ_2M,
    /// 4 MiB, `0x40_0000`.
    SZ_4M,
    /// 8 MiB, `0x80_0000`.
    SZ_8M,
    /// 16 MiB, `0x100_0000`.
    SZ_16M,
    /// 32 MiB, `0x200_0000`.
    SZ_32M,
    /// 64 MiB, `0x400_0000`.
    SZ_64M,
    /// 128 MiB, `0x800_0000`.
    SZ_128M,
    /// 256 MiB, `0x1000_0000`.
    SZ_256M,
    /// 512 MiB, `0x2000_0000`.
    SZ_512M,
    /// 1 GiB, `0x4000_0000`.
    SZ_1G,
    /// 2 GiB, `0x8000_0000`.
    SZ_2G,
}
