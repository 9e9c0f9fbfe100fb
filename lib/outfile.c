// SPDX-License-Identifier: GPL-2.0-only
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"

static int report(const struct kx_outfile *f, const char *what, int err)
{
	kx_report_file(KX_ERROR, f->path, "%s: %s", what, strerror(-err));
	return err;
}

/* The directory part of path ("." if none), a new string; NULL: ENOMEM. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int open_named(struct kx_outfile *f)
{
	size_t n = strlen(f->path) + 16;
	mode_t mask;

	f->tmp = malloc(n);
	if (!f->tmp)
		return -ENOMEM;
	snprintf(f->tmp, n, "%s.kelfix-XXXXXX", f->path);
	f->fd = mkstemp(f->tmp);
	if (f->fd < 0) {
		int err = -errno;

		free(f->tmp);
		f->tmp = NULL;
		return report(f, "cannot create a file beside it", err);
	}
	/* mkstemp makes 0600; give the mode a plain create would have. */
	mask = umask(0);
	umask(mask);
	fchmod(f->fd, 0666 & ~mask);
	return 0;
}

int kx_outfile_open(struct kx_outfile *f, const char *path)
{
	char *dir = dir_of(path);
	int err;

	f->path = path;
	f->tmp = NULL;
	f->fd = -1;
	if (!dir)
		return -ENOMEM;
	/* Readable too: the link's own checks read it back before it is named. */
	f->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
	err = f->fd < 0 ? -errno : 0;
	free(dir);
	f->unnamed = f->fd >= 0;
	if (f->unnamed)
		return 0;
	if (err != -EOPNOTSUPP && err != -EISDIR && err != -EINVAL)
		return report(f, "cannot create a file in its directory", err);
	return open_named(f);
}

int kx_outfile_sync(struct kx_outfile *f)
{
	return fsync(f->fd) ? report(f, "write failed", -errno) : 0;
}

/* Room for ".kelfix-<pid>-<n>" after an unnamed file's target. */
#define TMP_SUFFIX_ROOM 40

/* A file made by mkstemp is complete once closed; an unnamed one keeps its
 * descriptor (it is named through it) and gets room for its temporary
 * name now, so the naming steps allocate nothing. */
static int finish_writing(struct kx_outfile *f)
{
	int err = 0;

	if (!f->unnamed) {
		if (close(f->fd))
			err = report(f, "write failed", -errno);
		f->fd = -1;
		return err;
	}
	f->tmp = malloc(strlen(f->path) + TMP_SUFFIX_ROOM);
	return f->tmp ? 0 : -ENOMEM;
}

/* Give an unnamed file a temporary name beside its target. */
static int link_unnamed(struct kx_outfile *f)
{
	char proc[64];
	size_t n = strlen(f->path) + TMP_SUFFIX_ROOM;
	unsigned i;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->fd);
	for (i = 0; i < 100; i++) {
		snprintf(f->tmp, n, "%s.kelfix-%ld-%u", f->path, (long)getpid(), i);
		if (!linkat(AT_FDCWD, proc, AT_FDCWD, f->tmp, AT_SYMLINK_FOLLOW))
			return 0;
		if (errno != EEXIST)
			break;
	}
	return -errno;
}

/* Over an existing regular file, the two names are exchanged and the old
 * file, now under the temporary name, is removed (*old_err if it cannot
 * be): the target names a whole file at every moment, as with rename.  A
 * rename over an existing file makes ext4 (its auto_da_alloc default)
 * start writing the new data out at once, in the renaming process:
 * 0.14 ms a file here, two files per link.  With --sync the data is on
 * disk before either way. */
static int place(struct kx_outfile *f, int *old_err)
{
	struct stat st;

	*old_err = 0;
	if (!lstat(f->path, &st) && S_ISREG(st.st_mode) &&
	    !renameat2(AT_FDCWD, f->tmp, AT_FDCWD, f->path, RENAME_EXCHANGE)) {
		if (unlink(f->tmp))
			*old_err = -errno;
		return 0;
	}
	/* Not over a regular file, or no exchange here: a rename. */
	return rename(f->tmp, f->path) ? -errno : 0;
}

/* What the naming steps did. */
enum publish_failure { FAIL_PLACE, FAIL_NAME, FAIL_HELPER };

