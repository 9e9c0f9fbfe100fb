// SPDX-License-Identifier: GPL-2.0-only
//! kernel::time, kernel::page and kernel::sizes in a loaded module: an
//! fsleep measured with a monotonic Instant, an hrtimer that restarts
//! itself a number of times (through an Arc), one that is cancelled while
//! pending (through a Pin<KBox>), and the page and size constants.

use kernel::{
    impl_has_hr_timer,
    page::{page_align, Page, PAGE_SIZE},
    prelude::*,
    sizes::{SizeConstants, SZ_1M},
    sync::{
        atomic::{Atomic, Relaxed},
        Arc, ArcBorrow,
    },
    time::{
        delay::fsleep,
        hrtimer::{
            AbsoluteMode, HrTimer, HrTimerCallback, HrTimerCallbackContext, HrTimerHandle,
            HrTimerPointer, HrTimerRestart, RelativeMode, RelativeSoftMode, ScopedHrTimerPointer,
        },
        BootTime, Delta, Instant, Monotonic, RealTime, Tai,
    },
};

module! {
    type: RustTime,
    name: "rust_time",
    authors: ["kelfix"],
    description: "kernel::time, page and sizes test",
    license: "GPL",
}

/// How many times the ticker runs.
const TICKS: u32 = 5;

/// A timer that runs `TICKS` times, 2 ms apart, and counts.
#[pin_data]
struct Ticker {
    #[pin]
    timer: HrTimer<Self>,
    ticks: Atomic<u32>,
}

impl HrTimerCallback for Ticker {
    type Pointer<'a> = Arc<Self>;

    fn run(this: ArcBorrow<'_, Self>, mut ctx: HrTimerCallbackContext<'_, Self>) -> HrTimerRestart {
        if this.ticks.fetch_add(1, Relaxed) + 1 == TICKS {
            return HrTimerRestart::NoRestart;
        }
        ctx.forward_now(Delta::from_millis(2));
        HrTimerRestart::Restart
    }
}

impl_has_hr_timer! {
    impl HasHrTimer<Self> for Ticker { mode: RelativeMode<Monotonic>, field: self.timer }
}

/// A timer that must never run: it is cancelled while pending.
#[pin_data]
struct Never {
    #[pin]
    timer: HrTimer<Self>,
    ran: Atomic<u32>,
}

impl HrTimerCallback for Never {
    type Pointer<'a> = Pin<KBox<Self>>;

    fn run(this: Pin<&mut Self>, _ctx: HrTimerCallbackContext<'_, Self>) -> HrTimerRestart {
        this.ran.store(1, Relaxed);
        HrTimerRestart::NoRestart
    }
}

impl_has_hr_timer! {
    impl HasHrTimer<Self> for Never { mode: AbsoluteMode<BootTime>, field: self.timer }
}

/// A timer on the stack, started for the length of a closure.
#[pin_data]
struct Scoped {
    #[pin]
    timer: HrTimer<Self>,
    ran: Atomic<u32>,
}

impl HrTimerCallback for Scoped {
    type Pointer<'a> = Pin<&'a Self>;

    fn run(this: Pin<&Self>, _ctx: HrTimerCallbackContext<'_, Self>) -> HrTimerRestart {
        this.ran.store(1, Relaxed);
        HrTimerRestart::NoRestart
    }
}

impl_has_hr_timer! {
    impl HasHrTimer<Self> for Scoped { mode: RelativeSoftMode<Monotonic>, field: self.timer }
}

struct RustTime;

/// Sleeps 20 ms and reports whether the monotonic clock saw that much.
fn check_fsleep() {
    let start = Instant::<Monotonic>::now();
    fsleep(Delta::from_millis(20));
    let slept = start.elapsed();
    pr_info!("fsleep(20 ms) took at least 20 ms: {}\n", slept >= Delta::from_millis(20));
    pr_info!("and less than 10 s: {}\n", slept < Delta::from_secs(10));
}

/// Runs the ticker and waits (polling) for its last run.
fn check_restarting_timer() -> Result {
    let ticker = Arc::pin_init(
        pin_init!(Ticker {
            timer <- HrTimer::new(),
            ticks: Atomic::new(0),
        }),
        GFP_KERNEL,
    )?;
    let mut handle = ticker.clone().start(Delta::from_millis(2));
    let start = Instant::<Monotonic>::now();
    while ticker.ticks.load(Relaxed) < TICKS && start.elapsed() < Delta::from_secs(5) {
        fsleep(Delta::from_millis(1));
    }
    // Give a (wrong) extra run the time to happen.
    fsleep(Delta::from_millis(10));
    pr_info!("hrtimer ran {} times\n", ticker.ticks.load(Relaxed));
    pr_info!("cancel after the last run: {}\n", handle.cancel());
    Ok(())
}

/// Starts a timer 10 s ahead (absolute, boot time) and cancels it.
fn check_cancel() -> Result {
    let never = KBox::pin_init(
        pin_init!(Never {
            timer <- HrTimer::new(),
            ran: Atomic::new(0),
        }),
        GFP_KERNEL,
    )?;
    let at = Instant::<BootTime>::now() + Delta::from_secs(10);
    let mut handle = never.start(at);
    pr_info!("cancel of a pending timer: {}\n", handle.cancel());
    drop(handle);
    Ok(())
}

/// Runs a stack timer within a scope and waits (polling) for it in there.
fn check_scoped() {
    pin_init::stack_pin_init!(let scoped = pin_init!(Scoped {
        timer <- HrTimer::new(),
        ran: Atomic::new(0),
    }));
    let ran = scoped.as_ref().start_scoped(Delta::from_millis(1), || {
        let start = Instant::<Monotonic>::now();
        while scoped.ran.load(Relaxed) == 0 && start.elapsed() < Delta::from_secs(5) {
            fsleep(Delta::from_millis(1));
        }
        scoped.ran.load(Relaxed)
    });
    pr_info!("scoped timer ran: {}\n", ran == 1);
}

/// The other clocks, page and size helpers.
fn check_misc() -> Result {
    let (real, tai) = (Instant::<RealTime>::now(), Instant::<Tai>::now());
    fsleep(Delta::from_millis(1));
    let moved = real.elapsed() > Delta::ZERO && tai.elapsed() > Delta::ZERO;
    pr_info!("real-time and TAI clocks move on: {}\n", moved);
    pr_info!("page_align(PAGE_SIZE + 1) = {}\n", page_align(PAGE_SIZE + 1).unwrap_or(0));
    pr_info!("SZ_1M / PAGE_SIZE = {}, u64::SZ_2G = {}\n", SZ_1M / PAGE_SIZE, u64::SZ_2G);
    let page = Page::alloc_page(GFP_KERNEL | __GFP_ZERO)?;
    pr_info!("page allocated on a node: {}\n", page.nid() >= 0);
    Ok(())
}

impl kernel::Module for RustTime {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        check_fsleep();
        check_restarting_timer()?;
        check_cancel()?;
        check_scoped();
        check_misc()?;
        Ok(RustTime)
    }
}
