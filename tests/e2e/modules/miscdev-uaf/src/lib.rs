//! A test of the kernel crate's misc devices (not an example): a device
//! deregistered while a file of it is open.
//!
//! Writing to /dev/kelfix_uaf_ctl drops the `MiscDeviceRegistration` of
//! /dev/kelfix_uaf_victim, a block of its own. The test opens the victim,
//! deregisters it, then closes it: the file's state lives until that
//! release, and what the kernel reads at and after the release (the
//! file's `f_op`, its private data) must not be in the freed block.
//! Booted with `slub_debug=FPZ`, a read of freed memory finds poison and
//! the kernel oopses.
#![no_std]

use kernel::{
    fs::{File, Kiocb},
    iov::IovIterSource,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
};

module! {
    type: MiscdevUaf,
    name: "miscdev_uaf",
    authors: ["kelfix"],
    description: "kelfix test module: a misc device deregistered while a file of it is open",
    license: "GPL",
}

/// The state of an open file of the device that goes away while open; it
/// says when it drops.
struct Victim;

#[vtable]
impl MiscDevice for Victim {
    type Ptr = KBox<Victim>;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Victim>> {
        pr_info!("victim open\n");
        Ok(KBox::new(Victim, GFP_KERNEL)?)
    }

    fn release(victim: KBox<Victim>, _file: &File) {
        pr_info!("victim release\n");
        drop(victim);
    }
}

impl Drop for Victim {
    fn drop(&mut self) {
        pr_info!("victim value dropped\n");
    }
}

/// The control device: any write deregisters the victim (once).
#[pin_data]
struct Control {
    #[pin]
    victim: Mutex<Option<Pin<KBox<MiscDeviceRegistration<Victim>>>>>,
}

#[vtable]
impl MiscDevice for Control {
    type Ptr = Arc<Control>;

    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Arc<Control>> {
        Ok(MiscdevUaf::of(misc).control.clone())
    }

    fn write_iter(kiocb: Kiocb<'_, Arc<Control>>, input: &mut IovIterSource<'_>) -> Result<usize> {
        let len = input.len();
        input.advance(len);
        if let Some(victim) = kiocb.file().victim.lock().take() {
            drop(victim);
            pr_info!("victim deregistered\n");
        }
        Ok(len)
    }
}

/// The module: the control device and what its files share.
#[pin_data(PinnedDrop)]
struct MiscdevUaf {
    #[pin]
    ctl: MiscDeviceRegistration<Control>,
    control: Arc<Control>,
}

impl MiscdevUaf {
    /// The module that holds `ctl`.
    fn of(ctl: &MiscDeviceRegistration<Control>) -> &MiscdevUaf {
        // SAFETY: the only `MiscDeviceRegistration<Control>` is the `ctl`
        // field of the module's `MiscdevUaf`, which lives, pinned, as long
        // as the registration.
        unsafe { &*kernel::container_of!(core::ptr::from_ref(ctl), MiscdevUaf, ctl) }
    }
}

#[pinned_drop]
impl PinnedDrop for MiscdevUaf {
    fn drop(self: Pin<&mut Self>) {
        pr_info!("exit\n");
    }
}

impl kernel::InPlaceModule for MiscdevUaf {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let victim = MiscDeviceRegistration::register(MiscDeviceOptions {
            name: c"kelfix_uaf_victim",
        });
        let control = KBox::pin_init(victim, GFP_KERNEL).and_then(|victim| {
            let control = try_pin_init!(Control {
                victim <- new_mutex!(Some(victim)),
            });
            Ok(Arc::pin_init(control, GFP_KERNEL)?)
        });
        try_pin_init!(Self {
            control: control?,
            ctl <- MiscDeviceRegistration::register(MiscDeviceOptions {
                name: c"kelfix_uaf_ctl",
            }),
        })
        .pin_chain(|_| {
            pr_info!("ready\n");
            Ok(())
        })
    }
}
