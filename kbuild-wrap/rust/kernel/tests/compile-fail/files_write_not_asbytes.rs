// error: AsBytes` is not satisfied
// write::<T> copies T's bytes to user space: a type with padding (or
// pointers) would leak kernel memory, so only AsBytes types are written.
use kernel::prelude::*;
use kernel::uaccess::UserSliceWriter;

pub struct Padded {
    pub a: u8,
    pub b: u32,
}

pub fn write_padded(writer: &mut UserSliceWriter, v: &Padded) -> Result {
    writer.write(v)
}
