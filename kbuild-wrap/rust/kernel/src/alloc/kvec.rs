// SPDX-License-Identifier: GPL-2.0-only
//! [`Vec`]: a growable array on the heap of one of the kernel's allocators.

use super::allocator::{KVmalloc, Kmalloc, Vmalloc};
use super::layout::ArrayLayout;
use super::{AllocError, Allocator, Box, Flags, NumaNode};
use crate::error::{code::EINVAL, Error};
use crate::fmt;
use core::borrow::{Borrow, BorrowMut};
use core::marker::PhantomData;
use core::mem::{ManuallyDrop, MaybeUninit};
use core::ops::{Deref, DerefMut, Index, IndexMut};
use core::ptr::{self, NonNull};
use core::slice::{self, SliceIndex};

/// A [`KVec`]: `kvec![]` (empty), `kvec![x; n]` (n clones of x) or
/// `kvec![a, b, c]`, allocated with `GFP_KERNEL`; a `Result` but for the
/// empty form.
#[macro_export]
macro_rules! kvec {
    () => (
        $crate::alloc::KVec::new()
    );
    ($elem:expr; $n:expr) => (
        $crate::alloc::KVec::from_elem($elem, $n, $crate::alloc::flags::GFP_KERNEL)
    );
    ($($x:expr),+ $(,)?) => (
        match $crate::alloc::KBox::new_uninit($crate::alloc::flags::GFP_KERNEL) {
            Ok(b) => Ok($crate::alloc::KVec::from($crate::alloc::KBox::write(b, [$($x),+]))),
            Err(e) => Err(e),
        }
    );
}

/// A growable array in a block of allocator `A`: `alloc`'s `Vec` with
/// fallible allocation and explicit GFP flags.
///
/// # Invariants
///
/// `ptr` is a live block of `A` allocated with `layout` when
/// `layout.size() != 0`, else dangling and aligned; the first `len <=
/// layout.len()` elements are initialised. A zero-size `T` has capacity
/// `usize::MAX` and never allocates.
pub struct Vec<T, A: Allocator> {
    ptr: NonNull<T>,
    layout: ArrayLayout<T>,
    len: usize,
    _p: PhantomData<A>,
}

/// A [`Vec`] in kmalloc memory.
pub type KVec<T> = Vec<T, Kmalloc>;

/// A [`Vec`] in vmalloc memory.
pub type VVec<T> = Vec<T, Vmalloc>;

/// A [`Vec`] in kvmalloc memory.
pub type KVVec<T> = Vec<T, KVmalloc>;

// SAFETY: the vector owns its elements.
unsafe impl<T: Send, A: Allocator> Send for Vec<T, A> {}

// SAFETY: sharing the vector shares nothing but `&[T]`.
unsafe impl<T: Sync, A: Allocator> Sync for Vec<T, A> {}

/// [`Vec::push_within_capacity`] found no room; the element is given back.
pub struct PushError<T>(pub T);

impl<T> fmt::Debug for PushError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the vector is full")
    }
}

impl<T> From<PushError<T>> for Error {
    fn from(_: PushError<T>) -> Error {
        EINVAL
    }
}

/// [`Vec::remove`] was given an index past the end.
pub struct RemoveError;

impl fmt::Debug for RemoveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("index past the end")
    }
}

impl From<RemoveError> for Error {
    fn from(_: RemoveError) -> Error {
        EINVAL
    }
}

/// [`Vec::insert_within_capacity`] failed; the element is given back.
pub enum InsertError<T> {
    /// The index was past the end.
    IndexOutOfBounds(T),
    /// The vector was full.
    OutOfCapacity(T),
}

impl<T> fmt::Debug for InsertError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InsertError::IndexOutOfBounds(_) => f.write_str("index past the end"),
            InsertError::OutOfCapacity(_) => f.write_str("the vector is full"),
        }
    }
}

impl<T> From<InsertError<T>> for Error {
    fn from(_: InsertError<T>) -> Error {
        EINVAL
    }
}

impl<T, A: Allocator> Vec<T, A> {
    const IS_ZST: bool = core::mem::size_of::<T>() == 0;

    /// How many elements fit without reallocating.
    #[inline]
    pub const fn capacity(&self) -> usize {
        if Self::IS_ZST {
            usize::MAX
        } else {
            self.layout.len()
        }
    }

