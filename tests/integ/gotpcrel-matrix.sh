#!/usr/bin/env bash
# fixtures/gotpcrel/matrix.o through kelfix: every form of forms.tsv, in
# types 9, 41 and 42, after "movb $B,%cl" (b1 B) for each B in 0x40..0x4f,
# a byte that looks like a REX prefix just before the instruction.  For
# every function all of its bytes are checked (the movb included: kelfix
# must never change a byte of another instruction), and the relocation
# that replaces the GOTPCREL one: the only one in the function, its type,
# offset and target (GOT rows: a PC32 into .kelfix.got whose slot has an
# R_X86_64_64 to the symbol).  Then --stats: the GOT sites by reason.
#
# What kelfix must do, from forms.tsv (whose rows are functions kelfix can
# decode from their start, as the matrix's "fn" functions are):
#   fn    (sized STT_FUNC): the row of forms.tsv for that form and type;
#   label (a plain label, where the instruction starts is not proven):
#         what the bytes ask for, i.e. the form's type-9 row, except that
#         test and binop, which change or need the REX byte, go through
#         the GOT.
# Expected bytes: b1 B, the row's new_bytes (orig_bytes for got), c3.
# Then decode-cases.o: a site inside another instruction's immediate, one
# after bytes capstone cannot decode, a legacy prefix, two sites in one
# function.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

forms=${1:?usage: gotpcrel-matrix.sh FORMS.TSV}
in=$KELFIX_FIXTURES/gotpcrel/matrix.o
out=$work/matrix.out.o

if ! "$KELFIX" --no-license --stats "$in" -o "$out" 2>"$work/err"; then
	bad "kelfix matrix.o: $(cat "$work/err")"
	finish
fi
check "matrix.o: only loader relocation types" loader_types_only "$out"
check "matrix.o: no GOTPCREL left" bash -c "! readelf -rW '$out' | grep -q GOTPCREL"

objcopy -O binary --only-section=.text "$out" "$work/text.bin"
od -An -v -tx1 "$work/text.bin" | tr -s ' \n' '\n' | sed '/^$/d' >"$work/text.hex"
readelf -sW "$out" | gawk 'NF >= 8 { print $8, strtonum("0x" $2), $7 }' >"$work/syms"
readelf -SW "$out" | gawk '{ sub(/^ *\[ */, "") } $1 ~ /^[0-9]+\]$/ { sub(/\]/, "", $1); print $1, $2 }' \
	>"$work/secs"
relocs "$out" >"$work/relocs"

# One line per check: "ok" or "FAIL: ...", then the expected GOT reasons.
gawk -F'\t' -v hex="$work/text.hex" -v syms="$work/syms" -v secs="$work/secs" \
	-v rel="$work/relocs" '
function fail(msg) { print "FAIL: " msg; nfail++ }
function pass() { print "ok" }
function tnum(t) { return t == "GOTPCREL" ? 9 : t == "GOTPCRELX" ? 41 : 42 }
# "sym addend" a relocation to target with addend names in the output: an
# undefined name stays itself, a local becomes its section + its offset.
function target(sym, add) {
	if (symndx[sym] == "UND")
		return sym " " add
	return secname[symndx[sym]] " " (symval[sym] + add)
}
BEGIN {
	n = 0
	while ((getline b < hex) > 0)
		text[n++] = b
	while ((getline line < syms) > 0) {
		split(line, f, " ")
		symval[f[1]] = f[2]
		symndx[f[1]] = f[3]
	}
	while ((getline line < secs) > 0) {
		split(line, f, " ")
		secname[f[1]] = f[2]
	}
	while ((getline line < rel) > 0) {
		split(line, f, " ")
		if (f[1] == ".rela.text") {
			nrel++
			roff[nrel] = f[2]; rtype[nrel] = f[3]; rsym[nrel] = f[4]; radd[nrel] = f[5]
		} else if (f[1] == ".rela.kelfix.got") {
			slot[f[2]] = f[3] " " f[4] " " f[5]
		}
	}
}
/^#/ || NF < 16 { next }
{
	fn = substr($2, 7)
	key = fn SUBSEP tnum($6)
	for (i = 1; i <= 16; i++)
		row[key, i] = $i
	keys[++nkeys] = key
}
# check_fn name kind row-key base-row-key byte
function check_fn(name, key, act, nb, ntype, noff, nadd, b,    base, want, len, got, i, hits, r, at, s, tgt, words) {
	if (!(name in symval)) {
		fail(name ": function not in the output")
		return
	}
	base = symval[name]
	want = "b1 " b " " (act == "got" ? row[key, 8] : nb) " c3"
	len = split(want, words, " ")
	got = ""
	for (i = 0; i < len; i++)
		got = got (i ? " " : "") text[base + i]
	if (got == want) pass(); else fail(name " (" act "): bytes " got ", want " want)

	hits = 0
	for (r = 1; r <= nrel; r++)
		if (roff[r] >= base && roff[r] < base + len) {
			hits++
			at = r
		}
	if (hits != 1) {
		fail(name ": " hits " relocations in the function, want 1")
		return
	}
	pass()
	if (roff[at] == base + 2 + noff) pass(); else fail(name ": relocation at +" roff[at] - base ", want +" 2 + noff)
	s = rtype[at]; sub(/^R_X86_64_/, "", s)
	if (index("," ntype ",", "," s ",")) pass(); else fail(name ": relocation " s ", want " ntype)
	if (act == "got") {
		if (rsym[at] == ".kelfix.got") pass(); else fail(name ": against " rsym[at] ", want .kelfix.got")
		tgt = "R_X86_64_64 " target(row[key, 3], 0)
		if (slot[radd[at] - nadd] == tgt) pass()
		else fail(name ": GOT slot " radd[at] - nadd " is \"" slot[radd[at] - nadd] "\", want \"" tgt "\"")
		return
	}
	tgt = target(row[key, 3], nadd)
	if (rsym[at] " " radd[at] == tgt) pass(); else fail(name ": target " rsym[at] " " radd[at] ", want " tgt)
}
END {
	for (k = 1; k <= nkeys; k++) {
		key = keys[k]
		split(key, kp, SUBSEP)
		fn = kp[1]; t = kp[2]
		bkey = fn SUBSEP 9
		for (b = 0; b < 16; b++) {
			bx = sprintf("4%x", b)
			# fn: the forms.tsv row itself.
			act = row[key, 10]
			check_fn(fn "_fn_" t "_" bx, key, act, row[key, 11], row[key, 12], row[key, 14], row[key, 15], bx)
			if (act == "got") {
				ngot++
				if (t == 42 && row[key, 8] !~ /^4/ && row[key, 7] == -4)
					norex++
			}
			# label: what the bytes ask for; test/binop need the REX byte.
			act = row[bkey, 10]
			if (act == "test" || act == "binop") {
				act = "got"
				unproven++
			}
			if (act == "got") {
				ngot++
				check_fn(fn "_label_" t "_" bx, key, act, "", "PC32", row[key, 5], row[key, 7], bx)
			} else {
				check_fn(fn "_label_" t "_" bx, key, act, row[bkey, 11], row[bkey, 12], row[bkey, 14], row[bkey, 15], bx)
			}
		}
	}
	if (!nkeys)
		fail("no rows in forms.tsv")
	printf "expect GOT slot %d\nexpect insn start unproven %d\nexpect REX_GOTPCRELX, no REX %d\n", ngot, unproven, norex
	printf "expect no in-place form %d\nexpect legacy prefix 0\nexpect not an insn'"'"'s disp32 0\n", ngot - unproven - norex
}' "$forms" >"$work/results"

