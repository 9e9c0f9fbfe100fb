#!/usr/bin/env bash
# kbuild-cflags.sh KELFIX_KBUILD
#
# `kelfix-kbuild cflags KDIR` for both test kernels: its flags let clang
# compile (syntax only, and to an object) a file using <linux/module.h>,
# <linux/fs.h>, <linux/slab.h>, <linux/miscdevice.h>, <linux/uaccess.h>;
# kbuild's unchanged GCC flags (--gcc) do not, but kbuild's own compiler
# takes them; what was dropped or translated is listed on stderr; the
# object has the kernel's calling conventions (__fentry__, retpoline
# thunks); bad input gives the documented exit codes; no temporary
# directory is left.  Each run is timed.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=../lib/kernels.sh
. "$here/../lib/kernels.sh"

KB=${1:?usage: kbuild-cflags.sh KELFIX_KBUILD}
export TMPDIR=$work/tmp
mkdir -p "$TMPDIR"

cat >"$work/t.c" <<'EOF'
#include <linux/module.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/miscdevice.h>
#include <linux/uaccess.h>

int kelfix_t_alloc(int (*cb)(void *p));
int kelfix_t_alloc(int (*cb)(void *p))
{
	void *p = kmalloc(16, GFP_KERNEL);
	int ret;

	if (!p)
		return -ENOMEM;
	ret = cb(p); /* an indirect call: a retpoline thunk call */
	kfree(p);
	return ret;
}

long kelfix_t_copy(void *dst, const void __user *src, unsigned long n);
long kelfix_t_copy(void *dst, const void __user *src, unsigned long n)
{
	return copy_from_user(dst, src, n) ? -EFAULT : 0;
}

static const struct file_operations kelfix_t_fops = { .owner = THIS_MODULE };
struct miscdevice kelfix_t_misc = {
	.minor = MISC_DYNAMIC_MINOR, .name = "kelfix_t", .fops = &kelfix_t_fops,
};
#ifdef KELFIX_T_MODNAME
const char kelfix_t_name[] = KBUILD_MODNAME;
#endif
MODULE_LICENSE("GPL");
EOF

