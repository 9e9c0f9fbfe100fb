# SPDX-License-Identifier: GPL-2.0-only
# The kernel interface the runtime crate (kbuild-wrap/rust) is generated
# against: headers, and the functions, types, variables and constants
# kelfix-bindgen binds from them.  Included by kelfix.mk, which runs
# `kelfix-bindgen --kernel KDIR $(kelfix-bindgen-args) ...` for every module,
# and by tests/lint/clippy, which lints the crate against the same bindings.
kelfix-bindgen-headers := linux/module.h linux/errno.h linux/fs.h linux/miscdevice.h \
	linux/slab.h linux/uaccess.h linux/mutex.h
kelfix-bindgen-functions := kfree|copy_to_user|copy_from_user|\
	misc_register|misc_deregister|default_llseek|__mutex_init|mutex_lock|mutex_unlock|\
	mutex_destroy
kelfix-bindgen-types := module|file|inode|file_operations|miscdevice|mutex|lock_class_key|gfp_t
kelfix-bindgen-vars := __this_module
kelfix-bindgen-constants := GFP_KERNEL __GFP_ZERO KMALLOC_MAX_SIZE MISC_DYNAMIC_MINOR \
	EPERM ENOENT EINTR EIO ENXIO E2BIG EBADF EAGAIN ENOMEM EACCES EFAULT EBUSY \
	EEXIST ENODEV EINVAL ENOTTY EFBIG ENOSPC ESPIPE ERANGE ENOSYS EOVERFLOW \
	EOPNOTSUPP ETIMEDOUT

kelfix-empty :=
kelfix-space := $(kelfix-empty) $(kelfix-empty)
kelfix-bindgen-args = \
	--allowlist-function '$(subst $(kelfix-space),,$(kelfix-bindgen-functions))' \
	--allowlist-type '$(kelfix-bindgen-types)' --allowlist-var '$(kelfix-bindgen-vars)' \
	$(addprefix --constant ,$(kelfix-bindgen-constants)) $(kelfix-bindgen-headers)
