// error: `PhantomPinned` cannot be unpinned
// project() gives a #[pin] field only as Pin<&mut _>: it cannot be moved
// out (swapped) when its type is !Unpin.
use core::{marker::PhantomPinned, pin::Pin};
use pin_init::pin_data;

#[pin_data]
pub struct Holder {
    #[pin]
    pinned: PhantomPinned,
    free: u32,
}

pub fn steal(a: Pin<&mut Holder>, b: Pin<&mut Holder>) {
    let a = a.project();
    let b = b.project();
    *a.free = *b.free;
    core::mem::swap(a.pinned.get_mut(), b.pinned.get_mut());
}
