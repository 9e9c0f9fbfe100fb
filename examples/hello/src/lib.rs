//! kelfix example "hello": a module whose state (a KBox and a KVec) lives
//! from init to exit, and which calls a C helper of its own
//! (hello_helpers.c, compiled by kbuild).
//!
//! Kernel log (`hello: ` is the module's prefix, added by pr_info!):
//!   hello: init
//!   hello: running on Linux 6.1.0-…-amd64
//!   hello: squares 1..=10: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100] sum 385
//!   hello: greeting: Hello from Rust, 10 squares, 64-byte aligned box ok
//!   hello: long line: 01234567890123…  (cut at 512 bytes, ending in "...")
//!   hello: exit: dropping "Hello from Rust, …" and 10 squares
#![no_std]

use core::hint::black_box;
use kernel::{
    prelude::*,
    str::{BStr, CString},
};

module! {
    type: Hello,
    name: "hello",
    authors: ["kelfix"],
    description: "kelfix example: module!, pr_info!, KBox, KVec, CString",
    license: "GPL",
}

// hello_helpers.c: static inline kernel code behind plain functions.
extern "C" {
    fn hello_uts_sysname() -> *const c_char;
    fn hello_uts_release() -> *const c_char;
}

/// The running kernel's name and release (`uname -sr`), copied: the
/// strings belong to the caller's UTS namespace.
fn uname() -> Result<(CString, CString)> {
    // SAFETY: both return NUL-terminated strings of the current task's UTS
    // namespace, which outlives this call.
    let (sysname, release) = unsafe {
        (
            CStr::from_char_ptr(hello_uts_sysname()),
            CStr::from_char_ptr(hello_uts_release()),
        )
    };
    Ok((CString::try_from(sysname)?, CString::try_from(release)?))
}

/// What the module keeps between init and exit.
struct Hello {
    greeting: KBox<CString>,
    squares: KVec<u64>,
}

/// An alignment kmalloc does not give by itself (it aligns to 8).
#[repr(align(64))]
struct Aligned64(u64);

/// `n` digits 0123456789012…, more than a log line holds.
fn digits(n: usize) -> Result<KVec<u8>> {
    let mut line = KVec::with_capacity(n, GFP_KERNEL)?;
    for b in b"0123456789".iter().cycle().take(n) {
        line.push(*b, GFP_KERNEL)?;
    }
    Ok(line)
}

impl kernel::Module for Hello {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("init\n");
        let (sysname, release) = uname()?;
        pr_info!("running on {} {}\n", &*sysname, &*release);
        let n = black_box(10u64); // computed at run time, not by the compiler
        let mut squares = KVec::new();
        for i in 1..=n {
            squares.push(i * i, GFP_KERNEL)?;
        }
        let sum: u64 = squares.iter().sum();
        pr_info!("squares 1..={}: {:?} sum {}\n", n, squares, sum);

        let aligned = black_box(KBox::new(Aligned64(7), GFP_KERNEL)?);
        let addr = &*aligned as *const Aligned64 as usize;
        let check = if addr % 64 == 0 && aligned.0 == 7 {
            "ok"
        } else {
            "MISALIGNED"
        };

        let greeting = KBox::new(
            CString::try_from_fmt(fmt!(
                "Hello from {}, {} squares, 64-byte aligned box {}",
                "Rust",
                squares.len(),
                check
            ))?,
            GFP_KERNEL,
        )?;
        pr_info!("greeting: {}\n", &**greeting);
        // Longer than a log line (512 bytes): cut, ending in "...".
        pr_info!("long line: {}\n", BStr::from_bytes(&digits(600)?));
        Ok(Hello { greeting, squares })
    }
}

impl Drop for Hello {
    fn drop(&mut self) {
        pr_info!(
            "exit: dropping {:?} and {} squares\n",
            &**self.greeting,
            self.squares.len()
        );
    }
}
