// SPDX-License-Identifier: GPL-2.0-only
//! Work queues: running a function later, in process context, on one of
//! the kernel's worker threads (`include/linux/workqueue.h`).
//!
//! A type that can be queued embeds a [`Work`] (or a [`DelayedWork`]),
//! says where with [`impl_has_work!`] (or [`impl_has_delayed_work!`]) and
//! implements [`WorkItem`]: its `run` receives the pointer the item was
//! queued through — an [`Arc<T>`], a `Pin<KBox<T>>` or an [`ARef<T>`] —
//! so the item stays alive exactly as long as it is queued or running.
//!
//! The `ID` parameter of these types lets one type embed several work
//! fields: each field gets its own number (any `u64`, unique within the
//! type), and the number picks the field at compile time.
//!
//! ```ignore
//! #[pin_data]
//! struct Job {
//!     n: u32,
//!     #[pin]
//!     work: Work<Job>,
//! }
//! impl_has_work! { impl HasWork<Self> for Job { self.work } }
//! impl WorkItem for Job {
//!     type Pointer = Arc<Job>;
//!     fn run(this: Arc<Job>) {
//!         pr_info!("job {}\n", this.n);
//!     }
//! }
//! let job = Arc::pin_init(pin_init!(Job { n: 1, work <- new_work!("Job::work") }), GFP_KERNEL)?;
//! let _ = workqueue::system().enqueue(job);
//! ```
//!
//! [`RawWorkItem`] is the lower layer: any pointer type that can hand the
//! queue a `work_struct` and keep it valid until it runs.
//!
//! The system queues are the kernel's own. From 6.17 on [`system`] and
//! [`system_unbound`] are `system_percpu_wq` and `system_dfl_wq`, the new
//! names of `system_wq` and `system_unbound_wq` (which 7.2 deprecates:
//! queueing there warns), before that the old ones. [`system_bh`] and
//! [`system_bh_highpri`] need Linux 6.9 or later.

use crate::alloc::{AllocError, Flags, KBox};
use crate::bindings;
use crate::ffi::{c_int, c_ulong};
use crate::init::InPlaceInit;
use crate::str::{CStr, CStrExt};
use crate::sync::aref::{ARef, AlwaysRefCounted};
use crate::sync::{Arc, LockClassKey};
use crate::types::Opaque;
use core::marker::PhantomData;
use core::pin::Pin;
use core::ptr::{addr_of, addr_of_mut, NonNull};
use pin_init::{pin_data, pin_init, PinInit};

/// The C helpers of this module (`helpers/kelfix_workqueue.c`, declared
/// in `kelfix_workqueue.h`: change both together).
mod helpers {
    use crate::bindings;

    // `struct lock_class_key` is empty without lockdep; C only takes its
    // address.
    #[allow(improper_ctypes)]
    extern "C" {
        /// `INIT_WORK()` with a caller-chosen name and lockdep class.
        pub(super) fn kelfix_workqueue_init_work(
            work: *mut bindings::work_struct,
            func: Option<unsafe extern "C" fn(*mut bindings::work_struct)>,
            onstack: bool,
            name: *const crate::ffi::c_char,
            key: *mut bindings::lock_class_key,
        );
        /// The timer of a `delayed_work`, as `INIT_DELAYED_WORK()` sets it
        /// up, with a caller-chosen name and lockdep class.
        pub(super) fn kelfix_workqueue_init_delayed_timer(
            timer: *mut bindings::timer_list,
            name: *const crate::ffi::c_char,
            key: *mut bindings::lock_class_key,
        );
        /// `system_percpu_wq`, or `system_wq` before 6.17.
        pub(super) fn kelfix_workqueue_system() -> *mut bindings::workqueue_struct;
        /// `system_dfl_wq`, or `system_unbound_wq` before 6.17.
        pub(super) fn kelfix_workqueue_system_unbound() -> *mut bindings::workqueue_struct;
        /// `system_bh_wq`; defined on kernels that have it (6.9 on) only.
        pub(super) fn kelfix_needs_linux_6_9__system_bh_wq() -> *mut bindings::workqueue_struct;
        /// `system_bh_highpri_wq`; defined on kernels that have it (6.9
        /// on) only.
        pub(super) fn kelfix_needs_linux_6_9__system_bh_highpri_wq(
        ) -> *mut bindings::workqueue_struct;
    }
}

