// SPDX-License-Identifier: GPL-2.0-only
//! The C file operations of debugfs files, one table per kind of file and
//! data type, built at compile time.
//!
//! Every file's inode holds a `*const T` to its data (debugfs'
//! `i_private`). Text files read through a seq_file (`single_open`) whose
//! private data is that pointer; write-only and binary files open with
//! `simple_open`, which copies it to the file's private data. A
//! callback given to a `*_callback_file` function is not stored anywhere:
//! it must be zero-sized (a function item or a closure that captures
//! nothing), so its type alone ([`ByFn`]) says what to call.

use super::{BinaryReader, BinaryWriter, Reader, Writer};
use crate::{
    bindings,
    ffi::{c_char, c_int, c_void},
    fmt,
    fs::file,
    prelude::*,
    seq_file::SeqFile,
    uaccess::{UserSlice, UserSliceReader},
};
use core::{marker::PhantomData, mem::MaybeUninit, ptr};

/// The file operations and permissions of debugfs files for a `T`.
///
/// # Invariants
///
/// `fops` is sound for a debugfs file whose inode's private data points
/// to a `T` that stays alive and unmoved while the file exists. Tables
/// that call a [`ByFn<F>`] are only named by functions that were given a
/// `&'static F`, so a value of `F` exists.
pub(crate) struct FileOps<T> {
    fops: bindings::file_operations,
    mode: bindings::umode_t,
    _data: PhantomData<fn(&T)>,
}

impl<T> FileOps<T> {
    /// The permissions of the file (owner only: debugfs is root's).
    pub(crate) const fn mode(&self) -> bindings::umode_t {
        self.mode
    }

    /// The C table.
    pub(crate) fn as_raw(&self) -> *const bindings::file_operations {
        &self.fops
    }
}

type OpenFn = unsafe extern "C" fn(*mut bindings::inode, *mut bindings::file) -> c_int;
type ReadFn =
    unsafe extern "C" fn(*mut bindings::file, *mut c_char, usize, *mut bindings::loff_t) -> isize;
type WriteFn =
    unsafe extern "C" fn(*mut bindings::file, *const c_char, usize, *mut bindings::loff_t) -> isize;

/// A table of `open`, `read`, `write` for a file of mode `mode`, with
/// the seq_file `llseek` and `release` (`seq`) or the plain ones. The
/// owner is this module, which so stays loaded while a file is open.
///
/// # Safety
///
/// The functions together meet [`FileOps`]'s invariant.
const unsafe fn table<T>(
    mode: bindings::umode_t,
    open: OpenFn,
    read: Option<ReadFn>,
    write: Option<WriteFn>,
    seq: bool,
) -> FileOps<T> {
    // SAFETY: all zeroes is a valid `file_operations` (NULL pointers and
    // absent operations), as C tables start from.
    let mut fops: bindings::file_operations = unsafe { MaybeUninit::zeroed().assume_init() };
    fops.owner = ptr::addr_of_mut!(bindings::__this_module);
    fops.open = Some(open);
    fops.read = read;
    fops.write = write;
    if seq {
        fops.llseek = Some(bindings::seq_lseek);
        fops.release = Some(bindings::single_release);
    } else {
        fops.llseek = Some(bindings::default_llseek);
    }
    // INVARIANT: the caller's promise.
    FileOps {
        fops,
        mode,
        _data: PhantomData,
    }
}

/// How a text file shows its data `T`.
pub(crate) trait Show<T> {
    /// Writes the text of `data` to `f`.
    ///
    /// # Safety
    ///
    /// For `ByFn<F>`: a value of `F` exists.
    unsafe fn show(data: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// How a text file takes a write into its data `T`.
pub(crate) trait Store<T> {
    /// Updates `data` from the bytes of `reader`.
    ///
    /// # Safety
    ///
    /// For `ByFn<F>`: a value of `F` exists.
    unsafe fn store(data: &T, reader: &mut UserSliceReader) -> Result;
}

/// Through the data's own [`Writer`] and [`Reader`].
pub(crate) struct ByTrait;

impl<T: Writer> Show<T> for ByTrait {
    unsafe fn show(data: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        data.write(f)
    }
}

impl<T: Reader> Store<T> for ByTrait {
    unsafe fn store(data: &T, reader: &mut UserSliceReader) -> Result {
        data.read_from_slice(reader)
    }
}

/// Through a zero-sized callback of type `F`.
pub(crate) struct ByFn<F>(PhantomData<F>);

/// A build error where `F` is not zero-sized (a closure that captures
/// something): `const` blocks are Rust 1.79, kelfix's minimum is 1.78.
struct ZeroSized<F>(PhantomData<F>);

impl<F> ZeroSized<F> {
    const CHECK: () = assert!(
        core::mem::size_of::<F>() == 0,
        "a debugfs callback must capture nothing"
    );
}

/// The value of the zero-sized type `F`.
///
/// # Safety
///
/// A value of `F` exists (else there is none to conjure).
unsafe fn zst_value<'a, F>() -> &'a F {
    #[allow(clippy::let_unit_value)]
    let () = ZeroSized::<F>::CHECK;
    // SAFETY: every non-null aligned address holds a value of a
    // zero-sized type that has values, as `F` has (caller's promise).
    unsafe { ptr::NonNull::<F>::dangling().as_ref() }
}

impl<T, F: Fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result> Show<T> for ByFn<F> {
    unsafe fn show(data: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: a value of `F` exists (caller's promise).
        let callback = unsafe { zst_value::<F>() };
        callback(data, f)
    }
}

impl<T, F: Fn(&T, &mut UserSliceReader) -> Result> Store<T> for ByFn<F> {
    unsafe fn store(data: &T, reader: &mut UserSliceReader) -> Result {
        // SAFETY: a value of `F` exists (caller's promise).
        let callback = unsafe { zst_value::<F>() };
        callback(data, reader)
    }
}

/// `Display` of `T` by `S`, for [`SeqFile::call_printf`].
///
/// # Invariants
///
/// `S`'s safety condition holds.
struct Shown<'a, T, S>(&'a T, PhantomData<S>);

impl<T, S: Show<T>> core::fmt::Display for Shown<'_, T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: type invariant.
        unsafe { S::show(self.0, f) }
    }
}

