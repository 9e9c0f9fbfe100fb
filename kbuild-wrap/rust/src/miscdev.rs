//! A misc character device (`/dev/NAME`, major 10, dynamic minor).
//!
//! The kernel's `struct miscdevice` and `struct file_operations` are the
//! generated types of the target kernel (their layouts differ between
//! kernels; rustc checks every size and offset the bindings assert).
//!
//! Lifetimes:
//! - One `struct file_operations`, `FOPS`, a `static` of the module,
//!   serves every device of every value type. Its entries are plain
//!   `extern "C"` functions; `owner` is the module (`THIS_MODULE`), so
//!   misc_open()'s fops_get() pins the module for as long as a file is
//!   open and __fput()'s fops_put() releases it: the module cannot be
//!   unloaded while a file is open, and the structure the kernel reads
//!   `owner` from after the last release is never freed before the module.
//! - Each registration is one heap block: a type-erased `Header` (the
//!   `struct miscdevice`, the reference count, the name and a `&'static`
//!   table of the value type's functions) followed by the value. The
//!   kernel knows only the miscdevice; misc_open() puts its address in
//!   `file->private_data`, from which the shared functions find the header
//!   and call the value through the table.
//! - The block holds one reference for the registration and one per open
//!   file; the last put (in [`MiscDevice`]'s drop or in the last close's
//!   release) drops the value and frees the block. So dropping a
//!   [`MiscDevice`] while a file is open is safe: the value lives until
//!   that file's release, and nothing the kernel touches after release
//!   (`file->f_op`, i.e. `FOPS`) lives in the block.

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

/// The file operations of every misc device of this module. The kernel
/// only reads it (`miscdevice.fops` is a `const struct file_operations *`).
///
/// All-zero is "unset" for every field (integers, pointers, optional
/// function pointers), as in a C designated initialiser; the fields the
/// two kernels do not share (6.12's `fop_flags`, 6.1's `iterate`) stay
/// zero. `owner` is the address of the module's `struct module`, resolved
/// when the module is loaded.
static FOPS: SharedFops = SharedFops(
    // SAFETY: see above; only the address of `__this_module` is taken.
    unsafe {
        let mut fops: k::file_operations = zeroed();
        fops.owner = ptr::addr_of_mut!(k::__this_module);
        fops.open = Some(fop_open);
        fops.release = Some(fop_release);
        fops.read = Some(fop_read);
        fops.write = Some(fop_write);
        fops.llseek = Some(k::default_llseek);
        fops
    },
);

/// `k::file_operations` holds raw pointers, so it is not `Sync`; [`FOPS`]
/// is never written after compilation, so sharing it is safe.
#[repr(transparent)]
struct SharedFops(k::file_operations);

// SAFETY: immutable plain data (see FOPS).
unsafe impl Sync for SharedFops {}

/// The type-erased start of every registration block. The kernel keeps a
/// pointer to `dev` (file->private_data), from which [`header_of`] goes
/// back to the header. Only `refs` changes after registration (and `dev`,
/// by the kernel), so the shared functions use raw pointers, never a
/// reference to the whole header.
#[repr(C)]
struct Header {
    dev: k::miscdevice,
    /// One for the registration, one per open file.
    refs: AtomicUsize,
    /// The value type's functions: `&Registration::<T>::VTABLE`.
    vtable: &'static VTable,
    name: [u8; NAME_MAX + 1],
}

/// What the shared file operations call for one value type (the
/// `RawWakerVTable` idiom). Each function takes the header of a live
/// `Registration<T>` of its `T`.
struct VTable {
    open: unsafe fn(*mut Header) -> Result,
    release: unsafe fn(*mut Header),
    read: unsafe fn(*mut Header, &mut UserSliceWriter, u64) -> Result,
    write: unsafe fn(*mut Header, &mut UserSliceReader, u64) -> Result,
    /// Drops the value and frees the block (the last reference is gone).
    free: unsafe fn(*mut Header),
}

/// One registration: the header first, so a pointer to the block is a
/// pointer to its header.
#[repr(C)]
struct Registration<T> {
    header: Header,
    ops: T,
}

impl<T: FileOperations> Registration<T> {
    const VTABLE: VTable = VTable {
        open: Self::open,
        release: Self::release,
        read: Self::read,
        write: Self::write,
        free: Self::free,
    };

    /// The value of the block that starts with `h`.
    ///
    /// # Safety
    /// `h` is the header of a live `Registration<T>`.
    unsafe fn ops<'a>(h: *mut Header) -> &'a T {
        &(*h.cast::<Self>()).ops
    }

    unsafe fn open(h: *mut Header) -> Result {
        Self::ops(h).open()
    }

    unsafe fn release(h: *mut Header) {
        Self::ops(h).release()
    }

