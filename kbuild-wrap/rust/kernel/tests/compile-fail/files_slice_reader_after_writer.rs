// error: use of moved value: `slice`
// A UserSlice becomes a reader, a writer, or both at once
// (reader_writer), never one after the other.
use kernel::uaccess::{UserPtr, UserSlice, UserSliceReader, UserSliceWriter};

pub fn split(addr: usize) -> (UserSliceWriter, UserSliceReader) {
    let slice = UserSlice::new(UserPtr::from_addr(addr), 4);
    let writer = slice.writer();
    (writer, slice.reader())
}
