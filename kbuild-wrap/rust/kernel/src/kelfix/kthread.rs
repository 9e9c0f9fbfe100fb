// SPDX-License-Identifier: GPL-2.0-only
//! Kernel threads (kelfix extension).
//!
//! PLACEHOLDER: being written (issue 20).
