// SPDX-License-Identifier: GPL-2.0-only
//! Host tests of pin_init: in-place initialisation through Box, Arc and
//! the stack, error paths, zeroing, nesting and pinned drop.

#![cfg(feature = "std")]
#![feature(allocator_api)]

mod common;

use common::{ListHead, SpinMutex};
use core::{
    alloc::AllocError,
    cell::{Cell, RefCell},
    convert::Infallible,
    marker::PhantomPinned,
    pin::Pin,
    ptr::{self, NonNull},
};
use pin_init::{
    init, init_array_from_fn, init_zeroed, pin_data, pin_init, pin_init_array_from_fn,
    pin_init_from_closure, pinned_drop, stack_pin_init, stack_try_pin_init, zeroed, InPlaceInit,
    Init, PinInit, Zeroable,
};
use std::{rc::Rc, sync::Arc, thread, vec::Vec};

/// The error of the fallible tests.
#[derive(Debug, PartialEq, Eq)]
enum TestError {
    Alloc,
    Refused(&'static str),
}

impl From<AllocError> for TestError {
    fn from(_: AllocError) -> Self {
        Self::Alloc
    }
}

impl From<Infallible> for TestError {
    fn from(never: Infallible) -> Self {
        match never {}
    }
}

#[test]
fn mutex_in_box_is_self_linked_and_locks() {
    let mut mutex = Box::pin_init(SpinMutex::new(41)).unwrap();
    assert!(mutex.is_intact());
    *mutex.lock() += 1;
    assert_eq!(*mutex.lock(), 42);
    // The projection hands out the pinned field where it lives.
    let waiters: *const ListHead = &*mutex.as_mut().waiters();
    assert!(unsafe { (*waiters).is_self_linked() });
    crate::assert_not_unpin!(SpinMutex<u32>);
    crate::assert_not_unpin!(ListHead);
}

#[test]
fn mutex_in_arc_is_shared_between_threads() {
    let mutex: Pin<Arc<SpinMutex<u64>>> = Arc::pin_init(SpinMutex::new(0)).unwrap();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let mutex = mutex.clone();
            thread::spawn(move || {
                for _ in 0..1000 {
                    *mutex.lock() += 1;
                }
                assert!(mutex.is_intact());
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    assert_eq!(*mutex.lock(), 4000);
    assert!(mutex.is_intact());
}

#[test]
fn mutex_on_the_stack() {
    stack_pin_init!(let mutex = SpinMutex::new(String::from("stack")));
    assert!(mutex.is_intact());
    mutex.lock().push('!');
    assert_eq!(&*mutex.lock(), "stack!");

    stack_try_pin_init!(let failed: SpinMutex<u8> = fails_after_list());
    assert_eq!(failed.err(), Some(TestError::Refused("list")));
}

/// An infallible initialiser with the error type of the tests.
fn fallible<T>(init: impl PinInit<T>) -> impl PinInit<T, TestError> {
    // SAFETY: `init` does the work; only the error type changes.
    unsafe {
        pin_init_from_closure(move |slot| {
            pin_init::raw_init(slot, init);
            Ok(())
        })
    }
}

fn fails_after_list() -> impl PinInit<SpinMutex<u8>, TestError> {
    fallible(SpinMutex::new(0)).pin_chain(|m| {
        assert!(m.is_intact());
        Err(TestError::Refused("list"))
    })
}

/// Counts its drops in a shared log, by name.
struct Tracer {
    name: &'static str,
    log: Rc<RefCell<Vec<&'static str>>>,
}

impl Tracer {
    fn new(name: &'static str, log: &Rc<RefCell<Vec<&'static str>>>) -> Self {
        Self {
            name,
            log: log.clone(),
        }
    }
}

impl Drop for Tracer {
    fn drop(&mut self) {
        self.log.borrow_mut().push(self.name);
    }
}

#[pin_data]
struct ThreeFields {
    first: Tracer,
    #[pin]
    second: Tracer,
    third: Tracer,
    #[pin]
    fourth: Tracer,
}

/// An initialiser that fails (when `fail`) without touching the slot.
fn maybe_tracer(
    name: &'static str,
    log: &Rc<RefCell<Vec<&'static str>>>,
    fail: bool,
) -> impl Init<Tracer, TestError> {
    let log = log.clone();
    // SAFETY: the slot is either fully written or left alone.
    unsafe {
        pin_init::init_from_closure(move |slot: *mut Tracer| {
            if fail {
                return Err(TestError::Refused(name));
            }
            slot.write(Tracer::new(name, &log));
            Ok(())
        })
    }
}

fn three_fields<'a>(
    log: &'a Rc<RefCell<Vec<&'static str>>>,
    fail_third: bool,
) -> impl PinInit<ThreeFields, TestError> + 'a {
    pin_init!(ThreeFields {
        first: Tracer::new("first", log),
        second <- maybe_tracer("second", log, false),
        third <- maybe_tracer("third", log, fail_third),
        fourth: Tracer::new("fourth", log),
    }? TestError)
}

#[test]
fn error_drops_initialised_fields_in_reverse() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let result = Box::try_pin_init(three_fields(&log, true));
    assert_eq!(result.err(), Some(TestError::Refused("third")));
    assert_eq!(*log.borrow(), ["second", "first"]);
}

