// SPDX-License-Identifier: GPL-2.0-only
//! The kernel's side of a module: loading, unloading, parameters.

use core::ffi::{c_char, CStr};
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::bindings::{self, kernel_param};
use crate::error::{code::ENOMEM, Result};
use crate::{ModuleMetadata, ThisModule};
use macros::module;

module! {
    type: Sample,
    name: "sample-mod",
    authors: ["A. Hacker", "B. Hacker"],
    author: "Old Style",
    description: "A sample",
    license: "GPL",
    alias: ["devname:sample"],
    firmware: ["sample.bin"],
    imports_ns: ["SAMPLE_NS"],
    params: {
        level: u8 {
            default: 3,
            description: "Log level",
        },
        small: i8 {
            default: -1,
            description: "A small one",
        },
        big: i64 {
            default: i64::MIN,
            description: "A big one",
        },
        size: usize {
            default: 1 << 4,
            description: "A size",
        },
        verbose: bool {
            default: true,
            description: "Log more",
        }
    }
}

static FAIL_INIT: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicUsize = AtomicUsize::new(0);

struct Sample {
    level: u8,
}

impl crate::Module for Sample {
    fn init(module: &'static ThisModule) -> Result<Self> {
        assert_eq!(module.as_ptr(), &raw mut bindings::__this_module);
        if FAIL_INIT.load(Ordering::Relaxed) {
            return Err(ENOMEM);
        }
        LIVE.fetch_add(1, Ordering::Relaxed);
        Ok(Sample {
            level: module_parameters::level.value(),
        })
    }
}

impl Drop for Sample {
    fn drop(&mut self) {
        assert_eq!(self.level, 3);
        LIVE.fetch_sub(1, Ordering::Relaxed);
    }
}

unsafe extern "C" {
    // The entry points, called by their names as the kernel calls them.
    fn init_module() -> core::ffi::c_int;
    fn cleanup_module();

    // The linker's bounds of the `__param` section.
    static __start___param: kernel_param;
    static __stop___param: kernel_param;
}

/// The `__param` entry named `name`.
fn param(name: &str) -> &'static kernel_param {
    // SAFETY: the section holds an array of `kernel_param`s, from the
    // `static`s that module! put there.
    let params = unsafe {
        let start = &raw const __start___param;
        let count = (&raw const __stop___param).offset_from(start);
        core::slice::from_raw_parts(start, count as usize)
    };
    params
        .iter()
        // SAFETY: `name` is a C string literal.
        .find(|p| unsafe { CStr::from_ptr(p.name) }.to_bytes() == name.as_bytes())
        .unwrap_or_else(|| panic!("no parameter {name}"))
}

/// What the kernel does for `NAME=VALUE` on the insmod command line.
fn set(name: &str, value: &CStr) -> i32 {
    let p = param(name);
    // SAFETY: `ops` points to a static `kernel_param_ops`.
    let set = unsafe { (*p.ops).set }.expect("set operation");
    // SAFETY: the arguments are valid as the kernel passes them.
    unsafe { set(value.as_ptr(), p) }
}

#[test]
fn metadata() {
    assert_eq!(<LocalModule as ModuleMetadata>::NAME, c"sample-mod");
    assert_eq!(__LOG_PREFIX, b"sample-mod\0");
    let p = param("level");
    assert_eq!((p.perm, p.level, p.flags), (0, -1, 0));
    assert_eq!(p.mod_, &raw mut bindings::__this_module);
    // SAFETY: `ops` points to a static `kernel_param_ops`.
    let ops = unsafe { &*p.ops };
    assert!(ops.get.is_none() && ops.free.is_none());
    assert!(core::ptr::eq(ops, &crate::module_param::PARAM_OPS_U8));
}

