// error: call to unsafe function
// Only the generated Drop may call PinnedDrop::drop: the token it needs
// cannot be made in safe code.
use core::{marker::PhantomPinned, pin::Pin};
use pin_init::{pin_data, pinned_drop, PinnedDrop};

#[pin_data(PinnedDrop)]
pub struct Holder {
    #[pin]
    pinned: PhantomPinned,
}

#[pinned_drop]
impl PinnedDrop for Holder {
    fn drop(self: Pin<&mut Self>) {}
}

pub fn early(h: Pin<&mut Holder>) {
    PinnedDrop::drop(h, pin_init::__internal::OnlyCallFromDrop::new());
}