#[test]
fn success_drops_each_field_once() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let value = Box::try_pin_init(three_fields(&log, false)).unwrap();
    assert!(log.borrow().is_empty());
    drop(value);
    assert_eq!(*log.borrow(), ["first", "second", "third", "fourth"]);
}

#[test]
fn failing_chain_drops_the_value() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let init = maybe_tracer("chained", &log, false).chain(|t| {
        assert_eq!(t.name, "chained");
        Err(TestError::Refused("chain"))
    });
    assert_eq!(Box::try_init(init).err(), Some(TestError::Refused("chain")));
    assert_eq!(*log.borrow(), ["chained"]);
}

#[test]
fn array_error_drops_the_elements_done() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let names = ["a0", "a1", "a2", "a3"];
    let init = init_array_from_fn(|i| maybe_tracer(names[i], &log, i == 2));
    let result: Result<Box<[Tracer; 4]>, _> = Box::try_init(init);
    assert_eq!(result.err(), Some(TestError::Refused("a2")));
    assert_eq!(*log.borrow(), ["a0", "a1"]);

    let lists: Pin<Box<[ListHead; 3]>> =
        Box::pin_init(pin_init_array_from_fn(|_| ListHead::new())).unwrap();
    assert!(lists.iter().all(ListHead::is_self_linked));
}

#[derive(Zeroable, Debug, PartialEq)]
struct Registers {
    control: u32,
    bytes: [u8; 8],
    buffer: *mut u8,
    next: Option<NonNull<Registers>>,
    wrapped: Wrapped<u64>,
}

#[derive(Zeroable, Debug, PartialEq)]
struct Wrapped<T>(T, bool);

#[test]
fn zeroed_values_and_initialisers() {
    let direct: Registers = zeroed();
    assert_eq!(direct.control, 0);
    assert_eq!(direct.bytes, [0; 8]);
    assert!(direct.buffer.is_null());
    assert!(direct.next.is_none());
    assert_eq!(direct.wrapped, Wrapped(0, false));
    assert_eq!(Registers::zeroed(), direct);

    let boxed: Box<Registers> = Box::init(init_zeroed()).unwrap();
    assert_eq!(*boxed, direct);

    let partial = Box::init(init!(Registers {
        control: 7,
        bytes: [1; 8],
        ..Zeroable::init_zeroed()
    }))
    .unwrap();
    assert_eq!(partial.control, 7);
    assert_eq!(partial.bytes, [1; 8]);
    assert!(partial.buffer.is_null() && partial.next.is_none());

    // The older spelling of the zeroing trailer.
    let older = Box::init(init!(Wrapped::<u8> {
        0: 3,
        ..Zeroable::zeroed()
    }))
    .unwrap();
    assert_eq!(*older, Wrapped(3, false));
}

#[pin_data]
struct Device {
    id: u32,
    #[pin]
    lock: SpinMutex<Vec<u32>>,
    #[pin]
    events: ListHead,
    name: String,
}

impl Device {
    fn new(id: u32) -> impl PinInit<Self, TestError> {
        pin_init!(Self {
            id,
            lock <- SpinMutex::new(Vec::new()),
            events <- ListHead::new(),
            // Fields initialised before are in scope by name.
            name: format!("dev{}", *id),
            _: {
                lock.lock().push(*id);
            },
        }? TestError)
    }
}

#[pin_data]
struct Bus {
    #[pin]
    first: Device,
    #[pin]
    second: Device,
}

#[test]
fn nested_pin_data_structs() {
    let bus = Box::try_pin_init(pin_init!(Bus {
        first <- Device::new(1),
        second <- Device::new(2),
    }? TestError))
    .unwrap();
    for (dev, id) in [(&bus.first, 1), (&bus.second, 2)] {
        assert_eq!(dev.id, id);
        assert_eq!(dev.name, format!("dev{id}"));
        assert!(dev.lock.is_intact());
        assert!(dev.events.is_self_linked());
        assert_eq!(*dev.lock.lock(), [id]);
    }
    crate::assert_not_unpin!(Bus);
}

/// Counts how often the pinned destructor ran, and where.
#[pin_data(PinnedDrop)]
struct Registered {
    drops: Rc<Cell<u32>>,
    address: Cell<*const Registered>,
    #[pin]
    _pin: PhantomPinned,
}

#[pinned_drop]
impl PinnedDrop for Registered {
    fn drop(self: Pin<&mut Self>) {
        // The value is still where it was registered.
        assert!(ptr::eq(self.address.get(), &*self));
        self.drops.set(self.drops.get() + 1);
    }
}

fn registered(drops: &Rc<Cell<u32>>) -> impl PinInit<Registered> + '_ {
    pin_init!(&this in Registered {
        drops: drops.clone(),
        address: Cell::new(this.as_ptr().cast_const()),
        _pin: PhantomPinned,
    })
}

