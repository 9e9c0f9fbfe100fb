// SPDX-License-Identifier: GPL-2.0-only
//! `timer_list` timers: kelfix's own API, not upstream's (Linux 7.3's
//! `kernel` crate has [`hrtimer`](crate::time::hrtimer) only). Many
//! drivers use the jiffies-based timer wheel instead, whose expiry is
//! cheap and coarse; this module gives it the shape of the hrtimer API.
//!
//! A type `T` holds a [`Timer<T>`] field (set up with [`new_timer!`]),
//! says which with [`impl_has_timer!`], and implements [`TimerCallback`].
//! An [`Arc<T>`] or a `Pin<KBox<T>>` then starts the timer with
//! [`TimerPointer::start`], given a [`Delta`] (rounded up to whole
//! jiffies) or a `Delta<Jiffy>`. The returned [`TimerHandle`] keeps the
//! `T` alive; dropping it (or [`TimerHandle::cancel`]) deactivates the
//! timer and waits for a running callback (`timer_delete_sync()`). The
//! callback runs in softirq context and returns [`TimerRestart`]: stop, or
//! arm again after a span.
//!
//! ```ignore
//! #[pin_data]
//! struct Poller {
//!     #[pin]
//!     timer: Timer<Self>,
//!     polls: Atomic<u32>,
//! }
//!
//! impl TimerCallback for Poller {
//!     type Pointer = Arc<Self>;
//!
//!     fn run(this: ArcBorrow<'_, Self>) -> TimerRestart {
//!         this.polls.fetch_add(1, ordering::Relaxed);
//!         TimerRestart::after(Delta::from_millis(100))
//!     }
//! }
//!
//! impl_has_timer! { impl HasTimer<Self> for Poller { self.timer } }
//!
//! let poller = Arc::pin_init(pin_init!(Poller { timer <- new_timer!(), polls: Atomic::new(0) }), GFP_KERNEL)?;
//! let handle = poller.clone().start(Delta::from_millis(100));
//! ```
//!
//! The kernel's calls were renamed over the releases kelfix supports
//! (`init_timer_key()`/`timer_init_key()`,
//! `del_timer_sync()`/`timer_delete_sync()`): they go through
//! `helpers/kelfix_time.c`.

use crate::alloc::{Allocator, Box};
use crate::bindings;
use crate::ffi::{c_uint, c_ulong};
use crate::str::{CStr, CStrExt};
use crate::sync::{Arc, ArcBorrow, LockClassKey};
use crate::time::{msecs_to_jiffies, Delta, Jiffies, Jiffy};
use crate::types::Opaque;
use core::marker::PhantomData;
use core::pin::Pin;
use core::ptr::NonNull;
use pin_init::{pin_data, pin_init, PinInit};

/// The C helpers of this module (`kbuild-wrap/rust/helpers/kelfix_time.c`,
/// declared in `kelfix_time.h`: change both together).
mod helpers {
    use crate::bindings;
    use crate::ffi::{c_char, c_int, c_uint, c_ulong};

    // `struct lock_class_key` is empty without lockdep; C only takes its
    // address.
    #[allow(improper_ctypes)]
    extern "C" {
        /// `timer_setup()` with the caller's lockdep name and class.
        pub(super) fn kelfix_time_timer_init(
            timer: *mut bindings::timer_list,
            function: Option<unsafe extern "C" fn(*mut bindings::timer_list)>,
            flags: c_uint,
            name: *const c_char,
            key: *mut bindings::lock_class_key,
        );
        /// `mod_timer(timer, jiffies + delta)`.
        pub(super) fn kelfix_time_timer_arm(timer: *mut bindings::timer_list, delta: c_ulong)
            -> c_int;
        /// `timer_delete_sync()`.
        pub(super) fn kelfix_time_timer_delete_sync(timer: *mut bindings::timer_list) -> c_int;
    }
}

