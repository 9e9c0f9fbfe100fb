// SPDX-License-Identifier: GPL-2.0-only
//! configfs (`include/linux/configfs.h`): directories of kernel objects
//! that user space creates with `mkdir` under `/sys/kernel/config/` and
//! configures by writing their files.
//!
//! A module registers a [`Subsystem`] (the top directory). A directory
//! whose data implements [`GroupOperations`] accepts `mkdir`, which makes
//! a child [`Group`]. The files of a directory are attributes, declared
//! with [`configfs_attrs!`] and served by [`AttributeOperations`]
//! implementations, one per attribute number.
//!
//! As upstream: every child is a group (no plain items), and there are
//! no symbolic links, default groups, binary attributes or
//! `disconnect_notify`.
//!
//! configfs is a module (`configfs.ko`) on Debian's kernels: it must be
//! loaded before a module that uses this one.

use crate::{
    alloc::flags,
    bindings, container_of,
    error::{to_result, VTABLE_DEFAULT_ERROR},
    ffi::c_char,
    page::PAGE_SIZE,
    prelude::*,
    str::CString,
    sync::{Arc, ArcBorrow},
    types::Opaque,
    ThisModule,
};
use core::{cell::UnsafeCell, marker::PhantomData, mem::MaybeUninit, ptr};

/// A configfs subsystem: the directory `/sys/kernel/config/<name>` and
/// its data. Embed it, pinned, in the module's type; it is registered
/// when initialised and unregistered when dropped.
///
/// # Invariants
///
/// `subsystem` is registered with configfs from the end of
/// [`Subsystem::new`]'s initialiser until `drop`.
#[pin_data(PinnedDrop)]
pub struct Subsystem<Data> {
    #[pin]
    subsystem: Opaque<bindings::configfs_subsystem>,
    #[pin]
    data: Data,
}

// SAFETY: `Subsystem` has no methods; configfs serialises its own use of
// the C structure, and callbacks only get `&Data`.
unsafe impl<Data> Sync for Subsystem<Data> {}

// SAFETY: unregistering may happen on any thread.
unsafe impl<Data> Send for Subsystem<Data> {}

impl<Data> Subsystem<Data> {
    /// An initialiser that registers the subsystem `name`, with the files
    /// and operations of `item_type` (from [`configfs_attrs!`]) over
    /// `data`.
    pub fn new(
        name: &'static CStr,
        item_type: &'static ItemType<Subsystem<Data>, Data>,
        data: impl PinInit<Data, Error>,
    ) -> impl PinInit<Self, Error> {
        let init_subsystem = move |slot: *mut bindings::configfs_subsystem| {
            // SAFETY: `slot` is valid for writes (`Opaque::ffi_init`); all
            // zeroes is the state configfs expects before the init calls.
            unsafe { slot.write(MaybeUninit::zeroed().assume_init()) };
            // SAFETY: `su_group` is zeroed and `name` and `item_type` are
            // static; the name is copied.
            unsafe {
                bindings::config_group_init_type_name(
                    ptr::addr_of_mut!((*slot).su_group),
                    name.as_char_ptr(),
                    item_type.as_ptr(),
                )
            };
            // SAFETY: `su_mutex` is pinned memory, initialised once here;
            // name and class are static.
            unsafe {
                bindings::__mutex_init(
                    ptr::addr_of_mut!((*slot).su_mutex),
                    crate::optional_name!().as_char_ptr(),
                    crate::static_lock_class!().as_ptr(),
                )
            };
        };
        try_pin_init!(Self {
            subsystem <- Opaque::ffi_init(init_subsystem),
            data <- data,
        })
        .pin_chain(|this| {
            // SAFETY: the subsystem is initialised above and pinned;
            // `drop` unregisters it (invariant), and on error nothing is
            // registered.
            to_result(unsafe { bindings::configfs_register_subsystem(this.subsystem.get()) })
        })
    }
}

