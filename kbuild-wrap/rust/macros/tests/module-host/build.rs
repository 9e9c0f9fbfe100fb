// SPDX-License-Identifier: GPL-2.0-only
//! Built as a loadable module is: with `--cfg MODULE`.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(MODULE)");
    println!("cargo::rustc-cfg=MODULE");
}
