# Finds the Debian libraries kelfix builds on and makes one imported target
# for each:
#   kelfix::elf       libelf/gelf (elfutils)     Debian: libelf-dev
#   kelfix::capstone  capstone                   Debian: libcapstone-dev
#   kelfix::iberty    libiberty (demangler)      Debian: libiberty-dev
#   kelfix::clang     libclang's C API           Debian: libclang-14-dev (or libclang-dev)
# A missing one stops configuration with the Debian package to install.

find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: install the Debian package 'pkg-config'")
endif()

function(kelfix_pkg target module debian)
  pkg_check_modules(_kp_${target} QUIET IMPORTED_TARGET ${module})
  if(NOT _kp_${target}_FOUND)
    message(FATAL_ERROR "${module} not found by pkg-config: install the Debian package '${debian}'")
  endif()
  add_library(kelfix::${target} ALIAS PkgConfig::_kp_${target})
  message(STATUS "kelfix: ${module} ${_kp_${target}_VERSION}")
endfunction()

# The static archives (Debian's -dev packages ship them) of capstone,
# libelf with its zlib, and liblzma, so that kelfix, built without PIE
# (relink/CMakeLists.txt), starts with libc as its only shared library and
# nothing to relocate: capstone's tables alone are about 78,000 relative
# relocations, some 2 ms of a 9 ms hello link; loading the three other
# libraries took 0.19 ms of a 7 ms one.  (Not with the sanitizers.)
option(KELFIX_STATIC_DEPS "Link Debian's static capstone, libelf, zlib and liblzma into a non-PIE kelfix" ON)
set(_kelfix_static OFF)
if(KELFIX_STATIC_DEPS AND NOT KELFIX_SANITIZE)
  set(_kelfix_static ON)
endif()

# kelfix::target from the archives `pkg-config --static --libs module`
# names (libelf: -lelf -lz); the shared libraries if one is missing, or
# when they are not wanted (_kelfix_static).
function(kelfix_pkg_static target module debian)
  if(NOT _kelfix_static)
    kelfix_pkg(${target} ${module} ${debian})
    return()
  endif()
  pkg_check_modules(_ks_${target} QUIET ${module})
  if(NOT _ks_${target}_FOUND)
    message(FATAL_ERROR "${module} not found by pkg-config: install the Debian package '${debian}'")
  endif()
  set(_archives)
  foreach(_lib IN LISTS _ks_${target}_STATIC_LIBRARIES)
    if(_lib STREQUAL "pthread")
      continue() # part of libc (glibc 2.34 and later)
    endif()
    find_library(KELFIX_STATIC_${_lib} NAMES lib${_lib}.a HINTS ${_ks_${target}_STATIC_LIBRARY_DIRS})
    if(NOT KELFIX_STATIC_${_lib})
      kelfix_pkg(${target} ${module} ${debian})
      return()
    endif()
    list(APPEND _archives ${KELFIX_STATIC_${_lib}})
  endforeach()
  add_library(_kelfix_${target} INTERFACE)
  target_link_libraries(_kelfix_${target} INTERFACE ${_archives})
  target_include_directories(_kelfix_${target} INTERFACE ${_ks_${target}_INCLUDE_DIRS})
  add_library(kelfix::${target} ALIAS _kelfix_${target})
  message(STATUS "kelfix: ${module} ${_ks_${target}_VERSION} (static: ${_archives})")
endfunction()

kelfix_pkg_static(elf libelf libelf-dev)

# capstone names its archive in capstone.pc.
pkg_check_modules(_kp_capstone QUIET capstone)
if(NOT _kp_capstone_FOUND)
  message(FATAL_ERROR "capstone not found by pkg-config: install the Debian package 'libcapstone-dev'")
endif()
pkg_get_variable(_capstone_archive capstone archive)
if(_kelfix_static AND _capstone_archive AND EXISTS "${_capstone_archive}")
  add_library(kelfix::capstone STATIC IMPORTED)
  set_target_properties(kelfix::capstone PROPERTIES
    IMPORTED_LOCATION "${_capstone_archive}"
    INTERFACE_INCLUDE_DIRECTORIES "${_kp_capstone_INCLUDE_DIRS}")
  set(KELFIX_NO_PIE ON)
  message(STATUS "kelfix: capstone ${_kp_capstone_VERSION} (static: ${_capstone_archive})")
else()
  kelfix_pkg(capstone capstone libcapstone-dev)
  set(KELFIX_NO_PIE OFF)
endif()

# libiberty ships a static archive and headers under include/libiberty.
find_path(KELFIX_IBERTY_INCLUDE demangle.h PATH_SUFFIXES libiberty)
find_library(KELFIX_IBERTY_LIB NAMES libiberty.a iberty)
if(NOT KELFIX_IBERTY_INCLUDE OR NOT KELFIX_IBERTY_LIB)
  message(FATAL_ERROR "libiberty (demangle.h, libiberty.a) not found: install the Debian package 'libiberty-dev'")
endif()
add_library(kelfix::iberty STATIC IMPORTED)
set_target_properties(kelfix::iberty PROPERTIES
  IMPORTED_LOCATION ${KELFIX_IBERTY_LIB}
  INTERFACE_INCLUDE_DIRECTORIES ${KELFIX_IBERTY_INCLUDE})
message(STATUS "kelfix: libiberty ${KELFIX_IBERTY_LIB}")

# libclang: llvm-config first (it names the LLVM that clang-c/Index.h
# belongs to), then CMake's Clang package.
find_program(KELFIX_LLVM_CONFIG NAMES llvm-config llvm-config-14)
if(KELFIX_LLVM_CONFIG)
  execute_process(COMMAND ${KELFIX_LLVM_CONFIG} --libdir OUTPUT_VARIABLE _llvm_libdir OUTPUT_STRIP_TRAILING_WHITESPACE)
  execute_process(COMMAND ${KELFIX_LLVM_CONFIG} --includedir OUTPUT_VARIABLE _llvm_incdir OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
find_path(KELFIX_CLANG_INCLUDE clang-c/Index.h HINTS ${_llvm_incdir} /usr/lib/llvm-14/include)
find_library(KELFIX_CLANG_LIB NAMES clang libclang HINTS ${_llvm_libdir} /usr/lib/llvm-14/lib)
if(NOT KELFIX_CLANG_INCLUDE OR NOT KELFIX_CLANG_LIB)
  find_package(Clang CONFIG QUIET HINTS /usr/lib/llvm-14/lib/cmake/clang)
  if(TARGET libclang)
    get_target_property(KELFIX_CLANG_LIB libclang LOCATION)
    get_target_property(KELFIX_CLANG_INCLUDE libclang INTERFACE_INCLUDE_DIRECTORIES)
  endif()
endif()
if(NOT KELFIX_CLANG_INCLUDE OR NOT KELFIX_CLANG_LIB)
  message(FATAL_ERROR "libclang (clang-c/Index.h) not found: install the Debian package 'libclang-14-dev' (or 'libclang-dev')")
endif()
add_library(kelfix::clang SHARED IMPORTED)
set_target_properties(kelfix::clang PROPERTIES
  IMPORTED_LOCATION ${KELFIX_CLANG_LIB}
  INTERFACE_INCLUDE_DIRECTORIES ${KELFIX_CLANG_INCLUDE})
message(STATUS "kelfix: libclang ${KELFIX_CLANG_LIB}")
kelfix_pkg_static(lzma liblzma liblzma-dev)
