// SPDX-License-Identifier: GPL-2.0-only
//! ioctl command numbers: the `_IO*` encoders and `_IOC_*` decoders of
//! the kernel's `asm-generic/ioctl.h`, as `const fn`s.
//!
//! The field layout is the generic one, which x86 uses (other
//! architectures kelfix does not build for override some widths).
#![allow(non_snake_case)]

use crate::build_assert::build_assert;

/// Field widths and positions (include/uapi/asm-generic/ioctl.h).
mod layout {
    pub(super) const NRBITS: u32 = 8;
    pub(super) const TYPEBITS: u32 = 8;
    pub(super) const SIZEBITS: u32 = 14;
    pub(super) const DIRBITS: u32 = 2;

    pub(super) const NRMASK: u32 = (1 << NRBITS) - 1;
    pub(super) const TYPEMASK: u32 = (1 << TYPEBITS) - 1;
    pub(super) const SIZEMASK: u32 = (1 << SIZEBITS) - 1;
    pub(super) const DIRMASK: u32 = (1 << DIRBITS) - 1;

    pub(super) const NRSHIFT: u32 = 0;
    pub(super) const TYPESHIFT: u32 = NRSHIFT + NRBITS;
    pub(super) const SIZESHIFT: u32 = TYPESHIFT + TYPEBITS;
    pub(super) const DIRSHIFT: u32 = SIZESHIFT + SIZEBITS;

    /// Direction values: no data, user writes, user reads.
    pub(super) const NONE: u32 = 0;
    pub(super) const WRITE: u32 = 1;
    pub(super) const READ: u32 = 2;
}

/// Packs direction, type, number and argument size into a command,
/// refusing (at build time where the arguments are constant) any field
/// wider than its slot.
#[inline(always)]
const fn _IOC(dir: u32, ty: u32, nr: u32, size: usize) -> u32 {
    build_assert!(dir <= layout::DIRMASK);
    build_assert!(ty <= layout::TYPEMASK);
    build_assert!(nr <= layout::NRMASK);
    build_assert!(size <= layout::SIZEMASK as usize);
    (dir << layout::DIRSHIFT)
        | (ty << layout::TYPESHIFT)
        | (nr << layout::NRSHIFT)
        | ((size as u32) << layout::SIZESHIFT)
}

/// A command that passes no data.
#[inline(always)]
pub const fn _IO(ty: u32, nr: u32) -> u32 {
    _IOC(layout::NONE, ty, nr, 0)
}

/// A command through which user space reads a `T` from the driver.
#[inline(always)]
pub const fn _IOR<T>(ty: u32, nr: u32) -> u32 {
    _IOC(layout::READ, ty, nr, core::mem::size_of::<T>())
}

/// A command through which user space hands a `T` to the driver.
#[inline(always)]
pub const fn _IOW<T>(ty: u32, nr: u32) -> u32 {
    _IOC(layout::WRITE, ty, nr, core::mem::size_of::<T>())
}

/// A command that passes a `T` both ways.
#[inline(always)]
pub const fn _IOWR<T>(ty: u32, nr: u32) -> u32 {
    _IOC(
        layout::READ | layout::WRITE,
        ty,
        nr,
        core::mem::size_of::<T>(),
    )
}

/// The direction bits of a command.
pub const fn _IOC_DIR(nr: u32) -> u32 {
    (nr >> layout::DIRSHIFT) & layout::DIRMASK
}

/// The type (driver letter) of a command.
pub const fn _IOC_TYPE(nr: u32) -> u32 {
    (nr >> layout::TYPESHIFT) & layout::TYPEMASK
}

/// The sequence number of a command.
pub const fn _IOC_NR(nr: u32) -> u32 {
    (nr >> layout::NRSHIFT) & layout::NRMASK
}

/// The argument size, in bytes, encoded in a command.
pub const fn _IOC_SIZE(nr: u32) -> usize {
    ((nr >> layout::SIZESHIFT) & layout::SIZEMASK) as usize
}
