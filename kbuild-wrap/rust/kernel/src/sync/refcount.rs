// SPDX-License-Identifier: GPL-2.0-only
//! The kernel's saturating reference counter, `refcount_t`.

use crate::bindings;
use crate::sync::atomic::Atomic;
use crate::types::Opaque;

/// A reference count: the kernel's `refcount_t`.
///
/// Unlike a plain atomic integer it saturates instead of wrapping: an
/// increment past the maximum, an increment from zero or a decrement below
/// zero leaves the count at a saturation value (negative as an `i32`),
/// warns once, and the object is leaked rather than freed while in use.
#[repr(transparent)]
pub struct Refcount(Opaque<bindings::refcount_t>);

// SAFETY: `refcount_t` is only accessed through the kernel's atomic
// refcount operations, which any thread may call.
unsafe impl Send for Refcount {}

// SAFETY: as for `Send`: concurrent calls are what the operations are for.
unsafe impl Sync for Refcount {}

impl Refcount {
    /// A count starting at `value`, which must not be negative (a
    /// saturated value).
    #[inline(always)]
    pub fn new(value: i32) -> Self {
        crate::build_assert::build_assert!(value >= 0, "a refcount starts at zero or more");
        // `REFCOUNT_INIT(value)`: the C initialiser is a compound literal,
        // so the structure is written out here.
        Self(Opaque::new(bindings::refcount_t {
            refs: bindings::atomic_t { counter: value },
        }))
    }

    #[inline(always)]
    fn as_ptr(&self) -> *mut bindings::refcount_t {
        self.0.get()
    }

    /// The underlying atomic integer. Going around the refcount rules is
    /// rarely right; prefer the methods of [`Refcount`].
    #[inline]
    pub fn as_atomic(&self) -> &Atomic<i32> {
        // SAFETY: `refcount_t` is an `atomic_t`, a 32-bit integer only
        // accessed atomically, which is the layout of `Atomic<i32>`; every
        // `i32` is a valid count (some of them saturated). The reference
        // lives no longer than `self`.
        unsafe { &*self.as_ptr().cast::<Atomic<i32>>() }
    }

    /// Sets the count (`refcount_set`).
    #[inline]
    pub fn set(&self, value: i32) {
        // SAFETY: `self.as_ptr()` is a valid `refcount_t`.
        unsafe { bindings::refcount_set(self.as_ptr(), value) }
    }

    /// Increments the count (`refcount_inc`); warns and saturates on
    /// overflow or when incrementing from zero. No ordering: the caller
    /// already holds a reference.
    #[inline]
    pub fn inc(&self) {
        // SAFETY: `self.as_ptr()` is a valid `refcount_t`.
        unsafe { bindings::refcount_inc(self.as_ptr()) }
    }

    /// Decrements the count (`refcount_dec`), with release ordering; warns
    /// on underflow, leaves a saturated count alone.
    #[inline]
    pub fn dec(&self) {
        // SAFETY: `self.as_ptr()` is a valid `refcount_t`.
        unsafe { bindings::refcount_dec(self.as_ptr()) }
    }

    /// Decrements the count and tells whether it reached zero
    /// (`refcount_dec_and_test`): release ordering, plus acquire ordering
    /// when it returns `true`, so the caller may then free the object.
    ///
    /// When it returns `true` `self` may be freed by the caller; when it
    /// returns `false`, by someone else at any time, so `self` must not be
    /// used afterwards.
    #[inline]
    #[must_use = "use `dec` when the result does not matter"]
    pub fn dec_and_test(&self) -> bool {
        // SAFETY: `self.as_ptr()` is a valid `refcount_t`.
        unsafe { bindings::refcount_dec_and_test(self.as_ptr()) }
    }
}
