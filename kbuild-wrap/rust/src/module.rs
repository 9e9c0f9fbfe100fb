//! Module entry points: [`module!`](crate::module!) and what it expands to.

use core::ffi::c_int;
use core::ptr::{self, NonNull};
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use alloc::alloc::{alloc, Layout};
use alloc::boxed::Box;

use crate::error::{Error, Result};
use crate::{bindings as k, pr_warn};

/// `module! { … }` declares the module: `.modinfo` entries and the
/// `init_module` / `cleanup_module` functions the kernel calls.
///
/// ```ignore
/// kelfix::module! {
///     name: "hello",                  // as in the Kbuild file (obj-m)
///     license: "GPL",
///     author: "A. Hacker",            // optional, repeatable
///     description: "says hello",      // optional
///     init: hello_init,               // fn() -> kelfix::Result<T>
///     exit: hello_exit,               // fn(T)
/// }
/// ```
///
/// `init` runs at insmod; an `Err(e)` fails the load with `-e` (exit is
/// not called). Its `Ok(value)` is kept until rmmod, when `exit(value)`
/// runs and then the value is dropped: module state needs no `static`.
/// `name` is used in panic messages and checked against the name kbuild
/// gave the module (a mismatch is logged at init). The license must be
/// one the kernel knows (e.g. "GPL", "Dual MIT/GPL"); it decides which
/// kernel symbols the module may use.
#[macro_export]
macro_rules! module {
    (
        name: $name:literal,
        license: $license:literal,
        $(author: $author:literal,)*
        $(description: $description:literal,)?
        init: $init:path,
        exit: $exit:path $(,)?
    ) => {
        $crate::modinfo!("license", $license);
        $($crate::modinfo!("author", $author);)*
        $($crate::modinfo!("description", $description);)?

        const _: () = {
            static STATE: $crate::module::ModuleState = $crate::module::ModuleState::new();

            #[no_mangle]
            pub extern "C" fn init_module() -> ::core::ffi::c_int {
                STATE.init($name, $init, $exit)
            }

            #[no_mangle]
            pub extern "C" fn cleanup_module() {
                STATE.exit($init, $exit)
            }
        };
    };
}

/// `modinfo!("tag", "value");` adds `tag=value` to the module's `.modinfo`,
/// like C's `MODULE_INFO(tag, "value")` (e.g. `"alias"`, `"softdep"`).
/// Use at item level. kbuild adds `name`, `vermagic` and `depends` itself.
#[macro_export]
macro_rules! modinfo {
    ($tag:literal, $value:literal) => {
        const _: () = {
            const ENTRY: &str = concat!($tag, "=", $value, "\0");
            #[used]
            #[link_section = ".modinfo"]
            static MODINFO: [u8; ENTRY.len()] = $crate::module::modinfo_bytes(ENTRY);
        };
    };
}

/// `s` as an array of exactly `N` bytes (N == s.len()), for [`modinfo!`].
#[doc(hidden)]
pub const fn modinfo_bytes<const N: usize>(s: &str) -> [u8; N] {
    let bytes = s.as_bytes();
    assert!(bytes.len() == N);
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = bytes[i];
        i += 1;
    }
    out
}

static NAME_PTR: AtomicPtr<u8> = AtomicPtr::new(ptr::null_mut());
static NAME_LEN: AtomicUsize = AtomicUsize::new(0);

/// The `name` given to [`module!`](crate::module!) ("?" before init).
pub fn name() -> &'static str {
    let p = NAME_PTR.load(Ordering::Acquire);
    if p.is_null() {
        return "?";
    }
    let len = NAME_LEN.load(Ordering::Relaxed);
    // SAFETY: set once from a &'static str in `ModuleState::init`.
    unsafe { core::str::from_utf8_unchecked(core::slice::from_raw_parts(p, len)) }
}

/// The name kbuild gave the module (`THIS_MODULE->name`).
pub fn kbuild_name() -> &'static str {
    // SAFETY: a NUL-terminated string in the module's own `struct module`.
    let name = unsafe {
        core::ffi::CStr::from_ptr(ptr::addr_of!(k::__this_module.name).cast())
    };
    name.to_str().unwrap_or("?")
}

/// Where [`module!`](crate::module!) keeps the value `init` returned.
#[doc(hidden)]
pub struct ModuleState {
    value: AtomicPtr<()>,
}

impl Default for ModuleState {
    fn default() -> Self {
        Self::new()
    }
}

impl ModuleState {
    pub const fn new() -> Self {
        ModuleState {
            value: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// `init_module`: runs `init` and keeps its value. `exit` is only here
    /// so that both functions agree on `T`.
    pub fn init<T>(&self, name: &'static str, init: fn() -> Result<T>, exit: fn(T)) -> c_int {
        NAME_LEN.store(name.len(), Ordering::Relaxed);
        NAME_PTR.store(name.as_ptr().cast_mut(), Ordering::Release);
        if !same_module_name(name, kbuild_name()) {
            pr_warn!(
                "{}: module! name differs from kbuild's module name '{}'",
                name,
                kbuild_name()
            );
        }
        let value = match init() {
            Ok(value) => value,
            Err(e) => return e.to_errno(),
        };
        match try_box(value) {
            Ok(b) => {
                self.value.store(Box::into_raw(b).cast(), Ordering::Release);
                0
            }
            Err(value) => {
                exit(value);
                Error::ENOMEM.to_errno()
            }
        }
    }

    /// `cleanup_module`: hands the value back to `exit`, then drops it.
    pub fn exit<T>(&self, _init: fn() -> Result<T>, exit: fn(T)) {
        let p = self
            .value
            .swap(ptr::null_mut(), Ordering::AcqRel)
            .cast::<T>();
        if let Some(p) = NonNull::new(p) {
            // SAFETY: `p` came from Box::into_raw in `init` with the same
            // T (both calls name the same init and exit functions).
            let value = unsafe { Box::from_raw(p.as_ptr()) };
            exit(*value);
        }
    }
}

/// Module names compare equal when they differ only in '-' vs '_' (kbuild
/// turns '-' into '_' in KBUILD_MODNAME).
fn same_module_name(a: &str, b: &str) -> bool {
    let norm = |c: u8| if c == b'-' { b'_' } else { c };
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| norm(x) == norm(y))
}

/// `Box::new(value)`, but an allocation failure gives the value back
/// instead of panicking.
pub fn try_box<T>(value: T) -> core::result::Result<Box<T>, T> {
    let layout = Layout::new::<T>();
    if layout.size() == 0 {
        return Ok(Box::new(value)); // no allocation for zero-sized types
    }
    // SAFETY: the layout has a non-zero size.
    let p = unsafe { alloc(layout) }.cast::<T>();
    if p.is_null() {
        return Err(value);
    }
    // SAFETY: `p` is a fresh, aligned allocation for one T, which Box
    // frees with the same layout through the global allocator.
    unsafe {
        p.write(value);
        Ok(Box::from_raw(p))
    }
}
