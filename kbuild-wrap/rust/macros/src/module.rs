// SPDX-License-Identifier: GPL-2.0-only
//! `module!`: reading its fields and writing the module's entry points,
//! `.modinfo` entries and parameters.
//!
//! The expansion is generated as source text; the tokens the user wrote
//! for the module's type and the parameters' defaults are not turned into
//! text but put back as they came (see [`Holes`]).

use proc_macro::{Delimiter, Group, Span, TokenStream, TokenTree};

use crate::tokens::{byte_string_literal, c_string_literal, code, Cursor, Error, Result};

/// The keys of `module!`, in the order they must come in.
const KEYS: &[&str] = &[
    "type",
    "name",
    "authors",
    "author",
    "description",
    "license",
    "alias",
    "firmware",
    "imports_ns",
    "params",
];
const REQUIRED_KEYS: &[&str] = &["type", "name", "license"];

/// The types a parameter can have (each has its `PARAM_OPS_<TYPE>` in
/// `kernel::module_param`).
const PARAM_TYPES: &[&str] = &[
    "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "isize", "usize", "bool",
];

/// `#[no_mangle]`, as the compiler wants it (see build.rs).
fn no_mangle() -> &'static str {
    if cfg!(unsafe_attributes) {
        "#[unsafe(no_mangle)]"
    } else {
        "#[no_mangle]"
    }
}

/// `#[link_section = "name"]`, as the compiler wants it (see build.rs).
fn link_section(name: &str) -> String {
    if cfg!(unsafe_attributes) {
        format!("#[unsafe(link_section = {name:?})]")
    } else {
        format!("#[link_section = {name:?}]")
    }
}

/// One entry of `params`.
#[derive(Default)]
pub(crate) struct Param {
    pub(crate) name: String,
    pub(crate) ptype: String,
    /// Source text of the default (a hole).
    pub(crate) default: String,
    pub(crate) description: String,
}

/// The fields of a `module!` invocation.
#[derive(Default)]
pub(crate) struct ModuleInfo {
    /// Source text of the module's type (a hole).
    pub(crate) type_: String,
    pub(crate) name: String,
    /// `authors: [..]` and the older `author: ".."`, in that order.
    pub(crate) authors: Vec<String>,
    pub(crate) description: Option<String>,
    pub(crate) license: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) firmware: Vec<String>,
    pub(crate) imports_ns: Vec<String>,
    pub(crate) params: Vec<Param>,
}

/// Token streams from the input that the generated text refers to by a
/// placeholder identifier, replaced by [`Holes::fill`].
#[derive(Default)]
pub(crate) struct Holes(Vec<TokenStream>);

const HOLE_PREFIX: &str = "__module_macro_input_";

impl Holes {
    /// The placeholder of `tokens`.
    fn add(&mut self, tokens: TokenStream) -> String {
        self.0.push(tokens);
        format!("{HOLE_PREFIX}{}", self.0.len() - 1)
    }

    /// `stream` with every placeholder replaced by its tokens, in an
    /// invisible group (as a `$x:ty` or `$x:expr` of macro_rules!).
    pub(crate) fn fill(&self, stream: TokenStream) -> TokenStream {
        stream
            .into_iter()
            .map(|token| match token {
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    match name
                        .strip_prefix(HOLE_PREFIX)
                        .and_then(|n| n.parse::<usize>().ok())
                    {
                        Some(n) => Group::new(Delimiter::None, self.0[n].clone()).into(),
                        None => ident.into(),
                    }
                }
                TokenTree::Group(group) => {
                    let mut filled = Group::new(group.delimiter(), self.fill(group.stream()));
                    filled.set_span(group.span());
                    filled.into()
                }
                other => other,
            })
            .collect()
    }
}

/// Checks a string that goes into `.modinfo` or a C string.
fn modinfo_text((value, span): (String, Span), ascii: bool) -> Result<String> {
    if value.contains('\0') {
        return Err(Error::new(span, "NUL characters are not allowed here"));
    }
    if ascii && !value.is_ascii() {
        return Err(Error::new(span, "only ASCII characters are allowed here"));
    }
    Ok(value)
}

fn ascii_list(cursor: &mut Cursor) -> Result<Vec<String>> {
    let list = cursor.string_list()?;
    list.into_iter().map(|s| modinfo_text(s, true)).collect()
}

impl ModuleInfo {
    /// Reads the fields of `module!`.
    pub(crate) fn parse(input: TokenStream, holes: &mut Holes) -> Result<Self> {
        let mut info = ModuleInfo::default();
        let mut cursor = Cursor::new(input, Span::call_site());
        let mut author = Vec::new();
        cursor.keyed_values(KEYS, REQUIRED_KEYS, |key, value| {
            match key {
                "type" => info.type_ = holes.add(value.until_comma(true)),
                "name" => info.name = modinfo_text(value.string()?, true)?,
                "authors" => info.authors = ascii_list(value)?,
                "author" => author.push(modinfo_text(value.string()?, true)?),
                "description" => info.description = Some(modinfo_text(value.string()?, false)?),
                "license" => info.license = modinfo_text(value.string()?, true)?,
                "alias" => info.aliases = ascii_list(value)?,
                "firmware" => info.firmware = ascii_list(value)?,
                "imports_ns" => info.imports_ns = ascii_list(value)?,
                _ => info.params = parse_params(value, holes)?,
            }
            Ok(())
        })?;
        info.authors.append(&mut author);
        Ok(info)
    }

