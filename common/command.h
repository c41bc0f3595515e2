/* Running the external commands a trust store or an admin's hook needs. */
#ifndef ANCHORSYNC_SPAWN_H
#define ANCHORSYNC_SPAWN_H

#include "status.h"

#define SPAWN_OUTPUT_MAX (64 * 1024)

/* Runs argv[0] (a path, or a name looked up in PATH) with argv, stdin from
 * /dev/null, and waits for it. What it prints on stdout and stderr is collected,
 * capped at SPAWN_OUTPUT_MAX, into *output (NUL-terminated, caller frees; may be
 * NULL to discard). Returns STATUS_OK when the command ran and exited 0; otherwise
 * err says how it ended ("exited with status 2", "killed by signal 9"). */
enum status spawn_run(const char *const argv[], char **output, struct error *err);

/* Runs command through /bin/sh -c, as spawn_run does. */
enum status spawn_shell(const char *command, char **output, struct error *err);

#endif