#[pinned_drop]
impl<Data> PinnedDrop for Subsystem<Data> {
    fn drop(self: Pin<&mut Self>) {
        let raw = self.subsystem.get();
        // SAFETY: registered until now (invariants). configfs removes the
        // children first, so no callback runs after this returns.
        unsafe { bindings::configfs_unregister_subsystem(raw) };
        // SAFETY: initialised in `new`, unused from now on.
        unsafe { bindings::mutex_destroy(ptr::addr_of_mut!((*raw).su_mutex)) };
    }
}

/// A type that embeds a C `struct config_group`: [`Subsystem`] and
/// [`Group`]. Only this module implements it.
///
/// # Safety
///
/// `group` and `container_of` are inverse projections between `Self` and
/// a `config_group` embedded in it.
pub unsafe trait HasGroup<Data> {
    /// The embedded group of the `Self` at `this`.
    ///
    /// # Safety
    ///
    /// `this` points to memory of at least the size of `Self`.
    unsafe fn group(this: *const Self) -> *const bindings::config_group;

    /// The `Self` that `group` is embedded in.
    ///
    /// # Safety
    ///
    /// `group` is the group embedded in a `Self`.
    unsafe fn container_of(group: *const bindings::config_group) -> *const Self;
}

// SAFETY: the group is the `su_group` of the `subsystem` field.
unsafe impl<Data> HasGroup<Data> for Subsystem<Data> {
    unsafe fn group(this: *const Self) -> *const bindings::config_group {
        // SAFETY: in bounds of `*this` (caller); no reference is made.
        let subsys = Opaque::cast_into(unsafe { ptr::addr_of!((*this).subsystem) });
        // SAFETY: as above.
        unsafe { ptr::addr_of!((*subsys).su_group) }
    }

    unsafe fn container_of(group: *const bindings::config_group) -> *const Self {
        // SAFETY: `group` is the `su_group` of a `configfs_subsystem`
        // (caller), in bounds of it.
        let subsys = unsafe { container_of!(group, bindings::configfs_subsystem, su_group) };
        // SAFETY: that subsystem is the `subsystem` field of a `Self`
        // (caller); `Opaque<T>` has the layout of `T`.
        unsafe { container_of!(Opaque::cast_from(subsys), Self, subsystem) }
    }
}

/// A configfs group: a directory made by `mkdir` in a directory whose
/// data implements [`GroupOperations`], with its data. configfs holds it
/// (in an [`Arc`]) until the directory is removed.
#[pin_data]
pub struct Group<Data> {
    #[pin]
    group: Opaque<bindings::config_group>,
    #[pin]
    data: Data,
}

impl<Data> Group<Data> {
    /// An initialiser of a group named `name`, with the files and
    /// operations of `item_type` (from [`configfs_attrs!`]) over `data`.
    pub fn new(
        name: CString,
        item_type: &'static ItemType<Group<Data>, Data>,
        data: impl PinInit<Data, Error>,
    ) -> impl PinInit<Self, Error> {
        let init_group = move |slot: *mut bindings::config_group| {
            // SAFETY: `slot` is valid for writes (`Opaque::ffi_init`); all
            // zeroes is the state configfs expects before the init call.
            unsafe { slot.write(MaybeUninit::zeroed().assume_init()) };
            // SAFETY: the group is zeroed, `item_type` is static, and the
            // name is copied during the call.
            unsafe { bindings::config_group_init_type_name(slot, name.as_char_ptr(), item_type.as_ptr()) };
        };
        try_pin_init!(Self {
            group <- Opaque::ffi_init(init_group),
            data <- data,
        })
    }
}

// SAFETY: the group is the `group` field.
unsafe impl<Data> HasGroup<Data> for Group<Data> {
    unsafe fn group(this: *const Self) -> *const bindings::config_group {
        // SAFETY: in bounds of `*this` (caller); no reference is made.
        Opaque::cast_into(unsafe { ptr::addr_of!((*this).group) })
    }

    unsafe fn container_of(group: *const bindings::config_group) -> *const Self {
        // SAFETY: `group` is the `group` field of a `Self` (caller);
        // `Opaque<T>` has the layout of `T`.
        unsafe { container_of!(Opaque::cast_from(group), Self, group) }
    }
}

