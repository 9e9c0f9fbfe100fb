//! kelfix example "chardev": /dev/kelfix_echo, a misc device that keeps
//! what was last written to it (up to 4 KiB) and reads it back.
//!
//!   # echo hello-kelfix > /dev/kelfix_echo; cat /dev/kelfix_echo
//!   hello-kelfix
//!
//! A write starting at offset 0 replaces the text, later writes of the same
//! open file append. Bad user pointers give EFAULT (logged), never an oops;
//! init checks that with a kernel address, which copy_to_user refuses.
#![no_std]

extern crate alloc;

use kelfix::miscdev::{FileOperations, MiscDevice};
use kelfix::prelude::*;
use kelfix::sync::Mutex;
use kelfix::uaccess::{UserSliceReader, UserSliceWriter};

kelfix::module! {
    name: "chardev",
    license: "GPL",
    author: "kelfix",
    description: "kelfix example: /dev/kelfix_echo echoes what is written",
    init: chardev_init,
    exit: chardev_exit,
}

const DEVICE: &str = "kelfix_echo";
const CAPACITY: usize = 4096;

struct Echo {
    text: Mutex<Vec<u8>>,
}

impl FileOperations for Echo {
    fn read(&self, out: &mut UserSliceWriter, offset: u64) -> Result {
        let text = self.text.lock();
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(text.len());
        let n = (text.len() - start).min(out.len());
        if n == 0 {
            return Ok(()); // end of file
        }
        out.write_slice(&text[start..start + n]).inspect_err(|e| {
            pr_info!("chardev: read of {} bytes: {:?}", n, e);
        })?;
        pr_info!("chardev: read {} bytes", n);
        Ok(())
    }

    fn write(&self, input: &mut UserSliceReader, offset: u64) -> Result {
        let mut text = self.text.lock();
        let n = input.len();
        let keep = if offset == 0 { 0 } else { text.len() };
        if keep + n > CAPACITY {
            return Err(Error::ENOSPC);
        }
        let mut data = Vec::new();
        input.read_to_end(&mut data).inspect_err(|e| {
            pr_info!("chardev: write of {} bytes: {:?}", n, e);
        })?;
        text.truncate(keep);
        text.extend_from_slice(&data);
        pr_info!("chardev: wrote {} bytes", n);
        Ok(())
    }
}

/// The device's read path with a kernel address as the "user" buffer:
/// copy_to_user's range check must refuse it.
fn self_test(echo: &Echo) -> Result {
    let mut kernel_buf = [0u8; 16];
    let mut out = UserSliceWriter::new(kernel_buf.as_mut_ptr() as usize, kernel_buf.len());
    echo.text.lock().extend_from_slice(b"self-test");
    let result = echo.read(&mut out, 0);
    echo.text.lock().clear();
    match result {
        Err(Error::EFAULT) if kernel_buf == [0; 16] => {
            pr_info!("chardev: self-test: kernel address refused with EFAULT");
            Ok(())
        }
        other => {
            pr_err!("chardev: self-test: expected EFAULT, got {:?}", other);
            Err(Error::EINVAL)
        }
    }
}

fn chardev_init() -> Result<MiscDevice<Echo>> {
    let echo = Echo {
        text: Mutex::new(Vec::new())?,
    };
    self_test(&echo)?;
    let dev = MiscDevice::register(DEVICE, echo)?;
    pr_info!("chardev: /dev/{} ready", DEVICE);
    Ok(dev)
}

fn chardev_exit(dev: MiscDevice<Echo>) {
    let len = dev.ops().text.lock().len();
    drop(dev);
    pr_info!("chardev: /dev/{} removed ({} bytes held)", DEVICE, len);
}
