// SPDX-License-Identifier: GPL-2.0-only
//! Work queues (upstream kernel::workqueue).
//!
//! PLACEHOLDER: being written (issue 20).
