// SPDX-License-Identifier: GPL-2.0-only
//! The kernel log: `pr_info!` and its siblings, `pr_cont!`, the `_once`
//! variants.
//!
//! A message is formatted with `core::fmt` into a buffer on the stack and
//! handed to printk by helpers/kelfix_core.c, prefixed with the module's
//! name (`__LOG_PREFIX`, which `module!` defines in the crate root) as
//! upstream does: `pr_info!("loaded\n")` logs `rust_minimal: loaded`. As
//! with C's `pr_info`, the caller writes the `\n`. A message longer than
//! [`LINE_MAX`] bytes is cut and ends with `...`. No allocation: usable in
//! any context.

use crate::fmt::{self, Write};
use core::sync::atomic::{AtomicBool, Ordering};

extern "C" {
    fn kelfix_core_printk(
        level: core::ffi::c_char,
        prefix: *const core::ffi::c_char,
        msg: *const core::ffi::c_char,
        len: core::ffi::c_int,
    );
}

/// The longest message printed, in bytes (the buffer is on the stack).
pub const LINE_MAX: usize = 512;

/// The printk levels the printing macros pass to [`call_printk`] (not for
/// direct use).
#[doc(hidden)]
pub mod format_strings {
    /// The length of each level string.
    pub const LENGTH: usize = 2;

    /// `KERN_EMERG`.
    pub static EMERG: [u8; LENGTH] = *b"\x010";
    /// `KERN_ALERT`.
    pub static ALERT: [u8; LENGTH] = *b"\x011";
    /// `KERN_CRIT`.
    pub static CRIT: [u8; LENGTH] = *b"\x012";
    /// `KERN_ERR`.
    pub static ERR: [u8; LENGTH] = *b"\x013";
    /// `KERN_WARNING`.
    pub static WARNING: [u8; LENGTH] = *b"\x014";
    /// `KERN_NOTICE`.
    pub static NOTICE: [u8; LENGTH] = *b"\x015";
    /// `KERN_INFO`.
    pub static INFO: [u8; LENGTH] = *b"\x016";
    /// `KERN_DEBUG`.
    pub static DEBUG: [u8; LENGTH] = *b"\x017";
    /// `KERN_CONT`.
    pub static CONT: [u8; LENGTH] = *b"\x01c";
}

/// A message formatted on the stack: [`LINE_MAX`] bytes at most, a longer
/// one cut and ending with `...` (also for `dev_*!`, in [`crate::device`]).
pub(crate) struct LineBuf {
    buf: [u8; LINE_MAX],
    len: usize,
    /// Whether the message was longer (the tests read it).
    #[cfg_attr(not(test), allow(dead_code))]
    cut: bool,
}

impl LineBuf {
    /// `args`, formatted.
    pub(crate) fn format(args: fmt::Arguments<'_>) -> LineBuf {
        let mut buf = [0; LINE_MAX];
        let mut out = crate::str::Formatter::new(&mut buf);
        // An error here only means the buffer is full: the formatter stops
        // there, having counted the piece that did not fit.
        let _ = out.write_fmt(args);
        let written = out.bytes_written();
        let cut = written > LINE_MAX;
        if cut {
            buf[LINE_MAX - 3..].copy_from_slice(b"...");
        }
        LineBuf {
            buf,
            len: written.min(LINE_MAX),
            cut,
        }
    }

