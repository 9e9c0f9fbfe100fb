# rust_misc_bits.boot: what tests/e2e/kernel-api checks of rust_misc_bits.ko
# The device's lines in /proc/self/fdinfo/3 of a shell that opened it as
# fd 3 (grep inherits the descriptor), on one line for the log.
# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # read by kernel-api-test; $(...) runs in the VM
runs=(
	"exec 3</dev/rust-misc-bits && grep -q '^pos:' /proc/self/fdinfo/3 && $(report 'fdinfo $(echo $(grep ^rust_ /proc/self/fdinfo/3))')"
)
m=rust_misc_bits
expects=(
	"$m: bit_u8(7) = 0x80"
	"$m: bit_u16(15) = 0x8000"
	"$m: bit_u32(20) = 0x100000"
	"$m: bit_u64(40) = 0x10000000000"
	"$m: genmask_u8(2..=5) = 0x3c"
	"$m: genmask_u16(4..=11) = 0xff0"
	"$m: genmask_u32(0..=31) = 0xffffffff"
	"$m: genmask_u64(32..=47) = 0xffff00000000"
	"$m: checked_bit_u16(16) = None"
	"$m: checked_bit_u32(31) = Some(2147483648)"
	"$m: genmask_checked_u8(4..=8) = None"
	"$m: genmask_checked_u64(8..=15) = Some(65280)"
	"$m: cpu_relax polls: 1000"
	"$m: warn_on returned false and false"
	"$m: opener euid 0"
	"$m: opener euid is current's: true"
	"$m: kept reference is the file's: true"
	"$m: secid of both is the same: true"
	'kelfix-test: fdinfo rust_opener_euid: 0 rust_mask: 0xff00 rust_same_cred: true'
)
