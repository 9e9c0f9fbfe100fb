// SPDX-License-Identifier: GPL-2.0-only
//! `pin_init!` and `init!`: an initialiser written like a struct
//! expression.
//!
//! ```text
//! #[default_error(Type)]* (&this in)? Path { field, field: expr, field <- init,
//!     _: { code }, ..Zeroable::init_zeroed() } (? ErrorType)?
//! ```
//!
//! The expansion is a closure over the slot that initialises the fields in
//! order, each into a drop guard (so an error drops those done so far),
//! binds each finished field to its name for the later expressions, and
//! returns an `InitOk` once all are done. A closure that is never called
//! builds the struct from the same field list, so the compiler checks that
//! every field is named once.

use crate::item::{attrs_stream, take_attrs, Attr};
use crate::tokens::{
    as_group, expr_path, is_ident, is_joint, is_punct, is_single_colon, parse, quote, split_commas,
    stream, AngleDepth, Error, Mode, Result, Tokens,
};
use proc_macro::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};

/// Which of the two macros is expanded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `pin_init!`: fields are accessed through `#[pin_data]`.
    Pinned,
    /// `init!`: every field is unpinned.
    Unpinned,
}

/// What a field entry does.
enum Entry {
    /// `name: expr`, or `name` alone (`value` is then the name itself).
    Value { name: TokenTree, value: TokenStream },
    /// `name <- init`.
    Init { name: TokenTree, init: TokenStream },
    /// `_: { code }`.
    Code { block: Group },
}

/// One entry of the initialiser with its attributes.
struct Field {
    attrs: Vec<Attr>,
    entry: Entry,
}

impl Field {
    fn name(&self) -> Option<&TokenTree> {
        match &self.entry {
            Entry::Value { name, .. } | Entry::Init { name, .. } => Some(name),
            Entry::Code { .. } => None,
        }
    }

    fn cfgs(&self) -> TokenStream {
        attrs_stream(
            self.attrs
                .iter()
                .filter(|a| a.name().as_deref() == Some("cfg")),
        )
    }
}

/// The parsed macro input.
struct Initializer {
    this: Option<Ident>,
    path: Tokens,
    fields: Vec<Field>,
    zeroing: bool,
    error: TokenStream,
}

/// Expands `pin_init!` / `init!`.
pub(crate) fn expand(input: TokenStream, kind: Kind) -> Result<TokenStream> {
    let init = parse_initializer(input)?;
    let data_call = match kind {
        Kind::Pinned => "use ::pin_init::__internal::HasPinData; $path::__pin_data()",
        Kind::Unpinned => "use ::pin_init::__internal::HasInitData; $path::__init_data()",
    };
    let from_closure = parse(match kind {
        Kind::Pinned => "pin_init_from_closure",
        Kind::Unpinned => "init_from_closure",
    });
    let path = expr_path(&init.path);
    let data = quote(data_call, &[("path", &path)]);
    let this = match &init.this {
        Some(this) => quote(
            // SAFETY: the slot the closure gets is never null.
            "let $this = unsafe { ::core::ptr::NonNull::new_unchecked(slot) };",
            &[("this", &TokenTree::Ident(this.clone()).into())],
        ),
        None => TokenStream::new(),
    };
    let zeroing = if init.zeroing {
        quote(
            "fn __assert_zeroable<T: ?::core::marker::Sized + ::pin_init::Zeroable>(_: *mut T) {}
            __assert_zeroable(slot);
            // SAFETY: the slot is valid for writes, and zeroes are a valid
            // value of its `Zeroable` type.
            unsafe { ::core::ptr::write_bytes(slot, 0, 1) };",
            &[],
        )
    } else {
        TokenStream::new()
    };
    let body = init_fields(&init.fields, kind);
    let check = field_check(&init, &path);
    Ok(quote(
        "{
            // SAFETY: this is the initialiser macro the data is meant for.
            let __data = unsafe { $data };
            let __init = __data.__make_closure::<_, $error>(move |slot| {
                $zeroing
                $this
                $body
                $check
                // SAFETY: every field was initialised above.
                ::core::result::Result::Ok(unsafe { ::pin_init::__internal::InitOk::new() })
            });
            let __init = move |slot| -> ::core::result::Result<(), $error> {
                __init(slot).map(|_| ())
            };
            // SAFETY: the closure initialises every field (checked by the
            // compiler through `InitOk` and the struct expression), drops
            // them again on error and initialises pinned fields only with
            // `PinInit`s in place.
            unsafe { ::pin_init::$from_closure::<_, $error>(__init) }
        }",
        &[
            ("data", &data),
            ("error", &init.error),
            ("zeroing", &zeroing),
            ("this", &this),
            ("body", &body),
            ("check", &check),
            ("from_closure", &from_closure),
        ],
    ))
}

