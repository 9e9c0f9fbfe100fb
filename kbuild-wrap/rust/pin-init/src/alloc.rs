// SPDX-License-Identifier: GPL-2.0-only
//! In-place initialisation of the `alloc` crate's `Box` and `Arc`.

use crate::{
    init_from_closure, pin_init_from_closure, InPlaceWrite, Init, PinInit, ZeroableOption,
};
use alloc_crate::{boxed::Box, sync::Arc};
use core::{alloc::AllocError, mem::MaybeUninit, pin::Pin};

// SAFETY: a `Box` is never null, so `None` is the null pointer (guaranteed
// layout of `Option`).
unsafe impl<T> ZeroableOption for Box<T> {}

/// Smart pointers that allocate their memory and then initialise the value
/// in it, in place.
pub trait InPlaceInit<T>: Sized {
    /// Allocates and runs a fallible [`PinInit`]; the value stays pinned.
    fn try_pin_init<E>(init: impl PinInit<T, E>) -> Result<Pin<Self>, E>
    where
        E: From<AllocError>;

    /// Allocates and runs an infallible [`PinInit`]; the value stays pinned.
    #[inline]
    fn pin_init(init: impl PinInit<T>) -> Result<Pin<Self>, AllocError> {
        // SAFETY: this only changes the error type of `init`, which never
        // fails.
        let init = unsafe {
            pin_init_from_closure(|slot| match init.__init(slot) {
                Ok(()) => Ok(()),
                Err(never) => match never {},
            })
        };
        Self::try_pin_init(init)
    }

    /// Allocates and runs a fallible [`Init`].
    fn try_init<E>(init: impl Init<T, E>) -> Result<Self, E>
    where
        E: From<AllocError>;

    /// Allocates and runs an infallible [`Init`].
    #[inline]
    fn init(init: impl Init<T>) -> Result<Self, AllocError> {
        // SAFETY: this only changes the error type of `init`, which never
        // fails, and adds no dependence on pinning.
        let init = unsafe {
            init_from_closure(|slot| match init.__init(slot) {
                Ok(()) => Ok(()),
                Err(never) => match never {},
            })
        };
        Self::try_init(init)
    }
}

impl<T> InPlaceInit<T> for Box<T> {
    #[inline]
    fn try_pin_init<E>(init: impl PinInit<T, E>) -> Result<Pin<Self>, E>
    where
        E: From<AllocError>,
    {
        Box::try_new_uninit()?.write_pin_init(init)
    }

    #[inline]
    fn try_init<E>(init: impl Init<T, E>) -> Result<Self, E>
    where
        E: From<AllocError>,
    {
        Box::try_new_uninit()?.write_init(init)
    }
}

/// Runs `init` on the value of a new, uninitialised `Arc`.
///
/// # Safety
///
/// If the caller pins the result, `init` may rely on pinning; otherwise it
/// must be an [`Init`].
unsafe fn arc_init<T, E>(init: impl PinInit<T, E>) -> Result<Arc<T>, E>
where
    E: From<AllocError>,
{
    let mut this = Arc::<T>::try_new_uninit()?;
    let slot = match Arc::get_mut(&mut this) {
        Some(slot) => slot.as_mut_ptr(),
        // A new `Arc` has no other reference.
        None => unreachable!(),
    };
    // SAFETY: the slot is valid, uninitialised and ours; the memory of an
    // `Arc` never moves. On error the `Arc` frees it without a drop.
    unsafe { init.__init(slot)? };
    // SAFETY: `init` succeeded, so the value is initialised.
    Ok(unsafe { this.assume_init() })
}

impl<T> InPlaceInit<T> for Arc<T> {
    #[inline]
    fn try_pin_init<E>(init: impl PinInit<T, E>) -> Result<Pin<Self>, E>
    where
        E: From<AllocError>,
    {
        // SAFETY: the result is pinned right away.
        let this = unsafe { arc_init(init)? };
        // SAFETY: the value was initialised in the `Arc`'s memory, which
        // never moves, and there is no other reference to it.
        Ok(unsafe { Pin::new_unchecked(this) })
    }

    #[inline]
    fn try_init<E>(init: impl Init<T, E>) -> Result<Self, E>
    where
        E: From<AllocError>,
    {
        // SAFETY: `init` is an `Init`.
        unsafe { arc_init(init) }
    }
}

impl<T> InPlaceWrite<T> for Box<MaybeUninit<T>> {
    type Initialized = Box<T>;

    #[inline]
    fn write_init<E>(mut self, init: impl Init<T, E>) -> Result<Self::Initialized, E> {
        // SAFETY: the slot is valid, uninitialised and ours; on error the
        // box frees it without a drop.
        unsafe { init.__init(self.as_mut_ptr())? };
        // SAFETY: `init` succeeded, so the value is initialised.
        Ok(unsafe { self.assume_init() })
    }

    #[inline]
    fn write_pin_init<E>(mut self, init: impl PinInit<T, E>) -> Result<Pin<Self::Initialized>, E> {
        // SAFETY: as in `write_init`; the box's memory never moves and the
        // result is pinned right away.
        unsafe { init.__init(self.as_mut_ptr())? };
        // SAFETY: `init` succeeded, so the value is initialised.
        Ok(Box::into_pin(unsafe { self.assume_init() }))
    }
}
