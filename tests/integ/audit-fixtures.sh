#!/usr/bin/env bash
# kelfix --audit on its fixtures (fixtures/audit/): each triggers exactly
# its check, clean.o none; the JSON document has exactly issue 5's shape;
# exit codes; --allow; .ko.xz input; link mode refuses error-class findings
# and names them at the member and input section they came from; archives
# are resolved as the link resolves them (strong over weak, two strong
# definitions a duplicate-symbol finding).
# Needs the two kernels' kbuild directories (.ci/bootstrap) and jq.
source "$(dirname "$0")/lib.sh"

# jq -e, quiet: the filter's truth is the check.
jqok() { jq -e "$@" >/dev/null; }
source "$(dirname "$0")/../lib/kernels.sh"

F=$KELFIX_FIXTURES/audit
K61=$(kelfix_kdir 6.1)
K612=$(kelfix_kdir 6.12)

# Sorted, comma-joined check ids of a JSON audit document on stdin.
ids() { jq -r '[.findings[].check] | unique | join(",")'; }

audit() { # [kelfix options] inputs...: JSON on stdout, exit status in $rc
	rc=0
	"$KELFIX" --audit --format json "$@" >"$work/out.json" 2>"$work/err" || rc=$?
}

# fixture  checks with --kernel 6.12 (IBT, retpoline)  exit status
while read -r name want want_rc; do
	[ "$want" = "-" ] && want=""
	audit --kernel "$K612" "$F/$name.o"
	check_eq "$name.o: checks" "$(ids <"$work/out.json")" "$want"
	check_eq "$name.o: exit status" "$rc" "$want_rc"
done <<'TABLE'
clean - 0
reloc-unsupported reloc-unsupported 1
reloc-overflow reloc-overflow 1
tls tls 1
common-symbol common-symbol 1
write-exec write-exec 1
modinfo modinfo 1
modinfo-retain modinfo 1
undefined-symbol undefined-symbol 1
mcount undefined-symbol 1
gpl-only gpl-only 1
fpu-simd fpu-simd 1
fpu-simd-note fpu-simd 0
red-zone red-zone 1
stack-frame stack-frame 0
stack-overflow stack-frame 1
missing-endbr missing-endbr 1
indirect-branch indirect-branch 0
init-array init-array 0
TABLE

# Severities that depend on the kernel or the input.
sev() { jq -r '[.findings[].severity] | unique | join(",")' <"$work/out.json"; }
audit --kernel "$K612" "$F/missing-endbr.o"
check_eq "missing-endbr on an IBT kernel is an error" "$(sev)" error
audit --kernel "$K61" "$F/missing-endbr.o"
check_eq "missing-endbr on a kernel without IBT is a warning" "$(sev)" warning
check_eq "missing-endbr warning: exit 0" "$rc" 0
audit "$F/stack-frame.o"
check_eq "a frame over FRAME_WARN is a warning" "$(sev)" warning
audit --kernel "$K61" "$F/stack-overflow.o"
check_eq "a frame over the whole kernel stack is an error" "$(sev)" error
# Each function's finding: "symbol offset message-start".
frames() { jq -r '.findings[] | "\(.symbol) \(.offset) \(.message | split(":")[0])"' "$work/out.json"; }
check_eq "stack-overflow: the probe loop's page counted once (0x10000 + 0x118); 5 probed pages" \
	"$(frames)" "big_frame 0 stack frame of 65816 bytes is larger than the whole kernel stack (16 KiB)
mid_frame 51 stack frame of 20480 bytes is larger than the whole kernel stack (16 KiB)"
# A kernel with KASAN (32 KiB stacks) and CONFIG_FRAME_WARN=0 (no warning):
# 6.1's kbuild files with those two options changed.
kk=$work/kasan-kdir
mkdir -p "$kk/include/generated"
cp "$K61/Module.symvers" "$kk/"
cp "$K61/include/generated/utsrelease.h" "$kk/include/generated/"
sed -e 's/^CONFIG_FRAME_WARN=.*/CONFIG_FRAME_WARN=0/' -e 's/^# CONFIG_KASAN is not set/CONFIG_KASAN=y/' \
	"$K61/.config" >"$kk/.config"
check "KASAN kbuild directory made" grep -qx CONFIG_KASAN=y "$kk/.config"
audit --kernel "$kk" "$F/stack-overflow.o"
check_eq "KASAN: 64 KiB is over the 32 KiB stack, 20 KiB is not; FRAME_WARN=0 warns of nothing" \
	"$(frames)" "big_frame 0 stack frame of 65816 bytes is larger than the whole kernel stack (32 KiB)"
