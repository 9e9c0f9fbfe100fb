// SPDX-License-Identifier: GPL-2.0-only
//! Open files (`struct file`): [`File`], [`LocalFile`], their flags, and
//! reserving a file descriptor ([`FileDescriptorReservation`]).
//!
//! The two file types differ in what they promise about `fdget_pos`:
//! the file position of a file that only one thread can reach is used
//! without its lock, so such a file must stay on that thread
//! ([`LocalFile`]), while a [`File`] may go anywhere.

use crate::{
    bindings,
    cred::Credential,
    error::{code::*, to_result, Error, Result},
    sync::aref::{ARef, AlwaysRefCounted},
    types::{NotThreadSafe, Opaque},
};
use core::{fmt, ptr};

/// A file position or offset (C `loff_t`).
pub type Offset = bindings::loff_t;

/// The `O_*` flags of [`LocalFile::flags`] (`include/uapi/asm-generic/fcntl.h`).
pub mod flags {
    use crate::bindings;

    /// Every write goes to the end of the file.
    pub const O_APPEND: u32 = bindings::O_APPEND as u32;
    /// Signal-driven I/O (`FASYNC`).
    pub const O_ASYNC: u32 = bindings::FASYNC as u32;
    /// Close the descriptor across `execve`.
    pub const O_CLOEXEC: u32 = bindings::O_CLOEXEC as u32;
    /// Create the file if it does not exist.
    pub const O_CREAT: u32 = bindings::O_CREAT as u32;
    /// Bypass the page cache where possible.
    pub const O_DIRECT: u32 = bindings::O_DIRECT as u32;
    /// Fail unless the path is a directory.
    pub const O_DIRECTORY: u32 = bindings::O_DIRECTORY as u32;
    /// Writes complete with their data on stable storage.
    pub const O_DSYNC: u32 = bindings::O_DSYNC as u32;
    /// With `O_CREAT`: fail if the file exists.
    pub const O_EXCL: u32 = bindings::O_EXCL as u32;
    /// Offsets may exceed 31 bits.
    pub const O_LARGEFILE: u32 = bindings::O_LARGEFILE as u32;
    /// Reads do not update the access time.
    pub const O_NOATIME: u32 = bindings::O_NOATIME as u32;
    /// A terminal does not become the controlling one.
    pub const O_NOCTTY: u32 = bindings::O_NOCTTY as u32;
    /// Fail if the last path component is a symbolic link.
    pub const O_NOFOLLOW: u32 = bindings::O_NOFOLLOW as u32;
    /// Operations do not block.
    pub const O_NONBLOCK: u32 = bindings::O_NONBLOCK as u32;
    /// Same as `O_NONBLOCK` on this architecture.
    pub const O_NDELAY: u32 = bindings::O_NDELAY as u32;
    /// A descriptor for the path only, not its contents.
    pub const O_PATH: u32 = bindings::O_PATH as u32;
    /// Writes complete with data and metadata on stable storage.
    pub const O_SYNC: u32 = bindings::O_SYNC as u32;
    /// An unnamed temporary file in the given directory.
    pub const O_TMPFILE: u32 = bindings::O_TMPFILE as u32;
    /// Truncate the file to length 0 on open.
    pub const O_TRUNC: u32 = bindings::O_TRUNC as u32;
    /// Mask of the access mode (`O_RDONLY`, `O_WRONLY` or `O_RDWR`).
    pub const O_ACCMODE: u32 = bindings::O_ACCMODE as u32;
    /// Read only.
    pub const O_RDONLY: u32 = bindings::O_RDONLY as u32;
    /// Write only.
    pub const O_WRONLY: u32 = bindings::O_WRONLY as u32;
    /// Read and write.
    pub const O_RDWR: u32 = bindings::O_RDWR as u32;
}

/// An open file that may be used from any thread.
///
/// # Invariants
///
/// `inner` is a `struct file` with a non-zero refcount, and every
/// `fdget_pos` on it that skipped `f_pos_lock` ended before this `File`
/// was made (so no thread uses its position unlocked).
#[repr(transparent)]
pub struct File {
    inner: Opaque<bindings::file>,
}

