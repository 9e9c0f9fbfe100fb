//! kelfix example "deps": hashes and encodes a fixed text with three crates
//! from the Rust ecosystem, inside the kernel. Kernel log:
//!
//!   deps: md5("The quick brown fox jumps over the lazy dog") = 9e107d9d372bb6826bd81d3542a419d6
//!   deps: crc32("The quick brown fox jumps over the lazy dog") = 414fa339
//!   deps: base64("The quick brown fox jumps over the lazy dog") = VGhlIHF1aWNr…
//!
//! (the same as `md5sum`, the CRC-32 in a gzip trailer, and `base64`).
//! base64 returns an `alloc::string::String`: `alloc`'s types allocate
//! through the kernel crate's global allocator (kmalloc, GFP_KERNEL).
#![no_std]

use core::hint::black_box;
use kernel::prelude::*;

module! {
    type: Deps,
    name: "deps",
    authors: ["kelfix"],
    description: "kelfix example: md5, crc32fast and base64 in a kernel module",
    license: "GPL",
}

const TEXT: &str = "The quick brown fox jumps over the lazy dog";

struct Deps;

impl kernel::Module for Deps {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let text = black_box(TEXT); // hashed at run time, in the kernel
        let digest = md5::compute(text.as_bytes());
        pr_info!("md5({:?}) = {:x}\n", text, digest);

        let mut crc = crc32fast::Hasher::new();
        crc.update(text.as_bytes());
        pr_info!("crc32({:?}) = {:08x}\n", text, crc.finalize());

        let encoded = base64::encode(text.as_bytes());
        pr_info!("base64({:?}) = {}\n", text, encoded.as_str());
        Ok(Deps)
    }
}

impl Drop for Deps {
    fn drop(&mut self) {
        pr_info!("exit\n");
    }
}
