// SPDX-License-Identifier: GPL-2.0-only
//! seq_file output (`include/linux/seq_file.h`): the text a `show`
//! callback produces for a read of a debugfs, /proc or other seq_file
//! backed file, written with [`seq_print!`].
//!
//! The text goes to the kernel's buffer through `seq_write`, formatted on
//! the Rust side (no `%pA`, which 5.10 lacks). When it does not fit, the
//! seq_file code notices the overflow and calls `show` again with a larger
//! buffer.

use crate::{bindings, ffi::c_void, fmt, types::NotThreadSafe, types::Opaque};

/// The C `struct seq_file` of a `show` callback in progress: where that
/// callback writes its output.
///
/// A `show` callback runs on one thread, so the type is neither `Send`
/// nor `Sync`.
#[repr(transparent)]
pub struct SeqFile {
    inner: Opaque<bindings::seq_file>,
    _not_send: NotThreadSafe,
}

impl SeqFile {
    /// The [`SeqFile`] at `ptr`, for `'a`.
    ///
    /// # Safety
    ///
    /// For all of `'a`, `ptr` points to a live `struct seq_file` that no
    /// other thread uses.
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::seq_file) -> &'a SeqFile {
        // SAFETY: `SeqFile` is a transparent wrapper of the C struct, and
        // the caller keeps it alive and to this thread for `'a`.
        unsafe { &*ptr.cast::<SeqFile>() }
    }

    /// Appends the formatted `args` to the file's output (what
    /// [`seq_print!`] expands to). Text past the end of the buffer is
    /// dropped and marks the buffer as overflowed, so that the kernel
    /// retries with a larger one.
    #[inline]
    pub fn call_printf(&self, args: fmt::Arguments<'_>) {
        let mut out = SeqWriter(self.inner.get());
        // An error is an overflow the seq_file already recorded.
        let _ = fmt::Write::write_fmt(&mut out, args);
    }
}

/// `fmt::Write` into a `struct seq_file`.
struct SeqWriter(*mut bindings::seq_file);

impl fmt::Write for SeqWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // SAFETY: the pointer comes from a live `SeqFile` borrowed by
        // `call_printf` on its only thread; `s` is valid for its length.
        let ret = unsafe { bindings::seq_write(self.0, s.as_ptr().cast::<c_void>(), s.len()) };
        if ret == 0 {
            Ok(())
        } else {
            Err(fmt::Error)
        }
    }
}

/// Writes to a [`SeqFile`] with Rust's formatting syntax, as `pr_info!`
/// does to the log: `seq_print!(m, "{} items\n", n)`.
#[macro_export]
macro_rules! seq_print {
    ($m:expr, $($arg:tt)+) => (
        $m.call_printf($crate::prelude::fmt!($($arg)+))
    );
}
pub use seq_print;
