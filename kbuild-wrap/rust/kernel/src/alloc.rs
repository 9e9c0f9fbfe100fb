// SPDX-License-Identifier: GPL-2.0-only
//! Memory allocation: the kernel's allocators ([`Kmalloc`](allocator::Kmalloc),
//! [`Vmalloc`](allocator::Vmalloc), [`KVmalloc`](allocator::KVmalloc)) behind
//! the [`Allocator`] trait, and the containers over them, [`Box`] and
//! [`Vec`]. Every allocation takes GFP [`Flags`] and can fail with
//! [`AllocError`]; nothing here panics or BUG()s when memory runs out.

pub mod allocator;
pub mod kbox;
pub mod kvec;
pub mod layout;

pub use self::kbox::{Box, KBox, KVBox, VBox};
pub use self::kvec::{IntoIter, KVVec, KVec, VVec, Vec};

use crate::error::{code::EINVAL, Result};
use core::{alloc::Layout, ptr::NonNull};

/// An allocation failed.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct AllocError;

/// GFP flags: how an allocation may get its memory (`gfp_t`).
#[derive(Clone, Copy, PartialEq)]
pub struct Flags(u32);

impl Flags {
    /// The `gfp_t` value.
    pub(crate) fn as_raw(self) -> u32 {
        self.0
    }

    /// Whether every flag of `flags` is set in `self`.
    pub fn contains(self, flags: Flags) -> bool {
        (self & flags) == flags
    }
}

impl core::ops::BitOr for Flags {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        Self(self.0 | rhs.0)
    }
}

impl core::ops::BitAnd for Flags {
    type Output = Self;
    fn bitand(self, rhs: Self) -> Self {
        Self(self.0 & rhs.0)
    }
}

impl core::ops::Not for Flags {
    type Output = Self;
    fn not(self) -> Self {
        Self(!self.0)
    }
}

/// The GFP flags, with the target kernel's values.
pub mod flags {
    use super::Flags;

    /// Zeroes the memory it returns.
    pub const __GFP_ZERO: Flags = Flags(crate::bindings::__GFP_ZERO);
    /// May return highmem pages (meaningless on 64-bit).
    pub const __GFP_HIGHMEM: Flags = Flags(crate::bindings::__GFP_HIGHMEM);
    /// For contexts that cannot sleep (interrupts, spinlocks held); may
    /// dip into reserves.
    pub const GFP_ATOMIC: Flags = Flags(crate::bindings::GFP_ATOMIC);
    /// The usual flags: may sleep, reclaim and do I/O. Process context only.
    pub const GFP_KERNEL: Flags = Flags(crate::bindings::GFP_KERNEL);
    /// [`GFP_KERNEL`], charged to the current task's memory cgroup.
    pub const GFP_KERNEL_ACCOUNT: Flags = Flags(crate::bindings::GFP_KERNEL_ACCOUNT);
    /// Does not sleep and does not use reserves.
    pub const GFP_NOWAIT: Flags = Flags(crate::bindings::GFP_NOWAIT);
    /// No warning in the log when the allocation fails.
    pub const __GFP_NOWARN: Flags = Flags(crate::bindings::__GFP_NOWARN);
}

/// A NUMA node to allocate on.
#[derive(Clone, Copy, PartialEq)]
pub struct NumaNode(i32);

impl NumaNode {
    /// The node `node`, or `EINVAL` when it is not below `MAX_NUMNODES`.
    pub fn new(node: i32) -> Result<Self> {
        if !(0..crate::bindings::MAX_NUMNODES).contains(&node) {
            return Err(EINVAL);
        }
        Ok(Self(node))
    }

    /// Any node (`NUMA_NO_NODE`).
    pub const NO_NODE: NumaNode = NumaNode(crate::bindings::NUMA_NO_NODE);

    /// The node number for C.
    pub(crate) fn as_raw(self) -> i32 {
        self.0
    }
}

/// A kernel memory allocator.
///
/// # Safety
///
/// A block an implementation returns stays valid until it is passed back to
/// `realloc` or `free`; it has at least the requested size and alignment;
/// the implementation may be used from any thread.
pub unsafe trait Allocator {
    /// The alignment every block has at least.
    const MIN_ALIGN: usize;

    /// A new block for `layout`.
    fn alloc(layout: Layout, flags: Flags, nid: NumaNode) -> Result<NonNull<[u8]>, AllocError> {
        // SAFETY: `None` asks for a new block.
        unsafe { Self::realloc(None, layout, Layout::new::<()>(), flags, nid) }
    }

    /// Allocates (`ptr` is `None`), resizes or, with a zero-size `layout`,
    /// frees a block. On success the first `min(layout.size(),
    /// old_layout.size())` bytes are kept and `ptr` must no longer be used;
    /// on failure the old block is unchanged.
    ///
    /// # Safety
    ///
    /// `ptr`, if given, is a live block of this allocator allocated with
    /// `old_layout`; `layout.align()` is not greater than that allocation's.
    unsafe fn realloc(
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
        nid: NumaNode,
    ) -> Result<NonNull<[u8]>, AllocError>;

    /// Frees the block `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` is a live block of this allocator allocated with `layout`; it
    /// is not used afterwards.
    unsafe fn free(ptr: NonNull<u8>, layout: Layout) {
        // SAFETY: the caller's contract; a zero size frees.
        let _ = unsafe {
            Self::realloc(Some(ptr), Layout::new::<()>(), layout, Flags(0), NumaNode::NO_NODE)
        };
    }
}

/// A non-null pointer aligned for `layout`, for zero-size blocks.
pub(crate) fn dangling_from_layout(layout: Layout) -> NonNull<u8> {
    let align = core::num::NonZeroUsize::new(layout.align()).unwrap_or(core::num::NonZeroUsize::MIN);
    NonNull::without_provenance(align)
}
