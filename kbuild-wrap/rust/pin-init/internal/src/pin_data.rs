// SPDX-License-Identifier: GPL-2.0-only
//! `#[pin_data]`: records which fields are pinned and generates the field
//! accessors `pin_init!` uses, `project()`, the `Unpin` impl and the drop
//! glue.

use crate::item::{attrs_stream, Body, Field, ItemDef};
use crate::tokens::{call_site_ident, is_ident, parse, quote, stream, Error, Result, Tokens};
use proc_macro::{Delimiter, Group, TokenStream, TokenTree};

/// One field and whether it carries `#[pin]`.
struct PinField<'a> {
    field: &'a Field,
    pinned: bool,
}

impl PinField<'_> {
    /// The field's `#[cfg]` attributes, to put on whatever is generated
    /// for it.
    fn cfgs(&self) -> TokenStream {
        attrs_stream(
            self.field
                .attrs
                .iter()
                .filter(|a| a.name().as_deref() == Some("cfg")),
        )
    }
}

/// Expands `#[pin_data(args)] item`.
pub(crate) fn pin_data(args: TokenStream, input: TokenStream) -> Result<TokenStream> {
    let pinned_drop = parse_args(args)?;
    let mut item = ItemDef::parse(input)?;
    if item.keyword.to_string() != "struct" {
        return Err(Error::new(
            item.keyword.span(),
            "`#[pin_data]` only supports structs",
        ));
    }
    item.replace_self();
    let fields = pin_fields(&item)?;
    let mut out = definition(&item, &fields);
    out.extend(projection(&item, &fields));
    let mut hidden = the_pin_data(&item, &fields);
    hidden.extend(unpin_impl(&item, &fields));
    hidden.extend(drop_impl(&item, pinned_drop));
    let block: TokenStream = TokenTree::Group(Group::new(Delimiter::Brace, hidden)).into();
    out.extend(quote("const _: () = $block;", &[("block", &block)]));
    Ok(out)
}

/// Whether the arguments ask for `PinnedDrop`.
fn parse_args(args: TokenStream) -> Result<bool> {
    let tokens: Tokens = args.into_iter().collect();
    match tokens.as_slice() {
        [] => Ok(false),
        [t] if is_ident(t, "PinnedDrop") => Ok(true),
        [t, ..] => Err(Error::new(
            t.span(),
            "expected nothing or `PinnedDrop` as argument of `#[pin_data]`",
        )),
    }
}

fn pin_fields(item: &ItemDef) -> Result<Vec<PinField<'_>>> {
    let tuple = matches!(item.body, Body::Tuple(_));
    let mut out = Vec::new();
    for field in item.fields() {
        let pins = field
            .attrs
            .iter()
            .filter(|a| a.name().as_deref() == Some("pin"));
        let mut pinned = false;
        for attr in pins {
            if !attr.is_bare("pin") {
                return Err(Error::new(attr.span(), "`#[pin]` takes no arguments"));
            }
            if pinned {
                return Err(Error::new(attr.span(), "`#[pin]` given more than once"));
            }
            pinned = true;
        }
        let has_cfg = field
            .attrs
            .iter()
            .any(|a| a.name().as_deref() == Some("cfg"));
        if tuple && has_cfg {
            let span = field.attrs[0].span();
            return Err(Error::new(
                span,
                "`#[cfg]` on a tuple field is not supported by `#[pin_data]`",
            ));
        }
        out.push(PinField { field, pinned });
    }
    Ok(out)
}

