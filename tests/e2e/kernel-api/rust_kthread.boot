# rust_kthread.boot: what tests/e2e/kernel-api checks of rust_kthread.ko
# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # read by kernel-api-test; $(...) runs in the VM
params='id=42'
# The thread is in busybox ps by its formatted name, and the pid the
# module logged is the process of that name.
runs=(
	'ps | grep -q "[r]ust_kthread/42" && '"$(report 'ps lists rust_kthread/42')"
	'p=$(dmesg | sed -n "s/.*rust_kthread: thread pid \([0-9]*\)\$/\1/p" | tail -n 1); [ "$(cat /proc/$p/comm)" = rust_kthread/42 ] && '"$(report 'logged pid is rust_kthread/42')"
)
expects=(
	'rust_kthread: thread is another task: true'
	'rust_kthread: thread counted to 3'
	'kelfix-test: ps lists rust_kthread/42'
	'kelfix-test: logged pid is rust_kthread/42'
	'rust_kthread: thread saw should_stop'
	'rust_kthread: stopped after counting past 3: true'
)
