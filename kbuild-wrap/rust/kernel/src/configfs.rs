// SPDX-License-Identifier: GPL-2.0-only
//! configfs: user-created kernel objects (upstream kernel::configfs).
//!
//! PLACEHOLDER: being written (issue 20).