#[test]
fn integer_parameters() {
    assert_eq!(module_parameters::small.value(), -1);
    assert_eq!(set("small", c"128"), -34); // ERANGE
    assert_eq!(set("small", c"x"), -22); // EINVAL
    assert_eq!(module_parameters::small.value(), -1);
    assert_eq!(set("small", c"-0x80\n"), 0);
    assert_eq!(module_parameters::small.value(), -128);
    assert_eq!(set("small", c"1"), -17); // EEXIST: set once only

    assert_eq!(module_parameters::big.value(), i64::MIN);
    assert_eq!(set("big", c"9223372036854775807"), 0);
    assert_eq!(module_parameters::big.value(), i64::MAX);

    assert_eq!(*module_parameters::size.value_ref(), 16);
    assert_eq!(set("size", c"-1"), -22);
    assert_eq!(set("size", c"0777"), 0);
    assert_eq!(module_parameters::size.value(), 0o777);
}

#[test]
fn bool_parameter() {
    assert!(module_parameters::verbose.value());
    assert_eq!(set("verbose", c"maybe"), -22);
    assert_eq!(set("verbose", c"off"), 0);
    assert!(!module_parameters::verbose.value());
}

#[test]
fn null_value_is_refused() {
    let p = param("level");
    // SAFETY: as `set`, with the null value of `level` without `=`.
    let ret = unsafe { (*p.ops).set.unwrap()(core::ptr::null::<c_char>(), p) };
    assert_eq!(ret, -22);
}

#[test]
fn load_and_unload() {
    FAIL_INIT.store(true, Ordering::Relaxed);
    // SAFETY: one call at a time, the module is not loaded.
    assert_eq!(unsafe { init_module() }, -12);
    assert_eq!(LIVE.load(Ordering::Relaxed), 0);
    FAIL_INIT.store(false, Ordering::Relaxed);
    // SAFETY: the failed call left nothing to clean up.
    assert_eq!(unsafe { init_module() }, 0);
    assert_eq!(LIVE.load(Ordering::Relaxed), 1);
    // SAFETY: the module is loaded.
    unsafe { cleanup_module() };
    assert_eq!(LIVE.load(Ordering::Relaxed), 0);
}

/// The contents of the section `name` of this test program (ELF64, little
/// endian): the `.modinfo` the kernel's modpost and modinfo would read.
fn own_section(name: &str) -> Vec<u8> {
    let elf = std::fs::read("/proc/self/exe").expect("read /proc/self/exe");
    let word = |at: usize, size: usize| {
        let mut bytes = [0u8; 8];
        bytes[..size].copy_from_slice(&elf[at..at + size]);
        u64::from_le_bytes(bytes) as usize
    };
    let (shoff, shentsize, shnum, shstrndx) =
        (word(0x28, 8), word(0x3a, 2), word(0x3c, 2), word(0x3e, 2));
    let header = |i: usize| shoff + i * shentsize;
    let names = word(header(shstrndx) + 0x18, 8);
    (0..shnum)
        .find(|&i| {
            let start = names + word(header(i), 4);
            elf[start..].split(|&b| b == 0).next() == Some(name.as_bytes())
        })
        .map(|i| {
            let (offset, size) = (word(header(i) + 0x18, 8), word(header(i) + 0x20, 8));
            elf[offset..offset + size].to_vec()
        })
        .unwrap_or_else(|| panic!("no section {name}"))
}

#[test]
fn modinfo() {
    let section = own_section(".modinfo");
    let entries: Vec<&[u8]> = section.split_inclusive(|&b| b == 0).collect();
    let expected: [&[u8]; 18] = [
        b"author=A. Hacker\0",
        b"author=B. Hacker\0",
        b"author=Old Style\0",
        b"description=A sample\0",
        b"license=GPL\0",
        b"alias=devname:sample\0",
        b"firmware=sample.bin\0",
        b"import_ns=SAMPLE_NS\0",
        b"parmtype=level:u8\0",
        b"parm=level:Log level\0",
        b"parmtype=small:i8\0",
        b"parm=small:A small one\0",
        b"parmtype=big:i64\0",
        b"parm=big:A big one\0",
        b"parmtype=size:usize\0",
        b"parm=size:A size\0",
        b"parmtype=verbose:bool\0",
        b"parm=verbose:Log more\0",
    ];
    // The linker may order the entries differently; none is missing and
    // none is extra (the built-in ones, `sample_mod.key=...`, are not
    // compiled under `cfg(MODULE)`).
    let mut sorted = entries.clone();
    sorted.sort();
    let mut want = expected.to_vec();
    want.sort();
    assert_eq!(sorted, want);
}
