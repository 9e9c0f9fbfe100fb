// SPDX-License-Identifier: GPL-2.0-only
//! Reading macro input token by token, turning generated source text back
//! into tokens, and compile errors at the offending token.

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use std::iter::Peekable;

/// A macro input error: a message and the span it points at.
pub(crate) struct Error {
    span: Span,
    message: String,
}

/// What the parsing functions return.
pub(crate) type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn new(span: Span, message: impl Into<String>) -> Self {
        Error {
            span,
            message: message.into(),
        }
    }

    /// `::core::compile_error!("message");`, reported at the error's span.
    pub(crate) fn into_compile_error(self) -> TokenStream {
        let with_span = |mut token: TokenTree| {
            token.set_span(self.span);
            token
        };
        let message = TokenStream::from(with_span(Literal::string(&self.message).into()));
        [
            with_span(Punct::new(':', Spacing::Joint).into()),
            with_span(Punct::new(':', Spacing::Alone).into()),
            with_span(Ident::new("core", self.span).into()),
            with_span(Punct::new(':', Spacing::Joint).into()),
            with_span(Punct::new(':', Spacing::Alone).into()),
            with_span(Ident::new("compile_error", self.span).into()),
            with_span(Punct::new('!', Spacing::Alone).into()),
            with_span(Group::new(Delimiter::Parenthesis, message).into()),
            with_span(Punct::new(';', Spacing::Alone).into()),
        ]
        .into_iter()
        .collect()
    }
}

/// The token stream of generated source text. The text is ours, so a
/// syntax error in it is a bug of this crate.
pub(crate) fn code(text: &str) -> TokenStream {
    text.parse()
        .unwrap_or_else(|e| panic!("macros: generated code does not parse ({e:?}):\n{text}"))
}

/// Whether `token` is the punctuation `c`.
pub(crate) fn is_punct(token: &TokenTree, c: char) -> bool {
    matches!(token, TokenTree::Punct(p) if p.as_char() == c)
}

/// A cursor over the token trees of one level of a macro input.
pub(crate) struct Cursor {
    tokens: Peekable<proc_macro::token_stream::IntoIter>,
    /// Where "unexpected end of input" errors point (the enclosing group).
    end: Span,
}

impl Cursor {
    pub(crate) fn new(stream: TokenStream, end: Span) -> Self {
        Cursor {
            tokens: stream.into_iter().peekable(),
            end,
        }
    }

    pub(crate) fn is_empty(&mut self) -> bool {
        self.tokens.peek().is_none()
    }

    pub(crate) fn next(&mut self) -> Option<TokenTree> {
        self.tokens.next()
    }

    pub(crate) fn peek(&mut self) -> Option<&TokenTree> {
        self.tokens.peek()
    }

    /// The next token; an error naming `what` was expected at the end.
    pub(crate) fn next_or(&mut self, what: &str) -> Result<TokenTree> {
        self.tokens
            .next()
            .ok_or_else(|| Error::new(self.end, format!("expected {what}")))
    }

    pub(crate) fn ident(&mut self) -> Result<Ident> {
        match self.next_or("an identifier")? {
            TokenTree::Ident(ident) => Ok(ident),
            other => Err(Error::new(other.span(), "expected an identifier")),
        }
    }

    pub(crate) fn punct(&mut self, c: char) -> Result<()> {
        match self.next_or(&format!("`{c}`"))? {
            token if is_punct(&token, c) => Ok(()),
            other => Err(Error::new(other.span(), format!("expected `{c}`"))),
        }
    }

    /// A group with `delimiter` (`what` names it in errors): a cursor over
    /// its contents.
    pub(crate) fn group(&mut self, delimiter: Delimiter, what: &str) -> Result<Cursor> {
        match self.next_or(what)? {
            TokenTree::Group(g) if g.delimiter() == delimiter => {
                Ok(Cursor::new(g.stream(), g.span_close()))
            }
            other => Err(Error::new(other.span(), format!("expected {what}"))),
        }
    }

    /// A string literal: its value and span.
    pub(crate) fn string(&mut self) -> Result<(String, Span)> {
        let token = self.next_or("a string literal")?;
        let value = match &token {
            TokenTree::Literal(lit) => string_literal_value(&lit.to_string()),
            // A `$x:literal` of a macro_rules! arrives wrapped in a group.
            TokenTree::Group(g) if g.delimiter() == Delimiter::None => {
                let mut inner = Cursor::new(g.stream(), g.span());
                return inner.string();
            }
            _ => None,
        };
        value
            .map(|v| (v, token.span()))
            .ok_or_else(|| Error::new(token.span(), "expected a string literal"))
    }

    /// `[ "a", "b", ... ]`: the values of a bracketed list of strings.
    pub(crate) fn string_list(&mut self) -> Result<Vec<(String, Span)>> {
        let mut list = self.group(Delimiter::Bracket, "`[` with a list of strings")?;
        let mut values = Vec::new();
        while !list.is_empty() {
            values.push(list.string()?);
            if !list.is_empty() {
                list.punct(',')?;
            }
        }
        Ok(values)
    }

