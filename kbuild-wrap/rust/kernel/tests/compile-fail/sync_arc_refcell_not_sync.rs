// error: cannot be shared between threads safely
// An `Arc` shares its value between threads, so an `Arc` of a `RefCell`
// (unsynchronised interior mutability) is not `Sync`.
use core::cell::RefCell;
use kernel::sync::Arc;

fn needs_sync<T: Sync>(_: &T) {}

pub fn share(a: &Arc<RefCell<u32>>) {
    needs_sync(a);
}
