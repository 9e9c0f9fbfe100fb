//! The `#[panic_handler]`: logs the panic (module, location, message) at
//! KERN_EMERG, then BUG(). There is no unwinding in the kernel
//! (x86_64-unknown-none aborts on panic); BUG() oopses the current task
//! with a backtrace, as a failed assertion in C does.

use crate::{module, pr_emerg};

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let name = module::name();
    match info.location() {
        Some(loc) => pr_emerg!(
            "{}: Rust panic at {}:{}:{}: {}",
            name,
            loc.file(),
            loc.line(),
            loc.column(),
            info.message()
        ),
        None => pr_emerg!("{}: Rust panic: {}", name, info.message()),
    }
    // SAFETY: BUG() does not return; nothing is left to clean up.
    unsafe { crate::ffi::kelfix_rt_bug() }
}
