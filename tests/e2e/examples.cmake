# Boot tests of the example modules (examples/): each is built from a copy
# with the plain `make -C <kernel build dir> M=<dir>` (kbuild-wrap/kelfix.mk)
# and loaded in a VM of that kernel by examples/test/boot-example, which
# passes the remaining arguments to boot-test. Included from
# tests/e2e/CMakeLists.txt; variables from examples/CMakeLists.txt.

if(NOT KELFIX_EXAMPLES_DIR)
  return()
endif()
set(boot_example ${KELFIX_EXAMPLES_DIR}/test/boot-example)

# kelfix_module_boot_test(TEST DIR SERIES boot-example arguments...): the
# module crate in DIR, built as a user builds it, in a VM of SERIES.
function(kelfix_module_boot_test name dir series)
  get_filename_component(work ${dir} NAME)
  kelfix_add_boot_test(NAME ${name}
    COMMAND ${boot_example} --kernel ${series} --example ${dir}
            --work ${KELFIX_EXAMPLES_WORK}/${work}-${series} ${ARGN})
  if(TEST ${name})
    # Both locks: one VM at a time, one build of a crate name at a time.
    set_tests_properties(${name} PROPERTIES
      RESOURCE_LOCK "kelfix-qemu;kelfix-examples"
      ENVIRONMENT "${KELFIX_EXAMPLES_ENV}")
  endif()
endfunction()

# kelfix_example_boot_test(EXAMPLE SERIES boot-example arguments...)
function(kelfix_example_boot_test example series)
  kelfix_module_boot_test(e2e.example-${example}.${series}
    ${KELFIX_EXAMPLES_DIR}/${example} ${series} ${ARGN})
endfunction()

set(fox "The quick brown fox jumps over the lazy dog")
# pr_info! cuts a message at 512 bytes (kernel::print::LINE_MAX): 11 of
# "long line: ", 498 digits, "..."; the "hello: " prefix is printk's.
string(REPEAT "0123456789" 50 digits)
string(SUBSTRING "${digits}" 0 498 digits)
foreach(series ${KELFIX_KERNEL_SERIES})
  # The release comes from the module's own C helper (utsname()).
  kelfix_example_boot_test(hello ${series}
    --expect "hello: init"
    --expect-cmd "hello: running on Linux "
                 ". ${CMAKE_SOURCE_DIR}/tests/lib/kernels.sh && kelfix_krel ${series}"
    --expect "hello: squares 1..=10: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100] sum 385"
    --expect "hello: greeting: Hello from Rust, 10 squares, 64-byte aligned box ok"
    --expect "hello: long line: ${digits}..."
    --expect "hello: exit: dropping \"Hello from Rust, 10 squares, 64-byte aligned box ok\" and 10 squares")

  # Write a line and read it back from the VM shell; a static program
  # passes an unmapped buffer to write(2) and read(2): EFAULT, no oops.
  kelfix_example_boot_test(chardev ${series}
    --static-prog ${KELFIX_EXAMPLES_DIR}/chardev/test/efault-probe.c
    --run "echo hello-kelfix > /dev/kelfix_echo"
    --run "test \"$(cat /dev/kelfix_echo)\" = hello-kelfix"
    --run "/kelfix/efault-probe /dev/kelfix_echo"
    --expect "chardev: self-test: kernel address refused with EFAULT"
    --expect "chardev: /dev/kelfix_echo ready"
    --expect "chardev: wrote 13 bytes"
    --expect "chardev: read 13 bytes"
    --expect "chardev: write of 8 bytes: EFAULT"
    --expect "chardev: read of 6 bytes: EFAULT"
    --expect "chardev: /dev/kelfix_echo removed (6 bytes held)")

  # Results of the ecosystem crates, computed on the host by coreutils and
  # gzip (whose trailer holds the CRC-32 of the data, little-endian).
  kelfix_example_boot_test(deps ${series}
    --expect-cmd "deps: md5(\"${fox}\") = "
                 "printf %s '${fox}' | md5sum | cut -d' ' -f1"
    --expect-cmd "deps: crc32(\"${fox}\") = "
                 "printf %s '${fox}' | gzip -c | tail -c 8 | od -An -tx4 -N4 | tr -d ' '"
    --expect-cmd "deps: base64(\"${fox}\") = "
                 "printf %s '${fox}' | base64 -w0"
    --expect "deps: exit")

  # More crates (examples/ecosystem); the digest from coreutils, 0.1 + 0.2
  # and sqrt(2) as Python's repr prints them.
  kelfix_example_boot_test(ecosystem ${series}
    --expect-cmd "ecosystem: sha256(\"${fox}\") = "
                 "printf %s '${fox}' | sha256sum | cut -d' ' -f1"
    --expect "ecosystem: words by length: [(\"The\", 3), (\"dog\", 3), (\"fox\", 3), (\"the\", 3), (\"lazy\", 4), (\"over\", 4), (\"brown\", 5), (\"jumps\", 5), (\"quick\", 5)]"
    --expect "ecosystem: inflated 49 bytes to 430: the text 10 times: true"
    --expect "ecosystem: ryu 0.1 + 0.2 = 0.30000000000000004, itoa i64::MIN = -9223372036854775808"
    --expect "ecosystem: libm sqrt(2) = 1.4142135623730951, hypot(3, 4) = 5"
    --expect "ecosystem: smallvec of 10 squares: sum 285, on the heap: true, memchr 'z' at Some(37)"
    --expect "ecosystem: exit")
