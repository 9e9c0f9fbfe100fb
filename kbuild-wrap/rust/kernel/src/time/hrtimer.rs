// SPDX-License-Identifier: GPL-2.0-only
//! High resolution timers (`struct hrtimer`), embedded in the structure
//! their callback works on, so starting one allocates nothing.
//!
//! A type `T` holds an [`HrTimer<T>`] field, says which with
//! [`impl_has_hr_timer!`] (which also fixes the clock and the mode), and
//! implements [`HrTimerCallback`]. A pointer to a `T` (an
//! [`Arc<T>`](crate::sync::Arc), a `Pin<KBox<T>>`, or a pinned reference
//! within a scope) is then
//! started with [`HrTimerPointer::start`] (or
//! [`ScopedHrTimerPointer::start_scoped`]), which keeps the pointer alive
//! in the returned [`HrTimerHandle`] until the timer is cancelled: dropping
//! the handle cancels the timer and waits for a running callback.
//!
//! A timer is stopped (set up, cancelled, or its callback returned
//! [`HrTimerRestart::NoRestart`]), started (waiting to expire), or running
//! its callback. Returning [`HrTimerRestart::Restart`] starts it again at
//! its expiry time, usually moved on first with
//! [`HrTimerCallbackContext::forward_now`]. Cancelling a running timer
//! waits for the callback to return.
//!
//! ```ignore
//! #[pin_data]
//! struct Ticker {
//!     #[pin]
//!     timer: HrTimer<Self>,
//!     ticks: Atomic<u32>,
//! }
//!
//! impl HrTimerCallback for Ticker {
//!     type Pointer<'a> = Arc<Self>;
//!
//!     fn run(this: ArcBorrow<'_, Self>, mut ctx: HrTimerCallbackContext<'_, Self>) -> HrTimerRestart {
//!         if this.ticks.fetch_add(1, ordering::Relaxed) == 9 {
//!             return HrTimerRestart::NoRestart;
//!         }
//!         ctx.forward_now(Delta::from_millis(1));
//!         HrTimerRestart::Restart
//!     }
//! }
//!
//! impl_has_hr_timer! {
//!     impl HasHrTimer<Self> for Ticker { mode: RelativeMode<Monotonic>, field: self.timer }
//! }
//!
//! let ticker = Arc::pin_init(pin_init!(Ticker { timer <- HrTimer::new(), ticks: Atomic::new(0) }), GFP_KERNEL)?;
//! let handle = ticker.clone().start(Delta::from_millis(1));
//! ```
//!
//! The kernel's `hrtimer_setup()` (6.13 on; `hrtimer_init()` before) is
//! called through `helpers/kelfix_time.c`.

use super::{ClockSource, Delta, Instant};
use crate::bindings;
use crate::ffi::c_uint;
use crate::types::Opaque;
use core::marker::PhantomData;
use core::ptr::NonNull;
use pin_init::{pin_data, pin_init, PinInit};

mod arc;
mod pin;
mod pin_mut;
// `box` is a keyword.
mod tbox;

pub use arc::ArcHrTimerHandle;
pub use pin::PinHrTimerHandle;
pub use pin_mut::PinMutHrTimerHandle;
pub use tbox::BoxHrTimerHandle;

/// The C helpers of this module (`kbuild-wrap/rust/helpers/kelfix_time.c`,
/// declared in `kelfix_time.h`: change both together).
mod helpers {
    use crate::bindings;

    extern "C" {
        /// `hrtimer_setup()`, or `hrtimer_init()` and the callback stored.
        pub(super) fn kelfix_time_hrtimer_setup(
            timer: *mut bindings::hrtimer,
            function: Option<unsafe extern "C" fn(*mut bindings::hrtimer) -> bindings::hrtimer_restart>,
            clock: bindings::clockid_t,
            mode: bindings::hrtimer_mode,
        );
    }
}

/// The [`Instant`] type of the clock of `T`'s timer.
pub type HrTimerInstant<T> = Instant<<<T as HasHrTimer<T>>::TimerMode as HrTimerMode>::Clock>;

/// A `struct hrtimer` in a `T`, calling `T`'s [`HrTimerCallback`].
///
/// # Invariants
///
/// `timer` was set up by `kelfix_time_hrtimer_setup` (pinned since).
#[pin_data]
#[repr(C)]
pub struct HrTimer<T> {
    #[pin]
    timer: Opaque<bindings::hrtimer>,
    _t: PhantomData<T>,
}

// SAFETY: nothing in a `struct hrtimer` is tied to the thread that set it
// up.
unsafe impl<T> Send for HrTimer<T> {}

