// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: one input (an archive or an object) through the audit
 * (every check, the decoder included) and every relink pass, the writer
 * included (into a memory file), twice: read from memory and from a file
 * libelf maps (the two ways members are read, lib/object.h).
 * Diagnostics go to /dev/null; a crash, a sanitizer report or a leak is a
 * finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "audit.h"
#include "diag.h"
#include "link.h"

static FILE *devnull;
static int infd = -1, outfd = -1;

static void setup(void)
{
	elf_version(EV_CURRENT);
	devnull = fopen("/dev/null", "w");
	infd = memfd_create("kelfix-fuzz-in", MFD_CLOEXEC);
	outfd = memfd_create("kelfix-fuzz-out", MFD_CLOEXEC);
}

/* Every check of the audit over the objects as read (before any pass). */
static void audit(struct kx_inputs *in)
{
	struct kx_audit_opts ao = { 0 };
	struct kx_audit a;

	if (kx_audit_init(&a, &ao))
		return;
	kx_audit_objects(&a, "fuzz-input", in->objs, in->nobjs);
	kx_audit_free(&a);
}

/* The audit, the passes and the writer over what in holds. */
static void link_and_write(struct kx_link *l, int err)
{
	if (!err)
		audit(&l->in);
	if (!err)
		err = kx_link_passes(l);
	if (!err && outfd >= 0 && !ftruncate(outfd, 0) && lseek(outfd, 0, SEEK_SET) == 0)
		kx_link_write_fd(l, outfd);
}

/* From memory: every archive's members let go once loaded and opened
 * again, two at a time, as in a large archive (lib/object.h). */
static void from_memory(const uint8_t *data, size_t size, const struct kx_options *opt)
{
	struct kx_link l;
	char *image = malloc(size ? size : 1);

	if (!image)
		return;
	memcpy(image, data, size);
	if (kx_link_init(&l, opt)) {
		free(image);
		return;
	}
	l.in.release_min = 1;
	l.in.reopened.max = 2;
	link_and_write(&l, kx_inputs_add_mem(&l.in, "fuzz-input", image, size));
	kx_link_free(&l);
	free(image);
}

/* From a file libelf maps: members read in place (kx_object.image). */
static void from_file(const uint8_t *data, size_t size, const struct kx_options *opt)
{
	struct kx_link l;

	if (infd < 0 || ftruncate(infd, 0) || pwrite(infd, data, size, 0) != (ssize_t)size)
		return;
	if (kx_link_init(&l, opt))
		return;
	link_and_write(&l, kx_inputs_add_fd(&l.in, "fuzz-input", infd));
	kx_link_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kx_options opt = { .output = "fuzz.o", .no_license = true, .no_cmd = true };

	if (!devnull)
		setup();
	kx_diag_reset(devnull, "fuzz");
	from_memory(data, size, &opt);
	from_file(data, size, &opt);
	return 0;
}
