// SPDX-License-Identifier: GPL-2.0-only
//! kernel::task: what the module sees of `current` at load (insmod) and
//! unload (rmmod), and a task reference kept in between. The VM shell
//! compares the logged insmod pid with a process it starts later.

use kernel::prelude::*;
use kernel::sync::aref::ARef;
use kernel::task::{self, Kuid, Pid, Task};

module! {
    type: RustTask,
    name: "rust_task",
    authors: ["kelfix"],
    description: "kernel::task test",
    license: "GPL",
}

struct RustTask {
    /// The insmod task, kept past its exit.
    loader: ARef<Task>,
    loader_pid: Pid,
}

impl kernel::Module for RustTask {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        task::might_sleep();
        let me = current!();
        let pid = me.pid();
        pr_info!("insmod pid {}\n", pid);
        pr_info!("pid positive: {}\n", pid > 0);
        // insmod has one thread: it leads its own group.
        pr_info!("tgid equals pid: {}\n", me.tgid() == pid);
        pr_info!("group leader is current: {}\n", *me.group_leader() == **me);
        pr_info!("group leader pid equals tgid: {}\n", me.group_leader().pid() == me.tgid());
        // The VM runs everything as root.
        pr_info!("uid {}\n", me.uid().into_uid_in_current_ns());
        pr_info!("uid equals euid: {}\n", me.uid() == Kuid::current_euid());
        pr_info!("signal pending: {}\n", me.signal_pending());
        // Waking a running task does nothing.
        me.wake_up();

        let loader: ARef<Task> = ARef::from(&**me);
        let second = loader.clone();
        pr_info!("references are the same task: {}\n", second == loader);
        Ok(RustTask {
            loader,
            loader_pid: pid,
        })
    }
}

impl Drop for RustTask {
    fn drop(&mut self) {
        let me = current!();
        pr_info!("rmmod is another task: {}\n", **me != *self.loader);
        pr_info!("kept insmod task still has its pid: {}\n", self.loader.pid() == self.loader_pid);
    }
}
