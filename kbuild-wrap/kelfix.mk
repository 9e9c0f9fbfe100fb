# SPDX-License-Identifier: GPL-2.0-only
# kelfix.mk: a Rust crate as (part of) a kernel module, built by kbuild.
#
# A module directory holds Rust in one of two layouts, and a Kbuild file
# that ends with the include. As in the kernel's own tree, one .rs file is
# the crate (it sees the crates `kernel` and `pin_init`; no Cargo.toml):
#
#   obj-m := rust_minimal.o              (rust_minimal.rs beside it), or
#   obj-m := rust_print.o                (a module of Rust and C parts:
#   rust_print-y := rust_print_main.o rust_print_events.o
#                                         rust_print_main.rs and
#                                         rust_print_events.c beside it)
#   include $(KELFIX_DIR)/kbuild-wrap/kelfix.mk
#
# or a cargo crate (Cargo.toml with crate-type = ["staticlib"], src/, any
# dependencies, e.g. kernel = { path = "<kelfix>/kbuild-wrap/rust/kernel" }),
# whose part is the object named *_rust.o:
#
#   obj-m := hello.o
#   hello-y := hello_rust.o
#   include $(KELFIX_DIR)/kbuild-wrap/kelfix.mk
#
# Then `make -C /lib/modules/$(uname -r)/build M=$PWD` builds hello.ko:
#
#   BINDGEN <dir>/kelfix_bindings.rs  kelfix-bindgen for this kernel: the
#                                kernel crate's kernel declarations
#                                ($KELFIX_BINDINGS for cargo) and C wrappers
#                                (kelfix_bindings_helpers.c, compiled by
#                                kbuild into the module)
#   CARGO   <dir>/hello_rust.a   cargo rustc --release --target
#                                x86_64-unknown-none, with the rustc flags
#                                this kernel's .config asks for
#                                (kelfix-kbuild rustflags); the crate's
#                                staticlib is copied here
#   KELFIX  <dir>/hello_rust.o   kelfix: one kbuild-ready object, audited
#                                against this kernel (--kernel)
#   CC [M]  <dir>/hello-kelfix_*.o  the kernel crate's C helpers
#                                (rust/helpers/*.c) and kelfix-bindgen's
#                                wrappers, added to the module, compiled
#                                with the kernel's flags
#   LD, MODPOST, CC .mod.c, LD [M] hello.ko: kbuild as for any module.
#
# (In the one-file layout the Rust object is rust_minimal_rust.o, the
# cargo crate kelfix.mk writes is .kelfix/<crate>/Cargo.toml, and cargo's
# target directory .kelfix/target.) Other objects of the module (C parts
# of your own, foo.c -> foo.o) are compiled by kbuild as usual. A cargo
# crate is alone in its directory; one-file modules may share one, as in
# the kernel's samples/rust (obj-m := rust_minimal.o rust_print.o ...),
# and then the kernel crate is compiled once for all of them. Rebuilds
# follow kbuild's rules: the crate is rebuilt when a source in cargo's
# dep-info file (every .rs file of the crate and of its path
# dependencies), Cargo.toml, Cargo.lock or the cargo command changes;
# kelfix runs again when the archive or the kelfix command changes. A make
# with nothing changed runs neither. `make clean` removes the archive, the
# objects, the .cmd files and ./target (or .kelfix).
#
# Settings (environment or make command line):
#   KELFIX_DIR          kelfix's source tree (default: the one this file is in)
#   KELFIX              the kelfix program (default: $(KELFIX_DIR)/build/bin/
#                       kelfix if it exists, else `kelfix` from PATH)
#   KELFIX_BINDGEN      the kelfix-bindgen program (default: $(KELFIX_DIR)/
#                       build/bin/kelfix-bindgen, else the one beside
#                       $(KELFIX), else `kelfix-bindgen` from PATH)
#   KELFIX_BINDGEN_FLAGS  more arguments for kelfix-bindgen (allowlists and
#                       headers for the module's own use of kernel::bindings)
#   KELFIX_KBUILD       the kelfix-kbuild program (found as KELFIX_BINDGEN is)
#   KELFIX_RUSTFLAGS    rustc flags for the crate and the core and alloc it
#                       is built with (default: `kelfix-kbuild rustflags` of
#                       this kernel: ENDBR64, no jump tables with IBT, the
#                       kernel's retpoline thunks and PLT calls, its return
#                       thunk; kbuild_rust_flags.def). They are -Z flags,
#                       as the kernel's own Rust build uses them: cargo
#                       runs with RUSTC_BOOTSTRAP=1 and builds core and
#                       alloc with them (KELFIX_BUILD_STD), so a stable
#                       rustc with its rust-src is enough. The prebuilt
#                       core has none of them; kelfix's audit refuses it
#                       on IBT kernels (KELFIX_BUILD_STD= KELFIX_RUSTFLAGS=
#                       KELFIX_FLAGS='--allow missing-endbr' to accept it).
#                       Passed as CARGO_TARGET_X86_64_UNKNOWN_NONE_RUSTFLAGS;
#                       a RUSTFLAGS in the environment overrides them.
#   KELFIX_CARGO        the cargo program (default: cargo)
#   KELFIX_RUSTC        the rustc cargo runs (default: cargo's own choice,
#                       `rustc` from PATH; passed to cargo as RUSTC)
#   KELFIX_BUILD_STD    what cargo builds from the Rust sources with the
#                       crate (default: core,alloc; empty: the toolchain's
#                       prebuilt core and alloc, which lack the flags above)
#   KELFIX_CARGO_FLAGS  more arguments for cargo build (e.g. --features x)
#   KELFIX_FLAGS        more arguments for kelfix (e.g. -m alias=foo)
#   KELFIX_CRATE        the crate's library name, if Cargo.toml's [lib] or
#                       [package] name is not it
#   CARGO_TARGET_DIR    cargo's target directory (default: ./target, removed
#                       by make clean; a directory given here is left alone)
#   KELFIX_RETHUNK_GUARD  n (default) or y: see the end of this file
# Paths must be absolute: kbuild runs make in the kernel's build directory.

