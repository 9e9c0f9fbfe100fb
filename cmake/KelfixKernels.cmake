# KELFIX_KERNEL_SERIES: the kernel series of tests/lib/kernels.table, in
# its order (5.10;6.1;6.12;7.3). Test registrations loop over it; a row
# added to the table adds its tests.
file(STRINGS ${CMAKE_SOURCE_DIR}/tests/lib/kernels.table kelfix_table_rows
  REGEX "^[0-9]")
set(KELFIX_KERNEL_SERIES)
foreach(row IN LISTS kelfix_table_rows)
  string(REGEX MATCH "^[^ \t]+" series "${row}")
  list(APPEND KELFIX_KERNEL_SERIES ${series})
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${CMAKE_SOURCE_DIR}/tests/lib/kernels.table)