/// The data of the directory `group`: a subsystem's when `group` is its
/// `su_group`, else a group's.
///
/// # Safety
///
/// `group` is valid, and is either the `su_group` of a
/// `Subsystem<Data>` or the group of a `Group<Data>`, alive for `'a`.
unsafe fn group_data<'a, Data>(group: *mut bindings::config_group) -> &'a Data {
    // SAFETY: `group` is valid (caller).
    let subsys = unsafe { (*group).cg_subsys };
    // configfs links every group of a registered subsystem to it through
    // `cg_subsys`, the subsystem's own group included (fs/configfs/dir.c,
    // link_group(), all kernels from 5.10 on); only configfs's root has
    // none, and it has no callbacks of ours.
    // SAFETY: when set, `cg_subsys` is the live subsystem of the group; no
    // reference is made.
    let is_subsystem = !subsys.is_null() && ptr::eq(group, unsafe { ptr::addr_of_mut!((*subsys).su_group) });
    if is_subsystem {
        // SAFETY: the subsystem's group, so in a `Subsystem<Data>` (caller).
        unsafe { &(*Subsystem::<Data>::container_of(group)).data }
    } else {
        // SAFETY: not the subsystem's, so in a `Group<Data>` (caller).
        unsafe { &(*Group::<Data>::container_of(group)).data }
    }
}

/// The group operations that call `Parent`'s [`GroupOperations`].
struct GroupOperationsVTable<Parent, Child>(PhantomData<(Parent, Child)>);

impl<Parent, Child> GroupOperationsVTable<Parent, Child>
where
    Parent: GroupOperations<Child = Child>,
    Child: 'static,
{
    /// `mkdir` in the directory of `parent`: makes a `Group<Child>` and
    /// hands configfs its group, or an error pointer.
    ///
    /// # Safety
    ///
    /// `parent` is a directory whose data is a `Parent` (see
    /// [`group_data`]); `name` is a C string.
    unsafe extern "C" fn make_group(
        parent: *mut bindings::config_group,
        name: *const c_char,
    ) -> *mut bindings::config_group {
        // SAFETY: `parent`'s data is a `Parent`, alive during the call.
        let data: &Parent = unsafe { group_data(parent) };
        // SAFETY: `name` is a C string living through the call.
        let name = unsafe { CStr::from_char_ptr(name) };
        let made = Parent::make_group(data, name)
            .and_then(|init| Arc::<Group<Child>>::try_pin_init(init, flags::GFP_KERNEL));
        match made {
            // The `Arc`'s count is configfs's reference; `release` takes it
            // back.
            // SAFETY: the pointer is to a live `Group<Child>`.
            Ok(group) => unsafe { Group::group(group.into_raw()) }.cast_mut(),
            Err(err) => err.to_ptr(),
        }
    }

    /// `rmdir` of `item`, a child of `parent`: tells `Parent`, then drops
    /// configfs's reference (which [`ItemOperationsVTable::release`] ends).
    ///
    /// # Safety
    ///
    /// `parent` is as for `make_group`; `item` is the item of a group that
    /// `make_group` made.
    unsafe extern "C" fn drop_item(
        parent: *mut bindings::config_group,
        item: *mut bindings::config_item,
    ) {
        if Parent::HAS_DROP_ITEM {
            // SAFETY: `parent`'s data is a `Parent`, alive during the call.
            let data: &Parent = unsafe { group_data(parent) };
            // SAFETY: `item` is the `cg_item` of a group of a `Group<Child>`
            // (caller).
            let child = unsafe {
                Group::<Child>::container_of(container_of!(item, bindings::config_group, cg_item))
            };
            // SAFETY: `make_group` leaked an `Arc` for `child`, still held by
            // configfs; this borrow ends before that count is dropped.
            let child = unsafe { ArcBorrow::from_raw(child) };
            Parent::drop_item(data, child);
        }
        // SAFETY: configfs passes us its reference to drop.
        unsafe { bindings::config_item_put(item) };
    }

    const VTABLE: bindings::configfs_group_operations = {
        // SAFETY: all zeroes is a valid table: every operation NULL.
        let mut ops: bindings::configfs_group_operations = unsafe { MaybeUninit::zeroed().assume_init() };
        ops.make_group = Some(Self::make_group);
        ops.drop_item = Some(Self::drop_item);
        ops
    };

    const fn vtable_ptr() -> *const bindings::configfs_group_operations {
        &Self::VTABLE
    }
}

