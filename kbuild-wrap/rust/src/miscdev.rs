//! A misc character device (`/dev/NAME`, major 10, dynamic minor).
//!
//! The kernel's `struct miscdevice` and `struct file_operations` are the
//! generated types of the target kernel (their layouts differ between
//! kernels; rustc checks every size and offset the bindings assert), built
//! here and kept, with the registered value, in one heap block whose file
//! operations call the value's [`FileOperations`]. The block lives until
//! the device is deregistered *and* the last open file is closed, so
//! dropping a [`MiscDevice`] while a file is open is safe. The module
//! cannot be unloaded while a file is open (fops.owner).

use core::ffi::{c_char, c_int, c_long, c_longlong, c_ulong};
use core::marker::PhantomData;
use core::mem::{offset_of, zeroed};
use core::ptr::{self, NonNull};
use core::sync::atomic::{fence, AtomicUsize, Ordering};

use alloc::boxed::Box;

use crate::bindings as k;
use crate::error::{Error, Result};
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

/// Longest device name (the C helper's limit before: a path component).
const NAME_MAX: usize = 64;

/// One registration. References: one for the registration, one per open
/// file; the last put frees the block (and drops the value).
#[repr(C)]
struct Registration<T> {
    dev: k::miscdevice,
    fops: k::file_operations,
    refs: AtomicUsize,
    ops: T,
    name: [u8; NAME_MAX + 1],
}

/// A registered misc device; dropping it deregisters the device.
pub struct MiscDevice<T: FileOperations> {
    raw: NonNull<Registration<T>>,
    _owns: PhantomData<T>,
}

// SAFETY: T is Send + Sync; the kernel serialises (de)registration.
unsafe impl<T: FileOperations> Send for MiscDevice<T> {}
unsafe impl<T: FileOperations> Sync for MiscDevice<T> {}

impl<T: FileOperations> MiscDevice<T> {
    /// Creates `/dev/<name>` served by `ops`.
    pub fn register(name: &str, ops: T) -> Result<Self> {
        let bytes = name.as_bytes();
        if bytes.is_empty() || bytes.len() > NAME_MAX || bytes.iter().any(|&b| b == 0 || b == b'/') {
            return Err(Error::EINVAL);
        }
        // SAFETY: both kernel structures are plain C data (integers,
        // pointers, optional function pointers) for which all-zero is the
        // "unset" value, as in a C designated initialiser.
        let (dev, fops) = unsafe { (zeroed::<k::miscdevice>(), zeroed::<k::file_operations>()) };
        let reg = try_box(Registration {
            dev,
            fops,
            refs: AtomicUsize::new(1),
            ops,
            name: [0; NAME_MAX + 1],
        })
        .map_err(|_| Error::ENOMEM)?;
        let raw = Box::into_raw(reg);
        // SAFETY: `raw` is a live, unshared block; its address no longer
        // changes, so the kernel may keep pointers into it.
        unsafe {
            let r = &mut *raw;
            r.name[..bytes.len()].copy_from_slice(bytes);
            r.fops.owner = ptr::addr_of_mut!(k::__this_module);
            r.fops.open = Some(Self::open);
            r.fops.release = Some(Self::release);
            r.fops.read = Some(Self::read);
            r.fops.write = Some(Self::write);
            r.fops.llseek = Some(k::default_llseek);
            r.dev.minor = k::MISC_DYNAMIC_MINOR as _;
            r.dev.name = r.name.as_ptr().cast();
            r.dev.fops = &r.fops;
            let err = k::misc_register(&mut r.dev);
            if err != 0 {
                drop(Box::from_raw(raw));
                return Err(Error::from_errno(err));
            }
            Ok(MiscDevice {
                raw: NonNull::new_unchecked(raw),
                _owns: PhantomData,
            })
        }
    }

    /// The value serving the device.
    pub fn ops(&self) -> &T {
        // SAFETY: the registration holds a reference: the block lives at
        // least as long as self.
        unsafe { &self.raw.as_ref().ops }
    }

    /// Drops one reference; the last frees the block.
    ///
    /// # Safety
    /// `r` is live and the caller owns one of its references.
    unsafe fn put(r: *mut Registration<T>) {
        if (*r).refs.fetch_sub(1, Ordering::Release) == 1 {
            fence(Ordering::Acquire);
            drop(Box::from_raw(r));
        }
    }

    /// The registration of an open file: misc_open() (drivers/char/misc.c)
    /// sets file->private_data to the struct miscdevice before calling our
    /// open, in 6.1 and 6.12.
    ///
    /// # Safety
    /// `file` is a file of a device registered here.
    unsafe fn of(file: *mut k::file) -> *mut Registration<T> {
        (*file)
            .private_data
            .cast::<u8>()
            .sub(offset_of!(Registration<T>, dev))
            .cast()
    }

    unsafe extern "C" fn open(_inode: *mut k::inode, file: *mut k::file) -> c_int {
        let r = Self::of(file);
        (*r).refs.fetch_add(1, Ordering::Relaxed);
        match (*r).ops.open() {
            Ok(()) => 0,
            Err(e) => {
                Self::put(r); // no release follows a failed open
                e.to_errno()
            }
        }
    }

    unsafe extern "C" fn release(_inode: *mut k::inode, file: *mut k::file) -> c_int {
        let r = Self::of(file);
        (*r).ops.release();
        Self::put(r);
        0
    }

    /// The shared part of read and write: the file offset checked, `len`
    /// capped, `transfer(offset, len)` run; it returns the bytes it left
    /// untouched, and `*pos` moves by the bytes it did.
    unsafe fn io(
        pos: *mut c_longlong,
        len: c_ulong,
        transfer: impl FnOnce(u64, usize) -> Result<usize>,
    ) -> c_long {
        let Ok(offset) = u64::try_from(*pos) else {
            return Error::EINVAL.to_errno() as c_long;
        };
        let len = (len as usize).min(isize::MAX as usize);
        match transfer(offset, len) {
            Ok(left) => {
                let n = len - left;
                *pos += n as c_longlong;
                n as c_long
            }
            Err(e) => e.to_errno() as c_long,
        }
    }

    unsafe extern "C" fn read(
        file: *mut k::file,
        buf: *mut c_char,
        len: c_ulong,
        pos: *mut c_longlong,
    ) -> c_long {
        Self::io(pos, len, |offset, len| {
            let mut out = UserSliceWriter::new(buf as usize, len);
            (*Self::of(file)).ops.read(&mut out, offset)?;
            Ok(out.len())
        })
    }

    unsafe extern "C" fn write(
        file: *mut k::file,
        buf: *const c_char,
        len: c_ulong,
        pos: *mut c_longlong,
    ) -> c_long {
        Self::io(pos, len, |offset, len| {
            let mut input = UserSliceReader::new(buf as usize, len);
            (*Self::of(file)).ops.write(&mut input, offset)?;
            Ok(input.len())
        })
    }
}

impl<T: FileOperations> Drop for MiscDevice<T> {
    fn drop(&mut self) {
        let r = self.raw.as_ptr();
        // SAFETY: registered in `register`, deregistered once; then the
        // registration's reference is dropped.
        unsafe {
            k::misc_deregister(ptr::addr_of_mut!((*r).dev));
            Self::put(r);
        }
    }
}
