// error: `PhantomPinned` cannot be unpinned
// A #[pin_data] struct with a !Unpin #[pin] field is !Unpin itself, so a
// pinned box of it cannot be unwrapped (and its value moved).
use core::{marker::PhantomPinned, pin::Pin};
use pin_init::pin_data;

#[pin_data]
pub struct Holder {
    #[pin]
    pinned: PhantomPinned,
}

pub fn unwrap(b: Pin<Box<Holder>>) -> Box<Holder> {
    Pin::into_inner(b)
}
