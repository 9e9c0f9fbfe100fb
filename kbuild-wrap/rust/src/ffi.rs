//! The hand-written C helpers (`helpers/kelfix_rt.c`); every other kernel
//! interface is generated: see [`crate::bindings`].

/// C's types, where the generated bindings name them (`--ctypes-prefix
/// crate::ffi`, kbuild-wrap/rust/bindings.mk).
pub use core::ffi::{
    c_char, c_int, c_long, c_longlong, c_schar, c_short, c_uchar, c_uint, c_ulong, c_ulonglong,
    c_ushort, c_void,
};

use crate::bindings::gfp_t;

extern "C" {
    /// `BUG()`: a macro around `ud2` plus a `__bug_table` entry written by
    /// inline assembly, so neither Rust nor a generated wrapper can call it;
    /// the C helper expands it with the kernel's own compiler.
    pub fn kelfix_rt_bug() -> !;

    /// One log line: `printk` at `level` (0..=7) of the `len` bytes at
    /// `line` plus a newline. `printk` is a function on older kernels and
    /// a macro around `_printk` on newer ones; the helper, compiled against
    /// the kernel's headers, calls whichever the kernel has.
    pub fn kelfix_rt_printk(level: c_int, line: *const u8, len: c_int);

    /// `kmalloc(size, flags)`: a function on older kernels, a macro over
    /// `kmalloc_noprof` (6.10 on) with more layers on 7.x; the helper
    /// expands whichever the kernel has.
    pub fn kelfix_rt_kmalloc(size: usize, flags: gfp_t) -> *mut c_void;

    /// `krealloc(p, new_size, flags)`, as [`kelfix_rt_kmalloc`].
    pub fn kelfix_rt_krealloc(p: *const c_void, new_size: usize, flags: gfp_t) -> *mut c_void;
}
