# rust_proc.boot: what tests/e2e/kernel-api-test checks of rust_proc.ko in the VM
# shellcheck shell=bash disable=SC2034,SC2016
p=/proc/rust_proc
s=/proc/driver/rust_proc_status
runs=(
	"test ! -e /proc/rust_proc_temp && $(report 'temp gone')"
	"$(report "read \$(cat $p)")"
	"echo '42 answer' > $p && $(report "read back \$(cat $p)")"
	"! echo 'x y' > $p && $(report "kept \$(cat $p)")"
	"echo 7 > $p && $(report "no name \$(cat $p)|")"
	"$(report "modes \$(stat -c %a $p $s | tr '\n' ,)")"
	"! echo 1 > $s"
	"$(report "status \$(wc -l < $s) lines, \$(wc -c < $s) bytes, last \$(tail -n 1 $s)")"
)
expects=(
	'rust_proc: ready'
	'kelfix-test: temp gone'
	'kelfix-test: read 1 first'
	'kelfix-test: read back 42 answer'
	'kelfix-test: kept 42 answer'
	'kelfix-test: no name 7 |'
	'kelfix-test: modes 644,444,'
	'kelfix-test: status 200 lines, 7800 bytes, last line 0199 of the rust_proc status file'
	'rust_proc: value 7 name  after 2 writes'
)
