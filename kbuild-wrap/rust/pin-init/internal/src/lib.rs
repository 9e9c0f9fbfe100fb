//! Procedural macros of the `pin_init` crate.
