/* SPDX-License-Identifier: MIT */
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "text.h"

extern char **environ;

/* A running command: its pid (also its process group), the read end of its
 * output pipe, a pidfd that becomes readable when it exits, and what it
 * printed so far. */
struct child {
	pid_t pid;
	int out_fd;		/* -1 once at end of file */
	int pid_fd;		/* -1 when the kernel has no pidfd_open */
	char *buf;		/* COMMAND_OUTPUT_MAX + 1 bytes, or NULL (out of memory) */
	size_t have;
	bool reaped;
	int wstatus;
	bool timed_out;
};

static long long monotonic_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Whether extra (NAME=VALUE entries, NULL-terminated) names entry's NAME. */
static bool env_replaced(const char *entry, const char *const *extra)
{
	size_t len = strcspn(entry, "=");

	for (; *extra != NULL; extra++)
		if (strncmp(*extra, entry, len) == 0 && (*extra)[len] == '=')
			return true;
	return false;
}

/* Our environment with extra's entries added or replacing ours: a new array
 * the caller frees, its strings borrowed; NULL when out of memory. */
static char **env_with(const char *const *extra)
{
	size_t ours = 0, more = 0, n = 0;
	char **env;

	while (environ[ours] != NULL)
		ours++;
	while (extra[more] != NULL)
		more++;
	env = calloc(ours + more + 1, sizeof(*env));
	if (env == NULL)
		return NULL;
	for (size_t i = 0; i < ours; i++)
		if (!env_replaced(environ[i], extra))
			env[n++] = environ[i];
	for (size_t i = 0; i < more; i++)
		env[n++] = (char *)extra[i];
	return env;
}

/* Starts argv with stdin from /dev/null and stdout and stderr into a pipe, as
 * the leader of a new process group, with default signal handling and envp. */
static enum status child_start(struct child *c, const char *const argv[], int keep_fd,
			       char *const envp[], const char *name, struct error *err)
{
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	sigset_t none, dflt;
	int pipefd[2], rc;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return error_set(err, STATUS_IO, "cannot run '%s': %s", name, strerror(errno));
	sigemptyset(&none);
	sigfillset(&dflt);
	posix_spawn_file_actions_init(&actions);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDERR_FILENO);
	if (keep_fd >= 0)	/* dup2 onto itself clears close-on-exec */
		posix_spawn_file_actions_adddup2(&actions, keep_fd, keep_fd);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dflt);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(&c->pid, argv[0], &actions, &attr, (char *const *)argv, envp);
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attr);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		return error_set(err, STATUS_IO, "cannot run '%s': %s", name, strerror(rc));
	}
	c->out_fd = pipefd[0];
	fcntl(c->out_fd, F_SETFL, O_NONBLOCK);
	c->pid_fd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	return STATUS_OK;
}

/* Reads what the pipe holds now, keeping the first COMMAND_OUTPUT_MAX bytes;
 * closes it at end of file. */
static void child_read(struct child *c)
{
	char sink[4096];

	while (c->out_fd >= 0) {
		char *dst = c->buf && c->have < COMMAND_OUTPUT_MAX ? c->buf + c->have : sink;
		size_t room = dst == sink ? sizeof(sink) : COMMAND_OUTPUT_MAX - c->have;
		ssize_t n = read(c->out_fd, dst, room);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			close(c->out_fd);
			c->out_fd = -1;
			return;
		}
		if (dst != sink)
			c->have += (size_t)n;
	}
}

static void child_reap(struct child *c, int flags)
{
	pid_t r;

	do
		r = waitpid(c->pid, &c->wstatus, flags);
	while (r < 0 && errno == EINTR);
	if (r == c->pid || (r < 0 && errno == ECHILD))
		c->reaped = true;
}

/* Waits for the command to exit, reading its output meanwhile. At the
 * deadline (0: none) its group gets SIGTERM, and SIGKILL COMMAND_GRACE seconds
 * later. Output still arriving after it exited (from a child it left behind)
 * is not waited for. */
static void child_wait(struct child *c, unsigned timeout)
{
	long long deadline = timeout ? monotonic_ms() + timeout * 1000LL : -1;
	int signals_sent = 0;

	while (!c->reaped) {
		struct pollfd fds[2];
		nfds_t n = 0;
		int wait_ms = -1;

		if (deadline >= 0) {
			long long left = deadline - monotonic_ms();
			if (left <= 0) {
				kill(-c->pid, signals_sent == 0 ? SIGTERM : SIGKILL);
				c->timed_out = true;
				deadline = signals_sent++ == 0 ?
					   monotonic_ms() + COMMAND_GRACE * 1000LL : -1;
				continue;
			}
			wait_ms = left > 1000 ? 1000 : (int)left;
		}
		if (c->pid_fd < 0 && (wait_ms < 0 || wait_ms > 100))
			wait_ms = 100;	/* no pidfd: look for the exit now and then */
		if (c->out_fd >= 0)
			fds[n++] = (struct pollfd){ .fd = c->out_fd, .events = POLLIN };
		if (c->pid_fd >= 0)
			fds[n++] = (struct pollfd){ .fd = c->pid_fd, .events = POLLIN };
		if (poll(fds, n, wait_ms) < 0 && errno != EINTR)
			break;
		child_read(c);
		child_reap(c, WNOHANG);
	}
	if (!c->reaped)
		child_reap(c, 0);
	child_read(c);		/* what is already in the pipe */
}

