// SPDX-License-Identifier: GPL-2.0-only
//! Whether the compiler takes `#[unsafe(no_mangle)]` and
//! `#[unsafe(link_section = ..)]` (Rust 1.82 and later; the edition 2024
//! requires them): `module!` writes its attributes that way when it does,
//! plainly for older compilers (kelfix accepts Rust 1.78 and later).
use std::process::Command;

fn main() {
    println!("cargo:rustc-check-cfg=cfg(unsafe_attributes)");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    // "rustc 1.82.0 (...)": the minor version.
    let minor = version
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.split('.').nth(1))
        .and_then(|m| m.parse::<u32>().ok());
    if minor.is_some_and(|m| m >= 82) {
        println!("cargo:rustc-cfg=unsafe_attributes");
    }
}