// SAFETY: the hrtimer calls take the timer base's lock: any thread may
// use a shared timer.
unsafe impl<T> Sync for HrTimer<T> {}

impl<T> HrTimer<T> {
    /// An initialiser of a stopped timer, with the clock and mode of `T`'s
    /// [`HasHrTimer`] and `T`'s callback.
    pub fn new() -> impl PinInit<Self>
    where
        T: HrTimerCallback,
        T: HasHrTimer<T>,
    {
        let mode = <T as HasHrTimer<T>>::TimerMode::C_MODE;
        let clock = <<T as HasHrTimer<T>>::TimerMode as HrTimerMode>::Clock::ID;
        pin_init!(Self {
            // INVARIANT: set up in place, here.
            timer <- Opaque::ffi_init(move |slot: *mut bindings::hrtimer| {
                // SAFETY: `slot` is valid for writes and stays pinned; the
                // helper initialises all of it.
                unsafe {
                    helpers::kelfix_time_hrtimer_setup(slot, Some(T::Pointer::run), clock, mode)
                };
            }),
            _t: PhantomData,
        })
    }

    /// The `struct hrtimer` inside `this`.
    ///
    /// # Safety
    ///
    /// `this` points into an allocation holding a whole `Self`.
    unsafe fn raw_get(this: *const Self) -> *mut bindings::hrtimer {
        // SAFETY: in bounds (the caller's promise); no reference is made.
        unsafe { Opaque::cast_into(core::ptr::addr_of!((*this).timer)) }
    }

    /// Cancels the timer, waiting for a running callback to return;
    /// whether it was started or running. A concurrent start may leave it
    /// started again. Usually reached through [`HrTimerHandle::cancel`].
    ///
    /// # Safety
    ///
    /// `this` points to a valid `Self`.
    pub(crate) unsafe fn raw_cancel(this: *const Self) -> bool {
        // SAFETY: `this` is valid (the caller's promise).
        let timer = unsafe { Self::raw_get(this) };
        // SAFETY: the timer is set up (type invariant); the C side locks.
        unsafe { bindings::hrtimer_cancel(timer) != 0 }
    }

    /// `hrtimer_forward()`: see [`HrTimer::forward`].
    ///
    /// # Safety
    ///
    /// `this` points to a valid `Self`, and the caller has exclusive use of
    /// the timer or runs in its callback.
    unsafe fn raw_forward(this: *mut Self, now: HrTimerInstant<T>, interval: Delta) -> u64
    where
        T: HasHrTimer<T>,
    {
        // SAFETY: `this` is valid and nobody else changes the expiry
        // meanwhile (the caller's promise).
        unsafe { bindings::hrtimer_forward(Self::raw_get(this), now.as_nanos(), interval.as_nanos()) }
    }

    /// Moves the expiry time on by whole `interval`s until it lies after
    /// `now`; returns how many intervals were added (0 if it already lay
    /// after `now`). For use from the callback, see
    /// [`HrTimerCallbackContext::forward`].
    pub fn forward(self: core::pin::Pin<&mut Self>, now: HrTimerInstant<T>, interval: Delta) -> u64
    where
        T: HasHrTimer<T>,
    {
        // SAFETY: `raw_forward` moves nothing.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: a `&mut` is valid and exclusive.
        unsafe { Self::raw_forward(this, now, interval) }
    }

    /// [`HrTimer::forward`] from the clock's current time.
    pub fn forward_now(self: core::pin::Pin<&mut Self>, interval: Delta) -> u64
    where
        T: HasHrTimer<T>,
    {
        self.forward(HrTimerInstant::<T>::now(), interval)
    }

    /// The expiry time: a snapshot, as a concurrent start may change it.
    pub fn expires(&self) -> HrTimerInstant<T>
    where
        T: HasHrTimer<T>,
    {
        // SAFETY: `self` is valid; a racy read of one aligned `ktime_t`.
        let ktime = unsafe { bindings::hrtimer_get_expires(Self::raw_get(self)) };
        // SAFETY: the kernel never sets a negative expiry time.
        unsafe { Instant::from_ktime(ktime) }
    }
}

/// A pointer to a `T` holding an [`HrTimer`] that can start the timer,
/// staying alive in the returned handle while it runs. It is `Sync`, as
/// the callback runs in interrupt context on any CPU.
///
/// Starting a started timer restarts it; many handles of one timer may
/// exist, and any of them cancels it. Leaking a handle is safe (the
/// pointee then lives on).
pub trait HrTimerPointer: Sync + Sized {
    /// The mode (clock, absolute or relative expiry) of the timer.
    type TimerMode: HrTimerMode;

