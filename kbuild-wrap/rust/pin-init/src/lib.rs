//! In-place initialisation of pinned values.
#![no_std]
