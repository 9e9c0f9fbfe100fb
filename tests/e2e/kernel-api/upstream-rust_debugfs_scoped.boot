# upstream-rust_debugfs_scoped.boot: what tests/e2e/kernel-api-test checks of
# upstream's samples/rust/rust_debugfs_scoped.rs (unchanged) in the VM
# shellcheck shell=bash disable=SC2034,SC2016
d=/sys/kernel/debug/rust_scoped_debugfs
runs=(
	'grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug'
	"echo 'dev0 3 14' > $d/control/create && $(report "dev0 \$(cat $d/dynamic/dev0/0) \$(cat $d/dynamic/dev0/1)")"
	"echo 99 > $d/dynamic/dev0/1 && $(report "dev0/1 \$(cat $d/dynamic/dev0/1)")"
	"$(report "blob \$(head -c 4 $d/dynamic/dev0/blob)")"
	"printf AB > $d/dynamic/dev0/blob && $(report "blob \$(head -c 4 $d/dynamic/dev0/blob)")"
	"echo 'dev1 1' > $d/control/create && $(report "dirs \$(ls $d/dynamic | tr '\n' ,)")"
	"echo dev0 > $d/control/remove && $(report "after remove \$(ls $d/dynamic | tr '\n' ,)")"
	"! echo 'bad x' > $d/control/create"
)
expects=(
	'kelfix-test: dev0 3 14'
	'kelfix-test: dev0/1 99'
	'kelfix-test: blob BBBB'
	'kelfix-test: blob ABBB'
	'kelfix-test: dirs dev0,dev1,'
	'kelfix-test: after remove dev1,'
)
