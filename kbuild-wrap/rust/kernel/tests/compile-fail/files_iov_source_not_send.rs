// error: cannot be sent between threads safely
// An I/O vector may map memory for the current thread only: it must not
// move to another thread.
use kernel::iov::IovIterSource;

fn needs_send<T: Send>(_: T) {}

pub fn hand_over(iov: &'static mut IovIterSource<'static>) {
    needs_send(iov);
}
