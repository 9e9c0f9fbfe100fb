#!/usr/bin/env bash
# Every malformed fixture (fixtures/malformed) is refused cleanly: exit 1,
# a message naming the file (and the member), no output, no .cmd, no
# temporary file; the good ones link.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"
M=$KELFIX_FIXTURES/malformed
out=$work/out.o

expect_refused() { # file pattern
	local f=$M/$1 rc=0
	rm -f "$out" "$work/.out.o.cmd"
	"$KELFIX" --no-license "$f" -o "$out" 2>"$work/err" || rc=$?
	check_eq "$1: exit code" "$rc" 1
	check "$1: names the input" grep -qF "$f" "$work/err"
	check "$1: says '$2'" grep -qF "$2" "$work/err"
	check "$1: no output" test ! -e "$out"
	check "$1: no .cmd" test ! -e "$work/.out.o.cmd"
	check "$1: no temporary" bash -c "! ls -A '$work' | grep -q kelfix-"
	check "$1: no crash message" bash -c "! grep -qiE 'sanitizer|segmentation' '$work/err'"
}

expect_refused truncated.a "truncated"
expect_refused truncated-header.a "truncated"
expect_refused truncated.o "truncated"
expect_refused wrong-machine.o "is not x86-64"
expect_refused elf32.o "32-bit ELF"
expect_refused x32.o "32-bit ELF"
expect_refused elfclass-mismatch.o "32-bit ELF"
expect_refused big-endian.o "big-endian"
expect_refused bad-symndx.o "past the last section"
expect_refused bad-relinfo.o "which does not exist"
expect_refused bad-reloffset.o "lies outside the section"
expect_refused bad-relsym.o "past the last symbol"
expect_refused bad-secoff.o "runs past the end of the file"
expect_refused bad-secsize.o "runs past the end of the file"
expect_refused bad-symlink.o "is not a string table"
expect_refused bad-rellink.o "do not use the object's symbol table"
expect_refused strtab-unterminated.o "is not a NUL-terminated string inside the string table"
expect_refused shstrtab-unterminated.o "is not a NUL-terminated string inside the section name table"
expect_refused bad-shnum.o "section header table"
expect_refused huge-symcount.o ".symtab+0x0: section data"
expect_refused overlap.o "overlap those of .text.good_fn"
expect_refused bitcode.o "LLVM bitcode"
expect_refused bitcode.a "bitcode.a(bitcode.o): LLVM bitcode"
expect_refused bad-member.a "bad-member.a(wrong-machine.o)"
expect_refused bad-size.a "a member header is damaged"
expect_refused bad-name.a "bytes after good.o could not be read"
expect_refused thin.a "thin archive"
expect_refused empty.a "empty archive"

# A section of no type, sized far past the end of the file, that the
# audit reads by name (.modinfo): refused as unreadable, never read.
rc=0
"$KELFIX" --audit "$M/null-modinfo.o" >"$work/out.txt" 2>"$work/err" || rc=$?
check_eq "null-modinfo.o --audit: exit code" "$rc" 1
check "null-modinfo.o --audit: says why" \
	grep -qF "$M/null-modinfo.o: .modinfo+0x0: unreadable data" "$work/err"
check "null-modinfo.o --audit: no crash message" \
	bash -c "! grep -qiE 'sanitizer|segmentation|runtime error' '$work/err'"

for good in good.o good.a; do
	"$KELFIX" --no-license "$M/$good" -o "$out"
	elflint_ok "$out"
	check "$good links" test -s "$out"
done
check "good.a: both members read (long name included)" \
	bash -c "'$KELFIX' --no-license --no-gc --stats '$M/good.a' -o '$out' 2>&1 | grep -q 'members read: *2'"
finish
