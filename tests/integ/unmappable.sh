#!/usr/bin/env bash
# An archive kelfix can neither map nor read into memory (the address
# space limited below its size, ulimit -v): an I/O failure (exit 3) that
# names the file and says why, with no output, not a damaged or empty
# archive.  The archive is sparse: "!<arch>", one 64 MiB member header,
# zeros.  Not under ASan, which cannot start in a limited address space.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
ar=$work/big.a
out=$work/out.o

printf '!<arch>\n%-16s%-12s%-6s%-6s%-8s%-10s`\n' zeros.o/ 0 0 0 644 67108864 >"$ar"
truncate -s $((8 + 60 + 67108864)) "$ar"
check "the archive is 64 MiB" test "$(stat -c %s "$ar")" -eq 67108932

rc=0
(ulimit -v 40000 && exec "$KELFIX" --no-license "$ar" -o "$out") 2>"$work/err" || rc=$?
check_eq "exit code" "$rc" 3
check "names the archive and says why" grep -qF "$ar: cannot read" "$work/err"
check "not called empty or damaged" bash -c "! grep -qE 'empty|damaged' '$work/err'"
check "no output" test ! -e "$out"
check "no .cmd" test ! -e "$work/.out.o.cmd"
finish
