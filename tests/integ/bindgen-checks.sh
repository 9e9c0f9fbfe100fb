# shellcheck shell=bash disable=SC2154 # $work (lib.sh) and $root: the sourcing test's
# Sourced, after lib.sh, by the kelfix-bindgen tests: the checks several of
# them make of one run's bindings.rs (RS) and helpers.c (HC). $root is the
# source tree.

# check_wrappers RS HC: each line of stdin, NAME|Rust declaration|C
# prototype, is a wrapper: RS declares it and links it to kelfix_NAME, HC
# has the prototype.
check_wrappers() {
	local rs=$1 hc=$2 name decl proto
	while IFS='|' read -r name decl proto; do
		[ -n "$name" ] || continue
		check "$name: Rust declaration" grep -qxF "    pub fn $decl;" "$rs"
		check "$name: links to its wrapper" \
			sh -c "grep -B1 -F '    pub fn $name(' '$rs' | grep -qF 'link_name = \"kelfix_$name\"'"
		check "$name: C prototype" grep -qxF "$proto;" "$hc"
	done
}

# check_left_out RS HC ERR: each line of stdin, NAME|WHY, is a macro the run
# warned about ("macro NAME: WHY" in ERR, its stderr) and left out of both
# files.
check_left_out() {
	local rs=$1 hc=$2 err=$3 name why
	while IFS='|' read -r name why; do
		[ -n "$name" ] || continue
		check "$name: warned" grep -qF "macro $name: $why" "$err"
		check "$name: not in bindings.rs" sh -c "! grep -qw '$name' '$rs'"
		check "$name: not in helpers.c" sh -c "! grep -qw 'kelfix_$name' '$hc'"
	done
}

# check_wrappers_defined RS OBJ: OBJ, helpers.c compiled, defines every
# kelfix_* wrapper RS links to.
check_wrappers_defined() {
	local rs=$1 obj=$2 w
	while read -r w; do
		check "helpers.o defines $w" sh -c "nm '$obj' | grep -q ' T $w\$'"
	done < <(grep -o 'link_name = "kelfix_[A-Za-z0-9_]*"' "$rs" | sed 's/.*"\(.*\)"/\1/')
}

# check_crate_builds RS LABEL: RS as the bindings of a copy of
# fixtures/bindgen/check-crate builds for x86_64-unknown-none (rustc
# evaluates every layout assertion); LABEL names the check.
check_crate_builds() {
	local rs=$1 label=$2
	rm -rf "$work/crate"
	mkdir -p "$work/crate"
	cp -r "$root/fixtures/bindgen/check-crate/." "$work/crate/"
	cp "$rs" "$work/crate/src/bindings.rs"
	: >"$work/crate/src/extra.rs"
	check "$label" "$root/tests/lib/cargo-none" "$work/crate" "$work/crate.a"
}
