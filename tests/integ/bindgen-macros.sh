#!/usr/bin/env bash
# bindgen-macros.sh KELFIX_BINDGEN
#
# kelfix-bindgen on fixtures/bindgen/macros.h (no kernel, plain flags):
# every function-like macro there either gets a wrapper whose signature is
# the macro's own (void for a statement, the types clang gives the
# expansion, never those of a function it happens to call), or is left out
# with a warning that names it and says why; the run still succeeds.
#   - the Rust declarations and the C prototypes are the expected ones;
#   - the left-out macros appear in neither file, each with its warning;
#   - helpers.c compiles with -Wall -Werror and defines what Rust links to;
#   - the bindings build in a crate for x86_64-unknown-none.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=bindgen-checks.sh
. "$here/bindgen-checks.sh"
root=$(cd "$here/../.." && pwd)
gen=$1
rs=$work/out/bindings.rs
hc=$work/out/helpers.c

mkdir -p "$work/out"
check "kelfix-bindgen succeeds" sh -c "'$gen' --allowlist-function 'kx_.*|KX_.*' \\
	--allowlist-type 'kx_.*' '$root/fixtures/bindgen/macros.h' -o '$rs' --wrappers '$hc' \\
	2>'$work/gen.err'"
cat "$work/gen.err" >&2

# name|Rust declaration|C prototype
check_wrappers "$rs" "$hc" <<'EOF_MACROS'
kx_lock_init|kx_lock_init(p0: *mut kx_lock)|void kelfix_kx_lock_init(struct kx_lock * p0)
kx_obj_setup|kx_obj_setup(p0: *mut kx_obj, p1: kx_cb_t)|void kelfix_kx_obj_setup(struct kx_obj * p0, kx_cb_t p1)
kx_wake_one|kx_wake_one(p0: *mut kx_queue) -> core::ffi::c_int|int kelfix_kx_wake_one(struct kx_queue * p0)
kx_start|kx_start(p0: Option<unsafe extern "C" fn(arg0: *mut core::ffi::c_void) -> core::ffi::c_int>, p1: *mut core::ffi::c_void) -> *mut kx_task|struct kx_task * kelfix_kx_start(__typeof__(int (*)(void *)) p0, void * p1)
kx_checked|kx_checked(p0: *mut kx_lock) -> *mut kx_lock|struct kx_lock * kelfix_kx_checked(struct kx_lock * p0)
EOF_MACROS

# name|what the warning says
check_left_out "$rs" "$hc" "$work/gen.err" <<'EOF_OUT'
kx_run|variadic, and its expansion does not forward the variable arguments
KX_DEFINE_LOCK|no use in its expansion gives argument 1 a type
kx_const_only|its wrapper does not compile with the kernel's flags (
EOF_OUT

check "helpers.c compiles" cc -Wall -Werror -c "$hc" -o "$work/helpers.o"
check_wrappers_defined "$rs" "$work/helpers.o"
check_crate_builds "$rs" "crate with the bindings builds"
finish
