//! kelfix test module: init indexes an empty vector. The runtime's panic
//! handler logs where and why, then BUG()s: the kernel log must read
//!
//!   rust_panic: Rust panic at src/lib.rs:27:14: index out of bounds: the len is 0 but the index is 3
//!   kernel BUG at …/kelfix_rt.c:…
//!
//! (tests/e2e/examples.cmake; the place is the one rustc gives for the
//! indexing on line 27 below.)
#![no_std]

extern crate alloc;

use alloc::vec::Vec;
use core::hint::black_box;
use kelfix::prelude::*;

kelfix::module! {
    name: "rust_panic",
    license: "GPL",
    init: panic_init,
    exit: panic_exit,
}

fn panic_init() -> Result {
    pr_info!("rust_panic: init");
    let v: Vec<u32> = black_box(Vec::new());
    let x = v[black_box(3)];
    pr_info!("rust_panic: never printed {}", x);
    Ok(())
}

fn panic_exit(_: ()) {}
