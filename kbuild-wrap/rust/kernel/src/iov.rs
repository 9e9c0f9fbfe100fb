// SPDX-License-Identifier: GPL-2.0-only
//! I/O vectors (`struct iov_iter`, `include/linux/uio.h`): the data of a
//! `write_iter` ([`IovIterSource`]) and the room of a `read_iter`
//! ([`IovIterDest`]).
//!
//! The layout of `struct iov_iter` changed a lot between 5.10 and 7.x,
//! so it stays opaque here: everything goes through kernel functions
//! (`iov_iter_count`, `_copy_from_iter`, ...) and, for the direction, a C
//! helper.

use crate::{
    alloc::{Allocator, Flags},
    bindings,
    prelude::*,
    types::{NotThreadSafe, Opaque},
};
use core::{marker::PhantomData, mem::MaybeUninit, slice};

// Kernel structs reached through these pointers may contain empty
// structs (e.g. `lock_class_key` without lockdep); C never sees them by value.
#[allow(improper_ctypes)]
extern "C" {
    // helpers/kelfix_files.c
    fn kelfix_files_iov_iter_is_source(iter: *const bindings::iov_iter) -> bool;
}

/// Bytes left in the vector at `iov`.
///
/// # Safety
///
/// `iov` must point to a valid `struct iov_iter`.
unsafe fn iov_count(iov: *const bindings::iov_iter) -> usize {
    // SAFETY: valid by the caller's promise; the function only reads it.
    unsafe { bindings::iov_iter_count(iov.cast_mut()) }
}

/// An I/O vector to read data from (a `write` system call's buffers, or
/// kernel pages). It may map memory for the current thread only, so it
/// is neither `Send` nor `Sync`.
///
/// # Invariants
///
/// `iov` is a valid `struct iov_iter` whose direction is "source", from
/// which reading through the kernel's functions is sound for `'data`.
#[repr(transparent)]
pub struct IovIterSource<'data> {
    iov: Opaque<bindings::iov_iter>,
    _source: PhantomData<&'data [u8]>,
    _not_send: NotThreadSafe,
}

impl<'data> IovIterSource<'data> {
    /// Wraps the vector at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct iov_iter` used only through
    /// the returned reference for `'iov`, that is a data source, and from
    /// which reading is sound for `'data`.
    #[track_caller]
    #[inline]
    pub unsafe fn from_raw<'iov>(ptr: *mut bindings::iov_iter) -> &'iov mut IovIterSource<'data> {
        // SAFETY: `ptr` is valid by the caller's promise.
        assert!(unsafe { kelfix_files_iov_iter_is_source(ptr) });
        // SAFETY: `IovIterSource` is a transparent `struct iov_iter`; the
        // caller's promises are the invariants, for the right lifetimes.
        unsafe { &mut *ptr.cast::<IovIterSource<'data>>() }
    }

    /// The C `struct iov_iter`.
    #[inline]
    pub fn as_raw(&mut self) -> *mut bindings::iov_iter {
        self.iov.get()
    }

    /// Bytes left to read (an upper bound: a fault in user memory ends
    /// the data early).
    #[inline]
    pub fn len(&self) -> usize {
        // SAFETY: by the invariants `iov` is valid.
        unsafe { iov_count(self.iov.get()) }
    }

    /// Whether no bytes are left.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Skips `bytes` bytes (at most to the end).
    #[inline]
    pub fn advance(&mut self, bytes: usize) {
        // SAFETY: by the invariants `iov` is valid.
        unsafe { bindings::iov_iter_advance(self.as_raw(), bytes) };
    }

    /// Steps back `bytes` bytes.
    ///
    /// # Safety
    ///
    /// The vector must have advanced by at least `bytes` bytes.
    #[inline]
    pub unsafe fn revert(&mut self, bytes: usize) {
        // SAFETY: `iov` is valid (invariants); the caller bounds `bytes`.
        unsafe { bindings::iov_iter_revert(self.as_raw(), bytes) };
    }

    /// Copies up to `out.len()` bytes into `out`; returns how many.
    #[inline]
    pub fn copy_from_iter(&mut self, out: &mut [u8]) -> usize {
        // SAFETY: same layout, and `copy_from_iter_raw` writes only
        // initialised bytes.
        let out = unsafe { &mut *(core::ptr::from_mut(out) as *mut [MaybeUninit<u8>]) };
        self.copy_from_iter_raw(out).len()
    }

    /// Appends everything left (as far as it can be read) to `out`,
    /// growing it with `flags`; returns the number of bytes appended.
    #[inline]
    pub fn copy_from_iter_vec<A: Allocator>(
        &mut self,
        out: &mut Vec<u8, A>,
        flags: Flags,
    ) -> Result<usize> {
        out.reserve(self.len(), flags)?;
        let len = self.copy_from_iter_raw(out.spare_capacity_mut()).len();
        // SAFETY: the first `len` bytes of the spare capacity were just
        // initialised, and `len` is at most its length.
        unsafe { out.inc_len(len) };
        Ok(len)
    }

