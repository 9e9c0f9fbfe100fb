#!/usr/bin/env bash
# The linker's rules on small objects (fixtures/link): resolution (strong
# over weak, duplicate strong definitions), COMDAT deduplication, GC roots
# (-u, --keep-section, --no-gc, --why-live), .modinfo merging and license,
# and the refusals (SHN_COMMON, R_X86_64_32, TLS).  Every failure must exit
# 1, name the file and leave no output and no .cmd.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
L=$KELFIX_FIXTURES/link
out=$work/out.o

# must_fail DESCRIPTION PATTERN KELFIX-ARGS...: exit 1, PATTERN in stderr,
# no output and no .cmd left behind.
must_fail() {
	local what=$1 pattern=$2 rc=0
	shift 2
	rm -f "$out" "$work/.out.o.cmd"
	"$KELFIX" "$@" -o "$out" 2>"$work/err" || rc=$?
	check_eq "$what: exit code" "$rc" 1
	check "$what: message has '$pattern'" grep -qF -- "$pattern" "$work/err"
	check "$what: no output" test ! -e "$out"
	check "$what: no .cmd" test ! -e "$work/.out.o.cmd"
	check "$what: no temporary file" bash -c "! ls -A '$work' | grep -q kelfix-"
}

# Text bytes of function FN in the output (objdump reads it back).
fn_bytes() { sec_bytes "$out" .text "$(sym_value "$out" "$1")" "$2"; }

"$KELFIX" "$L/def-a.o" "$L/def-b.o" -o "$out"
elflint_ok "$out"
check_eq "strong maybe_fn (mov \$3) wins over weak (mov \$2)" "$(fn_bytes maybe_fn 5)" "b8 03 00 00 00"
check_eq "first COMDAT copy (mov \$10) kept" "$(fn_bytes comdat_fn 5)" "b8 0a 00 00 00"
check_eq "one comdat_fn" "$(readelf -sW "$out" | gawk '$8 == "comdat_fn"' | wc -l)" 1
check "dead local dropped" bash -c "! readelf -sW '$out' | grep -qw dead_local"
check "section not reached by a root dropped" bash -c "! readelf -sW '$out' | grep -qw kept_by_glob"
check "hidden global is not a root" bash -c "! readelf -sW '$out' | grep -qw hidden_root"
check "no .group sections" bash -c "! readelf -SW '$out' | grep -q GROUP"

"$KELFIX" "$L/def-a.o" "$L/def-b.o" -u hidden_root --keep-section '.text.kept_by_g*' -o "$out"
elflint_ok "$out"
check "-u keeps what the symbol reaches" bash -c "readelf -sW '$out' | grep -qw kept_by_u_local"
check "--keep-section keeps by glob" bash -c "readelf -sW '$out' | grep -qw kept_by_glob"
check "hidden global made local" bash -c "readelf -sW '$out' | gawk '\$8 == \"hidden_root\" && \$5 == \"LOCAL\"' | grep -q ."

"$KELFIX" --no-gc "$L/def-a.o" "$L/def-b.o" -o "$out"
elflint_ok "$out"
check "--no-gc keeps dead code" bash -c "readelf -sW '$out' | grep -qw dead_local"

"$KELFIX" "$L/def-a.o" "$L/def-b.o" -o "$out" -u hidden_root --why-live kept_by_u_local >"$work/why"
elflint_ok "$out"
check_eq "--why-live prints the chain to the root" "$(tr '\n' '|' <"$work/why")" \
	"kept_by_u_local is live:|  .text.kept_by_u in $L/def-b.o|  .rodata.hidden_tbl in $L/def-b.o|  (a root)|"
"$KELFIX" "$L/def-a.o" "$L/def-b.o" -o "$out" --why-live dead_local >"$work/why"
elflint_ok "$out"
check "--why-live says when it is dropped" grep -q 'dead_local is not live' "$work/why"

must_fail "duplicate strong definition" "'shared_fn' is defined twice: in $L/def-a.o and in $L/dup.o" \
	"$L/def-a.o" "$L/dup.o"

# An archive member's name is never cut short in a message: dup.o as a
# member named by 5,000 characters (GNU ar's "//" long-name table, written
# here by hand).
long=$(printf 'm%.0s' $(seq 1 5000)).o
member_hdr() { printf '%-16s%-12s%-6s%-6s%-8s%-10s`\n' "$1" 0 0 0 644 "$2"; }
{
	printf '!<arch>\n'
	member_hdr // $((${#long} + 2))
	printf '%s/\n' "$long"
	member_hdr /0 "$(stat -c %s "$L/dup.o")"
	cat "$L/dup.o"
	[ $(($(stat -c %s "$L/dup.o") % 2)) -eq 0 ] || printf '\n'
} >"$work/long.a"
must_fail "duplicate definition in a member with a 5,000-character name" \
	"in $work/long.a($long)" "$L/def-a.o" "$work/long.a"
