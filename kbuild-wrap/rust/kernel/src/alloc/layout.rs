// SPDX-License-Identifier: GPL-2.0-only
//! Array layouts whose size is known to fit in `isize`.

use core::{alloc::Layout, marker::PhantomData};

/// A `[T; len]` would not fit in memory.
#[derive(Debug)]
pub struct LayoutError;

/// The layout of an array of `T`.
///
/// # Invariants
///
/// `len * size_of::<T>()` is at most `isize::MAX`.
pub struct ArrayLayout<T> {
    len: usize,
    _phantom: PhantomData<fn() -> T>,
}

impl<T> Clone for ArrayLayout<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ArrayLayout<T> {}

/// The largest size an allocation may have.
const ISIZE_MAX: usize = isize::MAX as usize;

impl<T> ArrayLayout<T> {
    /// The layout of an empty array.
    pub const fn empty() -> Self {
        // INVARIANT: zero bytes.
        Self {
            len: 0,
            _phantom: PhantomData,
        }
    }

    /// The layout of `len` elements, or [`LayoutError`] when they would
    /// not fit.
    pub const fn new(len: usize) -> Result<Self, LayoutError> {
        match len.checked_mul(core::mem::size_of::<T>()) {
            // INVARIANT: the size was just checked.
            Some(size) if size <= ISIZE_MAX => Ok(Self {
                len,
                _phantom: PhantomData,
            }),
            _ => Err(LayoutError),
        }
    }

    /// The layout of `len` elements, unchecked.
    ///
    /// # Safety
    ///
    /// `len * size_of::<T>()` is at most `isize::MAX`.
    pub const unsafe fn new_unchecked(len: usize) -> Self {
        // INVARIANT: the caller's contract.
        Self {
            len,
            _phantom: PhantomData,
        }
    }

    /// The number of elements.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether the array has no element.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The size in bytes.
    pub const fn size(&self) -> usize {
        self.len * core::mem::size_of::<T>()
    }
}

impl<T> From<ArrayLayout<T>> for Layout {
    fn from(value: ArrayLayout<T>) -> Self {
        let res = Layout::array::<T>(value.len);
        // SAFETY: by the invariant the array fits in `isize`, so `Layout`
        // accepts it.
        unsafe { res.unwrap_unchecked() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_layout_refuses_overflow() {
        assert!(ArrayLayout::<u64>::new(isize::MAX as usize / 8).is_ok());
        assert!(ArrayLayout::<u64>::new(isize::MAX as usize / 8 + 1).is_err());
        assert!(ArrayLayout::<u64>::new(usize::MAX).is_err());
        let l = ArrayLayout::<u32>::new(10).unwrap();
        assert_eq!((l.len(), l.size()), (10, 40));
        assert_eq!(Layout::from(l), Layout::array::<u32>(10).unwrap());
        assert!(ArrayLayout::<()>::new(usize::MAX).is_ok());
    }
}
