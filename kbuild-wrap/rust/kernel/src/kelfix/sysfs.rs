// SPDX-License-Identifier: GPL-2.0-only
//! sysfs files of a module: a directory `/sys/kernel/<name>/` whose files
//! read and write the module's data (kelfix's own API, not upstream's).
//!
//! It is what C modules commonly do with `kobject_create_and_add(name,
//! kernel_kobj)` and `sysfs_create_group()`: the data type implements
//! [`Operations`], listing its files in [`Operations::ATTRIBUTES`] and
//! serving them in `show` and `store`, and a pinned [`Registration`]
//! holds the data and the directory, which is removed when it is dropped.
//!
//! ```ignore
//! struct Limits { max: AtomicU32 } // with a constructor `Limits::new()`
//!
//! #[vtable]
//! impl sysfs::Operations for Limits {
//!     const ATTRIBUTES: &'static [sysfs::Attribute] = &[sysfs::Attribute::read_write(c"max")];
//!     fn show(&self, _index: usize, page: &mut [u8; PAGE_SIZE]) -> Result<usize> { ... }
//!     fn store(&self, _index: usize, page: &[u8]) -> Result { ... }
//! }
//!
//! // In the module's pinned state: /sys/kernel/limits/max.
//! reg <- sysfs::Registration::new(c"limits", Limits::new()),
//! ```

use crate::{
    alloc::{flags::GFP_KERNEL, KVec},
    bindings,
    error::{code::ENOMEM, to_result, VTABLE_DEFAULT_ERROR},
    ffi::c_char,
    page::PAGE_SIZE,
    prelude::*,
    types::Opaque,
};
use core::{marker::PhantomPinned, ops::Deref, ptr};

/// `show`/`store` of a `struct kobj_attribute`.
type ShowFn =
    unsafe extern "C" fn(*mut bindings::kobject, *mut bindings::kobj_attribute, *mut c_char) -> isize;
type StoreFn = unsafe extern "C" fn(
    *mut bindings::kobject,
    *mut bindings::kobj_attribute,
    *const c_char,
    usize,
) -> isize;

// `struct attribute` may hold an empty `lock_class_key` (no lockdep); C
// only gets pointers to it.
#[allow(improper_ctypes)]
extern "C" {
    // helpers/kelfix_sysfs.c
    fn kelfix_sysfs_file_init(
        file: *mut bindings::kobj_attribute,
        name: *const c_char,
        mode: u16,
        show: Option<ShowFn>,
        store: Option<StoreFn>,
    );
    fn kelfix_sysfs_group_init(group: *mut bindings::attribute_group, attrs: *mut *mut bindings::attribute);
}

/// A file of the directory: its name and permissions.
#[derive(Copy, Clone)]
pub struct Attribute {
    name: &'static CStr,
    mode: u16,
}

impl Attribute {
    /// A file everyone may read (mode 0444).
    pub const fn read_only(name: &'static CStr) -> Self {
        Self { name, mode: 0o444 }
    }

    /// A file everyone may read and root may write (mode 0644); writes
    /// fail with `EIO` unless the data implements [`Operations::store`].
    pub const fn read_write(name: &'static CStr) -> Self {
        Self { name, mode: 0o644 }
    }

    /// A file only root may write (mode 0200).
    pub const fn write_only(name: &'static CStr) -> Self {
        Self { name, mode: 0o200 }
    }
}

/// The files of a [`Registration`]'s directory, implemented by its data.
/// sysfs calls `show` and `store` from any thread, concurrently.
#[vtable]
pub trait Operations: Send + Sync {
    /// The files, numbered by their index in this list.
    const ATTRIBUTES: &'static [Attribute];

    /// A read of file `index`: writes its contents into `page` and
    /// returns their length.
    fn show(&self, index: usize, page: &mut [u8; PAGE_SIZE]) -> Result<usize>;

