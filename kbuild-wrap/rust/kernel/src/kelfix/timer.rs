// SPDX-License-Identifier: GPL-2.0-only
//! timer_list timers (kelfix extension).
//!
//! PLACEHOLDER: being written (issue 20).
