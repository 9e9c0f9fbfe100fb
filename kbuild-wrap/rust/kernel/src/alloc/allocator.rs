// SPDX-License-Identifier: GPL-2.0-only
//! The kernel's allocators: [`Kmalloc`] (physically contiguous slab
//! memory), [`Vmalloc`] (virtually contiguous pages) and [`KVmalloc`]
//! (kmalloc, falling back to vmalloc).
//!
//! They go through helpers/kelfix_core.c, which resizes with what each
//! kernel offers (krealloc, kvrealloc from 6.12, a new block and a copy
//! where there is nothing suitable).

use super::{AllocError, Allocator, Flags, NumaNode};
use crate::bindings;
use core::{alloc::Layout, ptr::NonNull};

/// The helpers' common signature (kelfix_core.h).
type ReallocFn = unsafe extern "C" fn(
    p: *const core::ffi::c_void,
    old_size: usize,
    size: usize,
    flags: bindings::gfp_t,
    nid: core::ffi::c_int,
) -> *mut core::ffi::c_void;

extern "C" {
    fn kelfix_core_krealloc(
        p: *const core::ffi::c_void,
        old_size: usize,
        size: usize,
        flags: bindings::gfp_t,
        nid: core::ffi::c_int,
    ) -> *mut core::ffi::c_void;
    fn kelfix_core_vrealloc(
        p: *const core::ffi::c_void,
        old_size: usize,
        size: usize,
        flags: bindings::gfp_t,
        nid: core::ffi::c_int,
    ) -> *mut core::ffi::c_void;
    fn kelfix_core_kvrealloc(
        p: *const core::ffi::c_void,
        old_size: usize,
        size: usize,
        flags: bindings::gfp_t,
        nid: core::ffi::c_int,
    ) -> *mut core::ffi::c_void;
}

/// kmalloc's alignment for every size (`ARCH_KMALLOC_MINALIGN`).
pub const ARCH_KMALLOC_MINALIGN: usize = bindings::ARCH_KMALLOC_MINALIGN;

/// The page size: vmalloc's alignment.
const PAGE_SIZE: usize = bindings::PAGE_SIZE;

/// The largest block kmalloc gives.
const KMALLOC_MAX_SIZE: usize = bindings::KMALLOC_MAX_SIZE;

/// The slab allocator (`kmalloc`, `krealloc`, `kfree`): physically
/// contiguous, at most `KMALLOC_MAX_SIZE` bytes.
pub struct Kmalloc;

/// The vmalloc allocator (`vmalloc`, `vfree`): virtually contiguous pages;
/// may sleep whatever the flags.
pub struct Vmalloc;

/// kmalloc, or vmalloc when that fails (`kvmalloc`, `kvfree`).
pub struct KVmalloc;

/// The size to ask kmalloc for so that the block is aligned for `layout`:
/// kmalloc aligns blocks whose size is a power of two to that size, so a
/// larger alignment rounds the size up to one.
fn kmalloc_size(layout: Layout) -> Result<usize, AllocError> {
    if layout.align() <= ARCH_KMALLOC_MINALIGN {
        return Ok(layout.size());
    }
    layout
        .size()
        .max(layout.align())
        .checked_next_power_of_two()
        .ok_or(AllocError)
}

