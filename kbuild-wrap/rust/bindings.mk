# SPDX-License-Identifier: GPL-2.0-only
# The kernel interface the runtime crates (kbuild-wrap/rust) are generated
# against: headers, and the functions, types, variables and constants
# kelfix-bindgen binds from them.  Included by kelfix.mk, which runs
# `kelfix-bindgen --kernel KDIR $(kelfix-bindgen-args) ...` for every module,
# and by tests/lint/clippy, which lints the crates against the same bindings.
# One section per part of the crate; names are space-separated.

# The old runtime (kelfix-rt, src/).
kelfix-bindgen-headers := linux/module.h linux/errno.h linux/fs.h linux/miscdevice.h \
	linux/slab.h linux/uaccess.h linux/mutex.h
kelfix-bindgen-functions := kfree copy_to_user copy_from_user \
	misc_register misc_deregister default_llseek __mutex_init mutex_lock mutex_unlock \
	mutex_destroy
kelfix-bindgen-types := module file inode file_operations miscdevice mutex lock_class_key gfp_t
kelfix-bindgen-vars := __this_module
kelfix-bindgen-constants := GFP_KERNEL __GFP_ZERO KMALLOC_MAX_SIZE MISC_DYNAMIC_MINOR \
	EPERM ENOENT EINTR EIO ENXIO E2BIG EBADF EAGAIN ENOMEM EACCES EFAULT EBUSY \
	EEXIST ENODEV EINVAL ENOTTY EFBIG ENOSPC ESPIPE ERANGE ENOSYS EOVERFLOW \
	EOPNOTSUPP ETIMEDOUT

# kernel: core (alloc, error, print, str, types). The allocators, printk
# and BUG() go through helpers/kelfix_core.c; EFSBADCRC, EFSCORRUPTED
# (aliases) and EFTYPE (7.x only) are spelled in error.rs.
kelfix-bindgen-headers += linux/err.h linux/errno.h linux/gfp.h linux/numa.h \
	linux/slab.h linux/mm.h linux/module.h
kelfix-bindgen-types += gfp_t module
kelfix-bindgen-vars += __this_module
kelfix-bindgen-constants += MAX_ERRNO GFP_KERNEL GFP_ATOMIC GFP_NOWAIT \
	GFP_KERNEL_ACCOUNT __GFP_ZERO __GFP_HIGHMEM __GFP_NOWARN NUMA_NO_NODE \
	MAX_NUMNODES PAGE_SIZE ARCH_KMALLOC_MINALIGN KMALLOC_MAX_SIZE
# The errnos of upstream's kernel::error::code.
kelfix-bindgen-constants += \
	EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN \
	ENOMEM EACCES EFAULT ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR \
	EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE \
	EDOM ERANGE EDEADLK ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY ELOOP ENOMSG \
	EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG EUNATCH ENOCSI EL2HLT EBADE \
	EBADR EXFULL ENOANO EBADRQC EBADSLT EBFONT ENOSTR ENODATA ETIME ENOSR \
	ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT \
	EBADMSG EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD \
	ELIBSCN ELIBMAX ELIBEXEC EILSEQ ERESTART ESTRPIPE EUSERS ENOTSOCK \
	EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT \
	ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE \
	EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET \
	ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED \
	EHOSTDOWN EHOSTUNREACH EALREADY EINPROGRESS ESTALE EUCLEAN \
	ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE ECANCELED \
	ENOKEY EKEYEXPIRED EKEYREVOKED EKEYREJECTED EOWNERDEAD ENOTRECOVERABLE \
	ERFKILL EHWPOISON ERESTARTSYS ERESTARTNOINTR ERESTARTNOHAND \
	ENOIOCTLCMD ERESTART_RESTARTBLOCK EPROBE_DEFER EOPENSTALE ENOPARAM \
	EBADHANDLE ENOTSYNC EBADCOOKIE ENOTSUPP ETOOSMALL ESERVERFAULT EBADTYPE \
	EJUKEBOX EIOCBQUEUED ERECALLCONFLICT ENOGRACE

# kernel: module and module_param.

# kernel: sync.

# kernel: uaccess, ioctl, fs, iov, miscdevice, device, tracepoint.

kelfix-empty :=
kelfix-space := $(kelfix-empty) $(kelfix-empty)
kelfix-bindgen-alternatives = '$(subst $(kelfix-space),|,$(sort $(strip $(1))))'
kelfix-bindgen-args = \
	--allowlist-function $(call kelfix-bindgen-alternatives,$(kelfix-bindgen-functions)) \
	--allowlist-type $(call kelfix-bindgen-alternatives,$(kelfix-bindgen-types)) \
	--allowlist-var $(call kelfix-bindgen-alternatives,$(kelfix-bindgen-vars)) \
	$(addprefix --constant ,$(sort $(kelfix-bindgen-constants))) $(kelfix-bindgen-headers)
