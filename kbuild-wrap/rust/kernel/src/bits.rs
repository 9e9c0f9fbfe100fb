// SPDX-License-Identifier: GPL-2.0-only
//! Single bits and contiguous bit masks of the unsigned integer types, as
//! C's `BIT()` and `GENMASK()` (`include/linux/bits.h`) make them.
//!
//! For each of `u8`, `u16`, `u32` and `u64` there are two forms:
//! - `bit_u32(n)` and `genmask_u32(lo..=hi)` are `const fn`s whose
//!   arguments must be known when the module is built: an out-of-range bit
//!   or an empty range is a build failure ([`build_assert!`]);
//! - `checked_bit_u32(n)` and `genmask_checked_u32(lo..=hi)` take values
//!   known only at run time and return [`None`] for the same mistakes.
//!
//! ```ignore
//! use kernel::bits::{bit_u32, genmask_checked_u8, genmask_u64};
//! const ENABLE: u32 = bit_u32(31);
//! const ADDR_MASK: u64 = genmask_u64(12..=51);
//! assert_eq!(genmask_checked_u8(4..=9), None);
//! ```

use crate::build_assert::build_assert;
use core::ops::RangeInclusive;
use macros::paste;

/// Defines `bit_$ty` and `checked_bit_$ty`.
macro_rules! define_bit {
    ($ty:ty) => {
        paste! {
            /// The value with bit `n` set and no other, or [`None`] when
            /// the type has no bit `n` (`n` is not below its `BITS`).
            #[inline]
            pub fn [<checked_bit_ $ty>](n: u32) -> Option<$ty> {
                let one: $ty = 1;
                one.checked_shl(n)
            }

            /// The value with bit `n` set and no other. `n` must be known
            /// at build time and below the type's `BITS`: otherwise the
            /// module does not build.
            // Inlined always, so that the optimiser sees `n` and removes
            // the assertion's failure path.
            #[inline(always)]
            pub const fn [<bit_ $ty>](n: u32) -> $ty {
                build_assert!(n < <$ty>::BITS);
                let one: $ty = 1;
                one << n
            }
        }
    };
}

/// Defines `genmask_$ty` and `genmask_checked_$ty`.
macro_rules! define_genmask {
    ($ty:ty) => {
        paste! {
            /// The value whose bits `range.start()` to `range.end()`
            /// (both included) are set and no other, or [`None`] when the
            /// range is empty (start above end) or reaches past the type's
            /// last bit.
            #[inline]
            pub fn [<genmask_checked_ $ty>](range: RangeInclusive<u32>) -> Option<$ty> {
                let (lo, hi) = (*range.start(), *range.end());
                if lo > hi {
                    return None;
                }
                let top = [<checked_bit_ $ty>](hi)?;
                let bottom = [<checked_bit_ $ty>](lo)?;
                // All bits up to `top` included, less those below `bottom`.
                Some((top | (top - 1)) & !(bottom - 1))
            }

            /// The value whose bits `range.start()` to `range.end()`
            /// (both included) are set and no other. The range must be
            /// known at build time, not empty and within the type's bits:
            /// otherwise the module does not build.
            // Inlined always, as the `bit_*` functions are.
            #[inline(always)]
            pub const fn [<genmask_ $ty>](range: RangeInclusive<u32>) -> $ty {
                let (lo, hi) = (*range.start(), *range.end());
                build_assert!(lo <= hi);
                let top = [<bit_ $ty>](hi);
                let bottom = [<bit_ $ty>](lo);
                (top | (top - 1)) & !(bottom - 1)
            }
        }
    };
}

define_bit!(u8);
define_bit!(u16);
define_bit!(u32);
define_bit!(u64);

define_genmask!(u8);
define_genmask!(u16);
define_genmask!(u32);
define_genmask!(u64);

#[cfg(test)]
mod tests {
    use super::*;

    // The build-time forms, evaluated by the compiler: a failing
    // assertion in them would be a compile error here.
    const B0: u8 = bit_u8(0);
    const B7: u8 = bit_u8(7);
    const B15: u16 = bit_u16(15);
    const B31: u32 = bit_u32(31);
    const B63: u64 = bit_u64(63);
    const M8: u8 = genmask_u8(2..=5);
    const M8_ALL: u8 = genmask_u8(0..=7);
    const M16: u16 = genmask_u16(4..=11);
    const M32: u32 = genmask_u32(20..=31);
    const M32_ONE: u32 = genmask_u32(9..=9);
    const M64: u64 = genmask_u64(12..=51);
    const M64_ALL: u64 = genmask_u64(0..=63);

    #[test]
    fn build_time_bits() {
        assert_eq!(B0, 0x01);
        assert_eq!(B7, 0x80);
        assert_eq!(B15, 0x8000);
        assert_eq!(B31, 0x8000_0000);
        assert_eq!(B63, 0x8000_0000_0000_0000);
    }

    #[test]
    fn build_time_masks() {
        assert_eq!(M8, 0b0011_1100);
        assert_eq!(M8_ALL, u8::MAX);
        assert_eq!(M16, 0x0ff0);
        assert_eq!(M32, 0xfff0_0000);
        assert_eq!(M32_ONE, 0x200);
        assert_eq!(M64, 0x000f_ffff_ffff_f000);
        assert_eq!(M64_ALL, u64::MAX);
    }

    #[test]
    fn checked_bits_in_and_out_of_range() {
        assert_eq!(checked_bit_u8(3), Some(8));
        assert_eq!(checked_bit_u8(8), None);
        assert_eq!(checked_bit_u16(15), Some(0x8000));
        assert_eq!(checked_bit_u16(16), None);
        assert_eq!(checked_bit_u32(0), Some(1));
        assert_eq!(checked_bit_u32(32), None);
        assert_eq!(checked_bit_u64(40), Some(1 << 40));
        assert_eq!(checked_bit_u64(64), None);
        assert_eq!(checked_bit_u64(u32::MAX), None);
    }

    #[test]
    fn checked_masks_agree_with_build_time_ones() {
        assert_eq!(genmask_checked_u8(2..=5), Some(M8));
        assert_eq!(genmask_checked_u16(4..=11), Some(M16));
        assert_eq!(genmask_checked_u32(20..=31), Some(M32));
        assert_eq!(genmask_checked_u64(12..=51), Some(M64));
        assert_eq!(genmask_checked_u64(0..=63), Some(u64::MAX));
        assert_eq!(genmask_checked_u32(0..=0), Some(1));
    }

    #[test]
    fn checked_masks_refuse_bad_ranges() {
        // Past the last bit, at either end.
        assert_eq!(genmask_checked_u8(3..=8), None);
        assert_eq!(genmask_checked_u16(16..=16), None);
        assert_eq!(genmask_checked_u32(1..=32), None);
        assert_eq!(genmask_checked_u64(60..=70), None);
        // Empty: start above end.
        #[allow(clippy::reversed_empty_ranges)]
        let empty = 9..=4;
        assert_eq!(genmask_checked_u32(empty), None);
    }
}