/// The item operations of a `Container`'s directory.
struct ItemOperationsVTable<Container, Data>(PhantomData<(Container, Data)>);

impl<Data> ItemOperationsVTable<Group<Data>, Data> {
    /// The last reference to a group's item is gone: frees the group.
    ///
    /// # Safety
    ///
    /// `item` is the item of a `Group<Data>` made by
    /// [`GroupOperationsVTable::make_group`]; it is not used afterwards.
    unsafe extern "C" fn release(item: *mut bindings::config_item) {
        // SAFETY: `item` is the `cg_item` of the group of a `Group<Data>`.
        let group = unsafe {
            Group::<Data>::container_of(container_of!(item, bindings::config_group, cg_item))
        };
        // SAFETY: `make_group` turned this `Arc` into a raw pointer; this is
        // the one place it is taken back.
        drop(unsafe { Arc::from_raw(group) });
    }

    const VTABLE: bindings::configfs_item_operations = {
        // SAFETY: all zeroes is a valid table: every operation NULL.
        let mut ops: bindings::configfs_item_operations = unsafe { MaybeUninit::zeroed().assume_init() };
        ops.release = Some(Self::release);
        ops
    };

    const fn vtable_ptr() -> *const bindings::configfs_item_operations {
        &Self::VTABLE
    }
}

impl<Data> ItemOperationsVTable<Subsystem<Data>, Data> {
    // A subsystem is the module's own memory: nothing to release.
    const VTABLE: bindings::configfs_item_operations = {
        // SAFETY: all zeroes is a valid table: every operation NULL.
        unsafe { MaybeUninit::zeroed().assume_init() }
    };

    const fn vtable_ptr() -> *const bindings::configfs_item_operations {
        &Self::VTABLE
    }
}

/// What a directory does on `mkdir` and `rmdir` in it: implemented by the
/// data of a [`Subsystem`] or [`Group`] that has subdirectories.
#[vtable]
pub trait GroupOperations {
    /// The data of the subdirectories.
    type Child: 'static;

    /// `mkdir name` in this directory: the initialiser of the new group,
    /// or an error that fails the `mkdir`.
    fn make_group(&self, name: &CStr) -> Result<impl PinInit<Group<Self::Child>, Error>>;

