// SPDX-License-Identifier: GPL-2.0-only
//! Devices of the driver model (`struct device`, `include/linux/device.h`)
//! and the `dev_*!` logging macros.

use crate::{
    bindings,
    print::LineBuf,
    str::CStr,
    sync::aref::{ARef, AlwaysRefCounted},
    types::Opaque,
};
use core::{fmt, ptr};

// Kernel structs reached through these pointers may contain empty
// structs (e.g. `lock_class_key` without lockdep); C never sees them by value.
#[allow(improper_ctypes)]
extern "C" {
    // helpers/kelfix_files.c
    fn kelfix_files_dev_printk(
        level: crate::ffi::c_int,
        dev: *const bindings::device,
        msg: *const u8,
        len: usize,
    );
}

/// A `struct device`. Borrowed as `&Device` while its owner keeps it
/// alive, or held as `ARef<Device>`, which owns a reference count.
///
/// # Invariants
///
/// The wrapped `struct device` has a non-zero reference count for as long
/// as the `Device` is reachable.
#[repr(transparent)]
pub struct Device(Opaque<bindings::device>);

// SAFETY: a device may be referenced and released (`put_device`) from
// any thread.
unsafe impl Send for Device {}
// SAFETY: `struct device` protects what the `&self` methods touch.
unsafe impl Sync for Device {}

// SAFETY: a `Device` always has a non-zero refcount (invariants);
// `get_device`/`put_device` take and drop one.
unsafe impl AlwaysRefCounted for Device {
    fn inc_ref(&self) {
        // SAFETY: `&self` shows the refcount is non-zero.
        unsafe { bindings::get_device(self.as_raw()) };
    }

    unsafe fn dec_ref(obj: ptr::NonNull<Self>) {
        // SAFETY: the caller gives up one reference, which `put_device`
        // drops; `Device` is a transparent `struct device`.
        unsafe { bindings::put_device(obj.cast().as_ptr()) }
    }
}

impl AsRef<Device> for Device {
    #[inline]
    fn as_ref(&self) -> &Device {
        self
    }
}

/// The printk level of each `Device::pr_*` (include/linux/kern_levels.h).
mod level {
    pub(super) const EMERG: i32 = 0;
    pub(super) const ALERT: i32 = 1;
    pub(super) const CRIT: i32 = 2;
    pub(super) const ERR: i32 = 3;
    pub(super) const WARNING: i32 = 4;
    pub(super) const NOTICE: i32 = 5;
    pub(super) const INFO: i32 = 6;
    pub(super) const DEBUG: i32 = 7;
}

impl Device {
    /// A counted reference to the device at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a `struct device` whose refcount is non-zero
    /// and stays so during this call.
    pub unsafe fn get_device(ptr: *mut bindings::device) -> ARef<Self> {
        // SAFETY: valid for this call by the caller's promise; the `From`
        // conversion takes a reference of its own.
        ARef::from(unsafe { Self::from_raw(ptr) })
    }

