// SPDX-License-Identifier: GPL-2.0-only
//! Strings: C strings ([`CStr`], `core`'s, with the kernel's extensions in
//! [`CStrExt`]), owned C strings ([`CString`]), byte strings ([`BStr`]) and
//! fixed-buffer formatters.

use crate::alloc::{flags::GFP_KERNEL, AllocError, KVec};
use crate::error::{code::EINVAL, Error, Result};
use crate::ffi::c_char;
use crate::fmt::{self, Write};
use core::ops::{Deref, DerefMut, Index};

pub use crate::ffi::CStr;

/// A byte string: bytes that are usually, but need not be, text.
#[repr(transparent)]
pub struct BStr([u8]);

impl BStr {
    /// The length in bytes.
    #[inline]
    pub const fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the string has no byte.
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Views `bytes` as a byte string.
    #[inline]
    pub const fn from_bytes(bytes: &[u8]) -> &Self {
        // SAFETY: `BStr` is a transparent wrapper of `[u8]`.
        unsafe { &*(core::ptr::from_ref(bytes) as *const BStr) }
    }

    /// The rest of the string after `pattern`, if the string starts with it.
    pub fn strip_prefix(&self, pattern: impl AsRef<Self>) -> Option<&BStr> {
        self.0
            .strip_prefix(&pattern.as_ref().0)
            .map(BStr::from_bytes)
    }
}

/// Writes `bytes`, printable ASCII as it is and other bytes as `\xNN`;
/// `quoted` also escapes `"` and `\` and uses `\t`, `\n`, `\r`.
fn write_escaped(f: &mut fmt::Formatter<'_>, bytes: &[u8], quoted: bool) -> fmt::Result {
    for &b in bytes {
        match b {
            b'\t' if quoted => f.write_str("\\t")?,
            b'\n' if quoted => f.write_str("\\n")?,
            b'\r' if quoted => f.write_str("\\r")?,
            b'"' | b'\\' if quoted => write!(f, "\\{}", b as char)?,
            0x20..=0x7e => f.write_char(b as char)?,
            _ => write!(f, "\\x{b:02x}")?,
        }
    }
    Ok(())
}

impl fmt::Display for BStr {
    /// Printable ASCII as it is, tabs and line ends as `\t`, `\n`, `\r`,
    /// other bytes as `\xNN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &b in &self.0 {
            match b {
                b'\t' => f.write_str("\\t")?,
                b'\n' => f.write_str("\\n")?,
                b'\r' => f.write_str("\\r")?,
                _ => write_escaped(f, &[b], false)?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for BStr {
    /// As `Display`, between double quotes, with `"` and `\` escaped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        write_escaped(f, &self.0, true)?;
        f.write_char('"')
    }
}

impl Deref for BStr {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl PartialEq for BStr {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<Idx> Index<Idx> for BStr
where
    [u8]: Index<Idx, Output = [u8]>,
{
    type Output = Self;

    fn index(&self, index: Idx) -> &Self {
        BStr::from_bytes(&self.0[index])
    }
}

impl AsRef<BStr> for [u8] {
    fn as_ref(&self) -> &BStr {
        BStr::from_bytes(self)
    }
}

impl AsRef<BStr> for BStr {
    fn as_ref(&self) -> &BStr {
        self
    }
}

/// A `&'static BStr` from a string literal.
#[macro_export]
macro_rules! b_str {
    ($str:literal) => {{
        const BYTES: &'static $crate::str::BStr = $crate::str::BStr::from_bytes($str.as_bytes());
        BYTES
    }};
}

/// The string as a C `char *`, usable in constant context.
#[inline]
pub const fn as_char_ptr_in_const_context(c_str: &CStr) -> *const c_char {
    c_str.as_ptr().cast()
}

mod private {
    /// Only [`CStr`](super::CStr) implements [`CStrExt`](super::CStrExt).
    pub trait Sealed {}

    impl Sealed for super::CStr {}
}

/// The kernel's methods on [`CStr`] (in the prelude as `CStrExt as _`).
pub trait CStrExt: private::Sealed {
    /// The C string at `ptr`, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` points to a NUL-terminated string that stays valid and
    /// unchanged for `'a`.
    unsafe fn from_char_ptr<'a>(ptr: *const c_char) -> &'a Self;

