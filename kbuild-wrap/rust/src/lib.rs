//! kelfix runtime: what a Rust kernel module built with kelfix needs.
//!
//! - [`module!`]: `init_module` / `cleanup_module` and the `.modinfo`
//!   entries (license, author, description).
//! - [`pr_info!`], [`pr_err!`], ...: `core::fmt` lines to the kernel log.
//! - A `#[global_allocator]` over kmalloc/krealloc/kfree (`Box`, `Vec`,
//!   `String`, `format!` work; process context only: GFP_KERNEL).
//! - A `#[panic_handler]` that logs the message and location, then BUG().
//! - [`Error`] / [`Result`]: errno values.
//! - [`uaccess`]: user-space buffers copied safely (bad pointers give
//!   `EFAULT`), [`miscdev`]: a misc character device, [`sync::Mutex`].
//!
//! Every kernel call goes through the C helpers in `helpers/kelfix_rt.c`,
//! which kbuild compiles for the target kernel into the same module
//! (kbuild-wrap/kelfix.mk adds them): Rust code does not depend on the
//! kernel version.
#![no_std]

extern crate alloc;

#[doc(hidden)]
pub mod ffi;

pub mod error;
mod heap;
pub mod miscdev;
pub mod module;
mod panic;
pub mod print;
pub mod sync;
pub mod uaccess;

pub use error::{Error, Result};

/// `use kelfix::prelude::*;`: the macros, [`Error`], [`Result`] and the
/// `alloc` types a module usually needs.
pub mod prelude {
    pub use crate::error::{Error, Result};
    pub use crate::{pr_alert, pr_crit, pr_debug, pr_emerg, pr_err, pr_info, pr_notice, pr_warn};
    pub use alloc::boxed::Box;
    pub use alloc::format;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}