static const char *const publish_failures[] = {
	[FAIL_PLACE] = "cannot rename the new file into place",
	[FAIL_NAME] = "cannot name the new file",
	[FAIL_HELPER] = "the process renaming the new file into place was killed",
};

struct publish_result {
	unsigned done; /* files in place */
	int err;       /* the failure at file 'done', a negative errno; 0 if none */
	enum publish_failure failure;
	int old_err; /* the old file of 'old_at' could not be removed */
	unsigned old_at;
};

/* Name and place each file in turn; stop at the first failure, leaving no
 * temporary name of ours behind.  Runs in the helper: no allocation, no
 * output. */
static void publish_steps(struct kx_outfile *const *f, size_t n, struct publish_result *r)
{
	for (r->done = 0; r->done < n; r->done++) {
		struct kx_outfile *o = f[r->done];
		int old_err = 0;

		if (o->unnamed) {
			r->err = link_unnamed(o);
			r->failure = r->err ? FAIL_NAME : FAIL_PLACE;
		}
		if (!r->err) {
			r->err = place(o, &old_err);
			if (r->err && o->unnamed)
				unlink(o->tmp);
		}
		if (r->err)
			return;
		if (old_err && !r->old_err) {
			r->old_err = old_err;
			r->old_at = r->done;
		}
	}
}

/*
 * The naming steps run in a helper process that shares kelfix's memory
 * (vfork), with every signal that can be blocked blocked: SIGKILL ends
 * kelfix but not the helper, Ctrl-C waits for it.  So no kill leaves a
 * temporary name between a linkat() and the rename after it (Linux cannot
 * put an unnamed file in place of another in one call).  The result comes
 * back through a pipe, which works where vfork is a fork too (valgrind).
 * Where no helper can start, the steps run here, signals still blocked.
 */
static void publish_in_helper(struct kx_outfile *const *f, size_t n, struct publish_result *r)
{
	int pipefd[2];
	pid_t pid = -1;

	if (!pipe2(pipefd, O_CLOEXEC)) {
		pid = vfork();
		if (pid == 0) {
			publish_steps(f, n, r);
			_exit(write(pipefd[1], r, sizeof(*r)) == (ssize_t)sizeof(*r) ? 0 : 1);
		}
		close(pipefd[1]);
		if (pid > 0) {
			waitpid(pid, NULL, 0);
			if (read(pipefd[0], r, sizeof(*r)) != (ssize_t)sizeof(*r))
				*r = (struct publish_result){ .err = -EINTR,
							      .failure = FAIL_HELPER };
		}
		close(pipefd[0]);
	}
	if (pid < 0)
		publish_steps(f, n, r);
}

int kx_outfile_publish(struct kx_outfile *const *f, size_t n, size_t *done)
{
	struct publish_result r = { 0 };
	sigset_t all, old;
	size_t i;
	int err = 0;

	*done = 0;
	for (i = 0; i < n && !err; i++)
		err = finish_writing(f[i]);
	if (err)
		return err;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	publish_in_helper(f, n, &r);
	sigprocmask(SIG_SETMASK, &old, NULL);
	/* The temporary names of placed files are gone, and an unnamed file
	 * that was not placed has none: only a named temporary stays for
	 * kx_outfile_abort to remove. */
	for (i = 0; i < n; i++) {
		if (i < r.done || f[i]->unnamed) {
			free(f[i]->tmp);
			f[i]->tmp = NULL;
		}
	}
	*done = r.done;
	if (r.old_err)
		kx_report_file(KX_WARN, f[r.old_at]->path,
			       "cannot remove the previous file, left beside it as %s.kelfix-*: %s",
			       f[r.old_at]->path, strerror(-r.old_err));
	if (!r.err)
		return 0;
	if (r.failure == FAIL_HELPER) {
		kx_report_file(KX_ERROR, f[r.done]->path, "%s", publish_failures[r.failure]);
		return r.err;
	}
	return report(f[r.done], publish_failures[r.failure], r.err);
}

void kx_outfile_abort(struct kx_outfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->tmp && !f->unnamed)
		unlink(f->tmp);
	free(f->tmp);
	f->tmp = NULL;
}