/// One guarded initialisation per field, then the guards are disarmed.
fn init_fields(fields: &[Field], kind: Kind) -> TokenStream {
    let mut out = TokenStream::new();
    let mut disarm = TokenStream::new();
    for field in fields {
        let attrs = attrs_stream(&field.attrs);
        let (name, action) = match &field.entry {
            Entry::Code { block } => {
                out.extend(attrs);
                out.extend([TokenTree::Group(block.clone())]);
                continue;
            }
            Entry::Value { name, value } => (name, quote(".write($v)", &[("v", value)])),
            Entry::Init { name, init } => (name, quote(".init($v)?", &[("v", init)])),
        };
        let label = name.to_string();
        let label = label.trim_start_matches("r#");
        let guard: TokenStream =
            TokenTree::Ident(Ident::new(&format!("__guard_{label}"), Span::mixed_site())).into();
        let name_ts: TokenStream = name.clone().into();
        let slot = match kind {
            Kind::Pinned => {
                let method = match name {
                    TokenTree::Literal(_) => {
                        TokenTree::Ident(Ident::new(&format!("_{label}"), name.span()))
                    }
                    _ => name.clone(),
                };
                quote("__data.$m(slot)", &[("m", &method.into())])
            }
            Kind::Unpinned => quote(
                "::pin_init::__internal::Slot::<::pin_init::__internal::Unpinned, _>::new(
                    ::core::ptr::addr_of_mut!((*slot).$f)
                )",
                &[("f", &name_ts)],
            ),
        };
        let cfgs = field.cfgs();
        let vars = [
            ("attrs", &attrs),
            ("cfgs", &cfgs),
            ("guard", &guard),
            ("slot", &slot),
            ("action", &action),
            ("name", &name_ts),
        ];
        out.extend(quote(
            // SAFETY: the field lies in the valid slot, is uninitialised and
            // only used here (the struct check rejects a field named twice
            // and unaligned fields), and `#[pin_data]` says whether it is
            // pinned.
            "$attrs let mut $guard = (unsafe { $slot })$action;",
            &vars,
        ));
        if matches!(name, TokenTree::Ident(_)) {
            out.extend(quote(
                "$cfgs #[allow(unused_variables, non_snake_case)] let $name = $guard.let_binding();",
                &vars,
            ));
        }
        disarm.extend(quote("$cfgs $guard.disarm();", &vars));
    }
    out.extend(disarm);
    out
}

/// Code that is never run but makes the compiler check the field list: a
/// reference to every field (rejects unaligned ones) and the struct built
/// from all of them (rejects missing and repeated fields, unless zeroed).
fn field_check(init: &Initializer, path: &TokenStream) -> TokenStream {
    let mut refs = TokenStream::new();
    let mut fields = TokenStream::new();
    for field in &init.fields {
        let Some(name) = field.name() else { continue };
        let vars = [("cfgs", &field.cfgs()), ("f", &name.clone().into())];
        refs.extend(quote("$cfgs let _ = &(*slot).$f;", &vars));
        fields.extend(quote("$cfgs $f: loop {},", &vars));
    }
    if init.zeroing {
        fields.extend(parse("..::core::mem::zeroed()"));
    }
    let fields: TokenStream = TokenTree::Group(Group::new(Delimiter::Brace, fields)).into();
    quote(
        "#[allow(unreachable_code, clippy::diverging_sub_expression)]
        // SAFETY: never executed.
        let _ = || unsafe {
            $refs
            ::core::ptr::write(slot, $path $fields);
        };",
        &[("refs", &refs), ("path", path), ("fields", &fields)],
    )
}

fn parse_initializer(input: TokenStream) -> Result<Initializer> {
    let tokens: Tokens = input.into_iter().collect();
    let mut pos = 0;
    let mut error = parse("::core::convert::Infallible");
    for attr in take_attrs(&tokens, &mut pos) {
        match (attr.name().as_deref(), attr.paren_args()) {
            (Some("default_error"), Some(ty)) => error = ty,
            _ => return Err(Error::new(attr.span(), "unknown initializer attribute")),
        }
    }
    let mut this = None;
    if tokens.get(pos).is_some_and(|t| is_punct(t, '&')) {
        match (tokens.get(pos + 1), tokens.get(pos + 2)) {
            (Some(TokenTree::Ident(name)), Some(t)) if is_ident(t, "in") => {
                this = Some(name.clone());
                pos += 3;
            }
            _ => {
                return Err(Error::new(
                    tokens[pos].span(),
                    "expected `&this in Type { .. }`",
                ))
            }
        }
    }
    let body_at = find_body(&tokens, pos)?;
    let body = as_group(&tokens[body_at], Delimiter::Brace).unwrap();
    let (fields, zeroing) = parse_fields(body)?;
    if let Some(t) = tokens.get(body_at + 1) {
        if !is_punct(t, '?') || tokens.len() == body_at + 2 {
            return Err(Error::new(
                t.span(),
                "expected `? ErrorType` or nothing after `}`",
            ));
        }
        error = stream(&tokens[body_at + 2..]);
    }
    Ok(Initializer {
        this,
        path: tokens[pos..body_at].to_vec(),
        fields,
        zeroing,
        error,
    })
}