    /// The tokens up to the next top-level `,` (left in place) or the end.
    /// A comma between the `<` and `>` of generic arguments (a type's, or
    /// an expression's after `::`) does not end them.
    pub(crate) fn until_comma(&mut self, is_type: bool) -> TokenStream {
        let mut taken: Vec<TokenTree> = Vec::new();
        let mut angles = 0usize;
        while let Some(token) = self.tokens.next_if(|t| angles > 0 || !is_punct(t, ',')) {
            if let TokenTree::Punct(p) = &token {
                let previous = taken.last();
                match p.as_char() {
                    '<' if is_type || angles > 0 || previous.is_some_and(|t| is_punct(t, ':')) => {
                        angles += 1
                    }
                    // Not the `>` of `->` or `=>`.
                    '>' if angles > 0
                        && !previous.is_some_and(|t| is_punct(t, '-') || is_punct(t, '=')) =>
                    {
                        angles -= 1
                    }
                    _ => {}
                }
            }
            taken.push(token);
        }
        taken.into_iter().collect()
    }

    /// Reads `key: value,` pairs: `value` parses the value of each key (a
    /// cursor positioned after the colon). Every key must be one of `keys`,
    /// in that order, at most once; the `required` ones must be there. The
    /// comma after the last value may be left out.
    pub(crate) fn keyed_values(
        &mut self,
        keys: &[&str],
        required: &[&str],
        mut value: impl FnMut(&str, &mut Cursor) -> Result<()>,
    ) -> Result<()> {
        let mut last: Option<usize> = None;
        let mut seen = Vec::new();
        while !self.is_empty() {
            let key = self.ident()?;
            let name = key.to_string();
            let Some(index) = keys.iter().position(|k| *k == name) else {
                return Err(Error::new(
                    key.span(),
                    format!("unknown key `{name}`; the keys are {keys:?}"),
                ));
            };
            if seen.contains(&name) {
                return Err(Error::new(key.span(), format!("`{name}` given twice")));
            }
            if last.is_some_and(|l| l > index) {
                return Err(Error::new(
                    key.span(),
                    format!("`{name}` out of order; the keys go in this order: {keys:?}"),
                ));
            }
            self.punct(':')?;
            value(&name, self)?;
            if !self.is_empty() {
                self.punct(',')?;
            }
            last = Some(index);
            seen.push(name);
        }
        match required.iter().find(|r| !seen.iter().any(|s| s == *r)) {
            Some(missing) => Err(Error::new(self.end, format!("missing key `{missing}`"))),
            None => Ok(()),
        }
    }
}

/// The value of a (raw) string literal given as source text, or `None` for
/// other literals (byte strings, C strings, numbers, ...) and bad escapes.
pub(crate) fn string_literal_value(text: &str) -> Option<String> {
    if let Some(raw) = text.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw[hashes..].strip_prefix('"')?;
        return Some(
            body.strip_suffix(&format!("\"{}", &raw[..hashes]))?
                .to_string(),
        );
    }
    let body = text.strip_prefix('"')?.strip_suffix('"')?;
    let mut value = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next()? {
            'n' => value.push('\n'),
            'r' => value.push('\r'),
            't' => value.push('\t'),
            '0' => value.push('\0'),
            c @ ('\\' | '\'' | '"') => value.push(c),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                value.push(char::from(
                    u8::from_str_radix(&hex, 16).ok().filter(|b| *b < 0x80)?,
                ));
            }
            'u' => {
                let rest = chars.as_str().strip_prefix('{')?;
                let (hex, after) = rest.split_once('}')?;
                value.push(char::from_u32(
                    u32::from_str_radix(&hex.replace('_', ""), 16).ok()?,
                )?);
                chars = after.chars();
            }
            // A line continuation: the newline and the whitespace after it.
            '\n' => chars = chars.as_str().trim_start().chars(),
            _ => return None,
        }
    }
    Some(value)
}

/// Source text of a byte string literal with exactly `bytes`.
pub(crate) fn byte_string_literal(bytes: &[u8]) -> String {
    let mut text = String::from("b\"");
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                text.push('\\');
                text.push(char::from(b));
            }
            b' '..=b'~' => text.push(char::from(b)),
            _ => text.push_str(&format!("\\x{b:02x}")),
        }
    }
    text.push('"');
    text
}

/// Source text of a C string literal (`c"..."`) with `value` before its NUL.
pub(crate) fn c_string_literal(value: &str) -> String {
    format!("c{}", &byte_string_literal(value.as_bytes())[1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_escaped_strings() {
        assert_eq!(string_literal_value(r#""GPL""#).as_deref(), Some("GPL"));
        assert_eq!(
            string_literal_value(r#""a\"b\\c\n\t\x41\u{e9}""#).as_deref(),
            Some("a\"b\\c\n\tAé")
        );
        assert_eq!(
            string_literal_value("\"one \\\n    two\"").as_deref(),
            Some("one two")
        );
    }

    #[test]
    fn raw_strings() {
        assert_eq!(
            string_literal_value(r###"r#"a "quoted" b"#"###).as_deref(),
            Some("a \"quoted\" b")
        );
        assert_eq!(string_literal_value(r#"r"x\n""#).as_deref(), Some("x\\n"));
    }

    #[test]
    fn other_literals_are_not_strings() {
        for text in [r#"b"x""#, r#"c"x""#, "42", "'c'", r#""\q""#, r#""\xff""#] {
            assert_eq!(string_literal_value(text), None, "{text}");
        }
    }

    #[test]
    fn byte_and_c_string_literals_escape() {
        assert_eq!(
            byte_string_literal(b"a=\"b\\\0\xe9"),
            r#"b"a=\"b\\\x00\xe9""#
        );
        assert_eq!(c_string_literal("rust_minimal"), r#"c"rust_minimal""#);
    }
}