/// An initialiser for a [`Timer`] with its own lockdep class (one per
/// place the macro is written) and the given name, or `file:line` if none.
#[macro_export]
macro_rules! new_timer {
    ($($name:literal)?) => {
        $crate::kelfix::timer::Timer::new(
            $crate::optional_name!($($name)?),
            $crate::static_lock_class!(),
        )
    };
}
pub use new_timer;

/// A `struct timer_list` in a `T`, calling `T`'s [`TimerCallback`].
///
/// # Invariants
///
/// `timer` was set up by `kelfix_time_timer_init` (pinned since).
#[pin_data]
#[repr(C)]
pub struct Timer<T> {
    #[pin]
    timer: Opaque<bindings::timer_list>,
    _t: PhantomData<T>,
}

// SAFETY: nothing in a `timer_list` is tied to the thread that set it up.
unsafe impl<T> Send for Timer<T> {}

// SAFETY: the timer calls take the timer base's lock: any thread may use a
// shared timer.
unsafe impl<T> Sync for Timer<T> {}

impl<T> Timer<T> {
    /// An initialiser of an inactive timer calling `T`'s callback, with
    /// lockdep name `name` and class `key` (used by `timer_delete_sync`'s
    /// deadlock checks). [`new_timer!`] supplies both.
    pub fn new(name: &'static CStr, key: Pin<&'static LockClassKey>) -> impl PinInit<Self>
    where
        T: TimerCallback + HasTimer<T>,
    {
        pin_init!(Self {
            // INVARIANT: set up in place, here.
            timer <- Opaque::ffi_init(move |slot: *mut bindings::timer_list| {
                // SAFETY: `slot` is valid for writes and stays pinned; the
                // helper initialises all of it; `name` and `key` are
                // `'static`.
                unsafe {
                    helpers::kelfix_time_timer_init(
                        slot,
                        Some(T::Pointer::run),
                        0,
                        name.as_char_ptr(),
                        key.as_ptr(),
                    )
                };
            }),
            _t: PhantomData,
        })
    }

    /// The `struct timer_list` inside `this`.
    ///
    /// # Safety
    ///
    /// `this` points into an allocation holding a whole `Self`.
    unsafe fn raw_get(this: *const Self) -> *mut bindings::timer_list {
        // SAFETY: in bounds (the caller's promise); no reference is made.
        unsafe { Opaque::cast_into(core::ptr::addr_of!((*this).timer)) }
    }

    /// Arms (or re-arms) the timer to expire `delta` jiffies from now;
    /// whether it was pending.
    ///
    /// # Safety
    ///
    /// `this` points to a valid `Self`, whose container lives until the
    /// timer is deactivated or its callback has returned for the last time.
    unsafe fn raw_arm(this: *const Self, delta: Jiffies) -> bool {
        // SAFETY: the timer is set up (type invariant) and lives long
        // enough (the caller's promise).
        unsafe { helpers::kelfix_time_timer_arm(Self::raw_get(this), delta) != 0 }
    }

    /// Deactivates the timer and waits for a running callback to return;
    /// whether it was pending. A callback that re-arms the timer is waited
    /// for and its new expiry removed as well.
    ///
    /// # Safety
    ///
    /// `this` points to a valid `Self`; not called from the timer's own
    /// callback (it would wait for itself).
    unsafe fn raw_cancel(this: *const Self) -> bool {
        // SAFETY: the timer is set up (type invariant) and valid.
        unsafe { helpers::kelfix_time_timer_delete_sync(Self::raw_get(this)) != 0 }
    }
}

/// A span a [`Timer`] can be armed for: a [`Delta`] (rounded up to whole
/// jiffies) or a `Delta<Jiffy>`. Negative spans count as zero: the timer
/// expires at the next tick.
pub trait TimerExpires {
    /// The span in jiffies.
    fn to_jiffies(&self) -> Jiffies;
}

