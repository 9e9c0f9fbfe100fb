// SPDX-License-Identifier: GPL-2.0-only
//! seq_file output (upstream kernel::seq_file).
//!
//! PLACEHOLDER: being written (issue 20).
