// SPDX-License-Identifier: GPL-2.0-only
//! Time: points in time ([`Instant`]) read from a clock ([`ClockSource`]),
//! spans of time ([`Delta`]), jiffies, sleeping ([`delay`]) and high
//! resolution timers ([`hrtimer`]).
//!
//! The kernel keeps both points and spans in one type, `ktime_t`
//! (nanoseconds in an `i64`); here they are two types, so that a point is
//! never used where a span is meant. An [`Instant`] is tied to the clock it
//! was read from: instants of different clocks cannot be mixed.

use crate::bindings;
use core::marker::PhantomData;
use core::ops;

pub mod delay;
pub mod hrtimer;

/// Nanoseconds in a microsecond.
pub const NSEC_PER_USEC: i64 = bindings::NSEC_PER_USEC as i64;

/// Nanoseconds in a millisecond.
pub const NSEC_PER_MSEC: i64 = bindings::NSEC_PER_MSEC as i64;

/// Nanoseconds in a second.
pub const NSEC_PER_SEC: i64 = bindings::NSEC_PER_SEC as i64;

/// A count of jiffies, the kernel's tick (`1/HZ` s).
pub type Jiffies = crate::ffi::c_ulong;

/// A count of milliseconds.
pub type Msecs = crate::ffi::c_uint;

/// The number of jiffies in `msecs` milliseconds, rounded up.
#[inline]
pub fn msecs_to_jiffies(msecs: Msecs) -> Jiffies {
    // SAFETY: a pure conversion, defined for every argument.
    unsafe { bindings::__msecs_to_jiffies(msecs) }
}

/// A clock an [`Instant`] is read from.
///
/// [`Monotonic`] suits most uses; the others are for when a protocol or a
/// format asks for that clock.
///
/// # Safety
///
/// [`ClockSource::ktime_get`] returns values in `0..=KTIME_MAX`
/// (`i64::MAX`), never a negative one.
pub unsafe trait ClockSource {
    /// The clock's `clockid_t` (`CLOCK_*`).
    const ID: bindings::clockid_t;

    /// The clock's current time, in `0..=KTIME_MAX`.
    fn ktime_get() -> bindings::ktime_t;
}

/// `CLOCK_MONOTONIC`: time since boot, never set back; it stops while the
/// system is suspended.
pub struct Monotonic;

// SAFETY: `ktime_get` counts from boot and never goes negative.
unsafe impl ClockSource for Monotonic {
    const ID: bindings::clockid_t = bindings::CLOCK_MONOTONIC as bindings::clockid_t;

    fn ktime_get() -> bindings::ktime_t {
        // SAFETY: callable from any context but NMI.
        unsafe { bindings::ktime_get() }
    }
}

/// `CLOCK_REALTIME`: wall-clock time since the Unix epoch. It can be set
/// (it jumps) and is slewed by NTP.
pub struct RealTime;

// SAFETY: the kernel refuses to set the real-time clock before the epoch.
unsafe impl ClockSource for RealTime {
    const ID: bindings::clockid_t = bindings::CLOCK_REALTIME as bindings::clockid_t;

    fn ktime_get() -> bindings::ktime_t {
        // SAFETY: callable from any context but NMI.
        unsafe { bindings::ktime_get_real() }
    }
}

/// `CLOCK_BOOTTIME`: as [`Monotonic`], but it keeps counting while the
/// system is suspended.
pub struct BootTime;

// SAFETY: monotonic time plus the (non-negative) time spent suspended.
unsafe impl ClockSource for BootTime {
    const ID: bindings::clockid_t = bindings::CLOCK_BOOTTIME as bindings::clockid_t;

    fn ktime_get() -> bindings::ktime_t {
        // SAFETY: callable from any context but NMI.
        unsafe { bindings::ktime_get_boottime() }
    }
}

/// `CLOCK_TAI`: International Atomic Time, the real-time clock plus the
/// leap seconds (the offset is set by user space, usually once at boot).
pub struct Tai;

// SAFETY: real time plus a non-negative leap second offset.
unsafe impl ClockSource for Tai {
    const ID: bindings::clockid_t = bindings::CLOCK_TAI as bindings::clockid_t;

    fn ktime_get() -> bindings::ktime_t {
        // SAFETY: callable from any context but NMI.
        unsafe { bindings::ktime_get_clocktai() }
    }
}

