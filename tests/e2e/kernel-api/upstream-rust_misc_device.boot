# Rust-for-Linux's samples/rust/rust_misc_device.rs, unchanged, driven by
# the C program of its own doc comment, and by the VM shell.
# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # read by kernel-api-test; $(...) runs in the VM
stage() {
	sed -n '/^\/\/! ```c$/,/^\/\/! ```$/{/```/d;s|^//! \{0,1\}||;p}' \
		"$samples/rust_misc_device.rs" >"$work/rust_misc_device_test.c"
	grep -q 'Success' "$work/rust_misc_device_test.c" || {
		echo "kernel-api-test: no C program in the doc comment of rust_misc_device.rs" >&2
		return 1
	}
	gcc -static -O2 -Wall -o "$work/rust_misc_device_test" "$work/rust_misc_device_test.c" >&2
}
extras=("$work/rust_misc_device_test")
runs=(
	"/extra/rust_misc_device_test >/kelfix/out; rc=\$?; cat /kelfix/out; $(report 'program: $(tail -n 1 /kelfix/out)'); exit \$rc"
	# The buffer belongs to one open file: written and read back on it.
	"exec 3<>/dev/rust-misc-device && echo kelfix >&3 && $(report 'read: $(cat <&3)')"
)
dev='misc rust-misc-device'
expects=(
	'kelfix-test: program: Success'
	'kelfix-test: read: kelfix'
	'rust_misc_device: Initialising Rust Misc Device Sample'
	"$dev: Opening Rust Misc Device Sample"
	"$dev: IOCTLing Rust Misc Device Sample"
	"$dev: -> Hello from the Rust Misc Device"
	"$dev: -> Copying data to userspace (value: 0)"
	"$dev: -> Copying data from userspace (value: 1)"
	"$dev: -> Copying data to userspace (value: 1)"
	"$dev: Writing to Rust Misc Device Sample"
	"$dev: Reading from Rust Misc Device Sample"
	"$dev: Exiting the Rust Misc Device Sample"
)
