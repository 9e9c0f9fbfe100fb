# rust_sysfs.boot: what tests/e2e/kernel-api checks of rust_sysfs.ko in the VM
# shellcheck shell=bash disable=SC2034,SC2016,SC2154 # read by kernel-api-test; $(...) runs in the VM
rust_sysfs_dir=/sys/kernel/rust_sysfs
runs=(
  "$(report 'greeting $(cat '$rust_sysfs_dir'/greeting)')"
  "$(report 'count $(cat '$rust_sysfs_dir'/count)')"
  "echo 42 > $rust_sysfs_dir/count && $(report 'count $(cat '$rust_sysfs_dir'/count)')"
  "! echo forty > $rust_sysfs_dir/count && $(report 'count after bad write $(cat '$rust_sysfs_dir'/count)')"
  "! echo 1 > $rust_sysfs_dir/greeting && ! cat $rust_sysfs_dir/reset && $(report 'modes $(echo $(stat -c %a '$rust_sysfs_dir'/greeting '$rust_sysfs_dir'/count '$rust_sysfs_dir'/reset))')"
  "echo 1 > $rust_sysfs_dir/reset && $(report 'count $(cat '$rust_sysfs_dir'/count)')"
  "echo 5 > $rust_sysfs_dir/count"
)
expects=(
  'kelfix-test: greeting hello from rust_sysfs'
  'kelfix-test: count 7'
  'rust_sysfs: count set to 42'
  'kelfix-test: count 42'
  'kelfix-test: count after bad write 42'
  'kelfix-test: modes 444 644 200'
  'rust_sysfs: count reset'
  'kelfix-test: count 0'
  'rust_sysfs: count set to 5'
  'rust_sysfs: count at unload: 5'
)
