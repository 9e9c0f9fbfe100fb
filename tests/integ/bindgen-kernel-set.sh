# shellcheck shell=bash disable=SC2034 # the variables are the sourcing script's
# Sourced by the bindgen kernel tests: the header set and allowlists the
# runtime crate needs (ISSUE 6 acceptance), for kelfix-bindgen and for
# rust-bindgen alike.
KX_HEADERS=(linux/module.h linux/fs.h linux/miscdevice.h linux/slab.h linux/uaccess.h
	linux/printk.h linux/mutex.h linux/workqueue.h)
# __kmalloc_index is left out on purpose: a compile-time-only inline
# (BUILD_BUG_ON on a non-constant size), it cannot have a wrapper.
KX_FUNCS='_printk|kmalloc|__kmalloc|__kmalloc_noprof|krealloc|kfree|copy_to_user|_copy_to_user|copy_from_user|_copy_from_user|misc_register|misc_deregister|mutex_lock|mutex_unlock|__mutex_init|schedule_work|queue_work_on'
KX_TYPES='file_operations|miscdevice|mutex|work_struct|inode|file'
KX_CONSTS=(GFP_KERNEL O_NONBLOCK EFAULT EINVAL MISC_DYNAMIC_MINOR)
