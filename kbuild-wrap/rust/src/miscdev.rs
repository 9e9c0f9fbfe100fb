//! A misc character device (`/dev/NAME`, major 10, dynamic minor).
//!
//! The C helper owns the kernel's `struct miscdevice` and
//! `struct file_operations` (their layouts differ between kernels) and
//! calls back into the [`FileOperations`] of the registered value. The
//! value lives until the device is deregistered *and* the last open file
//! is closed, so dropping a [`MiscDevice`] while a file is open is safe.
//! The module cannot be unloaded while a file is open (fops.owner).

use core::ffi::{c_int, c_void};
use core::marker::PhantomData;
use core::ptr::{self, NonNull};

use alloc::boxed::Box;

use crate::error::{Error, Result};
use crate::ffi;
use crate::module::try_box;
use crate::uaccess::{UserSliceReader, UserSliceWriter};

/// What the device does. Calls may come from several processes at once,
/// hence `Sync`; the value moves to the C side, hence `Send`.
pub trait FileOperations: Send + Sync + Sized + 'static {
    /// open(2). An error fails the open.
    fn open(&self) -> Result {
        Ok(())
    }

    /// read(2) at file offset `offset`: write up to `out.len()` bytes to
    /// `out`. The call returns how many bytes were written (0 = end of
    /// file) and the offset advances by as much.
    fn read(&self, _out: &mut UserSliceWriter, _offset: u64) -> Result {
        Err(Error::EINVAL)
    }

    /// write(2) at file offset `offset`: consume bytes from `input`. The
    /// call returns how many bytes were consumed; the offset advances by
    /// as much.
    fn write(&self, _input: &mut UserSliceReader, _offset: u64) -> Result {
        Err(Error::EINVAL)
    }

    /// close of the last descriptor of an open file.
    fn release(&self) {}
}

/// A registered misc device; dropping it deregisters the device.
pub struct MiscDevice<T: FileOperations> {
    raw: NonNull<ffi::Misc>,
    ops: NonNull<T>,
    _owns: PhantomData<T>,
}

// SAFETY: T is Send + Sync; the C side serialises (de)registration.
unsafe impl<T: FileOperations> Send for MiscDevice<T> {}
unsafe impl<T: FileOperations> Sync for MiscDevice<T> {}

impl<T: FileOperations> MiscDevice<T> {
    /// Creates `/dev/<name>` served by `ops`.
    pub fn register(name: &str, ops: T) -> Result<Self> {
        let ctx = Box::into_raw(try_box(ops).map_err(|_| Error::ENOMEM)?);
        let mut raw = ptr::null_mut();
        // SAFETY: `name` is readable for name.len() bytes; VTABLE is
        // 'static; `ctx` is a live Box<T> that C hands back to `free`.
        let err = unsafe {
            ffi::kelfix_rt_misc_register(
                name.as_ptr(),
                name.len(),
                &Vtable::<T>::OPS,
                ctx.cast(),
                &mut raw,
            )
        };
        if err != 0 {
            // SAFETY: registration failed, so `ctx` is still ours.
            drop(unsafe { Box::from_raw(ctx) });
            return Err(Error::from_errno(err));
        }
        Ok(MiscDevice {
            raw: NonNull::new(raw).ok_or(Error::EINVAL)?,
            // SAFETY: Box::into_raw never returns NULL.
            ops: unsafe { NonNull::new_unchecked(ctx) },
            _owns: PhantomData,
        })
    }

    /// The value serving the device.
    pub fn ops(&self) -> &T {
        // SAFETY: the registration holds a reference: T lives at least as
        // long as self.
        unsafe { self.ops.as_ref() }
    }
}

impl<T: FileOperations> Drop for MiscDevice<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register`, deregistered once.
        unsafe { ffi::kelfix_rt_misc_deregister(self.raw.as_ptr()) };
    }
}

struct Vtable<T>(PhantomData<T>);

impl<T: FileOperations> Vtable<T> {
    const OPS: ffi::MiscOps = ffi::MiscOps {
        open: Some(Self::open),
        read: Some(Self::read),
        write: Some(Self::write),
        release: Some(Self::release),
        free: Self::free,
    };

    /// # Safety
    /// `ctx` is the `Box<T>` pointer given at registration, still live.
    unsafe fn ops<'a>(ctx: *mut c_void) -> &'a T {
        &*ctx.cast::<T>()
    }

    unsafe extern "C" fn open(ctx: *mut c_void) -> c_int {
        match Self::ops(ctx).open() {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    unsafe extern "C" fn read(ctx: *mut c_void, buf: *mut u8, len: usize, pos: *mut i64) -> isize {
        let Ok(offset) = u64::try_from(*pos) else {
            return Error::EINVAL.to_errno() as isize;
        };
        let len = len.min(isize::MAX as usize);
        let mut out = UserSliceWriter::new(buf as usize, len);
        match Self::ops(ctx).read(&mut out, offset) {
            Ok(()) => {
                let n = len - out.len();
                *pos += n as i64;
                n as isize
            }
            Err(e) => e.to_errno() as isize,
        }
    }

    unsafe extern "C" fn write(
        ctx: *mut c_void,
        buf: *const u8,
        len: usize,
        pos: *mut i64,
    ) -> isize {
        let Ok(offset) = u64::try_from(*pos) else {
            return Error::EINVAL.to_errno() as isize;
        };
        let len = len.min(isize::MAX as usize);
        let mut input = UserSliceReader::new(buf as usize, len);
        match Self::ops(ctx).write(&mut input, offset) {
            Ok(()) => {
                let n = len - input.len();
                *pos += n as i64;
                n as isize
            }
            Err(e) => e.to_errno() as isize,
        }
    }

    unsafe extern "C" fn release(ctx: *mut c_void) {
        Self::ops(ctx).release()
    }

    unsafe extern "C" fn free(ctx: *mut c_void) {
        drop(Box::from_raw(ctx.cast::<T>()));
    }
}
