// error: conflicting implementations of trait `PinDataStructMustNotImplementDrop`
// A #[pin_data] struct may not implement Drop: &mut self could move the
// pinned fields. PinnedDrop is the way.
use core::marker::PhantomPinned;
use pin_init::pin_data;

#[pin_data]
pub struct Holder {
    #[pin]
    pinned: PhantomPinned,
}

impl Drop for Holder {
    fn drop(&mut self) {}
}
