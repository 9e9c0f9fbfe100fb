# SPDX-License-Identifier: GPL-2.0-only
# The kernel interface the `kernel` crate (kbuild-wrap/rust/kernel) is
# generated against: headers, and the functions, types, variables and constants
# kelfix-bindgen binds from them.  Included by kelfix.mk, which runs
# `kelfix-bindgen --kernel KDIR $(kelfix-bindgen-args) ...` for every module,
# and by tests/lint/clippy, which lints the crate against the same bindings.
# One section per part of the crate; names are space-separated.

kelfix-bindgen-headers :=
kelfix-bindgen-functions :=
kelfix-bindgen-types :=
kelfix-bindgen-vars :=
kelfix-bindgen-constants :=

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
kelfix-bindgen-headers += linux/kernel.h linux/moduleparam.h
kelfix-bindgen-functions += kstrtoll kstrtoull kstrtobool
kelfix-bindgen-types += module kernel_param kernel_param_ops
kelfix-bindgen-vars += __this_module

# kernel: sync.
kelfix-bindgen-headers += linux/mutex.h linux/spinlock.h linux/wait.h linux/sched.h \
	linux/refcount.h linux/lockdep.h
kelfix-bindgen-functions += __mutex_init mutex_lock mutex_unlock mutex_trylock spin_lock spin_unlock spin_trylock \
	lockdep_register_key lockdep_unregister_key __init_waitqueue_head init_wait_entry \
	prepare_to_wait_exclusive finish_wait schedule_timeout __wake_up __wake_up_sync \
	refcount_set refcount_inc refcount_dec refcount_dec_and_test
kelfix-bindgen-types += mutex lock_class_key spinlock_t wait_queue_head wait_queue_entry refcount_t
kelfix-bindgen-constants += TASK_NORMAL TASK_INTERRUPTIBLE TASK_UNINTERRUPTIBLE \
	MAX_SCHEDULE_TIMEOUT

# kernel: uaccess, ioctl, fs, iov, miscdevice, device, tracepoint.
kelfix-bindgen-headers += linux/uaccess.h linux/fs.h linux/file.h linux/uio.h \
	linux/miscdevice.h linux/device.h linux/tracepoint.h
kelfix-bindgen-functions += copy_from_user copy_to_user strncpy_from_user \
	get_file fput fget get_unused_fd_flags put_unused_fd fd_install \
	generic_file_open compat_ptr_ioctl iov_iter_advance iov_iter_revert \
	_copy_from_iter _copy_to_iter iov_iter_count misc_register misc_deregister \
	get_device put_device dev_name
kelfix-bindgen-types += file inode kiocb iov_iter file_operations miscdevice \
	device tracepoint static_key loff_t
kelfix-bindgen-vars += __this_module
kelfix-bindgen-constants += MISC_DYNAMIC_MINOR O_APPEND FASYNC O_CLOEXEC O_CREAT \
	O_DIRECT O_DIRECTORY O_DSYNC O_EXCL O_LARGEFILE O_NOATIME O_NOCTTY \
	O_NOFOLLOW O_NONBLOCK O_NDELAY O_PATH O_SYNC O_TMPFILE O_TRUNC O_ACCMODE \
	O_RDONLY O_WRONLY O_RDWR

# kernel: workqueue, sync::Completion, task; kelfix::kthread.
kelfix-bindgen-headers += linux/workqueue.h linux/timer.h linux/completion.h \
	linux/sched/task.h linux/sched/signal.h linux/pid.h linux/cred.h linux/kthread.h
kelfix-bindgen-functions += queue_work_on queue_delayed_work_on \
	init_completion complete_all wait_for_completion \
	get_current get_task_struct put_task_struct wake_up_process signal_pending \
	current_euid from_kuid current_user_ns uid_eq \
	kthread_stop kthread_should_stop
kelfix-bindgen-types += workqueue_struct work_struct delayed_work timer_list completion \
	task_struct pid_t kuid_t uid_t
# system_wq and system_unbound_wq (deprecated in 7.2) go through
# helpers/kelfix_workqueue.c.
kelfix-bindgen-vars += system_highpri_wq system_long_wq system_freezable_wq \
	system_power_efficient_wq system_freezable_power_efficient_wq
kelfix-bindgen-constants += WORK_CPU_UNBOUND TIMER_IRQSAFE

# kernel: time (delay, hrtimer), page, sizes; kelfix::timer.
# hrtimer_setup (6.13 on; hrtimer_init before), alloc_pages (a variadic
# macro from 6.10), kmap_local_page (5.11 on) and the timer_list calls
# renamed over the releases go through helpers/kelfix_time.c and
# helpers/kelfix_page.c.
kelfix-bindgen-headers += linux/ktime.h linux/timekeeping.h linux/jiffies.h \
	linux/delay.h linux/hrtimer.h linux/timer.h linux/highmem.h linux/sizes.h