    /// The source text of the expansion.
    pub(crate) fn expand(&self) -> String {
        // The name in identifiers and as kbuild writes it (KBUILD_MODNAME).
        let module = self.name.replace('-', "_");
        let mut modinfo = ModInfo::new(&module);
        for author in &self.authors {
            modinfo.entry("author", author);
        }
        if let Some(description) = &self.description {
            modinfo.entry("description", description);
        }
        modinfo.entry("license", &self.license);
        for alias in &self.aliases {
            modinfo.entry("alias", alias);
        }
        for firmware in &self.firmware {
            modinfo.entry("firmware", firmware);
        }
        for ns in &self.imports_ns {
            modinfo.entry("import_ns", ns);
        }
        let mut params = String::new();
        for param in &self.params {
            modinfo.entry("parmtype", &format!("{}:{}", param.name, param.ptype));
            modinfo.entry("parm", &format!("{}:{}", param.name, param.description));
            params.push_str(&param.expand(&module));
        }
        format!(
            r#"
/// The module's name, the prefix of its log messages.
#[allow(dead_code)]
const __LOG_PREFIX: &[u8] = {log_prefix};

/// The type of the module, as given to `module!`.
#[allow(dead_code)]
type LocalModule = {type_};

impl ::kernel::ModuleMetadata for LocalModule {{
    const NAME: &'static ::kernel::str::CStr = {name};

    #[cfg(MODULE)]
    // SAFETY: `__this_module` is the `struct module` of this module, made by
    // kbuild and valid while the module is loaded.
    const THIS_MODULE: ::kernel::ThisModule =
        unsafe {{ ::kernel::ThisModule::from_ptr(::core::ptr::addr_of_mut!(::kernel::bindings::__this_module)) }};

    #[cfg(not(MODULE))]
    // SAFETY: code built into the kernel has no `struct module`.
    const THIS_MODULE: ::kernel::ThisModule =
        unsafe {{ ::kernel::ThisModule::from_ptr(::core::ptr::null_mut()) }};
}}

// Nested private modules: nothing outside can name what is inside.
#[doc(hidden)]
mod __module_init {{
    mod __module_init {{
{modinfo}
        #[cfg(MODULE)]
        static __MOD: ::kernel::module::ModuleStorage<super::super::LocalModule> =
            ::kernel::module::ModuleStorage::new();

        /// Called by the kernel when it loads the module.
        #[cfg(MODULE)]
        {no_mangle}
        pub extern "C" fn init_module() -> ::kernel::ffi::c_int {{
            // SAFETY: the kernel calls `init_module` once, before
            // `cleanup_module`; nothing else can name `__MOD`.
            unsafe {{ __MOD.init() }}
        }}

        /// Called by the kernel when it unloads the module.
        #[cfg(MODULE)]
        {no_mangle}
        pub extern "C" fn cleanup_module() {{
            // SAFETY: the kernel calls `cleanup_module` once, and only after
            // `init_module` returned 0; nothing else can name `__MOD`.
            unsafe {{ __MOD.exit() }}
        }}
    }}
}}

/// The module's parameters (`params` of `module!`).
#[allow(dead_code)]
mod module_parameters {{
{params}}}
"#,
            log_prefix = byte_string_literal(format!("{}\0", self.name).as_bytes()),
            type_ = self.type_,
            name = c_string_literal(&self.name),
            modinfo = modinfo.text,
            no_mangle = no_mangle(),
        )
    }
}

/// Reads `params: { NAME: TYPE { default: EXPR, description: "..", }, .. }`.
fn parse_params(cursor: &mut Cursor, holes: &mut Holes) -> Result<Vec<Param>> {
    let mut list = cursor.group(Delimiter::Brace, "`{` with the parameters")?;
    let mut params = Vec::new();
    while !list.is_empty() {
        let mut param = Param {
            name: list.ident()?.to_string(),
            ..Param::default()
        };
        list.punct(':')?;
        let ptype = list.ident()?;
        param.ptype = ptype.to_string();
        if !PARAM_TYPES.contains(&param.ptype.as_str()) {
            let message =
                format!("parameters cannot have this type; the types are {PARAM_TYPES:?}");
            return Err(Error::new(ptype.span(), message));
        }
        let what = "`{` with the parameter's default and description";
        let mut fields = list.group(Delimiter::Brace, what)?;
        let keys = &["default", "description"];
        fields.keyed_values(keys, keys, |key, value| {
            match key {
                "default" => param.default = holes.add(value.until_comma(false)),
                _ => param.description = modinfo_text(value.string()?, false)?,
            }
            Ok(())
        })?;
        params.push(param);
        if !list.is_empty() {
            list.punct(',')?;
        }
    }
    Ok(params)
}

