// SPDX-License-Identifier: GPL-2.0-only
//! /proc files (kelfix extension).
//!
//! PLACEHOLDER: being written (issue 20).
