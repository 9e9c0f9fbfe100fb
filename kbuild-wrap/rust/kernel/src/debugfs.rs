// SPDX-License-Identifier: GPL-2.0-only
//! debugfs: files for debugging (upstream kernel::debugfs).
//!
//! PLACEHOLDER: being written (issue 20).
