// SPDX-License-Identifier: GPL-2.0-only
//! `fmt!`: `core::format_args!` with every argument wrapped in
//! `kernel::fmt::Adapter`, so that the kernel crate's own formatting traits
//! apply (to `CStr`, to pointers, ...).

use proc_macro::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

use crate::tokens::{code, is_punct, string_literal_value};

/// The names a format string uses without an argument of that name
/// (`{x}`, `{x:?}`): the candidates for implicit capture, in order, without
/// repeats. Positional `{}`/`{0}` and escaped `{{` are not names.
fn implicit_names(format: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = format;
    while let Some((_, after)) = rest.split_once('{') {
        if let Some(escaped) = after.strip_prefix('{') {
            rest = escaped;
            continue;
        }
        let Some((spec, after)) = after.split_once('}') else {
            break;
        };
        rest = after;
        let name = spec.split_once(':').map_or(spec, |(name, _)| name).trim();
        let is_index = name.chars().all(|c| c.is_ascii_digit());
        if !is_index && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

/// `::kernel::fmt::Adapter(&(tokens))`.
fn adapted(tokens: TokenStream) -> TokenStream {
    let inner: TokenStream = [
        TokenTree::Punct(Punct::new('&', Spacing::Alone)),
        TokenTree::Group(Group::new(Delimiter::Parenthesis, tokens)),
    ]
    .into_iter()
    .collect();
    let mut out = code("::kernel::fmt::Adapter");
    out.extend([TokenTree::Group(Group::new(Delimiter::Parenthesis, inner))]);
    out
}

/// The top-level comma-separated parts of `input` (empty ones dropped).
fn split_arguments(input: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut parts = vec![Vec::new()];
    for token in input {
        if is_punct(&token, ',') {
            parts.push(Vec::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(token);
        }
    }
    parts.retain(|p| !p.is_empty());
    parts
}

/// `fmt!` on `input`.
pub(crate) fn fmt(input: TokenStream) -> TokenStream {
    let mut arguments = split_arguments(input.clone()).into_iter();
    let Some(first) = arguments.next() else {
        return with_format_args(input);
    };
    let format = match first.as_slice() {
        [TokenTree::Literal(lit)] => {
            string_literal_value(&lit.to_string()).map(|f| (f, lit.span()))
        }
        _ => None,
    };
    let Some((format, format_span)) = format else {
        // Not a literal format string (e.g. `concat!(..)`): no adapters.
        return with_format_args(input);
    };

    let comma = || TokenTree::Punct(Punct::new(',', Spacing::Alone));
    let mut implicit = implicit_names(&format);
    let mut out: TokenStream = first.into_iter().collect();
    for argument in arguments {
        out.extend([comma()]);
        // `name = expression`: keep the name, adapt the expression.
        let named = matches!(
            argument.as_slice(),
            [TokenTree::Ident(_), TokenTree::Punct(p), _, ..] if p.as_char() == '=' && p.spacing() == Spacing::Alone
        );
        if named {
            implicit.retain(|n| *n != argument[0].to_string());
            out.extend(argument[..2].iter().cloned());
            out.extend(adapted(argument[2..].iter().cloned().collect()));
        } else {
            out.extend(adapted(argument.into_iter().collect()));
        }
    }
    for name in implicit {
        // The caller's variable: the span of the format string resolves it.
        let ident = || TokenTree::Ident(Ident::new(&name, format_span));
        out.extend([comma(), ident(), Punct::new('=', Spacing::Alone).into()]);
        out.extend(adapted(ident().into()));
    }
    with_format_args(out)
}

/// `::core::format_args!(arguments)`.
fn with_format_args(arguments: TokenStream) -> TokenStream {
    let mut out = code("::core::format_args!");
    let mut group = Group::new(Delimiter::Parenthesis, arguments);
    group.set_span(Span::call_site());
    out.extend([TokenTree::Group(group)]);
    out
}

#[cfg(test)]
mod tests {
    use super::implicit_names;

    #[test]
    fn names_in_format_strings() {
        assert_eq!(
            implicit_names("{} {0} {x} {y:?} {{z}} {x:>5} {w:width$}"),
            ["x", "y", "w"]
        );
        assert!(implicit_names("{{}} {:p} {1:#x}").is_empty());
    }
}
