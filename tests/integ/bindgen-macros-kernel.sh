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
# shellcheck source=bindgen-checks.sh
. "$here/bindgen-checks.sh"
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
check_wrappers "$rs" "$hc" <<'EOF_MACROS'
spin_lock_init|spin_lock_init(p0: *mut spinlock_t)|void kelfix_spin_lock_init(spinlock_t * p0)
mutex_init|mutex_init(p0: *mut mutex)|void kelfix_mutex_init(struct mutex * p0)
init_waitqueue_head|init_waitqueue_head(p0: *mut wait_queue_head)|void kelfix_init_waitqueue_head(struct wait_queue_head * p0)
INIT_WORK|INIT_WORK(p0: *mut work_struct, p1: work_func_t)|void kelfix_INIT_WORK(struct work_struct * p0, work_func_t p1)
wake_up_interruptible|wake_up_interruptible(p0: *mut wait_queue_head) -> core::ffi::c_int|int kelfix_wake_up_interruptible(struct wait_queue_head * p0)
EOF_MACROS

check_left_out "$rs" "$hc" "$work/gen.err" <<'EOF_OUT'
kthread_run|variadic
kthread_create|variadic
EOF_OUT

mapfile -t flags <"$work/flags"
check "helpers.c compiles with kbuild's flags" clang "${flags[@]}" -Wno-everything \
	-Werror=implicit-function-declaration -Werror=incompatible-pointer-types \
	-Werror=int-conversion -c "$hc" -o "$work/helpers.o"
check_wrappers_defined "$rs" "$work/helpers.o"
check_crate_builds "$rs" "crate with the bindings builds"
finish
