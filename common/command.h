/* SPDX-License-Identifier: MIT */
/* Running the external commands a trust store or an admin's hook needs
 * (posix_spawn underneath; the module is not called spawn so that its header
 * does not hide the system's <spawn.h>). */
#ifndef ANCHORSYNC_COMMAND_H
#define ANCHORSYNC_COMMAND_H

#include <stddef.h>

#include "status.h"

#define COMMAND_OUTPUT_MAX (64 * 1024)

/* Seconds between SIGTERM and SIGKILL when a command outlives its deadline. */
#define COMMAND_GRACE 5

/* How to run a command. */
struct command_options {
	unsigned timeout;	/* seconds; 0: no deadline */
	int keep_fd;		/* a descriptor the command inherits, or -1 */
	/* NAME=VALUE entries the command's environment has besides ours (an
	 * entry replaces ours of the same NAME), NULL-terminated; NULL: ours.
	 * anchorsync's own environment is never changed. */
	const char *const *env;
};

/* Runs argv[0] (a path, or a name looked up in PATH) with argv, stdin from
 * /dev/null, in a process group of its own, and waits for it to exit. What it
 * prints on stdout and stderr is collected, capped at COMMAND_OUTPUT_MAX, into
 * *output (NUL-terminated, caller frees; may be NULL to discard), with what a
 * terminal would act on escaped as \xNN (common/text.h). Reading stops
 * when the command itself exits, even while a child it left behind still holds
 * its output open. When the deadline passes, its process group gets SIGTERM,
 * then SIGKILL after COMMAND_GRACE seconds. opts may be NULL (no deadline, no
 * inherited descriptor, our environment). Returns STATUS_OK when the command ran and exited 0;
 * otherwise STATUS_IO with err saying how it ended ("exited with status 2",
 * "was killed by signal 9", "timed out after 5 s"). */
enum status command_run(const char *const argv[], const struct command_options *opts,
		      char **output, struct error *err);

/* Runs command through /bin/sh -c, as command_run does. */
enum status command_shell(const char *command, const struct command_options *opts,
			char **output, struct error *err);

/* How many lines of a command's output a message quotes. */
#define COMMAND_EXCERPT_LINES 3

/* Writes into out (size bytes, NUL-terminated) at most COMMAND_EXCERPT_LINES
 * lines of output, one after another separated by " | ": the last lines that
 * say what went wrong (error, warning, fail, cannot, unable, denied, not
 * found), else the last lines; blank lines are skipped and, when lines were
 * left out, "(N of M lines)" comes first. "" when output has no text. */
void command_output_excerpt(const char *output, char *out, size_t size);

#endif
