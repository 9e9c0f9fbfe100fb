# shellcheck shell=bash
# Sourced by builds that make core and alloc as rust's release builds make
# rustup's prebuilt ones (cargo-none --as-rustup, bench/run's deps-rustup):
# limited debug information (its dist configuration sets
# debuginfo-level-std = 1) and the LLVM bitcode embedded beside the code
# (its bootstrap passes -C embed-bitcode=yes for the standard library), so
# the archive has the .debug_* and .llvmbc/.llvmcmd sections a user's has.
# cargo has no flags for core alone, so the crate and its dependencies get
# both too.  Exports the release profile's debug level; the rustc flags are
# left in $as_rustup_rustflags for the caller's way of passing them.
export CARGO_PROFILE_RELEASE_DEBUG=limited
# shellcheck disable=SC2034 # read by the scripts that source this one
as_rustup_rustflags='-C embed-bitcode=yes'
