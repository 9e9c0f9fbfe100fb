// SPDX-License-Identifier: GPL-2.0-only
//! [`Lock`]: data behind a kernel lock, and its [`Guard`].
//!
//! One generic type serves every kind of kernel lock; what differs (the C
//! lock type and the functions that take and release it) is a [`Backend`].
//! [`mutex::Mutex`] and [`spinlock::SpinLock`] are `Lock`s with the
//! `struct mutex` and `spinlock_t` backends.

use super::LockClassKey;
use crate::bindings;
use crate::str::{CStr, CStrExt};
use crate::types::{NotThreadSafe, Opaque};
use core::cell::UnsafeCell;
use core::marker::PhantomPinned;
use core::pin::Pin;
use core::ptr::addr_of_mut;
use pin_init::PinInit;

pub mod mutex;
pub mod spinlock;

/// A kind of kernel lock: its C type and operations.
///
/// # Safety
///
/// Between [`lock`](Backend::lock) (or a successful
/// [`try_lock`](Backend::try_lock)) and [`unlock`](Backend::unlock) no
/// other thread or CPU can hold the lock; [`relock`](Backend::relock)
/// takes the lock the same way the guard state was first obtained.
pub unsafe trait Backend {
    /// The C lock (`struct mutex`, `spinlock_t`).
    type State;

    /// What taking the lock returns and releasing it needs (saved interrupt
    /// flags, say); `()` for most locks.
    type GuardState;

    /// Initialises the lock at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` is valid for writes during the call and will not move
    /// afterwards; `name` and `key` stay valid for as long as the lock
    /// exists (they are `'static` in practice).
    unsafe fn init(
        ptr: *mut Self::State,
        name: *const crate::ffi::c_char,
        key: *mut bindings::lock_class_key,
    );

    /// Takes the lock, waiting for it as this kind of lock waits.
    ///
    /// # Safety
    ///
    /// `ptr` was initialised by [`Backend::init`] and is still valid.
    #[must_use]
    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState;

    /// Takes the lock if it is free, without waiting.
    ///
    /// # Safety
    ///
    /// As for [`Backend::lock`].
    unsafe fn try_lock(ptr: *mut Self::State) -> Option<Self::GuardState>;

    /// Releases the lock.
    ///
    /// # Safety
    ///
    /// The caller holds the lock, with `guard_state` from taking it.
    unsafe fn unlock(ptr: *mut Self::State, guard_state: &Self::GuardState);

    /// Takes the lock again after [`Backend::unlock`], updating
    /// `guard_state`.
    ///
    /// # Safety
    ///
    /// `guard_state` came from taking this lock, which the caller has since
    /// released with it.
    unsafe fn relock(ptr: *mut Self::State, guard_state: &mut Self::GuardState) {
        // SAFETY: the lock was initialised (the caller held it before).
        *guard_state = unsafe { Self::lock(ptr) };
    }

    /// Tells lockdep the lock is held by the caller (a warning if not,
    /// when lockdep is on; nothing otherwise).
    ///
    /// # Safety
    ///
    /// As for [`Backend::lock`].
    unsafe fn assert_is_held(ptr: *mut Self::State);
}

/// A `T` that is only reachable while holding a kernel lock of kind `B`.
///
/// A lock is created in place and pinned (the C lock may not move): embed
/// it as a `#[pin]` field initialised with [`new_mutex!`](crate::new_mutex)
/// or [`new_spinlock!`](crate::new_spinlock), or allocate it with
/// `KBox::pin_init`/`Arc::pin_init`. [`Lock::lock`] returns a [`Guard`]
/// through which the data is reached; dropping the guard unlocks.
///
/// # Invariants
///
/// `state` was initialised by `B::init` and has not moved since.
#[repr(C)]
pub struct Lock<T: ?Sized, B: Backend> {
    /// The C lock.
    state: Opaque<B::State>,

    /// The C lock may be self-referential (a mutex's wait list is), so the
    /// whole `Lock` must stay where it was initialised.
    _pin: PhantomPinned,

    /// The protected data.
    pub(crate) data: UnsafeCell<T>,
}

// SAFETY: moving the lock to another thread moves the `T` with it.
unsafe impl<T: ?Sized + Send, B: Backend> Send for Lock<T, B> {}

// SAFETY: through `&Lock` one thread at a time gets `&mut T` (while it
// holds the lock), which needs `T: Send` but not `T: Sync`.
unsafe impl<T: ?Sized + Send, B: Backend> Sync for Lock<T, B> {}

impl<T, B: Backend> Lock<T, B> {
    /// An initialiser of a lock holding the value initialised by `t`, with
    /// lockdep name `name` and class `key`.
    pub fn new(
        t: impl PinInit<T>,
        name: &'static CStr,
        key: Pin<&'static LockClassKey>,
    ) -> impl PinInit<Self> {
        let state = Opaque::ffi_init(move |slot: *mut B::State| {
            // SAFETY: `slot` is valid for writes and is pinned with the
            // `Lock`; `name` and `key` are `'static`.
            unsafe { B::init(slot, name.as_char_ptr(), key.as_ptr()) }
        });
        // SAFETY: the closure initialises `data` (through `UnsafeCell`,
        // which has the layout of `T`) and then `state`; neither can fail,
        // so the slot is fully initialised when it returns `Ok`. `_pin` is a
        // zero-sized marker. The value is pinned from then on.
        // INVARIANT: `state` is initialised by `B::init` in place.
        unsafe {
            pin_init::pin_init_from_closure(move |slot: *mut Self| {
                pin_init::raw_try_init(addr_of_mut!((*slot).data).cast::<T>(), t)?;
                pin_init::raw_try_init(addr_of_mut!((*slot).state), state)
            })
        }
    }
}

