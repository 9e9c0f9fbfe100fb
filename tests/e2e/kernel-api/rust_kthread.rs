// SPDX-License-Identifier: GPL-2.0-only
//! kernel::kelfix::kthread (kelfix's own API): a named kernel thread that
//! counts until it is stopped. Init waits (a `Completion`) until it has
//! counted to 3; the VM shell finds it by name and pid; unload stops it.

use kernel::kelfix::kthread::{self, KThread};
use kernel::prelude::*;
use kernel::sync::{new_condvar, new_mutex, Arc, Completion, CondVar, Mutex};

module! {
    type: RustKthread,
    name: "rust_kthread",
    authors: ["kelfix"],
    description: "kernel::kelfix::kthread test",
    license: "GPL",
    params: {
        id: u32 {
            default: 0,
            description: "Number in the thread's name (rust_kthread/ID)",
        },
    },
}

/// The count init waits for.
const TARGET: u64 = 3;

#[pin_data]
struct Counter {
    #[pin]
    count: Mutex<u64>,
    /// Never notified: the thread sleeps on it between counts.
    #[pin]
    tick: CondVar,
    #[pin]
    reached: Completion,
}

/// The thread's body: count, sleep a jiffy (`kthread_stop` wakes it),
/// again, until asked to stop.
fn count(counter: Arc<Counter>) {
    while !kthread::should_stop() {
        let mut n = counter.count.lock();
        *n += 1;
        if *n == TARGET {
            counter.reached.complete_all();
        }
        let _ = counter.tick.wait_interruptible_timeout(&mut n, 1);
    }
    pr_info!("thread saw should_stop\n");
}

struct RustKthread {
    counter: Arc<Counter>,
    thread: Option<KThread>,
}

impl kernel::Module for RustKthread {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let counter = Arc::pin_init(
            pin_init!(Counter {
                count <- new_mutex!(0),
                tick <- new_condvar!(),
                reached <- Completion::new(),
            }),
            GFP_KERNEL,
        )?;
        let id = module_parameters::id.value();
        let shared = counter.clone();
        let thread = KThread::spawn(format_args!("rust_kthread/{id}"), move || count(shared))?;
        counter.reached.wait_for_completion();
        let pid = thread.task().pid();
        pr_info!("thread pid {}\n", pid);
        pr_info!("thread is another task: {}\n", pid != current!().pid());
        pr_info!("thread counted to {}\n", TARGET);
        Ok(RustKthread {
            counter,
            thread: Some(thread),
        })
    }
}

impl Drop for RustKthread {
    fn drop(&mut self) {
        // Stops the thread and waits for it to end.
        drop(self.thread.take());
        let n = *self.counter.count.lock();
        pr_info!("stopped at count {}\n", n);
        pr_info!("stopped after counting past {}: {}\n", TARGET, n >= TARGET);
    }
}
