# upstream-rust_configfs.boot: what tests/e2e/kernel-api checks of
# upstream's samples/rust/rust_configfs.rs in the VM: the subsystem's files,
# a group made by mkdir and its own child group, which takes no children.
# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # read by kernel-api-test; $(...) runs in the VM
kmods=(fs/configfs/configfs)
rust_configfs_dir=/sys/kernel/config/rust_configfs
runs=(
  "grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config"
  "$(report 'subsystem $(echo $(ls '$rust_configfs_dir'))')"
  "$(report 'message $(cat '$rust_configfs_dir'/message)')"
  "! echo x > $rust_configfs_dir/message"
  "echo -n kelfix > $rust_configfs_dir/bar && $(report 'bar $(cat '$rust_configfs_dir'/bar)')"
  "mkdir $rust_configfs_dir/child && $(report 'child $(echo $(ls '$rust_configfs_dir'/child)) $(cat '$rust_configfs_dir'/child/baz)')"
  "mkdir $rust_configfs_dir/child/gc && $(report 'grandchild $(cat '$rust_configfs_dir'/child/gc/gc)')"
  "! mkdir $rust_configfs_dir/child/gc/x && ! rmdir $rust_configfs_dir/child"
  "rmdir $rust_configfs_dir/child/gc && rmdir $rust_configfs_dir/child && $(report 'after rmdir $(echo $(ls '$rust_configfs_dir'))')"
)
expects=(
  'rust_configfs: Rust configfs sample (init)'
  'kelfix-test: subsystem bar message'
  'rust_configfs: Show message'
  'kelfix-test: message Hello World'
  'rust_configfs: Store bar'
  'rust_configfs: Show bar'
  'kelfix-test: bar kelfix'
  'rust_configfs: Show baz'
  'kelfix-test: child baz Hello Baz'
  'rust_configfs: Show grand child'
  'kelfix-test: grandchild Hello GC'
  'kelfix-test: after rmdir bar message'
)
