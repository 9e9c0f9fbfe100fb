#!/usr/bin/env bash
# valgrind.sh ARCHIVE: one kelfix link of ARCHIVE under valgrind's
# memcheck: no error, and no leak of any kind (definite, indirect,
# possible or still reachable), in link mode (with its audit) and --audit.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
lib=${1:?usage: valgrind.sh ARCHIVE}
# The child is kelfix's publishing helper (a vfork, which valgrind runs
# as a fork): it ends with _exit() holding the parent's memory, by design.
vg=(valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all
	--error-exitcode=99 --child-silent-after-fork=yes)

rc=0
"${vg[@]}" "$KELFIX" --stats "$lib" -o "$work/out.o" 2>"$work/log" || rc=$?
check_eq "link under memcheck: exit code" "$rc" 0
elflint_ok "$work/out.o"
check "link under memcheck: no report" bash -c "! grep -q '^==' '$work/log'"
rc=0
"${vg[@]}" "$KELFIX" --audit "$lib" >/dev/null 2>"$work/log" || rc=$?
check "audit under memcheck: exit 0 or 1 (findings), never 99" test "$rc" -le 1
check "audit under memcheck: no report" bash -c "! grep -q '^==' '$work/log'"
[ "$fail" -eq 0 ] || cat "$work/log" >&2
finish