kelfix-bindgen-functions += ktime_get ktime_get_real ktime_get_boottime \
	ktime_get_clocktai __msecs_to_jiffies __usecs_to_jiffies fsleep udelay \
	hrtimer_start_range_ns hrtimer_cancel hrtimer_forward hrtimer_get_expires \
	__free_pages page_to_nid
kelfix-bindgen-types += hrtimer hrtimer_mode hrtimer_restart clockid_t ktime_t \
	timer_list page
kelfix-bindgen-constants += NSEC_PER_USEC NSEC_PER_MSEC NSEC_PER_SEC \
	CLOCK_MONOTONIC CLOCK_REALTIME CLOCK_BOOTTIME CLOCK_TAI MAX_UDELAY_MS \
	PAGE_SHIFT SZ_1K SZ_2K SZ_4K SZ_8K SZ_16K SZ_32K SZ_64K SZ_128K SZ_256K \
	SZ_512K SZ_1M SZ_2M SZ_4M SZ_8M SZ_16M SZ_32M SZ_64M SZ_128M SZ_256M \
	SZ_512M SZ_1G SZ_2G

# kernel: debugfs, seq_file; kelfix::proc.
# debugfs_create_file (a _Generic macro from 6.13 on) and the proc data
# of an inode (PDE_DATA up to 5.16, pde_data after) go through
# helpers/kelfix_debugfs.c.
kelfix-bindgen-headers += linux/debugfs.h linux/seq_file.h linux/proc_fs.h
kelfix-bindgen-functions += debugfs_create_dir debugfs_remove seq_read seq_lseek \
	seq_write single_open single_release simple_open default_llseek \
	proc_create_data proc_remove
kelfix-bindgen-types += dentry seq_file proc_dir_entry proc_ops file_operations \
	inode file loff_t umode_t
kelfix-bindgen-vars += __this_module

# kernel: configfs; kelfix::sysfs.
# configfs.ko's functions are called only from generic code (and no C
# helper), so only a module that uses kernel::configfs depends on configfs.
# What differs between kernels: config_item_type's ops pointers are const
# from 7.x on (configfs.rs's ops_ptr stores either kind); 7.x puts
# kobj_attribute's callbacks and attribute_group's attrs in unions
# (helpers/kelfix_sysfs.c sets them). mutex_destroy: Subsystem's su_mutex.
kelfix-bindgen-headers += linux/configfs.h linux/kobject.h linux/sysfs.h
kelfix-bindgen-functions += config_group_init_type_name configfs_register_subsystem \
	configfs_unregister_subsystem config_item_put mutex_destroy \
	kobject_create_and_add kobject_put sysfs_create_group sysfs_remove_group
kelfix-bindgen-types += configfs_subsystem config_group config_item config_item_type \
	configfs_attribute configfs_group_operations configfs_item_operations \
	kobject kobj_attribute attribute attribute_group
kelfix-bindgen-vars += kernel_kobj

# kernel: rbtree. rb_link_node is a static inline (kelfix-bindgen wraps
# it); the rest are exported from lib/rbtree.c on every kernel.
kelfix-bindgen-headers += linux/rbtree.h
kelfix-bindgen-functions += rb_insert_color rb_erase rb_replace_node rb_first \
	rb_last rb_next rb_prev rb_first_postorder rb_next_postorder rb_link_node
kelfix-bindgen-types += rb_root rb_node

# kernel: bits, bug, cred, processor.
# WARN() (a statement macro whose WARNING line names its own file) goes
# through helpers/kelfix_bug.c.
kelfix-bindgen-headers += linux/bug.h linux/processor.h linux/cred.h linux/security.h
kelfix-bindgen-functions += cpu_relax get_cred put_cred security_cred_getsecid
kelfix-bindgen-types += cred
kelfix-bindgen-constants += BUGFLAG_WARNING TAINT_WARN

kelfix-empty :=
kelfix-space := $(kelfix-empty) $(kelfix-empty)
kelfix-bindgen-alternatives = '$(subst $(kelfix-space),|,$(sort $(strip $(1))))'
# C's types (c_int, c_char = u8, c_long = isize ...) are the kernel crate's
# own, kernel::ffi, as upstream's bindings name them.
kelfix-bindgen-args = --ctypes-prefix crate::ffi \
	--allowlist-function $(call kelfix-bindgen-alternatives,$(kelfix-bindgen-functions)) \
	--allowlist-type $(call kelfix-bindgen-alternatives,$(kelfix-bindgen-types)) \
	--allowlist-var $(call kelfix-bindgen-alternatives,$(kelfix-bindgen-vars)) \
	$(addprefix --constant ,$(sort $(kelfix-bindgen-constants))) $(kelfix-bindgen-headers)