impl TimerExpires for Delta {
    fn to_jiffies(&self) -> Jiffies {
        let usecs = self.as_micros_ceil().max(0);
        match u32::try_from(usecs) {
            // SAFETY: a pure conversion (rounds up), defined for every
            // argument.
            Ok(usecs) => unsafe { bindings::__usecs_to_jiffies(usecs) },
            // Over 71 minutes: milliseconds are fine enough.
            Err(_) => msecs_to_jiffies(
                u32::try_from(self.as_millis_ceil()).unwrap_or(u32::MAX) as c_uint,
            ),
        }
    }
}

impl TimerExpires for Delta<Jiffy> {
    fn to_jiffies(&self) -> Jiffies {
        self.as_jiffies().max(0) as c_ulong
    }
}

/// What a callback asks of its timer.
pub enum TimerRestart {
    /// Stay inactive.
    NoRestart,
    /// Arm again, to expire this many jiffies from now (see
    /// [`TimerExpires`]).
    After(Jiffies),
}

impl TimerRestart {
    /// Arm again after `expires`.
    pub fn after(expires: impl TimerExpires) -> Self {
        Self::After(expires.to_jiffies())
    }
}

/// A type holding a [`Timer<T>`] field; implemented with
/// [`impl_has_timer!`].
///
/// # Safety
///
/// `Self` has a `Timer<T>` field and both methods work on that one field
/// as documented.
pub unsafe trait HasTimer<T> {
    /// The timer field of `*this`, without making a reference.
    ///
    /// # Safety
    ///
    /// `this` points to a valid `Self`.
    unsafe fn raw_get_timer(this: *const Self) -> *const Timer<T>;

    /// The `Self` holding the timer field `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` points to the timer field of a `Self`.
    unsafe fn timer_container_of(ptr: *mut Timer<T>) -> *mut Self
    where
        Self: Sized;
}

/// Implements [`HasTimer`] for a type with a [`Timer`] field:
///
/// ```ignore
/// impl_has_timer! { impl HasTimer<Self> for Poller { self.timer } }
/// ```
#[macro_export]
macro_rules! impl_has_timer {
    (
        impl$({$($generics:tt)*})? HasTimer<$timer_type:ty> for $self:ty {
            self.$field:ident $(,)?
        }
    ) => {
        // SAFETY: both methods use the field named, whose type the
        // `addr_of!` below checks.
        unsafe impl$(<$($generics)*>)? $crate::kelfix::timer::HasTimer<$timer_type> for $self {
            #[inline]
            unsafe fn raw_get_timer(
                this: *const Self,
            ) -> *const $crate::kelfix::timer::Timer<$timer_type> {
                // SAFETY: `this` is valid (the caller's promise).
                unsafe { ::core::ptr::addr_of!((*this).$field) }
            }

            #[inline]
            unsafe fn timer_container_of(
                ptr: *mut $crate::kelfix::timer::Timer<$timer_type>,
            ) -> *mut Self {
                // SAFETY: `ptr` is the field of a `Self` (the caller's
                // promise).
                unsafe { $crate::container_of!(ptr, Self, $field) }
            }
        }
    };
}
pub use impl_has_timer;

/// The C callback of a pointer type: it turns the `struct timer_list`
/// back into the pointer's target, calls [`TimerCallback::run`] and
/// re-arms the timer if asked to.
pub trait RawTimerCallback {
    /// What [`TimerCallback::run`] receives.
    type CallbackTarget<'a>;

    /// The function the timer wheel calls on expiry.
    ///
    /// # Safety
    ///
    /// Called by the timer wheel only, with the timer that was armed.
    unsafe extern "C" fn run(timer: *mut bindings::timer_list);
}

/// A type whose timer calls back into it.
pub trait TimerCallback {
    /// The pointer type the timer is started through.
    type Pointer: RawTimerCallback;

