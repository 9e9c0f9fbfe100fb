# rust_task.boot: what tests/e2e/kernel-api checks of rust_task.ko
# The logged insmod pid is a process started before this run's shell:
# above 1 (init) and below the pid of a process forked now.
# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # read by kernel-api-test; $(...) runs in the VM
runs=(
	'p=$(dmesg | sed -n "s/.*rust_task: insmod pid \([0-9]*\)\$/\1/p" | tail -n 1); n=$(sh -c "echo \$\$"); [ "$p" -gt 1 ] && [ "$p" -lt "$n" ] && '"$(report 'insmod pid $p is between init and $n')"
	'p=$(dmesg | sed -n "s/.*rust_task: insmod pid \([0-9]*\)\$/\1/p" | tail -n 1); [ ! -e /proc/$p ] && '"$(report 'insmod task has exited')"
)
expects=(
	'rust_task: pid positive: true'
	'rust_task: tgid equals pid: true'
	'rust_task: group leader is current: true'
	'rust_task: group leader pid equals tgid: true'
	'rust_task: uid 0'
	'rust_task: uid equals euid: true'
	'rust_task: signal pending: false'
	'rust_task: references are the same task: true'
	'rust_task: rmmod is another task: true'
	'rust_task: kept insmod task still has its pid: true'
	'kelfix-test: insmod task has exited'
)
