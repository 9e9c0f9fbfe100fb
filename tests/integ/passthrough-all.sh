#!/usr/bin/env bash
# passthrough-all.sh SERIES: every module of that Debian kernel image
# through kelfix --no-gc --keep-sections --keep-debug (a pass-through, with
# link mode's own audit of the output): none may crash or be refused, and
# eu-elflint finds nothing in an output that it does not find in the
# module itself (the kernel's modules carry R_X86_64_NONE relocations,
# which it calls invalid in a relocatable file). Compressed modules
# (.ko.xz, Debian 13's) are decompressed first, as the kernel's module
# loader does.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
. "$here/../lib/kernels.sh"
series=${1:?usage: passthrough-all.sh SERIES}
rel=$(kelfix_krel "$series")
dir=$(kelfix_kmods "$series")/kernel
start=$(date +%s)
n=0
while IFS= read -r ko; do
	n=$((n + 1))
	rc=0
	in=$ko
	if [ "${ko%.xz}" != "$ko" ]; then
		xz -dc "$ko" >"$work/in.ko"
		in=$work/in.ko
	fi
	"$KELFIX" --no-gc --keep-sections --keep-debug --no-cmd "$in" -o "$work/out.ko" \
		2>"$work/err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		bad "${ko#"$dir"/}: exit $rc: $(head -c 300 "$work/err")"
	else
		ok
		elflint_no_worse "$work/out.ko" "$in"
	fi
done < <(find "$dir" \( -name '*.ko' -o -name '*.ko.xz' \) | LC_ALL=C sort)
check "found the modules ($n)" test "$n" -gt 1000
echo "passthrough-all: $n modules of $rel in $(($(date +%s) - start)) s"
finish