/// An initialiser for a [`Work`], with its own lockdep class (one per
/// place the macro is written) and the given name, or `file:line` if
/// none.
#[macro_export]
macro_rules! new_work {
    ($($name:literal)?) => {
        $crate::workqueue::Work::new($crate::optional_name!($($name)?), $crate::static_lock_class!())
    };
}
pub use new_work;

/// An initialiser for a [`DelayedWork`]: as [`new_work!`], and the timer
/// gets a lockdep class of its own, named after the work with `_timer`
/// appended.
#[macro_export]
macro_rules! new_delayed_work {
    () => {
        $crate::workqueue::DelayedWork::new(
            $crate::optional_name!(),
            $crate::static_lock_class!(),
            $crate::c_str!(::core::concat!(::core::file!(), ":", ::core::line!(), "_timer")),
            $crate::static_lock_class!(),
        )
    };
    ($name:literal) => {
        $crate::workqueue::DelayedWork::new(
            $crate::c_str!($name),
            $crate::static_lock_class!(),
            $crate::c_str!(::core::concat!($name, "_timer")),
            $crate::static_lock_class!(),
        )
    };
}
pub use new_delayed_work;

/// A kernel work queue: `struct workqueue_struct`.
///
/// Only ever used by reference; the system queues ([`system`] and the
/// functions next to it) live as long as the kernel.
#[repr(transparent)]
pub struct Queue(Opaque<bindings::workqueue_struct>);

// SAFETY: a workqueue may be used from any thread.
unsafe impl Send for Queue {}

// SAFETY: the workqueue code does its own locking; queueing from several
// threads at once is allowed.
unsafe impl Sync for Queue {}

impl Queue {
    /// The queue at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` is a valid workqueue that stays valid for `'a`.
    pub unsafe fn from_raw<'a>(ptr: *const bindings::workqueue_struct) -> &'a Queue {
        // SAFETY: `Queue` is a transparent wrapper of the C struct, and the
        // caller keeps it valid for `'a`.
        unsafe { &*ptr.cast::<Queue>() }
    }

    /// Queues `w` to run on any CPU (`WORK_CPU_UNBOUND`).
    ///
    /// Queueing an item that is already queued does nothing: for [`Arc`]
    /// and [`ARef`] items the result gives the pointer back then.
    pub fn enqueue<W, const ID: u64>(&self, w: W) -> W::EnqueueOutput
    where
        W: RawWorkItem<ID> + Send + 'static,
    {
        let queue = self.0.get();
        // SAFETY: `queue_work_on` returns false only when the work is
        // already queued. `W` is `Send` and `'static`, so the item may run
        // on a worker thread at any later time. The closure only passes the
        // pointer on; `__enqueue` keeps it valid until the work function
        // runs when `queue_work_on` accepted it.
        unsafe {
            w.__enqueue(move |work| {
                bindings::queue_work_on(bindings::WORK_CPU_UNBOUND as c_int, queue, work)
            })
        }
    }

    /// Queues `w` to run on any CPU once `delay` jiffies have passed (0:
    /// at once, as [`Queue::enqueue`]).
    ///
    /// The delay is in jiffies (upstream's `kernel::time::Jiffies`, a
    /// `c_ulong`).
    pub fn enqueue_delayed<W, const ID: u64>(&self, w: W, delay: c_ulong) -> W::EnqueueOutput
    where
        W: RawDelayedWorkItem<ID> + Send + 'static,
    {
        let queue = self.0.get();
        // SAFETY: as in `enqueue`; `RawDelayedWorkItem` guarantees that the
        // `work_struct` is the `work` of a `delayed_work` whose other fields
        // stay valid as long as it, so its container may be queued.
        unsafe {
            w.__enqueue(move |work| {
                bindings::queue_delayed_work_on(
                    bindings::WORK_CPU_UNBOUND as c_int,
                    queue,
                    crate::container_of!(work, bindings::delayed_work, work),
                    delay,
                )
            })
        }
    }

    /// Runs `func` on this queue, in a work item allocated with `flags`;
    /// fails only if that allocation does.
    pub fn try_spawn<T: 'static + Send + FnOnce()>(
        &self,
        flags: Flags,
        func: T,
    ) -> Result<(), AllocError> {
        let init = pin_init!(ClosureWork {
            work <- new_work!("Queue::try_spawn"),
            func: Some(func),
        });
        let item = KBox::pin_init(init, flags).map_err(|_| AllocError)?;
        self.enqueue(item);
        Ok(())
    }
}