    unsafe fn read(h: *mut Header, out: &mut UserSliceWriter, offset: u64) -> Result {
        Self::ops(h).read(out, offset)
    }

    unsafe fn write(h: *mut Header, input: &mut UserSliceReader, offset: u64) -> Result {
        Self::ops(h).write(input, offset)
    }

    unsafe fn free(h: *mut Header) {
        drop(Box::from_raw(h.cast::<Self>()));
    }
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
        // SAFETY: plain C data for which all-zero is the "unset" value, as
        // in a C designated initialiser.
        let dev = unsafe { zeroed::<k::miscdevice>() };
        let reg = try_box(Registration {
            header: Header {
                dev,
                refs: AtomicUsize::new(1),
                vtable: &Registration::<T>::VTABLE,
                name: [0; NAME_MAX + 1],
            },
            ops,
        })
        .map_err(|_| Error::ENOMEM)?;
        let raw = Box::into_raw(reg);
        // SAFETY: `raw` is a live, unshared block; its address no longer
        // changes, so the kernel may keep pointers into it. They are made
        // from `raw`, so they may reach the whole block (header_of).
        unsafe {
            let h = ptr::addr_of_mut!((*raw).header);
            (&mut (*h).name)[..bytes.len()].copy_from_slice(bytes);
            (*h).dev.minor = k::MISC_DYNAMIC_MINOR as _;
            (*h).dev.name = ptr::addr_of!((*h).name).cast();
            (*h).dev.fops = &FOPS.0;
            let err = k::misc_register(ptr::addr_of_mut!((*h).dev));
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
        unsafe { &(*self.raw.as_ptr()).ops }
    }
}

impl<T: FileOperations> Drop for MiscDevice<T> {
    fn drop(&mut self) {
        let r = self.raw.as_ptr();
        // SAFETY: registered in `register`, deregistered once; then the
        // registration's reference is dropped. Once misc_deregister()
        // returns no new open can find the device (misc_open() looks it up
        // and calls fop_open under misc_mtx, which misc_deregister()
        // takes too), so only files already open still hold references.
        unsafe {
            let h = ptr::addr_of_mut!((*r).header);
            k::misc_deregister(ptr::addr_of_mut!((*h).dev));
            put(h);
        }
    }
}

/// Drops one reference; the last drops the value and frees the block.
///
/// # Safety
/// `h` is the header of a live registration and the caller owns one of
/// its references.
unsafe fn put(h: *mut Header) {
    if (*h).refs.fetch_sub(1, Ordering::Release) == 1 {
        fence(Ordering::Acquire);
        ((*h).vtable.free)(h);
    }
}

/// The registration of an open file: misc_open() (drivers/char/misc.c)
/// sets file->private_data to the struct miscdevice before calling our
/// open, in 6.1 and 6.12.
///
/// # Safety
/// `file` is a file of a device registered here (its f_op is [`FOPS`]).
unsafe fn header_of(file: *mut k::file) -> *mut Header {
    (*file)
        .private_data
        .cast::<u8>()
        .sub(offset_of!(Header, dev))
        .cast()
}

unsafe extern "C" fn fop_open(_inode: *mut k::inode, file: *mut k::file) -> c_int {
    let h = header_of(file);
    // The registration's reference is held: misc_open() runs under
    // misc_mtx, which the deregistration in MiscDevice::drop waits for.
    (*h).refs.fetch_add(1, Ordering::Relaxed);
    match ((*h).vtable.open)(h) {
        Ok(()) => 0,
        Err(e) => {
            put(h); // no release follows a failed open
            e.to_errno()
        }
    }
}

/// The last close. The block may be freed here; __fput() then calls
/// fops_put(file->f_op), which reads [`FOPS`], not the block.
unsafe extern "C" fn fop_release(_inode: *mut k::inode, file: *mut k::file) -> c_int {
    let h = header_of(file);
    ((*h).vtable.release)(h);
    put(h);
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

unsafe extern "C" fn fop_read(
    file: *mut k::file,
    buf: *mut c_char,
    len: c_ulong,
    pos: *mut c_longlong,
) -> c_long {
    io(pos, len, |offset, len| {
        let h = header_of(file);
        let mut out = UserSliceWriter::new(buf as usize, len);
        ((*h).vtable.read)(h, &mut out, offset)?;
        Ok(out.len())
    })
}

unsafe extern "C" fn fop_write(
    file: *mut k::file,
    buf: *const c_char,
    len: c_ulong,
    pos: *mut c_longlong,
) -> c_long {
    io(pos, len, |offset, len| {
        let h = header_of(file);
        let mut input = UserSliceReader::new(buf as usize, len);
        ((*h).vtable.write)(h, &mut input, offset)?;
        Ok(input.len())
    })
}
