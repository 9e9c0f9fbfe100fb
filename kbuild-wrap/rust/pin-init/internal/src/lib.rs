// SPDX-License-Identifier: GPL-2.0-only
//! Procedural macros of the `pin_init` crate, which documents and
//! re-exports them. They parse `proc_macro` tokens by hand (no `syn` or
//! `quote`) and expand to paths under `::pin_init`, so the crate using them
//! must depend on `pin_init`.

mod init;
mod item;
mod pin_data;
mod pinned_drop;
mod tokens;
mod zeroable;

use proc_macro::TokenStream;

/// Turns a macro's result into its output.
fn finish(result: tokens::Result<TokenStream>) -> TokenStream {
    result.unwrap_or_else(tokens::Error::into_stream)
}

/// See `pin_init::pin_data`.
#[proc_macro_attribute]
pub fn pin_data(args: TokenStream, input: TokenStream) -> TokenStream {
    finish(pin_data::pin_data(args, input))
}

/// See `pin_init::pinned_drop`.
#[proc_macro_attribute]
pub fn pinned_drop(args: TokenStream, input: TokenStream) -> TokenStream {
    finish(pinned_drop::pinned_drop(args, input))
}

/// See `pin_init::Zeroable`.
#[proc_macro_derive(Zeroable)]
pub fn derive_zeroable(input: TokenStream) -> TokenStream {
    finish(zeroable::derive(input))
}

/// See `pin_init::MaybeZeroable`.
#[proc_macro_derive(MaybeZeroable)]
pub fn derive_maybe_zeroable(input: TokenStream) -> TokenStream {
    finish(zeroable::maybe_derive(input))
}

/// See `pin_init::pin_init`.
#[proc_macro]
pub fn pin_init(input: TokenStream) -> TokenStream {
    finish(init::expand(input, init::Kind::Pinned))
}

/// See `pin_init::init`.
#[proc_macro]
pub fn init(input: TokenStream) -> TokenStream {
    finish(init::expand(input, init::Kind::Unpinned))
}