/// The work item of [`Queue::try_spawn`]: the closure, run once.
#[pin_data]
struct ClosureWork<T> {
    #[pin]
    work: Work<ClosureWork<T>>,
    func: Option<T>,
}

impl<T: FnOnce()> WorkItem for ClosureWork<T> {
    type Pointer = Pin<KBox<Self>>;

    fn run(mut this: Pin<KBox<Self>>) {
        if let Some(func) = this.as_mut().project().func.take() {
            func();
        }
    }
}

/// A pointer that can put a `work_struct` on a queue: the layer under
/// [`WorkItem`], for pointer types that manage the `work_struct` and its
/// function themselves.
///
/// `ID` selects one of several implementations for the same type (one per
/// work field).
///
/// # Safety
///
/// [`__enqueue`](RawWorkItem::__enqueue) passes its closure only pointers
/// that are valid as its "Guarantees" section says.
pub unsafe trait RawWorkItem<const ID: u64> {
    /// What [`Queue::enqueue`] returns.
    type EnqueueOutput;

    /// Gives `queue_work_on` the `work_struct` of this item; `queue_work_on`
    /// returns whether the work was queued.
    ///
    /// # Guarantees
    ///
    /// The pointer passed to `queue_work_on` is a valid `work_struct` while
    /// the closure runs; if the closure returns true, it stays valid until
    /// the function stored in it has been called.
    ///
    /// # Safety
    ///
    /// `queue_work_on` returns false only if the `work_struct` is already
    /// queued. The stored function may be called only while every lifetime
    /// in `Self` lasts (or never), and, if `Self` is not [`Send`], only on
    /// the thread that called `__enqueue`.
    unsafe fn __enqueue<F>(self, queue_work_on: F) -> Self::EnqueueOutput
    where
        F: FnOnce(*mut bindings::work_struct) -> bool;
}

/// A [`RawWorkItem`] whose `work_struct` is the `work` of a
/// `struct delayed_work`, for [`Queue::enqueue_delayed`].
///
/// # Safety
///
/// When `__enqueue` calls its closure, the pointer is the `work` field of
/// a valid `delayed_work`, and what `__enqueue` guarantees of the
/// `work_struct` holds for the whole `delayed_work`.
pub unsafe trait RawDelayedWorkItem<const ID: u64>: RawWorkItem<ID> {}

/// The function that runs a queued item: implemented by the pointer types
/// (`Pin<KBox<T>>`, [`Arc<T>`], [`ARef<T>`]) for items with a [`Work`]
/// field. It takes the pointer back from the `work_struct` and calls
/// [`WorkItem::run`].
///
/// # Safety
///
/// The `work_struct` that `__enqueue` queues was initialised with
/// [`run`](WorkItemPointer::run) of this implementation as its function.
pub unsafe trait WorkItemPointer<const ID: u64>: RawWorkItem<ID> {
    /// The work function.
    ///
    /// # Safety
    ///
    /// `ptr` was passed to a `queue_work_on` closure by
    /// [`__enqueue`](RawWorkItem::__enqueue), the closure returned true,
    /// and this is the one call the queue makes for that.
    unsafe extern "C" fn run(ptr: *mut bindings::work_struct);
}

/// A type that can be queued: what runs, and the pointer it is queued
/// through (typically `Arc<Self>` or `Pin<KBox<Self>>`).
pub trait WorkItem<const ID: u64 = 0> {
    /// The pointer to `Self` that is queued and handed to [`run`](Self::run).
    type Pointer: WorkItemPointer<ID>;

    /// Runs the item, on a worker thread.
    fn run(this: Self::Pointer);
}

/// The `struct work_struct` field of a work item of type `T`.
///
/// Made with [`new_work!`], pinned inside `T`; [`impl_has_work!`] tells
/// the queue where it lies.
#[pin_data]
#[repr(transparent)]
pub struct Work<T: ?Sized, const ID: u64 = 0> {
    #[pin]
    work: Opaque<bindings::work_struct>,
    _inner: PhantomData<T>,
}

// SAFETY: a `work_struct` may be used from any thread; it holds no `T`.
unsafe impl<T: ?Sized, const ID: u64> Send for Work<T, ID> {}

