// SPDX-License-Identifier: GPL-2.0-only
//! What `include/linux/processor.h` offers busy-waiting code: a pause
//! between two polls of a condition.

use crate::bindings;

/// Tells the CPU that this is a spin-wait loop (`pause` on x86): it may
/// save power or give its core to a sibling hyperthread for a moment. It
/// is also a compiler barrier, so a value polled around it is read again.
#[inline]
pub fn cpu_relax() {
    // SAFETY: `cpu_relax` takes nothing and may run in any context.
    unsafe { bindings::cpu_relax() }
}
