// error: cannot be sent between threads safely
// A lock hands its data to whichever thread takes it, so `Mutex<T>` is
// `Sync` only when `T` is `Send`; a raw pointer is not.
use kernel::sync::Mutex;

fn needs_sync<T: Sync>() {}

pub fn check() {
    needs_sync::<Mutex<*mut u8>>();
}
