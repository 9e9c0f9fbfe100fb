// SPDX-License-Identifier: GPL-2.0-only
//! Credentials (`include/linux/cred.h`): the user and group IDs,
//! capabilities and security context that the kernel checks a task's or
//! an opener's access with.

use crate::{bindings, sync::aref::AlwaysRefCounted, task::Kuid, types::Opaque};
use core::ptr::NonNull;

/// A set of credentials, C's `struct cred`.
///
/// A `struct cred` is not edited once it is in use: a task that changes
/// its credentials installs a new set. So the fields read here do not
/// change under the reader.
///
/// # Invariants
///
/// `inner` is a `struct cred` with a non-zero reference count: it stays
/// valid until the reference a `&Credential` relies on is put
/// (`get_cred` takes one, `put_cred` drops one).
#[repr(transparent)]
pub struct Credential(Opaque<bindings::cred>);

// SAFETY: `put_cred` may run on any thread, and owning a reference does
// not tie the credentials to one.
unsafe impl Send for Credential {}
// SAFETY: the methods only read fields that do not change while the set
// is in use, or call C functions that synchronise themselves.
unsafe impl Sync for Credential {}

impl Credential {
    /// The credentials at `ptr`, borrowed for `'a`.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a `struct cred` that holds a reference for all
    /// of `'a`.
    #[inline]
    pub unsafe fn from_ptr<'a>(ptr: *const bindings::cred) -> &'a Credential {
        // SAFETY: `Credential` is a transparent `struct cred`, valid for
        // `'a` by the caller's promise.
        unsafe { &*ptr.cast() }
    }

    /// The C `struct cred`.
    #[inline]
    pub fn as_ptr(&self) -> *const bindings::cred {
        self.0.get()
    }

    /// The security module's ID of these credentials' security context
    /// (0 without an LSM that has such IDs).
    #[inline]
    pub fn get_secid(&self) -> u32 {
        let mut secid = 0;
        // SAFETY: the set is valid (invariants); C writes the ID to
        // `secid`, a valid `u32`.
        unsafe { bindings::security_cred_getsecid(self.as_ptr(), &mut secid) };
        secid
    }

    /// The effective user ID, the one most permission checks use.
    #[inline]
    pub fn euid(&self) -> Kuid {
        // SAFETY: the set is valid (invariants), and its `euid` does not
        // change while it is in use, so the read races with no writer.
        Kuid::from_raw(unsafe { (*self.as_ptr()).euid })
    }
}

// SAFETY: a `Credential` always holds a reference (invariants);
// `get_cred`/`put_cred` take and drop one.
unsafe impl AlwaysRefCounted for Credential {
    #[inline]
    fn inc_ref(&self) {
        // SAFETY: `&self` shows the count is non-zero. The pointer
        // returned is `self`'s own.
        unsafe { bindings::get_cred(self.as_ptr()) };
    }

    #[inline]
    unsafe fn dec_ref(obj: NonNull<Credential>) {
        // SAFETY: the caller gives up one reference, which `put_cred`
        // drops; `Credential` is a transparent `struct cred`.
        unsafe { bindings::put_cred(obj.cast::<bindings::cred>().as_ptr()) }
    }
}
