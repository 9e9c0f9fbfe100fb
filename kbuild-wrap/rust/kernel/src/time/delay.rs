// SPDX-License-Identifier: GPL-2.0-only
//! Waiting for a span of time: sleeping ([`fsleep`]) or spinning
//! ([`udelay`]).

use super::Delta;
use crate::bindings;
use crate::ffi::c_ulong;

/// Sleeps for at least `delta`, with the kernel's `fsleep()`, which picks
/// a busy wait, an hrtimer sleep or a jiffies sleep by length.
///
/// `delta` must lie in `0..=i32::MAX` microseconds; outside that range it
/// is a caller bug, and the sleep lasts that maximum (C's `fsleep()` would
/// treat a huge value as "forever"). Process context only: it may sleep.
pub fn fsleep(delta: Delta) {
    // The cap keeps `fsleep`'s own arithmetic from overflowing.
    const MAX: Delta = Delta::from_micros(i32::MAX as i64);

    let delta = if (Delta::ZERO..=MAX).contains(&delta) {
        delta
    } else {
        MAX
    };
    // Rounded up: the sleep is never shorter than asked.
    let usecs = delta.as_micros_ceil() as c_ulong;
    // SAFETY: any duration is accepted; sleeping is the caller's choice.
    unsafe { bindings::fsleep(usecs) }
}

/// Spins for at least `delta`, with the kernel's `udelay()`.
///
/// `delta` must lie in `0..=MAX_UDELAY_MS` milliseconds; outside that
/// range it is a caller bug (checked in debug builds) and the delay is cut
/// to the range.
pub fn udelay(delta: Delta) {
    const MAX: Delta = Delta::from_millis(bindings::MAX_UDELAY_MS as i64);

    debug_assert!((Delta::ZERO..=MAX).contains(&delta));
    let delta = if (Delta::ZERO..=MAX).contains(&delta) {
        delta
    } else {
        MAX
    };
    let usecs = delta.as_micros_ceil() as c_ulong;
    // SAFETY: a busy wait; any in-range duration is accepted.
    unsafe { bindings::udelay(usecs) }
}
