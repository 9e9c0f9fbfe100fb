// SPDX-License-Identifier: GPL-2.0-only
//! A module that uses a facility Linux gained in 6.1: a freezable sleep
//! (kernel::sync::CondVar::wait_interruptible_freezable, TASK_FREEZABLE).
//! tests/integ/kernel-facility builds it for each kernel: before 6.1 the
//! build must fail and name what is missing.

use kernel::prelude::*;
use kernel::sync::{new_condvar, new_mutex, CondVar, Mutex};

module! {
    type: Freeze,
    name: "freeze",
    authors: ["kelfix"],
    description: "Uses a facility of Linux 6.1",
    license: "GPL",
}

#[pin_data]
struct Waiter {
    #[pin]
    ready: Mutex<bool>,
    #[pin]
    changed: CondVar,
}

impl Waiter {
    /// Sleeps, freezable, until `ready` is set (it already is).
    fn wait(&self) {
        let mut ready = self.ready.lock();
        while !*ready {
            if self.changed.wait_interruptible_freezable(&mut ready) {
                return;
            }
        }
    }
}

struct Freeze {
    _waiter: Pin<KBox<Waiter>>,
}

impl kernel::Module for Freeze {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let waiter = KBox::try_pin_init(
            try_pin_init!(Waiter {
                ready <- new_mutex!(true),
                changed <- new_condvar!(),
            }),
            GFP_KERNEL,
        )?;
        waiter.wait();
        pr_info!("ready\n");
        Ok(Freeze { _waiter: waiter })
    }
}
