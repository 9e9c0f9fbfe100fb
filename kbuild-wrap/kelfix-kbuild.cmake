# kelfix-kbuild: asks a kernel's kbuild for its module C flags and
# translates them for clang (kelfix-kbuild cflags KDIR), and the rustc flags
# the kernel's .config asks for (kelfix-kbuild rustflags KDIR).  It runs
# make and clang; it links the relink library for the shared diagnostics
# (diag.h: messages and exit codes) and the audit library for its reading
# of a kernel's .config (kernel.h), so the flags and the audit's checks
# read the same facts.
add_executable(kelfix-kbuild
  ${CMAKE_CURRENT_LIST_DIR}/kelfix-kbuild.c
  ${CMAKE_CURRENT_LIST_DIR}/kbuild_probe.c
  ${CMAKE_CURRENT_LIST_DIR}/kbuild_clang.c
  ${CMAKE_CURRENT_LIST_DIR}/kbuild_run.c
  ${CMAKE_CURRENT_LIST_DIR}/kbuild_words.c
)
target_link_libraries(kelfix-kbuild PRIVATE kelfix_lib)