static enum status describe_exit(const struct child *c, const char *name, unsigned timeout,
				 struct error *err)
{
	int ws = c->wstatus;

	if (c->timed_out)
		return error_set(err, STATUS_IO, "'%s' timed out after %u s and was killed",
				 name, timeout);
	if (!c->reaped)
		return error_set(err, STATUS_IO, "cannot wait for '%s': %s", name,
				 strerror(errno));
	if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0)
		return STATUS_OK;
	if (WIFEXITED(ws))
		return error_set(err, STATUS_IO, "'%s' exited with status %d", name,
				 WEXITSTATUS(ws));
	if (WIFSIGNALED(ws))
		return error_set(err, STATUS_IO, "'%s' was killed by signal %d", name,
				 WTERMSIG(ws));
	return error_set(err, STATUS_IO, "'%s' ended abnormally", name);
}

/* name is what messages call the command. */
static enum status run_named(const char *const argv[], const char *name,
			     const struct command_options *opts, char **output, struct error *err)
{
	struct child c = { .pid = -1, .out_fd = -1, .pid_fd = -1 };
	unsigned timeout = opts ? opts->timeout : 0;
	char **envp = opts && opts->env ? env_with(opts->env) : environ;
	enum status st;

	c.buf = malloc(COMMAND_OUTPUT_MAX + 1);
	if (envp == NULL) {
		st = error_set(err, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	st = child_start(&c, argv, opts ? opts->keep_fd : -1, envp, name, err);
	if (st != STATUS_OK)
		goto out;
	child_wait(&c, timeout);
	st = describe_exit(&c, name, timeout, err);
	/* What a command prints reaches logs and terminals: escape what a terminal
	 * would act on. */
	if (output && c.buf && (*output = text_escape_copy(c.buf, c.have, true)) == NULL)
		st = error_set(err, STATUS_INTERNAL, "out of memory");
	else if (output && c.buf == NULL)
		*output = NULL;
out:
	if (envp != environ)
		free(envp);
	if (c.out_fd >= 0)
		close(c.out_fd);
	if (c.pid_fd >= 0)
		close(c.pid_fd);
	free(c.buf);
	return st;
}

enum status command_run(const char *const argv[], const struct command_options *opts,
		      char **output, struct error *err)
{
	return run_named(argv, argv[0], opts, output, err);
}

enum status command_shell(const char *command, const struct command_options *opts,
			char **output, struct error *err)
{
	const char *argv[] = { "/bin/sh", "-c", command, NULL };

	return run_named(argv, command, opts, output, err);
}

/* Whether the len bytes of line say what went wrong. */
static bool line_tells(const char *line, size_t len)
{
	static const char *const words[] = { "error", "warning", "fail", "cannot", "unable",
					     "denied", "not found" };

	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		for (size_t i = 0; i + strlen(words[w]) <= len; i++)
			if (strncasecmp(line + i, words[w], strlen(words[w])) == 0)
				return true;
	return false;
}

/* The [start, end) of every non-blank line of text, up to max of them. */
static size_t output_lines(const char *text, const char **start, size_t *len, size_t max)
{
	size_t n = 0;

	for (const char *p = text; *p && n < max;) {
		const char *eol = strchr(p, '\n');
		size_t l = eol ? (size_t)(eol - p) : strlen(p);

		if (strspn(p, " \t\r") < l) {
			start[n] = p;
			len[n++] = l;
		}
		p += l + (eol != NULL);
	}
	return n;
}

void command_output_excerpt(const char *output, char *out, size_t size)
{
	enum { MAX_LINES = 4096 };
	const char **start = calloc(MAX_LINES, sizeof(*start));
	size_t *len = calloc(MAX_LINES, sizeof(*len)), pick[COMMAND_EXCERPT_LINES];
	size_t total, picked = 0, used = 0;

	out[0] = '\0';
	if (output == NULL || start == NULL || len == NULL)
		goto out;
	total = output_lines(output, start, len, MAX_LINES);
	for (size_t i = total; i > 0 && picked < COMMAND_EXCERPT_LINES; i--)
		if (line_tells(start[i - 1], len[i - 1]))
			pick[picked++] = i - 1;
	for (size_t i = total; i > 0 && picked == 0 && total - i < COMMAND_EXCERPT_LINES; i--)
		pick[total - i] = i - 1;
	if (picked == 0)
		picked = total < COMMAND_EXCERPT_LINES ? total : COMMAND_EXCERPT_LINES;
	if (picked < total)
		used = (size_t)snprintf(out, size, "(%zu of %zu lines) ", picked, total);
	for (size_t k = picked; k > 0 && used + 1 < size; k--) {	/* in output order */
		size_t i = pick[k - 1];

		if (k < picked && used + 4 < size) {
			memcpy(out + used, " | ", 4);
			used += 3;
		}
		text_escape(out + used, size - used, start[i], len[i] > 300 ? 300 : len[i]);
		used += strlen(out + used);
	}
out:
	free(start);
	free(len);
}