impl<B: Backend> Lock<(), B> {
    /// The `Lock` of a C lock initialised elsewhere (protecting no Rust
    /// data).
    ///
    /// # Safety
    ///
    /// `ptr` is an initialised `B::State` that stays valid, and does not
    /// move, for `'a`.
    #[inline]
    pub unsafe fn from_raw<'a>(ptr: *mut B::State) -> &'a Self {
        // SAFETY: `Lock<(), B>` is `repr(C)` with `state` (an `Opaque`, of
        // the layout of `B::State`) as its only sized field, so it has the
        // layout of `B::State`; the caller guarantees validity for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }
}

impl<T: ?Sized, B: Backend> Lock<T, B> {
    /// Takes the lock, waiting for it if needed, and returns the guard
    /// through which the data is reached.
    #[inline]
    pub fn lock(&self) -> Guard<'_, T, B> {
        // SAFETY: `state` is initialised (type invariant).
        let state = unsafe { B::lock(self.state.get()) };
        // SAFETY: the lock was just taken, with `state`.
        unsafe { Guard::new(self, state) }
    }

    /// Takes the lock if it is free; `None` if it is held.
    #[must_use = "if unused, the lock will be immediately unlocked"]
    #[inline]
    pub fn try_lock(&self) -> Option<Guard<'_, T, B>> {
        // SAFETY: `state` is initialised (type invariant); on success the
        // lock is held, with the returned state.
        unsafe { B::try_lock(self.state.get()).map(|state| Guard::new(self, state)) }
    }
}

/// Proof that a [`Lock`] is held, and access to its data. Dropping it
/// releases the lock.
///
/// A guard cannot be sent to another thread (the kernel's locks must be
/// released by their owner); it can be shared when `T: Sync`.
///
/// # Invariants
///
/// The current thread holds `lock`, having taken it with `state`.
#[must_use = "the lock unlocks immediately when the guard is unused"]
pub struct Guard<'a, T: ?Sized, B: Backend> {
    pub(crate) lock: &'a Lock<T, B>,
    pub(crate) state: B::GuardState,
    _not_send: NotThreadSafe,
}

// SAFETY: sharing a guard only shares `&T`.
unsafe impl<T: Sync + ?Sized, B: Backend> Sync for Guard<'_, T, B> {}

impl<'a, T: ?Sized, B: Backend> Guard<'a, T, B> {
    /// A guard for `lock`, which the caller holds.
    ///
    /// # Safety
    ///
    /// The caller holds `lock`, having taken it with `state`, and hands the
    /// duty to release it to the guard.
    #[inline]
    pub unsafe fn new(lock: &'a Lock<T, B>, state: B::GuardState) -> Self {
        // SAFETY: the lock is held, hence initialised.
        unsafe { B::assert_is_held(lock.state.get()) };
        // INVARIANT: guaranteed by the caller.
        Self {
            lock,
            state,
            _not_send: NotThreadSafe,
        }
    }

    /// The lock this guard holds.
    pub fn lock_ref(&self) -> &'a Lock<T, B> {
        self.lock
    }

    /// The data, pinned (it is structurally pinned in the `Lock`); for
    /// `T: Unpin` plain `DerefMut` does the same.
    pub fn as_mut(&mut self) -> Pin<&mut T> {
        // SAFETY: the lock is held and `self` is borrowed mutably, so the
        // reference is unique; the data never moves out of the pinned lock.
        unsafe { Pin::new_unchecked(&mut *self.lock.data.get()) }
    }

    /// Runs `cb` with the lock released, and takes it again afterwards
    /// (also if `cb` unwinds).
    pub(crate) fn do_unlocked<U>(&mut self, cb: impl FnOnce() -> U) -> U {
        // SAFETY: the guard holds the lock, taken with `self.state`.
        unsafe { B::unlock(self.lock.state.get(), &self.state) };
        let relock = Relock { guard: self };
        let ret = cb();
        drop(relock);
        ret
    }
}

/// Takes the lock of a guard back when dropped (see `do_unlocked`).
struct Relock<'g, 'a, T: ?Sized, B: Backend> {
    guard: &'g mut Guard<'a, T, B>,
}

impl<T: ?Sized, B: Backend> Drop for Relock<'_, '_, T, B> {
    fn drop(&mut self) {
        let g = &mut *self.guard;
        // SAFETY: `do_unlocked` released the lock taken with `g.state`.
        // INVARIANT: the guard holds the lock again.
        unsafe { B::relock(g.lock.state.get(), &mut g.state) };
    }
}

impl<T: ?Sized, B: Backend> core::ops::Deref for Guard<'_, T, B> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: the lock is held, so no one else reaches the data.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized + Unpin, B: Backend> core::ops::DerefMut for Guard<'_, T, B> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the lock is held and `self` is borrowed mutably.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized, B: Backend> Drop for Guard<'_, T, B> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the guard holds the lock, taken with `self.state`.
        unsafe { B::unlock(self.lock.state.get(), &self.state) };
    }
}
