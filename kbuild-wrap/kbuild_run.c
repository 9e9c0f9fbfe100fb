// SPDX-License-Identifier: GPL-2.0-only
/* Running a program with captured output: see kbuild_run.h. */
#include "kbuild_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* environ without the variables named in unset (NULL: all of them).  The
 * array is ours, the strings stay environ's. */
static char **env_without(const char *const unset[])
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 1, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		bool drop = false;

		for (size_t u = 0; unset && unset[u] && !drop; u++) {
			size_t len = strlen(unset[u]);

			drop = !strncmp(environ[i], unset[u], len) && environ[i][len] == '=';
		}
		if (!drop)
			env[k++] = environ[i];
	}
	return env;
}

/* Appends what one read() of fd gives to o.  1: more may come, 0: end of
 * file, -errno. */
static int output_read(int fd, struct kb_output *o)
{
	char chunk[8192];
	ssize_t got = read(fd, chunk, sizeof(chunk));
	char *p;

	if (got < 0)
		return errno == EINTR ? 1 : -errno;
	if (got == 0)
		return 0;
	p = realloc(o->buf, o->len + (size_t)got + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p + o->len, chunk, (size_t)got);
	o->len += (size_t)got;
	p[o->len] = '\0';
	o->buf = p;
	return 1;
}

/* Makes an output that got nothing an empty string. */
static int output_terminate(struct kb_output *o)
{
	if (!o->buf)
		o->buf = calloc(1, 1);
	return o->buf ? 0 : -ENOMEM;
}

/* Reads both pipes to their ends; closes them. */
static int drain(int out_fd, int err_fd, struct kb_run *r)
{
	struct pollfd p[2] = { { out_fd, POLLIN, 0 }, { err_fd, POLLIN, 0 } };
	struct kb_output *o[2] = { &r->out, &r->err };
	int open = 2, err = 0;

	while (open && !err) {
		if (poll(p, 2, -1) < 0) {
			if (errno != EINTR)
				err = -errno;
			continue;
		}
		for (int i = 0; i < 2 && !err; i++) {
			int got;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			got = output_read(p[i].fd, o[i]);
			if (got < 0)
				err = got;
			else if (got == 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open--;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	return err;
}

static int spawn(char *const argv[], char **env, int out_fd, int err_fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int err;

	err = posix_spawn_file_actions_init(&fa);
	if (err)
		return -err;
	err = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	if (!err)
		err = posix_spawnp(pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	return -err;
}

static void wait_status(pid_t pid, struct kb_run *r)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status)) {
		r->exit_code = WEXITSTATUS(status);
	} else {
		r->exit_code = -1;
		r->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	}
}

int kb_run(char *const argv[], const char *const unset_env[], struct kb_run *r)
{
	int out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	char **env;
	pid_t pid;
	int err;

	memset(r, 0, sizeof(*r));
	r->exit_code = -1;
	env = env_without(unset_env);
	if (!env)
		return -ENOMEM;
	if (pipe2(out, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		err = -errno;
		goto out;
	}
	err = spawn(argv, env, out[1], errp[1], &pid);
	close(out[1]);
	close(errp[1]);
	out[1] = errp[1] = -1;
	if (err)
		goto out;
	err = drain(out[0], errp[0], r);
	out[0] = errp[0] = -1; /* drain closed them */
	wait_status(pid, r);
	if (!err)
		err = output_terminate(&r->out);
	if (!err)
		err = output_terminate(&r->err);
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	free(env);
	return err;
}

void kb_run_free(struct kb_run *r)
{
	free(r->out.buf);
	free(r->err.buf);
	memset(r, 0, sizeof(*r));
}
