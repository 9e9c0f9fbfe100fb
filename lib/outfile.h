/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Output files that appear whole or not at all.  The data goes to an
 * unnamed file in the target's directory (O_TMPFILE; a named temporary
 * where the file system has no O_TMPFILE).  Once every output of a run is
 * complete (and, if the caller wants it durable, synced), each gets a
 * temporary name and takes its target's name: renamed over it, or, over a
 * regular file, exchanged with it and the old file removed.  Those steps
 * run in a helper process that a kill of kelfix does not stop, so a
 * process killed at any moment leaves the old outputs or the new ones and
 * nothing else (with a named temporary, a kill while writing leaves it).
 */
#ifndef KELFIX_OUTFILE_H
#define KELFIX_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

struct kx_outfile {
	const char *path; /* the target */
	char *tmp;	  /* the temporary name, once it has one */
	int fd;
	bool unnamed; /* O_TMPFILE: named only when published */
};

/* Returns 0 or a negative errno (reported, naming path). */
int kx_outfile_open(struct kx_outfile *f, const char *path);
/* Sync the data to disk (the slow part). */
int kx_outfile_sync(struct kx_outfile *f);
/*
 * Put the n complete files in their targets' places, in order, as one step
 * that signals do not interrupt.  *done is how many are in place.  Returns
 * 0 or a negative errno (reported, naming the file).  kx_outfile_abort
 * each file afterwards: it closes it and removes what a failure left.
 */
int kx_outfile_publish(struct kx_outfile *const *f, size_t n, size_t *done);
/* Drop whatever exists of it (never the target). Safe to call twice. */
void kx_outfile_abort(struct kx_outfile *f);

#endif
