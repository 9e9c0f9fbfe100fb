//! Kernel errors: an [`Error`] is one errno value. Kernel functions return
//! `-errno`; [`Error::to_errno`] gives that form back for C.
//!
//! The numbers are the target kernel's (`crate::bindings`, generated from
//! include/uapi/asm-generic/errno-base.h and errno.h).

use core::alloc::LayoutError;
use core::fmt;

use alloc::collections::TryReserveError;

/// An errno value (kept positive: `Error::EFAULT.errno() == 14`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(i32);

/// `Result<T, Error>`, `T = ()` by default.
pub type Result<T = (), E = Error> = core::result::Result<T, E>;

macro_rules! errnos {
    ($($name:ident: $doc:literal,)*) => {
        impl Error {
            $(
                #[doc = $doc]
                pub const $name: Error = Error(crate::bindings::$name as i32);
            )*

            /// The symbolic name ("EFAULT"), if the value is one we know.
            pub fn name(self) -> Option<&'static str> {
                $(if self.0 == crate::bindings::$name as i32 {
                    return Some(stringify!($name));
                })*
                None
            }
        }
    };
}

errnos! {
    EPERM: "Operation not permitted",
    ENOENT: "No such file or directory",
    EINTR: "Interrupted system call",
    EIO: "I/O error",
    ENXIO: "No such device or address",
    E2BIG: "Argument list too long",
    EBADF: "Bad file number",
    EAGAIN: "Try again",
    ENOMEM: "Out of memory",
    EACCES: "Permission denied",
    EFAULT: "Bad address",
    EBUSY: "Device or resource busy",
    EEXIST: "File exists",
    ENODEV: "No such device",
    EINVAL: "Invalid argument",
    ENOTTY: "Not a typewriter",
    EFBIG: "File too large",
    ENOSPC: "No space left on device",
    ESPIPE: "Illegal seek",
    ERANGE: "Math result not representable",
    ENOSYS: "Invalid system call number",
    EOVERFLOW: "Value too large for defined data type",
    EOPNOTSUPP: "Operation not supported on transport endpoint",
    ETIMEDOUT: "Connection timed out",
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
