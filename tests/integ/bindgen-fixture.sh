#!/usr/bin/env bash
# bindgen-fixture.sh KELFIX_BINDGEN
#
# kelfix-bindgen on fixtures/bindgen/layout.h (no kernel, plain flags):
#   - the text has each expected item (repr per layout shape, opaque blobs
#     where Rust cannot express the layout, wrappers, constants, the doc
#     line saying where C declares each anonymous type) and not the record
#     nothing reaches;
#   - a crate including it builds for x86_64-unknown-none (rustc checks
#     every assertion), together with compile-time checks that the bit-field
#     accessors read the values a C compiler stored;
#   - the same crate with one assertion falsified does NOT build (so the
#     assertions are live);
#   - helpers.c compiles and defines the wrappers;
#   - when helpers.c cannot be written, bindings.rs is not written either.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
root=$(cd "$here/../.." && pwd)
gen=$1
fix=$root/fixtures/bindgen
has() { grep -qF -- "$2" "$work/out/bindings.rs" || { echo "missing: $2"; return 1; }; }

mkdir -p "$work/out"
"$gen" --allowlist-function 'kx_.*' --allowlist-type 'kx_.*' --allowlist-var 'kx_.*' \
	--constant KX_GFP --constant KX_IOR_GET --constant KX_NEGATIVE --constant KX_BIG \
	--constant KX_GFP \
	"$fix/layout.h" -o "$work/out/bindings.rs" --wrappers "$work/out/helpers.c" 2>"$work/gen.err"

while IFS='|' read -r name text; do
	[ -n "$name" ] && check "$name" has "$name" "$text"
done <<'EOF_ITEMS'
packed|#[repr(C, packed)]
packed offset|offset_of!(kx_packed, b) == 1);
aligned(16) marker|    _align: [u128; 0],
64-aligned member|#[repr(C, align(64))]
cacheline padding|offset_of!(kx_cacheline, y) == 64);
packed+aligned opaque|pub struct kx_packed_aligned {
packed+aligned opaque blob|    _opaque: [u64; 1],
packed holding align(64): opaque|    _opaque: [u8; 129],
flexible array|    pub data: [u64; 0],
anonymous union member|    pub __anon_0: kx_anon____anon_0,
union|pub union kx_anon____anon_0 {
named anonymous struct|    pub named: kx_anon__named,
anonymous union: where C declares it|/// Anonymous union in `kx_anon`, its anonymous type 1 (member `__anon_0`).
nested anonymous struct: its own count|/// Anonymous struct in `kx_anon____anon_0`, its anonymous type 1 (member `__anon_0`).
anonymous enum counts too|/// Anonymous enum in `kx_anon`, its anonymous type 2 (member `state`).
named member of anonymous type|/// Anonymous struct in `kx_anon`, its anonymous type 3 (member `named`).
bit-field unit|    pub _bitfield_1: [u8; 12],
signed bit-field getter|    pub const fn mid(&self) -> core::ffi::c_int {
enum type|pub type kx_color = core::ffi::c_uint;
enum value|pub const KX_GREEN: kx_color = 5;
negative enum|pub const KX_NEG: kx_neg = -1;
fn pointer typedef|pub type kx_cb_t = Option<unsafe extern "C" fn(
fn pointer array|    pub ioctl_table: [Option<unsafe extern "C" fn(
keyword field|    pub priv_: *const kx_opaque,
incomplete type|pub struct kx_opaque {
variadic|    pub fn kx_printf(fmt: *const core::ffi::c_char, ...) -> core::ffi::c_int;
extern static|    pub static mut kx_default_ops: kx_ops;
const extern static|    pub static kx_table_len: core::ffi::c_int;
static inline via wrapper|    #[link_name = "kelfix_kx_alloc"]
macro over function via wrapper|    #[link_name = "kelfix_kx_zalloc"]
macro over variadic links to it|    #[link_name = "kx_printf"]
constant keeps typedef|pub const KX_GFP: gfp_t = 1088;
ioctl-style constant|pub const KX_IOR_GET: core::ffi::c_ulong = 2147969793;
negative constant|pub const KX_NEGATIVE: core::ffi::c_int = -22;
64-bit constant|pub const KX_BIG: core::ffi::c_ulonglong = 18446744069414584320;
EOF_ITEMS
# KX_GFP is named twice (as a module's KELFIX_BINDGEN_FLAGS may repeat one
# of the kernel crate's): bound once.
check "constant named twice: bound once" test "$(grep -c '^pub const KX_GFP:' "$work/out/bindings.rs")" = 1
# Both outputs or neither: helpers.c cannot be written, so no bindings.rs.
mkdir -p "$work/pair"
check "no bindings.rs when helpers.c cannot be written" sh -c "! '$gen' --allowlist-function 'kx_.*' \
	'$fix/layout.h' -o '$work/pair/bindings.rs' --wrappers '$work/no-such-dir/helpers.c' &&
	[ ! -e '$work/pair/bindings.rs' ]"
check "unreached record left out" sh -c "! grep -q unrelated_unused '$work/out/bindings.rs'"
check "untyped macro argument reported" \
	grep -q "macro kx_init: no use in its expansion gives argument 1 a type" "$work/gen.err"

# Bit-field values as the C compiler lays them out, checked at compile time.
cat >"$work/bits.c" <<EOF_C
#include <stdio.h>
#include <string.h>
#include "$fix/layout.h"
int main(void)
{
	struct kx_bits b;
	memset(&b, 0, sizeof(b));
	b.tag = 7; b.lo = 5; b.mid = -3; b.hi = 0xabc; b.flag = 1; b.big = 0x123456789aULL;
	unsigned char *p = (unsigned char *)&b;
	printf("const _: () = {\n    let b: bindings::kx_bits = unsafe { core::mem::transmute::<[u8; %zu], bindings::kx_bits>([", sizeof(b));
	for (size_t i = 0; i < sizeof(b); i++)
		printf("%s%u", i ? ", " : "", p[i]);
	printf("]) };\n    assert!(b.tag == 7);\n    assert!(b.lo() == 5);\n    assert!(b.mid() == -3);\n");
	printf("    assert!(b.hi() == 0xabc);\n    assert!(b.flag());\n    assert!(b.big() == 0x123456789a);\n};\n");
	return 0;
}
EOF_C
mkdir -p "$work/crate"
cp -r "$root/fixtures/bindgen/check-crate/." "$work/crate/"
cp "$work/out/bindings.rs" "$work/crate/src/bindings.rs"
check "C bit-field probe" sh -c "cc -o '$work/bits' '$work/bits.c' && '$work/bits' >'$work/crate/src/extra.rs'"
check "crate builds: every assertion and bit-field value holds" \
	"$root/tests/lib/cargo-none" "$work/crate" "$work/crate.a"

# A falsified assertion must stop the build (the checks are live).
sed -i 's/size_of::<kx_packed>() == 7/size_of::<kx_packed>() == 8/' "$work/crate/src/bindings.rs"
check "falsified size assertion fails the build" \
	sh -c "! '$root/tests/lib/cargo-none' '$work/crate' '$work/crate-bad.a'"

check "helpers.c compiles" cc -Wall -Werror -c "$work/out/helpers.c" -o "$work/helpers.o"
for w in kelfix_kx_alloc kelfix_kx_read kelfix_kx_zalloc; do
	check "helpers.o defines $w" sh -c "nm '$work/helpers.o' | grep -q ' T $w\$'"
done
finish
