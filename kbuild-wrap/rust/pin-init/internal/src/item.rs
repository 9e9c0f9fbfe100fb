// SPDX-License-Identifier: GPL-2.0-only
//! Parsing of the struct (or union) definitions the attribute and derive
//! macros receive.

use crate::tokens::{
    as_group, is_ident, is_punct, is_single_colon, parse, skip_angles, split_commas, stream,
    AngleDepth, Error, Mode, Result, Tokens,
};
use proc_macro::{Delimiter, Group, Ident, Literal, Span, TokenStream, TokenTree};

/// An outer attribute `#[...]`.
#[derive(Clone)]
pub(crate) struct Attr {
    pound: TokenTree,
    body: Group,
}

impl Attr {
    /// The first identifier inside the brackets (`cfg` for `#[cfg(x)]`).
    pub(crate) fn name(&self) -> Option<String> {
        match self.body.stream().into_iter().next() {
            Some(TokenTree::Ident(i)) => Some(i.to_string()),
            _ => None,
        }
    }

    /// Whether the attribute is exactly `#[name]`.
    pub(crate) fn is_bare(&self, name: &str) -> bool {
        let inner: Tokens = self.body.stream().into_iter().collect();
        inner.len() == 1 && is_ident(&inner[0], name)
    }

    /// The tokens inside `#[name(...)]`'s parentheses.
    pub(crate) fn paren_args(&self) -> Option<TokenStream> {
        let inner: Tokens = self.body.stream().into_iter().collect();
        match inner.as_slice() {
            [TokenTree::Ident(_), TokenTree::Group(g)]
                if g.delimiter() == Delimiter::Parenthesis =>
            {
                Some(g.stream())
            }
            _ => None,
        }
    }

    /// Where the attribute is.
    pub(crate) fn span(&self) -> Span {
        self.body.span()
    }

    /// The attribute's tokens.
    pub(crate) fn to_stream(&self) -> TokenStream {
        [self.pound.clone(), TokenTree::Group(self.body.clone())]
            .into_iter()
            .collect()
    }
}

/// Removes the outer attributes at the start of `tokens[*pos..]`.
pub(crate) fn take_attrs(tokens: &[TokenTree], pos: &mut usize) -> Vec<Attr> {
    let mut attrs = Vec::new();
    while *pos + 1 < tokens.len() && is_punct(&tokens[*pos], '#') {
        let Some(body) = as_group(&tokens[*pos + 1], Delimiter::Bracket) else {
            break;
        };
        attrs.push(Attr {
            pound: tokens[*pos].clone(),
            body: body.clone(),
        });
        *pos += 2;
    }
    attrs
}

/// The tokens of several attributes.
pub(crate) fn attrs_stream<'a>(attrs: impl IntoIterator<Item = &'a Attr>) -> TokenStream {
    attrs.into_iter().map(Attr::to_stream).collect()
}

/// One generic parameter of the struct.
pub(crate) struct GenericParam {
    /// How the parameter is named in arguments: `'a`, `T` or `N`.
    pub(crate) name: Tokens,
    /// Its declaration without default: `T: Bound`.
    pub(crate) decl: Tokens,
    /// Whether it is a type parameter (not a lifetime or const).
    pub(crate) is_type: bool,
}

impl GenericParam {
    fn parse(tokens: &[TokenTree]) -> Result<Self> {
        let mut pos = 0;
        let _ = take_attrs(tokens, &mut pos);
        let first = tokens
            .get(pos)
            .ok_or_else(|| Error::new(Span::call_site(), "empty generic parameter"))?;
        let (name, is_type) = if is_punct(first, '\'') {
            (tokens[pos..pos + 2].to_vec(), false)
        } else if is_ident(first, "const") {
            (vec![tokens[pos + 1].clone()], false)
        } else {
            (vec![first.clone()], true)
        };
        // The default starts at the first `=` outside `<>` (`Item = X`
        // inside a bound is nested).
        let mut angles = AngleDepth::new(Mode::Type);
        let mut end = tokens.len();
        for i in 0..tokens.len() {
            angles.step(tokens, i);
            if angles.at_top() && is_punct(&tokens[i], '=') {
                end = i;
                break;
            }
        }
        Ok(Self {
            name,
            decl: tokens[..end].to_vec(),
            is_type,
        })
    }
}

/// The generic parameters of the struct.
pub(crate) struct Generics {
    /// As written (defaults included), `<` and `>` included; may be empty.
    pub(crate) raw: Tokens,
    /// The parameters.
    pub(crate) params: Vec<GenericParam>,
}

impl Generics {
    /// `<'extra, decl, ...>` for an `impl` or a new type's definition.
    pub(crate) fn impl_params(&self, extra: &str) -> TokenStream {
        let decls = self.params.iter().map(|p| stream(&p.decl));
        angle_list(extra, decls)
    }

