#!/usr/bin/env bash
# Link mode with --kernel audits undefined symbols against the kernel's
# Module.symvers; symbols the module's other objects define (its C parts,
# --module-object) are not undefined, and those objects are not linked in.
# Also: the addresses of init_module/cleanup_module are kept in data (a
# .kelfix.got slot each, R_X86_64_64), as C's module_init() keeps them.
# The objects are assembled here with GNU as.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../lib/kernels.sh"
kdir=$(kelfix_kdir 6.1)

cat >"$work/rust.s" <<'S'
	.section .text.init_module,"ax",@progbits
	.globl init_module
	.type init_module,@function
init_module:
	endbr64
	call kx_c_helper@PLT
	ret
	.size init_module, .-init_module
	.section .text.cleanup_module,"ax",@progbits
	.globl cleanup_module
	.type cleanup_module,@function
cleanup_module:
	endbr64
	ret
	.size cleanup_module, .-cleanup_module
	.section .modinfo,"a",@progbits
	.asciz "license=GPL"
S
cat >"$work/helper.s" <<'S'
	.text
	.globl kx_c_helper
	.type kx_c_helper,@function
kx_c_helper:
	xorl %eax, %eax
	ret
	.size kx_c_helper, .-kx_c_helper
S
as --64 "$work/rust.s" -o "$work/rust.o"
as --64 "$work/helper.s" -o "$work/helper.o"

rc=0
"$KELFIX" --kernel "$kdir" "$work/rust.o" -o "$work/out.o" 2>"$work/err" || rc=$?
check_eq "--kernel, helper not given: exit 1" "$rc" 1
check "--kernel, helper not given: names kx_c_helper as not exported" \
	grep -qF "'kx_c_helper' is not exported by" "$work/err"
check "--kernel, helper not given: no output" test ! -e "$work/out.o"

rc=0
"$KELFIX" --kernel "$kdir" --module-object "$work/helper.o" "$work/rust.o" -o "$work/out.o" 2>"$work/err" || rc=$?
check_eq "--module-object helper.o: exit 0" "$rc" 0
elflint_ok "$work/out.o"
check_eq "--module-object: helper not linked in (still undefined)" \
	"$(nm -u "$work/out.o" | grep -cw kx_c_helper)" 1

rc=0
"$KELFIX" --kernel "$kdir" --module-object "$work/missing.o" "$work/rust.o" -o "$work/out2.o" 2>"$work/err" || rc=$?
check_eq "--module-object of a missing file: exit 3" "$rc" 3
check "--module-object of a missing file: named" grep -qF "$work/missing.o" "$work/err"
rc=0
"$KELFIX" --audit --module-object "$work/helper.o" "$work/rust.o" 2>"$work/err" >/dev/null || rc=$?
check_eq "--module-object with --audit: usage error" "$rc" 2

check_eq "entry points kept in .kelfix.got" \
	"$(readelf -rW "$work/out.o" | sed -n '/\.rela\.kelfix\.got/,/^$/p' | awk '$3 == "R_X86_64_64" { print $5 }' | sort | tr '\n' ' ')" \
	"cleanup_module init_module "
finish
