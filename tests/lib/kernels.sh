# shellcheck shell=bash
# Sourced by test scripts: where the two supported kernels live.
#   kelfix_krel SERIES      release, e.g. 6.1.0-56-amd64   (SERIES: 6.1 | 6.12)
#   kelfix_kdir SERIES      kbuild directory (installed linux-headers)
#   kelfix_vmlinuz SERIES   unpacked kernel image in the cache
# .ci/bootstrap writes $KELFIX_CACHE/kernels.env.
: "${KELFIX_CACHE:=$HOME/.cache/kelfix}"

kelfix_krel() {
	local var
	case $1 in
	6.1) var=KELFIX_KREL_6_1 ;;
	6.12) var=KELFIX_KREL_6_12 ;;
	*) echo "unknown kernel series '$1' (6.1 or 6.12)" >&2; return 2 ;;
	esac
	if [ ! -f "$KELFIX_CACHE/kernels.env" ]; then
		echo "no $KELFIX_CACHE/kernels.env: run .ci/bootstrap first" >&2
		return 1
	fi
	sed -n "s/^$var=//p" "$KELFIX_CACHE/kernels.env"
}

kelfix_kdir() {
	local rel
	rel=$(kelfix_krel "$1") || return
	echo "/lib/modules/$rel/build"
}

kelfix_vmlinuz() {
	local rel
	rel=$(kelfix_krel "$1") || return
	echo "$KELFIX_CACHE/kernels/$rel/boot/vmlinuz-$rel"
}
