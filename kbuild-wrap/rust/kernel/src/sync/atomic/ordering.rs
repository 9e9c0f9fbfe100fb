// SPDX-License-Identifier: GPL-2.0-only
//! The memory orderings of [`Atomic`](super::Atomic) operations, named as
//! in the Linux kernel memory model (`tools/memory-model/`).
//!
//! An ordering is a zero-sized value passed to the operation, so that which
//! orderings an operation accepts is checked at compile time (a load takes
//! [`Relaxed`] or [`Acquire`], a store [`Relaxed`] or [`Release`], a
//! read-modify-write any of the four).

/// No ordering beyond the operation being atomic (and dependency ordering).
#[derive(Clone, Copy, Debug)]
pub struct Relaxed;

/// Later memory accesses stay after the load part of the operation.
#[derive(Clone, Copy, Debug)]
pub struct Acquire;

/// Earlier memory accesses stay before the store part of the operation.
#[derive(Clone, Copy, Debug)]
pub struct Release;

/// Fully ordered: as if a full memory barrier stood on both sides of the
/// operation.
#[derive(Clone, Copy, Debug)]
pub struct Full;

/// Which ordering a type stands for, for the implementation to match on.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderingType {
    /// [`Relaxed`].
    Relaxed,
    /// [`Acquire`].
    Acquire,
    /// [`Release`].
    Release,
    /// [`Full`].
    Full,
}

mod sealed {
    /// Only this module's four types are orderings.
    pub trait Sealed {}
    impl Sealed for super::Relaxed {}
    impl Sealed for super::Acquire {}
    impl Sealed for super::Release {}
    impl Sealed for super::Full {}
}

/// A memory ordering: one of [`Relaxed`], [`Acquire`], [`Release`] and
/// [`Full`] (sealed).
pub trait Ordering: sealed::Sealed {
    /// The ordering this type stands for.
    const TYPE: OrderingType;
}

impl Ordering for Relaxed {
    const TYPE: OrderingType = OrderingType::Relaxed;
}

impl Ordering for Acquire {
    const TYPE: OrderingType = OrderingType::Acquire;
}

impl Ordering for Release {
    const TYPE: OrderingType = OrderingType::Release;
}

impl Ordering for Full {
    const TYPE: OrderingType = OrderingType::Full;
}

/// The orderings a load accepts: [`Acquire`] or [`Relaxed`].
pub trait AcquireOrRelaxed: Ordering {}
impl AcquireOrRelaxed for Acquire {}
impl AcquireOrRelaxed for Relaxed {}

/// The orderings a store accepts: [`Release`] or [`Relaxed`].
pub trait ReleaseOrRelaxed: Ordering {}
impl ReleaseOrRelaxed for Release {}
impl ReleaseOrRelaxed for Relaxed {}

/// The `core::sync::atomic` ordering of a load with ordering `O`.
pub(super) const fn load_order<O: AcquireOrRelaxed>() -> core::sync::atomic::Ordering {
    match O::TYPE {
        OrderingType::Acquire => core::sync::atomic::Ordering::Acquire,
        _ => core::sync::atomic::Ordering::Relaxed,
    }
}

/// The `core::sync::atomic` ordering of a store with ordering `O`.
pub(super) const fn store_order<O: ReleaseOrRelaxed>() -> core::sync::atomic::Ordering {
    match O::TYPE {
        OrderingType::Release => core::sync::atomic::Ordering::Release,
        _ => core::sync::atomic::Ordering::Relaxed,
    }
}

/// The `core::sync::atomic` ordering of a read-modify-write with ordering
/// `O`. A fully ordered operation is `SeqCst`: on the architectures the
/// kernel runs Rust on, a sequentially consistent read-modify-write is
/// a full barrier, as LKMM's fully ordered operations are.
pub(super) const fn rmw_order<O: Ordering>() -> core::sync::atomic::Ordering {
    match O::TYPE {
        OrderingType::Relaxed => core::sync::atomic::Ordering::Relaxed,
        OrderingType::Acquire => core::sync::atomic::Ordering::Acquire,
        OrderingType::Release => core::sync::atomic::Ordering::Release,
        OrderingType::Full => core::sync::atomic::Ordering::SeqCst,
    }
}

/// The ordering of the failure case of a compare-exchange with ordering
/// `O` (which may not contain a release part).
pub(super) const fn failure_order<O: Ordering>() -> core::sync::atomic::Ordering {
    match O::TYPE {
        OrderingType::Relaxed | OrderingType::Release => core::sync::atomic::Ordering::Relaxed,
        OrderingType::Acquire => core::sync::atomic::Ordering::Acquire,
        OrderingType::Full => core::sync::atomic::Ordering::SeqCst,
    }
}