/// Calls `helper` for [`Allocator::realloc`], with `size` the byte count
/// to ask for (`layout`'s, adjusted for alignment).
///
/// # Safety
///
/// As [`Allocator::realloc`], with `helper` the allocator's own.
unsafe fn call(
    helper: ReallocFn,
    ptr: Option<NonNull<u8>>,
    size: usize,
    layout: Layout,
    old_layout: Layout,
    flags: Flags,
    nid: NumaNode,
) -> Result<NonNull<[u8]>, AllocError> {
    // A zero-size old block is a dangling pointer, never allocated.
    let old: *const core::ffi::c_void = match ptr {
        Some(p) if old_layout.size() != 0 => p.as_ptr().cast_const().cast(),
        _ => core::ptr::null(),
    };
    if layout.size() == 0 {
        if !old.is_null() {
            // SAFETY: `old` is a live block of this helper (caller's
            // contract); a zero size frees it and returns NULL.
            unsafe { helper(old, old_layout.size(), 0, flags.as_raw(), nid.as_raw()) };
        }
        let dangling = super::dangling_from_layout(layout);
        return Ok(NonNull::slice_from_raw_parts(dangling, 0));
    }
    // SAFETY: `old` is NULL or a live block of `old_layout.size()` bytes of
    // this helper (caller's contract).
    let raw = unsafe { helper(old, old_layout.size(), size, flags.as_raw(), nid.as_raw()) };
    let block = NonNull::new(raw.cast::<u8>()).ok_or(AllocError)?;
    Ok(NonNull::slice_from_raw_parts(block, layout.size()))
}

// SAFETY: kmalloc blocks stay valid until freed, are aligned as
// `kmalloc_size` arranges, and kmalloc is thread-safe.
unsafe impl Allocator for Kmalloc {
    const MIN_ALIGN: usize = ARCH_KMALLOC_MINALIGN;

    unsafe fn realloc(
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
        nid: NumaNode,
    ) -> Result<NonNull<[u8]>, AllocError> {
        let size = kmalloc_size(layout)?;
        // Above the limit kmalloc warns and fails: fail quietly instead.
        if size > KMALLOC_MAX_SIZE {
            return Err(AllocError);
        }
        // SAFETY: the caller's contract, with Kmalloc's helper.
        unsafe {
            call(
                kelfix_core_krealloc,
                ptr,
                size,
                layout,
                old_layout,
                flags,
                nid,
            )
        }
    }
}

// SAFETY: vmalloc blocks stay valid until freed, are page aligned (larger
// alignments are refused) and vmalloc is thread-safe.
unsafe impl Allocator for Vmalloc {
    const MIN_ALIGN: usize = PAGE_SIZE;

    unsafe fn realloc(
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
        nid: NumaNode,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if layout.align() > PAGE_SIZE {
            return Err(AllocError);
        }
        // SAFETY: the caller's contract, with Vmalloc's helper.
        unsafe {
            call(
                kelfix_core_vrealloc,
                ptr,
                layout.size(),
                layout,
                old_layout,
                flags,
                nid,
            )
        }
    }
}

// SAFETY: kvmalloc blocks stay valid until freed; the kmalloc path is
// aligned as `kmalloc_size` arranges, the vmalloc path to a page (larger
// alignments are refused); kvmalloc is thread-safe.
unsafe impl Allocator for KVmalloc {
    const MIN_ALIGN: usize = ARCH_KMALLOC_MINALIGN;

    unsafe fn realloc(
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
        nid: NumaNode,
    ) -> Result<NonNull<[u8]>, AllocError> {
        if layout.align() > PAGE_SIZE {
            return Err(AllocError);
        }
        let size = kmalloc_size(layout)?;
        // SAFETY: the caller's contract, with KVmalloc's helper.
        unsafe {
            call(
                kelfix_core_kvrealloc,
                ptr,
                size,
                layout,
                old_layout,
                flags,
                nid,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(size: usize, align: usize) -> Result<usize, AllocError> {
        kmalloc_size(Layout::from_size_align(size, align).unwrap())
    }

    #[test]
    fn kmalloc_size_rounds_only_for_large_alignments() {
        assert_eq!(size(24, 8), Ok(24));
        assert_eq!(size(3, 1), Ok(3));
        assert_eq!(size(24, 16), Ok(32));
        assert_eq!(size(8, 64), Ok(64));
        assert_eq!(size(100, 128), Ok(128));
        assert_eq!(size(0, 4096), Ok(4096));
    }
}
