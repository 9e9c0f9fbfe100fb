// SPDX-License-Identifier: GPL-2.0-only
//! The items most kernel Rust code uses: `use kernel::prelude::*;`.
//!
//! Upstream 7.3's list, without zerocopy's `FromBytes`/`IntoBytes` (see
//! [`crate::transmute`]) and `macros::{export, kunit_tests}`, which kelfix
//! does not provide.

#[doc(no_inline)]
pub use core::{
    mem::{align_of, align_of_val, size_of, size_of_val},
    pin::Pin,
};

#[doc(no_inline)]
pub use crate::ffi::{
    c_char, c_int, c_long, c_longlong, c_schar, c_short, c_uchar, c_uint, c_ulong, c_ulonglong,
    c_ushort, c_void, CStr,
};

#[doc(no_inline)]
pub use macros::{fmt, module, vtable};

#[doc(no_inline)]
pub use pin_init::{init, pin_data, pin_init, pinned_drop, InPlaceWrite, Init, PinInit, Zeroable};

#[doc(no_inline)]
pub use super::{
    alloc::{flags::*, Box, KBox, KVBox, KVVec, KVec, VBox, VVec, Vec},
    build_assert::{build_assert, build_error, const_assert, static_assert},
    error::{code::*, Error, Result},
    init::InPlaceInit,
    pr_alert, pr_crit, pr_debug, pr_emerg, pr_err, pr_info, pr_notice, pr_warn,
    str::CStrExt as _,
    try_init, try_pin_init,
};

#[doc(no_inline)]
pub use super::{dev_alert, dev_crit, dev_dbg, dev_emerg, dev_err, dev_info, dev_notice, dev_warn};
#[doc(no_inline)]
pub use super::uaccess::UserPtr;
#[doc(no_inline)]
pub use super::ThisModule;

// kernel::task
#[doc(no_inline)]
pub use super::current;

#[doc(no_inline)]
pub use super::dbg;
