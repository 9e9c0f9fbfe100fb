// SPDX-License-Identifier: GPL-2.0-only
//! debugfs (`include/linux/debugfs.h`): directories and files under
//! `/sys/kernel/debug` that show a module's data and let root change it.
//!
//! A [`Dir`] is a directory handle (shared by clones; the directory goes
//! when the last handle and everything made in it are gone). A [`File`]
//! owns the data its file shows, and removes the file before dropping the
//! data. A [`Scope`] owns data shared by a whole tree of files, made by
//! its init closure through a [`ScopedDir`], and removes the tree before
//! dropping the data.
//!
//! What a file shows and takes comes from the data's [`Writer`] and
//! [`Reader`] (text) or [`BinaryWriter`] and [`BinaryReader`] (raw
//! bytes), or from callbacks, which must capture nothing.
//!
//! Failures are silent, as in C: a directory or file that could not be
//! made (debugfs off, no memory) leaves a handle that does nothing.
//! Every Debian kernel has `CONFIG_DEBUG_FS`; kelfix has no build for
//! kernels without it (upstream's is all no-ops).

use crate::{fmt, prelude::*, str::CStr, sync::Arc, uaccess::UserSliceReader};
use core::{
    marker::{PhantomData, PhantomPinned},
    mem::ManuallyDrop,
    ops::Deref,
};

mod entry;
mod file_ops;
mod traits;

use entry::Entry;
use file_ops::{BinaryOps, ByFn, ByTrait, FileOps, ReadOps, ReadWriteOps, WriteOps};
pub use traits::{BinaryReader, BinaryReaderMut, BinaryWriter, Reader, Writer};

/// A debugfs directory. Clones are handles to the same directory, which is
/// removed once every handle, every subdirectory [`Dir`] and every
/// [`File`] and [`Scope`] in it are dropped.
#[derive(Clone)]
pub struct Dir(
    // `None`: the handle could not be allocated; nothing is made in it.
    Option<Arc<Entry<'static>>>,
);

impl Dir {
    /// Makes the directory `name` under `parent`, or at the debugfs root.
    fn create(name: &CStr, parent: Option<&Dir>) -> Self {
        let parent = match parent {
            None => None,
            Some(Dir(None)) => return Dir(None),
            Some(Dir(Some(entry))) => Some(entry.clone()),
        };
        // Without the `Arc`, the new entry is dropped, which removes it.
        Dir(Arc::new(Entry::dynamic_dir(name, parent), GFP_KERNEL).ok())
    }

    /// Makes the directory `name` at the root of debugfs.
    pub fn new(name: &CStr) -> Self {
        Self::create(name, None)
    }

    /// Makes the directory `name` in this one.
    pub fn subdir(&self, name: &CStr) -> Self {
        Self::create(name, Some(self))
    }

    /// A [`File`] `name` in this directory that owns the data `data`
    /// initialises and serves it with `ops`.
    fn create_file<'a, T, E: 'a>(
        &'a self,
        name: &'a CStr,
        data: impl PinInit<T, E> + 'a,
        ops: &'static FileOps<T>,
    ) -> impl PinInit<File<T>, E> + 'a
    where
        T: Sync + 'static,
    {
        let scope = Scope::new(data, move |data| match &self.0 {
            // SAFETY: the entry goes into the same `Scope` as `data`,
            // which drops it first.
            Some(dir) => unsafe { Entry::dynamic_file(name, dir.clone(), data, ops) },
            None => Entry::empty(),
        });
        try_pin_init!(File { scope <- scope }? E)
    }

    /// A read-only file `name` showing the [`Writer`] text of the value
    /// `data` initialises, which the returned [`File`] owns.
    pub fn read_only_file<'a, T, E: 'a>(
        &'a self,
        name: &'a CStr,
        data: impl PinInit<T, E> + 'a,
    ) -> impl PinInit<File<T>, E> + 'a
    where
        T: Writer + Send + Sync + 'static,
    {
        self.create_file(name, data, &ReadOps::<T, ByTrait>::OPS)
    }

    /// A read-only file `name` showing the [`BinaryWriter`] bytes of the
    /// value `data` initialises, which the returned [`File`] owns.
    pub fn read_binary_file<'a, T, E: 'a>(
        &'a self,
        name: &'a CStr,
        data: impl PinInit<T, E> + 'a,
    ) -> impl PinInit<File<T>, E> + 'a
    where
        T: BinaryWriter + Send + Sync + 'static,
    {
        self.create_file(name, data, &BinaryOps::<T>::READ)
    }