/// A point in time of clock `C`.
///
/// # Invariants
///
/// `inner` is in `0..=KTIME_MAX`.
#[repr(transparent)]
#[derive(PartialEq, PartialOrd, Eq, Ord)]
pub struct Instant<C: ClockSource> {
    inner: bindings::ktime_t,
    _c: PhantomData<C>,
}

impl<C: ClockSource> Clone for Instant<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: ClockSource> Copy for Instant<C> {}

impl<C: ClockSource> Instant<C> {
    /// The clock's time now.
    #[inline]
    pub fn now() -> Self {
        // INVARIANT: `ClockSource::ktime_get` stays in range (its contract).
        Self {
            inner: C::ktime_get(),
            _c: PhantomData,
        }
    }

    /// The time from `self` to now.
    #[inline]
    pub fn elapsed(&self) -> Delta {
        Self::now() - *self
    }

    /// The instant in nanoseconds of its clock (a `ktime_t`).
    #[inline]
    pub(crate) fn as_nanos(&self) -> i64 {
        self.inner
    }

    /// The instant of `ktime` nanoseconds of clock `C`.
    ///
    /// # Safety
    ///
    /// `ktime` is in `0..=KTIME_MAX`.
    #[inline]
    pub(crate) unsafe fn from_ktime(ktime: bindings::ktime_t) -> Self {
        debug_assert!(ktime >= 0);
        // INVARIANT: the caller's promise.
        Self {
            inner: ktime,
            _c: PhantomData,
        }
    }
}

impl<C: ClockSource> ops::Sub for Instant<C> {
    type Output = Delta;

    // Both sides are in `0..=KTIME_MAX`: the difference cannot overflow.
    #[inline]
    fn sub(self, other: Instant<C>) -> Delta {
        Delta {
            value: self.inner - other.inner,
        }
    }
}

impl<C: ClockSource> ops::Add<Delta> for Instant<C> {
    type Output = Self;

    #[inline]
    fn add(self, rhs: Delta) -> Self {
        // An overflow past `KTIME_MAX` panics where overflow checks are on.
        let inner = self.inner + rhs.value;
        debug_assert!(inner >= 0);
        // INVARIANT: checked above (in debug builds), as upstream does.
        Self {
            inner,
            _c: PhantomData,
        }
    }
}

impl<C: ClockSource> ops::Sub<Delta> for Instant<C> {
    type Output = Self;

    #[inline]
    fn sub(self, rhs: Delta) -> Self {
        let inner = self.inner - rhs.value;
        debug_assert!(inner >= 0);
        // INVARIANT: checked above (in debug builds), as upstream does.
        Self {
            inner,
            _c: PhantomData,
        }
    }
}

mod private {
    pub trait Sealed {}

    impl Sealed for super::Nsec {}
    impl Sealed for super::Jiffy {}
}

/// The unit a [`Delta`] counts in: [`Nsec`] or [`Jiffy`].
pub trait TimeUnit: private::Sealed {
    /// The integer type holding the count.
    type Repr: Copy + Clone + PartialEq + PartialOrd + Eq + Ord + core::fmt::Debug;
}

/// Nanoseconds, counted in an `i64` (of any sign).
#[derive(Copy, Clone, PartialEq, PartialOrd, Eq, Ord, Debug)]
pub enum Nsec {}

impl TimeUnit for Nsec {
    type Repr = i64;
}

/// Jiffies, counted in an `isize` (of any sign).
#[derive(Copy, Clone, PartialEq, PartialOrd, Eq, Ord, Debug)]
pub enum Jiffy {}

impl TimeUnit for Jiffy {
    type Repr = isize;
}

/// A span of time, possibly negative, counted in unit `U` (nanoseconds
/// unless said otherwise).
#[derive(Copy, Clone, PartialEq, PartialOrd, Eq, Ord, Debug)]
pub struct Delta<U: TimeUnit = Nsec> {
    value: U::Repr,
}

impl Delta<Jiffy> {
    /// A span of `jiffies` jiffies.
    #[inline]
    pub const fn from_jiffies(jiffies: isize) -> Self {
        Self { value: jiffies }
    }

    /// The span in jiffies.
    #[inline]
    pub const fn as_jiffies(self) -> isize {
        self.value
    }
}

impl ops::Add for Delta {
    type Output = Self;

    #[inline]
    fn add(self, rhs: Self) -> Self {
        Self {
            value: self.value + rhs.value,
        }
    }
}

impl ops::AddAssign for Delta {
    #[inline]
    fn add_assign(&mut self, rhs: Self) {
        self.value += rhs.value;
    }
}

