# rust_workqueue.boot: what tests/e2e/kernel-api checks of rust_workqueue.ko
# 7.2 on warns (once) when work is queued on a deprecated queue
# (system_wq, system_unbound_wq): kernel::workqueue must not use them.
# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # read by kernel-api-test; $(...) runs in the VM
runs=(
	'! dmesg | grep -q "enqueued on deprecated workqueue" && '"$(report 'no deprecated workqueue used')"
)
expects=(
	'kelfix-test: no deprecated workqueue used'
	'rust_workqueue: Arc item 7 ran, in a worker: true'
	'rust_workqueue: boxed item 8 ran, in a worker: true'
	'rust_workqueue: delayed item queued again while pending: refused true'
	'rust_workqueue: delayed item 7 ran, in a worker: true'
	'rust_workqueue: closure ran on system'
	'rust_workqueue: closure ran on system_highpri'
	'rust_workqueue: closure ran on system_long'
	'rust_workqueue: closure ran on system_unbound'
	'rust_workqueue: closure ran on system_freezable'
	'rust_workqueue: closure ran on system_power_efficient'
	'rust_workqueue: closure ran on system_freezable_power_efficient'
	'rust_workqueue: closures ran on 7 system queues'
	'rust_workqueue: unloaded'
)