kelfix-mk := $(abspath $(lastword $(MAKEFILE_LIST)))
kelfix-wrap-dir := $(patsubst %/,%,$(dir $(kelfix-mk)))
KELFIX_DIR ?= $(patsubst %/,%,$(dir $(kelfix-wrap-dir)))
KELFIX ?= $(or $(wildcard $(KELFIX_DIR)/build/bin/kelfix),kelfix)
KELFIX_CARGO ?= cargo
KELFIX_RUSTC ?=
KELFIX_BUILD_STD ?= core,alloc
KELFIX_CARGO_FLAGS ?=
KELFIX_FLAGS ?=
KELFIX_BINDGEN ?= $(or $(wildcard $(KELFIX_DIR)/build/bin/kelfix-bindgen),\
	$(wildcard $(dir $(KELFIX))kelfix-bindgen),kelfix-bindgen)
KELFIX_BINDGEN_FLAGS ?=
KELFIX_KBUILD ?= $(or $(wildcard $(KELFIX_DIR)/build/bin/kelfix-kbuild),\
	$(wildcard $(dir $(KELFIX))kelfix-kbuild),kelfix-kbuild)
ifeq ($(origin KELFIX_RUSTFLAGS),undefined)
KELFIX_RUSTFLAGS := $(shell $(KELFIX_KBUILD) rustflags $(abspath $(objtree)) || echo kelfix-kbuild-failed)
ifneq ($(filter kelfix-kbuild-failed,$(KELFIX_RUSTFLAGS)),)
$(error kelfix.mk: '$(KELFIX_KBUILD) rustflags $(abspath $(objtree))' failed (see above); set KELFIX_KBUILD or KELFIX_RUSTFLAGS)
endif
endif

kelfix-src := $(abspath $(src))

# Each Rust module M of the directory (kelfix-mods) has: its Rust object
# kelfix-obj.M, the crate's library name kelfix-crate.M, and the cargo
# manifest kelfix-manifest.M in kelfix-manifest-dir.M.
ifneq ($(wildcard $(kelfix-src)/Cargo.toml),)
# --- a cargo crate: the composite module with a *_rust.o part -------------
kelfix-parts = $(filter %_rust.o,$($(1)-y) $($(1)-objs))
kelfix-mods := $(strip $(foreach m,$(patsubst %.o,%,$(filter %.o,$(obj-m))), \
	$(if $(call kelfix-parts,$(m)),$(m))))
