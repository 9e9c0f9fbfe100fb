// SPDX-License-Identifier: GPL-2.0-only
//! Procedural macros of the `kernel` crate: [`module!`], [`#[vtable]`](vtable),
//! [`fmt!`], [`paste!`] and [`concat_idents!`], with the interface of the
//! upstream `macros` crate (Linux 7.3).
//!
//! The input is read straight from the compiler's token trees (no `syn`);
//! what the macros generate is written as source text and parsed back.

mod fmt;
mod module;
mod paste;
mod tokens;
mod vtable;

use proc_macro::TokenStream;

/// Declares a kernel module: its type, `.modinfo` entries, parameters, and
/// the entry points the kernel calls at load and unload time.
///
/// ```ignore
/// use kernel::prelude::*;
///
/// module! {
///     type: MyModule,                 // implements kernel::InPlaceModule
///     name: "my_module",
///     authors: ["A. Hacker"],         // optional (also `author: ".."`)
///     description: "Says hello",      // optional
///     license: "GPL",
///     alias: ["devname:mine"],        // optional
///     firmware: ["mine.bin"],         // optional
///     imports_ns: ["SOME_NS"],        // optional
///     params: {                       // optional
///         verbose: bool {
///             default: false,
///             description: "Log more",
///         },
///     },
/// }
/// ```
///
/// The keys go in this order; `type`, `name` and `license` are required.
/// Parameters have the types `i8` to `i64`, `u8` to `u64`, `isize`,
/// `usize` or `bool`; the module reads them as
/// `module_parameters::NAME.value()`. They are set at load time
/// (`insmod my_module.ko verbose=1`) and do not appear in sysfs.
///
/// When loaded (with `--cfg MODULE`, as kelfix builds modules), the type's
/// [`InPlaceModule::init`] builds the module's value in static storage; an
/// error fails the load with its errno. At unload time the value is
/// dropped. The macro also defines, where it is invoked, `LocalModule` (the
/// module's type, with `kernel::ModuleMetadata` implemented),
/// `__LOG_PREFIX` (`name`, for the printing macros) and the
/// `module_parameters` module.
///
/// [`InPlaceModule::init`]: ../kernel/trait.InPlaceModule.html
#[proc_macro]
pub fn module(input: TokenStream) -> TokenStream {
    module::module(input)
}

/// Marks a trait whose implementations fill a C operations table, and its
/// implementations.
///
/// On the trait, every method `foo` gets a constant `HAS_FOO: bool`, false
/// by default; on an `impl` block the methods it defines set theirs to
/// true, so the C table can leave out what an implementation does not
/// provide. The trait also gets `const USE_VTABLE_ATTR: ()` (an impl
/// without `#[vtable]` then fails to compile) and, unless it has one,
/// `type OwnerModule: kernel::ModuleMetadata`, which impls set to
/// `crate::LocalModule` (defined by [`module!`]) unless they set it.
///
/// ```ignore
/// #[vtable]
/// pub trait Operations {
///     fn open() -> Result;
///     fn ioctl(cmd: u32) -> Result { Err(ENOTTY) }
/// }
///
/// #[vtable]
/// impl Operations for MyDevice {
///     fn open() -> Result { Ok(()) }
/// }
///
/// assert!(!<MyDevice as Operations>::HAS_IOCTL);
/// ```
#[proc_macro_attribute]
pub fn vtable(attr: TokenStream, input: TokenStream) -> TokenStream {
    vtable::vtable(attr, input)
}

/// Formatting arguments for the printing macros: [`core::format_args!`]
/// with every argument wrapped in `kernel::fmt::Adapter`, so that the
/// kernel crate's formatting traits decide how values print.
///
/// Arguments captured from the format string (`{x}`) are wrapped too. A
/// format string that is not a string literal is passed on unchanged.
///
/// ```ignore
/// let args = fmt!("{} + {x} = {sum}", 1, x = 2, sum = 3);
/// ```
#[proc_macro]
pub fn fmt(input: TokenStream) -> TokenStream {
    fmt::fmt(input)
}

/// Joins two identifiers into one: `concat_idents!(foo, bar)` is `foobar`.
///
/// ```ignore
/// let concat_idents!(my_, value) = 1;
/// assert_eq!(my_value, 1);
/// ```
#[proc_macro]
pub fn concat_idents(input: TokenStream) -> TokenStream {
    paste::concat_idents(input)
}

/// Replaces every `[< .. >]` in its input by one identifier, made by joining
/// the identifiers and literals inside (string literals without quotes).
///
/// A segment followed by `:lower` or `:upper` is converted to that case;
/// `:span` makes the new identifier take that segment's span (by default it
/// has the span of the `[< .. >]` group).
///
/// ```ignore
/// paste! {
///     fn [<get_ $field:lower>]() -> u32 { 0 }
/// }
/// ```
#[proc_macro]
pub fn paste(input: TokenStream) -> TokenStream {
    paste::paste(input)
}
