// error: the trait bound `&'static u8: Zeroable` is not satisfied
// A reference is never null, so a struct holding one is not Zeroable.
use pin_init::Zeroable;

#[derive(Zeroable)]
pub struct WithRef {
    pub count: u32,
    pub name: &'static u8,
}
