// SPDX-License-Identifier: GPL-2.0-only
//! Marker traits for types that can be turned into and made from raw bytes
//! (what upstream takes from zerocopy: `FromBytes`, `IntoBytes`), for
//! copies to and from userspace and devices.

/// A type for which every byte pattern of its size is a valid value.
///
/// # Safety
///
/// Any initialised bytes of `size_of::<Self>()` form a valid `Self`.
pub unsafe trait FromBytes {
    /// `bytes` as a `&Self`, if the length is `size_of::<Self>()` and the
    /// address is aligned for `Self`.
    fn from_bytes(bytes: &[u8]) -> Option<&Self>
    where
        Self: Sized,
    {
        let ptr = bytes.as_ptr().cast::<Self>();
        if bytes.len() == core::mem::size_of::<Self>() && is_aligned(ptr) {
            // SAFETY: the size and alignment fit, and any bytes are a
            // valid `Self`.
            Some(unsafe { &*ptr })
        } else {
            None
        }
    }

    /// `bytes` as a `&mut Self`, if the length is `size_of::<Self>()` and
    /// the address is aligned for `Self`.
    fn from_bytes_mut(bytes: &mut [u8]) -> Option<&mut Self>
    where
        Self: AsBytes + Sized,
    {
        let ptr = bytes.as_mut_ptr().cast::<Self>();
        if bytes.len() == core::mem::size_of::<Self>() && is_aligned(ptr) {
            // SAFETY: as above; any value written back is valid bytes
            // (`AsBytes`).
            Some(unsafe { &mut *ptr })
        } else {
            None
        }
    }

    /// A copy of `bytes` as a value (any alignment), if the length is
    /// `size_of::<Self>()`.
    fn from_bytes_copy(bytes: &[u8]) -> Option<Self>
    where
        Self: Sized,
    {
        if bytes.len() != core::mem::size_of::<Self>() {
            return None;
        }
        // SAFETY: the size fits, the read is unaligned, and any bytes are a
        // valid `Self`.
        Some(unsafe { bytes.as_ptr().cast::<Self>().read_unaligned() })
    }

    /// [`from_bytes`](Self::from_bytes) of the first `size_of::<Self>()`
    /// bytes, and the rest.
    fn from_bytes_prefix(bytes: &[u8]) -> Option<(&Self, &[u8])>
    where
        Self: Sized,
    {
        let (head, rest) = split_at(bytes, core::mem::size_of::<Self>())?;
        Some((Self::from_bytes(head)?, rest))
    }

    /// [`from_bytes_mut`](Self::from_bytes_mut) of the first
    /// `size_of::<Self>()` bytes, and the rest.
    fn from_bytes_mut_prefix(bytes: &mut [u8]) -> Option<(&mut Self, &mut [u8])>
    where
        Self: AsBytes + Sized,
    {
        let (head, rest) = split_at_mut(bytes, core::mem::size_of::<Self>())?;
        Some((Self::from_bytes_mut(head)?, rest))
    }

    /// [`from_bytes_copy`](Self::from_bytes_copy) of the first
    /// `size_of::<Self>()` bytes, and the rest.
    fn from_bytes_copy_prefix(bytes: &[u8]) -> Option<(Self, &[u8])>
    where
        Self: Sized,
    {
        let (head, rest) = split_at(bytes, core::mem::size_of::<Self>())?;
        Some((Self::from_bytes_copy(head)?, rest))
    }
}

/// Whether `ptr` is aligned for `T` (`pointer::is_aligned` is Rust 1.79).
fn is_aligned<T>(ptr: *const T) -> bool {
    // Alignments are powers of two.
    (ptr as usize) & (core::mem::align_of::<T>() - 1) == 0
}

/// `bytes` cut after `n` bytes, if it has that many (`split_at_checked`
/// is Rust 1.80).
fn split_at(bytes: &[u8], n: usize) -> Option<(&[u8], &[u8])> {
    (n <= bytes.len()).then(|| bytes.split_at(n))
}

/// [`split_at`], mutable.
fn split_at_mut(bytes: &mut [u8], n: usize) -> Option<(&mut [u8], &mut [u8])> {
    (n <= bytes.len()).then(|| bytes.split_at_mut(n))
}

/// A type whose values have no padding or uninitialised bytes: its bytes
/// can be read as a `[u8]`.
///
/// # Safety
///
/// Every value of `Self` has all its `size_of_val` bytes initialised.
pub unsafe trait AsBytes {
    /// The value's bytes.
    fn as_bytes(&self) -> &[u8] {
        let len = core::mem::size_of_val(self);
        // SAFETY: all `len` bytes are initialised (the trait's guarantee)
        // and borrowed with `self`.
        unsafe { core::slice::from_raw_parts(core::ptr::from_ref(self).cast::<u8>(), len) }
    }

    /// The value's bytes, mutable (any write keeps a valid value).
    fn as_bytes_mut(&mut self) -> &mut [u8]
    where
        Self: FromBytes,
    {
        let len = core::mem::size_of_val(self);
        // SAFETY: as above, and any bytes written are a valid `Self`
        // (`FromBytes`).
        unsafe { core::slice::from_raw_parts_mut(core::ptr::from_mut(self).cast::<u8>(), len) }
    }
}

macro_rules! impl_trait {
    ($tr:ident: $($({$($gen:tt)*})? $t:ty),* $(,)?) => {$(
        // SAFETY: integers have no padding and every bit pattern is one of
        // their values; arrays and slices of such types, and the empty
        // `PhantomData`, neither.
        unsafe impl$(<$($gen)*>)? $tr for $t {}
    )*};
}

impl_trait! {
    FromBytes:
    {T} core::marker::PhantomData<T>,
    u8, u16, u32, u64, usize,
    i8, i16, i32, i64, isize,
    {T: FromBytes} [T],
    {T: FromBytes, const N: usize} [T; N],
}

impl_trait! {
    AsBytes:
    {T} core::marker::PhantomData<T>,
    u8, u16, u32, u64, usize,
    i8, i16, i32, i64, isize,
    {T: AsBytes} [T],
    {T: AsBytes, const N: usize} [T; N],
}

// SAFETY: a `bool` is one initialised byte.
unsafe impl AsBytes for bool {}
// SAFETY: a `char` is four initialised bytes.
unsafe impl AsBytes for char {}
// SAFETY: a `str` is initialised bytes.
unsafe impl AsBytes for str {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_bytes_checks_size_and_alignment() {
        let words = [0x0102_0304u32, 0x0506_0708];
        let bytes = words.as_bytes();
        assert_eq!(u32::from_bytes(&bytes[..4]), Some(&0x0102_0304));
        assert!(u32::from_bytes(&bytes[..3]).is_none());
        assert!(u32::from_bytes(&bytes[1..5]).is_none());
        assert_eq!(u32::from_bytes_copy(&bytes[1..5]), Some(0x0801_0203));
        assert!(u32::from_bytes_copy(&bytes[1..6]).is_none());
        let (first, rest) = u32::from_bytes_prefix(bytes).unwrap();
        assert_eq!((*first, rest.len()), (0x0102_0304, 4));
        assert_eq!(
            <[u16; 2]>::from_bytes_copy(&bytes[..4]),
            Some([0x0304, 0x0102])
        );
    }
}