ifeq ($(kelfix-mods),)
$(error kelfix.mk: no <module>-y object named *_rust.o in $(src)/Kbuild; write e.g. "obj-m := hello.o" and "hello-y := hello_rust.o" before the include)
endif
ifneq ($(words $(kelfix-mods)),1)
$(error kelfix.mk: one cargo crate per directory, but modules "$(kelfix-mods)" each have a *_rust.o part)
endif
kelfix-obj.$(kelfix-mods) := $(strip $(call kelfix-parts,$(kelfix-mods)))
kelfix-crate.$(kelfix-mods) := $(or $(KELFIX_CRATE),$(subst -,_,$(shell awk -F'"' ' \
	/^[ \t]*\[/ { s = $$0; gsub(/[ \t]/, "", s) } \
	/^[ \t]*name[ \t]*=/ { if (s == "[lib]") l = $$2; else if (s == "[package]" && p == "") p = $$2 } \
	END { print (l != "" ? l : p) }' $(kelfix-src)/Cargo.toml 2>/dev/null)))
ifeq ($(kelfix-crate.$(kelfix-mods)),)
$(error kelfix.mk: no crate name in $(kelfix-src)/Cargo.toml (a [package] name, or set KELFIX_CRATE))
endif
kelfix-manifest-dir.$(kelfix-mods) := $(kelfix-src)
kelfix-manifest.$(kelfix-mods) := $(kelfix-src)/Cargo.toml
kelfix-target-dir := $(abspath $(or $(CARGO_TARGET_DIR),$(obj)/target))
kelfix-crate-flags :=
kelfix-clean := $(if $(CARGO_TARGET_DIR),,target)
else
# --- in-tree style: a module's part P.o with P.rs beside it, or a module
# M.o of one object with M.rs (then built as M_rust.o, the C helpers beside
# it). The .rs file is the crate root, as kbuild's own Rust rules take it:
# a crate of that name, edition 2021, no_std, --cfg MODULE, and the crates
# kernel and pin_init, through a Cargo.toml kelfix.mk writes under
# .kelfix/<crate>/. A directory may hold several such modules, as the
# kernel's samples/rust does: they share the bindings and cargo's target
# directory, so the kernel crate is compiled once for all of them.
kelfix-rs-parts = $(foreach p,$(filter %.o,$($(1)-y) $($(1)-objs)), \
	$(if $(wildcard $(kelfix-src)/$(p:.o=.rs)),$(p)))
kelfix-rs-whole = $(if $(strip $($(1)-y) $($(1)-objs)),,$(if $(wildcard $(kelfix-src)/$(1).rs),$(1)))
kelfix-mods := $(strip $(foreach m,$(patsubst %.o,%,$(filter %.o,$(obj-m))), \
	$(if $(call kelfix-rs-parts,$(m))$(call kelfix-rs-whole,$(m)),$(m))))
ifeq ($(kelfix-mods),)
$(error kelfix.mk: no Rust in $(src): no Cargo.toml, and no module object or part with a .rs file beside it (write e.g. "obj-m := rust_minimal.o" with rust_minimal.rs))
endif
# kelfix-in-tree-module M: the variables of module M; a module of one .rs
# file gets its M-y here.
define kelfix-in-tree-module
ifneq ($$(call kelfix-rs-whole,$(1)),)
kelfix-obj.$(1) := $(1)_rust.o
kelfix-rs.$(1) := $$(kelfix-src)/$(1).rs
$(1)-y := $(1)_rust.o
else
kelfix-obj.$(1) := $$(strip $$(call kelfix-rs-parts,$(1)))
kelfix-rs.$(1) := $$(kelfix-src)/$$(firstword $$(kelfix-obj.$(1):.o=.rs))
endif
kelfix-crate.$(1) := $$(subst -,_,$$(basename $$(notdir $$(kelfix-rs.$(1)))))
kelfix-manifest-dir.$(1) := $$(abspath $$(obj))/.kelfix/$$(kelfix-crate.$(1))
kelfix-manifest.$(1) := $$(kelfix-manifest-dir.$(1))/Cargo.toml
$$(kelfix-manifest.$(1)): kelfix-m := $(1)
$$(kelfix-manifest.$(1)): $$(kelfix-mk) FORCE
	$$(call filechk,kelfix_manifest)
