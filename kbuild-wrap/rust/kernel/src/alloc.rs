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
            Self::realloc(
                Some(ptr),
                Layout::new::<()>(),
                layout,
                Flags(0),
                NumaNode::NO_NODE,
            )
        };
    }
}

/// A non-null pointer aligned for `layout`, for zero-size blocks.
pub(crate) fn dangling_from_layout(layout: Layout) -> NonNull<u8> {
    // SAFETY: an alignment is never zero.
    unsafe { NonNull::new_unchecked(layout.align() as *mut u8) }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::flags::{__GFP_ZERO, GFP_KERNEL};
    use super::*;
    use core::ffi::c_void;
    use core::sync::atomic::{AtomicUsize, Ordering};
    extern crate std;

    extern "C" {
        fn posix_memalign(out: *mut *mut c_void, align: usize, size: usize) -> i32;
        fn free(p: *mut c_void);
    }

    /// Live blocks of the host doubles, to check that everything is freed.
    static LIVE: AtomicUsize = AtomicUsize::new(0);

    /// The host's stand-in for the C realloc helpers (kelfix_core.h's
    /// contract), with kmalloc's alignment guarantee: a block whose size is
    /// a power of two is aligned to it (up to a page), others to 16.
    unsafe fn host_realloc(p: *const c_void, old: usize, size: usize, flags: u32) -> *mut c_void {
        let mut q = core::ptr::null_mut();
        if size != 0 {
            let align = if size.is_power_of_two() {
                size.clamp(16, 4096)
            } else {
                16
            };
            // SAFETY: `q` is writable; the alignment is a power of two.
            if unsafe { posix_memalign(&mut q, align, size) } != 0 {
                return core::ptr::null_mut();
            }
            LIVE.fetch_add(1, Ordering::SeqCst);
            let keep = if p.is_null() { 0 } else { old.min(size) };
            // SAFETY: both blocks hold at least `keep` bytes; the rest of
            // the new one is `size - keep` bytes.
            unsafe {
                core::ptr::copy_nonoverlapping(p.cast::<u8>(), q.cast::<u8>(), keep);
                if flags & __GFP_ZERO.as_raw() != 0 {
                    core::ptr::write_bytes(q.cast::<u8>().add(keep), 0, size - keep);
                }
            }
        }
        if !p.is_null() {
            LIVE.fetch_sub(1, Ordering::SeqCst);
            // SAFETY: a block of this allocator, not used again.
            unsafe { free(p.cast_mut()) };
        }
        q
    }

    /// Serialises the tests that allocate, so that each can check that
    /// it freed every block it allocated.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

    /// Runs `f` and checks that it left no block allocated.
    pub(crate) fn balanced(f: impl FnOnce()) {
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let before = LIVE.load(Ordering::SeqCst);
        f();
        assert_eq!(
            LIVE.load(Ordering::SeqCst),
            before,
            "a block was leaked or freed twice"
        );
    }

    macro_rules! doubles {
        ($($name:ident),*) => {$(
            #[no_mangle]
            unsafe extern "C" fn $name(p: *const c_void, old: usize, size: usize, flags: u32, _nid: i32) -> *mut c_void {
                // SAFETY: the caller's contract is the helper's.
                unsafe { host_realloc(p, old, size, flags) }
            }
        )*};
    }
    doubles!(
        kelfix_core_krealloc,
        kelfix_core_vrealloc,
        kelfix_core_kvrealloc
    );

    #[test]
    fn vec_grows_shrinks_and_frees() {
        balanced(|| {
            let mut v = KVec::new();
            for i in 0..100u32 {
                v.push(i, GFP_KERNEL).unwrap();
            }
            assert_eq!(v.len(), 100);
            assert!(v.capacity() >= 100);
            assert_eq!(v.pop(), Some(99));
            v.truncate(10);
            assert_eq!(v.as_slice(), &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
            assert_eq!(v.remove(0).ok(), Some(0));
            assert!(v.remove(100).is_err());
            v.retain(|x| *x % 2 == 0);
            assert_eq!(v, [2u32, 4, 6, 8]);
            v.extend_from_slice(&[10, 12], GFP_KERNEL).unwrap();
            assert_eq!(v.iter().sum::<u32>(), 42);
            let taken: u32 = v.drain_all().sum();
            assert_eq!((taken, v.len()), (42, 0));
            v.clear();
            drop(v);

            let w = KVVec::from_elem(7u8, 5, GFP_KERNEL).unwrap();
            assert_eq!(&w[..], &[7; 5]);
            let collected: u32 = w.into_iter().map(u32::from).sum();
            assert_eq!(collected, 35);
        });
    }

    #[test]
    fn vec_drops_its_elements() {
        balanced(|| {
            let mut v = VVec::with_capacity(4, GFP_KERNEL).unwrap();
            let b = KBox::new(3u64, GFP_KERNEL).unwrap();
            v.push(b, GFP_KERNEL).unwrap();
            v.push(KBox::new(4u64, GFP_KERNEL).unwrap(), GFP_KERNEL)
                .unwrap();
            let mut it = v.into_iter();
            assert_eq!(it.next().map(|b| *b), Some(3));
            // The second box is dropped with the iterator.
        });
    }

    #[test]
    fn kvec_macro_and_box() {
        balanced(|| {
            let v = crate::kvec![1, 2, 3].unwrap();
            assert_eq!(v, [1, 2, 3]);
            let z = crate::kvec![0u16; 3].unwrap();
            assert_eq!(z, [0, 0, 0]);
            let b = KBox::new([1u8; 3], GFP_KERNEL).unwrap();
            assert_eq!(KBox::into_inner(b), [1, 1, 1]);
            let raw = KBox::into_raw(KBox::new(9i32, GFP_KERNEL).unwrap());
            // SAFETY: from `into_raw` of a `KBox`.
            let back = unsafe { KBox::from_raw(raw) };
            assert_eq!(*back, 9);
            let p = KBox::pin(5u8, GFP_KERNEL).unwrap();
            assert_eq!(*p, 5);
            let d: KBox<dyn core::fmt::Debug> = KBox::new(1u8, GFP_KERNEL).unwrap();
            assert_eq!(std::format!("{d:?}"), "1");
            let unit = KBox::new((), GFP_KERNEL).unwrap();
            drop(unit);
        });
    }

    #[test]
    fn zeroed_memory_and_alignment() {
        balanced(|| {
            #[repr(align(64))]
            struct Aligned([u8; 8]);
            let b = KBox::new(Aligned([1; 8]), GFP_KERNEL).unwrap();
            assert_eq!((core::ptr::from_ref(&*b) as usize) % 64, 0);
            assert_eq!(b.0, [1; 8]);
            let z = KVec::<u32>::zeroed(1000, GFP_KERNEL).unwrap();
            assert!(z.len() == 1000 && z.iter().all(|&x| x == 0));
            let u = KBox::<[u64; 4]>::new_uninit(GFP_KERNEL | __GFP_ZERO).unwrap();
            // SAFETY: zeroed memory is a valid array of integers.
            assert_eq!(*unsafe { u.assume_init() }, [0; 4]);
        });
    }

    #[test]
    fn leaks_are_detected() {
        let leaked = std::panic::catch_unwind(|| {
            balanced(|| core::mem::forget(KBox::new(1u8, GFP_KERNEL).unwrap()))
        });
        assert!(leaked.is_err());
    }
}
