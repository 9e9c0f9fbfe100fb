#!/usr/bin/env bash
# Every module shipped in a Debian kernel image (.ko or .ko.xz), audited
# with --kernel of its own release.  These modules load and run, so:
#   - no run may crash or fail (exit status 0 or 1 only);
#   - every module is audited (inputs counted);
#   - no error-class finding of reloc-unsupported, reloc-overflow,
#     fpu-simd, red-zone or missing-endbr: any would be a false positive.
# And so that it cannot pass by finding nothing at all: the SIMD decoder
# must see the crypto modules' SSE/AVX (fpu-simd notes), and on a kernel
# without IBT the address-taken analysis must find functions without ENDBR64.
# Prints the findings per check and the time taken.
#   $1 = a kernel series (tests/lib/kernels.table)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../lib/kernels.sh"

series=$1
rel=$(kelfix_krel "$series")
kdir=$(kelfix_kdir_host "$series")
mods=$(kelfix_kmods "$series")/kernel
find "$mods" -type f \( -name '*.ko' -o -name '*.ko.xz' \) | sort >"$work/list"
n=$(wc -l <"$work/list")
check "about 4,000 modules in the $rel image (found $n)" test "$n" -gt 3000

# Batches of 400 modules per process, two processes at a time (2 cores).
start=$(date +%s.%N)
# shellcheck disable=SC2016 # expanded by the inner bash
xargs -a "$work/list" -n 400 -P 2 bash -c '
	out=$(mktemp "$0/batch.XXXXXX")
	rc=0
	"$KELFIX" --audit --kernel "$1" --format json "${@:2}" >"$out.json" 2>"$out.err" || rc=$?
	echo "$rc" >"$out.rc"' "$work" "$kdir" || true
end=$(date +%s.%N)

bad_rc=$(cat "$work"/batch.*.rc | grep -vcxE '0|1' || true)
check_eq "every batch exits 0 or 1 (no crash, no failure)" "$bad_rc" 0
check "nothing on stderr" test -z "$(cat "$work"/batch.*.err)"
jq -s '[.[].inputs | length] | add' "$work"/batch.*.json >"$work/ninputs"
check_eq "every module audited" "$(cat "$work/ninputs")" "$n"

jq -r '.findings[] | "\(.check) \(.severity)"' "$work"/batch.*.json | sort | uniq -c >"$work/counts"
printf '%s (%s modules, %.1f s):\n' "$rel" "$n" "$(echo "$end - $start" | bc)"
if [ -s "$work/counts" ]; then sed 's/^/  /' "$work/counts"; else echo "  no findings"; fi

for c in reloc-unsupported reloc-overflow fpu-simd red-zone missing-endbr; do
	hits=$(jq -r --arg c "$c" '.findings[] | select(.check == $c and .severity == "error")
		| "\(.input): \(.section)+\(.offset) (\(.symbol)): \(.message)"' "$work"/batch.*.json)
	check_eq "no $c error (false positive)" "$(printf '%s' "$hits" | grep -c . || true)" 0
	[ -z "$hits" ] || printf '%s\n' "$hits" | head -20 >&2
done
check "the decoder sees the crypto modules' SIMD (fpu-simd notes)" \
	grep -q ' fpu-simd note$' "$work/counts"
if [ "$series" = 6.1 ]; then
	check "address-taken functions without ENDBR64 found on 6.1 (no IBT)" \
		grep -q ' missing-endbr warning$' "$work/counts"
fi
finish
