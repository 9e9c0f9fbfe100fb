// error: no method named `lock` found
// `new_mutex!` gives an initialiser, not a mutex: a lock exists only once
// it is initialised in place (pinned), so it cannot be locked before.
pub fn lock_before_pinning() -> u32 {
    let m = kernel::new_mutex!(0u32);
    let guard = m.lock();
    *guard
}
