#!/usr/bin/env bash
# Fault safety of the output: kelfix killed while it writes, and kelfix
# writing to a full file system, must leave the previous output as it was
# and no temporary file behind.  Needs root (it mounts a 64 KiB tmpfs).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
big=$KELFIX_FIXTURES/link/big.o

# Killed at 40 points spread over the run (SIGKILL: no handler can tidy).
"$KELFIX" "$big" -o "$work/ref.o"
mkdir "$work/kill"
for i in $(seq 1 40); do
	printf 'OLD\n' >"$work/kill/out.o"
	printf 'OLDCMD\n' >"$work/kill/.out.o.cmd"
	"$KELFIX" "$big" -o "$work/kill/out.o" &
	pid=$!
	sleep "0.0$(printf '%02d' $((i * 2)))"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if cmp -s "$work/kill/out.o" "$work/ref.o"; then
		ok # finished before the kill: the whole new object
	else
		check_eq "kill $i: old output untouched" "$(cat "$work/kill/out.o")" OLD
	fi
	check_eq "kill $i: nothing else in the directory" \
		"$(ls -A "$work/kill" | sort | tr '\n' ' ')" ".out.o.cmd out.o "
	# So one stray file fails one round only (.cmd temporaries are dot-files).
	rm -f "$work/kill"/*.kelfix-* "$work/kill"/.*.kelfix-*
done

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