// SAFETY: by the invariants nobody uses the file position without its
// lock, and the other fields are the VFS's to synchronise.
unsafe impl Send for File {}
// SAFETY: as for `Send`: shared use from several threads is what the VFS
// expects of a file that is not thread-local.
unsafe impl Sync for File {}

// SAFETY: a `File` always has a non-zero refcount (invariants);
// `get_file`/`fput` take and drop one.
unsafe impl AlwaysRefCounted for File {
    #[inline]
    fn inc_ref(&self) {
        // SAFETY: `&self` shows the refcount is non-zero.
        unsafe { bindings::get_file(self.as_ptr()) };
    }

    #[inline]
    unsafe fn dec_ref(obj: ptr::NonNull<File>) {
        // SAFETY: the caller gives up one reference, which `fput` drops;
        // `File` is a transparent `struct file`.
        unsafe { bindings::fput(obj.cast().as_ptr()) }
    }
}

impl File {
    /// The file at `ptr`, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a `struct file` that stays valid (refcount
    /// non-zero) for `'a`, with no `fdget_pos` that skipped `f_pos_lock`
    /// active on another thread during `'a`.
    #[inline]
    pub unsafe fn from_raw_file<'a>(ptr: *const bindings::file) -> &'a File {
        // SAFETY: `File` is a transparent `struct file`, valid for `'a`
        // by the caller's promise, which also gives the invariants.
        unsafe { &*ptr.cast() }
    }
}

impl core::ops::Deref for File {
    type Target = LocalFile;

    #[inline]
    fn deref(&self) -> &LocalFile {
        // SAFETY: a `File` meets every condition of a `LocalFile` (the
        // latter only promises less), for as long as `self` is borrowed.
        unsafe { LocalFile::from_raw_file(ptr::from_ref(self).cast()) }
    }
}

/// An open file that may have an active unlocked `fdget_pos` on the
/// current thread, so it must stay on this thread (not `Send`/`Sync`).
///
/// # Invariants
///
/// `inner` is a `struct file` with a non-zero refcount, and every
/// `fdget_pos` on it that skipped `f_pos_lock` runs on the thread that
/// holds this `LocalFile`.
#[repr(transparent)]
pub struct LocalFile {
    inner: Opaque<bindings::file>,
}

// SAFETY: a `LocalFile` always has a non-zero refcount (invariants);
// `get_file`/`fput` take and drop one.
unsafe impl AlwaysRefCounted for LocalFile {
    #[inline]
    fn inc_ref(&self) {
        // SAFETY: `&self` shows the refcount is non-zero.
        unsafe { bindings::get_file(self.as_ptr()) };
    }

    #[inline]
    unsafe fn dec_ref(obj: ptr::NonNull<LocalFile>) {
        // SAFETY: the caller gives up one reference, which `fput` drops;
        // `LocalFile` is a transparent `struct file`.
        unsafe { bindings::fput(obj.cast().as_ptr()) }
    }
}

impl LocalFile {
    /// Takes a reference to the file of descriptor `fd` of the current
    /// process; [`BadFdError`] if `fd` is not open.
    #[inline]
    pub fn fget(fd: u32) -> Result<ARef<LocalFile>, BadFdError> {
        // SAFETY: `fget` accepts any descriptor number.
        let raw = unsafe { bindings::fget(fd) };
        let file = ptr::NonNull::new(raw).ok_or(BadFdError)?;
        // SAFETY: `fget` took a reference, which the `ARef` now owns. The
        // file is in this thread's table, so an unlocked `fdget_pos` on
        // it can only be on this thread (invariants).
        Ok(unsafe { ARef::from_raw(file.cast()) })
    }

    /// The file at `ptr`, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a `struct file` that stays valid (refcount
    /// non-zero) for `'a`, with no `fdget_pos` that skipped `f_pos_lock`
    /// active on another thread during `'a`.
    #[inline]
    pub unsafe fn from_raw_file<'a>(ptr: *const bindings::file) -> &'a LocalFile {
        // SAFETY: `LocalFile` is a transparent `struct file`, valid for
        // `'a` by the caller's promise, which also gives the invariants.
        unsafe { &*ptr.cast() }
    }

