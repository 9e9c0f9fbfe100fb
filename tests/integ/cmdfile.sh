#!/usr/bin/env bash
# The .<output>.cmd file: fixdep's format with savedcmd_ and cmd_ lines
# holding the kelfix command, source_, and deps_ listing the inputs and
# the crate sources of cargo's dep-info (--dep-file, escapes kept).  GNU
# make reads it back, as kbuild does.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
L=$KELFIX_FIXTURES/link
cd "$work"

cat >dep.d <<'DEP'
/t/target/release/libfoo.a: /src/foo/src/lib.rs /src/foo/src/with\ space.rs \
 /src/foo/Cargo.toml

/src/foo/src/lib.rs:
DEP
"$KELFIX" "$L/def-a.o" --dep-file dep.d -o foo_rust.o
elflint_ok foo_rust.o
check ".cmd written beside the output" test -f .foo_rust.o.cmd
cmd="$KELFIX $L/def-a.o --dep-file dep.d -o foo_rust.o"
check_eq "savedcmd_" "$(grep '^savedcmd_' .foo_rust.o.cmd)" "savedcmd_foo_rust.o := $cmd"
check_eq "cmd_" "$(grep '^cmd_' .foo_rust.o.cmd)" "cmd_foo_rust.o := $cmd"
check_eq "source_" "$(grep '^source_' .foo_rust.o.cmd)" "source_foo_rust.o := $L/def-a.o"

# What make (and so kbuild) reads from it.
cat >read.mk <<'MK'
include .foo_rust.o.cmd
all:
	@printf '%s\n' $(deps_foo_rust.o)
	@echo 'saved=$(savedcmd_foo_rust.o)'
MK
make -s -f read.mk all >make.out
check_eq "deps_ as make reads them" "$(grep -v '^saved=' make.out | tr '\n' '|')" \
	"$L/def-a.o|/src/foo/src/lib.rs|/src/foo/src/with space.rs|/src/foo/Cargo.toml|"
check_eq "savedcmd_ as make reads it" "$(grep '^saved=' make.out)" "saved=$cmd"
# shellcheck disable=SC2016 # make's $(...), not the shell's
check "the rule makes the deps prerequisites" grep -qx 'foo_rust.o: $(deps_foo_rust.o)' .foo_rust.o.cmd

"$KELFIX" "$L/def-a.o" --no-cmd -o bare.o
elflint_ok bare.o
check "--no-cmd writes none" test ! -e .bare.o.cmd
mkdir -p sub
"$KELFIX" "$L/def-a.o" -o sub/x.o
elflint_ok sub/x.o
check ".cmd beside an output in another directory" test -f sub/.x.o.cmd
rc=0
"$KELFIX" "$L/def-a.o" --dep-file missing.d -o y.o 2>err || rc=$?
check_eq "unreadable dep file: exit" "$rc" 1
check "unreadable dep file: named" grep -q 'missing.d: cannot read the dep-info file' err
check "unreadable dep file: no output" test ! -e y.o -a ! -e .y.o.cmd
finish
