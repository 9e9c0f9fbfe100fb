// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C half of the kelfix runtime crate: see kelfix_rt.h. Compiled by
 * kbuild as part of each module (kelfix.mk adds it), so every kernel
 * interface below is the one of the kernel being built for.
 */
#include <linux/bug.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kelfix_rt.h"

/* ------------------------------------------------------------- printk */

/* include/linux/kern_levels.h: KERN_EMERG (0) ... KERN_DEBUG (7). */
static const char *const kelfix_rt_printk_fmt[] = {
	KERN_EMERG "%.*s\n",  KERN_ALERT "%.*s\n", KERN_CRIT "%.*s\n",
	KERN_ERR "%.*s\n",    KERN_WARNING "%.*s\n", KERN_NOTICE "%.*s\n",
	KERN_INFO "%.*s\n",   KERN_DEBUG "%.*s\n",
};

void kelfix_rt_printk(int level, const char *msg, size_t len)
{
	if (level < 0 || level >= (int)ARRAY_SIZE(kelfix_rt_printk_fmt))
		level = 3; /* KERN_ERR */
	printk(kelfix_rt_printk_fmt[level], (int)min_t(size_t, len, INT_MAX), msg);
}

const char *kelfix_rt_module_name(void)
{
	return THIS_MODULE->name;
}

/* --------------------------------------------------------------- heap */

void *kelfix_rt_kmalloc(size_t size, bool zero)
{
	if (size > KMALLOC_MAX_SIZE)
		return NULL;
	return kmalloc(size, GFP_KERNEL | (zero ? __GFP_ZERO : 0));
}

void *kelfix_rt_krealloc(const void *p, size_t size)
{
	if (size > KMALLOC_MAX_SIZE)
		return NULL;
	return krealloc(p, size, GFP_KERNEL);
}

void kelfix_rt_kfree(const void *p)
{
	kfree(p);
}

/* ---------------------------------------------------------- user copy */

size_t kelfix_rt_copy_to_user(void __user *to, const void *from, size_t n)
{
	return copy_to_user(to, from, n);
}

size_t kelfix_rt_copy_from_user(void *to, const void __user *from, size_t n)
{
	return copy_from_user(to, from, n);
}

/* -------------------------------------------------------------- panic */

void __noreturn kelfix_rt_bug(void)
{
	BUG();
}

/* -------------------------------------------------------------- mutex */

struct mutex *kelfix_rt_mutex_new(void)
{
	struct mutex *m = kmalloc(sizeof(*m), GFP_KERNEL);

	if (m)
		mutex_init(m);
	return m;
}

void kelfix_rt_mutex_lock(struct mutex *m)
{
	mutex_lock(m);
}

void kelfix_rt_mutex_unlock(struct mutex *m)
{
	mutex_unlock(m);
}

void kelfix_rt_mutex_free(struct mutex *m)
{
	if (!m)
		return;
	mutex_destroy(m);
	kfree(m);
}

/* ------------------------------------------------------- misc device */

/*
 * One registration. References: one for the registration, one per open
 * file; the last put frees it and hands CTX back to Rust (ops->free).
 * misc_open() (drivers/char/misc.c) sets file->private_data to the
 * struct miscdevice before calling our open, in 6.1 and 6.12.
 */
struct kelfix_rt_misc {
	struct miscdevice dev;
	struct file_operations fops;
	refcount_t refs;
	const struct kelfix_rt_misc_ops *ops;
	void *ctx;
	char name[];
};

static struct kelfix_rt_misc *kelfix_rt_misc_of(struct file *file)
{
	return container_of(file->private_data, struct kelfix_rt_misc, dev);
}

static void kelfix_rt_misc_put(struct kelfix_rt_misc *m)
{
	if (!refcount_dec_and_test(&m->refs))
		return;
	m->ops->free(m->ctx);
	kfree(m);
}

static int kelfix_rt_misc_open(struct inode *inode, struct file *file)
{
	struct kelfix_rt_misc *m = kelfix_rt_misc_of(file);
	int err;

	refcount_inc(&m->refs);
	err = m->ops->open ? m->ops->open(m->ctx) : 0;
	if (err)
		kelfix_rt_misc_put(m); /* no release follows a failed open */
	return err;
}

static int kelfix_rt_misc_release(struct inode *inode, struct file *file)
{
	struct kelfix_rt_misc *m = kelfix_rt_misc_of(file);

	if (m->ops->release)
		m->ops->release(m->ctx);
	kelfix_rt_misc_put(m);
	return 0;
}

static ssize_t kelfix_rt_misc_read(struct file *file, char __user *buf, size_t len,
				   loff_t *pos)
{
	struct kelfix_rt_misc *m = kelfix_rt_misc_of(file);

	return m->ops->read ? m->ops->read(m->ctx, buf, len, pos) : -EINVAL;
}

static ssize_t kelfix_rt_misc_write(struct file *file, const char __user *buf, size_t len,
				    loff_t *pos)
{
	struct kelfix_rt_misc *m = kelfix_rt_misc_of(file);

	return m->ops->write ? m->ops->write(m->ctx, buf, len, pos) : -EINVAL;
}

int kelfix_rt_misc_register(const char *name, size_t name_len,
			    const struct kelfix_rt_misc_ops *ops, void *ctx,
			    struct kelfix_rt_misc **out)
{
	struct kelfix_rt_misc *m;
	int err;

	if (!name_len || name_len > 64 || memchr(name, '\0', name_len) ||
	    memchr(name, '/', name_len) || !ops || !ops->free)
		return -EINVAL;
	m = kzalloc(struct_size(m, name, name_len + 1), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	memcpy(m->name, name, name_len);
	m->ops = ops;
	m->ctx = ctx;
	refcount_set(&m->refs, 1);
	m->fops.owner = THIS_MODULE;
	m->fops.open = kelfix_rt_misc_open;
	m->fops.release = kelfix_rt_misc_release;
	m->fops.read = kelfix_rt_misc_read;
	m->fops.write = kelfix_rt_misc_write;
	m->fops.llseek = default_llseek;
	m->dev.minor = MISC_DYNAMIC_MINOR;
	m->dev.name = m->name;
	m->dev.fops = &m->fops;
	err = misc_register(&m->dev);
	if (err) {
		kfree(m);
		return err;
	}
	*out = m;
	return 0;
}

void kelfix_rt_misc_deregister(struct kelfix_rt_misc *m)
{
	misc_deregister(&m->dev);
	kelfix_rt_misc_put(m);
}
