// SPDX-License-Identifier: GPL-2.0-only
//! `#[vtable]`: for every method of a trait, a `HAS_<METHOD>` constant that
//! tells whether an implementation provides it.
//!
//! On the trait every `HAS_*` defaults to `false`; on an `impl` block the
//! methods it defines get `true`. Both also get `USE_VTABLE_ATTR` (so that
//! an impl without the attribute fails to compile) and `OwnerModule`, the
//! module type of the implementing crate, unless they declare it.

use proc_macro::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};

use crate::tokens::{code, is_punct, Error, Result};

/// One item of a trait or impl body, as far as `#[vtable]` cares.
struct Item {
    /// `fn`, `const`, `type`, or empty for anything else (macro calls).
    kind: &'static str,
    name: Option<Ident>,
    /// The item's `#[cfg(..)]` attributes: `#` and the bracketed group.
    cfgs: Vec<TokenTree>,
}

/// The keyword that makes `name` the item's name, if `token` is one.
fn item_kind(token: &TokenTree) -> Option<&'static str> {
    match token {
        TokenTree::Ident(i) => ["fn", "const", "type"]
            .into_iter()
            .find(|k| i.to_string() == *k),
        _ => None,
    }
}

/// Splits a trait or impl body into its items. An item ends at a `;` or,
/// for a function or a macro call with braces, at its `{ .. }` group.
fn items(body: TokenStream) -> Vec<Item> {
    let mut items = Vec::new();
    let mut tokens = body.into_iter().peekable();
    while tokens.peek().is_some() {
        let mut item = Item {
            kind: "",
            name: None,
            cfgs: Vec::new(),
        };
        let mut previous: Option<TokenTree> = None;
        for token in tokens.by_ref() {
            if let (Some(hash), TokenTree::Group(g)) = (&previous, &token) {
                let is_cfg = g
                    .stream()
                    .into_iter()
                    .next()
                    .is_some_and(|t| t.to_string() == "cfg");
                if is_punct(hash, '#') && g.delimiter() == Delimiter::Bracket && is_cfg {
                    item.cfgs.extend([hash.clone(), token.clone()]);
                }
            }
            let ends = match &token {
                TokenTree::Punct(p) => p.as_char() == ';',
                TokenTree::Group(g) => {
                    g.delimiter() == Delimiter::Brace
                        && (item.kind == "fn"
                            || previous.as_ref().is_some_and(|t| is_punct(t, '!')))
                }
                TokenTree::Ident(name) if item.name.is_none() => {
                    let kind = previous.as_ref().and_then(item_kind);
                    // `const fn`, `const unsafe fn`: the keyword after `const`.
                    if let Some(kind) = kind.filter(|_| item_kind(&token).is_none()) {
                        if !["unsafe", "extern", "async"].contains(&name.to_string().as_str()) {
                            item.kind = kind;
                            item.name = Some(name.clone());
                        }
                    }
                    false
                }
                _ => false,
            };
            if ends {
                break;
            }
            previous = Some(token);
        }
        items.push(item);
    }
    items
}

/// `HAS_<NAME>` for the method `name`.
fn has_const_name(name: &str) -> String {
    format!("HAS_{}", name.trim_start_matches("r#").to_uppercase())
}

/// The constants and types `#[vtable]` adds to a body with `items`.
fn generated(items: &[Item], is_trait: bool) -> TokenStream {
    let declares = |kind: &str, name: &str| {
        items
            .iter()
            .any(|i| i.kind == kind && i.name.as_ref().is_some_and(|n| n.to_string() == name))
    };
    let mut out = TokenStream::new();
    if is_trait {
        out.extend(code(
            "/// Makes implementations without `#[vtable]` fail to compile.\n\
             const USE_VTABLE_ATTR: ();",
        ));
        if !declares("type", "OwnerModule") {
            out.extend(code(
                "/// The module type of the crate that implements the trait.\n\
                 type OwnerModule: ::kernel::ModuleMetadata;",
            ));
        }
    } else {
        out.extend(code("const USE_VTABLE_ATTR: () = ();"));
        if !declares("type", "OwnerModule") {
            out.extend(code("type OwnerModule = crate::LocalModule;"));
        }
    }
    for item in items.iter().filter(|i| i.kind == "fn") {
        let Some(name) = &item.name else { continue };
        let constant = has_const_name(&name.to_string());
        if !is_trait && declares("const", &constant) {
            continue;
        }
        out.extend(item.cfgs.iter().cloned());
        if is_trait {
            let doc = format!("Whether implementations provide `{name}`.");
            out.extend(code(&format!("#[doc = {doc:?}]")));
        }
        out.extend(code("const"));
        out.extend([TokenTree::Ident(Ident::new(&constant, name.span()))]);
        out.extend(code(if is_trait {
            ": bool = false;"
        } else {
            ": bool = true;"
        }));
    }
    out
}

/// `#[vtable]` on `input`, a trait definition or an impl block.
pub(crate) fn vtable(attr: TokenStream, input: TokenStream) -> TokenStream {
    expand(attr, input).unwrap_or_else(Error::into_compile_error)
}

fn expand(attr: TokenStream, input: TokenStream) -> Result<TokenStream> {
    if let Some(token) = attr.into_iter().next() {
        return Err(Error::new(token.span(), "`#[vtable]` takes no arguments"));
    }
    let mut tokens: Vec<TokenTree> = input.into_iter().collect();
    // The first `trait` or `impl` keyword outside attributes and groups.
    let kind = tokens.iter().find_map(|t| match t {
        TokenTree::Ident(i) if i.to_string() == "trait" || i.to_string() == "impl" => {
            Some(i.to_string())
        }
        _ => None,
    });
    let body = match (kind, tokens.last_mut()) {
        (Some(kind), Some(TokenTree::Group(g))) if g.delimiter() == Delimiter::Brace => (kind, g),
        _ => {
            let span = tokens.first().map_or(Span::call_site(), TokenTree::span);
            return Err(Error::new(
                span,
                "`#[vtable]` applies to trait definitions and impl blocks only",
            ));
        }
    };
    let (kind, group) = body;
    let mut stream = group.stream();
    stream.extend(generated(&items(group.stream()), kind == "trait"));
    let mut new_group = Group::new(Delimiter::Brace, stream);
    new_group.set_span(group.span());
    *group = new_group;
    Ok(tokens.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::has_const_name;

    #[test]
    fn constant_names() {
        assert_eq!(has_const_name("read_iter"), "HAS_READ_ITER");
        assert_eq!(has_const_name("r#type"), "HAS_TYPE");
    }
}
