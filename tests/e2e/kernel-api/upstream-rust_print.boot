# Rust-for-Linux's samples/rust/rust_print_{main.rs,events.c} and its
# trace header, unchanged: every log level, pr_cont, dbg!, Arc<dyn
# Display>, and the sample's trace event (kelfix's glue before 6.13).
# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # read by kernel-api-test; $(...) runs in the VM
stage() {
	cp "$samples/rust_print_main.rs" "$samples/rust_print_events.c" "$dir/"
	# The trace header where an in-tree build finds it: the tree's include/.
	mkdir -p "$dir/include/trace/events"
	cp "$samples/../../include/trace/events/rust_sample.h" "$dir/include/trace/events/"
	echo 'rust_print-y := rust_print_main.o rust_print_events.o'
	echo 'CFLAGS_rust_print_events.o += -I$(src)/include'
}
expects=('rust_print: Rust printing macros sample (init)')
for l in 'Emergency:0' 'Alert:1' 'Critical:2' 'Error:3' 'Warning:4' 'Notice:5' 'Info:6'; do
	expects+=("rust_print: ${l%:*} message (level ${l#*:}) without args"
		"rust_print: ${l%:*} message (level ${l#*:}) with args")
done
expects+=(
	'rust_print: A line that is continued without args'
	'rust_print: A line that is continued with args'
	'rust_print: 1'
	'rust_print: "hello, world"'
	'rust_print: Arc<dyn Display> says 42'
	'rust_print: Arc<dyn Display> says hello, world'
	'kelfix-test: event rust_sample_loaded'
	'rust_print: Rust printing macros sample (exit)'
)
runs=(
	'mount -t tracefs tracefs /sys/kernel/tracing'
	"test -d /sys/kernel/tracing/events/rust_sample/rust_sample_loaded && $(report 'event rust_sample_loaded')"
)