/// `open` of a text file: a seq_file that shows the data once.
///
/// # Safety
///
/// A debugfs open of a file of a table of [`ReadOps`] or
/// [`ReadWriteOps`] with `S` (whose invariant holds).
unsafe extern "C" fn text_open<T: Sync, S: Show<T>>(
    inode: *mut bindings::inode,
    file: *mut bindings::file,
) -> c_int {
    // SAFETY: `inode` and `file` are valid during an open; `i_private` is
    // the file's `*const T`, which `single_open` makes the seq_file's
    // private data.
    unsafe { bindings::single_open(file, Some(text_show::<T, S>), (*inode).i_private) }
}

/// `show` of a text file.
///
/// # Safety
///
/// A read of a file that [`text_open`] opened for `T` and `S`.
unsafe extern "C" fn text_show<T: Sync, S: Show<T>>(
    seq: *mut bindings::seq_file,
    _v: *mut c_void,
) -> c_int {
    // SAFETY: the private data is the file's `*const T`, alive while the
    // file exists: debugfs' proxy keeps it from being removed during the
    // read.
    let data = unsafe { &*(*seq).private.cast_const().cast::<T>() };
    // SAFETY: the seq_file of this read, used by this thread alone until
    // `show` returns.
    let m = unsafe { SeqFile::from_raw(seq) };
    // INVARIANT: `S`'s condition is part of the caller's promise
    // (`FileOps`' invariant).
    m.call_printf(format_args!("{}", Shown::<T, S>(data, PhantomData)));
    0
}

/// Gives the `count` user bytes at `buf` to `W` for `data`; returns
/// `count` or an error.
///
/// # Safety
///
/// `W`'s safety condition holds.
unsafe fn store<T, W: Store<T>>(data: &T, buf: *const c_char, count: usize) -> isize {
    let ptr = UserPtr::from_ptr(buf.cast_mut().cast::<c_void>());
    let mut reader = UserSlice::new(ptr, count).reader();
    // SAFETY: the caller's promise.
    match unsafe { W::store(data, &mut reader) } {
        // The VFS caps `count` (MAX_RW_COUNT), so it fits.
        Ok(()) => count as isize,
        Err(err) => err.to_errno() as isize,
    }
}

/// `write` of a read-write text file (private data: the seq_file).
///
/// # Safety
///
/// A write to a file that [`text_open`] opened, of a table of
/// [`ReadWriteOps`] with `W` (whose invariant holds).
unsafe extern "C" fn text_write<T: Sync, W: Store<T>>(
    file: *mut bindings::file,
    buf: *const c_char,
    count: usize,
    _pos: *mut bindings::loff_t,
) -> isize {
    // SAFETY: `single_open` made the private data the seq_file, whose own
    // private data is the file's `*const T`, alive while the file exists
    // (debugfs' proxy keeps it during the write).
    let data = unsafe {
        let seq = (*file).private_data.cast::<bindings::seq_file>();
        &*(*seq).private.cast_const().cast::<T>()
    };
    // SAFETY: `W`'s condition: `FileOps`' invariant.
    unsafe { store::<T, W>(data, buf, count) }
}

/// `write` of a write-only text file (private data: the `*const T`).
///
/// # Safety
///
/// A write to a file of a table of [`WriteOps`] with `W` (whose
/// invariant holds).
unsafe extern "C" fn plain_write<T: Sync, W: Store<T>>(
    file: *mut bindings::file,
    buf: *const c_char,
    count: usize,
    _pos: *mut bindings::loff_t,
) -> isize {
    // SAFETY: `simple_open` copied the inode's `*const T` to the private
    // data; alive while the file exists (debugfs' proxy keeps it).
    let data = unsafe { &*(*file).private_data.cast_const().cast::<T>() };
    // SAFETY: `W`'s condition: `FileOps`' invariant.
    unsafe { store::<T, W>(data, buf, count) }
}