must_fail "common symbol" "common.o: 'common_var' is a common symbol" --no-license "$L/common.o"
must_fail "R_X86_64_32 against an address" "abs32.o: .text.init_module+0x1: R_X86_64_32" --no-license "$L/abs32.o"
must_fail "missing license" "no license= entry" "$L/nolicense.o"
must_fail "-u of an unknown symbol" "-u no_such_symbol" -u no_such_symbol "$L/def-a.o"
for t in "$KELFIX_FIXTURES"/tls/*.o; do
	must_fail "TLS $(basename "$t")" "$(basename "$t"):" --no-license "$t"
	check "TLS $(basename "$t"): says thread-local" grep -q 'thread-local' "$work/err"
done

# Calls through functions that only jump (fixtures/link/tail-jump.s): the
# crate-private strong ones are passed by, so init_module calls target
# three times, weak_shim and iface_shim once each, and the three are gone.
"$KELFIX" --stats "$L/tail-jump.o" -o "$out" 2>"$work/stats"
elflint_ok "$out"
check "tail-jump: three jumps passed by (--stats)" grep -qE 'jumps passed by: +3$' "$work/stats"
target=$(sym_value "$out" _RNvCs1_4demo6target)
weak=$(sym_value "$out" _RNvCs1_4demo9weak_shim)
check_eq "tail-jump: init_module's calls (relocation symbol, addend)" \
	"$(relocs "$out" | gawk -v n="$(sym_size "$out" init_module)" '$1 == ".rela.text" && $2 < n { print $4, $5 }')" \
	"$(printf '.text %d\n' $((target - 4)) $((target - 4)) $((target - 4)) $((weak - 4)); echo 'iface_shim -4')"
for gone in _RNvCs1_4demo4shim _RNvCs1_4demo8got_shim _RNvCs1_4demo7to_shim; do
	check "tail-jump: $gone left out (nothing calls it)" bash -c "! readelf -sW '$out' | grep -qw $gone"
done

"$KELFIX" "$L/weak-undef.o" -o "$out"
elflint_ok "$out"
check_eq "weakly referenced undefined name stays weak" \
	"$(readelf -sW "$out" | gawk '$8 == "optional_hook" { print $5, $7 }')" "WEAK UND"
check_eq "strongly referenced undefined name is global" \
	"$(readelf -sW "$out" | gawk '$8 == "required_fn" { print $5, $7 }')" "GLOBAL UND"

# Extended section indices (70,000 input sections; fixtures/link/many-sections.sh).
# In the input, f65515 and f65516 are in sections 0xfff1 and 0xfff2, the
# numbers of SHN_ABS and SHN_COMMON: sections all the same.
check_eq "SHN_XINDEX input: f65515, f65516 in sections 65521, 65522" \
	"$(readelf -SW "$L/many-sections.o" | gawk '/\] \.text\.f6551[56] / { sub(/^ *\[ */, ""); print $1 $2 }' | tr '\n' ' ')" \
	"65521].text.f65515 65522].text.f65516 "
"$KELFIX" --stats "$L/many-sections.o" -o "$out" 2>"$work/stats"
check "SHN_XINDEX input: all sections read" grep -qE 'sections in/out: +70006 / ' "$work/stats"
check_eq "SHN_XINDEX input: the live functions, by their extended indices" \
	"$(objdump -d "$out" | gawk '/>:$/ { print $2 }' | tr '\n' ' ')" \
	"<init_module>: <f5>: <f65515>: <f65516>: <f70000>: "
check_eq "SHN_XINDEX input: calls go to the functions, not to absolute 0" \
	"$(relocs "$out" | gawk '$1 == ".rela.text"' | tr '\n' ' ')" \
	".rela.text 1 R_X86_64_PC32 .text 17 .rela.text 6 R_X86_64_PC32 .text 18 .rela.text 11 R_X86_64_PLT32 f65516 -4 .rela.text 16 R_X86_64_PC32 .text 20 "
elflint_ok "$out"

# sections_of OBJ: "index name" of every section, as readelf -S prints them.
sections_of() {
	readelf -SW "$1" | gawk '/^ *\[ *[0-9]+\] / { sub(/^ *\[ */, ""); sub(/\]/, ""); print $1, $2 }'
}
# Every function fN of OBJ is defined in section .text.fN (readelf -s
# resolves SHN_XINDEX through .symtab_shndx); prints the count, or the
# first symbol that is not.
funcs_in_own_sections() { # obj
	sections_of "$1" >"$work/secs"
	readelf -sW "$1" | gawk 'NR == FNR { name[$1] = $2; next }
		$4 == "FUNC" && $8 ~ /^f[0-9]+$/ {
			if (name[$7] != ".text." $8) { print "bad:", $8, "in", $7, name[$7]; exit 1 }
			n++
		}
		END { print n + 0 }' "$work/secs" -
}

