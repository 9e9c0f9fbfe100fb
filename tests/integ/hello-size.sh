#!/usr/bin/env bash
# hello-size.sh LIBHELLO.a: kelfix's output of the hello archive against
# the GNU pipeline it replaces, `ld -r --gc-sections -u init_module
# -u cleanup_module --whole-archive` + `objcopy --strip-debug`: at most 16
# sections, loader relocation types only, and the allocated bytes.
#
# Two byte counts are printed for each: the plain sum of the allocated
# section sizes, and the size once laid out as the module loader does
# (kernel/module/main.c layout_sections: code, read-only, writable, each
# section aligned to its sh_addralign).  ld -r keeps each function in its
# own section, so its plain sum leaves out the alignment padding the
# loader adds between them; kelfix merges them and its sum includes it.
# The laid-out size is the memory the module takes, and the check.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
lib=${1:?usage: hello-size.sh LIBHELLO.a}

alloc_bytes() { # obj: sum of the sizes of SHF_ALLOC sections
	objdump -h "$1" | gawk '/^ *[0-9]+ / { size = strtonum("0x" $3); getline; if ($0 ~ /ALLOC/) sum += size } END { print sum + 0 }'
}
laid_out_bytes() { # obj: code, then read-only, then writable, each aligned
	readelf -SW "$1" | gawk '
		{ sub(/^ *\[ *[0-9]+\] */, "") }
		NF >= 10 && $1 != "" {
			flags = $7; size = strtonum("0x" $5); align = $NF + 0
			if (flags !~ /A/ || $1 == ".modinfo") next
			cat = flags ~ /X/ ? 0 : (flags ~ /W/ ? 2 : 1)
			if (align > 1) end[cat] = int((end[cat] + align - 1) / align) * align
			end[cat] += size
		}
		END { print end[0] + end[1] + end[2] }'
}
nsections() { readelf -hW "$1" | gawk '/Number of section headers/ { print $NF }'; }
# The padding between the functions of .text (from the end of one to the
# start of the next, by their symbols): "<bytes> <of them not int3>".
code_padding() { # obj
	local ndx
	objcopy -O binary --only-section=.text "$1" "$work/text.bin"
	ndx=$(readelf -SW "$1" | gawk '/ \.text / { sub(/^ *\[ */, ""); print $1 + 0 }')
	readelf -sW "$1" | gawk -v ndx="$ndx" '$4 == "FUNC" && $7 == ndx { print strtonum("0x" $2), $3 }' |
		sort -n >"$work/funcs"
	od -An -v -tx1 "$work/text.bin" | tr -s ' \n' '\n' | grep -v '^$' >"$work/text.hex"
	gawk 'NR == FNR { b[NR - 1] = $1; next }
		{ s[n + 0] = $1; e[n + 0] = $1 + $2; n++ }
		END {
			for (i = 0; i + 1 < n; i++) {
				if (e[i] > end) end = e[i]
				for (a = end; a < s[i + 1]; a++) { pad++; bad += b[a] != "cc" }
			}
			print pad + 0, bad + 0
		}' "$work/text.hex" "$work/funcs"
}

"$KELFIX" "$lib" -o "$work/kelfix.o"
elflint_ok "$work/kelfix.o"
ld -r --gc-sections -u init_module -u cleanup_module --whole-archive "$lib" -o "$work/ld.o"
objcopy --strip-debug "$work/ld.o" "$work/ld-strip.o"
k=$(alloc_bytes "$work/kelfix.o")
g=$(alloc_bytes "$work/ld-strip.o")
kl=$(laid_out_bytes "$work/kelfix.o")
gl=$(laid_out_bytes "$work/ld-strip.o")
printf 'hello: kelfix: %s sections, %s allocated bytes (%s laid out)\n' \
	"$(nsections "$work/kelfix.o")" "$k" "$kl"
printf 'hello: ld -r --gc-sections + objcopy --strip-debug: %s sections, %s allocated bytes (%s laid out)\n' \
	"$(nsections "$work/ld-strip.o")" "$g" "$gl"
check "laid-out allocated bytes ($kl) <= ld+objcopy ($gl)" test "$kl" -le "$gl"
check "at most 16 sections" test "$(nsections "$work/kelfix.o")" -le 16
check "loader relocation types only" loader_types_only "$work/kelfix.o"
# Padding between functions is int3 (objtool decodes it), never zeros:
# every byte between two functions, and there are such bytes.
read -r pad notcc <<<"$(code_padding "$work/kelfix.o")"
printf 'hello: %s bytes of padding between functions\n' "$pad"
check "there is padding between functions to check" test "$pad" -gt 0
check_eq "padding bytes between functions that are not int3 (0xcc)" "$notcc" 0
check "the GNU pipeline alone is refused-type (GOTPCREL left)" \
	bash -c "readelf -rW '$work/ld-strip.o' | grep -q GOTPCREL"
finish
