//! kelfix example "hello": a module whose state (a Box, a Vec and a
//! String made with format!) lives from init to exit, and which calls a C
//! helper of its own (hello_helpers.c, compiled by kbuild).
//!
//! Kernel log:
//!   hello: init
//!   hello: running on Linux 6.1.0-…-amd64
//!   hello: squares 1..=10: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100] sum 385
//!   hello: greeting: Hello from Rust, 10 squares, 64-byte aligned box ok
//!   hello: long line: 01234567890123…  (cut at 256 bytes, ending in "...")
//!   hello: exit: dropping "Hello from Rust, …" and 10 squares
#![no_std]

extern crate alloc;

use core::ffi::{c_char, CStr};
use core::hint::black_box;
use kelfix::prelude::*;

kelfix::module! {
    name: "hello",
    license: "GPL",
    author: "kelfix",
    description: "kelfix example: module!, pr_info!, Box, Vec, String, format!",
    init: hello_init,
    exit: hello_exit,
}

// hello_helpers.c: static inline kernel code behind plain functions.
extern "C" {
    fn hello_uts_sysname() -> *const c_char;
    fn hello_uts_release() -> *const c_char;
}

/// The running kernel's name and release (`uname -sr`), copied: the
/// strings belong to the caller's UTS namespace.
fn uname() -> (String, String) {
    // SAFETY: both return NUL-terminated strings of the current task's UTS
    // namespace, which outlives this call.
    let (sysname, release) = unsafe {
        (
            CStr::from_ptr(hello_uts_sysname()),
            CStr::from_ptr(hello_uts_release()),
        )
    };
    (
        String::from_utf8_lossy(sysname.to_bytes()).into_owned(),
        String::from_utf8_lossy(release.to_bytes()).into_owned(),
    )
}

/// What the module keeps between init and exit.
struct Hello {
    greeting: Box<String>,
    squares: Vec<u64>,
}

/// An alignment kmalloc does not give by itself (it aligns to 8).
#[repr(align(64))]
struct Aligned64(u64);

fn hello_init() -> Result<Hello> {
    pr_info!("hello: init");
    let (sysname, release) = uname();
    pr_info!("hello: running on {} {}", sysname, release);
    let n = black_box(10u64); // computed at run time, not by the compiler
    let squares: Vec<u64> = (1..=n).map(|i| i * i).collect();
    let sum: u64 = squares.iter().sum();
    pr_info!("hello: squares 1..={}: {:?} sum {}", n, squares, sum);

    let aligned = black_box(Box::new(Aligned64(7)));
    let addr = &*aligned as *const Aligned64 as usize;
    let check = if addr % 64 == 0 && aligned.0 == 7 {
        "ok"
    } else {
        "MISALIGNED"
    };

    let mut greeting = String::from("Hello");
    greeting.push_str(" from Rust");
    let greeting = Box::new(format!(
        "{}, {} squares, 64-byte aligned box {}",
        greeting,
        squares.len(),
        check
    ));
    pr_info!("hello: greeting: {}", greeting);
    // Longer than a log line (256 bytes): cut, ending in "...".
    pr_info!("hello: long line: {}", "0123456789".repeat(30));
    Ok(Hello { greeting, squares })
}

fn hello_exit(hello: Hello) {
    pr_info!(
        "hello: exit: dropping {:?} and {} squares",
        hello.greeting,
        hello.squares.len()
    );
}
