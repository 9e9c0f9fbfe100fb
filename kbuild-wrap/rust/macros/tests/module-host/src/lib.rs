// SPDX-License-Identifier: GPL-2.0-only
//! `module!` on the host: the expansion of a module with every key, linked
//! with the `kernel` crate's own `module.rs` and `module_param.rs` over a
//! stand-in for the kernel (the bindings they use, `kstrto*` included, and
//! minimal `error` and `str` modules). The tests call what the kernel
//! calls: `init_module`, `cleanup_module` and the `set` operation of the
//! `struct kernel_param`s in the `__param` section.
#![allow(clippy::missing_safety_doc)]

extern crate self as kernel;

pub use module::{InPlaceModule, Module, ModuleMetadata, ThisModule};

#[path = "../../../../kernel/src/module.rs"]
pub mod module;
#[path = "../../../../kernel/src/module_param.rs"]
pub mod module_param;

pub mod ffi {
    pub use core::ffi::*;
}

/// The kernel's declarations that `module!` and the module code use.
#[allow(non_camel_case_types, non_upper_case_globals)]
pub mod bindings {
    use core::ffi::{c_char, c_int, c_uint, c_void, CStr};

    #[repr(C)]
    pub struct module {
        pub name: [u8; 56],
    }

    #[unsafe(no_mangle)]
    pub static mut __this_module: module = module { name: [0; 56] };

    #[repr(C)]
    #[derive(Copy, Clone)]
    pub struct kernel_param_ops {
        pub flags: c_uint,
        pub set: Option<unsafe extern "C" fn(*const c_char, *const kernel_param) -> c_int>,
        pub get: Option<unsafe extern "C" fn(*mut c_char, *const kernel_param) -> c_int>,
        pub free: Option<unsafe extern "C" fn(*mut c_void)>,
    }

    #[repr(C)]
    #[derive(Copy, Clone)]
    pub union kernel_param____anon_0 {
        pub arg: *mut c_void,
    }

    #[repr(C)]
    #[derive(Copy, Clone)]
    pub struct kernel_param {
        pub name: *const c_char,
        pub mod_: *mut module,
        pub ops: *const kernel_param_ops,
        pub perm: u16,
        pub level: i8,
        pub flags: u8,
        pub __anon_0: kernel_param____anon_0,
    }

    /// sysfs' buffer size, which the `get` operation writes into.
    pub const PAGE_SIZE: usize = 4096;

    const EINVAL: c_int = -22;
    const ERANGE: c_int = -34;

    /// The kernel's base-0 integer syntax: an optional sign (`negative`
    /// allowed or not), `0x` hex, `0` octal or decimal, one optional
    /// trailing newline; the magnitude.
    fn parse(s: *const c_char, negative_ok: bool) -> Result<(bool, u64), c_int> {
        // SAFETY: the callers pass NUL-terminated strings.
        let text = unsafe { CStr::from_ptr(s) }.to_str().map_err(|_| EINVAL)?;
        let text = text.strip_suffix('\n').unwrap_or(text);
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) if negative_ok => (true, rest),
            Some(_) => return Err(EINVAL),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (radix, digits) = match text.strip_prefix("0x").or(text.strip_prefix("0X")) {
            Some(hex) => (16, hex),
            None if text.len() > 1 && text.starts_with('0') => (8, &text[1..]),
            None => (10, text),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return Err(EINVAL);
        }
        u64::from_str_radix(digits, radix)
            .map(|m| (negative, m))
            .map_err(|_| ERANGE)
    }

    pub unsafe fn kstrtoll(s: *const c_char, base: c_uint, res: *mut i64) -> c_int {
        assert_eq!(base, 0);
        let value = parse(s, true).and_then(|(negative, m)| match negative {
            true => 0i64.checked_sub_unsigned(m).ok_or(ERANGE),
            false => i64::try_from(m).map_err(|_| ERANGE),
        });
        match value {
            Ok(v) => {
                // SAFETY: `res` is valid for writes (kstrtoll's contract).
                unsafe { res.write(v) };
                0
            }
            Err(e) => e,
        }
    }

    pub unsafe fn kstrtoull(s: *const c_char, base: c_uint, res: *mut u64) -> c_int {
        assert_eq!(base, 0);
        match parse(s, false) {
            Ok((_, v)) => {
                // SAFETY: `res` is valid for writes (kstrtoull's contract).
                unsafe { res.write(v) };
                0
            }
            Err(e) => e,
        }
    }

    pub unsafe fn kstrtobool(s: *const c_char, res: *mut bool) -> c_int {
        // SAFETY: `s` is NUL-terminated (kstrtobool's contract).
        let value = match unsafe { CStr::from_ptr(s) }.to_bytes() {
            [b'y' | b'Y' | b'1', ..] | [b'o' | b'O', b'n' | b'N', ..] => true,
            [b'n' | b'N' | b'0', ..] | [b'o' | b'O', b'f' | b'F', ..] => false,
            _ => return EINVAL,
        };
        // SAFETY: `res` is valid for writes (kstrtobool's contract).
        {
            unsafe { res.write(value) };
            0
        }
    }
}

/// The parts of the kernel crate's `error` that the module code uses.
pub mod error {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Error(core::ffi::c_int);

    pub type Result<T = (), E = Error> = core::result::Result<T, E>;

    pub mod code {
        use super::Error;
        pub const EEXIST: Error = Error(-17);
        pub const EINVAL: Error = Error(-22);
        pub const ENOMEM: Error = Error(-12);
        pub const ERANGE: Error = Error(-34);
    }

    impl Error {
        pub fn from_errno(errno: core::ffi::c_int) -> Error {
            Error(errno)
        }

        pub fn to_errno(self) -> core::ffi::c_int {
            self.0
        }
    }
}

/// The parts of the kernel crate's `str` that the module code uses.
pub mod str {
    pub use core::ffi::CStr;

    pub const fn as_char_ptr_in_const_context(s: &CStr) -> *const crate::ffi::c_char {
        s.as_ptr().cast()
    }

    /// The kernel crate's formatter into raw memory, as module_param uses
    /// it: writes what fits, counts everything.
    pub struct RawFormatter {
        buf: *mut u8,
        len: usize,
        written: usize,
    }

    impl RawFormatter {
        /// # Safety
        ///
        /// The `len` bytes at `buf` are writable for the formatter's life.
        pub unsafe fn from_buffer(buf: *mut u8, len: usize) -> Self {
            Self { buf, len, written: 0 }
        }

        pub fn bytes_written(&self) -> usize {
            self.written
        }
    }

    impl core::fmt::Write for RawFormatter {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            let n = s.len().min(self.len.saturating_sub(self.written));
            // SAFETY: `[written, written + n)` lies in the buffer.
            unsafe { core::ptr::copy_nonoverlapping(s.as_ptr(), self.buf.add(self.written), n) };
            self.written += s.len();
            Ok(())
        }
    }

    #[repr(transparent)]
    pub struct BStr([u8]);

    impl BStr {
        pub const fn from_bytes(bytes: &[u8]) -> &Self {
            // SAFETY: `BStr` is a transparent `[u8]`.
            unsafe { &*(core::ptr::from_ref(bytes) as *const BStr) }
        }
    }

    impl core::ops::Deref for BStr {
        type Target = [u8];

        fn deref(&self) -> &[u8] {
            &self.0
        }
    }
}

#[cfg(test)]
mod tests;
