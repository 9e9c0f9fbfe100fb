// error: expected `SelfLinked`, found opaque type
// `field: value` moves a finished value in; a type that exists only through
// an in-place initialiser (it points at itself) cannot be given that way.
use core::marker::PhantomPinned;
use pin_init::{pin_data, pin_init, PinInit};

#[pin_data]
pub struct SelfLinked {
    me: *const SelfLinked,
    #[pin]
    _pin: PhantomPinned,
}

impl SelfLinked {
    pub fn new() -> impl PinInit<Self> {
        pin_init!(&this in Self { me: this.as_ptr(), _pin: PhantomPinned })
    }
}

#[pin_data]
pub struct Holder {
    #[pin]
    link: SelfLinked,
}

pub fn make() -> impl PinInit<Holder> {
    pin_init!(Holder { link: SelfLinked::new() })
}
