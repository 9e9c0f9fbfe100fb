# Rust-for-Linux's samples/rust/rust_minimal.rs, unchanged: loaded with
# parameters, then again without, from the VM shell; the sysfs value
# follows (kelfix gives parameters a sysfs file; upstream does not).
# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # read by kernel-api-test; $(...) runs in the VM
params='test_parameter=5 test_bool_parameter=1'
runs=(
	"$(report 'rust_minimal parameter $(cat /sys/module/rust_minimal/parameters/test_parameter)')"
	"rmmod rust_minimal && insmod $vmko"
	"$(report 'rust_minimal parameter $(cat /sys/module/rust_minimal/parameters/test_parameter)')"
)
expects=(
	'rust_minimal: Rust minimal sample (init)'
	'rust_minimal: Am I built-in? false'
	'rust_minimal: test_parameter: 5'
	'rust_minimal: test_bool_parameter: true'
	'kelfix-test: rust_minimal parameter 5'
	'rust_minimal: test_parameter: 1'
	'rust_minimal: test_bool_parameter: false'
	'kelfix-test: rust_minimal parameter 1'
	'rust_minimal: My numbers are [72, 108, 200]'
	'rust_minimal: Rust minimal sample (exit)'
)
