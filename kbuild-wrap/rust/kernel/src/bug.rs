// SPDX-License-Identifier: GPL-2.0-only
//! Kernel warnings from Rust (`include/asm-generic/bug.h`):
//! [`warn_on!`](crate::warn_on!) reports an unexpected condition with a
//! backtrace and taints the kernel, as C's `WARN_ON()` does, and lets the
//! code carry on.
//!
//! Upstream emits the architecture's `__bug_table` entry from inline
//! assembly at the call site. Here the report comes from a C helper
//! (`helpers/kelfix_bug.c`) calling `WARN()`: its `WARNING:` line names
//! the helper, so the message printed just before it gives the Rust
//! caller's condition, file and line, and the backtrace shows the caller.
//! Of the `BUGFLAG_*` bits of the flags only the taint is used.

use crate::ffi::{c_char, c_int, c_uint};

extern "C" {
    /// `WARN()` with the message "LEN bytes at WHERE:LINE", then the
    /// taint in FLAGS (`BUG_GET_TAINT`) if that is not `TAINT_WARN`.
    fn kelfix_bug_warn(place: *const c_char, len: c_int, line: c_int, flags: c_uint);
}

/// The `BUGFLAG_*` bits that make a warning add taint `value` (C's
/// `BUGFLAG_TAINT()` without the warning bit).
#[doc(hidden)]
pub const fn bugflag_taint(value: u32) -> u32 {
    value << 8
}

/// Reports a warning at `place` (a condition and file name) and `line`
/// with the `BUGFLAG_*` bits `flags`: what `warn_flags!` expands to.
#[doc(hidden)]
#[cold]
#[inline(never)]
pub fn warn_at(place: &str, line: u32, flags: u32) {
    let len = c_int::try_from(place.len()).unwrap_or(c_int::MAX);
    let line = c_int::try_from(line).unwrap_or(c_int::MAX);
    // SAFETY: `place` is valid for `len` bytes, which C prints and does
    // not keep.
    unsafe { kelfix_bug_warn(place.as_ptr().cast::<c_char>(), len, line, flags) }
}

/// Reports a warning at the caller's line, described by `$file` (a
/// `&str`), with the `BUGFLAG_*` bits `$flags` (a `u32`).
#[doc(hidden)]
#[macro_export]
macro_rules! warn_flags {
    ($file:expr, $flags:expr) => {
        $crate::bug::warn_at(
            $file,
            ::core::line!(),
            $crate::bindings::BUGFLAG_WARNING as u32 | $flags,
        )
    };
}

/// Evaluates the `bool` `$cond`; if it is true, logs a kernel warning
/// (`WARNING:` and a backtrace, with the condition and the caller's file
/// and line) and taints the kernel with `TAINT_WARN`, as C's `WARN_ON()`.
/// Returns `$cond`, so that the caller can still handle the case:
/// `if warn_on!(len > max) { return Err(EINVAL); }`.
#[macro_export]
macro_rules! warn_on {
    ($cond:expr) => {{
        let cond: bool = $cond;
        if cond {
            const PLACE: &str =
                ::core::concat!("[", ::core::stringify!($cond), "] ", ::core::file!());
            const FLAGS: u32 = $crate::bug::bugflag_taint($crate::bindings::TAINT_WARN as u32);
            $crate::warn_flags!(PLACE, FLAGS);
        }
        cond
    }};
}

#[cfg(test)]
mod tests {
    use super::bugflag_taint;

    #[test]
    fn taint_sits_above_the_flag_byte() {
        // `TAINT_WARN` is 9; C's BUGFLAG_TAINT(9) is 0x900 plus the
        // warning bit, and BUG_GET_TAINT shifts it back.
        assert_eq!(bugflag_taint(9), 0x900);
        assert_eq!(bugflag_taint(9) >> 8, 9);
        assert_eq!(bugflag_taint(0), 0);
    }
}
