// SPDX-License-Identifier: GPL-2.0-only
//! A module that uses a facility Linux gained in 6.9: the bottom-half
//! workqueue (kernel::workqueue::system_bh(), system_bh_wq).
//! tests/integ/kernel-facility builds it for each kernel: before 6.9 the
//! build must fail and name what is missing.

use kernel::prelude::*;

module! {
    type: Bh,
    name: "bh",
    authors: ["kelfix"],
    description: "Uses a facility of Linux 6.9",
    license: "GPL",
}

struct Bh;

impl kernel::Module for Bh {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        kernel::workqueue::system_bh().try_spawn(GFP_KERNEL, || pr_info!("ran in softirq context\n"))?;
        Ok(Bh)
    }
}