// SAFETY: the workqueue code synchronises its accesses to a `work_struct`;
// it holds no `T`.
unsafe impl<T: ?Sized, const ID: u64> Sync for Work<T, ID> {}

impl<T: ?Sized, const ID: u64> Work<T, ID> {
    /// An initialiser of a work field whose function runs `T`'s
    /// [`WorkItem<ID>`], with lockdep name `name` and class `key`.
    #[inline]
    pub fn new(name: &'static CStr, key: Pin<&'static LockClassKey>) -> impl PinInit<Self>
    where
        T: WorkItem<ID>,
    {
        pin_init!(Self {
            work <- Opaque::ffi_init(move |slot: *mut bindings::work_struct| {
                // SAFETY: `slot` is valid for writes and stays pinned; `name`
                // and `key` are static. `T::Pointer::run` may be the work
                // function (`WorkItemPointer`'s contract).
                unsafe {
                    helpers::kelfix_workqueue_init_work(
                        slot,
                        Some(T::Pointer::run),
                        false,
                        name.as_char_ptr(),
                        key.as_ptr(),
                    )
                }
            }),
            _inner: PhantomData,
        })
    }

    /// The `work_struct` inside the `Work` at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` is aligned and points into a live allocation (the `Work` need
    /// not be initialised).
    #[inline]
    pub unsafe fn raw_get(ptr: *const Self) -> *mut bindings::work_struct {
        // SAFETY: the caller guarantees that `ptr` can be projected to a
        // field; no reference is made.
        unsafe { Opaque::cast_into(addr_of!((*ptr).work)) }
    }
}

/// Says that `Self` holds a [`Work<T, ID>`] field, and how to go from one
/// to the other. Implement it with [`impl_has_work!`].
///
/// # Safety
///
/// Both methods return valid pointers and undo each other:
/// `work_container_of(raw_get_work(p)) == p` for every `p: *mut Self`, and
/// `raw_get_work(work_container_of(w)) == w` for every `w` that lies in a
/// `Self`.
pub unsafe trait HasWork<T, const ID: u64 = 0> {
    /// The work field of the `Self` at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` points to a valid `Self`.
    unsafe fn raw_get_work(ptr: *mut Self) -> *mut Work<T, ID>;

    /// The `Self` holding the work field at `ptr`.
    ///
    /// # Safety
    ///
    /// `ptr` points to the [`Work<T, ID>`] field of a `Self`.
    unsafe fn work_container_of(ptr: *mut Work<T, ID>) -> *mut Self;
}

/// Implements [`HasWork`] for a named field: `impl HasWork<T, ID> for
/// Type { self.field }`, one or more, with optional generics in braces
/// (`impl{T: Send} HasWork<Foo<T>> for Foo<T> { self.work }`). It does not
/// compile unless the field is a `Work<T, ID>`.
#[macro_export]
macro_rules! impl_has_work {
    ($(impl$({$($generics:tt)*})?
       HasWork<$work_type:ty $(, $id:tt)?>
       for $self:ty
       { self.$field:ident }
    )*) => {$(
        // SAFETY: the field named has type `Work<$work_type, $id>` (or the
        // code does not compile), and both methods are field projections
        // in opposite directions.
        unsafe impl$(<$($generics)+>)? $crate::workqueue::HasWork<$work_type $(, $id)?> for $self {
            #[inline]
            unsafe fn raw_get_work(
                ptr: *mut Self,
            ) -> *mut $crate::workqueue::Work<$work_type $(, $id)?> {
                // SAFETY: `ptr` is a valid `Self` (the caller's guarantee).
                unsafe { ::core::ptr::addr_of_mut!((*ptr).$field) }
            }

            #[inline]
            unsafe fn work_container_of(
                ptr: *mut $crate::workqueue::Work<$work_type $(, $id)?>,
            ) -> *mut Self {
                // SAFETY: `ptr` is the `$field` of a `Self` (the caller's
                // guarantee).
                unsafe { $crate::container_of!(ptr, Self, $field) }
            }
        }
    )*};
}
pub use impl_has_work;

impl_has_work! {
    impl{T} HasWork<Self> for ClosureWork<T> { self.work }
}

/// The `struct delayed_work` field of a work item of type `T`: a
/// [`Work`] plus the timer that queues it later.
///
/// Made with [`new_delayed_work!`]; [`impl_has_delayed_work!`] tells the
/// queue where it lies. Such an item can also be queued at once with
/// [`Queue::enqueue`].
#[pin_data]
#[repr(transparent)]
pub struct DelayedWork<T: ?Sized, const ID: u64 = 0> {
    #[pin]
    dwork: Opaque<bindings::delayed_work>,
    _inner: PhantomData<T>,
}