/// The index of the `{ .. }` after the struct path.
fn find_body(tokens: &[TokenTree], start: usize) -> Result<usize> {
    let mut angles = AngleDepth::new(Mode::Type);
    for i in start..tokens.len() {
        angles.step(tokens, i);
        if angles.at_top() && as_group(&tokens[i], Delimiter::Brace).is_some() {
            if i == start {
                break;
            }
            return Ok(i);
        }
    }
    let span = tokens.get(start).map_or(Span::call_site(), TokenTree::span);
    Err(Error::new(span, "expected `Type { fields }`"))
}

/// The field entries and whether `..Zeroable::init_zeroed()` ends them.
fn parse_fields(body: &Group) -> Result<(Vec<Field>, bool)> {
    let tokens: Tokens = body.stream().into_iter().collect();
    let parts = split_commas(&tokens, Mode::Expr);
    let mut fields = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        let mut pos = 0;
        let attrs = take_attrs(part, &mut pos);
        let rest = &part[pos..];
        if rest.len() >= 2 && is_joint(&rest[0], '.') && is_punct(&rest[1], '.') {
            if n + 1 != parts.len() {
                return Err(Error::new(rest[0].span(), "`..` must come last"));
            }
            check_zeroing(&rest[2..], rest[0].span())?;
            return Ok((fields, true));
        }
        fields.push(Field {
            attrs,
            entry: parse_entry(rest, body.span())?,
        });
    }
    Ok((fields, false))
}

/// Accepts `Zeroable::init_zeroed()` (or its older name `zeroed`).
fn check_zeroing(expr: &[TokenTree], span: Span) -> Result<()> {
    let ok = expr.len() >= 5 && {
        let n = expr.len();
        as_group(&expr[n - 1], Delimiter::Parenthesis).is_some_and(|g| g.stream().is_empty())
            && (is_ident(&expr[n - 2], "init_zeroed") || is_ident(&expr[n - 2], "zeroed"))
            && is_punct(&expr[n - 3], ':')
            && is_punct(&expr[n - 4], ':')
            && is_ident(&expr[n - 5], "Zeroable")
    };
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            span,
            "expected nothing or `..Zeroable::init_zeroed()` at the end",
        ))
    }
}

fn parse_entry(tokens: &[TokenTree], span: Span) -> Result<Entry> {
    let Some(first) = tokens.first() else {
        return Err(Error::new(span, "expected a field"));
    };
    if is_ident(first, "_") {
        return match tokens {
            [_, _, TokenTree::Group(g)]
                if is_single_colon(tokens, 1) && g.delimiter() == Delimiter::Brace =>
            {
                Ok(Entry::Code { block: g.clone() })
            }
            _ => Err(Error::new(first.span(), "expected `_: { code }`")),
        };
    }
    let is_index =
        matches!(first, TokenTree::Literal(l) if l.to_string().bytes().all(|b| b.is_ascii_digit()));
    if !matches!(first, TokenTree::Ident(_)) && !is_index {
        return Err(Error::new(first.span(), "expected a field name"));
    }
    let name = first.clone();
    match tokens.get(1) {
        None if !is_index => Ok(Entry::Value {
            value: name.clone().into(),
            name,
        }),
        Some(_) if is_single_colon(tokens, 1) && tokens.len() > 2 => Ok(Entry::Value {
            name,
            value: stream(&tokens[2..]),
        }),
        Some(t) if is_joint(t, '<') && tokens.get(2).is_some_and(|t| is_punct(t, '-')) => {
            if tokens.len() == 3 {
                return Err(Error::new(t.span(), "expected an initialiser after `<-`"));
            }
            Ok(Entry::Init {
                name,
                init: stream(&tokens[3..]),
            })
        }
        _ => Err(Error::new(
            first.span(),
            "expected `field`, `field: value` or `field <- initialiser`",
        )),
    }
}
