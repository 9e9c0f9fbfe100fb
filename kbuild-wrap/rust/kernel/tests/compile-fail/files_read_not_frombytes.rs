// error: FromBytes` is not satisfied
// read::<T> fills T from arbitrary user bytes: only types valid for every
// bit pattern (FromBytes) may be read; a reference is not one.
use kernel::prelude::*;
use kernel::uaccess::UserSliceReader;

pub fn read_ref(reader: &mut UserSliceReader) -> Result<&'static u32> {
    reader.read::<&'static u32>()
}