    /// The number of elements.
    #[inline]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Counts `additional` more elements as initialised.
    ///
    /// # Safety
    ///
    /// `additional <= capacity() - len()`, and the elements from `len()` to
    /// `len() + additional` are initialised.
    #[inline]
    pub unsafe fn inc_len(&mut self, additional: usize) {
        // INVARIANT: the caller's contract.
        self.len += additional;
    }

    /// Forgets the last `count` elements and returns them (the caller
    /// drops or moves them).
    ///
    /// # Safety
    ///
    /// `count <= len()`.
    unsafe fn dec_len(&mut self, count: usize) -> &mut [T] {
        // INVARIANT: fewer elements counted, all still initialised.
        self.len -= count;
        // SAFETY: those `count` elements are initialised and now owned by
        // nobody but the returned slice.
        unsafe { slice::from_raw_parts_mut(self.as_mut_ptr().add(self.len), count) }
    }

    /// The elements as a slice.
    #[inline]
    pub fn as_slice(&self) -> &[T] {
        self
    }

    /// The elements as a mutable slice.
    #[inline]
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        self
    }

    /// The buffer's pointer, for writing.
    #[inline]
    pub fn as_mut_ptr(&mut self) -> *mut T {
        self.ptr.as_ptr()
    }

    /// The buffer's pointer.
    #[inline]
    pub const fn as_ptr(&self) -> *const T {
        self.ptr.as_ptr()
    }

    /// Whether the vector has no element.
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// An empty vector (no allocation).
    #[inline]
    pub const fn new() -> Self {
        // INVARIANT: nothing allocated, nothing initialised.
        Self {
            ptr: NonNull::dangling(),
            layout: ArrayLayout::empty(),
            len: 0,
            _p: PhantomData,
        }
    }

    /// The free part of the buffer.
    pub fn spare_capacity_mut(&mut self) -> &mut [MaybeUninit<T>] {
        let len = self.len;
        let spare = self.capacity() - len;
        // SAFETY: the buffer has `capacity()` slots; those after `len` are
        // not initialised and owned by the vector.
        unsafe { slice::from_raw_parts_mut(self.as_mut_ptr().add(len).cast(), spare) }
    }

    /// Appends `v`, growing the buffer if needed.
    pub fn push(&mut self, v: T, flags: Flags) -> Result<(), AllocError> {
        self.reserve(1, flags)?;
        // SAFETY: `reserve` made room for one more.
        unsafe { self.push_within_capacity_unchecked(v) };
        Ok(())
    }

    /// Appends `v` if there is room, without allocating.
    pub fn push_within_capacity(&mut self, v: T) -> Result<(), PushError<T>> {
        if self.len < self.capacity() {
            // SAFETY: there is room.
            unsafe { self.push_within_capacity_unchecked(v) };
            Ok(())
        } else {
            Err(PushError(v))
        }
    }

    /// Appends `v`.
    ///
    /// # Safety
    ///
    /// `len() < capacity()`.
    unsafe fn push_within_capacity_unchecked(&mut self, v: T) {
        let len = self.len;
        // SAFETY: slot `len` is inside the buffer and free.
        unsafe { self.as_mut_ptr().add(len).write(v) };
        // SAFETY: one more element, just written.
        unsafe { self.inc_len(1) };
    }

    /// Inserts `element` at `index` if there is room, without allocating.
    pub fn insert_within_capacity(
        &mut self,
        index: usize,
        element: T,
    ) -> Result<(), InsertError<T>> {
        let len = self.len;
        if index > len {
            return Err(InsertError::IndexOutOfBounds(element));
        }
        if len >= self.capacity() {
            return Err(InsertError::OutOfCapacity(element));
        }
        // SAFETY: `index <= len < capacity`: the tail moves up by one slot
        // inside the buffer, then the freed slot is written.
        unsafe {
            let p = self.as_mut_ptr().add(index);
            ptr::copy(p, p.add(1), len - index);
            p.write(element);
            self.inc_len(1);
        }
        Ok(())
    }

    /// Removes and returns the last element.
    pub fn pop(&mut self) -> Option<T> {
        if self.is_empty() {
            return None;
        }
        // SAFETY: one element exists; it is read out once.
        let last = unsafe { self.dec_len(1) };
        // SAFETY: the element is initialised and no longer counted.
        Some(unsafe { ptr::read(&last[0]) })
    }

    /// Removes and returns the element at `i`, moving the rest down.
    pub fn remove(&mut self, i: usize) -> Result<T, RemoveError> {
        if i >= self.len {
            return Err(RemoveError);
        }
        // SAFETY: `i < len`: the element is read once, the tail moves down
        // over it, and one element fewer is counted.
        unsafe {
            let p = self.as_mut_ptr().add(i);
            let value = p.read();
            ptr::copy(p.add(1), p, self.len - i - 1);
            self.dec_len(1);
            Ok(value)
        }
    }

    /// An empty vector with room for `capacity` elements.
    pub fn with_capacity(capacity: usize, flags: Flags) -> Result<Self, AllocError> {
        let mut v = Vec::new();
        v.reserve(capacity, flags)?;
        Ok(v)
    }

    /// A vector of `n` elements whose bytes are all zero (a valid value of a
    /// [`Zeroable`](pin_init::Zeroable) type).
    pub fn zeroed(n: usize, flags: Flags) -> Result<Self, AllocError>
    where
        T: pin_init::Zeroable,
    {
        let mut v = Self::with_capacity(n, flags | super::flags::__GFP_ZERO)?;
        // SAFETY: the new buffer has room for `n` and the allocator zeroed
        // it; all zeroes is a `T` (`Zeroable`).
        unsafe { v.inc_len(n) };
        Ok(v)
    }

    /// The vector of `length` elements in `ptr`'s buffer of `capacity`.
    ///
    /// # Safety
    ///
    /// The parts come from [`Vec::into_raw_parts`] of a `Vec<T, A>`.
    pub unsafe fn from_raw_parts(ptr: *mut T, length: usize, capacity: usize) -> Self {
        let layout = if Self::IS_ZST {
            ArrayLayout::empty()
        } else {
            // SAFETY: the capacity of an existing vector fits.
            unsafe { ArrayLayout::new_unchecked(capacity) }
        };
        // INVARIANT: the caller's contract.
        Self {
            // SAFETY: a vector's pointer is never null.
            ptr: unsafe { NonNull::new_unchecked(ptr) },
            layout,
            len: length,
            _p: PhantomData,
        }
    }

    /// Gives up ownership: pointer, length and capacity, for a later
    /// [`Vec::from_raw_parts`].
    pub fn into_raw_parts(self) -> (*mut T, usize, usize) {
        let mut me = ManuallyDrop::new(self);
        (me.as_mut_ptr(), me.len, me.capacity())
    }

    /// Drops every element; the buffer stays.
    pub fn clear(&mut self) {
        self.truncate(0);
    }

    /// Makes room for at least `additional` more elements.
    pub fn reserve(&mut self, additional: usize, flags: Flags) -> Result<(), AllocError> {
        let len = self.len;
        let cap = self.capacity();
        if cap - len >= additional {
            return Ok(());
        }
        if Self::IS_ZST {
            return Err(AllocError);
        }
        // Grow to at least twice the capacity, as `alloc` does, for
        // amortised constant-time pushes.
        let needed = len.checked_add(additional).ok_or(AllocError)?;
        let new_cap = core::cmp::max(cap.saturating_mul(2), needed);
        let layout = ArrayLayout::new(new_cap).map_err(|_| AllocError)?;
        // SAFETY: `ptr` is this vector's block of `A` with `self.layout`
        // (or dangling with a zero size, which `realloc` ignores).
        let block = unsafe {
            A::realloc(
                Some(self.ptr.cast()),
                layout.into(),
                self.layout.into(),
                flags,
                NumaNode::NO_NODE,
            )?
        };
        // INVARIANT: the new block holds the old elements.
        self.ptr = block.cast();
        self.layout = layout;
        Ok(())
    }

    /// Drops the elements from `len` on; nothing if `len >= len()`.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let count = self.len - len;
        // SAFETY: `count <= len()`.
        let tail = unsafe { self.dec_len(count) };
        // SAFETY: the elements are initialised and no longer counted.
        unsafe { ptr::drop_in_place(tail) };
    }

    /// An iterator that takes every element out, leaving the vector empty.
    pub fn drain_all(&mut self) -> DrainAll<'_, T> {
        let len = self.len;
        // SAFETY: all the elements are handed to the iterator.
        let elems = unsafe { self.dec_len(len) };
        DrainAll {
            elements: elems.iter_mut(),
        }
    }

    /// Keeps the elements for which `f` says `true`, in order.
    pub fn retain(&mut self, mut f: impl FnMut(&mut T) -> bool) {
        let mut kept = 0;
        for i in 0..self.len {
            // SAFETY: `i < len`: element `i` is initialised.
            let elem = unsafe { &mut *self.as_mut_ptr().add(i) };
            if f(elem) {
                // SAFETY: `kept <= i`: moving within the buffer, to a slot
                // that is free or the element's own.
                unsafe { ptr::copy(elem, self.as_mut_ptr().add(kept), 1) };
                kept += 1;
            } else {
                // SAFETY: dropped once; its slot is now free.
                unsafe { ptr::drop_in_place(elem) };
            }
        }
        // INVARIANT: the first `kept` slots hold the kept elements.
        self.len = kept;
    }
}

