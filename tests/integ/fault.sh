#!/usr/bin/env bash
# Fault safety of the output: kelfix killed while it writes or while it
# renames, and kelfix writing to a full file system, must leave the old
# outputs or the new ones whole and no temporary file behind.  Needs root
# (it mounts a 64 KiB tmpfs) and strace (it holds kelfix in a system call).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
big=$KELFIX_FIXTURES/link/big.o

# Killed at 40 points spread over the run (SIGKILL: no handler can tidy).
"$KELFIX" "$big" -o "$work/ref.o"
elflint_ok "$work/ref.o"
mkdir "$work/kill"
for i in $(seq 1 40); do
	printf 'OLD\n' >"$work/kill/out.o"
	printf 'OLDCMD\n' >"$work/kill/.out.o.cmd"
	# In a process group of its own, to wait for its publishing helper too
	# (a kill ends kelfix, not the helper, which finishes its few steps).
	setsid "$KELFIX" "$big" -o "$work/kill/out.o" &
	pid=$!
	sleep "0.0$(printf '%02d' $((i * 2)))"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	while kill -0 -- "-$pid" 2>/dev/null; do sleep 0.001; done
	if cmp -s "$work/kill/out.o" "$work/ref.o"; then
		ok # finished before the kill: the whole new object
	else
		check_eq "kill $i: old output untouched" "$(cat "$work/kill/out.o")" OLD
	fi
	check_eq "kill $i: nothing else in the directory" \
		"$(entries "$work/kill")" ".out.o.cmd out.o "
	# So one stray file fails one round only (.cmd temporaries are dot-files).
	rm -f "$work/kill"/*.kelfix-* "$work/kill"/.*.kelfix-*
done

# Signalled inside the naming steps, held there by strace: delayed at the
# exchange of the object with the old one (the temporary name holds the new
# file), and at the removal of the old file, then under the temporary name.
# SIGKILL there, or Ctrl-C's SIGINT: the run must end with both new files
# in place and nothing else.
in_window() { # syscall: is kelfix inside it (the window has begun)?
	case $1 in
	renameat2) find "$work/win" -mindepth 1 -maxdepth 1 -name '*kelfix-*' | grep -q . ;;
	unlink) ! grep -qx OLD "$work/win/out.o" ;;
	esac
}
for case in renameat2:KILL unlink:KILL renameat2:INT; do
	sc=${case%:*} sig=${case#*:}
	rm -rf "$work/win"
	mkdir "$work/win"
	printf 'OLD\n' >"$work/win/out.o"
	printf 'OLDCMD\n' >"$work/win/.out.o.cmd"
	# (env: a background job starts with SIGINT ignored; Ctrl-C's would not be)
	strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc:delay_enter=1500000:when=1" \
		env --default-signal=INT "$KELFIX" "$big" -o "$work/win/out.o" 2>"$work/strace.log" &
	tracer=$!
	for _ in $(seq 500); do in_window "$sc" && break; sleep 0.01; done
	check "$sig in $sc: reached the window" in_window "$sc"
	kill "-$sig" "$(cut -d' ' -f1 "/proc/$tracer/task/$tracer/children")"
	wait "$tracer" 2>/dev/null || true
	check "$sig in $sc: the new object in place" cmp "$work/win/out.o" "$work/ref.o"
	check "$sig in $sc: its new .cmd in place" bash -c "! grep -qx OLDCMD '$work/win/.out.o.cmd'"
	check_eq "$sig in $sc: nothing else in the directory" \
		"$(entries "$work/win")" ".out.o.cmd out.o "
done

# The helper itself killed there (its temporary stays: the one case that
# leaves one): kelfix must say so and not claim success.  (An ASan build
# would end by a LeakSanitizer failure: it cannot run under ptrace.)
rm -rf "$work/win"
mkdir "$work/win"
printf 'OLD\n' >"$work/win/out.o"
strace -f -qq -o /dev/null -e trace=renameat2 -e inject=renameat2:delay_enter=1500000:when=1 \
	env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	"$KELFIX" "$big" -o "$work/win/out.o" 2>"$work/err" &
tracer=$!
for _ in $(seq 500); do in_window renameat2 && break; sleep 0.01; done
check "helper killed: reached the window" in_window renameat2
kelfix=$(cut -d' ' -f1 "/proc/$tracer/task/$tracer/children")
kill -KILL "$(cut -d' ' -f1 "/proc/$kelfix/task/$kelfix/children")"
rc=0
wait "$tracer" || rc=$?
check_eq "helper killed: exit code" "$rc" 3
check "helper killed: says so" \
	grep -q "error: .*/out.o: the process renaming the new file into place was killed" "$work/err"
check_eq "helper killed: old output untouched" "$(cat "$work/win/out.o")" OLD

# A full file system: ENOSPC is an I/O failure (exit 3), nothing changes.
mkdir "$work/tiny"
mount -t tmpfs -o size=64k tmpfs "$work/tiny"
trap 'umount "$work/tiny" 2>/dev/null; rm -rf "$work"' EXIT
printf 'OLD\n' >"$work/tiny/out.o"
rc=0
"$KELFIX" "$big" -o "$work/tiny/out.o" 2>"$work/err" || rc=$?
check_eq "ENOSPC: exit code" "$rc" 3
check "ENOSPC: says why" grep -q 'No space left on device' "$work/err"
check_eq "ENOSPC: old output untouched" "$(cat "$work/tiny/out.o")" OLD
check_eq "ENOSPC: nothing else in the directory" "$(ls -A "$work/tiny")" out.o
finish
