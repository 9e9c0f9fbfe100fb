// error: mismatched types
// container_of! checks that the pointer has the named field's type.
pub struct Pair {
    pub a: u32,
    pub b: u64,
}

pub fn pair_of(a: *const u32) -> *const Pair {
    // SAFETY: never called; only the types matter here.
    unsafe { kernel::container_of!(a, Pair, b) }
}