impl Param {
    /// The parameter's static, read by the module, and its `struct
    /// kernel_param` in the `__param` section, read by the kernel.
    fn expand(&self, module: &str) -> String {
        format!(
            r#"
    #[allow(non_upper_case_globals)]
    pub(crate) static {name}: ::kernel::module_param::ModuleParamAccess<{ptype}> =
        ::kernel::module_param::ModuleParamAccess::new({default});

    const _: () = {{
        {section}
        #[used]
        static __PARAM: ::kernel::module_param::KernelParam =
            ::kernel::module_param::KernelParam::read_only(
                if ::core::cfg!(MODULE) {{ {plain_name} }} else {{ {builtin_name} }},
                <super::LocalModule as ::kernel::ModuleMetadata>::THIS_MODULE.as_ptr(),
                &::kernel::module_param::PARAM_OPS_{ops},
                {name}.as_void_ptr(),
            );
    }};
"#,
            name = self.name,
            ptype = self.ptype,
            default = self.default,
            plain_name = c_string_literal(&self.name),
            builtin_name = c_string_literal(&format!("{module}.{}", self.name)),
            ops = self.ptype.to_uppercase(),
            section = link_section("__param"),
        )
    }
}

/// The `.modinfo` statics: `key=value\0` for a loadable module,
/// `module.key=value\0` for one built into the kernel.
struct ModInfo<'a> {
    module: &'a str,
    text: String,
    count: usize,
}

impl<'a> ModInfo<'a> {
    fn new(module: &'a str) -> Self {
        ModInfo {
            module,
            text: String::new(),
            count: 0,
        }
    }

    fn entry(&mut self, key: &str, value: &str) {
        for (cfg, prefix) in [
            ("MODULE", String::new()),
            ("not(MODULE)", format!("{}.", self.module)),
        ] {
            let bytes = format!("{prefix}{key}={value}\0");
            self.text.push_str(&format!(
                r#"
        #[cfg({cfg})]
        {section}
        #[used]
        static __MODINFO_{count}: [u8; {len}] = *{literal};
"#,
                count = self.count,
                len = bytes.len(),
                literal = byte_string_literal(bytes.as_bytes()),
                section = link_section(".modinfo"),
            ));
            self.count += 1;
        }
    }
}

/// `module!` on `input`.
pub(crate) fn module(input: TokenStream) -> TokenStream {
    let mut holes = Holes::default();
    match ModuleInfo::parse(input, &mut holes) {
        Ok(info) => holes.fill(code(&info.expand())),
        Err(e) => e.into_compile_error(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> ModuleInfo {
        ModuleInfo {
            type_: "RustMinimal".into(),
            name: "rust-minimal".into(),
            authors: vec!["A".into(), "B".into()],
            description: Some("Say \"hi\"".into()),
            license: "GPL".into(),
            aliases: vec!["devname:x".into()],
            firmware: vec![],
            imports_ns: vec!["NS".into()],
            params: vec![Param {
                name: "level".into(),
                ptype: "u8".into(),
                default: "3".into(),
                description: "How loud".into(),
            }],
        }
    }

    /// The modinfo entries of a loadable module, in order.
    fn loadable_entries(text: &str) -> Vec<&str> {
        let mut lines = text.lines();
        let mut entries = Vec::new();
        while let Some(line) = lines.next() {
            if line.trim() == "#[cfg(MODULE)]" && lines.next().unwrap().contains(".modinfo") {
                lines.next();
                let s = lines.next().unwrap();
                entries.push(&s[s.find("*b\"").unwrap() + 3..s.rfind('"').unwrap()]);
            }
        }
        entries
    }

    #[test]
    fn modinfo_of_a_loadable_module() {
        let text = minimal().expand();
        assert_eq!(
            loadable_entries(&text),
            [
                r"author=A\x00",
                r"author=B\x00",
                r#"description=Say \"hi\"\x00"#,
                r"license=GPL\x00",
                r"alias=devname:x\x00",
                r"import_ns=NS\x00",
                r"parmtype=level:u8\x00",
                r"parm=level:How loud\x00",
            ]
        );
        assert!(text.contains(r#"static __MODINFO_1: [u8; 22] = *b"rust_minimal.author=A\x00";"#));
    }

    #[test]
    fn names_and_parameters() {
        let text = minimal().expand();
        assert!(text.contains(r#"const __LOG_PREFIX: &[u8] = b"rust-minimal\x00";"#));
        assert!(text.contains(r#"const NAME: &'static ::kernel::str::CStr = c"rust-minimal";"#));
        assert!(text.contains("type LocalModule = RustMinimal;"));
        assert!(text.contains("static level: ::kernel::module_param::ModuleParamAccess<u8> ="));
        assert!(text.contains("ModuleParamAccess::new(3)"));
        assert!(
            text.contains(r#"if ::core::cfg!(MODULE) { c"level" } else { c"rust_minimal.level" }"#)
        );
        assert!(text.contains("&::kernel::module_param::PARAM_OPS_U8,"));
    }
}
