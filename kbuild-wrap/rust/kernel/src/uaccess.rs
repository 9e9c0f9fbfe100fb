// SPDX-License-Identifier: GPL-2.0-only
//! Access to user-space memory: [`UserPtr`] (an address in the calling
//! process), [`UserSlice`] (an address range) and the one-pass
//! [`UserSliceReader`] and [`UserSliceWriter`] made from it.
//!
//! Every copy goes through `copy_from_user`/`copy_to_user` (or
//! `strncpy_from_user`), which check the range against the current
//! process's address space: a bad address is [`EFAULT`], never undefined
//! behaviour. User memory may change under us at any time, so a reader
//! moves past every byte it returns and can never hand out the same bytes
//! twice (unless one asks for that with [`UserSliceReader::clone_reader`]):
//! a value checked once is the value used.

use crate::{
    alloc::{Allocator, Flags},
    bindings,
    error::{Error, Result},
    ffi::{c_char, c_ulong, c_void},
    fs::file,
    prelude::*,
    transmute::{AsBytes, FromBytes},
};
use core::mem::{size_of, MaybeUninit};

/// An address in user space (a C `void __user *`). Never dereferenced
/// directly: only the copy functions of this module read or write it.
#[repr(transparent)]
#[derive(Copy, Clone)]
pub struct UserPtr(*mut c_void);

// SAFETY: a `UserPtr` of all zeroes is the null user address, a valid
// value (using it fails with `EFAULT`).
unsafe impl Zeroable for UserPtr {}

impl UserPtr {
    /// The user address `addr` (e.g. an ioctl argument).
    #[inline]
    pub fn from_addr(addr: usize) -> Self {
        Self(addr as *mut c_void)
    }

    /// The user address held in a C pointer.
    #[inline]
    pub fn from_ptr(addr: *mut c_void) -> Self {
        Self(addr)
    }

    /// The address as a C `const void *`, for a kernel function taking a
    /// `const void __user *`.
    #[inline]
    pub fn as_const_ptr(self) -> *const c_void {
        self.0
    }

    /// The address as a C `void *`, for a kernel function taking a
    /// `void __user *`.
    #[inline]
    pub fn as_mut_ptr(self) -> *mut c_void {
        self.0
    }

    /// The address `add` bytes further on, wrapping around the top of the
    /// address space instead of overflowing.
    #[inline]
    pub fn wrapping_byte_add(self, add: usize) -> UserPtr {
        UserPtr(self.0.wrapping_byte_add(add))
    }
}

/// A range of user memory: `length` bytes from a [`UserPtr`].
///
/// Creating one checks nothing; each read or write checks its own bytes
/// and fails with [`EFAULT`] where they are not accessible. A slice is
/// turned into a [`UserSliceReader`], a [`UserSliceWriter`] or both, and
/// is consumed doing so.
pub struct UserSlice {
    ptr: UserPtr,
    length: usize,
}

impl UserSlice {
    /// The `length` bytes at `ptr`.
    pub fn new(ptr: UserPtr, length: usize) -> Self {
        UserSlice { ptr, length }
    }

    /// Appends the whole range to `buf` (growing it with `flags`).
    pub fn read_all<A: Allocator>(self, buf: &mut Vec<u8, A>, flags: Flags) -> Result {
        self.reader().read_all(buf, flags)
    }

    /// A reader over the range.
    pub fn reader(self) -> UserSliceReader {
        UserSliceReader {
            ptr: self.ptr,
            length: self.length,
        }
    }

    /// A writer over the range.
    pub fn writer(self) -> UserSliceWriter {
        UserSliceWriter {
            ptr: self.ptr,
            length: self.length,
        }
    }

    /// A reader and a writer over the same range, for a request that is
    /// read in and then answered in place.
    pub fn reader_writer(self) -> (UserSliceReader, UserSliceWriter) {
        let UserSlice { ptr, length } = self;
        (
            UserSliceReader { ptr, length },
            UserSliceWriter { ptr, length },
        )
    }
}

/// Reads a [`UserSlice`] front to back; every read consumes what it read.
pub struct UserSliceReader {
    ptr: UserPtr,
    length: usize,
}

impl UserSliceReader {
    /// Moves past `num_skip` bytes without reading them; [`EFAULT`] if
    /// fewer are left.
    pub fn skip(&mut self, num_skip: usize) -> Result {
        self.length = self.length.checked_sub(num_skip).ok_or(EFAULT)?;
        self.ptr = self.ptr.wrapping_byte_add(num_skip);
        Ok(())
    }

    /// A second reader over the bytes this one has left. Reading them
    /// twice is what this module otherwise prevents: the two reads may
    /// see different values.
    pub fn clone_reader(&self) -> UserSliceReader {
        UserSliceReader {
            ptr: self.ptr,
            length: self.length,
        }
    }

