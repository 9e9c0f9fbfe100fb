// error: cannot be sent between threads safely
// A SeqFile is the output of one show callback on one thread.
fn needs_send<T: Send>() {}

pub fn check() {
    needs_send::<kernel::seq_file::SeqFile>();
}
