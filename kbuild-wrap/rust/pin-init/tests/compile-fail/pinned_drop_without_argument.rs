// error: conflicting implementations of trait `PinnedDropNeedsPinDataPinnedDropArgument`
// A PinnedDrop impl for a struct without #[pin_data(PinnedDrop)] would
// never run.
use core::{marker::PhantomPinned, pin::Pin};
use pin_init::{pin_data, pinned_drop};

#[pin_data]
pub struct Holder {
    #[pin]
    pinned: PhantomPinned,
}

#[pinned_drop]
impl PinnedDrop for Holder {
    fn drop(self: Pin<&mut Self>) {}
}
