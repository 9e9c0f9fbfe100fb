//! The one hand-written C helper (`helpers/kelfix_rt.c`); every other
//! kernel interface is generated: see [`crate::bindings`].

extern "C" {
    /// `BUG()`: a macro around `ud2` plus a `__bug_table` entry written by
    /// inline assembly, so neither Rust nor a generated wrapper can call it;
    /// the C helper expands it with the kernel's own compiler.
    pub fn kelfix_rt_bug() -> !;
}