    /// Turns a `LocalFile` reference into a [`File`] one.
    ///
    /// # Safety
    ///
    /// No `fdget_pos` that skipped `f_pos_lock` may be active on the
    /// current thread for this file.
    #[inline]
    pub unsafe fn assume_no_fdget_pos(me: ARef<LocalFile>) -> ARef<File> {
        // SAFETY: same layout; with the caller's promise the `File`
        // invariants hold, and the reference moves over unchanged.
        unsafe { ARef::from_raw(ARef::into_raw(me).cast()) }
    }

    /// The C `struct file`.
    #[inline]
    pub fn as_ptr(&self) -> *mut bindings::file {
        self.inner.get()
    }

    /// The credentials of the task that opened the file, as they were at
    /// open time.
    #[inline]
    pub fn cred(&self) -> &Credential {
        // SAFETY: the file is valid (`&self`), and `f_cred` is set at open
        // and not changed afterwards, so reading it races with no writer.
        let cred = unsafe { (*self.as_ptr()).f_cred };
        // SAFETY: the file holds a reference to its `f_cred` until it is
        // freed, which cannot happen while `self` is borrowed.
        unsafe { Credential::from_ptr(cred) }
    }

    /// The file's `O_*` flags (see [`flags`]), read once: `fcntl` may
    /// change some of them at any time.
    #[inline]
    pub fn flags(&self) -> u32 {
        // SAFETY: the file is valid (`&self`); a volatile read is the
        // kernel's READ_ONCE of a field others may update.
        unsafe { ptr::addr_of!((*self.as_ptr()).f_flags).read_volatile() }
    }
}

/// A file descriptor number reserved in the current process, to be given
/// a file with [`FileDescriptorReservation::fd_install`] or released when
/// dropped. It must stay on the thread that reserved it.
///
/// # Invariants
///
/// `fd` came from `get_unused_fd_flags` on this task and has not been
/// installed or put.
pub struct FileDescriptorReservation {
    fd: u32,
    _not_send: NotThreadSafe,
}

impl FileDescriptorReservation {
    /// Reserves the lowest free descriptor, with `flags` (e.g.
    /// [`flags::O_CLOEXEC`]).
    #[inline]
    pub fn get_unused_fd_flags(flags: u32) -> Result<Self> {
        // SAFETY: any flags are accepted.
        let fd = unsafe { bindings::get_unused_fd_flags(flags) };
        to_result(fd)?;
        Ok(Self {
            fd: fd as u32,
            _not_send: NotThreadSafe,
        })
    }

    /// The reserved descriptor number.
    #[inline]
    pub fn reserved_fd(&self) -> u32 {
        self.fd
    }

    /// Makes the descriptor refer to `file`, handing over the reservation
    /// and the reference: from here on user space owns both.
    #[inline]
    pub fn fd_install(self, file: ARef<File>) {
        // SAFETY: by the invariants `fd` is reserved on this task, which
        // we are on (`!Send`). `fd_install` takes the reference `file`
        // owns; a `File` has no unlocked `fdget_pos` in progress.
        unsafe { bindings::fd_install(self.fd, file.as_ptr()) };
        // Both now belong to the descriptor table.
        core::mem::forget(file);
        core::mem::forget(self);
    }
}

impl Drop for FileDescriptorReservation {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: by the invariants `fd` is reserved and unused, on this
        // task.
        unsafe { bindings::put_unused_fd(self.fd) };
    }
}

/// [`LocalFile::fget`]'s error: the descriptor is not open. Converts to
/// [`EBADF`].
#[derive(Copy, Clone, Eq, PartialEq)]
pub struct BadFdError;

impl From<BadFdError> for Error {
    #[inline]
    fn from(_: BadFdError) -> Error {
        EBADF
    }
}

impl fmt::Debug for BadFdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("EBADF")
    }
}
