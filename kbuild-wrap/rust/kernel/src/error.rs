// SPDX-License-Identifier: GPL-2.0-only
//! Kernel errors: [`Error`], a negative errno, and [`Result`], whose error
//! defaults to it.
//!
//! The errno values come from the target kernel's headers (through
//! [`bindings`](crate::bindings)); `Debug` prints their names (the
//! kernel's `errname()` is exported only from 6.12 on, so the table is
//! this module's own).

use crate::{
    alloc::{layout::LayoutError, AllocError},
    fmt,
    str::CStr,
};

use core::num::{NonZeroI32, TryFromIntError};
use core::str::Utf8Error;

/// The errno constants, as [`Error`] values (`code::ENOMEM.to_errno()` is
/// `-12`).
pub mod code {
    use crate::str::CStr;

    /// Declares the errnos `$name`, and `$lookup`, the name of a positive
    /// errno among them.
    macro_rules! errnos {
        ($lookup:ident: $($name:ident)*) => {
            $(
                #[doc = concat!("The kernel's `-", stringify!($name), "`.")]
                pub const $name: super::Error = super::Error::from_const(crate::bindings::$name);
            )*

            pub(super) fn $lookup(errno: crate::ffi::c_int) -> Option<&'static CStr> {
                match errno {
                    $(crate::bindings::$name => Some(crate::c_str!(stringify!($name))),)*
                    _ => None,
                }
            }
        };
    }

    // include/uapi/asm-generic/errno-base.h and errno.h.
    errnos! {
        uapi_name:
        EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES
        EFAULT ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY
        ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EDEADLK ENAMETOOLONG ENOLCK
        ENOSYS ENOTEMPTY ELOOP ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG EUNATCH ENOCSI
        EL2HLT EBADE EBADR EXFULL ENOANO EBADRQC EBADSLT EBFONT ENOSTR ENODATA ETIME ENOSR
        ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT EBADMSG
        EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ
        ERESTART ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT
        EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE
        EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS EISCONN
        ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH EALREADY
        EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM
        EMEDIUMTYPE ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED EKEYREJECTED EOWNERDEAD
        ENOTRECOVERABLE ERFKILL EHWPOISON
    }

    /// The kernel's `-EFSBADCRC`: a checksum mismatch, the same number as
    /// [`EBADMSG`] (filesystems define it so).
    pub const EFSBADCRC: super::Error = EBADMSG;
    /// The kernel's `-EFSCORRUPTED`: the same number as [`EUCLEAN`]
    /// (filesystems define it so).
    pub const EFSCORRUPTED: super::Error = EUCLEAN;
    /// The kernel's `-EFTYPE` (wrong file type), 134 in uapi
    /// asm-generic/errno.h from 7.x on; kernels before have no such errno
    /// and pass the number through unnamed.
    pub const EFTYPE: super::Error = super::Error::from_const(134);

    /// The name of the positive errno `errno`, if it is one of these.
    pub(super) fn name(errno: crate::ffi::c_int) -> Option<&'static CStr> {
        match errno {
            134 => Some(c"EFTYPE"),
            _ => uapi_name(errno).or_else(|| kernel_name(errno)),
        }
    }

    // include/linux/errno.h: never seen by userspace.
    errnos! {
        kernel_name:
        ERESTARTSYS ERESTARTNOINTR ERESTARTNOHAND ENOIOCTLCMD ERESTART_RESTARTBLOCK
        EPROBE_DEFER EOPENSTALE ENOPARAM EBADHANDLE ENOTSYNC EBADCOOKIE ENOTSUPP ETOOSMALL
        ESERVERFAULT EBADTYPE EJUKEBOX EIOCBQUEUED ERECALLCONFLICT ENOGRACE
    }
}

/// A kernel error: a negative errno, as C functions return them.
///
/// # Invariants
///
/// The value is in `-MAX_ERRNO..=-1`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(NonZeroI32);

