// SPDX-License-Identifier: GPL-2.0-only
//! Tasks (upstream kernel::task).
//!
//! PLACEHOLDER: being written (issue 20).
