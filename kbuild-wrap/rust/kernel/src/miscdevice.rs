// SPDX-License-Identifier: GPL-2.0-only
//! Misc character devices (`include/linux/miscdevice.h`): register one
//! with [`MiscDeviceRegistration::register`] and implement its file
//! operations with the [`MiscDevice`] trait.
//!
//! Not available here (the type it takes is not in this crate yet):
//! `mmap` (`VmaNew`).

use crate::{
    bindings,
    device::Device,
    error::{to_result, VTABLE_DEFAULT_ERROR},
    ffi::{c_int, c_long, c_uint, c_ulong},
    fs::{File, Kiocb},
    iov::{IovIterDest, IovIterSource},
    prelude::*,
    seq_file::SeqFile,
    types::{ForeignOwnable, Opaque},
};
use core::{marker::PhantomData, mem::MaybeUninit, ptr};

/// What to register a misc device as.
#[derive(Copy, Clone)]
pub struct MiscDeviceOptions {
    /// The name of the device (and of its node under `/dev`).
    pub name: &'static CStr,
}

impl MiscDeviceOptions {
    /// The C `struct miscdevice` for these options, with a dynamic minor
    /// number and `T`'s file operations, ready for `misc_register`.
    pub const fn into_raw<T: MiscDevice>(self) -> bindings::miscdevice {
        // SAFETY: `struct miscdevice` is integers and pointers, for which
        // all zeroes is a valid value (the C side starts from zero too).
        let mut misc: bindings::miscdevice = unsafe { MaybeUninit::zeroed().assume_init() };
        misc.minor = bindings::MISC_DYNAMIC_MINOR as c_int;
        misc.name = crate::str::as_char_ptr_in_const_context(self.name);
        misc.fops = MiscdeviceVTable::<T>::build();
        misc
    }
}

/// A registered misc device whose files are served by `T`. Pinned: the
/// kernel keeps pointers to it until it is dropped, which deregisters it.
///
/// # Invariants
///
/// `inner` was made by [`MiscDeviceOptions::into_raw`] and registered
/// with `misc_register`; it stays registered until `drop` deregisters it,
/// once.
#[repr(transparent)]
pub struct MiscDeviceRegistration<T> {
    inner: Opaque<bindings::miscdevice>,
    _t: PhantomData<T>,
}

// SAFETY: `misc_deregister` may run on any thread.
unsafe impl<T> Send for MiscDeviceRegistration<T> {}
// SAFETY: the `&self` methods only read fields that do not change after
// registration.
unsafe impl<T> Sync for MiscDeviceRegistration<T> {}

impl<T: MiscDevice> MiscDeviceRegistration<T> {
    /// Registers a misc device as `opts` describe, in place.
    pub fn register(opts: MiscDeviceOptions) -> impl PinInit<Self, Error> {
        let init = move |slot: *mut Self| {
            // SAFETY: `slot` is valid for writes (initialiser contract);
            // `Opaque<T>` has the layout of `T`.
            let misc = unsafe { ptr::addr_of_mut!((*slot).inner) }.cast::<bindings::miscdevice>();
            // SAFETY: `misc` is valid for writes, see above.
            unsafe { misc.write(opts.into_raw::<T>()) };
            // SAFETY: `misc` holds a complete `struct miscdevice`, pinned
            // (initialiser contract) and deregistered by `drop` before its
            // memory goes. On error nothing was registered.
            to_result(unsafe { bindings::misc_register(misc) })
        };
        // SAFETY: on `Ok` the closure has initialised `inner` (and the
        // zero-sized `_t` needs nothing), as the invariants require; on
        // `Err` it has left nothing to clean up.
        unsafe { pin_init::pin_init_from_closure(init) }
    }

    /// The C `struct miscdevice`.
    pub fn as_raw(&self) -> *mut bindings::miscdevice {
        self.inner.get()
    }

    /// The device the kernel created for the registration (its
    /// `this_device`).
    pub fn device(&self) -> &Device {
        // SAFETY: `misc_register` succeeded (invariants), so
        // `this_device` is a valid device, kept until `misc_deregister`
        // in `drop`, which cannot run while `self` is borrowed.
        unsafe { Device::from_raw((*self.as_raw()).this_device) }
    }
}

impl<T> Drop for MiscDeviceRegistration<T> {
    fn drop(&mut self) {
        // SAFETY: registered until now (invariants), deregistered once.
        unsafe { bindings::misc_deregister(self.inner.get()) };
    }
}