# Runs kelfix-kbuild with ARGS; stdout in $work/out, stderr in $work/err,
# exit status in $rc, seconds taken in $secs.
run_kb() {
	local t0 t1
	t0=$(date +%s.%N)
	rc=0
	"$KB" "$@" >"$work/out" 2>"$work/err" || rc=$?
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

# The flags of $work/out as the array `flags` (the output is shell-quoted).
read_flags() {
	eval "flags=($(cat "$work/out"))"
}

# Diagnostics of a clang run ($work/cc.log) that are not the one known
# 6.12 case: its headers use GCC's named address spaces (__seg_gs,
# CONFIG_USE_X86_SEG_SUPPORT, chosen because the kernel was configured for
# GCC) and clang warns about a doubled __seg_gs; harmless.
other_diags() {
	grep -E '(error|warning):' "$work/cc.log" | grep -v 'Wduplicate-decl-specifier' || true
}

check_kernel() {
	local series=$1 kdir cc flags obj
	kdir=$(kelfix_kdir "$series") || { bad "$series: no kernel (run .ci/bootstrap)"; return; }
	check "$series: $kdir is a kbuild directory" test -f "$kdir/Makefile"

	run_kb cflags "$kdir"
	printf '%s: kelfix-kbuild cflags: %s s\n' "$series" "$secs"
	check_eq "$series: cflags exit status" "$rc" 0
	[ "$rc" -eq 0 ] || { cat "$work/err" >&2; return; }
	read_flags
	check "$series: -nostdinc kept" grep -qw -- -nostdinc "$work/out"
	check_eq "$series: relative -I or -include left" \
		"$(printf '%s\n' "${flags[@]}" | grep -cE '^-I[^/]|^\.' || true)" 0
	check_eq "$series: -c, -o, dep-file or module name left" \
		"$(printf '%s\n' "${flags[@]}" | grep -cE '^-c$|^-o$|^-Wp,-M|KBUILD_MODNAME|KBUILD_BASENAME|probe' || true)" 0
	# shellcheck disable=SC2016 # expanded by the inner bash
	check "$series: every -I directory exists" bash -c '
		for f in "$@"; do case $f in -I*) [ -d "${f#-I}" ] || exit 1 ;; esac; done' _ "${flags[@]}"
	check "$series: stderr lists dropped -fconserve-stack" \
		grep -q 'dropped -fconserve-stack' "$work/err"
	check "$series: stderr lists dropped -mrecord-mcount" \
		grep -q 'dropped -mrecord-mcount' "$work/err"
	check "$series: stderr lists the retpoline translation" \
		grep -q -- '-mindirect-branch=thunk-extern -> -mretpoline-external-thunk' "$work/err"
	check "$series: GCC-only flags gone" \
		bash -c "! grep -qE -- '-fconserve-stack|-mindirect-branch|-mpreferred-stack-boundary|-mrecord-mcount' '$work/out'"

	# The acceptance check: clang compiles the kernel headers with them.
	rc=0
	clang -fsyntax-only "${flags[@]}" -x c "$work/t.c" >"$work/cc.log" 2>&1 || rc=$?
	check_eq "$series: clang -fsyntax-only exit status" "$rc" 0
	check_eq "$series: clang -fsyntax-only diagnostics" "$(other_diags)" ""

	# As C helpers built outside kbuild use them: an object with the
	# kernel's conventions.
	obj=$work/t-$series.o
	rc=0
	clang -c "${flags[@]}" -x c "$work/t.c" -o "$obj" >"$work/cc.log" 2>&1 || rc=$?
	check_eq "$series: clang -c exit status" "$rc" 0
	check_eq "$series: clang -c diagnostics" "$(other_diags)" ""
	check "$series: object calls __fentry__ (-pg -mfentry kept)" \
		bash -c "readelf -rW '$obj' | grep -qw __fentry__"
	check "$series: object calls no mcount" \
		bash -c "! readelf -rW '$obj' | grep -qwE '_?mcount'"
	check "$series: indirect call through __x86_indirect_thunk_* (retpoline translated)" \
		bash -c "readelf -rW '$obj' | grep -q __x86_indirect_thunk_"

	# --modname adds kbuild's module-name defines.
	run_kb cflags --modname kelfix_t "$kdir"
	printf '%s: kelfix-kbuild cflags --modname: %s s\n' "$series" "$secs"
	read_flags
	rc=0
	clang -fsyntax-only "${flags[@]}" -DKELFIX_T_MODNAME -x c "$work/t.c" >"$work/cc.log" 2>&1 || rc=$?
	check_eq "$series: --modname: KBUILD_MODNAME usable" "$rc" 0

	# kbuild's flags unchanged: clang refuses them, kbuild's compiler not.
	run_kb cflags --gcc "$kdir"
	printf '%s: kelfix-kbuild cflags --gcc: %s s\n' "$series" "$secs"
	check_eq "$series: --gcc exit status" "$rc" 0
	read_flags
	rc=0
	clang -fsyntax-only "${flags[@]}" -x c "$work/t.c" >"$work/cc.log" 2>&1 || rc=$?
	check "$series: clang refuses kbuild's GCC flags" test "$rc" -ne 0
	check "$series: ... naming a GCC-only flag" grep -q "unknown argument: '-m" "$work/cc.log"
	cc=$(sed -n "s/^kelfix-kbuild: note: kbuild's compiler: //p" "$work/err")
	check "$series: --gcc names kbuild's compiler" test -n "$cc"
	rc=0
	"$cc" -fsyntax-only "${flags[@]}" -x c "$work/t.c" >"$work/cc.log" 2>&1 || rc=$?
	check_eq "$series: $cc takes the --gcc flags" "$rc" 0
}

check_kernel 6.1
check_kernel 6.12

