// SPDX-License-Identifier: GPL-2.0-only
//! kernel::kelfix::timer (kelfix's timer_list API) in a loaded module: a
//! timer that re-arms itself from its callback until it has run `count`
//! times (a module parameter), one cancelled while pending, and one left
//! pending at unload, cancelled by dropping its handle.

use kernel::{
    impl_has_timer,
    kelfix::timer::{
        new_timer, ArcTimerHandle, Timer, TimerCallback, TimerHandle, TimerPointer, TimerRestart,
    },
    prelude::*,
    sync::{
        atomic::{Atomic, Relaxed},
        Arc, ArcBorrow,
    },
    time::{delay::fsleep, Delta, Instant, Jiffy, Monotonic},
};

module! {
    type: RustTimer,
    name: "rust_timer",
    authors: ["kelfix"],
    description: "kernel::kelfix::timer test",
    license: "GPL",
    params: {
        count: u32 {
            default: 3,
            description: "How many times the timer runs",
        },
    },
}

/// A timer that runs `limit` times, 5 ms apart, and counts.
#[pin_data]
struct Repeater {
    #[pin]
    timer: Timer<Self>,
    runs: Atomic<u32>,
    limit: u32,
}

impl TimerCallback for Repeater {
    type Pointer = Arc<Self>;

    fn run(this: ArcBorrow<'_, Self>) -> TimerRestart {
        if this.runs.fetch_add(1, Relaxed) + 1 >= this.limit {
            return TimerRestart::NoRestart;
        }
        TimerRestart::after(Delta::from_millis(5))
    }
}

impl_has_timer! { impl HasTimer<Self> for Repeater { self.timer } }

/// A timer that must never run.
#[pin_data]
struct Never {
    #[pin]
    timer: Timer<Self>,
    ran: Atomic<u32>,
}

impl TimerCallback for Never {
    type Pointer = Arc<Self>;

    fn run(this: ArcBorrow<'_, Self>) -> TimerRestart {
        this.ran.store(1, Relaxed);
        TimerRestart::NoRestart
    }
}

impl_has_timer! { impl HasTimer<Self> for Never { self.timer } }

/// A timer that must never run: in a box.
#[pin_data]
struct BoxedNever {
    #[pin]
    timer: Timer<Self>,
}

impl TimerCallback for BoxedNever {
    type Pointer = Pin<KBox<Self>>;

    fn run(_this: Pin<&mut Self>) -> TimerRestart {
        pr_err!("the boxed timer ran\n");
        TimerRestart::NoRestart
    }
}

impl_has_timer! { impl HasTimer<Self> for BoxedNever { self.timer } }

struct RustTimer {
    pending: ArcTimerHandle<Never>,
    never: Arc<Never>,
}

fn new_never() -> Result<Arc<Never>> {
    Ok(Arc::pin_init(
        pin_init!(Never {
            timer <- new_timer!(),
            ran: Atomic::new(0),
        }),
        GFP_KERNEL,
    )?)
}

/// Runs the repeater `count` times and waits (polling) for its last run.
fn check_repeater(count: u32) -> Result {
    let repeater = Arc::pin_init(
        pin_init!(Repeater {
            timer <- new_timer!("rust_timer_repeater"),
            runs: Atomic::new(0),
            limit: count,
        }),
        GFP_KERNEL,
    )?;
    let mut handle = repeater.clone().start(Delta::<Jiffy>::from_jiffies(1));
    let start = Instant::<Monotonic>::now();
    while repeater.runs.load(Relaxed) < count && start.elapsed() < Delta::from_secs(10) {
        fsleep(Delta::from_millis(5));
    }
    // Give a (wrong) extra run the time to happen.
    fsleep(Delta::from_millis(50));
    pr_info!("timer ran {} times\n", repeater.runs.load(Relaxed));
    pr_info!("cancel after the last run: {}\n", handle.cancel());
    Ok(())
}

/// Arms timers 60 s ahead and cancels them.
fn check_cancel() -> Result {
    let never = new_never()?;
    let mut handle = never.clone().start(Delta::from_secs(60));
    pr_info!("cancel of a pending timer: {}\n", handle.cancel());
    pr_info!("cancel again: {}\n", handle.cancel());

    let boxed = KBox::pin_init(pin_init!(BoxedNever { timer <- new_timer!() }), GFP_KERNEL)?;
    let mut handle = boxed.start(Delta::from_secs(60));
    pr_info!("cancel of a pending boxed timer: {}\n", handle.cancel());
    Ok(())
}

impl kernel::Module for RustTimer {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let count = module_parameters::count.value();
        check_repeater(count)?;
        check_cancel()?;
        let never = new_never()?;
        let pending = never.clone().start(Delta::from_secs(60));
        Ok(RustTimer { pending, never })
    }
}

impl Drop for RustTimer {
    fn drop(&mut self) {
        pr_info!("pending at unload: {}\n", self.pending.cancel());
        pr_info!("the pending timer ran: {}\n", self.never.ran.load(Relaxed) != 0);
    }
}
