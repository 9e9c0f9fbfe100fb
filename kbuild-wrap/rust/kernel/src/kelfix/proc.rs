// SPDX-License-Identifier: GPL-2.0-only
//! /proc files: kelfix's own API (upstream's `kernel` crate has none), for
//! the `/proc/driver/foo` style status files of out-of-tree modules.
//!
//! A [`ProcFile`] owns its data and a file under /proc. A read shows the
//! data's [`ProcShow::show`] text, made whole at each read from the start
//! (`single_open`); a write, if the type implements [`ProcShow::write`],
//! hands the written bytes to it. Dropping the [`ProcFile`] removes the
//! file, which waits for running reads and writes and closes open files,
//! then drops the data.
//!
//! # Examples
//!
//! ```ignore
//! use kernel::{kelfix::proc::{ProcFile, ProcShow}, prelude::*, seq_file::SeqFile, seq_print};
//!
//! struct Status(u32);
//!
//! #[vtable]
//! impl ProcShow for Status {
//!     fn show(&self, m: &SeqFile) -> Result {
//!         seq_print!(m, "state {}\n", self.0);
//!         Ok(())
//!     }
//! }
//!
//! let file = KBox::pin_init(ProcFile::new(c"driver/status", Status(3)), GFP_KERNEL)?;
//! ```

use crate::{
    bindings,
    error::VTABLE_DEFAULT_ERROR,
    ffi::{c_char, c_int, c_void},
    prelude::*,
    seq_file::SeqFile,
    str::CStr,
    uaccess::{UserSlice, UserSliceReader},
};
use core::{
    marker::{PhantomData, PhantomPinned},
    mem::MaybeUninit,
    ops::Deref,
    ptr,
};

// `struct inode` holds empty structs (lockdep's) in some configurations;
// only a pointer to it crosses.
#[allow(improper_ctypes)]
extern "C" {
    fn kelfix_proc_data(inode: *const bindings::inode) -> *mut c_void;
}

/// What a /proc file of a [`ProcFile`] shows and takes. Only the methods
/// an implementation provides reach the C table (`#[vtable]`): without
/// `write`, writes fail with `EIO` (the VFS's answer for a file with no
/// write operation) and the file is read-only.
#[vtable]
pub trait ProcShow: Send + Sync {
    /// Writes the text of a read to `m` (with [`crate::seq_print!`]).
    /// An error fails the read.
    fn show(&self, m: &SeqFile) -> Result;

    /// Takes a write: the bytes written are in `_reader`. On success the
    /// whole write counts as done.
    fn write(&self, _reader: &mut UserSliceReader) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The /proc entry of a [`ProcFile`], removed when dropped.
///
/// # Invariants
///
/// NULL, or a /proc entry made by `proc_create_data`, owned here.
struct ProcEntry(*mut bindings::proc_dir_entry);

// SAFETY: the pointer is only given to `proc_remove`, which may run on
// any thread.
unsafe impl Send for ProcEntry {}
// SAFETY: `&ProcEntry` gives no access to the pointer.
unsafe impl Sync for ProcEntry {}

impl Drop for ProcEntry {
    fn drop(&mut self) {
        // SAFETY: NULL (which `proc_remove` ignores) or ours (invariant).
        // Removal waits for running operations and releases files still
        // open, after which the proc_ops and data are no longer used.
        unsafe { bindings::proc_remove(self.0) };
    }
}

/// A /proc file and the data it serves (kelfix's own, see the [module
/// documentation](self)). Pinned: the file points to the data.
#[pin_data]
pub struct ProcFile<T> {
    // Declared first: removed before `data` is dropped.
    entry: ProcEntry,
    #[pin]
    data: T,
    #[pin]
    _pin: PhantomPinned,
}

impl<T: ProcShow> ProcFile<T> {
    /// Makes the file `name` under /proc (a path, such as
    /// `driver/rust_foo`, whose directories exist) for the value `data`
    /// initialises: mode 0444, or 0644 when `T` implements
    /// [`ProcShow::write`].
    pub fn new<'a, E>(
        name: &'a CStr,
        data: impl PinInit<T, E> + 'a,
    ) -> impl PinInit<Self, Error> + 'a
    where
        Error: From<E>,
        T: 'a,
    {
        let mode = if T::HAS_WRITE { 0o644 } else { 0o444 };
        Self::with_mode(name, mode, data)
    }

