// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C half of the `kernel` crate's core: see kelfix_core.h.
 * Compiled by kbuild into each module (kelfix.mk adds rust/helpers/*.c).
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/version.h>
#include <linux/vmalloc.h>

#include "kelfix_core.h"

void __noreturn kelfix_core_bug(void)
{
	BUG();
}

void kelfix_core_printk(char level, const char *prefix, const char *msg, int len)
{
	/*
	 * printk reads the level from the start of the formatted text
	 * (KERN_SOH, then the level character: include/linux/kern_levels.h).
	 */
	if (prefix)
		printk("%c%c%s: %.*s", KERN_SOH_ASCII, level, prefix, len, msg);
	else
		printk("%c%c%.*s", KERN_SOH_ASCII, level, len, msg);
}

int kelfix_core_hashed_ptr(char *buf, size_t len, const void *ptr)
{
	return scnprintf(buf, len, "%p", ptr);
}

/* The names of the errnos, by number (uapi asm-generic/errno{-base}.h). */
#define KELFIX_ERRNAME(e) [e] = #e
static const char *const kelfix_errnames[] = {
	KELFIX_ERRNAME(EPERM),
	KELFIX_ERRNAME(ENOENT),
	KELFIX_ERRNAME(ESRCH),
	KELFIX_ERRNAME(EINTR),
	KELFIX_ERRNAME(EIO),
	KELFIX_ERRNAME(ENXIO),
	KELFIX_ERRNAME(E2BIG),
	KELFIX_ERRNAME(ENOEXEC),
	KELFIX_ERRNAME(EBADF),
	KELFIX_ERRNAME(ECHILD),
	KELFIX_ERRNAME(EAGAIN),
	KELFIX_ERRNAME(ENOMEM),
	KELFIX_ERRNAME(EACCES),
	KELFIX_ERRNAME(EFAULT),
	KELFIX_ERRNAME(ENOTBLK),
	KELFIX_ERRNAME(EBUSY),
	KELFIX_ERRNAME(EEXIST),
	KELFIX_ERRNAME(EXDEV),
	KELFIX_ERRNAME(ENODEV),
	KELFIX_ERRNAME(ENOTDIR),
	KELFIX_ERRNAME(EISDIR),
	KELFIX_ERRNAME(EINVAL),
	KELFIX_ERRNAME(ENFILE),
	KELFIX_ERRNAME(EMFILE),
	KELFIX_ERRNAME(ENOTTY),
	KELFIX_ERRNAME(ETXTBSY),
	KELFIX_ERRNAME(EFBIG),
	KELFIX_ERRNAME(ENOSPC),
	KELFIX_ERRNAME(ESPIPE),
	KELFIX_ERRNAME(EROFS),
	KELFIX_ERRNAME(EMLINK),
	KELFIX_ERRNAME(EPIPE),
	KELFIX_ERRNAME(EDOM),
	KELFIX_ERRNAME(ERANGE),
	KELFIX_ERRNAME(EDEADLK),
	KELFIX_ERRNAME(ENAMETOOLONG),
	KELFIX_ERRNAME(ENOLCK),
	KELFIX_ERRNAME(ENOSYS),
	KELFIX_ERRNAME(ENOTEMPTY),
	KELFIX_ERRNAME(ELOOP),
	KELFIX_ERRNAME(ENOMSG),
	KELFIX_ERRNAME(EIDRM),
	KELFIX_ERRNAME(ECHRNG),
	KELFIX_ERRNAME(EL2NSYNC),
	KELFIX_ERRNAME(EL3HLT),
	KELFIX_ERRNAME(EL3RST),
	KELFIX_ERRNAME(ELNRNG),
	KELFIX_ERRNAME(EUNATCH),
	KELFIX_ERRNAME(ENOCSI),
	KELFIX_ERRNAME(EL2HLT),
	KELFIX_ERRNAME(EBADE),
	KELFIX_ERRNAME(EBADR),
	KELFIX_ERRNAME(EXFULL),
	KELFIX_ERRNAME(ENOANO),
	KELFIX_ERRNAME(EBADRQC),
	KELFIX_ERRNAME(EBADSLT),
	KELFIX_ERRNAME(EBFONT),
	KELFIX_ERRNAME(ENOSTR),
	KELFIX_ERRNAME(ENODATA),
	KELFIX_ERRNAME(ETIME),
	KELFIX_ERRNAME(ENOSR),
	KELFIX_ERRNAME(ENONET),
	KELFIX_ERRNAME(ENOPKG),
	KELFIX_ERRNAME(EREMOTE),
	KELFIX_ERRNAME(ENOLINK),
	KELFIX_ERRNAME(EADV),
	KELFIX_ERRNAME(ESRMNT),
	KELFIX_ERRNAME(ECOMM),
	KELFIX_ERRNAME(EPROTO),
	KELFIX_ERRNAME(EMULTIHOP),
	KELFIX_ERRNAME(EDOTDOT),
	KELFIX_ERRNAME(EBADMSG),
	KELFIX_ERRNAME(EOVERFLOW),
	KELFIX_ERRNAME(ENOTUNIQ),
	KELFIX_ERRNAME(EBADFD),
	KELFIX_ERRNAME(EREMCHG),
	KELFIX_ERRNAME(ELIBACC),
	KELFIX_ERRNAME(ELIBBAD),
	KELFIX_ERRNAME(ELIBSCN),
	KELFIX_ERRNAME(ELIBMAX),
	KELFIX_ERRNAME(ELIBEXEC),
	KELFIX_ERRNAME(EILSEQ),
	KELFIX_ERRNAME(ERESTART),
	KELFIX_ERRNAME(ESTRPIPE),
	KELFIX_ERRNAME(EUSERS),
	KELFIX_ERRNAME(ENOTSOCK),
	KELFIX_ERRNAME(EDESTADDRREQ),
	KELFIX_ERRNAME(EMSGSIZE),
	KELFIX_ERRNAME(EPROTOTYPE),
	KELFIX_ERRNAME(ENOPROTOOPT),
	KELFIX_ERRNAME(EPROTONOSUPPORT),
	KELFIX_ERRNAME(ESOCKTNOSUPPORT),
	KELFIX_ERRNAME(EOPNOTSUPP),
	KELFIX_ERRNAME(EPFNOSUPPORT),
	KELFIX_ERRNAME(EAFNOSUPPORT),
	KELFIX_ERRNAME(EADDRINUSE),
	KELFIX_ERRNAME(EADDRNOTAVAIL),
	KELFIX_ERRNAME(ENETDOWN),
	KELFIX_ERRNAME(ENETUNREACH),
	KELFIX_ERRNAME(ENETRESET),
	KELFIX_ERRNAME(ECONNABORTED),
	KELFIX_ERRNAME(ECONNRESET),
	KELFIX_ERRNAME(ENOBUFS),
	KELFIX_ERRNAME(EISCONN),
	KELFIX_ERRNAME(ENOTCONN),
	KELFIX_ERRNAME(ESHUTDOWN),
	KELFIX_ERRNAME(ETOOMANYREFS),
	KELFIX_ERRNAME(ETIMEDOUT),
	KELFIX_ERRNAME(ECONNREFUSED),
	KELFIX_ERRNAME(EHOSTDOWN),
	KELFIX_ERRNAME(EHOSTUNREACH),
	KELFIX_ERRNAME(EALREADY),
	KELFIX_ERRNAME(EINPROGRESS),
	KELFIX_ERRNAME(ESTALE),
	KELFIX_ERRNAME(EUCLEAN),
	KELFIX_ERRNAME(ENOTNAM),
	KELFIX_ERRNAME(ENAVAIL),
	KELFIX_ERRNAME(EISNAM),
	KELFIX_ERRNAME(EREMOTEIO),
	KELFIX_ERRNAME(EDQUOT),
	KELFIX_ERRNAME(ENOMEDIUM),
	KELFIX_ERRNAME(EMEDIUMTYPE),
	KELFIX_ERRNAME(ECANCELED),
	KELFIX_ERRNAME(ENOKEY),
	KELFIX_ERRNAME(EKEYEXPIRED),
	KELFIX_ERRNAME(EKEYREVOKED),
	KELFIX_ERRNAME(EKEYREJECTED),
	KELFIX_ERRNAME(EOWNERDEAD),
	KELFIX_ERRNAME(ENOTRECOVERABLE),
	KELFIX_ERRNAME(ERFKILL),
	KELFIX_ERRNAME(EHWPOISON),
#ifdef EFTYPE
	KELFIX_ERRNAME(EFTYPE),
#endif
};

