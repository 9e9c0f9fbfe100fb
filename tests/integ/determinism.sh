#!/usr/bin/env bash
# determinism.sh INPUT...: same inputs, same output, byte for byte (the
# object and its .cmd); and for archives, the same object when the
# members are stored in the reverse order; --sync changes nothing but
# when the data reaches the disk.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
cd "$work"
for input in "$@"; do
	name=$(basename "$input")
	"$KELFIX" --no-license "$input" -o a.o
	elflint_ok a.o
	mv .a.o.cmd a.cmd
	"$KELFIX" --no-license "$input" -o a2.o
	check "$name: identical objects" cmp -s a.o a2.o
	"$KELFIX" --no-license --sync "$input" -o a4.o
	check "$name: --sync, identical object" cmp -s a.o a4.o
	check "$name: identical .cmd (but the output name)" \
		bash -c "diff <(sed 's/a\\.o/X/g' a.cmd) <(sed 's/a2\\.o/X/g' .a2.o.cmd) >/dev/null"
	case $input in *.a) ;; *) continue ;; esac
	rm -rf members && mkdir members
	(cd members && ar x "$input" && mapfile -t m < <(ar t "$input" | tac) &&
		ar rcs ../reversed.a "${m[@]}")
	check "$name: members really reordered" \
		bash -c "[ \"\$(ar t '$input' | head -n 1)\" != \"\$(ar t reversed.a | head -n 1)\" ]"
	"$KELFIX" --no-license reversed.a -o a3.o
	check "$name: same object from the reversed archive" cmp -s a.o a3.o
	rm -f reversed.a
done
finish
