#!/usr/bin/env bash
# Same inputs, same output, byte for byte (output and .cmd).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
cd "$work"
for input in "$@"; do
	name=$(basename "$input")
	"$KELFIX" --no-license "$input" -o a.o
	mv .a.o.cmd a.cmd
	"$KELFIX" --no-license "$input" -o a2.o
	check "$name: identical objects" cmp -s a.o a2.o
	check "$name: identical .cmd (but the output name)" \
		bash -c "diff <(sed 's/a\\.o/X/g' a.cmd) <(sed 's/a2\\.o/X/g' .a2.o.cmd) >/dev/null"
done
finish
