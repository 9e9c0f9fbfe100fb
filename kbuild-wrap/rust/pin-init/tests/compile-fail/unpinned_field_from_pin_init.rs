// error: is not implemented for `impl PinInit<SelfLinked>`
// A field without #[pin] can be moved out later (project() gives &mut), so
// it must not be initialised by an initialiser that relies on pinning.
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
    link: SelfLinked,
}

pub fn make() -> impl PinInit<Holder> {
    pin_init!(Holder { link <- SelfLinked::new() })
}
