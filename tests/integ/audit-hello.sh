#!/usr/bin/env bash
# The Rust hello crate through kelfix, then audited against its kernels:
# no error-class finding (it loads and runs on both kernels).
#   $1 = libhello-6.1.a
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../lib/kernels.sh"

rc=0
"$KELFIX" "$1" -o "$work/hello.o" 2>"$work/err" || rc=$?
check_eq "link of hello: exit 0 (its own audit passes)" "$rc" 0
rc=0
"$KELFIX" --audit --kernel "$(kelfix_kdir 6.1)" --format json "$work/hello.o" >"$work/out.json" || rc=$?
check_eq "audit of hello on 6.1: exit 0" "$rc" 0
check_eq "audit of hello on 6.1: no error-class finding" \
	"$(jq '.summary.error' "$work/out.json")" 0
# What remains are warnings, listed so a change shows: the crate is built
# without -Zcf-protection=branch and -Zretpoline (see analyze/README.md).
check_eq "audit of hello on 6.1: the warnings that remain" \
	"$(jq -r '[.findings[] | "\(.check)/\(.severity)"] | unique | join(",")' "$work/out.json")" \
	"indirect-branch/warning,missing-endbr/warning"
finish