    /// `bytes`, mutable, as a C string, unchecked.
    ///
    /// # Safety
    ///
    /// `bytes` ends with its only NUL byte.
    unsafe fn from_bytes_with_nul_unchecked_mut(bytes: &mut [u8]) -> &mut Self;

    /// The string as a C `char *`.
    fn as_char_ptr(&self) -> *const c_char;

    /// A copy in a new [`CString`].
    fn to_cstring(&self) -> Result<CString, AllocError>;

    /// Lowercases the ASCII letters in place.
    fn make_ascii_lowercase(&mut self);

    /// Uppercases the ASCII letters in place.
    fn make_ascii_uppercase(&mut self);

    /// A copy with the ASCII letters lowercased.
    fn to_ascii_lowercase(&self) -> Result<CString, AllocError>;

    /// A copy with the ASCII letters uppercased.
    fn to_ascii_uppercase(&self) -> Result<CString, AllocError>;
}

/// The bytes of `s` with its NUL, mutable.
///
/// # Safety
///
/// The caller keeps the last byte the only NUL until the borrow ends.
unsafe fn bytes_with_nul_mut(s: &mut CStr) -> &mut [u8] {
    // SAFETY: `CStr` is laid out as `[u8]` (its bytes with the NUL); the
    // pointer comes from a unique reference.
    unsafe { &mut *(core::ptr::from_mut(s) as *mut [u8]) }
}

impl CStrExt for CStr {
    unsafe fn from_char_ptr<'a>(ptr: *const c_char) -> &'a Self {
        // SAFETY: the caller's contract is `CStr::from_ptr`'s.
        unsafe { CStr::from_ptr(ptr.cast()) }
    }

    unsafe fn from_bytes_with_nul_unchecked_mut(bytes: &mut [u8]) -> &mut Self {
        // SAFETY: `CStr` is laid out as `[u8]`; the caller guarantees the
        // string's invariant.
        unsafe { &mut *(core::ptr::from_mut(bytes) as *mut CStr) }
    }

    fn as_char_ptr(&self) -> *const c_char {
        self.as_ptr().cast()
    }

    fn to_cstring(&self) -> Result<CString, AllocError> {
        CString::try_from(self)
    }

    fn make_ascii_lowercase(&mut self) {
        // SAFETY: lowercasing leaves NUL bytes where they are.
        unsafe { bytes_with_nul_mut(self) }.make_ascii_lowercase();
    }

    fn make_ascii_uppercase(&mut self) {
        // SAFETY: uppercasing leaves NUL bytes where they are.
        unsafe { bytes_with_nul_mut(self) }.make_ascii_uppercase();
    }

    fn to_ascii_lowercase(&self) -> Result<CString, AllocError> {
        let mut s = self.to_cstring()?;
        s.make_ascii_lowercase();
        Ok(s)
    }

    fn to_ascii_uppercase(&self) -> Result<CString, AllocError> {
        let mut s = self.to_cstring()?;
        s.make_ascii_uppercase();
        Ok(s)
    }
}

impl fmt::Display for CStr {
    /// Printable ASCII as it is, other bytes as `\xNN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, self.to_bytes(), false)
    }
}

impl AsRef<BStr> for CStr {
    fn as_ref(&self) -> &BStr {
        BStr::from_bytes(self.to_bytes())
    }
}

/// A `&'static CStr` from a string expression known at compile time (a
/// literal, `concat!`, ...); an interior NUL stops the build. Prefer
/// `c"..."` for plain literals.
#[macro_export]
macro_rules! c_str {
    ($str:expr) => {{
        const S: &str = concat!($str, "\0");
        const C: &$crate::str::CStr = match $crate::str::CStr::from_bytes_with_nul(S.as_bytes()) {
            Ok(v) => v,
            Err(_) => panic!("c_str!: the string contains a NUL byte"),
        };
        C
    }};
}

/// A formatter writing to raw memory, `[pos, end)`, that counts what it
/// could not write.
///
/// # Invariants
///
/// `beg <= pos`; every byte in `[beg, min(pos, end))` is writable while the
/// formatter lives. With `beg == end == 0`, it only counts.
pub struct RawFormatter {
    beg: usize,
    pos: usize,
    end: usize,
}

impl RawFormatter {
    /// A formatter that writes nothing and counts the bytes.
    fn new() -> Self {
        // INVARIANT: an empty range.
        Self {
            beg: 0,
            pos: 0,
            end: 0,
        }
    }

