// SPDX-License-Identifier: GPL-2.0-only
//! `#[derive(Zeroable)]` and `#[derive(MaybeZeroable)]`.

use crate::item::ItemDef;
use crate::tokens::{quote, stream, Error, Result};
use proc_macro::TokenStream;

const BOUND: &str = "::pin_init::Zeroable";

fn parse_item(input: TokenStream) -> Result<ItemDef> {
    let mut item = ItemDef::parse(input)?;
    if item.keyword.to_string() == "enum" {
        return Err(Error::new(
            item.keyword.span(),
            "`Zeroable` cannot be derived for an enum",
        ));
    }
    item.replace_self();
    Ok(item)
}

/// `unsafe impl Zeroable`, with a check that every field type is
/// `Zeroable` (each type parameter gets the bound).
pub(crate) fn derive(input: TokenStream) -> Result<TokenStream> {
    let item = parse_item(input)?;
    let mut checks = TokenStream::new();
    for field in item.fields() {
        checks.extend(quote(
            "__assert_zeroable::<$ty>();",
            &[("ty", &stream(&field.ty))],
        ));
    }
    let impl_params = item.generics.impl_params_bounded(BOUND);
    Ok(quote(
        "// SAFETY: every field is `Zeroable` (checked below), and padding
        // may be zero.
        #[automatically_derived]
        unsafe impl $impl ::pin_init::Zeroable for $self_ty $whr {}

        const _: () = {
            fn __assert_zeroable<T: ?::core::marker::Sized + ::pin_init::Zeroable>() {}
            #[allow(dead_code)]
            fn __every_field_is_zeroable $impl () $whr {
                $checks
            }
        };",
        &[
            ("impl", &impl_params),
            ("self_ty", &item.self_ty()),
            ("whr", &item.where_clause(None)),
            ("checks", &checks),
        ],
    ))
}

/// `unsafe impl Zeroable` under the condition that every field type is
/// `Zeroable`.
pub(crate) fn maybe_derive(input: TokenStream) -> Result<TokenStream> {
    let mut item = parse_item(input)?;
    let mut preds = stream(&item.where_preds);
    for field in item.fields() {
        if !preds.is_empty() {
            preds.extend(crate::tokens::parse(","));
        }
        // The `for<'__dummy>` makes the bound non-trivial, so a field type
        // that is never `Zeroable` gives no impl instead of an error.
        preds.extend(quote(
            "$ty: for<'__dummy> ::pin_init::Zeroable",
            &[("ty", &stream(&field.ty))],
        ));
    }
    item.where_preds = preds.into_iter().collect();
    let impl_params = item.generics.impl_params_bounded(BOUND);
    Ok(quote(
        "// SAFETY: the where clause requires every field to be `Zeroable`,
        // and padding may be zero.
        #[automatically_derived]
        unsafe impl $impl ::pin_init::Zeroable for $self_ty $whr {}",
        &[
            ("impl", &impl_params),
            ("self_ty", &item.self_ty()),
            ("whr", &item.where_clause(None)),
        ],
    ))
}
