// SPDX-License-Identifier: GPL-2.0-only
//! Pages: the page size constants and [`Page`], one page of memory owned
//! by Rust code.
//!
//! Allocation and the temporary mapping of a page (`kmap_local_page()`
//! from 5.11, `kmap()` before) go through `helpers/kelfix_page.c`.

use crate::alloc::{AllocError, Flags};
use crate::bindings;
use crate::error::{code::EINVAL, Result};
use crate::uaccess::UserSliceReader;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ops::Deref;
use core::ptr::{self, NonNull};

/// The C helpers of this module (`kbuild-wrap/rust/helpers/kelfix_page.c`,
/// declared in `kelfix_page.h`: change both together).
mod helpers {
    use crate::bindings;
    use crate::ffi::{c_uint, c_void};

    // `struct page` holds a `struct lockdep_map`, empty without lockdep; C
    // only takes its address.
    #[allow(improper_ctypes)]
    extern "C" {
        /// `alloc_pages(gfp, order)`.
        pub(super) fn kelfix_page_alloc(gfp: bindings::gfp_t, order: c_uint) -> *mut bindings::page;
        /// Maps `page` for the calling task.
        pub(super) fn kelfix_page_map(page: *mut bindings::page) -> *mut c_void;
        /// Undoes `kelfix_page_map(page)`, which returned `addr`.
        pub(super) fn kelfix_page_unmap(page: *mut bindings::page, addr: *mut c_void);
    }
}

/// log2 of [`PAGE_SIZE`].
pub const PAGE_SHIFT: usize = bindings::PAGE_SHIFT as usize;

/// The size of a page, in bytes.
pub const PAGE_SIZE: usize = bindings::PAGE_SIZE;

/// The mask that clears the offset within a page from an address.
pub const PAGE_MASK: usize = !(PAGE_SIZE - 1);

/// `addr` rounded up to a multiple of [`PAGE_SIZE`], or [`None`] if that
/// does not fit a `usize`.
#[inline(always)]
pub const fn page_align(addr: usize) -> Option<usize> {
    match addr.checked_add(PAGE_SIZE - 1) {
        Some(end) => Some(end & PAGE_MASK),
        None => None,
    }
}

/// A [`Page`] owned by someone else (a `vmalloc` allocation, say), borrowed
/// for `'a`: it is not freed when dropped.
///
/// # Invariants
///
/// The `struct page` stays valid for `'a`.
pub struct BorrowedPage<'a>(ManuallyDrop<Page>, PhantomData<&'a Page>);

impl BorrowedPage<'_> {
    /// Borrows the page `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` points to a valid `struct page` that stays valid for `'a`.
    pub unsafe fn from_raw(ptr: NonNull<bindings::page>) -> Self {
        // INVARIANT: the caller's promise; `ManuallyDrop` never frees it.
        Self(ManuallyDrop::new(Page { page: ptr }), PhantomData)
    }
}

impl Deref for BorrowedPage<'_> {
    type Target = Page;

    fn deref(&self) -> &Page {
        &self.0
    }
}

/// Types whose memory can be walked page by page, as [`BorrowedPage`]s.
pub trait AsPageIter {
    /// The iterator over the pages.
    type Iter<'a>: Iterator<Item = BorrowedPage<'a>>
    where
        Self: 'a;

    /// The pages of `self`, in order.
    fn page_iter(&mut self) -> Self::Iter<'_>;
}

/// One page (order 0), owned: freed when dropped.
///
/// The page has no kernel address of its own (it may be highmem); the
/// `*_raw` methods map it for the length of the call.
///
/// # Invariants
///
/// `page` is a valid `struct page` this value owns (one reference).
pub struct Page {
    page: NonNull<bindings::page>,
}

// SAFETY: a page is plain memory, usable and freeable from any thread.
unsafe impl Send for Page {}

// SAFETY: `&Page` only reads the pointer; the accesses to the memory are
// unsafe methods whose callers rule out data races.
unsafe impl Sync for Page {}

impl Page {
    /// Allocates a page with `flags` (`GFP_KERNEL | __GFP_ZERO` for a
    /// zeroed one). May sleep if `flags` allow it.
    #[inline]
    pub fn alloc_page(flags: Flags) -> Result<Self, AllocError> {
        // SAFETY: any flags are accepted; the caller's context allows them.
        let page = unsafe { helpers::kelfix_page_alloc(flags.as_raw(), 0) };
        // INVARIANT: a new page, owned by the new value.
        Ok(Self {
            page: NonNull::new(page).ok_or(AllocError)?,
        })
    }