while IFS= read -r line; do
	case $line in
	ok) ok ;;
	FAIL:*) bad "${line#FAIL: }" ;;
	"expect GOT slot "*)
		check_eq "--stats: GOT slot sites" \
			"$(sed -n 's/^kelfix: GOTPCREL GOT slot  *//p' "$work/err")" "${line##* }"
		;;
	expect*)
		what=${line#expect }
		what=${what% *}
		check_eq "--stats: GOT because $what" \
			"$(grep -F "GOT: $what " "$work/err" | gawk '{ print $NF }')" "${line##* }"
		;;
	esac
done <"$work/results"

# The first REX_GOTPCRELX without a REX prefix is reported, once.
check_eq "one warning for type 42 without REX" \
	"$(grep -c 'REX_GOTPCRELX against .* without a REX prefix' "$work/err")" 1

# decode-cases.o (forms.inc says what each function is): where decoding
# from the function's start decides.  Per function: its bytes, and
# "offset type symbol;" per relocation in it, offsets from its start.
dc=$work/decode.out.o
if ! "$KELFIX" --no-license --stats "$KELFIX_FIXTURES/gotpcrel/decode-cases.o" -o "$dc" \
	2>"$work/dc.err"; then
	bad "kelfix decode-cases.o: $(cat "$work/dc.err")"
	finish
fi
fn_relocs() { # fn size
	relocs "$dc" | gawk -v b="$(sym_value "$dc" "$1")" -v n="$2" '
		$1 == ".rela.text" && $2 >= b && $2 < b + n { printf "%d %s %s;", $2 - b, $3, $4 }'
}
while IFS='|' read -r fn want wrel; do
	len=$(wc -w <<<"$want")
	check_eq "decode-cases $fn: bytes" \
		"$(sec_bytes "$dc" .text "$(sym_value "$dc" "$fn")" "$len")" "$want"
	check_eq "decode-cases $fn: relocations" "$(fn_relocs "$fn" "$len")" "$wrel"
done <<'CASES'
in_imm64|48 b8 48 03 0d 00 00 00 00 00 c3|5 R_X86_64_PC32 .kelfix.got;
after_unknown|06 b1 4c 03 0d 00 00 00 00 c3|5 R_X86_64_PC32 .kelfix.got;
prefixed|67 48 8b 05 00 00 00 00 c3|4 R_X86_64_PC32 .kelfix.got;
second_site|b1 4c 48 81 c1 00 00 00 00 b1 48 f7 c1 00 00 00 00 c3|5 R_X86_64_32S ext_sym;13 R_X86_64_32S ext_sym;
CASES
for why in "not an insn's disp32" "insn start unproven" "legacy prefix"; do
	check_eq "decode-cases --stats: GOT because $why" \
		"$(grep -F "GOT: $why " "$work/dc.err" | gawk '{ print $NF }')" 1
done
finish
