// SPDX-License-Identifier: GPL-2.0-only
//! Kernel errors: [`Error`], a negative errno, and [`Result`], whose error
//! defaults to it.
//!
//! The errno values come from the target kernel's headers (through
//! [`bindings`](crate::bindings)); their names, for `Debug`, come from a
//! table in helpers/kelfix_core.c.

use crate::{
    alloc::{layout::LayoutError, AllocError},
    fmt,
    str::CStr,
};

use core::num::{NonZeroI32, TryFromIntError};
use core::str::Utf8Error;

extern "C" {
    fn kelfix_core_errname(err: core::ffi::c_int) -> *const core::ffi::c_char;
}

/// The errno constants, as [`Error`] values (`code::ENOMEM.to_errno()` is
/// `-12`).
pub mod code {
    macro_rules! errnos {
        ($($name:ident)*) => {$(
            #[doc = concat!("The kernel's `-", stringify!($name), "`.")]
            pub const $name: super::Error = super::Error::from_const(crate::bindings::$name);
        )*};
    }

    // include/uapi/asm-generic/errno-base.h and errno.h.
    errnos! {
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

    // include/linux/errno.h: never seen by userspace.
    errnos! {
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
        core::ptr::without_provenance_mut(self.0.get() as isize as usize)
    }

    /// The errno's symbolic name (`ENOMEM`), if it has one.
    pub fn name(&self) -> Option<&'static CStr> {
        // SAFETY: the helper reads nothing but its argument.
        let ptr = unsafe { kelfix_core_errname(self.0.get()) };
        if ptr.is_null() {
            return None;
        }
        // SAFETY: the helper returns NULL or a string literal of its table.
        Some(unsafe { CStr::from_ptr(ptr) })
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
    let value = ptr.addr() as isize;
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
