#!/usr/bin/env bash
# bindgen-compare.sh KELFIX_BINDGEN KELFIX_KBUILD SERIES
#
# kelfix-bindgen against Debian's rust-bindgen (0.60) on the same headers,
# the same kbuild flags (kelfix-kbuild cflags) and the same allowlists:
# every record both emit must have the same size and alignment.  Sizes come
# from each tool's own layout checks (ours: const assertions; bindgen's:
# bindgen_test_layout_* tests).  Runs on fixtures/bindgen/layout.h (every
# layout shape, and an anonymous enum no kernel record here declares), then
# on the runtime crate's header set of kernel SERIES.
#
# Records are paired by a key.  A named record's key is its name.  The two
# tools name anonymous records differently: ours say where C declares them,
#   /// Anonymous union in `PARENT`, its anonymous type N (member `M`).
# (N: 1-based among the unnamed structs, unions and enums declared in the
# parent's body), rust-bindgen 0.60 names them PARENT__bindgen_ty_N with
# the same N, chained for nested ones.  So an anonymous record's key is
# KEY(PARENT)__bindgen_ty_N.  Each such pairing is confirmed by the member:
# bindgen's parent must have member M (an unnamed member __anon_K of ours
# is bindgen's __bindgen_anon_<K+1>) of the paired type.
#
# Fails on: any size/align mismatch; a pairing the member does not confirm;
# a record only one tool emits that no rule in *_only_reason explains (so
# the compared count is exactly the total minus the explained records);
# the bindgen command missing (.ci/bootstrap installs it).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../lib/kernels.sh"
. "$here/bindgen-kernel-set.sh"

# indent: stdin with two blanks before each line.
indent() {
	local line
	while IFS= read -r line; do
		printf '  %s\n' "$line"
	done
}
gen=$1 kbuild=$2 series=$3
command -v bindgen >/dev/null || { echo "FAIL: no bindgen command (Debian package 'bindgen'; run .ci/bootstrap)" >&2; exit 1; }
kdir=$(kelfix_kdir "$series")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name size align, one record a line, sorted
layouts() { # file
	tr '\n' ' ' <"$1" | tr -s ' ' |
		grep -oE '(size|align)_of::<[A-Za-z0-9_]+>\(\) ?(,|==) ?[0-9]+' |
		sed -E 's/^(size|align)_of::<([A-Za-z0-9_]+)>\(\) ?(,|==) ?([0-9]+)$/\2 \1 \4/' |
		awk '{ v[$1 " " $2] = $3; n[$1] = 1 }
		     END { for (k in n) print k, v[k " size"], v[k " align"] }' | sort
}

