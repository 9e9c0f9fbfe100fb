// SPDX-License-Identifier: GPL-2.0-only
//! Small tools over `proc_macro` token trees: matching, splitting at
//! commas, errors and a template "quote".

use proc_macro::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use std::str::FromStr;

/// A sequence of token trees.
pub(crate) type Tokens = Vec<TokenTree>;

/// A compile error at a span; it becomes a `compile_error!` invocation.
pub(crate) struct Error {
    span: Span,
    msg: String,
}

impl Error {
    /// An error with `msg` pointing at `span`.
    pub(crate) fn new(span: Span, msg: impl Into<String>) -> Self {
        Self {
            span,
            msg: msg.into(),
        }
    }

    /// The `::core::compile_error!("msg")` tokens, spanned at the error.
    pub(crate) fn into_stream(self) -> TokenStream {
        let text = format!("::core::compile_error!({:?});", self.msg);
        respan(parse(&text), self.span)
    }
}

/// The result of a macro: its output or the error to report.
pub(crate) type Result<T> = std::result::Result<T, Error>;

/// Parses Rust source text into tokens (of the templates in this crate).
pub(crate) fn parse(text: &str) -> TokenStream {
    match TokenStream::from_str(text) {
        Ok(stream) => stream,
        Err(err) => panic!("pin_init_internal: bad template {text:?}: {err}"),
    }
}

