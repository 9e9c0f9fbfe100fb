// SPDX-License-Identifier: GPL-2.0-only
//! Files and I/O requests of the VFS (`include/linux/fs.h`).

pub mod file;
pub use self::file::{File, LocalFile};

mod kiocb;
pub use self::kiocb::Kiocb;