    /// A write of `_page` (less than a page) to file `_index`.
    fn store(&self, _index: usize, _page: &[u8]) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// One file: the C attribute and what its callbacks need to find.
#[repr(C)]
struct File<T> {
    attr: Opaque<bindings::kobj_attribute>,
    index: usize,
    data: *const T,
}

/// The directory `/sys/kernel/<name>/` with the files of `T`, and its
/// data, which the module reaches through `Deref`.
///
/// # Invariants
///
/// `kobj` is the directory's kobject, which holds `group`, made of `attrs`
/// and `files`, whose callbacks use `data`; all of it lives until `drop`
/// removes the group and drops the kobject.
pub struct Registration<T: Operations> {
    data: T,
    group: Opaque<bindings::attribute_group>,
    files: KVec<File<T>>,
    attrs: KVec<*mut bindings::attribute>,
    kobj: *mut bindings::kobject,
    _pin: PhantomPinned,
}

// SAFETY: the raw pointers are to memory the registration owns, and the
// kernel's side may be removed from any thread; `T: Send`.
unsafe impl<T: Operations> Send for Registration<T> {}
// SAFETY: `&self` only gives `&T`, and `T: Sync`.
unsafe impl<T: Operations> Sync for Registration<T> {}

impl<T: Operations> Registration<T> {
    /// An initialiser that creates `/sys/kernel/<name>/` with the files
    /// of `T::ATTRIBUTES`, served by `data`.
    pub fn new(name: &'static CStr, data: impl PinInit<T, Error>) -> impl PinInit<Self, Error> {
        let init = move |slot: *mut Self| {
            // SAFETY: `slot` is valid for writes (initialiser contract).
            let data_ptr = unsafe { ptr::addr_of_mut!((*slot).data) };
            let (files, attrs) = Self::files(data_ptr)?;
            // SAFETY: `data_ptr` is valid and pinned; on error the
            // initialiser leaves nothing to clean up.
            unsafe { data.__pinned_init(data_ptr) }?;
            // SAFETY: the other fields are valid for writes; `files` and
            // `attrs` keep their heap buffers when moved into `*slot`.
            unsafe {
                ptr::addr_of_mut!((*slot).files).write(files);
                ptr::addr_of_mut!((*slot).attrs).write(attrs);
                ptr::addr_of_mut!((*slot).kobj).write(ptr::null_mut());
            }
            // SAFETY: every field but `group` is initialised, `group` is
            // written by `add`.
            let res = unsafe { Self::add(slot, name) };
            if res.is_err() {
                // SAFETY: these fields were initialised above and nothing
                // else uses them.
                unsafe {
                    ptr::drop_in_place(ptr::addr_of_mut!((*slot).attrs));
                    ptr::drop_in_place(ptr::addr_of_mut!((*slot).files));
                    ptr::drop_in_place(data_ptr);
                }
            }
            res
        };
        // SAFETY: on `Ok` every field is initialised and the invariants
        // hold (`add`); on `Err` what was initialised has been dropped.
        unsafe { pin_init::pin_init_from_closure(init) }
    }

    /// The C attributes of `T::ATTRIBUTES` and the NULL-terminated list of
    /// them, for the data at `data`.
    #[allow(clippy::type_complexity)]
    fn files(data: *const T) -> Result<(KVec<File<T>>, KVec<*mut bindings::attribute>)> {
        let n = T::ATTRIBUTES.len();
        let mut files = KVec::with_capacity(n, GFP_KERNEL)?;
        let mut attrs = KVec::with_capacity(n + 1, GFP_KERNEL)?;
        for index in 0..n {
            let file = File {
                attr: Opaque::uninit(),
                index,
                data,
            };
            files.push(file, GFP_KERNEL)?;
        }
        let store: Option<StoreFn> = if T::HAS_STORE { Some(Self::store) } else { None };
        for (file, desc) in files.iter().zip(T::ATTRIBUTES) {
            let attr = file.attr.get();
            // SAFETY: `attr` is valid for writes; the name is static.
            unsafe {
                kelfix_sysfs_file_init(attr, desc.name.as_char_ptr(), desc.mode, Some(Self::show), store)
            };
            // SAFETY: `attr` is valid; no reference is made.
            attrs.push(unsafe { ptr::addr_of_mut!((*attr).attr) }, GFP_KERNEL)?;
        }
        attrs.push(ptr::null_mut(), GFP_KERNEL)?;
        Ok((files, attrs))
    }