/// The file operations of a misc device. Each `open` makes a
/// [`Self::Ptr`] that becomes the file's private data, borrowed by the
/// other operations and handed back to [`MiscDevice::release`]. Only the
/// methods an implementation provides reach the C file operations table
/// (`#[vtable]`); the others stay NULL, with the kernel's default
/// behaviour.
#[vtable]
pub trait MiscDevice: Sized {
    /// The owning pointer that holds the per-open state, e.g.
    /// `Pin<KBox<Self>>`.
    type Ptr: ForeignOwnable + Send + Sync;

    /// A file of the device is being opened; returns its state.
    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<Self::Ptr>;

    /// The last reference to a file is gone; takes its state back (by
    /// default: drops it).
    fn release(device: Self::Ptr, _file: &File) {
        drop(device);
    }

    /// `read`/`read_iter`: copy data for the file into `_iov` from
    /// position `_kiocb.ki_pos()`; returns the byte count.
    fn read_iter(_kiocb: Kiocb<'_, Self::Ptr>, _iov: &mut IovIterDest<'_>) -> Result<usize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `write`/`write_iter`: take the data of `_iov`; returns the byte
    /// count.
    fn write_iter(_kiocb: Kiocb<'_, Self::Ptr>, _iov: &mut IovIterSource<'_>) -> Result<usize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ioctl`: command `_cmd` with argument `_arg` (often a user address,
    /// see [`crate::uaccess::UserPtr::from_addr`] and [`crate::ioctl`]).
    fn ioctl(
        _device: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _file: &File,
        _cmd: u32,
        _arg: usize,
    ) -> Result<isize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// `ioctl` from a 32-bit process on a 64-bit kernel, for commands
    /// whose argument layout differs between the two. Without it, such
    /// calls go to [`MiscDevice::ioctl`] with the pointer widened
    /// (`compat_ptr_ioctl`).
    fn compat_ioctl(
        _device: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _file: &File,
        _cmd: u32,
        _arg: usize,
    ) -> Result<isize> {
        build_error!(VTABLE_DEFAULT_ERROR)
    }

    /// Adds the device's lines to `/proc/PID/fdinfo/FD` of an open file,
    /// after the kernel's own (`pos:`, `flags:`, ...), written to `_m`
    /// with [`seq_print!`](crate::seq_print!).
    fn show_fdinfo(
        _device: <Self::Ptr as ForeignOwnable>::Borrowed<'_>,
        _m: &SeqFile,
        _file: &File,
    ) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The C file operations that call `T`'s methods.
struct MiscdeviceVTable<T: MiscDevice>(PhantomData<T>);

impl<T: MiscDevice> MiscdeviceVTable<T> {
    /// # Safety
    ///
    /// `inode` and `raw_file` are a file of a `MiscDeviceRegistration<T>`
    /// being opened, as `misc_open` calls it.
    unsafe extern "C" fn open(inode: *mut bindings::inode, raw_file: *mut bindings::file) -> c_int {
        // SAFETY: valid pointers of a file being opened.
        let ret = unsafe { bindings::generic_file_open(inode, raw_file) };
        if ret != 0 {
            return ret;
        }
        // SAFETY: `misc_open` (every kernel from 5.10 on) stores the
        // `struct miscdevice` in `private_data` before calling us and
        // keeps it registered during the call; it is the `inner` of a
        // `MiscDeviceRegistration<T>`, a transparent wrapper.
        let misc = unsafe { &*(*raw_file).private_data.cast::<MiscDeviceRegistration<T>>() };
        // SAFETY: the file is valid for the whole call, and nothing has
        // done an unlocked `fdget_pos` on it yet.
        let file = unsafe { File::from_raw_file(raw_file) };
        match T::open(file, misc) {
            Ok(ptr) => {
                // The private data changes from the miscdevice to `T`'s
                // state; every other operation reads it as the latter.
                // SAFETY: an open may set the file's private data.
                unsafe { (*raw_file).private_data = ptr.into_foreign() };
                0
            }
            Err(err) => err.to_errno(),
        }
    }

    /// # Safety
    ///
    /// `file` is a file of a `MiscDeviceRegistration<T>` that `open`
    /// opened, being released.
    unsafe extern "C" fn release(_inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
        // SAFETY: `open` stored `into_foreign`'s result; release is the
        // last operation, so ownership comes back here once.
        let ptr = unsafe { T::Ptr::from_foreign((*file).private_data) };
        // SAFETY: the file is valid during the call, with no unlocked
        // `fdget_pos` on another thread.
        T::release(ptr, unsafe { File::from_raw_file(file) });
        0
    }

    /// # Safety
    ///
    /// `kiocb` is a request on a file `open` opened; `iter` is a valid
    /// destination vector.
    unsafe extern "C" fn read_iter(
        kiocb: *mut bindings::kiocb,
        iter: *mut bindings::iov_iter,
    ) -> c_long {
        // SAFETY: valid for the call; the private data is `T::Ptr`'s.
        let kiocb = unsafe { Kiocb::from_raw(kiocb) };
        // SAFETY: a destination vector, valid and ours for the call.
        let iov = unsafe { IovIterDest::from_raw(iter) };
        match T::read_iter(kiocb, iov) {
            Ok(n) => n as c_long,
            Err(err) => err.to_errno() as c_long,
        }
    }

    /// # Safety
    ///
    /// `kiocb` is a request on a file `open` opened; `iter` is a valid
    /// source vector.
    unsafe extern "C" fn write_iter(
        kiocb: *mut bindings::kiocb,
        iter: *mut bindings::iov_iter,
    ) -> c_long {
        // SAFETY: valid for the call; the private data is `T::Ptr`'s.
        let kiocb = unsafe { Kiocb::from_raw(kiocb) };
        // SAFETY: a source vector, valid and ours for the call.
        let iov = unsafe { IovIterSource::from_raw(iter) };
        match T::write_iter(kiocb, iov) {
            Ok(n) => n as c_long,
            Err(err) => err.to_errno() as c_long,
        }
    }

    /// # Safety
    ///
    /// `file` is a file `open` opened, not yet released.
    unsafe extern "C" fn ioctl(file: *mut bindings::file, cmd: c_uint, arg: c_ulong) -> c_long {
        // SAFETY: the private data is `T::Ptr`'s, alive until release.
        let device = unsafe { T::Ptr::borrow((*file).private_data) };
        // SAFETY: the file is valid during the call, with no unlocked
        // `fdget_pos` on another thread.
        let file = unsafe { File::from_raw_file(file) };
        match T::ioctl(device, file, cmd, arg) {
            Ok(ret) => ret as c_long,
            Err(err) => err.to_errno() as c_long,
        }
    }

    /// # Safety
    ///
    /// `file` is a file `open` opened, not yet released.
    unsafe extern "C" fn compat_ioctl(
        file: *mut bindings::file,
        cmd: c_uint,
        arg: c_ulong,
    ) -> c_long {
        // SAFETY: the private data is `T::Ptr`'s, alive until release.
        let device = unsafe { T::Ptr::borrow((*file).private_data) };
        // SAFETY: the file is valid during the call, with no unlocked
        // `fdget_pos` on another thread.
        let file = unsafe { File::from_raw_file(file) };
        match T::compat_ioctl(device, file, cmd, arg) {
            Ok(ret) => ret as c_long,
            Err(err) => err.to_errno() as c_long,
        }
    }

    /// # Safety
    ///
    /// `file` is a file `open` opened, not yet released; `seq_file` is the
    /// output of the fdinfo read in progress, used by this thread only.
    unsafe extern "C" fn show_fdinfo(seq_file: *mut bindings::seq_file, file: *mut bindings::file) {
        // SAFETY: the private data is `T::Ptr`'s, alive until release.
        let device = unsafe { T::Ptr::borrow((*file).private_data) };
        // SAFETY: the file is valid during the call, with no unlocked
        // `fdget_pos` on another thread.
        let file = unsafe { File::from_raw_file(file) };
        // SAFETY: the seq_file is live and ours for the call.
        let m = unsafe { SeqFile::from_raw(seq_file) };
        T::show_fdinfo(device, m, file);
    }

    /// The table: `open`/`release` always, the rest only where `T`
    /// implements them. `owner` is this module (the crate is linked into
    /// each module), so the module stays loaded while a file is open.
    const VTABLE: bindings::file_operations = {
        // SAFETY: all zeroes is a valid `file_operations` (NULL pointers
        // and operations), as the C side starts from.
        let mut fops: bindings::file_operations = unsafe { MaybeUninit::zeroed().assume_init() };
        fops.owner = ptr::addr_of_mut!(bindings::__this_module);
        fops.open = Some(Self::open);
        fops.release = Some(Self::release);
        if T::HAS_READ_ITER {
            fops.read_iter = Some(Self::read_iter);
        }
        if T::HAS_WRITE_ITER {
            fops.write_iter = Some(Self::write_iter);
        }
        if T::HAS_IOCTL {
            fops.unlocked_ioctl = Some(Self::ioctl);
        }
        if T::HAS_COMPAT_IOCTL {
            fops.compat_ioctl = Some(Self::compat_ioctl);
        } else if T::HAS_IOCTL {
            fops.compat_ioctl = Some(bindings::compat_ptr_ioctl);
        }
        if T::HAS_SHOW_FDINFO {
            fops.show_fdinfo = Some(Self::show_fdinfo);
        }
        fops
    };

    const fn build() -> &'static bindings::file_operations {
        &Self::VTABLE
    }
}