    /// `<'extra, name, ...>` for naming the type.
    pub(crate) fn args(&self, extra: &str) -> TokenStream {
        let names = self.params.iter().map(|p| stream(&p.name));
        angle_list(extra, names)
    }

    /// Like [`Generics::impl_params`], with `bound +` added to every type
    /// parameter.
    pub(crate) fn impl_params_bounded(&self, bound: &str) -> TokenStream {
        let decls = self.params.iter().map(|p| {
            if !p.is_type {
                return stream(&p.decl);
            }
            let at = p
                .decl
                .iter()
                .position(|tt| tt.to_string() == p.name[0].to_string());
            let at = at.unwrap_or(0) + 1;
            let mut decl = stream(&p.decl[..at]);
            let has_bounds = p.decl.len() > at;
            let rest = if has_bounds {
                format!(": {bound} +")
            } else {
                format!(": {bound}")
            };
            decl.extend(parse(&rest));
            if has_bounds {
                decl.extend(stream(&p.decl[at + 1..]));
            }
            decl
        });
        angle_list("", decls)
    }
}

fn angle_list(extra: &str, items: impl Iterator<Item = TokenStream>) -> TokenStream {
    let mut list: Vec<TokenStream> = Vec::new();
    if !extra.is_empty() {
        list.push(crate::tokens::respan(parse(extra), Span::mixed_site()));
    }
    list.extend(items);
    if list.is_empty() {
        return TokenStream::new();
    }
    let mut out = parse("<");
    for item in list {
        out.extend(item);
        out.extend(parse(","));
    }
    out.extend(parse(">"));
    out
}

/// How a field is named.
#[derive(Clone)]
pub(crate) enum FieldName {
    /// A named field.
    Named(Ident),
    /// A tuple field by position.
    Index(usize),
}

impl FieldName {
    /// The tokens accessing the field (`name` or `0`).
    pub(crate) fn access(&self) -> TokenStream {
        match self {
            Self::Named(i) => TokenTree::Ident(i.clone()).into(),
            Self::Index(n) => TokenTree::Literal(Literal::usize_unsuffixed(*n)).into(),
        }
    }

    /// An identifier usable for methods and bindings about the field.
    pub(crate) fn ident(&self) -> Ident {
        match self {
            Self::Named(i) => i.clone(),
            Self::Index(n) => Ident::new(&format!("_{n}"), Span::call_site()),
        }
    }

    /// The field name as text.
    pub(crate) fn text(&self) -> String {
        match self {
            Self::Named(i) => i.to_string(),
            Self::Index(n) => n.to_string(),
        }
    }
}

/// One field of the struct.
pub(crate) struct Field {
    pub(crate) attrs: Vec<Attr>,
    pub(crate) vis: Tokens,
    pub(crate) name: FieldName,
    pub(crate) ty: Tokens,
}

/// The fields of the struct.
pub(crate) enum Body {
    /// `{ a: A, .. }`
    Named(Vec<Field>),
    /// `(A, ..)`
    Tuple(Vec<Field>),
    /// No fields.
    Unit,
}

/// A struct or union definition.
pub(crate) struct ItemDef {
    pub(crate) attrs: Vec<Attr>,
    pub(crate) vis: Tokens,
    /// `struct`, `union` or `enum`.
    pub(crate) keyword: Ident,
    pub(crate) name: Ident,
    pub(crate) generics: Generics,
    /// The where-clause predicates, without `where` and trailing comma.
    pub(crate) where_preds: Tokens,
    pub(crate) body: Body,
}

impl ItemDef {
    /// Parses a `struct`, `union` or `enum` item (an enum has no fields).
    pub(crate) fn parse(input: TokenStream) -> Result<Self> {
        let tokens: Tokens = input.into_iter().collect();
        let mut pos = 0;
        let attrs = take_attrs(&tokens, &mut pos);
        let vis = take_vis(&tokens, &mut pos);
        let keyword = match tokens.get(pos) {
            Some(TokenTree::Ident(i)) if ["struct", "union", "enum"].contains(&&*i.to_string()) => {
                i.clone()
            }
            other => {
                let span = other.map_or(Span::call_site(), TokenTree::span);
                return Err(Error::new(span, "expected a struct definition"));
            }
        };
        let name = match tokens.get(pos + 1) {
            Some(TokenTree::Ident(i)) => i.clone(),
            _ => return Err(Error::new(keyword.span(), "expected the type's name")),
        };
        pos += 2;
        let generics = take_generics(&tokens, &mut pos)?;
        let (where_preds, body) = take_body(&tokens, pos, keyword.to_string() == "enum")?;
        Ok(Self {
            attrs,
            vis,
            keyword,
            name,
            generics,
            where_preds,
            body,
        })
    }

    /// The fields (none for a unit struct).
    pub(crate) fn fields(&self) -> &[Field] {
        match &self.body {
            Body::Named(f) | Body::Tuple(f) => f,
            Body::Unit => &[],
        }
    }