/// A `usize` byte count or an error as a `read`/`write` result.
fn ret_count(res: Result<usize>) -> isize {
    match res.and_then(|n| isize::try_from(n).map_err(|_| EOVERFLOW)) {
        Ok(n) => n,
        Err(err) => err.to_errno() as isize,
    }
}

/// `read` of a binary file.
///
/// # Safety
///
/// A read of a file of a table of [`BinaryOps`] for `T`.
unsafe extern "C" fn blob_read<T: BinaryWriter + Sync>(
    file: *mut bindings::file,
    buf: *mut c_char,
    count: usize,
    pos: *mut bindings::loff_t,
) -> isize {
    // SAFETY: `simple_open` copied the inode's `*const T` to the private
    // data; alive while the file exists (debugfs' proxy keeps it).
    let data = unsafe { &*(*file).private_data.cast_const().cast::<T>() };
    // SAFETY: the position of this read, ours until it returns.
    let pos: &mut file::Offset = unsafe { &mut *pos };
    let mut writer = UserSlice::new(UserPtr::from_ptr(buf.cast::<c_void>()), count).writer();
    ret_count(data.write_to_slice(&mut writer, pos))
}

/// `write` of a binary file.
///
/// # Safety
///
/// A write to a file of a table of [`BinaryOps`] for `T`.
unsafe extern "C" fn blob_write<T: BinaryReader + Sync>(
    file: *mut bindings::file,
    buf: *const c_char,
    count: usize,
    pos: *mut bindings::loff_t,
) -> isize {
    // SAFETY: as in `blob_read`.
    let data = unsafe { &*(*file).private_data.cast_const().cast::<T>() };
    // SAFETY: the position of this write, ours until it returns.
    let pos: &mut file::Offset = unsafe { &mut *pos };
    let ptr = UserPtr::from_ptr(buf.cast_mut().cast::<c_void>());
    let mut reader = UserSlice::new(ptr, count).reader();
    ret_count(data.read_from_slice(&mut reader, pos))
}

/// Read-only text files: `T` shown by `S`.
pub(crate) struct ReadOps<T, S>(PhantomData<fn(&T, S)>);

impl<T: Sync, S: Show<T>> ReadOps<T, S> {
    // SAFETY: `text_open`/`seq_read` read the inode's `*const T`; `S` is
    // named only with a value of its callback (`FileOps`' invariant).
    pub(crate) const OPS: FileOps<T> = unsafe {
        table(
            0o400,
            text_open::<T, S>,
            Some(bindings::seq_read),
            None,
            true,
        )
    };
}

/// Read-write text files: `T` shown by `S`, updated by `W`.
pub(crate) struct ReadWriteOps<T, S, W>(PhantomData<fn(&T, S, W)>);

impl<T: Sync, S: Show<T>, W: Store<T>> ReadWriteOps<T, S, W> {
    // SAFETY: as for `ReadOps`; `text_write` finds the data through the
    // seq_file `text_open` made.
    pub(crate) const OPS: FileOps<T> = unsafe {
        table(
            0o600,
            text_open::<T, S>,
            Some(bindings::seq_read),
            Some(text_write::<T, W>),
            true,
        )
    };
}

/// Write-only text files: `T` updated by `W`.
pub(crate) struct WriteOps<T, W>(PhantomData<fn(&T, W)>);

impl<T: Sync, W: Store<T>> WriteOps<T, W> {
    // SAFETY: `simple_open` copies the inode's `*const T` where
    // `plain_write` reads it; `W` as for `ReadOps`.
    pub(crate) const OPS: FileOps<T> = unsafe {
        table(
            0o200,
            bindings::simple_open,
            None,
            Some(plain_write::<T, W>),
            false,
        )
    };
}

/// Binary files of a `T`.
pub(crate) struct BinaryOps<T>(PhantomData<fn(&T)>);

impl<T: BinaryWriter + Sync> BinaryOps<T> {
    // SAFETY: `simple_open` copies the inode's `*const T` where
    // `blob_read` reads it.
    pub(crate) const READ: FileOps<T> = unsafe {
        table(
            0o400,
            bindings::simple_open,
            Some(blob_read::<T>),
            None,
            false,
        )
    };
}

impl<T: BinaryReader + Sync> BinaryOps<T> {
    // SAFETY: as for `READ`, with `blob_write`.
    pub(crate) const WRITE: FileOps<T> = unsafe {
        table(
            0o200,
            bindings::simple_open,
            None,
            Some(blob_write::<T>),
            false,
        )
    };
}

impl<T: BinaryWriter + BinaryReader + Sync> BinaryOps<T> {
    // SAFETY: as for `READ` and `WRITE`.
    pub(crate) const READ_WRITE: FileOps<T> = unsafe {
        table(
            0o600,
            bindings::simple_open,
            Some(blob_read::<T>),
            Some(blob_write::<T>),
            false,
        )
    };
}
