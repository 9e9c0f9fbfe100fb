// SPDX-License-Identifier: GPL-2.0-only
//! kernel::workqueue and kernel::sync::Completion: an `Arc` item with two
//! work fields (one delayed), a boxed item, and closures spawned on every
//! system queue; init waits for each with a `Completion` and logs what the
//! workers saw.

use kernel::prelude::*;
use kernel::sync::{new_mutex, Arc, Completion, Mutex};
use kernel::task::Pid;
use kernel::workqueue::{
    self, impl_has_delayed_work, impl_has_work, new_delayed_work, new_work, DelayedWork, Queue,
    Work, WorkItem,
};

module! {
    type: RustWorkqueue,
    name: "rust_workqueue",
    authors: ["kelfix"],
    description: "kernel::workqueue test",
    license: "GPL",
}

/// The delay of the delayed work, in jiffies: long enough (a second at
/// HZ=250) that queueing it again right away finds it still pending.
const DELAY: c_ulong = 250;

/// Shared by every work item of the test.
#[pin_data]
struct Item {
    value: u32,
    /// The task that queued the items (insmod).
    queuer: Pid,
    #[pin]
    work: Work<Item, 1>,
    #[pin]
    later: DelayedWork<Item, 2>,
    #[pin]
    ran: Completion,
    #[pin]
    ran_later: Completion,
    #[pin]
    boxed_ran: Completion,
    /// Closures that have run, of those spawned on the system queues.
    #[pin]
    spawned: Mutex<u32>,
    #[pin]
    all_spawned: Completion,
}

impl_has_work! {
    impl HasWork<Self, 1> for Item { self.work }
}

impl_has_delayed_work! {
    impl HasDelayedWork<Self, 2> for Item { self.later }
}

impl Item {
    /// Whether the running task is another than the one that queued.
    fn in_worker(&self) -> bool {
        current!().pid() != self.queuer
    }
}

impl WorkItem<1> for Item {
    type Pointer = Arc<Item>;

    fn run(this: Arc<Item>) {
        pr_info!("Arc item {} ran, in a worker: {}\n", this.value, this.in_worker());
        this.ran.complete_all();
    }
}

impl WorkItem<2> for Item {
    type Pointer = Arc<Item>;

    fn run(this: Arc<Item>) {
        pr_info!("delayed item {} ran, in a worker: {}\n", this.value, this.in_worker());
        this.ran_later.complete_all();
    }
}

/// A work item that owns itself, reporting to the shared `Item`.
#[pin_data]
struct Boxed {
    value: u32,
    item: Arc<Item>,
    #[pin]
    work: Work<Boxed>,
}

impl_has_work! {
    impl HasWork<Self> for Boxed { self.work }
}

impl WorkItem for Boxed {
    type Pointer = Pin<KBox<Boxed>>;

    fn run(this: Pin<KBox<Boxed>>) {
        pr_info!("boxed item {} ran, in a worker: {}\n", this.value, this.item.in_worker());
        this.item.boxed_ran.complete_all();
    }
}

struct RustWorkqueue;

/// Runs a closure on each system queue; the last to run completes
/// `all_spawned`.
fn spawn_everywhere(item: &Arc<Item>) -> Result {
    let queues: [(&'static Queue, &str); 7] = [
        (workqueue::system(), "system"),
        (workqueue::system_highpri(), "system_highpri"),
        (workqueue::system_long(), "system_long"),
        (workqueue::system_unbound(), "system_unbound"),
        (workqueue::system_freezable(), "system_freezable"),
        (workqueue::system_power_efficient(), "system_power_efficient"),
        (
            workqueue::system_freezable_power_efficient(),
            "system_freezable_power_efficient",
        ),
    ];
    let total = queues.len() as u32;
    for (queue, name) in queues {
        let item = item.clone();
        queue.try_spawn(GFP_KERNEL, move || {
            let mut done = item.spawned.lock();
            *done += 1;
            pr_info!("closure ran on {}\n", name);
            if *done == total {
                item.all_spawned.complete_all();
            }
        })?;
    }
    Ok(())
}

impl kernel::Module for RustWorkqueue {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let item = Arc::pin_init(
            pin_init!(Item {
                value: 7,
                queuer: current!().pid(),
                work <- new_work!("Item::work"),
                later <- new_delayed_work!("Item::later"),
                ran <- Completion::new(),
                ran_later <- Completion::new(),
                boxed_ran <- Completion::new(),
                spawned <- new_mutex!(0),
                all_spawned <- Completion::new(),
            }),
            GFP_KERNEL,
        )?;

        if workqueue::system().enqueue::<_, 1>(item.clone()).is_err() {
            pr_err!("a fresh item was refused\n");
            return Err(EINVAL);
        }
        item.ran.wait_for_completion();

        let shared = item.clone();
        let boxed = KBox::pin_init(
            pin_init!(Boxed {
                value: 8,
                item: shared,
                work <- new_work!("Boxed::work"),
            }),
            GFP_KERNEL,
        )?;
        workqueue::system().enqueue(boxed);
        item.boxed_ran.wait_for_completion();

        if workqueue::system().enqueue_delayed::<_, 2>(item.clone(), DELAY).is_err() {
            pr_err!("a fresh delayed item was refused\n");
            return Err(EINVAL);
        }
        let again = workqueue::system().enqueue_delayed::<_, 2>(item.clone(), DELAY);
        pr_info!("delayed item queued again while pending: refused {}\n", again.is_err());
        item.ran_later.wait_for_completion();

        spawn_everywhere(&item)?;
        item.all_spawned.wait_for_completion();
        pr_info!("closures ran on {} system queues\n", *item.spawned.lock());
        Ok(RustWorkqueue)
    }
}

impl Drop for RustWorkqueue {
    fn drop(&mut self) {
        pr_info!("unloaded\n");
    }
}
