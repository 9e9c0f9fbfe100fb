// error: cannot be sent between threads safely
// A mutex guard must stay on the thread that took the lock: the kernel's
// mutex is released by its owner only.
use kernel::sync::{Mutex, MutexGuard};

fn needs_send<T: Send>(_: T) {}

pub fn hand_over(m: &Mutex<u32>) {
    let guard: MutexGuard<'_, u32> = m.lock();
    needs_send(guard);
}
