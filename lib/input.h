/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The inputs of a link: files named on the command line, each a GNU/System
 * V ar archive or an x86-64 ET_REL object, opened through libelf.  Every
 * archive member becomes one struct kx_object, in archive order.
 */
#ifndef KELFIX_INPUT_H
#define KELFIX_INPUT_H

#include <stddef.h>

#include "object.h"

struct kx_file {
	char *path;
	int fd;
	Elf *elf;    /* the archive, or the object (owned by its kx_object) */
	bool mapped; /* read from libelf's private mapping (kx_object.mapped) */
};

struct kx_inputs {
	size_t nfiles;
	struct kx_file *files;
	size_t nobjs, capobjs;
	struct kx_object **objs;
	/* Archive members are let go once loaded (object.h) in mapped
	 * archives, and in any of at least release_min bytes (0: 16 MiB; the
	 * tests lower it), where their pages also leave the resident set. */
	size_t release_min;
	struct kx_reopened reopened;
};

/* Open path and add its objects.  Returns 0, -ENOEXEC (rejected and
 * reported), -EIO or -ENOMEM. */
int kx_inputs_add(struct kx_inputs *in, const char *path);
/* The same for an open file (not closed by us), named name. */
int kx_inputs_add_fd(struct kx_inputs *in, const char *name, int fd);
/* The same for an image in memory, named name in diagnostics.  image must
 * stay valid until kx_inputs_free(). */
int kx_inputs_add_mem(struct kx_inputs *in, const char *name, void *image, size_t size);
void kx_inputs_free(struct kx_inputs *in);

/* Is an archive member one of Rust's standard library crates? */
bool kx_member_is_stdlib(const char *member);

#endif
