// SPDX-License-Identifier: GPL-2.0-only
//! kelfix's own kernel APIs: what out-of-tree modules commonly use and
//! upstream's `kernel` crate (Linux 7.3) has no API for.
//!
//! Nothing under `kernel::kelfix` is part of upstream; the path keeps
//! these names apart from any later upstream API of the same name. A
//! module that uses them builds with kelfix only.

pub mod kthread;
pub mod proc;
pub mod sysfs;
pub mod timer;