/// The struct itself, without the `#[pin]` attributes.
fn definition(item: &ItemDef, fields: &[PinField<'_>]) -> TokenStream {
    let mut out = attrs_stream(&item.attrs);
    out.extend(stream(&item.vis));
    out.extend([
        TokenTree::Ident(item.keyword.clone()),
        TokenTree::Ident(item.name.clone()),
    ]);
    out.extend(stream(&item.generics.raw));
    let mut body = TokenStream::new();
    for f in fields {
        body.extend(attrs_stream(
            f.field.attrs.iter().filter(|a| !a.is_bare("pin")),
        ));
        body.extend(stream(&f.field.vis));
        if let crate::item::FieldName::Named(name) = &f.field.name {
            body.extend([TokenTree::Ident(name.clone())]);
            body.extend(parse(":"));
        }
        body.extend(stream(&f.field.ty));
        body.extend(parse(","));
    }
    let whr = item.where_clause(None);
    match item.body {
        Body::Named(_) => {
            out.extend(whr);
            out.extend([TokenTree::Group(Group::new(Delimiter::Brace, body))]);
        }
        Body::Tuple(_) => {
            out.extend([TokenTree::Group(Group::new(Delimiter::Parenthesis, body))]);
            out.extend(whr);
            out.extend(parse(";"));
        }
        Body::Unit => {
            out.extend(whr);
            out.extend(parse(";"));
        }
    }
    out
}

/// `NameProjection` and `Name::project()`.
fn projection(item: &ItemDef, fields: &[PinField<'_>]) -> TokenStream {
    let proj_name: TokenStream =
        TokenTree::Ident(call_site_ident(&format!("{}Projection", item.name))).into();
    let tuple = matches!(item.body, Body::Tuple(_));
    let mut decls = TokenStream::new();
    let mut inits = TokenStream::new();
    for f in fields {
        let cfgs = f.cfgs();
        let access = f.field.name.access();
        let ty = stream(&f.field.ty);
        let vis = stream(&f.field.vis);
        let (decl_ty, init) = if f.pinned {
            (
                quote("::core::pin::Pin<&'__pin mut $ty>", &[("ty", &ty)]),
                quote(
                    // SAFETY: the field is structurally pinned, and `this`
                    // comes from a pinned reference.
                    "unsafe { ::core::pin::Pin::new_unchecked(&mut __this.$f) }",
                    &[("f", &access)],
                ),
            )
        } else {
            (
                quote("&'__pin mut $ty", &[("ty", &ty)]),
                quote("&mut __this.$f", &[("f", &access)]),
            )
        };
        let vars = [
            ("cfgs", &cfgs),
            ("vis", &vis),
            ("ty", &decl_ty),
            ("f", &access),
            ("init", &init),
        ];
        if tuple {
            decls.extend(quote("$vis $ty,", &vars));
            inits.extend(quote("$init,", &vars));
        } else {
            decls.extend(quote("$cfgs $vis $f: $ty,", &vars));
            inits.extend(quote("$cfgs $f: $init,", &vars));
        }
    }
    let vis = stream(&item.vis);
    let doc_pinned = field_list(fields, true);
    let doc_unpinned = field_list(fields, false);
    let doc = format!(
        "The fields of a pinned `{}`: structurally pinned ({doc_pinned}) as `Pin<&mut _>`, \
         the others ({doc_unpinned}) as `&mut _`.",
        item.name
    );
    let doc: TokenStream = TokenTree::Literal(proc_macro::Literal::string(&doc)).into();
    let fn_doc = format!("Projects a pinned `{}` to its fields.", item.name);
    let fn_doc: TokenStream = TokenTree::Literal(proc_macro::Literal::string(&fn_doc)).into();
    let vars = [
        ("vis", &vis),
        ("proj", &proj_name),
        ("decls", &decls),
        ("inits", &inits),
        ("doc", &doc),
        ("fn_doc", &fn_doc),
        ("impl_pin", &item.generics.impl_params("'__pin")),
        ("impl", &item.generics.impl_params("")),
        ("args_pin", &item.generics.args("'__pin")),
        ("self_ty", &item.self_ty()),
        ("whr", &item.where_clause(None)),
    ];
    let strukt = if tuple {
        "$vis struct $proj $impl_pin ($decls ::core::marker::PhantomData<&'__pin mut ()>,) $whr;"
    } else {
        "$vis struct $proj $impl_pin $whr {
            $decls
            __pin_phantom: ::core::marker::PhantomData<&'__pin mut ()>,
        }"
    };
    let build = if tuple {
        "$proj($inits ::core::marker::PhantomData)"
    } else {
        "$proj { $inits __pin_phantom: ::core::marker::PhantomData }"
    };
    let template = format!(
        "#[doc = $doc]
        #[doc(hidden)]
        #[allow(dead_code, non_snake_case)]
        {strukt}

        impl $impl $self_ty $whr {{
            #[doc = $fn_doc]
            #[inline]
            #[allow(dead_code)]
            $vis fn project<'__pin>(
                self: ::core::pin::Pin<&'__pin mut Self>,
            ) -> $proj $args_pin {{
                // SAFETY: only the fields that are not structurally pinned
                // are handed out unpinned.
                let __this = unsafe {{ ::core::pin::Pin::get_unchecked_mut(self) }};
                {build}
            }}
        }}"
    );
    quote(&template, &vars)
}

