//! The `#[global_allocator]`: kmalloc/krealloc/kfree with GFP_KERNEL, as
//! generated for the target kernel (kmalloc is a static inline on 6.1 and a
//! macro over kmalloc_noprof on 6.10+: a generated C wrapper either way).
//! GFP_KERNEL may sleep: allocate in process context only (module init and
//! exit, file operations), never with a spinlock held or in interrupts.

use core::alloc::{GlobalAlloc, Layout};
use core::ptr;

use core::ffi::c_void;

use crate::bindings as k;
use crate::ffi;

/// x86-64 `ARCH_KMALLOC_MINALIGN` (`__alignof__(unsigned long long)`).
const KMALLOC_MIN_ALIGN: usize = 8;

/// Size to ask kmalloc for so the block meets `layout.align()`. kmalloc
/// aligns to 8, and a power-of-two size to its size
/// (Documentation/core-api/memory-allocation.rst), so larger alignments
/// round the size up to a power of two no smaller than the alignment.
fn kmalloc_size(layout: Layout) -> Option<usize> {
    if layout.align() <= KMALLOC_MIN_ALIGN {
        Some(layout.size())
    } else {
        layout
            .size()
            .max(layout.align())
            .checked_next_power_of_two()
    }
}

/// The largest kmalloc size, as a `usize` whatever integer type the
/// kernel's headers give the constant (it is a small power of two).
const KMALLOC_MAX: usize = k::KMALLOC_MAX_SIZE as usize;

/// kmalloc(size, GFP_KERNEL [| __GFP_ZERO]); NULL above KMALLOC_MAX_SIZE
/// (the kernel would warn).
unsafe fn kmalloc(size: usize, zero: bool) -> *mut u8 {
    if size > KMALLOC_MAX {
        return ptr::null_mut();
    }
    let zero = if zero { k::__GFP_ZERO as k::gfp_t } else { 0 };
    ffi::kelfix_rt_kmalloc(size, k::GFP_KERNEL as k::gfp_t | zero).cast()
}

struct KernelHeap;

unsafe impl GlobalAlloc for KernelHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match kmalloc_size(layout) {
            Some(size) => kmalloc(size, false),
            None => ptr::null_mut(),
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match kmalloc_size(layout) {
            Some(size) => kmalloc(size, true),
            None => ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, p: *mut u8, _layout: Layout) {
        k::kfree(p.cast::<c_void>());
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= KMALLOC_MIN_ALIGN {
            if new_size > KMALLOC_MAX {
                return ptr::null_mut();
            }
            return ffi::kelfix_rt_krealloc(p.cast::<c_void>(), new_size, k::GFP_KERNEL as k::gfp_t)
                .cast();
        }
        // krealloc knows nothing of the alignment: move the block by hand.
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let q = self.alloc(new_layout);
        if !q.is_null() {
            ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
            self.dealloc(p, layout);
        }
        q
    }
}

#[global_allocator]
static KERNEL_HEAP: KernelHeap = KernelHeap;