audit --kernel "$kk" "$F/stack-frame.o"
check_eq "FRAME_WARN=0: a 12 KiB frame is no finding" "$(ids <"$work/out.json")" ""
audit "$F/fpu-simd-note.o"
check_eq "SIMD after kernel_fpu_begin_mask() is a note" "$(sev)" note
audit "$F/undefined-symbol.o"
check_eq "undefined-symbol needs --kernel" "$(ids <"$work/out.json")" ""
audit "$F/mcount.o"
check_eq "mcount is found without --kernel" "$(ids <"$work/out.json")" undefined-symbol
audit --kernel "$K612" "$F/gpl-only.o"
check "gpl-only names the export" grep -q '"symbol":"device_add"' "$work/out.json"
audit "$F/modinfo.o"
check "a missing license is named at the input's .modinfo" \
	jqok '[.findings[] | select(.message | test("no license="))] | length == 1 and .[0].section == ".modinfo"' \
	"$work/out.json"
audit --kernel "$K612" "$F/red-zone.o"
check "red-zone names function, section, offset and instruction" \
	jqok '.findings[0] | .symbol == "red_zone_leaf" and .section == ".text" and .offset == 0
		and (.message | test("movq %rdi, -8\\(%rsp\\)"))' "$work/out.json"

# The JSON document: exactly these keys and types.
all=()
for f in "$F"/*.o; do all+=("$f"); done
audit --kernel "$K612" "${all[@]}"
check_eq "many inputs in one run: exit 1" "$rc" 1
check "JSON: top level" jqok 'keys == ["findings","inputs","kernel","summary"]
	and (.inputs | type == "array") and (.kernel | keys == ["release"])
	and (.summary | keys == ["error","note","warning"])' "$work/out.json"
check_eq "JSON: the kernel's release" "$(jq -r .kernel.release "$work/out.json")" "$(kelfix_krel 6.12)"
check_eq "JSON: every input listed" "$(jq '.inputs | length' "$work/out.json")" "${#all[@]}"
check "JSON: every finding has exactly the ten fields, typed" jqok '
	[.findings[] | (keys == ["check","demangled","input","member","message","offset","section","severity","symbol"] | not)
	 or (.severity | IN("error","warning","note") | not)
	 or (.offset | type != "number") or (.section | type != "string")
	 or (.member | type | IN("string","null") | not) or (.symbol | type | IN("string","null") | not)
	 or (.demangled | type | IN("string","null") | not)] | any | not' "$work/out.json"
# shellcheck disable=SC2016 # $i is jq's
check "JSON: finding inputs are listed inputs" jqok '.inputs as $i | [.findings[].input | IN($i[]) ] | all' "$work/out.json"
check "JSON: summary counts the findings" jqok '.summary == {
	error: ([.findings[] | select(.severity == "error")] | length),
	warning: ([.findings[] | select(.severity == "warning")] | length),
	note: ([.findings[] | select(.severity == "note")] | length)}' "$work/out.json"
"$KELFIX" --audit "$F/clean.o" >"$work/clean.json" --format json
check "JSON: no --kernel gives kernel null" jqok '.kernel == null and .findings == []' "$work/clean.json"

# Text: one heading per check, findings under it, a summary.
rc=0
"$KELFIX" --audit --kernel "$K612" "${all[@]}" >"$work/out.txt" 2>/dev/null || rc=$?
check_eq "text: exit 1" "$rc" 1
check_eq "text: one heading per check found" \
	"$(grep -cE '^[a-z-]+: [0-9]+ findings?: ' "$work/out.txt")" \
	"$(jq '[.findings[].check] | unique | length' "$work/out.json")"
check "text: summary line" grep -qE '^summary: 19 inputs, [0-9]+ errors?, [0-9]+ warnings?, [0-9]+ notes?$' "$work/out.txt"
check "text: a finding names input, section and function" \
	grep -qF "error: $F/red-zone.o: .text+0x0 (in red_zone_leaf): accesses memory 8 bytes below %rsp" "$work/out.txt"

# .ko.xz input: decompressed in memory.
xz -c "$F/red-zone.o" >"$work/red-zone.ko.xz"
xz -c "$F/clean.o" >"$work/clean.ko.xz"
audit "$work/red-zone.ko.xz" "$work/clean.ko.xz"
check_eq ".ko.xz: checks" "$(ids <"$work/out.json")" red-zone
printf 'not xz' >"$work/bad.ko.xz"
audit "$work/bad.ko.xz"
check_eq "a damaged .ko.xz is rejected (exit 1)" "$rc" 1

# Exit codes and usage.
audit "$work/no-such-file.o"
check_eq "missing input: exit 3" "$rc" 3
audit
check_eq "--audit without inputs: exit 2" "$rc" 2
audit --format xml "$F/clean.o"
check_eq "--format xml: exit 2" "$rc" 2
audit --allow no-such-check "$F/clean.o"
check_eq "--allow of an unknown check: exit 2" "$rc" 2
audit --kernel "$work" "$F/clean.o"
check_eq "--kernel that is not a kbuild directory: exit 2" "$rc" 2

# --allow: accepted, loudly.
audit --allow fpu-simd "$F/fpu-simd.o"
check_eq "--allow fpu-simd: exit 0" "$rc" 0
check_eq "--allow fpu-simd: now a warning" "$(sev)" warning
check "--allow says so on stderr" grep -q -- '--allow fpu-simd: accepting 1 error-class finding' "$work/err"

# Link mode: error-class findings of the output fail the link, leave nothing.
rc=0
"$KELFIX" "$F/red-zone.o" -o "$work/rz.o" 2>"$work/err" || rc=$?
check_eq "link of red-zone.o: exit 1" "$rc" 1
check "link of red-zone.o: no output" test ! -e "$work/rz.o"
check "link of red-zone.o: no .cmd" test ! -e "$work/.rz.o.cmd"
check "link of red-zone.o: says which check" grep -q '\[red-zone\]' "$work/err"
rc=0
"$KELFIX" --allow red-zone "$F/red-zone.o" -o "$work/rz.o" 2>"$work/err" || rc=$?
check_eq "link with --allow red-zone: exit 0" "$rc" 0
check "link with --allow red-zone: output written" test -s "$work/rz.o"
rc=0
"$KELFIX" "$F/stack-overflow.o" -o "$work/so.o" 2>"$work/err" || rc=$?
check_eq "link of stack-overflow.o: exit 1" "$rc" 1
check "link of stack-overflow.o: no output" test ! -e "$work/so.o"
check "link of stack-overflow.o: names input, section, function and check" grep -qF \
	"$F/stack-overflow.o: .text+0x0 (in big_frame+0x0): [stack-frame] stack frame of 65816 bytes" \
	"$work/err"
rc=0
"$KELFIX" --allow stack-frame "$F/stack-overflow.o" -o "$work/so.o" 2>"$work/err" || rc=$?
check_eq "link with --allow stack-frame: exit 0" "$rc" 0
check "link with --allow stack-frame: says so" grep -q -- '--allow stack-frame: accepting 2' "$work/err"
rc=0
"$KELFIX" "$F/stack-frame.o" -o "$work/sf.o" 2>"$work/err" || rc=$?
check_eq "link of stack-frame.o (a warning): exit 0" "$rc" 0
check "link of stack-frame.o: nothing said" test ! -s "$work/err"
rc=0
"$KELFIX" "$F/clean.o" -o "$work/clean-out.o" 2>"$work/err" || rc=$?
check_eq "link of clean.o: exit 0" "$rc" 0
audit --kernel "$K612" "$work/clean-out.o"
check_eq "clean.o linked: audit finds nothing" "$(ids <"$work/out.json")" ""

# Link mode names a finding at its origin (origin.a: the red-zone store is
# at 0x1c of origin-b.o's .text._ZN6origin4leaf..., laid out after
# origin-a.o's code), not at the output.
leaf=_ZN6origin4leaf17h0123456789abcdefE
rc=0
"$KELFIX" "$F/origin.a" -o "$work/origin.o" 2>"$work/err" || rc=$?
check_eq "link of origin.a: exit 1" "$rc" 1
check "link of origin.a: the finding names member, input section, offset and function" grep -qF \
	"error: $F/origin.a(origin-b.o): .text.$leaf+0x1c (in origin::leaf+0x1c): [red-zone] accesses memory 8 bytes below %rsp" \
	"$work/err"
check "link of origin.a: not the output's name" bash -c "! grep -q 'origin\.o:' '$work/err'"
# The same place in the output (linked with --allow, audited as a file):
# the leaf's output address + 0x1c, away from the output's start.
"$KELFIX" --allow red-zone "$F/origin.a" -o "$work/origin.o" 2>/dev/null
audit "$work/origin.o"
out_off=$(jq '[.findings[] | select(.check == "red-zone")][0].offset' "$work/out.json")
leaf_at=$(sym_value "$work/origin.o" "$leaf")
check "origin.a linked: the leaf is not at the start of .text ($leaf_at)" test "$((leaf_at))" -gt 0
check_eq "origin.a linked: the output's finding is 0x1c into the leaf" "$((out_off - leaf_at))" 28
audit "$F/origin.a"
check "origin.a audited: the same member, section and offset" jqok \
	"[.findings[] | select(.check == \"red-zone\")] | length == 1 and .[0].member == \"origin-b.o\"
	 and .[0].section == \".text.$leaf\" and .[0].offset == 28" "$work/out.json"

# Archives resolved as the link resolves them.
audit "$F/weak-strong.a"
check "weak-strong.a: the strong handler (no ENDBR64) is the one the data points at" jqok \
	'[.findings[] | select(.check == "missing-endbr")] | length == 1
	 and .[0].member == "strong-def.o" and .[0].symbol == "handler"' "$work/out.json"
audit "$F/duplicate.a"
check_eq "duplicate.a: checks" "$(ids <"$work/out.json")" duplicate-symbol
check_eq "duplicate.a: exit 1" "$rc" 1
check "duplicate.a: named at the second definition, naming the first" jqok \
	'.findings[0] | .member == "dup-b.o" and .symbol == "dup_fn"
	 and (.message | test("also defined in .*duplicate\\.a\\(dup-a\\.o\\)"))' "$work/out.json"
audit --allow duplicate-symbol "$F/duplicate.a"
check_eq "--allow duplicate-symbol: exit 0" "$rc" 0

finish