    /// Copies up to `out.len()` bytes into `out` and returns the part of
    /// `out` that was filled; shorter than `out` means the vector is done.
    #[inline]
    pub fn copy_from_iter_raw(&mut self, out: &mut [MaybeUninit<u8>]) -> &mut [u8] {
        let cap = out.len();
        let dst = out.as_mut_ptr().cast::<u8>();
        // SAFETY: `dst` is valid for writes of `cap` bytes; reading the
        // vector is sound (invariants). The function writes only copied
        // (initialised) bytes and returns their number, at most `cap`.
        let len = unsafe { bindings::_copy_from_iter(dst.cast(), cap, self.as_raw()) };
        // SAFETY: the first `len <= cap` bytes at `dst` are initialised
        // and borrowed from `out`.
        unsafe { slice::from_raw_parts_mut(dst, len) }
    }
}

/// An I/O vector to write data to (a `read` system call's buffers, or
/// kernel pages). It may map memory for the current thread only, so it
/// is neither `Send` nor `Sync`.
///
/// # Invariants
///
/// `iov` is a valid `struct iov_iter` whose direction is "destination",
/// to which writing through the kernel's functions is sound for `'data`.
#[repr(transparent)]
pub struct IovIterDest<'data> {
    iov: Opaque<bindings::iov_iter>,
    _dest: PhantomData<&'data mut [u8]>,
    _not_send: NotThreadSafe,
}

impl<'data> IovIterDest<'data> {
    /// Wraps the vector at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a valid `struct iov_iter` used only through
    /// the returned reference for `'iov`, that is a data destination, and
    /// to which writing is sound for `'data`.
    #[track_caller]
    #[inline]
    pub unsafe fn from_raw<'iov>(ptr: *mut bindings::iov_iter) -> &'iov mut IovIterDest<'data> {
        // SAFETY: `ptr` is valid by the caller's promise.
        assert!(!unsafe { kelfix_files_iov_iter_is_source(ptr) });
        // SAFETY: `IovIterDest` is a transparent `struct iov_iter`; the
        // caller's promises are the invariants, for the right lifetimes.
        unsafe { &mut *ptr.cast::<IovIterDest<'data>>() }
    }

    /// The C `struct iov_iter`.
    #[inline]
    pub fn as_raw(&mut self) -> *mut bindings::iov_iter {
        self.iov.get()
    }

    /// Bytes of room left (an upper bound: a fault in user memory ends
    /// the room early).
    #[inline]
    pub fn len(&self) -> usize {
        // SAFETY: by the invariants `iov` is valid.
        unsafe { iov_count(self.iov.get()) }
    }

    /// Whether no room is left.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Skips `bytes` bytes of room (at most to the end).
    #[inline]
    pub fn advance(&mut self, bytes: usize) {
        // SAFETY: by the invariants `iov` is valid.
        unsafe { bindings::iov_iter_advance(self.as_raw(), bytes) };
    }

    /// Steps back `bytes` bytes.
    ///
    /// # Safety
    ///
    /// The vector must have advanced by at least `bytes` bytes.
    #[inline]
    pub unsafe fn revert(&mut self, bytes: usize) {
        // SAFETY: `iov` is valid (invariants); the caller bounds `bytes`.
        unsafe { bindings::iov_iter_revert(self.as_raw(), bytes) };
    }

    /// Copies as much of `input` as fits; returns how many bytes. Fewer
    /// than `input.len()` means the vector is full.
    #[inline]
    pub fn copy_to_iter(&mut self, input: &[u8]) -> usize {
        // SAFETY: `input` is valid for reads of its length; writing to
        // the vector is sound (invariants).
        unsafe { bindings::_copy_to_iter(input.as_ptr().cast(), input.len(), self.as_raw()) }
    }

    /// Serves a read of a file whose whole contents are `contents`, at
    /// position `*ppos`: copies from there as much as fits, advances
    /// `*ppos` by that and returns it (0 at or past the end). A negative
    /// position is [`EINVAL`].
    #[inline]
    pub fn simple_read_from_buffer(&mut self, ppos: &mut i64, contents: &[u8]) -> Result<usize> {
        if *ppos < 0 {
            return Err(EINVAL);
        }
        let rest = match usize::try_from(*ppos).ok().and_then(|pos| contents.get(pos..)) {
            Some(rest) if !rest.is_empty() => rest,
            _ => return Ok(0),
        };
        let written = self.copy_to_iter(rest);
        // No overflow: the new position is at most `contents.len()`.
        *ppos += written as i64;
        Ok(written)
    }
}
