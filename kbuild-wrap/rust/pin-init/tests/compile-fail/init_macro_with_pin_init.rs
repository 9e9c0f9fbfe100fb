// error: is not implemented for `impl PinInit<SelfLinked>`
// init! makes a movable value: none of its fields may take a PinInit.
use core::marker::PhantomPinned;
use pin_init::{init, pin_data, pin_init, Init, PinInit};

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

pub struct Plain {
    pub link: SelfLinked,
}

pub fn make() -> impl Init<Plain> {
    init!(Plain { link <- SelfLinked::new() })
}
