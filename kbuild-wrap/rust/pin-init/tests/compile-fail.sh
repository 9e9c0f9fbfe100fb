#!/usr/bin/env bash
# compile-fail.sh TARGET_DIR|PIN_INIT_RLIB
#
# Checks that the programs in compile-fail/*.rs do not compile against the
# pin_init crate, each for the reason its first line names:
#     // error: <text rustc must print>
# TARGET_DIR is the cargo target directory of a host build of the crate
# (for instance after `cargo-offline test --features std`); the newest
# debug/deps/libpin_init-*.rlib in it is used, or give the rlib itself.
# RUSTC (default: the rustc cargo-offline uses, /usr/bin/rustc) must be the
# compiler that built it.
# A program that is known to be correct is compiled first, so a broken
# setup (wrong rustc, missing rlib) fails instead of passing every case.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
rustc=${RUSTC:-/usr/bin/rustc}
[ -x "$rustc" ] || rustc=rustc

if [ $# -ne 1 ]; then
	echo "usage: $0 TARGET_DIR|PIN_INIT_RLIB" >&2
	exit 2
fi
case $1 in
*.rlib) rlib=$1 ;;
*) rlib=$(find "$1/debug/deps" -name 'libpin_init-*.rlib' -printf '%T@ %p\n' 2>/dev/null |
	sort -n | tail -n 1 | cut -d' ' -f2- || true) ;;
esac
if [ ! -f "${rlib:-}" ]; then
	echo "$0: no libpin_init rlib under $1 (build the crate first)" >&2
	exit 2
fi
deps=$(dirname "$rlib")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# compile SOURCE: rustc's diagnostics go to $work/out.
compile() {
	RUSTC_BOOTSTRAP=1 "$rustc" --edition 2021 --crate-type lib \
		--crate-name snippet --emit=metadata --out-dir "$work" \
		-L "dependency=$deps" --extern "pin_init=$rlib" "$1" >"$work/out" 2>&1
}

cat >"$work/control.rs" <<'EOF'
use core::marker::PhantomPinned;
use pin_init::{pin_data, pin_init, PinInit};

#[pin_data]
pub struct Holder {
    #[pin]
    pinned: PhantomPinned,
    value: u32,
}

pub fn make() -> impl PinInit<Holder> {
    pin_init!(Holder { pinned: PhantomPinned, value: 1 })
}
EOF
if ! compile "$work/control.rs"; then
	echo "$0: a correct program does not compile; the setup is broken:" >&2
	cat "$work/out" >&2
	exit 1
fi

failed=0 count=0
for src in "$here"/compile-fail/*.rs; do
	count=$((count + 1))
	name=$(basename "$src")
	want=$(sed -n '1s|^// error: ||p' "$src")
	if [ -z "$want" ]; then
		echo "FAIL $name: its first line is not '// error: <text>'"
		failed=$((failed + 1))
	elif compile "$src"; then
		echo "FAIL $name: compiled, expected an error containing: $want"
		failed=$((failed + 1))
	elif ! grep -qF -- "$want" "$work/out"; then
		echo "FAIL $name: rejected, but without: $want"
		sed 's/^/    /' "$work/out" | head -n 40
		failed=$((failed + 1))
	else
		echo "ok   $name"
	fi
done
echo "$((count - failed)) of $count compile-fail cases rejected as expected"
[ "$failed" -eq 0 ]
