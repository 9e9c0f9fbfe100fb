//! kelfix example "worker": a kernel thread produces ticks, a work item
//! counts them, init waits on a condition variable until all are counted,
//! and /proc/kelfix_worker shows the counts and takes more ticks.
//!
//!   # insmod worker.ko ticks=3 interval_ms=10
//!   worker: 3 ticks counted (produced every 10 ms by kelfix_worker)
//!   # cat /proc/kelfix_worker
//!   produced 3 counted 3
//!   # echo 2 > /proc/kelfix_worker; cat /proc/kelfix_worker
//!   produced 5 counted 5
//!
//! What each part shows:
//! - module parameters (`ticks`, `interval_ms`), read in init;
//! - state shared by the thread, the work item and the /proc file in one
//!   `Arc`, the counts behind a `SpinLock` (taken from any context, held
//!   for a few instructions);
//! - a kernel thread (kelfix's `kernel::kelfix::kthread`, not upstream's
//!   API) that sleeps with `fsleep` between ticks and ends when the module
//!   is unloaded: dropping the `KThread` stops it;
//! - a work item (`Work`, `WorkItem` for `Arc`) on the system workqueue:
//!   a tick queues it; while it is queued, more ticks only add to what it
//!   counts at its next run, as with any kernel work item;
//! - a `CondVar` with a `Mutex`: init sleeps until the work item has
//!   counted every tick, with a timeout so a bug cannot hang insmod;
//! - a /proc file (kelfix's `kernel::kelfix::proc`) whose read shows the
//!   counts and whose write produces ticks on the spot.
//!
//! No `unsafe`, no C of its own.
#![no_std]

use kernel::{
    kelfix::{
        kthread::{self, KThread},
        proc::{ProcFile, ProcShow},
    },
    new_condvar, new_mutex, new_spinlock,
    prelude::*,
    seq_file::SeqFile,
    seq_print,
    sync::{Arc, CondVar, CondVarTimeoutResult, Mutex, SpinLock},
    time::{delay::fsleep, msecs_to_jiffies, Delta},
    uaccess::UserSliceReader,
    workqueue::{self, impl_has_work, new_work, Work, WorkItem},
};

module! {
    type: Worker,
    name: "worker",
    authors: ["kelfix"],
    description: "kelfix example: a kernel thread, a work item, a condition variable and a /proc file",
    license: "GPL",
    params: {
        ticks: u32 {
            default: 5,
            description: "Ticks the thread produces at load",
        },
        interval_ms: u32 {
            default: 20,
            description: "Milliseconds the thread sleeps between ticks",
        },
    },
}

/// How long init waits for the work item to count the ticks.
const WAIT_MS: u32 = 5000;

/// Ticks produced and counted so far.
#[derive(Clone, Copy)]
struct Counts {
    produced: u64,
    counted: u64,
}

/// What the thread, the work item, the /proc file and init share.
#[pin_data]
struct Shared {
    #[pin]
    counts: SpinLock<Counts>,
    /// Ticks the work item must count before init goes on.
    target: u64,
    /// Whether the work item has counted `target` ticks; `all_counted`
    /// is notified when it becomes true.
    #[pin]
    done: Mutex<bool>,
    #[pin]
    all_counted: CondVar,
    #[pin]
    work: Work<Shared>,
}

impl_has_work! {
    impl HasWork<Self> for Shared { self.work }
}

impl Shared {
    fn new(target: u64) -> impl PinInit<Self> {
        pin_init!(Shared {
            counts <- new_spinlock!(Counts { produced: 0, counted: 0 }),
            target,
            done <- new_mutex!(false),
            all_counted <- new_condvar!(),
            work <- new_work!("Shared::work"),
        })
    }

    /// Produces one tick and queues the work item that counts it.
    fn tick(this: &Arc<Self>) {
        this.counts.lock().produced += 1;
        // Already queued: its next run counts this tick too.
        let _ = workqueue::system().enqueue(this.clone());
    }

    fn counts(&self) -> Counts {
        *self.counts.lock()
    }
}

impl WorkItem for Shared {
    type Pointer = Arc<Shared>;

    fn run(this: Arc<Shared>) {
        let counted = {
            let mut counts = this.counts.lock();
            counts.counted = counts.produced;
            counts.counted
        };
        if counted >= this.target {
            let mut done = this.done.lock();
            if !*done {
                *done = true;
                this.all_counted.notify_all();
            }
        }
    }
}

/// /proc/kelfix_worker: reads show the counts; writing a number N
/// produces N ticks at once.
struct Status(Arc<Shared>);

#[vtable]
impl ProcShow for Status {
    fn show(&self, m: &SeqFile) -> Result {
        let counts = self.0.counts();
        seq_print!(m, "produced {} counted {}\n", counts.produced, counts.counted);
        Ok(())
    }

    fn write(&self, reader: &mut UserSliceReader) -> Result {
        let mut buf = [0u8; 16];
        let text = buf.get_mut(..reader.len()).ok_or(EINVAL)?;
        reader.read_slice(text)?;
        let text = core::str::from_utf8(text).map_err(|_| EINVAL)?;
        let n: u32 = text.trim().parse().map_err(|_| EINVAL)?;
        for _ in 0..n {
            Shared::tick(&self.0);
        }
        Ok(())
    }
}

struct Worker {
    // Dropped first: no read or write of the file runs after this.
    _status: Pin<KBox<ProcFile<Status>>>,
    // Then the thread is stopped.
    _thread: KThread,
    shared: Arc<Shared>,
}

impl kernel::Module for Worker {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let ticks = module_parameters::ticks.value();
        let interval = module_parameters::interval_ms.value();
        let shared = Arc::pin_init(Shared::new(ticks.into()), GFP_KERNEL)?;

        let producer = shared.clone();
        let thread = KThread::spawn(fmt!("kelfix_worker"), move || {
            let mut produced = 0;
            // Ticks first; then idle until the module is unloaded.
            while !kthread::should_stop() {
                fsleep(Delta::from_millis(interval.into()));
                if produced < ticks {
                    Shared::tick(&producer);
                    produced += 1;
                }
            }
        })?;

        // Sleep until the work item has counted every tick (the thread
        // stops when `thread` is dropped on the way out of an error).
        let mut done = shared.done.lock();
        let mut left = msecs_to_jiffies(WAIT_MS);
        while !*done {
            match shared.all_counted.wait_interruptible_timeout(&mut done, left) {
                CondVarTimeoutResult::Woken { jiffies } => left = jiffies,
                CondVarTimeoutResult::Timeout => {
                    pr_err!("the work item did not count {} ticks in {} ms\n", ticks, WAIT_MS);
                    return Err(ETIMEDOUT);
                }
                // insmod was interrupted (Ctrl-C).
                CondVarTimeoutResult::Signal { .. } => return Err(EINTR),
            }
        }
        drop(done);
        pr_info!(
            "{} ticks counted (produced every {} ms by kelfix_worker)\n",
            shared.counts().counted,
            interval
        );

        let status = KBox::pin_init(
            ProcFile::new(c"kelfix_worker", Status(shared.clone())),
            GFP_KERNEL,
        )?;
        Ok(Worker {
            _status: status,
            _thread: thread,
            shared,
        })
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let counts = self.shared.counts();
        pr_info!("exit: produced {} counted {}\n", counts.produced, counts.counted);
    }
}