    /// A formatter over `[pos, end)`.
    ///
    /// # Safety
    ///
    /// The range is writable for the formatter's life.
    pub(crate) unsafe fn from_ptrs(pos: *mut u8, end: *mut u8) -> Self {
        // INVARIANT: the caller guarantees the range.
        Self {
            beg: pos as usize,
            pos: pos as usize,
            end: end as usize,
        }
    }

    /// A formatter over the `len` bytes at `buf`.
    ///
    /// # Safety
    ///
    /// The bytes are writable for the formatter's life.
    pub(crate) unsafe fn from_buffer(buf: *mut u8, len: usize) -> Self {
        // SAFETY: the caller's contract.
        unsafe { Self::from_ptrs(buf, buf.wrapping_add(len)) }
    }

    /// The bytes formatted so far, including those that did not fit.
    pub fn bytes_written(&self) -> usize {
        self.pos - self.beg
    }
}

impl fmt::Write for RawFormatter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = self.end.saturating_sub(self.pos);
        let n = s.len().min(room);
        if n > 0 {
            // SAFETY: `[pos, pos + n)` is inside `[beg, end)`, writable by
            // the invariant; `s` cannot overlap memory lent to us mutably.
            unsafe { core::ptr::copy_nonoverlapping(s.as_ptr(), self.pos as *mut u8, n) };
        }
        self.pos = self.pos.saturating_add(s.len());
        Ok(())
    }
}

/// A formatter into a byte buffer that fails when the buffer is full.
pub struct Formatter<'a>(RawFormatter, core::marker::PhantomData<&'a mut ()>);

impl Formatter<'_> {
    /// A formatter over the `len` bytes at `buf`.
    ///
    /// # Safety
    ///
    /// The bytes are writable for the formatter's life.
    pub(crate) unsafe fn from_buffer(buf: *mut u8, len: usize) -> Self {
        // SAFETY: the caller's contract.
        Self(
            unsafe { RawFormatter::from_buffer(buf, len) },
            core::marker::PhantomData,
        )
    }

    /// A formatter writing to `buffer`.
    pub fn new(buffer: &mut [u8]) -> Self {
        // SAFETY: the buffer is lent mutably for the formatter's life.
        unsafe { Self::from_buffer(buffer.as_mut_ptr(), buffer.len()) }
    }
}

impl Deref for Formatter<'_> {
    type Target = RawFormatter;

    fn deref(&self) -> &RawFormatter {
        &self.0
    }
}

impl fmt::Write for Formatter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.write_str(s)?;
        if self.0.pos > self.0.end {
            return Err(fmt::Error);
        }
        Ok(())
    }
}

/// A formatter into a byte buffer that keeps what it wrote NUL-terminated.
///
/// # Invariants
///
/// `buffer` is the unwritten rest and its first byte is 0.
pub struct NullTerminatedFormatter<'a> {
    buffer: &'a mut [u8],
}

impl<'a> NullTerminatedFormatter<'a> {
    /// A formatter over `buffer`, or `None` if it has no room for the NUL.
    pub fn new(buffer: &'a mut [u8]) -> Option<NullTerminatedFormatter<'a>> {
        *buffer.first_mut()? = 0;
        // INVARIANT: the first byte is 0.
        Some(Self { buffer })
    }
}

impl Write for NullTerminatedFormatter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let len = s.len();
        // The invariant keeps at least one byte, for the NUL.
        if len >= self.buffer.len() {
            return Err(fmt::Error);
        }
        let buffer = core::mem::take(&mut self.buffer);
        buffer[..len].copy_from_slice(s.as_bytes());
        let rest = &mut buffer[len..];
        rest[0] = 0;
        // INVARIANT: `rest` is not empty and starts with 0.
        self.buffer = rest;
        Ok(())
    }
}

/// An owned C string, in a kmalloc'ed buffer.
///
/// # Invariants
///
/// `buf` ends with a NUL byte and has no other.
pub struct CString {
    buf: KVec<u8>,
}

impl CString {
    /// The formatted `args` as a C string: `EINVAL` if they contain a NUL
    /// byte, `ENOMEM` if the buffer cannot be allocated.
    pub fn try_from_fmt(args: fmt::Arguments<'_>) -> Result<Self, Error> {
        let mut counter = RawFormatter::new();
        counter.write_fmt(args)?;
        let size = counter.bytes_written() + 1;

        let mut buf = KVec::with_capacity(size, GFP_KERNEL)?;
        let mut writer = VecWriter(&mut buf);
        writer.write_fmt(args)?;
        if buf.contains(&0) {
            return Err(EINVAL);
        }
        buf.push(0, GFP_KERNEL)?;
        // INVARIANT: one NUL, at the end.
        Ok(Self { buf })
    }
}

