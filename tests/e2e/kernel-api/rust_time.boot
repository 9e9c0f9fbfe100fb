# rust_time.boot: what tests/e2e/kernel-api checks of rust_time.ko in the VM
# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # read by kernel-api-test; $(...) runs in the VM
expects=(
	'rust_time: fsleep(20 ms) took at least 20 ms: true'
	'rust_time: and less than 10 s: true'
	'rust_time: hrtimer ran 5 times'
	'rust_time: cancel after the last run: false'
	'rust_time: cancel of a pending timer: true'
	'rust_time: scoped timer ran: true'
	'rust_time: real-time and TAI clocks move on: true'
	'rust_time: page_align(PAGE_SIZE + 1) = 8192'
	'rust_time: SZ_1M / PAGE_SIZE = 256, u64::SZ_2G = 2147483648'
	'rust_time: page allocated on a node: true'
)
