// SPDX-License-Identifier: GPL-2.0-only
//! Pages (upstream kernel::page).
//!
//! PLACEHOLDER: being written (issue 20).
