//! kelfix example "deps": hashes and encodes a fixed text with three crates
//! from the Rust ecosystem, inside the kernel. Kernel log:
//!
//!   deps: md5("The quick brown fox jumps over the lazy dog") = 9e107d9d372bb6826bd81d3542a419d6
//!   deps: crc32("The quick brown fox jumps over the lazy dog") = 414fa339
//!   deps: base64("The quick brown fox jumps over the lazy dog") = VGhlIHF1aWNr…
//!
//! (the same as `md5sum`, the CRC-32 in a gzip trailer, and `base64`).
#![no_std]

extern crate alloc;

use core::hint::black_box;
use kelfix::prelude::*;

kelfix::module! {
    name: "deps",
    license: "GPL",
    author: "kelfix",
    description: "kelfix example: md5, crc32fast and base64 in a kernel module",
    init: deps_init,
    exit: deps_exit,
}

const TEXT: &str = "The quick brown fox jumps over the lazy dog";

fn deps_init() -> Result {
    let text = black_box(TEXT); // hashed at run time, in the kernel
    let digest = md5::compute(text.as_bytes());
    pr_info!("deps: md5({:?}) = {:x}", text, digest);

    let mut crc = crc32fast::Hasher::new();
    crc.update(text.as_bytes());
    pr_info!("deps: crc32({:?}) = {:08x}", text, crc.finalize());

    let encoded: String = base64::encode(text.as_bytes());
    pr_info!("deps: base64({:?}) = {}", text, encoded);
    Ok(())
}

fn deps_exit(_: ()) {
    pr_info!("deps: exit");
}