/* The kernel-internal errnos from 512 on (include/linux/errno.h). */
#define KELFIX_ERRNAME_HIGH(e) [(e)-ERESTARTSYS] = #e
static const char *const kelfix_errnames_high[] = {
	KELFIX_ERRNAME_HIGH(ERESTARTSYS),
	KELFIX_ERRNAME_HIGH(ERESTARTNOINTR),
	KELFIX_ERRNAME_HIGH(ERESTARTNOHAND),
	KELFIX_ERRNAME_HIGH(ENOIOCTLCMD),
	KELFIX_ERRNAME_HIGH(ERESTART_RESTARTBLOCK),
	KELFIX_ERRNAME_HIGH(EPROBE_DEFER),
	KELFIX_ERRNAME_HIGH(EOPENSTALE),
	KELFIX_ERRNAME_HIGH(ENOPARAM),
	KELFIX_ERRNAME_HIGH(EBADHANDLE),
	KELFIX_ERRNAME_HIGH(ENOTSYNC),
	KELFIX_ERRNAME_HIGH(EBADCOOKIE),
	KELFIX_ERRNAME_HIGH(ENOTSUPP),
	KELFIX_ERRNAME_HIGH(ETOOSMALL),
	KELFIX_ERRNAME_HIGH(ESERVERFAULT),
	KELFIX_ERRNAME_HIGH(EBADTYPE),
	KELFIX_ERRNAME_HIGH(EJUKEBOX),
	KELFIX_ERRNAME_HIGH(EIOCBQUEUED),
	KELFIX_ERRNAME_HIGH(ERECALLCONFLICT),
	KELFIX_ERRNAME_HIGH(ENOGRACE),
};