// SAFETY: a `delayed_work` may be used from any thread; it holds no `T`.
unsafe impl<T: ?Sized, const ID: u64> Send for DelayedWork<T, ID> {}

// SAFETY: the workqueue and timer code synchronise their accesses to a
// `delayed_work`; it holds no `T`.
unsafe impl<T: ?Sized, const ID: u64> Sync for DelayedWork<T, ID> {}

impl<T: ?Sized, const ID: u64> DelayedWork<T, ID> {
    /// An initialiser of a delayed work field whose function runs `T`'s
    /// [`WorkItem<ID>`]; the work and its timer get the lockdep names and
    /// classes given.
    #[inline]
    pub fn new(
        work_name: &'static CStr,
        work_key: Pin<&'static LockClassKey>,
        timer_name: &'static CStr,
        timer_key: Pin<&'static LockClassKey>,
    ) -> impl PinInit<Self>
    where
        T: WorkItem<ID>,
    {
        pin_init!(Self {
            dwork <- Opaque::ffi_init(move |slot: *mut bindings::delayed_work| {
                // SAFETY: `slot` is valid for writes and stays pinned, so are
                // its fields; names and keys are static. `T::Pointer::run`
                // may be the work function (`WorkItemPointer`'s contract).
                unsafe {
                    helpers::kelfix_workqueue_init_work(
                        addr_of_mut!((*slot).work),
                        Some(T::Pointer::run),
                        false,
                        work_name.as_char_ptr(),
                        work_key.as_ptr(),
                    );
                    helpers::kelfix_workqueue_init_delayed_timer(
                        addr_of_mut!((*slot).timer),
                        timer_name.as_char_ptr(),
                        timer_key.as_ptr(),
                    );
                }
            }),
            _inner: PhantomData,
        })
    }

    /// The [`Work`] inside the `DelayedWork` at `ptr` (the `work` of its
    /// `delayed_work`).
    ///
    /// # Safety
    ///
    /// `ptr` is aligned and points into a live allocation (the value need
    /// not be initialised).
    #[inline]
    pub unsafe fn raw_as_work(ptr: *const Self) -> *mut Work<T, ID> {
        // SAFETY: the caller guarantees that `ptr` can be projected to a
        // field; no reference is made.
        let dwork = unsafe { Opaque::cast_into(addr_of!((*ptr).dwork)) };
        // SAFETY: as above, one field further.
        let work = unsafe { addr_of_mut!((*dwork).work) };
        // `Work` is a transparent wrapper of a `work_struct`.
        work.cast()
    }
}

/// Says that the [`HasWork`] field of `Self` is the `work` of a
/// [`DelayedWork`]. Implement it with [`impl_has_delayed_work!`].
///
/// # Safety
///
/// The `work_struct` the [`HasWork`] methods lead to is the `work` field
/// of a `delayed_work` that is valid whenever that `work_struct` is.
pub unsafe trait HasDelayedWork<T, const ID: u64 = 0>: HasWork<T, ID> {}

