# shellcheck shell=bash
# Sourced by the example tests: staging an example and running kbuild on it
# the way a user does.
#
#   example_stage DIR WORK      copies example DIR to WORK/examples/NAME and
#                               links WORK/kbuild-wrap to the tree's, so the
#                               example's ../../kbuild-wrap paths (Cargo.toml,
#                               Kbuild) resolve; prints the module directory
#   example_make MODDIR SERIES LOG [MAKE ARGS...]
#                               make -C <kdir> M=MODDIR [ARGS] > LOG 2>&1,
#                               with the kernel's make (kelfix_kmake);
#                               prints LOG on failure
#   example_tools               exports KELFIX, KELFIX_BINDGEN and
#                               KELFIX_KBUILD not set already as this tree's
#                               build/bin programs (for a module outside the
#                               tree, where kelfix.mk's defaults miss them)
#
# KELFIX, KELFIX_CARGO and CARGO_TARGET_DIR from the environment reach
# kelfix.mk unchanged. Without KELFIX_CARGO, cargo is this machine's plain
# cargo as `tests/lib/cargo-offline --env` names it (Debian's stable
# cargo-web and rustc-web, offline): kelfix.mk itself makes it build core
# and alloc (RUSTC_BOOTSTRAP, -Z build-std), no wrapper does.

example_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
example_tree=$(cd "$example_lib_dir/../.." && pwd)
# shellcheck source=tests/lib/kernels.sh
. "$example_tree/tests/lib/kernels.sh"

if [ -z "${KELFIX_CARGO:-}" ]; then
	set -a
	eval "$("$example_tree/tests/lib/cargo-offline" --env)"
	set +a
fi

example_stage() {
	local src=$1 work=$2 name
	src=$(cd "$src" && pwd)
	name=$(basename "$src")
	rm -rf "$work"
	mkdir -p "$work/examples"
	ln -s "$example_tree/kbuild-wrap" "$work/kbuild-wrap"
	cp -r "$src" "$work/examples/$name"
	# Only the sources: not what an in-tree build may have left there.
	(cd "$work/examples/$name" && rm -rf target Cargo.lock ./*.a ./*.o ./*.ko ./.*.cmd \
		./*.mod ./*.mod.c modules.order Module.symvers)
	(cd "$work/examples/$name" && pwd)
}

example_tools() {
	local t var
	for t in kelfix kelfix-bindgen kelfix-kbuild; do
		var=$(echo "$t" | tr a-z- A-Z_)
		[ -n "${!var:-}" ] || export "$var=$example_tree/build/bin/$t"
	done
}

example_make() {
	local dir=$1 series=$2 log=$3 kdir kmake
	shift 3
	kdir=$(kelfix_kdir "$series") || return 3
	kmake=$(kelfix_kmake "$series") || return 3
	# A parent make's (ctest under make) jobserver must not leak in.
	# shellcheck disable=SC2086 # $kmake is a command and its arguments
	if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $kmake -C "$kdir" M="$dir" "$@" >"$log" 2>&1; then
		cat "$log" >&2
		echo "example: $kmake -C $kdir M=$dir $* failed (log: $log)" >&2
		return 1
	fi
}

# True when make log $1 has a kbuild quiet line "  $2 ..." (e.g. CARGO).
example_ran() {
	grep -q "^  $2 " "$1"
}
