// SPDX-License-Identifier: GPL-2.0-only
//! Calling a C tracepoint from Rust: [`declare_trace!`].
//!
//! The tracepoint itself is defined in C, as for upstream: a C file of
//! the module defines `CREATE_TRACE_POINTS` and
//! `CREATE_RUST_TRACE_POINTS` and includes the trace header, which
//! defines `__tracepoint_<name>` and the Rust entry point
//! `rust_do_trace_<name>`. Kernels before 6.13 have no such entry point;
//! kelfix supplies it (helpers/kelfix_files_trace.h).

use crate::bindings;
use core::sync::atomic::{AtomicI32, Ordering};

/// Whether the tracepoint at `tp` has probes attached: its static key's
/// count, read once (`static_key_enabled`). A test and a branch, where C
/// code gets a patched jump.
///
/// `tracepoint.key` is a `struct static_key` up to 6.x and a `struct
/// static_key_false` (which wraps one) in 7.x; either way the key's
/// first member is its count, `atomic_t enabled`, so the count is at the
/// start of the field on every kernel.
///
/// # Safety
///
/// `tp` must point to a `struct tracepoint`.
#[doc(hidden)]
#[inline(always)]
pub unsafe fn __tracepoint_enabled(tp: *const bindings::tracepoint) -> bool {
    // SAFETY: `tp` is valid (caller) and its key starts with the
    // `atomic_t` count (see above), which is only ever changed
    // atomically and has the layout of an `AtomicI32`.
    let count = unsafe {
        AtomicI32::from_ptr(core::ptr::addr_of!((*tp).key).cast::<i32>().cast_mut())
    };
    count.load(Ordering::Relaxed) > 0
}

/// Declares Rust functions that fire C tracepoints of the same name:
///
/// ```ignore
/// kernel::declare_trace! {
///     /// # Safety
///     ///
///     /// Always safe to call.
///     unsafe fn rust_sample_loaded(magic: c_int);
/// }
/// ```
///
/// Each function tests the tracepoint's static key and, only when
/// tracing is on, calls the C entry point `rust_do_trace_<name>` with its
/// arguments. The functions are `unsafe`: the argument types must match
/// the C `TP_PROTO` and whatever the C side requires of the values
/// applies (document it on the declaration).
#[macro_export]
macro_rules! declare_trace {
    ($($(#[$attr:meta])* $pub:vis unsafe fn $name:ident($($argname:ident : $argtyp:ty),* $(,)?);)*) => {$(
        $( #[$attr] )*
        #[inline(always)]
        $pub unsafe fn $name($($argname : $argtyp),*) {
            // `struct tracepoint` may hold empty structs (lockdep off); it
            // is only ever used by address.
            #[allow(improper_ctypes)]
            extern "C" {
                #[link_name = ::core::concat!("__tracepoint_", ::core::stringify!($name))]
                static TRACEPOINT: $crate::bindings::tracepoint;
                #[link_name = ::core::concat!("rust_do_trace_", ::core::stringify!($name))]
                fn rust_do_trace($($argname : $argtyp),*);
            }
            // SAFETY: the tracepoint is a static the C side defines.
            let on = unsafe {
                $crate::tracepoint::__tracepoint_enabled(::core::ptr::addr_of!(TRACEPOINT))
            };
            if on {
                // SAFETY: the caller meets the tracepoint's requirements.
                unsafe { rust_do_trace($($argname),*) };
            }
        }
    )*}
}

pub use declare_trace;
