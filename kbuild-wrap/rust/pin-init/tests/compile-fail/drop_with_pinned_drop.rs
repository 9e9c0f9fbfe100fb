// error: conflicting implementations of trait `Drop` for type `Holder`
// A #[pin_data(PinnedDrop)] struct gets its Drop from PinnedDrop; its own
// Drop (with &mut self, able to move the fields) must be rejected.
use core::{marker::PhantomPinned, pin::Pin};
use pin_init::{pin_data, pinned_drop};

#[pin_data(PinnedDrop)]
pub struct Holder {
    #[pin]
    pinned: PhantomPinned,
}

#[pinned_drop]
impl PinnedDrop for Holder {
    fn drop(self: Pin<&mut Self>) {}
}

impl Drop for Holder {
    fn drop(&mut self) {}
}
