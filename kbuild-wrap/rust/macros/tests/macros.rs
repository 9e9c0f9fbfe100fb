// SPDX-License-Identifier: GPL-2.0-only
//! `#[vtable]`, `fmt!`, `paste!` and `concat_idents!` used as a module
//! would use them, on the host.

// `#[vtable]` traits name `::kernel::ModuleMetadata` and impls
// `crate::LocalModule` (which `module!` defines): a stand-in for both.
extern crate self as kernel;

/// What `kernel::ModuleMetadata` is to `#[vtable]`: a trait bound.
pub trait ModuleMetadata {}

/// What `kernel::fmt` is to `fmt!`: an `Adapter` whose `{}` shows that it
/// was used.
pub mod fmt {
    pub struct Adapter<T>(pub T);

    impl<T: core::fmt::Display> core::fmt::Display for Adapter<&T> {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            write!(f, "[{}]", self.0)
        }
    }
}

struct LocalModule;
impl ModuleMetadata for LocalModule {}

use macros::{concat_idents, fmt, paste, vtable};

#[vtable]
trait Operations {
    fn open(&self) -> u32;

    fn read(&self) -> u32 {
        0
    }

    #[cfg(any())]
    fn never_compiled(&self);

    fn r#type(&self) {}

    unsafe extern "C" fn flags() -> u32
    where
        Self: Sized,
    {
        0
    }
}

struct Minimal;

#[vtable]
impl Operations for Minimal {
    fn open(&self) -> u32 {
        1
    }
}

struct Full;

#[vtable]
impl Operations for Full {
    fn open(&self) -> u32 {
        2
    }

    fn read(&self) -> u32 {
        3
    }

    fn r#type(&self) {}

    unsafe extern "C" fn flags() -> u32 {
        4
    }
}

/// A trait that names its owner itself.
#[vtable]
trait Owned {
    type OwnerModule: ModuleMetadata;
    fn f();
}

struct OtherOwner;
impl ModuleMetadata for OtherOwner {}

#[vtable]
impl Owned for Minimal {
    type OwnerModule = OtherOwner;
    const HAS_F: bool = false; // an explicit value wins
    fn f() {}
}

fn owner_is<M: ModuleMetadata, T: Operations<OwnerModule = M>>() {}

#[test]
fn vtable_has_constants() {
    let has = |open, read, r#type, flags| [open, read, r#type, flags];
    assert_eq!(
        has(
            Minimal::HAS_OPEN,
            Minimal::HAS_READ,
            Minimal::HAS_TYPE,
            Minimal::HAS_FLAGS
        ),
        [true, false, false, false]
    );
    assert_eq!(
        has(
            Full::HAS_OPEN,
            Full::HAS_READ,
            Full::HAS_TYPE,
            Full::HAS_FLAGS
        ),
        [true; 4]
    );
    assert_eq!((Minimal.open(), Minimal.read(), Full.read()), (1, 0, 3));
    Full.r#type();
    // SAFETY: `flags` has no requirement.
    assert_eq!(unsafe { <Full as Operations>::flags() }, 4);
    let () = <Full as Operations>::USE_VTABLE_ATTR;
    owner_is::<LocalModule, Minimal>();
    assert_eq!([<Minimal as Owned>::HAS_F], [false]);
}

#[test]
fn fmt_adapts_every_argument() {
    let x = 7;
    let (a, b) = (1, 1);
    let text = std::fmt::format(fmt!("{} {x} {y} {0} {{x}} {}", a == b, 3, y = 2));
    assert_eq!(text, "[true] [7] [2] [true] {x} [3]");
    assert_eq!(std::fmt::format(fmt!(concat!("{}", "!"), 5)), "5!");
}

macro_rules! getter {
    ($field:ident, $n:literal) => {
        paste! {
            fn [<get_ $field:lower _ $n>]() -> u32 { $n }
            const [<$field:upper "_NAME">]: &str = "x";
        }
    };
}

getter!(Speed, 5);

#[test]
fn paste_joins_segments() {
    assert_eq!(get_speed_5(), 5);
    assert_eq!(SPEED_NAME, "x");
    paste! {
        let [<a b>] = 1;
        let [<r#c _d>] = ([<a b>], 2);
    }
    assert_eq!(c_d, (1, 2));
}

#[test]
fn concat_idents_joins_two() {
    let concat_idents!(my_, value) = 3;
    assert_eq!(my_value, 3);
}
