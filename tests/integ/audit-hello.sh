#!/usr/bin/env bash
# The Rust hello crate, built with its kernel's rustc flags (fixtures/crates:
# kelfix-kbuild rustflags), through kelfix with --kernel, then audited
# against that kernel: no finding at all, of any severity.
#   $1, $2 = libhello-6.1.a, libhello-6.12.a
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../lib/kernels.sh"

for series in 6.1 6.12; do
	lib=$1
	shift
	kdir=$(kelfix_kdir "$series")
	rc=0
	"$KELFIX" --kernel "$kdir" "$lib" -o "$work/hello-$series.o" 2>"$work/err" || rc=$?
	check_eq "link of hello for $series: exit 0 (its own audit passes)" "$rc" 0
	rc=0
	"$KELFIX" --audit --kernel "$kdir" --format json "$work/hello-$series.o" >"$work/out.json" || rc=$?
	check_eq "audit of hello on $series: exit 0" "$rc" 0
	check_eq "audit of hello on $series: no finding (error, warning or note)" \
		"$(jq -r '[.findings[] | "\(.check)/\(.severity)"] | join(",")' "$work/out.json")" ""
	check_eq "audit of hello on $series: summary" "$(jq -c '.summary' "$work/out.json")" \
		'{"error":0,"warning":0,"note":0}'
done
finish
