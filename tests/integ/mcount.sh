#!/usr/bin/env bash
# Calls to mcount/_mcount (clang -pg without -mfentry, GCC's _mcount)
# become the 5-byte NOP with their relocations dropped; __fentry__ calls,
# which the kernel exports, stay.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
F=$KELFIX_FIXTURES/mcount
out=$work/out.o

sites() { readelf -rW "$1" | grep -cE ' _?mcount ' || true; }

for obj in mcount-c.o mcount-asm.o; do
	n=$(sites "$F/$obj")
	check "$obj has mcount calls to start with" test "$n" -gt 0
	"$KELFIX" --no-license --stats "$F/$obj" -o "$out" 2>"$work/stats"
	elflint_ok "$out"
	check_eq "$obj: mcount relocations left" "$(sites "$out")" 0
	check "$obj: no mcount symbol left" bash -c "! readelf -sW '$out' | grep -qwE '_?mcount'"
	nops() { objdump -d "$1" | grep -c 'nopl   0x0(%rax,%rax,1)' || true; }
	check_eq "$obj: NOPs in the text" "$(nops "$out")" "$(($(nops "$F/$obj") + n))"
	check "$obj: --stats counts them" grep -qE "mcount sites: +$n\$" "$work/stats"
	check "$obj: loader types only" loader_types_only "$out"
done
"$KELFIX" --no-license "$F/mcount-asm.o" -o "$out"
elflint_ok "$out"
check "__fentry__ calls stay" bash -c "readelf -rW '$out' | grep -q __fentry__"
"$KELFIX" --no-license "$F/fentry-c.o" -o "$out"
elflint_ok "$out"
check_eq "fentry-c.o: all __fentry__ calls kept" "$(readelf -rW "$out" | grep -c __fentry__)" \
	"$(readelf -rW "$F/fentry-c.o" | grep -c __fentry__)"
finish