    /// A read-only file `name` whose text `_f` writes from the value
    /// `data` initialises, which the returned [`File`] owns. `_f` is a
    /// function or a closure that captures nothing (checked at build
    /// time).
    pub fn read_callback_file<'a, T, E: 'a, F>(
        &'a self,
        name: &'a CStr,
        data: impl PinInit<T, E> + 'a,
        _f: &'static F,
    ) -> impl PinInit<File<T>, E> + 'a
    where
        T: Send + Sync + 'static,
        F: Fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result + Send + Sync,
    {
        // `_f` is the value of `F` the table's invariant asks for.
        self.create_file(name, data, &ReadOps::<T, ByFn<F>>::OPS)
    }

    /// A read-write file `name`: reads show the [`Writer`] text of the
    /// value `data` initialises, writes go to its [`Reader`]. The returned
    /// [`File`] owns the value.
    pub fn read_write_file<'a, T, E: 'a>(
        &'a self,
        name: &'a CStr,
        data: impl PinInit<T, E> + 'a,
    ) -> impl PinInit<File<T>, E> + 'a
    where
        T: Writer + Reader + Send + Sync + 'static,
    {
        self.create_file(name, data, &ReadWriteOps::<T, ByTrait, ByTrait>::OPS)
    }

    /// A read-write binary file `name`: reads copy out the
    /// [`BinaryWriter`] bytes of the value `data` initialises, writes go
    /// to its [`BinaryReader`]. The returned [`File`] owns the value.
    pub fn read_write_binary_file<'a, T, E: 'a>(
        &'a self,
        name: &'a CStr,
        data: impl PinInit<T, E> + 'a,
    ) -> impl PinInit<File<T>, E> + 'a
    where
        T: BinaryWriter + BinaryReader + Send + Sync + 'static,
    {
        self.create_file(name, data, &BinaryOps::<T>::READ_WRITE)
    }

    /// A read-write file `name` over the value `data` initialises (owned
    /// by the returned [`File`]): `_f` writes its text for reads, `_w`
    /// takes writes. Both capture nothing (checked at build time).
    pub fn read_write_callback_file<'a, T, E: 'a, F, W>(
        &'a self,
        name: &'a CStr,
        data: impl PinInit<T, E> + 'a,
        _f: &'static F,
        _w: &'static W,
    ) -> impl PinInit<File<T>, E> + 'a
    where
        T: Send + Sync + 'static,
        F: Fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result + Send + Sync,
        W: Fn(&T, &mut UserSliceReader) -> Result + Send + Sync,
    {
        // `_f` and `_w` are the values the table's invariant asks for.
        self.create_file(name, data, &ReadWriteOps::<T, ByFn<F>, ByFn<W>>::OPS)
    }

    /// A write-only file `name` whose writes go to the [`Reader`] of the
    /// value `data` initialises, which the returned [`File`] owns.
    pub fn write_only_file<'a, T, E: 'a>(
        &'a self,
        name: &'a CStr,
        data: impl PinInit<T, E> + 'a,
    ) -> impl PinInit<File<T>, E> + 'a
    where
        T: Reader + Send + Sync + 'static,
    {
        self.create_file(name, data, &WriteOps::<T, ByTrait>::OPS)
    }

    /// A write-only binary file `name` whose writes go to the
    /// [`BinaryReader`] of the value `data` initialises, which the
    /// returned [`File`] owns.
    pub fn write_binary_file<'a, T, E: 'a>(
        &'a self,
        name: &'a CStr,
        data: impl PinInit<T, E> + 'a,
    ) -> impl PinInit<File<T>, E> + 'a
    where
        T: BinaryReader + Send + Sync + 'static,
    {
        self.create_file(name, data, &BinaryOps::<T>::WRITE)
    }

    /// A write-only file `name` whose writes `_w` takes into the value
    /// `data` initialises (owned by the returned [`File`]). `_w` captures
    /// nothing (checked at build time).
    pub fn write_callback_file<'a, T, E: 'a, W>(
        &'a self,
        name: &'a CStr,
        data: impl PinInit<T, E> + 'a,
        _w: &'static W,
    ) -> impl PinInit<File<T>, E> + 'a
    where
        T: Send + Sync + 'static,
        W: Fn(&T, &mut UserSliceReader) -> Result + Send + Sync,
    {
        // `_w` is the value the table's invariant asks for.
        self.create_file(name, data, &WriteOps::<T, ByFn<W>>::OPS)
    }

