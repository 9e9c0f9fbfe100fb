// error: cannot be shared between threads safely
// A LocalFile may have an unlocked fdget_pos on this thread: it must not
// be shared with other threads (a File may).
use kernel::fs::LocalFile;

fn needs_sync<T: Sync>() {}

pub fn share() {
    needs_sync::<LocalFile>();
}
