#!/usr/bin/env bash
# The eu-elflint check the integration tests run on every object they
# write (elflint_ok, lib.sh; elflint_no_worse for pass-throughs) can fail: a good kelfix output passes it, and
# the same output with one field broken does not.  Broken here with dd:
# .symtab's sh_link made to name .symtab itself (not a string table), and
# a function's st_shndx made 0xfe00, a section past the last one.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
good=$work/good.o
"$KELFIX" "$KELFIX_FIXTURES/link/def-a.o" "$KELFIX_FIXTURES/link/def-b.o" -o "$good"

# failures_of OBJ [IN]: how many failures elflint_ok counts on OBJ (or
# elflint_no_worse, with IN), in a subshell, so this script's own counts
# are left alone.
failures_of() { # obj [in]
	if [ $# -eq 1 ]; then
		(fail=0 && elflint_ok "$1" 2>/dev/null && echo "$fail")
	else
		(fail=0 && elflint_no_worse "$1" "$2" 2>/dev/null && echo "$fail")
	fi
}
# put_le FILE OFFSET BYTES VALUE: VALUE written little-endian at OFFSET.
put_le() { # file offset bytes value
	local i hex=""
	for ((i = 0; i < $3; i++)); do hex+=$(printf '\\x%02x' $((($4 >> (8 * i)) & 0xff))); done
	# shellcheck disable=SC2059 # the format is the escapes to write
	printf "$hex" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# Field offsets in ELF64 (gABI): a section header is 64 bytes, sh_link at
# 40; a symbol is 24 bytes, st_shndx at 6.
shoff=$(readelf -hW "$good" | gawk -F: '/Start of section headers/ { print $2 + 0 }')
symtab=$(readelf -SW "$good" | gawk '/ \.symtab / { sub(/^ *\[ */, ""); print $1 + 0 }')
symoff=$(readelf -SW "$good" | gawk '/ \.symtab / { sub(/^.*SYMTAB +/, ""); print strtonum("0x" $2) }')
fn=$(readelf -sW "$good" | gawk '$4 == "FUNC" { print $1 + 0; exit }')
check "found the section headers, .symtab and a function" \
	test "$shoff" -gt 0 -a "$symtab" -gt 0 -a "$symoff" -gt 0 -a "${fn:-0}" -gt 0

check_eq "a kelfix output: no failure" "$(failures_of "$good")" 0

cp "$good" "$work/bad-link.o"
put_le "$work/bad-link.o" $((shoff + 64 * symtab + 40)) 4 "$symtab"
check_eq "broken as meant: .symtab's link is itself" \
	"$(readelf -SW "$work/bad-link.o" 2>/dev/null | gawk '/ \.symtab / { print $(NF - 2) }')" "$symtab"
check_eq ".symtab linked to no string table: one failure" "$(failures_of "$work/bad-link.o")" 1
# passthrough-all's check: a problem the input has too is not counted.
check_eq "elflint_no_worse: broken from good, one failure" \
	"$(failures_of "$work/bad-link.o" "$good")" 1
check_eq "elflint_no_worse: broken from the same broken, no failure" \
	"$(failures_of "$work/bad-link.o" "$work/bad-link.o")" 0

cp "$good" "$work/bad-shndx.o"
put_le "$work/bad-shndx.o" $((symoff + 24 * fn + 6)) 2 $((0xfe00))
check_eq "broken as meant: the function is in section 65024" \
	"$(readelf -sW "$work/bad-shndx.o" 2>/dev/null | gawk -v n="$fn:" '$1 == n { print $NF, $(NF - 1) }')" \
	"$(readelf -sW "$good" | gawk -v n="$fn:" '$1 == n { print $NF }') index[65024]"
check_eq "a function in a section that does not exist: one failure" \
	"$(failures_of "$work/bad-shndx.o")" 1
finish