    /// The device at `ptr`, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a `struct device` whose refcount stays non-zero
    /// for all of `'a`.
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::device) -> &'a Self {
        // SAFETY: `Device` is a transparent `struct device`, alive for
        // `'a` by the caller's promise.
        unsafe { &*ptr.cast() }
    }

    /// The C `struct device`.
    pub fn as_raw(&self) -> *mut bindings::device {
        self.0.get()
    }

    /// The device's name (`dev_name`).
    pub fn name(&self) -> &CStr {
        // SAFETY: the device is valid (`&self`); its name is a C string
        // that lives as long as the device.
        unsafe { CStr::from_ptr(bindings::dev_name(self.as_raw()).cast()) }
    }

    /// Logs `args` at level 0 (emergency), prefixed as `dev_emerg` does.
    pub fn pr_emerg(&self, args: fmt::Arguments<'_>) {
        self.printk(level::EMERG, args);
    }

    /// Logs `args` at level 1 (alert), prefixed as `dev_alert` does.
    pub fn pr_alert(&self, args: fmt::Arguments<'_>) {
        self.printk(level::ALERT, args);
    }

    /// Logs `args` at level 2 (critical), prefixed as `dev_crit` does.
    pub fn pr_crit(&self, args: fmt::Arguments<'_>) {
        self.printk(level::CRIT, args);
    }

    /// Logs `args` at level 3 (error), prefixed as `dev_err` does.
    pub fn pr_err(&self, args: fmt::Arguments<'_>) {
        self.printk(level::ERR, args);
    }

    /// Logs `args` at level 4 (warning), prefixed as `dev_warn` does.
    pub fn pr_warn(&self, args: fmt::Arguments<'_>) {
        self.printk(level::WARNING, args);
    }

    /// Logs `args` at level 5 (notice), prefixed as `dev_notice` does.
    pub fn pr_notice(&self, args: fmt::Arguments<'_>) {
        self.printk(level::NOTICE, args);
    }

    /// Logs `args` at level 6 (info), prefixed as `dev_info` does.
    pub fn pr_info(&self, args: fmt::Arguments<'_>) {
        self.printk(level::INFO, args);
    }

    /// Logs `args` at level 7 (debug), prefixed as `dev_dbg` does; only
    /// in builds with debug assertions (there is no dynamic debug).
    pub fn pr_dbg(&self, args: fmt::Arguments<'_>) {
        if cfg!(debug_assertions) {
            self.printk(level::DEBUG, args);
        }
    }

    /// Formats `args` on the stack and logs it through `dev_printk`.
    fn printk(&self, level: i32, args: fmt::Arguments<'_>) {
        let msg = LineBuf::format(args);
        let msg = msg.as_bytes();
        // SAFETY: the device is valid (`&self`); the helper reads `len`
        // bytes of `msg`, which outlives the call.
        unsafe { kelfix_files_dev_printk(level, self.as_raw(), msg.as_ptr(), msg.len()) };
    }
}

#[doc(hidden)]
#[macro_export]
macro_rules! dev_printk {
    ($method:ident, $dev:expr, $($f:tt)*) => {
        $crate::device::Device::$method($dev.as_ref(), $crate::prelude::fmt!($($f)*))
    };
}

/// Logs a message at level 0 (system unusable) for a device:
/// `dev_emerg!(dev, "format", args...)`, formatted as `core::fmt` does,
/// prefixed with the driver and device names. `dev` is anything with
/// an `as_ref()` to [`Device`](crate::device::Device) (e.g. `&Device`,
/// `ARef<Device>`).
#[macro_export]
macro_rules! dev_emerg {
    ($($f:tt)*) => { $crate::dev_printk!(pr_emerg, $($f)*) }
}

/// Logs a message at level 1 (act now) for a device; see [`dev_emerg!`].
#[macro_export]
macro_rules! dev_alert {
    ($($f:tt)*) => { $crate::dev_printk!(pr_alert, $($f)*) }
}

/// Logs a message at level 2 (critical) for a device; see [`dev_emerg!`].
#[macro_export]
macro_rules! dev_crit {
    ($($f:tt)*) => { $crate::dev_printk!(pr_crit, $($f)*) }
}

/// Logs a message at level 3 (error) for a device; see [`dev_emerg!`].
#[macro_export]
macro_rules! dev_err {
    ($($f:tt)*) => { $crate::dev_printk!(pr_err, $($f)*) }
}

/// Logs a message at level 4 (warning) for a device; see [`dev_emerg!`].
#[macro_export]
macro_rules! dev_warn {
    ($($f:tt)*) => { $crate::dev_printk!(pr_warn, $($f)*) }
}

/// Logs a message at level 5 (notice) for a device; see [`dev_emerg!`].
#[macro_export]
macro_rules! dev_notice {
    ($($f:tt)*) => { $crate::dev_printk!(pr_notice, $($f)*) }
}

/// Logs a message at level 6 (information) for a device; see
/// [`dev_emerg!`].
#[macro_export]
macro_rules! dev_info {
    ($($f:tt)*) => { $crate::dev_printk!(pr_info, $($f)*) }
}

/// Logs a message at level 7 (debug) for a device, in builds with debug
/// assertions only; see [`dev_emerg!`].
#[macro_export]
macro_rules! dev_dbg {
    ($($f:tt)*) => { $crate::dev_printk!(pr_dbg, $($f)*) }
}
