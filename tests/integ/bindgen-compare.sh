#!/usr/bin/env bash
# bindgen-compare.sh KELFIX_BINDGEN KELFIX_KBUILD SERIES
#
# kelfix-bindgen against Debian's rust-bindgen (0.60) on the same headers,
# the same kbuild flags (kelfix-kbuild cflags) and the same allowlists:
# every record both emit must have the same size and alignment.  Sizes come
# from each tool's own layout checks (ours: const assertions; bindgen's:
# bindgen_test_layout_* tests).  Prints a table of the records that differ
# in name coverage and a summary line; fails on any size/align mismatch.
# Fails when the bindgen command is not installed (.ci/bootstrap installs it).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib/kernels.sh"
. "$here/bindgen-kernel-set.sh"
gen=$1 kbuild=$2 series=$3
command -v bindgen >/dev/null || { echo "FAIL: no bindgen command (Debian package 'bindgen'; run .ci/bootstrap)" >&2; exit 1; }
kdir=$(kelfix_kdir "$series")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$kbuild" cflags --lines "$kdir" 2>/dev/null >"$tmp/flags"
mapfile -t flags <"$tmp/flags"
for h in "${KX_HEADERS[@]}"; do echo "#include <$h>"; done >"$tmp/all.h"
consts=()
for c in "${KX_CONSTS[@]}"; do consts+=(--constant "$c"); done

t0=$(date +%s.%N)
"$gen" --cflags-file "$tmp/flags" --kernel "$kdir" --allowlist-function "$KX_FUNCS" \
	--allowlist-type "$KX_TYPES" "${consts[@]}" "${KX_HEADERS[@]}" \
	-o "$tmp/kx.rs" --wrappers "$tmp/kx.c"
t1=$(date +%s.%N)
bindgen "$tmp/all.h" --use-core --ctypes-prefix core::ffi \
	--allowlist-function "$KX_FUNCS" --allowlist-type "$KX_TYPES" \
	-o "$tmp/rb.rs" -- "${flags[@]}" -Wno-everything 2>"$tmp/rb.err" ||
	{ cat "$tmp/rb.err"; echo "rust-bindgen failed"; exit 1; }
t2=$(date +%s.%N)

# name size align, one record a line, sorted
layouts() { # file
	tr '\n' ' ' <"$1" | tr -s ' ' |
		grep -oE '(size|align)_of::<[A-Za-z0-9_]+>\(\) ?(,|==) ?[0-9]+' |
		sed -E 's/^(size|align)_of::<([A-Za-z0-9_]+)>\(\) ?(,|==) ?([0-9]+)$/\2 \1 \4/' |
		awk '{ v[$1 " " $2] = $3; n[$1] = 1 }
		     END { for (k in n) print k, v[k " size"], v[k " align"] }' | sort
}
layouts "$tmp/kx.rs" >"$tmp/kx.lay"
layouts "$tmp/rb.rs" >"$tmp/rb.lay"
join "$tmp/kx.lay" "$tmp/rb.lay" >"$tmp/both"
both=$(wc -l <"$tmp/both")
only_kx=$(join -v1 "$tmp/kx.lay" "$tmp/rb.lay" | wc -l)
only_rb=$(join -v2 "$tmp/kx.lay" "$tmp/rb.lay" | wc -l)
bad=$(awk '$2 != $4 || $3 != $5' "$tmp/both")
printf '%-8s records: kelfix-bindgen %d, rust-bindgen %d, compared %d, only ours %d, only bindgen %d\n' \
	"$series" "$(wc -l <"$tmp/kx.lay")" "$(wc -l <"$tmp/rb.lay")" "$both" "$only_kx" "$only_rb"
printf '%-8s time: kelfix-bindgen %.2fs, rust-bindgen %.2fs\n' "$series" \
	"$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"
echo "only ours (first 15; anonymous records are named differently):"
join -v1 "$tmp/kx.lay" "$tmp/rb.lay" | head -15 | sed 's/^/  /'
echo "only rust-bindgen (first 15):"
join -v2 "$tmp/kx.lay" "$tmp/rb.lay" | head -15 | sed 's/^/  /'
if [ "$both" -lt 50 ]; then
	echo "FAIL: only $both records in common: the comparison compared nothing"
	exit 1
fi
if [ -n "$bad" ]; then
	echo "FAIL: size/align differ (name ours-size ours-align bindgen-size bindgen-align):"
	echo "$bad" | sed 's/^/  /'
	exit 1
fi
echo "1 passed, 0 failed"
