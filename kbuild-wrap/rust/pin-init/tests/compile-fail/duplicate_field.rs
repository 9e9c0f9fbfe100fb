// error: field `a` specified more than once
// A field initialised twice would leak (or double-drop) the first value.
use pin_init::{init, Init};

pub struct Two {
    pub a: String,
    pub b: u32,
}

pub fn make() -> impl Init<Two> {
    init!(Two { a: String::new(), a: String::new(), b: 2 })
}
