// SPDX-License-Identifier: GPL-2.0-only
//! The owner of one debugfs dentry, removed (with everything below it)
//! when dropped.

use super::file_ops::FileOps;
use crate::{bindings, ffi::c_void, prelude::*, str::CStr, sync::Arc};
use core::marker::PhantomData;

// `struct dentry` holds empty structs (`lockdep_map` without lockdep);
// only pointers to it cross, never the struct.
#[allow(improper_ctypes)]
extern "C" {
    fn kelfix_debugfs_create_file(
        name: *const c_char,
        mode: bindings::umode_t,
        parent: *mut bindings::dentry,
        data: *mut c_void,
        fops: *const bindings::file_operations,
    ) -> *mut bindings::dentry;
}

/// A debugfs file or directory, or nothing (NULL, or the error pointer a
/// failed creation returned: the entry and everything made under it then
/// quietly do nothing).
///
/// `'a` bounds what the entry borrows: a parent [`Entry`] or a file's
/// data. An entry made under a parent that is shared by [`Arc`] holds a
/// reference to it instead, and is `'static`.
///
/// # Invariants
///
/// `dentry` is NULL, an error pointer, or a debugfs dentry this entry
/// owns, whose parent directory (if any) outlives the entry.
pub(crate) struct Entry<'a> {
    dentry: *mut bindings::dentry,
    _parent: Option<Arc<Entry<'static>>>,
    _borrows: PhantomData<&'a ()>,
}

// SAFETY: a dentry may be used and removed from any thread.
unsafe impl Send for Entry<'_> {}
// SAFETY: `&Entry` only gives the dentry pointer to debugfs functions,
// which take their own locks.
unsafe impl Sync for Entry<'_> {}

impl Entry<'static> {
    /// A directory `name` under `parent` (the debugfs root for `None`),
    /// which it keeps alive.
    pub(crate) fn dynamic_dir(name: &CStr, parent: Option<Arc<Self>>) -> Self {
        let parent_dentry = parent
            .as_deref()
            .map_or(core::ptr::null_mut(), Entry::as_ptr);
        // SAFETY: `name` is NUL-terminated; `parent_dentry` is NULL or a
        // dentry kept by `parent` (invariant), or an error pointer, which
        // debugfs passes back.
        let dentry = unsafe { bindings::debugfs_create_dir(name.as_char_ptr(), parent_dentry) };
        // INVARIANT: the new directory is ours; its parent lives as long
        // as the `Arc` we keep.
        Self {
            dentry,
            _parent: parent,
            _borrows: PhantomData,
        }
    }

    /// A file `name` under `parent`, which it keeps alive, serving `data`
    /// with `ops`.
    ///
    /// # Safety
    ///
    /// `data` lives (at the same address) until the returned entry is
    /// dropped.
    pub(crate) unsafe fn dynamic_file<T>(
        name: &CStr,
        parent: Arc<Self>,
        data: &T,
        ops: &'static FileOps<T>,
    ) -> Self {
        // SAFETY: `parent` is a dentry, NULL or error pointer (invariant);
        // the caller keeps `data` alive as long as the file.
        let dentry = unsafe { create_file(name, parent.as_ptr(), data, ops) };
        // INVARIANT: as in `dynamic_dir`.
        Self {
            dentry,
            _parent: Some(parent),
            _borrows: PhantomData,
        }
    }
}

impl<'a> Entry<'a> {
    /// A directory `name` under `parent` (the debugfs root for `None`),
    /// which must outlive it (`'a`).
    pub(crate) fn dir(name: &CStr, parent: Option<&'a Entry<'_>>) -> Self {
        let parent_dentry = parent.map_or(core::ptr::null_mut(), Entry::as_ptr);
        // SAFETY: as in `dynamic_dir`; the borrow keeps the parent.
        let dentry = unsafe { bindings::debugfs_create_dir(name.as_char_ptr(), parent_dentry) };
        // INVARIANT: `'a` keeps the parent alive as long as the entry.
        Self {
            dentry,
            _parent: None,
            _borrows: PhantomData,
        }
    }

    /// A file `name` under `parent` serving `data` with `ops`; both must
    /// outlive it (`'a`).
    pub(crate) fn file<T>(
        name: &CStr,
        parent: &'a Entry<'_>,
        data: &'a T,
        ops: &'static FileOps<T>,
    ) -> Self {
        // SAFETY: `parent` is a dentry, NULL or error pointer (invariant),
        // alive for `'a` as is `data`, which the entry cannot outlive.
        let dentry = unsafe { create_file(name, parent.as_ptr(), data, ops) };
        // INVARIANT: `'a` keeps the parent alive as long as the entry.
        Self {
            dentry,
            _parent: None,
            _borrows: PhantomData,
        }
    }
}

impl Entry<'_> {
    /// An entry that is nothing.
    pub(crate) fn empty() -> Self {
        // INVARIANT: NULL.
        Self {
            dentry: core::ptr::null_mut(),
            _parent: None,
            _borrows: PhantomData,
        }
    }

    /// The dentry (or NULL, or an error pointer), alive while `self` is.
    pub(crate) fn as_ptr(&self) -> *mut bindings::dentry {
        self.dentry
    }
}

impl Drop for Entry<'_> {
    fn drop(&mut self) {
        // SAFETY: `debugfs_remove` takes NULL and error pointers too; it
        // removes the tree under the dentry and waits for every running
        // file operation there, after which none starts.
        unsafe { bindings::debugfs_remove(self.dentry) };
    }
}

/// Creates the debugfs file `name` in `parent` for `data`, with `ops`.
///
/// # Safety
///
/// `parent` is NULL, an error pointer or a live debugfs directory; `data`
/// lives until the file is removed.
unsafe fn create_file<T>(
    name: &CStr,
    parent: *mut bindings::dentry,
    data: &T,
    ops: &'static FileOps<T>,
) -> *mut bindings::dentry {
    // SAFETY: `name` is NUL-terminated; `parent` and `data` are as the
    // caller promises; `ops` fits a file whose inode's private data is a
    // `&T` (`FileOps`'s invariant) and is static.
    unsafe {
        kelfix_debugfs_create_file(
            name.as_char_ptr(),
            ops.mode(),
            parent,
            core::ptr::from_ref(data).cast_mut().cast::<c_void>(),
            ops.as_raw(),
        )
    }
}