    /// Creates the directory and its files.
    ///
    /// # Safety
    ///
    /// `this` is pinned, with every field but `group` initialised; `group`
    /// is valid for writes.
    unsafe fn add(this: *mut Self, name: &CStr) -> Result {
        // SAFETY: valid for writes (caller); `attrs` is initialised and
        // its buffer stays put.
        let group = unsafe {
            let group = Opaque::cast_into(ptr::addr_of!((*this).group));
            kelfix_sysfs_group_init(group, (*this).attrs.as_mut_ptr());
            group
        };
        // SAFETY: `kernel_kobj` is `/sys/kernel`, set up at boot; the name
        // is copied.
        let kobj = unsafe { bindings::kobject_create_and_add(name.as_char_ptr(), bindings::kernel_kobj) };
        if kobj.is_null() {
            return Err(ENOMEM);
        }
        // SAFETY: `kobj` is ours; `group` and what it points to live
        // until `drop` removes it.
        if let Err(err) = to_result(unsafe { bindings::sysfs_create_group(kobj, group) }) {
            // SAFETY: our reference, dropped once.
            unsafe { bindings::kobject_put(kobj) };
            return Err(err);
        }
        // SAFETY: `this` is valid for writes (caller).
        unsafe { (*this).kobj = kobj };
        Ok(())
    }

    /// The file of `attr`.
    ///
    /// # Safety
    ///
    /// `attr` is the `attr` of a live `File<T>`.
    unsafe fn file<'a>(attr: *mut bindings::kobj_attribute) -> &'a File<T> {
        // SAFETY: `attr` is in a `File<T>` (caller); `Opaque<T>` has the
        // layout of `T`.
        unsafe { &*crate::container_of!(Opaque::cast_from(attr), File<T>, attr) }
    }

    /// A read of a file: `T::show` into sysfs's page.
    ///
    /// # Safety
    ///
    /// `attr` is a file of a registration; `buf` is a writable page.
    unsafe extern "C" fn show(
        _kobj: *mut bindings::kobject,
        attr: *mut bindings::kobj_attribute,
        buf: *mut c_char,
    ) -> isize {
        // SAFETY: the file lives while sysfs can call it (invariants).
        let file = unsafe { Self::file(attr) };
        // SAFETY: the data lives as long as the file; `buf` is a page of
        // sysfs's, ours during the call.
        let (data, page) = unsafe { (&*file.data, &mut *buf.cast::<[u8; PAGE_SIZE]>()) };
        match data.show(file.index, page) {
            Ok(len) => len.min(PAGE_SIZE) as isize,
            Err(err) => err.to_errno() as isize,
        }
    }

    /// A write of a file: `T::store` of the `count` bytes at `buf`.
    ///
    /// # Safety
    ///
    /// `attr` is a file of a registration; `buf` is readable for `count`
    /// bytes.
    unsafe extern "C" fn store(
        _kobj: *mut bindings::kobject,
        attr: *mut bindings::kobj_attribute,
        buf: *const c_char,
        count: usize,
    ) -> isize {
        // SAFETY: the file lives while sysfs can call it (invariants).
        let file = unsafe { Self::file(attr) };
        // SAFETY: the data lives as long as the file; `buf` holds `count`
        // bytes, unchanged during the call.
        let (data, bytes) = unsafe { (&*file.data, core::slice::from_raw_parts(buf.cast::<u8>(), count)) };
        match data.store(file.index, bytes) {
            Ok(()) => count as isize,
            Err(err) => err.to_errno() as isize,
        }
    }
}

impl<T: Operations> Deref for Registration<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.data
    }
}

impl<T: Operations> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: the group is on `kobj` (invariants); removing it waits
        // for running `show`/`store` calls, and none start afterwards, so
        // the fields may go after this.
        unsafe {
            bindings::sysfs_remove_group(self.kobj, self.group.get());
            bindings::kobject_put(self.kobj);
        }
    }
}
