// SPDX-License-Identifier: GPL-2.0-only
//! [`Kiocb`]: the `struct kiocb` of a `read_iter`/`write_iter` call.

use crate::{bindings, types::ForeignOwnable};
use core::{marker::PhantomData, ptr::NonNull};

/// The I/O request a `read_iter` or `write_iter` callback gets: for now,
/// the file's private data (a `T`, see [`ForeignOwnable`]) and the file
/// position.
///
/// # Invariants
///
/// `inner` points to a `struct kiocb` valid for `'a`, whose file's
/// `private_data` came from `T::into_foreign`.
pub struct Kiocb<'a, T> {
    inner: NonNull<bindings::kiocb>,
    _phantom: PhantomData<&'a T>,
}

impl<'a, T: ForeignOwnable> Kiocb<'a, T> {
    /// Wraps the request at `kiocb`.
    ///
    /// # Safety
    ///
    /// `kiocb` must point to a `struct kiocb` that is valid, and not
    /// accessed elsewhere, for `'a`, and the `private_data` of its file
    /// must have been produced by `T::into_foreign`.
    pub unsafe fn from_raw(kiocb: *mut bindings::kiocb) -> Self {
        Self {
            // SAFETY: the caller passes a valid, hence non-null, pointer.
            inner: unsafe { NonNull::new_unchecked(kiocb) },
            _phantom: PhantomData,
        }
    }

    /// The C `struct kiocb`.
    pub fn as_raw(&self) -> *mut bindings::kiocb {
        self.inner.as_ptr()
    }

    /// The driver's data of the file, borrowed for `'a`.
    pub fn file(&self) -> <T as ForeignOwnable>::Borrowed<'a> {
        // SAFETY: by the invariants the kiocb and its file are valid for
        // `'a`; `private_data` is not changed while I/O is in progress.
        let private = unsafe { (*(*self.as_raw()).ki_filp).private_data };
        // SAFETY: by the invariants `private` came from `T::into_foreign`,
        // and `from_foreign` runs only at release, after every request.
        unsafe { T::borrow(private) }
    }

    /// The file position of the request.
    pub fn ki_pos(&self) -> i64 {
        // SAFETY: by the invariants the kiocb is valid.
        unsafe { (*self.as_raw()).ki_pos }
    }

    /// The file position of the request, to update it.
    pub fn ki_pos_mut(&mut self) -> &mut i64 {
        // SAFETY: by the invariants the kiocb is valid for `'a` and only
        // reached through `self`, borrowed mutably here.
        unsafe { &mut (*self.as_raw()).ki_pos }
    }
}
