//! kelfix example "chardev": /dev/kelfix_echo, a misc device that keeps
//! what was last written to it (up to 4 KiB) and reads it back.
//!
//!   # echo hello-kelfix > /dev/kelfix_echo; cat /dev/kelfix_echo
//!   hello-kelfix
//!
//! The text belongs to the device: every open file sees the same. A write
//! at position 0 replaces it, later writes of the same open file append.
//! Bad user pointers give EFAULT (logged), never an oops; init checks that
//! copy_to_user refuses a kernel address.
#![no_std]

use kernel::{
    fs::{File, Kiocb},
    iov::{IovIterDest, IovIterSource},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
    uaccess::UserSlice,
};

module! {
    type: Chardev,
    name: "chardev",
    authors: ["kelfix"],
    description: "kelfix example: /dev/kelfix_echo echoes what is written",
    license: "GPL",
}

const DEVICE: &CStr = c"kelfix_echo";
const CAPACITY: usize = 4096;

/// The device's text, shared by the module and every open file.
#[pin_data(PinnedDrop)]
struct Echo {
    #[pin]
    text: Mutex<KVec<u8>>,
}

#[pinned_drop]
impl PinnedDrop for Echo {
    fn drop(self: Pin<&mut Self>) {
        let held = self.text.lock().len();
        pr_info!("/dev/{} removed ({} bytes held)\n", DEVICE, held);
    }
}

/// The module: the device, and the text its files share. The device is
/// deregistered first (field order), so the last `Arc` of the text goes
/// after it: no file is open then, a file holds a reference to the module.
#[pin_data]
struct Chardev {
    #[pin]
    misc: MiscDeviceRegistration<Echo>,
    echo: Arc<Echo>,
}

impl Chardev {
    /// The module that holds `misc`.
    fn of(misc: &MiscDeviceRegistration<Echo>) -> &Chardev {
        // SAFETY: the only `MiscDeviceRegistration<Echo>` is the `misc`
        // field of the module's `Chardev`, which lives, pinned, as long as
        // the registration.
        unsafe { &*kernel::container_of!(core::ptr::from_ref(misc), Chardev, misc) }
    }
}

#[vtable]
impl MiscDevice for Echo {
    type Ptr = Arc<Echo>;

    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Arc<Echo>> {
        Ok(Chardev::of(misc).echo.clone())
    }

    fn read_iter(mut kiocb: Kiocb<'_, Arc<Echo>>, out: &mut IovIterDest<'_>) -> Result<usize> {
        let echo = kiocb.file();
        let text = echo.text.lock();
        let start = usize::try_from(kiocb.ki_pos())
            .unwrap_or(usize::MAX)
            .min(text.len());
        let n = (text.len() - start).min(out.len());
        if n == 0 {
            return Ok(0); // end of file
        }
        let copied = out.copy_to_iter(&text[start..start + n]);
        if copied == 0 {
            pr_info!("read of {} bytes: {:?}\n", n, EFAULT);
            return Err(EFAULT);
        }
        *kiocb.ki_pos_mut() += copied as i64;
        pr_info!("read {} bytes\n", copied);
        Ok(copied)
    }

    fn write_iter(mut kiocb: Kiocb<'_, Arc<Echo>>, input: &mut IovIterSource<'_>) -> Result<usize> {
        let echo = kiocb.file();
        let mut text = echo.text.lock();
        let n = input.len();
        let keep = if kiocb.ki_pos() == 0 { 0 } else { text.len() };
        if keep + n > CAPACITY {
            return Err(ENOSPC);
        }
        // Into a buffer of its own first: a fault leaves the text as it was.
        let mut data = KVec::new();
        let copied = input.copy_from_iter_vec(&mut data, GFP_KERNEL)?;
        if copied == 0 && n != 0 {
            pr_info!("write of {} bytes: {:?}\n", n, EFAULT);
            return Err(EFAULT);
        }
        text.truncate(keep);
        text.extend_from_slice(&data, GFP_KERNEL)?;
        *kiocb.ki_pos_mut() = text.len() as i64;
        pr_info!("wrote {} bytes\n", copied);
        Ok(copied)
    }
}

/// copy_to_user with a kernel address as the "user" buffer: its range
/// check must refuse it, and write nothing.
fn self_test() -> Result {
    let mut kernel_buf = [0u8; 16];
    let user = UserPtr::from_ptr(kernel_buf.as_mut_ptr().cast());
    let result = UserSlice::new(user, kernel_buf.len())
        .writer()
        .write_slice(b"self-test");
    match result {
        Err(e) if e == EFAULT && kernel_buf == [0; 16] => {
            pr_info!("self-test: kernel address refused with EFAULT\n");
            Ok(())
        }
        other => {
            pr_err!("self-test: expected EFAULT, got {:?}\n", other);
            Err(EINVAL)
        }
    }
}

impl kernel::InPlaceModule for Chardev {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let echo = self_test().and_then(|()| {
            let echo = try_pin_init!(Echo {
                text <- new_mutex!(KVec::new()),
            });
            Ok(Arc::pin_init(echo, GFP_KERNEL)?)
        });
        // The text first: the device can be opened as soon as it exists.
        try_pin_init!(Self {
            echo: echo?,
            misc <- MiscDeviceRegistration::register(MiscDeviceOptions { name: DEVICE }),
        })
        .pin_chain(|_| {
            pr_info!("/dev/{} ready\n", DEVICE);
            Ok(())
        })
    }
}