#[test]
fn pinned_drop_runs_once_in_place() {
    let drops = Rc::new(Cell::new(0));
    let boxed = Box::pin_init(registered(&drops)).unwrap();
    assert_eq!(drops.get(), 0);
    drop(boxed);
    assert_eq!(drops.get(), 1);
    {
        stack_pin_init!(let on_stack = registered(&drops));
        assert_eq!(on_stack.drops.get(), 1);
    }
    assert_eq!(drops.get(), 2);
}

/// A kernel-style wrapper: its own error type as default.
macro_rules! my_try_pin_init {
    ($($args:tt)*) => {
        ::pin_init::pin_init!(#[default_error(TestError)] $($args)*)
    };
}

#[pin_data]
struct Pair<T> {
    #[pin]
    left: T,
    right: T,
}

#[test]
fn default_error_and_generic_paths() {
    let refused = || -> Result<u32, TestError> { Err(TestError::Refused("right")) };
    let init = my_try_pin_init!(Pair::<u32> { left: 1, right <- refused() });
    assert_eq!(
        Box::try_pin_init(init).err(),
        Some(TestError::Refused("right"))
    );

    // Without turbofish, and with an explicit error overriding the default.
    let init = my_try_pin_init!(Pair<u8> { left: 1, right: 2 }? AllocError);
    let pair = Box::try_pin_init(init).unwrap();
    assert_eq!((pair.left, pair.right), (1, 2));

    let mut pair = Box::pin_init(pin_init::try_pin_init!(Pair {
        left: 3i64,
        right: 4
    }))
    .unwrap();
    let projection = pair.as_mut().project();
    *projection.right += 1;
    assert_eq!(*projection.left, 3);
    assert_eq!(pair.right, 5);
}

#[test]
fn closures_and_turbofish_in_fields() {
    let value = Box::init(init!(Wrapped::<fn(u32, u32) -> u32> {
        0: |a, b| a + b,
        1: Vec::<(u8, u8)>::with_capacity(2).is_empty(),
    }))
    .unwrap();
    assert_eq!((value.0)(2, 3), 5);
    assert!(value.1);
}

#[test]
fn cfg_fields_are_honoured() {
    #[pin_data]
    struct Configured {
        always: u8,
        #[cfg(not(test))]
        never: u8,
        #[cfg(test)]
        #[pin]
        sometimes: u8,
    }
    let c = Box::pin_init(pin_init!(Configured {
        always: 1,
        #[cfg(not(test))]
        never: 2,
        #[cfg(test)]
        sometimes: 3,
    }))
    .unwrap();
    assert_eq!((c.always, c.sometimes), (1, 3));
}

#[test]
fn raw_closure_initialisers() {
    // SAFETY: the closure writes the whole value.
    let init = unsafe {
        pin_init_from_closure::<u32, Infallible>(|slot| {
            slot.write(9);
            Ok(())
        })
    };
    let boxed = Box::pin_init(init).unwrap();
    assert_eq!(*boxed, 9);
    let mut slot = core::mem::MaybeUninit::<u16>::uninit();
    // SAFETY: the slot is valid and uninitialised.
    unsafe { pin_init::raw_init(slot.as_mut_ptr(), 5u16) };
    // SAFETY: initialised just above.
    assert_eq!(unsafe { slot.assume_init() }, 5);
}

#[pin_data]
struct TupleLinks(#[pin] ListHead, u32);

#[pin_data]
struct Borrowing<'a, T: Copy, const N: usize>
where
    T: Default,
{
    #[pin]
    items: [T; N],
    source: &'a [T],
}

fn assert_unpin<T: Unpin>() {}

#[test]
fn tuple_and_generic_pin_data() {
    let mut links = Box::pin_init(pin_init!(TupleLinks {
        0 <- ListHead::new(),
        1: 5,
    }))
    .unwrap();
    assert!(links.0.is_self_linked());
    *links.as_mut().project().1 += 1;
    assert_eq!(links.1, 6);
    crate::assert_not_unpin!(TupleLinks);

    let source = [1u16, 2, 3];
    // The initialiser is a `move` closure: borrow outside of it.
    let borrowed: &[u16] = &source;
    let copy = Box::pin_init(pin_init!(Borrowing::<u16, 3> {
        items: [0; 3],
        source: borrowed,
        _: {
            // Runs once both fields are initialised, pinned `items` included.
            let mut items = items;
            items.as_mut().get_mut().copy_from_slice(source);
        },
    }))
    .unwrap();
    assert_eq!(copy.items, source);
    // Pinned fields that are all `Unpin` keep the struct `Unpin`.
    assert_unpin::<Borrowing<'static, u8, 1>>();
    assert_unpin::<Pair<u32>>();
}

#[derive(pin_init::MaybeZeroable)]
struct MaybeCounters<T> {
    hits: u64,
    extra: T,
}

fn assert_zeroable<T: Zeroable>() {}

#[test]
fn maybe_zeroable_follows_the_fields() {
    assert_zeroable::<MaybeCounters<u8>>();
    assert_zeroable::<MaybeCounters<Option<&'static u8>>>();
    let zero: MaybeCounters<i32> = zeroed();
    assert_eq!((zero.hits, zero.extra), (0, 0));
}