    /// [`ProcFile::new`] with permissions `mode` (such as `0o600`).
    /// Fails with [`ENOMEM`] when /proc refuses the name (taken, or a
    /// directory missing) or has no memory.
    pub fn with_mode<'a, E>(
        name: &'a CStr,
        mode: u16,
        data: impl PinInit<T, E> + 'a,
    ) -> impl PinInit<Self, Error> + 'a
    where
        Error: From<E>,
        T: 'a,
    {
        try_pin_init!(Self {
            entry: ProcEntry(ptr::null_mut()),
            data <- data,
            _pin: PhantomPinned,
        }? Error)
        .pin_chain(move |this| {
            // SAFETY: `entry` is not structurally pinned; nothing pinned
            // moves.
            let this = unsafe { Pin::get_unchecked_mut(this) };
            // SAFETY: `name` is NUL-terminated (proc copies it); the
            // table fits a file whose data is a `T`; `data` is pinned
            // and outlives the entry, which `ProcEntry` removes first.
            let entry = unsafe {
                bindings::proc_create_data(
                    name.as_char_ptr(),
                    mode,
                    ptr::null_mut(),
                    &ProcTable::<T>::OPS,
                    ptr::from_ref(&this.data).cast_mut().cast::<c_void>(),
                )
            };
            if entry.is_null() {
                return Err(ENOMEM);
            }
            // INVARIANT: the entry was just made.
            this.entry = ProcEntry(entry);
            Ok(())
        })
    }
}

impl<T> Deref for ProcFile<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

/// The C `proc_ops` of a `ProcFile<T>`.
struct ProcTable<T>(PhantomData<T>);

impl<T: ProcShow> ProcTable<T> {
    /// `open`: a seq_file whose private data is the file's `*const T`.
    ///
    /// # Safety
    ///
    /// An open of a /proc file made by [`ProcFile::with_mode`] for `T`.
    unsafe extern "C" fn open(inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
        // SAFETY: valid pointers during an open; the proc data of the
        // inode is the `*const T` given to `proc_create_data`.
        unsafe { bindings::single_open(file, Some(Self::show), kelfix_proc_data(inode)) }
    }

    /// `show` of the seq_file `open` made.
    ///
    /// # Safety
    ///
    /// A read of a file `open` opened.
    unsafe extern "C" fn show(seq: *mut bindings::seq_file, _v: *mut c_void) -> c_int {
        // SAFETY: the private data is the file's `*const T`, alive until
        // `proc_remove`, which waits for this read.
        let data = unsafe { &*(*seq).private.cast_const().cast::<T>() };
        // SAFETY: the seq_file of this read, used by this thread alone
        // until `show` returns.
        let m = unsafe { SeqFile::from_raw(seq) };
        match data.show(m) {
            Ok(()) => 0,
            Err(err) => err.to_errno(),
        }
    }

    /// `proc_write`: the written bytes to [`ProcShow::write`].
    ///
    /// # Safety
    ///
    /// A write to a file `open` opened.
    unsafe extern "C" fn write(
        file: *mut bindings::file,
        buf: *const c_char,
        count: usize,
        _pos: *mut bindings::loff_t,
    ) -> isize {
        // SAFETY: `single_open` made the private data the seq_file, whose
        // private data is the `*const T`, alive until `proc_remove`,
        // which waits for this write.
        let data = unsafe {
            let seq = (*file).private_data.cast::<bindings::seq_file>();
            &*(*seq).private.cast_const().cast::<T>()
        };
        let ptr = UserPtr::from_ptr(buf.cast_mut().cast::<c_void>());
        let mut reader = UserSlice::new(ptr, count).reader();
        match data.write(&mut reader) {
            // The VFS caps `count` (MAX_RW_COUNT), so it fits.
            Ok(()) => count as isize,
            Err(err) => err.to_errno() as isize,
        }
    }

    /// The table: seq_file reads, [`ProcShow::write`] if `T` has it.
    const OPS: bindings::proc_ops = {
        // SAFETY: all zeroes is a valid `proc_ops` (no flags, absent
        // operations), as C tables start from.
        let mut ops: bindings::proc_ops = unsafe { MaybeUninit::zeroed().assume_init() };
        ops.proc_open = Some(Self::open);
        ops.proc_read = Some(bindings::seq_read);
        ops.proc_lseek = Some(bindings::seq_lseek);
        ops.proc_release = Some(bindings::single_release);
        if T::HAS_WRITE {
            ops.proc_write = Some(Self::write);
        }
        ops
    };
}