# Our anonymous records: name key parent-key member, from the doc lines.
# The key is "?name" when the doc gives no position (cannot be paired).
anon_keys() { # kx.rs
	awk -F'`' '
	/^\/\/\/ Anonymous (struct|union) in `/ {
		doc = 1; par = $2; mem = $4; nth = $3
		if (nth ~ /anonymous type [0-9]+/) gsub(/[^0-9]/, "", nth); else nth = ""
		next
	}
	/^pub (struct|union) / && doc {
		split($0, w, /[ {]+/)
		n = w[3]; parent[n] = par; member[n] = mem; ord[n] = nth; names[++cnt] = n
	}
	/^(pub|const|impl|extern|\})/ { doc = 0 }
	function key(n) {
		if (!(n in parent))
			return n
		if (ord[n] == "")
			return "?" n
		return key(parent[n]) "__bindgen_ty_" ord[n]
	}
	END { for (i = 1; i <= cnt; i++) { n = names[i]; print n, key(n), key(parent[n]), member[n] } }
	' "$1" | sort
}

# bindgen's members: record member type (arrays stripped to the element).
rb_members() { # rb.rs
	awk '
	/^pub (struct|union) [A-Za-z0-9_]+ \{$/ { rec = $3; next }
	/^\}/ { rec = "" }
	rec != "" && /^    pub [A-Za-z0-9_]+: / {
		f = $2; sub(/:$/, "", f)
		t = $0; sub(/^    pub [A-Za-z0-9_]+: /, "", t); sub(/,$/, "", t)
		while (t ~ /^\[.*; [0-9]+(usize)?\]$/) { sub(/^\[/, "", t); sub(/; [0-9]+(usize)?\]$/, "", t) }
		print rec, f, t
	}' "$1"
}

# Anonymous pairings the parent's member does not confirm, one a line.
unconfirmed() { # kx.anon rb.mem both
	awk 'FILENAME == ARGV[1] { type[$1 " " $2] = $3; next }
	FILENAME == ARGV[2] { paired[$1] = 1; next }
	($2 in paired) {
		m = $4
		if (m ~ /^__anon_[0-9]+$/) { k = m; sub(/^__anon_/, "", k); m = "__bindgen_anon_" (k + 1) }
		if (type[$3 " " m] != $2)
			print $1 " -> " $2 ": bindgen " $3 "." m " is " (type[$3 " " m] == "" ? "missing" : type[$3 " " m])
	}' "$2" <(cut -d' ' -f1 "$3") "$1"
}

# Every name the members of the given bindgen records use, and what those
# names stand for through `pub type A = B;`, one a line: what any tool that
# emits those records must also emit.
rb_used() { # rb.rs record-names
	awk 'FILENAME == ARGV[1] { shared[$1] = 1; next }
	function use(t,   n, i, w) {
		n = split(t, w, /[^A-Za-z0-9_]+/)
		for (i = 1; i <= n; i++) if (w[i] != "" && !(w[i] in used)) { used[w[i]] = 1; q[++qn] = w[i] }
	}
	/^pub (struct|union) [A-Za-z0-9_]+ \{$/ { rec = $3; next }
	/^\}/ { rec = "" }
	/^pub type [A-Za-z0-9_]+ = / { t = $0; sub(/^pub type [A-Za-z0-9_]+ = /, "", t); alias[$3] = t }
	(rec in shared) && /^    pub [A-Za-z0-9_]+: / { t = $0; sub(/^    pub [A-Za-z0-9_]+: /, "", t); use(t) }
	END {
		for (i = 1; i <= qn; i++) if (q[i] in alias) use(alias[q[i]])
		for (n in used) print n
	}' "$2" "$1"
}

# Why a record is emitted by one tool only; "" when no rule explains it.
# rust-bindgen 0.60 anchors an allowlist as ^RE$ without grouping RE
# (rust-lang/rust-bindgen#1783; grouped from 0.63 on), so the inner
# alternatives of 'a|b|c' match anywhere in a name.  Ours match whole names.
# That explains a record only if no record both emit uses it: otherwise our
# closure should have reached it too.
rb_only_reason() { # name type-allowlist used-names
	grep -qx -- "$1" "$3" && return
	if grep -Eq "^$2\$" <<<"$1" && ! grep -Eq "^($2)\$" <<<"$1"; then
		echo "rust-bindgen 0.60 reads --allowlist-type as ^$2\$ (ungrouped," \
			"rust-lang/rust-bindgen#1783): an inner alternative matches part of the name"
	fi
}
# No rule for ours: every record we emit should have a bindgen counterpart.
kx_only_reason() { :; }

explain() { # reason-fn type-allowlist used-names; reads "key size align [our-name]"
	local key size align name why
	while read -r key size align name; do
		why=$("$1" "$key" "$2" "$3")
		echo "  ${name:-$key} ($size/$align): ${why:-UNEXPLAINED}"
	done
}

# compare LABEL TYPE-ALLOWLIST MIN: $tmp/LABEL.kx.rs against $tmp/LABEL.rb.rs,
# at least MIN records in common; prints the report, returns 1 on failure.
compare() {
	local p=$tmp/$1 fail=0 bad dup unconf unexplained
	layouts "$p.kx.rs" >"$p.kx.lay"
	layouts "$p.rb.rs" >"$p.rb.lay"
	anon_keys "$p.kx.rs" >"$p.kx.anon"
	rb_members "$p.rb.rs" >"$p.rb.mem"
	# ours rekeyed: key size align our-name
	awk 'NR == FNR { key[$1] = $2; next }
	     { print ($1 in key ? key[$1] : $1), $2, $3, $1 }' "$p.kx.anon" "$p.kx.lay" | sort >"$p.kx.key"
	dup=$(cut -d' ' -f1 "$p.kx.key" | uniq -d)
	# key ours-size ours-align our-name bindgen-size bindgen-align
	join "$p.kx.key" "$p.rb.lay" >"$p.both"
	rb_used "$p.rb.rs" "$p.both" >"$p.used"
	join -v1 "$p.kx.key" "$p.rb.lay" | explain kx_only_reason "$2" "$p.used" >"$p.only_kx"
	join -v2 "$p.kx.key" "$p.rb.lay" | explain rb_only_reason "$2" "$p.used" >"$p.only_rb"
	bad=$(awk '$2 != $5 || $3 != $6 { print $4 ($1 == $4 ? "" : " (bindgen " $1 ")") ":", $2, $3, "vs", $5, $6 }' "$p.both")
	unconf=$(unconfirmed "$p.kx.anon" "$p.rb.mem" "$p.both")
	unexplained=$(cat "$p.only_kx" "$p.only_rb" | grep -c ': UNEXPLAINED$' || true)

	printf '%-8s records: kelfix-bindgen %d, rust-bindgen %d, compared %d (%d anonymous), only ours %d, only bindgen %d\n' \
		"$1" "$(wc -l <"$p.kx.lay")" "$(wc -l <"$p.rb.lay")" "$(wc -l <"$p.both")" \
		"$(grep -c __bindgen_ty_ "$p.both" || true)" "$(wc -l <"$p.only_kx")" "$(wc -l <"$p.only_rb")"
	[ ! -s "$p.only_kx" ] || { echo "only ours:"; cat "$p.only_kx"; }
	[ ! -s "$p.only_rb" ] || { echo "only rust-bindgen:"; cat "$p.only_rb"; }
	if [ "$(wc -l <"$p.both")" -lt "$3" ]; then
		echo "FAIL: $1: only $(wc -l <"$p.both") records in common: the comparison compared nothing"
		fail=1
	fi
	if [ -n "$dup" ]; then
		echo "FAIL: $1: two of our records map to one key: $(tr '\n' ' ' <<<"$dup")"
		fail=1
	fi
	if [ -n "$unconf" ]; then
		echo "FAIL: $1: anonymous pairings the parent's member does not confirm (ours -> bindgen):"
		indent <<<"$unconf"
		fail=1
	fi
	if [ "$unexplained" -gt 0 ]; then
		echo "FAIL: $1: $unexplained record(s) emitted by one tool only, for no known reason:" \
			"find out why (naming, closure, allowlist); fix it or add the rule to *_only_reason"
		fail=1
	fi
	if [ -n "$bad" ]; then
		echo "FAIL: $1: size/align differ (ours: size align vs bindgen: size align):"
		indent <<<"$bad"
		fail=1
	fi
	return $fail
}

# The fixture: plain flags, no kernel.
fx=$root/fixtures/bindgen/layout.h
"$gen" --allowlist-function 'kx_.*' --allowlist-type 'kx_.*' --allowlist-var 'kx_.*' "$fx" \
	-o "$tmp/fixture.kx.rs" --wrappers "$tmp/fixture.kx.c" 2>"$tmp/kx.err" ||
	{ cat "$tmp/kx.err"; echo "kelfix-bindgen failed on $fx"; exit 1; }
bindgen "$fx" --use-core --ctypes-prefix core::ffi --allowlist-function 'kx_.*' \
	--allowlist-type 'kx_.*' --allowlist-var 'kx_.*' -o "$tmp/fixture.rb.rs" 2>"$tmp/rb.err" ||
	{ cat "$tmp/rb.err"; echo "rust-bindgen failed on $fx"; exit 1; }

# The kernel.
"$kbuild" cflags --lines "$kdir" 2>/dev/null >"$tmp/flags"
mapfile -t flags <"$tmp/flags"
for h in "${KX_HEADERS[@]}"; do echo "#include <$h>"; done >"$tmp/all.h"
consts=()
for c in "${KX_CONSTS[@]}"; do consts+=(--constant "$c"); done
t0=$(date +%s.%N)
"$gen" --cflags-file "$tmp/flags" --kernel "$kdir" --allowlist-function "$KX_FUNCS" \
	--allowlist-type "$KX_TYPES" "${consts[@]}" "${KX_HEADERS[@]}" \
	-o "$tmp/$series.kx.rs" --wrappers "$tmp/$series.kx.c"
t1=$(date +%s.%N)
bindgen "$tmp/all.h" --use-core --ctypes-prefix core::ffi \
	--allowlist-function "$KX_FUNCS" --allowlist-type "$KX_TYPES" \
	-o "$tmp/$series.rb.rs" -- "${flags[@]}" -Wno-everything 2>"$tmp/rb.err" ||
	{ cat "$tmp/rb.err"; echo "rust-bindgen failed"; exit 1; }
t2=$(date +%s.%N)
printf '%-8s time: kelfix-bindgen %.2fs, rust-bindgen %.2fs\n' "$series" \
	"$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)"

fail=0
compare fixture 'kx_.*' 10 || fail=1
compare "$series" "$KX_TYPES" 50 || fail=1
[ "$fail" -eq 0 ] || exit 1
echo "1 passed, 0 failed"
