// error: conflicting implementations of trait `Unpin` for type `Holder`
// #[pin_data] provides Unpin itself; a manual impl would unpin the fields.
use core::marker::PhantomPinned;
use pin_init::pin_data;

#[pin_data]
pub struct Holder {
    #[pin]
    pinned: PhantomPinned,
}

impl Unpin for Holder {}