endforeach()

# The newcomer's example (examples/worker): loaded with ticks=3, it counts
# them before insmod returns; the VM shell reads /proc/kelfix_worker, asks
# for 2 more ticks there, sees them counted (within a second, or six), and
# finds the kernel thread. (No ';' in these arguments: CMake would split
# them.)
foreach(series ${KELFIX_KERNEL_SERIES})
  kelfix_example_boot_test(worker ${series}
    --params "ticks=3 interval_ms=10"
    --run "test \"$(cat /proc/kelfix_worker)\" = 'produced 3 counted 3'"
    --run "echo 2 >/proc/kelfix_worker && (sleep 1 && test \"$(cat /proc/kelfix_worker)\" = 'produced 5 counted 5' || (sleep 5 && test \"$(cat /proc/kelfix_worker)\" = 'produced 5 counted 5'))"
    --run "test \"$(cat /proc/$(pidof kelfix_worker)/comm)\" = kelfix_worker"
    --run "! echo many >/proc/kelfix_worker"
    --expect "worker: 3 ticks counted (produced every 10 ms by kelfix_worker)"
    --expect "worker: exit: produced 5 counted 5")
endforeach()

# The kernel crate's misc device deregistered while a file of it is open
# (tests/e2e/modules/miscdev-uaf): freed memory is poisoned (slub_debug), so
# a read of the freed registration at or after the last close oopses.  One --run:
# each runs in its own shell, and fd 3 must stay open across the steps.
foreach(series ${KELFIX_KERNEL_SERIES})
  kelfix_module_boot_test(e2e.miscdev-uaf.${series}
    ${CMAKE_SOURCE_DIR}/tests/e2e/modules/miscdev-uaf ${series}
    --append "slub_debug=FPZ"
    --run "exec 3</dev/kelfix_uaf_victim && echo x >/dev/kelfix_uaf_ctl && test ! -e /dev/kelfix_uaf_victim && exec 3<&- && echo closed"
    --expect "miscdev_uaf: ready"
    --expect "miscdev_uaf: victim open"
    --expect "miscdev_uaf: victim deregistered"
    --expect "miscdev_uaf: victim release"
    --expect "miscdev_uaf: victim value dropped"
    --expect "miscdev_uaf: exit")
endforeach()

# A Rust panic (tests/e2e/modules/rust-panic): the kernel crate's panic
# handler logs the module, place and message (core's "panicked at" text: the
# message on a line of its own), then BUG()s; the VM stops at the oops.
foreach(series ${KELFIX_KERNEL_SERIES})
  kelfix_module_boot_test(e2e.rust-panic.${series}
    ${CMAKE_SOURCE_DIR}/tests/e2e/modules/rust-panic ${series}
    --expect "rust_panic: init"
    --expect "rust_panic: panicked at src/lib.rs:29:18:"
    --expect "index out of bounds: the len is 0 but the index is 3"
    --expect-oops "kernel BUG at ")
endforeach()
