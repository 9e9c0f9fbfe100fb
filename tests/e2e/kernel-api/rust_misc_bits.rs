// SPDX-License-Identifier: GPL-2.0-only
//! kernel::bits, kernel::processor, kernel::bug, kernel::cred and
//! `MiscDevice::show_fdinfo`: bit values logged at load, a spin loop with
//! `cpu_relax`, `warn_on!` with false conditions (the run fails on any
//! warning), and a misc device that records its opener's credentials and
//! shows them in `/proc/PID/fdinfo/FD`.

use kernel::{
    bits::{
        bit_u16, bit_u32, bit_u64, bit_u8, checked_bit_u16, checked_bit_u32, genmask_checked_u64,
        genmask_checked_u8, genmask_u16, genmask_u32, genmask_u64, genmask_u8,
    },
    cred::Credential,
    fs::File,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    prelude::*,
    processor::cpu_relax,
    seq_file::SeqFile,
    seq_print,
    sync::aref::ARef,
    task::Kuid,
    warn_on,
};

module! {
    type: RustMiscBits,
    name: "rust_misc_bits",
    authors: ["kelfix"],
    description: "kernel::{bits, processor, bug, cred} and show_fdinfo test",
    license: "GPL",
}

#[pin_data]
struct RustMiscBits {
    #[pin]
    _miscdev: MiscDeviceRegistration<BitsDevice>,
}

/// Logs the bit helpers' results, computed at build time and at run time.
fn log_bits() {
    pr_info!("bit_u8(7) = {:#x}\n", bit_u8(7));
    pr_info!("bit_u16(15) = {:#x}\n", bit_u16(15));
    pr_info!("bit_u32(20) = {:#x}\n", bit_u32(20));
    pr_info!("bit_u64(40) = {:#x}\n", bit_u64(40));
    pr_info!("genmask_u8(2..=5) = {:#x}\n", genmask_u8(2..=5));
    pr_info!("genmask_u16(4..=11) = {:#x}\n", genmask_u16(4..=11));
    pr_info!("genmask_u32(0..=31) = {:#x}\n", genmask_u32(0..=31));
    pr_info!("genmask_u64(32..=47) = {:#x}\n", genmask_u64(32..=47));
    pr_info!("checked_bit_u16(16) = {:?}\n", checked_bit_u16(16));
    pr_info!("checked_bit_u32(31) = {:?}\n", checked_bit_u32(31));
    pr_info!(
        "genmask_checked_u8(4..=8) = {:?}\n",
        genmask_checked_u8(4..=8)
    );
    pr_info!(
        "genmask_checked_u64(8..=15) = {:?}\n",
        genmask_checked_u64(8..=15)
    );
}

impl kernel::InPlaceModule for RustMiscBits {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        log_bits();

        // A spin-wait on a counter, pausing between polls.
        let mut polls = 0u32;
        while polls < 1000 {
            cpu_relax();
            polls += 1;
        }
        pr_info!("cpu_relax polls: {}\n", polls);

        // Neither may warn: the run fails on any WARNING.
        let plain = warn_on!(false);
        let computed = warn_on!(genmask_u32(0..=31) != u32::MAX);
        pr_info!("warn_on returned {} and {}\n", plain, computed);

        let options = MiscDeviceOptions {
            name: c"rust-misc-bits",
        };
        try_pin_init!(Self {
            _miscdev <- MiscDeviceRegistration::register(options),
        })
    }
}

/// One open file of the device: its opener's credentials, kept.
struct BitsDevice {
    opener: ARef<Credential>,
}

#[vtable]
impl MiscDevice for BitsDevice {
    type Ptr = KBox<Self>;

    fn open(file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        let cred = file.cred();
        // Opened just now by the running task: its effective UID.
        pr_info!("opener euid {}\n", cred.euid().into_uid_in_current_ns());
        pr_info!(
            "opener euid is current's: {}\n",
            cred.euid() == Kuid::current_euid()
        );
        let opener: ARef<Credential> = ARef::from(cred);
        pr_info!(
            "kept reference is the file's: {}\n",
            core::ptr::eq(opener.as_ptr(), cred.as_ptr())
        );
        pr_info!(
            "secid of both is the same: {}\n",
            opener.get_secid() == cred.get_secid()
        );
        Ok(KBox::new(BitsDevice { opener }, GFP_KERNEL)?)
    }

    fn show_fdinfo(device: &BitsDevice, m: &SeqFile, file: &File) {
        seq_print!(
            m,
            "rust_opener_euid:\t{}\n",
            device.opener.euid().into_uid_in_current_ns()
        );
        seq_print!(m, "rust_mask:\t{:#x}\n", genmask_u32(8..=15));
        seq_print!(
            m,
            "rust_same_cred:\t{}\n",
            core::ptr::eq(device.opener.as_ptr(), file.cred().as_ptr())
        );
    }
}
