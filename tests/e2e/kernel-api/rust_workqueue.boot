# rust_workqueue.boot: what tests/e2e/kernel-api checks of rust_workqueue.ko
expects=(
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
