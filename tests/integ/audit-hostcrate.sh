#!/usr/bin/env bash
# A no_std crate built for the host target (x86_64-unknown-linux-gnu):
# its code and prebuilt core use SSE and the red zone.  The audit flags
# both; kelfix refuses to link it unless --allow accepts them.
#   $1 = libhostcrate.a
source "$(dirname "$0")/lib.sh"

# jq -e, quiet: the filter's truth is the check.
jqok() { jq -e "$@" >/dev/null; }

A=$1
check "the host-target archive was built" test -s "$A"
rc=0
"$KELFIX" --audit --format json "$A" >"$work/out.json" || rc=$?
check_eq "audit: exit 1" "$rc" 1
check "audit: fpu-simd errors" jqok '[.findings[] | select(.check == "fpu-simd" and .severity == "error")] | length > 0' "$work/out.json"
check "audit: red-zone errors" jqok '[.findings[] | select(.check == "red-zone" and .severity == "error")] | length > 0' "$work/out.json"
check "audit: the crate's own f64 code is named" \
	jqok '[.findings[] | select(.check == "fpu-simd" and .symbol == "hostcrate_scale")] | length == 1' "$work/out.json"
check "audit: the crate's own leaf function is named" \
	jqok '[.findings[] | select(.check == "red-zone" and .symbol == "hostcrate_leaf")] | length == 1' "$work/out.json"
check "audit: findings name the archive member" \
	jqok '[.findings[] | select(.check == "red-zone") | .member | type == "string"] | all' "$work/out.json"

rc=0
"$KELFIX" "$A" -o "$work/host.o" 2>"$work/err" || rc=$?
check_eq "link: refused (exit 1)" "$rc" 1
check "link: no output left" test ! -e "$work/host.o"
check "link: fpu-simd named" grep -q '\[fpu-simd\]' "$work/err"
check "link: red-zone named" grep -q '\[red-zone\]' "$work/err"
rc=0
"$KELFIX" --allow fpu-simd "$A" -o "$work/host.o" 2>"$work/err" || rc=$?
check_eq "link with only --allow fpu-simd: still refused" "$rc" 1
rc=0
"$KELFIX" --allow fpu-simd --allow red-zone "$A" -o "$work/host.o" 2>"$work/err" || rc=$?
check_eq "link with --allow fpu-simd --allow red-zone: exit 0" "$rc" 0
check "link with --allow: output written" test -s "$work/host.o"
check "link with --allow: loud about fpu-simd" grep -q -- '--allow fpu-simd: accepting' "$work/err"
check "link with --allow: loud about red-zone" grep -q -- '--allow red-zone: accepting' "$work/err"
finish