impl<T: Clone, A: Allocator> Vec<T, A> {
    /// Appends `n` clones of `value`.
    pub fn extend_with(&mut self, n: usize, value: T, flags: Flags) -> Result<(), AllocError> {
        self.reserve(n, flags)?;
        for _ in 0..n {
            // SAFETY: `reserve` made room for `n`.
            unsafe { self.push_within_capacity_unchecked(value.clone()) };
        }
        Ok(())
    }

    /// Appends clones of the elements of `other`.
    pub fn extend_from_slice(&mut self, other: &[T], flags: Flags) -> Result<(), AllocError> {
        self.reserve(other.len(), flags)?;
        for item in other {
            // SAFETY: `reserve` made room for all of `other`.
            unsafe { self.push_within_capacity_unchecked(item.clone()) };
        }
        Ok(())
    }

    /// A vector of `n` clones of `value`.
    pub fn from_elem(value: T, n: usize, flags: Flags) -> Result<Self, AllocError> {
        let mut v = Self::with_capacity(n, flags)?;
        v.extend_with(n, value, flags)?;
        Ok(v)
    }

    /// Makes the length `new_len`: drops the extra elements, or appends
    /// clones of `value`.
    pub fn resize(&mut self, new_len: usize, value: T, flags: Flags) -> Result<(), AllocError> {
        match new_len.checked_sub(self.len) {
            Some(n) => self.extend_with(n, value, flags),
            None => {
                self.truncate(new_len);
                Ok(())
            }
        }
    }
}

