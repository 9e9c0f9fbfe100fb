//! Kernel log output: `pr_info!("x = {}", x)` formats with `core::fmt` into
//! a buffer on the stack and prints it as one line with printk (the
//! newline is added). A line longer than [`LINE_MAX`] bytes is cut and
//! ends with `...`. Usable in any context (no allocation).

use core::fmt::{self, Write};

use core::ffi::c_int;

use crate::ffi;

/// Longest line printed, in bytes. It lives on the kernel stack.
pub const LINE_MAX: usize = 256;

/// printk levels (include/linux/kern_levels.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum Level {
    Emerg = 0,
    Alert = 1,
    Crit = 2,
    Err = 3,
    Warning = 4,
    Notice = 5,
    Info = 6,
    Debug = 7,
}

struct LineBuf {
    buf: [u8; LINE_MAX],
    len: usize,
    cut: bool,
}

impl Write for LineBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = LINE_MAX - self.len;
        let n = s.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        if n < s.len() {
            self.cut = true;
            return Err(fmt::Error); // stop formatting: the line is full
        }
        Ok(())
    }
}

/// Prints `args` as one kernel log line at `level`.
pub fn print(level: Level, args: fmt::Arguments<'_>) {
    let mut line = LineBuf {
        buf: [0; LINE_MAX],
        len: 0,
        cut: false,
    };
    let _ = line.write_fmt(args);
    if line.cut {
        line.buf[LINE_MAX - 3..].copy_from_slice(b"...");
    }
    // SAFETY: the helper reads `len` bytes of `buf` (len <= LINE_MAX),
    // which outlives the call.
    unsafe { ffi::kelfix_rt_printk(level as c_int, line.buf.as_ptr(), line.len as c_int) };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __pr {
    ($level:ident, $($arg:tt)*) => {
        $crate::print::print($crate::print::Level::$level, ::core::format_args!($($arg)*))
    };
}

/// One KERN_EMERG line (`format!` syntax; the newline is added).
#[macro_export]
macro_rules! pr_emerg { ($($arg:tt)*) => { $crate::__pr!(Emerg, $($arg)*) }; }
/// One KERN_ALERT line.
#[macro_export]
macro_rules! pr_alert { ($($arg:tt)*) => { $crate::__pr!(Alert, $($arg)*) }; }
/// One KERN_CRIT line.
#[macro_export]
macro_rules! pr_crit { ($($arg:tt)*) => { $crate::__pr!(Crit, $($arg)*) }; }
/// One KERN_ERR line.
#[macro_export]
macro_rules! pr_err { ($($arg:tt)*) => { $crate::__pr!(Err, $($arg)*) }; }
/// One KERN_WARNING line.
#[macro_export]
macro_rules! pr_warn { ($($arg:tt)*) => { $crate::__pr!(Warning, $($arg)*) }; }
/// One KERN_NOTICE line.
#[macro_export]
macro_rules! pr_notice { ($($arg:tt)*) => { $crate::__pr!(Notice, $($arg)*) }; }
/// One KERN_INFO line.
#[macro_export]
macro_rules! pr_info { ($($arg:tt)*) => { $crate::__pr!(Info, $($arg)*) }; }
/// One KERN_DEBUG line (always compiled in; the console log level decides).
#[macro_export]
macro_rules! pr_debug { ($($arg:tt)*) => { $crate::__pr!(Debug, $($arg)*) }; }
