// SPDX-License-Identifier: GPL-2.0-only
//! In-place initialisation with the kernel's allocators and errors.
//!
//! The `pin_init` crate provides the initialisers (`pin_init!`, `init!`,
//! [`PinInit`], [`Init`]); this module adds [`InPlaceInit`], to run one
//! into a new allocation ([`KBox`](crate::alloc::KBox), `Arc`), and the
//! [`try_pin_init!`](crate::try_pin_init) and [`try_init!`](crate::try_init)
//! macros, whose error type defaults to [`Error`].

use crate::alloc::{AllocError, Flags};
use crate::error::{self, Error};
use pin_init::{init_from_closure, pin_init_from_closure, Init, PinInit};

/// A smart pointer that can allocate its memory and initialise the value
/// in place.
pub trait InPlaceInit<T>: Sized {
    /// What the pinned forms return: `Pin<Self>`, or `Self` for types that
    /// are always pinned (such as `Arc`).
    type PinnedSelf;

    /// Allocates with `flags` and runs `init`; its error type takes
    /// [`AllocError`] too.
    fn try_pin_init<E>(init: impl PinInit<T, E>, flags: Flags) -> Result<Self::PinnedSelf, E>
    where
        E: From<AllocError>;

    /// As [`try_pin_init`](Self::try_pin_init), with the error converted to
    /// [`Error`].
    fn pin_init<E>(init: impl PinInit<T, E>, flags: Flags) -> error::Result<Self::PinnedSelf>
    where
        Error: From<E>,
    {
        // SAFETY: the closure runs `init` on the slot as it is given and
        // only converts the error.
        let init =
            unsafe { pin_init_from_closure(|slot| init.__pinned_init(slot).map_err(Error::from)) };
        Self::try_pin_init(init, flags)
    }

    /// Allocates with `flags` and runs `init` (unpinned).
    fn try_init<E>(init: impl Init<T, E>, flags: Flags) -> Result<Self, E>
    where
        E: From<AllocError>;

    /// As [`try_init`](Self::try_init), with the error converted to
    /// [`Error`].
    fn init<E>(init: impl Init<T, E>, flags: Flags) -> error::Result<Self>
    where
        Error: From<E>,
    {
        // SAFETY: the closure runs `init` on the slot as it is given and
        // only converts the error.
        let init = unsafe { init_from_closure(|slot| init.__init(slot).map_err(Error::from)) };
        Self::try_init(init, flags)
    }
}

/// `pin_init::init!` whose error type, when not given with `? Err`, is
/// [`Error`].
#[macro_export]
macro_rules! try_init {
    ($($args:tt)*) => {
        ::pin_init::init!(
            #[default_error($crate::error::Error)]
            $($args)*
        )
    };
}

/// `pin_init::pin_init!` whose error type, when not given with `? Err`, is
/// [`Error`].
#[macro_export]
macro_rules! try_pin_init {
    ($($args:tt)*) => {
        ::pin_init::pin_init!(
            #[default_error($crate::error::Error)]
            $($args)*
        )
    };
}
