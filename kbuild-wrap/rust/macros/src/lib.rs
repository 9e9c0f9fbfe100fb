//! Procedural macros of the `kernel` crate.
