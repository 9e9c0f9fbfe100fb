// SPDX-License-Identifier: GPL-2.0-only
//! Kernel modules: the traits a module's type implements and the handle of
//! the module itself.
//!
//! A module declares its type with [`module!`](macros::module); the macro
//! generates the entry points the kernel calls at load and unload time,
//! which build the type in static storage ([`ModuleStorage`]) and drop it.

use core::cell::UnsafeCell;
use core::mem::MaybeUninit;

use crate::error::{Error, Result};
use crate::ffi::c_int;
use pin_init::PinInit;

/// A kernel module built by returning its value from [`Module::init`].
///
/// Cleanup at unload time goes in the type's [`Drop`] implementation.
pub trait Module: Sized + Sync + Send {
    /// Runs when the module is loaded; an error fails the load with its
    /// errno.
    fn init(module: &'static ThisModule) -> Result<Self>;
}

/// A kernel module built in place, for types that must not move once
/// created (locks, registrations, ...).
///
/// Every [`Module`] is also an `InPlaceModule`.
pub trait InPlaceModule: Sync + Send {
    /// Returns the initialiser that builds the module at load time.
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error>;
}

impl<T: Module> InPlaceModule for T {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let write_module = move |slot: *mut Self| {
            let value = <Self as Module>::init(module)?;
            // SAFETY: the initialiser contract gives a `slot` valid for
            // writing one `Self`.
            unsafe { slot.write(value) };
            Ok(())
        };
        // SAFETY: the closure initialises `*slot` fully whenever it returns
        // `Ok`, and leaves it untouched when it fails.
        unsafe { pin_init::pin_init_from_closure(write_module) }
    }
}

/// What [`module!`](macros::module) records about a module's type.
pub trait ModuleMetadata {
    /// The `name` given to `module!`.
    const NAME: &'static crate::str::CStr;

    /// The module's `THIS_MODULE`.
    const THIS_MODULE: ThisModule;
}

/// The [`ThisModule`] of the module whose type is `M`.
#[inline]
pub const fn this_module<M: ModuleMetadata>() -> &'static ThisModule {
    &M::THIS_MODULE
}

/// The running module's `struct module`, C's `THIS_MODULE`.
///
/// # Invariants
///
/// The pointer is the module's own `__this_module` (null for code built
/// into the kernel), valid as long as the module is loaded.
pub struct ThisModule(*mut crate::bindings::module);

// SAFETY: the `struct module` outlives every thread running the module's
// code, and the kernel synchronises its own accesses to it.
unsafe impl Sync for ThisModule {}

impl ThisModule {
    /// Wraps the module's `THIS_MODULE` pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must be the calling module's `__this_module`, or null for code
    /// built into the kernel.
    pub const unsafe fn from_ptr(ptr: *mut crate::bindings::module) -> ThisModule {
        // INVARIANT: the caller guarantees it.
        ThisModule(ptr)
    }

    /// The `struct module` pointer, for the C functions that take one.
    pub const fn as_ptr(&self) -> *mut crate::bindings::module {
        self.0
    }
}

/// The static storage of a module's value, used by the entry points that
/// [`module!`](macros::module) generates.
///
/// # Invariants
///
/// The value is initialised between a successful [`ModuleStorage::init`]
/// and the following [`ModuleStorage::exit`].
#[doc(hidden)]
pub struct ModuleStorage<M>(UnsafeCell<MaybeUninit<M>>);

// SAFETY: the kernel calls the module's init and exit functions one after
// the other, never at the same time; `M: InPlaceModule` is `Send + Sync`, so
// creating it on one thread and dropping it on another is fine.
unsafe impl<M: InPlaceModule> Sync for ModuleStorage<M> {}

impl<M: InPlaceModule + ModuleMetadata> ModuleStorage<M> {
    /// Empty storage.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Self(UnsafeCell::new(MaybeUninit::uninit()))
    }

    /// Builds the module's value in place; returns 0 or the negative errno
    /// of the failed initialisation.
    ///
    /// # Safety
    ///
    /// Called once, from the module's init function; nothing else accesses
    /// the storage meanwhile.
    pub unsafe fn init(&self) -> c_int {
        let initialiser = <M as InPlaceModule>::init(this_module::<M>());
        let slot = self.0.get().cast::<M>();
        // SAFETY: `slot` is valid for writes and, being static, never moves;
        // on failure the initialiser leaves nothing to drop.
        match unsafe { initialiser.__pinned_init(slot) } {
            // INVARIANT: the value is now initialised.
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// Drops the module's value.
    ///
    /// # Safety
    ///
    /// Called once, from the module's exit function, after [`Self::init`]
    /// returned 0; nothing else accesses the storage meanwhile.
    pub unsafe fn exit(&self) {
        // SAFETY: by the type invariant and the caller's guarantee the value
        // is initialised, and nothing uses it after this.
        unsafe { core::ptr::drop_in_place(self.0.get().cast::<M>()) };
    }
}
