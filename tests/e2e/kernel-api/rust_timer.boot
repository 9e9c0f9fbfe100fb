# rust_timer.boot: what tests/e2e/kernel-api checks of rust_timer.ko in the VM
# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # read by kernel-api-test; $(...) runs in the VM
params='count=4'
runs=(
	"$(report 'count parameter $(cat /sys/module/rust_timer/parameters/count)')"
)
expects=(
	'rust_timer: timer ran 4 times'
	'rust_timer: cancel after the last run: false'
	'rust_timer: cancel of a pending timer: true'
	'rust_timer: cancel again: false'
	'rust_timer: cancel of a pending boxed timer: true'
	'kelfix-test: count parameter 4'
	'rust_timer: pending at unload: true'
	'rust_timer: the pending timer ran: false'
)