/// Implements [`HasDelayedWork`] and [`HasWork`] for a named
/// [`DelayedWork<T, ID>`] field, in the form [`impl_has_work!`] takes
/// (`impl HasDelayedWork<T, ID> for Type { self.field }`).
#[macro_export]
macro_rules! impl_has_delayed_work {
    ($(impl$({$($generics:tt)*})?
       HasDelayedWork<$work_type:ty $(, $id:tt)?>
       for $self:ty
       { self.$field:ident }
    )*) => {$(
        // SAFETY: the `HasWork` below leads to the `work` of this field's
        // `delayed_work`, which lives as long as the `Self`.
        unsafe impl$(<$($generics)+>)?
            $crate::workqueue::HasDelayedWork<$work_type $(, $id)?> for $self {}

        // SAFETY: the field named has type `DelayedWork<$work_type, $id>`
        // (or the code does not compile); both methods go between it and
        // its `work_struct` in opposite directions.
        unsafe impl$(<$($generics)+>)? $crate::workqueue::HasWork<$work_type $(, $id)?> for $self {
            #[inline]
            unsafe fn raw_get_work(
                ptr: *mut Self,
            ) -> *mut $crate::workqueue::Work<$work_type $(, $id)?> {
                // SAFETY: `ptr` is a valid `Self` (the caller's guarantee).
                let dwork: *mut $crate::workqueue::DelayedWork<$work_type $(, $id)?> =
                    unsafe { ::core::ptr::addr_of_mut!((*ptr).$field) };
                // SAFETY: `dwork` is a field of a valid `Self`.
                unsafe { $crate::workqueue::DelayedWork::raw_as_work(dwork) }
            }

            #[inline]
            unsafe fn work_container_of(
                ptr: *mut $crate::workqueue::Work<$work_type $(, $id)?>,
            ) -> *mut Self {
                // SAFETY: `ptr` is the work of the `$field` of a `Self` (the
                // caller's guarantee).
                let work = unsafe { $crate::workqueue::Work::raw_get(ptr) };
                // SAFETY: that `work_struct` is the `work` of a
                // `delayed_work`.
                let dwork = unsafe {
                    $crate::container_of!(work, $crate::bindings::delayed_work, work)
                };
                // `DelayedWork` is a transparent wrapper of it.
                let dwork: *mut $crate::workqueue::DelayedWork<$work_type $(, $id)?> =
                    dwork.cast();
                // SAFETY: `dwork` is the `$field` of a `Self`.
                unsafe { $crate::container_of!(dwork, Self, $field) }
            }
        }
    )*};
}
pub use impl_has_delayed_work;

// SAFETY: `Work::new` (the only way to make a `Work<T, ID>`) stores
// `<T::Pointer as WorkItemPointer<ID>>::run`, which is this function since
// `T::Pointer = Arc<T>`; `__enqueue` below queues the `work_struct` of that
// field (`HasWork<T, ID>`).
unsafe impl<T, const ID: u64> WorkItemPointer<ID> for Arc<T>
where
    T: WorkItem<ID, Pointer = Self>,
    T: HasWork<T, ID>,
{
    unsafe extern "C" fn run(ptr: *mut bindings::work_struct) {
        // The queued `work_struct` is that of a `Work<T, ID>` (transparent).
        let work = ptr.cast::<Work<T, ID>>();
        // SAFETY: `work` is the field of the `T` whose `Arc` `__enqueue`
        // turned into a raw pointer.
        let this = unsafe { T::work_container_of(work) };
        // SAFETY: that raw pointer came from `Arc::into_raw`; the queue
        // gives its count back to us once.
        T::run(unsafe { Arc::from_raw(this) })
    }
}

// SAFETY: the `Arc`'s unit of count is kept (as a raw pointer) from the
// call of the closure until `run` takes it back, so the `work_struct`
// stays valid until then; when the closure refuses the work the count is
// taken back at once.
unsafe impl<T, const ID: u64> RawWorkItem<ID> for Arc<T>
where
    T: WorkItem<ID, Pointer = Self>,
    T: HasWork<T, ID>,
{
    type EnqueueOutput = Result<(), Self>;

    unsafe fn __enqueue<F>(self, queue_work_on: F) -> Self::EnqueueOutput
    where
        F: FnOnce(*mut bindings::work_struct) -> bool,
    {
        let this = Arc::into_raw(self).cast_mut();
        // SAFETY: `this` points to a live `T`.
        let work = unsafe { T::raw_get_work(this) };
        // SAFETY: `work` is a field of a live `T`.
        let work = unsafe { Work::raw_get(work) };
        if queue_work_on(work) {
            Ok(())
        } else {
            // SAFETY: not queued: the count `into_raw` kept is still ours.
            Err(unsafe { Arc::from_raw(this) })
        }
    }
}

// SAFETY: with `HasDelayedWork`, the `work_struct` queued is the `work` of
// a `delayed_work` in the same `T`, kept alive by the same count.
unsafe impl<T, const ID: u64> RawDelayedWorkItem<ID> for Arc<T>
where
    T: WorkItem<ID, Pointer = Self>,
    T: HasDelayedWork<T, ID>,
{
}