impl Error {
    /// The error for the negative errno `errno`. A value that is not one
    /// (zero, positive, or below `-MAX_ERRNO`) is a bug of the caller: it
    /// is logged and becomes [`code::EINVAL`].
    pub fn from_errno(errno: crate::ffi::c_int) -> Error {
        match Self::try_from_errno(errno) {
            Some(error) => error,
            None => {
                crate::print::call_printk_warn(format_args!(
                    "Error::from_errno: {errno} is not a negative errno\n"
                ));
                code::EINVAL
            }
        }
    }

    /// The error for `errno` if it is a negative errno, else `None`.
    pub(crate) const fn try_from_errno(errno: crate::ffi::c_int) -> Option<Error> {
        if errno >= 0 || errno < -crate::bindings::MAX_ERRNO {
            return None;
        }
        // SAFETY: `errno` was just checked to be in range.
        Some(unsafe { Error::from_errno_unchecked(errno) })
    }

    /// The error for the errno `errno` without a check.
    ///
    /// # Safety
    ///
    /// `errno` must be in `-MAX_ERRNO..=-1`.
    pub(crate) const unsafe fn from_errno_unchecked(errno: crate::ffi::c_int) -> Error {
        // INVARIANT: the caller guarantees the range.
        // SAFETY: a value in that range is not zero.
        Error(unsafe { NonZeroI32::new_unchecked(errno) })
    }

    /// The error for a positive errno constant of the headers; a value out
    /// of range stops the build (it is evaluated in constant context).
    const fn from_const(errno: crate::ffi::c_int) -> Error {
        match Self::try_from_errno(-errno) {
            Some(error) => error,
            None => panic!("an errno constant out of range"),
        }
    }

    /// The negative errno, as C wants it returned.
    pub fn to_errno(self) -> crate::ffi::c_int {
        self.0.get()
    }

    /// The error as an `ERR_PTR()` pointer.
    pub fn to_ptr<T>(self) -> *mut T {
        // ERR_PTR() is the cast of the negative value (include/linux/err.h).
        self.0.get() as isize as *mut T
    }

    /// The errno's symbolic name (`ENOMEM`), if it has one.
    pub fn name(&self) -> Option<&'static CStr> {
        code::name(-self.0.get())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name().and_then(|name| name.to_str().ok()) {
            Some(name) => f.debug_tuple(name).finish(),
            None => f.debug_tuple("Error").field(&-self.0.get()).finish(),
        }
    }
}

impl From<AllocError> for Error {
    fn from(_: AllocError) -> Error {
        code::ENOMEM
    }
}

impl From<TryFromIntError> for Error {
    fn from(_: TryFromIntError) -> Error {
        code::EINVAL
    }
}

impl From<Utf8Error> for Error {
    fn from(_: Utf8Error) -> Error {
        code::EINVAL
    }
}

impl From<LayoutError> for Error {
    fn from(_: LayoutError) -> Error {
        code::ENOMEM
    }
}

impl From<fmt::Error> for Error {
    fn from(_: fmt::Error) -> Error {
        code::EINVAL
    }
}

impl From<core::convert::Infallible> for Error {
    fn from(e: core::convert::Infallible) -> Error {
        match e {}
    }
}

/// The kernel's result type: `Result` is `Result<(), Error>`.
pub type Result<T = (), E = Error> = core::result::Result<T, E>;

/// `Ok(())` for a C return value that is zero or positive, the error for a
/// negative errno.
pub fn to_result(err: crate::ffi::c_int) -> Result {
    if err < 0 {
        Err(Error::from_errno(err))
    } else {
        Ok(())
    }
}

/// Splits a pointer a C function returned into the pointer and the error
/// an `ERR_PTR()` value encodes (`IS_ERR()`, include/linux/err.h).
pub fn from_err_ptr<T>(ptr: *mut T) -> Result<*mut T> {
    let value = ptr as isize;
    if value < 0 && value >= -(crate::bindings::MAX_ERRNO as isize) {
        // SAFETY: `value` was just checked to be in `-MAX_ERRNO..=-1`.
        return Err(unsafe { Error::from_errno_unchecked(value as crate::ffi::c_int) });
    }
    Ok(ptr)
}