impl<T, A: Allocator> Drop for Vec<T, A> {
    fn drop(&mut self) {
        // SAFETY: the initialised elements are dropped once, here.
        unsafe { ptr::drop_in_place(self.as_mut_slice()) };
        if self.layout.size() != 0 {
            // SAFETY: a live block of `A` allocated with `self.layout`.
            unsafe { A::free(self.ptr.cast(), self.layout.into()) };
        }
    }
}

impl<T, A: Allocator, const N: usize> From<Box<[T; N], A>> for Vec<T, A> {
    fn from(b: Box<[T; N], A>) -> Vec<T, A> {
        let len = b.len();
        let ptr = Box::into_raw(b);
        // SAFETY: the box's block of `A` is an array of `N` initialised
        // elements, allocated with the layout of `[T; N]`, which is the
        // vector's layout for a capacity of `N`.
        unsafe { Vec::from_raw_parts(ptr.cast(), len, len) }
    }
}

impl<T, A: Allocator> Default for Vec<T, A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: fmt::Debug, A: Allocator> fmt::Debug for Vec<T, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T, A: Allocator> Deref for Vec<T, A> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        // SAFETY: the first `len` elements are initialised; the pointer is
        // aligned and non-null even when nothing is allocated.
        unsafe { slice::from_raw_parts(self.as_ptr(), self.len) }
    }
}

impl<T, A: Allocator> DerefMut for Vec<T, A> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as for `deref`, borrowed uniquely with `self`.
        unsafe { slice::from_raw_parts_mut(self.as_mut_ptr(), self.len) }
    }
}

impl<T, A: Allocator> Borrow<[T]> for Vec<T, A> {
    fn borrow(&self) -> &[T] {
        self
    }
}

impl<T, A: Allocator> BorrowMut<[T]> for Vec<T, A> {
    fn borrow_mut(&mut self) -> &mut [T] {
        self
    }
}

impl<T: Eq, A: Allocator> Eq for Vec<T, A> {}