// SAFETY: `Work::new` stores `<T::Pointer as WorkItemPointer<ID>>::run`,
// which is this function since `T::Pointer = Pin<KBox<T>>`; `__enqueue`
// below queues the `work_struct` of that field.
unsafe impl<T, const ID: u64> WorkItemPointer<ID> for Pin<KBox<T>>
where
    T: WorkItem<ID, Pointer = Self>,
    T: HasWork<T, ID>,
{
    unsafe extern "C" fn run(ptr: *mut bindings::work_struct) {
        // The queued `work_struct` is that of a `Work<T, ID>` (transparent).
        let work = ptr.cast::<Work<T, ID>>();
        // SAFETY: `work` is the field of the `T` whose box `__enqueue`
        // turned into a raw pointer.
        let this = unsafe { T::work_container_of(work) };
        // SAFETY: that pointer came from `KBox::into_raw`, and the queue
        // hands it back once.
        let boxed = unsafe { KBox::from_raw(this) };
        // SAFETY: the box was pinned when it was queued and the value has
        // not moved.
        T::run(unsafe { Pin::new_unchecked(boxed) })
    }
}

// SAFETY: the box is leaked (as a raw pointer) from the call of the
// closure until `run` takes it back, so the `work_struct` stays valid
// until then. A box is the only pointer to its item, so the item cannot
// be queued already and the closure cannot refuse it.
unsafe impl<T, const ID: u64> RawWorkItem<ID> for Pin<KBox<T>>
where
    T: WorkItem<ID, Pointer = Self>,
    T: HasWork<T, ID>,
{
    type EnqueueOutput = ();

    unsafe fn __enqueue<F>(self, queue_work_on: F) -> Self::EnqueueOutput
    where
        F: FnOnce(*mut bindings::work_struct) -> bool,
    {
        // SAFETY: the value is not moved: only its address is taken, and
        // `run` pins it again.
        let this = KBox::into_raw(unsafe { Pin::into_inner_unchecked(self) });
        // SAFETY: `this` points to a live `T`.
        let work = unsafe { T::raw_get_work(this) };
        // SAFETY: `work` is a field of a live `T`.
        let work = unsafe { Work::raw_get(work) };
        if !queue_work_on(work) {
            // SAFETY: the caller's closure refuses only work that is
            // already queued, which a uniquely owned box cannot be.
            unsafe { core::hint::unreachable_unchecked() }
        }
    }
}

// SAFETY: with `HasDelayedWork`, the `work_struct` queued is the `work` of
// a `delayed_work` in the same boxed `T`.
unsafe impl<T, const ID: u64> RawDelayedWorkItem<ID> for Pin<KBox<T>>
where
    T: WorkItem<ID, Pointer = Self>,
    T: HasDelayedWork<T, ID>,
{
}

// SAFETY: `Work::new` stores `<T::Pointer as WorkItemPointer<ID>>::run`,
// which is this function since `T::Pointer = ARef<T>`; `__enqueue` below
// queues the `work_struct` of that field.
unsafe impl<T, const ID: u64> WorkItemPointer<ID> for ARef<T>
where
    T: AlwaysRefCounted,
    T: WorkItem<ID, Pointer = Self>,
    T: HasWork<T, ID>,
{
    unsafe extern "C" fn run(ptr: *mut bindings::work_struct) {
        // The queued `work_struct` is that of a `Work<T, ID>` (transparent).
        let work = ptr.cast::<Work<T, ID>>();
        // SAFETY: `work` is the field of the `T` whose reference
        // `__enqueue` turned into a raw pointer.
        let this = unsafe { T::work_container_of(work) };
        // SAFETY: a field's container is not null.
        let this = unsafe { NonNull::new_unchecked(this) };
        // SAFETY: the pointer came from `ARef::into_raw`; the queue gives
        // its reference back to us once.
        T::run(unsafe { ARef::from_raw(this) })
    }
}

// SAFETY: the reference is kept (as a raw pointer) from the call of the
// closure until `run` takes it back, so the `work_struct` stays valid
// until then; when the closure refuses the work it is taken back at once.
unsafe impl<T, const ID: u64> RawWorkItem<ID> for ARef<T>
where
    T: AlwaysRefCounted,
    T: WorkItem<ID, Pointer = Self>,
    T: HasWork<T, ID>,
{
    type EnqueueOutput = Result<(), Self>;

    unsafe fn __enqueue<F>(self, queue_work_on: F) -> Self::EnqueueOutput
    where
        F: FnOnce(*mut bindings::work_struct) -> bool,
    {
        let this = ARef::into_raw(self);
        // SAFETY: `this` points to a live `T`.
        let work = unsafe { T::raw_get_work(this.as_ptr()) };
        // SAFETY: `work` is a field of a live `T`.
        let work = unsafe { Work::raw_get(work) };
        if queue_work_on(work) {
            Ok(())
        } else {
            // SAFETY: not queued: the reference `into_raw` kept is ours.
            Err(unsafe { ARef::from_raw(this) })
        }
    }
}

