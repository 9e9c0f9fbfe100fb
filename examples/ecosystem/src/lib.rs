//! kelfix example "ecosystem": more crates from the Rust ecosystem, each
//! doing its job inside the kernel. Kernel log:
//!
//!   ecosystem: sha256("The quick brown fox jumps over the lazy dog") = d7a8fbb3…c9e592
//!   ecosystem: words by length: [("The", 3), ("dog", 3), …, ("quick", 5)]
//!   ecosystem: inflated 49 bytes to 430: the text 10 times: true
//!   ecosystem: ryu 0.1 + 0.2 = 0.30000000000000004, itoa i64::MIN = -9223372036854775808
//!   ecosystem: libm sqrt(2) = 1.4142135623730951, hypot(3, 4) = 5
//!   ecosystem: smallvec of 10 squares: sum 285, on the heap: true, memchr 'z' at Some(37)
//!
//! (sha256sum's digest; 0.1 + 0.2 and sqrt(2) as Python's repr prints
//! them.) Floating point is soft-float here: x86_64-unknown-none has no
//! SSE, and compiler_builtins does the arithmetic without touching the FPU.
//! The crates' `alloc` types (hashbrown's table, miniz_oxide's output)
//! allocate through the kernel crate's global allocator (kmalloc,
//! GFP_KERNEL).
#![no_std]

use core::hint::black_box;
use kernel::prelude::*;

module! {
    type: Ecosystem,
    name: "ecosystem",
    authors: ["kelfix"],
    description: "kelfix example: sha2, hashbrown, miniz_oxide, ryu, itoa, libm, smallvec, memchr",
    license: "GPL",
}

const TEXT: &str = "The quick brown fox jumps over the lazy dog";

/// TEXT ten times, raw deflate: Python's
/// `zlib.compressobj(9, zlib.DEFLATED, -15)`, compress + flush.
const DEFLATED: [u8; 49] = [
    0x0b, 0xc9, 0x48, 0x55, 0x28, 0x2c, 0xcd, 0x4c, 0xce, 0x56, 0x48, 0x2a, 0xca, 0x2f, 0xcf, 0x53,
    0x48, 0xcb, 0xaf, 0x50, 0xc8, 0x2a, 0xcd, 0x2d, 0x28, 0x56, 0xc8, 0x2f, 0x4b, 0x2d, 0x52, 0x28,
    0x01, 0x4a, 0xe7, 0x24, 0x56, 0x55, 0x2a, 0xa4, 0xe4, 0xa7, 0x87, 0x8c, 0x2a, 0x1d, 0x68, 0xa5,
    0x00,
];

/// A float printed with `{}`: the kernel's formatting has no floats of its
/// own (the kernel has none), this one is core's.
struct Float(f64);

impl kernel::fmt::Display for Float {
    fn fmt(&self, f: &mut kernel::fmt::Formatter<'_>) -> kernel::fmt::Result {
        core::fmt::Display::fmt(&self.0, f)
    }
}

struct Ecosystem;

impl kernel::Module for Ecosystem {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let text = black_box(TEXT); // computed at run time, in the kernel

        use sha2::Digest;
        let digest = sha2::Sha256::digest(text.as_bytes());
        pr_info!("sha256({:?}) = {:x}\n", text, digest);

        // Word -> length in a SwissTable with the FNV hasher, then by length.
        let mut words: hashbrown::HashMap<&str, usize, fnv::FnvBuildHasher> = Default::default();
        for w in text.split(' ') {
            words.insert(w, w.len());
        }
        let mut by_len = KVec::with_capacity(words.len(), GFP_KERNEL)?;
        for word in words {
            by_len.push(word, GFP_KERNEL)?;
        }
        // No two entries are equal (the words are the map's keys).
        by_len.sort_unstable_by(|a: &(&str, usize), b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
        pr_info!("words by length: {:?}\n", by_len);

        // Inflate only: miniz_oxide's compress_to_vec takes a stack frame of
        // 64 KiB, four times a kernel stack; kelfix refuses to link it.
        let out =
            miniz_oxide::inflate::decompress_to_vec(black_box(&DEFLATED)).map_err(|_| EINVAL)?;
        let tens =
            out.len() == 10 * text.len() && out.chunks(text.len()).all(|c| c == text.as_bytes());
        pr_info!(
            "inflated {} bytes to {}: the text 10 times: {}\n",
            DEFLATED.len(),
            out.len(),
            tens
        );

        let mut r = ryu::Buffer::new();
        let mut i = itoa::Buffer::new();
        pr_info!(
            "ryu 0.1 + 0.2 = {}, itoa i64::MIN = {}\n",
            r.format(black_box(0.1f64) + black_box(0.2f64)),
            i.format(black_box(i64::MIN))
        );
        pr_info!(
            "libm sqrt(2) = {}, hypot(3, 4) = {}\n",
            Float(libm::sqrt(black_box(2.0))),
            Float(libm::hypot(black_box(3.0), black_box(4.0)))
        );

        let mut squares: smallvec::SmallVec<[u32; 4]> = smallvec::SmallVec::new();
        for n in 0..black_box(10u32) {
            squares.push(n * n);
        }
        pr_info!(
            "smallvec of 10 squares: sum {}, on the heap: {}, memchr 'z' at {:?}\n",
            squares.iter().sum::<u32>(),
            squares.spilled(),
            memchr::memchr(b'z', text.as_bytes())
        );
        Ok(Ecosystem)
    }
}

impl Drop for Ecosystem {
    fn drop(&mut self) {
        pr_info!("exit\n");
    }
}
