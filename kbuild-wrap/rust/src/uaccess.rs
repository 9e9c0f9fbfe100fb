//! User-space buffers. A [`UserSliceReader`] / [`UserSliceWriter`] is an
//! address and a length in the calling process; every access goes through
//! copy_from_user / copy_to_user, which check the range (access_ok) and
//! catch faults. A bad pointer, a kernel address or an unmapped page gives
//! `Err(EFAULT)`, never an oops: making one from any address is safe.

use core::ffi::{c_ulong, c_void};

use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::bindings as k;

/// Data to read from user space (a `write()` buffer).
pub struct UserSliceReader {
    addr: usize,
    len: usize,
}

impl UserSliceReader {
    /// `len` bytes at user address `addr`.
    pub fn new(addr: usize, len: usize) -> Self {
        UserSliceReader { addr, len }
    }

    /// Bytes not read yet.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Fills `out` with the next `out.len()` bytes. `EFAULT` when fewer
    /// remain or the copy faults; nothing is consumed then.
    pub fn read_slice(&mut self, out: &mut [u8]) -> Result {
        if out.len() > self.len {
            return Err(Error::EFAULT);
        }
        // SAFETY: `out` is writable for out.len() bytes; the helper checks
        // the user range itself.
        let left = unsafe {
            k::copy_from_user(
                out.as_mut_ptr().cast(),
                self.addr as *const c_void,
                out.len() as c_ulong,
            )
        };
        if left != 0 {
            return Err(Error::EFAULT);
        }
        self.skip(out.len());
        Ok(())
    }

    /// Appends everything left to `v` (`ENOMEM` if it cannot grow,
    /// `EFAULT` on a bad address; `v` is unchanged then).
    pub fn read_to_end(&mut self, v: &mut Vec<u8>) -> Result {
        let n = self.len;
        v.try_reserve(n)?;
        let spare = &mut v.spare_capacity_mut()[..n];
        // SAFETY: `spare` is writable for n bytes.
        let left = unsafe {
            k::copy_from_user(
                spare.as_mut_ptr().cast(),
                self.addr as *const c_void,
                n as c_ulong,
            )
        };
        if left != 0 {
            return Err(Error::EFAULT);
        }
        // SAFETY: the n bytes after len were just initialised.
        unsafe { v.set_len(v.len() + n) };
        self.skip(n);
        Ok(())
    }

    /// Consumes `n` bytes (at most what is left) without reading them.
    pub fn skip(&mut self, n: usize) {
        let n = n.min(self.len);
        self.addr = self.addr.wrapping_add(n);
        self.len -= n;
    }
}

/// Room to write to in user space (a `read()` buffer).
pub struct UserSliceWriter {
    addr: usize,
    len: usize,
}

impl UserSliceWriter {
    /// `len` bytes at user address `addr`.
    pub fn new(addr: usize, len: usize) -> Self {
        UserSliceWriter { addr, len }
    }

    /// Room left, in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Copies all of `data` out. `EFAULT` when it does not fit or the copy
    /// faults; nothing counts as written then.
    pub fn write_slice(&mut self, data: &[u8]) -> Result {
        if data.len() > self.len {
            return Err(Error::EFAULT);
        }
        // SAFETY: `data` is readable for data.len() bytes; the helper
        // checks the user range itself.
        let left = unsafe {
            k::copy_to_user(
                self.addr as *mut c_void,
                data.as_ptr().cast(),
                data.len() as c_ulong,
            )
        };
        if left != 0 {
            return Err(Error::EFAULT);
        }
        self.addr = self.addr.wrapping_add(data.len());
        self.len -= data.len();
        Ok(())
    }
}