/// Appends to a vector whose capacity was reserved beforehand.
struct VecWriter<'a>(&'a mut KVec<u8>);

impl fmt::Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0
            .extend_from_slice(s.as_bytes(), GFP_KERNEL)
            .map_err(|_| fmt::Error)
    }
}

impl Deref for CString {
    type Target = CStr;

    fn deref(&self) -> &CStr {
        // SAFETY: by the invariant, the buffer ends with its only NUL.
        unsafe { CStr::from_bytes_with_nul_unchecked(self.buf.as_slice()) }
    }
}

impl DerefMut for CString {
    fn deref_mut(&mut self) -> &mut CStr {
        // SAFETY: by the invariant, the buffer ends with its only NUL.
        unsafe { CStr::from_bytes_with_nul_unchecked_mut(self.buf.as_mut_slice()) }
    }
}

impl<'a> TryFrom<&'a CStr> for CString {
    type Error = AllocError;

    fn try_from(cstr: &'a CStr) -> Result<CString, AllocError> {
        let mut buf = KVec::new();
        buf.extend_from_slice(cstr.to_bytes_with_nul(), GFP_KERNEL)?;
        // INVARIANT: a copy of a C string's bytes.
        Ok(CString { buf })
    }
}

impl fmt::Debug for CString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::Adapter;
    extern crate std;
    use std::format;

    #[test]
    fn cstr_display_escapes_non_printable() {
        let s = c"a\tb\xf0\"";
        assert_eq!(format!("{}", Adapter(s)), "a\\x09b\\xf0\"");
    }

    #[test]
    fn bstr_display_and_debug() {
        let b = b_str!("x\n\"y\"\\");
        assert_eq!(format!("{}", Adapter(b)), "x\\n\"y\"\\");
        assert_eq!(format!("{:?}", b), "\"x\\n\\\"y\\\"\\\\\"");
        assert_eq!(format!("{}", Adapter(BStr::from_bytes(&[0xff]))), "\\xff");
        assert!(b.strip_prefix(b_str!("x\n")) == Some(b_str!("\"y\"\\")));
    }

    #[test]
    fn c_str_macro() {
        const C: &CStr = c_str!(concat!("ab", "c"));
        assert_eq!(C.to_bytes_with_nul(), b"abc\0");
    }

    #[test]
    fn formatter_fails_when_full_raw_counts() {
        let mut buf = [0u8; 4];
        let mut f = Formatter::new(&mut buf);
        assert!(write!(f, "abc").is_ok());
        assert!(write!(f, "de").is_err());
        assert_eq!(&buf[..4], b"abcd");

        let mut counter = RawFormatter::new();
        assert!(write!(counter, "{}-{}", 12, "xyz").is_ok());
        assert_eq!(counter.bytes_written(), 6);
    }

    #[test]
    fn null_terminated_formatter() {
        let mut buf = [0xffu8; 5];
        assert!(NullTerminatedFormatter::new(&mut []).is_none());
        let mut f = NullTerminatedFormatter::new(&mut buf).expect("room for the NUL");
        assert!(write!(f, "ab").is_ok());
        assert!(write!(f, "cd").is_ok());
        assert!(write!(f, "e").is_err());
        assert_eq!(&buf, b"abcd\0");
    }
}

#[cfg(test)]
mod cstring_tests {
    use super::*;

    #[test]
    fn cstring_from_fmt_and_copies() {
        crate::alloc::tests::balanced(|| {
            let s = CString::try_from_fmt(format_args!("{}-{}", "ab", 12)).unwrap();
            assert_eq!(s.to_bytes_with_nul(), b"ab-12\0");
            assert!(CString::try_from_fmt(format_args!("a\0b")).is_err());
            let up = c"MiXed".to_ascii_lowercase().unwrap();
            assert_eq!(up.to_bytes(), b"mixed");
            let c = c"x".to_cstring().unwrap();
            assert_eq!(c.as_char_ptr().is_null(), false);
            assert_eq!(c.to_bytes(), b"x");
        });
    }
}