    /// What [`HrTimerPointer::start`] returns: it cancels the timer, and
    /// waits for a running callback, when dropped.
    type TimerHandle: HrTimerHandle;

    /// Starts (or restarts) the timer to expire at `expires`.
    fn start(self, expires: <Self::TimerMode as HrTimerMode>::Expires) -> Self::TimerHandle;
}

/// [`HrTimerPointer`] for pointers that must not outlive their handle
/// (pinned references: a leaked handle would leave a timer pointing to a
/// dead stack frame), hence an unsafe `start`.
///
/// # Safety
///
/// The pointee outlives every handle returned by `start`.
pub unsafe trait UnsafeHrTimerPointer: Sync + Sized {
    /// The mode (clock, absolute or relative expiry) of the timer.
    type TimerMode: HrTimerMode;

    /// What `start` returns.
    ///
    /// # Safety
    ///
    /// Dropping it cancels the timer and waits for a running callback.
    type TimerHandle: HrTimerHandle;

    /// Starts (or restarts) the timer to expire at `expires`.
    ///
    /// # Safety
    ///
    /// The handle is dropped (not leaked) before the pointee goes away.
    unsafe fn start(self, expires: <Self::TimerMode as HrTimerMode>::Expires) -> Self::TimerHandle;
}

/// Starting a timer for the length of a closure; implemented for every
/// [`UnsafeHrTimerPointer`].
///
/// # Safety
///
/// `start_scoped` returns only once the timer is cancelled and its
/// callback is not running.
pub unsafe trait ScopedHrTimerPointer {
    /// The mode (clock, absolute or relative expiry) of the timer.
    type TimerMode: HrTimerMode;

    /// Starts the timer to expire at `expires`, runs `f`, then cancels the
    /// timer; returns what `f` returned.
    fn start_scoped<T, F>(self, expires: <Self::TimerMode as HrTimerMode>::Expires, f: F) -> T
    where
        F: FnOnce() -> T;
}

// SAFETY: the handle is dropped, cancelling the timer and waiting for its
// callback (the handle's contract), before `start_scoped` returns.
unsafe impl<P> ScopedHrTimerPointer for P
where
    P: UnsafeHrTimerPointer,
{
    type TimerMode = P::TimerMode;

    fn start_scoped<T, F>(self, expires: <Self::TimerMode as HrTimerMode>::Expires, f: F) -> T
    where
        F: FnOnce() -> T,
    {
        // SAFETY: the handle is dropped below, while `self` is alive.
        let handle = unsafe { UnsafeHrTimerPointer::start(self, expires) };
        let res = f();
        drop(handle);
        res
    }
}

/// The C callback of a pointer type: it turns the `struct hrtimer` back
/// into the pointer's target and calls [`HrTimerCallback::run`]. (Apart
/// from [`HrTimerPointer`] to keep trait bounds simple.)
pub trait RawHrTimerCallback {
    /// What [`HrTimerCallback::run`] receives: the pointer or a borrow of
    /// it.
    type CallbackTarget<'a>;

    /// The function the hrtimer core calls on expiry.
    ///
    /// # Safety
    ///
    /// Called by the hrtimer core only, with the timer that was started.
    unsafe extern "C" fn run(this: *mut bindings::hrtimer) -> bindings::hrtimer_restart;
}

/// A type whose timer calls back into it.
pub trait HrTimerCallback {
    /// The pointer type the timer is started through.
    type Pointer<'a>: RawHrTimerCallback;

    /// Runs when the timer expires (in hard or soft interrupt context, by
    /// the mode); the return value says whether to start it again.
    fn run(
        this: <Self::Pointer<'_> as RawHrTimerCallback>::CallbackTarget<'_>,
        ctx: HrTimerCallbackContext<'_, Self>,
    ) -> HrTimerRestart
    where
        Self: Sized,
        Self: HasHrTimer<Self>;
}

/// A handle of a timer that may be started.
///
/// # Safety
///
/// Dropping the handle cancels the timer and, if its callback is running,
/// waits for it to return (calling [`HrTimerHandle::cancel`] from `drop`
/// does both).
pub unsafe trait HrTimerHandle {
    /// Cancels the timer, waiting for a running callback to return;
    /// returns whether it was started or running. A concurrent start may
    /// leave it started again.
    fn cancel(&mut self) -> bool;
}

/// A type holding an [`HrTimer<T>`] field; implemented with
/// [`impl_has_hr_timer!`].
///
/// # Safety
///
/// `Self` has an `HrTimer<T>` field and every method works on that one
/// field as documented.
pub unsafe trait HasHrTimer<T> {
    /// The mode (clock, absolute or relative expiry) of the timer.
    type TimerMode: HrTimerMode;

