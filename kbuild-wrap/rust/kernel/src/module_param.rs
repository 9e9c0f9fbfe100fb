// SPDX-License-Identifier: GPL-2.0-only
//! Module parameters, as declared in the `params` of
//! [`module!`](macros::module).
//!
//! The kernel parses `name=value` arguments given at load time through a
//! `struct kernel_param` (one per parameter, in the module's `__param`
//! section) and its `kernel_param_ops`; the value lands in the parameter's
//! [`ModuleParamAccess`]. Parameters are set at load time only. Their
//! value is readable in `/sys/module/<module>/parameters/<name>` (mode
//! 0444, as a C module's `module_param(name, type, 0444)`), which upstream
//! 7.3 leaves out (permission 0): kelfix shows it so that what a module
//! was loaded with can be read back.

use core::cell::UnsafeCell;
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicU8, Ordering};

use crate::bindings;
use crate::error::{code::EEXIST, code::EINVAL, code::ERANGE, Error, Result};
use crate::ffi::{c_char, c_int, c_void};
use crate::str::{BStr, CStr, RawFormatter};

/// A `struct kernel_param` that can sit in a `static`.
#[repr(transparent)]
#[doc(hidden)]
pub struct KernelParam(bindings::kernel_param);

// SAFETY: only the kernel reads the parameter descriptor, and it serialises
// its own accesses; Rust code never touches it after building it.
unsafe impl Sync for KernelParam {}

impl KernelParam {
    /// Wraps a descriptor built by the caller.
    #[doc(hidden)]
    pub const fn new(val: bindings::kernel_param) -> Self {
        Self(val)
    }

    /// The descriptor of a read-only parameter called `name` of `module`
    /// (null when built in), parsed by `ops` into the [`ModuleParamAccess`]
    /// at `arg`.
    #[doc(hidden)]
    pub const fn read_only(
        name: &'static CStr,
        module: *mut bindings::module,
        ops: &'static bindings::kernel_param_ops,
        arg: *mut c_void,
    ) -> Self {
        // SAFETY: `kernel_param` is a C struct of pointers and integers, for
        // which all zero bytes are a valid value.
        let mut param: bindings::kernel_param = unsafe { core::mem::zeroed() };
        param.name = crate::str::as_char_ptr_in_const_context(name);
        param.mod_ = module;
        param.ops = ops;
        // Read-only in sysfs (S_IRUGO); the `get` operation prints it.
        param.perm = 0o444;
        // Not a core parameter: no initcall level.
        param.level = -1;
        param.__anon_0.arg = arg;
        Self(param)
    }
}

/// A type a module parameter can have.
// `Copy`: a parameter value is never dropped, since there is no safe point
// to do so while the kernel may still reach the parameter.
pub trait ModuleParam: Sized + Copy {
    /// Parses the text given for the parameter (`name=TEXT`).
    fn try_from_param_arg(arg: &BStr) -> Result<Self>;
}

/// The longest argument text the integer and boolean parsers accept.
const PARAM_TEXT_MAX: usize = 64;

/// Runs `parse` on a NUL-terminated copy of `arg`, for the kernel's
/// `kstrto*` functions.
fn with_nul_terminated(arg: &[u8], parse: impl FnOnce(*const c_char) -> c_int) -> Result {
    let mut text = [0u8; PARAM_TEXT_MAX + 1];
    if arg.len() > PARAM_TEXT_MAX || arg.contains(&0) {
        return Err(EINVAL);
    }
    text[..arg.len()].copy_from_slice(arg);
    match parse(text.as_ptr().cast()) {
        0 => Ok(()),
        errno => Err(Error::from_errno(errno)),
    }
}

/// Parses a signed integer as C's `param_set_long` family does (decimal,
/// `0x` hex or `0` octal, optional sign and trailing newline).
fn parse_signed(arg: &BStr) -> Result<i64> {
    let mut value: i64 = 0;
    with_nul_terminated(arg, |text| {
        // SAFETY: `text` is NUL-terminated and `value` is a valid `i64`.
        unsafe { bindings::kstrtoll(text, 0, &mut value) }
    })?;
    Ok(value)
}