# --keep-sections --no-gc: 70,000 output sections, so the output's own
# headers and symbols go through SHN_XINDEX (e_shnum, e_shstrndx,
# .symtab_shndx); readelf and eu-elflint read it without a complaint.
start=$(date +%s%N)
"$KELFIX" --no-gc --keep-sections "$L/many-sections.o" -o "$out"
printf 'many-sections: --keep-sections --no-gc link in %d ms\n' $((($(date +%s%N) - start) / 1000000))
check_eq "70,000 sections: e_shnum 0, the count in section 0" \
	"$(readelf -hW "$out" | gawk -F: '/Number of section headers/ { gsub(/ /, "", $2); print $2 }')" "0(70015)"
check_eq "70,000 sections: e_shstrndx SHN_XINDEX, the index in section 0" \
	"$(readelf -hW "$out" | gawk -F: '/string table index/ { gsub(/ /, "", $2); print $2 }')" "65535(70014)"
check_eq "70,000 sections: readelf -S reads them all, without a warning" \
	"$(readelf -SW "$out" 2>&1 >/dev/null | head -3; sections_of "$out" | tail -1)" "70014 .shstrtab"
check_eq "70,000 sections: .symtab_shndx, linked to .symtab" \
	"$(readelf -SW "$out" | gawk '/ \.symtab_shndx / { sub(/^.*SYMTAB SECTION INDICES */, ""); print $5 }')" \
	"$(sections_of "$out" | gawk '$2 == ".symtab" { print $1 }')"
check_eq "70,000 sections: every fN in .text.fN" "$(funcs_in_own_sections "$out")" 70001
check_eq "70,000 sections: f65519 (section 0xfff3) and f70000 by their bytes" \
	"$(objdump -d -j .text.f65519 -j .text.f70000 "$out" | gawk '/^ +0:/ { print $2 }' | tr '\n' ' ')" "c3 c3 "
check_eq "70,000 sections: no symbol in section 0xfff2 (SHN_COMMON's number)" \
	"$(sections_of "$out" | gawk '$1 == 65522 { print $2 }')" ".note.GNU-stack"
elflint_ok "$out"

# DWARF: dropped by default; --keep-debug keeps it for live code, and what
# described dropped code no longer points into kept code.
"$KELFIX" "$L/debug.o" -o "$out"
elflint_ok "$out"
check "debug info dropped by default" bash -c "! readelf -SW '$out' | grep -q '\.debug_'"
check "dead_helper dropped" bash -c "! objdump -d '$out' | grep -q dead_helper"
"$KELFIX" --keep-debug "$L/debug.o" -o "$out"
elflint_ok "$out"
check "--keep-debug keeps .debug_info" bash -c "readelf -SW '$out' | grep -q '\.debug_info'"
check "--keep-debug: DWARF verifies" bash -c "llvm-dwarfdump-14 --verify '$out' | grep -qx 'No errors.'"
check_eq "--keep-debug: DWARF names the live functions at their addresses" \
	"$(llvm-dwarfdump-14 --debug-info "$out" | gawk '/DW_TAG_subprogram/ { s = 1 } s && /DW_AT_low_pc/ { pc = $2 } s && /DW_AT_name/ { print $2, pc; s = 0 }' | sort | tr '\n' ' ')" \
	"(\"dead_helper\") (0x0000000000000000) (\"init_module\") (0x0000000000000010) (\"live_helper\") (0x0000000000000000) "
check "--keep-debug: loader types in allocated sections" loader_types_only "$out"

# .modinfo: RETAIN inputs become one SHF_ALLOC section, duplicates once.
"$KELFIX" "$L/modinfo-retain.o" -m version=1.0 -o "$out"
elflint_ok "$out"
check_eq ".modinfo sections" "$(readelf -SW "$out" | grep -c ' \.modinfo ')" 1
check_eq ".modinfo flags" "$(readelf -SW "$out" | gawk '{ sub(/^ *\[ *[0-9]+\] */, "") } $1 == ".modinfo" { print $7 }')" A
check_eq ".modinfo entries" "$(readelf -p .modinfo "$out" | gawk '/\[/ { print $3 }' | tr '\n' ' ')" \
	"license=GPL author=kelfix description=retain version=1.0 "
"$KELFIX" "$L/nolicense.o" --no-license -o "$out"
elflint_ok "$out"
check "--no-license accepts it" test -s "$out"
"$KELFIX" "$L/nolicense.o" -m license=GPL -o "$out"
elflint_ok "$out"
check "-m license=GPL satisfies it" bash -c "readelf -p .modinfo '$out' | grep -q license=GPL"
finish