    /// The directory `name` in this one, as the root of a [`Scope`]'s
    /// tree. It is only removed when the scope drops the entry it returns
    /// to [`Scope::new`], and keeps this directory alive until then.
    fn scoped_dir<'data>(&self, name: &CStr) -> ScopedDir<'data, 'static> {
        match &self.0 {
            Some(dir) => ScopedDir::from_entry(Entry::dynamic_dir(name, Some(dir.clone()))),
            None => ScopedDir::from_entry(Entry::empty()),
        }
    }

    /// A [`Scope`] owning the value `data` initialises, with the directory
    /// `name` in this one, which `init` fills with files and directories
    /// that may borrow the value. Dropping the scope removes the whole
    /// tree, then drops the value.
    pub fn scope<'a, T: 'a, E: 'a, F>(
        &'a self,
        data: impl PinInit<T, E> + 'a,
        name: &'a CStr,
        init: F,
    ) -> impl PinInit<Scope<T>, E> + 'a
    where
        F: for<'data, 'dir> FnOnce(&'data T, &'dir ScopedDir<'data, 'dir>) + 'a,
    {
        Scope::new(data, move |data| {
            let dir = self.scoped_dir(name);
            init(data, &dir);
            dir.into_entry()
        })
    }
}

/// Data that debugfs entries borrow, pinned, with the root of those
/// entries: dropping it removes them (and waits for running file
/// operations) before the data is dropped.
#[pin_data]
pub struct Scope<T> {
    // Declared first: dropped before `data`.
    entry: Entry<'static>,
    #[pin]
    data: T,
    // Files point to `data`: it never moves, even if `T: Unpin`.
    #[pin]
    _pin: PhantomPinned,
}

impl<'b, T: 'b> Scope<T> {
    /// Initialises the data, then makes the entries with `make`, which may
    /// hand `data`'s address to them: the scope drops them first.
    fn new<E: 'b, F>(data: impl PinInit<T, E> + 'b, make: F) -> impl PinInit<Self, E> + 'b
    where
        F: for<'a> FnOnce(&'a T) -> Entry<'static> + 'b,
    {
        try_pin_init!(Self {
            entry: Entry::empty(),
            data <- data,
            _pin: PhantomPinned,
        }? E)
        .pin_chain(move |scope| {
            // SAFETY: `entry` is not structurally pinned: replacing it
            // moves nothing that is pinned.
            let this = unsafe { Pin::get_unchecked_mut(scope) };
            this.entry = make(&this.data);
            Ok(())
        })
    }
}

impl<'a, T: 'a> Scope<T> {
    /// A [`Scope`] owning the value `data` initialises, with the directory
    /// `name` at the debugfs root, which `init` fills with files and
    /// directories that may borrow the value. Dropping the scope removes
    /// the whole tree, then drops the value.
    pub fn dir<E: 'a, F>(
        data: impl PinInit<T, E> + 'a,
        name: &'a CStr,
        init: F,
    ) -> impl PinInit<Self, E> + 'a
    where
        F: for<'data, 'dir> FnOnce(&'data T, &'dir ScopedDir<'data, 'dir>) + 'a,
    {
        Scope::new(data, move |data| {
            let dir = ScopedDir::from_entry(Entry::dir(name, None));
            init(data, &dir);
            dir.into_entry()
        })
    }
}

impl<T> Deref for Scope<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

/// A debugfs file and the data it serves: dropping it removes the file
/// (waiting for running reads and writes), then drops the data.
#[pin_data]
pub struct File<T> {
    #[pin]
    scope: Scope<T>,
}

impl<T> Deref for File<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.scope
    }
}

/// A directory inside a [`Scope`]'s tree, living at most `'dir`, whose
/// files may borrow data living at least `'data`. Its files and
/// subdirectories have no handles: the [`Scope`] removes them all.
pub struct ScopedDir<'data, 'dir> {
    // Never dropped here: removed with the scope's root.
    entry: ManuallyDrop<Entry<'dir>>,
    // Contravariant in `'data`: a `ScopedDir` accepts no shorter-lived
    // data than it was made for.
    _lifetimes: PhantomData<fn(&'data ()) -> &'dir ()>,
}

impl<'data, 'dir> ScopedDir<'data, 'dir> {
    fn from_entry(entry: Entry<'dir>) -> Self {
        Self {
            entry: ManuallyDrop::new(entry),
            _lifetimes: PhantomData,
        }
    }

