// error: use of moved value: `reader`
// read_all consumes the reader: the bytes it read cannot be read again
// through it (no double fetch of user memory).
use kernel::prelude::*;
use kernel::uaccess::UserSliceReader;

pub fn read_twice(reader: UserSliceReader, buf: &mut KVec<u8>) -> Result<u32> {
    reader.read_all(buf, GFP_KERNEL)?;
    let mut reader = reader;
    reader.read::<u32>()
}
