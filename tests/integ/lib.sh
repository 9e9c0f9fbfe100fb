# shellcheck shell=bash
# Sourced by the integration tests: checks that count, and readers of
# kelfix's output through independent tools (readelf, objcopy, od).
#   KELFIX            the kelfix binary
#   KELFIX_FIXTURES   build/fixtures
set -euo pipefail

: "${KELFIX:?set KELFIX to the kelfix binary}"
: "${KELFIX_FIXTURES:?set KELFIX_FIXTURES to the fixture directory}"

pass=0
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	printf 'FAIL: %s\n' "$*" >&2
}
# check DESCRIPTION COMMAND...: the command's success is the check; when it
# fails, the last lines of its output follow the FAIL line.
check() {
	local what=$1
	shift
	if "$@" >"$work/.check.log" 2>&1; then
		ok
	else
		bad "$what"
		tail -20 "$work/.check.log" | sed 's/^/    /' >&2
	fi
}
# check_eq DESCRIPTION GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', want '$3'"; fi
}
finish() {
	printf '%s passed, %s failed\n' "$pass" "$fail"
	[ "$fail" -eq 0 ]
}

# Hex bytes ("48 8d 05") of SECTION of OBJ at OFFSET, LEN bytes.
sec_bytes() { # obj section offset len
	objcopy -O binary --only-section="$2" "$1" "$work/.sec.bin"
	od -An -tx1 -v -j "$3" -N "$4" "$work/.sec.bin" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
}

# "value section-index" of a symbol in OBJ.
sym_value() { # obj name
	readelf -sW "$1" | gawk -v n="$2" '$8 == n { print strtonum("0x" $2); exit }'
}

# Size of a symbol in OBJ (decimal).
sym_size() { # obj name
	readelf -sW "$1" | gawk -v n="$2" '$8 == n { print $3; exit }'
}

# Relocations of OBJ as "section offset type symbol addend" lines (decimal
# offset and addend; symbol is the name readelf shows, a section's name for
# a section symbol, "-" for symbol 0).
relocs() { # obj
	readelf -rW "$1" | gawk '
		/^Relocation section / { sec = $3; gsub(/\x27/, "", sec); next }
		/^ *[0-9a-f]+ +[0-9a-f]+ +R_X86_64_/ {
			off = strtonum("0x" $1); type = $3; sym = "-"; add = 0
			if (NF >= 7) { sym = $5; add = strtonum("0x" $7); if ($6 == "-") add = -add }
			else if (NF == 4) { add = strtonum("0x" $4) }
			printf "%s %d %s %s %d\n", sec, off, type, sym, add
		}'
}

# Names of the allocated sections of OBJ (objdump's ALLOC flag).
alloc_sections() { # obj
	objdump -h "$1" | awk '/^ *[0-9]+ / { name = $2; getline; if ($0 ~ /ALLOC/) print name }'
}

# The relocation types used in allocated sections of OBJ, one per line.
alloc_reloc_types() { # obj
	local allocs
	allocs=" $(alloc_sections "$1" | tr '\n' ' ') "
	relocs "$1" | while read -r sec _ type _; do
		case $allocs in *" ${sec#.rela} "*) echo "$type" ;; esac
	done | sort -u
}

# The kernel's loader set (arch/x86/kernel/module.c) minus R_X86_64_32.
loader_types_only() { # obj
	! alloc_reloc_types "$1" | grep -vxE 'R_X86_64_(NONE|64|32S|PC32|PLT32|PC64)'
}

# elflint_ok OBJ: eu-elflint (elfutils), an ELF checker independent of
# kelfix, finds nothing wrong in OBJ as a GNU ld relocatable object.  A
# check: any message, or eu-elflint missing, fails it.
elflint_ok() { # obj
	local out rc=0
	out=$(eu-elflint --gnu-ld --quiet "$1" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
		ok
	else
		bad "eu-elflint --gnu-ld $1: exit $rc"
		printf '%s\n' "$out" | head -20 | sed 's/^/    /' >&2
	fi
}

# elflint_no_worse OUT IN: eu-elflint finds nothing in OUT, a pass-through
# of IN, that it does not find in IN too (section and entry numbers aside:
# a pass-through may renumber them).  A check.
elflint_msgs() { # obj: eu-elflint's messages, numbers of sections and entries left out
	eu-elflint --gnu-ld --quiet "$1" 2>&1 |
		sed -E 's/\[ *[0-9]+\]/[N]/g; s/(relocation|symbol|entry) [0-9]+/\1 N/g' | sort -u
}
elflint_no_worse() { # out in
	local msgs rc=0 new
	if ! command -v eu-elflint >/dev/null; then
		bad "eu-elflint (elfutils) is not installed"
		return
	fi
	msgs=$(eu-elflint --gnu-ld --quiet "$1" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$msgs" ]; then
		ok
		return
	fi
	new=$(comm -23 <(elflint_msgs "$1") <(elflint_msgs "$2"))
	if [ -z "$new" ]; then
		ok
	else
		bad "eu-elflint --gnu-ld $1 (from $2): new problems"
		printf '%s\n' "$new" | head -20 | sed 's/^/    /' >&2
	fi
}

# entries DIR: the names in DIR (dot-files too), sorted, on one line.
entries() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort | tr '\n' ' '; }
