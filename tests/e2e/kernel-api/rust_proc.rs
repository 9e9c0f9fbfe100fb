// SPDX-License-Identifier: GPL-2.0-only
//! kernel::kelfix::proc test module: /proc/rust_proc (read-write: a
//! number and a name), /proc/driver/rust_proc_status (read-only, a longer
//! text) and a file removed during init. Values written are logged at
//! unload.

use kernel::{
    kelfix::proc::{ProcFile, ProcShow},
    new_mutex,
    prelude::*,
    seq_file::SeqFile,
    seq_print,
    sync::{
        atomic::{Atomic, Relaxed},
        Mutex,
    },
    uaccess::UserSliceReader,
};

module! {
    type: RustProc,
    name: "rust_proc",
    authors: ["kelfix"],
    description: "kernel::kelfix::proc files",
    license: "GPL",
}

/// A number and a name, set by writing "NUMBER NAME".
#[pin_data]
struct Setting {
    value: Atomic<u32>,
    writes: Atomic<u32>,
    #[pin]
    name: Mutex<[u8; 16]>,
}

impl Setting {
    fn name(&self) -> ([u8; 16], usize) {
        let name = *self.name.lock();
        let len = name.iter().position(|&b| b == 0).unwrap_or(name.len());
        (name, len)
    }
}

#[vtable]
impl ProcShow for Setting {
    fn show(&self, m: &SeqFile) -> Result {
        let (name, len) = self.name();
        let name = core::str::from_utf8(&name[..len]).map_err(|_| EINVAL)?;
        seq_print!(m, "{} {}\n", self.value.load(Relaxed), name);
        Ok(())
    }

    fn write(&self, reader: &mut UserSliceReader) -> Result {
        let mut buf = [0u8; 64];
        let len = reader.len();
        let text = buf.get_mut(..len).ok_or(EINVAL)?;
        reader.read_slice(text)?;
        let text = core::str::from_utf8(text).map_err(|_| EINVAL)?;
        let mut words = text.split_whitespace();
        let value: u32 = words.next().ok_or(EINVAL)?.parse().map_err(|_| EINVAL)?;
        let word = words.next().unwrap_or("").as_bytes();
        let mut name = [0u8; 16];
        name.get_mut(..word.len())
            .ok_or(EINVAL)?
            .copy_from_slice(word);
        self.value.store(value, Relaxed);
        *self.name.lock() = name;
        self.writes.fetch_add(1, Relaxed);
        Ok(())
    }
}

/// Read-only: as many lines as it was asked for, more than one page in
/// all, so that the seq_file must grow its buffer.
struct Status {
    lines: u32,
}

#[vtable]
impl ProcShow for Status {
    fn show(&self, m: &SeqFile) -> Result {
        for i in 0..self.lines {
            seq_print!(m, "line {:04} of the rust_proc status file\n", i);
        }
        Ok(())
    }
}

struct RustProc {
    setting: Pin<KBox<ProcFile<Setting>>>,
    _status: Pin<KBox<ProcFile<Status>>>,
}

impl kernel::Module for RustProc {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        // Made and dropped at once: the file must be gone.
        drop(KBox::pin_init(
            ProcFile::new(c"rust_proc_temp", Status { lines: 1 }),
            GFP_KERNEL,
        )?);
        let setting = pin_init!(Setting {
            value: Atomic::new(1),
            writes: Atomic::new(0),
            name <- new_mutex!(*b"first\0\0\0\0\0\0\0\0\0\0\0"),
        });
        let this = Self {
            setting: KBox::pin_init(ProcFile::new(c"rust_proc", setting), GFP_KERNEL)?,
            _status: KBox::pin_init(
                ProcFile::new(c"driver/rust_proc_status", Status { lines: 200 }),
                GFP_KERNEL,
            )?,
        };
        pr_info!("ready\n");
        Ok(this)
    }
}

impl Drop for RustProc {
    fn drop(&mut self) {
        let (name, len) = self.setting.name();
        pr_info!(
            "value {} name {} after {} writes\n",
            self.setting.value.load(Relaxed),
            core::str::from_utf8(&name[..len]).unwrap_or("?"),
            self.setting.writes.load(Relaxed)
        );
    }
}