/// Runs `f` and turns its result into what a C callback returns: the value,
/// or the negative errno converted from an `i16` (every errno fits).
pub fn from_result<T, F>(f: F) -> T
where
    T: From<i16>,
    F: FnOnce() -> Result<T>,
{
    match f() {
        Ok(v) => v,
        // `-MAX_ERRNO` (-4095) fits in an `i16`.
        Err(e) => T::from(e.to_errno() as i16),
    }
}

/// The message of the `build_error!` in the default body of a `#[vtable]`
/// trait method that C never calls when the method is not implemented.
pub const VTABLE_DEFAULT_ERROR: &str =
    "This function must not be called, see the #[vtable] documentation.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_range_is_minus_max_errno_to_minus_one() {
        assert!(Error::try_from_errno(0).is_none());
        assert!(Error::try_from_errno(1).is_none());
        assert!(Error::try_from_errno(-4096).is_none());
        assert_eq!(
            Error::try_from_errno(-4095).map(Error::to_errno),
            Some(-4095)
        );
        assert_eq!(Error::try_from_errno(-1).map(Error::to_errno), Some(-1));
    }

    #[test]
    fn codes_are_the_negated_header_values() {
        assert_eq!(code::EPERM.to_errno(), -1);
        assert_eq!(code::ENOMEM.to_errno(), -12);
        assert_eq!(code::EINVAL.to_errno(), -22);
        assert_eq!(code::ERESTARTSYS.to_errno(), -512);
        assert_eq!(code::ENOGRACE.to_errno(), -531);
        assert!(code::EFSBADCRC == code::EBADMSG);
        assert!(code::EFSCORRUPTED == code::EUCLEAN);
        assert_eq!(code::EFTYPE.to_errno(), -134);
    }

    #[test]
    fn err_ptr_round_trip() {
        let p: *mut u8 = code::ENOSPC.to_ptr();
        assert_eq!(p as isize, -28);
        assert!(from_err_ptr(p) == Err(code::ENOSPC));
        let q = 0x1000 as *mut u8;
        assert!(from_err_ptr(q) == Ok(q));
        assert!(from_err_ptr(core::ptr::null_mut::<u8>()).is_ok());
        // Just below the error range: a pointer.
        let r = -4096isize as *mut u8;
        assert!(from_err_ptr(r).is_ok());
    }

    #[test]
    fn debug_prints_the_name() {
        extern crate std;
        assert_eq!(std::format!("{:?}", code::ENOMEM), "ENOMEM");
        assert_eq!(std::format!("{:?}", code::EPROBE_DEFER), "EPROBE_DEFER");
        assert_eq!(std::format!("{:?}", code::EFSBADCRC), "EBADMSG");
        assert_eq!(std::format!("{:?}", code::EFTYPE), "EFTYPE");
        assert_eq!(
            std::format!("{:?}", code::ENOTRECOVERABLE),
            "ENOTRECOVERABLE"
        );
        let unnamed = Error::try_from_errno(-4000).unwrap();
        assert_eq!(std::format!("{unnamed:?}"), "Error(4000)");
        assert_eq!(code::EINVAL.name(), Some(c"EINVAL"));
    }

    #[test]
    fn results_convert() {
        assert!(to_result(0).is_ok());
        assert!(to_result(3).is_ok());
        assert!(to_result(-5) == Err(code::EIO));
        assert_eq!(from_result(|| Ok(7i32)), 7);
        assert_eq!(from_result::<i32, _>(|| Err(code::EBUSY)), -16);
        assert!(Error::from(AllocError) == code::ENOMEM);
        assert!(Error::from(fmt::Error) == code::EINVAL);
    }
}
