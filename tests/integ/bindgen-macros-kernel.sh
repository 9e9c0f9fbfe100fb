#!/usr/bin/env bash
# bindgen-macros-kernel.sh KELFIX_BINDGEN KELFIX_KBUILD SERIES
#
# The macros a kernel developer reaches for first, allowlisted with the
# runtime crate's set (bindgen-kernel-set.sh) on one test kernel.  Each
# gets a wrapper with its own signature or a warning naming it:
#   - spin_lock_init, mutex_init, init_waitqueue_head, INIT_WORK: void
#     functions of the lock/queue/work pointer (and work_func_t);
#   - wake_up_interruptible: the queue pointer -> int (__wake_up's result);
#   - kthread_run, kthread_create: variadic, left out with a warning, in
#     neither output;
#   - helpers.c compiles (clang, kbuild's flags) and defines every wrapper
#     Rust links to; a crate with the bindings builds.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
root=$(cd "$here/../.." && pwd)
# shellcheck source=../lib/kernels.sh
. "$here/../lib/kernels.sh"
# shellcheck source=bindgen-kernel-set.sh
. "$here/bindgen-kernel-set.sh"
gen=$1 kbuild=$2 series=$3
kdir=$(kelfix_kdir "$series")
rs=$work/out/bindings.rs
hc=$work/out/helpers.c
macros='spin_lock_init|kthread_run|kthread_create|INIT_WORK|init_waitqueue_head|wake_up_interruptible|mutex_init'

"$kbuild" cflags --lines "$kdir" 2>/dev/null >"$work/flags"
mkdir -p "$work/out"
start=$(date +%s.%N)
check "kelfix-bindgen succeeds" sh -c "'$gen' --cflags-file '$work/flags' --kernel '$kdir' \\
	--allowlist-function '$KX_FUNCS|$macros' --allowlist-type '$KX_TYPES' \\
	${KX_HEADERS[*]} linux/spinlock.h linux/wait.h linux/kthread.h \\
	-o '$rs' --wrappers '$hc' 2>'$work/gen.err'"
echo "kelfix-bindgen ($series, with the macros): $(echo "$(date +%s.%N) - $start" | bc)s"
cat "$work/gen.err" >&2

# name|Rust declaration|C prototype
while IFS='|' read -r name decl proto; do
	[ -n "$name" ] || continue
	check "$name: Rust declaration" grep -qxF "    pub fn $decl;" "$rs"
	check "$name: links to its wrapper" \
		sh -c "grep -B1 -F '    pub fn $name(' '$rs' | grep -qF 'link_name = \"kelfix_$name\"'"
	check "$name: C prototype" grep -qxF "$proto;" "$hc"
done <<'EOF_MACROS'
spin_lock_init|spin_lock_init(p0: *mut spinlock_t)|void kelfix_spin_lock_init(spinlock_t * p0)
mutex_init|mutex_init(p0: *mut mutex)|void kelfix_mutex_init(struct mutex * p0)
init_waitqueue_head|init_waitqueue_head(p0: *mut wait_queue_head)|void kelfix_init_waitqueue_head(struct wait_queue_head * p0)
INIT_WORK|INIT_WORK(p0: *mut work_struct, p1: work_func_t)|void kelfix_INIT_WORK(struct work_struct * p0, work_func_t p1)
wake_up_interruptible|wake_up_interruptible(p0: *mut wait_queue_head) -> core::ffi::c_int|int kelfix_wake_up_interruptible(struct wait_queue_head * p0)
EOF_MACROS

for name in kthread_run kthread_create; do
	check "$name: warned (variadic)" grep -qF "macro $name: variadic" "$work/gen.err"
	check "$name: not in bindings.rs" sh -c "! grep -qw '$name' '$rs'"
	check "$name: not in helpers.c" sh -c "! grep -qw 'kelfix_$name' '$hc'"
done

mapfile -t flags <"$work/flags"
check "helpers.c compiles with kbuild's flags" clang "${flags[@]}" -Wno-everything \
	-Werror=implicit-function-declaration -Werror=incompatible-pointer-types \
	-Werror=int-conversion -c "$hc" -o "$work/helpers.o"
while read -r w; do
	check "helpers.o defines $w" sh -c "nm '$work/helpers.o' | grep -q ' T $w\$'"
done < <(grep -o 'link_name = "kelfix_[A-Za-z0-9_]*"' "$rs" | sed 's/.*"\(.*\)"/\1/')

mkdir -p "$work/crate"
cp -r "$root/fixtures/bindgen/check-crate/." "$work/crate/"
cp "$rs" "$work/crate/src/bindings.rs"
: >"$work/crate/src/extra.rs"
check "crate with the bindings builds" "$root/tests/lib/cargo-none" "$work/crate" "$work/crate.a"
finish
