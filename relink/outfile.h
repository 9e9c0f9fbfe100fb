/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Output files that appear whole or not at all.  The data goes to an
 * unnamed file in the target's directory (O_TMPFILE; a named temporary
 * where the file system has no O_TMPFILE), which gets a temporary name only
 * once it is complete (and, if the caller wants it durable, synced), and
 * then takes the target's name: renamed over it, or, over a regular file,
 * exchanged with it and the old file removed.  A process killed while
 * writing leaves nothing behind.
 */
#ifndef KELFIX_OUTFILE_H
#define KELFIX_OUTFILE_H

#include <stdbool.h>

struct kx_outfile {
	const char *path; /* the target */
	char *tmp; /* the temporary name, once it has one */
	int fd;
};

/* Returns 0 or a negative errno (reported, naming path). */
int kx_outfile_open(struct kx_outfile *f, const char *path);
/* Sync the data to disk (the slow part). */
int kx_outfile_sync(struct kx_outfile *f);
/* Give the complete data its temporary name; closes the fd.  Quick: do it
 * for every output after all are written, right before publishing, so a
 * kill leaves a named temporary only in that short window. */
int kx_outfile_commit(struct kx_outfile *f);
/* Put the committed file in the target's place, as a rename would. */
int kx_outfile_publish(struct kx_outfile *f);
/* Drop whatever exists of it (never the target). Safe to call twice. */
void kx_outfile_abort(struct kx_outfile *f);

#endif