endef
$(foreach m,$(kelfix-mods),$(eval $(call kelfix-in-tree-module,$(m))))
kelfix-target-dir := $(abspath $(or $(CARGO_TARGET_DIR),$(obj)/.kelfix/target))
# The features kbuild's own Rust rules allow modules (7.3's
# scripts/Makefile.build) that this rustc has not made stable.
kelfix-crate-flags := -Zcrate-attr=no_std -Zcrate-attr='feature(arbitrary_self_types,used_with_arg)'
kelfix-clean := .kelfix

filechk_kelfix_manifest = \
	printf '%s\n' '[package]' 'name = "$(kelfix-crate.$(kelfix-m))"' 'version = "0.0.0"' \
	'edition = "2021"' 'publish = false' '' '[lib]' 'path = "$(kelfix-rs.$(kelfix-m))"' '' \
	'[dependencies]' 'kernel = { path = "$(kelfix-wrap-dir)/rust/kernel" }' \
	'pin-init = { path = "$(kelfix-wrap-dir)/rust/pin-init" }'
endif
$(foreach m,$(kelfix-mods),$(if $(filter-out 1,$(words $(kelfix-obj.$(m)))), \
	$(error kelfix.mk: one Rust crate per module; found "$(kelfix-obj.$(m))" in module "$(m)")))

kelfix-lib = $(kelfix-obj.$(1):.o=.a)
kelfix-built = $(kelfix-target-dir)/x86_64-unknown-none/release/lib$(kelfix-crate.$(1))

# A C part written for upstream may define a tracepoint's Rust entry point
# (CREATE_RUST_TRACE_POINTS, for kernel::declare_trace!); kernels before
# 6.13 lack that glue in <linux/tracepoint.h>: kelfix's header adds it
# there, and does nothing where the kernel has it.
ccflags-y += -include $(kelfix-wrap-dir)/rust/helpers/kelfix_files_trace.h

