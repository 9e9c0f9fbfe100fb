/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C half of kernel::bug (kbuild-wrap/rust/kernel/src/bug.rs): WARN()
 * for a Rust caller. Rust declares it in a private extern block of bug.rs:
 * change both together.
 */
#ifndef KELFIX_BUG_H
#define KELFIX_BUG_H

/*
 * WARN() whose message is the LEN bytes at PLACE (not NUL-terminated),
 * ':' and LINE: the Rust caller's location, as the WARNING line itself
 * names this file. FLAGS are BUGFLAG_* bits; their taint (BUG_GET_TAINT)
 * is added too when it is not the TAINT_WARN that WARN() adds.
 */
void kelfix_bug_warn(const char *place, int len, int line, unsigned int flags);

#endif /* KELFIX_BUG_H */