    /// Bytes left to read (reading them may still fail).
    pub fn len(&self) -> usize {
        self.length
    }

    /// Whether nothing is left to read.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Consumes `len` bytes after a successful copy of them.
    fn advance(&mut self, len: usize) {
        self.ptr = self.ptr.wrapping_byte_add(len);
        self.length -= len;
    }

    /// Fills `out` from the next `out.len()` bytes; [`EFAULT`] if fewer
    /// are left or the memory is not readable (then `out` may be partly
    /// written and nothing is consumed). On success every byte of `out`
    /// is initialised.
    pub fn read_raw(&mut self, out: &mut [MaybeUninit<u8>]) -> Result {
        let len = out.len();
        if len > self.length {
            return Err(EFAULT);
        }
        // SAFETY: `out` is valid for writes of `len` bytes; the user
        // address is only accessed by `copy_from_user`, which checks it.
        let left = unsafe {
            bindings::copy_from_user(
                out.as_mut_ptr().cast::<c_void>(),
                self.ptr.as_const_ptr(),
                len as c_ulong,
            )
        };
        if left != 0 {
            return Err(EFAULT);
        }
        self.advance(len);
        Ok(())
    }

    /// Fills `out` from the next `out.len()` bytes, as [`Self::read_raw`].
    pub fn read_slice(&mut self, out: &mut [u8]) -> Result {
        // SAFETY: `[u8]` and `[MaybeUninit<u8>]` have the same layout, and
        // `read_raw` only ever stores initialised bytes.
        let out = unsafe { &mut *(core::ptr::from_mut(out) as *mut [MaybeUninit<u8>]) };
        self.read_raw(out)
    }

    /// Reads into `out[offset..]` as much as both this reader and `out`
    /// allow; returns the number of bytes read (0 if `offset` is past the
    /// end of `out`).
    pub fn read_slice_partial(&mut self, out: &mut [u8], offset: usize) -> Result<usize> {
        let end = offset.saturating_add(self.length).min(out.len());
        match out.get_mut(offset..end) {
            Some(dst) => {
                self.read_slice(dst)?;
                Ok(dst.len())
            }
            None => Ok(0),
        }
    }

    /// [`Self::read_slice_partial`] at file position `*offset`, which is
    /// advanced by the bytes read: the body of a `write` into a buffer
    /// (C's `simple_write_to_buffer`). A negative position is [`EINVAL`].
    pub fn read_slice_file(&mut self, out: &mut [u8], offset: &mut file::Offset) -> Result<usize> {
        if *offset < 0 {
            return Err(EINVAL);
        }
        let Ok(start) = usize::try_from(*offset) else {
            return Ok(0);
        };
        let read = self.read_slice_partial(out, start)?;
        // No overflow: `start + read <= out.len() <= isize::MAX`.
        *offset += read as file::Offset;
        Ok(read)
    }

    /// Reads the next `size_of::<T>()` bytes as a `T`; [`EFAULT`] if
    /// fewer are left or they are not readable.
    pub fn read<T: FromBytes>(&mut self) -> Result<T> {
        let mut out = MaybeUninit::<T>::uninit();
        // SAFETY: a `MaybeUninit<T>` is `size_of::<T>()` bytes, any of
        // which may be uninitialised.
        let bytes = unsafe {
            core::slice::from_raw_parts_mut(
                out.as_mut_ptr().cast::<MaybeUninit<u8>>(),
                size_of::<T>(),
            )
        };
        self.read_raw(bytes)?;
        // SAFETY: `read_raw` succeeded, so all bytes of `out` are
        // initialised, and every bit pattern is a `T` (`T: FromBytes`).
        Ok(unsafe { out.assume_init() })
    }

    /// Appends everything left to `buf` (growing it with `flags`),
    /// consuming the reader.
    pub fn read_all<A: Allocator>(mut self, buf: &mut Vec<u8, A>, flags: Flags) -> Result {
        let len = self.length;
        buf.reserve(len, flags)?;
        self.read_raw(&mut buf.spare_capacity_mut()[..len])?;
        // SAFETY: `read_raw` initialised the first `len` bytes of the
        // spare capacity, which `reserve` made at least `len` long.
        unsafe { buf.inc_len(len) };
        Ok(())
    }

