// SPDX-License-Identifier: GPL-2.0-only
//! Completion (upstream kernel::sync::completion).
//!
//! PLACEHOLDER: being written (issue 20).
