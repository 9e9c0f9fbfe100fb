# shellcheck shell=bash
# Sourced by test scripts: the kernels of tests/lib/kernels.table, as
# .ci/bootstrap set them up ($KELFIX_CACHE/kernels.env).
#   kelfix_series           every series of the table, in its order
#   kelfix_krel SERIES      release, e.g. 6.1.0-57-amd64
#   kelfix_kdir SERIES      kbuild directory (the installed headers; for a
#                           kernel of another Debian release, the path in
#                           its build root, as kelfix_kmake sees it)
#   kelfix_kdir_host SERIES that directory as this machine sees it (in the
#                           build root's tree): for reading .config or
#                           Module.symvers, not for compiling (the headers
#                           name /usr/src paths of the root)
#   kelfix_vmlinuz SERIES   the unpacked kernel image
#   kelfix_kmods SERIES     the unpacked modules tree (lib/modules/RELEASE)
#   kelfix_root SERIES      the build root, empty for this machine's release
#   kelfix_upstream         linux-source's samples/rust and rust_sample.h
#   kelfix_kmake SERIES     the command that runs the kernel's make: `make`,
#                           or tests/lib/kmake SERIES for a build root
: "${KELFIX_CACHE:=$HOME/.cache/kelfix}"
kelfix_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

kelfix_series() {
	awk '$1 !~ /^#/ && NF { print $1 }' "$kelfix_lib_dir/kernels.table"
}

# kelfix_kvar NAME SERIES: KELFIX_<NAME>_<series> from kernels.env.
kelfix_kvar() {
	local name=$1 series=$2 var
	if ! kelfix_series | grep -qxF -- "$series"; then
		echo "unknown kernel series '$series' ($(kelfix_series | tr '\n' ' '| sed 's/ $//'))" >&2
		return 2
	fi
	if [ ! -f "$KELFIX_CACHE/kernels.env" ]; then
		echo "no $KELFIX_CACHE/kernels.env: run .ci/bootstrap first" >&2
		return 1
	fi
	var=KELFIX_${name}_${series//./_}
	if ! grep -q "^$var=" "$KELFIX_CACHE/kernels.env"; then
		echo "$KELFIX_CACHE/kernels.env has no $var: run .ci/bootstrap again" >&2
		return 1
	fi
	sed -n "s/^$var=//p" "$KELFIX_CACHE/kernels.env"
}

# kelfix_upstream: the unpacked upstream Rust sources (samples/rust, the
# trace header they include, rust/kernel/lib.rs) of linux-source-SERIES.
kelfix_upstream() {
	local dir
	dir=$(sed -n 's/^KELFIX_UPSTREAM=//p' "$KELFIX_CACHE/kernels.env" 2>/dev/null)
	if [ -z "$dir" ] || [ ! -d "$dir/samples/rust" ]; then
		echo "no upstream Rust sources in $KELFIX_CACHE/kernels.env: run .ci/bootstrap again" >&2
		return 1
	fi
	echo "$dir"
}

kelfix_krel() { kelfix_kvar KREL "$1"; }
kelfix_kdir() { kelfix_kvar KDIR "$1"; }
kelfix_vmlinuz() { kelfix_kvar VMLINUZ "$1"; }
kelfix_kdir_host() {
	local root kdir
	root=$(kelfix_root "$1") && kdir=$(kelfix_kdir "$1") || return
	echo "$root$kdir"
}
kelfix_kmods() { kelfix_kvar KMODS "$1"; }
kelfix_root() { kelfix_kvar ROOT "$1"; }

kelfix_kmake() {
	local root
	root=$(kelfix_root "$1") || return
	if [ -z "$root" ]; then
		echo make
	else
		printf '%q %q\n' "$kelfix_lib_dir/kmake" "$1"
	fi
}
