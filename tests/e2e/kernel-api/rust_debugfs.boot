# rust_debugfs.boot: what tests/e2e/kernel-api-test checks of rust_debugfs.ko in the VM
# shellcheck shell=bash disable=SC2034,SC2016
d=/sys/kernel/debug/rust_debugfs
runs=(
	'grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug'
	"test ! -e $d/temp && $(report 'temp gone')"
	"$(report "answer \$(cat $d/answer)")"
	"echo 7 > $d/counter && $(report "counter \$(cat $d/counter)")"
	"echo -5 > $d/limit && $(report "limit \$(cat $d/limit)")"
	"! echo nonsense > $d/limit && $(report "limit kept \$(cat $d/limit)")"
	"echo 3 > $d/sink && ! cat $d/sink 2>/dev/null"
	"$(report "hex \$(cat $d/hex)")"
	"echo 21 > $d/doubled && $(report "doubled \$(cat $d/doubled)")"
	"echo 5 > $d/reset"
	"$(report "blob \$(cat $d/blob)")"
	"printf hi > $d/rwblob && $(report "rwblob \$(cat $d/rwblob)")"
	"printf WXYZ > $d/wblob"
	"$(report "point \$(cat $d/sub/point)")"
	"$(report "hits \$(cat $d/stats/hits)")"
	"echo 1 > $d/stats/nested/hit && echo 1 > $d/stats/nested/hit && $(report "hits_hex \$(cat $d/stats/nested/hits_hex)")"
	"echo 12 > $d/stats/nested/label && $(report "label \$(cat $d/stats/nested/label)")"
	"$(report "modes \$(stat -c %a $d/answer $d/counter $d/sink $d/blob $d/rwblob $d/wblob | tr '\n' ,)")"
)
expects=(
	'rust_debugfs: ready'
	'kelfix-test: temp gone'
	'kelfix-test: answer 42'
	'kelfix-test: counter 7'
	'kelfix-test: limit -5'
	'kelfix-test: limit kept -5'
	'kelfix-test: hex 0xff'
	'kelfix-test: doubled 20'
	'kelfix-test: blob abcd'
	'kelfix-test: rwblob hixxxxxx'
	'kelfix-test: point Point { x: 3, y: -4 }'
	'kelfix-test: hits 7'
	'kelfix-test: hits_hex 0x9'
	'kelfix-test: label 12'
	'kelfix-test: modes 400,600,200,400,600,200,'
	'rust_debugfs: counter 7'
	'rust_debugfs: limit -5'
	'rust_debugfs: sink 3'
	'rust_debugfs: doubled 10'
	'rust_debugfs: reset 1005'
	'rust_debugfs: rwblob hixxxxxx'
	'rust_debugfs: wblob WXYZ'
	'rust_debugfs: point 3 -4'
	'rust_debugfs: stats hits 9 label 12'
)
