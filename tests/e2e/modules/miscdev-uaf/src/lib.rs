//! A test of the runtime crate's misc devices (not an example): a device
//! deregistered while a file of it is open.
//!
//! Writing to /dev/kelfix_uaf_ctl drops the `MiscDevice` of
//! /dev/kelfix_uaf_victim. The test opens the victim, deregisters it, then
//! closes it: the value lives until that release, and what the kernel
//! reads after the release (the file's `f_op`) must not be freed with it.
//! Booted with `slub_debug=FPZ`, a read of freed memory finds poison and
//! the kernel oopses (it did while the file operations lived in the freed
//! registration block).
#![no_std]
extern crate alloc;

use kelfix::miscdev::{FileOperations, MiscDevice};
use kelfix::prelude::*;
use kelfix::sync::Mutex;
use kelfix::uaccess::UserSliceReader;

kelfix::module! {
    name: "miscdev_uaf",
    license: "GPL",
    init: uaf_init,
    exit: uaf_exit,
}

/// The device that goes away while open; it says when its value drops.
struct Victim;

impl FileOperations for Victim {
    fn open(&self) -> Result {
        pr_info!("miscdev_uaf: victim open");
        Ok(())
    }

    fn release(&self) {
        pr_info!("miscdev_uaf: victim release");
    }
}

impl Drop for Victim {
    fn drop(&mut self) {
        pr_info!("miscdev_uaf: victim value dropped");
    }
}

/// Any write deregisters the victim (once).
struct Control {
    victim: Mutex<Option<MiscDevice<Victim>>>,
}

impl FileOperations for Control {
    fn write(&self, input: &mut UserSliceReader, _offset: u64) -> Result {
        input.skip(input.len());
        if let Some(dev) = self.victim.lock().take() {
            drop(dev);
            pr_info!("miscdev_uaf: victim deregistered");
        }
        Ok(())
    }
}

fn uaf_init() -> Result<MiscDevice<Control>> {
    let victim = MiscDevice::register("kelfix_uaf_victim", Victim)?;
    let control = Control {
        victim: Mutex::new(Some(victim))?,
    };
    let ctl = MiscDevice::register("kelfix_uaf_ctl", control)?;
    pr_info!("miscdev_uaf: ready");
    Ok(ctl)
}

fn uaf_exit(_ctl: MiscDevice<Control>) {
    pr_info!("miscdev_uaf: exit");
}