    /// Runs when the timer expires, in softirq context (it must not
    /// sleep, nor drop a handle of its own timer); the return value says
    /// whether to arm the timer again.
    fn run(this: <Self::Pointer as RawTimerCallback>::CallbackTarget<'_>) -> TimerRestart;
}

/// A pointer to a `T` holding a [`Timer`] that can start the timer,
/// staying alive in the returned handle while it is armed.
///
/// Starting an armed timer moves its expiry; many handles of one timer
/// may exist, and any of them cancels it. Leaking a handle is safe (the
/// pointee then lives on).
pub trait TimerPointer: Sync + Sized {
    /// What [`TimerPointer::start`] returns.
    type TimerHandle: TimerHandle;

    /// Arms (or re-arms) the timer to expire `expires` from now.
    fn start(self, expires: impl TimerExpires) -> Self::TimerHandle;
}

/// A handle of a timer that may be armed.
///
/// # Safety
///
/// Dropping the handle deactivates the timer and, if its callback is
/// running, waits for it to return (calling [`TimerHandle::cancel`] from
/// `drop` does both).
pub unsafe trait TimerHandle {
    /// Deactivates the timer, waiting for a running callback to return
    /// (one that re-arms the timer is stopped too); whether it was armed.
    /// A concurrent start through another handle may arm it again.
    fn cancel(&mut self) -> bool;
}

/// Re-arms `timer` from its callback if `restart` asks for it.
///
/// # Safety
///
/// Called from the callback of `timer`, whose container the handle keeps
/// alive until the callback returns.
unsafe fn restart<T>(timer: *const Timer<T>, restart: TimerRestart) {
    if let TimerRestart::After(delta) = restart {
        // SAFETY: the container stays alive until the handle cancels the
        // timer, which waits for this callback and removes the new expiry.
        unsafe { Timer::raw_arm(timer, delta) };
    }
}

/// The handle of a timer started through an `Arc<T>`; it keeps the `T`
/// alive and cancels the timer when dropped.
pub struct ArcTimerHandle<T: HasTimer<T>> {
    inner: Arc<T>,
}

// SAFETY: `drop` calls `cancel`, which waits for a running callback.
unsafe impl<T: HasTimer<T>> TimerHandle for ArcTimerHandle<T> {
    fn cancel(&mut self) -> bool {
        // SAFETY: the `Arc` keeps the `T` valid.
        let timer = unsafe { T::raw_get_timer(Arc::as_ptr(&self.inner)) };
        // SAFETY: `timer` lies in the live `T`; the callback never owns a
        // handle (`TimerCallback::run`'s contract).
        unsafe { Timer::raw_cancel(timer) }
    }
}

impl<T: HasTimer<T>> Drop for ArcTimerHandle<T> {
    fn drop(&mut self) {
        self.cancel();
    }
}

impl<T> TimerPointer for Arc<T>
where
    T: 'static + Send + Sync + HasTimer<T>,
    T: TimerCallback<Pointer = Self>,
{
    type TimerHandle = ArcTimerHandle<T>;

    fn start(self, expires: impl TimerExpires) -> ArcTimerHandle<T> {
        // SAFETY: the `Arc` keeps the `T` valid.
        let timer = unsafe { T::raw_get_timer(Arc::as_ptr(&self)) };
        // SAFETY: `self` moves into the handle, which keeps the `T` alive
        // until the timer is cancelled.
        unsafe { Timer::raw_arm(timer, expires.to_jiffies()) };
        ArcTimerHandle { inner: self }
    }
}

impl<T> RawTimerCallback for Arc<T>
where
    T: 'static + HasTimer<T>,
    T: TimerCallback<Pointer = Self>,
{
    type CallbackTarget<'a> = ArcBorrow<'a, T>;

    unsafe extern "C" fn run(ptr: *mut bindings::timer_list) {
        // `Timer` is `repr(C)` with the `struct timer_list` first.
        let timer = ptr.cast::<Timer<T>>();
        // SAFETY: the wheel passes the timer that was armed: the field of a
        // `T`.
        let this = unsafe { T::timer_container_of(timer) };
        // SAFETY: the armed timer's handle holds a reference on the `T`
        // until it cancels the timer, which waits for this call.
        let res = T::run(unsafe { ArcBorrow::from_raw(this) });
        // SAFETY: in the timer's callback, its container alive (above).
        unsafe { restart(timer, res) };
    }
}

/// The handle of a timer started through a `Pin<Box<T, A>>`: it owns the
/// box, and cancels the timer before freeing it when dropped.
///
/// # Invariants
///
/// `inner` came from `Box::<T, A>::into_raw`.
pub struct BoxTimerHandle<T: HasTimer<T>, A: Allocator> {
    inner: NonNull<T>,
    _p: PhantomData<A>,
}

// SAFETY: `drop` calls `cancel`, which waits for a running callback.
unsafe impl<T: HasTimer<T>, A: Allocator> TimerHandle for BoxTimerHandle<T, A> {
    fn cancel(&mut self) -> bool {
        // SAFETY: the handle owns the live box.
        let timer = unsafe { T::raw_get_timer(self.inner.as_ptr()) };
        // SAFETY: `timer` lies in the live `T`; the callback never owns a
        // handle.
        unsafe { Timer::raw_cancel(timer) }
    }
}

impl<T: HasTimer<T>, A: Allocator> Drop for BoxTimerHandle<T, A> {
    fn drop(&mut self) {
        self.cancel();
        // SAFETY: from `Box::into_raw` (type invariant); the timer is
        // inactive, nothing else uses the pointer.
        drop(unsafe { Box::<T, A>::from_raw(self.inner.as_ptr()) });
    }
}

impl<T, A> TimerPointer for Pin<Box<T, A>>
where
    T: 'static + Send + Sync + HasTimer<T>,
    T: TimerCallback<Pointer = Self>,
    A: Allocator,
{
    type TimerHandle = BoxTimerHandle<T, A>;

    fn start(self, expires: impl TimerExpires) -> BoxTimerHandle<T, A> {
        // SAFETY: the `T` is only reached pinned from now on (the
        // callback's `Pin<&mut T>`, the handle's drop).
        let raw = Box::into_raw(unsafe { Pin::into_inner_unchecked(self) });
        // SAFETY: `Box::into_raw` never returns null.
        let inner = unsafe { NonNull::new_unchecked(raw) };
        // SAFETY: `inner` is valid.
        let timer = unsafe { T::raw_get_timer(inner.as_ptr()) };
        // SAFETY: the handle owns the box until the timer is cancelled.
        unsafe { Timer::raw_arm(timer, expires.to_jiffies()) };
        // INVARIANT: `inner` came from `Box::into_raw` above.
        BoxTimerHandle {
            inner,
            _p: PhantomData,
        }
    }
}

impl<T, A> RawTimerCallback for Pin<Box<T, A>>
where
    T: 'static + HasTimer<T>,
    T: TimerCallback<Pointer = Self>,
    A: Allocator,
{
    type CallbackTarget<'a> = Pin<&'a mut T>;

    unsafe extern "C" fn run(ptr: *mut bindings::timer_list) {
        // `Timer` is `repr(C)` with the `struct timer_list` first.
        let timer = ptr.cast::<Timer<T>>();
        // SAFETY: the wheel passes the timer that was armed: the field of a
        // `T`.
        let this = unsafe { T::timer_container_of(timer) };
        // SAFETY: the handle owns the box, makes no reference to the `T`
        // and waits for this call before freeing it: this reference is
        // unique. The box was pinned.
        let res = T::run(unsafe { Pin::new_unchecked(&mut *this) });
        // SAFETY: in the timer's callback, its container alive (above).
        unsafe { restart(timer, res) };
    }
}
