// error: borrowed data escapes
// A ScopedDir handle lives only inside the scope's init closure.
use kernel::debugfs::{Dir, Scope, ScopedDir};

pub fn scope_of<'a>(
    dir: &'a Dir,
    keep: &'a mut Option<&'static ScopedDir<'static, 'static>>,
) -> impl PinInit<Scope<u32>> + 'a {
    dir.scope(1u32, c"scope", move |_data, d| {
        *keep = Some(d);
    })
}
