// SPDX-License-Identifier: GPL-2.0-only
//! How values turn into the text or bytes of a debugfs file, and how a
//! write to the file changes them.
//!
//! Where upstream asks for zerocopy's `IntoBytes`/`FromBytes` (and
//! `Immutable`), kelfix asks for [`AsBytes`]/[`FromBytes`] of
//! [`crate::transmute`], implemented for integers and arrays of them.

use crate::{
    alloc::Allocator,
    fmt,
    fs::file,
    prelude::*,
    sync::{
        atomic::{Atomic, AtomicType, Relaxed},
        Arc, Mutex,
    },
    transmute::{AsBytes, FromBytes},
    uaccess::{UserSliceReader, UserSliceWriter},
};
use core::str::FromStr;

/// A value shown as text by a readable debugfs file.
///
/// Every `Debug` type is one (shown as `{:?}` and a newline); so is a
/// [`Mutex`] of one, shown while locked. `Debug` output may change between
/// Rust releases: implement this trait by hand where a stable format
/// matters.
pub trait Writer {
    /// Writes the text of `self` to `f`.
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl<T: fmt::Debug> Writer for T {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{self:?}")
    }
}

impl<T: Writer> Writer for Mutex<T> {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.lock().write(f)
    }
}

/// A value a write to a debugfs file updates (through a shared
/// reference, so with interior mutability).
///
/// Implemented for [`Atomic`] integers and for a [`Mutex`] of any
/// `FromStr` type: the written text, without surrounding white space, is
/// parsed and stored; text that does not parse is [`EINVAL`].
pub trait Reader {
    /// Takes the value written in `reader`.
    fn read_from_slice(&self, reader: &mut UserSliceReader) -> Result;
}

/// Parses the whole of `reader` as a `T`, with at most `N` bytes of text.
fn parse_written<T: FromStr, const N: usize>(reader: &mut UserSliceReader) -> Result<T> {
    let mut text = [0u8; N];
    let len = reader.len();
    let text = text.get_mut(..len).ok_or(EINVAL)?;
    reader.read_slice(text)?;
    let text = core::str::from_utf8(text).map_err(|_| EINVAL)?;
    text.trim().parse().map_err(|_| EINVAL)
}

impl<T: FromStr + Unpin> Reader for Mutex<T> {
    fn read_from_slice(&self, reader: &mut UserSliceReader) -> Result {
        let value = parse_written::<T, 128>(reader)?;
        *self.lock() = value;
        Ok(())
    }
}

impl<T: AtomicType + FromStr> Reader for Atomic<T> {
    fn read_from_slice(&self, reader: &mut UserSliceReader) -> Result {
        // 21 bytes: an i64 or u64 in decimal, with a sign or a newline.
        self.store(parse_written::<T, 21>(reader)?, Relaxed);
        Ok(())
    }
}

/// A value a readable binary debugfs file shows as raw bytes.
pub trait BinaryWriter {
    /// Copies bytes of `self` from position `*offset` on into `writer`,
    /// advancing `*offset`; returns how many were copied (0 at the end).
    fn write_to_slice(
        &self,
        writer: &mut UserSliceWriter,
        offset: &mut file::Offset,
    ) -> Result<usize>;
}

// Plain data: its own bytes. `AsBytes` types have no interior
// mutability here (integers and arrays of them).
impl<T: AsBytes> BinaryWriter for T {
    fn write_to_slice(
        &self,
        writer: &mut UserSliceWriter,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        writer.write_slice_file(self.as_bytes(), offset)
    }
}

impl<T: BinaryWriter> BinaryWriter for Mutex<T> {
    fn write_to_slice(
        &self,
        writer: &mut UserSliceWriter,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        self.lock().write_to_slice(writer, offset)
    }
}

impl<T: BinaryWriter, A: Allocator> BinaryWriter for Box<T, A> {
    fn write_to_slice(
        &self,
        writer: &mut UserSliceWriter,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        (**self).write_to_slice(writer, offset)
    }
}

impl<T: BinaryWriter, A: Allocator> BinaryWriter for Pin<Box<T, A>> {
    fn write_to_slice(
        &self,
        writer: &mut UserSliceWriter,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        (**self).write_to_slice(writer, offset)
    }
}

impl<T: BinaryWriter> BinaryWriter for Arc<T> {
    fn write_to_slice(
        &self,
        writer: &mut UserSliceWriter,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        (**self).write_to_slice(writer, offset)
    }
}

impl<T: AsBytes, A: Allocator> BinaryWriter for Vec<T, A> {
    fn write_to_slice(
        &self,
        writer: &mut UserSliceWriter,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        writer.write_slice_file(self.as_slice().as_bytes(), offset)
    }
}

/// A value whose raw bytes a write overwrites, through `&mut self`: the
/// inside of a lock (see [`BinaryReader`] for `Mutex<T>`).
pub trait BinaryReaderMut {
    /// Copies the bytes of `reader` into `self` from position `*offset`
    /// on, advancing `*offset`; returns how many were taken (0 past the
    /// end).
    fn read_from_slice_mut(
        &mut self,
        reader: &mut UserSliceReader,
        offset: &mut file::Offset,
    ) -> Result<usize>;
}

impl<T: FromBytes + AsBytes> BinaryReaderMut for T {
    fn read_from_slice_mut(
        &mut self,
        reader: &mut UserSliceReader,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        reader.read_slice_file(self.as_bytes_mut(), offset)
    }
}

impl<T: ?Sized + BinaryReaderMut, A: Allocator> BinaryReaderMut for Box<T, A> {
    fn read_from_slice_mut(
        &mut self,
        reader: &mut UserSliceReader,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        (**self).read_from_slice_mut(reader, offset)
    }
}

impl<T: FromBytes + AsBytes, A: Allocator> BinaryReaderMut for Vec<T, A> {
    fn read_from_slice_mut(
        &mut self,
        reader: &mut UserSliceReader,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        reader.read_slice_file(self.as_mut_slice().as_bytes_mut(), offset)
    }
}

/// A value whose raw bytes a write to a writable binary debugfs file
/// overwrites, through a shared reference (a lock inside).
pub trait BinaryReader {
    /// Copies the bytes of `reader` into `self` from position `*offset`
    /// on, advancing `*offset`; returns how many were taken (0 past the
    /// end).
    fn read_from_slice(
        &self,
        reader: &mut UserSliceReader,
        offset: &mut file::Offset,
    ) -> Result<usize>;
}

impl<T: BinaryReaderMut + Unpin> BinaryReader for Mutex<T> {
    fn read_from_slice(
        &self,
        reader: &mut UserSliceReader,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        self.lock().read_from_slice_mut(reader, offset)
    }
}

impl<T: ?Sized + BinaryReader, A: Allocator> BinaryReader for Box<T, A> {
    fn read_from_slice(
        &self,
        reader: &mut UserSliceReader,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        (**self).read_from_slice(reader, offset)
    }
}

impl<T: ?Sized + BinaryReader, A: Allocator> BinaryReader for Pin<Box<T, A>> {
    fn read_from_slice(
        &self,
        reader: &mut UserSliceReader,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        (**self).read_from_slice(reader, offset)
    }
}

impl<T: ?Sized + BinaryReader> BinaryReader for Arc<T> {
    fn read_from_slice(
        &self,
        reader: &mut UserSliceReader,
        offset: &mut file::Offset,
    ) -> Result<usize> {
        (**self).read_from_slice(reader, offset)
    }
}
