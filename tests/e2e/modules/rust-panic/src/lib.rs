//! kelfix test module: init indexes an empty vector. The kernel crate's
//! panic handler logs where and why, then BUG()s: the kernel log must read
//!
//!   rust_panic: panicked at src/lib.rs:29:18:
//!   index out of bounds: the len is 0 but the index is 3
//!   kernel BUG at …/kelfix_core.c:…
//!
//! (tests/e2e/examples.cmake; the place is the one rustc gives for the
//! indexing on line 29 below.)
#![no_std]

use core::hint::black_box;
use kernel::prelude::*;

module! {
    type: RustPanic,
    name: "rust_panic",
    authors: ["kelfix"],
    description: "kelfix test module: a Rust panic in init",
    license: "GPL",
}

struct RustPanic;

impl kernel::Module for RustPanic {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("init\n");
        let v: KVec<u32> = black_box(KVec::new());
        let x = v[black_box(3)];
        pr_info!("never printed {}\n", x);
        Ok(RustPanic)
    }
}