    /// The formatted bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Formats `args` and prints it at `level` (a `KERN_*` level character),
/// after `prefix` if not null.
fn printk(level: u8, prefix: *const core::ffi::c_char, args: fmt::Arguments<'_>) {
    let line = LineBuf::format(args);
    // SAFETY: `prefix` is null or NUL-terminated (callers' contract); the
    // helper reads `line.len` (<= LINE_MAX) bytes of `line.buf`.
    unsafe {
        kelfix_core_printk(
            level as core::ffi::c_char,
            prefix,
            line.buf.as_ptr().cast(),
            line.len as core::ffi::c_int,
        )
    };
}

/// Prints one message at the level `format_string` names, after the module
/// name `module_name` (used by the printing macros).
///
/// # Safety
///
/// `format_string` is one of [`format_strings`] other than `CONT`, and
/// `module_name` ends with a NUL byte.
#[doc(hidden)]
pub unsafe fn call_printk(
    format_string: &[u8; format_strings::LENGTH],
    module_name: &[u8],
    args: fmt::Arguments<'_>,
) {
    printk(format_string[1], module_name.as_ptr().cast(), args);
}

/// Continues the previous message (`KERN_CONT`; used by `pr_cont!`).
#[doc(hidden)]
pub fn call_printk_cont(args: fmt::Arguments<'_>) {
    printk(format_strings::CONT[1], core::ptr::null(), args);
}

/// A warning of the kernel crate itself, prefixed `rust_kernel`.
pub(crate) fn call_printk_warn(args: fmt::Arguments<'_>) {
    printk(
        format_strings::WARNING[1],
        crate::__LOG_PREFIX.as_ptr().cast(),
        args,
    );
}

/// An emergency message prefixed with the module's name, as the kernel
/// knows it (`THIS_MODULE->name`): the panic handler's.
#[cfg_attr(test, allow(dead_code))]
pub(crate) fn call_printk_emerg(args: fmt::Arguments<'_>) {
    // SAFETY: `__this_module` is the module's own `struct module`, whose
    // name, a NUL-terminated array, never changes.
    let name = unsafe { core::ptr::addr_of!(crate::bindings::__this_module.name) };
    printk(format_strings::EMERG[1], name.cast(), args);
}

/// The body of the printing macros (not for direct use).
#[doc(hidden)]
#[macro_export]
#[allow(clippy::crate_in_macro_def)]
macro_rules! print_macro (
    ($format_string:path, false, $($arg:tt)+) => (
        // `match` keeps the temporaries `fmt!` borrows alive for the call.
        match $crate::prelude::fmt!($($arg)+) {
            // SAFETY: the printing macros pass one of `format_strings`;
            // `__LOG_PREFIX` (defined by `module!` in the crate using the
            // macro: `crate`, not `$crate`) is NUL-terminated.
            args => unsafe {
                $crate::print::call_printk(&$format_string, crate::__LOG_PREFIX, args);
            }
        }
    );
    ($format_string:path, true, $($arg:tt)+) => (
        $crate::print::call_printk_cont($crate::prelude::fmt!($($arg)+))
    );
);

/// Prints an emergency message (`KERN_EMERG`, the system is unusable);
/// `format!` syntax, the caller writes the `\n`.
#[macro_export]
macro_rules! pr_emerg (
    ($($arg:tt)*) => ($crate::print_macro!($crate::print::format_strings::EMERG, false, $($arg)*))
);

/// Prints an alert (`KERN_ALERT`, act at once).
#[macro_export]
macro_rules! pr_alert (
    ($($arg:tt)*) => ($crate::print_macro!($crate::print::format_strings::ALERT, false, $($arg)*))
);

/// Prints a critical message (`KERN_CRIT`).
#[macro_export]
macro_rules! pr_crit (
    ($($arg:tt)*) => ($crate::print_macro!($crate::print::format_strings::CRIT, false, $($arg)*))
);

/// Prints an error (`KERN_ERR`).
#[macro_export]
macro_rules! pr_err (
    ($($arg:tt)*) => ($crate::print_macro!($crate::print::format_strings::ERR, false, $($arg)*))
);

/// Prints a warning (`KERN_WARNING`).
#[macro_export]
macro_rules! pr_warn (
    ($($arg:tt)*) => ($crate::print_macro!($crate::print::format_strings::WARNING, false, $($arg)*))
);

/// Prints a notice (`KERN_NOTICE`, normal but significant).
#[macro_export]
macro_rules! pr_notice (
    ($($arg:tt)*) => ($crate::print_macro!($crate::print::format_strings::NOTICE, false, $($arg)*))
);

/// Prints an informational message (`KERN_INFO`).
#[macro_export]
macro_rules! pr_info (
    ($($arg:tt)*) => ($crate::print_macro!($crate::print::format_strings::INFO, false, $($arg)*))
);

/// Prints a debug message (`KERN_DEBUG`) when the calling crate is built
/// with debug assertions; otherwise the message is compiled out.
#[macro_export]
macro_rules! pr_debug (
    ($($arg:tt)*) => (
        if cfg!(debug_assertions) {
            $crate::print_macro!($crate::print::format_strings::DEBUG, false, $($arg)*)
        }
    )
);

/// Continues the last message on the same line (`KERN_CONT`).
#[macro_export]
macro_rules! pr_cont (
    ($($arg:tt)*) => ($crate::print_macro!($crate::print::format_strings::CONT, true, $($arg)*))
);

/// Runs a closure once for the life of the module (`pr_*_once!`).
pub struct OnceLite(AtomicBool);

impl OnceLite {
    /// A flag whose closure has not run yet.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        OnceLite(AtomicBool::new(false))
    }

    /// Runs `f` if no call has run it before, and says whether it did. A
    /// `false` does not mean that the other call's `f` has finished.
    pub fn call_once<F: FnOnce()>(&self, f: F) -> bool {
        // Relaxed: the flag orders nothing but itself.
        if self.0.load(Ordering::Relaxed) || self.0.swap(true, Ordering::Relaxed) {
            return false;
        }
        f();
        true
    }
}

/// Runs the statements once for the life of the module.
#[macro_export]
macro_rules! do_once_lite {
    { $($e:tt)* } => {{
        static ONCE: $crate::print::OnceLite = $crate::print::OnceLite::new();
        ONCE.call_once(|| { $($e)* });
    }};
}

