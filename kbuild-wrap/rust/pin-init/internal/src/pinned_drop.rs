// SPDX-License-Identifier: GPL-2.0-only
//! `#[pinned_drop]`: turns `impl PinnedDrop for T { fn drop(self: Pin<&mut
//! Self>) {..} }` into the (unsafe) implementation of the real trait, whose
//! `drop` takes the token only the generated `Drop` impl can make.

use crate::item::{attrs_stream, take_attrs};
use crate::tokens::{
    as_group, is_ident, is_punct, parse, skip_angles, stream, Error, Result, Tokens,
};
use proc_macro::{Delimiter, Group, Span, TokenStream, TokenTree};

/// Expands `#[pinned_drop] impl PinnedDrop for T { .. }`.
pub(crate) fn pinned_drop(args: TokenStream, input: TokenStream) -> Result<TokenStream> {
    if let Some(tt) = args.into_iter().next() {
        return Err(Error::new(tt.span(), "`#[pinned_drop]` takes no arguments"));
    }
    let tokens: Tokens = input.into_iter().collect();
    let mut pos = 0;
    let attrs = take_attrs(&tokens, &mut pos);
    if tokens.get(pos).is_some_and(|t| is_ident(t, "unsafe")) {
        return Err(Error::new(
            tokens[pos].span(),
            "implementing `PinnedDrop` is safe: drop the `unsafe`",
        ));
    }
    let impl_kw = match tokens.get(pos) {
        Some(t) if is_ident(t, "impl") => t.clone(),
        _ => {
            return Err(Error::new(
                Span::call_site(),
                "expected `impl PinnedDrop for Type`",
            ))
        }
    };
    pos += 1;
    let mut generics = Vec::new();
    if tokens.get(pos).is_some_and(|t| is_punct(t, '<')) {
        let end = skip_angles(&tokens, pos)?;
        generics = tokens[pos..end].to_vec();
        pos = end;
    }
    let for_at = (pos..tokens.len())
        .find(|&i| is_ident(&tokens[i], "for"))
        .ok_or_else(|| Error::new(impl_kw.span(), "expected `impl PinnedDrop for Type`"))?;
    check_trait_path(&tokens[pos..for_at], impl_kw.span())?;
    let body_at = tokens.len() - 1;
    let Some(body) = as_group(&tokens[body_at], Delimiter::Brace) else {
        return Err(Error::new(
            tokens[body_at].span(),
            "expected the impl's body",
        ));
    };
    let mut out = attrs_stream(&attrs);
    out.extend(parse("unsafe"));
    out.extend([impl_kw]);
    out.extend(stream(&generics));
    out.extend(parse("::pin_init::PinnedDrop"));
    out.extend(stream(&tokens[for_at..body_at]));
    let mut group = Group::new(Delimiter::Brace, add_token_param(body)?);
    group.set_span(body.span());
    out.extend([TokenTree::Group(group)]);
    Ok(out)
}

/// Accepts a path ending in `PinnedDrop` (`PinnedDrop`,
/// `pin_init::PinnedDrop`, ...) without generic arguments.
fn check_trait_path(path: &[TokenTree], span: Span) -> Result<()> {
    if path.first().is_some_and(|t| is_punct(t, '!')) {
        return Err(Error::new(path[0].span(), "cannot implement `!PinnedDrop`"));
    }
    match path.last() {
        Some(last) if is_ident(last, "PinnedDrop") => Ok(()),
        Some(last) => Err(Error::new(
            last.span(),
            "expected `impl PinnedDrop for Type`",
        )),
        None => Err(Error::new(
            span,
            "expected `impl PinnedDrop for Type`, got an inherent impl",
        )),
    }
}

/// Appends the `OnlyCallFromDrop` parameter to `fn drop`.
fn add_token_param(body: &Group) -> Result<TokenStream> {
    let mut items: Tokens = body.stream().into_iter().collect();
    let mut found = false;
    for i in 0..items.len().saturating_sub(2) {
        if !(is_ident(&items[i], "fn") && is_ident(&items[i + 1], "drop")) {
            continue;
        }
        let Some(params) = as_group(&items[i + 2], Delimiter::Parenthesis) else {
            continue;
        };
        let mut list: Tokens = params.stream().into_iter().collect();
        if !list.last().is_some_and(|t| is_punct(t, ',')) {
            list.extend(parse(","));
        }
        list.extend(parse("_: ::pin_init::__internal::OnlyCallFromDrop"));
        let mut group = Group::new(Delimiter::Parenthesis, stream(&list));
        group.set_span(params.span());
        items[i + 2] = TokenTree::Group(group);
        found = true;
    }
    if !found {
        return Err(Error::new(
            body.span(),
            "expected `fn drop(self: Pin<&mut Self>)`",
        ));
    }
    Ok(stream(&items))
}
