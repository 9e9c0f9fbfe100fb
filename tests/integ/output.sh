#!/usr/bin/env bash
# How a link's output and .cmd replace what is at their paths: as a rename
# would.  A regular file is replaced, not written into (another hard link
# to it keeps the old bytes); a symbolic link is replaced by the file, and
# what it pointed to is left alone; a directory is refused (exit 3) and
# left as it was.  Nothing else is left in the directory.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
in=$KELFIX_FIXTURES/link/def-a.o
cd "$work"
mkdir ref
"$KELFIX" "$in" -o ref/out.o
elflint_ok ref/out.o
umask 022


# Nothing there before.
mkdir new
"$KELFIX" "$in" -o new/out.o
check "new: the object" cmp new/out.o ref/out.o
check_eq "new: mode as a plain create under umask 022" "$(stat -c %a new/out.o)" 644
check_eq "new: nothing else" "$(entries new)" ".out.o.cmd out.o "

# Regular files, each with a second name: both replaced, not written into.
mkdir old
printf 'OLD\n' >old/out.o
printf 'OLDCMD\n' >old/.out.o.cmd
ln old/out.o old/keep.o
ln old/.out.o.cmd old/keep.cmd
chmod 0444 old/out.o
"$KELFIX" "$in" -o old/out.o
check "old: the object" cmp old/out.o ref/out.o
check "old: the .cmd" grep -q '^savedcmd_old/out.o := ' old/.out.o.cmd
check_eq "old: the other name of the old object keeps it" "$(cat old/keep.o)" OLD
check_eq "old: the other name of the old .cmd keeps it" "$(cat old/keep.cmd)" OLDCMD
check_eq "old: mode of a new file" "$(stat -c %a old/out.o)" 644
check_eq "old: nothing else" "$(entries old)" ".out.o.cmd keep.cmd keep.o out.o "
# Again over the output just written (the path kbuild's rebuilds take).
"$KELFIX" "$in" -o old/out.o
check "again: the object" cmp old/out.o ref/out.o
check_eq "again: nothing else" "$(entries old)" ".out.o.cmd keep.cmd keep.o out.o "

# A symbolic link: replaced by the file; its target untouched.
mkdir sym elsewhere
printf 'TARGET\n' >elsewhere/t.o
ln -s ../elsewhere/t.o sym/out.o
"$KELFIX" "$in" -o sym/out.o
check "symlink: replaced by a file" test -f sym/out.o -a ! -L sym/out.o
check "symlink: the object" cmp sym/out.o ref/out.o
check_eq "symlink: its target untouched" "$(cat elsewhere/t.o)" TARGET
check_eq "symlink: nothing else" "$(entries sym)" ".out.o.cmd out.o "

# A directory: refused, named, left as it was.
mkdir -p dir/out.o
printf 'X\n' >dir/out.o/inside
rc=0
"$KELFIX" "$in" -o dir/out.o 2>err || rc=$?
check_eq "directory: exit code" "$rc" 3
check "directory: the error names it" grep -q 'dir/out.o' err
check_eq "directory: left as it was" "$(entries dir/out.o)" "inside "
check_eq "directory: nothing else" "$(entries dir)" "out.o "
finish
