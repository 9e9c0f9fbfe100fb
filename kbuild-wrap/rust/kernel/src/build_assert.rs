// SPDX-License-Identifier: GPL-2.0-only
//! Assertions checked when the module is built.
//!
//! - [`static_assert!`]: a condition on constants, anywhere an item may go.
//! - [`const_assert!`]: a condition on constants (generic parameters
//!   included), in a function body.
//! - [`build_assert!`]: a condition the compiler must prove after
//!   optimisation. A failure the optimiser cannot remove leaves a call to
//!   the undefined symbol `rust_build_error`, and the module does not link
//!   (modpost reports it); in constant evaluation it is a compile error.
//!   Prefer the other two where they do.

pub use crate::{build_assert_macro as build_assert, build_error, const_assert, static_assert};

extern "C" {
    /// Defined nowhere on purpose: a call that survives optimisation fails
    /// the module's link.
    fn rust_build_error() -> !;
}

/// The failure of a build assertion (used by the macros).
///
/// In constant evaluation it panics with `msg`, a compile error; at run
/// time it calls the undefined `rust_build_error`.
#[doc(hidden)]
#[inline(always)]
#[track_caller]
pub const fn build_error_fn(msg: &'static str) -> ! {
    const fn at_compile_time(msg: &'static str) -> ! {
        panic!("{}", msg)
    }
    fn at_run_time(_msg: &'static str) -> ! {
        // SAFETY: never defined, so never called: the link fails first.
        unsafe { rust_build_error() }
    }
    // `unsafe` up to Rust 1.80, safe since.
    #[allow(unused_unsafe)]
    // SAFETY: both functions fail the build, one way or the other.
    unsafe {
        core::intrinsics::const_eval_select((msg,), at_compile_time, at_run_time)
    }
}

/// Fails the build unless `condition`, a constant expression, holds
/// (C's `BUILD_BUG_ON(!condition)` as an item).
#[macro_export]
macro_rules! static_assert {
    ($condition:expr $(,$arg:literal)?) => {
        const _: () = ::core::assert!($condition $(,$arg)?);
    };
}

/// Fails the build unless `condition`, a constant expression that may use
/// the enclosing function's generic parameters, holds.
#[macro_export]
macro_rules! const_assert {
    ($condition:expr $(,$arg:literal)?) => {
        const { ::core::assert!($condition $(,$arg)?) };
    };
}

/// Fails the build if this call is reachable after optimisation (or
/// evaluated in constant context).
#[macro_export]
macro_rules! build_error {
    () => {{
        $crate::build_assert::build_error_fn("")
    }};
    ($msg:expr) => {{
        $crate::build_assert::build_error_fn($msg)
    }};
}

/// Fails the build unless the optimiser proves `cond` (see the module's
/// documentation).
#[macro_export]
macro_rules! build_assert_macro {
    ($cond:expr $(,)?) => {{
        if !$cond {
            $crate::build_assert::build_error_fn(concat!("assertion failed: ", stringify!($cond)));
        }
    }};
    ($cond:expr, $msg:expr) => {{
        if !$cond {
            $crate::build_assert::build_error_fn($msg);
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::build_assert;

    static_assert!(core::mem::size_of::<u32>() == 4);

    const fn checked_double(x: u32) -> u32 {
        build_assert!(x < 1000, "too large");
        x * 2
    }

    /// Evaluated by the compiler: a failing assertion here would be a
    /// compile error.
    const DOUBLED: u32 = checked_double(21);

    fn generic_size<T>() -> usize {
        const_assert!(core::mem::size_of::<u64>() == 8);
        core::mem::size_of::<T>()
    }

    #[test]
    fn true_assertions_vanish() {
        assert_eq!(DOUBLED, 42);
        assert_eq!(generic_size::<u16>(), 2);
        // Proven at compile time even without optimisation: no reference
        // to `rust_build_error` is left for the linker.
        build_assert!(DOUBLED == 42);
    }
}