// SAFETY: with `HasDelayedWork`, the `work_struct` queued is the `work` of
// a `delayed_work` in the same `T`, kept alive by the same reference.
unsafe impl<T, const ID: u64> RawDelayedWorkItem<ID> for ARef<T>
where
    T: AlwaysRefCounted,
    T: WorkItem<ID, Pointer = Self>,
    T: HasDelayedWork<T, ID>,
{
}

/// A system queue from the pointer the kernel keeps for it.
///
/// # Safety
///
/// `ptr` is one of the kernel's system workqueues, set up at boot and
/// never destroyed.
unsafe fn system_queue(ptr: *mut bindings::workqueue_struct) -> &'static Queue {
    // SAFETY: system workqueues live as long as the kernel.
    unsafe { Queue::from_raw(ptr) }
}

/// `system_percpu_wq` (`system_wq` before 6.17): the queue of
/// `schedule_work()`, per CPU, for items that finish quickly (flushing it
/// is expected to be fast).
pub fn system() -> &'static Queue {
    // SAFETY: a C helper without arguments or preconditions; the queue is
    // set at boot and never changed.
    unsafe { system_queue(helpers::kelfix_workqueue_system()) }
}

/// `system_highpri_wq`: as [`system`], run by high-priority workers.
pub fn system_highpri() -> &'static Queue {
    // SAFETY: set at boot, before modules load, and never changed.
    unsafe { system_queue(bindings::system_highpri_wq) }
}

/// `system_long_wq`: as [`system`], for items that may run for long.
pub fn system_long() -> &'static Queue {
    // SAFETY: set at boot, before modules load, and never changed.
    unsafe { system_queue(bindings::system_long_wq) }
}

/// `system_dfl_wq` (`system_unbound_wq` before 6.17): workers not bound
/// to a CPU and not concurrency managed; items start as soon as resources
/// and `max_active` allow.
pub fn system_unbound() -> &'static Queue {
    // SAFETY: a C helper without arguments or preconditions; the queue is
    // set at boot and never changed.
    unsafe { system_queue(helpers::kelfix_workqueue_system_unbound()) }
}

/// `system_freezable_wq`: as [`system`], but frozen during suspend
/// (drained, and nothing new starts until the system thaws).
pub fn system_freezable() -> &'static Queue {
    // SAFETY: set at boot, before modules load, and never changed.
    unsafe { system_queue(bindings::system_freezable_wq) }
}

/// `system_power_efficient_wq`: as [`system`], or unbound when the kernel
/// runs with `workqueue.power_efficient`, to save power.
pub fn system_power_efficient() -> &'static Queue {
    // SAFETY: set at boot, before modules load, and never changed.
    unsafe { system_queue(bindings::system_power_efficient_wq) }
}

/// `system_freezable_power_efficient_wq`: [`system_power_efficient`],
/// frozen during suspend.
pub fn system_freezable_power_efficient() -> &'static Queue {
    // SAFETY: set at boot, before modules load, and never changed.
    unsafe { system_queue(bindings::system_freezable_power_efficient_wq) }
}

/// `system_bh_wq`: items run in softirq (bottom-half) context, on the
/// queueing CPU, in order.
///
/// Needs Linux 6.9 or later: on an older kernel a module that calls it
/// does not link; the build names the missing
/// `kelfix_needs_linux_6_9__system_bh_wq`.
pub fn system_bh() -> &'static Queue {
    // SAFETY: a C helper without arguments or preconditions; the queue is
    // set at boot and never changed.
    unsafe { system_queue(helpers::kelfix_needs_linux_6_9__system_bh_wq()) }
}

/// `system_bh_highpri_wq`: as [`system_bh`], at high priority.
///
/// Needs Linux 6.9 or later, as [`system_bh`].
pub fn system_bh_highpri() -> &'static Queue {
    // SAFETY: a C helper without arguments or preconditions; the queue is
    // set at boot and never changed.
    unsafe { system_queue(helpers::kelfix_needs_linux_6_9__system_bh_highpri_wq()) }
}