/// `a`, `b` or `none`, for the docs.
fn field_list(fields: &[PinField<'_>], pinned: bool) -> String {
    let names: Vec<String> = fields
        .iter()
        .filter(|f| f.pinned == pinned)
        .map(|f| format!("`{}`", f.field.name.text()))
        .collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// `__ThePinData`: one accessor per field returning a `Slot` that is
/// `Pinned` for the `#[pin]` fields, and the `HasPinData` impl.
fn the_pin_data(item: &ItemDef, fields: &[PinField<'_>]) -> TokenStream {
    let self_ty = item.self_ty();
    let mut accessors = TokenStream::new();
    for f in fields {
        let marker = parse(if f.pinned { "Pinned" } else { "Unpinned" });
        let method: TokenStream = TokenTree::Ident(f.field.name.ident()).into();
        accessors.extend(quote(
            "$cfgs
            #[inline(always)]
            #[allow(non_snake_case)]
            $vis unsafe fn $method(
                self,
                slot: *mut $self_ty,
            ) -> ::pin_init::__internal::Slot<::pin_init::__internal::$marker, $ty> {
                // SAFETY: the caller guarantees the field is valid for
                // writes, aligned, uninitialised and exclusively accessed;
                // `$marker` says whether it is structurally pinned.
                unsafe { ::pin_init::__internal::Slot::new(::core::ptr::addr_of_mut!((*slot).$field)) }
            }",
            &[
                ("cfgs", &f.cfgs()),
                ("vis", &stream(&f.field.vis)),
                ("method", &method),
                ("self_ty", &self_ty),
                ("marker", &marker),
                ("ty", &stream(&f.field.ty)),
                ("field", &f.field.name.access()),
            ],
        ));
    }
    quote(
        "#[doc(hidden)]
        $vis struct __ThePinData $impl $whr {
            __phantom: ::pin_init::__internal::PhantomInvariant<$self_ty>,
        }

        impl $impl ::core::clone::Clone for __ThePinData $args $whr {
            #[inline(always)]
            fn clone(&self) -> Self {
                *self
            }
        }

        impl $impl ::core::marker::Copy for __ThePinData $args $whr {}

        #[allow(dead_code)]
        impl $impl __ThePinData $args $whr {
            /// Returns `f`, typed for inference.
            #[inline(always)]
            $vis fn __make_closure<__F, __E>(self, f: __F) -> __F
            where
                __F: ::core::ops::FnOnce(*mut $self_ty) -> ::core::result::Result<
                    ::pin_init::__internal::InitOk,
                    __E,
                >,
            {
                f
            }

            $accessors
        }

        // SAFETY: the accessors give each field the pinning `#[pin]` asked
        // for, and this is the only implementation.
        unsafe impl $impl ::pin_init::__internal::HasPinData for $self_ty $whr {
            type PinData = __ThePinData $args;

            #[inline(always)]
            unsafe fn __pin_data() -> Self::PinData {
                __ThePinData { __phantom: ::pin_init::__internal::PhantomInvariant::new() }
            }
        }",
        &[
            ("vis", &stream(&item.vis)),
            ("impl", &item.generics.impl_params("")),
            ("args", &item.generics.args("")),
            ("whr", &item.where_clause(None)),
            ("self_ty", &self_ty),
            ("accessors", &accessors),
        ],
    )
}

/// `Unpin` for the struct exactly when every `#[pin]` field is `Unpin`.
///
/// The fields are gathered in a helper struct with a lifetime parameter,
/// which keeps the bound from being a trivial (rejected) one for structs
/// without generics.
fn unpin_impl(item: &ItemDef, fields: &[PinField<'_>]) -> TokenStream {
    let mut pinned = TokenStream::new();
    for f in fields.iter().filter(|f| f.pinned) {
        let name: TokenStream =
            TokenTree::Ident(call_site_ident(&format!("__field_{}", f.field.name.text()))).into();
        pinned.extend(quote(
            "$cfgs $name: $ty,",
            &[
                ("cfgs", &f.cfgs()),
                ("name", &name),
                ("ty", &stream(&f.field.ty)),
            ],
        ));
    }
    let bound = quote(
        "__Unpin $args_pin: ::core::marker::Unpin",
        &[("args_pin", &item.generics.args("'__pin"))],
    );
    quote(
        "#[allow(dead_code, non_snake_case)]
        struct __Unpin $impl_pin $whr {
            __phantom_pin: ::pin_init::__internal::PhantomInvariantLifetime<'__pin>,
            __phantom: ::pin_init::__internal::PhantomInvariant<$self_ty>,
            $pinned
        }

        #[doc(hidden)]
        impl $impl_pin ::core::marker::Unpin for $self_ty $whr_bound {}",
        &[
            ("impl_pin", &item.generics.impl_params("'__pin")),
            ("whr", &item.where_clause(None)),
            ("whr_bound", &item.where_clause(Some(bound))),
            ("self_ty", &item.self_ty()),
            ("pinned", &pinned),
        ],
    )
}

/// With `PinnedDrop`: a `Drop` impl calling `PinnedDrop::drop`. Without:
/// traits that make a user's `Drop` (or a forgotten `PinnedDrop`
/// argument) a conflicting-impl error.
fn drop_impl(item: &ItemDef, pinned_drop: bool) -> TokenStream {
    let vars = [
        ("impl", &item.generics.impl_params("")),
        ("whr", &item.where_clause(None)),
        ("self_ty", &item.self_ty()),
    ];
    if pinned_drop {
        return quote(
            "impl $impl ::core::ops::Drop for $self_ty $whr {
                fn drop(&mut self) {
                    // SAFETY: a value being dropped is never moved again.
                    let pinned = unsafe { ::core::pin::Pin::new_unchecked(self) };
                    // SAFETY: this is the destructor the token is made for.
                    let token = unsafe { ::pin_init::__internal::OnlyCallFromDrop::new() };
                    ::pin_init::PinnedDrop::drop(pinned, token);
                }
            }",
            &vars,
        );
    }
    quote(
        "trait PinDataStructMustNotImplementDrop {}
        #[allow(drop_bounds)]
        impl<T: ::core::ops::Drop + ?::core::marker::Sized> PinDataStructMustNotImplementDrop for T {}
        impl $impl PinDataStructMustNotImplementDrop for $self_ty $whr {}

        trait PinnedDropNeedsPinDataPinnedDropArgument {}
        impl<T: ::pin_init::PinnedDrop + ?::core::marker::Sized>
            PinnedDropNeedsPinDataPinnedDropArgument for T {}
        impl $impl PinnedDropNeedsPinDataPinnedDropArgument for $self_ty $whr {}",
        &vars,
    )
}