    /// `rmdir` of `_child`, before configfs drops its reference to it.
    /// (Named after the C operation; unrelated to Rust's `Drop`.)
    fn drop_item(&self, _child: ArcBorrow<'_, Group<Self::Child>>) {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// A file of a configfs directory, served by `O`'s
/// [`AttributeOperations<ID>`] over the directory's `Data`.
#[repr(transparent)]
pub struct Attribute<const ID: u64, O, Data> {
    attribute: Opaque<bindings::configfs_attribute>,
    _p: PhantomData<(O, Data)>,
}

// SAFETY: `Attribute` has no methods that use the C structure, which is
// only read after construction.
unsafe impl<const ID: u64, O, Data> Sync for Attribute<ID, O, Data> {}

// SAFETY: it holds only a name and function pointers.
unsafe impl<const ID: u64, O, Data> Send for Attribute<ID, O, Data> {}

impl<const ID: u64, O, Data> Attribute<ID, O, Data>
where
    O: AttributeOperations<ID, Data = Data>,
{
    /// `read` of the file: `O::show` into configfs's page.
    ///
    /// # Safety
    ///
    /// `item` is the item of a directory whose data is a `Data` (see
    /// [`group_data`]); `page` is writable for [`PAGE_SIZE`] bytes.
    unsafe extern "C" fn show(item: *mut bindings::config_item, page: *mut c_char) -> isize {
        // SAFETY: `item` is the `cg_item` of a group (caller).
        let group = unsafe { container_of!(item, bindings::config_group, cg_item) };
        // SAFETY: the group's data is a `Data`, alive during the call.
        let data: &Data = unsafe { group_data(group) };
        // SAFETY: `page` is a page of configfs's, ours during the call.
        let page = unsafe { &mut *page.cast::<[u8; PAGE_SIZE]>() };
        match O::show(data, page) {
            Ok(len) => len.min(PAGE_SIZE) as isize,
            Err(err) => err.to_errno() as isize,
        }
    }

    /// `write` of the file: `O::store` of the `size` bytes at `page`.
    ///
    /// # Safety
    ///
    /// `item` is as for `show`; `page` is readable for `size` bytes.
    unsafe extern "C" fn store(item: *mut bindings::config_item, page: *const c_char, size: usize) -> isize {
        // SAFETY: `item` is the `cg_item` of a group (caller).
        let group = unsafe { container_of!(item, bindings::config_group, cg_item) };
        // SAFETY: the group's data is a `Data`, alive during the call.
        let data: &Data = unsafe { group_data(group) };
        // SAFETY: `size` readable bytes, unchanged during the call.
        let bytes = unsafe { core::slice::from_raw_parts(page.cast::<u8>(), size) };
        match O::store(data, bytes) {
            Ok(()) => size as isize,
            Err(err) => err.to_errno() as isize,
        }
    }

    /// The attribute `name` (a file readable and writable by owner and
    /// group; writes fail unless `O` implements `store`).
    pub const fn new(name: &'static CStr) -> Self {
        // SAFETY: all zeroes is a valid attribute: no name, owner or
        // operations yet.
        let mut attr: bindings::configfs_attribute = unsafe { MaybeUninit::zeroed().assume_init() };
        attr.ca_name = crate::str::as_char_ptr_in_const_context(name);
        attr.ca_mode = 0o660;
        attr.show = Some(Self::show);
        if O::HAS_STORE {
            attr.store = Some(Self::store);
        }
        Self {
            attribute: Opaque::new(attr),
            _p: PhantomData,
        }
    }
}

/// The `show` and `store` of attribute number `ID` of directories whose
/// data is `Self::Data`. Implement it on the data type, once per
/// attribute number given to [`configfs_attrs!`].
#[vtable]
pub trait AttributeOperations<const ID: u64 = 0> {
    /// The data of the directory the attribute is in.
    type Data;

    /// Writes the file's contents into `page`; returns their length.
    fn show(data: &Self::Data, page: &mut [u8; PAGE_SIZE]) -> Result<usize>;

    /// Takes `_page`, what was written to the file (at most a page).
    fn store(_data: &Self::Data, _page: &[u8]) -> Result {
        build_error!(VTABLE_DEFAULT_ERROR)
    }
}

/// The NULL-terminated array of attribute pointers of an [`ItemType`],
/// `N - 1` attributes and the NULL. Made by [`configfs_attrs!`] only.
#[repr(transparent)]
pub struct AttributeList<const N: usize, Data>(
    /// Pointers to `Attribute`s (`void *` for C's `configfs_attribute **`).
    UnsafeCell<[*mut crate::ffi::c_void; N]>,
    PhantomData<Data>,
);

// SAFETY: it only holds pointers to static attributes.
unsafe impl<const N: usize, Data> Send for AttributeList<N, Data> {}

// SAFETY: after `configfs_attrs!` fills it, it is only read; the macro's
// writes store the same values each time.
unsafe impl<const N: usize, Data> Sync for AttributeList<N, Data> {}

/// Fails the build when `I` is not a free slot of a list of `N`.
struct AttributeIndex<const I: usize, const N: usize>;

impl<const I: usize, const N: usize> AttributeIndex<I, N> {
    const CHECK: () = assert!(I + 1 < N, "configfs: attribute index out of the list");
}

impl<const N: usize, Data> AttributeList<N, Data> {
    /// An empty list.
    ///
    /// # Safety
    ///
    /// For [`configfs_attrs!`] only.
    #[doc(hidden)]
    pub const unsafe fn new() -> Self {
        Self(UnsafeCell::new([ptr::null_mut(); N]), PhantomData)
    }

    /// Puts `attribute` in slot `I`.
    ///
    /// # Safety
    ///
    /// For [`configfs_attrs!`] only: nothing else accesses the list
    /// meanwhile.
    #[doc(hidden)]
    pub const unsafe fn add<const I: usize, const ID: u64, O>(
        &'static self,
        attribute: &'static Attribute<ID, O, Data>,
    ) where
        O: AttributeOperations<ID, Data = Data>,
    {
        #[allow(clippy::let_unit_value)]
        let () = AttributeIndex::<I, N>::CHECK;
        // SAFETY: no other access to the list (caller); `I < N`, checked above.
        unsafe { (*self.0.get())[I] = ptr::from_ref(attribute).cast_mut().cast() };
    }
}

/// The C `config_item_type` of the directories of a `Container`
/// ([`Subsystem`] or [`Group`]) over `Data`: owner module, operations and
/// attributes. Made by [`configfs_attrs!`].
#[pin_data]
pub struct ItemType<Container, Data> {
    #[pin]
    item_type: Opaque<bindings::config_item_type>,
    _p: PhantomData<(Container, Data)>,
}

// SAFETY: it is only read after construction.
unsafe impl<Container, Data> Sync for ItemType<Container, Data> {}

// SAFETY: it holds only pointers to static data.
unsafe impl<Container, Data> Send for ItemType<Container, Data> {}

/// `*const T` or `*mut T`: C declares the operation pointers of
/// `config_item_type` const from 7.x on, non-const before.
///
/// # Safety
///
/// Implemented only for the two raw pointer types of `T`.
unsafe trait PtrTo<T>: Copy {}

// SAFETY: a raw pointer to `T`.
unsafe impl<T> PtrTo<T> for *const T {}
// SAFETY: a raw pointer to `T`.
unsafe impl<T> PtrTo<T> for *mut T {}

/// Reinterprets one raw pointer type as another.
#[repr(C)]
union PtrCast<T, P: Copy> {
    from: *const T,
    to: P,
}

/// `p` as the pointer type `P` of `T` the field it is stored in has.
const fn ops_ptr<T, P: PtrTo<T>>(p: *const T) -> P {
    // SAFETY: `P` is `*const T` or `*mut T` (`PtrTo`), of the same
    // representation as `p`.
    unsafe { PtrCast { from: p }.to }
}

/// A `config_item_type` with `owner`, `attrs` and the given operations.
const fn raw_item_type<const N: usize, Data>(
    owner: &'static ThisModule,
    attributes: &'static AttributeList<N, Data>,
    item_ops: *const bindings::configfs_item_operations,
    group_ops: *const bindings::configfs_group_operations,
) -> bindings::config_item_type {
    // SAFETY: all zeroes is a valid `config_item_type` (NULL pointers).
    let mut t: bindings::config_item_type = unsafe { MaybeUninit::zeroed().assume_init() };
    t.ct_owner = owner.as_ptr();
    t.ct_item_ops = ops_ptr(item_ops);
    t.ct_group_ops = ops_ptr(group_ops);
    t.ct_attrs = ptr::from_ref(attributes).cast_mut().cast();
    t
}

macro_rules! impl_item_type {
    ($container:ty) => {
        impl<Data> ItemType<$container, Data> {
            /// The type of directories with subdirectories of `Child`s.
            #[doc(hidden)]
            pub const fn new_with_child_ctor<const N: usize, Child>(
                owner: &'static ThisModule,
                attributes: &'static AttributeList<N, Data>,
            ) -> Self
            where
                Data: GroupOperations<Child = Child>,
                Child: 'static,
            {
                let t = raw_item_type(
                    owner,
                    attributes,
                    ItemOperationsVTable::<$container, Data>::vtable_ptr(),
                    GroupOperationsVTable::<Data, Child>::vtable_ptr(),
                );
                Self {
                    item_type: Opaque::new(t),
                    _p: PhantomData,
                }
            }

            /// The type of directories without subdirectories.
            #[doc(hidden)]
            pub const fn new<const N: usize>(
                owner: &'static ThisModule,
                attributes: &'static AttributeList<N, Data>,
            ) -> Self {
                let t = raw_item_type(
                    owner,
                    attributes,
                    ItemOperationsVTable::<$container, Data>::vtable_ptr(),
                    ptr::null(),
                );
                Self {
                    item_type: Opaque::new(t),
                    _p: PhantomData,
                }
            }
        }
    };
}

impl_item_type!(Subsystem<Data>);
impl_item_type!(Group<Data>);

impl<Container, Data> ItemType<Container, Data> {
    fn as_ptr(&self) -> *const bindings::config_item_type {
        self.item_type.get()
    }
}

/// The `&'static` [`ItemType`] of a directory: its container type
/// ([`Subsystem`] or [`Group`]), its data type, optionally the data type
/// of its subdirectories (the data then implements [`GroupOperations`]),
/// and its files, each `name: ID`, served by the data's
/// [`AttributeOperations<ID>`].
///
/// ```ignore
/// let item_type = configfs_attrs! {
///     container: configfs::Subsystem<Settings>,
///     data: Settings,
///     child: Entry,
///     attributes: [
///         limit: 0,
///         label: 1,
///     ],
/// };
/// ```
///
/// It makes statics named after the data type and attribute names
/// (`SETTINGS_LIMIT_ATTR`, `SETTINGS_ATTRS`, `SETTINGS_TPE`), so use it
/// once per data type in a scope.
#[allow(clippy::crate_in_macro_def)]
#[macro_export]
macro_rules! configfs_attrs {
    (
        container: $container:ty,
        data: $data:ty,
        attributes: [ $($name:ident: $id:literal),* $(,)? ] $(,)?
    ) => {
        $crate::configfs_attrs!(@number $container, $data, [], [$($name $id)*], [], 0usize)
    };
    (
        container: $container:ty,
        data: $data:ty,
        child: $child:ty,
        attributes: [ $($name:ident: $id:literal),* $(,)? ] $(,)?
    ) => {
        $crate::configfs_attrs!(@number $container, $data, [$child], [$($name $id)*], [], 0usize)
    };
    // Gives each attribute its slot in the list: `(slot name id)`.
    (@number $container:ty, $data:ty, [$($child:ty)?],
        [$name:ident $id:literal $($rest:tt)*], [$($done:tt)*], $slot:expr) => {
        $crate::configfs_attrs!(@number $container, $data, [$($child)?],
            [$($rest)*], [$($done)* ($slot, $name, $id)], $slot + 1usize)
    };
    (@number $container:ty, $data:ty, [$($child:ty)?],
        [], [$(($slot:expr, $name:ident, $id:literal))*], $count:expr) => {
        $crate::macros::paste! {{
            $(
                static [< $data:upper _ $name:upper _ATTR >]:
                    $crate::configfs::Attribute<$id, $data, $data> =
                    $crate::configfs::Attribute::new($crate::c_str!(::core::stringify!($name)));
            )*

            // The attributes and the terminating NULL.
            const N: usize = $count + 1usize;

            // SAFETY: the list is filled just below, by this macro only.
            static [< $data:upper _ATTRS >]: $crate::configfs::AttributeList<N, $data> =
                unsafe { $crate::configfs::AttributeList::new() };

            $({
                const SLOT: usize = $slot;
                // SAFETY: the list's name is private to this expansion, and
                // the macro writes each slot with the same value every time
                // it runs.
                unsafe {
                    [< $data:upper _ATTRS >].add::<SLOT, $id, _>(&[< $data:upper _ $name:upper _ATTR >])
                };
            })*

            static [< $data:upper _TPE >]: $crate::configfs::ItemType<$container, $data> =
                $crate::configfs_attrs!(@item_type $container, $data, [$($child)?],
                    &[< $data:upper _ATTRS >]);

            &[< $data:upper _TPE >]
        }}
    };
    (@item_type $container:ty, $data:ty, [], $attrs:expr) => {
        $crate::configfs::ItemType::<$container, $data>::new::<N>(
            $crate::module::this_module::<crate::LocalModule>(),
            $attrs,
        )
    };
    (@item_type $container:ty, $data:ty, [$child:ty], $attrs:expr) => {
        $crate::configfs::ItemType::<$container, $data>::new_with_child_ctor::<N, $child>(
            $crate::module::this_module::<crate::LocalModule>(),
            $attrs,
        )
    };
}

pub use crate::configfs_attrs;