    /// Reads a NUL-terminated string of at most `buf.len()` bytes
    /// (terminator included) into `buf`, consuming the reader, and
    /// returns it. A string that fills `buf` is cut and terminated in its
    /// last byte. [`EINVAL`] for an empty `buf`; [`EFAULT`] if the memory
    /// is not readable, or if the reader ends before a terminator while
    /// `buf` still had room.
    #[doc(alias = "strncpy_from_user")]
    pub fn strcpy_into_buf(self, buf: &mut [u8]) -> Result<&CStr> {
        if buf.is_empty() {
            return Err(EINVAL);
        }
        let room = buf.len().min(self.length);
        let got = strncpy_from_user(&mut buf[..room], self.ptr)?;
        let len = if got < room {
            // Found the terminator at `buf[got]`.
            got + 1
        } else if room < buf.len() {
            // The reader ended before any terminator and before `buf` did.
            return Err(EFAULT);
        } else {
            // `buf` is full without a terminator: cut the last byte.
            buf[room - 1] = 0;
            room
        };
        CStr::from_bytes_with_nul(&buf[..len]).map_err(|_| EINVAL)
    }
}

/// Copies a string from `src` into `dst` (at most `dst.len()` bytes) and
/// returns its length without the terminator; when that is less than
/// `dst.len()`, `dst[len]` is the terminator, else `dst` holds no NUL.
fn strncpy_from_user(dst: &mut [u8], src: UserPtr) -> Result<usize> {
    // Slice lengths fit in `isize`, hence in `c_long`.
    let max = dst.len() as crate::ffi::c_long;
    // SAFETY: `dst` is valid for writes of `max` bytes; the function
    // checks the user address itself.
    let res = unsafe {
        bindings::strncpy_from_user(
            dst.as_mut_ptr().cast::<c_char>(),
            src.as_const_ptr().cast::<c_char>(),
            max,
        )
    };
    if res < 0 {
        return Err(Error::from_errno(res as i32));
    }
    Ok(res as usize)
}

/// Writes a [`UserSlice`] front to back; every write consumes the space
/// it filled.
pub struct UserSliceWriter {
    ptr: UserPtr,
    length: usize,
}

impl UserSliceWriter {
    /// Bytes of room left (writing them may still fail).
    pub fn len(&self) -> usize {
        self.length
    }

    /// Whether no room is left.
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Copies `len` bytes from `from` to the user range.
    ///
    /// # Safety
    ///
    /// `from` must be valid for reads of `len` bytes.
    unsafe fn write_raw(&mut self, from: *const u8, len: usize) -> Result {
        if len > self.length {
            return Err(EFAULT);
        }
        // SAFETY: the caller vouches for `from`; `copy_to_user` checks
        // the user address.
        let left = unsafe {
            bindings::copy_to_user(self.ptr.as_mut_ptr(), from.cast(), len as c_ulong)
        };
        if left != 0 {
            return Err(EFAULT);
        }
        self.ptr = self.ptr.wrapping_byte_add(len);
        self.length -= len;
        Ok(())
    }

    /// Writes all of `data`; [`EFAULT`] if it does not fit or the memory
    /// is not writable (user memory may then be partly written).
    pub fn write_slice(&mut self, data: &[u8]) -> Result {
        // SAFETY: `data` is valid for reads of `data.len()` bytes.
        unsafe { self.write_raw(data.as_ptr(), data.len()) }
    }

    /// Writes `data[offset..]`, cut to the room left; returns the number
    /// of bytes written (0 if `offset` is past the end of `data`).
    pub fn write_slice_partial(&mut self, data: &[u8], offset: usize) -> Result<usize> {
        let end = offset.saturating_add(self.length).min(data.len());
        match data.get(offset..end) {
            Some(src) => {
                self.write_slice(src)?;
                Ok(src.len())
            }
            None => Ok(0),
        }
    }

    /// [`Self::write_slice_partial`] from file position `*offset`, which
    /// is advanced by the bytes written: the body of a `read` of a buffer
    /// (C's `simple_read_from_buffer`). A negative position is
    /// [`EINVAL`].
    pub fn write_slice_file(&mut self, data: &[u8], offset: &mut file::Offset) -> Result<usize> {
        if *offset < 0 {
            return Err(EINVAL);
        }
        let Ok(start) = usize::try_from(*offset) else {
            return Ok(0);
        };
        let written = self.write_slice_partial(data, start)?;
        // No overflow: `start + written <= data.len() <= isize::MAX`.
        *offset += written as file::Offset;
        Ok(written)
    }

    /// Writes the bytes of `value`; [`EFAULT`] if they do not fit or the
    /// memory is not writable.
    pub fn write<T: AsBytes>(&mut self, value: &T) -> Result {
        // SAFETY: `value` is valid for reads of `size_of::<T>()` bytes,
        // all initialised (`T: AsBytes`).
        unsafe { self.write_raw(core::ptr::from_ref(value).cast::<u8>(), size_of::<T>()) }
    }
}
