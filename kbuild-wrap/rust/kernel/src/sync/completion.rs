// SPDX-License-Identifier: GPL-2.0-only
//! [`Completion`]: waiting until another thread says something is done,
//! over the kernel's `struct completion` (`include/linux/completion.h`).

use crate::bindings;
use crate::types::Opaque;
use pin_init::{pin_data, pin_init, PinInit};

/// A one-way signal between threads: waiters sleep until another thread
/// completes it.
///
/// Once [`complete_all`](Completion::complete_all) has been called, every
/// wait, current or later, returns at once. Created in place and pinned,
/// with [`Completion::new`]:
///
/// ```ignore
/// #[pin_data]
/// struct Job {
///     #[pin]
///     done: Completion,
/// }
/// let job = Arc::pin_init(pin_init!(Job { done <- Completion::new() }), GFP_KERNEL)?;
/// // In the worker: job.done.complete_all();
/// job.done.wait_for_completion();
/// ```
///
/// # Invariants
///
/// `inner` was initialised by `init_completion` and has not moved since.
#[pin_data]
pub struct Completion {
    #[pin]
    inner: Opaque<bindings::completion>,
}

// SAFETY: a `struct completion` may be used from any thread.
unsafe impl Send for Completion {}

// SAFETY: a `struct completion` has its own lock for concurrent use.
unsafe impl Sync for Completion {}

impl Completion {
    /// An initialiser of a completion that is not done yet.
    ///
    /// Its wait queue gets `init_completion`'s lockdep class, one for all
    /// completions of the module, as C completions have.
    pub fn new() -> impl PinInit<Self> {
        // INVARIANT: initialised in place, and pinned from then on.
        pin_init!(Self {
            inner <- Opaque::ffi_init(|slot: *mut bindings::completion| {
                // SAFETY: `slot` is valid for writes and stays pinned.
                unsafe { bindings::init_completion(slot) }
            }),
        })
    }

    fn as_raw(&self) -> *mut bindings::completion {
        self.inner.get()
    }

    /// Marks the completion done for good, waking every waiter; later
    /// waits return at once.
    #[inline]
    pub fn complete_all(&self) {
        // SAFETY: the completion is initialised (type invariant).
        unsafe { bindings::complete_all(self.as_raw()) }
    }

    /// Sleeps, uninterruptibly and without time limit, until the
    /// completion is done (returns at once if it already is).
    #[inline]
    pub fn wait_for_completion(&self) {
        // SAFETY: the completion is initialised (type invariant).
        unsafe { bindings::wait_for_completion(self.as_raw()) }
    }
}
