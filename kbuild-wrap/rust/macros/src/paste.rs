// SPDX-License-Identifier: GPL-2.0-only
//! `paste!` and `concat_idents!`: identifiers made by joining others.

use proc_macro::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};

use crate::tokens::{is_punct, Cursor, Error, Result};

/// `value` changed by the `:modifier` of a paste segment.
fn modify(value: &str, modifier: &str) -> Option<String> {
    match modifier {
        "lower" => Some(value.to_lowercase()),
        "upper" => Some(value.to_uppercase()),
        _ => None,
    }
}

/// The text a segment token contributes: an identifier (without `r#`), or
/// a literal (a string without its quotes).
fn segment_text(token: &TokenTree) -> Option<String> {
    match token {
        TokenTree::Ident(i) => Some(i.to_string().trim_start_matches("r#").to_string()),
        TokenTree::Literal(l) => {
            let text = l.to_string();
            let unquoted = text.strip_prefix('"').and_then(|t| t.strip_suffix('"'));
            Some(unquoted.unwrap_or(&text).to_string())
        }
        _ => None,
    }
}

/// Adds the segments of a `[< .. >]` (without the brackets and angles) to
/// `parts`, applying each `:modifier` to the part before it; `:span`
/// records that part's span in `chosen_span`.
fn collect_segments(
    segments: TokenStream,
    parts: &mut Vec<(String, Span)>,
    chosen_span: &mut Option<Span>,
) -> Result<()> {
    let mut tokens = Cursor::new(segments, Span::call_site());
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ':' => {
                let modifier = tokens.ident()?;
                let Some((last, last_span)) = parts.last_mut() else {
                    return Err(Error::new(
                        modifier.span(),
                        "a modifier needs a segment before it",
                    ));
                };
                match modifier.to_string().as_str() {
                    "span" => *chosen_span = Some(*last_span),
                    name => {
                        *last = modify(last, name).ok_or_else(|| {
                            Error::new(
                                modifier.span(),
                                "unknown modifier; use lower, upper or span",
                            )
                        })?
                    }
                }
            }
            // A macro_rules! fragment (`$x`) comes in an invisible group.
            TokenTree::Group(g) if g.delimiter() == Delimiter::None => {
                collect_segments(g.stream(), parts, chosen_span)?
            }
            _ => {
                let text = segment_text(&token).ok_or_else(|| {
                    Error::new(token.span(), "paste segments are identifiers and literals")
                })?;
                parts.push((text, token.span()));
            }
        }
    }
    Ok(())
}

/// The identifier the segments of `[< .. >]` make, spanned at the segment
/// marked `:span`, else at the group (`span`).
fn join(segments: TokenStream, span: Span) -> Result<Ident> {
    let mut parts = Vec::new();
    let mut chosen_span = None;
    collect_segments(segments, &mut parts, &mut chosen_span)?;
    let text: String = parts.into_iter().map(|(text, _)| text).collect();
    if !is_identifier(&text) {
        return Err(Error::new(span, format!("`{text}` is not an identifier")));
    }
    Ok(Ident::new(&text, chosen_span.unwrap_or(span)))
}

/// Whether `text` is an identifier (not a raw one).
fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
        && text != "_"
}

/// Whether `group` is `[< .. >]`.
fn is_paste_group(group: &Group) -> bool {
    let tokens: Vec<TokenTree> = group.stream().into_iter().collect();
    group.delimiter() == Delimiter::Bracket
        && tokens.len() >= 3
        && is_punct(&tokens[0], '<')
        && is_punct(&tokens[tokens.len() - 1], '>')
}

/// `stream` with every `[< .. >]` replaced by the joined identifier, at any
/// depth.
fn expand(stream: TokenStream) -> Result<TokenStream> {
    let mut out = Vec::new();
    for token in stream {
        match token {
            TokenTree::Group(g) if is_paste_group(&g) => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                let segments = inner[1..inner.len() - 1].iter().cloned().collect();
                out.push(TokenTree::Ident(join(segments, g.span())?));
            }
            TokenTree::Group(g) => {
                let mut expanded = Group::new(g.delimiter(), expand(g.stream())?);
                expanded.set_span(g.span());
                out.push(expanded.into());
            }
            other => out.push(other),
        }
    }
    // A `$x` next to a `::` would keep its invisible group, which paths do
    // not accept: open it.
    Ok(unwrap_path_groups(out).into_iter().collect())
}

/// Opens the invisible groups right before or after a `::`.
fn unwrap_path_groups(tokens: Vec<TokenTree>) -> Vec<TokenTree> {
    let is_path_sep = |i: usize| {
        i + 1 < tokens.len() && is_punct(&tokens[i], ':') && is_punct(&tokens[i + 1], ':')
    };
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(g)
                if g.delimiter() == Delimiter::None
                    && (is_path_sep(i + 1) || (i >= 2 && is_path_sep(i - 2))) =>
            {
                out.extend(g.stream())
            }
            other => out.push(other.clone()),
        }
    }
    out
}

/// `paste!` on `input`.
pub(crate) fn paste(input: TokenStream) -> TokenStream {
    expand(input).unwrap_or_else(Error::into_compile_error)
}

/// `concat_idents!(a, b)`: the identifier `ab`, spanned at `b`.
pub(crate) fn concat_idents(input: TokenStream) -> TokenStream {
    let mut cursor = Cursor::new(input, Span::call_site());
    let joined = (|| {
        let a = cursor.ident()?;
        cursor.punct(',')?;
        let b = cursor.ident()?;
        if let Some(extra) = cursor.peek() {
            return Err(Error::new(extra.span(), "expected two identifiers"));
        }
        Ok(Ident::new(&format!("{a}{b}"), b.span()))
    })();
    match joined {
        Ok(ident) => TokenTree::Ident(ident).into(),
        Err(e) => e.into_compile_error(),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_identifier, modify};

    #[test]
    fn identifiers() {
        assert!(is_identifier("foo_1"));
        assert!(is_identifier("_x"));
        assert!(!is_identifier("1x"));
        assert!(!is_identifier("_"));
        assert!(!is_identifier(""));
        assert!(!is_identifier("a-b"));
    }

    #[test]
    fn modifiers() {
        assert_eq!(modify("Foo_Bar", "lower").as_deref(), Some("foo_bar"));
        assert_eq!(modify("Foo_Bar", "upper").as_deref(), Some("FOO_BAR"));
        assert_eq!(modify("x", "camel"), None);
    }
}