    fn into_entry(self) -> Entry<'dir> {
        ManuallyDrop::into_inner(self.entry)
    }

    /// Makes the subdirectory `name`, a handle that cannot outlive this
    /// one.
    pub fn dir<'dir2>(&'dir2 self, name: &CStr) -> ScopedDir<'data, 'dir2> {
        ScopedDir::from_entry(Entry::dir(name, Some(&*self.entry)))
    }

    /// Makes the file `name` serving `data` with `ops`, removed with the
    /// scope's tree (before `data` goes, by `'data`).
    fn create_file<T: Sync>(&self, name: &CStr, data: &'data T, ops: &'static FileOps<T>) {
        core::mem::forget(Entry::file(name, &self.entry, data, ops));
    }

    /// A read-only file `name` showing the [`Writer`] text of `data`.
    pub fn read_only_file<T: Writer + Send + Sync + 'static>(&self, name: &CStr, data: &'data T) {
        self.create_file(name, data, &ReadOps::<T, ByTrait>::OPS)
    }

    /// A read-only file `name` showing the [`BinaryWriter`] bytes of
    /// `data`.
    pub fn read_binary_file<T: BinaryWriter + Send + Sync + 'static>(
        &self,
        name: &CStr,
        data: &'data T,
    ) {
        self.create_file(name, data, &BinaryOps::<T>::READ)
    }

    /// A read-only file `name` whose text `_f` writes from `data`. `_f`
    /// captures nothing (checked at build time).
    pub fn read_callback_file<T, F>(&self, name: &CStr, data: &'data T, _f: &'static F)
    where
        T: Send + Sync + 'static,
        F: Fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result + Send + Sync,
    {
        // `_f` is the value of `F` the table's invariant asks for.
        self.create_file(name, data, &ReadOps::<T, ByFn<F>>::OPS)
    }

    /// A read-write file `name`: reads show the [`Writer`] text of
    /// `data`, writes go to its [`Reader`].
    pub fn read_write_file<T: Writer + Reader + Send + Sync + 'static>(
        &self,
        name: &CStr,
        data: &'data T,
    ) {
        self.create_file(name, data, &ReadWriteOps::<T, ByTrait, ByTrait>::OPS)
    }

    /// A read-write binary file `name`: reads copy out the
    /// [`BinaryWriter`] bytes of `data`, writes go to its
    /// [`BinaryReader`].
    pub fn read_write_binary_file<T: BinaryWriter + BinaryReader + Send + Sync + 'static>(
        &self,
        name: &CStr,
        data: &'data T,
    ) {
        self.create_file(name, data, &BinaryOps::<T>::READ_WRITE)
    }

    /// A read-write file `name` over `data`: `_f` writes its text for
    /// reads, `_w` takes writes. Both capture nothing (checked at build
    /// time).
    pub fn read_write_callback_file<T, F, W>(
        &self,
        name: &CStr,
        data: &'data T,
        _f: &'static F,
        _w: &'static W,
    ) where
        T: Send + Sync + 'static,
        F: Fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result + Send + Sync,
        W: Fn(&T, &mut UserSliceReader) -> Result + Send + Sync,
    {
        // `_f` and `_w` are the values the table's invariant asks for.
        self.create_file(name, data, &ReadWriteOps::<T, ByFn<F>, ByFn<W>>::OPS)
    }

    /// A write-only file `name` whose writes go to the [`Reader`] of
    /// `data`.
    pub fn write_only_file<T: Reader + Send + Sync + 'static>(&self, name: &CStr, data: &'data T) {
        self.create_file(name, data, &WriteOps::<T, ByTrait>::OPS)
    }

    /// A write-only binary file `name` whose writes go to the
    /// [`BinaryReader`] of `data`.
    pub fn write_binary_file<T: BinaryReader + Send + Sync + 'static>(
        &self,
        name: &CStr,
        data: &'data T,
    ) {
        self.create_file(name, data, &BinaryOps::<T>::WRITE)
    }

    /// A write-only file `name` whose writes `_w` takes into `data`. `_w`
    /// captures nothing (checked at build time).
    pub fn write_only_callback_file<T, W>(&self, name: &CStr, data: &'data T, _w: &'static W)
    where
        T: Send + Sync + 'static,
        W: Fn(&T, &mut UserSliceReader) -> Result + Send + Sync,
    {
        // `_w` is the value the table's invariant asks for.
        self.create_file(name, data, &WriteOps::<T, ByFn<W>>::OPS)
    }
}