    /// The timer field of `*this`, without making a reference.
    ///
    /// # Safety
    ///
    /// `this` points to a valid `Self`.
    unsafe fn raw_get_timer(this: *const Self) -> *const HrTimer<T>;

    /// The `Self` holding the timer field `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` points to the timer field of a `Self`.
    unsafe fn timer_container_of(ptr: *mut HrTimer<T>) -> *mut Self
    where
        Self: Sized;

    /// The `struct hrtimer` of `*this`, without making a reference.
    ///
    /// # Safety
    ///
    /// `this` points to a valid `Self`.
    unsafe fn c_timer_ptr(this: *const Self) -> *const bindings::hrtimer {
        // SAFETY: `this` is valid (the caller's promise).
        let timer = unsafe { Self::raw_get_timer(this) };
        // SAFETY: `timer` points to a whole `HrTimer<T>` inside `*this`.
        unsafe { HrTimer::raw_get(timer) }
    }

    /// Starts (or restarts) the timer of `*this` to expire at `expires`.
    ///
    /// # Safety
    ///
    /// `this` points to a valid `Self`, which lives until the timer is
    /// cancelled or its callback has returned for the last time.
    unsafe fn start(this: *const Self, expires: <Self::TimerMode as HrTimerMode>::Expires) {
        // SAFETY: the timer is set up (HrTimer's invariant) and lives long
        // enough (the caller's promise).
        unsafe {
            bindings::hrtimer_start_range_ns(
                Self::c_timer_ptr(this).cast_mut(),
                expires.as_nanos(),
                0,
                <Self::TimerMode as HrTimerMode>::C_MODE,
            )
        };
    }
}

/// What a callback asks of its timer.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum HrTimerRestart {
    /// Stop.
    NoRestart = bindings::HRTIMER_NORESTART,
    /// Start again, at the (forwarded) expiry time.
    Restart = bindings::HRTIMER_RESTART,
}

impl HrTimerRestart {
    fn into_c(self) -> bindings::hrtimer_restart {
        self as c_uint
    }
}

/// A time a timer can be set to: an [`Instant`] (absolute modes) or a
/// [`Delta`] from now (relative modes).
pub trait HrTimerExpires {
    /// The time as a `ktime_t`, read as absolute or relative by the mode.
    fn as_nanos(&self) -> i64;
}

impl<C: ClockSource> HrTimerExpires for Instant<C> {
    #[inline]
    fn as_nanos(&self) -> i64 {
        Instant::<C>::as_nanos(self)
    }
}

impl HrTimerExpires for Delta {
    #[inline]
    fn as_nanos(&self) -> i64 {
        Delta::as_nanos(*self)
    }
}

mod private {
    pub trait Sealed {}
}

/// How a timer runs: its clock, whether its expiry is absolute or
/// relative, and the `HRTIMER_MODE_*` flags. Implemented by the
/// `*Mode<C>` types of this module only.
pub trait HrTimerMode: private::Sealed {
    /// The `enum hrtimer_mode` value.
    const C_MODE: bindings::hrtimer_mode;

    /// The clock the timer runs on.
    type Clock: ClockSource;

    /// What an expiry time is given as: [`Instant`] or [`Delta`].
    type Expires: HrTimerExpires;
}

