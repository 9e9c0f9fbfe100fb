//! The C helpers of `helpers/kelfix_rt.h`, compiled by kbuild into the same
//! module. These are the only kernel functions the crate calls; keep both
//! files in step.

use core::ffi::{c_char, c_int, c_void};

/// `struct mutex` stays opaque: only the C side knows its layout.
#[repr(C)]
pub struct Mutex {
    _private: [u8; 0],
}

/// `struct kelfix_rt_misc`, opaque (owns the kernel's miscdevice and
/// file_operations).
#[repr(C)]
pub struct Misc {
    _private: [u8; 0],
}

/// `struct kelfix_rt_misc_ops`: callbacks into Rust, all taking the
/// context pointer given at registration.
#[repr(C)]
pub struct MiscOps {
    pub open: Option<unsafe extern "C" fn(ctx: *mut c_void) -> c_int>,
    pub read: Option<
        unsafe extern "C" fn(ctx: *mut c_void, buf: *mut u8, len: usize, pos: *mut i64) -> isize,
    >,
    pub write: Option<
        unsafe extern "C" fn(ctx: *mut c_void, buf: *const u8, len: usize, pos: *mut i64) -> isize,
    >,
    pub release: Option<unsafe extern "C" fn(ctx: *mut c_void)>,
    pub free: unsafe extern "C" fn(ctx: *mut c_void),
}

extern "C" {
    pub fn kelfix_rt_printk(level: c_int, msg: *const u8, len: usize);
    pub fn kelfix_rt_module_name() -> *const c_char;

    pub fn kelfix_rt_kmalloc(size: usize, zero: bool) -> *mut c_void;
    pub fn kelfix_rt_krealloc(p: *const c_void, size: usize) -> *mut c_void;
    pub fn kelfix_rt_kfree(p: *const c_void);

    pub fn kelfix_rt_copy_to_user(to: *mut c_void, from: *const c_void, n: usize) -> usize;
    pub fn kelfix_rt_copy_from_user(to: *mut c_void, from: *const c_void, n: usize) -> usize;

    pub fn kelfix_rt_bug() -> !;

    pub fn kelfix_rt_mutex_new() -> *mut Mutex;
    pub fn kelfix_rt_mutex_lock(m: *mut Mutex);
    pub fn kelfix_rt_mutex_unlock(m: *mut Mutex);
    pub fn kelfix_rt_mutex_free(m: *mut Mutex);

    pub fn kelfix_rt_misc_register(
        name: *const u8,
        name_len: usize,
        ops: *const MiscOps,
        ctx: *mut c_void,
        out: *mut *mut Misc,
    ) -> c_int;
    pub fn kelfix_rt_misc_deregister(m: *mut Misc);
}