    /// The `struct page`.
    pub fn as_ptr(&self) -> *mut bindings::page {
        self.page.as_ptr()
    }

    /// The NUMA node the page lies on.
    #[inline]
    pub fn nid(&self) -> i32 {
        // SAFETY: the page is valid (type invariant).
        unsafe { bindings::page_to_nid(self.as_ptr()) }
    }

    /// Calls `f` with the page mapped at a kernel address (maybe for this
    /// task only), unmapped again after `f`. Nested mappings are undone
    /// in reverse order, as the closure structure enforces.
    fn with_page_mapped<T>(&self, f: impl FnOnce(*mut u8) -> T) -> T {
        // SAFETY: the page is valid (type invariant).
        let addr = unsafe { helpers::kelfix_page_map(self.as_ptr()) };
        let res = f(addr.cast());
        // SAFETY: mapped above; every mapping made inside `f` was undone
        // before `f` returned.
        unsafe { helpers::kelfix_page_unmap(self.as_ptr(), addr) };
        res
    }

    /// Calls `f` with a pointer `off` bytes into the mapped page, valid
    /// for `len` bytes; [`EINVAL`] without calling `f` if that range does
    /// not lie inside the page.
    fn with_pointer_into_page<T>(
        &self,
        off: usize,
        len: usize,
        f: impl FnOnce(*mut u8) -> Result<T>,
    ) -> Result<T> {
        match off.checked_add(len) {
            Some(end) if end <= PAGE_SIZE => self.with_page_mapped(|base| {
                // SAFETY: `off <= PAGE_SIZE`: in the page or one past it.
                f(unsafe { base.add(off) })
            }),
            _ => Err(EINVAL),
        }
    }

    /// Copies `len` bytes at `offset` in the page to `dst`; [`EINVAL`] if
    /// the range leaves the page.
    ///
    /// # Safety
    ///
    /// `dst` is valid for writes of `len` bytes, and nothing writes that
    /// range of the page meanwhile.
    pub unsafe fn read_raw(&self, dst: *mut u8, offset: usize, len: usize) -> Result {
        self.with_pointer_into_page(offset, len, move |src| {
            // SAFETY: `src` is valid for `len` bytes (checked), `dst` too
            // (the caller's promise); no race (likewise).
            unsafe { ptr::copy_nonoverlapping(src, dst, len) };
            Ok(())
        })
    }

    /// Copies `len` bytes from `src` to `offset` in the page; [`EINVAL`]
    /// if the range leaves the page.
    ///
    /// # Safety
    ///
    /// `src` is valid for reads of `len` bytes, and nothing reads or
    /// writes that range of the page meanwhile.
    pub unsafe fn write_raw(&self, src: *const u8, offset: usize, len: usize) -> Result {
        self.with_pointer_into_page(offset, len, move |dst| {
            // SAFETY: `dst` is valid for `len` bytes (checked), `src` too
            // (the caller's promise); no race (likewise).
            unsafe { ptr::copy_nonoverlapping(src, dst, len) };
            Ok(())
        })
    }

    /// Zeroes `len` bytes at `offset` in the page; [`EINVAL`] if the range
    /// leaves the page.
    ///
    /// # Safety
    ///
    /// Nothing reads or writes that range of the page meanwhile.
    pub unsafe fn fill_zero_raw(&self, offset: usize, len: usize) -> Result {
        self.with_pointer_into_page(offset, len, move |dst| {
            // SAFETY: `dst` is valid for `len` bytes (checked); no race
            // (the caller's promise).
            unsafe { ptr::write_bytes(dst, 0, len) };
            Ok(())
        })
    }

    /// Reads `len` bytes from `reader` (user memory) to `offset` in the
    /// page; [`EINVAL`] if the range leaves the page, `EFAULT` if user
    /// memory cannot be read. The user memory may change meanwhile; the
    /// page may not.
    ///
    /// # Safety
    ///
    /// Nothing reads or writes that range of the page meanwhile.
    pub unsafe fn copy_from_user_slice_raw(
        &self,
        reader: &mut UserSliceReader,
        offset: usize,
        len: usize,
    ) -> Result {
        self.with_pointer_into_page(offset, len, move |dst| {
            // SAFETY: `dst` is valid for `len` bytes (checked) and used by
            // nobody else (the caller's promise).
            let out = unsafe { core::slice::from_raw_parts_mut(dst.cast(), len) };
            reader.read_raw(out)
        })
    }
}

impl Drop for Page {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the value owns the page (type invariant).
        unsafe { bindings::__free_pages(self.as_ptr(), 0) };
    }
}