/// Parses an unsigned integer as C's `param_set_ulong` family does.
fn parse_unsigned(arg: &BStr) -> Result<u64> {
    let mut value: u64 = 0;
    with_nul_terminated(arg, |text| {
        // SAFETY: `text` is NUL-terminated and `value` is a valid `u64`.
        unsafe { bindings::kstrtoull(text, 0, &mut value) }
    })?;
    Ok(value)
}

macro_rules! impl_int_module_param {
    ($parse:ident: $($ty:ty),*) => {$(
        impl ModuleParam for $ty {
            fn try_from_param_arg(arg: &BStr) -> Result<Self> {
                <$ty>::try_from($parse(arg)?).map_err(|_| ERANGE)
            }
        }
    )*};
}

impl_int_module_param!(parse_signed: i8, i16, i32, i64, isize);
impl_int_module_param!(parse_unsigned: u8, u16, u32, u64, usize);

impl ModuleParam for bool {
    /// Accepts what C's `bool` parameters accept (`y`, `n`, `1`, `0`, `on`,
    /// `off`, ...).
    fn try_from_param_arg(arg: &BStr) -> Result<Self> {
        let mut value = false;
        with_nul_terminated(arg, |text| {
            // SAFETY: `text` is NUL-terminated and `value` is a valid `bool`.
            unsafe { bindings::kstrtobool(text, &mut value) }
        })?;
        Ok(value)
    }
}

/// `ModuleParamAccess::state`: no value was given.
const UNSET: u8 = 0;
/// `ModuleParamAccess::state`: a value is being stored.
const STORING: u8 = 1;
/// `ModuleParamAccess::state`: the value given at load time is stored.
const SET: u8 = 2;

/// A module parameter: its default and the value given at load time, if
/// any. [`module!`](macros::module) makes one `static` of this type per
/// parameter, in the `module_parameters` module of the crate.
///
/// # Invariants
///
/// `value` is initialised once `state` is `SET`, and never changes after.
pub struct ModuleParamAccess<T> {
    state: AtomicU8,
    value: UnsafeCell<MaybeUninit<T>>,
    default: T,
}

// SAFETY: after it is stored the value is only shared, never changed, so
// sharing the container is as safe as sharing a `T`.
unsafe impl<T: Sync> Sync for ModuleParamAccess<T> {}

impl<T> ModuleParamAccess<T> {
    /// A parameter with value `default` until the kernel sets it.
    #[doc(hidden)]
    pub const fn new(default: T) -> Self {
        Self {
            state: AtomicU8::new(UNSET),
            value: UnsafeCell::new(MaybeUninit::uninit()),
            default,
        }
    }

    /// The parameter's value: the one given at load time, else the default.
    #[inline]
    pub fn value(&self) -> T
    where
        T: Copy,
    {
        *self.value_ref()
    }

    /// A reference to the parameter's value.
    #[inline]
    pub fn value_ref(&self) -> &T {
        if self.state.load(Ordering::Acquire) == SET {
            // SAFETY: by the type invariant the value is initialised and no
            // longer changes.
            unsafe { (*self.value.get()).assume_init_ref() }
        } else {
            &self.default
        }
    }

    /// The parameter as the `void *arg` of its `struct kernel_param`.
    pub const fn as_void_ptr(&self) -> *mut c_void {
        core::ptr::from_ref(self).cast_mut().cast()
    }

    /// Stores the value given at load time; false if one was stored already.
    fn store(&self, value: T) -> bool {
        if self
            .state
            .compare_exchange(UNSET, STORING, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return false;
        }
        // SAFETY: winning the exchange above makes this the only writer,
        // and readers do not look at the value before `state` is `SET`.
        unsafe { (*self.value.get()).write(value) };
        // INVARIANT: the value was just initialised.
        self.state.store(SET, Ordering::Release);
        true
    }
}

