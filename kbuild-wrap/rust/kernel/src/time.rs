// SPDX-License-Identifier: GPL-2.0-only
//! Time (upstream kernel::time).
//!
//! PLACEHOLDER: being written (issue 20).