/// Defines a mode type per `HRTIMER_MODE_*` value.
macro_rules! hr_timer_modes {
    ($($(#[$doc:meta])* $name:ident = $c_mode:ident, $expires:ty;)*) => {$(
        $(#[$doc])*
        pub struct $name<C: ClockSource>(PhantomData<C>);

        impl<C: ClockSource> private::Sealed for $name<C> {}

        impl<C: ClockSource> HrTimerMode for $name<C> {
            const C_MODE: bindings::hrtimer_mode = bindings::$c_mode;
            type Clock = C;
            type Expires = $expires;
        }
    )*};
}

hr_timer_modes! {
    /// Expires at an [`Instant`].
    AbsoluteMode = HRTIMER_MODE_ABS, Instant<C>;
    /// Expires a [`Delta`] from now.
    RelativeMode = HRTIMER_MODE_REL, Delta;
    /// Expires at an [`Instant`], on the CPU that started it.
    AbsolutePinnedMode = HRTIMER_MODE_ABS_PINNED, Instant<C>;
    /// Expires a [`Delta`] from now, on the CPU that started it.
    RelativePinnedMode = HRTIMER_MODE_REL_PINNED, Delta;
    /// Expires at an [`Instant`]; the callback runs in softirq context.
    AbsoluteSoftMode = HRTIMER_MODE_ABS_SOFT, Instant<C>;
    /// Expires a [`Delta`] from now; the callback runs in softirq context.
    RelativeSoftMode = HRTIMER_MODE_REL_SOFT, Delta;
    /// Expires at an [`Instant`], on the starting CPU, in softirq context.
    AbsolutePinnedSoftMode = HRTIMER_MODE_ABS_PINNED_SOFT, Instant<C>;
    /// Expires a [`Delta`] from now, on the starting CPU, in softirq
    /// context.
    RelativePinnedSoftMode = HRTIMER_MODE_REL_PINNED_SOFT, Delta;
    /// Expires at an [`Instant`]; the callback runs in hard interrupt
    /// context, even on PREEMPT_RT.
    AbsoluteHardMode = HRTIMER_MODE_ABS_HARD, Instant<C>;
    /// Expires a [`Delta`] from now, in hard interrupt context.
    RelativeHardMode = HRTIMER_MODE_REL_HARD, Delta;
    /// Expires at an [`Instant`], on the starting CPU, in hard interrupt
    /// context.
    AbsolutePinnedHardMode = HRTIMER_MODE_ABS_PINNED_HARD, Instant<C>;
    /// Expires a [`Delta`] from now, on the starting CPU, in hard interrupt
    /// context.
    RelativePinnedHardMode = HRTIMER_MODE_REL_PINNED_HARD, Delta;
}

/// What a running callback may do to its own timer (the operations that
/// otherwise need exclusive use of the timer).
///
/// # Invariants
///
/// It exists only inside a callback of the timer `self.0` points to,
/// which is valid for `'a`.
pub struct HrTimerCallbackContext<'a, T: HasHrTimer<T>>(NonNull<HrTimer<T>>, PhantomData<&'a ()>);

impl<T: HasHrTimer<T>> HrTimerCallbackContext<'_, T> {
    /// The context of the running callback of `timer`.
    ///
    /// # Safety
    ///
    /// Called only in a [`RawHrTimerCallback::run`], with the timer that
    /// expired; the result does not outlive that call.
    pub(crate) unsafe fn from_raw(timer: *mut HrTimer<T>) -> Self {
        // SAFETY: the hrtimer core passed a non-null timer.
        // INVARIANT: the caller's promise.
        Self(unsafe { NonNull::new_unchecked(timer) }, PhantomData)
    }

    /// [`HrTimer::forward`], from the callback.
    pub fn forward(&mut self, now: HrTimerInstant<T>, interval: Delta) -> u64 {
        // SAFETY: in the timer's callback (type invariant), with a valid
        // timer.
        unsafe { HrTimer::<T>::raw_forward(self.0.as_ptr(), now, interval) }
    }

    /// [`HrTimer::forward_now`], from the callback.
    pub fn forward_now(&mut self, interval: Delta) -> u64 {
        self.forward(HrTimerInstant::<T>::now(), interval)
    }
}

/// Implements [`HasHrTimer`] for a type with an [`HrTimer`] field:
///
/// ```ignore
/// impl_has_hr_timer! {
///     impl HasHrTimer<Self> for Ticker { mode: RelativeMode<Monotonic>, field: self.timer }
/// }
/// ```
#[macro_export]
macro_rules! impl_has_hr_timer {
    (
        impl$({$($generics:tt)*})?
            HasHrTimer<$timer_type:ty>
            for $self:ty
        {
            mode : $mode:ty,
            field : self.$field:ident $(,)?
        }
        $($rest:tt)*
    ) => {
        // SAFETY: both methods use the field named, whose type the
        // `addr_of!` below checks.
        unsafe impl$(<$($generics)*>)? $crate::time::hrtimer::HasHrTimer<$timer_type> for $self {
            type TimerMode = $mode;

            #[inline]
            unsafe fn raw_get_timer(
                this: *const Self,
            ) -> *const $crate::time::hrtimer::HrTimer<$timer_type> {
                // SAFETY: `this` is valid (the caller's promise).
                unsafe { ::core::ptr::addr_of!((*this).$field) }
            }

            #[inline]
            unsafe fn timer_container_of(
                ptr: *mut $crate::time::hrtimer::HrTimer<$timer_type>,
            ) -> *mut Self {
                // SAFETY: `ptr` is the field of a `Self` (the caller's
                // promise).
                unsafe { $crate::container_of!(ptr, Self, $field) }
            }
        }
    }
}
pub use impl_has_hr_timer;
