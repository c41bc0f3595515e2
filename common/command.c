#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void child_exec(const char *const argv[], int out_fd)
{
	int null_fd = open("/dev/null", O_RDONLY);

	if (null_fd >= 0)
		dup2(null_fd, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	execvp(argv[0], (char *const *)argv);
	dprintf(STDERR_FILENO, "cannot run '%s': %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Reads the child's output until EOF, keeping the first SPAWN_OUTPUT_MAX bytes. */
static char *collect_output(int fd)
{
	char *buf = malloc(SPAWN_OUTPUT_MAX + 1);
	size_t have = 0;
	char sink[4096];

	for (;;) {
		char *dst = buf && have < SPAWN_OUTPUT_MAX ? buf + have : sink;
		size_t room = dst == sink ? sizeof(sink) : SPAWN_OUTPUT_MAX - have;
		ssize_t n = read(fd, dst, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (dst != sink)
			have += (size_t)n;
	}
	if (buf)
		buf[have] = '\0';
	return buf;
}

static enum status describe_exit(const char *name, int wstatus, struct error *err)
{
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		return STATUS_OK;
	if (WIFEXITED(wstatus))
		return error_set(err, STATUS_IO, "'%s' exited with status %d",
				 name, WEXITSTATUS(wstatus));
	if (WIFSIGNALED(wstatus))
		return error_set(err, STATUS_IO, "'%s' was killed by signal %d",
				 name, WTERMSIG(wstatus));
	return error_set(err, STATUS_IO, "'%s' ended abnormally", name);
}

/* name is what messages call the command. */
static enum status run_named(const char *const argv[], const char *name, char **output,
			     struct error *err)
{
	int pipefd[2];
	int wstatus;
	char *text;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return error_set(err, STATUS_IO, "cannot run '%s': %s", name, strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return error_set(err, STATUS_IO, "cannot run '%s': %s", name, strerror(errno));
	}
	if (pid == 0)
		child_exec(argv, pipefd[1]);
	close(pipefd[1]);
	text = collect_output(pipefd[0]);
	close(pipefd[0]);
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR) {
			free(text);
			return error_set(err, STATUS_IO, "cannot wait for '%s': %s",
					 name, strerror(errno));
		}
	}
	if (output)
		*output = text;
	else
		free(text);
	return describe_exit(name, wstatus, err);
}

enum status spawn_run(const char *const argv[], char **output, struct error *err)
{
	return run_named(argv, argv[0], output, err);
}

enum status spawn_shell(const char *command, char **output, struct error *err)
{
	const char *argv[] = { "/bin/sh", "-c", command, NULL };

	return run_named(argv, command, output, err);
}
