// SPDX-License-Identifier: GPL-2.0-only
//! Size constants (upstream kernel::sizes).
//!
//! PLACEHOLDER: being written (issue 20).
