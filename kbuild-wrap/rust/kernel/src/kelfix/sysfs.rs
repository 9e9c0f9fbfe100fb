// SPDX-License-Identifier: GPL-2.0-only
//! sysfs attributes of a module (kelfix extension).
//!
//! PLACEHOLDER: being written (issue 20).
