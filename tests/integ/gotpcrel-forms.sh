#!/usr/bin/env bash
# Every row of fixtures/gotpcrel/forms.tsv through kelfix: the bytes of the
# output instruction, and the relocation that replaces the GOTPCREL one
# (type, offset, symbol, addend), read back with readelf and objcopy.  GOT
# rows: a PC32 into .kelfix.got whose slot has an R_X86_64_64 to the symbol.
# Every output holds only relocation types the module loader applies.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

forms=${1:?usage: gotpcrel-forms.sh FORMS.TSV}
fixdir=$KELFIX_FIXTURES/gotpcrel

# Symbol and addend a relocation to TARGET should name in the output: an
# undefined name stays itself; a local becomes its section + its offset.
expect_target() { # out target addend -> "sym addend"
	local out=$1 target=$2 addend=$3 ndx sec val
	read -r val ndx < <(readelf -sW "$out" | gawk -v n="$target" '$8 == n { print strtonum("0x" $2), $7; exit }')
	if [ "$ndx" = UND ]; then
		echo "$target $addend"
		return
	fi
	sec=$(readelf -SW "$out" | gawk -v i="$ndx" '{ sub(/^ *\[ */, "") } $1 == i "]" { print $2 }')
	echo "$sec $((val + addend))"
}

check_row() {
	local file section symbol insn_off type addend orig_bytes
	local action new_bytes new_type new_off new_addend
	IFS=$'\t' read -r file section symbol insn_off _ type addend orig_bytes _ \
		action new_bytes new_type _ new_off new_addend _ <<<"$1"
	local fn=${section#.text.} out=$work/${file%.o}.out.o base want len got at line
	local rsym radd tsym tadd
	base=$(sym_value "$out" "$fn")
	[ -n "$base" ] || { bad "$file $fn: function not in the output"; return; }
	want=$new_bytes
	[ "$action" = got ] && want=$orig_bytes
	len=$(wc -w <<<"$want")
	got=$(sec_bytes "$out" .text $((base + insn_off)) "$len")
	check_eq "$file $fn ($action): bytes" "$got" "$want"

	at=$((base + insn_off + new_off))
	line=$(relocs "$out" | gawk -v at="$at" '$1 == ".rela.text" && $2 == at')
	[ -n "$line" ] || { bad "$file $fn: no relocation at .text+$at"; return; }
	read -r _ _ rtype rsym radd <<<"$line"
	case ",$new_type," in
	*",${rtype#R_X86_64_},"*) ok ;;
	*) bad "$file $fn: relocation $rtype, want $new_type" ;;
	esac
	if [ "$action" = got ]; then
		check_eq "$file $fn: GOT reference" "$rsym" .kelfix.got
		local slot=$((radd - new_addend))
		read -r tsym tadd <<<"$(expect_target "$out" "$symbol" 0)"
		line=$(relocs "$out" | gawk -v at="$slot" '$1 == ".rela.kelfix.got" && $2 == at')
		check_eq "$file $fn: GOT slot $slot" "$line" ".rela.kelfix.got $slot R_X86_64_64 $tsym $tadd"
		return
	fi
	read -r tsym tadd <<<"$(expect_target "$out" "$symbol" "$new_addend")"
	check_eq "$file $fn: relocation target" "$rsym $radd" "$tsym $tadd"
}

# One kelfix run per fixture file.
for f in $(gawk -F'\t' '!/^#/ { print $1 }' "$forms" | sort -u); do
	out=$work/${f%.o}.out.o
	if ! "$KELFIX" --no-license "$fixdir/$f" -o "$out" 2>"$work/err"; then
		bad "kelfix $f: $(cat "$work/err")"
		continue
	fi
	check "$f: only loader relocation types" loader_types_only "$out"
	check "$f: no GOTPCREL left" bash -c "! readelf -rW '$out' | grep -q GOTPCREL"
	elflint_ok "$out"
done
while IFS= read -r row; do
	case $row in '#'* | '') continue ;; esac
	[ -f "$work/$(cut -f1 <<<"$row" | sed 's/\.o$//').out.o" ] || continue
	check_row "$row"
done <"$forms"
finish