# KELFIX_KBUILD_VARS reaches the probe's make command line (kelfix.mk passes
# `make CC=...` on through it): a CC that logs its calls is named as
# kbuild's compiler and compiled the probe; a word without '=' is refused.
check_kbuild_vars() { # series
	local series=$1 kdir cc
	kdir=$(kelfix_kdir "$series")
	cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\([^ ]*\) .*/\1/p' "$kdir/.config")
	mkdir -p "$work/bin"
	printf '#!/bin/sh\necho "$*" >>%q\nexec %q "$@"\n' "$work/cc-calls" "$(command -v "$cc")" \
		>"$work/bin/logcc"
	chmod +x "$work/bin/logcc"
	rm -f "$work/cc-calls"
	KELFIX_KBUILD_VARS="CC=$work/bin/logcc 'KCFLAGS=-DKELFIX_T_VAR -DKELFIX_T_VAR2'" run_kb cflags --gcc "$kdir"
	check_eq "$series: KELFIX_KBUILD_VARS: exit status" "$rc" 0
	check "$series: KELFIX_KBUILD_VARS: CC is kbuild's compiler" \
		grep -qF "kbuild's compiler: $work/bin/logcc" "$work/err"
	check "$series: KELFIX_KBUILD_VARS: that CC compiled the probe" grep -q 'kelfix-kbuild\.' "$work/cc-calls"
	check "$series: KELFIX_KBUILD_VARS: KCFLAGS reached the flags" grep -q -- '-DKELFIX_T_VAR -DKELFIX_T_VAR2' "$work/out"
	KELFIX_KBUILD_VARS="CC" run_kb cflags "$kdir"
	check "$series: KELFIX_KBUILD_VARS without '=': refused" test "$rc" -ne 0
	check "$series: ... saying so" grep -q "'CC' is not VAR=value" "$work/err"
}
check_kbuild_vars 6.1

# rustflags: each flag follows from the kernel's .config, read here with grep.
check_rustflags() { # series
	local series=$1 config want=-Zcf-protection=branch got
	config=$(kelfix_kdir "$series")/.config
	grep -q '^CONFIG_X86_KERNEL_IBT=y' "$config" && want="$want -Cjump-tables=no"
	grep -qE '^CONFIG_(MITIGATION_)?RETPOLINE=y' "$config" &&
		want="$want -Zretpoline-external-thunk -Zplt=yes"
	grep -qE '^CONFIG_(MITIGATION_)?RETHUNK=y' "$config" &&
		want="$want -Zfunction-return=thunk-extern"
	run_kb rustflags "$(kelfix_kdir "$series")"
	check_eq "$series: rustflags exit" "$rc" 0
	got=$(cat "$work/out")
	check_eq "$series: rustflags from .config" "$got" "$want"
	run_kb rustflags --lines "$(kelfix_kdir "$series")"
	check_eq "$series: rustflags --lines" "$(tr '\n' ' ' <"$work/out")" "$want "
}
check_rustflags 6.1
check_rustflags 6.12
run_kb rustflags "$work/no-such-kdir"
check_eq "rustflags, missing KDIR: exit 1" "$rc" 1
check "rustflags, missing KDIR: named" grep -q "no-such-kdir" "$work/err"
run_kb rustflags
check_eq "rustflags, no KDIR: exit 2" "$rc" 2

# Exit codes: 1 input rejected, 2 usage, 3 a tool that cannot be run.
run_kb cflags "$work/no-such-kdir"
check_eq "missing KDIR: exit 1" "$rc" 1
check "missing KDIR: named" grep -q "no-such-kdir" "$work/err"
run_kb cflags "$work"
check_eq "KDIR without a Makefile: exit 1" "$rc" 1
run_kb cflags
check_eq "no KDIR: exit 2" "$rc" 2
run_kb frobnicate x
check_eq "unknown command: exit 2" "$rc" 2
run_kb cflags --modname 'a-b' "$(kelfix_kdir 6.1)"
check_eq "bad --modname: exit 2" "$rc" 2
run_kb cflags --clang "$work/no-such-clang" "$(kelfix_kdir 6.1)"
check_eq "clang that cannot run: exit 3" "$rc" 3
check "clang that cannot run: named" grep -q "no-such-clang" "$work/err"

check_eq "temporary directories left" "$(ls -A "$TMPDIR")" ""
finish