/// The `set` operation of the parameter types: parses `val` into the
/// [`ModuleParamAccess<T>`] that `param` points to.
///
/// # Safety
///
/// `val` is null or a NUL-terminated string, and `param` a descriptor built
/// by [`KernelParam::read_only`] for a `ModuleParamAccess<T>`; both valid
/// for the duration of the call (the kernel's `kernel_param_ops` contract).
unsafe extern "C" fn set_param<T: ModuleParam>(
    val: *const c_char,
    param: *const bindings::kernel_param,
) -> c_int {
    // A parameter given without `=value`: not supported for these types.
    if val.is_null() {
        return EINVAL.to_errno();
    }
    // SAFETY: by the function's safety requirements.
    let text = unsafe { CStr::from_ptr(val.cast()) };
    let value = match T::try_from_param_arg(BStr::from_bytes(text.to_bytes())) {
        Ok(value) => value,
        Err(e) => return e.to_errno(),
    };
    // SAFETY: `param` is valid for reads and its `arg` is the address of a
    // `static ModuleParamAccess<T>`, by the safety requirements.
    let access = unsafe { &*(*param).__anon_0.arg.cast::<ModuleParamAccess<T>>() };
    if access.store(value) {
        0
    } else {
        EEXIST.to_errno()
    }
}

/// How a parameter type reads in sysfs: as C's `param_get_*` print it.
pub trait ParamShow {
    /// Writes the value, without the newline.
    fn show(&self, w: &mut dyn core::fmt::Write) -> core::fmt::Result;
}

macro_rules! impl_int_param_show {
    ($($ty:ty),*) => {$(
        impl ParamShow for $ty {
            fn show(&self, w: &mut dyn core::fmt::Write) -> core::fmt::Result {
                write!(w, "{self}")
            }
        }
    )*};
}

impl_int_param_show!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl ParamShow for bool {
    /// `Y` or `N`, as C's `param_get_bool`.
    fn show(&self, w: &mut dyn core::fmt::Write) -> core::fmt::Result {
        w.write_str(if *self { "Y" } else { "N" })
    }
}

/// The `get` operation of the parameter types: prints the value of the
/// [`ModuleParamAccess<T>`] that `param` points to, and a newline.
///
/// # Safety
///
/// `buffer` is valid for writes of `PAGE_SIZE` bytes (sysfs' buffer) and
/// `param` a descriptor built by [`KernelParam::read_only`] for a
/// `ModuleParamAccess<T>`; both valid for the duration of the call.
unsafe extern "C" fn get_param<T: ModuleParam + ParamShow>(
    buffer: *mut c_char,
    param: *const bindings::kernel_param,
) -> c_int {
    // SAFETY: `param` is valid for reads and its `arg` is the address of a
    // `static ModuleParamAccess<T>`, by the safety requirements.
    let access = unsafe { &*(*param).__anon_0.arg.cast::<ModuleParamAccess<T>>() };
    // SAFETY: `buffer` is valid for writes of `PAGE_SIZE` bytes, by the
    // safety requirements, and nothing else uses it during the call.
    let mut out = unsafe { RawFormatter::from_buffer(buffer.cast(), bindings::PAGE_SIZE) };
    // Writing to a `RawFormatter` does not fail: what does not fit is cut.
    let _ = access.value_ref().show(&mut out);
    let _ = core::fmt::Write::write_str(&mut out, "\n");
    // At most PAGE_SIZE: fits a `c_int`.
    out.bytes_written().min(bindings::PAGE_SIZE) as c_int
}

/// Defines the `kernel_param_ops` of a parameter type.
macro_rules! make_param_ops {
    ($($ops:ident: $ty:ty),* $(,)?) => {$(
        #[doc = concat!("The operations of `", stringify!($ty), "` module parameters.")]
        #[doc(hidden)]
        pub static $ops: bindings::kernel_param_ops = bindings::kernel_param_ops {
            flags: 0,
            set: Some(set_param::<$ty>),
            get: Some(get_param::<$ty>),
            free: None,
        };
    )*};
}

make_param_ops!(
    PARAM_OPS_I8: i8,
    PARAM_OPS_U8: u8,
    PARAM_OPS_I16: i16,
    PARAM_OPS_U16: u16,
    PARAM_OPS_I32: i32,
    PARAM_OPS_U32: u32,
    PARAM_OPS_I64: i64,
    PARAM_OPS_U64: u64,
    PARAM_OPS_ISIZE: isize,
    PARAM_OPS_USIZE: usize,
    PARAM_OPS_BOOL: bool,
);