    /// `Name<args>`: the type this item defines.
    pub(crate) fn self_ty(&self) -> TokenStream {
        let mut ty: TokenStream = TokenTree::Ident(self.name.clone()).into();
        ty.extend(self.generics.args(""));
        ty
    }

    /// `where preds` (empty without predicates), optionally with `first`
    /// prepended.
    pub(crate) fn where_clause(&self, first: Option<TokenStream>) -> TokenStream {
        if first.is_none() && self.where_preds.is_empty() {
            return TokenStream::new();
        }
        let mut out = parse("where");
        if let Some(first) = first {
            out.extend(first);
            out.extend(parse(","));
        }
        out.extend(stream(&self.where_preds));
        out
    }

    /// Replaces `Self` with the concrete type in the generics, the where
    /// clause and the field types, for code outside the type's own impls.
    pub(crate) fn replace_self(&mut self) {
        let with = self.self_ty();
        let fix = |t: &Tokens| crate::tokens::replace_self(t, &with);
        for p in &mut self.generics.params {
            p.decl = fix(&p.decl);
        }
        self.generics.raw = fix(&self.generics.raw);
        self.where_preds = fix(&self.where_preds);
        if let Body::Named(fields) | Body::Tuple(fields) = &mut self.body {
            for f in fields {
                f.ty = fix(&f.ty);
            }
        }
    }
}

/// Removes a visibility (`pub`, `pub(crate)`, ...) at `tokens[*pos..]`.
fn take_vis(tokens: &[TokenTree], pos: &mut usize) -> Tokens {
    let start = *pos;
    if tokens.get(*pos).is_some_and(|t| is_ident(t, "pub")) {
        *pos += 1;
        if tokens
            .get(*pos)
            .is_some_and(|t| as_group(t, Delimiter::Parenthesis).is_some())
        {
            *pos += 1;
        }
    }
    tokens[start..*pos].to_vec()
}

fn take_generics(tokens: &[TokenTree], pos: &mut usize) -> Result<Generics> {
    if !tokens.get(*pos).is_some_and(|t| is_punct(t, '<')) {
        return Ok(Generics {
            raw: Vec::new(),
            params: Vec::new(),
        });
    }
    let end = skip_angles(tokens, *pos)?;
    let raw = tokens[*pos..end].to_vec();
    let params = split_commas(&raw[1..raw.len() - 1], Mode::Type)
        .iter()
        .map(|p| GenericParam::parse(p))
        .collect::<Result<_>>()?;
    *pos = end;
    Ok(Generics { raw, params })
}

/// Parses what follows the generics: fields and the where clause, in
/// either order.
fn take_body(tokens: &[TokenTree], mut pos: usize, is_enum: bool) -> Result<(Tokens, Body)> {
    let mut body = None;
    if let Some(g) = tokens
        .get(pos)
        .and_then(|t| as_group(t, Delimiter::Parenthesis))
    {
        body = Some(Body::Tuple(parse_fields(g, false)?));
        pos += 1;
    }
    let mut preds = Vec::new();
    if tokens.get(pos).is_some_and(|t| is_ident(t, "where")) {
        pos += 1;
        while pos < tokens.len()
            && !is_punct(&tokens[pos], ';')
            && as_group(&tokens[pos], Delimiter::Brace).is_none()
        {
            preds.push(tokens[pos].clone());
            pos += 1;
        }
        if preds.last().is_some_and(|t| is_punct(t, ',')) {
            preds.pop();
        }
    }
    if body.is_none() {
        body = Some(match tokens.get(pos) {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace && is_enum => Body::Unit,
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                Body::Named(parse_fields(g, true)?)
            }
            _ => Body::Unit,
        });
    }
    Ok((preds, body.unwrap_or(Body::Unit)))
}

fn parse_fields(group: &Group, named: bool) -> Result<Vec<Field>> {
    let tokens: Tokens = group.stream().into_iter().collect();
    let mut fields = Vec::new();
    for (index, part) in split_commas(&tokens, Mode::Type).iter().enumerate() {
        let mut pos = 0;
        let attrs = take_attrs(part, &mut pos);
        let vis = take_vis(part, &mut pos);
        let name = if named {
            let (Some(TokenTree::Ident(name)), true) = (
                part.get(pos),
                part.len() > pos + 1 && is_single_colon(part, pos + 1),
            ) else {
                let span = part.get(pos).map_or(group.span(), TokenTree::span);
                return Err(Error::new(span, "expected `name: Type`"));
            };
            pos += 2;
            FieldName::Named(name.clone())
        } else {
            FieldName::Index(index)
        };
        fields.push(Field {
            attrs,
            vis,
            name,
            ty: part[pos..].to_vec(),
        });
    }
    Ok(fields)
}
