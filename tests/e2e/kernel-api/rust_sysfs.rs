// SPDX-License-Identifier: GPL-2.0-only
//! kelfix test module of `kernel::kelfix::sysfs`: the directory
//! `/sys/kernel/rust_sysfs/` with a read-only file (`greeting`), a
//! read-write counter (`count`, decimal) and a write-only file (`reset`).

use kernel::kelfix::sysfs;
use kernel::new_mutex;
use kernel::page::PAGE_SIZE;
use kernel::prelude::*;
use kernel::str::CString;
use kernel::sync::Mutex;

module! {
    type: RustSysfs,
    name: "rust_sysfs",
    authors: ["kelfix"],
    description: "kelfix test of kernel::kelfix::sysfs",
    license: "GPL",
}

#[pin_data(PinnedDrop)]
struct RustSysfs {
    #[pin]
    files: sysfs::Registration<Counter>,
}

#[pin_data]
struct Counter {
    #[pin]
    count: Mutex<u64>,
}

/// The files, in the order of `ATTRIBUTES`.
const GREETING: usize = 0;
const COUNT: usize = 1;
const RESET: usize = 2;

/// Copies `text` to the start of `page`; returns its length.
fn put(page: &mut [u8; PAGE_SIZE], text: &[u8]) -> usize {
    page[..text.len()].copy_from_slice(text);
    text.len()
}

/// The decimal number written to a file (a trailing newline allowed).
fn parse(page: &[u8]) -> Result<u64> {
    let text = core::str::from_utf8(page).map_err(|_| EINVAL)?;
    text.trim_end().parse().map_err(|_| EINVAL)
}

#[vtable]
impl sysfs::Operations for Counter {
    const ATTRIBUTES: &'static [sysfs::Attribute] = &[
        sysfs::Attribute::read_only(c"greeting"),
        sysfs::Attribute::read_write(c"count"),
        sysfs::Attribute::write_only(c"reset"),
    ];

    fn show(&self, index: usize, page: &mut [u8; PAGE_SIZE]) -> Result<usize> {
        match index {
            GREETING => Ok(put(page, b"hello from rust_sysfs\n")),
            COUNT => {
                let text = CString::try_from_fmt(fmt!("{}\n", *self.count.lock()))?;
                Ok(put(page, text.to_bytes()))
            }
            _ => Err(EINVAL),
        }
    }

    fn store(&self, index: usize, page: &[u8]) -> Result {
        match index {
            COUNT => {
                let value = parse(page)?;
                *self.count.lock() = value;
                pr_info!("count set to {value}\n");
                Ok(())
            }
            RESET => {
                *self.count.lock() = 0;
                pr_info!("count reset\n");
                Ok(())
            }
            _ => Err(EINVAL),
        }
    }
}

impl kernel::InPlaceModule for RustSysfs {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let counter = try_pin_init!(Counter {
            count <- new_mutex!(7),
        });
        try_pin_init!(Self {
            files <- sysfs::Registration::new(c"rust_sysfs", counter),
        })
    }
}

#[pinned_drop]
impl PinnedDrop for RustSysfs {
    fn drop(self: Pin<&mut Self>) {
        pr_info!("count at unload: {}\n", *self.files.count.lock());
    }
}