const char *kelfix_core_errname(int err)
{
	unsigned int e = err < 0 ? -(unsigned int)err : err;

	if (e < ARRAY_SIZE(kelfix_errnames))
		return kelfix_errnames[e];
	if (e >= ERESTARTSYS && e - ERESTARTSYS < ARRAY_SIZE(kelfix_errnames_high))
		return kelfix_errnames_high[e - ERESTARTSYS];
	return NULL;
}

void *kelfix_core_krealloc(const void *p, size_t old_size, size_t size, gfp_t flags, int nid)
{
	if (!size) {
		kfree(p);
		return NULL;
	}
	if (!p)
		return kmalloc_node(size, flags, nid);
	/* krealloc() keeps the block's node; it ignores old_size. */
	return krealloc(p, size, flags);
}

/* A new vmalloc block of SIZE bytes on node NID (NUMA_NO_NODE: any). */
static void *kelfix_core_vmalloc(size_t size, gfp_t flags, int nid)
{
	if (nid == NUMA_NO_NODE)
		return __vmalloc(size, flags);
	/* vmalloc_node() and vzalloc_node() take no flags but zeroing. */
	if (flags & __GFP_ZERO)
		return vzalloc_node(size, nid);
	return vmalloc_node(size, nid);
}

void *kelfix_core_vrealloc(const void *p, size_t old_size, size_t size, gfp_t flags, int nid)
{
	void *q;

	if (!size) {
		vfree(p);
		return NULL;
	}
	if (!p)
		return kelfix_core_vmalloc(size, flags, nid);
	/* A vmalloc block is whole pages: it keeps what it has when shrunk. */
	if (size <= old_size)
		return (void *)p;
	q = kelfix_core_vmalloc(size, flags, nid);
	if (!q)
		return NULL;
	memcpy(q, p, old_size);
	vfree(p);
	return q;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
/*
 * kvrealloc() before 6.12: it took the old size, and 5.10 has it only
 * through Debian's backport; a new block and a copy serve everywhere.
 */
static void *kelfix_core_kvmove(const void *p, size_t old_size, size_t size, gfp_t flags, int nid)
{
	void *q = kvmalloc_node(size, flags, nid);

	if (!q)
		return NULL;
	memcpy(q, p, min(old_size, size));
	kvfree(p);
	return q;
}
#endif

void *kelfix_core_kvrealloc(const void *p, size_t old_size, size_t size, gfp_t flags, int nid)
{
	if (!size) {
		kvfree(p);
		return NULL;
	}
	if (!p)
		return kvmalloc_node(size, flags, nid);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	/* From 6.12 kvrealloc() takes (p, size, flags) and may resize in place. */
	return kvrealloc(p, size, flags);
#else
	return kelfix_core_kvmove(p, old_size, size, flags, nid);
#endif
}
