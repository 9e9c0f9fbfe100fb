// error: does not live long enough
// A file in a debugfs scope must not borrow data that dies before the
// scope: only the scope's own data (or longer-lived data) fits 'data.
use kernel::debugfs::{Dir, Scope};

pub fn scope_of(dir: &Dir) -> impl PinInit<Scope<u32>> + '_ {
    dir.scope(1u32, c"scope", |_data, d| {
        let local = 5u32;
        d.read_only_file(c"local", &local);
    })
}