# The kernel crate's C helpers: every rust/helpers/*.c, and the wrappers
# kelfix-bindgen writes, one object each in every Rust module, named after
# the module (M-kelfix_core.o): kbuild compiles an object once per module
# that has it, with that module's KBUILD_MODNAME.
kelfix-helpers := $(patsubst %.c,%,$(notdir $(wildcard $(kelfix-wrap-dir)/rust/helpers/*.c)))
kelfix-helper-objs = $(addprefix $(1)-,$(addsuffix .o,$(kelfix-helpers) kelfix_bindings_helpers))
$(foreach m,$(kelfix-mods),$(eval $(m)-y += $(call kelfix-helper-objs,$(m))))
targets += kelfix_bindings.rs $(foreach m,$(kelfix-mods),$(call kelfix-lib,$(m)))
clean-files += kelfix_bindings.rs kelfix_bindings_helpers.c $(kelfix-clean) \
	$(foreach m,$(kelfix-mods),$(call kelfix-lib,$(m)))

# --- kelfix-bindgen: the kernel crate's kernel interface -----------------
# Rust bindings for the kernel being built against (kelfix_bindings.rs,
# include!d by the kernel crate through $KELFIX_BINDINGS) and C wrappers
# for its static inline functions and function-like macros
# (kelfix_bindings_helpers.c, compiled by kbuild below like any C part).
# What the kernel crate uses is listed in rust/bindings.mk (also read by
# tests/lint/clippy); KELFIX_BINDGEN_FLAGS adds more for the module's own
# use (kernel::bindings), e.g. --allowlist-function 'msleep'.
include $(kelfix-wrap-dir)/rust/bindings.mk
kelfix-bindings := $(abspath $(obj))/kelfix_bindings.rs

# kelfix-bindgen asks kelfix-kbuild for the kernel's module flags, which
# runs the kernel's make once more on a probe module: none of what this
# make exports (KBUILD_EXTMOD, the jobserver, ...) may reach it, so it gets
# a clean environment (PATH, HOME, TMPDIR only), plus the kbuild variables
# given on this make's command line (make CC=gcc-12 LLVM=1 ...), as
# KELFIX_KBUILD_VARS (shell words), so that the probe is built as the
# module is. The bindings name the kernel release, so another kernel
# (another --kernel directory) is another command: if_changed runs it again.
kelfix-kbuild-var-names := ARCH SUBARCH CROSS_COMPILE LLVM LLVM_IAS CC LD AR NM \
	OBJCOPY OBJDUMP READELF STRIP HOSTCC HOSTCXX HOSTLD KCFLAGS KCPPFLAGS KAFLAGS
kelfix-squote = '$(subst ','\'',$(1))'
kelfix-kbuild-vars := $(strip $(foreach v,$(kelfix-kbuild-var-names), \
	$(if $(filter command line,$(origin $(v))),$(call kelfix-squote,$(v)=$($(v))))))
quiet_cmd_kelfix_bindgen = BINDGEN $@
      cmd_kelfix_bindgen = env -i PATH="$$PATH" HOME="$$HOME" TMPDIR="$${TMPDIR:-/tmp}" \
	$(if $(kelfix-kbuild-vars),KELFIX_KBUILD_VARS=$(call kelfix-squote,$(kelfix-kbuild-vars))) \
	$(KELFIX_BINDGEN) \
	--kernel $(abspath $(objtree)) \
	$(kelfix-bindgen-args) $(KELFIX_BINDGEN_FLAGS) \
	-o $@ --wrappers $(obj)/kelfix_bindings_helpers.c

$(obj)/kelfix_bindings.rs: $(wildcard $(KELFIX_BINDGEN)) \
		$(wildcard $(objtree)/include/generated/autoconf.h) FORCE
	$(call if_changed,kelfix_bindgen)

# Written together with kelfix_bindings.rs; compiled into each Rust module
# as M-kelfix_bindings_helpers.o (kelfix-module-rules).
$(obj)/kelfix_bindings_helpers.c: $(obj)/kelfix_bindings.rs
	@:

# --- cargo: the crate's staticlib, copied to <dir>/<name>_rust.a ----------
# kbuild's own variables for its Rust support (RUSTC, RUSTDOC, ...) must
# not reach a user's cargo build. Nor must MAKEFLAGS: under make -j it
# names jobserver descriptors make does not pass to a non-recursive recipe
# (cargo warns "failed to connect to jobserver"); cargo uses its own -j.
# RUSTC_BOOTSTRAP=1 lets a stable cargo and rustc take the -Z options
# (build-std and the code-generation flags), as the kernel's Rust build
# sets it for its own rustc.
kelfix-cargo-env := env -u RUSTC -u RUSTDOC -u RUSTFMT \
	-u RUSTC_OR_CLIPPY -u RUSTC_OR_CLIPPY_QUIET -u CARGO -u BINDGEN -u HOSTRUSTC \
	-u MAKEFLAGS -u MFLAGS RUSTC_BOOTSTRAP=1 $(if $(KELFIX_RUSTC),RUSTC=$(KELFIX_RUSTC))
kelfix-build-std := $(if $(strip $(KELFIX_BUILD_STD)),-Z build-std=$(strip $(KELFIX_BUILD_STD)))

# kbuild runs commands under `set -e`, so a failing step stops the rule
# (no `&&`: set -e ignores failures inside an && list). The dep-info rule
# is cargo's with Cargo.toml put first: fixdep takes the first
# prerequisite as the source (source_ line, not a dependency).
# `cargo rustc` gives the crate itself, and only it, what kbuild gives a
# module's Rust: --cfg MODULE (module! emits init_module under it), and in
# the in-tree style no_std and the allowed features.
quiet_cmd_kelfix_cargo = CARGO   $@
      cmd_kelfix_cargo = (cd $(kelfix-manifest-dir.$(kelfix-m)); $(kelfix-cargo-env) \
		$(kelfix-wrap-dir)/kelfix-rust-check '$(KELFIX_CARGO)' '$(KELFIX_BUILD_STD)'; \
		$(kelfix-cargo-env) \
		CARGO_TARGET_DIR=$(kelfix-target-dir) KELFIX_BINDINGS=$(kelfix-bindings) \
		CARGO_TARGET_X86_64_UNKNOWN_NONE_RUSTFLAGS='$(KELFIX_RUSTFLAGS)' \
		$(KELFIX_CARGO) rustc --lib --crate-type staticlib --release $(kelfix-build-std) \
		--target x86_64-unknown-none $(KELFIX_CARGO_FLAGS) \
		-- --cfg MODULE --check-cfg='cfg(MODULE)' $(kelfix-crate-flags)); \
	cp $(call kelfix-built,$(kelfix-m)).a $@; \
	sed '1s|^[^:]*:|$@: $(kelfix-manifest.$(kelfix-m))|' $(call kelfix-built,$(kelfix-m)).d > $(depfile)

# The .cmd file lists cargo's dep-info sources (kbuild's fixdep), so kbuild
# reruns cargo only when one of them changes.
define rule_kelfix_cargo
	$(call cmd_and_fixdep,kelfix_cargo)
endef

# --- kelfix: <dir>/<name>_rust.o -----------------------------------------
# kbuild writes the .cmd file (if_changed), so kelfix does not (--no-cmd).
# The output's audit knows this kernel (its exports, IBT, retpolines) and
# the module's other objects (the kernel crate's C helpers, the user's C
# parts), whose symbols the Rust code may use.
kelfix-module-objects = $(addprefix $(obj)/,$(filter-out $(kelfix-obj.$(1)),\
	$($(1)-y) $($(1)-objs)))
quiet_cmd_kelfix = KELFIX  $@
      cmd_kelfix = $(KELFIX) --no-cmd --kernel $(abspath $(objtree)) \
	$(addprefix --module-object ,$(call kelfix-module-objects,$(kelfix-m))) $(KELFIX_FLAGS) $< -o $@

# kelfix-module-rules M: the rules of Rust module M (kelfix-m names the
# module in the recipes). cargo's progress lines only with V=1 (not part
# of the command kbuild compares, so switching V does not rebuild). The
# kernel crate's C helpers are compiled as any C part of a module (the
# body of kbuild's own $(obj)/%.o: $(src)/%.c rule, 6.1 and 6.12).
define kelfix-module-rules
$(obj)/$(call kelfix-lib,$(1)) $(obj)/$(kelfix-obj.$(1)): kelfix-m := $(1)
$(obj)/$(call kelfix-lib,$(1)): export CARGO_TERM_QUIET = $$(if $$(quiet),true,false)
$(obj)/$(call kelfix-lib,$(1)): $(kelfix-manifest.$(1)) \
		$(wildcard $(kelfix-manifest-dir.$(1))/Cargo.lock) $(obj)/kelfix_bindings.rs FORCE
	$$(call if_changed_rule,kelfix_cargo)

$(obj)/$(kelfix-obj.$(1)): $(obj)/$(call kelfix-lib,$(1)) $(wildcard $(KELFIX)) \
		$(call kelfix-module-objects,$(1)) FORCE
	$$(call if_changed,kelfix)

$(addprefix $(obj)/$(1)-,$(addsuffix .o,$(kelfix-helpers))): $(obj)/$(1)-%.o: \
		$(kelfix-wrap-dir)/rust/helpers/%.c $$(recordmcount_source) FORCE
	$$(call if_changed_rule,cc_o_c)
	$$(call cmd,force_checksrc)

$(obj)/$(1)-kelfix_bindings_helpers.o: $(obj)/kelfix_bindings_helpers.c \
		$$(recordmcount_source) FORCE
	$$(call if_changed_rule,cc_o_c)
	$$(call cmd,force_checksrc)
endef
$(foreach m,$(kelfix-mods),$(eval $(call kelfix-module-rules,$(m))))

# The module's C parts on kernels where objtool runs on the whole linked
# module (IBT or clang LTO, kbuild's delay-objtool; Debian's 6.12 has IBT):
# objtool then reads the Rust code too. kelfix pads code with int3, which
# objtool decodes, so it finishes and writes .return_sites, and the C code's
# `jmp __x86_return_thunk` are patched as usual. Should objtool still give
# up on some Rust code ("can't find starting instruction"), those thunks
# would stay unpatched and the kernel WARN at their first use ("Unpatched
# return thunk in use"). KELFIX_RETHUNK_GUARD=y then compiles the C parts
# with plain `ret` there, as the Rust code is (rustc has no stable
# return-thunk option): no retbleed return thunks in the module, no WARN.
KELFIX_RETHUNK_GUARD ?= n
ifeq ($(KELFIX_RETHUNK_GUARD),y)
ccflags-y += $(if $(or $(CONFIG_LTO_CLANG),$(CONFIG_X86_KERNEL_IBT)),-mfunction-return=keep)
endif