/// Sets the span of every token of `stream` (groups included) to `span`.
pub(crate) fn respan(stream: TokenStream, span: Span) -> TokenStream {
    stream
        .into_iter()
        .map(|mut tt| {
            if let TokenTree::Group(g) = &tt {
                let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = TokenTree::Group(group);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

/// Expands `template`: `$name` is replaced by the tokens of `name` in
/// `vars`; every other token gets the mixed-site span, so the names the
/// template introduces are invisible to the user's code.
pub(crate) fn quote(template: &str, vars: &[(&str, &TokenStream)]) -> TokenStream {
    substitute(parse(template), vars)
}

fn substitute(stream: TokenStream, vars: &[(&str, &TokenStream)]) -> TokenStream {
    let span = Span::mixed_site();
    let mut out = TokenStream::new();
    let mut iter = stream.into_iter().peekable();
    while let Some(mut tt) = iter.next() {
        if is_punct(&tt, '$') {
            if let Some(TokenTree::Ident(name)) = iter.peek() {
                let name = name.to_string();
                match vars.iter().find(|(var, _)| *var == name) {
                    Some((_, value)) => out.extend((*value).clone()),
                    None => panic!("pin_init_internal: template variable ${name} unset"),
                }
                iter.next();
                continue;
            }
        }
        if let TokenTree::Group(g) = &tt {
            let mut group = Group::new(g.delimiter(), substitute(g.stream(), vars));
            group.set_span(span);
            tt = TokenTree::Group(group);
        } else {
            tt.set_span(span);
        }
        out.extend([tt]);
    }
    out
}

/// Whether `tt` is the punctuation character `c`.
pub(crate) fn is_punct(tt: &TokenTree, c: char) -> bool {
    matches!(tt, TokenTree::Punct(p) if p.as_char() == c)
}

/// Whether `tt` is `c` joined to the following punctuation (the `-` of `->`).
pub(crate) fn is_joint(tt: &TokenTree, c: char) -> bool {
    matches!(tt, TokenTree::Punct(p) if p.as_char() == c && p.spacing() == Spacing::Joint)
}

/// Whether `tt` is the identifier (or keyword) `name`.
pub(crate) fn is_ident(tt: &TokenTree, name: &str) -> bool {
    matches!(tt, TokenTree::Ident(i) if i.to_string() == name)
}

/// The group `tt` is, if it has delimiter `delim`.
pub(crate) fn as_group(tt: &TokenTree, delim: Delimiter) -> Option<&Group> {
    match tt {
        TokenTree::Group(g) if g.delimiter() == delim => Some(g),
        _ => None,
    }
}

/// Whether `tokens[i]` is the second `:` of a `::`.
fn ends_path_sep(tokens: &[TokenTree], i: usize) -> bool {
    i >= 1 && is_punct(&tokens[i], ':') && is_joint(&tokens[i - 1], ':')
}

/// Whether `tokens[i]` is a lone `:` (not part of `::`).
pub(crate) fn is_single_colon(tokens: &[TokenTree], i: usize) -> bool {
    is_punct(&tokens[i], ':')
        && !is_joint(&tokens[i], ':')
        && !(i >= 1 && is_joint(&tokens[i - 1], ':'))
}

/// How `<` and `>` nest when splitting.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Types and generics: every `<` opens generic arguments.
    Type,
    /// Expressions: `<` opens only after `::`, at the start of an
    /// expression (`<T as Trait>::f`) or inside other generic arguments;
    /// elsewhere it is a comparison. Closure parameters are skipped.
    Expr,
}

/// Tracks the `<>` depth while walking tokens; see [`Mode`].
pub(crate) struct AngleDepth {
    mode: Mode,
    depth: usize,
    expr_start: bool,
}

impl AngleDepth {
    /// A tracker at depth zero, at the start of an expression.
    pub(crate) fn new(mode: Mode) -> Self {
        Self {
            mode,
            depth: 0,
            expr_start: true,
        }
    }

    /// Whether the walk is outside every `<>`.
    pub(crate) fn at_top(&self) -> bool {
        self.depth == 0
    }

    /// Accounts for `tokens[i]`.
    pub(crate) fn step(&mut self, tokens: &[TokenTree], i: usize) {
        let tt = &tokens[i];
        let after_arrow_start = i >= 1 && is_joint(&tokens[i - 1], '<');
        if is_punct(tt, '<') {
            let opens = match self.mode {
                Mode::Type => true,
                Mode::Expr => {
                    self.depth > 0 || self.expr_start || (i >= 1 && ends_path_sep(tokens, i - 1))
                }
            };
            if opens {
                self.depth += 1;
            }
        } else if is_punct(tt, '>') && self.depth > 0 && !(i >= 1 && is_joint(&tokens[i - 1], '-'))
        {
            self.depth -= 1;
        }
        self.expr_start = is_single_colon(tokens, i)
            || is_punct(tt, ',')
            || (is_punct(tt, '-') && after_arrow_start)
            || (self.expr_start && is_ident(tt, "move"));
    }

    /// Whether a closure's parameter list starts at `tokens[i]`.
    fn closure_starts(&self, tokens: &[TokenTree], i: usize) -> bool {
        self.mode == Mode::Expr
            && self.depth == 0
            && self.expr_start
            && is_punct(&tokens[i], '|')
            && !is_joint(&tokens[i], '|')
    }
}

/// Splits `tokens` at the commas outside every `<>` (groups are single
/// tokens already). A trailing comma gives no empty last part.
pub(crate) fn split_commas(tokens: &[TokenTree], mode: Mode) -> Vec<Tokens> {
    let mut parts = vec![Vec::new()];
    let mut angles = AngleDepth::new(mode);
    let mut i = 0;
    while i < tokens.len() {
        if angles.closure_starts(tokens, i) {
            // Copy the parameter list up to its closing `|` as it is.
            let end = (i + 1..tokens.len())
                .find(|&j| is_punct(&tokens[j], '|'))
                .unwrap_or(tokens.len() - 1);
            parts
                .last_mut()
                .unwrap()
                .extend_from_slice(&tokens[i..=end]);
            i = end + 1;
            angles.expr_start = false;
            continue;
        }
        angles.step(tokens, i);
        if angles.at_top() && is_punct(&tokens[i], ',') {
            parts.push(Vec::new());
        } else {
            parts.last_mut().unwrap().push(tokens[i].clone());
        }
        i += 1;
    }
    if parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

/// The index just past the `>` that closes the `<` at `tokens[open]`.
pub(crate) fn skip_angles(tokens: &[TokenTree], open: usize) -> Result<usize> {
    let mut angles = AngleDepth::new(Mode::Type);
    for i in open..tokens.len() {
        angles.step(tokens, i);
        if angles.at_top() {
            return Ok(i + 1);
        }
    }
    Err(Error::new(tokens[open].span(), "unclosed `<`"))
}

/// Replaces every `Self` in `tokens` (inside groups too) with `with`.
pub(crate) fn replace_self(tokens: &[TokenTree], with: &TokenStream) -> Tokens {
    let mut out = Vec::new();
    for tt in tokens {
        match tt {
            TokenTree::Ident(i) if i.to_string() == "Self" => out.extend(with.clone()),
            TokenTree::Group(g) => {
                let inner: Tokens = g.stream().into_iter().collect();
                let inner = replace_self(&inner, with);
                let mut group = Group::new(g.delimiter(), inner.into_iter().collect());
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
            }
            _ => out.push(tt.clone()),
        }
    }
    out
}

/// Turns generic arguments written without turbofish (`Foo<T>`) into the
/// expression form (`Foo::<T>`).
pub(crate) fn expr_path(path: &[TokenTree]) -> TokenStream {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for (i, tt) in path.iter().enumerate() {
        if is_punct(tt, '<') {
            if depth == 0 && i >= 1 && !is_punct(&path[i - 1], ':') {
                out.push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
                out.push(TokenTree::Punct(Punct::new(':', Spacing::Alone)));
            }
            depth += 1;
        } else if is_punct(tt, '>') && !(i >= 1 && is_joint(&path[i - 1], '-')) {
            depth = depth.saturating_sub(1);
        }
        out.push(tt.clone());
    }
    out.into_iter().collect()
}

/// An identifier with the call-site span (visible to the user's code).
pub(crate) fn call_site_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Turns a token sequence into a stream.
pub(crate) fn stream(tokens: &[TokenTree]) -> TokenStream {
    tokens.iter().cloned().collect()
}
