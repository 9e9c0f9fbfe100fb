// error: missing field `b`
// Every field must be initialised (there is no zeroing trailer).
use pin_init::{pin_data, pin_init, PinInit};

#[pin_data]
pub struct Two {
    a: u32,
    b: u32,
}

pub fn make() -> impl PinInit<Two> {
    pin_init!(Two { a: 1 })
}