impl ops::Sub for Delta {
    type Output = Self;

    #[inline]
    fn sub(self, rhs: Self) -> Self {
        Self {
            value: self.value - rhs.value,
        }
    }
}

impl ops::SubAssign for Delta {
    #[inline]
    fn sub_assign(&mut self, rhs: Self) {
        self.value -= rhs.value;
    }
}

impl ops::Mul<i64> for Delta {
    type Output = Self;

    #[inline]
    fn mul(self, rhs: i64) -> Self {
        Self {
            value: self.value * rhs,
        }
    }
}

impl ops::MulAssign<i64> for Delta {
    #[inline]
    fn mul_assign(&mut self, rhs: i64) {
        self.value *= rhs;
    }
}

impl ops::Div for Delta {
    type Output = i64;

    /// How many times `rhs` fits in `self`, rounded towards zero.
    #[inline]
    fn div(self, rhs: Self) -> i64 {
        // kelfix builds for 64-bit kernels only: a plain `i64` division.
        self.value / rhs.value
    }
}

/// `n / d`, rounded up for a positive `n` (towards zero otherwise), without
/// the overflow of `(n + d - 1) / d` near `i64::MAX`.
#[inline]
const fn div_ceil_pos(n: i64, d: i64) -> i64 {
    if n > 0 {
        (n - 1) / d + 1
    } else {
        n / d
    }
}

impl Delta {
    /// The empty span.
    pub const ZERO: Self = Self { value: 0 };

    /// A span of `nanos` nanoseconds.
    #[inline]
    pub const fn from_nanos(nanos: i64) -> Self {
        Self { value: nanos }
    }

    /// A span of `micros` microseconds; beyond what an `i64` of
    /// nanoseconds holds it saturates to `i64::MIN` or `i64::MAX`.
    #[inline]
    pub const fn from_micros(micros: i64) -> Self {
        Self {
            value: micros.saturating_mul(NSEC_PER_USEC),
        }
    }

    /// A span of `millis` milliseconds, saturating as
    /// [`Delta::from_micros`].
    #[inline]
    pub const fn from_millis(millis: i64) -> Self {
        Self {
            value: millis.saturating_mul(NSEC_PER_MSEC),
        }
    }

    /// A span of `secs` seconds, saturating as [`Delta::from_micros`].
    #[inline]
    pub const fn from_secs(secs: i64) -> Self {
        Self {
            value: secs.saturating_mul(NSEC_PER_SEC),
        }
    }

    /// Whether the span is empty.
    #[inline]
    pub fn is_zero(self) -> bool {
        self.as_nanos() == 0
    }

    /// Whether the span is negative.
    #[inline]
    pub fn is_negative(self) -> bool {
        self.as_nanos() < 0
    }

    /// The span in nanoseconds.
    #[inline]
    pub const fn as_nanos(self) -> i64 {
        self.value
    }

    /// The span in microseconds, rounded up (towards zero if negative).
    #[inline]
    pub fn as_micros_ceil(self) -> i64 {
        div_ceil_pos(self.as_nanos(), NSEC_PER_USEC)
    }

    /// The span in whole milliseconds (rounded towards zero).
    #[inline]
    pub fn as_millis(self) -> i64 {
        self.as_nanos() / NSEC_PER_MSEC
    }

    /// The span in milliseconds, rounded up (towards zero if negative).
    #[inline]
    pub fn as_millis_ceil(self) -> i64 {
        div_ceil_pos(self.as_nanos(), NSEC_PER_MSEC)
    }

    /// The remainder of the span divided by `dividend` nanoseconds (a
    /// 32-bit divisor, as 32-bit kernels only divide by one).
    #[inline]
    pub fn rem_nanos(self, dividend: i32) -> Self {
        Self {
            value: self.as_nanos() % i64::from(dividend),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding() {
        assert_eq!(Delta::from_nanos(1).as_micros_ceil(), 1);
        assert_eq!(Delta::from_nanos(1000).as_micros_ceil(), 1);
        assert_eq!(Delta::from_nanos(1001).as_micros_ceil(), 2);
        assert_eq!(Delta::from_nanos(-1999).as_micros_ceil(), -1);
        assert_eq!(Delta::from_nanos(i64::MAX).as_millis_ceil(), i64::MAX / NSEC_PER_MSEC + 1);
        assert_eq!(Delta::from_millis(20).as_millis(), 20);
        assert_eq!(Delta::from_secs(i64::MAX), Delta::from_nanos(i64::MAX));
    }
}