impl<T, I: SliceIndex<[T]>, A: Allocator> Index<I> for Vec<T, A> {
    type Output = I::Output;

    fn index(&self, index: I) -> &I::Output {
        Index::index(&**self, index)
    }
}

impl<T, I: SliceIndex<[T]>, A: Allocator> IndexMut<I> for Vec<T, A> {
    fn index_mut(&mut self, index: I) -> &mut I::Output {
        IndexMut::index_mut(&mut **self, index)
    }
}

macro_rules! slice_eq {
    ($([$($gen:tt)*] $lhs:ty, $rhs:ty,)*) => {$(
        impl<T, U, $($gen)*> PartialEq<$rhs> for $lhs
        where
            T: PartialEq<U>,
        {
            fn eq(&self, other: &$rhs) -> bool {
                self[..] == other[..]
            }
        }
    )*};
}

slice_eq! {
    [A1: Allocator, A2: Allocator] Vec<T, A1>, Vec<U, A2>,
    [A: Allocator] Vec<T, A>, &[U],
    [A: Allocator] Vec<T, A>, &mut [U],
    [A: Allocator] &[T], Vec<U, A>,
    [A: Allocator] &mut [T], Vec<U, A>,
    [A: Allocator] Vec<T, A>, [U],
    [A: Allocator] [T], Vec<U, A>,
    [A: Allocator, const N: usize] Vec<T, A>, [U; N],
    [A: Allocator, const N: usize] Vec<T, A>, &[U; N],
}

impl<'a, T, A: Allocator> IntoIterator for &'a Vec<T, A> {
    type Item = &'a T;
    type IntoIter = slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T, A: Allocator> IntoIterator for &'a mut Vec<T, A> {
    type Item = &'a mut T;
    type IntoIter = slice::IterMut<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

/// The owning iterator of a [`Vec`].
///
/// # Invariants
///
/// `buf` is the vector's buffer (a block of `A` with `layout`, or
/// dangling); the elements `ptr..end` are initialised and owned here.
pub struct IntoIter<T, A: Allocator> {
    buf: NonNull<T>,
    layout: ArrayLayout<T>,
    ptr: usize,
    end: usize,
    _p: PhantomData<A>,
}

impl<T, A: Allocator> Iterator for IntoIter<T, A> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.ptr == self.end {
            return None;
        }
        // SAFETY: element `ptr` is initialised and taken out once.
        let value = unsafe { self.buf.as_ptr().add(self.ptr).read() };
        self.ptr += 1;
        Some(value)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end - self.ptr;
        (n, Some(n))
    }
}

impl<T, A: Allocator> Drop for IntoIter<T, A> {
    fn drop(&mut self) {
        // SAFETY: the remaining elements are initialised and dropped once.
        unsafe {
            let rest =
                ptr::slice_from_raw_parts_mut(self.buf.as_ptr().add(self.ptr), self.end - self.ptr);
            ptr::drop_in_place(rest);
        }
        if self.layout.size() != 0 {
            // SAFETY: the vector's block of `A`, with its layout.
            unsafe { A::free(self.buf.cast(), self.layout.into()) };
        }
    }
}

impl<T, A: Allocator> IntoIterator for Vec<T, A> {
    type Item = T;
    type IntoIter = IntoIter<T, A>;

    fn into_iter(self) -> IntoIter<T, A> {
        let me = ManuallyDrop::new(self);
        // INVARIANT: the buffer and its elements move to the iterator.
        IntoIter {
            buf: me.ptr,
            layout: me.layout,
            ptr: 0,
            end: me.len,
            _p: PhantomData,
        }
    }
}

/// The iterator of [`Vec::drain_all`].
pub struct DrainAll<'vec, T> {
    elements: slice::IterMut<'vec, T>,
}

impl<T> Iterator for DrainAll<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let elem: *mut T = self.elements.next()?;
        // SAFETY: the element is owned by the iterator and read once.
        Some(unsafe { elem.read() })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.elements.size_hint()
    }
}

impl<T> Drop for DrainAll<'_, T> {
    fn drop(&mut self) {
        if core::mem::needs_drop::<T>() {
            let rest = core::mem::take(&mut self.elements).into_slice();
            // SAFETY: the elements not taken are still owned here.
            unsafe { ptr::drop_in_place(rest) };
        }
    }
}
