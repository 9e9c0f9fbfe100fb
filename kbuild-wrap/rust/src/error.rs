//! Kernel errors: an [`Error`] is one errno value. Kernel functions return
//! `-errno`; [`Error::to_errno`] gives that form back for C.
//!
//! The numbers are user-space ABI (include/uapi/asm-generic/errno-base.h
//! and errno.h), the same on every kernel.

use core::alloc::LayoutError;
use core::fmt;

use alloc::collections::TryReserveError;

/// An errno value (kept positive: `Error::EFAULT.errno() == 14`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(i32);

/// `Result<T, Error>`, `T = ()` by default.
pub type Result<T = (), E = Error> = core::result::Result<T, E>;

macro_rules! errnos {
    ($($name:ident = $value:literal: $doc:literal,)*) => {
        impl Error {
            $(
                #[doc = $doc]
                pub const $name: Error = Error($value);
            )*

            /// The symbolic name ("EFAULT"), if the value is one we know.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some(stringify!($name)),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    EPERM = 1: "Operation not permitted",
    ENOENT = 2: "No such file or directory",
    EINTR = 4: "Interrupted system call",
    EIO = 5: "I/O error",
    ENXIO = 6: "No such device or address",
    E2BIG = 7: "Argument list too long",
    EBADF = 9: "Bad file number",
    EAGAIN = 11: "Try again",
    ENOMEM = 12: "Out of memory",
    EACCES = 13: "Permission denied",
    EFAULT = 14: "Bad address",
    EBUSY = 16: "Device or resource busy",
    EEXIST = 17: "File exists",
    ENODEV = 19: "No such device",
    EINVAL = 22: "Invalid argument",
    ENOTTY = 25: "Not a typewriter",
    EFBIG = 27: "File too large",
    ENOSPC = 28: "No space left on device",
    ESPIPE = 29: "Illegal seek",
    ERANGE = 34: "Math result not representable",
    ENOSYS = 38: "Invalid system call number",
    EOVERFLOW = 75: "Value too large for defined data type",
    EOPNOTSUPP = 95: "Operation not supported on transport endpoint",
    ETIMEDOUT = 110: "Connection timed out",
}

impl Error {
    /// From a kernel return value or errno, either sign (`-14` or `14`).
    /// Values outside 1..=4095 (MAX_ERRNO) become `EINVAL`.
    pub fn from_errno(errno: i32) -> Error {
        let e = errno.checked_abs().unwrap_or(0);
        if (1..=4095).contains(&e) {
            Error(e)
        } else {
            Error::EINVAL
        }
    }

    /// The positive errno value.
    pub fn errno(self) -> i32 {
        self.0
    }

    /// The kernel's return form, `-errno`.
    pub fn to_errno(self) -> i32 {
        -self.0
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "errno {}", self.0),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl From<TryReserveError> for Error {
    fn from(_: TryReserveError) -> Error {
        Error::ENOMEM
    }
}

impl From<LayoutError> for Error {
    fn from(_: LayoutError) -> Error {
        Error::ENOMEM
    }
}

impl From<core::fmt::Error> for Error {
    fn from(_: core::fmt::Error) -> Error {
        Error::EINVAL
    }
}