/// [`pr_emerg!`] once for the life of the module.
#[macro_export]
macro_rules! pr_emerg_once (($($arg:tt)*) => ($crate::do_once_lite! { $crate::pr_emerg!($($arg)*) }));
/// [`pr_alert!`] once for the life of the module.
#[macro_export]
macro_rules! pr_alert_once (($($arg:tt)*) => ($crate::do_once_lite! { $crate::pr_alert!($($arg)*) }));
/// [`pr_crit!`] once for the life of the module.
#[macro_export]
macro_rules! pr_crit_once (($($arg:tt)*) => ($crate::do_once_lite! { $crate::pr_crit!($($arg)*) }));
/// [`pr_err!`] once for the life of the module.
#[macro_export]
macro_rules! pr_err_once (($($arg:tt)*) => ($crate::do_once_lite! { $crate::pr_err!($($arg)*) }));
/// [`pr_warn!`] once for the life of the module.
#[macro_export]
macro_rules! pr_warn_once (($($arg:tt)*) => ($crate::do_once_lite! { $crate::pr_warn!($($arg)*) }));
/// [`pr_notice!`] once for the life of the module.
#[macro_export]
macro_rules! pr_notice_once (($($arg:tt)*) => ($crate::do_once_lite! { $crate::pr_notice!($($arg)*) }));
/// [`pr_info!`] once for the life of the module.
#[macro_export]
macro_rules! pr_info_once (($($arg:tt)*) => ($crate::do_once_lite! { $crate::pr_info!($($arg)*) }));

/// Prints and returns the value of an expression, with its source location
/// and text, at `KERN_INFO` (`std::dbg!` for the kernel: a debugging aid,
/// not for code that is kept).
#[macro_export]
macro_rules! dbg {
    () => {
        $crate::pr_info!("[{}:{}:{}]\n", ::core::file!(), ::core::line!(), ::core::column!())
    };
    ($val:expr $(,)?) => {
        match $val {
            tmp => {
                $crate::pr_info!(
                    "[{}:{}:{}] {} = {:#?}\n",
                    ::core::file!(),
                    ::core::line!(),
                    ::core::column!(),
                    ::core::stringify!($val),
                    &tmp
                );
                tmp
            }
        }
    };
    ($($val:expr),+ $(,)?) => {
        ($($crate::dbg!($val)),+,)
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;

    #[test]
    fn short_line_is_whole() {
        let line = LineBuf::format(format_args!("x={}\n", 5));
        assert_eq!(&line.buf[..line.len], b"x=5\n");
        assert!(!line.cut);
    }

    #[test]
    fn long_line_is_cut_with_dots() {
        let long = std::string::String::from_utf8(std::vec![b'a'; LINE_MAX + 10]).unwrap();
        let line = LineBuf::format(format_args!("{long}"));
        assert_eq!(line.len, LINE_MAX);
        assert!(line.cut);
        assert_eq!(&line.buf[LINE_MAX - 4..], b"a...");
    }

    #[test]
    fn once_lite_runs_once() {
        let once = OnceLite::new();
        let mut n = 0;
        assert!(once.call_once(|| n += 1));
        assert!(!once.call_once(|| n += 1));
        assert_eq!(n, 1);
    }

    /// The host's stand-in for helpers/kelfix_core.c: records each record.
    static LOG: std::sync::Mutex<std::vec::Vec<(u8, std::string::String)>> =
        std::sync::Mutex::new(std::vec::Vec::new());

    #[no_mangle]
    extern "C" fn kelfix_core_printk(
        level: core::ffi::c_char,
        prefix: *const core::ffi::c_char,
        msg: *const core::ffi::c_char,
        len: core::ffi::c_int,
    ) {
        let mut text = std::string::String::new();
        if !prefix.is_null() {
            // SAFETY: the callers pass a NUL-terminated prefix.
            let p = unsafe { core::ffi::CStr::from_ptr(prefix) };
            text.push_str(p.to_str().unwrap());
            text.push_str(": ");
        }
        // SAFETY: `msg` has `len` bytes.
        let m = unsafe { core::slice::from_raw_parts(msg.cast::<u8>(), len as usize) };
        text.push_str(core::str::from_utf8(m).unwrap());
        LOG.lock().unwrap().push((level as u8, text));
    }

    fn logged(pred: impl Fn(&(u8, std::string::String)) -> bool) -> bool {
        LOG.lock().unwrap().iter().any(pred)
    }

    #[test]
    fn records_carry_level_and_prefix() {
        // SAFETY: a level string of `format_strings`, a NUL-terminated name.
        unsafe {
            call_printk(
                &format_strings::INFO,
                b"rust_minimal\0",
                format_args!("hi {}\n", 1),
            )
        };
        call_printk_cont(format_args!("more {}", 2));
        assert!(logged(|(l, t)| *l == b'6' && t == "rust_minimal: hi 1\n"));
        assert!(logged(|(l, t)| *l == b'c' && t == "more 2"));
    }

    #[test]
    fn bad_errno_warns_as_rust_kernel() {
        assert!(crate::error::Error::from_errno(5) == crate::error::code::EINVAL);
        assert!(logged(
            |(l, t)| *l == b'4' && t.starts_with("rust_kernel: Error::from_errno: 5 ")
        ));
    }

    #[test]
    fn level_strings() {
        assert_eq!(format_strings::EMERG, *b"\x010");
        assert_eq!(format_strings::DEBUG, *b"\x017");
        assert_eq!(format_strings::CONT, *b"\x01c");
    }
}
